import { describe, expect, it } from "vitest";
import { MainViews, next, type MainView } from "./mainView";

describe("main views", () => {
  it("toggling a view shows it, toggling it again shows the editor", () => {
    expect(next("editor", "changes")).toBe("changes");
    expect(next("changes", "changes")).toBe("editor");
  });

  it("toggling another view replaces the one shown instead of adding to it", () => {
    expect(next("twins", "changes")).toBe("changes");
    expect(next("changes", "schedule")).toBe("schedule");
  });

  it("reports each change once, with the view it replaced", () => {
    const seen: [MainView, MainView][] = [];
    const views = new MainViews((now, before) => seen.push([now, before]));
    views.toggle("twins");
    views.toggle("changes");
    views.set("changes");
    views.toggle("changes");
    expect(seen).toEqual([
      ["twins", "editor"],
      ["changes", "twins"],
      ["editor", "changes"],
    ]);
    expect(views.current).toBe("editor");
    expect(views.is("editor")).toBe(true);
  });
});
