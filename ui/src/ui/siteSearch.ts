// Search the site (Ctrl+F): titles, presenters and body text of every
// session file in every language, matched in the core (`search_site`).
// Each match is a row with a snippet; clicking it (or Enter) opens that
// session, with the cursor at the match for a body match.
import type { SearchHit, SearchResults } from "../ipc/api";
import { debounce, h } from "./dom";
import { hitPlace, Latest, resultSummary } from "./siteSearchModel";
import { msg } from "../i18n";

export interface SiteSearchActions {
  search: (query: string) => Promise<SearchResults>;
  open: (hit: SearchHit) => void;
  error: (e: unknown) => void;
}

export class SiteSearch {
  readonly element: HTMLDialogElement;
  private readonly input: HTMLInputElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;
  private readonly latest = new Latest();
  private hits: SearchHit[] = [];
  private readonly run = debounce(() => void this.query(), 150);

  constructor(private readonly actions: SiteSearchActions) {
    this.input = h("input", {
      type: "search",
      id: "site-search-input",
      placeholder: msg("search.placeholder"),
      "aria-label": msg("search.title"),
      autocomplete: "off",
      spellcheck: "false",
    });
    this.summary = h("p", { class: "search-summary", role: "status" });
    this.list = h("ul", { class: "search-hits", role: "listbox", "aria-label": msg("search.matches") });
    const close = h("button", { type: "button", class: "search-close", title: msg("search.close.title") }, msg("common.close"));
    close.addEventListener("click", () => this.close());
    this.element = h(
      "dialog",
      { class: "site-search", id: "site-search", "aria-label": msg("search.title") },

      h("div", { class: "search-bar" }, this.input, close),
      this.summary,
      this.list,
    );
    this.input.addEventListener("input", () => this.run.call());
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.run.flush();
        const first = this.hits[0];
        if (first) this.choose(first);
      } else if (e.key === "ArrowDown") {
        e.preventDefault();
        (this.list.querySelector(".search-hit") as HTMLElement | null)?.focus();
      }
    });
    this.list.addEventListener("keydown", (e) => {
      const cur = document.activeElement;
      if (!(cur instanceof HTMLElement) || !cur.classList.contains("search-hit")) return;
      if (e.key === "ArrowDown") (cur.nextElementSibling as HTMLElement | null)?.focus();
      else if (e.key === "ArrowUp") ((cur.previousElementSibling as HTMLElement | null) ?? this.input).focus();
      else return;
      e.preventDefault();
    });
    this.summary.textContent = resultSummary("", 0, 0, 0);
  }

  get visible(): boolean {
    return this.element.open;
  }

  /** Open the search with the last query selected, so typing replaces it. */
  open(): void {
    if (!this.element.open) this.element.showModal();
    this.input.focus();
    this.input.select();
    if (this.input.value.trim() !== "") this.run.call();
  }

  close(): void {
    this.run.cancel();
    if (this.element.open) this.element.close();
  }

  private async query(): Promise<void> {
    const q = this.input.value;
    const ticket = this.latest.next();
    if (q.trim() === "") {
      this.render(q, { hits: [], total: 0, files: 0 });
      return;
    }
    try {
      const r = await this.actions.search(q);
      if (this.latest.isCurrent(ticket)) this.render(q, r);
    } catch (e) {
      if (this.latest.isCurrent(ticket)) this.actions.error(e);
    }
  }

  private render(q: string, r: SearchResults): void {
    this.hits = r.hits;
    this.summary.textContent = resultSummary(q, r.hits.length, r.total, r.files);
    this.element.dataset["total"] = String(r.total);
    this.list.replaceChildren(
      ...r.hits.map((hit) => {
        const row = h(
          "li",
          {
            class: "search-hit",
            role: "option",
            tabindex: 0,
            "data-id": hit.id,
            "data-field": hit.field,
            "data-line": hit.line,
          },
          h("span", { class: "hit-title" }, hit.title),
          h("span", { class: "hit-place" }, hitPlace(hit)),
          h("span", { class: "hit-snippet" }, hit.before, h("mark", {}, hit.matched), hit.after),
        );
        row.addEventListener("click", () => this.choose(hit));
        row.addEventListener("keydown", (e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            this.choose(hit);
          }
        });
        return row;
      }),
    );
  }

  private choose(hit: SearchHit): void {
    this.close();
    this.actions.open(hit);
  }
}
