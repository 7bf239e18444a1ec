// The unsaved-edits prompt before the window closes, another site opens or
// the site reloads: Save All, Discard or Cancel. Escape means Cancel, and
// Cancel keeps everything as it was.
import type { LeaveAction } from "../ipc/api";
import { clear, h } from "./dom";

export type LeaveChoice = "save" | "discard" | "cancel";

const QUESTIONS: Record<LeaveAction, string> = {
  close: "Save your changes before closing?",
  open_site: "Save your changes before opening another site?",
  reload: "Save your changes before reloading the site from disk?",
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
    this.save = h("button", { type: "button", class: "leave-save" }, "Save All");
    const discard = h("button", { type: "button", class: "leave-discard secondary" }, "Discard");
    const cancel = h("button", { type: "button", class: "leave-cancel secondary" }, "Cancel");
    this.save.addEventListener("click", () => this.done("save"));
    discard.addEventListener("click", () => this.done("discard"));
    cancel.addEventListener("click", () => this.done("cancel"));
    this.element = h(
      "dialog",
      { class: "recovery-dialog leave-dialog", id: "leave-dialog", "aria-label": "Unsaved changes" },
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
    this.question.textContent = QUESTIONS[action];
    const n = ids.length;
    const what = n === 1 ? "1 file has" : `${n} files have`;
    const where = action === "open_site" && target ? ` Opening ${target} drops them unless you save.` : "";
    this.detail.textContent = `${what} unsaved changes.${where} Discard drops them; Cancel keeps everything as it is.`;
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
