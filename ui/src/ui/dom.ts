// A tiny typed element builder. Text always goes in as text nodes, never as
// HTML: the only HTML the UI shows is the core's sanitised preview, and that
// goes into a sandboxed iframe.

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

/** Create an element with attributes (`on*` keys are not supported on purpose) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, ...children);
  return el;
}

/** Append children, skipping empty ones. */
export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
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
