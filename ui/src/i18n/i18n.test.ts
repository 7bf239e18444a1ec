// @vitest-environment happy-dom
// The catalogs and the language switch (issue 15): every English key has a
// Chinese message and the other way round, with the same `{placeholders}`;
// no UI module shows English text that is not in a catalog; and switching
// the language rewrites labels already on screen.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { en } from "./en";
import { zhCN } from "./zh-CN";
import { initialLocale, localeFor, locale, msg, onLocale, setLocale, t, tn, type MessageKey } from "./index";
import { h } from "../ui/dom";
import { ShortcutsDialog } from "../ui/shortcuts";
import { ProblemsPanel } from "../ui/problems";
import { fieldLabel } from "../ui/fieldLabels";

const SRC = join(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "bindings" || name === "i18n" ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

afterEach(() => setLocale("en", false));

describe("catalogs", () => {
  it("have the same keys in English and Chinese", () => {
    const enKeys = Object.keys(en).sort();
    const zhKeys = Object.keys(zhCN).sort();
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in zhCN))).toEqual([]);
    expect(enKeys.length).toBeGreaterThan(400);
  });

  it("keep every placeholder in every translation, and translate what reads as words", () => {
    const same: string[] = [];
    for (const k of Object.keys(en) as MessageKey[]) {
      expect(placeholders(zhCN[k]), k).toEqual(placeholders(en[k]));
      expect(zhCN[k].trim() === "" && en[k].trim() !== "", k).toBe(false);
      // Two or more English words left as they are: not translated.
      if (zhCN[k] === en[k] && /[A-Za-z]{3,}[ ,.][^{]*[A-Za-z]{3,}/.test(en[k])) same.push(k);
    }
    expect(same).toEqual([]);
  });

  it("give both forms of every counted message", () => {
    for (const k of Object.keys(en)) {
      if (k.endsWith(".one")) expect(Object.hasOwn(en, k.replace(/\.one$/, ".other")), k).toBe(true);
    }
    expect(tn("app.files", 1)).toBe("1 file");
    expect(tn("app.files", 3)).toBe("3 files");
  });
});

describe("no hard-coded English in the UI modules", () => {
  // A string literal that reads as English words: a capitalised word
  // followed by more words, or a sentence with a space and a full stop.
  const PROSE = /(["'`])((?:(?!\1)[^\\\n]|\\.)*)\1/g;
  const looksEnglish = (s: string) =>
    /^[A-Z][a-z]+(?:[ ,'’-]+[A-Za-z…]+)+[.…?:]?$/.test(s.trim()) || /^[A-Z][a-z]+…$/.test(s.trim()) || /[a-z]+ [a-z]+ [a-z]+.*[.?]$/.test(s);
  // A literal given as a label: an attribute people read, or the one text child of `h(tag, attrs, "…")`.
  const LABEL = /(?:\btitle|placeholder|"aria-label"|\balt):\s*(["'`])([^"'`]*[A-Za-z][^"'`]*)\1|\},\s*(["'`])([A-Z][a-z]+)\3\s*\)/g;
  // Literals that are not shown to people (key names, keymaps, the product's
  // name), or are data: Sessionize's own column names, shown as placeholders.
  const NOT_SHOWN = new Set(["Control", "Meta", "Enter", "Escape", "ArrowDown", "ArrowUp", "Lectern", "Session Id", "Scheduled At", "Room", "new-slug", "HH:MM"]);
  const keymap = (s: string) => /^Mod-/.test(s);

  it("finds every user-visible string in a catalog", () => {
    const found: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, "utf8");
      text.split("\n").forEach((line, i) => {
        const code = line.replace(/^\s*(\/\/|\*|\/\*\*).*$/, "").replace(/\s\/\/ .*$/, "");
        for (const m of code.matchAll(PROSE)) {
          const s = m[2] ?? "";
          if (NOT_SHOWN.has(s) || keymap(s) || !looksEnglish(s.replace(/\$\{[^}]*\}/g, "x"))) continue;
          found.push(`${relative(SRC, file)}:${i + 1}: ${s}`);
        }
        for (const m of code.matchAll(LABEL)) {
          const s = m[2] ?? m[4] ?? "";
          const words = s.replace(/\$\{[^}]*\}/g, "").replace(/\\n/g, " ");
          if (NOT_SHOWN.has(s) || Object.hasOwn(en, s) || !/[A-Za-z]/.test(words) || found.some((f) => f.endsWith(`:${i + 1}: ${s}`))) continue;
          found.push(`${relative(SRC, file)}:${i + 1}: ${s}`);
        }
      });
    }
    expect(found).toEqual([]);
  });

  it("would notice one (the scan is not blind)", () => {
    const line = `const b = h("button", {}, "Save the session");`;
    expect([...line.matchAll(PROSE)].map((m) => m[2])).toContain("Save the session");
    expect(looksEnglish("Save the session")).toBe(true);
    expect(looksEnglish("No problems match these filters.")).toBe(true);
    expect(looksEnglish("session-row")).toBe(false);
    const labels = (l: string) => [...l.matchAll(LABEL)].map((m) => m[2] ?? m[4]);
    expect(labels(`h("ul", { class: "x", "aria-label": "Clashes" })`)).toEqual(["Clashes"]);
    expect(labels(`h("button", { type: "button" }, "Close")`)).toEqual(["Close"]);
    expect(labels(`h("button", { title: msg("common.close") }, "×")`)).toEqual([]);
  });
});

describe("choosing and switching the language", () => {
  it("follows the system language unless a choice was saved", () => {
    expect(localeFor("zh-CN")).toBe("zh-CN");
    expect(localeFor("zh-Hans-CN")).toBe("zh-CN");
    expect(localeFor("zh-TW")).toBe("zh-CN");
    expect(localeFor("en-US")).toBe("en");
    expect(localeFor("fr")).toBe("en");
    expect(localeFor(undefined)).toBe("en");
    expect(initialLocale(undefined, "zh-CN")).toBe("zh-CN");
    expect(initialLocale("en", "zh-CN")).toBe("en");
    expect(initialLocale("zh-CN", "en-GB")).toBe("zh-CN");
    expect(initialLocale("klingon", "en-GB")).toBe("en");
  });

  it("remembers the choice like the other UI preferences", () => {
    setLocale("zh-CN");
    expect(localStorage.getItem("lectern.ui.locale")).toBe(JSON.stringify("zh-CN"));
    expect(initialLocale()).toBe("zh-CN");
    setLocale("en");
    expect(initialLocale()).toBe("en");
  });

  it("re-renders labels already on screen, attributes and counted messages too", () => {
    const dialog = new ShortcutsDialog();
    const problems = new ProblemsPanel({ open: () => {}, fix: () => {}, fixRule: () => {}, resized: () => {} });
    const button = h("button", { title: msg("app.save.title") }, msg("app.save"));
    document.body.append(dialog.element, problems.element, button);
    expect(dialog.element.querySelector("h2")?.textContent).toBe("Keyboard Shortcuts");
    expect(button.textContent).toBe("Save");
    const seen: string[] = [];
    const stop = onLocale((l) => seen.push(l));

    setLocale("zh-CN");
    expect(locale()).toBe("zh-CN");
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(dialog.element.querySelector("h2")?.textContent).toBe(zhCN["shortcuts.title"]);
    expect(dialog.element.textContent).toContain(zhCN["shortcuts.files.cS"]);
    expect(dialog.element.textContent).not.toContain("Reload Site");
    expect(button.textContent).toBe(zhCN["app.save"]);
    expect(button.title).toBe(zhCN["app.save.title"]);
    expect(problems.element.getAttribute("aria-label")).toBe(zhCN["problems.title"]);
    // Views built from data draw again when told (App.localeChanged does it for the window).
    problems.show([]);
    expect(problems.element.querySelector(".empty")?.textContent).toBe(zhCN["problems.none"]);
    expect(fieldLabel("stype")).toBe(zhCN["field.stype"]);
    expect(t("app.savedFiles", { n: 2 })).toBe(zhCN["app.savedFiles"].replace("{n}", "2"));

    setLocale("en");
    expect(dialog.element.querySelector("h2")?.textContent).toBe("Keyboard Shortcuts");
    expect(button.textContent).toBe("Save");
    expect(seen).toEqual(["zh-CN", "en"]);
    stop();
  });
});
