// The typed front-matter form, built from the site's schema (the core sends
// one FormField per key with its kind and allowed values). The form is live:
// every keystroke in a text field goes to the core (fieldSync.ts: one
// request in flight, later keystrokes collapse into the latest value), so
// the preview follows typing and Save always has what the field shows; a
// choice in a list, Enter or leaving a field commits it. Only that key is
// sent to the core.
import type { Diagnostic, FormField, SessionView, SiteSummary } from "../ipc/api";
import { clear, h } from "./dom";
import type { EditHistory } from "./bodyEditor";
import { FieldSync, type FieldEdit } from "./fieldSync";
import { fieldLabelMsg } from "./fieldLabels";
import { msg, t } from "../i18n";

type Input = HTMLInputElement | HTMLSelectElement;

export class FieldForm {
  readonly element: HTMLElement;
  private inputs = new Map<string, Input>();
  private notes = new Map<string, HTMLElement>();
  private sessionId: string | null = null;
  private readonly sync: FieldSync;

  /**
   * `send` takes one field edit to the core (a keystroke when `typing`) and
   * resolves once it answered. `idPrefix` names the inputs (`field-title`…);
   * another prefix lets several forms share a page.
   */
  constructor(
    send: (edit: FieldEdit) => Promise<void>,
    private readonly idPrefix = "field-",
    history?: EditHistory,
  ) {
    this.sync = new FieldSync({ send });
    this.element = h("form", { class: "field-form", autocomplete: "off" });
    this.element.addEventListener("submit", (e) => e.preventDefault());
    if (history) {
      // Ctrl+Z in a field undoes the file's last edit in the core (a run of
      // typing in a field is one step), as it does in the body editor.
      this.element.addEventListener("keydown", (e) => {
        const action = historyKey(e);
        if (!action) return;
        e.preventDefault();
        if (action === "undo") history.undo();
        else history.redo();
      });
    }
  }

  /** Resolve once everything typed in the form has reached the core. */
  flush(): Promise<void> {
    return this.sync.flush();
  }

  private edited(key: string, value: string | null, typing: boolean): void {
    if (this.sessionId === null) return;
    this.sync.edited({ id: this.sessionId, key, value, typing });
  }

  /**
   * Show a session. Re-showing the same session updates values in place and
   * keeps focus. A field with typing on its way to the core keeps what it
   * holds; the focused field is updated only when `external` (the value
   * changed elsewhere: a batch edit, undo, the disk), never by the echo of
   * its own typing.
   */
  show(view: SessionView, site: SiteSummary, external = false): void {
    // `view.form` comes in the core's display order (`Schema::ordered`).
    const fields = withExtras(view.form.slice(), view);
    const sameShape =
      this.sessionId === view.id &&
      fields.length === this.inputs.size &&
      fields.every((f) => this.inputs.has(f.key));
    if (sameShape) {
      for (const f of fields) {
        const input = this.inputs.get(f.key);
        if (!input || this.sync.pending(view.id, f.key)) continue;
        if (document.activeElement === input && !(external && input.value !== (f.value ?? ""))) continue;
        // A value the list has no option for (set elsewhere) gets its options rebuilt.
        const known = !(input instanceof HTMLSelectElement) || [...input.options].some((o) => o.value === (f.value ?? ""));
        if (known) setValue(input, f);
        else setValue(input, f, site, view.lang);
      }
      return;
    }
    this.sessionId = view.id;
    this.inputs.clear();
    this.notes.clear();
    clear(this.element);
    if (view.problem) {
      this.element.append(h("p", { class: "form-problem" }, view.problem));
    }
    const builtIn = new Set(view.form.map((f) => f.key));
    for (const f of fields) {
      const id = `${this.idPrefix}${f.key}`;
      const input = makeInput(f, site, view.lang);
      input.id = id;
      input.disabled = view.problem !== null;
      // An emptied field keeps its line with an empty value; validation reports
      // it when the field is required. Only extra keys can be removed.
      if (input instanceof HTMLInputElement) input.addEventListener("input", () => this.edited(f.key, input.value, true));
      input.addEventListener("change", () => {
        if (input instanceof HTMLSelectElement) input.title = input.selectedOptions[0]?.textContent ?? "";
        this.edited(f.key, input.value, false);
      });
      const note = h("div", { class: "field-note" });
      let remove: HTMLElement | null = null;
      if (!builtIn.has(f.key)) {
        remove = h("button", { type: "button", class: "field-remove", title: msg("form.remove.title", { key: f.key }), "aria-label": msg("form.remove", { key: f.key }) }, "×");
        remove.addEventListener("click", () => this.edited(f.key, null, false));
        remove.toggleAttribute("disabled", view.problem !== null);
      }
      this.inputs.set(f.key, input);
      this.notes.set(f.key, note);
      this.element.append(
        h(
          "div",
          { class: `field field-${f.kind}`, "data-key": f.key },
          h("label", { for: id }, fieldLabelMsg(f.key), f.required ? h("span", { class: "required" }, " *") : null),
          input,
          remove,
          note,
        ),
      );
    }
  }

  /** The language changed: the next `show` builds the form anew (options and placeholders too). */
  relocalize(): void {
    this.sessionId = null;
  }

  /** Show the findings that name a field under that field. */

  setDiagnostics(diags: readonly Diagnostic[]): void {
    for (const [key, note] of this.notes) {
      const mine = diags.filter((d) => d.field === key);
      note.textContent = mine.map((d) => d.message).join(" · ");
      note.className = `field-note ${mine.some((d) => d.severity === "error") ? "error" : mine.length ? "warning" : ""}`;
      this.inputs.get(key)?.setAttribute("aria-invalid", mine.length ? "true" : "false");
    }
  }

  focusField(key: string): boolean {
    const input = this.inputs.get(key);
    if (!input) return false;
    input.focus();
    return true;
  }
}

/** Ctrl+Z is undo; Ctrl+Shift+Z and Ctrl+Y are redo (Cmd on a Mac). */
export function historyKey(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">): "undo" | "redo" | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === "z") return e.shiftKey ? "redo" : "undo";
  if (k === "y" && !e.shiftKey) return "redo";
  return null;
}

/** Keys present in the file but not in the schema, as plain text fields. */
function withExtras(fields: FormField[], view: SessionView): FormField[] {
  const known = new Set(fields.map((f) => f.key));
  const extras = Object.entries(view.fields.extra)
    .filter(([k]) => !known.has(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]): FormField => ({ key, kind: "text", required: false, choices: [], value: value ?? null }));
  return fields.concat(extras);
}

function makeInput(f: FormField, site: SiteSummary, lang: string): Input {
  if (f.kind === "enum" && f.choices.length > 0) {
    const select = document.createElement("select");
    setValue(select, f, site, lang);
    return select;
  }
  const input = document.createElement("input");
  input.type = f.kind === "url" ? "url" : "text";
  input.spellcheck = f.kind === "text" || f.kind === "list";
  if (f.kind === "datetime") input.placeholder = "YYYY-MM-DDTHH:MM:SS";
  if (f.kind === "list") input.placeholder = t("form.listPlaceholder");
  setValue(input, f);
  return input;
}

function setValue(input: Input, f: FormField, site?: SiteSummary, lang?: string): void {
  const value = f.value ?? "";
  if (input instanceof HTMLSelectElement) {
    if (site && lang !== undefined) {
      // Options are built once per session; the current value is kept even when not allowed,
      // so the form never changes the file by itself.
      const options = f.choices.includes(value) || value === "" ? f.choices : [value, ...f.choices];
      input.replaceChildren(
        h("option", { value: "" }, "—"),
        ...options.map((c) =>
          h("option", { value: c }, optionLabel(f.key, c, site, lang), f.choices.includes(c) ? "" : ` ${t("form.notAllowed")}`),
        ),
      );
    }
    input.value = value;
    input.title = input.selectedOptions[0]?.textContent ?? "";
  } else {
    input.value = value;
  }
}

function optionLabel(key: string, value: string, site: SiteSummary, lang: string): string {
  if (key !== "track") return value;
  const track = site.tracks.find((t) => t.slug === value);
  const title = track ? (track.titles[lang] ?? track.titles[site.default_lang]) : undefined;
  return title ? `${title} (${value})` : value;
}
