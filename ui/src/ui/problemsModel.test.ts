import { describe, expect, it } from "vitest";
import type { Code, Diagnostic } from "../ipc/api";
import {
  ALL,
  ANY,
  clampHeight,
  fileCounts,
  filterFindings,
  keepValid,
  MIN_HEIGHT,
  ruleCounts,
  severityCounts,
  shortFile,
  sortFindings,
} from "./problemsModel";

function d(file: string, line: number, code: Code, severity: Diagnostic["severity"], fixable = false): Diagnostic {
  const fix = fixable ? { fix: { kind: "set_field" as const, key: "room", value: "Hall A" } } : {};
  return { code, severity, file, line, column: 1, message: `${code} at ${line}`, ...fix };
}

const diags: Diagnostic[] = [
  d("content/sessions/a.md", 3, "trailing-whitespace", "info", true),
  d("content/sessions/a.md", 2, "unknown-room", "error"),
  d("content/sessions/b.md", 1, "unknown-room", "error", true),
  d("content/sessions/b.md", 5, "twin-untranslated", "warning", true),
  d("content/sessions/a.md", 9, "unusual-value", "warning"),
  d("content/sessions/c.md", 4, "unknown-room", "error"),
];

describe("problems model", () => {
  it("sorts errors first, then warnings, then notes, each by file and line", () => {
    const got = sortFindings(diags).map((x) => `${x.severity} ${x.file.slice(-4)}:${x.line}`);
    expect(got).toEqual([
      "error a.md:2",
      "error b.md:1",
      "error c.md:4",
      "warning a.md:9",
      "warning b.md:5",
      "info a.md:3",
    ]);
    // The input is not reordered in place.
    expect(diags[0]?.severity).toBe("info");
  });

  it("keeps every finding: thousands of them, none dropped", () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      d(`content/sessions/s${i % 700}.md`, i, i % 3 === 0 ? "bad-url" : "unknown-room", i % 5 === 0 ? "info" : "error"),
    );
    const sorted = sortFindings(many);
    expect(sorted).toHaveLength(3000);
    const firstInfo = sorted.findIndex((x) => x.severity === "info");
    expect(sorted.slice(0, firstInfo).every((x) => x.severity === "error")).toBe(true);
    expect(sorted.slice(firstInfo).every((x) => x.severity === "info")).toBe(true);
  });

  it("filters by severity, rule and session together", () => {
    const sorted = sortFindings(diags);
    expect(filterFindings(sorted, ALL)).toHaveLength(6);
    expect(filterFindings(sorted, { ...ALL, severity: "warning" }).map((x) => x.line)).toEqual([9, 5]);
    expect(filterFindings(sorted, { ...ALL, code: "unknown-room" }).map((x) => x.file.slice(-4))).toEqual([
      "a.md",
      "b.md",
      "c.md",
    ]);
    expect(filterFindings(sorted, { severity: "error", code: "unknown-room", file: "content/sessions/b.md" })).toHaveLength(1);
    expect(filterFindings(sorted, { ...ALL, severity: "info", code: "unknown-room" })).toHaveLength(0);
  });

  it("counts per severity, per rule (worst first, fixable ones counted) and per session", () => {
    expect(severityCounts(diags)).toEqual({ error: 3, warning: 2, info: 1 });
    expect(ruleCounts(diags)).toEqual([
      { code: "unknown-room", severity: "error", count: 3, fixable: 1 },
      { code: "twin-untranslated", severity: "warning", count: 1, fixable: 1 },
      { code: "unusual-value", severity: "warning", count: 1, fixable: 0 },
      { code: "trailing-whitespace", severity: "info", count: 1, fixable: 1 },
    ]);
    expect(fileCounts(diags).map((f) => [shortFile(f.file), f.count, f.errors])).toEqual([
      ["a.md", 3, 1],
      ["b.md", 2, 1],
      ["c.md", 1, 1],
    ]);
  });

  it("drops a chosen rule or session that no longer has findings", () => {
    const f = { severity: "error" as const, code: "bad-url", file: "content/sessions/a.md" };
    expect(keepValid(f, diags)).toEqual({ severity: "error", code: ANY, file: "content/sessions/a.md" });
    expect(keepValid({ ...ALL, code: "unknown-room" }, diags)).toEqual({ ...ALL, code: "unknown-room" });
  });

  it("keeps the pane's height usable", () => {
    expect(clampHeight(10, 800)).toBe(MIN_HEIGHT);
    expect(clampHeight(300.4, 800)).toBe(300);
    expect(clampHeight(5000, 800)).toBe(560);
    expect(clampHeight(Number.NaN, 800)).toBe(170);
    expect(clampHeight(200, 50)).toBe(MIN_HEIGHT);
  });
});
