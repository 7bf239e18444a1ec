//! Data for the schedule grid and the twins view: mirrors of
//! `lectern::schedule` and `lectern::workspace::{Step, TwinReport}`, with
//! `ts_rs::TS` so the UI's types are generated from them. Field mappings
//! only; the grid, the clashes and the twin findings come from the core.

use lectern::schedule::{Card, Clash, ClashKind, Day, Place, Room, Schedule};
use lectern::workspace::{Step, StepFile, TwinReport};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::{DiagnosticDto, SessionRow, TwinDto};

fn pos(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn twin_dtos(twins: Vec<(String, String)>) -> Vec<TwinDto> {
    twins
        .into_iter()
        .map(|(lang, id)| TwinDto { lang, id })
        .collect()
}

/// The schedule grid (mirror of `lectern::schedule::Schedule`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleDto {
    /// Conference days, sorted, each with its start times (the rows).
    pub days: Vec<DayDto>,
    /// Rooms, the columns, default language, in `data/rooms.yaml` order.
    pub rooms: Vec<RoomDto>,
    /// Session length in minutes.
    pub duration_minutes: u32,
    /// Every session once (twins together), placed or not.
    pub sessions: Vec<CardDto>,
    /// Room double-bookings, then presenters in two places at once.
    pub clashes: Vec<ClashDto>,
}

/// One day of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DayDto {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Start times used that day, `HH:MM`, sorted.
    pub times: Vec<String>,
    /// Whether the site's config lists the day.
    pub declared: bool,
}

/// One room column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RoomDto {
    /// Name in the default language.
    pub name: String,
    /// Whether `data/rooms.yaml` lists it.
    pub known: bool,
}

/// One session on (or beside) the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CardDto {
    /// Stem shared by the twins.
    pub stem: String,
    /// The file the grid reads (default language when present).
    pub id: String,
    /// Title.
    pub title: String,
    /// Track slug.
    pub track: String,
    /// Position of the track in the site's list, for a stable colour.
    pub track_index: Option<u32>,
    /// Presenters.
    pub presenters: Vec<String>,
    /// Every twin, in site language order.
    pub twins: Vec<TwinDto>,
    /// Whether any twin has unsaved edits.
    pub modified: bool,
    /// Its cell, when it has one.
    pub place: Option<PlaceDto>,
    /// Why it has no cell.
    pub unplaced: Option<String>,
    /// Indexes into `clashes`.
    pub clashes: Vec<u32>,
}

/// A session's cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlaceDto {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Start, `HH:MM`.
    pub time: String,
    /// End, `HH:MM`.
    pub end: String,
    /// Room, default language.
    pub room: String,
    /// Index into `rooms`.
    pub room_index: u32,
}

/// Kind of clash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum ClashKindDto {
    /// One room, overlapping sessions.
    Room,
    /// One presenter, overlapping sessions.
    Presenter,
}

/// Sessions that cannot all happen as scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClashDto {
    /// Room or presenter.
    pub kind: ClashKindDto,
    /// The room or the presenter.
    pub subject: String,
    /// Day of the first session.
    pub day: String,
    /// Start of the first session.
    pub start: String,
    /// The sessions (stems), in time order.
    pub stems: Vec<String>,
    /// One line to show.
    pub message: String,
}

impl From<Schedule> for ScheduleDto {
    fn from(s: Schedule) -> Self {
        ScheduleDto {
            days: s
                .days
                .into_iter()
                .map(|d: Day| DayDto {
                    date: d.date,
                    times: d.times,
                    declared: d.declared,
                })
                .collect(),
            rooms: s
                .rooms
                .into_iter()
                .map(|r: Room| RoomDto {
                    name: r.name,
                    known: r.known,
                })
                .collect(),
            duration_minutes: s.duration_minutes,
            sessions: s.sessions.into_iter().map(CardDto::from).collect(),
            clashes: s
                .clashes
                .into_iter()
                .map(|c: Clash| ClashDto {
                    kind: match c.kind {
                        ClashKind::Room => ClashKindDto::Room,
                        ClashKind::Presenter => ClashKindDto::Presenter,
                    },
                    subject: c.subject,
                    day: c.day,
                    start: c.start,
                    stems: c.stems,
                    message: c.message,
                })
                .collect(),
        }
    }
}

impl From<Card> for CardDto {
    fn from(c: Card) -> Self {
        CardDto {
            stem: c.stem,
            id: c.id,
            title: c.title,
            track: c.track,
            track_index: c.track_index.map(pos),
            presenters: c.presenters,
            twins: twin_dtos(c.twins),
            modified: c.modified,
            place: c.place.map(|p: Place| PlaceDto {
                day: p.day,
                time: p.time,
                end: p.end,
                room: p.room,
                room_index: pos(p.room_index),
            }),
            unplaced: c.unplaced,
            clashes: c.clashes.into_iter().map(pos).collect(),
        }
    }
}

/// A multi-file edit the UI can undo (mirror of `lectern::workspace::Step`);
/// the UI keeps it and sends it back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EditStepDto {
    /// What it did ("Move ai-1204512").
    pub label: String,
    /// The files it changed.
    pub files: Vec<StepFileDto>,
}

/// One file of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StepFileDto {
    /// Session id.
    pub id: String,
    /// Hash of the text before.
    pub before: String,
    /// Hash of the text after.
    pub after: String,
}

impl From<Step> for EditStepDto {
    fn from(s: Step) -> Self {
        EditStepDto {
            label: s.label,
            files: s
                .files
                .into_iter()
                .map(|f| StepFileDto {
                    id: f.id,
                    before: f.before,
                    after: f.after,
                })
                .collect(),
        }
    }
}

impl From<EditStepDto> for Step {
    fn from(s: EditStepDto) -> Self {
        Step {
            label: s.label,
            files: s
                .files
                .into_iter()
                .map(|f| StepFile {
                    id: f.id,
                    before: f.before,
                    after: f.after,
                })
                .collect(),
        }
    }
}

/// The result of a move, an undo or a redo in the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleEdit {
    /// The step (to undo or redo it).
    pub step: EditStepDto,
    /// The grid now.
    pub schedule: ScheduleDto,
    /// Session list rows of the sessions the step changed.
    pub rows: Vec<SessionRow>,
}

/// How a shared field reaches the twins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum SyncDto {
    /// Same value in every twin.
    Copy,
    /// The value at the same position of each language's list.
    Translate,
}

/// A field the schema keeps in step across twins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SharedFieldDto {
    /// The key.
    pub key: String,
    /// How.
    pub sync: SyncDto,
}

/// A language the session has no file for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MissingTwinDto {
    /// Language code.
    pub lang: String,
    /// Language name.
    pub name: String,
    /// Where the file would be.
    pub expected: String,
}

/// A twin that may be an out-of-date translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DriftDto {
    /// The twin that may lag behind.
    pub file: String,
    /// The twin committed later.
    pub changed: String,
    /// When, `YYYY-MM-DD`.
    pub changed_on: String,
    /// One line to show.
    pub message: String,
}

/// What the twins view shows about a session (mirror of `lectern::workspace::TwinReport`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TwinReportDto {
    /// The stem.
    pub stem: String,
    /// Twins present, in site language order.
    pub twins: Vec<TwinDto>,
    /// Languages without a file.
    pub missing: Vec<MissingTwinDto>,
    /// Fields kept in step.
    pub shared: Vec<SharedFieldDto>,
    /// Where the twins disagree now.
    pub disagreements: Vec<DiagnosticDto>,
    /// Translation drift from git (empty outside git).
    pub drift: Vec<DriftDto>,
}

impl From<TwinReport> for TwinReportDto {
    fn from(r: TwinReport) -> Self {
        use lectern::batch::TwinIssue;
        use lectern::schema::SyncRule;
        TwinReportDto {
            stem: r.stem,
            twins: twin_dtos(r.twins),
            missing: r
                .missing
                .into_iter()
                .map(|m| MissingTwinDto {
                    lang: m.lang,
                    name: m.name,
                    expected: m.expected,
                })
                .collect(),
            shared: r
                .shared
                .into_iter()
                .filter_map(|(key, sync)| match sync {
                    SyncRule::Copy => Some(SharedFieldDto {
                        key,
                        sync: SyncDto::Copy,
                    }),
                    SyncRule::Translate => Some(SharedFieldDto {
                        key,
                        sync: SyncDto::Translate,
                    }),
                    SyncRule::None => None,
                })
                .collect(),
            disagreements: r.disagreements.iter().map(DiagnosticDto::from).collect(),
            drift: r
                .drift
                .into_iter()
                .filter_map(|s| match s.issue {
                    TwinIssue::Drift {
                        changed,
                        changed_on,
                    } => Some(DriftDto {
                        file: s.file,
                        changed,
                        changed_on,
                        message: s.message,
                    }),
                    TwinIssue::Missing { .. } => None,
                })
                .collect(),
        }
    }
}
