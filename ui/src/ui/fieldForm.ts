// The typed front-matter form, built from the site's schema (the core sends
// one FormField per key with its kind and allowed values). A field commits
// on `change` (blur or Enter), and only that key is sent to the core.
import type { DiagnosticDto, FormField, SessionView, SiteSummary } from "../ipc/api";
import { clear, h } from "./dom";

const LABELS: Record<string, string> = {
  title: "Title",
  date: "Date",
  track: "Track",
  presenters: "Presenters",
  stype: "Session type",
  room: "Room",
  speechLink: "Video link",
};

type Input = HTMLInputElement | HTMLSelectElement;

export class FieldForm {
  readonly element: HTMLElement;
  private inputs = new Map<string, Input>();
  private notes = new Map<string, HTMLElement>();
  private sessionId: string | null = null;

  /** `idPrefix` names the inputs (`field-title`…); another prefix lets several forms share a page. */
  constructor(
    private readonly onCommit: (key: string, value: string | null) => void,
    private readonly idPrefix = "field-",
  ) {
    this.element = h("form", { class: "field-form", autocomplete: "off" });
    this.element.addEventListener("submit", (e) => e.preventDefault());
  }

  /** Show a session. Re-showing the same session updates values in place and keeps focus. */
  show(view: SessionView, site: SiteSummary): void {
    // `view.form` comes in the core's display order (`Schema::ordered`).
    const fields = withExtras(view.form.slice(), view);
    const sameShape =
      this.sessionId === view.id &&
      fields.length === this.inputs.size &&
      fields.every((f) => this.inputs.has(f.key));
    if (sameShape) {
      for (const f of fields) {
        const input = this.inputs.get(f.key);
        if (input && document.activeElement !== input) setValue(input, f);
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
      input.addEventListener("change", () => this.onCommit(f.key, input.value));
      const note = h("div", { class: "field-note" });
      let remove: HTMLElement | null = null;
      if (!builtIn.has(f.key)) {
        remove = h("button", { type: "button", class: "field-remove", title: `Remove ${f.key} from the file`, "aria-label": `Remove ${f.key}` }, "×");
        remove.addEventListener("click", () => this.onCommit(f.key, null));
        remove.toggleAttribute("disabled", view.problem !== null);
      }
      this.inputs.set(f.key, input);
      this.notes.set(f.key, note);
      this.element.append(
        h(
          "div",
          { class: `field field-${f.kind}`, "data-key": f.key },
          h("label", { for: id }, LABELS[f.key] ?? f.key, f.required ? h("span", { class: "required" }, " *") : null),
          input,
          remove,
          note,
        ),
      );
    }
  }

  /** Show the findings that name a field under that field. */
  setDiagnostics(diags: readonly DiagnosticDto[]): void {
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
  if (f.kind === "list") input.placeholder = "Name, Name";
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
          h("option", { value: c }, optionLabel(f.key, c, site, lang), f.choices.includes(c) ? "" : " (not allowed)"),
        ),
      );
    }
    input.value = value;
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
