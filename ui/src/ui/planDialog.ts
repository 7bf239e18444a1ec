// The plan dialog: what a batch operation will do, before it does it. Every
// file it creates, changes, moves or deletes, each with its unified diff;
// what could not be planned; remarks. Confirm applies the plan (the shell
// holds it, the dialog only names it by token); Cancel or Escape writes
// nothing. A plan that touches files with unsaved edits cannot be applied:
// the dialog says which and offers to save them all and plan again.
import { api, toAppError, type AppError, type BatchDone, type PlanDto, type PlanFile } from "../ipc/api";
import { diffLineClass, planCounts } from "./batchLogic";
import { clear, h } from "./dom";
import { msg, t, tn, type MessageKey } from "../i18n";

/** Diffs of the first files are shown open; the rest render when opened. */
const OPEN_DIFFS = 12;

/** What the dialog needs from the window. */
export interface PlanHost {
  /** Save every modified file; false when some could not be saved. */
  saveAll(): Promise<boolean>;
}

/** How a plan is shown: extra sections (reports, conflicts) and how to plan again. */
export interface PlanOptions {
  /** Shown above the file list (a schedule's report, an import's conflicts). */
  extra?: HTMLElement | null;
  /** Compute the plan again (after Save All, or new choices). */
  replan?: () => Promise<PlanDto>;
}

export class PlanDialog {
  readonly element: HTMLDialogElement;
  private readonly heading = h("h2", { class: "plan-title" });
  private readonly counts = h("p", { class: "plan-counts" });
  private readonly unsaved = h("div", { class: "plan-unsaved", role: "alert" });
  private readonly messages = h("div", { class: "plan-messages" });
  private readonly extra = h("div", { class: "plan-extra" });
  private readonly files = h("div", { class: "plan-files" });
  private readonly failure = h("p", { class: "plan-error", role: "alert" });
  private readonly confirm: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private plan: PlanDto | null = null;
  private options: PlanOptions = {};
  private finish: ((done: BatchDone | null) => void) | null = null;
  private busy = false;

  constructor(private readonly host: PlanHost) {
    this.confirm = h("button", { type: "button", class: "primary plan-confirm", id: "plan-confirm" }, t("plan.confirm"));
    this.cancel = h("button", { type: "button", class: "plan-cancel", id: "plan-cancel" }, msg("common.cancel"));
    this.confirm.addEventListener("click", () => void this.apply());
    this.cancel.addEventListener("click", () => this.close(null));
    this.element = h(
      "dialog",
      { class: "plan-dialog batch-dialog", id: "plan-dialog", "aria-label": msg("plan.title") },
      this.heading,
      this.counts,
      this.unsaved,
      this.messages,
      this.extra,
      this.files,
      this.failure,
      h("div", { class: "dialog-actions" }, this.cancel, this.confirm),
    );
    // Escape: same as Cancel.
    this.element.addEventListener("cancel", (e) => {
      e.preventDefault();
      if (!this.busy) this.close(null);
    });
  }

  /**
   * Show a plan. Resolves with what was applied once the person confirms
   * (and the shell applied it), or null when they cancel.
   */
  show(plan: PlanDto, options: PlanOptions = {}): Promise<BatchDone | null> {
    // A plan already shown is dropped: only one waits at a time.
    if (this.finish) this.close(null);
    this.options = options;
    this.render(plan);
    if (!this.element.open) this.element.showModal();
    return new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  /** Replace the plan shown (planned again with new choices). */
  update(plan: PlanDto): void {
    this.render(plan);
  }

  private render(plan: PlanDto): void {
    this.plan = plan;
    this.failure.textContent = "";
    this.heading.textContent = plan.title;
    this.counts.textContent = planCounts(plan);
    this.renderUnsaved(plan);
    this.renderMessages(plan);
    clear(this.extra);
    if (this.options.extra) this.extra.append(this.options.extra);
    clear(this.files);
    plan.files.forEach((f, i) => this.files.append(fileEntry(f, i < OPEN_DIFFS)));
    if (plan.files.length === 0) this.files.append(h("p", { class: "empty" }, t("plan.nothing")));
    this.confirm.disabled = plan.files.length === 0 || plan.unsaved.length > 0;
    this.confirm.textContent = plan.files.length > 0 ? t("plan.confirmFiles", { files: tn("app.files", plan.files.length) }) : t("plan.confirm");
  }

  private renderUnsaved(plan: PlanDto): void {
    clear(this.unsaved);
    this.unsaved.hidden = plan.unsaved.length === 0;
    if (plan.unsaved.length === 0) return;
    const again = h("button", { type: "button", class: "plan-save-all", id: "plan-save-all" }, t("plan.saveAllAgain"));
    again.addEventListener("click", () => void this.saveAndReplan());
    again.disabled = !this.options.replan;
    this.unsaved.append(
      h(
        "p",
        {},
        tn("plan.unsaved", plan.unsaved.length),
        " ",
        t("plan.unsavedWhy"),
      ),
      h("ul", {}, ...plan.unsaved.map((id) => h("li", { class: "mono" }, id))),
      again,
    );
  }

  private renderMessages(plan: PlanDto): void {
    clear(this.messages);
    if (plan.problems.length > 0) {
      this.messages.append(
        h("h3", {}, t("plan.notPlanned")),
        h("ul", { class: "plan-problems" }, ...plan.problems.map((p) => h("li", {}, p.path ? h("span", { class: "mono" }, `${p.path}: `) : null, p.message))),
      );
    }
    if (plan.notes.length > 0) {
      this.messages.append(h("h3", {}, t("problems.notes")), h("ul", { class: "plan-notes" }, ...plan.notes.map((n) => h("li", {}, n))));
    }
  }

  private async saveAndReplan(): Promise<void> {
    const replan = this.options.replan;
    if (!replan) return;
    await this.run(async () => {
      if (!(await this.host.saveAll())) throw new Error(t("plan.saveFailed"));
      const next = await replan();
      this.render(next);
    });
  }

  private async apply(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    await this.run(async () => {
      const done = await api.applyPlan(plan.token);
      this.plan = null;
      this.close(done);
    });
  }

  /** Run a step with the buttons disabled; a failure is shown in the dialog. */
  private async run(step: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.element.classList.add("busy");
    const wasDisabled = this.confirm.disabled;
    this.confirm.disabled = true;
    this.cancel.disabled = true;
    try {
      await step();
    } catch (e) {
      const err: AppError | Error = toAppError(e);
      this.failure.textContent = err.message;
      this.confirm.disabled = wasDisabled;
    } finally {
      this.busy = false;
      this.element.classList.remove("busy");
      this.cancel.disabled = false;
    }
  }

  private close(done: BatchDone | null): void {
    const plan = this.plan;
    this.plan = null;
    if (plan && done === null) void api.discardPlan(plan.token).catch(() => undefined);
    if (this.element.open) this.element.close();
    const finish = this.finish;
    this.finish = null;
    finish?.(done);
  }
}

const KIND_LABEL: Record<PlanFile["kind"], MessageKey> = {
  create: "plan.kind.create",
  change: "plan.kind.change",
  move: "plan.kind.move",
  delete: "plan.kind.delete",
};

/** One file of the plan: its path and, when opened, its diff. */
function fileEntry(f: PlanFile, open: boolean): HTMLElement {
  const pre = h("pre", { class: "diff" });
  const summary = h(
    "summary",
    {},
    h("span", { class: `op op-${f.kind}` }, t(KIND_LABEL[f.kind])),

    f.from ? h("span", { class: "mono from" }, `${f.from} → `) : null,
    h("span", { class: "mono" }, f.path),
  );
  const details = h("details", { class: "plan-file", "data-path": f.path, "data-kind": f.kind }, summary, pre);
  let rendered = false;
  const render = () => {
    if (rendered) return;
    rendered = true;
    for (const line of f.diff.split("\n")) {
      if (line === "") continue;
      pre.append(h("span", { class: `dl ${diffLineClass(line)}` }, line), "\n");
    }
  };
  details.addEventListener("toggle", () => {
    if (details.open) render();
  });
  if (open) {
    details.open = true;
    render();
  }
  return details;
}
