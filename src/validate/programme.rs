//! Programme checks across sessions: one room booked twice at overlapping
//! times, and a presenter in two places at once. Each session counts once
//! (its default-language twin, else any twin). Rooms are compared by their
//! default-language name, so a session whose only file is a translation
//! still clashes with the room it is really in.
//!
//! The helpers here ([`representatives`], [`room_key`], [`presenter_key`],
//! [`overlap_groups`], [`parse_end`], [`is_draft`]) are shared with
//! [`crate::schedule`]. Both read the site's roles (start, end, duration,
//! room, speakers, draft) and the programme data file's times; where a
//! session has no end, the checker uses the learned slot length of its type
//! and the grid the fixed [`duration`], so on such a site the two can still
//! disagree about a session that runs past the fixed length.

use super::Loaded;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::document::split_presenters;
use crate::site::Site;
use crate::text::parse_datetime;
use chrono::{Duration, NaiveDateTime};
use std::collections::BTreeMap;

struct Slot<'a> {
    start: NaiveDateTime,
    end: NaiveDateTime,
    how: String,
    rel: &'a str,
    line: usize,
    title: String,
    /// The session's track, for rooms that hold parallel tracks.
    track: Option<String>,
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

/// Groups of bookings that overlap, each at least two long: `spans` are
/// (start, end, item) triples, and a booking joins the group when it starts
/// before every earlier one in the group has ended (overlap is chained:
/// 10:00, 10:30 and 11:00 with 40 minutes each form one group). Items come
/// back sorted by start within a group.
pub(crate) fn overlap_groups<T: Copy + Ord>(
    spans: &mut [(NaiveDateTime, NaiveDateTime, T)],
) -> Vec<Vec<(NaiveDateTime, T)>> {
    spans.sort_by_key(|s| (s.0, s.2));
    let mut out = Vec::new();
    let mut group: Vec<(NaiveDateTime, T)> = Vec::new();
    let mut end: Option<NaiveDateTime> = None;
    for &(start, stop, item) in spans.iter() {
        if end.is_some_and(|e| start < e) {
            group.push((start, item));
        } else {
            if group.len() > 1 {
                out.push(std::mem::take(&mut group));
            }
            group.clear();
            group.push((start, item));
        }
        end = Some(end.filter(|e| *e > stop).unwrap_or(stop));
    }
    if group.len() > 1 {
        out.push(group);
    }
    out
}

/// Whether a session is a draft (its draft field is `true`): drafts are left
/// out of clashes.
pub(crate) fn is_draft(doc: &crate::document::Document, field: &str) -> bool {
    doc.get(field)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The end of a session from its end field: a date and time, or a time of
/// day (`11:40`, `11:40:00`) on the start's day.
pub(crate) fn parse_end(v: &str, start: NaiveDateTime) -> Option<NaiveDateTime> {
    parse_datetime(v).or_else(|| {
        ["%H:%M:%S", "%H:%M"]
            .iter()
            .find_map(|f| chrono::NaiveTime::parse_from_str(v.trim(), f).ok())
            .map(|t| start.date().and_time(t))
    })
}

/// A session's bookings, with how its length was found.
struct Booking<'a> {
    start: NaiveDateTime,
    end: Option<NaiveDateTime>,
    /// Where `end` came from, when not the front matter's end field.
    end_how: Option<String>,
    room: Option<String>,
    kind: Option<String>,
    track: Option<String>,
    speakers: Vec<String>,
    rel: &'a str,
    title: String,
    room_line: usize,
    speakers_line: usize,
}

pub(super) fn check(site: &Site, loaded: &[Loaded]) -> Vec<Diagnostic> {
    let roles = site.config.roles();
    let declared = site
        .config
        .sessions
        .duration
        .map(|m| Duration::minutes(i64::from(m)));
    let reps = representatives(site, loaded);
    let mut out = Vec::new();
    let mut bookings: Vec<Booking> = Vec::new();
    for l in reps.values() {
        let Some(d) = &l.doc else { continue };
        // The front matter's own start, else the programme data file's
        // (whose end-before-start is reported on the data file).
        let own = d
            .get(&roles.start)
            .filter(|v| !v.trim().is_empty())
            .map(|v| parse_datetime(&v));
        let data = match own {
            None => site.data_slot(&l.file),
            Some(_) => None,
        };
        let Some(start) = own.flatten().or(data.as_ref().map(|s| s.start)) else {
            continue;
        };
        let draft = is_draft(d, &roles.draft);
        let mut end = None;
        let mut end_how = None;
        if let Some(slot) = &data {
            if let Some(e) = slot.end {
                end = Some(e);
                end_how = Some(format!("its times in {}:{}", slot.file, slot.line));
            }
        }
        if let (Some(field), None) = (&roles.end, &data) {
            if let Some(e) = d
                .get(field)
                .filter(|v| !v.trim().is_empty())
                .and_then(|v| parse_end(&v, start))
            {
                if e <= start {
                    out.push(
                        Diagnostic::new(
                            Code::EndBeforeStart,
                            Severity::Error,
                            &l.file.rel,
                            d.key_line(field).unwrap_or(0),
                            1,
                            format!(
                                "`{field}` ({}) is not after `{}` ({}); fix one of them",
                                e.format("%Y-%m-%d %H:%M"),
                                roles.start,
                                start.format("%Y-%m-%d %H:%M")
                            ),
                        )
                        .with_field(field),
                    );
                } else {
                    end = Some(e);
                }
            }
        }
        if end.is_none() {
            if let Some(mins) = roles
                .duration
                .as_ref()
                .and_then(|f| d.get(f))
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|m| (1..=24 * 60).contains(m))
            {
                end = Some(start + Duration::minutes(mins));
            }
        }
        if draft {
            continue;
        }
        let title = d.get(&roles.title).unwrap_or_else(|| l.file.stem.clone());
        bookings.push(Booking {
            start,
            end,
            end_how,
            room: d
                .get(&roles.room)
                .filter(|r| !r.trim().is_empty())
                .map(|r| room_key(site, &r, &l.file.lang)),
            kind: d
                .get(&roles.kind)
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty()),
            track: d
                .get(&roles.track)
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            speakers: d
                .list(&roles.speakers)
                .unwrap_or_else(|| split_presenters(&d.get(&roles.speakers).unwrap_or_default())),
            rel: &l.file.rel,
            title,
            room_line: d.key_line(&roles.room).unwrap_or(0),
            speakers_line: d.key_line(&roles.speakers).unwrap_or(0),
        });
    }
    let lengths = Lengths::learn(&bookings, declared);
    let mut rooms: BTreeMap<String, Vec<Slot>> = BTreeMap::new();
    let mut people: BTreeMap<String, (String, Vec<Slot>)> = BTreeMap::new();
    for b in &bookings {
        let (end, how) = lengths.end_of(b);
        if let Some(room) = &b.room {
            rooms.entry(room.clone()).or_default().push(Slot {
                start: b.start,
                end,
                how: how.clone(),
                rel: b.rel,
                line: b.room_line,
                title: b.title.clone(),
                track: b.track.clone(),
            });
        }
        for p in &b.speakers {
            people
                .entry(presenter_key(p))
                .or_insert_with(|| (p.clone(), Vec::new()))
                .1
                .push(Slot {
                    start: b.start,
                    end,
                    how: how.clone(),
                    rel: b.rel,
                    line: b.speakers_line,
                    title: b.title.clone(),
                    track: b.track.clone(),
                });
        }
    }
    for (room, mut slots) in rooms {
        let parallel = parallel_tracks(&mut slots);
        if let Some(note) = &parallel {
            let first = &slots[0];
            out.push(Diagnostic::new(
                Code::RoomShared,
                Severity::Info,
                first.rel,
                first.line,
                1,
                format!(
                    "room {room:?} holds {} side by side throughout ({} of {} sessions overlap one of another track): read as parallel streams, so clashes are checked per track in this room; if it is one physical room, give each track its own",
                    note.tracks.join(" and "),
                    note.overlapping,
                    slots.len()
                ),
            ));
        }
        let groups: Vec<Vec<Slot>> = if parallel.is_some() {
            let mut by_track: BTreeMap<Option<String>, Vec<Slot>> = BTreeMap::new();
            for s in slots {
                by_track.entry(s.track.clone()).or_default().push(s);
            }
            by_track.into_values().collect()
        } else {
            vec![slots]
        };
        for mut slots in groups {
            for (a, b, more) in overlapping(&mut slots) {
                out.push(
                    Diagnostic::new(
                        Code::RoomClash,
                        Severity::Error,
                        b.rel,
                        b.line,
                        1,
                        format!(
                            "room {room:?} is double-booked: {:?} ({}) overlaps {:?} ({}) in {}{}",
                            b.title,
                            span(b),
                            a.title,
                            span(a),
                            a.rel,
                            others(more)
                        ),
                    )
                    .with_field(&roles.room),
                );
            }
        }
    }
    for (_, (name, mut slots)) in people {
        for (a, b, more) in overlapping(&mut slots) {
            out.push(
                Diagnostic::new(
                    Code::PresenterClash,
                    Severity::Error,
                    b.rel,
                    b.line,
                    1,
                    format!(
                        "{name} presents {:?} ({}) while presenting {:?} ({}) in {}{}",
                        b.title,
                        span(b),
                        a.title,
                        span(a),
                        a.rel,
                        others(more)
                    ),
                )
                .with_field(&roles.speakers),
            );
        }
    }
    out
}

/// `2024-06-05 10:00–10:40, 40 min default length`: a slot and where its
/// length came from, so a clash says what it assumed.
fn span(s: &Slot) -> String {
    format!(
        "{}–{}, {}",
        s.start.format("%Y-%m-%d %H:%M"),
        s.end.format("%H:%M"),
        s.how
    )
}

/// Session lengths for sessions without an end: `[sessions] duration` when
/// declared, else learned from the programme: the most common gap between
/// one session and the next in the same room on the same day, for the
/// session's type when a gap recurs among that type's sessions, else for the
/// whole programme, else 40 minutes (see [`mode`]). A typical length
/// rather than each session's own gap, so that two talks booked ten minutes
/// apart in a programme of 40-minute slots still clash.
struct Lengths {
    declared: Option<Duration>,
    by_type: BTreeMap<String, Duration>,
    typical: Option<Duration>,
}

/// The most common of `gaps` (ties: the shorter), when it is really a
/// pattern: seen at least three times and in at least a quarter of the gaps.
fn mode(gaps: &[i64]) -> Option<Duration> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for g in gaps {
        *counts.entry(*g).or_default() += 1;
    }
    let (m, n) = counts.iter().max_by_key(|(m, n)| (**n, -**m))?;
    (*n >= 3 && *n * 4 >= gaps.len()).then(|| Duration::minutes(*m))
}

impl Lengths {
    fn learn(bookings: &[Booking], declared: Option<Duration>) -> Lengths {
        let mut by_room: BTreeMap<(&str, chrono::NaiveDate), Vec<(NaiveDateTime, usize)>> =
            BTreeMap::new();
        for (i, b) in bookings.iter().enumerate() {
            if let Some(r) = &b.room {
                by_room
                    .entry((r.as_str(), b.start.date()))
                    .or_default()
                    .push((b.start, i));
            }
        }
        let mut all = Vec::new();
        let mut per_type: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for list in by_room.values_mut() {
            list.sort();
            for (k, &(start, i)) in list.iter().enumerate() {
                // The next session that starts later (one at the same time is a clash).
                if let Some(&(next, _)) = list[k + 1..].iter().find(|(s, _)| *s > start) {
                    let gap = (next - start).num_minutes();
                    if gap <= 4 * 60 {
                        all.push(gap);
                        if let Some(t) = &bookings[i].kind {
                            per_type.entry(t.clone()).or_default().push(gap);
                        }
                    }
                }
            }
        }
        Lengths {
            declared,
            by_type: per_type
                .into_iter()
                .filter_map(|(t, g)| mode(&g).map(|d| (t, d)))
                .collect(),
            typical: mode(&all),
        }
    }

    fn end_of(&self, b: &Booking) -> (NaiveDateTime, String) {
        if let Some(e) = b.end {
            let how = b.end_how.as_deref().unwrap_or("its own end time");
            return (e, how.into());
        }
        if let Some(d) = self.declared {
            return (
                b.start + d,
                format!("{} min from [sessions] duration", d.num_minutes()),
            );
        }
        if let Some(d) = b.kind.as_ref().and_then(|k| self.by_type.get(k)) {
            return (
                b.start + *d,
                format!(
                    "{} min, the usual slot of {:?} sessions",
                    d.num_minutes(),
                    b.kind.as_deref().unwrap_or("")
                ),
            );
        }
        if let Some(d) = self.typical {
            return (
                b.start + d,
                format!("{} min, the programme's usual slot", d.num_minutes()),
            );
        }
        (
            b.start + Duration::minutes(40),
            "40 min, the default length".into(),
        )
    }
}

/// A room that two or more tracks share side by side (an online event's
/// channel "A" carrying two tracks at once): see [`parallel_tracks`].
struct Parallel {
    tracks: Vec<String>,
    overlapping: usize,
}

/// Whether a room's sessions read as parallel streams rather than one
/// room's bookings: at least four overlaps between sessions of different
/// tracks, at most one in ten within a track, covering at least a quarter
/// of the room's sessions. A stray double booking stays a clash; overlaps
/// inside one track are still reported when the room is shared.
fn parallel_tracks(slots: &mut [Slot]) -> Option<Parallel> {
    let pairs = overlapping(slots);
    if pairs.len() < 4 {
        return None;
    }
    // Overlaps within a track are real clashes (and are still reported,
    // per track); they must be rare for the room to read as streams.
    let within = pairs
        .iter()
        .filter(|(a, b, _)| a.track.is_none() || a.track == b.track)
        .count();
    if pairs.len() - within < 4 || 10 * within > pairs.len() {
        return None;
    }
    let involved: std::collections::BTreeSet<&str> =
        pairs.iter().flat_map(|(a, b, _)| [a.rel, b.rel]).collect();
    let overlapping = involved.len();
    drop(pairs);
    if 4 * overlapping < slots.len() {
        return None;
    }
    let tracks: std::collections::BTreeSet<String> =
        slots.iter().filter_map(|s| s.track.clone()).collect();
    Some(Parallel {
        tracks: tracks.into_iter().map(|t| format!("{t:?}")).collect(),
        overlapping,
    })
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
fn overlapping<'s, 'a>(slots: &'s mut [Slot<'a>]) -> Vec<(&'s Slot<'a>, &'s Slot<'a>, usize)> {
    slots.sort_by(|a, b| (a.start, a.rel).cmp(&(b.start, b.rel)));
    let mut out = Vec::new();
    for j in 1..slots.len() {
        let running: Vec<usize> = (0..j).filter(|&i| slots[i].end > slots[j].start).collect();
        if let Some(&last) = running.last() {
            out.push((&slots[last], &slots[j], running.len() - 1));
        }
    }
    out
}
