// The speakers section as a list of cards. The core parses the section and
// writes it back in the file's own style; this only edits the list. Each
// card also shows the speaker's photo as the core sees it (thumbnail, size,
// dimensions, the site rule's findings) and offers "Replace photo…".
import type { Speaker, SpeakerPhotoDto } from "../ipc/api";
import { clear, h } from "./dom";
import { photoFacts } from "./photoFormat";
import { msg, t } from "../i18n";

export class SpeakersEditor {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private speakers: Speaker[] = [];
  private photos: SpeakerPhotoDto[] = [];

  constructor(
    private readonly onChange: (speakers: Speaker[]) => void,
    private readonly onReplacePhoto: (index: number, name: string) => void = () => {},
  ) {
    this.list = h("div", { class: "speaker-list" });
    const add = h("button", { type: "button", class: "secondary" }, msg("speakers.add"));
    add.addEventListener("click", () => {
      this.speakers = [...this.speakers, { photo: null, name: "", headline: "", bio: "" }];
      this.render();
      this.list.querySelector<HTMLInputElement>(".speaker-card:last-child input")?.focus();
    });
    this.element = h(
      "section",
      { class: "speakers", "aria-label": msg("speakers.title") },
      h("div", { class: "section-head" }, h("h2", {}, msg("speakers.title")), add),
      this.list,
    );
  }

  /** Show a session's speakers; `null` means the body has no speakers section. */
  show(speakers: Speaker[] | null): void {
    if (this.element.contains(document.activeElement)) {
      // Someone is typing in a card: keep their field, refresh on blur.
      this.speakers = speakers ?? [];
      return;
    }
    this.speakers = speakers ?? [];
    this.render();
  }

  /** Show what the core knows about each speaker's photo. */
  setPhotos(photos: SpeakerPhotoDto[]): void {
    this.photos = photos;
    this.list.querySelectorAll<HTMLElement>(".speaker-photo-box").forEach((box) => {
      const i = Number(box.dataset["index"]);
      this.fillPhoto(box, i);
    });
  }

  /** The photo details of speaker `i`, when they are about the photo it names now. */
  private photoOf(i: number): SpeakerPhotoDto | undefined {
    const src = this.speakers[i]?.photo ?? null;
    return this.photos.find((p) => p.index === i && p.src === src);
  }

  private fillPhoto(box: HTMLElement, i: number): void {
    const p = this.photoOf(i);
    const thumb = p?.thumbnail_url
      ? h("img", { class: "speaker-thumb", src: p.thumbnail_url, alt: t("speakers.photoOf", { n: i + 1 }), width: 64, height: 64 })
      : h("div", { class: "speaker-thumb none", title: t("speakers.noPhoto") }, "—");
    const facts = p ? photoFacts(p) : "";
    const lines = h(
      "div",
      { class: "speaker-photo-facts" },
      facts ? h("span", { class: "photo-dims" }, facts) : null,
      p?.note ? h("span", { class: "photo-note" }, p.note) : null,
      ...(p?.findings ?? []).map((f) =>
        h("span", { class: `photo-finding ${f.severity}`, "data-code": f.code, title: f.message }, f.message),
      ),
    );
    const replace = h("button", { type: "button", class: "speaker-replace-photo secondary" }, t("speakers.replacePhoto"));
    replace.addEventListener("click", () => this.onReplacePhoto(i, this.speakers[i]?.name ?? ""));
    box.dataset["findings"] = String(p?.findings.length ?? 0);
    box.replaceChildren(thumb, lines, replace);
  }

  /**
   * Commit what is typed in the focused field of a card, if it differs from
   * what was last committed (a card's fields commit on leaving them; Save
   * must not leave out what is being typed).
   */
  commitTyping(): void {
    const el = document.activeElement;
    if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && this.list.contains(el) && el.dataset["committed"] !== el.value) {
      el.dispatchEvent(new Event("change"));
    }
  }

  private commit(): void {
    // The core drops speakers whose every field is empty.
    this.onChange(this.speakers);
  }

  private render(): void {
    clear(this.list);
    if (this.speakers.length === 0) {
      this.list.append(h("p", { class: "empty" }, t("speakers.none")));
      return;
    }
    this.speakers.forEach((s, i) => this.list.append(this.card(s, i)));
  }

  private card(s: Speaker, i: number): HTMLElement {
    const field = (label: string, key: "name" | "headline" | "photo", placeholder: string) => {
      const input = h("input", { type: "text", placeholder, "aria-label": t("speakers.fieldOf", { label, n: i + 1 }) });
      input.value = (key === "photo" ? s.photo : s[key]) ?? "";
      input.dataset["committed"] = input.value;
      input.addEventListener("change", () => {
        const v = input.value;
        input.dataset["committed"] = v;
        this.speakers[i] = key === "photo" ? { ...s, photo: v === "" ? null : v } : { ...s, [key]: v };
        s = this.speakers[i] ?? s;
        this.commit();
      });
      return h("label", { class: `speaker-${key}` }, h("span", {}, label), input);
    };
    const bio = h("textarea", { rows: 3, placeholder: t("speakers.bio"), "aria-label": t("speakers.fieldOf", { label: t("speakers.bio"), n: i + 1 }) });
    bio.value = s.bio;
    bio.dataset["committed"] = bio.value;
    bio.addEventListener("change", () => {
      bio.dataset["committed"] = bio.value;
      this.speakers[i] = { ...s, bio: bio.value };
      s = this.speakers[i] ?? s;
      this.commit();
    });
    const button = (text: string, title: string, disabled: boolean, f: () => void) => {
      const b = h("button", { type: "button", class: "icon", title, "aria-label": title, disabled }, text);
      b.addEventListener("click", f);
      return b;
    };
    const move = (to: number) => () => {
      const list = this.speakers.slice();
      const [item] = list.splice(i, 1);
      if (!item) return;
      list.splice(to, 0, item);
      this.speakers = list;
      this.render();
      this.commit();
    };
    return h(
      "div",
      { class: "speaker-card" },
      h(
        "div",
        { class: "speaker-tools" },
        button("↑", t("speakers.up"), i === 0, move(i - 1)),
        button("↓", t("speakers.down"), i === this.speakers.length - 1, move(i + 1)),
        button("✕", t("speakers.remove"), false, () => {
          this.speakers = this.speakers.filter((_, j) => j !== i);
          this.render();
          this.commit();
        }),
      ),
      field(t("export.name"), "name", t("export.name")),
      field(t("speakers.headline"), "headline", t("speakers.headline.placeholder")),
      field(t("speakers.photo"), "photo", t("speakers.photo.placeholder")),
      this.photoBox(i),
      h("label", { class: "speaker-bio" }, h("span", {}, t("speakers.bio")), bio),

    );
  }

  private photoBox(i: number): HTMLElement {
    const box = h("div", { class: "speaker-photo-box", "data-index": i });
    this.fillPhoto(box, i);
    return box;
  }
}
