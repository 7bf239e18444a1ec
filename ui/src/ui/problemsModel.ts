// What the problems pane shows: every finding, errors first, then warnings,
// then notes (each by file, line and column), narrowed by severity, rule and
// session, with a count per rule and per session for the dropdowns. Pure, so
// it is unit-tested; problems.ts only draws it.
import type { Code, Diagnostic } from "../ipc/api";

/** The value of "any" in the pane's dropdowns. */
export const ANY = "*";

export type SeverityFilter = "all" | "error" | "warning" | "info";

export interface ProblemFilter {
  severity: SeverityFilter;
  /** Rule code, or ANY. */
  code: string;
  /** File id, or ANY. */
  file: string;
}

export const ALL: ProblemFilter = { severity: "all", code: ANY, file: ANY };

const RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then notes; within each by file, line, column, rule. */
export function sortFindings(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags.slice().sort(
    (a, b) =>
      (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** The findings that pass `f`, in their order. */
export function filterFindings(diags: readonly Diagnostic[], f: ProblemFilter): Diagnostic[] {
  return diags.filter(
    (d) =>
      (f.severity === "all" || d.severity === f.severity) &&
      (f.code === ANY || d.code === f.code) &&
      (f.file === ANY || d.file === f.file),
  );
}

export interface Counts {
  error: number;
  warning: number;
  info: number;
}

export function severityCounts(diags: readonly Diagnostic[]): Counts {
  const c: Counts = { error: 0, warning: 0, info: 0 };
  for (const d of diags) c[d.severity] += 1;
  return c;
}

export interface RuleCount {
  code: string;
  /** The rule's worst severity among the findings. */
  severity: Diagnostic["severity"];
  count: number;
  /** How many of its findings have a safe fix. */
  fixable: number;
}

/** One entry per rule: worst first, then most findings, then by code. */
export function ruleCounts(diags: readonly Diagnostic[]): RuleCount[] {
  const by = new Map<string, RuleCount>();
  for (const d of diags) {
    let r = by.get(d.code);
    if (!r) {
      r = { code: d.code, severity: d.severity, count: 0, fixable: 0 };
      by.set(d.code, r);
    }
    r.count += 1;
    if (d.fix !== undefined) r.fixable += 1;
    if ((RANK[d.severity] ?? 3) < (RANK[r.severity] ?? 3)) r.severity = d.severity;
  }
  return [...by.values()].sort(
    (a, b) =>
      (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) ||
      b.count - a.count ||
      (a.code < b.code ? -1 : 1),
  );
}

export interface FileCount {
  file: string;
  count: number;
  errors: number;
}

/** One entry per file with findings: most errors first, then most findings, then by name. */
export function fileCounts(diags: readonly Diagnostic[]): FileCount[] {
  const by = new Map<string, FileCount>();
  for (const d of diags) {
    let f = by.get(d.file);
    if (!f) {
      f = { file: d.file, count: 0, errors: 0 };
      by.set(d.file, f);
    }
    f.count += 1;
    if (d.severity === "error") f.errors += 1;
  }
  return [...by.values()].sort(
    (a, b) => b.errors - a.errors || b.count - a.count || (a.file < b.file ? -1 : 1),
  );
}

/**
 * The filter after the findings changed: a rule or file no longer among
 * them falls back to "any", so a fix that clears the last finding of the
 * chosen rule does not leave an empty pane with a stale choice.
 */
export function keepValid(f: ProblemFilter, diags: readonly Diagnostic[]): ProblemFilter {
  const codes = new Set(diags.map((d) => d.code));
  const files = new Set(diags.map((d) => d.file));
  return {
    severity: f.severity,
    code: f.code === ANY || codes.has(f.code as Code) ? f.code : ANY,
    file: f.file === ANY || files.has(f.file) ? f.file : ANY,
  };
}

/** The pane's height range in CSS pixels (the rest of the window stays usable). */
export const MIN_HEIGHT = 80;

/** A dragged or remembered height, kept within [MIN_HEIGHT, 70% of the window]. */
export function clampHeight(px: number, windowHeight: number): number {
  const max = Math.max(MIN_HEIGHT, Math.floor(windowHeight * 0.7));
  if (!Number.isFinite(px)) return 170;
  return Math.round(Math.min(max, Math.max(MIN_HEIGHT, px)));
}

/** A short label for a file id: `content/sessions/ai-1.zh.md` → `ai-1.zh.md`. */
export function shortFile(file: string): string {
  const i = file.lastIndexOf("/");
  return i < 0 ? file : file.slice(i + 1);
}
