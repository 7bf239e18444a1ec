import { describe, expect, it } from "vitest";
import type { PhotoFetchSummary } from "../ipc/api";
import { emptySummary, failureStatus, fetchSummaryText, formatBytes, photoFacts } from "./photoFormat";

const summary = (over: Partial<PhotoFetchSummary>): PhotoFetchSummary => emptySummary(over);

describe("formatBytes", () => {
  it("uses B below a kibibyte, one decimal below 10 KB, then whole KB and MB", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(36_045)).toBe("35 KB");
    expect(formatBytes(1_468_006)).toBe("1.4 MB");
  });
});

describe("photoFacts", () => {
  it("joins dimensions and size, leaving out what is unknown", () => {
    expect(photoFacts({ width: 400, height: 300, bytes: 2048 })).toBe("400×300 · 2.0 KB");
    expect(photoFacts({ width: null, height: null, bytes: null })).toBe("");
  });
});

describe("fetch summaries", () => {
  it("counts downloads, cached photos, failures and cancellations", () => {
    expect(fetchSummaryText(summary({ total: 5, downloaded: 3, fresh: 1, failed: 1 }))).toBe(
      "5 photos: 3 downloaded, 1 already cached, 1 failed",
    );
    expect(fetchSummaryText(summary({ total: 4, downloaded: 1, cancelled: 3 }))).toBe(
      "4 photos: 1 downloaded, 0 failed, 3 cancelled",
    );
    expect(fetchSummaryText(summary({}))).toBe("No remote photos to fetch.");
    expect(fetchSummaryText(summary({ error: "No site is open." }))).toBe("No site is open.");
  });

  it("names a failure by its HTTP status, or says error", () => {
    const f = { url: "https://x/a.png", http_status: 404, error: "…", files: [] };
    expect(failureStatus(f)).toBe("HTTP 404");
    expect(failureStatus({ ...f, http_status: null })).toBe("error");
  });
});
