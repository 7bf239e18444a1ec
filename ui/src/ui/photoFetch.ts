// The "Fetch all photos" panel: a progress bar with done/total and the
// failure count while the shell fetches in the background, a Cancel button,
// then the summary and the list of failures (URL, HTTP status or error, and
// the sessions naming it). The editor stays usable throughout.
import type { PhotoFetchProgress, PhotoFetchSummary } from "../ipc/api";
import { clear, h } from "./dom";
import { failureStatus, fetchSummaryText } from "./photoFormat";
import { msg, t } from "../i18n";

export type FetchState = "idle" | "running" | "cancelling" | "done";

export class PhotoFetchPanel {
  readonly element: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly count: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly failures: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private state: FetchState = "idle";

  constructor(
    onCancel: () => void,
    private readonly onOpenSession: (id: string) => void,
  ) {
    this.bar = h("progress", { class: "photo-fetch-bar", max: 1, value: 0, "aria-label": msg("export.check.photos") });
    this.count = h("span", { class: "photo-fetch-count" });
    this.summary = h("p", { class: "photo-fetch-summary", role: "status" });
    this.failures = h("ul", { class: "photo-fetch-failures", "aria-label": msg("fetch.failures") });
    this.cancel = h("button", { type: "button", class: "photo-fetch-cancel secondary" }, msg("common.cancel"));
    this.cancel.addEventListener("click", () => {
      if (this.state !== "running") return;
      this.setState("cancelling");
      this.cancel.disabled = true;
      onCancel();
    });
    const close = h("button", { type: "button", class: "photo-fetch-close icon", title: msg("common.close"), "aria-label": msg("common.close") }, "✕");
    close.addEventListener("click", () => {
      if (this.state === "done") this.setState("idle");
    });
    this.element = h(
      "section",
      { class: "photo-fetch", id: "photo-fetch", "aria-label": msg("fetch.title"), "data-state": "idle" },
      h("div", { class: "photo-fetch-head" }, h("strong", {}, msg("fetch.photos")), this.count, h("span", { class: "spacer" }), this.cancel, close),
      this.bar,
      this.summary,
      this.failures,
    );
  }

  /** Whether a run is going (started and not ended). */
  get running(): boolean {
    return this.state === "running" || this.state === "cancelling";
  }

  /** A run is being started. */
  begin(): void {
    this.setState("running");
    this.cancel.disabled = false;
    this.set(0, 0, 0);
    this.summary.textContent = t("fetch.fetching");
    clear(this.failures);
  }

  /** The shell said how many URLs the run has (progress may have said so first). */
  setTotal(total: number): void {
    if (this.running && Number(this.element.dataset["total"] ?? "0") === 0) this.set(0, total, 0);
  }

  progress(p: PhotoFetchProgress): void {
    if (!this.running) return;
    this.set(p.done, p.total, p.failed);
  }

  /** The run ended (or could not start). */
  finish(s: PhotoFetchSummary): void {
    this.setState("done");
    this.set(s.total - s.cancelled, s.total, s.failed);
    this.summary.textContent = fetchSummaryText(s);
    clear(this.failures);
    for (const f of s.failures) {
      const sessions = h("span", { class: "failure-sessions" });
      f.files.forEach((id, i) => {
        const link = h("button", { type: "button", class: "link", title: t("fetch.open", { id }) }, id);
        link.addEventListener("click", () => this.onOpenSession(id));
        if (i > 0) sessions.append(", ");
        sessions.append(link);
      });
      this.failures.append(
        h(
          "li",
          { class: "photo-failure", "data-url": f.url },
          h("span", { class: "failure-status" }, failureStatus(f)),
          h("span", { class: "failure-url", title: f.error }, f.url),
          h("span", { class: "failure-error" }, f.error),
          sessions,
        ),
      );
    }
  }

  private set(done: number, total: number, failed: number): void {
    this.bar.max = Math.max(total, 1);
    this.bar.value = Math.min(done, Math.max(total, 1));
    this.element.dataset["done"] = String(done);
    this.element.dataset["total"] = String(total);
    this.element.dataset["failed"] = String(failed);
    this.count.textContent = `${done} / ${total}${failed > 0 ? ` · ${t("fetch.failed", { n: failed })}` : ""}`;

  }

  private setState(state: FetchState): void {
    this.state = state;
    this.element.dataset["state"] = state;
  }
}
