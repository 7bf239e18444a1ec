import { describe, expect, it } from "vitest";
import type { SessionSummary, SiteSummary } from "../ipc/api";
import { ANY, filterChoices, filterRows, NO_FILTER, NONE, type ListFilter } from "./sessionFilter";

function row(stem: string, over: Partial<SessionSummary> = {}): SessionSummary {
  const track = stem.split("-")[0] ?? "";
  return {
    id: `content/sessions/${stem}.md`,
    stem,
    title: `Talk ${stem}`,
    track,
    track_title: track.toUpperCase(),
    track_index: 0,
    day: "2030-05-01",
    time: "10:00",
    room: "Main Hall",
    presenters: "Ada Park",
    twin_text: "",
    twins: [
      { lang: "en", id: `content/sessions/${stem}.md` },
      { lang: "zh", id: `content/sessions/${stem}.zh.md` },
    ],
    problems: 0,
    modified: false,
    ...over,
  };
}

const site: SiteSummary = {
  root: "/site",
  name: "Example Conf 2030",
  default_lang: "en",
  languages: [
    { code: "en", name: "English", weight: 1 },
    { code: "zh", name: "中文", weight: 2 },
  ],
  tracks: [
    { slug: "ai", titles: { en: "AI", zh: "人工智能" } },
    { slug: "db", titles: { en: "Databases" } },
    { slug: "web", titles: { en: "Web" } },
  ],
  days: ["2030-05-01", "2030-05-02"],
  session_count: 7,
  rooms: ["Main Hall", "Side Room"],
};

// The e2e fixture site's rows, as the core lists them.
const rows: SessionSummary[] = [
  row("ai-201", { day: "2030-05-02" }),
  row("db-101", { presenters: "Ada Park" }),
  row("web-102", { room: "Side Room", presenters: "Li Wei, Sam Jones" }),
  row("web-103", {
    day: "2030-05-02",
    room: "Attic",
    presenters: "Maria Rossi",
    problems: 2,
    twins: [{ lang: "en", id: "content/sessions/web-103.md" }],
  }),
];

const stems = (f: Partial<ListFilter>) => filterRows(rows, { ...NO_FILTER, ...f }).map((r) => r.stem);

describe("filterRows", () => {
  it("keeps every row, in order, without a filter", () => {
    expect(stems({})).toEqual(["ai-201", "db-101", "web-102", "web-103"]);
  });

  it("narrows by track, day, room, language and problems", () => {
    expect(stems({ track: "web" })).toEqual(["web-102", "web-103"]);
    expect(stems({ day: "2030-05-02" })).toEqual(["ai-201", "web-103"]);
    expect(stems({ room: "Main Hall" })).toEqual(["ai-201", "db-101"]);
    expect(stems({ room: "Attic" })).toEqual(["web-103"]);
    expect(stems({ lang: "lacks:zh" })).toEqual(["web-103"]);
    expect(stems({ lang: "has:zh" })).toEqual(["ai-201", "db-101", "web-102"]);
    expect(stems({ problems: true })).toEqual(["web-103"]);
  });

  it("combines the filters with the text search", () => {
    expect(stems({ track: "web", text: "rossi" })).toEqual(["web-103"]);
    expect(stems({ day: "2030-05-01", text: "ADA" })).toEqual(["db-101"]);
    expect(stems({ track: "ai", problems: true })).toEqual([]);
  });

  it("finds Chinese titles and names that only the twins hold", () => {
    const more = [
      ...rows,
      row("ai-300", { title: "API Gateways at Scale", presenters: "Guo Qi", twin_text: "大规模 API 网关\n郭奇" }),
    ];
    const f = (text: string) => filterRows(more, { ...NO_FILTER, text }).map((r) => r.stem);
    expect(f("网关")).toEqual(["ai-300"]);
    expect(f(" 郭奇 ")).toEqual(["ai-300"]);
    expect(f("guo qi")).toEqual(["ai-300"]);
    expect(f("郭奇x")).toEqual([]);
  });

  it("finds rows without a day or room with the NONE choice", () => {
    const more = [...rows, row("db-900", { day: null, time: null, room: "" })];
    const f = (x: Partial<ListFilter>) => filterRows(more, { ...NO_FILTER, ...x }).map((r) => r.stem);
    expect(f({ day: NONE })).toEqual(["db-900"]);
    expect(f({ room: NONE })).toEqual(["db-900"]);
  });

  it("filters 10,000 rows and sees edits (rows are replaced, not mutated)", () => {
    const big: SessionSummary[] = [];
    for (let i = 0; i < 10_000; i++) {
      const track = ["ai", "db", "web"][i % 3] ?? "ai";
      big.push(
        row(`${track}-${i}`, {
          day: i % 2 ? "2030-05-01" : "2030-05-02",
          room: i % 5 ? "Main Hall" : "Side Room",
          problems: i % 7 === 0 ? 1 : 0,
        }),
      );
    }
    const f: ListFilter = { ...NO_FILTER, track: "db", day: "2030-05-01", room: "Side Room", problems: true, text: "talk" };
    const expected = big.filter(
      (_, i) => i % 3 === 1 && i % 2 === 1 && i % 5 === 0 && i % 7 === 0,
    ).length;
    expect(filterRows(big, f)).toHaveLength(expected);
    // An edit replaces the row object; the search sees the new title.
    big[1] = { ...big[1]!, title: "Renamed zebra" };
    expect(filterRows(big, { ...NO_FILTER, text: "zebra" }).map((r) => r.stem)).toEqual(["db-1"]);
  });
});

describe("filterChoices", () => {
  it("offers the site's values first, then unknown ones found in rows", () => {
    const c = filterChoices(site, rows);
    expect(c.track.map((x) => x.value)).toEqual([ANY, "ai", "db", "web"]);
    expect(c.track[1]?.label).toBe("AI");
    expect(c.day.map((x) => x.value)).toEqual([ANY, "2030-05-01", "2030-05-02"]);
    expect(c.room.map((x) => x.value)).toEqual([ANY, "Main Hall", "Side Room", "Attic"]);
    expect(c.room[3]?.label).toBe("Attic (not a room of the site)");
    expect(c.lang.map((x) => x.value)).toEqual([ANY, "has:en", "lacks:en", "has:zh", "lacks:zh"]);
    expect(c.lang[3]?.label).toBe("With 中文");
  });
});
