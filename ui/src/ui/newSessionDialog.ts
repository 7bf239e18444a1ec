// New Session…: choose the track, the id and the languages. The core makes
// `<track>-<id>.md` and its twins from the site's templates and checks the
// names; its refusal (taken or invalid id) is shown in the dialog, which
// stays open so the person can fix the id.
import type { SiteSummary } from "../ipc/api";
import { clear, h } from "./dom";
import { msg } from "../i18n";

export interface NewSessionRequest {
  track: string;
  id: string;
  languages: string[];
}

/** Create the session; resolves to an error message, or null when it was made. */
export type CreateSession = (req: NewSessionRequest) => Promise<string | null>;

export class NewSessionDialog {
  readonly element: HTMLDialogElement;
  private readonly track: HTMLSelectElement;
  private readonly id: HTMLInputElement;
  private readonly langs: HTMLElement;
  private readonly error: HTMLElement;
  private readonly create: HTMLButtonElement;

  constructor(private readonly onCreate: CreateSession) {
    this.track = h("select", { id: "new-session-track" });
    this.id = h("input", {
      id: "new-session-id",
      type: "text",
      spellcheck: false,
      autocomplete: "off",
      placeholder: msg("newSession.idPlaceholder"),
      "aria-describedby": "new-session-error",
    });
    this.langs = h("div", { class: "new-session-langs" });
    this.error = h("p", { class: "dialog-error", id: "new-session-error", role: "alert" });
    this.create = h("button", { type: "submit", class: "new-session-create" }, msg("newSession.create"));
    const cancel = h("button", { type: "button", class: "new-session-cancel secondary" }, msg("common.cancel"));
    cancel.addEventListener("click", () => this.element.close());
    const form = h(
      "form",
      { class: "new-session-form", method: "dialog" },
      h("h2", {}, msg("newSession.title")),
      h("label", { for: "new-session-track" }, msg("field.track")),
      this.track,
      h("label", { for: "new-session-id" }, msg("newSession.id")),
      this.id,
      h("fieldset", {}, h("legend", {}, msg("app.languages")), this.langs),
      this.error,
      h("div", { class: "conflict-actions" }, this.create, cancel),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.id.addEventListener("input", () => (this.error.textContent = ""));
    this.element = h("dialog", { class: "recovery-dialog new-session-dialog", id: "new-session-dialog", "aria-label": msg("newSession.title") }, form);

  }

  /** Open for `site`, with `track` chosen when given (the open session's). */
  open(site: SiteSummary, track: string | null): void {
    clear(this.track);
    for (const t of site.tracks) {
      const title = t.titles[site.default_lang] ?? Object.values(t.titles)[0] ?? t.slug;
      this.track.append(h("option", { value: t.slug }, `${title} (${t.slug})`));
    }
    if (track && site.tracks.some((t) => t.slug === track)) this.track.value = track;
    clear(this.langs);
    for (const l of site.languages) {
      const box = h("input", { type: "checkbox", name: "lang", value: l.code, id: `new-session-lang-${l.code}`, checked: true });
      this.langs.append(h("label", { for: box.id }, box, ` ${l.name} (${l.code})`));
    }
    this.id.value = "";
    this.error.textContent = "";
    this.create.disabled = false;
    if (!this.element.open) this.element.showModal();
    this.id.focus();
  }

  private async submit(): Promise<void> {
    const languages = [...this.langs.querySelectorAll<HTMLInputElement>("input[name=lang]")]
      .filter((b) => b.checked)
      .map((b) => b.value);
    this.create.disabled = true;
    try {
      const error = await this.onCreate({ track: this.track.value, id: this.id.value.trim(), languages });
      if (error === null) this.element.close();
      else {
        this.error.textContent = error;
        this.id.focus();
      }
    } finally {
      this.create.disabled = false;
    }
  }
}
