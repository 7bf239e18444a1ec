// Keeps the core's copy of the open body in step with the editor, fast.
// Each keystroke's changes go to the core at once (no debounce), and the
// answer carries the new preview. At most one request is in flight: what
// is typed meanwhile queues up and goes in the next request, so a slow
// round trip (a 100 KB body) batches keystrokes instead of piling them up.
// When the core refuses the changes (the two copies disagree), the whole
// text is sent instead, which always resynchronises.

/** One editor change: replace `from..to` (UTF-16, LF text) with `insert`. */
export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

/** How the sync talks to the core and to the window. */
export interface BodySyncPort<R, W> {
  /** Send change sets (in order) for `id`; `length` is the editor's length after them. */
  sendChanges(id: string, edits: TextChange[][], length: number): Promise<R>;
  /** Send the whole body (resynchronise). */
  sendWhole(id: string, text: string): Promise<W>;
  /** Whether a failure of `sendChanges` means "out of sync" (then the whole text is sent). */
  isOutOfSync(e: unknown): boolean;
  /** A `sendChanges` answer arrived. */
  applied(id: string, result: R): void;
  /** A `sendWhole` answer arrived. */
  resynced(id: string, result: W): void;
  /** A request failed for another reason. */
  failed(e: unknown): void;
}

export class BodySync<R, W> {
  private id: string | null = null;
  private queue: TextChange[][] = [];
  private length = 0;
  private text: () => string = () => "";
  private whole = false;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly port: BodySyncPort<R, W>) {}

  /** The editor changed the body of `id`: `changes` took it to `length`; `text` reads it now. */
  edited(id: string, changes: TextChange[], length: number, text: () => string): void {
    if (this.id !== null && this.id !== id && (this.queue.length > 0 || this.whole)) {
      // Another file's edits are still queued: they must not be applied to
      // this one. Callers flush before switching, so this is a safety net.
      this.whole = false;
      this.queue = [];
    }
    this.id = id;
    this.queue.push(changes);
    this.length = length;
    this.text = text;
    this.pump();
  }

  /** Whether edits are queued or on their way. */
  get busy(): boolean {
    return this.inFlight !== null || this.queue.length > 0 || this.whole;
  }

  /** Resolve once every edit made so far has reached the core. */
  async flush(): Promise<void> {
    while (this.busy) {
      this.pump();
      if (this.inFlight) await this.inFlight;
    }
  }

  private pump(): void {
    if (this.inFlight || this.id === null || (this.queue.length === 0 && !this.whole)) return;
    this.inFlight = this.sendOnce().finally(() => {
      this.inFlight = null;
      this.pump();
    });
  }

  private async sendOnce(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    if (this.whole) {
      this.whole = false;
      this.queue = []; // the whole text includes them
      try {
        this.port.resynced(id, await this.port.sendWhole(id, this.text()));
      } catch (e) {
        this.port.failed(e);
      }
      return;
    }
    const edits = this.queue;
    const length = this.length;
    this.queue = [];
    try {
      this.port.applied(id, await this.port.sendChanges(id, edits, length));
    } catch (e) {
      if (this.port.isOutOfSync(e)) this.whole = true;
      else this.port.failed(e);
    }
  }
}
