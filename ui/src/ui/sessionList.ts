// The session list: a virtualised list with a fixed row height. Only the
// rows in view (plus a few) are in the DOM, so a site with thousands of
// sessions scrolls as fast as one with ten.
import type { SessionRow } from "../ipc/api";
import { clear, h } from "./dom";
import { scrollToReveal, visibleRows } from "./virtual";

/** Row height in px; must match `.session-row` in styles.css. */
export const ROW_HEIGHT = 48;

/** Problem counts per session id, for the badges. */
export type ProblemCounts = ReadonlyMap<string, { errors: number; warnings: number }>;

export class SessionList {
  readonly element: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private all: SessionRow[] = [];
  private shown: SessionRow[] = [];
  private problems: ProblemCounts = new Map();
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

  /** Update one row in place (after an edit or a save). */
  updateRow(row: SessionRow): void {
    const i = this.all.findIndex((r) => r.id === row.id);
    if (i >= 0) this.all[i] = row;
    const j = this.shown.findIndex((r) => r.id === row.id);
    if (j >= 0) this.shown[j] = row;
    this.render();
  }

  setProblems(problems: ProblemCounts): void {
    this.problems = problems;
    this.render();
  }

  select(id: string | null): void {
    this.selected = id;
    const i = this.shown.findIndex((r) => r.id === id);
    if (i >= 0) {
      const top = scrollToReveal(i, this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT);
      if (top !== null) this.viewport.scrollTop = top;
    }
    this.render();
  }

  private applyFilter(): void {
    const q = this.filterInput.value.trim().toLowerCase();
    this.shown = q
      ? this.all.filter((r) => r.title.toLowerCase().includes(q) || r.id.toLowerCase().includes(q))
      : this.all.slice();
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
    const counts = this.problems.get(row.id);
    const badge =
      counts && counts.errors > 0
        ? h("span", { class: "badge error", title: `${counts.errors} error(s)` }, String(counts.errors))
        : counts && counts.warnings > 0
          ? h("span", { class: "badge warning", title: `${counts.warnings} warning(s)` }, String(counts.warnings))
          : null;
    const el = h(
      "div",
      {
        class: `session-row${row.id === this.selected ? " selected" : ""}${row.readable ? "" : " unreadable"}`,
        role: "option",
        "aria-selected": row.id === this.selected ? "true" : "false",
        "data-id": row.id,
        title: row.id,
      },
      h(
        "div",
        { class: "session-title" },
        row.modified ? h("span", { class: "modified-dot", title: "Modified" }, "●") : null,
        row.title ? row.title : h("em", {}, "(no title)"),
      ),
      h(
        "div",
        { class: "session-meta" },
        h("span", { class: "lang" }, row.lang),
        h("span", {}, row.stem),
        row.date ? h("span", { class: "date" }, row.date.replace("T", " ")) : null,
        badge,
      ),
    );
    el.style.top = `${index * ROW_HEIGHT}px`;
    el.addEventListener("click", () => this.onSelect(row.id));
    return el;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const i = this.shown.findIndex((r) => r.id === this.selected);
    const next = this.shown[e.key === "ArrowDown" ? Math.min(this.shown.length - 1, i + 1) : Math.max(0, i - 1)];
    if (next) this.onSelect(next.id);
  }
}
