// The session list: one row per session (its language twins together), in
// a virtualised list with a fixed row height. Only the rows in view (plus a
// few) are in the DOM, so a site with thousands of sessions scrolls as fast
// as one with ten. Above the list: a text search and filters by track, day,
// room, language and "has problems" (see sessionFilter.ts), applied in memory
// to the rows the list holds.
import type { SessionSummary, SiteSummary } from "../ipc/api";
import { clear, h } from "./dom";
import { ANY, filterChoices, filterRows, NO_FILTER, type Choice, type ListFilter } from "./sessionFilter";
import { scrollToReveal, visibleRows } from "./virtual";
import { batchSelection, ctrlToggle, rangeOf } from "./batchLogic";
import { msg, t } from "../i18n";

/** Row height in px; must match `.session-row` in styles.css. */
export const ROW_HEIGHT = 52;

export class SessionList {
  readonly element: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private all: SessionSummary[] = [];
  private shown: SessionSummary[] = [];
  private selected: string | null = null;
  private frame = 0;
  // Filters (issue 3).
  private site: SiteSummary | null = null;
  private readonly filterSelects: Record<"track" | "day" | "room" | "lang", HTMLSelectElement>;
  private readonly problemsToggle: HTMLInputElement;
  private readonly countNote: HTMLElement;
  private choicesKey = "";
  /** Called after the rows changed (edits, saves, reloads). */
  onRowsChanged: () => void = () => {};
  // Batch selection: stems checked with Ctrl/Shift-click or "select all shown".
  private checked = new Set<string>();
  private anchor: string | null = null;
  private onChecked: (stems: string[], hidden: number) => void = () => undefined;

  constructor(private readonly onSelect: (id: string) => void) {
    this.filterInput = h("input", {
      type: "search",
      class: "session-filter",
      placeholder: msg("list.filter"),
      "aria-label": msg("list.filter"),
    });
    this.filterInput.addEventListener("input", () => this.applyFilter());
    const select = (key: string, label: ReturnType<typeof msg>) => {
      const el = h("select", { class: `list-filter filter-${key}`, id: `filter-${key}`, "aria-label": label, title: label });
      el.addEventListener("change", () => this.applyFilter());
      return el;
    };
    this.filterSelects = {
      track: select("track", msg("list.byTrack")),
      day: select("day", msg("list.byDay")),
      room: select("room", msg("list.byRoom")),
      lang: select("lang", msg("list.byLanguage")),
    };
    this.problemsToggle = h("input", { type: "checkbox", id: "filter-problems", class: "list-filter" });
    this.problemsToggle.addEventListener("change", () => this.applyFilter());
    this.countNote = h("span", { class: "filter-count", "aria-live": "polite" });
    const clearButton = h("button", { type: "button", class: "icon filter-clear", title: msg("list.clearFilters"), "aria-label": msg("list.clearFilters") }, "×");
    clearButton.addEventListener("click", () => this.clearFilters());
    const filterBar = h(
      "div",
      { class: "filter-bar", role: "group", "aria-label": msg("list.filters") },
      this.filterSelects.track,
      this.filterSelects.day,
      this.filterSelects.room,
      this.filterSelects.lang,
      h("label", { class: "filter-toggle", for: "filter-problems" }, this.problemsToggle, " ", msg("list.hasProblems")),
      this.countNote,
      clearButton,
    );
    this.spacer = h("div", { class: "session-spacer" });
    this.viewport = h(
      "div",
      { class: "session-viewport", role: "listbox", tabindex: 0, "aria-label": msg("list.sessions") },
      this.spacer,
    );
    this.viewport.addEventListener("scroll", () => this.schedule());
    this.viewport.addEventListener("keydown", (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.element = h("aside", { class: "sessions", id: "session-list" }, this.filterInput, filterBar, this.viewport);
  }

  /** The open site: its schema gives the filters' choices. Another site resets the filters; a reload keeps them. */
  setSite(site: SiteSummary): void {
    const same = this.site?.root === site.root;
    this.site = site;
    this.choicesKey = "";
    if (same) return;
    for (const el of Object.values(this.filterSelects)) el.value = ANY;
    this.problemsToggle.checked = false;
  }

  /** The filters as set now. */
  filter(): ListFilter {
    // An empty select (no site yet) filters nothing.
    const value = (el: HTMLSelectElement) => (el.options.length > 0 ? el.value : ANY);
    return {
      text: this.filterInput.value,
      track: value(this.filterSelects.track),
      day: value(this.filterSelects.day),
      room: value(this.filterSelects.room),
      lang: value(this.filterSelects.lang),
      problems: this.problemsToggle.checked,
    };
  }

  /** Reset the search and every filter. */
  clearFilters(): void {
    this.filterInput.value = NO_FILTER.text;
    for (const el of Object.values(this.filterSelects)) el.value = ANY;
    this.problemsToggle.checked = false;
    this.applyFilter();
  }

  /** Put the cursor in the search box. */
  focusSearch(): void {
    this.filterInput.focus();
    this.filterInput.select();
  }

  /** Whether any session has unsaved edits. */
  anyModified(): boolean {
    return this.all.some((r) => r.modified);
  }

  /** The id of the shown session `delta` rows from the selected one. */
  neighbour(delta: number): string | null {
    if (this.shown.length === 0) return null;
    const i = this.shown.findIndex((r) => r.stem === this.selected);
    const j = i < 0 ? 0 : Math.min(this.shown.length - 1, Math.max(0, i + delta));
    return this.shown[j]?.id ?? null;
  }

  private refreshChoices(): void {
    if (!this.site) return;
    const choices = filterChoices(this.site, this.all);
    const key = JSON.stringify(choices);
    if (key === this.choicesKey) return;
    this.choicesKey = key;
    const fill = (el: HTMLSelectElement, list: Choice[]) => {
      const keep = el.options.length > 0 ? el.value : ANY;
      el.replaceChildren(...list.map((c) => h("option", { value: c.value }, c.label)));
      el.value = list.some((c) => c.value === keep) ? keep : ANY;
    };
    fill(this.filterSelects.track, choices.track);
    fill(this.filterSelects.day, choices.day);
    fill(this.filterSelects.room, choices.room);
    fill(this.filterSelects.lang, choices.lang);
  }

  /** The language changed: the filters' choices, the count and the rows again. */
  relocalize(): void {
    this.choicesKey = "";
    this.refreshChoices();
    this.applyFilter();
  }

  /** Replace the rows (keeps the filter and the selection). */
  setRows(rows: SessionSummary[]): void {
    this.all = rows;
    this.refreshChoices();
    const present = new Set(rows.map((r) => r.stem));
    const before = this.checked.size;
    for (const stem of this.checked) if (!present.has(stem)) this.checked.delete(stem);
    if (this.checked.size !== before) queueMicrotask(() => this.checkedChanged());
    this.applyFilter();
    this.onRowsChanged();
  }

  /** Update rows in place (after an edit or a save), matched by stem. */
  updateRows(rows: readonly SessionSummary[]): void {
    if (rows.length === 0) return;
    const byStem = new Map(rows.map((r) => [r.stem, r]));
    const swap = (r: SessionSummary) => byStem.get(r.stem) ?? r;
    this.all = this.all.map(swap);
    this.shown = this.shown.map(swap);
    this.render();
    this.onRowsChanged();
  }

  /** The row of the session with this stem, as last given. */
  rowOf(stem: string): SessionSummary | undefined {
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
    this.shown = filterRows(this.all, this.filter());
    this.countNote.textContent = this.shown.length === this.all.length ? "" : t("list.count", { shown: this.shown.length, total: this.all.length });
    this.spacer.style.height = `${this.shown.length * ROW_HEIGHT}px`;
    this.element.dataset["total"] = String(this.all.length);
    this.element.dataset["shown"] = String(this.shown.length);
    if (this.checked.size > 0) this.checkedChanged();
    else this.render();
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

  private renderRow(row: SessionSummary, index: number): HTMLElement {
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
        title: `${row.title}\n${row.stem} — ${row.presenters}`,
      },
      h(
        "div",
        { class: "session-title" },
        row.track_index !== null ? h("span", { class: `track-dot t${row.track_index % 8}`, title: row.track_title }) : null,
        row.modified ? h("span", { class: "modified-dot", title: t("list.unsaved") }, "●") : null,
        row.title,
      ),
      h(
        "div",
        { class: "session-meta" },
        h("span", { class: "meta-text" }, [when, row.room, row.stem].filter(Boolean).join(" · ")),
        h("span", { class: "langs" }, ...row.twins.map((t) => h("span", { class: "lang" }, t.lang))),
        row.problems > 0 ? h("span", { class: "badge", title: t("list.problems", { n: row.problems }) }, String(row.problems)) : null,

      ),
    );
    el.style.top = `${index * ROW_HEIGHT}px`;
    if (this.checked.has(row.stem)) el.classList.add("checked");
    el.addEventListener("click", (e) => this.click(row, e));
    return el;
  }

  // ---- batch selection ----

  /** Be told when the checked sessions change. */
  watchChecked(f: (stems: string[], hidden: number) => void): void {
    this.onChecked = f;
  }

  /** Stems checked for a batch operation, in list order: only those the filter shows. */
  checkedStems(): string[] {
    return batchSelection(this.shownStems(), this.checked).stems;
  }

  /** Stems the filter shows, in list order. */
  shownStems(): string[] {
    return this.shown.map((r) => r.stem);
  }

  /** Check every session the filter shows (or, with `false`, none). */
  checkAllShown(on = true): void {
    this.checked = new Set(on ? this.shownStems() : []);
    this.checkedChanged();
  }

  /** Ctrl/Cmd-click toggles a session, Shift-click checks a range; a plain click opens it. */
  private click(row: SessionSummary, e: MouseEvent): void {
    if (e.ctrlKey || e.metaKey) {
      // The open session counts as picked when the first one is added (if the list shows it).
      this.checked = ctrlToggle(this.checked, row.stem, this.selected, this.shownStems());
      this.anchor = row.stem;
      this.checkedChanged();
    } else if (e.shiftKey) {
      for (const stem of rangeOf(this.shownStems(), this.anchor ?? this.selected, row.stem)) this.checked.add(stem);
      this.checkedChanged();
    } else {
      this.anchor = row.stem;
      if (this.checked.size > 0) this.checkAllShown(false);
      this.onSelect(row.id);
    }
  }

  private checkedChanged(): void {
    const { stems, hidden } = batchSelection(this.shownStems(), this.checked);
    this.element.dataset["checked"] = String(stems.length);
    this.render();
    this.onChecked(stems, hidden);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const i = this.shown.findIndex((r) => r.stem === this.selected);
    const next = this.shown[e.key === "ArrowDown" ? Math.min(this.shown.length - 1, i + 1) : Math.max(0, i - 1)];
    if (next) this.onSelect(next.id);
  }
}
