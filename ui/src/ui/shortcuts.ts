// The keyboard shortcuts, in one table: shown by Help → Keyboard Shortcuts
// (F1) and listed in docs/desktop.md. Menu accelerators are set in the
// shell's menu.rs; the keys handled in the page are marked "in the page".
import { h } from "./dom";
import { msg, type MessageKey, type Msg } from "../i18n";

export interface Shortcut {
  keys: string | Msg;
  what: MessageKey;
}

export const SHORTCUTS: readonly { group: MessageKey; items: readonly Shortcut[] }[] = [
  {
    group: "shortcuts.group.files",
    items: [
      { keys: "Ctrl+O", what: "shortcuts.files.cO" },
      { keys: "Ctrl+N", what: "shortcuts.files.cN" },
      { keys: "Ctrl+S", what: "shortcuts.files.cS" },
      { keys: "Ctrl+Shift+S", what: "shortcuts.files.csS" },
      { keys: "F5", what: "shortcuts.files.F5" },
      { keys: "Ctrl+W", what: "shortcuts.files.cW" },
      { keys: "Ctrl+Q", what: "shortcuts.files.cQ" },
    ],
  },
  {
    group: "shortcuts.group.editing",
    items: [
      { keys: "Ctrl+Z", what: "shortcuts.editing.cZ" },
      { keys: "Ctrl+Shift+Z / Ctrl+Y", what: "shortcuts.editing.csZcY" },
      { keys: msg("shortcuts.key.EnterorTab"), what: "shortcuts.editing.EnterorTab" },
      { keys: msg("shortcuts.key.Escape"), what: "shortcuts.editing.Escape" },
    ],
  },
  {
    group: "shortcuts.group.navigation",
    items: [
      { keys: "Ctrl+P", what: "shortcuts.navigation.cP" },
      { keys: "Ctrl+F", what: "shortcuts.navigation.cF" },
      { keys: "Alt+PageDown / Alt+PageUp", what: "shortcuts.navigation.aPageDownaPageUp" },
      { keys: "↓ / ↑", what: "shortcuts.navigation.downup" },
      { keys: "Ctrl+Shift+L", what: "shortcuts.navigation.csL" },
    ],
  },
  {
    group: "shortcuts.group.view",
    items: [
      { keys: "Ctrl+Shift+P", what: "shortcuts.view.csP" },
      { keys: "Ctrl+Shift+M", what: "shortcuts.view.csM" },
      { keys: "Ctrl+Shift+G", what: "shortcuts.view.csG" },
      { keys: "Ctrl+Shift+K", what: "shortcuts.view.csK" },
      { keys: "Ctrl+Shift+T", what: "shortcuts.view.csT" },
      { keys: "F1", what: "shortcuts.view.F1" },
    ],
  },
];

export class ShortcutsDialog {
  readonly element: HTMLDialogElement;

  constructor() {
    const close = h("button", { type: "button", class: "shortcuts-close" }, msg("common.close"));
    close.addEventListener("click", () => this.element.close());
    const table = h("table", { class: "shortcuts" });
    for (const g of SHORTCUTS) {
      table.append(h("tr", {}, h("th", { colspan: 2, scope: "colgroup" }, msg(g.group))));
      for (const s of g.items) table.append(h("tr", {}, h("td", {}, h("kbd", {}, s.keys)), h("td", {}, msg(s.what))));
    }
    this.element = h(
      "dialog",
      { class: "recovery-dialog shortcuts-dialog", id: "shortcuts-dialog", "aria-label": msg("shortcuts.title") },
      h("h2", {}, msg("shortcuts.title")),
      table,
      h("div", { class: "conflict-actions" }, close),
    );
  }

  show(): void {
    if (!this.element.open) this.element.showModal();
  }
}
