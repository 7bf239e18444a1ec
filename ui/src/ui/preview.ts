// The preview pane: the core's sanitised HTML inside a sandboxed iframe.
// `sandbox=""` with no tokens: no scripts, no same-origin access, no forms,
// no popups, no top navigation. The srcdoc document also inherits the app's
// CSP, so even a sanitiser miss cannot run script or load remote images.
import { h } from "./dom";

const PREVIEW_STYLE = `
:root { color-scheme: light dark; font: 15px/1.55 system-ui, sans-serif; }
body { margin: 0; padding: 16px 20px; max-width: 48rem; }
img { max-width: 200px; height: auto; border-radius: 6px; }
h1, h2, h3 { line-height: 1.25; }
.placeholder { color: GrayText; font-style: italic; }
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

/** The srcdoc for a preview: sanitised body HTML from the core, or a placeholder message. */
export function previewDocument(content: { html: string } | { message: string }): string {
  const body = "html" in content ? content.html : `<p class="placeholder">${escapeHtml(content.message)}</p>`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${PREVIEW_STYLE}</style></head><body>${body}</body></html>`;
}

export class Preview {
  readonly element: HTMLElement;
  private readonly frame: HTMLIFrameElement;

  constructor() {
    this.frame = h("iframe", { sandbox: "", title: "Preview", referrerpolicy: "no-referrer" });
    this.element = h("section", { class: "preview", "aria-label": "Preview" }, this.frame);
    this.show({ message: "Open a session to see its preview." });
  }

  show(content: { html: string } | { message: string }): void {
    this.frame.srcdoc = previewDocument(content);
  }
}
