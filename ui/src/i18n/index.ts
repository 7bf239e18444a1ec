// The UI's languages: one message catalog per locale (en.ts, zh-CN.ts), a
// current locale chosen from the saved setting or the system's, and labels
// that follow a switch without a restart. Static labels are marked with
// `data-i18n*` attributes (see `msg` and dom.ts's `h`) and rewritten by
// `relabel`; views that build text from data draw again on `onLocale`.
// Messages that come from the core (diagnostics, errors) stay as the core
// wrote them.
import { en, type MessageKey } from "./en";
import { zhCN } from "./zh-CN";
import { uiState } from "../ui/uiState";

export type { MessageKey } from "./en";
export type Locale = "en" | "zh-CN";
export type Args = Record<string, string | number>;

/** Every locale the UI has a catalog for, with its name in its own language. */
export const LOCALES: readonly { id: Locale; name: string }[] = [
  { id: "en", name: "English" },
  { id: "zh-CN", name: "中文（简体）" },
];

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

/** The setting's key in the UI state (absent: follow the system). */
export const LOCALE_SETTING = "locale";

/** The catalog for a BCP 47 tag such as `navigator.language`: any Chinese is zh-CN, the rest English. */
export function localeFor(tag: string | null | undefined): Locale {
  return tag && /^zh\b/i.test(tag) ? "zh-CN" : "en";
}

function systemTag(): string | undefined {
  return (globalThis as { navigator?: { language?: string } }).navigator?.language;
}

/** The saved choice when there is one, else the system's language. */
export function initialLocale(saved: unknown = uiState.get(LOCALE_SETTING), system = systemTag()): Locale {
  if (saved === "en" || saved === "zh-CN") return saved;
  return localeFor(system);
}

let current: Locale = initialLocale();
const listeners = new Set<(l: Locale) => void>();

export function locale(): Locale {
  return current;
}

/** Switch the UI's language: relabel the document and tell the views. `save` remembers the choice. */
export function setLocale(next: Locale, save = true): void {
  if (save) uiState.set(LOCALE_SETTING, next);
  if (next === current) return;
  current = next;
  if (typeof document !== "undefined") {
    document.documentElement.lang = next;
    relabel(document.documentElement);
  }
  for (const f of [...listeners]) f(next);
}

/** Call `f` after every switch; returns the way to stop. */
export function onLocale(f: (l: Locale) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The message `key` in the current locale, with `{name}` replaced from `args`. */
export function t(key: MessageKey, args?: Args): string {
  const text = catalogs[current][key] ?? en[key] ?? key;
  return args ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m)) : text;
}

/** `key.one` when `n` is 1, else `key.other` (both are catalog keys), with `{n}` set. */
export function tn(key: string, n: number, args: Args = {}): string {
  const k = `${key}.${n === 1 ? "one" : "other"}` as MessageKey;
  return t(k, { n, ...args });
}

/** A message that relabels itself: for `h()`'s attributes and children. */
export class Msg {
  constructor(
    readonly key: MessageKey,
    readonly args?: Args,
  ) {}
  toString(): string {
    return t(this.key, this.args);
  }
}

/** A label that follows the language. */
export function msg(key: MessageKey, args?: Args): Msg {
  return new Msg(key, args);
}

const TEXT = "data-i18n";
const ATTRS = ["title", "aria-label", "placeholder", "alt"] as const;

/** Put `m` into `el` (its text, or attribute `attr`) and mark it so `relabel` can redo it. */
export function bind(el: Element, m: Msg, attr?: string): void {
  const args = m.args ? JSON.stringify(m.args) : null;
  if (!attr) {
    el.textContent = m.toString();
    el.setAttribute(TEXT, m.key);
    if (args) el.setAttribute(`${TEXT}-args`, args);
    else el.removeAttribute(`${TEXT}-args`);
  } else {
    el.setAttribute(attr, m.toString());
    el.setAttribute(`${TEXT}-${attr}`, m.key);
    if (args) el.setAttribute(`${TEXT}-${attr}-args`, args);
    else el.removeAttribute(`${TEXT}-${attr}-args`);
  }
}

function argsOf(el: Element, name: string): Args | undefined {
  const raw = el.getAttribute(name);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Args;
  } catch {
    return undefined;
  }
}

/** Rewrite every marked label under `root` (and `root` itself) in the current locale. */
export function relabel(root: Element): void {
  const sel = [`[${TEXT}]`, ...ATTRS.map((a) => `[${TEXT}-${a}]`)].join(",");
  const all = [root, ...root.querySelectorAll(sel)];
  for (const el of all) {
    const key = el.getAttribute(TEXT) as MessageKey | null;
    if (key) el.textContent = t(key, argsOf(el, `${TEXT}-args`));
    for (const a of ATTRS) {
      const k = el.getAttribute(`${TEXT}-${a}`) as MessageKey | null;
      if (k) el.setAttribute(a, t(k, argsOf(el, `${TEXT}-${a}-args`)));
    }
  }
}
