import { describe, expect, it } from "vitest";
import { batchSelection, cellEdits, checkedLabel, ctrlToggle, diffLineClass, placeBlock, planCounts, rangeOf, selectionFor } from "./batchLogic";

describe("diffLineClass", () => {
  it("tells headers, hunks, additions, deletions and context apart", () => {
    expect(diffLineClass("--- a/content/sessions/x.md")).toBe("meta");
    expect(diffLineClass("+++ b/content/sessions/x.md")).toBe("meta");
    expect(diffLineClass("diff --git a/x b/x")).toBe("meta");
    expect(diffLineClass("@@ -1,3 +1,3 @@")).toBe("hunk");
    expect(diffLineClass('+room: "Side Room"')).toBe("add");
    expect(diffLineClass('-room: "Main Hall"')).toBe("del");
    expect(diffLineClass(" title: x")).toBe("ctx");
    expect(diffLineClass("\\ No newline at end of file")).toBe("meta");
  });
});

describe("planCounts", () => {
  it("names each kind of change and the total", () => {
    expect(planCounts({ created: 1, changed: 2, moved: 0, deleted: 0 })).toBe("1 created, 2 changed (3 files)");
    expect(planCounts({ created: 0, changed: 0, moved: 0, deleted: 1 })).toBe("1 deleted (1 file)");
    expect(planCounts({ created: 0, changed: 0, moved: 0, deleted: 0 })).toBe("no file changes");
  });
});

describe("rangeOf", () => {
  const shown = ["a", "b", "c", "d"];
  it("spans anchor to target in list order, either direction", () => {
    expect(rangeOf(shown, "b", "d")).toEqual(["b", "c", "d"]);
    expect(rangeOf(shown, "d", "b")).toEqual(["b", "c", "d"]);
  });
  it("falls back to the target alone without a visible anchor", () => {
    expect(rangeOf(shown, null, "c")).toEqual(["c"]);
    expect(rangeOf(shown, "zz", "c")).toEqual(["c"]);
    expect(rangeOf(shown, "a", "zz")).toEqual([]);
  });
});

describe("placeBlock", () => {
  it("fills right and down from the focused cell and clips at the table's edge", () => {
    const block = [
      ["1", "2", "3"],
      ["4", "5", "6"],
    ];
    expect(placeBlock(block, 1, 1, 3, 3)).toEqual([
      { row: 1, col: 1, value: "1" },
      { row: 1, col: 2, value: "2" },
      { row: 2, col: 1, value: "4" },
      { row: 2, col: 2, value: "5" },
    ]);
    expect(placeBlock(block, 5, 0, 3, 3)).toEqual([]);
  });
});

describe("cellEdits", () => {
  it("keeps only cells that differ from when the table was opened", () => {
    expect(
      cellEdits([
        { stem: "a", key: "room", original: "Main Hall", value: "Main Hall" },
        { stem: "a", key: "date", original: "x", value: "y" },
        { stem: "b", key: "room", original: null, value: "" },
        { stem: "c", key: "room", original: null, value: null },
      ]),
    ).toEqual([
      { stem: "a", key: "date", value: "y" },
      { stem: "b", key: "room", value: "" },
    ]);
  });
});

describe("selectionFor", () => {
  it("uses the checked sessions, else the open one", () => {
    expect(selectionFor(["a", "b"], "c")).toEqual(["a", "b"]);
    expect(selectionFor([], "c")).toEqual(["c"]);
    expect(selectionFor([], null)).toEqual([]);
  });
});

describe("batch selection and the filter", () => {
  it("a batch takes only the checked sessions the filter shows, and counts the hidden ones", () => {
    const checked = new Set(["a", "b", "c", "d"]);
    expect(batchSelection(["a", "c", "e"], checked)).toEqual({ stems: ["a", "c"], hidden: 2 });
    expect(batchSelection(["e", "d", "c", "b", "a"], checked)).toEqual({ stems: ["d", "c", "b", "a"], hidden: 0 });
  });

  it("Ctrl-click adds the open session only when the list shows it", () => {
    // The open session "x" is hidden by the filter: three Ctrl-clicks select three.
    let s = new Set<string>();
    for (const stem of ["a", "b", "c"]) s = ctrlToggle(s, stem, "x", ["a", "b", "c"]);
    expect([...s]).toEqual(["a", "b", "c"]);
    // Shown, it counts with the first one.
    expect([...ctrlToggle(new Set(), "a", "x", ["a", "x"])]).toEqual(["x", "a"]);
    // A second Ctrl-click unchecks.
    expect([...ctrlToggle(new Set(["x", "a"]), "a", "x", ["a", "x"])]).toEqual(["x"]);
  });

  it("the count says when checked sessions are left out", () => {
    expect(checkedLabel(3, 0)).toBe("3 selected");
    expect(checkedLabel(3, 1)).toBe("3 selected (1 hidden by the filter, left out)");
    expect(checkedLabel(0, 0)).toBe("Ctrl/Shift-click to select");
  });
});
