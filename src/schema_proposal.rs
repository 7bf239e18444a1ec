//! Proposing `lectern.toml` field rules from what a site's sessions already
//! show, for an organizer setting Lectern up on an existing site (or a new
//! conference year copied from the last one).
//!
//! Every top-level front-matter key is observed in every session file:
//! how many files have it and fill it, whether every value reads as a date
//! or as an http(s) URL, and which values repeat. A key whose values repeat
//! is proposed as an enum, with one list per language when the languages
//! differ; lists are aligned through the twins (`x.md` and `x.zh.md` name
//! the same room in two languages), which is exactly what `sync =
//! "translate"` needs. Keys whose values the site already lists elsewhere
//! (`track` from `content/tracks/`, `room` from `data/rooms.yaml`) get no
//! values, only a note.
//!
//! The output is a proposal for a person to read: a `lectern.toml` text
//! with the counts behind each rule as comments. It parses as a
//! [`crate::schema::LecternConfig`], and the site it was inferred from passes its rules.
//!
//! ```text
//! infer(&site) -> Inference          // observations and proposed rules
//! Inference::to_toml() -> String     // lectern.toml text with comments
//! ```

use std::collections::{BTreeMap, BTreeSet};

use crate::document::Document;
use crate::error::{Error, Result};
use crate::schema::{FieldType, SyncRule};
use crate::site::Site;
use crate::text::parse_datetime;

/// Values per language (`*` for all), each with the files using it.
pub type ValueLists = BTreeMap<String, Vec<(String, usize)>>;
/// (language, value, files): a value of the default language's list used
/// by another language's files.
pub type Misplaced = (String, String, usize);

/// A key's values repeat enough to be a list when there are at most this
/// many distinct values per language...
const MAX_ENUM_VALUES: usize = 40;
/// ...they are used by at least this many files...
const MIN_ENUM_FILES: usize = 6;
/// ...and on average each value is used at least this many times.
const MIN_USES_PER_VALUE: f64 = 2.0;
/// Share of twin pairs that must agree for `copy` or `translate`.
const SYNC_AGREEMENT: f64 = 0.95;

/// What was seen of one key, and the rule proposed for it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInference {
    /// The key.
    pub key: String,
    /// Files that have the key.
    pub present: usize,
    /// Files where its value is not empty.
    pub filled: usize,
    /// The proposed type.
    pub kind: FieldType,
    /// Whether every session file fills it.
    pub required: bool,
    /// Proposed values per language (`*` when every language shares one
    /// list), each with the number of files using it; lists of different
    /// languages are aligned by position.
    pub values: Option<ValueLists>,
    /// Proposed twin rule, with the number of twin pairs that support it
    /// and the number of pairs.
    pub sync: Option<(SyncRule, usize, usize)>,
    /// Twin pairs holding the same value, following one translation per
    /// value, and all pairs: what the rule (or its absence) rests on.
    pub twins: (usize, usize, usize),
    /// Values of the type almost every value has: (type, values of it,
    /// filled), when some values are not (no type is proposed then).
    pub near_type: Option<(FieldType, usize, usize)>,
    /// Why no values are proposed although the key repeats (the site lists
    /// them elsewhere).
    pub listed_elsewhere: Option<&'static str>,
    /// Longest value seen, in characters.
    pub longest: usize,
    /// Values a language's files use that belong to the default language's
    /// list (left out of that language's list): (language, value, files).
    pub misplaced: Vec<Misplaced>,
}

/// The whole proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    /// Session files read.
    pub files: usize,
    /// Session files per language.
    pub per_lang: BTreeMap<String, usize>,
    /// Files whose front matter could not be read (skipped), as site paths.
    pub unreadable: Vec<String>,
    /// One entry per key, in order of first appearance.
    pub fields: Vec<FieldInference>,
    /// How the site is shaped: where its sessions are, how files are named,
    /// which field plays which role, its days and speaker pages.
    pub profile: ProfileInference,
}

/// The site-profile part of a proposal (`[sessions]`, `[roles]`,
/// `[schedule]`, `[speakers]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileInference {
    /// The sessions folders searched, relative to the site root.
    pub dirs: Vec<String>,
    /// The file pattern learned from the file names, when the site does not
    /// declare one.
    pub file_pattern: Option<String>,
    /// Role → (field, files that fill it), for every role whose field is not
    /// the default profile's; empty when the default profile fits.
    pub roles: Vec<(&'static str, String, usize)>,
    /// First and last session day seen, when the site declares no days.
    pub days: Option<(String, String)>,
    /// A speaker-pages folder, when the speakers role names pages.
    pub speaker_pages: Option<String>,
}

/// Role names as `[roles]` writes them, the default profile's field, and the
/// keys that commonly play the role on Hugo conference sites.
const ROLE_CANDIDATES: [(&str, Option<&str>, &[&str]); 10] = [
    ("title", Some("title"), &["title"]),
    (
        "start",
        Some("date"),
        &[
            "date",
            "time_start",
            "start",
            "start_time",
            "starts_at",
            "talk_date",
            "datetime",
        ],
    ),
    ("end", None, &["time_end", "end", "end_time", "ends_at"]),
    ("duration", None, &["duration", "length", "minutes"]),
    ("room", Some("room"), &["room", "location", "venue", "hall"]),
    ("track", Some("track"), &["track", "tracks", "category"]),
    (
        "speakers",
        Some("presenters"),
        &["presenters", "speakers", "speaker", "authors"],
    ),
    ("day", None, &["day"]),
    (
        "type",
        Some("stype"),
        &["stype", "type", "session_type", "format"],
    ),
    ("draft", Some("draft"), &["draft"]),
];

#[derive(Default)]
struct Seen {
    present: usize,
    filled: usize,
    /// Files where it is a list with an item (`speakers: [a, b]`).
    lists: usize,
    dates: usize,
    urls: usize,
    longest: usize,
    /// language → value → files
    values: BTreeMap<String, BTreeMap<String, usize>>,
    /// value → first position seen, for a stable order among equal counts
    first_seen: BTreeMap<String, usize>,
}

/// Observe every session file of `site` and propose rules.
pub fn infer(site: &Site) -> Result<Inference> {
    let files = site.session_files();
    let mut per_lang: BTreeMap<String, usize> = BTreeMap::new();
    let mut unreadable = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    // stem → language → key → value, for the twin alignment.
    let mut by_stem: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>> = BTreeMap::new();
    let mut position = 0usize;
    for f in &files {
        let doc = match Document::load(&f.path) {
            Ok(d) if d.problem().is_none() => d,
            _ => {
                unreadable.push(f.rel.clone());
                continue;
            }
        };
        *per_lang.entry(f.lang.clone()).or_default() += 1;
        for key in doc.keys() {
            if !seen.contains_key(&key) {
                order.push(key.clone());
            }
            let s = seen.entry(key.clone()).or_default();
            s.present += 1;
            if doc
                .list(&key)
                .is_some_and(|l| l.iter().any(|i| !i.trim().is_empty()))
            {
                s.lists += 1;
            }
            let Some(value) = doc
                .get(&key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            s.filled += 1;
            s.dates += usize::from(parse_datetime(&value).is_some());
            s.urls += usize::from(value.starts_with("https://") || value.starts_with("http://"));
            s.longest = s.longest.max(value.chars().count());
            *s.values
                .entry(f.lang.clone())
                .or_default()
                .entry(value.clone())
                .or_default() += 1;
            position += 1;
            s.first_seen.entry(value.clone()).or_insert(position);
            by_stem
                .entry(f.stem.clone())
                .or_default()
                .entry(f.lang.clone())
                .or_default()
                .insert(key.clone(), value);
        }
    }
    let total: usize = per_lang.values().sum();
    let profile = infer_profile(site, &order, &seen, &by_stem);
    let fields = order
        .into_iter()
        .filter_map(|key| seen.remove(&key).map(|s| (key, s)))
        .map(|(key, s)| propose(site, key, s, total, &by_stem))
        .collect();
    Ok(Inference {
        files: total,
        per_lang,
        unreadable,
        fields,
        profile,
    })
}

/// Save a proposal (the text of [`Inference::to_toml`]) as the site's
/// `lectern.toml`, atomically. Refused when the file exists (unless
/// `force`), when it is a symbolic link (never written through), and when
/// the text does not read back as a `lectern.toml`.
pub fn write_proposal(site: &Site, text: &str, force: bool) -> Result<std::path::PathBuf> {
    let path = site.root.join("lectern.toml");
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(Error::Invalid(format!(
                "{} is a symbolic link; Lectern does not write through it: remove it, or save the proposal by hand",
                path.display()
            )))
        }
        Ok(_) if !force => {
            return Err(Error::Invalid(format!(
                "{} exists; compare it with `lectern schema infer` and edit it, or pass --force to replace it",
                path.display()
            )))
        }
        _ => {}
    }
    toml::from_str::<crate::schema::LecternConfig>(text).map_err(|e| {
        Error::Invalid(format!(
            "the proposal does not read back as a lectern.toml ({e}); nothing was written"
        ))
    })?;
    crate::fs::write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

fn infer_profile(
    site: &Site,
    order: &[String],
    seen: &BTreeMap<String, Seen>,
    by_stem: &BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
) -> ProfileInference {
    let mut p = ProfileInference {
        dirs: site.session_dirs_rel(),
        file_pattern: site
            .config
            .sessions
            .file_pattern
            .is_none()
            .then(|| site.config.learned_file_pattern.clone())
            .flatten(),
        ..Default::default()
    };
    if site.config.roles.is_some() {
        return p;
    }
    // Each role: the candidate key (as the site spells it; Hugo's keys are
    // case-insensitive) that the most files fill, when any does.
    let filled = |k: &str| seen.get(k).map_or(0, |s| s.filled.max(s.lists));
    let mut chosen: Vec<(&'static str, Option<&str>, String, usize)> = Vec::new();
    for (role, default, names) in ROLE_CANDIDATES {
        let best = order
            .iter()
            .filter(|k| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
            .filter(|k| {
                role != "start" || seen.get(*k).is_some_and(|s| s.dates * 2 >= s.filled.max(1))
            })
            .max_by_key(|k| {
                (
                    filled(k),
                    std::cmp::Reverse(names.iter().position(|n| k.eq_ignore_ascii_case(n))),
                )
            });
        if let Some(k) = best.filter(|k| filled(k) > 0) {
            chosen.push((role, default, k.clone(), filled(k)));
        }
    }
    let fits_default = chosen
        .iter()
        .all(|(_, default, key, _)| default.is_some_and(|d| d == key));
    if !fits_default {
        p.roles = chosen
            .into_iter()
            .map(|(role, _, key, n)| (role, key, n))
            .collect();
    }
    if site.days.is_empty() {
        let start = p
            .roles
            .iter()
            .find(|(r, _, _)| *r == "start")
            .map_or("date".to_string(), |(_, k, _)| k.clone());
        let mut days: Vec<String> = by_stem
            .values()
            .flat_map(|langs| langs.values())
            .filter_map(|fields| fields.get(&start))
            .filter_map(|v| parse_datetime(v))
            .map(|t| t.format("%Y-%m-%d").to_string())
            .collect();
        days.sort();
        if let (Some(first), Some(last)) = (days.first(), days.last()) {
            p.days = Some((first.clone(), last.clone()));
        }
    }
    let speakers_key = p
        .roles
        .iter()
        .find(|(r, _, _)| *r == "speakers")
        .map(|(_, k, _)| k.as_str());
    if site.config.speakers.pages.is_none()
        && speakers_key.is_some_and(|k| !k.eq_ignore_ascii_case("presenters"))
        && site.root.join("content/speakers").is_dir()
    {
        p.speaker_pages = Some("content/speakers".into());
    }
    p
}

fn propose(
    site: &Site,
    key: String,
    s: Seen,
    total: usize,
    by_stem: &BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
) -> FieldInference {
    let kind = if s.filled > 0 && s.dates == s.filled {
        FieldType::Datetime
    } else if s.filled > 0 && s.urls == s.filled {
        FieldType::Url
    } else {
        FieldType::Text
    };
    // Most values have a type, a few do not: say so rather than propose a
    // rule the site would break, or stay silent.
    let near_type = [(FieldType::Datetime, s.dates), (FieldType::Url, s.urls)]
        .into_iter()
        .find(|&(_, n)| n < s.filled && n * 5 >= s.filled * 4 && n > 0)
        .map(|(t, n)| (t, n, s.filled));
    let listed_elsewhere = match key.as_str() {
        "track" if !site.tracks.is_empty() => Some("content/tracks/"),
        "room" if !site.rooms.is_empty() => Some("data/rooms.yaml"),
        _ => None,
    };
    let repeats = kind == FieldType::Text
        && s.filled >= MIN_ENUM_FILES
        && s.values.values().all(|v| v.len() <= MAX_ENUM_VALUES)
        && s.values.values().all(|v| {
            v.values().sum::<usize>() as f64 / v.len().max(1) as f64 >= MIN_USES_PER_VALUE
        });
    let (agree_same, agree_map, pairs, mapping) = twin_agreement(&site.default_lang, &key, by_stem);
    // A rule only where the twins clearly follow one; with no rule the
    // built-in default stays (`stype` and `room` translate).
    let sync = if pairs == 0 {
        None
    } else if agree_same as f64 >= SYNC_AGREEMENT * pairs as f64 {
        Some((SyncRule::Copy, agree_same, pairs))
    } else if repeats && agree_map as f64 >= SYNC_AGREEMENT * pairs as f64 {
        Some((SyncRule::Translate, agree_map, pairs))
    } else if agree_same == 0 && !repeats {
        Some((SyncRule::None, pairs, pairs))
    } else {
        None
    };
    let (values, misplaced) = if repeats && listed_elsewhere.is_none() {
        let shared = matches!(sync, Some((SyncRule::Copy, ..))) || s.values.len() == 1;
        let (lists, misplaced) = ordered_lists(&site.default_lang, &s, shared, &mapping);
        (Some(lists), misplaced)
    } else {
        (None, Vec::new())
    };
    FieldInference {
        misplaced,
        kind: if values.is_some() || (repeats && listed_elsewhere.is_some()) {
            FieldType::Enum
        } else {
            kind
        },
        required: s.filled == total && total > 0,
        present: s.present,
        filled: s.filled,
        values,
        sync,
        listed_elsewhere: listed_elsewhere.filter(|_| repeats),
        twins: (agree_same, agree_map, pairs),
        near_type,
        longest: s.longest,
        key,
    }
}

/// Over the twin pairs (a default-language file and one of another
/// language, both with the key): how many hold the same value, how many
/// follow the most common translation of their value, the number of pairs,
/// and that translation (language → default value → value).
fn twin_agreement(
    default_lang: &str,
    key: &str,
    by_stem: &BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
) -> (
    usize,
    usize,
    usize,
    BTreeMap<String, BTreeMap<String, String>>,
) {
    let mut counts: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>> = BTreeMap::new();
    let (mut same, mut pairs) = (0, 0);
    for langs in by_stem.values() {
        let Some(base) = langs.get(default_lang).and_then(|m| m.get(key)) else {
            continue;
        };
        for (lang, fields) in langs.iter().filter(|(l, _)| l.as_str() != default_lang) {
            let Some(other) = fields.get(key) else {
                continue;
            };
            pairs += 1;
            if other == base {
                same += 1;
            }
            *counts
                .entry(lang.clone())
                .or_default()
                .entry(base.clone())
                .or_default()
                .entry(other.clone())
                .or_default() += 1;
        }
    }
    let mut mapping: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut follow = 0;
    for (lang, per_base) in counts {
        for (base, others) in per_base {
            // The most used translation; ties go to the smaller text, so the
            // result does not depend on map order.
            if let Some((best, n)) = others
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            {
                follow += n;
                mapping
                    .entry(lang.clone())
                    .or_default()
                    .insert(base, best.clone());
            }
        }
    }
    (same, follow, pairs, mapping)
}

/// The value lists: the default language's by use (then first seen), the
/// others in the same order through `mapping`, with values no twin
/// explains appended. `shared`: one list for every language. Also returns
/// the values left out as misplaced (see [`FieldInference::misplaced`]).
fn ordered_lists(
    default_lang: &str,
    s: &Seen,
    shared: bool,
    mapping: &BTreeMap<String, BTreeMap<String, String>>,
) -> (ValueLists, Vec<Misplaced>) {
    let by_use = |m: &BTreeMap<String, usize>| {
        let mut v: Vec<(String, usize)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| s.first_seen.get(&a.0).cmp(&s.first_seen.get(&b.0)))
        });
        v
    };
    if shared {
        let mut all: BTreeMap<String, usize> = BTreeMap::new();
        for m in s.values.values() {
            for (k, n) in m {
                *all.entry(k.clone()).or_default() += n;
            }
        }
        return (
            BTreeMap::from([("*".to_string(), by_use(&all))]),
            Vec::new(),
        );
    }
    let mut out = BTreeMap::new();
    let mut misplaced = Vec::new();
    let base = s.values.get(default_lang).map(by_use).unwrap_or_default();
    for (lang, m) in &s.values {
        if lang == default_lang {
            continue;
        }
        let translate = mapping.get(lang);
        let mut list: Vec<(String, usize)> = Vec::new();
        let mut used = BTreeSet::new();
        for (b, _) in &base {
            if let Some(t) = translate
                .and_then(|t| t.get(b))
                .filter(|t| m.contains_key(*t) && !used.contains(*t))
            {
                used.insert(t.clone());
                list.push((t.clone(), m[t]));
            }
        }
        // Values with no twin to align them by go after the aligned ones;
        // a value of the default language's list is a mistake in this
        // language's files (`Chinese Session` in a zh file), not a value.
        for (v, n) in by_use(m).into_iter().filter(|(v, _)| !used.contains(v)) {
            if base.iter().any(|(b, _)| *b == v) {
                misplaced.push((lang.clone(), v, n));
            } else {
                list.push((v, n));
            }
        }
        out.insert(lang.clone(), list);
    }
    if !base.is_empty() {
        out.insert(default_lang.to_string(), base);
    }
    (out, misplaced)
}

impl Inference {
    /// A `lectern.toml` proposal: `[fields.KEY]` tables with the counts
    /// behind each rule as comments. Keys that say nothing beyond the
    /// defaults (free text, optional, no twin rule) are listed in a comment.
    pub fn to_toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let langs: Vec<String> = self
            .per_lang
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let mut out = format!(
            "# Proposed by `lectern schema infer` from {} session files ({}).\n\
             # Observations, not rules: review each one, then save as lectern.toml.\n",
            self.files,
            langs.join(", ")
        );
        if !self.unreadable.is_empty() {
            out.push_str(&format!(
                "# Skipped (front matter unreadable): {}\n",
                self.unreadable.join(", ")
            ));
        }
        let p = &self.profile;
        out.push_str("\n[sessions]\n");
        let dirs: Vec<String> = p.dirs.iter().map(|d| q(d)).collect();
        match dirs.as_slice() {
            [one] => out.push_str(&format!("dir = {one}\n")),
            _ => out.push_str(&format!("dir = [{}]\n", dirs.join(", "))),
        }
        if let Some(pattern) = &p.file_pattern {
            out.push_str(&format!(
                "file_pattern = {}  # learned from the file names\n",
                q(pattern)
            ));
        }
        if !p.roles.is_empty() {
            out.push_str("\n# The fields that play each part (the default profile's `date`,\n# `presenters`, `stype` do not fit this site). With [roles], only the\n# title is required unless [fields] below says more.\n[roles]\n");
            for (role, key, n) in &p.roles {
                out.push_str(&format!(
                    "{role} = {}  # filled in {n} of {} files\n",
                    q(key),
                    self.files
                ));
            }
        }
        if let Some((first, last)) = &p.days {
            out.push_str(&format!(
                "\n# The conference days: the first and last day sessions start on\n# (the site declares none in params.schedule).\n[schedule]\nstart = {}\nend = {}\n",
                q(first),
                q(last)
            ));
        }
        if let Some(pages) = &p.speaker_pages {
            out.push_str(&format!(
                "\n# One page per speaker; the speakers field names them.\n[speakers]\npages = {}\n",
                q(pages)
            ));
        }
        let mut plain = Vec::new();
        for f in &self.fields {
            let interesting = f.required
                || f.values.is_some()
                || f.kind != FieldType::Text
                || f.near_type.is_some()
                || f.sync.is_some_and(|s| s.0 != SyncRule::None);
            if !interesting {
                plain.push(format!("{} ({} of {})", f.key, f.filled, self.files));
                continue;
            }
            out.push_str(&format!("\n[fields.{}]\n", toml_key(&f.key)));
            out.push_str(&format!(
                "required = {}  # filled in {} of {} files, present in {}\n",
                f.required, f.filled, self.files, f.present
            ));
            // Free text is left unsaid, so a built-in type (`presenters`
            // is a list) is not overridden.
            let kind = match f.kind {
                FieldType::Text | FieldType::List => None,
                FieldType::Datetime => Some("datetime"),
                FieldType::Enum => Some("enum"),
                FieldType::Url => Some("url"),
                FieldType::Items => Some("items"),
            };
            if let Some(kind) = kind {
                out.push_str(&format!("type = {}\n", q(kind)));
            }
            if let Some((t, n, filled)) = f.near_type {
                let name = if t == FieldType::Url {
                    "url"
                } else {
                    "datetime"
                };
                out.push_str(&format!(
                    "# {n} of {filled} values are {}; `type = {}` would report the other {}\n",
                    if t == FieldType::Url {
                        "http(s) URLs"
                    } else {
                        "dates"
                    },
                    q(name),
                    filled - n
                ));
            }
            if let Some(source) = f.listed_elsewhere {
                out.push_str(&format!("# values: the site lists them in {source}\n"));
            }
            for (lang, value, n) in &f.misplaced {
                out.push_str(&format!(
                    "# {n} {lang} file(s) use {} from another language's list\n",
                    q(value)
                ));
            }
            if let Some(values) = &f.values {
                for (lang, list) in values {
                    let items: Vec<String> = list.iter().map(|(v, _)| q(v)).collect();
                    let uses: Vec<String> = list.iter().map(|(_, n)| n.to_string()).collect();
                    let key = if lang == "*" {
                        "values".to_string()
                    } else {
                        format!("values.{}", toml_key(lang))
                    };
                    out.push_str(&format!(
                        "{key} = [{}]  # files: {}\n",
                        items.join(", "),
                        uses.join(", ")
                    ));
                }
            }
            if let Some((rule, agree, pairs)) = f.sync {
                let (name, why) = match rule {
                    SyncRule::Copy => (
                        "copy",
                        format!("{agree} of {pairs} twin pairs hold the same value"),
                    ),
                    SyncRule::Translate => (
                        "translate",
                        format!("{agree} of {pairs} twin pairs follow the lists above"),
                    ),
                    SyncRule::None => ("none", format!("all {pairs} twin pairs differ")),
                };
                out.push_str(&format!("sync = {}  # {why}\n", q(name)));
            } else if f.twins.2 > 0 {
                let (same, follow, pairs) = f.twins;
                let follows = if f.values.is_some() || f.listed_elsewhere.is_some() {
                    format!(", {follow} follow one translation per value")
                } else {
                    String::new()
                };
                out.push_str(&format!("# sync: no clear rule ({same} of {pairs} twin pairs hold the same value{follows})\n"));
            }
        }
        if !plain.is_empty() {
            out.push_str(&format!(
                "\n# Free text, optional, no twin rule (the defaults): {}\n",
                plain.join(", ")
            ));
        }
        out
    }
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}
