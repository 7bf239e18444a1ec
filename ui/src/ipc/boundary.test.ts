// The IPC boundary: only src/ipc/api.ts may import @tauri-apps/api, so the
// whole IPC surface stays in one reviewed file.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

describe("IPC boundary", () => {
  it("has api.ts as the only importer of @tauri-apps/api", () => {
    const importers = sources(SRC)
      .filter((f) => /from\s+["']@tauri-apps\/api/.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(importers).toEqual(["ipc/api.ts"]);
  });
});
