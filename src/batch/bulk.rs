//! Bulk edits: set or unset fields on every session that matches a filter.
//!
//! Semantics:
//!
//! - A file matches when each `(field, value)` of the filter equals the
//!   file's value (surrounding spaces ignored). A session matches when any
//!   of its files does.
//! - Fields whose sync rule is `none` (title, presenters, unknown keys) are
//!   set only in the files that matched: a filter on the English title edits
//!   the English file.
//! - `copy` fields (date, track) are set to the same value in every file of
//!   a matched session, twins included.
//! - `translate` fields (room, stype) are looked up in the field's
//!   per-language lists: the value may be given in any language, and each
//!   file of the session gets the value in its own language. A value in no
//!   list is written as given to the matched files only (and noted).
//! - An unset removes the field wherever the assignment applies.
//!
//! Files that cannot be read are not matched and are noted; a twin of a
//! matched session that cannot be edited is a problem (the rest goes ahead).

use super::{edit, locate, value_lists, Plan, Problem, Session};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::schema::SyncRule;
use crate::site::Site;
use crate::validate::Loaded;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a file's text can hold `key: value` for every filter pair. In
/// YAML a scalar's characters appear in the source as they are, except
/// through escapes (`\` in double quotes, `''` in single quotes) and line
/// folding, which only happens at whitespace: so when the text has no
/// backslash, every whitespace-separated word of the key and the value must
/// be in it. Files that fail this cannot match and need not be parsed.
fn may_match(bytes: &[u8], filter: &[(String, String)]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return true;
    };
    if text.contains('\\') {
        return true;
    }
    filter.iter().all(|(k, v)| {
        !is_string(v)
            || k.split_whitespace()
                .chain(v.split_whitespace())
                .all(|w| w.contains('\'') || text.contains(w))
    })
}

/// Whether YAML reads `v` as a string. Numbers, booleans and nulls are
/// compared in canonical form (`0x10` reads as `16`), so for those the
/// words of the filter need not be in the text and the check is skipped.
fn is_string(v: &str) -> bool {
    matches!(
        crate::front_matter::parse_value(v.trim()),
        Ok(crate::front_matter::Value::String(_))
    )
}

/// The sessions with at least one file that may match, every file of them
/// loaded. Reading is cheap; parsing 10,000 front matters is not, so only
/// candidates and their twins are parsed.
fn load_candidates(site: &Site, filter: &[(String, String)]) -> Vec<Session> {
    let files = site.session_files();
    let read: Vec<(crate::site::SessionFile, std::io::Result<Vec<u8>>, bool)> = files
        .into_par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path);
            let candidate = bytes.as_ref().map_or(true, |b| may_match(b, filter));
            (f, bytes, candidate)
        })
        .collect();
    let stems: BTreeSet<&str> = read
        .iter()
        .filter(|r| r.2)
        .map(|r| r.0.stem.as_str())
        .collect();
    let chosen: Vec<Loaded> = read
        .par_iter()
        .filter(|r| stems.contains(r.0.stem.as_str()))
        .map(|(f, bytes, _)| {
            let doc = match bytes {
                Ok(b) => Document::from_bytes(&f.path, b.clone()).ok(),
                Err(_) => None,
            };
            Loaded {
                file: f.clone(),
                doc,
            }
        })
        .collect();
    let grouped: BTreeMap<String, Session> = super::group(site, chosen);
    grouped.into_values().collect()
}

/// One session's ops, problems, notes, and whether it matched.
type Outcome = (Vec<super::FileOp>, Vec<Problem>, Vec<String>, bool);

/// Plan setting (`Some`) or unsetting (`None`) fields on every session that
/// matches all of `filter`. See the module documentation for twins.
pub fn set_where(
    site: &Site,
    filter: &[(String, String)],
    assignments: &[(String, Option<String>)],
) -> Result<Plan> {
    if filter.is_empty() {
        return Err(Error::Invalid(
            "give at least one FIELD=VALUE filter; to edit given files, name them instead".into(),
        ));
    }
    if assignments.is_empty() {
        return Err(Error::Invalid(
            "nothing to change: give KEY=VALUE assignments or unset a key".into(),
        ));
    }
    let sessions = load_candidates(site, filter);
    let what: Vec<String> = assignments
        .iter()
        .map(|(k, v)| {
            v.as_ref()
                .map_or(format!("unset {k}"), |v| format!("{k}={v}"))
        })
        .collect();
    let cond: Vec<String> = filter.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut plan = Plan::new(String::new(), &site.root);
    let matches = |doc: &crate::document::Document| {
        filter
            .iter()
            .all(|(k, v)| doc.get(k).is_some_and(|x| x.trim() == v.trim()))
    };
    let results: Vec<Outcome> = sessions
        .par_iter()
        .map(|s| {
            let matched: Vec<bool> = s.files.iter().map(|l| l.doc.as_ref().is_some_and(|d| d.problem().is_none() && matches(d))).collect();
            if !matched.iter().any(|m| *m) {
                let mut notes = Vec::new();
                for l in &s.files {
                    match &l.doc {
                        None => notes.push(format!("{} could not be read; it was not checked against the filter", l.file.rel)),
                        Some(d) if d.problem().is_some() => notes.push(format!("{}: front matter cannot be read; it was not checked against the filter", l.file.rel)),
                        Some(_) => {}
                    }
                }
                return (Vec::new(), Vec::new(), notes, false);
            }
            let (ops, problems, notes) = edit_session(site, s, &matched, assignments);
            (ops, problems, notes, true)
        })
        .collect();
    let mut n = 0;
    for (ops, problems, notes, matched) in results {
        plan.ops.extend(ops);
        plan.problems.extend(problems);
        plan.notes.extend(notes);
        n += usize::from(matched);
    }
    plan.title = format!(
        "Set {} on {n} session{} where {}",
        what.join(", "),
        if n == 1 { "" } else { "s" },
        cond.join(" and ")
    );
    Ok(plan)
}

/// Set fields in one session's files. `primary[i]` says whether file `i`
/// is one the edit is aimed at (a filter matched it, or the user chose it):
/// `none` fields and untranslatable values go to those files only; `copy`
/// and `translate` fields reach every twin (see the module documentation).
pub(crate) fn edit_session(
    site: &Site,
    s: &Session,
    primary: &[bool],
    assignments: &[(String, Option<String>)],
) -> (Vec<super::FileOp>, Vec<Problem>, Vec<String>) {
    let (mut ops, mut problems, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    for (l, is_match) in s.files.iter().zip(primary) {
        let Some(doc) = &l.doc else {
            problems.push(Problem::at(
                &l.file.rel,
                if *is_match {
                    "could not be read, so it was not edited; fix it by hand"
                } else {
                    "twin of a matched session could not be read; edit it by hand"
                },
            ));
            continue;
        };
        let mut edits = Vec::new();
        for (k, v) in assignments {
            let sync = site.schema.get(k).map_or(SyncRule::None, |r| r.sync);
            match (sync, v) {
                (SyncRule::Translate, Some(v)) => {
                    let lists = value_lists(site, k);
                    match locate(&lists, v, Some(&l.file.lang)) {
                        Some((_, i)) => {
                            match lists.get(&l.file.lang).and_then(|list| list.get(i)) {
                                Some(t) => edits.push((k.clone(), Some(t.clone()))),
                                None => notes.push(format!(
                                    "{}: `{k}` value {v:?} has no {} translation; left as it is",
                                    l.file.rel, l.file.lang
                                )),
                            }
                        }
                        None if *is_match => {
                            edits.push((k.clone(), Some(v.clone())));
                            notes.push(format!("{}: `{k}` value {v:?} is in none of the site's lists, so twins were not translated", l.file.rel));
                        }
                        None => {}
                    }
                }
                (SyncRule::Copy | SyncRule::Translate, _) => edits.push((k.clone(), v.clone())),
                (SyncRule::None, _) if *is_match => edits.push((k.clone(), v.clone())),
                (SyncRule::None, _) => {}
            }
        }
        match edit(doc, &edits) {
            Ok(new) if new.text() != doc.text() => ops.push(super::FileOp::Change {
                path: super::rel_path(&l.file),
                before: doc.bytes().to_vec(),
                after: new.bytes().to_vec(),
            }),
            Ok(_) => {}
            Err(e) => problems.push(Problem::at(&l.file.rel, e.to_string())),
        }
    }
    (ops, problems, notes)
}

#[cfg(test)]
mod tests {
    use super::may_match;

    fn f(k: &str, v: &str) -> Vec<(String, String)> {
        vec![(k.to_string(), v.to_string())]
    }

    #[test]
    fn the_prefilter_only_rules_out_files_that_cannot_match() {
        let text = b"---\nroom: \"Hall\n  A\"\ntrack: ai\nn: 0x10\nok: True\n---\n";
        assert!(
            may_match(text, &f("room", "Hall A")),
            "folded over two lines"
        );
        assert!(!may_match(text, &f("room", "Hall B")));
        assert!(
            may_match(text, &f("n", "16")),
            "numbers compare in canonical form"
        );
        assert!(may_match(text, &f("ok", "true")));
        assert!(
            may_match(b"---\nroom: \"H\\x61ll\"\n---\n", &f("room", "Hall")),
            "escapes"
        );
        assert!(may_match(b"---\nroom: 'it''s'\n---\n", &f("room", "it's")));
        assert!(
            may_match(&[0xff, 0xfe], &f("room", "x")),
            "undecodable files are left to the loader"
        );
    }
}
