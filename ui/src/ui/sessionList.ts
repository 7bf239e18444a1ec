// The session list: one row per session (its language twins together), in
// a virtualised list with a fixed row height. Only the rows in view (plus a
// few) are in the DOM, so a site with thousands of sessions scrolls as fast
// as one with ten.
import type { SessionRow } from "../ipc/api";
import { clear, h } from "./dom";
import { scrollToReveal, visibleRows } from "./virtual";

/** Row height in px; must match `.session-row` in styles.css. */
export const ROW_HEIGHT = 52;

export class SessionList {
  readonly element: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private all: SessionRow[] = [];
  private shown: SessionRow[] = [];
  private selected: string | null = null;
  private frame = 0;

  constructor(private readonly onSelect: (id: string) => void) {
    this.filterInput = h("input", {
      type: "search",
      class: "session-filter",
      placeholder: "Filter sessions",
      "aria-label": "Filter sessions",
    });
    this.filterInput.addEventListener("input", () => this.applyFilter());
    this.spacer = h("div", { class: "session-spacer" });
    this.viewport = h(
      "div",
      { class: "session-viewport", role: "listbox", tabindex: 0, "aria-label": "Sessions" },
      this.spacer,
    );
    this.viewport.addEventListener("scroll", () => this.schedule());
    this.viewport.addEventListener("keydown", (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.element = h("aside", { class: "sessions", id: "session-list" }, this.filterInput, this.viewport);
  }

  /** Replace the rows (keeps the filter and the selection). */
  setRows(rows: SessionRow[]): void {
    this.all = rows;
    this.applyFilter();
  }

  /** Update rows in place (after an edit or a save), matched by stem. */
  updateRows(rows: readonly SessionRow[]): void {
    if (rows.length === 0) return;
    const byStem = new Map(rows.map((r) => [r.stem, r]));
    const swap = (r: SessionRow) => byStem.get(r.stem) ?? r;
    this.all = this.all.map(swap);
    this.shown = this.shown.map(swap);
    this.render();
  }

  /** The row of the session with this stem, as last given. */
  rowOf(stem: string): SessionRow | undefined {
    return this.all.find((r) => r.stem === stem);
  }

  /** Highlight the session with this stem and scroll it into view. */
  select(stem: string | null): void {
    this.selected = stem;
    const i = this.shown.findIndex((r) => r.stem === stem);
    if (i >= 0) {
      const top = scrollToReveal(i, this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT);
      if (top !== null) this.viewport.scrollTop = top;
    }
    this.render();
  }

  private applyFilter(): void {
    const q = this.filterInput.value.trim().toLowerCase();
    const hay = (r: SessionRow) => `${r.title}\n${r.stem}\n${r.presenters}\n${r.track_title}\n${r.room}`.toLowerCase();
    this.shown = q ? this.all.filter((r) => hay(r).includes(q)) : this.all.slice();
    this.spacer.style.height = `${this.shown.length * ROW_HEIGHT}px`;
    this.element.dataset["total"] = String(this.all.length);
    this.element.dataset["shown"] = String(this.shown.length);
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const { start, end } = visibleRows(
      this.viewport.scrollTop,
      this.viewport.clientHeight,
      ROW_HEIGHT,
      this.shown.length,
    );
    clear(this.spacer);
    for (let i = start; i < end; i++) {
      const row = this.shown[i];
      if (row) this.spacer.append(this.renderRow(row, i));
    }
  }

  private renderRow(row: SessionRow, index: number): HTMLElement {
    const when = [row.day, row.time].filter(Boolean).join(" ");
    const selected = row.stem === this.selected;
    const el = h(
      "div",
      {
        class: `session-row${selected ? " selected" : ""}`,
        role: "option",
        "aria-selected": selected ? "true" : "false",
        "data-id": row.id,
        "data-stem": row.stem,
        title: `${row.stem} — ${row.presenters}`,
      },
      h(
        "div",
        { class: "session-title" },
        row.track_index !== null ? h("span", { class: `track-dot t${row.track_index % 8}`, title: row.track_title }) : null,
        row.modified ? h("span", { class: "modified-dot", title: "Unsaved changes" }, "●") : null,
        row.title,
      ),
      h(
        "div",
        { class: "session-meta" },
        h("span", { class: "meta-text" }, [when, row.room, row.stem].filter(Boolean).join(" · ")),
        h("span", { class: "langs" }, ...row.twins.map((t) => h("span", { class: "lang" }, t.lang))),
        row.problems > 0 ? h("span", { class: "badge", title: `${row.problems} problem(s)` }, String(row.problems)) : null,
      ),
    );
    el.style.top = `${index * ROW_HEIGHT}px`;
    el.addEventListener("click", () => this.onSelect(row.id));
    return el;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const i = this.shown.findIndex((r) => r.stem === this.selected);
    const next = this.shown[e.key === "ArrowDown" ? Math.min(this.shown.length - 1, i + 1) : Math.max(0, i - 1)];
    if (next) this.onSelect(next.id);
  }
}
