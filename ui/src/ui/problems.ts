// The problems panel: every finding of the site, newest check first.
import type { DiagnosticDto } from "../ipc/api";
import { clear, h } from "./dom";

/** Error and warning counts per file, for the session list badges. */
export function countByFile(diags: readonly DiagnosticDto[]): Map<string, { errors: number; warnings: number }> {
  const out = new Map<string, { errors: number; warnings: number }>();
  for (const d of diags) {
    const c = out.get(d.file) ?? { errors: 0, warnings: 0 };
    if (d.severity === "error") c.errors++;
    else if (d.severity === "warning") c.warnings++;
    out.set(d.file, c);
  }
  return out;
}

/** Rows rendered at most; the summary still counts everything. */
export const MAX_ROWS = 500;

export class ProblemsPanel {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly onOpen: (d: DiagnosticDto) => void) {
    this.summary = h("span", { class: "problem-summary" });
    this.body = h("div", { class: "problem-rows", role: "list" });
    this.element = h(
      "section",
      { class: "problems", id: "problems", "aria-label": "Problems" },
      h("div", { class: "section-head" }, h("h2", {}, "Problems"), this.summary),
      this.body,
    );
  }

  show(diags: readonly DiagnosticDto[]): void {
    const errors = diags.filter((d) => d.severity === "error").length;
    const warnings = diags.filter((d) => d.severity === "warning").length;
    const infos = diags.length - errors - warnings;
    this.summary.textContent = `${errors} errors · ${warnings} warnings · ${infos} notes`;
    this.element.dataset["count"] = String(diags.length);
    clear(this.body);
    if (diags.length === 0) {
      this.body.append(h("p", { class: "empty" }, "No problems found."));
      return;
    }
    for (const d of diags.slice(0, MAX_ROWS)) {
      const row = h(
        "div",
        { class: `problem ${d.severity}`, role: "listitem", tabindex: 0, "data-code": d.code },
        h("span", { class: "sev", "aria-label": d.severity }, d.severity === "error" ? "●" : d.severity === "warning" ? "▲" : "ℹ"),
        h("span", { class: "where" }, d.line > 0 ? `${d.file}:${d.line}` : d.file),
        h("span", { class: "msg" }, d.message),
        h("span", { class: "code" }, d.code),
      );
      row.addEventListener("click", () => this.onOpen(d));
      row.addEventListener("keydown", (e) => {
        if (e.key === "Enter") this.onOpen(d);
      });
      this.body.append(row);
    }
    if (diags.length > MAX_ROWS) {
      this.body.append(h("p", { class: "empty" }, `… and ${diags.length - MAX_ROWS} more (fix the first ones, then check again).`));
    }
  }
}
