//! Apply a schedule from a spreadsheet: each row gives a session id, a start
//! time and a room; every twin of that session gets the date and the room in
//! its own language.
//!
//! - Columns are found by name, ignoring case, spaces, `_` and `-`; the
//!   defaults are Sessionize's (`Session Id`, `Scheduled At`, `Room`).
//!   The first sheet that has the id column is used.
//! - Dates may be Excel date cells, Excel serial numbers, or text in the
//!   common formats (see `sheet::parse_text_datetime`); they are written as
//!   `YYYY-MM-DDTHH:MM:SS`, or in the form the file's current date uses
//!   (without seconds, with a space, with an offset), quoted as before.
//! - Rooms may be given in any language of `data/rooms.yaml`; an unknown
//!   room makes the row an error and nothing of it is applied.
//! - Rows are matched to sessions by the `{id}` part of the file names.
//!   Rows whose id is not on the site are listed as unmatched; sessions no
//!   row mentions are listed as unscheduled.
//! - An empty date or room cell leaves that field alone.
//! - Several rows for one session (Sessionize writes one per speaker) are
//!   fine when they agree; when they disagree the session is refused and
//!   every such row reported, because guessing which one is right would
//!   silently move a talk.

use super::sheet::{self, Table};
use super::{edit, locate, value_lists, FileOp, Plan, Problem};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::site::Site;
use chrono::NaiveDateTime;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Which columns hold what (names compared ignoring case, spaces, `_`, `-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    /// The session id column (default `Session Id`).
    pub id: String,
    /// The start time column (default `Scheduled At`).
    pub date: String,
    /// The room column (default `Room`).
    pub room: String,
}

/// Column names as a person gives them: a missing or blank name means
/// Sessionize's default (see [`ColumnMapping::default`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnNames {
    /// The session id column.
    pub id: Option<String>,
    /// The start time column.
    pub date: Option<String>,
    /// The room column.
    pub room: Option<String>,
}

impl From<ColumnNames> for ColumnMapping {
    fn from(c: ColumnNames) -> Self {
        let d = ColumnMapping::default();
        let pick = |v: Option<String>, d: String| v.filter(|s| !s.trim().is_empty()).unwrap_or(d);
        ColumnMapping {
            id: pick(c.id, d.id),
            date: pick(c.date, d.date),
            room: pick(c.room, d.room),
        }
    }
}

impl Default for ColumnMapping {
    fn default() -> Self {
        ColumnMapping {
            id: "Session Id".into(),
            date: "Scheduled At".into(),
            room: "Room".into(),
        }
    }
}

/// A row that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowIssue {
    /// The row number as a spreadsheet shows it (the header is usually row 1).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub row: usize,
    /// The session id in the row, when there is one.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// What happened to the rows and sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScheduleReport {
    /// The sheet that was read.
    pub sheet: String,
    /// Data rows read.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows: usize,
    /// Sessions (stems) the schedule applies to (changed or already right).
    pub scheduled: Vec<String>,
    /// Rows whose session id is not on the site.
    pub unmatched_rows: Vec<RowIssue>,
    /// Sessions with an id that no row mentions.
    pub unscheduled_sessions: Vec<String>,
    /// Rows that could not be applied (bad date, unknown room, disagreeing duplicates).
    pub errors: Vec<RowIssue>,
    /// Rows that repeat another row for the same session and agree with it.
    pub duplicates: Vec<RowIssue>,
}

impl ScheduleReport {
    /// Whether every row was applied.
    pub fn all_applied(&self) -> bool {
        self.unmatched_rows.is_empty() && self.errors.is_empty()
    }
}

/// A room as given: its position in the lists, or verbatim when the site has no lists.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Room {
    At(usize),
    Verbatim(String),
}

#[derive(Debug, Clone)]
struct Want {
    row: usize,
    date: Option<NaiveDateTime>,
    room: Option<Room>,
}

/// Write `dt` the way `existing` writes its date: `T` or space, with or
/// without seconds, and any offset suffix kept. Default `YYYY-MM-DDTHH:MM:SS`.
pub fn format_like(existing: Option<&str>, dt: NaiveDateTime) -> String {
    static SHAPE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\s*\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}(:\d{2}(?:\.\d+)?)?(.*?)\s*$")
            .expect("static regex")
    });
    let Some(c) = existing.and_then(|e| SHAPE.captures(e)) else {
        return dt.format("%Y-%m-%dT%H:%M:%S").to_string();
    };
    let sep = c.get(1).map_or("T", |m| m.as_str());
    let secs = if c.get(2).is_some() { ":%S" } else { "" };
    let suffix = c.get(3).map_or("", |m| m.as_str());
    format!(
        "{}{suffix}",
        dt.format(&format!("%Y-%m-%d{sep}%H:%M{secs}"))
    )
}

/// When a session moves to start at `at`: the profile's end field and its
/// new value, shifted by as much as the start moved (the session keeps its
/// length), written the way the file writes it (a time-only end stays
/// time-only). `None` when the profile has no end field or the file no
/// readable start and end.
pub fn moved_end(
    doc: &Document,
    roles: &crate::schema::Roles,
    at: NaiveDateTime,
) -> Option<(String, String)> {
    let field = roles.end.as_ref()?;
    let start = doc
        .get(&roles.start)
        .as_deref()
        .and_then(crate::text::parse_datetime)?;
    let old = doc.get(field).filter(|v| !v.trim().is_empty())?;
    let end = crate::validate::programme::parse_end(&old, start)?;
    let new_end = at + (end - start);
    let value = if crate::text::parse_datetime(&old).is_none() {
        let secs = old.trim().len() > 5;
        new_end
            .format(if secs { "%H:%M:%S" } else { "%H:%M" })
            .to_string()
    } else {
        format_like(Some(&old), new_end)
    };
    Some((field.clone(), value))
}

fn pick_sheet<'a>(tables: &'a [Table], mapping: &ColumnMapping, path: &Path) -> Result<&'a Table> {
    tables
        .iter()
        .find(|t| t.column(&[&mapping.id]).is_some())
        .ok_or_else(|| {
            let cols: Vec<String> = tables
                .iter()
                .flat_map(|t| t.headers.iter().cloned())
                .filter(|h| !h.is_empty())
                .collect();
            Error::Invalid(format!(
                "{}: no sheet has a {:?} column (columns: {}); name the id column with --id-column",
                path.display(),
                mapping.id,
                cols.join(", ")
            ))
        })
}

/// Plan the schedule in `file` (CSV or a workbook). Nothing is written; the
/// report says which rows and sessions could not be used.
pub fn apply_schedule(
    site: &Site,
    file: &Path,
    mapping: &ColumnMapping,
) -> Result<(Plan, ScheduleReport)> {
    let tables = sheet::read(file)?;
    let sheet = pick_sheet(&tables, mapping, file)?;
    let id_col = sheet.column(&[&mapping.id]);
    let date_col = sheet.column(&[&mapping.date]);
    let room_col = sheet.column(&[&mapping.room]);
    if date_col.is_none() && room_col.is_none() {
        return Err(Error::Invalid(format!(
            "{}: sheet {:?} has neither a {:?} nor a {:?} column (columns: {}); name them with --date-column / --room-column",
            file.display(),
            sheet.name,
            mapping.date,
            mapping.room,
            sheet.headers.join(", ")
        )));
    }
    let mut report = ScheduleReport {
        sheet: sheet.name.clone(),
        rows: sheet.rows.len(),
        ..Default::default()
    };
    let files = site.session_files();
    let mut by_id: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in &files {
        if let Some(id) = &f.id {
            let stems = by_id.entry(id.as_str()).or_default();
            if !stems.contains(&f.stem.as_str()) {
                stems.push(f.stem.as_str());
            }
        }
    }
    let rooms = value_lists(site, "room");
    let mut wants: BTreeMap<String, Vec<Want>> = BTreeMap::new();
    let mut mentioned: std::collections::BTreeSet<&str> = Default::default();
    for row in &sheet.rows {
        let id = row.get(id_col).text();
        let issue = |message: String| RowIssue {
            row: row.number,
            id: (!id.is_empty()).then(|| id.clone()),
            message,
        };
        if id.is_empty() {
            report
                .errors
                .push(issue("no session id in this row".into()));
            continue;
        }
        let stem = match by_id.get(id.as_str()).map(Vec::as_slice) {
            None | Some([]) => {
                report
                    .unmatched_rows
                    .push(issue(format!("no session with id {id} on the site")));
                continue;
            }
            Some([stem]) => *stem,
            Some(many) => {
                mentioned.insert(id_key(&by_id, &id));
                report.errors.push(issue(format!(
                    "id {id} is used by several sessions ({}); fix the duplicate id first",
                    many.join(", ")
                )));
                continue;
            }
        };
        mentioned.insert(id_key(&by_id, &id));
        let date = match row.get(date_col).datetime() {
            Ok(d) => d,
            Err(e) => {
                report.errors.push(issue(format!("{}: {e}", mapping.date)));
                continue;
            }
        };
        let room_text = row.get(room_col).text();
        let room = if room_text.is_empty() {
            None
        } else if rooms.is_empty() {
            Some(Room::Verbatim(room_text))
        } else {
            match locate(&rooms, &room_text, None) {
                Some((_, i)) => Some(Room::At(i)),
                None => {
                    let known = rooms
                        .get(&site.default_lang)
                        .or_else(|| rooms.values().next())
                        .map(|l| l.join(", "))
                        .unwrap_or_default();
                    report.errors.push(issue(format!("unknown room {room_text:?} (rooms: {known}); add it to data/rooms.yaml or fix the row")));
                    continue;
                }
            }
        };
        if date.is_none() && room.is_none() {
            continue;
        }
        wants.entry(stem.to_string()).or_default().push(Want {
            row: row.number,
            date,
            room,
        });
    }
    // One wish per session; agreeing duplicates are harmless, disagreeing ones are refused.
    let mut chosen: Vec<(String, Want)> = Vec::new();
    for (stem, list) in wants {
        let first = &list[0];
        let agree = list
            .iter()
            .all(|w| w.date == first.date && w.room == first.room);
        if agree {
            for w in &list[1..] {
                report.duplicates.push(RowIssue {
                    row: w.row,
                    id: None,
                    message: format!("repeats row {} for {stem}", first.row),
                });
            }
            chosen.push((stem, first.clone()));
        } else {
            let rows: Vec<String> = list.iter().map(|w| w.row.to_string()).collect();
            for w in &list {
                report.errors.push(RowIssue { row: w.row, id: None, message: format!("rows {} give different times or rooms for {stem}; keep one and apply again", rows.join(", ")) });
            }
        }
    }
    report.unscheduled_sessions = by_id
        .iter()
        .filter(|(id, _)| !mentioned.contains(**id))
        .flat_map(|(_, stems)| stems.iter().map(|s| s.to_string()))
        .collect();
    report.unscheduled_sessions.sort();
    let mut plan = Plan::new(String::new(), &site.root);
    let roles = site.config.roles();
    let mut by_stem: BTreeMap<&str, Vec<&crate::site::SessionFile>> = BTreeMap::new();
    for f in &files {
        by_stem.entry(f.stem.as_str()).or_default().push(f);
    }
    let per_session: Vec<(Vec<FileOp>, Vec<Problem>, Vec<String>)> = chosen
        .par_iter()
        .map(|(stem, want)| {
            let (mut ops, mut problems, mut notes) = (Vec::new(), Vec::new(), Vec::new());
            for f in by_stem.get(stem.as_str()).into_iter().flatten() {
                let doc = match Document::load(&f.path) {
                    Ok(d) => d,
                    Err(e) => {
                        problems.push(Problem::at(&f.rel, e.to_string()));
                        continue;
                    }
                };
                // Fields by role: `time_start` (and `time_end`, shifted to
                // keep the length) on a Europe-shaped site, `date` by default.
                let mut edits = Vec::new();
                if let Some(dt) = want.date {
                    let cur = doc.get(&roles.start);
                    if cur.as_deref().and_then(crate::text::parse_datetime) != Some(dt) {
                        edits.push((roles.start.clone(), Some(format_like(cur.as_deref(), dt))));
                        if let Some((field, v)) = moved_end(&doc, &roles, dt) {
                            edits.push((field, Some(v)));
                        }
                    }
                }
                match &want.room {
                    Some(Room::At(i)) => match rooms.get(&f.lang).and_then(|l| l.get(*i)) {
                        Some(r) => edits.push((roles.room.clone(), Some(r.clone()))),
                        None => notes.push(format!(
                            "{}: data/rooms.yaml has no {} name for this room; room left as it is",
                            f.rel, f.lang
                        )),
                    },
                    Some(Room::Verbatim(r)) => edits.push((roles.room.clone(), Some(r.clone()))),
                    None => {}
                }
                match edit(&doc, &edits) {
                    Ok(new) if new.text() != doc.text() => ops.push(FileOp::Change {
                        path: f.rel.clone().into(),
                        before: doc.bytes().to_vec(),
                        after: new.bytes().to_vec(),
                    }),
                    Ok(_) => {}
                    Err(e) => problems.push(Problem::at(&f.rel, e.to_string())),
                }
            }
            (ops, problems, notes)
        })
        .collect();
    for (ops, problems, notes) in per_session {
        plan.ops.extend(ops);
        plan.problems.extend(problems);
        plan.notes.extend(notes);
    }
    report.scheduled = chosen.into_iter().map(|(s, _)| s).collect();
    if rooms.is_empty() && room_col.is_some() {
        plan.notes.push(
            "the site has no data/rooms.yaml, so rooms were written as given in every language"
                .into(),
        );
    }
    plan.title = format!(
        "Apply schedule {} to {} session{}",
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        report.scheduled.len(),
        if report.scheduled.len() == 1 { "" } else { "s" }
    );
    Ok((plan, report))
}

fn id_key<'a>(by_id: &BTreeMap<&'a str, Vec<&str>>, id: &str) -> &'a str {
    by_id.get_key_value(id).map_or("", |(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::format_like;
    use super::{ColumnMapping, ColumnNames};

    #[test]
    fn blank_or_missing_column_names_fall_back_to_sessionizes_names() {
        let m: ColumnMapping = ColumnNames {
            id: Some(" ".into()),
            date: None,
            room: Some("Hall".into()),
        }
        .into();
        assert_eq!(
            (m.id.as_str(), m.date.as_str(), m.room.as_str()),
            ("Session Id", "Scheduled At", "Hall")
        );
        assert_eq!(
            ColumnMapping::from(ColumnNames::default()),
            ColumnMapping::default()
        );
    }
    use chrono::NaiveDateTime;

    #[test]
    fn dates_follow_the_files_own_form() {
        let dt = NaiveDateTime::parse_from_str("2026-07-30T11:30:00", "%Y-%m-%dT%H:%M:%S").unwrap();
        assert_eq!(format_like(None, dt), "2026-07-30T11:30:00");
        assert_eq!(
            format_like(Some("2022-07-29T14:00:00"), dt),
            "2026-07-30T11:30:00"
        );
        assert_eq!(
            format_like(Some("2022-07-29 14:00"), dt),
            "2026-07-30 11:30"
        );
        assert_eq!(
            format_like(Some("2022-07-29T14:00:00+08:00"), dt),
            "2026-07-30T11:30:00+08:00"
        );
        assert_eq!(format_like(Some("TBD"), dt), "2026-07-30T11:30:00");
    }
}
