//! Organizer tools: edits across many session files at once.
//!
//! Every operation is planning only: it reads the site and returns a
//! [`Plan`] (files to create, change, move or delete, with their bytes
//! before and after) and writes nothing. [`apply`] then writes the plan
//! (after checking that no file changed since it was planned) and
//! [`Applied::undo`] puts it back; the journal in `.lectern/trash/` lets
//! `lectern restore` undo it in a later run.
//!
//! The families, one file each:
//!
//! - [`sync`]: keep twins in step after an edit ([`sync_twins`]) and list
//!   missing or possibly stale translations ([`twin_status`]).
//! - [`bulk`]: set or unset fields on every session matching a filter ([`set_where`]).
//! - [`cells`]: set fields on chosen sessions, or cell by cell from a table ([`set_on`], [`set_cells`]).
//! - [`rename`]: rename a track, moving its session files ([`rename_track`]).
//! - [`replace`]: find text in fields and bodies, replace chosen matches ([`find`], [`replace`]).
//! - [`withdraw`]: remove a session and its twins, recoverably ([`withdraw()`]).
//! - [`schedule_sheet`]: dates and rooms from a spreadsheet ([`apply_schedule`]).
//! - [`sessionize`]: create and update sessions from a Sessionize export ([`import_sessionize`]).
//!
//! In the app, plans go through [`crate::workspace::Workspace::apply_plan`],
//! which also keeps the open documents in step with the disk.
//!
//! Field edits always go through [`Document::set`], [`Document::unset`] and
//! [`Document::set_body`], so every change is minimal-diff and correctly
//! quoted. Twins follow the schema's sync rules: `copy` fields (date, track)
//! get the same value, `translate` fields (room, stype) the value at the same
//! position of the twin language's list, and `none` fields (title,
//! presenters, the body) are left to translators.

pub mod bulk;
pub mod cells;
pub mod journal;
mod new_speakers;
pub mod plan;
pub mod rename;
pub mod replace;
pub mod schedule_sheet;
pub mod sessionize;
mod sheet;
pub mod sync;
pub mod withdraw;

pub use bulk::set_where;
pub use cells::{paste_block, set_cells, set_on, CellEdit};
pub use journal::JournalEntry;
pub use plan::{apply, Applied, Conflict, FileOp, OpKind, Plan, PlanFile, PlanSummary, Problem};
pub use rename::rename_track;
pub use replace::{find, find_reporting, replace, Match, MatchId, Query, Scope};
pub use schedule_sheet::{apply_schedule, ColumnMapping, ColumnNames, RowIssue, ScheduleReport};
pub use sessionize::{import_sessionize, import_sessionize_choosing, ImportOptions, ImportReport};
pub use sync::{sync_twins, twin_status, TwinIssue, TwinStatus};
pub use withdraw::withdraw;

use crate::document::Document;
use crate::error::Result;
use crate::schema::{FieldRule, SyncRule};
use crate::site::{SessionFile, Site};
use crate::validate::{load_all, Loaded};
use std::collections::BTreeMap;

/// A session: its files in every language present, default language first.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub id: Option<String>,
    pub files: Vec<Loaded>,
}

/// Load every session file (in parallel) and group twins by stem, in stem order.
pub(crate) fn load_sessions(site: &Site) -> BTreeMap<String, Session> {
    let (loaded, _) = load_all(site, &|| {});
    group(site, loaded)
}

pub(crate) fn group(site: &Site, loaded: Vec<Loaded>) -> BTreeMap<String, Session> {
    let mut out: BTreeMap<String, Session> = BTreeMap::new();
    for l in loaded {
        let s = out.entry(l.file.stem.clone()).or_insert_with(|| Session {
            id: None,
            files: Vec::new(),
        });
        if s.id.is_none() {
            s.id = l.file.id.clone();
        }
        s.files.push(l);
    }
    for s in out.values_mut() {
        s.files.sort_by_key(|l| {
            (
                l.file.lang != site.default_lang,
                lang_rank(site, &l.file.lang),
            )
        });
    }
    out
}

fn lang_rank(site: &Site, lang: &str) -> usize {
    site.languages
        .iter()
        .position(|l| l.code == lang)
        .unwrap_or(usize::MAX)
}

/// The per-language value lists of a field, for translation. `stype` falls
/// back to this site family's convention when `lectern.toml` declares none.
pub(crate) fn value_lists(site: &Site, key: &str) -> BTreeMap<String, Vec<String>> {
    let declared = site
        .schema
        .get(key)
        .map(|r| r.values.clone())
        .unwrap_or_default();
    let per_lang: BTreeMap<String, Vec<String>> =
        declared.into_iter().filter(|(l, _)| l != "*").collect();
    if per_lang.is_empty() && key == "stype" {
        return BTreeMap::from([
            (
                "en".to_string(),
                vec!["English Session".to_string(), "Chinese Session".to_string()],
            ),
            (
                "zh".to_string(),
                vec!["英文演讲".to_string(), "中文演讲".to_string()],
            ),
        ]);
    }
    per_lang
}

/// Where a value sits in a field's lists: (language, position). Exact match
/// first, then ignoring case and surrounding spaces; `prefer` is tried first.
pub(crate) fn locate(
    lists: &BTreeMap<String, Vec<String>>,
    value: &str,
    prefer: Option<&str>,
) -> Option<(String, usize)> {
    let order: Vec<&String> = prefer
        .and_then(|p| lists.get_key_value(p).map(|(k, _)| k))
        .into_iter()
        .chain(lists.keys().filter(|k| Some(k.as_str()) != prefer))
        .collect();
    for exact in [true, false] {
        for lang in &order {
            let Some(list) = lists.get(*lang) else {
                continue;
            };
            let hit = list.iter().position(|v| {
                if exact {
                    v == value
                } else {
                    v.trim().eq_ignore_ascii_case(value.trim())
                }
            });
            if let Some(i) = hit {
                return Some(((*lang).clone(), i));
            }
        }
    }
    None
}

/// A `translate` field's value in language `to`: found in any language's
/// list (the source language first), then taken at the same position.
pub(crate) fn translate(
    site: &Site,
    key: &str,
    value: &str,
    from: Option<&str>,
    to: &str,
) -> Option<String> {
    let lists = value_lists(site, key);
    let (_, i) = locate(&lists, value, from)?;
    lists.get(to)?.get(i).cloned()
}

/// What a change to `key` means for a file in language `to`, when the value
/// was given in language `from`: `Some(new)` to write, `None` to leave the
/// file alone (a `none` field, or no translation: then `note` says why).
pub(crate) fn twin_value(
    site: &Site,
    key: &str,
    value: Option<&str>,
    from: Option<&str>,
    to: &str,
    note: &mut Option<String>,
) -> Option<Option<String>> {
    let rule: Option<&FieldRule> = site.schema.get(key);
    match rule.map(|r| r.sync) {
        Some(SyncRule::Copy) => Some(value.map(str::to_string)),
        Some(SyncRule::Translate) => match value {
            None => Some(None),
            Some(v) if from == Some(to) => Some(Some(v.to_string())),
            Some(v) => match translate(site, key, v, from, to) {
                Some(t) => Some(Some(t)),
                None => {
                    *note = Some(format!("`{key}` value {v:?} has no {to} translation in the site's lists; the {to} twin keeps its value"));
                    None
                }
            },
        },
        Some(SyncRule::None) | None => None,
    }
}

/// Apply `(key, value)` edits to a document (None = unset).
pub(crate) fn edit(doc: &Document, edits: &[(String, Option<String>)]) -> Result<Document> {
    let mut d = doc.clone();
    for (k, v) in edits {
        d = match v {
            Some(v) => d.set(k, v)?,
            None => d.unset(k)?,
        };
    }
    Ok(d)
}

/// Site-relative path of a session file.
pub(crate) fn rel_path(f: &SessionFile) -> std::path::PathBuf {
    std::path::PathBuf::from(&f.rel)
}
