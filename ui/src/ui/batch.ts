// Batch operations in the window: the toolbar's batch buttons and menu, the
// session list's selection bar, and the flow every operation follows:
// ask (a small dialog or the table) → plan (the core, nothing written) →
// review in the plan dialog → confirm (applied as one step) → the window
// reloads what changed. "Undo last batch" undoes the last one as one step.
import {
  api,
  AppError,
  toAppError,
  type BatchDone,
  type ConflictChoice,
  type PlanDto,
  type SiteSummary,
} from "../ipc/api";
import {
  ConflictChoices,
  FileDialog,
  importReport,
  JournalDialog,
  RenameTrackDialog,
  scheduleReport,
  SetFieldDialog,
  WithdrawDialog,
} from "./batchForms";
import { checkedLabel, selectionFor } from "./batchLogic";
import { FindReplaceDialog } from "./findReplace";
import { h } from "./dom";
import { PlanDialog, type PlanOptions } from "./planDialog";
import { TableView } from "./tableView";
import { msg, t, tn, type Msg } from "../i18n";

/** The batch operations, as menu actions and toolbar entries name them. */
export type BatchAction =
  | "set_field"
  | "table_view"
  | "find_replace"
  | "rename_track"
  | "withdraw"
  | "apply_schedule"
  | "import_sessionize"
  | "undo_batch"
  | "restore_journal"
  | "select_all_shown";

/** What the batch operations need from the window. */
export interface BatchHost {
  site(): SiteSummary | null;
  /** Stems checked in the list. */
  checked(): string[];
  /** Stems the list's filter shows. */
  shown(): string[];
  /** Check every shown session (or none). */
  checkAllShown(on: boolean): void;
  /** The open session's stem and track, if any. */
  open(): { stem: string; track: string | null } | null;
  /** Hand pending editor input to the core, so unsaved edits are known. */
  flush(): Promise<void>;
  saveAll(): Promise<boolean>;
  /** A plan was applied or undone: reload the list, editor and problems. */
  changed(done: BatchDone): Promise<void>;
  info(message: string): void;
  error(e: AppError): void;
}

export class BatchTools {
  /** Dialogs, to mount once in the window. */
  readonly dialogs: HTMLElement;
  /** Toolbar entries. */
  readonly toolbar: HTMLElement;
  /** The selection bar under the session list. */
  readonly listBar: HTMLElement;
  private readonly plans: PlanDialog;
  private readonly setField = new SetFieldDialog();
  private readonly table = new TableView();
  private readonly find = new FindReplaceDialog();
  private readonly rename = new RenameTrackDialog();
  private readonly withdrawDialog = new WithdrawDialog();
  private readonly scheduleDialog = new FileDialog("schedule");
  private readonly importDialog = new FileDialog("sessionize");
  private readonly journal = new JournalDialog();
  private readonly undoButton: HTMLButtonElement;
  private readonly count = h("span", { class: "checked-count", id: "checked-count" });
  private busy = false;
  private undoTitle: string | null = null;
  private lastChecked: { stems: readonly string[]; hidden: number } = { stems: [], hidden: 0 };

  constructor(private readonly host: BatchHost) {
    this.plans = new PlanDialog({ saveAll: () => host.saveAll() });
    const button = (id: string, text: Msg, title: Msg, action: BatchAction) => {
      const b = h("button", { type: "button", id, title }, text);
      b.addEventListener("click", () => void this.run(action));
      return b;
    };
    this.undoButton = button("undo-batch", msg("batch.undo"), msg("batch.undo.none"), "undo_batch");
    this.undoButton.disabled = true;
    const more = h("details", { class: "batch-menu", id: "batch-menu" });
    const item = (id: string, text: Msg, action: BatchAction) => {
      const b = h("button", { type: "button", id, role: "menuitem" }, text);
      b.addEventListener("click", () => {
        more.open = false;
        void this.run(action);
      });
      return b;
    };
    more.append(
      h("summary", { title: msg("batch.menu.title") }, msg("batch.menu")),
      h(
        "div",
        { class: "batch-menu-items", role: "menu" },
        item("batch-find", msg("batch.findReplace"), "find_replace"),
        item("batch-rename-track", msg("batch.renameTrack"), "rename_track"),
        item("batch-withdraw", msg("batch.withdraw"), "withdraw"),
        item("batch-schedule", msg("batch.applySchedule"), "apply_schedule"),
        item("batch-import", msg("batch.import"), "import_sessionize"),
        item("batch-restore", msg("batch.restore"), "restore_journal"),
      ),
    );
    this.toolbar = h("span", { class: "batch-tools" }, more, this.undoButton);
    this.listBar = h(
      "div",
      { class: "selection-bar", id: "selection-bar" },
      this.count,
      button("select-all-shown", msg("batch.allShown"), msg("batch.allShown.title"), "select_all_shown"),
      button("batch-set-field", msg("batch.setField"), msg("batch.setField.title"), "set_field"),
      button("batch-table", msg("batch.table"), msg("batch.table.title"), "table_view"),
    );
    this.dialogs = h(
      "div",
      { class: "batch-dialogs" },
      this.plans.element,
      this.setField.element,
      this.table.element,
      this.find.element,
      this.rename.element,
      this.withdrawDialog.element,
      this.scheduleDialog.element,
      this.importDialog.element,
      this.journal.element,
    );
    this.checkedChanged([]);
  }

  /** The list's checked sessions changed. */
  checkedChanged(stems: readonly string[], hidden = 0): void {
    this.lastChecked = { stems, hidden };
    this.count.textContent = checkedLabel(stems.length, hidden);
    this.count.dataset["count"] = String(stems.length);
    this.count.dataset["hidden"] = String(hidden);
  }

  /** Ask the shell whether there is a batch to undo (after a site opens). */
  async refreshUndo(): Promise<void> {
    try {
      this.setUndo((await api.batchStatus()).undo);
    } catch {
      this.setUndo(null);
    }
  }

  private setUndo(title: string | null): void {
    this.undoTitle = title;
    this.undoButton.disabled = title === null;
    this.undoButton.title = title ? t("batch.undo.title", { title }) : t("batch.undo.none");
  }

  /** The language changed: the texts built from state. */
  relocalize(): void {
    this.setUndo(this.undoTitle);
    this.checkedChanged(this.lastChecked.stems, this.lastChecked.hidden);
  }

  /** Run a batch action (toolbar, list bar or menu). */
  async run(action: BatchAction): Promise<void> {
    const site = this.host.site();
    if (!site) {
      this.host.error(new AppError("no_site", t("app.noSite")));
      return;
    }
    if (this.busy) return;
    this.busy = true;
    await this.host.flush();
    try {
      switch (action) {
        case "select_all_shown":
          this.host.checkAllShown(true);
          break;
        case "set_field":
          await this.doSetField(site);
          break;
        case "table_view":
          await this.doTable(site);
          break;
        case "find_replace":
          await this.doFind();
          break;
        case "rename_track":
          await this.doRename(site);
          break;
        case "withdraw":
          await this.doWithdraw();
          break;
        case "apply_schedule":
          await this.doSchedule();
          break;
        case "import_sessionize":
          await this.doImport();
          break;
        case "undo_batch":
          await this.doUndo();
          break;
        case "restore_journal":
          await this.doRestore();
          break;
      }
    } catch (e) {
      this.host.error(toAppError(e));
    } finally {
      this.busy = false;
    }
  }

  private selection(): string[] {
    return selectionFor(this.host.checked(), this.host.open()?.stem ?? null);
  }

  /** Show a plan; apply it when confirmed, then let the window reload. */
  private async review(plan: PlanDto, options: PlanOptions = {}): Promise<void> {
    const done = await this.plans.show(plan, options);
    if (!done) {
      this.host.info(t("batch.cancelled"));
      return;
    }
    this.setUndo(done.undo);
    await this.host.changed(done);
    this.host.info(t("batch.written", { title: done.title, files: tn("app.files", done.touched.length) }));
  }

  private async doSetField(site: SiteSummary): Promise<void> {
    const stems = this.selection();
    if (stems.length === 0) throw new AppError("invalid", t("batch.selectFirst"));
    const answer = await this.setField.ask(stems, site);
    if (!answer) return;
    const plan = () => api.planSetField(stems, answer.key, answer.value);
    await this.review(await plan(), { replan: plan });
  }

  private async doTable(site: SiteSummary): Promise<void> {
    const checked = this.host.checked();
    const stems = checked.length > 0 ? checked : this.host.shown();
    if (stems.length === 0) throw new AppError("invalid", t("batch.noneShown"));
    const edits = await this.table.edit(stems, site);
    if (!edits) return;
    const plan = () => api.planCells(edits);
    await this.review(await plan(), { replan: plan });
  }

  private async doFind(): Promise<void> {
    const request = await this.find.open();
    if (!request) return;
    const plan = () => api.planReplace(request.query, request.ids, request.replacement);
    await this.review(await plan(), { replan: plan });
  }

  private async doRename(site: SiteSummary): Promise<void> {
    const answer = await this.rename.ask(site, this.host.open()?.track ?? null);
    if (!answer) return;
    const plan = () => api.planRenameTrack(answer.old, answer.new);
    await this.review(await plan(), { replan: plan });
  }

  private async doWithdraw(): Promise<void> {
    const checked = this.host.checked();
    if (checked.length > 1) throw new AppError("invalid", t("batch.withdrawOne"));
    const stem = await this.withdrawDialog.ask(checked[0] ?? this.host.open()?.stem ?? null);
    if (!stem) return;
    const plan = () => api.planWithdraw(stem);
    await this.review(await plan(), { replan: plan });
  }

  private async doSchedule(): Promise<void> {
    const answer = await this.scheduleDialog.ask();
    if (!answer) return;
    const report = h("div", { class: "report-slot" });
    const plan = async () => {
      const r = await api.planSchedule(answer.path, answer.columns);
      report.replaceChildren(scheduleReport(r.report));
      return r.plan;
    };
    await this.review(await plan(), { extra: report, replan: plan });
  }

  private async doImport(): Promise<void> {
    const answer = await this.importDialog.ask();
    if (!answer) return;
    const slot = h("div", { class: "report-slot" });
    const reportBox = h("div");
    let choices: Record<string, ConflictChoice> = {};
    const conflicts = new ConflictChoices((c) => {
      choices = c;
      void plan()
        .then((p) => this.plans.update(p))
        .catch((e) => this.host.error(toAppError(e)));
    });
    slot.append(reportBox, conflicts.element);
    const plan = async () => {
      const r = await api.planImport(answer.path, choices);
      reportBox.replaceChildren(importReport(r.report));
      conflicts.show(r.plan.conflicts);
      return r.plan;
    };
    await this.review(await plan(), { extra: slot, replan: plan });
  }

  private async doRestore(): Promise<void> {
    const id = await this.journal.choose(await api.journalEntries());
    if (!id) return;
    await this.review(await api.planRestore(id));
  }

  private async doUndo(): Promise<void> {
    let done: BatchDone;
    try {
      done = await api.undoBatch();
    } catch (e) {
      const err = toAppError(e);
      // The file no longer holds what the batch wrote: it was edited and
      // saved since (here or elsewhere). Undoing would throw that away.
      if (err.kind === "conflict") {
        throw new AppError(
          "conflict",
          t("batch.undoConflict", { file: err.message.split(":")[0] ?? "" }),
        );
      }
      throw err;
    }
    this.setUndo(done.undo);
    await this.host.changed(done);
    this.host.info(t("batch.putBack", { title: done.title, files: tn("app.files", done.touched.length) }));

  }
}
