// The preview pane: the core's sanitised HTML inside a sandboxed iframe.
// `sandbox=""` with no tokens: no scripts, no same-origin access, no forms,
// no popups, no top navigation. The srcdoc document also inherits the app's
// CSP, so even a sanitiser miss cannot run script or load remote images.
import { h } from "./dom";
import { msg, t } from "../i18n";

const PLACEHOLDER_STYLE = `
:root { color-scheme: light dark; font: 15px/1.55 system-ui, sans-serif; }
body { margin: 0; padding: 16px 20px; }
p { color: GrayText; font-style: italic; }
`;

/** Escape text for inclusion in HTML (for the placeholder only). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** What the preview shows: the core's complete sanitised document, or a message. */
export type PreviewContent = { document: string } | { message: string };

/** The srcdoc for a preview. */
export function previewDocument(content: PreviewContent): string {
  if ("document" in content) return content.document;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${PLACEHOLDER_STYLE}</style></head><body><p>${escapeHtml(content.message)}</p></body></html>`;
}

export class Preview {
  readonly element: HTMLElement;
  private readonly frame: HTMLIFrameElement;
  private shown = "";
  private placeholder = false;

  constructor() {
    this.frame = h("iframe", { sandbox: "", title: msg("preview.title"), referrerpolicy: "no-referrer" });
    this.element = h("section", { class: "preview", "aria-label": msg("preview.title") }, this.frame);
    this.showPlaceholder();
  }

  /** The language changed: the placeholder (if shown) in the new one. */
  relocalize(): void {
    if (this.placeholder) this.showPlaceholder();
  }

  private showPlaceholder(): void {
    this.show({ message: t("preview.placeholder") });
    this.placeholder = true;
  }

  show(content: PreviewContent): void {
    this.placeholder = false;

    const doc = previewDocument(content);
    if (doc === this.shown) return; // reloading the frame would lose its scroll position
    this.shown = doc;
    this.frame.srcdoc = doc;
  }
}
