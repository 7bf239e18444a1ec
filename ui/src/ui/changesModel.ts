// View logic of the Changes view and the export dialog that needs no DOM:
// labels, selection kept across refreshes, paths for export files. Every
// rule about what changed and what may be exported is the core's.
import type { ChangedFileDto, ChecklistDto } from "../ipc/api";
import { t } from "../i18n";
import type { CheckItem } from "../ipc/bindings/CheckItem";
import type { ChangeKindDto } from "../ipc/bindings/ChangeKindDto";
import type { DiffKind } from "../ipc/bindings/DiffKind";

/** One-letter status, as `git status --short` prints it. */
export function kindLetter(kind: ChangeKindDto): string {
  switch (kind) {
    case "created":
      return "A";
    case "changed":
      return "M";
    case "moved":
      return "R";
    case "deleted":
      return "D";
  }
}

/** The word for a status, for titles and screen readers. */
export function kindLabel(kind: ChangeKindDto): string {
  switch (kind) {
    case "created":
      return t("changes.kind.created");
    case "changed":
      return t("changes.kind.changed");
    case "moved":
      return t("changes.kind.moved");
    case "deleted":
      return t("changes.kind.deleted");
  }
}

/** The gutter sign of a diff line. */
export function lineSign(kind: DiffKind): string {
  return kind === "insert" ? "+" : kind === "delete" ? "-" : " ";
}

/**
 * The paths to tick after (re)loading the list: a file the person unticked
 * stays unticked; every other file, new ones included, is ticked.
 */
export function keepSelection(files: readonly ChangedFileDto[], unticked: ReadonlySet<string>): Set<string> {
  return new Set(files.map((f) => f.path).filter((p) => !unticked.has(p)));
}

/** "+3 −1" for a file's line counts. */
export function stats(file: ChangedFileDto): string {
  if (file.binary) return t("changes.binary");

  return `+${file.added} −${file.removed}`;
}

/** `dir` joined with `name`, with the separator `dir` already uses. */
export function joinPath(dir: string, name: string): string {
  if (dir === "") return name;
  const sep = dir.includes("\\") && !dir.includes("/") ? "\\" : "/";
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** Whether the export buttons may be used: nothing blocks, or the person overrides. */
export function exportAllowed(checklist: ChecklistDto, override: boolean): boolean {
  return !checklist.blocked || override;
}

const STATE_ORDER = { blocking: 0, warning: 1, ok: 2 } as const;

/**
 * The checklist as the dialog shows it: Problems first (what reviewers
 * will see), then the other checks, what blocks before warnings before
 * what is fine, each group in the core's order.
 */
export function checklistOrder<T extends Pick<CheckItem, "key" | "state">>(items: readonly T[]): T[] {
  const rank = (c: T) => (c.key === "problems" ? -1 : STATE_ORDER[c.state]);
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i)
    .map((x) => x.item);
}

/** Whether a failed export stopped because git does not know the person (the core's `identity_missing`). */
export function isIdentityMissing(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { kind?: unknown }).kind === "identity_missing";
}
