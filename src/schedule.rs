//! The schedule grid: every session of a site placed by day, room and start
//! time, with the clashes that make a programme impossible (one room booked
//! twice at overlapping times; a presenter in two places at once).
//!
//! A session counts once, through its default-language file (else any
//! twin), exactly as the checker's `room-clash` and `presenter-clash` rules
//! see it: both use the helpers of `validate::programme`. Rooms are the
//! columns, in the order of `data/rooms.yaml`'s default-language list;
//! rooms that sessions name but the list lacks follow, marked unknown.
//! Sessions without a readable date or without a room are not placed: they
//! are listed with the reason, so a grid never hides a session.
//!
//! Building the grid reads only documents already in memory, so it is the
//! same for a site on disk ([`crate::validate::load_all`]) and for the
//! app's workspace with unsaved edits ([`crate::workspace::Workspace::schedule`]).

use crate::document::{split_presenters, Document};
use crate::error::{Error, Result};
use crate::site::Site;
use crate::text::parse_datetime;
use crate::validate::programme::{
    duration, is_draft, overlap_groups, parse_end, presenter_key, representatives, room_key,
};
use crate::validate::Loaded;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The whole grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Schedule {
    /// Conference days (from the site's config and from the sessions'
    /// dates), sorted, each with the start times used that day.
    pub days: Vec<Day>,
    /// Columns: the rooms, default language.
    pub rooms: Vec<Room>,
    /// How long a session lasts, in minutes (`[sessions] duration`).
    pub duration_minutes: u32,
    /// Every session, in stem order, placed or not.
    pub sessions: Vec<Card>,
    /// Every clash, rooms first, then presenters, each in time order.
    pub clashes: Vec<Clash>,
}

/// One conference day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Start times of that day's sessions, `HH:MM`, sorted: the grid's rows.
    pub times: Vec<String>,
    /// Whether the site's config lists the day (`params.schedule`).
    pub declared: bool,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Room {
    /// The room's name in the default language.
    pub name: String,
    /// Whether `data/rooms.yaml` lists it (unknown rooms come from sessions).
    pub known: bool,
}

/// One session of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Card {
    /// The stem its twins share (`ai-1204512`).
    pub stem: String,
    /// The id of the file the grid reads (default language when present).
    pub id: String,
    /// Title in that file.
    pub title: String,
    /// Track slug.
    pub track: String,
    /// Position of the track in the site's list, for a stable colour.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub track_index: Option<usize>,
    /// Presenters, split.
    pub presenters: Vec<String>,
    /// Every twin, in site language order, as (lang, id).
    pub twins: Vec<crate::site::Twin>,
    /// Whether any twin has unsaved edits.
    pub modified: bool,
    /// Where it is on the grid, when it can be placed.
    pub place: Option<Place>,
    /// Why it is not on the grid, when it is not.
    pub unplaced: Option<String>,
    /// Indexes into [`Schedule::clashes`] this session is part of.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub clashes: Vec<usize>,
}

/// A session's cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Place {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Start, `HH:MM`.
    pub time: String,
    /// End (start plus the duration), `HH:MM`.
    pub end: String,
    /// The room, default language.
    pub room: String,
    /// Index into [`Schedule::rooms`].
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub room_index: usize,
}

/// What kind of clash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ClashKind {
    /// Sessions in one room at overlapping times.
    Room,
    /// One presenter in sessions at overlapping times.
    Presenter,
}

/// Sessions that cannot all happen as scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Clash {
    /// Room or presenter.
    pub kind: ClashKind,
    /// The room (default language) or the presenter's name as first written.
    pub subject: String,
    /// `YYYY-MM-DD` of the first session.
    pub day: String,
    /// Start of the first session, `HH:MM`.
    pub start: String,
    /// The sessions involved (stems), in time order.
    pub stems: Vec<String>,
    /// One line to show.
    pub message: String,
}

/// What the grid needs of a session, read once.
struct Entry<'a> {
    stem: &'a str,
    title: String,
    start: Option<NaiveDateTime>,
    /// End, when the programme data file gives it (else start plus the duration).
    end: Option<NaiveDateTime>,
    room: Option<String>,
    presenters: Vec<String>,
    /// Drafts are placed but take part in no clash, as in the checker.
    draft: bool,
}

/// Build the grid from loaded documents (unsaved edits included when they
/// come from a workspace).
pub fn build(site: &Site, loaded: &[Loaded]) -> Schedule {
    let dur = duration(site);
    // Fields by role: `time_start`/`time_end`/`speakers` on a Europe-shaped
    // site, `date`/`presenters` on the default profile.
    let roles = site.config.roles();
    let lang_rank = |lang: &str| {
        site.languages
            .iter()
            .position(|l| l.code == lang)
            .unwrap_or(usize::MAX)
    };
    let mut groups: BTreeMap<&str, Vec<&Loaded>> = BTreeMap::new();
    for l in loaded {
        groups.entry(l.file.stem.as_str()).or_default().push(l);
    }
    let reps = representatives(site, loaded);
    let mut rooms: Vec<Room> = site
        .rooms
        .get(&site.default_lang)
        .map(|list| {
            list.iter()
                .map(|r| Room {
                    name: r.trim().to_string(),
                    known: true,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut room_index: HashMap<String, usize> = rooms
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.clone(), i))
        .collect();
    let mut entries: Vec<Entry> = Vec::with_capacity(groups.len());
    let mut cards: Vec<Card> = Vec::with_capacity(groups.len());
    for (stem, mut files) in groups {
        files.sort_by_key(|l| lang_rank(&l.file.lang));
        let twins = files
            .iter()
            .map(|l| crate::site::Twin {
                lang: l.file.lang.clone(),
                id: l.file.rel.clone(),
            })
            .collect();
        let modified = files
            .iter()
            .any(|l| l.doc.as_ref().is_some_and(Document::is_modified));
        let rep = reps.get(stem).copied();
        let doc = rep.and_then(|l| l.doc.as_ref());
        let get = |k: &str| {
            doc.and_then(|d| d.get(k))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        // No start of its own: the programme data file's time, if any.
        let data = match (get(&roles.start), rep) {
            (None, Some(l)) => site.data_slot(&l.file),
            _ => None,
        };
        let date = get(&roles.start).or_else(|| {
            data.as_ref()
                .map(|s| s.start.format("%Y-%m-%dT%H:%M:%S").to_string())
        });
        let start = date.as_deref().and_then(parse_datetime);
        // The end: the end field, else the duration field, else the data file's.
        let data_end = start
            .and_then(|s| {
                let by_end = roles
                    .end
                    .as_ref()
                    .and_then(|f| get(f))
                    .and_then(|v| parse_end(&v, s))
                    .filter(|e| *e > s);
                let by_duration = || {
                    roles
                        .duration
                        .as_ref()
                        .and_then(|f| get(f))
                        .and_then(|v| v.parse::<i64>().ok())
                        .filter(|m| (1..=24 * 60).contains(m))
                        .map(|m| s + chrono::Duration::minutes(m))
                };
                by_end.or_else(by_duration)
            })
            .or_else(|| data.as_ref().and_then(|s| s.end));
        let draft = doc.is_some_and(|d| is_draft(d, &roles.draft));
        let room = get(&roles.room).map(|r| {
            room_key(
                site,
                &r,
                rep.map_or(site.default_lang.as_str(), |l| l.file.lang.as_str()),
            )
        });
        let mut presenters: Vec<String> = Vec::new();
        let listed = doc
            .and_then(|d| d.list(&roles.speakers))
            .unwrap_or_else(|| split_presenters(&get(&roles.speakers).unwrap_or_default()));
        for p in listed.into_iter().filter(|p| !p.trim().is_empty()) {
            if !presenters
                .iter()
                .any(|q| presenter_key(q) == presenter_key(&p))
            {
                presenters.push(p);
            }
        }
        let track = get(&roles.track).unwrap_or_default();
        let title = get(&roles.title).unwrap_or_else(|| stem.to_string());
        let unplaced = match (doc, &date, start, &room) {
            (None, ..) => Some("its front matter cannot be read; fix it in the editor".to_string()),
            (_, None, ..) if roles.start == "date" => Some("no date yet".to_string()),
            (_, None, ..) => Some(format!("no `{}` yet", roles.start)),
            (_, Some(d), None, _) => Some(format!(
                "the date {d:?} is not a date and time like 2030-05-01T10:00:00"
            )),
            (_, _, _, None) if roles.room == "room" => Some("no room yet".to_string()),
            (_, _, _, None) => Some(format!("no `{}` yet", roles.room)),
            _ => None,
        };
        let place = match (&unplaced, start, &room) {
            (None, Some(s), Some(r)) => {
                let i = *room_index.entry(r.clone()).or_insert_with(|| {
                    rooms.push(Room {
                        name: r.clone(),
                        known: false,
                    });
                    rooms.len() - 1
                });
                Some(Place {
                    day: s.format("%Y-%m-%d").to_string(),
                    time: s.format("%H:%M").to_string(),
                    end: data_end.unwrap_or(s + dur).format("%H:%M").to_string(),
                    room: r.clone(),
                    room_index: i,
                })
            }
            _ => None,
        };
        entries.push(Entry {
            stem,
            title: title.clone(),
            start,
            end: data_end,
            room: place.as_ref().map(|p| p.room.clone()),
            presenters: presenters.clone(),
            draft,
        });
        cards.push(Card {
            stem: stem.to_string(),
            id: rep
                .map(|l| l.file.rel.clone())
                .unwrap_or_else(|| files[0].file.rel.clone()),
            title,
            track_index: site.tracks.iter().position(|t| t.slug == track),
            track,
            presenters,
            twins,
            modified,
            place,
            unplaced,
            clashes: Vec::new(),
        });
    }
    let clashes = clashes(&entries, dur);
    for (ci, c) in clashes.iter().enumerate() {
        for stem in &c.stems {
            if let Ok(i) = cards.binary_search_by(|card| card.stem.as_str().cmp(stem)) {
                cards[i].clashes.push(ci);
            }
        }
    }
    Schedule {
        days: days(site, &cards),
        rooms,
        duration_minutes: u32::try_from(dur.num_minutes()).unwrap_or(40),
        sessions: cards,
        clashes,
    }
}

/// Room clashes among placed sessions, then presenter clashes among every
/// dated session (a presenter cannot give two talks at once even when one
/// has no room yet).
fn clashes(entries: &[Entry], dur: chrono::Duration) -> Vec<Clash> {
    type Spans = Vec<(NaiveDateTime, NaiveDateTime, usize)>;
    let mut by_room: BTreeMap<&str, Spans> = BTreeMap::new();
    let mut by_person: BTreeMap<String, (String, Spans)> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate().filter(|(_, e)| !e.draft) {
        let Some(start) = e.start else { continue };
        let end = e.end.unwrap_or(start + dur);
        if let Some(room) = &e.room {
            by_room
                .entry(room.as_str())
                .or_default()
                .push((start, end, i));
        }
        for p in &e.presenters {
            by_person
                .entry(presenter_key(p))
                .or_insert_with(|| (p.clone(), Vec::new()))
                .1
                .push((start, end, i));
        }
    }
    let mut out = Vec::new();
    let describe = |g: &[(NaiveDateTime, usize)]| {
        g.iter()
            .map(|(s, i)| format!("{:?} at {}", entries[*i].title, s.format("%H:%M")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut room_clashes = Vec::new();
    for (room, mut slots) in by_room {
        for g in overlap_groups(&mut slots) {
            let first = g[0].0;
            room_clashes.push(Clash {
                kind: ClashKind::Room,
                subject: room.to_string(),
                day: first.format("%Y-%m-%d").to_string(),
                start: first.format("%H:%M").to_string(),
                stems: g
                    .iter()
                    .map(|(_, i)| entries[*i].stem.to_string())
                    .collect(),
                message: format!(
                    "{room} is double-booked on {}: {}",
                    first.format("%Y-%m-%d"),
                    describe(&g)
                ),
            });
        }
    }
    let mut person_clashes = Vec::new();
    for (_, (name, mut slots)) in by_person {
        for g in overlap_groups(&mut slots) {
            let first = g[0].0;
            person_clashes.push(Clash {
                kind: ClashKind::Presenter,
                subject: name.clone(),
                day: first.format("%Y-%m-%d").to_string(),
                start: first.format("%H:%M").to_string(),
                stems: g
                    .iter()
                    .map(|(_, i)| entries[*i].stem.to_string())
                    .collect(),
                message: format!(
                    "{name} is in two places at once on {}: {}",
                    first.format("%Y-%m-%d"),
                    describe(&g)
                ),
            });
        }
    }
    let when = |c: &Clash| (c.day.clone(), c.start.clone(), c.subject.clone());
    room_clashes.sort_by_key(when);
    person_clashes.sort_by_key(when);
    out.extend(room_clashes);
    out.extend(person_clashes);
    out
}

/// The declared days plus every day a session is placed on, each with its start times.
fn days(site: &Site, cards: &[Card]) -> Vec<Day> {
    let declared: BTreeSet<String> = site
        .days
        .iter()
        .filter_map(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    let mut times: BTreeMap<String, BTreeSet<String>> = declared
        .iter()
        .map(|d| (d.clone(), BTreeSet::new()))
        .collect();
    for p in cards.iter().filter_map(|c| c.place.as_ref()) {
        times
            .entry(p.day.clone())
            .or_default()
            .insert(p.time.clone());
    }
    times
        .into_iter()
        .map(|(date, t)| Day {
            declared: declared.contains(&date),
            date,
            times: t.into_iter().collect(),
        })
        .collect()
}

/// A grid cell's date and time as one value: `day` is `YYYY-MM-DD`, `time`
/// `HH:MM` (or `HH:MM:SS`). The errors say what to type.
pub fn slot(day: &str, time: &str) -> Result<NaiveDateTime> {
    let d = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
        Error::Invalid(format!(
            "{day:?} is not a day; write it as YYYY-MM-DD, like 2030-05-01"
        ))
    })?;
    let t = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .map_err(|_| {
            Error::Invalid(format!(
                "{time:?} is not a time; write it as HH:MM, like 14:30"
            ))
        })?;
    Ok(d.and_time(t))
}
