import { describe, expect, it } from "vitest";
import { savedMessage } from "./saving";

describe("savedMessage", () => {
  const en = "content/sessions/db-101.md";
  const zh = "content/sessions/db-101.zh.md";
  it("names the file, and the twins saved with it", () => {
    expect(savedMessage(en, [en])).toBe(`Saved ${en}.`);
    expect(savedMessage(en, [en, zh])).toBe(`Saved ${en} and its twin ${zh}, changed by the same edits.`);
    expect(savedMessage(en, [zh])).toBe(`Saved its twin ${zh}.`);
    expect(savedMessage(en, [])).toBe("Nothing to save: no unsaved edits.");
  });
});
