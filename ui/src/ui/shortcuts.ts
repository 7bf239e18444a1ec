// The keyboard shortcuts, in one table: shown by Help → Keyboard Shortcuts
// (F1) and listed in docs/desktop.md. Menu accelerators are set in the
// shell's menu.rs; the keys handled in the page are marked "in the page".
import { h } from "./dom";

export interface Shortcut {
  keys: string;
  what: string;
}

export const SHORTCUTS: readonly { group: string; items: readonly Shortcut[] }[] = [
  {
    group: "Files",
    items: [
      { keys: "Ctrl+O", what: "Open Site…" },
      { keys: "Ctrl+N", what: "New Session…" },
      { keys: "Ctrl+S", what: "Save" },
      { keys: "Ctrl+Shift+S", what: "Save All" },
      { keys: "F5", what: "Reload Site (asks first about unsaved edits)" },
      { keys: "Ctrl+W", what: "Close Window (asks first about unsaved edits)" },
      { keys: "Ctrl+Q", what: "Quit (asks first about unsaved edits)" },
    ],
  },
  {
    group: "Editing",
    items: [
      { keys: "Ctrl+Z", what: "Undo the file's last edit: one history for its fields, body and speakers (Edit → Undo is the same)" },
      { keys: "Ctrl+Shift+Z / Ctrl+Y", what: "Redo" },
      { keys: "Enter or Tab", what: "Leave a form field (what is typed reaches the file at once; Ctrl+S saves it)" },
      { keys: "Escape", what: "Close a dialog (Cancel)" },
    ],
  },
  {
    group: "Navigation",
    items: [
      { keys: "Ctrl+P", what: "Find Session: search titles, presenters and ids" },
      { keys: "Ctrl+F", what: "Search the site: titles, presenters and body text in every language (in the body editor, Ctrl+F stays the editor's)" },
      { keys: "Alt+PageDown / Alt+PageUp", what: "Next / previous session in the (filtered) list" },
      { keys: "↓ / ↑", what: "Next / previous session, in the focused list" },
      { keys: "Ctrl+Shift+L", what: "Next language of the session" },
    ],
  },
  {
    group: "View",
    items: [
      { keys: "Ctrl+Shift+P", what: "Toggle Preview" },
      { keys: "Ctrl+Shift+M", what: "Toggle Problems" },
      { keys: "Ctrl+Shift+G", what: "Changes: review, revert and export" },
      { keys: "Ctrl+Shift+K", what: "Schedule grid" },
      { keys: "Ctrl+Shift+T", what: "This session's twins side by side" },
      { keys: "F1", what: "Keyboard Shortcuts" },
    ],
  },
];

export class ShortcutsDialog {
  readonly element: HTMLDialogElement;

  constructor() {
    const close = h("button", { type: "button", class: "shortcuts-close" }, "Close");
    close.addEventListener("click", () => this.element.close());
    const table = h("table", { class: "shortcuts" });
    for (const g of SHORTCUTS) {
      table.append(h("tr", {}, h("th", { colspan: 2, scope: "colgroup" }, g.group)));
      for (const s of g.items) table.append(h("tr", {}, h("td", {}, h("kbd", {}, s.keys)), h("td", {}, s.what)));
    }
    this.element = h(
      "dialog",
      { class: "recovery-dialog shortcuts-dialog", id: "shortcuts-dialog", "aria-label": "Keyboard Shortcuts" },
      h("h2", {}, "Keyboard Shortcuts"),
      table,
      h("div", { class: "conflict-actions" }, close),
    );
  }

  show(): void {
    if (!this.element.open) this.element.showModal();
  }
}
