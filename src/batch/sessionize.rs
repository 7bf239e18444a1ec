//! Import accepted sessions from Sessionize: a sessions export (XLSX or CSV)
//! or a saved public-API JSON ("All data" or the "Sessions" view).
//!
//! - Only accepted sessions: rows or entries whose `Status` is `Accepted`
//!   (entries without a status, as the public API lists them, count as
//!   accepted); service sessions (breaks) are skipped.
//! - Tracks: the `[tracks]` table of `lectern.toml` maps Sessionize's track
//!   names to slugs; otherwise the slugified name or a track title must
//!   match a track of the site, else the session is reported and skipped.
//! - The session language (a `Language` category, column or question) picks
//!   `stype` from its per-language lists ("Chinese" → `Chinese Session` /
//!   `中文演讲`).
//! - Speaker names lose e-mail addresses (`Jane Doe (jane@x.org)` → `Jane Doe`).
//! - New sessions become `<track>-<id>.md` plus a twin per site language,
//!   from the site's `archetypes/sessions[.<lang>].md` when it parses, else
//!   Lectern's templates, with a speakers section (photo, tagline, bio).
//! - What each import produced is kept in `.lectern/import/<id>.json`.
//!   Importing again compares three versions per field and for the body:
//!   base (what the previous import produced), ours (the file now) and
//!   theirs (what this import produces). Upstream changes reach files that
//!   were not edited by hand; a hand edit with no upstream change is kept;
//!   a hand edit that upstream also changed is a [`Conflict`] and is left
//!   alone (the import state is then not advanced, so the conflict is shown
//!   again next time) unless the user resolves it with
//!   [`Resolution::TakeTheirs`] or [`Resolution::KeepOurs`]. Without a
//!   previous import, any difference from a non-empty value is a conflict.

use super::sheet::{self, Table};
use super::{locate, value_lists, Conflict, FileOp, Plan};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::site::Site;
use crate::speakers::Speaker;
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The fields an import manages (the others are the editors' own), named by
/// the site's roles: `title`, `date`, `track`, `presenters`, `stype`, `room`
/// on the default profile; `time_start`, `time_end`, `speakers` … on a
/// Europe-shaped one.
fn managed(site: &Site) -> Vec<String> {
    let r = site.config.roles();
    let mut keys = vec![r.title, r.start];
    keys.extend(r.end);
    keys.extend([r.track, r.speakers, r.kind, r.room]);
    keys
}

/// Whether the site writes its speakers as a list of names (speaker pages,
/// or a declared speakers role other than `presenters`), not as one string
/// plus an inline speakers section.
fn speakers_as_list(site: &Site) -> bool {
    site.config.speakers.pages.is_some() || site.config.roles().speakers != "presenters"
}

/// A managed field's value for comparison: a scalar as written, a list as
/// its items joined.
fn field_value(doc: &Document, key: &str) -> Option<String> {
    doc.get(key)
        .or_else(|| doc.list(key).map(|items| items.join(", ")))
}

/// How to settle hand edits that upstream also changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ConflictChoice"))]
pub enum Resolution {
    /// Leave them and report a conflict.
    #[default]
    Ask,
    /// Overwrite them with the imported version.
    TakeTheirs,
    /// Keep them and record the import as seen.
    KeepOurs,
}

/// Import options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOptions {
    /// What to do with conflicts.
    pub resolution: Resolution,
}

/// A session that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Skipped {
    /// The Sessionize session id (empty when missing).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Why.
    pub reason: String,
}

/// What the import found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    /// Accepted sessions in the file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub accepted: usize,
    /// Stems of new sessions.
    pub created: Vec<String>,
    /// Stems of sessions whose files change.
    pub updated: Vec<String>,
    /// Stems of sessions already up to date.
    pub unchanged: Vec<String>,
    /// Sessions left out on purpose (not accepted, service sessions).
    pub skipped: Vec<Skipped>,
    /// Sessions that could not be imported (unknown track, no id, …).
    pub errors: Vec<Skipped>,
    /// Remarks (a room not in data/rooms.yaml, a track that moved…).
    pub warnings: Vec<String>,
    /// Speaker pages created for speakers without one (site-relative), on
    /// a site that keeps a page per speaker.
    pub speaker_pages: Vec<String>,
}

/// A speaker as imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedSpeaker {
    /// Name without e-mail addresses.
    pub name: String,
    /// Tagline (the headline after the name).
    pub tagline: String,
    /// Biography.
    pub bio: String,
    /// Photo URL.
    pub photo: Option<String>,
}

/// A session as imported, normalised; this is what `.lectern/import/<id>.json` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedSession {
    /// Sessionize id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Abstract.
    pub description: String,
    /// Track slug.
    pub track: String,
    /// Session language as Sessionize gave it.
    pub language: Option<String>,
    /// Start, `YYYY-MM-DDTHH:MM:SS`.
    pub starts_at: Option<String>,
    /// End, `YYYY-MM-DDTHH:MM:SS` (written when the profile has an end role).
    pub ends_at: Option<String>,
    /// Room name as Sessionize gave it.
    pub room: Option<String>,
    /// Speakers in order.
    pub speakers: Vec<ImportedSpeaker>,
}

/// A session read from the file, before its track is resolved.
#[derive(Debug, Clone, Default)]
struct Raw {
    id: String,
    title: String,
    description: String,
    track: Option<String>,
    language: Option<String>,
    status: Option<String>,
    service: bool,
    starts_at: Option<String>,
    ends_at: Option<String>,
    room: Option<String>,
    speakers: Vec<ImportedSpeaker>,
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[\(<\[]?\s*(?:mailto:)?[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+\s*[\)>\]]?",
    )
    .expect("static regex")
});

/// A speaker name without e-mail addresses and the brackets around them.
pub fn clean_name(s: &str) -> String {
    let stripped = EMAIL.replace_all(s, " ");
    let joined = stripped.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .trim_matches(|c: char| c == ',' || c == ';' || c == '-' || c == '|' || c.is_whitespace())
        .to_string()
}

/// A track name as a slug: lower case, runs of other characters become `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn norm_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

fn is_track_category(name: &str) -> bool {
    let n = sheet::normalise(name);
    n.contains("track") || n == "topic" || n.contains("分论坛") || n.contains("专题")
}

fn is_language_category(name: &str) -> bool {
    let n = sheet::normalise(name);
    n.contains("language") || n.contains("语言")
}

// ---- JSON ----

fn read_json(bytes: &[u8], path: &Path) -> Result<Vec<Raw>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(
        |_| Error::Content {
            path: path.into(),
            line: 0,
            column: 0,
            message: "not UTF-8 JSON".into(),
        },
    )?;
    let v: Value = serde_json::from_str(text).map_err(|e| Error::Content {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: format!("not valid JSON: {e}"),
    })?;
    let empty = Vec::new();
    let (sessions, top) = match &v {
        Value::Array(a) => (a.clone(), None),
        Value::Object(o) => (
            o.get("sessions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            Some(o),
        ),
        _ => (Vec::new(), None),
    };
    // The "Sessions" view groups sessions: [{groupName, sessions: [...]}].
    let sessions: Vec<Value> = sessions
        .into_iter()
        .flat_map(|s| match s.get("sessions").and_then(Value::as_array) {
            Some(inner) if s.get("title").is_none() => inner.clone(),
            _ => vec![s],
        })
        .collect();
    let list = |key: &str| {
        top.and_then(|o| o.get(key))
            .and_then(Value::as_array)
            .unwrap_or(&empty)
    };
    let speakers: HashMap<String, &Value> = list("speakers")
        .iter()
        .map(|s| (text_of(s.get("id")), s))
        .collect();
    let rooms: HashMap<String, String> = list("rooms")
        .iter()
        .map(|r| (text_of(r.get("id")), text_of(r.get("name"))))
        .collect();
    // categoryItems ids → (category title, item name).
    let mut items: HashMap<String, (String, String)> = HashMap::new();
    for c in list("categories") {
        let title = text_of(c.get("title").or_else(|| c.get("name")));
        for it in c
            .get("items")
            .or_else(|| c.get("categoryItems"))
            .and_then(Value::as_array)
            .unwrap_or(&empty)
        {
            items.insert(
                text_of(it.get("id")),
                (title.clone(), text_of(it.get("name"))),
            );
        }
    }
    let questions: HashMap<String, String> = list("questions")
        .iter()
        .map(|q| (text_of(q.get("id")), text_of(q.get("question"))))
        .collect();
    let mut out = Vec::new();
    for s in &sessions {
        let mut raw = Raw {
            id: text_of(s.get("id")),
            title: text_of(s.get("title")).trim().to_string(),
            description: norm_text(&text_of(s.get("description"))),
            status: s.get("status").and_then(Value::as_str).map(str::to_string),
            service: s
                .get("isServiceSession")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            ..Default::default()
        };
        let starts = text_of(s.get("startsAt"));
        raw.starts_at =
            crate::text::parse_datetime(&starts).map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string());
        raw.ends_at = crate::text::parse_datetime(&text_of(s.get("endsAt")))
            .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string());
        raw.room = rooms
            .get(&text_of(s.get("roomId")))
            .cloned()
            .or_else(|| s.get("room").and_then(Value::as_str).map(str::to_string))
            .filter(|r| !r.trim().is_empty());
        let mut cats: Vec<(String, String)> = Vec::new();
        for c in s
            .get("categories")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
        {
            let title = text_of(c.get("name").or_else(|| c.get("title")));
            for it in c
                .get("categoryItems")
                .or_else(|| c.get("items"))
                .and_then(Value::as_array)
                .unwrap_or(&empty)
            {
                cats.push((title.clone(), text_of(it.get("name"))));
            }
        }
        for id in s
            .get("categoryItems")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
        {
            if let Some(c) = items.get(&text_of(Some(id))) {
                cats.push(c.clone());
            }
        }
        raw.track = cats
            .iter()
            .find(|(t, _)| is_track_category(t))
            .map(|(_, n)| n.clone());
        raw.language = cats
            .iter()
            .find(|(t, _)| is_language_category(t))
            .map(|(_, n)| n.clone());
        if raw.language.is_none() {
            for qa in s
                .get("questionAnswers")
                .and_then(Value::as_array)
                .unwrap_or(&empty)
            {
                let q = qa
                    .get("question")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| questions.get(&text_of(qa.get("questionId"))).cloned())
                    .unwrap_or_default();
                if is_language_category(&q) {
                    raw.language =
                        Some(text_of(qa.get("answer").or_else(|| qa.get("answerValue"))))
                            .filter(|a| !a.trim().is_empty());
                }
            }
        }
        for sp in s
            .get("speakers")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
        {
            let (id, inline_name) = match sp {
                Value::Object(o) => (text_of(o.get("id")), text_of(o.get("name"))),
                other => (text_of(Some(other)), String::new()),
            };
            let full = speakers.get(&id);
            let name = full
                .map(|f| {
                    let n = text_of(f.get("fullName"));
                    if n.trim().is_empty() {
                        format!(
                            "{} {}",
                            text_of(f.get("firstName")),
                            text_of(f.get("lastName"))
                        )
                    } else {
                        n
                    }
                })
                .unwrap_or(inline_name);
            let speaker = ImportedSpeaker {
                name: clean_name(&name),
                tagline: full
                    .map(|f| text_of(f.get("tagLine")).trim().to_string())
                    .unwrap_or_default(),
                bio: full
                    .map(|f| norm_text(&text_of(f.get("bio"))))
                    .unwrap_or_default(),
                photo: full
                    .map(|f| text_of(f.get("profilePicture")))
                    .filter(|p| !p.trim().is_empty()),
            };
            raw.speakers.push(speaker);
        }
        out.push(raw);
    }
    Ok(out)
}

// ---- spreadsheets ----

fn read_sheet(path: &Path) -> Result<Vec<Raw>> {
    let tables = sheet::read(path)?;
    let sessions = tables.iter().find(|t| t.column(&["Session Id", "Id"]).is_some() && t.column(&["Title", "Session Title"]).is_some()).ok_or_else(|| {
        Error::Invalid(format!("{}: no sheet has `Session Id` and `Title` columns; export the sessions from Sessionize (Sessions → Export)", path.display()))
    })?;
    let speakers = speaker_sheet(&tables);
    let col = |names: &[&str]| sessions.column(names);
    let id_c = col(&["Session Id", "Id"]);
    let title_c = col(&["Title", "Session Title"]);
    let desc_c = col(&["Description", "Abstract", "Session Description"]);
    let speakers_c = col(&["Speakers", "Speaker", "Speaker Names"]);
    let owner_c = col(&["Owner", "Owner Name"]);
    let ids_c = col(&["Speaker Ids", "Speaker Id"]);
    let track_c =
        col(&["Track", "Tracks", "Session Track"]).or_else(|| sessions.column_containing("track"));
    let lang_c = col(&["Language", "Session Language", "Session Format"])
        .filter(|c| is_language_category(&sessions.headers[*c]))
        .or_else(|| sessions.column_containing("language"));
    let status_c = col(&["Status", "Session Status"]);
    let date_c = col(&["Scheduled At", "Starts At", "Start"]);
    let end_c = col(&["Ends At", "End"]);
    let room_c = col(&["Room"]);
    let mut out = Vec::new();
    for row in &sessions.rows {
        let get = |c: Option<usize>| row.get(c).text();
        let mut raw = Raw {
            id: get(id_c),
            title: get(title_c),
            description: norm_text(&get(desc_c)),
            track: Some(get(track_c)).filter(|t| !t.is_empty()),
            language: Some(get(lang_c)).filter(|t| !t.is_empty()),
            status: status_c.map(|c| row.get(Some(c)).text()),
            room: Some(get(room_c)).filter(|t| !t.is_empty()),
            starts_at: row
                .get(date_c)
                .datetime()
                .ok()
                .flatten()
                .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string()),
            ends_at: end_c.and_then(|c| {
                row.get(Some(c))
                    .datetime()
                    .ok()
                    .flatten()
                    .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string())
            }),
            ..Default::default()
        };
        let ids: Vec<String> = get(ids_c)
            .split([',', ';'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let names: Vec<String> = {
            let s = get(speakers_c);
            let s = if s.is_empty() { get(owner_c) } else { s };
            s.split([',', ';', '\n'])
                .map(clean_name)
                .filter(|n| !n.is_empty())
                .collect()
        };
        if !ids.is_empty() && ids.iter().all(|i| speakers.contains_key(i)) {
            raw.speakers = ids
                .iter()
                .filter_map(|i| speakers.get(i).cloned())
                .collect();
        } else {
            raw.speakers = names
                .into_iter()
                .map(|name| ImportedSpeaker {
                    name,
                    ..Default::default()
                })
                .collect();
        }
        out.push(raw);
    }
    Ok(out)
}

/// The speakers sheet of a workbook export, by speaker id.
fn speaker_sheet(tables: &[Table]) -> HashMap<String, ImportedSpeaker> {
    let Some(t) = tables.iter().find(|t| {
        t.column(&["Speaker Id"]).is_some() && t.column(&["Session Id", "Title"]).is_none()
    }) else {
        return HashMap::new();
    };
    let c = |n: &[&str]| t.column(n);
    let (id, first, last, full, tag, bio, pic) = (
        c(&["Speaker Id"]),
        c(&["FirstName", "First Name"]),
        c(&["LastName", "Last Name"]),
        c(&["Name", "Full Name", "FullName"]),
        c(&["TagLine", "Tag Line", "Tagline"]),
        c(&["Bio", "Biography"]),
        c(&["Profile Picture", "ProfilePicture", "Photo"]),
    );
    t.rows
        .iter()
        .map(|r| {
            let get = |c: Option<usize>| r.get(c).text();
            let name = if get(full).is_empty() {
                format!("{} {}", get(first), get(last))
            } else {
                get(full)
            };
            (
                get(id),
                ImportedSpeaker {
                    name: clean_name(&name),
                    tagline: get(tag),
                    bio: norm_text(&get(bio)),
                    photo: Some(get(pic)).filter(|p| !p.is_empty()),
                },
            )
        })
        .collect()
}

// ---- mapping to the site ----

fn resolve_track(site: &Site, name: &str) -> Option<String> {
    let n = name.trim();
    if let Some((_, slug)) = site
        .config
        .tracks
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(n))
    {
        return Some(slug.clone());
    }
    let slug = slugify(n);
    if site.tracks.is_empty() || site.track(&slug).is_some() {
        return (!slug.is_empty()).then_some(slug);
    }
    site.tracks
        .iter()
        .find(|t| {
            t.titles
                .values()
                .any(|title| title.trim().eq_ignore_ascii_case(n))
        })
        .map(|t| t.slug.clone())
}

/// The position in the stype lists for a session language.
fn stype_index(site: &Site, language: &str) -> Option<usize> {
    let lists = value_lists(site, "stype");
    if let Some((_, i)) = locate(&lists, language, None) {
        return Some(i);
    }
    let l = language.trim().to_lowercase();
    let keys: &[&str] = if l.contains("chinese")
        || l.contains("中文")
        || l.contains("mandarin")
        || l.contains("汉语")
        || l.contains("普通话")
        || l == "zh"
        || l.starts_with("zh-")
    {
        &["chinese", "中文"]
    } else if l.contains("english")
        || l.contains("英文")
        || l.contains("英语")
        || l == "en"
        || l.starts_with("en-")
    {
        &["english", "英文"]
    } else {
        return None;
    };
    let mut best: Option<(bool, usize)> = None;
    for list in lists.values() {
        for (i, v) in list.iter().enumerate() {
            let v = v.to_lowercase();
            if keys.iter().any(|k| v.contains(k)) {
                let session = v.contains("session") || v.contains("演讲");
                if best.is_none_or(|(s, _)| session && !s) {
                    best = Some((session, i));
                }
            }
        }
    }
    best.map(|(_, i)| i)
}

struct Generator<'a> {
    site: &'a Site,
    templates: BTreeMap<String, String>,
    pattern: String,
}

impl<'a> Generator<'a> {
    fn new(site: &'a Site, warnings: &mut BTreeSet<String>) -> Self {
        let chosen = crate::templates::SessionTemplates::for_site(site);
        warnings.extend(chosen.warnings.iter().cloned());
        // The site's own templates; a language without one uses the bundled
        // template (see `generate`).
        let templates = chosen
            .by_lang
            .iter()
            .filter(|(_, t)| t.source != crate::templates::TemplateSource::Bundled)
            .map(|(l, t)| (l.clone(), t.text.clone()))
            .collect();
        Generator {
            site,
            templates,
            pattern: site
                .config
                .file_pattern()
                .unwrap_or("{track}-{id}")
                .to_string(),
        }
    }

    fn stem(&self, s: &ImportedSession) -> String {
        self.pattern
            .replace("{track}", &s.track)
            .replace("{id}", &s.id)
            .replace("{slug}", &s.id)
    }

    /// The file an import of `s` produces in `lang`, at `path`.
    fn generate(&self, s: &ImportedSession, lang: &str, path: &Path) -> Result<Document> {
        let bundled = self.templates.get(lang).is_none();
        let tpl = self
            .templates
            .get(lang)
            .cloned()
            .unwrap_or_else(|| crate::templates::bundled(lang).to_string());
        let mut doc = Document::from_text(path, tpl);
        let roles = self.site.config.roles();
        let stype = s
            .language
            .as_deref()
            .and_then(|l| stype_index(self.site, l))
            .and_then(|i| {
                value_lists(self.site, &roles.kind)
                    .get(lang)
                    .and_then(|v| v.get(i))
                    .cloned()
            });
        let room = s.room.as_deref().map(|r| {
            super::translate(self.site, &roles.room, r, None, lang).unwrap_or_else(|| r.to_string())
        });
        let names: Vec<String> = s.speakers.iter().map(|p| p.name.clone()).collect();
        let title = s.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut fields = vec![
            (roles.title.clone(), title),
            (roles.start.clone(), s.starts_at.clone().unwrap_or_default()),
        ];
        if let Some(end) = &roles.end {
            fields.push((end.clone(), s.ends_at.clone().unwrap_or_default()));
        }
        fields.push((roles.track.clone(), s.track.clone()));
        if !speakers_as_list(self.site) {
            fields.push((roles.speakers.clone(), names.join(", ")));
        }
        // A declared profile without a type role has no session type field.
        if self
            .site
            .config
            .roles
            .as_ref()
            .is_none_or(|r| r.kind.is_some())
        {
            fields.push((roles.kind.clone(), stype.unwrap_or_default()));
        }
        fields.push((roles.room.clone(), room.unwrap_or_default()));
        for (k, v) in &fields {
            doc = doc.set(k, v)?;
        }
        if speakers_as_list(self.site) {
            doc = doc.set_list(&roles.speakers, &names, Default::default(), &[])?;
        }
        // The bundled template is the default profile's shape; on a site
        // with its own `[roles]` and no template of its own, the default
        // profile's keys that its roles do not name are left out.
        if bundled {
            if let Some(spec) = &self.site.config.roles {
                let named: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
                for k in ["date", "presenters", "stype", "speechLink"] {
                    let keep = named.contains(&k) && (k != "stype" || spec.kind.is_some());
                    if !keep && doc.keys().iter().any(|x| x == k) {
                        doc = doc.unset(k)?;
                    }
                }
            }
        }
        for k in doc.keys() {
            if doc.get(&k).is_some_and(|v| v.contains("{{")) {
                doc = doc.set(&k, "")?;
            }
        }
        let body = doc.body().to_string();
        let description = as_text(&s.description);
        let body = if body.contains("{{abstract}}") {
            body.replace("{{abstract}}", &description)
        } else {
            format!("{description}\n\n{body}")
        };
        doc = doc.set_body(&body);
        // A site of speaker pages lists the names; its bodies have no
        // speakers section.
        if speakers_as_list(self.site) {
            // The bundled template's empty speakers heading goes too.
            if let Some(sec) = crate::speakers::parse(doc.body()).filter(|s| s.speakers.is_empty())
            {
                if bundled {
                    let body = doc.body();
                    let kept = format!("{}\n", body[..sec.range.start].trim_end());
                    doc = doc.set_body(&kept);
                }
            }
            return Ok(doc);
        }
        let speakers: Vec<Speaker> = s
            .speakers
            .iter()
            .map(|p| Speaker {
                photo: p.photo.as_deref().and_then(photo_url),
                name: as_text(&p.name),
                headline: as_text(&p.tagline),
                bio: as_text(&p.bio),
            })
            .collect();
        Ok(doc.set_speakers(&speakers))
    }
}

/// The longest file name stem an import creates, in bytes: file systems allow
/// 255 bytes per name, and the language suffix and `.md` come on top.
const MAX_STEM_BYTES: usize = 200;

/// Refuse a file name stem the import cannot create: too long for a file
/// system, or with characters that are not a plain file name. Checked when
/// planning, so a dry run shows the same failure as the real run.
fn check_stem(stem: &str, new: &ImportedSession) -> Result<()> {
    let why = if stem.len() > MAX_STEM_BYTES {
        Some(format!("the file name would be {} bytes long, over the {MAX_STEM_BYTES} a file system takes with room for the language suffix", stem.len()))
    } else if stem.is_empty()
        || stem.starts_with('.')
        || stem.chars().any(|c| {
            c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
    {
        Some(format!("{stem:?} is not a plain file name"))
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::Invalid(format!("session {}: {why}; fix its id or track in the export, or set [sessions] file_pattern in lectern.toml", crate::error::clip(new.id.clone(), 80)))),
        None => Ok(()),
    }
}

/// Text from an export, made safe to put into a Markdown body as text: `<`
/// and `>` become entities (a name like `<img onerror=…>` must not become
/// markup on a site that publishes raw HTML), and so does a `&` that would
/// start a character reference. Everything else is kept as written.
fn as_text(s: &str) -> String {
    static ENTITY: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let entity = ENTITY.get_or_init(|| {
        regex::Regex::new(r"^&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
            .expect("valid regex")
    });
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if entity.is_match(&s[i..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// A speaker photo address from an export, only when it is an absolute
/// `http(s)` URL; written in its serialised form, where quotes, angle
/// brackets and spaces are percent-encoded, so it cannot leave the `src`
/// attribute it goes into.
fn photo_url(s: &str) -> Option<String> {
    let u = url::Url::parse(s.trim()).ok()?;
    matches!(u.scheme(), "http" | "https")
        .then(|| u.as_str().to_string())
        .filter(|u| !u.contains(['"', '<', '>', ' ', '\n']))
}

fn state_path(id: &str) -> PathBuf {
    PathBuf::from(format!(".lectern/import/{id}.json"))
}

/// Plan importing a Sessionize export (`.json`, `.xlsx`, `.xls`, `.ods` or
/// `.csv`). See the module documentation for what is created and updated.
pub fn import_sessionize(
    site: &Site,
    file: &Path,
    options: &ImportOptions,
) -> Result<(Plan, ImportReport)> {
    import_sessionize_choosing(site, file, options, &BTreeMap::new())
}

/// Like [`import_sessionize`], with a choice per file for hand edits that
/// upstream also changed: `choices` maps a site-relative path (as in
/// [`Conflict::path`]) to how to settle that file's conflicts; files not in
/// it follow `options.resolution`. This is how the app's three-way view
/// applies the person's answer for each file.
pub fn import_sessionize_choosing(
    site: &Site,
    file: &Path,
    options: &ImportOptions,
    choices: &BTreeMap<String, Resolution>,
) -> Result<(Plan, ImportReport)> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let raws = if ext == "json" {
        let bytes = crate::fs::read_regular(file, super::sheet::MAX_IMPORT_BYTES)?;
        read_json(&bytes, file)?
    } else {
        read_sheet(file)?
    };
    let mut report = ImportReport::default();
    let mut warnings = BTreeSet::new();
    let mut imported: Vec<ImportedSession> = Vec::new();
    let gen = Generator::new(site, &mut warnings);
    let files = site.session_files();
    let mut by_id: BTreeMap<&str, Vec<&crate::site::SessionFile>> = BTreeMap::new();
    for f in &files {
        if let Some(id) = &f.id {
            by_id.entry(id.as_str()).or_default().push(f);
        }
    }
    let mut plan = Plan::new(String::new(), &site.root);
    let mut seen = BTreeSet::new();
    for raw in raws {
        let skip = |reason: String| Skipped {
            id: raw.id.clone(),
            title: raw.title.clone(),
            reason,
        };
        if raw.service {
            report
                .skipped
                .push(skip("service session (break, lunch…)".into()));
            continue;
        }
        if let Some(st) = raw
            .status
            .as_deref()
            .filter(|s| !s.trim().eq_ignore_ascii_case("accepted"))
        {
            report
                .skipped
                .push(skip(format!("status is {:?}, not Accepted", st)));
            continue;
        }
        report.accepted += 1;
        if raw.id.is_empty()
            || !raw
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            report.errors.push(skip(format!(
                "{:?} is not a session id Lectern can put in a file name",
                raw.id
            )));
            continue;
        }
        if !seen.insert(raw.id.clone()) {
            warnings.insert(format!(
                "session {} is listed twice; the first entry was used",
                raw.id
            ));
            continue;
        }
        let Some(track_name) = raw.track.clone() else {
            report.errors.push(skip(
                "no track; give the session a track in Sessionize".into(),
            ));
            continue;
        };
        let Some(track) = resolve_track(site, &track_name) else {
            report.errors.push(skip(format!("track {track_name:?} is not a track of the site; map it in lectern.toml: [tracks] \"{track_name}\" = \"slug\"")));
            continue;
        };
        // The language picks the session type, where the profile has one.
        let has_kind = site.config.roles.as_ref().is_none_or(|r| r.kind.is_some());
        if let Some(l) = raw.language.as_ref().filter(|_| has_kind) {
            if stype_index(site, l).is_none() {
                warnings.insert(format!(
                    "session {}: language {l:?} matches no stype value; stype left empty",
                    raw.id
                ));
            }
        }
        if let Some(r) = &raw.room {
            if !site.rooms.is_empty() && locate(&value_lists(site, "room"), r, None).is_none() {
                warnings.insert(format!(
                    "session {}: room {r:?} is not in data/rooms.yaml; written as given",
                    raw.id
                ));
            }
        }
        for sp in &raw.speakers {
            if sp.name.is_empty() {
                warnings.insert(format!(
                    "session {}: a speaker has no name once the e-mail address is removed",
                    raw.id
                ));
            }
        }
        let new = ImportedSession {
            id: raw.id.clone(),
            title: raw.title.clone(),
            description: raw.description.clone(),
            track,
            language: raw.language.clone(),
            starts_at: raw.starts_at.clone(),
            ends_at: raw.ends_at.clone(),
            room: raw.room.clone(),
            speakers: raw
                .speakers
                .iter()
                .filter(|s| !s.name.is_empty())
                .cloned()
                .collect(),
        };
        let existing = by_id.get(new.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        match plan_session(
            site,
            &gen,
            &new,
            existing,
            options.resolution,
            choices,
            &mut warnings,
        ) {
            Ok(mut out) => {
                imported.push(new.clone());
                let state_json =
                    serde_json::to_vec_pretty(&new).map_err(|e| Error::Invalid(e.to_string()))?;
                let state = state_path(&new.id);
                let state_before = crate::fs::read_regular(
                    &site.root.join(&state),
                    crate::document::MAX_FILE_BYTES,
                )
                .ok();
                if out.conflicts.is_empty() || options.resolution != Resolution::Ask {
                    match state_before {
                        None => out.ops.push(FileOp::Create {
                            path: state,
                            after: state_json,
                        }),
                        Some(b) if b != state_json => out.ops.push(FileOp::Change {
                            path: state,
                            before: b,
                            after: state_json,
                        }),
                        Some(_) => {}
                    }
                }
                let site_changes = out.ops.iter().any(|o| !o.is_internal());
                match (
                    existing.is_empty(),
                    site_changes || !out.conflicts.is_empty(),
                ) {
                    (true, _) => report.created.push(out.stem),
                    (false, true) => report.updated.push(out.stem),
                    (false, false) => report.unchanged.push(out.stem),
                }
                plan.ops.extend(out.ops);
                plan.conflicts.extend(out.conflicts);
            }
            Err(e) => report.errors.push(Skipped {
                id: new.id.clone(),
                title: new.title.clone(),
                reason: e.to_string(),
            }),
        }
    }
    super::new_speakers::plan_new_speaker_pages(
        site,
        &imported,
        &mut plan,
        &mut report,
        &mut warnings,
    )?;
    report.warnings = warnings.into_iter().collect();
    plan.notes.extend(report.warnings.iter().cloned());
    for e in &report.errors {
        plan.problems.push(super::Problem::general(format!(
            "session {} ({}): {}",
            e.id, e.title, e.reason
        )));
    }
    plan.title = format!(
        "Import {}: {} new, {} updated, {} unchanged",
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        report.created.len(),
        report.updated.len(),
        report.unchanged.len()
    );
    Ok((plan, report))
}

/// What importing one session does.
struct SessionPlan {
    stem: String,
    ops: Vec<FileOp>,
    conflicts: Vec<Conflict>,
}

/// The files of one imported session: created when `existing` is empty,
/// else merged file by file (a missing twin is created).
fn plan_session(
    site: &Site,
    gen: &Generator,
    new: &ImportedSession,
    existing: &[&crate::site::SessionFile],
    resolution: Resolution,
    choices: &BTreeMap<String, Resolution>,
    warnings: &mut BTreeSet<String>,
) -> Result<SessionPlan> {
    let mut out = SessionPlan {
        stem: gen.stem(new),
        ops: Vec::new(),
        conflicts: Vec::new(),
    };
    let Some(first) = existing.first() else {
        check_stem(&out.stem, new)?;
        for lang in &site.languages {
            let path = site.twin_path(&out.stem, &lang.code);
            if path.exists() {
                return Err(Error::Invalid(format!(
                    "{} exists but is not named for id {}; rename or remove it",
                    site.rel(&path),
                    new.id
                )));
            }
            let doc = gen.generate(new, &lang.code, &path)?;
            out.ops.push(FileOp::Create {
                path: site.rel(&path).into(),
                after: doc.bytes().to_vec(),
            });
        }
        return Ok(out);
    };
    out.stem = first.stem.clone();
    let base: Option<ImportedSession> = crate::fs::read_regular(
        &site.root.join(state_path(&new.id)),
        crate::document::MAX_FILE_BYTES,
    )
    .ok()
    .and_then(|b| serde_json::from_slice(&b).ok());
    if first.track.as_deref().is_some_and(|t| t != new.track) {
        warnings.insert(format!("session {} is in track {} on Sessionize but its files are named for {}; rename them by hand if it moved", new.id, new.track, first.track.as_deref().unwrap_or("")));
    }
    for lang in &site.languages {
        let path = site.twin_path(&out.stem, &lang.code);
        let theirs = gen.generate(new, &lang.code, &path)?;
        let Some(f) = existing.iter().find(|f| f.lang == lang.code) else {
            out.ops.push(FileOp::Create {
                path: site.rel(&path).into(),
                after: theirs.bytes().to_vec(),
            });
            continue;
        };
        let ours = Document::load(&f.path)?;
        let base_doc = base
            .as_ref()
            .map(|b| gen.generate(b, &lang.code, &path))
            .transpose()?;
        let resolution = choices.get(&f.rel).copied().unwrap_or(resolution);
        let merged = merge(
            &ours,
            base_doc.as_ref(),
            &theirs,
            &f.rel,
            resolution,
            &mut out.conflicts,
            &managed(site),
            &site.config.roles().track,
        )?;
        if merged.bytes() != ours.bytes() {
            out.ops.push(FileOp::Change {
                path: f.rel.clone().into(),
                before: ours.bytes().to_vec(),
                after: merged.bytes().to_vec(),
            });
        }
    }
    Ok(out)
}

/// Three-way merge of the managed fields and the body of one file.
fn merge(
    ours: &Document,
    base: Option<&Document>,
    theirs: &Document,
    rel: &str,
    resolution: Resolution,
    conflicts: &mut Vec<Conflict>,
    keys: &[String],
    track: &str,
) -> Result<Document> {
    let mut out = ours.clone();
    for key in keys {
        let key = key.as_str();
        if key == track {
            continue; // the track is in the file name; a moved session is reported, not renamed
        }
        let (o, t, b) = (
            field_value(ours, key),
            field_value(theirs, key),
            base.map(|b| field_value(b, key)),
        );
        let Some(t) = t else { continue };
        if o.as_deref() == Some(t.as_str()) {
            continue;
        }
        let take = match b {
            Some(b) if b == o => true,
            Some(b) if b.as_deref() == Some(t.as_str()) => false,
            None if o.as_deref().is_none_or(|o| o.trim().is_empty()) => true,
            None if t.trim().is_empty() => false,
            _ => match resolution {
                Resolution::TakeTheirs => true,
                Resolution::KeepOurs => false,
                Resolution::Ask => {
                    conflicts.push(Conflict {
                        path: rel.to_string(),
                        field: Some(key.to_string()),
                        base: b.flatten(),
                        ours: o.unwrap_or_default(),
                        theirs: t.clone(),
                    });
                    false
                }
            },
        };
        if take {
            out = match theirs.list(key) {
                Some(items) => out.set_list(key, &items, Default::default(), &[])?,
                None => out.set(key, &t)?,
            };
        }
    }
    let (o, t) = (ours.body(), theirs.body());
    if o != t {
        let take = match base.map(Document::body) {
            Some(b) if b == o => true,
            Some(b) if b == t => false,
            None if o.trim().is_empty() => true,
            _ => match resolution {
                Resolution::TakeTheirs => true,
                Resolution::KeepOurs => false,
                Resolution::Ask => {
                    conflicts.push(Conflict {
                        path: rel.to_string(),
                        field: None,
                        base: base.map(|b| b.body().to_string()),
                        ours: o.to_string(),
                        theirs: t.to_string(),
                    });
                    false
                }
            },
        };
        if take {
            out = out.set_body(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_email_addresses_from_names() {
        assert_eq!(clean_name("Jane Doe (jane@x.org)"), "Jane Doe");
        assert_eq!(
            clean_name("Jane Doe <jane.doe+talks@mail.x.org>"),
            "Jane Doe"
        );
        assert_eq!(clean_name("jane@x.org"), "");
        assert_eq!(clean_name("  Li Wei , "), "Li Wei");
    }

    #[test]
    fn slugs_are_lower_case_with_dashes() {
        assert_eq!(slugify("Big Data & Analytics"), "big-data-analytics");
        assert_eq!(slugify(" AI "), "ai");
    }
}
