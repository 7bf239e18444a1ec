// A tiny typed element builder. Text always goes in as text nodes, never as
// HTML: the only HTML the UI shows is the core's sanitised preview, and that
// goes into a sandboxed iframe.

import { bind, Msg } from "../i18n";

type Attrs = Record<string, string | number | boolean | Msg | null | undefined>;
type Child = Node | string | Msg | null | undefined | false;

/** Create an element with attributes (`on*` keys are not supported on purpose) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (v instanceof Msg) bind(el, v, k);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  // A lone message labels the element itself; among other children it gets a span.
  const only = children.filter((c) => c !== null && c !== undefined && c !== false);
  if (only.length === 1 && only[0] instanceof Msg) bind(el, only[0]);
  else append(el, ...children);
  return el;
}

/** Append children, skipping empty ones. */
export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (c instanceof Msg) {
      const span = document.createElement("span");
      bind(span, c);
      el.append(span);
    } else el.append(c);
  }
}

/** Remove every child. */
export function clear(el: Element): void {
  el.replaceChildren();
}

/** Run `f` at most once per `ms`, after the last call; `flush` runs it now. */
export function debounce<A extends unknown[]>(
  f: (...args: A) => void,
  ms: number,
): { call: (...args: A) => void; flush: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: A | null = null;
  const run = () => {
    timer = null;
    if (pending) {
      const args = pending;
      pending = null;
      f(...args);
    }
  };
  return {
    call: (...args: A) => {
      pending = args;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    flush: () => {
      if (timer !== null) clearTimeout(timer);
      run();
    },
    cancel: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
