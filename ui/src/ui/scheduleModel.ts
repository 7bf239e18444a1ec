// View helpers for the schedule grid: which cards go in which cell of a
// day, and how to label them. The grid itself (days, rooms, places,
// clashes) comes from the core; nothing here decides what a clash is.
import { t } from "../i18n";
import type { Card, Clash, Schedule } from "../ipc/api";

/** The key of a cell: a start time and a room column. */
export function cellKey(time: string, roomIndex: number): string {
  return `${time}|${roomIndex}`;
}

/** One day's cells: every placed card of that day by cell, in stem order. */
export function dayCells(schedule: Schedule, day: string): Map<string, Card[]> {
  const cells = new Map<string, Card[]>();
  for (const c of schedule.sessions) {
    const p = c.place;
    if (!p || p.day !== day) continue;
    const key = cellKey(p.time, p.room_index);
    const list = cells.get(key);
    if (list) list.push(c);
    else cells.set(key, [c]);
  }
  return cells;
}

/** Sessions the grid cannot place (no date, no room, unreadable). */
export function unplacedCards(schedule: Schedule): Card[] {
  return schedule.sessions.filter((c) => !c.place);
}

/** The kinds of clash a card is part of. */
export function clashKinds(schedule: Schedule, card: Card): Set<Clash["kind"]> {
  const kinds = new Set<Clash["kind"]>();
  for (const i of card.clashes) {
    const c = schedule.clashes[i];
    if (c) kinds.add(c.kind);
  }
  return kinds;
}

/** How many clashes each day has (a clash counts on the day it starts). */
export function clashesPerDay(schedule: Schedule): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of schedule.clashes) out.set(c.day, (out.get(c.day) ?? 0) + 1);
  return out;
}

/** The day to show first: `wanted` if the grid has it, else the first day with a session, else the first day. */
export function pickDay(schedule: Schedule, wanted: string | null): string | null {
  if (wanted && schedule.days.some((d) => d.date === wanted)) return wanted;
  const busy = schedule.days.find((d) => d.times.length > 0);
  return busy?.date ?? schedule.days[0]?.date ?? null;
}

/** Whether a time is written as the move form wants it (`HH:MM`, 00:00–23:59). */
export function isTime(value: string): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/** A card's accessible name: title, where and when, and its clashes. */
export function cardLabel(schedule: Schedule, card: Card): string {
  const parts = [card.title];
  if (card.place) parts.push(`${card.place.day} ${card.place.time}–${card.place.end}, ${card.place.room}`);
  else if (card.unplaced) parts.push(t("schedule.notScheduledWhy", { why: card.unplaced }));
  if (card.presenters.length > 0) parts.push(card.presenters.join(", "));
  for (const i of card.clashes) {
    const c = schedule.clashes[i];
    if (c) parts.push(t("schedule.clash", { message: c.message }));

  }
  return parts.join(". ");
}
