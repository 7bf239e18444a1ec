// The Markdown body in CodeMirror 6. Edits are reported (debounced by the
// caller); replacing the text from outside does not report an edit.
import { defaultKeymap, history, historyKeymap, indentWithTab, redo, undo } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Annotation, EditorState, type Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

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

  constructor(onChange: (text: string) => void) {
    this.element = document.createElement("div");
    this.element.className = "body-editor";
    this.extensions = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      history(),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      markdown(),
      syntaxHighlighting(highlight),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": "Session body (Markdown)" }),
      theme,
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !u.transactions.some((t) => t.annotation(external))) {
          onChange(u.state.doc.toString());
        }
      }),
    ];
    this.view = new EditorView({
      parent: this.element,
      state: EditorState.create({ doc: "", extensions: this.extensions }),
    });
  }

  /** The current text (line endings normalised to \n by CodeMirror). */
  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Show another session's body, with a fresh undo history. Reports no edit. */
  load(text: string): void {
    this.view.setState(EditorState.create({ doc: normalise(text), extensions: this.extensions }));
  }

  /** Replace the text (e.g. after a speakers edit), keeping undo history. Reports no edit. */
  replace(text: string): void {
    const next = normalise(text);
    if (next === this.text) return;
    this.view.dispatch({
      changes: { from: 0, to: this.view.state.doc.length, insert: next },
      annotations: [external.of(true)],
    });
  }

  hasFocus(): boolean {
    return this.view.hasFocus;
  }

  undo(): void {
    undo(this.view);
  }

  redo(): void {
    redo(this.view);
  }

  /** Put the cursor on a 1-based body line and scroll it into view. */
  goToLine(line: number): void {
    const doc = this.view.state.doc;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    this.view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
    this.view.focus();
  }
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}
