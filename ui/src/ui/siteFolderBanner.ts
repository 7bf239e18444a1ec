// A banner that stays up while the open site's folder is gone (deleted,
// renamed or unmounted). The status line is overwritten by the next
// message; this is not, until the folder is back.
import type { SiteFolder } from "../ipc/api";
import { h } from "./dom";

export class SiteFolderBanner {
  readonly element: HTMLElement;

  constructor() {
    this.element = h("div", { class: "site-folder-banner", id: "site-folder-banner", role: "alert", hidden: true });
  }

  /** Show the folder's state: the banner while it is gone, nothing once back. */
  show(state: SiteFolder): void {
    this.element.textContent = state.message;
    this.element.title = state.folder;
    this.element.hidden = state.present;
  }
}
