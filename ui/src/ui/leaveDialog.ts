// The unsaved-edits prompt before the window closes, another site opens or
// the site reloads: Save All, Discard or Cancel. Escape means Cancel, and
// Cancel keeps everything as it was.
import type { LeaveAction } from "../ipc/api";
import { clear, h } from "./dom";
import { msg, t, tn, type MessageKey } from "../i18n";

export type LeaveChoice = "save" | "discard" | "cancel";

const QUESTIONS: Record<LeaveAction, MessageKey> = {
  close: "leave.close",
  open_site: "leave.openSite",
  reload: "leave.reload",
};

export class LeaveDialog {
  readonly element: HTMLDialogElement;
  private readonly question: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly list: HTMLElement;
  private readonly save: HTMLButtonElement;
  private answer: ((c: LeaveChoice) => void) | null = null;
  private pending: Promise<LeaveChoice> | null = null;

  constructor() {
    this.question = h("h2", {});
    this.detail = h("p", {});
    this.list = h("ul", { class: "recovery-files leave-files" });
    this.save = h("button", { type: "button", class: "leave-save" }, msg("app.saveAll"));
    const discard = h("button", { type: "button", class: "leave-discard secondary" }, msg("common.discard"));
    const cancel = h("button", { type: "button", class: "leave-cancel secondary" }, msg("common.cancel"));
    this.save.addEventListener("click", () => this.done("save"));
    discard.addEventListener("click", () => this.done("discard"));
    cancel.addEventListener("click", () => this.done("cancel"));
    this.element = h(
      "dialog",
      { class: "recovery-dialog leave-dialog", id: "leave-dialog", "aria-label": msg("list.unsaved") },
      this.question,
      this.detail,
      this.list,
      h("div", { class: "conflict-actions" }, this.save, discard, cancel),
    );
    // Escape closes a modal dialog: that is Cancel.
    this.element.addEventListener("close", () => this.done("cancel"));
  }

  /** Whether the prompt is up. */
  get isOpen(): boolean {
    return this.element.open;
  }

  /**
   * Ask about `ids` before `action` (`target`: the folder about to open).
   * Asked again while open, the text is updated and the same answer is given.
   */
  ask(action: LeaveAction, ids: readonly string[], target: string | null): Promise<LeaveChoice> {
    this.question.textContent = t(QUESTIONS[action]);
    const where = action === "open_site" && target ? ` ${t("leave.opening", { target })}` : "";
    this.detail.textContent = `${tn("leave.unsaved", ids.length)}${where} ${t("leave.how")}`;

    clear(this.list);
    for (const id of ids) this.list.append(h("li", {}, id));
    if (this.pending && this.element.open) return this.pending;
    this.element.showModal();
    this.save.focus();
    this.pending = new Promise((resolve) => {
      this.answer = resolve;
    });
    return this.pending;
  }

  private done(choice: LeaveChoice): void {
    const answer = this.answer;
    this.answer = null;
    this.pending = null;
    if (this.element.open) this.element.close();
    answer?.(choice);
  }
}
