// The site-wide search's small decisions, kept pure for unit tests: which
// key press opens it, what a hit says, and which answer is still wanted.
import type { SearchHit } from "../ipc/api";
import { t, tn, type MessageKey } from "../i18n";

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * Whether a key press opens the site search: Ctrl+F (Cmd+F), unless focus
 * is in the body editor (CodeMirror keeps its own Ctrl+F there) or another
 * dialog is open.
 */
export function opensSearch(e: KeyLike, inBodyEditor: boolean, dialogOpen: boolean): boolean {
  if (inBodyEditor || dialogOpen) return false;
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "f";
}

const FIELD: Record<SearchHit["field"], MessageKey> = { title: "field.title", presenters: "field.presenters", body: "app.body" };

/** Where a hit is, for its row: `Body · line 12 · ZH`. */
export function hitPlace(h: SearchHit): string {
  const line = h.field === "body" ? ` · ${t("search.line", { n: h.line })}` : "";
  return `${t(FIELD[h.field])}${line} · ${h.lang.toUpperCase()}`;
}

/** The summary line under the search box. */
export function resultSummary(query: string, hits: number, total: number, files: number): string {
  if (query.trim() === "") return t("search.hint");
  if (total === 0) return t("search.none", { query: query.trim() });
  const shown = hits < total ? t("search.firstShown", { n: hits }) : "";
  return t("find.summary", { matches: tn("find.matches", total), files: tn("app.files", files) }) + shown;

}

/** Hands out tickets so that only the answer to the latest query is shown. */
export class Latest {
  private n = 0;
  next(): number {
    this.n += 1;
    return this.n;
  }
  isCurrent(ticket: number): boolean {
    return ticket === this.n;
  }
}
