//! Field rules: what `lectern.toml` declares, completed by what the site
//! shows (tracks, rooms) and by built-in defaults for this site family.

use crate::error::{Error, Result};
use crate::site::Site;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
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
    /// A comma-separated list in one string, like `presenters`.
    List,
}

/// How an edit to a field reaches the session's twins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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

/// `[sessions]` in `lectern.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionsSpec {
    /// Sessions folder relative to the site root (default `content/sessions`).
    pub dir: Option<String>,
    /// File name pattern without language suffix and `.md` (default `{track}-{id}`).
    pub file_pattern: Option<String>,
    /// Length of a session in minutes, for clash detection (default 40).
    pub duration: Option<u32>,
    /// Template for new sessions, relative to the site root (its twins are
    /// `<name>.<lang>.md` beside it); see [`crate::templates`].
    pub template: Option<String>,
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
}

impl LecternConfig {
    /// Read `lectern.toml` at the site root; absent means defaults.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join("lectern.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
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

    /// The file-name pattern as a regex with `track` and `id` groups.
    pub fn file_regex(&self) -> regex::Regex {
        let pat = self
            .sessions
            .file_pattern
            .as_deref()
            .unwrap_or("{track}-{id}");
        let mut re = String::from("^");
        let mut rest = pat;
        while let Some(i) = rest.find('{') {
            re.push_str(&regex::escape(&rest[..i]));
            let Some(j) = rest[i..].find('}') else { break };
            match &rest[i + 1..i + j] {
                "track" => re.push_str("(?P<track>[^.]+?)"),
                "id" => re.push_str("(?P<id>[^-.]+)"),
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
    /// Built-in defaults, then what the site shows, then `lectern.toml`.
    pub fn build(site: &Site) -> Schema {
        let mut fields = BTreeMap::new();
        for r in [
            FieldRule::new("title", FieldType::Text, true, SyncRule::None),
            FieldRule::new("date", FieldType::Datetime, true, SyncRule::Copy),
            FieldRule::new("track", FieldType::Enum, true, SyncRule::Copy),
            FieldRule::new("presenters", FieldType::List, true, SyncRule::None),
            FieldRule::new("stype", FieldType::Enum, true, SyncRule::Translate),
            FieldRule::new("room", FieldType::Enum, false, SyncRule::Translate),
            FieldRule::new("speechLink", FieldType::Url, false, SyncRule::None),
        ] {
            fields.insert(r.name.clone(), r);
        }
        if let Some(t) = fields.get_mut("track") {
            t.values.insert(
                "*".into(),
                site.tracks.iter().map(|t| t.slug.clone()).collect(),
            );
            t.declared_values = !site.tracks.is_empty();
        }
        if let Some(r) = fields.get_mut("room") {
            if !site.rooms.is_empty() {
                r.values = site.rooms.clone();
                r.declared_values = true;
            }
        }
        for (name, spec) in &site.config.fields {
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
