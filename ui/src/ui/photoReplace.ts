// The "Replace photo…" dialog: choose a file (native dialog), or type a file
// path or an https:// URL, load it, move the square crop (slider, or drag on
// the photo), and replace. Loading, cropping and writing happen in the core;
// this shows the shell's previews (lectern-photo: URLs) and the offset.
import { api, toAppError, type StagedPhotoDto } from "../ipc/api";
import { debounce, h } from "./dom";
import { formatBytes } from "./photoFormat";
import { msg, t } from "../i18n";

/** What the dialog asks the app to do once the person confirms. */
export type ReplaceRequest = { index: number; offset: number };

export class PhotoReplaceDialog {
  readonly element: HTMLDialogElement;
  private readonly title: HTMLElement;
  private readonly source: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly overview: HTMLImageElement;
  private readonly frame: HTMLElement;
  private readonly preview: HTMLImageElement;
  private readonly slider: HTMLInputElement;
  private readonly info: HTMLElement;
  private readonly apply: HTMLButtonElement;
  private staged: StagedPhotoDto | null = null;
  private index = 0;
  private busy = false;

  private readonly requestPreview = debounce((offset: number) => void this.updatePreview(offset), 60);

  constructor(private readonly onReplace: (r: ReplaceRequest) => Promise<boolean>) {
    this.title = h("h2", {});
    this.source = h("input", {
      type: "text",
      class: "photo-source",
      placeholder: msg("photo.source"),
      "aria-label": msg("photo.source.aria"),
      spellcheck: "false",
    });
    const choose = h("button", { type: "button", class: "photo-choose secondary" }, msg("photo.chooseFile"));
    const load = h("button", { type: "button", class: "photo-load" }, msg("photo.load"));
    this.status = h("p", { class: "photo-replace-status", role: "status", "aria-live": "polite" });
    this.overview = h("img", { class: "photo-overview", alt: msg("photo.newPhoto"), draggable: "false" });
    this.frame = h("div", { class: "photo-crop-frame", "aria-hidden": "true" });
    this.preview = h("img", { class: "photo-crop-preview", alt: msg("photo.cropped") });
    this.slider = h("input", {
      type: "range",
      class: "photo-crop-offset",
      min: 0,
      max: 100,
      step: 1,
      value: 50,
      "aria-label": msg("photo.crop"),
    });
    this.info = h("p", { class: "photo-stage-info" });
    this.apply = h("button", { type: "button", class: "photo-replace-apply", disabled: true }, msg("photo.replace"));
    const cancel = h("button", { type: "button", class: "photo-replace-cancel secondary" }, msg("common.cancel"));

    const overviewBox = h("div", { class: "photo-overview-box", title: msg("photo.drag") }, this.overview, this.frame);
    this.stage = h(
      "div",
      { class: "photo-stage", hidden: true },
      overviewBox,
      h(
        "div",
        { class: "photo-stage-side" },
        this.preview,
        h("label", { class: "photo-crop-label" }, h("span", {}, msg("photo.crop")), this.slider),
        this.info,
      ),
    );
    this.element = h(
      "dialog",
      { class: "photo-replace-dialog", id: "photo-replace-dialog", "aria-label": msg("photo.replaceTitle") },
      this.title,
      h("div", { class: "photo-source-row" }, this.source, choose, load),
      this.status,
      this.stage,
      h("div", { class: "photo-replace-actions" }, this.apply, cancel),
    );

    choose.addEventListener("click", () => void this.choose());
    load.addEventListener("click", () => void this.load());
    this.source.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.load();
      }
    });
    this.slider.addEventListener("input", () => this.requestPreview.call(this.offset()));
    cancel.addEventListener("click", () => this.element.close());
    this.apply.addEventListener("click", () => void this.confirm());
    // Dragging on the photo puts the crop's centre under the pointer.
    let dragging = false;
    const drag = (e: PointerEvent) => {
      const s = this.staged;
      if (!s) return;
      const box = this.overview.getBoundingClientRect();
      const along = s.width >= s.height ? (e.clientX - box.left) / box.width : (e.clientY - box.top) / box.height;
      const value = Math.round(Math.min(1, Math.max(0, along)) * 100);
      if (String(value) !== this.slider.value) {
        this.slider.value = String(value);
        this.requestPreview.call(this.offset());
      }
    };
    overviewBox.addEventListener("pointerdown", (e) => {
      dragging = true;
      overviewBox.setPointerCapture(e.pointerId);
      drag(e);
    });
    overviewBox.addEventListener("pointermove", (e) => {
      if (dragging) drag(e);
    });
    overviewBox.addEventListener("pointerup", () => (dragging = false));
    overviewBox.addEventListener("pointercancel", () => (dragging = false));
  }

  /** Open for speaker `index` (named `name`). */
  open(index: number, name: string): void {
    this.index = index;
    this.staged = null;
    this.title.textContent = t("photo.replaceOf", { name: name || t("photo.speakerN", { n: index + 1 }) });
    this.source.value = "";
    this.slider.value = "50";
    this.stage.hidden = true;
    this.apply.disabled = true;
    this.setStatus(t("photo.start"));
    if (!this.element.open) this.element.showModal();
    this.source.focus();
  }

  private offset(): number {
    return Number(this.slider.value) / 100;
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle("error", error);
  }

  private async choose(): Promise<void> {
    try {
      const path = await api.pickPhotoFile();
      if (path === null) return;
      this.source.value = path;
      await this.load();
    } catch (e) {
      this.setStatus(toAppError(e).message, true);
    }
  }

  private async load(): Promise<void> {
    const source = this.source.value.trim();
    if (!source || this.busy) return;
    this.busy = true;
    this.apply.disabled = true;
    this.element.dataset["state"] = "loading";
    this.setStatus(t("photo.loading"));
    try {
      const staged = await api.stagePhoto(source);
      this.staged = staged;
      this.slider.value = "50";
      this.overview.src = staged.overview_url;
      this.preview.src = staged.preview_url;
      this.placeFrame(staged);
      this.info.textContent = `${staged.width}×${staged.height} ${staged.format.toUpperCase()}, ${formatBytes(staged.bytes)} → ${staged.size}×${staged.size}`;
      this.slider.disabled = staged.width === staged.height;
      this.stage.hidden = false;
      this.apply.disabled = false;
      this.element.dataset["state"] = "staged";
      this.setStatus(staged.width === staged.height ? t("photo.square") : t("photo.moveCrop"));
    } catch (e) {
      this.element.dataset["state"] = "error";
      this.setStatus(toAppError(e).message, true);
    } finally {
      this.busy = false;
    }
  }

  private async updatePreview(offset: number): Promise<void> {
    const staged = this.staged;
    if (!staged) return;
    try {
      const p = await api.cropPreview(offset);
      if (this.staged !== staged) return;
      this.preview.src = p.preview_url;
      this.placeFrame({ ...staged, crop: p.crop });
    } catch (e) {
      this.setStatus(toAppError(e).message, true);
    }
  }

  /** Draw the crop square over the overview (percentages, so it scales with the image). */
  private placeFrame(s: StagedPhotoDto): void {
    const pct = (v: number, of: number) => `${(100 * v) / Math.max(of, 1)}%`;
    this.frame.style.left = pct(s.crop.x, s.width);
    this.frame.style.top = pct(s.crop.y, s.height);
    this.frame.style.width = pct(s.crop.side, s.width);
    this.frame.style.height = pct(s.crop.side, s.height);
  }

  private async confirm(): Promise<void> {
    if (!this.staged || this.busy) return;
    this.requestPreview.cancel();
    this.busy = true;
    this.apply.disabled = true;
    this.setStatus(t("photo.replacing"));

    try {
      const ok = await this.onReplace({ index: this.index, offset: this.offset() });
      if (ok) this.element.close();
      else this.apply.disabled = false;
    } finally {
      this.busy = false;
    }
  }

  /** Say why replacing failed, keeping the dialog open. */
  fail(message: string): void {
    this.setStatus(message, true);
  }
}
