// The conflict dialog: a file with unsaved edits changed on disk. Both texts
// side by side; the person keeps theirs or takes the disk's. Nothing is
// decided for them, and closing the dialog (Escape) decides nothing either.
import { h } from "./dom";
import { msg, t } from "../i18n";

export type ConflictChoice = "keep_mine" | "take_disk";

export class ConflictDialog {
  readonly element: HTMLDialogElement;
  private readonly title: HTMLElement;
  private readonly mine: HTMLElement;
  private readonly disk: HTMLElement;
  private id: string | null = null;

  constructor(private readonly onChoose: (id: string, choice: ConflictChoice) => void) {
    this.title = h("h2", {});
    this.mine = h("pre", { class: "conflict-text mine" });
    this.disk = h("pre", { class: "conflict-text disk" });
    const keep = h("button", { type: "button", class: "keep-mine" }, msg("threeWay.keepOurs"));
    const take = h("button", { type: "button", class: "take-disk secondary" }, msg("conflict.takeDisk"));
    keep.addEventListener("click", () => this.choose("keep_mine"));
    take.addEventListener("click", () => this.choose("take_disk"));
    this.element = h(
      "dialog",
      { class: "conflict-dialog", id: "conflict-dialog", "aria-label": msg("conflict.title") },
      this.title,
      h("p", {}, msg("conflict.question")),
      h(
        "div",
        { class: "conflict-texts" },
        h("section", {}, h("h3", {}, msg("conflict.mine")), this.mine),
        h("section", {}, h("h3", {}, msg("conflict.disk")), this.disk),
      ),
      h("div", { class: "conflict-actions" }, keep, take),
    );
  }

  /** Show a conflict (replaces one already shown for the same file). */
  show(id: string, mine: string, disk: string): void {
    this.id = id;
    this.title.textContent = t("conflict.changed", { id });

    this.mine.textContent = mine;
    this.disk.textContent = disk;
    if (!this.element.open) this.element.showModal();
  }

  private choose(choice: ConflictChoice): void {
    const id = this.id;
    this.element.close();
    this.id = null;
    if (id) this.onChoose(id, choice);
  }
}
