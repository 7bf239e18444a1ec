import { describe, expect, it } from "vitest";
import { Coalescer } from "./coalesce";

describe("Coalescer", () => {
  it("hands a burst over as one batch", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number>(async (b) => void batches.push(b), 10);
    for (let i = 0; i < 5000; i++) c.push(i);
    await c.idle();
    expect(batches.length).toBe(1);
    expect(batches[0]?.length).toBe(5000);
  });

  it("never runs the handler twice at once, and items arriving meanwhile make the next batch", async () => {
    const batches: number[][] = [];
    let active = 0;
    let overlap = false;
    let release: () => void = () => {};
    const c = new Coalescer<number>(async (b) => {
      active++;
      overlap ||= active > 1;
      batches.push(b);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      active--;
    }, 1);
    c.push(1);
    c.push(2);
    await new Promise((r) => setTimeout(r, 20)); // the first batch is running
    c.push(3);
    c.push(4);
    release();
    await c.idle();
    expect(batches).toEqual([[1, 2], [3, 4]]);
    expect(overlap).toBe(false);
  });

  it("keeps going after a failed batch", async () => {
    const seen: number[] = [];
    const c = new Coalescer<number>(async (b) => {
      seen.push(...b);
      if (b.includes(1)) throw new Error("boom");
    }, 1);
    c.push(1);
    await c.idle();
    c.push(2);
    await c.idle();
    expect(seen).toEqual([1, 2]);
  });
});
