//! Site discovery: from any folder inside a Hugo site, find its root, the
//! sessions folder, languages, tracks, rooms, conference days and the
//! optional `lectern.toml` that overrides and extends them.

use crate::diagnostics::Code;
use crate::error::{Error, Result};
use crate::front_matter::{self, scalar_to_string, Value};
use crate::schema::{LecternConfig, Schema};
use crate::text::lang_of_path;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Hugo configuration file names, in Hugo's order of preference.
pub const CONFIG_FILES: &[&str] = &["hugo.toml", "hugo.yaml", "config.toml", "config.yaml"];

/// A site language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Language {
    /// Code used as the file suffix (`zh` in `x.zh.md`).
    pub code: String,
    /// Display name (`中文`).
    pub name: String,
    /// Hugo's ordering weight.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub weight: i64,
}

/// A track (`content/tracks/<slug>.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Track {
    /// The slug sessions use in `track:` and in their file names.
    pub slug: String,
    /// Title per language code.
    pub titles: BTreeMap<String, String>,
}

impl Track {
    /// The title in `lang`, else in any language, else the slug.
    pub fn title(&self, lang: &str) -> &str {
        self.titles
            .get(lang)
            .or_else(|| self.titles.values().next())
            .map_or(self.slug.as_str(), |s| s.as_str())
    }
}

/// A session file found in the sessions folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Path relative to the site root, with `/` separators.
    pub rel: String,
    /// File stem without the language suffix (`ai-1026`): the twins' key.
    pub stem: String,
    /// Language code (the default language has no suffix).
    pub lang: String,
    /// The track part of the file name, when it matches the file pattern.
    pub track: Option<String>,
    /// The id part of the file name, when it matches the file pattern (the
    /// slug on a `{slug}` site).
    pub id: Option<String>,
}

/// One language version of a session: its language and its file's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Twin {
    /// Language code.
    pub lang: String,
    /// The file's session id.
    pub id: String,
}

/// A `.md` entry of the sessions folder that Lectern does not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedFile {
    /// Path relative to the site root, with `/` separators (lossy for names
    /// that are not UTF-8).
    pub rel: String,
    /// Why it is skipped and what to do.
    pub reason: String,
}

/// A discovered site.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// The folder with the Hugo config.
    pub root: PathBuf,
    /// The site title from the Hugo config (or the folder name).
    pub name: String,
    /// The sessions folder (absolute): the one `[sessions] dir` names, or the
    /// deepest folder common to all of them. Stems are relative to it, and new
    /// sessions go there.
    pub sessions_dir: PathBuf,
    /// The folders searched for sessions (globs expanded), recursively.
    pub session_dirs: Vec<PathBuf>,
    /// Languages, default first.
    pub languages: Vec<Language>,
    /// The default language (no file suffix).
    pub default_lang: String,
    /// Tracks by slug order.
    pub tracks: Vec<Track>,
    /// Rooms per language; lists at the same position translate each other.
    pub rooms: BTreeMap<String, Vec<String>>,
    /// Conference days, `YYYY-MM-DD`.
    pub days: Vec<String>,
    /// Folders that Hugo serves at the site root (`static/`, `themes/*/static/`).
    pub static_dirs: Vec<PathBuf>,
    /// What `lectern.toml` said.
    #[serde(skip)]
    pub config: LecternConfig,
    /// Field rules, declared or inferred.
    #[serde(skip)]
    pub schema: Schema,
    /// Problems found while reading the site's own files (config, tracks, rooms).
    #[serde(skip)]
    pub problems: Vec<crate::Diagnostic>,
    /// The programme kept in data files, when `[schedule.data]` names one.
    #[serde(skip)]
    pub data_schedule: Option<crate::data_schedule::DataSchedule>,
    /// Whether `lectern.toml` declares the days (then they apply to every event).
    #[serde(skip)]
    pub days_declared: bool,
    /// The theme the Hugo config names when it is not under `themes/` (a git
    /// submodule not checked out): photos it would serve cannot be checked.
    pub theme_missing: Option<String>,
}

/// The days `[schedule]` declares: `days = [...]`, or every day from
/// `start` to `end` (at most a year). `None` when it declares neither.
fn conference_days(spec: &crate::schema::ScheduleSpec) -> Option<Vec<String>> {
    if let Some(days) = &spec.days {
        return Some(
            days.iter()
                .map(|d| d.trim().chars().take(10).collect())
                .collect(),
        );
    }
    let parse = |s: &Option<String>| {
        s.as_deref().and_then(|s| {
            chrono::NaiveDate::parse_from_str(s.trim().get(..10).unwrap_or(s), "%Y-%m-%d").ok()
        })
    };
    let (start, end) = (parse(&spec.start)?, parse(&spec.end)?);
    let n = (end - start).num_days();
    (0..=366).contains(&n).then(|| {
        (0..=n)
            .map(|i| {
                (start + chrono::Duration::days(i))
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .collect()
    })
}

/// The file pattern a site's own file names follow, when `lectern.toml`
/// does not declare one: `{track}-{id}` when most names end in `-<id>`
/// (`ai-1026`), `{id}` when most are a bare id (`1042`, the Asia 2021 site),
/// else `{slug}` (`building-healthy-communities`, which no file-name rule
/// judges). `None` (the `{track}-{id}` default) for a site without sessions.
/// An id holds a digit: a slug's last word is not an id.
pub fn learn_file_pattern(site: &Site) -> Option<String> {
    let mut stems: Vec<String> = Vec::new();
    for (path, _) in walk_md(&site.session_dirs) {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let mut base = name.strip_suffix(".md").unwrap_or(name);
        if let Some((b, lang)) = base.rsplit_once('.') {
            if site.languages.iter().any(|l| l.code == lang) {
                base = b;
            }
        }
        if base == "index" {
            // A page bundle is named by its folder.
            match path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
            {
                Some(folder) => base = folder,
                None => continue,
            }
        }
        stems.push(base.to_string());
    }
    if stems.is_empty() {
        return None;
    }
    let id_like =
        |s: &str| !s.is_empty() && !s.contains(['-', '.']) && s.chars().any(|c| c.is_ascii_digit());
    let track_id = stems
        .iter()
        .filter(|s| {
            s.rsplit_once('-')
                .is_some_and(|(t, id)| !t.is_empty() && id_like(id))
        })
        .count();
    let bare_id = stems.iter().filter(|s| id_like(s)).count();
    let n = stems.len();
    Some(
        if 2 * track_id >= n {
            "{track}-{id}"
        } else if 2 * bare_id >= n {
            "{id}"
        } else {
            "{slug}"
        }
        .to_string(),
    )
}

/// How deep Lectern looks below a sessions folder.
const MAX_DEPTH: usize = 12;

/// Every `.md` file under `dirs` (recursively, not following symbolic links
/// to folders, skipping hidden entries and `_index` section pages), with
/// whether the entry is itself a symbolic link. Files in two overlapping
/// folders are listed once.
fn walk_md(dirs: &[PathBuf]) -> Vec<(PathBuf, bool)> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for top in dirs {
        let mut stack = vec![(top.clone(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = e.path();
                let raw = e.file_name();
                let raw = raw.as_encoded_bytes();
                if raw.starts_with(b".") || raw.starts_with(b"_index") {
                    continue;
                }
                let Ok(t) = e.file_type() else { continue };
                // A folder named `x.md` is listed (and reported unreadable), not entered.
                if t.is_dir() && !raw.ends_with(b".md") {
                    if depth < MAX_DEPTH {
                        stack.push((path, depth + 1));
                    }
                    continue;
                }
                if raw.ends_with(b".md") && seen.insert(path.clone()) {
                    out.push((path, t.is_symlink()));
                }
            }
        }
    }
    out
}

/// The deepest folder that contains every folder of `dirs`.
fn common_base(dirs: &[PathBuf]) -> Option<PathBuf> {
    let first = dirs.first()?;
    let mut base = first.clone();
    for d in &dirs[1..] {
        while !d.starts_with(&base) {
            base = base.parent()?.to_path_buf();
        }
    }
    Some(base)
}

/// Find the site root at or above `start`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    loop {
        if CONFIG_FILES.iter().any(|f| dir.join(f).is_file()) {
            return Some(dir);
        }
        dir = dir.parent()?.to_path_buf();
    }
}

fn get_ci<'a>(t: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    t.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// The parts of a Hugo config Lectern uses, from TOML or YAML.
fn read_hugo_config(path: &Path) -> Result<toml::Table> {
    let text = crate::fs::read_text(path)?;
    if path.extension().is_some_and(|e| e == "toml") {
        text.parse::<toml::Table>().map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| {
                let idx = front_matter::LineIndex::new(&text);
                idx.line_col(&text, s.start)
            });
            Error::Content {
                path: path.into(),
                line,
                column,
                message: format!("invalid TOML: {}", e.message()),
            }
        })
    } else {
        let v = front_matter::parse_value(&text).map_err(|e| Error::Content {
            path: path.into(),
            line: e.line,
            column: e.column,
            message: format!("invalid YAML: {}", e.message),
        })?;
        let json = serde_json::to_value(&v).map_err(|e| Error::Invalid(e.to_string()))?;
        toml::Table::try_from(json).map_err(|e| Error::Content {
            path: path.into(),
            line: 0,
            column: 0,
            message: e.to_string(),
        })
    }
}

impl Site {
    /// The rooms of the schema's `room` field in the default language, in
    /// the order declared (empty when the site does not list rooms).
    pub fn default_rooms(&self) -> Vec<String> {
        self.schema
            .get("room")
            .and_then(|r| r.values_for(&self.default_lang))
            .cloned()
            .unwrap_or_default()
    }

    /// Discover the site containing `start` (a folder or a file inside it).
    pub fn discover(start: &Path) -> Result<Site> {
        let root = find_root(start).ok_or_else(|| {
            Error::Invalid(format!(
                "{}: no Hugo site here or above (looked for {}); open the folder that holds the site's config",
                start.display(),
                CONFIG_FILES.join(", ")
            ))
        })?;
        let cfg_path = CONFIG_FILES
            .iter()
            .map(|f| root.join(f))
            .find(|p| p.is_file())
            .unwrap_or_else(|| root.join("config.toml"));
        let cfg = read_hugo_config(&cfg_path)?;
        let lectern = LecternConfig::load(&root)?;
        let name = get_ci(&cfg, "title")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| {
                root.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        let default_lang = get_ci(&cfg, "defaultContentLanguage")
            .and_then(|v| v.as_str())
            .unwrap_or("en")
            .to_string();
        let mut languages: Vec<Language> = get_ci(&cfg, "languages")
            .and_then(|v| v.as_table())
            .map(|t| {
                t.iter()
                    .map(|(code, v)| Language {
                        code: code.clone(),
                        name: v
                            .as_table()
                            .and_then(|t| get_ci(t, "languageName"))
                            .and_then(|v| v.as_str())
                            .unwrap_or(code)
                            .to_string(),
                        weight: v
                            .as_table()
                            .and_then(|t| get_ci(t, "weight"))
                            .and_then(|v| v.as_integer())
                            .unwrap_or(0),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let from_params: Vec<String> = get_ci(&cfg, "params")
            .and_then(|p| p.as_table())
            .and_then(|p| get_ci(p, "schedule"))
            .and_then(|s| s.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|d| {
                        d.as_str()
                            .map(str::to_string)
                            .or_else(|| d.as_datetime().map(|d| d.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The conference days: `[schedule]` in lectern.toml, else the Hugo
        // config's `params.schedule`.
        let declared_days = conference_days(&lectern.schedule);
        let days_declared = declared_days.is_some();
        let mut problems = Vec::new();
        let data_schedule = lectern.schedule.data.as_ref().map(|spec| {
            crate::data_schedule::DataSchedule::load(
                &root,
                spec,
                declared_days.as_deref(),
                &mut problems,
            )
        });
        // Else the days of every event the data files name.
        let days = declared_days.unwrap_or_else(|| {
            if from_params.is_empty() {
                data_schedule
                    .as_ref()
                    .map(|d| d.all_days())
                    .unwrap_or_default()
            } else {
                from_params
            }
        });
        // A sessions folder outside the site would be read as if it were the
        // site's (and written by batches): refuse it with the reason.
        let mut session_dirs = Vec::new();
        for dir in lectern.session_dirs() {
            let p = Path::new(&dir);
            let outside = |real: &Path| !real.starts_with(&root);
            let expanded = if p.is_absolute()
                || p.components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                None
            } else {
                let found = crate::fs::expand_glob(&root, &dir);
                (!found
                    .iter()
                    .any(|d| std::fs::canonicalize(d).is_ok_and(|r| outside(&r))))
                .then_some(found)
            };
            match expanded {
                Some(found) => session_dirs.extend(found),
                None => {
                    return Err(Error::Content {
                        path: root.join("lectern.toml"),
                        line: 0,
                        column: 0,
                        message: format!("[sessions] dir = {dir:?} leads outside the site; Lectern reads and writes sessions only inside it. Give a folder relative to the site root, such as \"content/sessions\""),
                    })
                }
            }
        }
        session_dirs.sort();
        session_dirs.dedup();
        // Stems are relative to the deepest folder common to every sessions
        // folder (the folder itself when there is one), so twins in nested
        // folders keep distinct stems.
        let sessions_dir = common_base(&session_dirs).unwrap_or_else(|| {
            let first = lectern
                .session_dirs()
                .into_iter()
                .next()
                .unwrap_or_default();
            root.join(first.split('*').next().unwrap_or("").trim_end_matches('/'))
        });
        if session_dirs.is_empty() {
            session_dirs.push(sessions_dir.clone());
        }
        // Languages also come from file suffixes, for sites that do not declare
        // them (only those: one stray `x.exe.md` must not add an "exe" language
        // and a missing-twin warning to every session of a declared site).
        let mut seen_suffixes: Vec<String> = Vec::new();
        let declared = !languages.is_empty();
        let walked = if declared {
            Vec::new()
        } else {
            walk_md(&session_dirs)
        };
        for (path, _) in &walked {
            if let Some(l) = lang_of_path(path) {
                if !seen_suffixes.contains(&l) {
                    seen_suffixes.push(l);
                }
            }
        }
        for code in std::iter::once(default_lang.clone()).chain(seen_suffixes) {
            if !languages.iter().any(|l| l.code == code) {
                languages.push(Language {
                    name: code.clone(),
                    code,
                    weight: i64::MAX,
                });
            }
        }
        languages.sort_by_key(|l| (l.code != default_lang, l.weight, l.code.clone()));
        let tracks = read_tracks(&root, &default_lang, &mut problems);
        let rooms = read_rooms(&root, &mut problems);
        // `theme = "x"` or `theme = ["x", "y"]`: the first one not present.
        let theme_missing = get_ci(&cfg, "theme")
            .and_then(|t| match t {
                toml::Value::String(s) => Some(vec![s.clone()]),
                toml::Value::Array(a) => Some(
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default()
            .into_iter()
            .find(|t| {
                !t.is_empty() && !t.contains(['/', '\\']) && !root.join("themes").join(t).is_dir()
            });
        if let Some(t) = &theme_missing {
            problems.push(crate::Diagnostic::new(
                Code::ThemeMissing,
                crate::Severity::Info,
                cfg_path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                0,
                0,
                format!("the theme {t:?} is not under themes/ (a git submodule not checked out?); photos it would serve are not checked; `git submodule update --init` fetches it"),
            ));
        }
        let mut static_dirs = vec![root.join("static")];
        if let Ok(rd) = std::fs::read_dir(root.join("themes")) {
            let mut themes: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path().join("static"))
                .filter(|p| p.is_dir())
                .collect();
            themes.sort();
            static_dirs.extend(themes);
        }
        static_dirs.retain(|p| p.is_dir());
        let mut site = Site {
            root,
            name,
            sessions_dir,
            session_dirs,
            languages,
            default_lang,
            tracks,
            rooms,
            days,
            static_dirs,
            config: lectern,
            schema: Schema::default(),
            problems,
            data_schedule,
            days_declared,
            theme_missing,
        };
        if site.config.sessions.file_pattern.is_none() {
            site.config.learned_file_pattern = learn_file_pattern(&site);
        }
        site.schema = Schema::build(
            &site.config,
            site.tracks.iter().map(|t| t.slug.clone()).collect(),
            &site.rooms,
        );
        Ok(site)
    }

    /// Every session file, sorted by path: the `.md` files under the
    /// sessions folders, searched recursively, without `_index` section pages
    /// and hidden files. Symlinks that leave the site are skipped.
    pub fn session_files(&self) -> Vec<SessionFile> {
        let pattern = self.config.file_regex();
        // Resolving every path is an lstat per component; only symlinks can
        // leave the site once the folder itself is inside it.
        let inside: Vec<bool> = self.session_dirs.iter().map(|d| self.contains(d)).collect();
        let dir_inside = inside.iter().all(|b| *b);
        let mut out: Vec<SessionFile> = walk_md(&self.session_dirs)
            .into_iter()
            .filter_map(|(path, link)| {
                path.file_name()?.to_str()?;
                (dir_inside && !link || self.contains(&path)).then_some(())?;
                Some(self.session_file(path, &pattern))
            })
            .collect();
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        out
    }

    /// The `.md` entries of the sessions folders that [`Site::session_files`]
    /// leaves out without a word: symbolic links that leave the site, loop or
    /// point nowhere, and names that are not UTF-8. Checks report them so a
    /// missing session is never a mystery.
    pub fn skipped_session_files(&self) -> Vec<SkippedFile> {
        // As in `session_files`: a plain file in a folder inside the site is
        // inside too, so only symlinks pay for resolving the path.
        let dir_inside = self.session_dirs.iter().all(|d| self.contains(d));
        let mut out: Vec<SkippedFile> = walk_md(&self.session_dirs)
            .into_iter()
            .filter_map(|(path, link)| {
                let reason = if path.file_name()?.to_str().is_none() {
                    "the file name is not valid UTF-8; rename it (Hugo and git tools may mangle it)"
                } else if dir_inside && !link || self.contains(&path) {
                    return None;
                } else if std::fs::canonicalize(&path).is_err() {
                    "a symbolic link that loops or points to nothing; Lectern skips it"
                } else {
                    "it leads outside the site through a symbolic link; Lectern does not read or write it"
                };
                Some(SkippedFile { rel: self.rel(&path), reason: reason.to_string() })
            })
            .collect();
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        out
    }

    /// The folders `[speakers] pages` names (globs expanded), inside the site.
    pub fn speaker_dirs(&self) -> Vec<PathBuf> {
        let entries = match &self.config.speakers.pages {
            None => return Vec::new(),
            Some(crate::schema::Dirs::One(d)) => vec![d.clone()],
            Some(crate::schema::Dirs::Many(v)) => v.clone(),
        };
        entries
            .iter()
            .filter(|d| !Path::new(d).is_absolute() && !d.split('/').any(|c| c == ".."))
            .flat_map(|d| crate::fs::expand_glob(&self.root, d))
            .filter(|d| self.contains(d))
            .collect()
    }

    /// The sessions folders as site-relative paths, for messages such as
    /// "no session files in …".
    pub fn session_dirs_rel(&self) -> Vec<String> {
        self.session_dirs.iter().map(|d| self.rel(d)).collect()
    }

    /// Describe one session file path.
    pub fn session_file_for(&self, path: &Path) -> SessionFile {
        self.session_file(path.to_path_buf(), &self.config.file_regex())
    }

    fn session_file(&self, path: PathBuf, pattern: &regex::Regex) -> SessionFile {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let base = name.strip_suffix(".md").unwrap_or(&name);
        let (leaf, lang) = match lang_of_path(&path) {
            Some(l) if self.languages.iter().any(|x| x.code == l) && l != self.default_lang => {
                (base[..base.len() - l.len() - 1].to_string(), l)
            }
            _ => (base.to_string(), self.default_lang.clone()),
        };
        // The folders between the sessions folder and the file, so that
        // `2024/a.md` and `2025/a.md` are two sessions; a page bundle
        // (`talk/index.md`) is named by its folder.
        let mut parts: Vec<String> = path
            .parent()
            .and_then(|p| p.strip_prefix(&self.sessions_dir).ok())
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        if leaf != "index" || parts.is_empty() {
            parts.push(leaf);
        }
        let stem = parts.join("/");
        let name_part = parts.last().cloned().unwrap_or_default();
        let caps = pattern.captures(&name_part);
        let track = caps
            .as_ref()
            .and_then(|c| c.name("track"))
            .map(|m| m.as_str().to_string());
        // A `{slug}` site names its sessions by slug: the slug is the id a
        // schedule sheet or `withdraw` refers to them by.
        let id = caps
            .as_ref()
            .and_then(|c| c.name("id").or_else(|| c.name("slug")))
            .map(|m| m.as_str().to_string());
        SessionFile {
            rel: self.rel(&path),
            path,
            stem,
            lang,
            track,
            id,
        }
    }

    /// A path relative to the site root, with `/` separators.
    pub fn rel(&self, path: &Path) -> String {
        let p = path.strip_prefix(&self.root).unwrap_or(path);
        p.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Whether `path` (after resolving symlinks) is inside the site.
    pub fn contains(&self, path: &Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(p) => p.starts_with(&self.root),
            Err(_) => false,
        }
    }

    /// The conference days that apply to a session: those `lectern.toml`
    /// declares, else its event's from the data files, else the site's.
    pub fn days_for(&self, file: &SessionFile) -> &[String] {
        if !self.days_declared {
            if let Some((event, _)) = self
                .data_schedule
                .as_ref()
                .and_then(|d| d.event_of(&file.rel, &file.stem))
            {
                if !event.days.is_empty() {
                    return &event.days;
                }
            }
        }
        &self.days
    }

    /// A session's start and end from the programme data file, when
    /// `[schedule.data]` names one and an entry names the session.
    pub fn data_slot(&self, file: &SessionFile) -> Option<crate::data_schedule::DataSlot> {
        self.data_schedule.as_ref()?.slot(&file.rel, &file.stem)
    }

    /// The track with this slug.
    pub fn track(&self, slug: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.slug == slug)
    }

    /// The file path of a session's twin in `lang`.
    pub fn twin_path(&self, stem: &str, lang: &str) -> PathBuf {
        let suffix = if lang == self.default_lang {
            ".md".to_string()
        } else {
            format!(".{lang}.md")
        };
        // A page bundle: `talk/index.md`, `talk/index.zh.md`.
        let bundle = self.sessions_dir.join(stem);
        if bundle.join("index.md").is_file() || bundle.join(format!("index{suffix}")).is_file() {
            return bundle.join(format!("index{suffix}"));
        }
        self.sessions_dir.join(format!("{stem}{suffix}"))
    }

    /// Resolve a local photo path (`images/speaker/x.png`) against the
    /// static folders, refusing anything that leaves them.
    pub fn resolve_static(&self, src: &str) -> Option<PathBuf> {
        let rel = src.trim_start_matches('/');
        if rel.is_empty() || rel.split(['/', '\\']).any(|c| c == "..") || rel.contains(':') {
            return None;
        }
        self.static_dirs.iter().find_map(|d| {
            let p = d.join(rel);
            let c = std::fs::canonicalize(&p).ok()?;
            (c.starts_with(&self.root) && c.is_file()).then_some(p)
        })
    }
}

fn read_tracks(
    root: &Path,
    default_lang: &str,
    problems: &mut Vec<crate::Diagnostic>,
) -> Vec<Track> {
    let dir = root.join("content/tracks");
    let mut map: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = e.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let Some(base) = name.strip_suffix(".md") else {
            continue;
        };
        if base.starts_with("_index") {
            continue;
        }
        let lang = lang_of_path(&path).filter(|l| l.len() <= 3 && *l != base);
        let slug = match &lang {
            Some(l) => base[..base.len() - l.len() - 1].to_string(),
            None => base.to_string(),
        };
        let lang = lang.unwrap_or_else(|| default_lang.to_string());
        let title = match crate::document::Document::load(&path) {
            Ok(d) => d.get("title"),
            Err(err) => {
                problems.push(crate::Diagnostic::new(
                    Code::Unreadable,
                    crate::Severity::Warning,
                    format!("content/tracks/{name}"),
                    0,
                    0,
                    err.to_string(),
                ));
                None
            }
        };
        let entry = map.entry(slug.clone()).or_default();
        entry.insert(lang, title.unwrap_or(slug));
    }
    map.into_iter()
        .map(|(slug, titles)| Track { slug, titles })
        .collect()
}

/// Rooms from `data/rooms.yaml`: either `lang: [rooms…]` lists, or a list of
/// `{lang: name, …}` entries.
fn read_rooms(root: &Path, problems: &mut Vec<crate::Diagnostic>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Some(path) = ["data/rooms.yaml", "data/rooms.yml"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.is_file())
    else {
        return out;
    };
    let rel = format!(
        "data/{}",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let parsed = crate::fs::read_text(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| {
            front_matter::parse_value(&t)
                .map_err(|e| format!("{}:{}: {}", e.line, e.column, e.message))
        });
    match parsed {
        Ok(Value::Mapping(m)) => {
            for (k, v) in m {
                if let (Some(lang), Value::Sequence(items)) = (k.as_str(), v) {
                    out.insert(
                        lang.to_string(),
                        items.iter().filter_map(scalar_to_string).collect(),
                    );
                }
            }
        }
        Ok(Value::Sequence(items)) => {
            for item in items {
                if let Value::Mapping(m) = item {
                    for (k, v) in m {
                        if let (Some(lang), Some(v)) = (k.as_str(), scalar_to_string(&v)) {
                            out.entry(lang.to_string()).or_default().push(v);
                        }
                    }
                }
            }
        }
        Ok(_) => problems.push(crate::Diagnostic::new(
            Code::RoomsFile,
            crate::Severity::Error,
            rel,
            1,
            1,
            "rooms must be `lang: [room, …]` lists or a list of `{lang: room}` entries",
        )),
        Err(e) => problems.push(crate::Diagnostic::new(
            Code::RoomsFile,
            crate::Severity::Error,
            rel,
            1,
            1,
            format!("cannot read rooms: {e}"),
        )),
    }
    out
}
