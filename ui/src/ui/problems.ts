// The problems pane: every finding of the site (errors first, then warnings,
// then notes), narrowed by severity, rule and session, with a count per rule
// and one-click fixes for the findings `lectern fix` fixes safely. The rows
// are virtualised (only those in view are in the DOM), so 10,000 findings
// scroll as smoothly as 10. The pane's height is dragged at its top edge and
// remembered. The arithmetic lives in problemsModel.ts (unit-tested).
import type { Diagnostic } from "../ipc/api";
import { clear, h } from "./dom";
import {
  ALL,
  ANY,
  clampHeight,
  fileCounts,
  filterFindings,
  keepValid,
  ruleCounts,
  severityCounts,
  shortFile,
  sortFindings,
  type ProblemFilter,
  type SeverityFilter,
} from "./problemsModel";
import { uiState } from "./uiState";
import { msg, t, type MessageKey } from "../i18n";
import { visibleRows } from "./virtual";

/** Height of one row in CSS pixels (fixed, for the virtual window). */
export const ROW_HEIGHT = 24;
const HEIGHT_KEY = "problems.height";

export interface ProblemActions {
  /** Show the finding in the editor. */
  open: (d: Diagnostic) => void;
  /** Apply the finding's safe fix. */
  fix: (d: Diagnostic) => void;
  /** Apply the safe fix of every finding of a rule. */
  fixRule: (code: string) => void;
  /** The pane's height changed (CSS pixels). */
  resized: (px: number) => void;
}

const SEVERITIES: { value: SeverityFilter; label: MessageKey }[] = [
  { value: "all", label: "problems.all" },
  { value: "error", label: "problems.errors" },
  { value: "warning", label: "problems.warnings" },
  { value: "info", label: "problems.notes" },
];

export class ProblemsPanel {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly severityButtons = new Map<SeverityFilter, HTMLButtonElement>();
  private readonly ruleSelect: HTMLSelectElement;
  private readonly fileSelect: HTMLSelectElement;
  private readonly fixRuleButton: HTMLButtonElement;
  private all: Diagnostic[] = [];
  private shown: Diagnostic[] = [];
  private filter: ProblemFilter = ALL;
  private height: number;

  constructor(private readonly actions: ProblemActions) {
    // The counts are on the severity buttons; the heading's tooltip sums them up.
    this.summary = h("h2", {}, msg("problems.title"));
    const sevBar = h("div", { class: "problem-severity", role: "group", "aria-label": msg("problems.severity") });
    for (const s of SEVERITIES) {
      const b = h("button", { type: "button", "data-severity": s.value, "aria-pressed": "false" }, t(s.label));
      b.addEventListener("click", () => this.setFilter({ ...this.filter, severity: s.value }));
      this.severityButtons.set(s.value, b);
      sevBar.append(b);
    }
    this.ruleSelect = h("select", { id: "problem-rule", "aria-label": msg("problems.rule"), title: msg("problems.rule.title") });
    this.ruleSelect.addEventListener("change", () => this.setFilter({ ...this.filter, code: this.ruleSelect.value }));
    this.fileSelect = h("select", { id: "problem-file", "aria-label": msg("problems.file"), title: msg("problems.file.title") });
    this.fileSelect.addEventListener("change", () => this.setFilter({ ...this.filter, file: this.fileSelect.value }));
    this.fixRuleButton = h("button", { type: "button", class: "fix-rule", hidden: true });
    this.fixRuleButton.addEventListener("click", () => {
      if (this.filter.code !== ANY) this.actions.fixRule(this.filter.code);
    });
    const handle = h("div", {
      class: "problems-resize",
      role: "separator",
      "aria-orientation": "horizontal",
      "aria-label": msg("problems.resize"),
      tabindex: 0,
      title: msg("problems.drag"),
    });
    this.spacer = h("div", { class: "problem-spacer" });
    this.empty = h("p", { class: "empty", hidden: true });
    this.viewport = h("div", { class: "problem-rows", role: "list" }, this.spacer, this.empty);
    this.viewport.addEventListener("scroll", () => this.renderWindow());
    this.element = h(
      "section",
      { class: "problems", id: "problems", "aria-label": msg("problems.title") },
      handle,
      h(
        "div",
        { class: "section-head problems-head" },
        this.summary,
        sevBar,
        this.ruleSelect,
        this.fileSelect,
        this.fixRuleButton,
      ),
      this.viewport,
    );
    this.height = clampHeight(Number(uiState.get(HEIGHT_KEY) ?? 170), window.innerHeight);
    this.dragging(handle);
    new ResizeObserver(() => this.renderWindow()).observe(this.viewport);
  }

  /** The remembered height, for the layout to apply at start. */
  get currentHeight(): number {
    return this.height;
  }

  /** Set the pane's height (clamped), tell the layout and remember it. */
  setHeight(px: number): void {
    this.height = clampHeight(px, window.innerHeight);
    this.element.dataset["height"] = String(this.height);
    this.actions.resized(this.height);
    uiState.set(HEIGHT_KEY, this.height);
  }

  private dragging(handle: HTMLElement): void {
    let startY = 0;
    let startH = 0;
    const move = (e: PointerEvent) => this.setHeight(startH + (startY - e.clientY));
    const up = (e: PointerEvent) => {
      handle.releasePointerCapture(e.pointerId);
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.classList.remove("dragging");
    };
    handle.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      startY = e.clientY;
      startH = this.height;
      handle.setPointerCapture(e.pointerId);
      handle.classList.add("dragging");
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", up);
    });
    handle.addEventListener("keydown", (e) => {
      if (e.key === "ArrowUp") this.setHeight(this.height + 20);
      else if (e.key === "ArrowDown") this.setHeight(this.height - 20);
      else return;
      e.preventDefault();
    });
  }

  show(diags: readonly Diagnostic[]): void {
    this.all = sortFindings(diags);
    const c = severityCounts(this.all);
    this.summary.title = t("problems.summary", { errors: c.error, warnings: c.warning, notes: c.info });
    this.element.dataset["count"] = String(this.all.length);
    const counts: Record<SeverityFilter, number> = { all: this.all.length, ...c };
    for (const [sev, b] of this.severityButtons) {
      const label = SEVERITIES.find((s) => s.value === sev)?.label;
      b.textContent = `${label ? t(label) : sev} ${counts[sev]}`;
    }
    this.filter = keepValid(this.filter, this.all);
    this.fillSelects();
    this.apply();
  }

  /** Narrow the list (also used by tests and the menu). */
  setFilter(f: ProblemFilter): void {
    this.filter = keepValid(f, this.all);
    this.fillSelects();
    this.apply();
    this.viewport.scrollTop = 0;
  }

  private fillSelects(): void {
    const rules = ruleCounts(this.all);
    clear(this.ruleSelect);
    this.ruleSelect.append(h("option", { value: ANY }, t("problems.allRules", { n: rules.length })));
    for (const r of rules) {
      const fix = r.fixable > 0 ? t("problems.fixable", { n: r.fixable }) : "";
      this.ruleSelect.append(h("option", { value: r.code }, `${r.code} (${r.count}${fix})`));
    }
    this.ruleSelect.value = this.filter.code;
    const files = fileCounts(this.all);
    clear(this.fileSelect);
    this.fileSelect.append(h("option", { value: ANY }, t("problems.allSessions", { n: files.length })));
    for (const f of files) {
      this.fileSelect.append(h("option", { value: f.file, title: f.file }, `${shortFile(f.file)} (${f.count})`));
    }
    this.fileSelect.value = this.filter.file;
    for (const [sev, b] of this.severityButtons) b.setAttribute("aria-pressed", String(sev === this.filter.severity));
    const rule = rules.find((r) => r.code === this.filter.code);
    this.fixRuleButton.hidden = !rule || rule.fixable === 0;
    if (rule) {
      this.fixRuleButton.textContent = t("problems.fixAll", { n: rule.fixable });
      this.fixRuleButton.title = t("problems.fixAll.title", { code: rule.code });
    }
  }

  private apply(): void {
    this.shown = filterFindings(this.all, this.filter);
    this.element.dataset["shown"] = String(this.shown.length);
    this.spacer.style.height = `${this.shown.length * ROW_HEIGHT}px`;
    this.empty.hidden = this.shown.length > 0;
    this.empty.textContent = this.all.length === 0 ? t("problems.none") : t("problems.noneMatch");
    this.renderWindow();
  }

  /** Draw the rows in view (and a few around them). */
  private renderWindow(): void {
    const w = visibleRows(this.viewport.scrollTop, this.viewport.clientHeight || 200, ROW_HEIGHT, this.shown.length);
    for (const el of [...this.viewport.querySelectorAll(".problem")]) el.remove();
    for (let i = w.start; i < w.end; i++) {
      const d = this.shown[i];
      if (d) this.viewport.append(this.row(d, i));
    }
  }

  private row(d: Diagnostic, index: number): HTMLElement {
    const fix = d.fix !== undefined ? h("button", { type: "button", class: "fix", title: t("problems.fix.title") }, t("problems.fix")) : null;
    const row = h(
      "div",
      {
        class: `problem ${d.severity}`,
        role: "listitem",
        tabindex: 0,
        "data-code": d.code,
        "data-file": d.file,
        "data-index": index,
      },
      h("span", { class: "sev", "aria-label": t(`problems.sev.${d.severity}` as MessageKey) }, d.severity === "error" ? "●" : d.severity === "warning" ? "▲" : "ℹ"),

      h("span", { class: "where", title: d.file }, d.line > 0 ? `${d.file}:${d.line}` : d.file),
      h("span", { class: "msg", title: d.message }, d.message),
      h("span", { class: "code" }, d.code),
      fix ?? h("span", { class: "no-fix" }),
    );
    row.style.top = `${index * ROW_HEIGHT}px`;
    fix?.addEventListener("click", (e) => {
      e.stopPropagation();
      this.actions.fix(d);
    });
    row.addEventListener("click", () => this.actions.open(d));
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.actions.open(d);
    });
    return row;
  }
}
