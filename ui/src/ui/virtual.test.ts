import { describe, expect, it } from "vitest";
import { scrollToReveal, visibleRows } from "./virtual";

describe("visibleRows", () => {
  it("renders only the rows in view plus overscan", () => {
    // 10 rows of 40px fit in 400px; scrolled to row 100.
    expect(visibleRows(4000, 400, 40, 1000, 2)).toEqual({ start: 98, end: 113 });
  });

  it("never goes past either end", () => {
    expect(visibleRows(0, 400, 40, 5, 4)).toEqual({ start: 0, end: 5 });
    expect(visibleRows(999999, 400, 40, 50, 4)).toEqual({ start: 50, end: 50 });
    expect(visibleRows(-30, 400, 40, 50, 0)).toEqual({ start: 0, end: 11 });
  });

  it("is empty for an empty list or a zero row height", () => {
    expect(visibleRows(0, 400, 40, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRows(0, 400, 0, 10)).toEqual({ start: 0, end: 0 });
  });
});

describe("scrollToReveal", () => {
  it("scrolls up to a row above the view", () => {
    expect(scrollToReveal(2, 200, 400, 40)).toBe(80);
  });
  it("scrolls down just enough for a row below the view", () => {
    expect(scrollToReveal(20, 0, 400, 40)).toBe(440);
  });
  it("leaves a visible row alone", () => {
    expect(scrollToReveal(3, 0, 400, 40)).toBeNull();
  });
});
