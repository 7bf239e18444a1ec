import { describe, expect, it } from "vitest";
import { escapeHtml, previewDocument } from "./preview";

describe("previewDocument", () => {
  it("passes the core's document through untouched", () => {
    const doc = "<!doctype html><html><body><article>x</article></body></html>";
    expect(previewDocument({ document: doc })).toBe(doc);
  });

  it("escapes a message so it cannot become markup", () => {
    const out = previewDocument({ message: "<img src=x onerror=alert(1)>" });
    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});

describe("escapeHtml", () => {
  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});
