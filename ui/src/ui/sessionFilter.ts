// Session list filters: text search plus track, day, room, language and
// "has problems", combined with AND. The filter runs in memory on the rows
// the list holds (the core computed each row's fields), so it needs no IPC
// and stays fast with 10,000 rows. Pure, so it is unit-tested.
//
// The choices come from the site schema (tracks, days, rooms, languages);
// values found in rows but unknown to the site are added after them, marked,
// so a mistyped room can be found with its filter too.
import type { SessionSummary, SiteSummary } from "../ipc/api";
import { t } from "../i18n";

/** The value of a "no day" / "no room" choice (no real value is empty). */
export const NONE = "";
/** The value of "any" in every dropdown. */
export const ANY = "*";

export interface ListFilter {
  /** Free text across title, id, presenters, track and room, and the other languages' titles and presenters. */
  text: string;
  /** Track slug, ANY, or NONE for "no track". */
  track: string;
  /** `YYYY-MM-DD`, ANY, or NONE for "no date". */
  day: string;
  /** Room (default language), ANY, or NONE for "no room". */
  room: string;
  /** `has:<lang>`, `lacks:<lang>` or ANY. */
  lang: string;
  /** Only sessions with at least one problem. */
  problems: boolean;
}

export const NO_FILTER: ListFilter = { text: "", track: ANY, day: ANY, room: ANY, lang: ANY, problems: false };

export interface Choice {
  value: string;
  label: string;
}

export interface FilterChoices {
  track: Choice[];
  day: Choice[];
  room: Choice[];
  lang: Choice[];
}

// Lower-cased search text per row object; rows are replaced (not mutated)
// when they change, so a WeakMap keyed by the row never goes stale.
const haystacks = new WeakMap<SessionSummary, string>();

function haystack(r: SessionSummary): string {
  let s = haystacks.get(r);
  if (s === undefined) {
    // The twins' titles and presenters too: on an English-first site a
    // Chinese title or name ("网关", "郭奇") is only in the .zh.md twin.
    s = `${r.title}\n${r.stem}\n${r.presenters}\n${r.track_title}\n${r.track}\n${r.room}\n${r.twin_text}`.toLowerCase();
    haystacks.set(r, s);
  }
  return s;
}

/** Whether no filter is set. */
export function isEmpty(f: ListFilter): boolean {
  return (
    f.text.trim() === "" && f.track === ANY && f.day === ANY && f.room === ANY && f.lang === ANY && !f.problems
  );
}

/** A predicate for `f` (prepared once per filtering, not per row). */
export function matcher(f: ListFilter): (r: SessionSummary) => boolean {
  const q = f.text.trim().toLowerCase();
  const [langMode, langCode] = f.lang === ANY ? [null, ""] : (f.lang.split(":", 2) as [string, string]);
  return (r) => {
    if (f.problems && r.problems === 0) return false;
    if (f.track !== ANY && r.track !== f.track) return false;
    if (f.day !== ANY && (r.day ?? NONE) !== f.day) return false;
    if (f.room !== ANY && r.room !== f.room) return false;
    if (langMode !== null) {
      const has = r.twins.some((t) => t.lang === langCode);
      if ((langMode === "has") !== has) return false;
    }
    return q === "" || haystack(r).includes(q);
  };
}

/** The rows that pass `f`, in their order. */
export function filterRows(rows: readonly SessionSummary[], f: ListFilter): SessionSummary[] {
  if (isEmpty(f)) return rows.slice();
  return rows.filter(matcher(f));
}

/** The dropdowns' choices: the site's values, then unknown ones seen in rows. */
export function filterChoices(site: SiteSummary, rows: readonly SessionSummary[]): FilterChoices {
  const any = (label: string): Choice => ({ value: ANY, label });
  const track: Choice[] = [any(t("filter.allTracks"))];
  const knownTracks = new Set<string>();
  for (const t of site.tracks) {
    knownTracks.add(t.slug);
    track.push({ value: t.slug, label: t.titles[site.default_lang] ?? Object.values(t.titles)[0] ?? t.slug });
  }
  const day: Choice[] = [any(t("filter.allDays")), ...site.days.map((d) => ({ value: d, label: d }))];
  const room: Choice[] = [any(t("filter.allRooms")), ...site.rooms.map((r) => ({ value: r, label: r }))];
  const extraTracks = new Set<string>();
  const extraDays = new Set<string>();
  const extraRooms = new Set<string>();
  const knownDays = new Set(site.days);
  const knownRooms = new Set(site.rooms);
  let noDay = false;
  let noRoom = false;
  let noTrack = false;
  for (const r of rows) {
    if (r.track === "") noTrack = true;
    else if (!knownTracks.has(r.track)) extraTracks.add(r.track);
    if (r.day === null) noDay = true;
    else if (!knownDays.has(r.day)) extraDays.add(r.day);
    if (r.room === "") noRoom = true;
    else if (!knownRooms.has(r.room)) extraRooms.add(r.room);
  }
  const unknown = (set: Set<string>, note: string) =>
    [...set].sort().map((v) => ({ value: v, label: `${v} (${note})` }));
  track.push(...unknown(extraTracks, t("filter.notATrack")));
  if (noTrack) track.push({ value: NONE, label: t("filter.noTrack") });
  day.push(...unknown(extraDays, t("filter.notADay")));
  if (noDay) day.push({ value: NONE, label: t("filter.noDate") });
  room.push(...unknown(extraRooms, t("filter.notARoom")));
  if (noRoom) room.push({ value: NONE, label: t("filter.noRoom") });
  const lang: Choice[] = [any(t("filter.allLanguages"))];
  for (const l of site.languages) {
    lang.push({ value: `has:${l.code}`, label: t("filter.with", { lang: l.name }) });
    lang.push({ value: `lacks:${l.code}`, label: t("filter.without", { lang: l.name }) });

  }
  return { track, day, room, lang };
}
