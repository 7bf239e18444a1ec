import { describe, expect, it } from "vitest";
import type { SearchHit } from "../ipc/api";
import { hitPlace, Latest, opensSearch, resultSummary } from "./siteSearchModel";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe("site search", () => {
  it("opens on Ctrl+F or Cmd+F outside the body editor only", () => {
    expect(opensSearch(key("f", { ctrlKey: true }), false, false)).toBe(true);
    expect(opensSearch(key("F", { metaKey: true }), false, false)).toBe(true);
    // The body editor keeps its own Ctrl+F; a dialog keeps the keyboard.
    expect(opensSearch(key("f", { ctrlKey: true }), true, false)).toBe(false);
    expect(opensSearch(key("f", { ctrlKey: true }), false, true)).toBe(false);
    expect(opensSearch(key("f"), false, false)).toBe(false);
    expect(opensSearch(key("f", { ctrlKey: true, shiftKey: true }), false, false)).toBe(false);
    expect(opensSearch(key("f", { ctrlKey: true, altKey: true }), false, false)).toBe(false);
    expect(opensSearch(key("g", { ctrlKey: true }), false, false)).toBe(false);
  });

  it("says where a hit is and what was found", () => {
    const hit: SearchHit = {
      id: "content/sessions/ai-1.zh.md",
      stem: "ai-1",
      lang: "zh",
      title: "大规模网关",
      field: "body",
      before: "",
      matched: "郭奇",
      after: "",
      line: 12,
      body_offset: 40,
    };
    expect(hitPlace(hit)).toBe("Body · line 12 · ZH");
    expect(hitPlace({ ...hit, field: "presenters", lang: "en" })).toBe("Presenters · EN");
    expect(resultSummary("  ", 0, 0, 0)).toMatch(/^Type to search/);
    expect(resultSummary(" 郭奇 ", 0, 0, 0)).toBe("No matches for “郭奇”.");
    expect(resultSummary("a", 1, 1, 1)).toBe("1 match in 1 file");
    expect(resultSummary("a", 500, 812, 90)).toBe("812 matches in 90 files (first 500 shown)");
  });

  it("keeps only the latest answer", () => {
    const l = new Latest();
    const a = l.next();
    const b = l.next();
    expect(l.isCurrent(a)).toBe(false);
    expect(l.isCurrent(b)).toBe(true);
  });
});
