//! An open site in memory: what the desktop app edits.
//!
//! Sessions are addressed by id, their path relative to the site root
//! (`content/sessions/ai-1026.md`), never by an arbitrary path. Edits change
//! documents in memory (with twins kept in sync per the schema, and undo and
//! redo per file); saving is atomic and refuses when the file changed on disk
//! since it was read, by content hash. Changes on disk arrive through
//! [`Workspace::disk_changed`], which reloads clean files quietly and reports
//! a conflict for files with unsaved edits.

use crate::diagnostics::{Diagnostic, Severity};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::fs::{content_hash, Hash};
use crate::site::{SessionFile, Site};
use crate::speakers::Speaker;
use crate::validate::{self, Loaded};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const UNDO_DEPTH: usize = 200;

#[derive(Debug, Clone, Default)]
struct History {
    undo: Vec<String>,
    redo: Vec<String>,
}

/// One row of the session list: a session with its twins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionSummary {
    /// The id of the default-language file (or the first twin present).
    pub id: String,
    /// File stem shared by the twins (`ai-1026`).
    pub stem: String,
    /// Title in the default language (or the first twin's).
    pub title: String,
    /// Track slug.
    pub track: String,
    /// Track title in the default language.
    pub track_title: String,
    /// Position of the track in the site's track list, for a stable colour.
    pub track_index: Option<usize>,
    /// `YYYY-MM-DD`, when the date parses.
    pub day: Option<String>,
    /// `HH:MM`, when the date parses.
    pub time: Option<String>,
    /// Room in the default language.
    pub room: String,
    /// Presenters.
    pub presenters: String,
    /// Languages present, in site order, with each twin's id.
    pub twins: Vec<(String, String)>,
    /// Errors and warnings across the twins.
    pub problems: usize,
    /// Whether any twin has unsaved edits.
    pub modified: bool,
}

/// What a change on disk did to the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiskEvent {
    /// Nothing to do: the disk holds what the workspace has.
    Unchanged,
    /// A clean file was reloaded from disk.
    Reloaded {
        /// The session.
        id: String,
    },
    /// A file with unsaved edits changed on disk: the user must choose.
    Conflict {
        /// The session.
        id: String,
        /// The text on disk now.
        disk: String,
        /// The edited text in the workspace.
        mine: String,
    },
    /// A session file appeared.
    Added {
        /// The session.
        id: String,
    },
    /// A session file disappeared; unsaved edits, if any, stay in memory.
    Removed {
        /// The session.
        id: String,
        /// Whether the workspace still holds unsaved edits for it.
        kept_edits: bool,
    },
}

/// How to settle a conflict between the workspace and the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Keep the edits; the next save overwrites the disk.
    KeepMine,
    /// Drop the edits and take the disk's text.
    TakeDisk,
}

/// An open site.
#[derive(Debug)]
pub struct Workspace {
    site: Site,
    loaded: Vec<Loaded>,
    index: HashMap<String, usize>,
    load_problems: Vec<Diagnostic>,
    /// Bytes of every file when the site was opened (for the Changes view).
    opened: BTreeMap<String, Vec<u8>>,
    history: HashMap<String, History>,
    /// Files whose unsaved edits may overwrite a changed disk (user chose "keep mine").
    overrides: HashMap<String, Hash>,
    diagnostics: Option<Vec<Diagnostic>>,
}

impl Workspace {
    /// Discover the site containing `path` and load every session.
    pub fn open(path: &Path) -> Result<Workspace> {
        let site = Site::discover(path)?;
        let settled = crate::fs::backup_dir().map(|b| crate::fs::finish_interrupted_writes(&b, &site.root)).unwrap_or_default();
        let (loaded, mut load_problems) = validate::load_all(&site, &|| {});
        load_problems.extend(settled.iter().filter_map(|s| interrupted_problem(&site, s)));
        let opened = loaded
            .iter()
            .filter_map(|l| Some((l.file.rel.clone(), l.doc.as_ref()?.bytes().to_vec())))
            .collect();
        let mut ws = Workspace {
            site,
            loaded,
            index: HashMap::new(),
            load_problems,
            opened,
            history: HashMap::new(),
            overrides: HashMap::new(),
            diagnostics: None,
        };
        ws.reindex();
        Ok(ws)
    }

    /// Whether the sessions folder is still where the site was opened.
    pub fn sessions_folder_present(&self) -> bool {
        self.site.sessions_dir.is_dir()
    }

    fn reindex(&mut self) {
        self.loaded.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
        self.index = self.loaded.iter().enumerate().map(|(i, l)| (l.file.rel.clone(), i)).collect();
    }

    /// The site.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Every session file with its document.
    pub fn sessions(&self) -> &[Loaded] {
        &self.loaded
    }

    /// A session by id.
    pub fn session(&self, id: &str) -> Result<&Loaded> {
        self.index
            .get(id)
            .map(|&i| &self.loaded[i])
            .ok_or_else(|| Error::Invalid(format!("{}: no such session in this site", crate::document::clip(id))))
    }

    /// A session's document.
    pub fn document(&self, id: &str) -> Result<&Document> {
        self.session(id)?.doc.as_ref().ok_or_else(|| Error::Invalid(format!("{id}: the file could not be read; see Problems")))
    }

    fn put(&mut self, id: &str, doc: Document, record: bool) -> Result<()> {
        let i = *self.index.get(id).ok_or_else(|| Error::Invalid(format!("{}: no such session", crate::document::clip(id))))?;
        fits(id, &doc)?;
        let old = self.loaded[i].doc.replace(doc);
        if let (true, Some(old)) = (record, old) {
            if self.loaded[i].doc.as_ref().is_some_and(|d| d.text() != old.text()) {
                let h = self.history.entry(id.to_string()).or_default();
                h.undo.push(old.text().to_string());
                if h.undo.len() > UNDO_DEPTH {
                    h.undo.remove(0);
                }
                h.redo.clear();
            }
        }
        self.diagnostics = None;
        Ok(())
    }

    /// The twins of a session (other languages, same stem), as ids.
    pub fn twins_of(&self, id: &str) -> Vec<String> {
        let Ok(s) = self.session(id) else { return Vec::new() };
        self.loaded.iter().filter(|l| l.file.stem == s.file.stem && l.file.rel != id).map(|l| l.file.rel.clone()).collect()
    }

    /// A session and its twins, in the site's language order, as (lang, id).
    pub fn twins(&self, id: &str) -> Vec<(String, String)> {
        let Ok(s) = self.session(id) else { return Vec::new() };
        let mut v: Vec<(String, String)> = self.loaded.iter().filter(|l| l.file.stem == s.file.stem).map(|l| (l.file.lang.clone(), l.file.rel.clone())).collect();
        v.sort_by_key(|(lang, _)| self.site.languages.iter().position(|l| &l.code == lang).unwrap_or(usize::MAX));
        v
    }

    /// Set (or with `None`, remove) a front-matter field, and carry the change
    /// to the twins per the field's sync rule. Returns the ids that changed.
    pub fn set_field(&mut self, id: &str, key: &str, value: Option<&str>) -> Result<Vec<String>> {
        let doc = self.document(id)?;
        let lang = self.session(id)?.file.lang.clone();
        let new = match value {
            Some(v) => doc.set(key, v)?,
            None => doc.unset(key)?,
        };
        // Prepare every twin first so that a failure changes nothing.
        let mut updates = vec![(id.to_string(), new)];
        for twin in self.twins_of(id) {
            let Ok(tdoc) = self.document(&twin) else { continue };
            let tlang = self.session(&twin)?.file.lang.clone();
            let twin_new = match value {
                Some(v) => match self.site.schema.twin_value(key, v, &lang, &tlang) {
                    Some(tv) if tdoc.get(key).as_deref() != Some(tv.as_str()) => tdoc.set(key, &tv)?,
                    _ => continue,
                },
                None if self.site.schema.get(key).is_some_and(|r| r.sync != crate::schema::SyncRule::None) => tdoc.unset(key)?,
                None => continue,
            };
            updates.push((twin, twin_new));
        }
        for (tid, d) in &updates {
            fits(tid, d)?;
        }
        let mut changed = Vec::new();
        for (tid, d) in updates {
            if self.document(&tid).map(|o| o.text() != d.text()).unwrap_or(true) {
                self.put(&tid, d, true)?;
                changed.push(tid);
            }
        }
        Ok(changed)
    }

    /// Replace a session's body.
    pub fn set_body(&mut self, id: &str, body: &str) -> Result<()> {
        let new = self.document(id)?.set_body(body);
        self.put(id, new, true)
    }

    /// Replace a session's speakers. Entries with nothing in them (no photo,
    /// name, headline or bio) are dropped: they are rows the user added and
    /// left empty.
    pub fn set_speakers(&mut self, id: &str, speakers: &[Speaker]) -> Result<()> {
        let kept: Vec<Speaker> = speakers.iter().filter(|s| !s.is_empty()).cloned().collect();
        let new = self.document(id)?.set_speakers(&kept);
        self.put(id, new, true)
    }

    /// Replace a session's whole text (raw editing).
    pub fn set_text(&mut self, id: &str, text: &str) -> Result<()> {
        let old = self.document(id)?;
        let new = Document::from_text(old.path(), text.to_string()).with_base(old.base_hash());
        self.put(id, new, true)
    }

    /// Undo the last edit of a file; false when there is nothing to undo.
    pub fn undo(&mut self, id: &str) -> Result<bool> {
        let Some(prev) = self.history.get_mut(id).and_then(|h| h.undo.pop()) else { return Ok(false) };
        let cur = self.document(id)?;
        let cur_text = cur.text().to_string();
        let restored = Document::from_text(cur.path(), prev).with_base(cur.base_hash());
        self.put(id, restored, false)?;
        self.history.entry(id.to_string()).or_default().redo.push(cur_text);
        Ok(true)
    }

    /// Redo the last undone edit; false when there is nothing to redo.
    pub fn redo(&mut self, id: &str) -> Result<bool> {
        let Some(next) = self.history.get_mut(id).and_then(|h| h.redo.pop()) else { return Ok(false) };
        let cur = self.document(id)?;
        let cur_text = cur.text().to_string();
        let restored = Document::from_text(cur.path(), next).with_base(cur.base_hash());
        self.put(id, restored, false)?;
        self.history.entry(id.to_string()).or_default().undo.push(cur_text);
        Ok(true)
    }

    /// Whether a file has unsaved edits.
    pub fn is_modified(&self, id: &str) -> bool {
        self.document(id).is_ok_and(Document::is_modified)
    }

    /// Ids of files with unsaved edits.
    pub fn modified_ids(&self) -> Vec<String> {
        self.loaded.iter().filter(|l| l.doc.as_ref().is_some_and(Document::is_modified)).map(|l| l.file.rel.clone()).collect()
    }

    /// Save a file atomically. Refuses with [`Error::Conflict`] when the disk
    /// changed since it was read, unless the user chose to keep their edits.
    ///
    /// When the write fails (full disk, read-only mount, folder gone) the
    /// error names the file, says what to do and that the edits are kept:
    /// the document stays modified in memory.
    pub fn save(&mut self, id: &str) -> Result<()> {
        let doc = self.document(id)?;
        if !doc.is_modified() {
            return Ok(());
        }
        let kept = |e: Error| match e {
            Error::Io { path, source } => Error::Io {
                path,
                source: std::io::Error::new(source.kind(), format!("{source}. Your edits are kept in Lectern, unsaved.")),
            },
            other => other,
        };
        let folder = doc.path().parent().unwrap_or(Path::new("."));
        if !folder.is_dir() {
            // Not a conflict: the whole folder went away (deleted, renamed,
            // unmounted). Never recreate it: the site may live elsewhere now.
            let gone = std::io::Error::new(std::io::ErrorKind::NotFound, "the file is gone");
            return Err(kept(Error::io(doc.path(), crate::fs::explain(gone, doc.path()))));
        }
        let saved = match self.overrides.get(id) {
            Some(disk) if std::fs::read(doc.path()).map(|b| content_hash(&b)).ok() == Some(*disk) => doc.save_over().map_err(kept)?,
            _ => doc.save().map_err(kept)?,
        };
        self.overrides.remove(id);
        self.put(id, saved, false)
    }

    /// Save every modified file; each result is reported.
    pub fn save_all(&mut self) -> Vec<(String, Result<()>)> {
        self.modified_ids().into_iter().map(|id| {
            let r = self.save(&id);
            (id, r)
        }).collect()
    }

    /// React to a change of `path` on disk (from a file watcher).
    pub fn disk_changed(&mut self, path: &Path) -> Result<DiskEvent> {
        if !path.starts_with(&self.site.sessions_dir) || path.extension().is_none_or(|e| e != "md") {
            return Ok(DiskEvent::Unchanged);
        }
        if !self.site.sessions_dir.is_dir() {
            // The whole sessions folder is gone (deleted, renamed, unmounted):
            // its files did not each go away, so keep every session as it is
            // in memory; saves explain the missing folder.
            return Ok(DiskEvent::Unchanged);
        }
        let file = self.site.session_file_for(path);
        let id = file.rel.clone();
        let bytes = match std::fs::read(path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(path, e)),
        };
        let Some(&i) = self.index.get(&id) else {
            let Some(bytes) = bytes else { return Ok(DiskEvent::Unchanged) };
            let doc = Document::from_bytes(path, bytes.clone()).ok().map(|d| d.with_base(Some(content_hash(&bytes))));
            self.loaded.push(Loaded { file, doc });
            self.reindex();
            self.diagnostics = None;
            return Ok(DiskEvent::Added { id });
        };
        let Some(bytes) = bytes else {
            let kept = self.is_modified(&id);
            if !kept {
                self.loaded.remove(i);
                self.reindex();
                self.diagnostics = None;
            }
            return Ok(DiskEvent::Removed { id, kept_edits: kept });
        };
        let disk_hash = content_hash(&bytes);
        let cur = self.loaded[i].doc.clone();
        match cur {
            Some(doc) if doc.base_hash() == Some(disk_hash) => Ok(DiskEvent::Unchanged),
            Some(doc) if doc.is_modified() => {
                if content_hash(doc.bytes()) == disk_hash {
                    // The disk now holds exactly our edits (saved elsewhere).
                    self.put(&id, doc.with_base(Some(disk_hash)), false)?;
                    return Ok(DiskEvent::Reloaded { id });
                }
                Ok(DiskEvent::Conflict { id, disk: String::from_utf8_lossy(&bytes).into_owned(), mine: doc.text().to_string() })
            }
            _ => {
                let doc = Document::from_bytes(path, bytes).ok().map(|d| d.with_base(Some(disk_hash)));
                self.loaded[i].doc = doc;
                self.diagnostics = None;
                Ok(DiskEvent::Reloaded { id })
            }
        }
    }

    /// Settle a conflict reported by [`Workspace::disk_changed`] or by a save.
    pub fn resolve(&mut self, id: &str, how: Resolution) -> Result<()> {
        let path = self.document(id)?.path().to_path_buf();
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let hash = content_hash(&bytes);
        match how {
            Resolution::KeepMine => {
                self.overrides.insert(id.to_string(), hash);
            }
            Resolution::TakeDisk => {
                let doc = Document::from_bytes(&path, bytes)?.with_base(Some(hash));
                self.put(id, doc, true)?;
                self.overrides.remove(id);
            }
        }
        Ok(())
    }

    /// Every finding for the site as it is in memory (recomputed after edits).
    pub fn diagnostics(&mut self) -> &[Diagnostic] {
        if self.diagnostics.is_none() {
            let report = validate::check_loaded(&self.site, &self.loaded, self.load_problems.clone());
            self.diagnostics = Some(report.diagnostics);
        }
        self.diagnostics.as_deref().unwrap_or_default()
    }

    /// Findings for one file.
    pub fn diagnostics_for(&mut self, id: &str) -> Vec<Diagnostic> {
        self.diagnostics().iter().filter(|d| d.file.to_string_lossy() == id).cloned().collect()
    }

    /// One row per session (twins together), in file order.
    pub fn summaries(&mut self) -> Vec<SessionSummary> {
        let mut problems: HashMap<String, usize> = HashMap::new();
        for d in self.diagnostics().iter().filter(|d| d.severity >= Severity::Warning) {
            *problems.entry(d.file.to_string_lossy().into_owned()).or_default() += 1;
        }
        let mut groups: BTreeMap<&str, Vec<&Loaded>> = BTreeMap::new();
        for l in &self.loaded {
            groups.entry(l.file.stem.as_str()).or_default().push(l);
        }
        let langs: Vec<&str> = self.site.languages.iter().map(|l| l.code.as_str()).collect();
        groups
            .into_iter()
            .map(|(stem, mut g)| {
                g.sort_by_key(|l| langs.iter().position(|c| *c == l.file.lang).unwrap_or(usize::MAX));
                let main = g[0];
                let f = main.doc.as_ref().map(Document::fields).unwrap_or_default();
                let when = f.date.as_deref().and_then(validate::parse_datetime);
                let track = f.track.clone().unwrap_or_default();
                SessionSummary {
                    id: main.file.rel.clone(),
                    stem: stem.to_string(),
                    title: f.title.clone().unwrap_or_else(|| stem.to_string()),
                    track_title: self.site.track(&track).map(|t| t.title(&self.site.default_lang).to_string()).unwrap_or_else(|| track.clone()),
                    track_index: self.site.tracks.iter().position(|t| t.slug == track),
                    track,
                    day: when.map(|d| d.format("%Y-%m-%d").to_string()),
                    time: when.map(|d| d.format("%H:%M").to_string()),
                    room: f.room.clone().unwrap_or_default(),
                    presenters: f.presenters.clone().unwrap_or_default(),
                    twins: g.iter().map(|l| (l.file.lang.clone(), l.file.rel.clone())).collect(),
                    problems: g.iter().map(|l| problems.get(&l.file.rel).copied().unwrap_or(0)).sum(),
                    modified: g.iter().any(|l| l.doc.as_ref().is_some_and(Document::is_modified)),
                }
            })
            .collect()
    }

    /// The bytes each file had when the site was opened, by id.
    pub fn opened_bytes(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.opened
    }

    /// The unsaved edits, by id, for the recovery store.
    pub fn unsaved(&self) -> BTreeMap<String, String> {
        self.loaded
            .iter()
            .filter_map(|l| {
                let d = l.doc.as_ref()?;
                d.is_modified().then(|| (l.file.rel.clone(), d.text().to_string()))
            })
            .collect()
    }

    /// Create a new session and its twins from templates (`{{title}}` and the
    /// other placeholders filled in, values escaped for their quotes) and
    /// load them. Refuses when any of the files exists.
    pub fn new_session(&mut self, track: &str, sid: &str, langs: &[String], templates: &BTreeMap<String, String>) -> Result<Vec<String>> {
        if track.is_empty() || sid.is_empty() || !sid.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || track.contains(['/', '\\', '.']) {
            return Err(Error::Invalid(format!("{track}-{sid}: the track and the id must be plain names (letters, digits)")));
        }
        let stem = format!("{track}-{sid}");
        let mut created = Vec::new();
        let mut docs = Vec::new();
        for lang in langs {
            let path = self.site.twin_path(&stem, lang);
            if path.exists() {
                return Err(Error::Invalid(format!("{} already exists", self.site.rel(&path))));
            }
            let template = templates.get(lang).or_else(|| templates.get(&self.site.default_lang)).ok_or_else(|| Error::Invalid(format!("no template for {lang}")))?;
            let text = template.replace("{{title}}", "").replace("{{date}}", "").replace("{{presenters}}", "").replace("{{room}}", "").replace("{{stype}}", "").replace("{{abstract}}", "").replace("{{track}}", track);
            let doc = Document::from_text(&path, text);
            docs.push((path, doc));
        }
        std::fs::create_dir_all(&self.site.sessions_dir).map_err(|e| Error::io(&self.site.sessions_dir, e))?;
        for (path, doc) in docs {
            let saved = doc.save()?;
            let file: SessionFile = self.site.session_file_for(&path);
            created.push(file.rel.clone());
            self.loaded.push(Loaded { file, doc: Some(saved) });
        }
        self.reindex();
        self.diagnostics = None;
        Ok(created)
    }
}

/// Refuse a document that could not be opened again once saved (over the
/// load limit), before it replaces anything.
fn fits(id: &str, doc: &Document) -> Result<()> {
    let len = doc.text().len() as u64;
    if len > crate::document::MAX_FILE_BYTES {
        return Err(Error::Invalid(format!(
            "{id}: this edit would make the file {:.1} MiB, over the {} MiB limit for a session file; it was not applied. Shorten the text",
            len as f64 / (1024.0 * 1024.0),
            crate::document::MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// A finding for an in-place save of a hard-linked file that a crash cut
/// off (see [`crate::fs::finish_interrupted_writes`]); `None` when it had
/// finished anyway.
fn interrupted_problem(site: &Site, s: &crate::fs::Interrupted) -> Option<Diagnostic> {
    use crate::fs::Interrupted as I;
    let rel = |p: &Path| p.strip_prefix(&site.root).unwrap_or(p).to_path_buf();
    match s {
        I::Complete(_) => None,
        I::RolledBack(p) => Some(Diagnostic::new(
            "interrupted-save",
            Severity::Warning,
            rel(p),
            0,
            0,
            "a save of this hard-linked file was cut off (the app stopped while writing it); its previous \
             content was put back. Unsaved edits from then are offered by crash recovery"
                .to_string(),
        )),
        I::Kept { path, journal } => Some(Diagnostic::new(
            "interrupted-save",
            Severity::Error,
            rel(path),
            0,
            0,
            format!(
                "a save of this hard-linked file was cut off and the file changed since; it was left alone. \
                 Its content before and after that save is in {}: compare, fix the file, then delete that backup",
                journal.display()
            ),
        )),
    }
}
