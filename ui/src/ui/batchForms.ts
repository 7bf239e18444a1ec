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
  type TrashEntry,
  type RowIssue,
  type ColumnNames,
  type ScheduleReport,
  type SiteSummary,
} from "../ipc/api";
import { clear, h } from "./dom";
import { fieldLabel } from "./fieldLabels";

/** A modal form: resolves true on its main button, false on Cancel/Escape. */
class FormDialog {
  readonly element: HTMLDialogElement;
  protected readonly body = h("div", { class: "form-body" });
  protected readonly error = h("p", { class: "plan-error", role: "alert" });
  protected readonly ok: HTMLButtonElement;
  private answer: ((ok: boolean) => void) | null = null;

  constructor(id: string, title: string, okLabel: string) {
    this.ok = h("button", { type: "submit", class: "primary", id: `${id}-ok` }, okLabel);
    const cancel = h("button", { type: "button", id: `${id}-cancel` }, "Cancel");
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

function labelled(text: string, control: HTMLElement, hint?: string): HTMLElement {
  return h("label", { class: "form-row" }, h("span", {}, text), control, hint ? h("small", {}, hint) : null);
}

function sample(stems: readonly string[], max = 8): string {
  const shown = stems.slice(0, max).join(", ");
  return stems.length > max ? `${shown} and ${stems.length - max} more` : shown;
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
  private readonly otherKey = h("input", { type: "text", name: "other-key", placeholder: "front-matter key", spellcheck: "false" });
  private readonly valueSlot = h("div", { class: "value-slot" });
  private readonly clearBox = h("input", { type: "checkbox", name: "clear", id: "set-field-clear" });
  private value: HTMLInputElement | HTMLSelectElement = h("input", { type: "text", name: "value" });
  private columns: Column[] = [];
  private site: SiteSummary | null = null;

  constructor() {
    super("set-field-dialog", "Set a field", "Review changes…");
    this.key.addEventListener("change", () => this.keyChanged());
    this.clearBox.addEventListener("change", () => {
      this.value.disabled = this.clearBox.checked;
    });
    this.body.append(
      this.who,
      labelled("Field", h("span", { class: "inline" }, this.key, this.otherKey)),
      labelled("Value", this.valueSlot, "Rooms and session types may be given in any language: each twin gets its own. Title and presenters change in the default-language file only."),
      h("label", { class: "check" }, this.clearBox, " Clear the field (remove it from the files)"),
    );
  }

  /** Ask which field and value; null when cancelled. */
  async ask(stems: readonly string[], site: SiteSummary): Promise<SetFieldAnswer | null> {
    this.site = site;
    this.who.textContent = `${stems.length} session${stems.length === 1 ? "" : "s"}: ${sample(stems)}`;
    this.columns = (await api.tableData([])).columns;
    const keep = this.key.value;
    this.key.replaceChildren(
      ...this.columns.map((c) => h("option", { value: c.key, title: c.key }, fieldLabel(c.key))),
      h("option", { value: OTHER }, "Other key…"),
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
      this.error.textContent = "Name the key to set.";
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
    super("rename-dialog", "Rename a track", "Review changes…");
    this.body.append(
      labelled("Track", this.old),
      labelled("New slug", this.slug, "Session files named for the track move to the new name, their `track` field changes, and the track's pages move too."),
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
      this.error.textContent = "Give the new slug.";
      return false;
    }
    return true;
  }
}

/** "Withdraw session…": which session (one at a time). */
export class WithdrawDialog extends FormDialog {
  private readonly stem = h("input", { type: "text", name: "stem", id: "withdraw-stem", spellcheck: "false" });

  constructor() {
    super("withdraw-dialog", "Withdraw a session", "Review changes…");
    this.body.append(
      labelled("Session", this.stem, "Its files in every language are removed. They stay in the site's .lectern/trash journal, so Undo last batch or `lectern restore` brings them back until the journal is purged after an export."),
    );
  }

  async ask(stem: string | null): Promise<string | null> {
    this.stem.value = stem ?? "";
    if (!(await this.open())) return null;
    return this.stem.value.trim();
  }

  protected override valid(): boolean {
    if (this.stem.value.trim() === "") {
      this.error.textContent = "Name the session (its stem, like db-101, or its id).";
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
  private readonly path = h("input", { type: "text", name: "path", spellcheck: "false", placeholder: "/path/to/file" });
  private readonly columnsRow = h("fieldset", { class: "columns" });
  private readonly idCol = h("input", { type: "text", name: "id-column", placeholder: "Session Id" });
  private readonly dateCol = h("input", { type: "text", name: "date-column", placeholder: "Scheduled At" });
  private readonly roomCol = h("input", { type: "text", name: "room-column", placeholder: "Room" });

  constructor(private readonly kind: "schedule" | "sessionize") {
    super(`${kind}-dialog`, kind === "schedule" ? "Apply a schedule" : "Import from Sessionize", "Review changes…");
    this.path.id = `${kind}-path`;
    const browse = h("button", { type: "button", id: `${kind}-browse` }, "Browse…");
    browse.addEventListener("click", () => void this.browse());
    this.body.append(
      labelled(
        kind === "schedule" ? "Schedule (CSV, XLSX, XLS, ODS)" : "Sessionize export (JSON, CSV, XLSX)",
        h("span", { class: "inline" }, this.path, browse),
        kind === "schedule"
          ? "Rows give a session id, a start time and a room; every twin gets the date and the room in its own language."
          : "Accepted sessions become new session files with their twins; sessions imported before are updated, and hand edits are never overwritten without asking.",
      ),
    );
    if (kind === "schedule") {
      this.columnsRow.append(
        h("legend", {}, "Column names (empty: Sessionize's)"),
        labelled("Session id", this.idCol),
        labelled("Start time", this.dateCol),
        labelled("Room", this.roomCol),
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
      this.error.textContent = "Choose a file with Browse… or type its path.";
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
    h("ul", {}, ...rows.map((r) => h("li", {}, h("span", { class: "mono" }, `row ${r.row}${r.id ? ` (${r.id})` : ""}: `), r.message))),
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
    h("p", {}, `Sheet "${r.sheet}": ${r.rows} row${r.rows === 1 ? "" : "s"}, ${r.scheduled.length} session${r.scheduled.length === 1 ? "" : "s"} scheduled.`),
    issues("Rows matching no session", r.unmatched_rows, "unmatched"),
    issues("Rows not applied", r.errors, "errors"),
    names("Sessions the schedule leaves out", r.unscheduled_sessions, "unscheduled"),
    issues("Repeated rows", r.duplicates, "duplicates"),
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
          h("ul", {}, ...list.map((s) => h("li", {}, h("span", { class: "mono" }, `${s.id || "(no id)"} `), `${s.title}: ${s.reason}`))),
        );
  return h(
    "div",
    { class: "batch-report import-report" },
    h("p", {}, `${r.accepted} accepted session${r.accepted === 1 ? "" : "s"}: ${r.created.length} new, ${r.updated.length} updated, ${r.unchanged.length} unchanged.`),
    skipped("Could not be imported", r.errors, "errors"),
    skipped("Left out", r.skipped, "skipped"),
    r.warnings.length ? h("section", { class: "report-section warnings" }, h("h3", {}, "Warnings"), h("ul", {}, ...r.warnings.map((w) => h("li", {}, w)))) : null,
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
      h("h3", {}, `Edited by hand and changed in Sessionize (${byFile.size} file${byFile.size === 1 ? "" : "s"})`),
      h("p", { class: "form-note" }, "These parts are left as they are unless you choose otherwise. Choose per file, then plan again."),
    );
    for (const [path, list] of byFile) {
      const current = this.choices.get(path) ?? "ask";
      const radios = (["ask", "keep_ours", "take_theirs"] as const).map((choice) => {
        const input = h("input", { type: "radio", name: `choice-${path}`, value: choice, "data-path": path });
        input.checked = choice === current;
        input.addEventListener("change", () => this.choices.set(path, choice));
        const label = { ask: "Decide later (leave it)", keep_ours: "Keep mine", take_theirs: "Take Sessionize's" }[choice];
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
              h("div", { class: "part-name" }, c.field ? `Field ${c.field}` : "Body"),
              h(
                "div",
                { class: "three-way-cols" },
                h("section", {}, h("h5", {}, "Last import"), h("pre", { class: "base" }, c.base ?? "(no earlier import)")),
                h("section", {}, h("h5", {}, "Yours (on disk)"), h("pre", { class: "ours" }, c.ours)),
                h("section", {}, h("h5", {}, "Sessionize now"), h("pre", { class: "theirs" }, c.theirs)),
              ),
            ),
          ),
          h("div", { class: "choices" }, ...radios),
        ),
      );
    }
    const again = h("button", { type: "button", id: "import-replan" }, "Plan again with these choices");
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
    const close = h("button", { type: "button", id: "journal-close" }, "Close");
    close.addEventListener("click", () => this.done(null));
    this.element = h(
      "dialog",
      { class: "batch-dialog form-dialog", id: "journal-dialog", "aria-label": "Restore from the journal" },
      h("h2", {}, "Restore from the journal"),
      h("p", { class: "form-note" }, "Batches applied to this site. Restoring one puts its files back as they were before it, if they have not been edited since."),
      this.list,
      h("div", { class: "dialog-actions" }, close),
    );
    this.element.addEventListener("cancel", (e) => {
      e.preventDefault();
      this.done(null);
    });
  }

  /** Show the entries; resolves with the id to restore, or null. */
  choose(entries: readonly TrashEntry[]): Promise<string | null> {
    clear(this.list);
    if (entries.length === 0) this.list.append(h("p", { class: "empty" }, "The journal is empty."));
    for (const e of entries) {
      const restore = h("button", { type: "button", "data-id": e.id }, e.restored ? "Restored" : "Review restore…");
      restore.disabled = e.restored;
      restore.addEventListener("click", () => this.done(e.id));
      this.list.append(
        h(
          "div",
          { class: "journal-entry", "data-id": e.id },
          h("div", {}, h("strong", {}, e.title), h("div", { class: "form-note" }, new Date(e.created).toLocaleString(), e.deleted.length ? ` · removed ${e.deleted.join(", ")}` : "")),
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
