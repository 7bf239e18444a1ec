//! Field rules: what `lectern.toml` declares, completed by what the site
//! shows (tracks, rooms) and by built-in defaults for this site family.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FieldType {
    /// Free text.
    #[default]
    Text,
    /// A date and time such as `2022-07-29T14:00:00`.
    Datetime,
    /// One of a list of values (per language when the lists are per language).
    Enum,
    /// An http(s) URL.
    Url,
    /// A comma-separated list in one string, like `presenters: "A, B"`
    /// (also written `type = "comma-list"`).
    #[serde(alias = "comma-list")]
    List,
    /// A real list: a YAML sequence (`- item` lines or `[a, b]`), a TOML or
    /// JSON array, like `speakers:`. Each item is checked against `values`.
    Items,
}

/// How an edit to a field reaches the session's twins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncRule {
    /// The twins hold the same value.
    Copy,
    /// The twins hold the value at the same position of their language's list.
    Translate,
    /// Each language has its own value.
    None,
}

/// `values = [...]` or `values.LANG = [...]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Values {
    /// One list for every language.
    All(Vec<String>),
    /// One list per language; lists at the same position translate each other.
    PerLang(BTreeMap<String, Vec<String>>),
}

/// `[fields.NAME]` in `lectern.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Must be present and not empty.
    pub required: Option<bool>,
    /// The type.
    #[serde(rename = "type")]
    pub kind: Option<FieldType>,
    /// Allowed values.
    pub values: Option<Values>,
    /// Minimum length in characters.
    pub min_len: Option<usize>,
    /// Maximum length in characters.
    pub max_len: Option<usize>,
    /// A regular expression the whole value must match.
    pub pattern: Option<String>,
    /// How edits reach twins.
    pub sync: Option<SyncRule>,
}

/// `dir = "content/sessions"` or `dir = ["content/talks", "content/events/*/program"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Dirs {
    /// One folder or glob.
    One(String),
    /// Several folders or globs.
    Many(Vec<String>),
}

/// Where ids must be unique: `id_scope` in `[sessions]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum IdScope {
    /// Learned from the site: per track when many ids are shared across
    /// tracks and none within one, else the whole site.
    #[default]
    Auto,
    /// Every session of the site has its own id.
    Site,
    /// Ids are numbered per track (`ai-1019` and `olap-1019` differ).
    Track,
}

/// `[sessions]` in `lectern.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionsSpec {
    /// Sessions folders or globs relative to the site root (default
    /// `content/sessions`), searched recursively; `_index.md` section pages
    /// are skipped and page bundles (`<slug>/index.md`) accepted.
    pub dir: Option<Dirs>,
    /// File name pattern without language suffix and `.md`: `{track}-{id}`
    /// (the default), `{id}`, `{slug}`, or `none`. The file-name,
    /// track-prefix and duplicate-id rules apply only to the parts the
    /// pattern names.
    pub file_pattern: Option<String>,
    /// Where session ids must be unique (default: learned from the site).
    pub id_scope: Option<IdScope>,
    /// Length of a session in minutes, for clash detection (default 40).
    pub duration: Option<u32>,
    /// Template for new sessions, relative to the site root (its twins are
    /// `<name>.<lang>.md` beside it); see [`crate::templates`].
    pub template: Option<String>,
}

/// `[roles]` in `lectern.toml`: which front-matter field plays which part.
/// Clash detection, day checks, the schedule grid and the preview read
/// fields through their roles. Unset roles keep the default profile's field
/// (`title`, `date`, `room`, `track`, `presenters`, `stype`, `draft`); `end`,
/// `duration` and `day` have no default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesSpec {
    /// The session's title.
    pub title: Option<String>,
    /// When it starts (a date and time).
    pub start: Option<String>,
    /// When it ends (a date and time, or a time of day on the start's day).
    pub end: Option<String>,
    /// How long it lasts, in minutes.
    pub duration: Option<String>,
    /// The room.
    pub room: Option<String>,
    /// The track.
    pub track: Option<String>,
    /// The speakers: a YAML list or a comma-separated string.
    pub speakers: Option<String>,
    /// The conference day.
    pub day: Option<String>,
    /// The session type.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The session's language.
    pub language: Option<String>,
    /// `true` for a draft, which is left out of clashes.
    pub draft: Option<String>,
}

/// Roles with defaults filled in (see [`RolesSpec`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    /// Title field.
    pub title: String,
    /// Start field.
    pub start: String,
    /// End field, when the site has one.
    pub end: Option<String>,
    /// Duration field (minutes), when the site has one.
    pub duration: Option<String>,
    /// Room field.
    pub room: String,
    /// Track field.
    pub track: String,
    /// Speakers field.
    pub speakers: String,
    /// Day field, when the site has one.
    pub day: Option<String>,
    /// Session type field.
    pub kind: String,
    /// Language field, when the site has one.
    pub language: Option<String>,
    /// Draft field.
    pub draft: String,
}

/// `[photos]` in `lectern.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotosSpec {
    /// Square size in pixels speaker photos should have (default 400).
    pub size: Option<u32>,
    /// Largest file size in bytes.
    pub max_bytes: Option<u64>,
    /// Folder under `static/` for speaker photos (default `images/speaker`).
    pub dir: Option<String>,
}

/// The whole `lectern.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LecternConfig {
    /// `[sessions]`
    #[serde(default)]
    pub sessions: SessionsSpec,
    /// `[fields.NAME]`
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
    /// `[photos]`
    #[serde(default)]
    pub photos: PhotosSpec,
    /// `[tracks]`: Sessionize track names → slugs (used by imports).
    #[serde(default)]
    pub tracks: BTreeMap<String, String>,
    /// `[roles]`: which field plays which part. When present, the default
    /// profile's required fields are not assumed: only `title` is, plus what
    /// `[fields]` declares.
    pub roles: Option<RolesSpec>,
    /// `[schedule]`: the conference days.
    #[serde(default)]
    pub schedule: ScheduleSpec,
    /// `[speakers]`: speaker pages.
    #[serde(default)]
    pub speakers: SpeakersSpec,
    /// The file pattern learned from the site's file names when
    /// `[sessions] file_pattern` is not declared (see
    /// `site::learn_file_pattern`).
    #[serde(skip)]
    pub learned_file_pattern: Option<String>,
}

/// `[speakers]` in `lectern.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakersSpec {
    /// Folders or globs holding one page per speaker (`content/speakers`,
    /// `content/events/*/speakers`); the speakers field then lists
    /// references to them (see [`crate::speaker_pages`]).
    pub pages: Option<Dirs>,
}

/// `[schedule]` in `lectern.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// The conference days (`YYYY-MM-DD`); overrides `params.schedule`.
    pub days: Option<Vec<String>>,
    /// The first conference day, with `end`.
    pub start: Option<String>,
    /// The last conference day, with `start`.
    pub end: Option<String>,
    /// `[schedule.data]`: the programme kept in data files.
    pub data: Option<DataScheduleSpec>,
}

/// `[schedule.data]` in `lectern.toml`: a programme kept in data files, one
/// per event, as devopsdays keeps it (see the data_schedule module). The
/// paths are relative to the site root; `{name}` placeholders match within
/// one path component and name the event, so one setting serves every
/// event:
///
/// ```toml
/// [schedule.data]
/// program = "data/events/{year}/{city}/program.yml"
/// event = "data/events/{year}/{city}/main.yml"
/// sessions = "content/events/{year}-{city}/program"
/// ```
///
/// An entry names the session of the same event whose file slug is its
/// `talk_key` value. The key names default to devopsdays' own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataScheduleSpec {
    /// The programme file of each event: a YAML list of entries, or a
    /// mapping with the list under `list_key`. Several patterns: the first
    /// file of an event that holds a programme (an event file without one
    /// is passed over).
    pub program: Option<Dirs>,
    /// The event file of each event, with its first and last day.
    pub event: Option<String>,
    /// The folder of each event's sessions, with the same placeholders.
    /// Needed when the paths have placeholders; without any, every session
    /// belongs to the one event.
    pub sessions: Option<String>,
    /// The entry key naming a talk by its file slug (default `title`).
    pub talk_key: Option<String>,
    /// The entry's day (default `date`).
    pub date_key: Option<String>,
    /// The entry's start time (default `start_time`).
    pub start_key: Option<String>,
    /// The entry's end time (default `end_time`).
    pub end_key: Option<String>,
    /// The entry's type (default `type`).
    pub type_key: Option<String>,
    /// The key of the list when the file is a mapping (default `program`).
    pub list_key: Option<String>,
    /// Further lists of a mapping whose every entry names a talk, whatever
    /// its type (default `["ignites"]`).
    pub talk_lists: Option<Vec<String>>,
    /// Entry types that name a talk (default `["talk"]`); other entries
    /// (breaks, lunch, custom blocks) are timed but name no session. A
    /// session whose type role is another type (an ignite, a workshop listed
    /// elsewhere) is not expected in the programme either.
    pub talk_types: Option<Vec<String>>,
    /// The event file's first day (default `startdate`).
    pub event_start_key: Option<String>,
    /// The event file's last day (default `enddate`).
    pub event_end_key: Option<String>,
}

impl DataScheduleSpec {
    /// The programme patterns, in order.
    pub fn programs(&self) -> Vec<String> {
        match &self.program {
            None => Vec::new(),
            Some(Dirs::One(p)) => vec![p.clone()],
            Some(Dirs::Many(v)) => v.clone(),
        }
    }
}

impl LecternConfig {
    /// The roles, declared or the default profile's.
    pub fn roles(&self) -> Roles {
        let r = self.roles.clone().unwrap_or_default();
        Roles {
            title: r.title.unwrap_or_else(|| "title".into()),
            start: r.start.unwrap_or_else(|| "date".into()),
            end: r.end,
            duration: r.duration,
            room: r.room.unwrap_or_else(|| "room".into()),
            track: r.track.unwrap_or_else(|| "track".into()),
            speakers: r.speakers.unwrap_or_else(|| "presenters".into()),
            day: r.day,
            kind: r.kind.unwrap_or_else(|| "stype".into()),
            language: r.language,
            draft: r.draft.unwrap_or_else(|| "draft".into()),
        }
    }
}

impl LecternConfig {
    /// Read `lectern.toml` at the site root; absent means defaults.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join("lectern.toml");
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(Self::default());
        }
        let text = crate::fs::read_text(&path)?;
        let cfg: LecternConfig = toml::from_str(&text).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| {
                crate::front_matter::LineIndex::new(&text).line_col(&text, s.start)
            });
            Error::Content {
                path: path.clone(),
                line,
                column,
                message: format!("invalid lectern.toml: {}", e.message()),
            }
        })?;
        if let Some(d) = &cfg.schedule.data {
            cfg.check_data_schedule(d)
                .map_err(|message| Error::Content {
                    path: path.clone(),
                    line: 0,
                    column: 0,
                    message,
                })?;
        }
        for (name, f) in &cfg.fields {
            if let Some(p) = &f.pattern {
                regex::Regex::new(p).map_err(|e| Error::Content {
                    path: path.clone(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "fields.{name}.pattern is not a valid regular expression: {e}"
                    ),
                })?;
            }
        }
        Ok(cfg)
    }

    /// `[schedule.data]` paths stay inside the site and name the events
    /// with the same placeholders, each once.
    fn check_data_schedule(&self, d: &DataScheduleSpec) -> std::result::Result<(), String> {
        let mut sets = Vec::new();
        let programs = d.programs();
        let named = programs
            .iter()
            .map(|p| ("program", p))
            .chain(d.event.iter().map(|p| ("event", p)))
            .chain(d.sessions.iter().map(|p| ("sessions", p)));
        for (name, p) in named {
            if Path::new(p).is_absolute() || p.split('/').any(|c| c == "..") || p.trim().is_empty()
            {
                return Err(format!("[schedule.data] {name} = {p:?} leads outside the site; give a path relative to the site root, such as \"data/events/{{year}}/{{city}}/program.yml\""));
            }
            let mut ph = placeholders(p);
            let n = ph.len();
            ph.sort();
            ph.dedup();
            if ph.len() != n {
                return Err(format!(
                    "[schedule.data] {name} = {p:?} uses a placeholder twice; use each once"
                ));
            }
            sets.push((name, ph));
        }
        if programs.is_empty() && d.event.is_none() {
            return Err("[schedule.data] names neither `program` nor `event`".into());
        }
        if let Some((first, ph)) = sets.first() {
            for (name, other) in &sets[1..] {
                if other != ph {
                    return Err(format!("[schedule.data] {first} and {name} must use the same placeholders ({} vs {}), so that each names the same event", ph.join(", "), other.join(", ")));
                }
            }
            if !ph.is_empty() && d.sessions.is_none() {
                return Err("[schedule.data] has placeholders but no `sessions` pattern; add one, such as sessions = \"content/events/{year}-{city}/program\", so each session finds its event".into());
            }
        }
        Ok(())
    }

    /// The sessions folders or globs as written (default `content/sessions`).
    pub fn session_dirs(&self) -> Vec<String> {
        match &self.sessions.dir {
            None => vec!["content/sessions".to_string()],
            Some(Dirs::One(d)) => vec![d.clone()],
            Some(Dirs::Many(v)) => v.clone(),
        }
    }

    /// The file pattern: declared, else learned from the site's file names,
    /// else `{track}-{id}`; `None` for `none`.
    pub fn file_pattern(&self) -> Option<&str> {
        match self.sessions.file_pattern.as_deref() {
            None => Some(
                self.learned_file_pattern
                    .as_deref()
                    .unwrap_or("{track}-{id}"),
            ),
            Some(p) if p.trim().is_empty() || p.trim().eq_ignore_ascii_case("none") => None,
            Some(p) => Some(p),
        }
    }

    /// The file stem of a new session with this track and id, by the file
    /// pattern (`{slug}` takes the id; a site without a pattern is named by
    /// `{track}-{id}`).
    pub fn new_file_stem(&self, track: &str, id: &str) -> String {
        self.file_pattern()
            .unwrap_or("{track}-{id}")
            .replace("{track}", track)
            .replace("{id}", id)
            .replace("{slug}", id)
    }

    /// Whether the file pattern names a part (`track`, `id`, `slug`).
    pub fn pattern_has(&self, part: &str) -> bool {
        self.file_pattern()
            .is_some_and(|p| p.contains(&format!("{{{part}}}")))
    }

    /// The file pattern as a regular expression over a file stem. Compiled
    /// once per pattern (the checker asks for it per file; compiling it each
    /// time was a quarter of a 10,000-file check) and cloned, which is cheap.
    pub fn file_regex(&self) -> regex::Regex {
        static COMPILED: std::sync::LazyLock<
            std::sync::Mutex<std::collections::HashMap<String, regex::Regex>>,
        > = std::sync::LazyLock::new(Default::default);
        let pat = self.file_pattern().unwrap_or("{slug}");
        let mut cache = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(re) = cache.get(pat) {
            return re.clone();
        }
        // A few patterns per process; bound it anyway.
        if cache.len() > 64 {
            cache.clear();
        }
        let re = Self::compile_file_regex(pat);
        cache.insert(pat.to_string(), re.clone());
        re
    }

    fn compile_file_regex(pat: &str) -> regex::Regex {
        let mut re = String::from("^");
        let mut rest = pat;
        while let Some(i) = rest.find('{') {
            re.push_str(&regex::escape(&rest[..i]));
            let Some(j) = rest[i..].find('}') else { break };
            match &rest[i + 1..i + j] {
                "track" => re.push_str("(?P<track>[^.]+?)"),
                "id" => re.push_str("(?P<id>[^-.]+)"),
                "slug" => re.push_str("(?P<slug>.+?)"),
                other => re.push_str(&regex::escape(&format!("{{{other}}}"))),
            }
            rest = &rest[i + j + 1..];
        }
        re.push_str(&regex::escape(rest));
        re.push('$');
        regex::Regex::new(&re).unwrap_or_else(|_| {
            regex::Regex::new("^(?P<track>[^.]+?)-(?P<id>[^-.]+)$").expect("static regex")
        })
    }
}

/// One field's effective rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRule {
    /// The key.
    pub name: String,
    /// Must be present and not empty.
    pub required: bool,
    /// The type.
    pub kind: FieldType,
    /// Allowed values per language (`"*"` for all languages).
    pub values: BTreeMap<String, Vec<String>>,
    /// Whether the values came from a declaration or the site (not inferred).
    pub declared_values: bool,
    /// Minimum length.
    pub min_len: Option<usize>,
    /// Maximum length.
    pub max_len: Option<usize>,
    /// Pattern.
    pub pattern: Option<String>,
    /// Twin sync rule.
    pub sync: SyncRule,
}

impl FieldRule {
    fn new(name: &str, kind: FieldType, required: bool, sync: SyncRule) -> Self {
        FieldRule {
            name: name.into(),
            required,
            kind,
            values: BTreeMap::new(),
            declared_values: false,
            min_len: None,
            max_len: None,
            pattern: None,
            sync,
        }
    }

    /// Allowed values in `lang`, if any are known.
    pub fn values_for(&self, lang: &str) -> Option<&Vec<String>> {
        self.values.get(lang).or_else(|| self.values.get("*"))
    }

    /// Translate `value` from one language's list to another's by position.
    pub fn translate(&self, value: &str, from: &str, to: &str) -> Option<String> {
        let i = self.values.get(from)?.iter().position(|v| v == value)?;
        self.values.get(to)?.get(i).cloned()
    }
}

/// All field rules of a site, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Schema {
    /// Rules by key.
    pub fields: BTreeMap<String, FieldRule>,
}

impl Schema {
    /// Built-in defaults, then what the site shows (its track slugs from
    /// `content/tracks/`, its rooms per language from the rooms file), then
    /// `lectern.toml`.
    pub fn build(
        config: &LecternConfig,
        tracks: Vec<String>,
        rooms: &BTreeMap<String, Vec<String>>,
    ) -> Schema {
        let mut fields = BTreeMap::new();
        // The default profile (no `[roles]`) requires what the Asia sites
        // always have; a declared profile requires only a title, plus what
        // `[fields]` says.
        let default_profile = config.roles.is_none();
        let roles = config.roles();
        let mut rules = vec![
            FieldRule::new(&roles.title, FieldType::Text, true, SyncRule::None),
            FieldRule::new(
                &roles.start,
                FieldType::Datetime,
                default_profile,
                SyncRule::Copy,
            ),
            FieldRule::new(
                &roles.track,
                FieldType::Enum,
                default_profile,
                SyncRule::Copy,
            ),
            FieldRule::new(
                &roles.speakers,
                FieldType::List,
                default_profile,
                SyncRule::None,
            ),
            FieldRule::new(
                &roles.kind,
                FieldType::Enum,
                default_profile,
                SyncRule::Translate,
            ),
            FieldRule::new(&roles.room, FieldType::Enum, false, SyncRule::Translate),
        ];
        if default_profile {
            rules.push(FieldRule::new(
                "speechLink",
                FieldType::Url,
                false,
                SyncRule::None,
            ));
        }
        if let Some(end) = &roles.end {
            rules.push(FieldRule::new(
                end,
                FieldType::Datetime,
                false,
                SyncRule::Copy,
            ));
        }
        for r in rules {
            fields.insert(r.name.clone(), r);
        }
        if let Some(t) = fields.get_mut(&roles.track) {
            t.declared_values = !tracks.is_empty();
            t.values.insert("*".into(), tracks);
        }
        if let Some(r) = fields.get_mut(&roles.room) {
            if !rooms.is_empty() {
                r.values = rooms.clone();
                r.declared_values = true;
            }
        }
        for (name, spec) in &config.fields {
            let rule = fields
                .entry(name.clone())
                .or_insert_with(|| FieldRule::new(name, FieldType::Text, false, SyncRule::None));
            if let Some(r) = spec.required {
                rule.required = r;
            }
            if let Some(k) = spec.kind {
                rule.kind = k;
            }
            match &spec.values {
                Some(Values::All(v)) => {
                    rule.values = BTreeMap::from([("*".to_string(), v.clone())]);
                    rule.declared_values = true;
                }
                Some(Values::PerLang(m)) => {
                    rule.values = m.clone();
                    rule.declared_values = true;
                }
                None => {}
            }
            if rule.declared_values && spec.kind.is_none() && rule.kind == FieldType::Text {
                rule.kind = FieldType::Enum;
            }
            rule.min_len = spec.min_len.or(rule.min_len);
            rule.max_len = spec.max_len.or(rule.max_len);
            rule.pattern = spec.pattern.clone().or(rule.pattern.take());
            if let Some(s) = spec.sync {
                rule.sync = s;
            }
        }
        Schema { fields }
    }

    /// The rule for a key.
    pub fn get(&self, key: &str) -> Option<&FieldRule> {
        self.fields.get(key)
    }
}

impl Schema {
    /// The value a twin in `to` should get when `key` is set to `value` in a
    /// `from` file: the same value for `copy` fields, the value at the same
    /// position of `to`'s list for `translate` fields, `None` when the field is
    /// per language or no translation is known.
    pub fn twin_value(&self, key: &str, value: &str, from: &str, to: &str) -> Option<String> {
        let rule = self.get(key)?;
        match rule.sync {
            SyncRule::Copy => Some(value.to_string()),
            SyncRule::Translate => rule.translate(value, from, to).or_else(|| {
                // One list for all languages: the same value everywhere.
                rule.values
                    .get("*")
                    .filter(|l| l.iter().any(|v| v == value))
                    .map(|_| value.to_string())
            }),
            SyncRule::None => None,
        }
    }
}

/// The order the built-in fields are shown and written in.
pub const FIELD_ORDER: &[&str] = &[
    "title",
    "date",
    "track",
    "presenters",
    "stype",
    "room",
    "speechLink",
];

impl Schema {
    /// Rules in display order: the built-in fields first, then the others by name.
    pub fn ordered(&self) -> Vec<&FieldRule> {
        let mut v: Vec<&FieldRule> = self.fields.values().collect();
        v.sort_by_key(|r| {
            (
                FIELD_ORDER
                    .iter()
                    .position(|k| *k == r.name)
                    .unwrap_or(usize::MAX),
                r.name.clone(),
            )
        });
        v
    }
}

/// `{name}` placeholders of a pattern, in order.
pub(crate) fn placeholders(pattern: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\{([A-Za-z_][A-Za-z0-9_]*)\}").expect("static regex");
    re.captures_iter(pattern)
        .map(|c| c[1].to_string())
        .collect()
}
