// Pure helpers of the batch views (plan dialog, list selection, table
// paste), kept apart from the DOM so they are unit-tested.
import type { CellEdit, PlanDto } from "../ipc/api";
import { t, tn } from "../i18n";

/** How a line of a unified diff is shown. */
export type DiffLine = "add" | "del" | "hunk" | "meta" | "ctx";

/** Classify one line of a unified diff (git's format). */
export function diffLineClass(line: string): DiffLine {
  if (line.startsWith("+++ ") || line.startsWith("--- ") || line.startsWith("diff ") || line.startsWith("rename ") || line.startsWith("new file") || line.startsWith("deleted file") || line.startsWith("similarity ") || line.startsWith("index ") || line.startsWith("\\ ")) {
    return "meta";
  }
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  return "ctx";
}

/** "2 changed, 1 created (3 files)", or "no file changes". */
export function planCounts(plan: Pick<PlanDto, "created" | "changed" | "moved" | "deleted">): string {
  const parts: string[] = [];
  for (const [n, what] of [
    [plan.created, "plan.created"],
    [plan.changed, "plan.changed"],
    [plan.moved, "plan.moved"],
    [plan.deleted, "plan.deleted"],
  ] as const) {
    if (n > 0) parts.push(t(what, { n }));
  }
  const total = plan.created + plan.changed + plan.moved + plan.deleted;
  return parts.length === 0 ? t("plan.noChanges") : t("plan.counts", { parts: parts.join(t("common.listSep")), files: tn("app.files", total) });
}

/** The stems from `anchor` to `target` in `shown` order (both included). */
export function rangeOf(shown: readonly string[], anchor: string | null, target: string): string[] {
  const b = shown.indexOf(target);
  const a = anchor === null ? -1 : shown.indexOf(anchor);
  if (b < 0) return [];
  if (a < 0) return [target];
  const [from, to] = a <= b ? [a, b] : [b, a];
  return shown.slice(from, to + 1);
}

/** A pasted value for one cell of the table. */
export interface PastedCell {
  row: number;
  col: number;
  value: string;
}

/**
 * Where a pasted block lands: from the focused cell (`row`, `col`) right and
 * down, clipped to a table of `rows` × `cols`. The pasted block is a
 * rectangle of rows of cells (as the core's `parse_paste` returns it).
 */
export function placeBlock(block: readonly (readonly string[])[], row: number, col: number, rows: number, cols: number): PastedCell[] {
  const out: PastedCell[] = [];
  block.forEach((cells, i) => {
    cells.forEach((value, j) => {
      const r = row + i;
      const c = col + j;
      if (r < rows && c < cols) out.push({ row: r, col: c, value });
    });
  });
  return out;
}

/** A table cell: its session, key, value when opened and value now. */
export interface CellState {
  stem: string;
  key: string;
  original: string | null;
  value: string | null;
}

/** The cells whose value differs from when the table was opened, as edits. */
export function cellEdits(cells: Iterable<CellState>): CellEdit[] {
  const out: CellEdit[] = [];
  for (const c of cells) {
    if ((c.value ?? null) !== (c.original ?? null)) out.push({ stem: c.stem, key: c.key, value: c.value });
  }
  return out;
}

/** The sessions a batch command works on: the checked ones, else the open one. */
export function selectionFor(checked: readonly string[], open: string | null): string[] {
  if (checked.length > 0) return checked.slice();
  return open ? [open] : [];
}

/**
 * The checked sessions a batch works on: only those the filter shows, in
 * list order, so nothing hidden is ever included without being seen; and
 * how many checked ones the filter hides (they stay checked for when the
 * filter is cleared, and the count says they are left out).
 */
export function batchSelection(shown: readonly string[], checked: ReadonlySet<string>): { stems: string[]; hidden: number } {
  const stems = shown.filter((s) => checked.has(s));
  return { stems, hidden: checked.size - stems.length };
}

/**
 * Ctrl-click on `clicked`: toggle it. With nothing checked yet, the open
 * session counts as picked too, but only when the list shows it.
 */
export function ctrlToggle(checked: ReadonlySet<string>, clicked: string, open: string | null, shown: readonly string[]): Set<string> {
  const next = new Set(checked);
  if (next.size === 0 && open !== null && open !== clicked && shown.includes(open)) next.add(open);
  if (next.has(clicked)) next.delete(clicked);
  else next.add(clicked);
  return next;
}

/** The selection count above the list. */
export function checkedLabel(count: number, hidden: number): string {
  const base = count > 0 ? t("batch.selected", { n: count }) : t("batch.clickToSelect");
  return hidden > 0 ? t("batch.selectedHidden", { base, hidden }) : base;

}
