import { describe, expect, it } from "vitest";
import { UiState, type KeyValueStore } from "./uiState";

function memory(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe("ui state", () => {
  it("remembers values as JSON under its prefix", () => {
    const m = memory();
    const s = new UiState(() => m);
    expect(s.get("problems.height")).toBeUndefined();
    s.set("problems.height", 312);
    expect(m.data.get("lectern.ui.problems.height")).toBe("312");
    expect(new UiState(() => m).get("problems.height")).toBe(312);
  });

  it("falls back to nothing when storage is broken, full or absent", () => {
    const m = memory();
    m.data.set("lectern.ui.x", "{not json");
    expect(new UiState(() => m).get("x")).toBeUndefined();
    const full: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => new UiState(() => full).set("x", 1)).not.toThrow();
    expect(new UiState(() => null).get("x")).toBeUndefined();
  });
});
