// The recent sites on the welcome screen: open one with a click, remove one
// with ×. A site whose folder is gone is shown as missing and cannot be
// opened, only removed.
import type { RecentSiteDto } from "../ipc/api";
import { clear, h } from "./dom";

export class RecentList {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;

  constructor(
    private readonly onOpen: (root: string) => void,
    private readonly onForget: (root: string) => void,
  ) {
    this.list = h("ul", { class: "recent-sites", id: "recent-sites" });
    this.element = h("section", { class: "recent", "aria-label": "Recent sites" }, h("h2", {}, "Recent sites"), this.list);
  }

  show(sites: readonly RecentSiteDto[]): void {
    clear(this.list);
    this.element.hidden = sites.length === 0;
    for (const s of sites) {
      const open = h(
        "button",
        { type: "button", class: "recent-open", title: s.missing ? `${s.root} no longer exists` : `Open ${s.root}`, disabled: s.missing },
        h("span", { class: "recent-name" }, s.name),
        h("span", { class: "recent-root" }, s.root),
        s.missing ? h("span", { class: "recent-missing" }, "missing") : null,
      );
      open.addEventListener("click", () => this.onOpen(s.root));
      const forget = h("button", { type: "button", class: "icon recent-forget", title: `Remove ${s.name} from the list`, "aria-label": `Remove ${s.name}` }, "×");
      forget.addEventListener("click", () => this.onForget(s.root));
      this.list.append(h("li", { class: s.missing ? "missing" : "", "data-root": s.root }, open, forget));
    }
  }
}
