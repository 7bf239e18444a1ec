//! Edits to sessions the user picked: one value for every chosen session
//! ("Set field…" on a selection, [`set_on`]) or cell by cell from a table
//! of sessions × fields ([`set_cells`]), and blocks pasted from a
//! spreadsheet ([`paste_block`]).
//!
//! A session is named by its stem (`db-101`). Its values are given in the
//! default language, as the table shows the default-language file (or the
//! first twin present when that one is missing): that file is the
//! session's *primary* file. Twins follow [`super::bulk`]'s rules: `copy`
//! fields (date, track) get the same value in every file, `translate`
//! fields (room, stype) the value in each file's language, and `none` fields
//! (title, presenters, other keys) change in the primary file only.

use super::bulk::edit_session;
use super::{group, Plan, Problem, Session};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::site::Site;
use crate::validate::Loaded;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One cell of the table: set `key` of session `stem` to `value` (`None` removes the field).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CellEdit {
    /// The session's stem (`db-101`).
    pub stem: String,
    /// The front-matter key.
    pub key: String,
    /// The new value, in the session's primary language; `None` removes the field.
    pub value: Option<String>,
}

/// Every file of the named sessions, loaded (in parallel), by stem.
fn load_stems(site: &Site, stems: &BTreeSet<&str>) -> BTreeMap<String, Session> {
    let loaded: Vec<Loaded> = site
        .session_files()
        .into_par_iter()
        .filter(|f| stems.contains(f.stem.as_str()))
        .map(|f| {
            let doc = Document::load(&f.path).ok();
            Loaded { file: f, doc }
        })
        .collect();
    group(site, loaded)
}

fn valid_key(key: &str) -> Result<()> {
    if key.trim().is_empty() || key.trim() != key || key.contains([':', '\n', '\r', '#']) {
        return Err(Error::Invalid(format!("{key:?} is not a front-matter key Lectern can set (no spaces around it, no ':' or '#')")));
    }
    Ok(())
}

/// Plan setting (`Some`) or removing (`None`) fields on each named
/// session. See the module documentation for how twins follow.
pub fn set_on(
    site: &Site,
    stems: &[String],
    assignments: &[(String, Option<String>)],
) -> Result<Plan> {
    if stems.is_empty() {
        return Err(Error::Invalid(
            "no session is selected; select sessions in the list first".into(),
        ));
    }
    if assignments.is_empty() {
        return Err(Error::Invalid(
            "nothing to change: give a field and a value, or clear a field".into(),
        ));
    }
    let edits: Vec<CellEdit> = stems
        .iter()
        .flat_map(|stem| {
            assignments.iter().map(move |(k, v)| CellEdit {
                stem: stem.clone(),
                key: k.clone(),
                value: v.clone(),
            })
        })
        .collect();
    let mut plan = set_cells(site, &edits)?;
    let what: Vec<String> = assignments
        .iter()
        .map(|(k, v)| {
            v.as_ref()
                .map_or(format!("clear {k}"), |v| format!("{k}={v}"))
        })
        .collect();
    let mut unique: Vec<&String> = stems.iter().collect();
    unique.sort();
    unique.dedup();
    let n = unique.len();
    plan.title = format!(
        "Set {} on {n} session{}",
        what.join(", "),
        if n == 1 { "" } else { "s" }
    );
    Ok(plan)
}

/// Plan a set of cell edits as one plan. Later edits of the same cell win.
/// Sessions that are not on the site (any more) are problems; the rest goes
/// ahead.
pub fn set_cells(site: &Site, edits: &[CellEdit]) -> Result<Plan> {
    if edits.is_empty() {
        return Err(Error::Invalid("no cell was changed".into()));
    }
    // Per session, per key, the last value given; keys in first-seen order.
    let mut wanted: BTreeMap<&str, Vec<(String, Option<String>)>> = BTreeMap::new();
    for e in edits {
        valid_key(&e.key)?;
        let list = wanted.entry(e.stem.as_str()).or_default();
        match list.iter_mut().find(|(k, _)| *k == e.key) {
            Some(slot) => slot.1 = e.value.clone(),
            None => list.push((e.key.clone(), e.value.clone())),
        }
    }
    let stems: BTreeSet<&str> = wanted.keys().copied().collect();
    let sessions = load_stems(site, &stems);
    let mut plan = Plan::new(String::new(), &site.root);
    for stem in &stems {
        if !sessions.contains_key(*stem) {
            plan.problems.push(Problem::general(format!("no session {stem} on the site (renamed or removed since the table was opened?); reopen the table")));
        }
    }
    let outcomes: Vec<_> = sessions
        .par_iter()
        .filter_map(|(stem, s)| {
            let assignments = wanted.get(stem.as_str())?;
            // Files are sorted default language first: the first is the primary one.
            let primary: Vec<bool> = (0..s.files.len()).map(|i| i == 0).collect();
            Some(edit_session(site, s, &primary, assignments))
        })
        .collect();
    for (ops, problems, notes) in outcomes {
        plan.ops.extend(ops);
        plan.problems.extend(problems);
        plan.notes.extend(notes);
    }
    let cells = wanted.values().map(Vec::len).sum::<usize>();
    plan.title = format!(
        "Edit {cells} cell{} in {} session{}",
        if cells == 1 { "" } else { "s" },
        stems.len(),
        if stems.len() == 1 { "" } else { "s" }
    );
    Ok(plan)
}

/// A rectangular block of cells copied from a spreadsheet (tab-separated
/// rows, cells with tabs, quotes or line breaks in double quotes, as Excel,
/// LibreOffice and Google Sheets put them on the clipboard). Rows are
/// padded to the widest one; a final line break adds no row; cell text is
/// kept as copied except a trailing `\r`.
pub fn paste_block(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<Vec<String>> = vec![Vec::new()];
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut at_cell_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted = true;
                at_cell_start = false;
            }
            '\t' => {
                finish(&mut rows, &mut cell);
                at_cell_start = true;
            }
            '\n' => {
                finish(&mut rows, &mut cell);
                rows.push(Vec::new());
                at_cell_start = true;
            }
            _ => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    finish(&mut rows, &mut cell);
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for r in &mut rows {
        r.resize(width, String::new());
    }
    rows
}

fn finish(rows: &mut [Vec<String>], cell: &mut String) {
    let text = std::mem::take(cell);
    let text = text.strip_suffix('\r').map(str::to_string).unwrap_or(text);
    if let Some(row) = rows.last_mut() {
        row.push(text);
    }
}
