import { describe, expect, it } from "vitest";
import { savedMessage } from "./saving";

describe("savedMessage", () => {
  const en = "content/sessions/db-101.md";
  const zh = "content/sessions/db-101.zh.md";
  const ja = "content/sessions/db-101.ja.md";
  const lang = (id: string) => (id === zh ? "zh" : id === ja ? "ja" : "en");
  it("says Saved, and names the languages of the twins saved with the file", () => {
    expect(savedMessage(en, [en], lang)).toBe("Saved.");
    expect(savedMessage(en, [en, zh], lang)).toBe("Saved, with its twin (zh).");
    expect(savedMessage(en, [en, zh, ja], lang)).toBe("Saved, with its twins (zh, ja).");
    expect(savedMessage(en, [zh], lang)).toBe("Saved its twin (zh).");
    expect(savedMessage(en, [], lang)).toBe("Nothing to save: no unsaved edits.");
  });
});
