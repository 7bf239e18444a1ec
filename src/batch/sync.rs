//! Twins in step: after one language's file is edited, carry the change to
//! the other languages' files as the schema's sync rules say; and list the
//! twins that are missing or that may lag behind their sibling.
//!
//! Drift comes from git history: for a session whose files are all tracked,
//! the file whose last commit (`git log -1 --format=%ct -- path`) is newer
//! than its twin's suggests the twin was not updated with it. One `git log`
//! over the sessions folder answers this for every file at once. Sites that
//! are not in git (or machines without git) simply get no drift entries.

use super::{edit, twin_value, Plan, Problem};
use crate::document::Document;
use crate::error::Result;
use crate::site::Site;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Plan the twin updates that follow an edit of one file from `before` to
/// `after` (the edited file itself is not part of the plan: its editor saves
/// it). Fields whose rule is `copy` get the new value, `translate` fields the
/// twin language's value at the same list position, `none` fields nothing.
/// A removed field is removed from the twins too. Twins that do not exist are
/// noted; twins that cannot be edited are problems.
pub fn sync_twins(site: &Site, before: &Document, after: &Document) -> Result<Plan> {
    let file = site.session_file_for(after.path());
    let mut keys: BTreeSet<String> = before.keys().into_iter().collect();
    keys.extend(after.keys());
    let changes: Vec<(String, Option<String>)> = keys
        .into_iter()
        .filter(|k| {
            site.schema
                .get(k)
                .is_some_and(|r| r.sync != crate::schema::SyncRule::None)
        })
        .filter_map(|k| {
            let (b, a) = (before.get(&k), after.get(&k));
            (b != a).then_some((k, a))
        })
        .collect();
    let names: Vec<&str> = changes.iter().map(|(k, _)| k.as_str()).collect();
    let mut plan = Plan::new(
        format!(
            "Sync {} to the twins of {}",
            if names.is_empty() {
                "nothing".to_string()
            } else {
                names.join(", ")
            },
            file.rel
        ),
        &site.root,
    );
    if changes.is_empty() {
        return Ok(plan);
    }
    for lang in &site.languages {
        if lang.code == file.lang {
            continue;
        }
        let path = site.twin_path(&file.stem, &lang.code);
        let rel = site.rel(&path);
        if !path.is_file() {
            plan.notes
                .push(format!("{rel} does not exist; nothing to sync there"));
            continue;
        }
        let twin = match Document::load(&path) {
            Ok(d) => d,
            Err(e) => {
                plan.problems.push(Problem::at(&rel, e.to_string()));
                continue;
            }
        };
        let mut edits = Vec::new();
        for (k, v) in &changes {
            let mut note = None;
            if let Some(new) = twin_value(
                site,
                k,
                v.as_deref(),
                Some(&file.lang),
                &lang.code,
                &mut note,
            ) {
                edits.push((k.clone(), new));
            }
            plan.notes.extend(note.map(|n| format!("{rel}: {n}")));
        }
        match edit(&twin, &edits) {
            Ok(d) => plan.change(rel, twin.bytes().to_vec(), d.bytes().to_vec()),
            Err(e) => plan.problems.push(Problem::at(&rel, e.to_string())),
        }
    }
    Ok(plan)
}

/// What is wrong with a session's twins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TwinIssue {
    /// A language's file does not exist.
    Missing {
        /// The language code.
        lang: String,
        /// The site-relative path it would have.
        expected: String,
    },
    /// The file may be an out-of-date translation: its twin was committed later.
    Drift {
        /// The twin that changed later (site-relative).
        changed: String,
        /// When it was last committed, as `YYYY-MM-DD`.
        changed_on: String,
    },
}

/// One finding about a session's twins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TwinStatus {
    /// The session's stem (`ai-1204512`).
    pub stem: String,
    /// The file the finding is about (site-relative); for a missing twin, the
    /// file that exists.
    pub file: String,
    /// What is wrong.
    pub issue: TwinIssue,
    /// One line to show.
    pub message: String,
}

/// Missing twins and possible translation drift, by stem.
pub fn twin_status(site: &Site) -> Vec<TwinStatus> {
    let files = site.session_files();
    let mut by_stem: BTreeMap<&str, Vec<&crate::site::SessionFile>> = BTreeMap::new();
    for f in &files {
        by_stem.entry(f.stem.as_str()).or_default().push(f);
    }
    let times = commit_times(&site.root, &[site.sessions_dir.as_path()]);
    statuses(site, by_stem, &times)
}

/// Missing twins and possible drift for one session (by stem): the same
/// findings as [`twin_status`], asking git about that session's files only.
pub fn twin_status_of(site: &Site, stem: &str) -> Vec<TwinStatus> {
    let files: Vec<crate::site::SessionFile> = site
        .languages
        .iter()
        .map(|l| site.twin_path(stem, &l.code))
        .filter(|p| p.is_file())
        .map(|p| site.session_file_for(&p))
        .collect();
    if files.is_empty() {
        return Vec::new();
    }
    let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let times = commit_times(&site.root, &paths);
    statuses(
        site,
        BTreeMap::from([(stem, files.iter().collect())]),
        &times,
    )
}

fn statuses(
    site: &Site,
    by_stem: BTreeMap<&str, Vec<&crate::site::SessionFile>>,
    times: &HashMap<PathBuf, i64>,
) -> Vec<TwinStatus> {
    let mut out = Vec::new();
    for (stem, group) in by_stem {
        let anchor = group
            .iter()
            .find(|f| f.lang == site.default_lang)
            .unwrap_or(&group[0]);
        if site.languages.len() > 1 {
            for lang in &site.languages {
                if group.iter().any(|f| f.lang == lang.code) {
                    continue;
                }
                let expected = site.rel(&site.twin_path(stem, &lang.code));
                out.push(TwinStatus {
                    stem: stem.to_string(),
                    file: anchor.rel.clone(),
                    message: format!(
                        "{expected} is missing: {} has no {} twin",
                        anchor.rel, lang.name
                    ),
                    issue: TwinIssue::Missing {
                        lang: lang.code.clone(),
                        expected,
                    },
                });
            }
        }
        let Some(&t_anchor) = canonical(&anchor.path).and_then(|p| times.get(&p)) else {
            continue;
        };
        for other in group.iter().filter(|f| f.rel != anchor.rel) {
            let Some(&t_other) = canonical(&other.path).and_then(|p| times.get(&p)) else {
                continue;
            };
            let (stale, changed, t) = match t_anchor.cmp(&t_other) {
                std::cmp::Ordering::Greater => (other, anchor, t_anchor),
                std::cmp::Ordering::Less => (anchor, other, t_other),
                std::cmp::Ordering::Equal => continue,
            };
            let day = chrono::DateTime::from_timestamp(t, 0)
                .map(|d| {
                    d.with_timezone(&chrono::Local)
                        .format("%Y-%m-%d")
                        .to_string()
                })
                .unwrap_or_default();
            out.push(TwinStatus {
                stem: stem.to_string(),
                file: stale.rel.clone(),
                message: format!(
                    "{} may be out of date: {} changed on {day} after it",
                    stale.rel, changed.rel
                ),
                issue: TwinIssue::Drift {
                    changed: changed.rel.clone(),
                    changed_on: day,
                },
            });
        }
    }
    out
}

fn canonical(p: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}

/// The last commit time of every file under `paths` (folders or files) that
/// git tracks, by canonical absolute path. Empty when git or the repository
/// is missing.
fn commit_times(root: &Path, paths: &[&Path]) -> HashMap<PathBuf, i64> {
    let mut out = HashMap::new();
    let git = |args: &[&str]| {
        let mut cmd = Command::new("git");
        cmd.arg("-C")
            .arg(root)
            .args(["-c", "core.quotePath=false"])
            .args(args);
        // A hook or a parent process may point git elsewhere; look at this site's repository.
        for v in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY",
            "GIT_COMMON_DIR",
        ] {
            cmd.env_remove(v);
        }
        cmd.output().ok().filter(|o| o.status.success())
    };
    let Some(top) = git(&["rev-parse", "--show-toplevel"]) else {
        return out;
    };
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let Some(top) = canonical(&top) else {
        return out;
    };
    let specs: Vec<String> = paths
        .iter()
        .filter_map(|p| canonical(p))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if specs.is_empty() {
        return out;
    }
    // Newest commit first: the first time a path shows up is its last change.
    let mut args = vec![
        "log",
        "--format=%x01%ct",
        "--name-only",
        "--no-renames",
        "--",
    ];
    args.extend(specs.iter().map(String::as_str));
    let Some(log) = git(&args) else { return out };
    let text = String::from_utf8_lossy(&log.stdout);
    let mut current = None;
    for line in text.lines() {
        if let Some(t) = line.strip_prefix('\u{1}') {
            current = t.trim().parse::<i64>().ok();
        } else if let (Some(t), false) = (current, line.trim().is_empty()) {
            out.entry(top.join(line)).or_insert(t);
        }
    }
    out
}
