import { describe, expect, it } from "vitest";
import { KeyGate } from "./keyGate";

/** A fake clock: sleeping advances it, and keys can arrive at set times. */
function clock() {
  let t = 1000;
  const arrivals: Array<[number, () => void]> = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      for (const a of arrivals.filter(([at]) => at <= t)) {
        a[1]();
        arrivals.splice(arrivals.indexOf(a), 1);
      }
    },
    at: (ms: number, f: () => void) => arrivals.push([t + ms, f]),
    advance: (ms: number) => (t += ms),
  };
}

const letter = (key: string) => ({ key, ctrlKey: false, metaKey: false });
const ctrl = { key: "Control", ctrlKey: true, metaKey: false };

describe("KeyGate", () => {
  it("goes at once when the shortcut's Ctrl press has arrived (every key before it has)", async () => {
    const c = clock();
    const gate = new KeyGate(c.now, c.sleep);
    gate.pressed(letter("S"));
    gate.pressed(ctrl);
    const t0 = c.now();
    await gate.settled();
    expect(c.now()).toBe(t0);
  });

  it("waits for letters still on their way, until the keyboard is quiet", async () => {
    const c = clock();
    const gate = new KeyGate(c.now, c.sleep);
    const seen: string[] = [];
    gate.pressed(letter("S"));
    // The last letter and the Ctrl press arrive after the shortcut did.
    c.at(60, () => {
      gate.pressed(letter("T"));
      seen.push("T");
    });
    c.at(80, () => {
      gate.pressed(ctrl);
      seen.push("Control");
    });
    await gate.settled();
    expect(seen).toEqual(["T", "Control"]);
  });

  it("without keys in flight (F5 after a pause, a click) it waits at most the quiet time, and never past the maximum", async () => {
    const c = clock();
    const gate = new KeyGate(c.now, c.sleep);
    await gate.settled();
    expect(c.now()).toBe(1000);
    gate.pressed(letter("a"));
    c.advance(100);
    const t0 = c.now();
    await gate.settled(150, 600);
    expect(c.now() - t0).toBeLessThanOrEqual(75);
    // A key every 20 ms forever: the gate still opens after `max`.
    const busy = new KeyGate(c.now, async (ms) => {
      c.advance(ms);
      busy.pressed(letter("x"));
    });
    busy.pressed(letter("x"));
    const t1 = c.now();
    await busy.settled(150, 600);
    expect(c.now() - t1).toBeGreaterThanOrEqual(600);
    expect(c.now() - t1).toBeLessThan(650);
  });
});
