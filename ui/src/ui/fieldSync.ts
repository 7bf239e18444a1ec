// Keeps the core's copy of the front-matter fields in step with the form,
// keystroke by keystroke, as bodySync.ts does for the body: each value goes
// to the core at once, at most one request is in flight, and what is typed
// meanwhile waits; successive keystrokes in one field collapse into the
// latest value (only what the field holds matters). `flush()` resolves once
// everything typed so far has reached the core: Save, switching sessions
// and leaving call it first, so nothing typed is ever left out.

/** One field value on its way: `typing` for a keystroke, else a commit (a
 * choice in a list, Enter, leaving the field, removing it with `null`). */
export interface FieldEdit {
  id: string;
  key: string;
  value: string | null;
  typing: boolean;
}

/** How the sync talks to the core. */
export interface FieldSyncPort {
  /** Send one edit; resolves when the core answered (errors are the port's to report). */
  send(edit: FieldEdit): Promise<void>;
}

export class FieldSync {
  private queue: FieldEdit[] = [];
  private inFlight: Promise<void> | null = null;
  private sending: FieldEdit | null = null;

  constructor(private readonly port: FieldSyncPort) {}

  /** The field `key` of session `id` now holds `value`. */
  edited(edit: FieldEdit): void {
    const last = this.queue[this.queue.length - 1];
    if (last && last.id === edit.id && last.key === edit.key && last.value !== null && edit.value !== null) {
      // The same field again: only the latest value matters. A commit after
      // keystrokes stays a commit (it ends the typing run in the core).
      this.queue[this.queue.length - 1] = { ...edit, typing: last.typing && edit.typing };
    } else {
      this.queue.push(edit);
    }
    this.pump();
  }

  /** Whether edits are queued or on their way. */
  get busy(): boolean {
    return this.inFlight !== null || this.queue.length > 0;
  }

  /** Whether an edit of this field is queued or on its way (its echo must not overwrite the field). */
  pending(id: string, key: string): boolean {
    const same = (e: FieldEdit | null) => e !== null && e.id === id && e.key === key;
    return same(this.sending) || this.queue.some(same);
  }

  /** Resolve once every edit made so far has reached the core. */
  async flush(): Promise<void> {
    while (this.busy) {
      this.pump();
      if (this.inFlight) await this.inFlight;
    }
  }

  private pump(): void {
    if (this.inFlight) return;
    const next = this.queue.shift();
    if (!next) return;
    this.sending = next;
    this.inFlight = this.port
      .send(next)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = null;
        this.sending = null;
        this.pump();
      });
  }
}
