// Which main view fills the window's centre: the editor (with its preview
// and problems), the Changes view, the schedule grid or the twins side by
// side. One value, so two views can never show at once: every toggle goes
// through `next`, and the window draws from `MainViews.current` alone
// (never from CSS classes read back from the page).

/** The main views; exactly one shows at a time. */
export type MainView = "editor" | "changes" | "schedule" | "twins";

/** The view after toggling `view` from `current`: a second toggle goes back to the editor. */
export function next(current: MainView, view: MainView): MainView {
  return current === view ? "editor" : view;
}

/** The one piece of state; `changed` redraws the window. */
export class MainViews {
  private view: MainView = "editor";

  constructor(private readonly changed: (now: MainView, before: MainView) => void) {}

  get current(): MainView {
    return this.view;
  }

  is(view: MainView): boolean {
    return this.view === view;
  }

  /** Show `view` (the others hide). */
  set(view: MainView): void {
    const before = this.view;
    if (before === view) return;
    this.view = view;
    this.changed(view, before);
  }

  /** Show `view`, or the editor when it is already showing; returns the view now shown. */
  toggle(view: MainView): MainView {
    this.set(next(this.view, view));
    return this.view;
  }
}
