//! Proposed branch names and commit messages for a change set.
//!
//! Reviewers scan pull-request titles, so the message names the session
//! (`Update presenters for datalake-1211745`) or the kind of bulk change
//! (`Update schedule for 24 sessions`). Both functions are pure: they look
//! only at the change set and an optional summary of which front-matter
//! fields changed per file ([`ChangeSummary`], which can also be inferred
//! from the bytes).

use super::change::{ChangeKind, ChangeSet, FileChange};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which front-matter fields changed in which file. A file that is absent
/// (or maps to None) has unknown changes. The pseudo-field `body` stands
/// for the text after the front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSummary {
    /// Changed field names per path (the change's new path), in a stable order.
    pub fields: BTreeMap<PathBuf, Option<Vec<String>>>,
}

impl ChangeSummary {
    /// A summary that knows nothing: messages fall back to "Update session x".
    pub fn unknown() -> Self {
        ChangeSummary::default()
    }

    /// Records the changed fields of one file.
    pub fn with(mut self, path: impl Into<PathBuf>, fields: &[&str]) -> Self {
        self.fields.insert(
            path.into(),
            Some(fields.iter().map(|s| s.to_string()).collect()),
        );
        self
    }

    /// Works out the changed top-level front-matter keys (YAML `---` or TOML
    /// `+++`) and whether the body changed, by comparing before and after.
    /// Files whose front matter cannot be read stay unknown.
    pub fn infer(changes: &ChangeSet) -> Self {
        let mut fields = BTreeMap::new();
        for c in &changes.changes {
            let known = match (&c.before, &c.after) {
                (Some(b), Some(a)) if is_page(&c.path) => changed_fields(b, a),
                _ => None,
            };
            fields.insert(c.path.clone(), known);
        }
        ChangeSummary { fields }
    }

    fn of(&self, path: &Path) -> Option<&[String]> {
        self.fields.get(path).and_then(|f| f.as_deref())
    }
}

/// The changed top-level keys (and `body`), in the order they appear.
fn changed_fields(before: &[u8], after: &[u8]) -> Option<Vec<String>> {
    let (b_fm, b_body) = split_front_matter(before)?;
    let (a_fm, a_body) = split_front_matter(after)?;
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let keys = a_fm
        .iter()
        .map(|(k, _)| k)
        .chain(b_fm.iter().map(|(k, _)| k));
    for key in keys {
        if !seen.insert(key.clone()) {
            continue;
        }
        let get = |fm: &Vec<(String, serde_json::Value)>| {
            fm.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        };
        if get(&a_fm) != get(&b_fm) {
            out.push(key.clone());
        }
    }
    if b_body != a_body {
        out.push("body".to_string());
    }
    Some(out)
}

type FrontMatter = Vec<(String, serde_json::Value)>;

/// Front matter as ordered (key, value) pairs, and the body bytes.
fn split_front_matter(bytes: &[u8]) -> Option<(FrontMatter, &[u8])> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n')?;
    let fence = text[..first_end].trim_end();
    if fence != "---" && fence != "+++" {
        return None;
    }
    let rest = &text[first_end + 1..];
    let mut offset = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let (fm_end, body_start) = close?;
    let fm = &rest[..fm_end];
    let body = &rest.as_bytes()[body_start..];
    let pairs = if fence == "---" {
        match serde_yaml::from_str::<serde_yaml::Value>(fm) {
            Ok(serde_yaml::Value::Mapping(m)) => m
                .into_iter()
                .filter_map(|(k, v)| {
                    let k = k.as_str()?.to_string();
                    Some((k, serde_json::to_value(v).ok()?))
                })
                .collect(),
            Ok(serde_yaml::Value::Null) => Vec::new(),
            // Real files have duplicate keys (two `speechLink:` lines), which
            // YAML refuses; Hugo still reads them, so compare line by line.
            _ => top_level_lines(fm)?,
        }
    } else {
        let t: toml::Table = toml::from_str(fm).ok()?;
        t.into_iter()
            .filter_map(|(k, v)| Some((k, serde_json::to_value(v).ok()?)))
            .collect()
    };
    Some((pairs, body))
}

/// YAML front matter read as text: each unindented `key:` line starts a
/// field whose value is the rest of the line plus the indented lines after
/// it; a repeated key adds to its value. None when a line fits no field.
fn top_level_lines(fm: &str) -> Option<FrontMatter> {
    let mut pairs: FrontMatter = Vec::new();
    let mut current: Option<usize> = None;
    for line in fm.lines() {
        let starts_field = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if starts_field {
            let (key, value) = line.split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']).to_string();
            let i = match pairs.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    pairs.push((key, serde_json::Value::String(String::new())));
                    pairs.len() - 1
                }
            };
            if let serde_json::Value::String(s) = &mut pairs[i].1 {
                s.push_str(value.trim());
                s.push('\n');
            }
            current = Some(i);
        } else if let Some(i) = current {
            if let serde_json::Value::String(s) = &mut pairs[i].1 {
                s.push_str(line.trim_end());
                s.push('\n');
            }
        }
    }
    Some(pairs)
}

/// Whether a path is a content page (a session): Markdown under a `content`
/// folder, not a section's `_index`. A README or an image is a plain file.
fn is_page(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let in_content = path
        .parent()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "content"));
    in_content
        && (lower.ends_with(".md") || lower.ends_with(".markdown"))
        && !lower.starts_with("_index")
}

/// The session a page belongs to: file stem without the language suffix
/// (`datalake-1211745.zh.md` -> `datalake-1211745`); for a page bundle's
/// `index.md`, the folder name.
fn session_key(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let stem = match stem.rsplit_once('.') {
        Some((s, lang)) if is_lang(lang) => s,
        _ => stem,
    };
    if stem == "index" {
        if let Some(dir) = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
        {
            return dir.to_string();
        }
    }
    stem.to_string()
}

fn is_lang(s: &str) -> bool {
    let mut parts = s.split('-');
    let base = parts.next().unwrap_or("");
    (2..=3).contains(&base.len())
        && base.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// What the change set does, in the terms messages and branch names use.
enum Shape {
    Empty,
    OneSession {
        key: String,
        verb: Verb,
        fields: Vec<String>,
    },
    Sessions {
        count: usize,
        verb: Verb,
        fields: SharedFields,
    },
    OneFile {
        name: String,
        verb: Verb,
        from: Option<String>,
    },
    Files {
        count: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Add,
    Remove,
    Rename,
    Update,
}

enum SharedFields {
    /// Every session changed only `date` and/or `room`.
    Schedule,
    /// Every session changed the same fields.
    Same(Vec<String>),
    Mixed,
}

fn verb_of(changes: &[&FileChange]) -> Verb {
    let all = |f: fn(&ChangeKind) -> bool| changes.iter().all(|c| f(&c.kind));
    if all(|k| *k == ChangeKind::Created) {
        Verb::Add
    } else if all(|k| *k == ChangeKind::Deleted) {
        Verb::Remove
    } else if all(|k| matches!(k, ChangeKind::Moved { .. })) {
        Verb::Rename
    } else {
        Verb::Update
    }
}

fn shape(changes: &ChangeSet, summary: &ChangeSummary) -> Shape {
    if changes.is_empty() {
        return Shape::Empty;
    }
    let mut sessions: BTreeMap<String, Vec<&FileChange>> = BTreeMap::new();
    for c in changes.changes.iter().filter(|c| is_page(&c.path)) {
        sessions.entry(session_key(&c.path)).or_default().push(c);
    }
    // Field set per session: None when any of its edited files is unknown.
    let fields_of = |files: &[&FileChange]| -> Option<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for c in files {
            if c.kind == ChangeKind::Created || c.kind == ChangeKind::Deleted {
                continue;
            }
            for f in summary.of(&c.path)? {
                if !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
        Some(out)
    };
    match sessions.len() {
        0 => {
            if changes.len() == 1 {
                let c = &changes.changes[0];
                let name = file_name(&c.path);
                let from = match &c.kind {
                    ChangeKind::Moved { from } => Some(file_name(from)),
                    _ => None,
                };
                Shape::OneFile {
                    name,
                    verb: verb_of(&[c]),
                    from,
                }
            } else {
                Shape::Files {
                    count: changes.len(),
                }
            }
        }
        1 => {
            let (key, files) = sessions.into_iter().next().unwrap_or_default();
            let verb = verb_of(&files);
            let fields = fields_of(&files).unwrap_or_default();
            Shape::OneSession { key, verb, fields }
        }
        count => {
            let all: Vec<&FileChange> = sessions.values().flatten().copied().collect();
            let verb = verb_of(&all);
            let sets: Option<Vec<Vec<String>>> = sessions.values().map(|f| fields_of(f)).collect();
            let fields = match sets {
                Some(sets) if sets.iter().all(|s| !s.is_empty()) => {
                    let schedule = sets
                        .iter()
                        .all(|s| s.iter().all(|f| f == "date" || f == "room"));
                    let first: BTreeSet<&String> = sets[0].iter().collect();
                    if schedule {
                        SharedFields::Schedule
                    } else if sets
                        .iter()
                        .all(|s| s.iter().collect::<BTreeSet<_>>() == first)
                    {
                        SharedFields::Same(sets[0].clone())
                    } else {
                        SharedFields::Mixed
                    }
                }
                _ => SharedFields::Mixed,
            };
            Shape::Sessions {
                count,
                verb,
                fields,
            }
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// "a", "a and b", "a, b and c"; more than three become "N fields".
fn field_list(fields: &[String]) -> String {
    match fields {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        more => format!("{} fields", more.len()),
    }
}

/// A commit message (its summary line) for the change set:
/// "Update presenters for datalake-1211745", "Update schedule for 24
/// sessions", "Add session x", "Remove session x", "Update 3 sessions", ...
/// `summary` tells which front-matter fields changed; pass
/// [`ChangeSummary::infer`] or [`ChangeSummary::unknown`].
pub fn commit_message_for(changes: &ChangeSet, summary: &ChangeSummary) -> String {
    match shape(changes, summary) {
        Shape::Empty => "No changes".to_string(),
        Shape::OneSession { key, verb, fields } => match verb {
            Verb::Add => format!("Add session {key}"),
            Verb::Remove => format!("Remove session {key}"),
            Verb::Rename => {
                let from = changes
                    .changes
                    .iter()
                    .find_map(|c| match &c.kind {
                        ChangeKind::Moved { from } if is_page(&c.path) => Some(session_key(from)),
                        _ => None,
                    })
                    .unwrap_or_default();
                if from.is_empty() || from == key {
                    format!("Move session {key}")
                } else {
                    format!("Rename session {from} to {key}")
                }
            }
            Verb::Update if fields.is_empty() => format!("Update session {key}"),
            Verb::Update => format!("Update {} for {key}", field_list(&fields)),
        },
        Shape::Sessions {
            count,
            verb,
            fields,
        } => match (verb, fields) {
            (Verb::Add, _) => format!("Add {count} sessions"),
            (Verb::Remove, _) => format!("Remove {count} sessions"),
            (Verb::Rename, _) => format!("Rename {count} sessions"),
            (Verb::Update, SharedFields::Schedule) => {
                format!("Update schedule for {count} sessions")
            }
            (Verb::Update, SharedFields::Same(f)) if f.len() <= 3 => {
                format!("Update {} for {count} sessions", field_list(&f))
            }
            (Verb::Update, _) => format!("Update {count} sessions"),
        },
        Shape::OneFile { name, verb, from } => match verb {
            Verb::Add => format!("Add {name}"),
            Verb::Remove => format!("Remove {name}"),
            Verb::Rename => format!("Rename {} to {name}", from.unwrap_or_default()),
            Verb::Update => format!("Update {name}"),
        },
        Shape::Files { count } => format!("Update {count} files"),
    }
}

/// A branch name for the change set, using [`ChangeSummary::infer`]:
/// `update-datalake-1211745`, `add-datalake-1211745`,
/// `update-schedule-24-sessions`, `update-3-sessions`, ...
pub fn branch_name_for(changes: &ChangeSet) -> String {
    branch_name_with(changes, &ChangeSummary::infer(changes))
}

/// Like [`branch_name_for`] with a given summary.
pub fn branch_name_with(changes: &ChangeSet, summary: &ChangeSummary) -> String {
    let raw = match shape(changes, summary) {
        Shape::Empty => "lectern-update".to_string(),
        Shape::OneSession { key, verb, .. } => format!("{}-{key}", verb_word(verb)),
        Shape::Sessions {
            count,
            verb,
            fields,
        } => match (verb, fields) {
            (Verb::Update, SharedFields::Schedule) => format!("update-schedule-{count}-sessions"),
            (Verb::Update, SharedFields::Same(f)) if f.len() == 1 => {
                format!("update-{}-{count}-sessions", f[0])
            }
            (v, _) => format!("{}-{count}-sessions", verb_word(v)),
        },
        Shape::OneFile { name, verb, .. } => {
            let stem = name
                .rsplit_once('.')
                .map_or(name.as_str(), |(s, _)| s)
                .to_string();
            format!("{}-{stem}", verb_word(verb))
        }
        Shape::Files { count } => format!("update-{count}-files"),
    };
    sanitize_branch(&raw)
}

fn verb_word(v: Verb) -> &'static str {
    match v {
        Verb::Add => "add",
        Verb::Remove => "remove",
        Verb::Rename => "rename",
        Verb::Update => "update",
    }
}

/// Lower-case ASCII letters, digits, `-`, `_` and `.`, following git's ref
/// rules (`git check-ref-format`): no `..`, no leading or trailing `.`/`-`,
/// no `.lock` ending; at most 60 characters.
pub(crate) fn sanitize_branch(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = c.to_ascii_lowercase();
        let keep = c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-';
        let c = if keep { c } else { '-' };
        let last = s.chars().last();
        if (c == '-' && last == Some('-')) || (c == '.' && last == Some('.')) {
            continue;
        }
        s.push(c);
    }
    let mut s = s.trim_matches(['-', '.']).to_string();
    if s.len() > 60 {
        s.truncate(60);
        s = s.trim_end_matches(['-', '.']).to_string();
    }
    while s.ends_with(".lock") {
        s.truncate(s.len() - ".lock".len());
        s = s.trim_end_matches(['-', '.']).to_string();
    }
    if s.is_empty() {
        "lectern-update".to_string()
    } else {
        s
    }
}
