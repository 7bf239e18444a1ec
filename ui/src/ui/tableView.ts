// The table view: a row per chosen session, a column per schema field, with
// typed cells (a list of allowed values for track, room, session type…, text
// otherwise). A rectangular block copied from a spreadsheet pastes at the
// focused cell. Edits stay in the table until "Review changes…", which makes
// them one plan (the core translates rooms and copies dates to the twins).
import { api, toAppError, type CellEdit, type Column, type SiteSummary, type Table } from "../ipc/api";
import { cellEdits, placeBlock, type CellState } from "./batchLogic";
import { clear, h } from "./dom";
import { fieldLabel, fieldLabelMsg } from "./fieldLabels";
import { msg, t, tn } from "../i18n";

type Cell = HTMLInputElement | HTMLSelectElement;

export class TableView {
  readonly element: HTMLDialogElement;
  private readonly heading = h("h2", {}, msg("table.title"));
  private readonly note = h("p", { class: "form-note" });
  private readonly grid = h("table", { class: "batch-table", id: "batch-table" });
  private readonly error = h("p", { class: "plan-error", role: "alert" });
  private readonly review: HTMLButtonElement;
  private cells: Cell[][] = [];
  private states: CellState[][] = [];
  private answer: ((edits: CellEdit[] | null) => void) | null = null;

  constructor() {
    this.review = h("button", { type: "button", class: "primary", id: "table-review" }, msg("forms.review"));
    const cancel = h("button", { type: "button", id: "table-cancel" }, msg("common.cancel"));
    this.review.addEventListener("click", () => this.finish(true));
    cancel.addEventListener("click", () => this.finish(false));
    this.grid.addEventListener("paste", (e) => void this.paste(e));
    this.element = h(
      "dialog",
      { class: "batch-dialog table-dialog", id: "table-dialog", "aria-label": msg("table.aria") },
      this.heading,
      this.note,
      h("div", { class: "table-scroll" }, this.grid),
      this.error,
      h("div", { class: "dialog-actions" }, cancel, this.review),
    );
    this.element.addEventListener("cancel", (e) => {
      e.preventDefault();
      this.finish(false);
    });
  }

  /** Show the table for `stems`; resolves with the edited cells, or null when cancelled. */
  async edit(stems: readonly string[], site: SiteSummary): Promise<CellEdit[] | null> {
    const data = await api.tableData(stems.slice());
    this.build(data, site);
    this.heading.textContent = t("table.heading", { sessions: tn("forms.sessions", data.rows.length) });
    const modified = data.rows.filter((r) => r.modified).length;
    this.note.textContent = t("table.note") + (modified > 0 ? ` ${t("table.unsaved", { n: modified })}` : "");
    this.error.textContent = "";
    if (!this.element.open) this.element.showModal();
    return new Promise((resolve) => {
      this.answer = resolve;
    });
  }

  private build(data: Table, site: SiteSummary): void {
    clear(this.grid);
    this.cells = [];
    this.states = [];
    const head = h("tr", {}, h("th", { scope: "col" }, t("table.session")), ...data.columns.map((c) => h("th", { scope: "col", title: `${c.key} (${c.kind})` }, fieldLabelMsg(c.key), c.required ? " *" : "")));
    const body = h("tbody");
    data.rows.forEach((row, r) => {
      const cells: Cell[] = [];
      const states: CellState[] = [];
      const tr = h("tr", { "data-stem": row.stem }, h("th", { scope: "row", class: "mono", title: row.id }, row.stem, row.modified ? " ●" : ""));
      data.columns.forEach((col, c) => {
        const original = row.values[c] ?? null;
        const state: CellState = { stem: row.stem, key: col.key, original, value: original };
        const cell = makeCell(col, original, site);
        cell.dataset["row"] = String(r);
        cell.dataset["col"] = String(c);
        cell.setAttribute("aria-label", t("table.cell", { field: fieldLabel(col.key), stem: row.stem }));
        showsWhole(cell);
        const td = h("td", { "data-key": col.key }, cell);
        cell.addEventListener("change", () => this.set(r, c, cell.value, false));
        cells.push(cell);
        states.push(state);
        tr.append(td);
      });
      this.cells.push(cells);
      this.states.push(states);
      body.append(tr);
    });
    this.grid.append(h("thead", {}, head), body);
  }

  /** Set a cell's value (from typing or pasting) and mark it edited. */
  private set(r: number, c: number, value: string, write: boolean): void {
    const state = this.states[r]?.[c];
    const cell = this.cells[r]?.[c];
    if (!state || !cell) return;
    if (write) {
      if (cell instanceof HTMLSelectElement && ![...cell.options].some((o) => o.value === value)) {
        // A pasted value outside the list stays visible; the core notes it.
        cell.append(h("option", { value }, `${value} ${t("table.notInList")}`));
      }
      cell.value = value;
    }
    // An empty cell that had no key stays without it.
    state.value = value === "" && state.original === null ? null : value;
    showsWhole(cell);
    cell.closest("td")?.classList.toggle("edited", (state.value ?? null) !== (state.original ?? null));
  }

  private async paste(e: ClipboardEvent): Promise<void> {
    const target = e.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    const text = e.clipboardData?.getData("text/plain") ?? "";
    // A single value typed into a text cell pastes as usual.
    if (!text.includes("\t") && !text.includes("\n") && target instanceof HTMLInputElement) return;
    e.preventDefault();
    const row = Number(target.dataset["row"]);
    const col = Number(target.dataset["col"]);
    try {
      const block = await api.parsePaste(text);
      const cols = this.cells[0]?.length ?? 0;
      for (const p of placeBlock(block, row, col, this.cells.length, cols)) this.set(p.row, p.col, p.value, true);
      this.error.textContent = "";
    } catch (err) {
      this.error.textContent = toAppError(err).message;
    }
  }

  private finish(review: boolean): void {
    const edits = review ? cellEdits(this.states.flat()) : null;
    if (review && edits && edits.length === 0) {
      this.error.textContent = t("table.noChange");

      return;
    }
    if (this.element.open) this.element.close();
    const answer = this.answer;
    this.answer = null;
    answer?.(edits);
  }
}

function makeCell(col: Column, value: string | null, site: SiteSummary): Cell {
  const choices = col.key === "track" ? site.tracks.map((t) => t.slug) : col.choices;
  if (choices.length > 0) {
    const v = value ?? "";
    const options = choices.includes(v) || v === "" ? choices : [v, ...choices];
    const select = h("select", {}, h("option", { value: "" }, "—"), ...options.map((c) => h("option", { value: c }, c)));
    select.value = v;
    return select;
  }
  const input = h("input", { type: "text", spellcheck: "false" });
  if (col.kind === "datetime") input.placeholder = "YYYY-MM-DDTHH:MM:SS";
  input.value = value ?? "";
  return input;
}

/** A cell too narrow for its text ends in an ellipsis; its tooltip holds the whole value. */
function showsWhole(cell: Cell): void {
  const text = cell instanceof HTMLSelectElement ? (cell.selectedOptions[0]?.textContent ?? "") : cell.value;
  cell.title = text;
}
