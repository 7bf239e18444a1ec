// Wording for photo figures: sizes, dimensions, fetch summaries. Display
// only; every judgement about a photo (too big, not square) comes from the
// core as findings.
import type { FetchFailure, PhotoFetchSummary, SpeakerPhotoDto } from "../ipc/api";
import { t, tn } from "../i18n";

/** A byte count for people: `812 B`, `35.2 KB`, `1.4 MB` (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${kb < 10 ? kb.toFixed(1) : Math.round(kb)} KB`;
  return `${(kb / 1024).toFixed(1)} MB`;
}

/** `400×400 · 35.2 KB`, or what is known of it. */
export function photoFacts(p: Pick<SpeakerPhotoDto, "width" | "height" | "bytes">): string {
  const parts: string[] = [];
  if (p.width !== null && p.height !== null) parts.push(`${p.width}×${p.height}`);
  if (p.bytes !== null) parts.push(formatBytes(p.bytes));
  return parts.join(" · ");
}

/** `HTTP 404` or `error`, for one failure. */
export function failureStatus(f: FetchFailure): string {
  return f.http_status === null ? t("fetch.error") : `HTTP ${f.http_status}`;
}

/** One line for a finished run: `5 photos: 3 downloaded, 1 already cached, 1 failed`. */
export function fetchSummaryText(s: PhotoFetchSummary): string {
  if (s.error) return s.error;
  if (s.total === 0) return t("fetch.none");
  const parts = [t("fetch.downloaded", { n: s.downloaded })];
  if (s.fresh + s.revalidated > 0) parts.push(t("fetch.cached", { n: s.fresh + s.revalidated }));
  parts.push(t("fetch.failed", { n: s.failed }));
  if (s.cancelled > 0) parts.push(t("fetch.cancelled", { n: s.cancelled }));
  return t("fetch.summary", { photos: tn("fetch.photoCount", s.total), parts: parts.join(t("common.listSep")) });

}

/** A summary with every count at zero: a run that did not start, or `over` applied to one. */
export function emptySummary(over: Partial<PhotoFetchSummary> = {}): PhotoFetchSummary {
  return { total: 0, downloaded: 0, revalidated: 0, fresh: 0, failed: 0, cancelled: 0, failures: [], error: null, ...over };
}
