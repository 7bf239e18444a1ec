//! Programme checks across sessions: one room booked twice at overlapping
//! times, and a presenter in two places at once. Each session counts once
//! (its default-language twin, else any twin). Rooms are compared by their
//! default-language name, so a session whose only file is a translation
//! still clashes with the room it is really in.
//!
//! The helpers here ([`representatives`], [`room_key`], [`presenter_key`],
//! [`overlap_groups`]) are shared with [`crate::schedule`], so the grid and
//! the checker agree on what a clash is.

use super::{parse_datetime, Loaded};
use crate::diagnostics::{Diagnostic, Severity};
use crate::document::split_presenters;
use crate::site::Site;
use chrono::{Duration, NaiveDateTime};
use std::collections::BTreeMap;

struct Slot<'a> {
    start: NaiveDateTime,
    rel: &'a str,
    line: usize,
    title: String,
}

/// How long a session lasts, from `[sessions] duration` (default 40 minutes).
pub(crate) fn duration(site: &Site) -> Duration {
    Duration::minutes(i64::from(site.config.sessions.duration.unwrap_or(40)))
}

/// One readable file per session (by stem): the default-language twin,
/// else the first twin in file order.
pub(crate) fn representatives<'a>(
    site: &Site,
    loaded: &'a [Loaded],
) -> BTreeMap<&'a str, &'a Loaded> {
    let mut reps: BTreeMap<&str, &Loaded> = BTreeMap::new();
    for l in loaded
        .iter()
        .filter(|l| l.doc.as_ref().is_some_and(|d| d.mapping().is_some()))
    {
        let e = reps.entry(l.file.stem.as_str()).or_insert(l);
        if l.file.lang == site.default_lang && e.file.lang != site.default_lang {
            *e = l;
        }
    }
    reps
}

/// A room as the default language names it: a translation's name is mapped
/// through the parallel lists of `data/rooms.yaml`; unknown names stay as
/// written (trimmed).
pub(crate) fn room_key(site: &Site, room: &str, lang: &str) -> String {
    let room = room.trim();
    if lang != site.default_lang {
        if let Some(t) = site
            .schema
            .get("room")
            .and_then(|r| r.translate(room, lang, &site.default_lang))
        {
            return t;
        }
    }
    room.to_string()
}

/// A presenter's name compared without case and repeated spaces.
pub(crate) fn presenter_key(name: &str) -> String {
    name.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Groups of bookings that overlap, each at least two long: `starts` are
/// (start, item) pairs, each booking lasts `dur`, and a booking joins the
/// group when it starts before every earlier one in the group has ended
/// (overlap is chained: 10:00, 10:30 and 11:00 with 40 minutes form one
/// group). Items come back sorted by start within a group.
pub(crate) fn overlap_groups<T: Copy + Ord>(
    starts: &mut [(NaiveDateTime, T)],
    dur: Duration,
) -> Vec<Vec<(NaiveDateTime, T)>> {
    starts.sort();
    let mut out = Vec::new();
    let mut group: Vec<(NaiveDateTime, T)> = Vec::new();
    let mut end = None;
    for &(start, item) in starts.iter() {
        if end.is_some_and(|e| start < e) {
            group.push((start, item));
        } else {
            if group.len() > 1 {
                out.push(std::mem::take(&mut group));
            }
            group.clear();
            group.push((start, item));
        }
        end = Some(end.filter(|e| *e > start + dur).unwrap_or(start + dur));
    }
    if group.len() > 1 {
        out.push(group);
    }
    out
}

pub(super) fn check(site: &Site, loaded: &[Loaded]) -> Vec<Diagnostic> {
    let dur = duration(site);
    let reps = representatives(site, loaded);
    let mut rooms: BTreeMap<String, Vec<Slot>> = BTreeMap::new();
    let mut people: BTreeMap<String, (String, Vec<Slot>)> = BTreeMap::new();
    for l in reps.values() {
        let Some(d) = &l.doc else { continue };
        let Some(start) = d.get("date").as_deref().and_then(parse_datetime) else {
            continue;
        };
        let title = d.get("title").unwrap_or_else(|| l.file.stem.clone());
        if let Some(room) = d.get("room").filter(|r| !r.trim().is_empty()) {
            let line = d.key_line("room").unwrap_or(0);
            rooms
                .entry(room_key(site, &room, &l.file.lang))
                .or_default()
                .push(Slot {
                    start,
                    rel: &l.file.rel,
                    line,
                    title: title.clone(),
                });
        }
        for p in split_presenters(&d.get("presenters").unwrap_or_default()) {
            let key = presenter_key(&p);
            let line = d.key_line("presenters").unwrap_or(0);
            people
                .entry(key)
                .or_insert_with(|| (p.clone(), Vec::new()))
                .1
                .push(Slot {
                    start,
                    rel: &l.file.rel,
                    line,
                    title: title.clone(),
                });
        }
    }
    let mut out = Vec::new();
    for (room, mut slots) in rooms {
        for (a, b, more) in overlapping(&mut slots, dur) {
            out.push(
                Diagnostic::new(
                    "room-clash",
                    Severity::Error,
                    b.rel,
                    b.line,
                    1,
                    format!(
                        "room {room:?} is double-booked: {:?} ({}) overlaps {:?} at {} in {}{}",
                        b.title,
                        b.start.format("%Y-%m-%d %H:%M"),
                        a.title,
                        a.start.format("%H:%M"),
                        a.rel,
                        others(more)
                    ),
                )
                .with_field("room"),
            );
        }
    }
    for (_, (name, mut slots)) in people {
        for (a, b, more) in overlapping(&mut slots, dur) {
            out.push(
                Diagnostic::new(
                    "presenter-clash",
                    Severity::Error,
                    b.rel,
                    b.line,
                    1,
                    format!(
                        "{name} presents {:?} at {} while presenting {:?} at {} in {}{}",
                        b.title,
                        b.start.format("%Y-%m-%d %H:%M"),
                        a.title,
                        a.start.format("%H:%M"),
                        a.rel,
                        others(more)
                    ),
                )
                .with_field("presenters"),
            );
        }
    }
    out
}

fn others(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " and 1 other session".into(),
        n => format!(" and {n} other sessions"),
    }
}

/// For each slot that starts while an earlier one is still running: (the
/// latest such earlier slot, the slot, how many more earlier slots overlap).
/// One finding per session keeps the output linear when many pile up.
fn overlapping<'s, 'a>(
    slots: &'s mut [Slot<'a>],
    dur: Duration,
) -> Vec<(&'s Slot<'a>, &'s Slot<'a>, usize)> {
    slots.sort_by(|a, b| (a.start, a.rel).cmp(&(b.start, b.rel)));
    let mut out = Vec::new();
    let mut first_running = 0;
    for j in 1..slots.len() {
        while slots[j].start - slots[first_running].start >= dur {
            first_running += 1;
        }
        if first_running < j {
            out.push((&slots[j - 1], &slots[j], j - 1 - first_running));
        }
    }
    out
}
