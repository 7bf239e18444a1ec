import { describe, expect, it } from "vitest";
import { FieldSync, type FieldEdit } from "./fieldSync";

/** A fake core that keeps field values and answers when told. */
class FakeCore {
  values = new Map<string, string | null>();
  sent: FieldEdit[] = [];
  waiting: Array<() => void> = [];
  failNext = false;

  send = (e: FieldEdit): Promise<void> => {
    this.sent.push(e);
    return new Promise((resolve, reject) =>
      this.waiting.push(() => {
        if (this.failNext) {
          this.failNext = false;
          reject(new Error("refused"));
          return;
        }
        this.values.set(`${e.id}:${e.key}`, e.value);
        resolve();
      }),
    );
  };

  /** Answer the request in flight; let the sync send the next one. */
  async answer(): Promise<void> {
    const f = this.waiting.shift();
    if (!f) throw new Error("nothing in flight");
    f();
    await new Promise((r) => setTimeout(r, 0));
  }
}

const typed = (value: string, key = "title", id = "a.md"): FieldEdit => ({ id, key, value, typing: true });

describe("FieldSync", () => {
  it("sends the first keystroke at once and the latest value of the rest in one request", async () => {
    const core = new FakeCore();
    const sync = new FieldSync(core);
    sync.edited(typed("A "));
    sync.edited(typed("A T"));
    sync.edited(typed("A TE"));
    sync.edited(typed("A TEST"));
    expect(core.sent.map((e) => e.value)).toEqual(["A "]);
    expect(sync.pending("a.md", "title")).toBe(true);
    await core.answer();
    expect(core.sent.map((e) => e.value)).toEqual(["A ", "A TEST"]);
    await core.answer();
    expect(core.values.get("a.md:title")).toBe("A TEST");
    expect(sync.busy).toBe(false);
    expect(sync.pending("a.md", "title")).toBe(false);
  });

  it("flush resolves only once what was typed last has reached the core", async () => {
    const core = new FakeCore();
    const sync = new FieldSync(core);
    sync.edited(typed("x"));
    sync.edited(typed("xy"));
    let flushed = false;
    const done = sync.flush().then(() => (flushed = true));
    await core.answer();
    expect(flushed).toBe(false);
    await core.answer();
    await done;
    expect(flushed).toBe(true);
    expect(core.values.get("a.md:title")).toBe("xy");
  });

  it("keeps edits of different fields and sessions apart and in order", async () => {
    const core = new FakeCore();
    const sync = new FieldSync(core);
    sync.edited(typed("1"));
    sync.edited(typed("Ann", "presenters"));
    sync.edited(typed("2"));
    sync.edited(typed("B", "title", "b.md"));
    const flushing = sync.flush();
    while (core.waiting.length > 0) await core.answer();
    await flushing;
    expect(core.sent.map((e) => `${e.id}:${e.key}=${e.value}`)).toEqual(["a.md:title=1", "a.md:presenters=Ann", "a.md:title=2", "b.md:title=B"]);
  });

  it("a commit after keystrokes of the same field is sent as a commit, and a removal is never merged", async () => {
    const core = new FakeCore();
    const sync = new FieldSync(core);
    sync.edited(typed("a"));
    sync.edited(typed("ab"));
    sync.edited({ id: "a.md", key: "title", value: "ab", typing: false });
    sync.edited({ id: "a.md", key: "title", value: null, typing: false });
    const flushing = sync.flush();
    while (core.waiting.length > 0) await core.answer();
    await flushing;
    expect(core.sent).toEqual([
      typed("a"),
      { id: "a.md", key: "title", value: "ab", typing: false },
      { id: "a.md", key: "title", value: null, typing: false },
    ]);
  });

  it("a refused edit does not stop the ones after it", async () => {
    const core = new FakeCore();
    const sync = new FieldSync(core);
    core.failNext = true;
    sync.edited(typed("bad"));
    sync.edited(typed("ok", "room"));
    const flushing = sync.flush();
    while (core.waiting.length > 0) await core.answer();
    await flushing;
    expect(core.values.has("a.md:title")).toBe(false);
    expect(core.values.get("a.md:room")).toBe("ok");
  });
});
