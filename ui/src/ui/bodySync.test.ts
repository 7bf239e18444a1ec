import { describe, expect, it } from "vitest";
import { BodySync, type BodySyncPort, type TextChange } from "./bodySync";

/** A fake core that applies changes to its own copy, answering when told. */
class FakeCore implements BodySyncPort<string, string> {
  text: string;
  pending: Array<() => void> = [];
  requests: string[] = [];
  shown: string[] = [];
  errors: unknown[] = [];
  refuseNext = false;

  constructor(text: string) {
    this.text = text;
  }

  sendChanges(id: string, edits: TextChange[][], length: number): Promise<string> {
    this.requests.push(`changes ${id} ${edits.length}`);
    return new Promise((resolve, reject) =>
      this.pending.push(() => {
        let t = this.text;
        for (const set of edits) {
          let out = "";
          let at = 0;
          for (const c of set) {
            out += t.slice(at, c.from) + c.insert;
            at = c.to;
          }
          t = out + t.slice(at);
        }
        if (this.refuseNext || t.length !== length) {
          this.refuseNext = false;
          reject({ kind: "invalid", message: "out of sync" });
          return;
        }
        this.text = t;
        resolve(`preview:${t}`);
      }),
    );
  }

  sendWhole(id: string, text: string): Promise<string> {
    this.requests.push(`whole ${id}`);
    return new Promise((resolve) =>
      this.pending.push(() => {
        this.text = text;
        resolve(`preview:${text}`);
      }),
    );
  }

  isOutOfSync(e: unknown): boolean {
    return (e as { kind?: string }).kind === "invalid";
  }
  applied(_id: string, r: string): void {
    this.shown.push(r);
  }
  resynced(_id: string, r: string): void {
    this.shown.push(r);
  }
  failed(e: unknown): void {
    this.errors.push(e);
  }

  /** Answer the oldest request, then let promise callbacks run. */
  async answer(): Promise<void> {
    this.pending.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

/** An editor: its text and the change it reports for typing `s` at `at`. */
function typer(initial: string) {
  let text = initial;
  return {
    type(at: number, s: string): [TextChange[], number, () => string] {
      text = text.slice(0, at) + s + text.slice(at);
      const now = text;
      return [[{ from: at, to: at, insert: s }], now.length, () => text];
    },
    get text() {
      return text;
    },
  };
}

describe("BodySync", () => {
  it("sends a keystroke at once and shows the answer", async () => {
    const core = new FakeCore("abc");
    const sync = new BodySync(core);
    const ed = typer("abc");
    sync.edited("s1", ...ed.type(3, "d"));
    expect(core.requests).toEqual(["changes s1 1"]);
    await core.answer();
    expect(core.text).toBe("abcd");
    expect(core.shown).toEqual(["preview:abcd"]);
    expect(sync.busy).toBe(false);
  });

  it("batches what is typed while a request is in flight into the next one", async () => {
    const core = new FakeCore("");
    const sync = new BodySync(core);
    const ed = typer("");
    sync.edited("s1", ...ed.type(0, "a"));
    sync.edited("s1", ...ed.type(1, "b"));
    sync.edited("s1", ...ed.type(2, "c"));
    expect(core.requests).toEqual(["changes s1 1"]);
    await core.answer();
    expect(core.requests).toEqual(["changes s1 1", "changes s1 2"]);
    await core.answer();
    expect(core.text).toBe("abc");
    expect(core.shown).toEqual(["preview:a", "preview:abc"]);
  });

  it("sends the whole text when the core refuses the changes", async () => {
    const core = new FakeCore("abc");
    const sync = new BodySync(core);
    const ed = typer("abc");
    core.refuseNext = true;
    sync.edited("s1", ...ed.type(0, "x"));
    await core.answer();
    expect(core.requests).toEqual(["changes s1 1", "whole s1"]);
    sync.edited("s1", ...ed.type(4, "y")); // typed while the whole text is on its way
    await core.answer();
    expect(core.text).toBe("xabc");
    await core.answer();
    expect(core.requests).toEqual(["changes s1 1", "whole s1", "changes s1 1"]);
    expect(core.text).toBe("xabcy");
    expect(core.shown.at(-1)).toBe("preview:xabcy");
    expect(core.errors).toEqual([]);
  });

  it("flush resolves once every edit has reached the core", async () => {
    const core = new FakeCore("");
    const sync = new BodySync(core);
    const ed = typer("");
    sync.edited("s1", ...ed.type(0, "a"));
    sync.edited("s1", ...ed.type(1, "b"));
    let flushed = false;
    const f = sync.flush().then(() => (flushed = true));
    await core.answer();
    expect(flushed).toBe(false);
    await core.answer();
    await f;
    expect(flushed).toBe(true);
    expect(core.text).toBe("ab");
  });

  it("never applies one file's queued edits to another", async () => {
    const core = new FakeCore("abc");
    const sync = new BodySync(core);
    const ed = typer("abc");
    sync.edited("s1", ...ed.type(0, "1"));
    sync.edited("s1", ...ed.type(0, "2")); // queued for s1
    sync.edited("s2", [{ from: 0, to: 0, insert: "z" }], 1, () => "z");
    await core.answer();
    await core.answer();
    expect(core.requests.slice(0, 2)).toEqual(["changes s1 1", "changes s2 1"]);
    expect(core.requests.filter((r) => r.startsWith("changes s1"))).toHaveLength(1);
  });
});
