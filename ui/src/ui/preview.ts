// The preview pane: the core's sanitised HTML inside a sandboxed iframe.
// `sandbox=""` with no tokens: no scripts, no same-origin access, no forms,
// no popups, no top navigation. The srcdoc document also inherits the app's
// CSP, so even a sanitiser miss cannot run script or load remote images.
import { h } from "./dom";

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

  constructor() {
    this.frame = h("iframe", { sandbox: "", title: "Preview", referrerpolicy: "no-referrer" });
    this.element = h("section", { class: "preview", "aria-label": "Preview" }, this.frame);
    this.show({ message: "Open a session to see its preview." });
  }

  show(content: PreviewContent): void {
    const doc = previewDocument(content);
    if (doc === this.shown) return; // reloading the frame would lose its scroll position
    this.shown = doc;
    this.frame.srcdoc = doc;
  }
}
