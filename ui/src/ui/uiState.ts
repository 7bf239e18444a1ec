// What the window remembers between runs (pane sizes and the like): small
// JSON values in the web view's local storage, under one prefix. Never
// anything of the site: that lives in the files. A storage that is full or
// unavailable only means the defaults come back next time.

const PREFIX = "lectern.ui.";

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function storage(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export class UiState {
  constructor(private readonly store: () => KeyValueStore | null = storage) {}

  /** The value stored for `key`, or undefined (also when it is unreadable). */
  get(key: string): unknown {
    try {
      const raw = this.store()?.getItem(PREFIX + key);
      return raw === null || raw === undefined ? undefined : JSON.parse(raw);
    } catch {
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    try {
      this.store()?.setItem(PREFIX + key, JSON.stringify(value));
    } catch {
      // Full or unavailable: the default comes back next time.
    }
  }
}

export const uiState = new UiState();
