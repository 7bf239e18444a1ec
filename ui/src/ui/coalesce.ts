// Gathers items that arrive in bursts and hands them over in batches: the
// first item starts a short wait, everything that arrives meanwhile joins
// it, and the handler runs once per batch, never twice at the same time
// (items arriving while it runs make the next batch). A `git checkout`
// that touches 5,000 session files sends 5,000 disk events; handling each
// on its own re-listed the whole site 5,000 times.

export class Coalescer<T> {
  private pending: T[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly handle: (batch: T[]) => Promise<void>,
    private readonly waitMs = 50,
  ) {}

  /** Queue an item; the handler sees it in the next batch. */
  push(item: T): void {
    this.pending.push(item);
    this.start();
  }

  /** Resolve once every queued item has been handled. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private start(): void {
    if (this.running || this.pending.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // An item pushed between the last batch and this callback.
      this.start();
    });
  }

  private async drain(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.waitMs));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.handle(batch);
      } catch {
        // The handler reports its own errors; a failed batch must not
        // stop the next ones.
      }
    }
  }
}
