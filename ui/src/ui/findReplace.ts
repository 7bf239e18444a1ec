// Find and replace across the site: plain text or a regular expression, in
// front-matter values, bodies or both. Every match is listed with its
// context and a checkbox, so each one can be kept or left out; the kept
// ones become a plan (with diffs) for the plan dialog.
import { api, toAppError, type MatchDto, type Query, type Scope } from "../ipc/api";
import { clear, h } from "./dom";
import { msg, t, tn } from "../i18n";

/** Matches listed at most; a search finding more asks for a narrower one. */
const MAX_LISTED = 2000;

/** What "Review changes…" hands back. */
export interface ReplaceRequest {
  query: Query;
  ids: string[];
  replacement: string;
}

export class FindReplaceDialog {
  readonly element: HTMLDialogElement;
  private readonly pattern = h("input", { type: "text", id: "find-pattern", name: "pattern", spellcheck: "false", placeholder: msg("find.find") });
  private readonly replacement = h("input", { type: "text", id: "find-replacement", name: "replacement", spellcheck: "false", placeholder: msg("find.replaceWith") });
  private readonly regex = h("input", { type: "checkbox", id: "find-regex" });
  private readonly ignoreCase = h("input", { type: "checkbox", id: "find-ignore-case" });
  private readonly scope = h(
    "select",
    { id: "find-scope" },
    h("option", { value: "both" }, msg("find.both")),
    h("option", { value: "fields" }, msg("find.fields")),
    h("option", { value: "body" }, msg("find.bodies")),
  );
  private readonly summary = h("p", { class: "form-note", id: "find-summary" });
  private readonly list = h("div", { class: "match-list", id: "find-matches" });
  private readonly error = h("p", { class: "plan-error", role: "alert" });
  private readonly review: HTMLButtonElement;
  private matches: MatchDto[] = [];
  private kept = new Set<string>();
  private searched: Query | null = null;
  private answer: ((r: ReplaceRequest | null) => void) | null = null;

  constructor() {
    const find = h("button", { type: "submit", id: "find-run" }, msg("find.find"));
    const all = h("button", { type: "button", id: "find-all" }, msg("find.includeAll"));
    const none = h("button", { type: "button", id: "find-none" }, msg("find.excludeAll"));
    this.review = h("button", { type: "button", class: "primary", id: "find-review" }, t("forms.review"));
    const cancel = h("button", { type: "button", id: "find-cancel" }, msg("common.cancel"));
    const form = h(
      "form",
      { class: "find-form" },
      this.pattern,
      this.replacement,
      h("label", { class: "check" }, this.regex, " ", msg("find.regex")),
      h("label", { class: "check" }, this.ignoreCase, " ", msg("find.ignoreCase")),
      this.scope,
      find,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.search();
    });
    all.addEventListener("click", () => this.keepAll(true));
    none.addEventListener("click", () => this.keepAll(false));
    this.review.addEventListener("click", () => this.finish(true));
    cancel.addEventListener("click", () => this.finish(false));
    this.element = h(
      "dialog",
      { class: "batch-dialog find-dialog", id: "find-dialog", "aria-label": msg("find.title") },
      h("h2", {}, msg("find.title")),
      form,
      h("div", { class: "find-tools" }, this.summary, all, none),
      this.list,
      this.error,
      h("div", { class: "dialog-actions" }, cancel, this.review),
    );
    this.element.addEventListener("cancel", (e) => {
      e.preventDefault();
      this.finish(false);
    });
  }

  /** Open the dialog (keeping the last search); resolves with what to replace, or null. */
  open(): Promise<ReplaceRequest | null> {
    this.error.textContent = "";
    this.updateReview();
    if (!this.element.open) this.element.showModal();
    this.pattern.focus();
    return new Promise((resolve) => {
      this.answer = resolve;
    });
  }

  private query(): Query {
    return { pattern: this.pattern.value, regex: this.regex.checked, scope: this.scope.value as Scope, ignore_case: this.ignoreCase.checked };
  }

  private async search(): Promise<void> {
    const query = this.query();
    this.error.textContent = "";
    try {
      this.matches = await api.findMatches(query);
      this.searched = query;
      this.kept = new Set(this.matches.map((m) => m.id));
      this.render();
    } catch (e) {
      this.matches = [];
      this.searched = null;
      this.render();
      this.error.textContent = toAppError(e).message;
    }
  }

  private render(): void {
    clear(this.list);
    const n = this.matches.length;
    const files = new Set(this.matches.map((m) => m.file)).size;
    this.summary.textContent = this.searched ? t("find.summary", { matches: tn("find.matches", n), files: tn("app.files", files) }) : "";
    if (n > MAX_LISTED) {
      this.list.append(h("p", { class: "empty" }, t("find.tooMany", { max: MAX_LISTED })));
      this.kept.clear();
    } else {
      for (const m of this.matches) this.list.append(this.row(m));
    }
    this.updateReview();
  }

  private row(m: MatchDto): HTMLElement {
    const box = h("input", { type: "checkbox", "data-id": m.id, "aria-label": t("find.include", { where: `${m.file}:${m.line}` }) });
    box.checked = this.kept.has(m.id);
    box.addEventListener("change", () => {
      if (box.checked) this.kept.add(m.id);
      else this.kept.delete(m.id);
      this.updateReview();
    });
    return h(
      "label",
      { class: "match", "data-id": m.id },
      box,
      h("span", { class: "mono where" }, `${m.file}:${m.line}`, m.field ? ` ${m.field}` : ` ${t("find.body")}`),
      h("span", { class: "context" }, m.before, h("mark", {}, m.matched), m.after),
    );
  }

  private keepAll(on: boolean): void {
    this.kept = new Set(on && this.matches.length <= MAX_LISTED ? this.matches.map((m) => m.id) : []);
    for (const box of this.list.querySelectorAll<HTMLInputElement>("input[type=checkbox]")) box.checked = on;
    this.updateReview();
  }

  private updateReview(): void {
    const n = this.kept.size;
    this.review.disabled = n === 0 || this.searched === null;
    this.review.textContent = n > 0 ? t("find.reviewN", { n }) : t("forms.review");

  }

  private finish(review: boolean): void {
    let request: ReplaceRequest | null = null;
    if (review) {
      const q = this.searched;
      if (!q) return;
      // The ids belong to the search that found them, whatever the inputs say now.
      request = { query: q, ids: this.matches.map((m) => m.id).filter((id) => this.kept.has(id)), replacement: this.replacement.value };
    }
    if (this.element.open) this.element.close();
    const answer = this.answer;
    this.answer = null;
    answer?.(request);
  }
}
