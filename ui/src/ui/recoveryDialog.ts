// The restore prompt: the last run ended with unsaved edits (crash, kill).
// The person restores them or discards them; closing decides nothing.
import { clear, h } from "./dom";
import { locale, msg, t } from "../i18n";

export class RecoveryDialog {
  readonly element: HTMLDialogElement;
  private readonly list: HTMLElement;
  private answer: ((restore: boolean | null) => void) | null = null;

  constructor() {
    this.list = h("ul", { class: "recovery-files" });
    const restore = h("button", { type: "button", class: "restore" }, msg("recovery.restore"));
    const discard = h("button", { type: "button", class: "discard secondary" }, msg("common.discard"));
    restore.addEventListener("click", () => this.done(true));
    discard.addEventListener("click", () => this.done(false));
    this.element = h(
      "dialog",
      { class: "recovery-dialog", id: "recovery-dialog", "aria-label": msg("recovery.title") },
      h("h2", {}, msg("recovery.question")),
      h("p", {}, msg("recovery.note")),
      this.list,
      h("div", { class: "conflict-actions" }, restore, discard),
    );
    this.element.addEventListener("close", () => this.done(null));
  }

  /** Ask; resolves true (restore), false (discard) or null (closed without answering). */
  ask(ids: readonly string[], savedAt: Date): Promise<boolean | null> {
    clear(this.list);
    for (const id of ids) this.list.append(h("li", {}, id));
    this.list.title = t("recovery.savedAt", { when: savedAt.toLocaleString(locale()) });

    this.element.showModal();
    return new Promise((resolve) => {
      this.answer = resolve;
    });
  }

  private done(restore: boolean | null): void {
    const answer = this.answer;
    this.answer = null;
    if (this.element.open) this.element.close();
    answer?.(restore);
  }
}
