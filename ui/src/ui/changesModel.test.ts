import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChangedFileDto, ChecklistDto } from "../ipc/api";
import {
  checklistOrder,
  exportAllowed,
  isIdentityMissing,
  joinPath,
  keepSelection,
  kindLetter,
  lineSign,
  stats,
} from "./changesModel";

function file(path: string, extra: Partial<ChangedFileDto> = {}): ChangedFileDto {
  return {
    path,
    site_id: path,
    kind: "changed",
    from: null,
    binary: false,
    added: 1,
    removed: 2,
    unsaved: false,
    hunks: [],
    fingerprint: "f",
    ...extra,
  };
}

describe("Changes view labels", () => {
  it("uses git's status letters and diff signs", () => {
    expect(["created", "changed", "moved", "deleted"].map((k) => kindLetter(k as ChangedFileDto["kind"]))).toEqual([
      "A",
      "M",
      "R",
      "D",
    ]);
    expect([lineSign("insert"), lineSign("delete"), lineSign("equal")]).toEqual(["+", "-", " "]);
  });

  it("counts lines, or says binary", () => {
    expect(stats(file("a"))).toBe("+1 −2");
    expect(stats(file("a", { binary: true }))).toBe("binary");
  });
});

describe("keepSelection", () => {
  it("keeps what the person unticked and ticks new files", () => {
    const files = [file("a.md"), file("b.md"), file("new.md")];
    expect([...keepSelection(files, new Set(["b.md", "gone.md"]))]).toEqual(["a.md", "new.md"]);
  });
});

describe("joinPath", () => {
  it("joins with the separator the folder uses", () => {
    expect(joinPath("/home/me", "x.patch")).toBe("/home/me/x.patch");
    expect(joinPath("/home/me/", "x.patch")).toBe("/home/me/x.patch");
    expect(joinPath("C:\\Users\\me", "x.zip")).toBe("C:\\Users\\me\\x.zip");
    expect(joinPath("", "x.zip")).toBe("x.zip");
  });
});

describe("exportAllowed", () => {
  const list = (blocked: boolean): ChecklistDto => ({ items: [], errors: blocked ? 1 : 0, warnings: 0, files: 1, blocked });
  it("needs the override only when the checklist blocks", () => {
    expect(exportAllowed(list(false), false)).toBe(true);
    expect(exportAllowed(list(true), false)).toBe(false);
    expect(exportAllowed(list(true), true)).toBe(true);
  });
});

describe("Changes view sources", () => {
  it("never put file content into the page as HTML", () => {
    for (const name of ["changesView.ts", "exportDialog.ts"]) {
      const src = readFileSync(join(__dirname, name), "utf8");
      expect(src, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });
});

describe("export checklist order", () => {
  it("puts Problems first, then what blocks, then warnings, then what is fine", () => {
    const items = [
      { key: "photos", state: "ok" },
      { key: "unsaved", state: "warning" },
      { key: "twins", state: "blocking" },
      { key: "problems", state: "ok" },
    ] as const;
    expect(checklistOrder(items).map((c) => c.key)).toEqual(["problems", "twins", "unsaved", "photos"]);
  });

  it("keeps the core's order among checks of the same state", () => {
    const items = [
      { key: "unsaved", state: "ok" },
      { key: "photos", state: "ok" },
      { key: "problems", state: "blocking" },
    ] as const;
    expect(checklistOrder(items).map((c) => c.key)).toEqual(["problems", "unsaved", "photos"]);
  });
});

describe("isIdentityMissing", () => {
  it("is true only for the core's identity_missing refusal", () => {
    expect(isIdentityMissing({ kind: "identity_missing", message: "git does not know your name" })).toBe(true);
    expect(isIdentityMissing({ kind: "invalid", message: "the name is empty" })).toBe(false);
    expect(isIdentityMissing(new Error("identity_missing"))).toBe(false);
    expect(isIdentityMissing(null)).toBe(false);
    expect(isIdentityMissing("identity_missing")).toBe(false);
  });
});
