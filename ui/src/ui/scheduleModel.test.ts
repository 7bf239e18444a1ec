import { describe, expect, it } from "vitest";
import type { Card, Schedule } from "../ipc/api";
import { cardLabel, cellKey, clashesPerDay, clashKinds, dayCells, isTime, pickDay, unplacedCards } from "./scheduleModel";

function card(stem: string, place: [string, string, number] | null, clashes: number[] = []): Card {
  return {
    stem,
    id: `content/sessions/${stem}.md`,
    title: stem.toUpperCase(),
    track: "db",
    track_index: 0,
    presenters: ["Ada Park"],
    twins: [{ lang: "en", id: `content/sessions/${stem}.md` }],
    modified: false,
    place: place ? { day: place[0], time: place[1], end: "10:40", room: `R${place[2]}`, room_index: place[2] } : null,
    unplaced: place ? null : "no date yet",
    clashes,
  };
}

const grid: Schedule = {
  days: [
    { date: "2030-04-30", times: [], declared: true },
    { date: "2030-05-01", times: ["10:00"], declared: true },
    { date: "2030-05-02", times: ["09:00"], declared: true },
  ],
  rooms: [
    { name: "R0", known: true },
    { name: "R1", known: true },
  ],
  duration_minutes: 40,
  sessions: [
    card("a", ["2030-05-01", "10:00", 0], [0, 1]),
    card("b", ["2030-05-01", "10:00", 0], [0]),
    card("c", ["2030-05-02", "09:00", 1], [1]),
    card("d", null),
  ],
  clashes: [
    { kind: "room", subject: "R0", day: "2030-05-01", start: "10:00", stems: ["a", "b"], message: "R0 is double-booked" },
    { kind: "presenter", subject: "Ada Park", day: "2030-05-01", start: "10:00", stems: ["a", "c"], message: "Ada Park twice" },
  ],
};

describe("dayCells", () => {
  it("puts the day's placed cards in their cells, in order, and nothing else", () => {
    const cells = dayCells(grid, "2030-05-01");
    expect([...cells.keys()]).toEqual([cellKey("10:00", 0)]);
    expect(cells.get(cellKey("10:00", 0))?.map((c) => c.stem)).toEqual(["a", "b"]);
    expect(dayCells(grid, "2030-05-03").size).toBe(0);
  });
});

describe("clashes", () => {
  it("names each card's clash kinds and counts clashes per starting day", () => {
    expect([...clashKinds(grid, grid.sessions[0]!)].sort()).toEqual(["presenter", "room"]);
    expect([...clashKinds(grid, grid.sessions[3]!)]).toEqual([]);
    expect(clashesPerDay(grid)).toEqual(new Map([["2030-05-01", 2]]));
  });

  it("puts where, when and every clash in the card's accessible name", () => {
    expect(cardLabel(grid, grid.sessions[0]!)).toBe(
      "A. 2030-05-01 10:00–10:40, R0. Ada Park. clash: R0 is double-booked. clash: Ada Park twice",
    );
    expect(cardLabel(grid, grid.sessions[3]!)).toContain("not scheduled: no date yet");
  });
});

describe("pickDay", () => {
  it("keeps the wanted day, else opens on the first busy day", () => {
    expect(pickDay(grid, "2030-05-02")).toBe("2030-05-02");
    expect(pickDay(grid, "2031-01-01")).toBe("2030-05-01");
    expect(pickDay(grid, null)).toBe("2030-05-01");
    expect(pickDay({ ...grid, days: [] }, null)).toBeNull();
  });
});

describe("unplacedCards and isTime", () => {
  it("lists sessions without a cell and accepts only HH:MM times", () => {
    expect(unplacedCards(grid).map((c) => c.stem)).toEqual(["d"]);
    expect(isTime("09:30")).toBe(true);
    expect(isTime("9:05")).toBe(true);
    expect(isTime("24:00")).toBe(false);
    expect(isTime("10:60")).toBe(false);
    expect(isTime("2pm")).toBe(false);
  });
});
