// Keys typed just before a shortcut must reach the page before the shortcut
// acts. A menu accelerator (Ctrl+S, Ctrl+Shift+S, F5, Ctrl+W) is taken by
// GTK in the app process the moment it is pressed, while WebKit hands key
// presses to the page one at a time, each after the page finished the one
// before: with the page busy (a preview being drawn), the last letters typed
// can still be on their way when "save" arrives, and would be left out.
//
// The gate watches key presses in the page. Presses arrive in order, so
// once the page has seen the Ctrl (or Cmd) press of the shortcut, every key
// typed before it has arrived: go at once. Otherwise (F5, a menu clicked,
// or that Ctrl press still on its way) wait until no key has arrived for
// `quiet` ms, at most `max` ms.

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
}

export class KeyGate {
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastWasModifier = false;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** A key press reached the page. */
  pressed(e: KeyLike): void {
    this.lastAt = this.now();
    this.lastWasModifier = e.ctrlKey || e.metaKey || e.key === "Control" || e.key === "Meta";
  }

  /** Resolve once the keys typed before a shortcut have reached the page (see above). */
  async settled(quiet = 150, max = 600): Promise<void> {
    const start = this.now();
    while (!this.lastWasModifier && this.now() - this.lastAt < quiet && this.now() - start < max) {
      await this.sleep(Math.min(25, quiet));
    }
  }
}
