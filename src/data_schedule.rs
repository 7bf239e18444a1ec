//! Programmes kept in data files, as devopsdays sites keep them: each event
//! has its talks in `content/events/<year>-<city>/program/<slug>.md`, its
//! timetable in `data/events/<year>/<city>/program.yml` (a YAML list of
//! `{title: <talk slug>, type, date, start_time, end_time}`) and its dates in
//! `data/events/<year>/<city>/main.yml` (`startdate`, `enddate`).
//!
//! `[schedule.data]` in `lectern.toml` names the three places with
//! `{placeholders}` (see [`crate::schema::DataScheduleSpec`]); the values a
//! placeholder takes name one event, so one profile serves a site with many
//! events. A programme entry maps to the session of the same event whose file
//! slug (its file stem, or its folder for a page bundle) is the entry's talk
//! key.
//!
//! Data files are untrusted site input: they are read through
//! [`crate::fs::read_text`] (regular files only, 4 MiB cap) and parsed with the
//! front-matter YAML parser's own limits (256 KiB, alias and nesting bombs
//! refused), only inside the site, and a bad file is a located finding
//! (file, line), never a panic or a failed discovery. Loading collects the
//! findings that need only the data files (bad YAML, bad times, an end before
//! its start, a date outside the event's days); the rules that compare the
//! programme with the session files are in `validate`.

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::front_matter::{self, scalar_to_string, Value};
use crate::schema::{placeholders, DataScheduleSpec};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Most events Lectern reads from one site's data files.
pub const MAX_EVENTS: usize = 5_000;
/// Most entries Lectern reads from one programme file (the YAML size cap
/// bounds it too).
pub const MAX_ENTRIES: usize = 10_000;

/// The programmes of a site, one per event.
#[derive(Debug, Clone, Default)]
pub struct DataSchedule {
    /// Every event that has a programme file or an event file, sorted by key.
    pub events: Vec<Event>,
    /// The `[schedule.data]` settings, with defaults filled in.
    pub spec: DataKeys,
    /// The sessions folder pattern as a regular expression over a folder's
    /// site-relative path; `None` when every session belongs to the only event.
    sessions: Option<regex::Regex>,
    /// The sessions folder pattern as written.
    sessions_pattern: Option<String>,
    /// Event positions by their placeholder values (in name order), so that
    /// finding a session's event is one lookup on sites with many events.
    index: std::collections::HashMap<Vec<String>, usize>,
}

/// The key names a programme uses, devopsdays' by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataKeys {
    /// The entry key that names a talk by its file slug (`title`).
    pub talk: String,
    /// The entry's day (`date`).
    pub date: String,
    /// The entry's start (`start_time`).
    pub start: String,
    /// The entry's end (`end_time`).
    pub end: String,
    /// The entry's type (`type`).
    pub kind: String,
    /// Entry types that name a talk (`["talk"]`); an entry without a type
    /// names a talk too.
    pub talk_types: Vec<String>,
    /// Where the entries are when the file is a mapping (`program`).
    pub list: String,
    /// Lists of a mapping whose every entry names a talk (`["ignites"]`).
    pub talk_lists: Vec<String>,
    /// The event file's first day (`startdate`).
    pub event_start: String,
    /// The event file's last day (`enddate`).
    pub event_end: String,
}

impl DataKeys {
    fn from_spec(s: &DataScheduleSpec) -> DataKeys {
        let or = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_string());
        DataKeys {
            talk: or(&s.talk_key, "title"),
            date: or(&s.date_key, "date"),
            start: or(&s.start_key, "start_time"),
            end: or(&s.end_key, "end_time"),
            kind: or(&s.type_key, "type"),
            talk_types: s
                .talk_types
                .clone()
                .unwrap_or_else(|| vec!["talk".to_string()]),
            list: or(&s.list_key, "program"),
            talk_lists: s
                .talk_lists
                .clone()
                .unwrap_or_else(|| vec!["ignites".to_string()]),
            event_start: or(&s.event_start_key, "startdate"),
            event_end: or(&s.event_end_key, "enddate"),
        }
    }

    /// Whether a session or entry type names a talk (no type does).
    pub fn is_talk_type(&self, kind: Option<&str>) -> bool {
        match kind.map(str::trim).filter(|k| !k.is_empty()) {
            None => true,
            Some(k) => self.talk_types.iter().any(|t| t.eq_ignore_ascii_case(k)),
        }
    }
}

/// One event: the placeholder values that name it and what its data files say.
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// Placeholder values (`year = 2030`, `city = lyon`).
    pub key: BTreeMap<String, String>,
    /// The values in the order the pattern writes them (`2030/lyon`).
    pub label: String,
    /// The programme file, site-relative, when it exists.
    pub programme: Option<String>,
    /// The event file, site-relative, when it exists.
    pub event_file: Option<String>,
    /// The event's days from its event file, `YYYY-MM-DD`.
    pub days: Vec<String>,
    /// The programme's entries, in file order.
    pub entries: Vec<Entry>,
}

impl Event {
    /// The event as people name it: its placeholder values joined by `/`.
    pub fn name(&self) -> String {
        if self.label.is_empty() {
            return "the event".to_string();
        }
        self.label.clone()
    }

    /// The first entry that names the talk `slug`.
    pub fn entry_for(&self, slug: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.is_talk && e.talk.as_deref() == Some(slug))
    }
}

/// One programme entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The talk key's value (a talk's file slug, or a custom block's title).
    pub talk: Option<String>,
    /// The entry's type.
    pub kind: Option<String>,
    /// Whether it names a talk (its type is one of the talk types).
    pub is_talk: bool,
    /// 1-based line of the entry's first line.
    pub line: usize,
    /// 1-based line of the talk key, else of the entry.
    pub talk_line: usize,
    /// Start, when its date and start time read.
    pub start: Option<NaiveDateTime>,
    /// End, when it reads and is after the start.
    pub end: Option<NaiveDateTime>,
}

/// A session's time from the programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSlot {
    /// Start.
    pub start: NaiveDateTime,
    /// End, when the entry has one after its start.
    pub end: Option<NaiveDateTime>,
    /// The programme file, site-relative.
    pub file: String,
    /// The entry's line.
    pub line: usize,
}

/// A pattern as a regular expression over a whole site-relative path:
/// `{name}` matches within one path component, as does `*`.
fn pattern_regex(pattern: &str) -> Option<regex::Regex> {
    let ph = regex::Regex::new(r"\{([A-Za-z_][A-Za-z0-9_]*)\}").expect("static regex");
    let pattern = pattern.trim().trim_matches('/');
    let mut re = String::from("^");
    let mut last = 0;
    for c in ph.captures_iter(pattern) {
        let m = c.get(0)?;
        re.push_str(&regex::escape(&pattern[last..m.start()]).replace("\\*", "[^/]*"));
        re.push_str(&format!("(?P<{}>[^/]+?)", &c[1]));
        last = m.end();
    }
    re.push_str(&regex::escape(&pattern[last..]).replace("\\*", "[^/]*"));
    re.push('$');
    regex::Regex::new(&re).ok()
}

/// The existing files a pattern names, inside the site, with the
/// placeholder values of each.
fn find_files(
    root: &Path,
    pattern: &str,
    inside: &dyn Fn(&Path) -> bool,
) -> Vec<(PathBuf, BTreeMap<String, String>)> {
    let pattern = pattern.trim().trim_matches('/');
    let Some(re) = pattern_regex(pattern) else {
        return Vec::new();
    };
    let names = placeholders(pattern);
    let glob = regex::Regex::new(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
        .expect("static regex")
        .replace_all(pattern, "*")
        .into_owned();
    let (dir, _) = glob.rsplit_once('/').unwrap_or(("", &glob));
    let dirs = if dir.is_empty() {
        vec![root.to_path_buf()]
    } else {
        crate::fs::expand_glob(root, dir)
    };
    let mut out = Vec::new();
    for d in dirs {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = e.path();
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel: String = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let Some(c) = re.captures(&rel) else { continue };
            if !inside(&path) {
                continue;
            }
            let key = names
                .iter()
                .filter_map(|n| Some((n.clone(), c.name(n)?.as_str().to_string())))
                .collect();
            out.push((path, key));
            if out.len() >= MAX_EVENTS {
                return out;
            }
        }
    }
    out.sort();
    out
}

/// The lines where the items of a YAML list start (`- ` at the list's
/// indentation), 1-based, with the line of the list itself: the top-level
/// list when `key` is `None`, else the list under the top-level `key:`.
/// Flow lists (`[…]`) give no item lines.
fn list_item_lines(text: &str, key: Option<&str>) -> (Vec<usize>, usize) {
    let mut out = Vec::new();
    let mut indent = None;
    let mut inside = key.is_none();
    let mut key_at = 1;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let ind = line.len() - t.len();
        if t.starts_with('#') || t.is_empty() {
            continue;
        }
        let is_item = t == "-" || t.starts_with("- ");
        if let Some(k) = key {
            if ind == 0 && !is_item {
                // A top-level key: the list's own, or the end of it.
                let name = t
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\'']);
                if inside {
                    break;
                }
                if name == k && t.contains(':') {
                    inside = true;
                    key_at = i + 1;
                }
                continue;
            }
        }
        if !inside {
            continue;
        }
        match indent {
            None if is_item => {
                indent = Some(ind);
                out.push(i + 1);
            }
            Some(n) if is_item && ind == n => out.push(i + 1),
            _ => {}
        }
    }
    (out, key_at)
}

/// The line of `key:` within lines `from..to` (1-based, `to` exclusive).
fn key_line(text: &str, from: usize, to: usize, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .take(to.saturating_sub(from))
        .find(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            let t = t.trim_start_matches(['"', '\'']);
            t.strip_prefix(key).is_some_and(|r| {
                let r = r.trim_start_matches(['"', '\'']).trim_start();
                r.starts_with(':')
            })
        })
        .map(|(i, _)| i + 1)
}

/// A day written `2030-05-01` (or the start of a longer date and time).
fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_matches(['"', '\'']);
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

/// A time of day: `09:30`, `9:30`, `09:30:00`, `9:30 AM`, `9:30pm`.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let upper = s.to_ascii_uppercase();
    ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I:%M:%S %p"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(&upper, f).ok())
}

/// A start or end: a time on the entry's day, or a whole date and time.
fn parse_moment(v: &str, day: Option<NaiveDate>) -> Option<NaiveDateTime> {
    crate::text::parse_datetime(v).or_else(|| Some(day?.and_time(parse_time(v)?)))
}

fn get<'v>(m: &'v front_matter::Mapping, key: &str) -> Option<&'v Value> {
    m.iter()
        .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
        .map(|(_, v)| v)
}

fn text_of(m: &front_matter::Mapping, key: &str) -> Option<String> {
    get(m, key)
        .and_then(scalar_to_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Read one data file as YAML, or say where it is broken.
fn read_yaml(path: &Path, rel: &str, code: Code) -> Result<(String, Value), Box<Diagnostic>> {
    let text = crate::fs::read_text(path).map_err(|e| {
        let (line, column) = match &e {
            crate::Error::Content { line, column, .. } => (*line, *column),
            _ => (0, 0),
        };
        let msg = match &e {
            crate::Error::Content { message, .. } => message.clone(),
            crate::Error::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        };
        Box::new(Diagnostic::new(
            code,
            Severity::Error,
            rel,
            line,
            column,
            format!("cannot read it: {msg}"),
        ))
    })?;
    let v = front_matter::parse_value(&text).map_err(|e| {
        Box::new(Diagnostic::new(
            code,
            Severity::Error,
            rel,
            e.line,
            e.column,
            format!("invalid YAML: {}", e.message),
        ))
    })?;
    Ok((text, v))
}

impl DataSchedule {
    /// Read the programmes `spec` names. `declared_days` are the days
    /// `lectern.toml` declares, which then apply to every event; findings
    /// about the data files go to `problems`.
    pub fn load(
        root: &Path,
        spec: &DataScheduleSpec,
        declared_days: Option<&[String]>,
        problems: &mut Vec<Diagnostic>,
    ) -> DataSchedule {
        let keys = DataKeys::from_spec(spec);
        let inside = |p: &Path| std::fs::canonicalize(p).is_ok_and(|r| r.starts_with(root));
        let rel = |p: &Path| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        type Key = Vec<(String, String)>;
        let mut events: BTreeMap<Key, Event> = BTreeMap::new();
        // Programme candidates per event, in the order `program` lists them.
        let mut candidates: BTreeMap<Key, Vec<(usize, PathBuf)>> = BTreeMap::new();
        let programs = spec.programs();
        // (event, programme candidate with its pattern's position, event file)
        type Found = (
            BTreeMap<String, String>,
            Option<(usize, PathBuf)>,
            Option<PathBuf>,
        );
        let mut found: Vec<Found> = Vec::new();
        for (i, p) in programs.iter().enumerate() {
            for (path, key) in find_files(root, p, &inside) {
                found.push((key, Some((i, path)), None));
            }
        }
        if let Some(p) = &spec.event {
            for (path, key) in find_files(root, p, &inside) {
                found.push((key, None, Some(path)));
            }
        }
        for (key, prog, ev) in found {
            let k: Vec<(String, String)> = key.clone().into_iter().collect();
            if events.len() >= MAX_EVENTS && !events.contains_key(&k) {
                continue;
            }
            let e = events.entry(k.clone()).or_insert_with(|| Event {
                key,
                ..Event::default()
            });
            if let Some(p) = prog {
                candidates.entry(k).or_default().push(p);
            }
            if let Some(p) = ev {
                e.event_file = Some(rel(&p));
            }
        }
        let order = placeholders(
            programs
                .first()
                .map(String::as_str)
                .or(spec.event.as_deref())
                .unwrap_or(""),
        );
        for (k, e) in events.iter_mut() {
            e.label = order
                .iter()
                .filter_map(|n| e.key.get(n).cloned())
                .collect::<Vec<_>>()
                .join("/");
            if let Some(f) = e.event_file.clone() {
                e.days = read_event_days(&root.join(&f), &f, &keys, problems);
            }
            let days: Vec<String> = declared_days
                .map(<[String]>::to_vec)
                .unwrap_or_else(|| e.days.clone());
            let mut list = candidates.remove(k).unwrap_or_default();
            list.sort();
            for (_, path) in list {
                let f = rel(&path);
                let (text, v) = match read_yaml(&path, &f, Code::ProgrammeFile) {
                    Ok(x) => x,
                    Err(d) => {
                        // A broken candidate is reported, not skipped past.
                        problems.push(*d);
                        e.programme = Some(f);
                        break;
                    }
                };
                // An event file without a programme in it: try the next one.
                let is_event_file = e.event_file.as_deref() == Some(f.as_str());
                if is_event_file && !holds_programme(&v, &keys) {
                    continue;
                }
                e.entries = read_programme(&text, v, &f, &keys, &days, problems);
                e.programme = Some(f);
                break;
            }
        }
        let events: Vec<Event> = events.into_values().collect();
        let index = events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.values().cloned().collect(), i))
            .collect();
        DataSchedule {
            events,
            spec: keys,
            sessions: spec.sessions.as_deref().and_then(pattern_regex),
            sessions_pattern: spec.sessions.clone(),
            index,
        }
    }

    /// The event a session belongs to, with its slug: the session's folder
    /// (a page bundle's parent folder) matched against `[schedule.data]
    /// sessions`; without that setting, the only event.
    /// `rel` is the session file's site-relative path and `stem` its stem
    /// without the language suffix (a [`crate::site::SessionFile`]'s).
    pub fn event_of<'s, 'f>(&'s self, rel: &str, stem: &'f str) -> Option<(&'s Event, &'f str)> {
        let (i, slug) = self.event_index_of(rel, stem)?;
        Some((&self.events[i], slug))
    }

    /// [`DataSchedule::event_of`] as a position in [`DataSchedule::events`].
    pub fn event_index_of<'f>(&self, rel: &str, stem: &'f str) -> Option<(usize, &'f str)> {
        let slug = stem.rsplit('/').next().unwrap_or(stem);
        let Some(re) = &self.sessions else {
            return (self.events.len() == 1).then_some((0, slug));
        };
        let mut parts: Vec<&str> = rel.split('/').collect();
        let name = parts.pop()?;
        if name == "index.md" || (name.starts_with("index.") && name.ends_with(".md")) {
            parts.pop()?;
        }
        let folder = parts.join("/");
        let c = re.captures(&folder)?;
        // The placeholder names, sorted as an event's key is.
        let mut names: Vec<&str> = re.capture_names().flatten().collect();
        names.sort_unstable();
        let key: Vec<String> = names
            .iter()
            .filter_map(|n| c.name(n).map(|m| m.as_str().to_string()))
            .collect();
        let i = *self.index.get(&key)?;
        Some((i, slug))
    }

    /// The folder of an event's sessions, site-relative, when
    /// `[schedule.data] sessions` names it.
    pub fn spec_sessions_for(&self, event: &Event) -> Option<String> {
        let mut p = self
            .sessions_pattern
            .as_deref()?
            .trim()
            .trim_matches('/')
            .to_string();
        for (k, v) in &event.key {
            p = p.replace(&format!("{{{k}}}"), v);
        }
        Some(p)
    }

    /// A session's time from its event's programme, when an entry names it
    /// and its start reads.
    /// A session's time (see [`DataSchedule::event_of`] for `rel` and `stem`).
    pub fn slot(&self, rel: &str, stem: &str) -> Option<DataSlot> {
        let (event, slug) = self.event_of(rel, stem)?;
        let entry = event.entry_for(slug)?;
        Some(DataSlot {
            start: entry.start?,
            end: entry.end,
            file: event.programme.clone()?,
            line: entry.talk_line,
        })
    }

    /// Every event's days, sorted and without repeats.
    pub fn all_days(&self) -> Vec<String> {
        let mut d: Vec<String> = self.events.iter().flat_map(|e| e.days.clone()).collect();
        d.sort();
        d.dedup();
        d
    }
}

/// The days from `startdate` to `enddate` (at most a year), or a finding.
fn read_event_days(
    path: &Path,
    rel: &str,
    keys: &DataKeys,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let (text, v) = match read_yaml(path, rel, Code::EventFile) {
        Ok(x) => x,
        Err(d) => {
            problems.push(*d);
            return Vec::new();
        }
    };
    let m = match v {
        Value::Mapping(m) => m,
        // An empty event file: no dates yet.
        Value::Null => return Vec::new(),
        _ => {
            problems.push(Diagnostic::new(
                Code::EventFile,
                Severity::Error,
                rel,
                1,
                1,
                format!(
                    "an event file is a mapping with `{}` and `{}`",
                    keys.event_start, keys.event_end
                ),
            ));
            return Vec::new();
        }
    };
    let line_of = |k: &str| key_line(&text, 1, usize::MAX, k).unwrap_or(1);
    let start_raw = text_of(&m, &keys.event_start);
    let end_raw = text_of(&m, &keys.event_end);
    // An event without dates yet is normal (a call for papers is open).
    let Some(start_raw) = start_raw else {
        return Vec::new();
    };
    let Some(start) = parse_day(&start_raw) else {
        problems.push(Diagnostic::new(
            Code::EventFile,
            Severity::Error,
            rel,
            line_of(&keys.event_start),
            1,
            format!(
                "`{}` is {start_raw:?}, not a day; write it like 2030-05-01",
                keys.event_start
            ),
        ));
        return Vec::new();
    };
    let end = match end_raw {
        None => start,
        Some(raw) => match parse_day(&raw) {
            Some(e) => e,
            None => {
                problems.push(Diagnostic::new(
                    Code::EventFile,
                    Severity::Error,
                    rel,
                    line_of(&keys.event_end),
                    1,
                    format!(
                        "`{}` is {raw:?}, not a day; write it like 2030-05-01",
                        keys.event_end
                    ),
                ));
                return Vec::new();
            }
        },
    };
    let n = (end - start).num_days();
    if !(0..=366).contains(&n) {
        problems.push(Diagnostic::new(
            Code::EndBeforeStart,
            Severity::Error,
            rel,
            line_of(&keys.event_end),
            1,
            format!(
                "`{}` ({end}) is {} `{}` ({start}); fix one of them",
                keys.event_end,
                if n < 0 {
                    "before"
                } else {
                    "more than a year after"
                },
                keys.event_start
            ),
        ));
        return Vec::new();
    }
    (0..=n)
        .map(|i| {
            (start + chrono::Duration::days(i))
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect()
}

/// Whether a data file holds a programme: a list, or a mapping with the
/// programme's list key or a talk list.
fn holds_programme(v: &Value, keys: &DataKeys) -> bool {
    match v {
        Value::Sequence(_) => true,
        Value::Mapping(m) => std::iter::once(&keys.list)
            .chain(&keys.talk_lists)
            .any(|k| get(m, k).is_some()),
        _ => false,
    }
}

/// The entries of one programme file, with the findings that need only it:
/// a top-level list, or a mapping with the list under `keys.list`
/// (devopsdays' `program:`) and talk lists (`ignites:`) whose every entry
/// names a talk.
fn read_programme(
    text: &str,
    v: Value,
    rel: &str,
    keys: &DataKeys,
    days: &[String],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let mut lists: Vec<(Option<&str>, Vec<Value>, bool)> = Vec::new();
    let not_a_programme = |problems: &mut Vec<Diagnostic>, line: usize, what: String| {
        problems.push(Diagnostic::new(
            Code::ProgrammeFile,
            Severity::Error,
            rel,
            line,
            1,
            what,
        ));
    };
    let shape = format!(
        "a programme is a YAML list of entries like `- {}: my-talk`, or a mapping with that list under `{}:`",
        keys.talk, keys.list
    );
    match v {
        Value::Sequence(items) => lists.push((None, items, false)),
        // An empty file: no programme yet.
        Value::Null => return Vec::new(),
        Value::Mapping(m) => {
            for (k, all_talks) in std::iter::once((&keys.list, false))
                .chain(keys.talk_lists.iter().map(|k| (k, true)))
            {
                match get(&m, k) {
                    None | Some(Value::Null) => {}
                    Some(Value::Sequence(items)) => {
                        lists.push((Some(k.as_str()), items.clone(), all_talks))
                    }
                    Some(_) => {
                        let line = key_line(text, 1, usize::MAX, k).unwrap_or(1);
                        not_a_programme(problems, line, format!("`{k}` is not a list; {shape}"));
                    }
                }
            }
            if lists.is_empty() && !holds_programme(&Value::Mapping(m), keys) {
                not_a_programme(problems, 1, shape);
                return Vec::new();
            }
        }
        _ => {
            not_a_programme(problems, 1, shape);
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for (list, items, all_talks) in lists {
        let (lines, key_at) = list_item_lines(text, list);
        read_list(
            text, &items, &lines, key_at, all_talks, rel, keys, days, problems, &mut out,
        );
    }
    // A talk named twice is shown twice on the site's programme, usually a
    // copied entry left behind; its first entry gives its time.
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for e in out.iter().filter(|e| e.is_talk) {
        let Some(talk) = e.talk.as_deref() else {
            continue;
        };
        match first.get(talk) {
            None => {
                first.insert(talk, e.talk_line);
            }
            Some(line) => problems.push(Diagnostic::new(
                Code::ProgrammeDuplicate,
                Severity::Warning,
                rel,
                e.talk_line,
                1,
                format!(
                    "the talk {talk:?} is already in this programme at line {line}; the site lists it twice, and Lectern times it by the first entry"
                ),
            )),
        }
    }
    out
}

/// The entries of one list of a programme.
#[allow(clippy::too_many_arguments)]
fn read_list(
    text: &str,
    items: &[Value],
    lines: &[usize],
    key_at: usize,
    all_talks: bool,
    rel: &str,
    keys: &DataKeys,
    days: &[String],
    problems: &mut Vec<Diagnostic>,
    out: &mut Vec<Entry>,
) {
    // Flow lists or odd layouts: every entry points at the list's own line
    // rather than at a wrong one.
    let lines_ok = lines.len() == items.len();
    for (i, item) in items.iter().enumerate().take(MAX_ENTRIES) {
        let line = if lines_ok { lines[i] } else { key_at };
        let next = if lines_ok {
            lines.get(i + 1).copied().unwrap_or(usize::MAX)
        } else {
            line
        };
        let at = |k: &str| {
            if lines_ok {
                key_line(text, line, next, k).unwrap_or(line)
            } else {
                line
            }
        };
        let Value::Mapping(m) = item else {
            problems.push(Diagnostic::new(
                Code::ProgrammeFile,
                Severity::Error,
                rel,
                line,
                1,
                format!(
                    "entry {} is not a mapping like `{}: my-talk`",
                    i + 1,
                    keys.talk
                ),
            ));
            continue;
        };
        let talk = text_of(m, &keys.talk);
        let kind = text_of(m, &keys.kind);
        let is_talk = (all_talks || keys.is_talk_type(kind.as_deref())) && talk.is_some();
        let name = talk.clone().unwrap_or_else(|| format!("entry {}", i + 1));
        let mut entry = Entry {
            talk,
            kind,
            is_talk,
            line,
            talk_line: at(&keys.talk),
            start: None,
            end: None,
        };
        let date_raw = text_of(m, &keys.date);
        let day = match &date_raw {
            None => None,
            Some(raw) => match parse_day(raw) {
                Some(d) => Some(d),
                None => {
                    problems.push(Diagnostic::new(
                        Code::ProgrammeEntry,
                        Severity::Error,
                        rel,
                        at(&keys.date),
                        1,
                        format!(
                            "{name}: `{}` is {raw:?}, not a day; write it like 2030-05-01",
                            keys.date
                        ),
                    ));
                    out.push(entry);
                    continue;
                }
            },
        };
        let moment = |k: &str, problems: &mut Vec<Diagnostic>| {
            let raw = text_of(m, k)?;
            let t = parse_moment(&raw, day);
            if t.is_none() {
                let why = if day.is_none() && parse_time(&raw).is_some() {
                    format!("the entry has no `{}` to put it on", keys.date)
                } else {
                    "not a time; write it like 09:30".to_string()
                };
                problems.push(Diagnostic::new(
                    Code::ProgrammeEntry,
                    Severity::Error,
                    rel,
                    at(k),
                    1,
                    format!("{name}: `{k}` is {raw:?}, {why}"),
                ));
            }
            t
        };
        let start = moment(&keys.start, problems);
        let end = moment(&keys.end, problems);
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                problems.push(Diagnostic::new(
                    Code::EndBeforeStart,
                    Severity::Error,
                    rel,
                    at(&keys.end),
                    1,
                    format!(
                        "{name}: `{}` ({}) is not after `{}` ({}); fix one of them",
                        keys.end,
                        e.format("%H:%M"),
                        keys.start,
                        s.format("%H:%M")
                    ),
                ));
            } else {
                entry.end = Some(e);
            }
        }
        let when = start.map(|s| s.date()).or(day);
        if let Some(d) = when {
            let d = d.format("%Y-%m-%d").to_string();
            if !days.is_empty() && !days.contains(&d) {
                problems.push(Diagnostic::new(
                    Code::DateOutsideDays,
                    Severity::Error,
                    rel,
                    at(if date_raw.is_some() {
                        &keys.date
                    } else {
                        &keys.start
                    }),
                    1,
                    format!(
                        "{name} is on {d}, which is not a day of the event ({})",
                        days.join(", ")
                    ),
                ));
            }
        }
        entry.start = start;
        out.push(entry);
    }
    if items.len() > MAX_ENTRIES {
        problems.push(Diagnostic::new(
            Code::ProgrammeFile,
            Severity::Warning,
            rel,
            1,
            1,
            format!(
                "{} entries; Lectern reads the first {MAX_ENTRIES}",
                items.len()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_lines_find_top_level_entries_only() {
        let t = "# programme\n- title: a\n  type: talk\n  tags:\n    - x\n\n- title: b\n";
        assert_eq!(list_item_lines(t, None), (vec![2, 7], 1));
        let m = "name: x\nteam:\n  - name: y\nprogram:\n  - title: a\n    tags:\n      - z\n  - title: b\nignites:\n- title: c\n";
        assert_eq!(list_item_lines(m, Some("program")), (vec![5, 8], 4));
        assert_eq!(list_item_lines(m, Some("ignites")), (vec![10], 9));
        assert_eq!(list_item_lines(m, Some("absent")), (vec![], 1));
        assert_eq!(key_line(t, 2, 7, "type"), Some(3));
        assert_eq!(key_line(t, 7, usize::MAX, "title"), Some(7));
    }

    #[test]
    fn times_read_in_the_shapes_sites_write() {
        let d = NaiveDate::from_ymd_opt(2030, 5, 1);
        for (s, want) in [
            ("09:30", "09:30"),
            ("9:30", "09:30"),
            ("09:30:00", "09:30"),
            ("2:15 PM", "14:15"),
            ("2:15pm", "14:15"),
            ("2030-05-01T11:00:00", "11:00"),
        ] {
            assert_eq!(
                parse_moment(s, d).map(|t| t.format("%H:%M").to_string()),
                Some(want.to_string()),
                "{s}"
            );
        }
        assert_eq!(parse_moment("noon", d), None);
        assert_eq!(parse_moment("09:30", None), None);
    }

    #[test]
    fn patterns_capture_placeholders_within_one_component() {
        let re = pattern_regex("content/events/{year}-{city}/program").unwrap();
        let c = re.captures("content/events/2030-new-york/program").unwrap();
        assert_eq!((&c["year"], &c["city"]), ("2030", "new-york"));
        assert!(re.captures("content/events/2030-x/y/program").is_none());
    }
}
