import { describe, expect, it } from "vitest";
import { changedSpan } from "./bodyEditor";
import { historyKey } from "./fieldForm";

describe("one undo history", () => {
  const key = (k: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "altKey" | "shiftKey", boolean>> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });

  it("Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, in a form field as in the body", () => {
    expect(historyKey(key("z", { ctrlKey: true }))).toBe("undo");
    expect(historyKey(key("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(historyKey(key("y", { ctrlKey: true }))).toBe("redo");
    expect(historyKey(key("z", { metaKey: true }))).toBe("undo");
    expect(historyKey(key("z"))).toBeNull();
    expect(historyKey(key("z", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(historyKey(key("s", { ctrlKey: true }))).toBeNull();
  });

  it("an undone edit replaces only the text that differs, so the cursor stays around it", () => {
    expect(changedSpan("Hello world", "Hello brave world")).toEqual({ from: 6, to: 6, insert: "brave " });
    expect(changedSpan("Hello brave world", "Hello world")).toEqual({ from: 6, to: 12, insert: "" });
    expect(changedSpan("aaa", "aa")).toEqual({ from: 2, to: 3, insert: "" });
    expect(changedSpan("abc", "xyz")).toEqual({ from: 0, to: 3, insert: "xyz" });
    expect(changedSpan("same", "same")).toEqual({ from: 4, to: 4, insert: "" });
    // Applying the span gives the new text.
    for (const [a, b] of [["一二三", "一三"], ["x\ny\n", "x\nz\ny\n"], ["", "new"]] as const) {
      const c = changedSpan(a, b);
      expect(a.slice(0, c.from) + c.insert + a.slice(c.to)).toBe(b);
    }
  });
});
