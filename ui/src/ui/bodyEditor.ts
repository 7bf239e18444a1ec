// The Markdown body in CodeMirror 6. Edits are reported as they happen, as
// the changes CodeMirror made (see bodySync.ts); replacing the text from
// outside does not report an edit.
import { defaultKeymap, history as history_, historyKeymap, indentWithTab } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Annotation, EditorState, type Extension, RangeSet, StateEffect, StateField } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  gutter,
  GutterMarker,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import type { TextChange } from "./bodySync";
import { t } from "../i18n";

/** One problem marker in the gutter: its severity and message (as the tooltip). */
class ProblemMarker extends GutterMarker {
  constructor(
    readonly severity: string,
    readonly message: string,
  ) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof ProblemMarker && other.severity === this.severity && other.message === this.message;
  }
  override toDOM(): Node {
    const span = document.createElement("span");
    span.className = `cm-problem-marker ${this.severity}`;
    span.title = this.message;
    span.textContent = this.severity === "error" ? "●" : this.severity === "warning" ? "▲" : "ℹ";
    return span;
  }
}

/** An edit of the body: the changes (UTF-16 positions in the text before
 * them, ascending), the length after them, and the whole text on demand. */
export interface BodyEdit {
  changes: TextChange[];
  length: number;
  text: () => string;
}

/** Undo and redo kept outside the editor. */
export interface EditHistory {
  undo(): void;
  redo(): void;
}

/** A problem on a 1-based body line. */
export interface BodyProblem {
  line: number;
  severity: string;
  message: string;
}

const setProblems = StateEffect.define<BodyProblem[]>();

const problemField = StateField.define<RangeSet<GutterMarker>>({
  create: () => RangeSet.empty,
  update(markers, tr) {
    let next = markers.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setProblems)) continue;
      const doc = tr.state.doc;
      // One marker per line, the most severe first.
      const rank = (s: string) => (s === "error" ? 0 : s === "warning" ? 1 : 2);
      const byLine = new Map<number, BodyProblem[]>();
      for (const p of e.value) {
        if (p.line < 1 || p.line > doc.lines) continue;
        byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
      }
      const ranges = [...byLine.entries()]
        .sort(([a], [b]) => a - b)
        .map(([line, ps]) => {
          ps.sort((a, b) => rank(a.severity) - rank(b.severity));
          const first = ps[0]!;
          return new ProblemMarker(first.severity, ps.map((p) => p.message).join("\n")).range(doc.line(line).from);
        });
      next = RangeSet.of(ranges);
    }
    return next;
  },
});

/** Marks transactions that come from `setText`, not from the person typing. */
const external = Annotation.define<boolean>();

// Colours come from CSS variables, so the editor follows the light/dark theme.
const highlight = HighlightStyle.define([
  { tag: tags.heading, color: "var(--md-heading)", fontWeight: "600" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strong, fontWeight: "700" },
  { tag: tags.link, color: "var(--md-link)" },
  { tag: tags.url, color: "var(--md-link)" },
  { tag: [tags.processingInstruction, tags.meta], color: "var(--md-meta)" },
  { tag: [tags.angleBracket, tags.tagName, tags.attributeName], color: "var(--md-html)" },
  { tag: tags.attributeValue, color: "var(--md-string)" },
  { tag: tags.monospace, fontFamily: "var(--mono)" },
  { tag: tags.quote, color: "var(--fg-muted)" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", backgroundColor: "var(--bg-input)", color: "var(--fg)" },
  ".cm-content": { fontFamily: "var(--mono)", caretColor: "var(--fg)" },
  ".cm-gutters": { backgroundColor: "var(--bg-panel)", color: "var(--fg-muted)", border: "none" },
  ".cm-activeLine": { backgroundColor: "var(--bg-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--bg-active-line)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused": { outline: "none" },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground": { backgroundColor: "var(--selection)" },
});

export class BodyEditor {
  readonly element: HTMLElement;
  private readonly view: EditorView;
  private readonly extensions: Extension[];

  /**
   * `history`: undo and redo elsewhere (the core's history of the file, one
   * for the form, body and speakers); Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y call
   * it. Without it the editor keeps its own (CodeMirror) history.
   */
  constructor(onChange: (edit: BodyEdit) => void, history?: EditHistory) {
    this.element = document.createElement("div");
    this.element.className = "body-editor";
    const undoKeys = history
      ? [
          keymap.of([
            { key: "Mod-z", run: () => (history.undo(), true), preventDefault: true },
            { key: "Mod-Shift-z", run: () => (history.redo(), true), preventDefault: true },
            { key: "Mod-y", run: () => (history.redo(), true), preventDefault: true },
          ]),
        ]
      : [history_(), keymap.of(historyKeymap)];
    this.extensions = [
      problemField,
      gutter({ class: "cm-problem-gutter", markers: (v) => v.state.field(problemField) }),
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      ...undoKeys,
      keymap.of([...defaultKeymap, indentWithTab]),
      markdown(),
      syntaxHighlighting(highlight),
      EditorView.lineWrapping,
      // The label follows the interface's language (see `relocalize`).
      EditorView.contentAttributes.compute([], () => ({ "aria-label": t("body.aria") })),


      theme,
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !u.transactions.some((t) => t.annotation(external))) {
          const changes: TextChange[] = [];
          u.changes.iterChanges((from, to, _fromB, _toB, inserted) => {
            changes.push({ from, to, insert: inserted.toString() });
          });
          const doc = u.state.doc;
          onChange({ changes, length: doc.length, text: () => this.view.state.doc.toString() });
        }
      }),
    ];
    this.view = new EditorView({
      parent: this.element,
      state: EditorState.create({ doc: "", extensions: this.extensions }),
    });
  }

  /** The language changed: label the editor in it (the next state computes it anew). */
  relocalize(): void {
    this.view.contentDOM.setAttribute("aria-label", t("body.aria"));
  }

  /** The current text (line endings normalised to \n by CodeMirror). */

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Show another session's body, with a fresh undo history. Reports no edit. */
  load(text: string): void {
    this.view.setState(EditorState.create({ doc: normalise(text), extensions: this.extensions }));
  }

  /**
   * Replace the text (after a speakers edit, an undo), keeping undo history.
   * Only the part that differs is replaced, so the cursor stays where it was
   * around it. Reports no edit.
   */
  replace(text: string): void {
    const next = normalise(text);
    const cur = this.text;
    if (next === cur) return;
    const c = changedSpan(cur, next);
    this.view.dispatch({ changes: c, annotations: [external.of(true)] });
  }

  /** Mark problems in the gutter (replaces the previous marks). */
  setProblems(problems: BodyProblem[]): void {
    this.view.dispatch({ effects: setProblems.of(problems) });
  }

  hasFocus(): boolean {
    return this.view.hasFocus;
  }

  /** Put the cursor on a 1-based body line and scroll it into view. */
  goToLine(line: number): void {
    const doc = this.view.state.doc;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    this.view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
    this.view.focus();
  }

  /** Select `length` characters from `offset` (UTF-16 units of the body as the editor holds it) and scroll there. */
  goToOffset(offset: number, length = 0): void {
    const n = this.view.state.doc.length;
    const from = Math.min(Math.max(0, offset), n);
    const to = Math.min(n, from + Math.max(0, length));
    this.view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    this.view.focus();
  }
}

/** The one change that turns `a` into `b`: what lies between their common start and end. */
export function changedSpan(a: string, b: string): { from: number; to: number; insert: string } {
  const max = Math.min(a.length, b.length);
  let start = 0;
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  return { from: start, to: a.length - end, insert: b.slice(start, b.length - end) };
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}
