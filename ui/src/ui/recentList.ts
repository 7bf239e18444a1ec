// The recent sites on the welcome screen: open one with a click, remove one
// with ×. A site whose folder is gone is shown as missing and cannot be
// opened, only removed.
import type { RecentSiteDto } from "../ipc/api";
import { clear, h } from "./dom";
import { msg, t } from "../i18n";

export class RecentList {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;

  constructor(
    private readonly onOpen: (root: string) => void,
    private readonly onForget: (root: string) => void,
  ) {
    this.list = h("ul", { class: "recent-sites", id: "recent-sites" });
    this.element = h("section", { class: "recent", "aria-label": msg("recent.title") }, h("h2", {}, msg("recent.title")), this.list);
  }

  show(sites: readonly RecentSiteDto[]): void {
    clear(this.list);
    this.element.hidden = sites.length === 0;
    for (const s of sites) {
      const open = h(
        "button",
        { type: "button", class: "recent-open", title: s.missing ? t("recent.gone", { root: s.root }) : t("fetch.open", { id: s.root }), disabled: s.missing },
        h("span", { class: "recent-name" }, s.name),
        h("span", { class: "recent-root" }, s.root),
        s.missing ? h("span", { class: "recent-missing" }, t("recent.missing")) : null,
      );
      open.addEventListener("click", () => this.onOpen(s.root));
      const forget = h("button", { type: "button", class: "icon recent-forget", title: t("recent.forget.title", { name: s.name }), "aria-label": t("form.remove", { key: s.name }) }, "×");

      forget.addEventListener("click", () => this.onForget(s.root));
      this.list.append(h("li", { class: s.missing ? "missing" : "", "data-root": s.root }, open, forget));
    }
  }
}
