// The small dialogs that start a batch operation: Set field…, Rename
// track…, Withdraw session…, Apply schedule… and Import from Sessionize….
// Each collects what the operation needs and hands it back; planning,
// confirming and applying happen in the plan dialog. Also the report views
// (a schedule's rows, an import's sessions) and the three-way view of an
// import's conflicts with a choice per file.
import {
  api,
  toAppError,
  type Column,
  type ConflictChoice,
  type Conflict,
  type ImportReport,
  type JournalEntry,
  type RowIssue,
  type ColumnNames,
  type ScheduleReport,
  type SiteSummary,
} from "../ipc/api";
import { clear, h } from "./dom";
import { fieldLabelMsg } from "./fieldLabels";
import { locale, msg, t, tn, type Msg } from "../i18n";

/** A modal form: resolves true on its main button, false on Cancel/Escape. */
class FormDialog {
  readonly element: HTMLDialogElement;
  protected readonly body = h("div", { class: "form-body" });
  protected readonly error = h("p", { class: "plan-error", role: "alert" });
  protected readonly ok: HTMLButtonElement;
  private answer: ((ok: boolean) => void) | null = null;

  constructor(id: string, title: Msg, okLabel: Msg) {
    this.ok = h("button", { type: "submit", class: "primary", id: `${id}-ok` }, okLabel);
    const cancel = h("button", { type: "button", id: `${id}-cancel` }, msg("common.cancel"));
    cancel.addEventListener("click", () => this.done(false));
    const form = h("form", { method: "dialog" }, this.body, this.error, h("div", { class: "dialog-actions" }, cancel, this.ok));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.valid()) this.done(true);
    });
    this.element = h("dialog", { class: "batch-dialog form-dialog", id, "aria-label": title }, h("h2", {}, title), form);
    this.element.addEventListener("cancel", (e) => {
      e.preventDefault();
      this.done(false);
    });
  }

  /** Whether the form can be submitted; sets `error` when not. */
  protected valid(): boolean {
    return true;
  }

  protected open(): Promise<boolean> {
    this.error.textContent = "";
    if (!this.element.open) this.element.showModal();
    return new Promise((resolve) => {
      this.answer = resolve;
    });
  }

  private done(ok: boolean): void {
    if (this.element.open) this.element.close();
    const answer = this.answer;
    this.answer = null;
    answer?.(ok);
  }
}

function labelled(text: Msg, control: HTMLElement, hint?: Msg): HTMLElement {
  return h("label", { class: "form-row" }, h("span", {}, text), control, hint ? h("small", {}, hint) : null);
}

function sample(stems: readonly string[], max = 8): string {
  const shown = stems.slice(0, max).join(", ");
  return stems.length > max ? t("forms.andMore", { shown, n: stems.length - max }) : shown;
}

/** What "Set field…" asks for. */
export interface SetFieldAnswer {
  key: string;
  /** `null` clears the field. */
  value: string | null;
}

const OTHER = "\u0000other";

/** "Set field…": one field, one value (or clear it) for every chosen session. */
export class SetFieldDialog extends FormDialog {
  private readonly who = h("p", { class: "form-note" });
  private readonly key = h("select", { name: "key", id: "set-field-key" });
  private readonly otherKey = h("input", { type: "text", name: "other-key", placeholder: msg("forms.frontMatterKey"), spellcheck: "false" });
  private readonly valueSlot = h("div", { class: "value-slot" });
  private readonly clearBox = h("input", { type: "checkbox", name: "clear", id: "set-field-clear" });
  private value: HTMLInputElement | HTMLSelectElement = h("input", { type: "text", name: "value" });
  private columns: Column[] = [];
  private site: SiteSummary | null = null;

  constructor() {
    super("set-field-dialog", msg("forms.setField.title"), msg("forms.review"));
    this.key.addEventListener("change", () => this.keyChanged());
    this.clearBox.addEventListener("change", () => {
      this.value.disabled = this.clearBox.checked;
    });
    this.body.append(
      this.who,
      labelled(msg("forms.field"), h("span", { class: "inline" }, this.key, this.otherKey)),
      labelled(msg("forms.value"), this.valueSlot, msg("forms.value.hint")),
      h("label", { class: "check" }, this.clearBox, " ", msg("forms.clearField")),
    );
  }

  /** Ask which field and value; null when cancelled. */
  async ask(stems: readonly string[], site: SiteSummary): Promise<SetFieldAnswer | null> {
    this.site = site;
    this.who.textContent = t("forms.who", { sessions: tn("forms.sessions", stems.length), sample: sample(stems) });
    this.columns = (await api.tableData([])).columns;
    const keep = this.key.value;
    this.key.replaceChildren(
      ...this.columns.map((c) => h("option", { value: c.key, title: c.key }, fieldLabelMsg(c.key))),
      h("option", { value: OTHER }, msg("forms.otherKey")),
    );
    if (keep && [...this.key.options].some((o) => o.value === keep)) this.key.value = keep;
    this.clearBox.checked = false;
    this.keyChanged();
    if (!(await this.open())) return null;
    const key = this.key.value === OTHER ? this.otherKey.value.trim() : this.key.value;
    return { key, value: this.clearBox.checked ? null : this.value.value };
  }

  protected override valid(): boolean {
    if (this.key.value === OTHER && this.otherKey.value.trim() === "") {
      this.error.textContent = t("forms.nameKey");
      return false;
    }
    return true;
  }

  private keyChanged(): void {
    const other = this.key.value === OTHER;
    this.otherKey.hidden = !other;
    const col = this.columns.find((c) => c.key === this.key.value);
    const choices = col?.key === "track" && this.site ? this.site.tracks.map((t) => t.slug) : (col?.choices ?? []);
    if (col && choices.length > 0) {
      this.value = h("select", { name: "value", id: "set-field-value" }, ...choices.map((c) => h("option", { value: c }, c)));
    } else {
      this.value = h("input", { type: "text", name: "value", id: "set-field-value", spellcheck: "false" });
      if (col?.kind === "datetime") this.value.setAttribute("placeholder", "YYYY-MM-DDTHH:MM:SS");
    }
    this.value.disabled = this.clearBox.checked;
    clear(this.valueSlot);
    this.valueSlot.append(this.value);
  }
}

/** "Rename track…": an existing slug and the new one. */
export class RenameTrackDialog extends FormDialog {
  private readonly old = h("select", { name: "old", id: "rename-old" });
  private readonly slug = h("input", { type: "text", name: "new", id: "rename-new", spellcheck: "false", placeholder: "new-slug" });

  constructor() {
    super("rename-dialog", msg("forms.rename.title"), msg("forms.review"));
    this.body.append(
      labelled(msg("field.track"), this.old),
      labelled(msg("forms.newSlug"), this.slug, msg("forms.newSlug.hint")),
    );
  }

  async ask(site: SiteSummary, current: string | null): Promise<{ old: string; new: string } | null> {
    this.old.replaceChildren(...site.tracks.map((t) => h("option", { value: t.slug }, `${t.titles[site.default_lang] ?? t.slug} (${t.slug})`)));
    if (current) this.old.value = current;
    this.slug.value = "";
    if (!(await this.open())) return null;
    return { old: this.old.value, new: this.slug.value.trim() };
  }

  protected override valid(): boolean {
    if (this.slug.value.trim() === "") {
      this.error.textContent = t("forms.giveSlug");
      return false;
    }
    return true;
  }
}

/** "Withdraw session…": which session (one at a time). */
export class WithdrawDialog extends FormDialog {
  private readonly stem = h("input", { type: "text", name: "stem", id: "withdraw-stem", spellcheck: "false" });

  constructor() {
    super("withdraw-dialog", msg("forms.withdraw.title"), msg("forms.review"));
    this.body.append(
      labelled(msg("forms.session"), this.stem, msg("forms.withdraw.hint")),
    );
  }

  async ask(stem: string | null): Promise<string | null> {
    this.stem.value = stem ?? "";
    if (!(await this.open())) return null;
    return this.stem.value.trim();
  }

  protected override valid(): boolean {
    if (this.stem.value.trim() === "") {
      this.error.textContent = t("forms.nameSession");
      return false;
    }
    return true;
  }
}

/** What the file dialogs ask for. */
export interface FileAnswer {
  path: string;
  columns: ColumnNames;
}

/** "Apply schedule…" and "Import from Sessionize…": a file, chosen or typed. */
export class FileDialog extends FormDialog {
  private readonly path = h("input", { type: "text", name: "path", spellcheck: "false", placeholder: msg("forms.pathPlaceholder") });
  private readonly columnsRow = h("fieldset", { class: "columns" });
  private readonly idCol = h("input", { type: "text", name: "id-column", placeholder: "Session Id" });
  private readonly dateCol = h("input", { type: "text", name: "date-column", placeholder: "Scheduled At" });
  private readonly roomCol = h("input", { type: "text", name: "room-column", placeholder: "Room" });

  constructor(private readonly kind: "schedule" | "sessionize") {
    super(`${kind}-dialog`, msg(kind === "schedule" ? "forms.schedule.title" : "forms.import.title"), msg("forms.review"));
    this.path.id = `${kind}-path`;
    const browse = h("button", { type: "button", id: `${kind}-browse` }, msg("forms.browse"));
    browse.addEventListener("click", () => void this.browse());
    this.body.append(
      labelled(
        msg(kind === "schedule" ? "forms.schedule.file" : "forms.import.file"),
        h("span", { class: "inline" }, this.path, browse),
        msg(kind === "schedule" ? "forms.schedule.hint" : "forms.import.hint"),
      ),
    );
    if (kind === "schedule") {
      this.columnsRow.append(
        h("legend", {}, msg("forms.columns")),
        labelled(msg("forms.col.id"), this.idCol),
        labelled(msg("forms.col.start"), this.dateCol),
        labelled(msg("field.room"), this.roomCol),
      );
      this.body.append(this.columnsRow);
    }
  }

  async ask(): Promise<FileAnswer | null> {
    if (!(await this.open())) return null;
    const v = (i: HTMLInputElement) => (i.value.trim() === "" ? null : i.value.trim());
    return { path: this.path.value.trim(), columns: { id: v(this.idCol), date: v(this.dateCol), room: v(this.roomCol) } };
  }

  protected override valid(): boolean {
    if (this.path.value.trim() === "") {
      this.error.textContent = t("forms.chooseFile");
      return false;
    }
    return true;
  }

  private async browse(): Promise<void> {
    try {
      const picked = await api.pickBatchFile(this.kind);
      if (picked) this.path.value = picked;
    } catch (e) {
      this.error.textContent = toAppError(e).message;
    }
  }
}

function issues(title: string, rows: readonly RowIssue[], cls: string): HTMLElement | null {
  if (rows.length === 0) return null;
  return h(
    "section",
    { class: `report-section ${cls}` },
    h("h3", {}, `${title} (${rows.length})`),
    h("ul", {}, ...rows.map((r) => h("li", {}, h("span", { class: "mono" }, `${t("report.row", { n: r.row })}${r.id ? ` (${r.id})` : ""}: `), r.message))),
  );
}

function names(title: string, list: readonly string[], cls: string): HTMLElement | null {
  if (list.length === 0) return null;
  return h("section", { class: `report-section ${cls}` }, h("h3", {}, `${title} (${list.length})`), h("p", { class: "mono" }, list.join(", ")));
}

/** A schedule's report: what matched, what did not. */
export function scheduleReport(r: ScheduleReport): HTMLElement {
  return h(
    "div",
    { class: "batch-report schedule-report" },
    h("p", {}, t("report.sheet", { sheet: r.sheet, rows: tn("report.rows", r.rows), sessions: tn("forms.sessions", r.scheduled.length) })),
    issues(t("report.unmatched"), r.unmatched_rows, "unmatched"),
    issues(t("report.notApplied"), r.errors, "errors"),
    names(t("report.leftOut"), r.unscheduled_sessions, "unscheduled"),
    issues(t("report.repeated"), r.duplicates, "duplicates"),
  );
}

/** An import's report. */
export function importReport(r: ImportReport): HTMLElement {
  const skipped = (title: string, list: ImportReport["skipped"], cls: string) =>
    list.length === 0
      ? null
      : h(
          "section",
          { class: `report-section ${cls}` },
          h("h3", {}, `${title} (${list.length})`),
          h("ul", {}, ...list.map((s) => h("li", {}, h("span", { class: "mono" }, `${s.id || t("report.noId")} `), `${s.title}: ${s.reason}`))),
        );
  return h(
    "div",
    { class: "batch-report import-report" },
    h("p", {}, t("report.accepted", { sessions: tn("report.acceptedSessions", r.accepted), created: r.created.length, updated: r.updated.length, unchanged: r.unchanged.length })),
    skipped(t("report.couldNotImport"), r.errors, "errors"),
    skipped(t("report.skipped"), r.skipped, "skipped"),
    r.warnings.length ? h("section", { class: "report-section warnings" }, h("h3", {}, t("problems.warnings")), h("ul", {}, ...r.warnings.map((w) => h("li", {}, w)))) : null,
  );
}

/**
 * The three-way view of an import's conflicts: per file, each field or the
 * body as it was imported last time, as it is now (hand-edited) and as
 * Sessionize has it now, and one choice for the file.
 */
export class ConflictChoices {
  readonly element = h("div", { class: "three-way" });
  private choices = new Map<string, ConflictChoice>();

  constructor(private readonly onReplan: (choices: Record<string, ConflictChoice>) => void) {}

  /** Choices so far, for `plan_import`. */
  current(): Record<string, ConflictChoice> {
    return Object.fromEntries(this.choices);
  }

  show(conflicts: readonly Conflict[]): void {
    clear(this.element);
    if (conflicts.length === 0) return;
    const byFile = new Map<string, Conflict[]>();
    for (const c of conflicts) byFile.set(c.path, [...(byFile.get(c.path) ?? []), c]);
    this.element.append(
      h("h3", {}, t("threeWay.title", { files: tn("app.files", byFile.size) })),
      h("p", { class: "form-note" }, t("threeWay.note")),
    );
    for (const [path, list] of byFile) {
      const current = this.choices.get(path) ?? "ask";
      const radios = (["ask", "keep_ours", "take_theirs"] as const).map((choice) => {
        const input = h("input", { type: "radio", name: `choice-${path}`, value: choice, "data-path": path });
        input.checked = choice === current;
        input.addEventListener("change", () => this.choices.set(path, choice));
        const label = t(({ ask: "threeWay.ask", keep_ours: "threeWay.keepOurs", take_theirs: "threeWay.takeTheirs" } as const)[choice]);
        return h("label", { class: "check" }, input, ` ${label}`);
      });
      this.element.append(
        h(
          "section",
          { class: "three-way-file", "data-path": path },
          h("h4", { class: "mono" }, path),
          ...list.map((c) =>
            h(
              "div",
              { class: "three-way-part" },
              h("div", { class: "part-name" }, c.field ? t("threeWay.field", { field: c.field }) : t("app.body")),
              h(
                "div",
                { class: "three-way-cols" },
                h("section", {}, h("h5", {}, t("threeWay.base")), h("pre", { class: "base" }, c.base ?? t("threeWay.noBase"))),
                h("section", {}, h("h5", {}, t("threeWay.ours")), h("pre", { class: "ours" }, c.ours)),
                h("section", {}, h("h5", {}, t("threeWay.theirs")), h("pre", { class: "theirs" }, c.theirs)),
              ),
            ),
          ),
          h("div", { class: "choices" }, ...radios),
        ),
      );
    }
    const again = h("button", { type: "button", id: "import-replan" }, t("threeWay.again"));
    again.addEventListener("click", () => this.onReplan(this.current()));
    this.element.append(again);
  }

  reset(): void {
    this.choices.clear();
    clear(this.element);
  }
}

/**
 * "Restore from Journal…": the batches applied to this site (newest first),
 * kept in its .lectern/trash journal until it is purged after an export. A
 * withdrawn session from an earlier run comes back from here.
 */
export class JournalDialog {
  readonly element: HTMLDialogElement;
  private readonly list = h("div", { class: "journal-list", id: "journal-list" });
  private answer: ((id: string | null) => void) | null = null;

  constructor() {
    const close = h("button", { type: "button", id: "journal-close" }, msg("common.close"));
    close.addEventListener("click", () => this.done(null));
    this.element = h(
      "dialog",
      { class: "batch-dialog form-dialog", id: "journal-dialog", "aria-label": msg("journal.title") },
      h("h2", {}, msg("journal.title")),
      h("p", { class: "form-note" }, msg("journal.note")),
      this.list,
      h("div", { class: "dialog-actions" }, close),
    );
    this.element.addEventListener("cancel", (e) => {
      e.preventDefault();
      this.done(null);
    });
  }

  /** Show the entries; resolves with the id to restore, or null. */
  choose(entries: readonly JournalEntry[]): Promise<string | null> {
    clear(this.list);
    if (entries.length === 0) this.list.append(h("p", { class: "empty" }, t("journal.empty")));
    for (const e of entries) {
      const restore = h("button", { type: "button", "data-id": e.id }, t(e.restored ? "journal.restored" : "journal.review"));
      restore.disabled = e.restored;
      restore.addEventListener("click", () => this.done(e.id));
      this.list.append(
        h(
          "div",
          { class: "journal-entry", "data-id": e.id },
          h("div", {}, h("strong", {}, e.title), h("div", { class: "form-note" }, new Date(e.created).toLocaleString(locale()), e.deleted.length ? ` · ${t("journal.removed", { ids: e.deleted.join(", ") })}` : "")),

          restore,
        ),
      );
    }
    if (!this.element.open) this.element.showModal();
    return new Promise((resolve) => {
      this.answer = resolve;
    });
  }

  private done(id: string | null): void {
    if (this.element.open) this.element.close();
    const answer = this.answer;
    this.answer = null;
    answer?.(id);
  }
}
