//! An open site in memory: what the desktop app edits.
//!
//! Sessions are addressed by id, their path relative to the site root
//! (`content/sessions/ai-1026.md`), never by an arbitrary path. Edits change
//! documents in memory (with twins kept in sync per the schema, and undo and
//! redo per file); saving is atomic and refuses when the file changed on disk
//! since it was read, by content hash. Changes on disk arrive through
//! [`Workspace::disk_changed`], which reloads clean files quietly and reports
//! a conflict for files with unsaved edits.

use crate::body_edit::{self, TextChange};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::fs::{content_hash, Hash};
use crate::site::{SessionFile, Site};
use crate::speakers::Speaker;
use crate::validate::{self, Loaded};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

// Schedule grid + twins side by side (issue 5)
mod steps;
mod twin_report;
// The problems pane's one-click fixes (issue 15)
mod fixes;
mod form;
mod pending;
mod photos;
mod plans;
mod revert;
pub use crate::site::Twin;
pub use fixes::FixOutcome;
pub use form::{Column, FormField, Table, TableRow};
pub use photos::{
    install_speaker_photo, replace_speaker_photo, set_speaker_photo, workspace_photos, Replaced,
};
pub use revert::Reverted;
pub use steps::{Step, StepFile};
pub use twin_report::{Drift, MissingTwin, SharedField, TwinReport};

const UNDO_DEPTH: usize = 200;

/// Body edits closer together than this join the previous undo step...
const TYPING_PAUSE: Duration = Duration::from_millis(1000);
/// ...unless that step is older than this, so undo stays fine-grained.
const TYPING_GROUP: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Default)]
struct History {
    undo: Vec<String>,
    redo: Vec<String>,
    /// The typing run the last edit belongs to: what was typed into (the
    /// body, or a field), when the run started and the last edit.
    typing: Option<Typing>,
}

/// A run of typing into one place, undone as one step.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Typing {
    /// `None` for the body, else the field's key.
    field: Option<String>,
    started: Instant,
    last: Instant,
}

impl Typing {
    /// Whether an edit of `field` at `now` belongs to this run.
    fn joins(&self, field: Option<&str>, now: Instant) -> bool {
        self.field.as_deref() == field
            && now.saturating_duration_since(self.last) < TYPING_PAUSE
            && now.saturating_duration_since(self.started) < TYPING_GROUP
    }
}

/// One row of the session list: a session with its twins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub track_index: Option<usize>,
    /// `YYYY-MM-DD`, when the date parses.
    pub day: Option<String>,
    /// `HH:MM`, when the date parses.
    pub time: Option<String>,
    /// Room in the default language.
    pub room: String,
    /// Presenters.
    pub presenters: String,
    /// The titles and presenters of the other language versions, one per
    /// line: what the list's filter matches besides the fields above, so a
    /// Chinese title or name finds its session on an English-first site.
    pub twin_text: String,
    /// Languages present, in site order, with each twin's id.
    pub twins: Vec<Twin>,
    /// Errors and warnings across the twins.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
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

/// What [`Workspace::create_session`] made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewSession {
    /// The new files' ids, in the site's language order.
    pub ids: Vec<String>,
    /// Site templates that were skipped, and why.
    pub warnings: Vec<String>,
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

/// A changed path as read from disk, before the workspace takes it.
struct Seen {
    file: SessionFile,
    bytes: Option<Vec<u8>>,
    hash: Option<Hash>,
    /// The parsed new text (None when unchanged, unreadable or gone).
    doc: Option<Document>,
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
    /// The findings of the last check, and whether they still describe the
    /// workspace (any edit or disk change makes them stale).
    checked: Checked,
    /// Bumped by every change, so a check run elsewhere knows what it saw.
    generation: u64,
    /// Which workspace this is (see [`CheckOutcome`]).
    instance: u64,
}

/// The last check's findings and what they add up to per file.
#[derive(Debug, Default)]
struct Checked {
    diagnostics: Vec<Diagnostic>,
    /// Errors and warnings per file id.
    problems: HashMap<String, usize>,
    /// Whether a check ever ran.
    ran: bool,
    /// Whether the workspace changed since.
    stale: bool,
    /// Changes whenever the findings do (see [`Workspace::diagnostics_version`]).
    version: u64,
}

/// Versions of findings, unique across workspaces.
static VERSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Checked {
    /// The findings of a check; keeps `previous`'s version when they are the same.
    fn new(diagnostics: Vec<Diagnostic>, stale: bool, previous: &Checked) -> Self {
        let mut problems: HashMap<String, usize> = HashMap::new();
        for d in diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
        {
            *problems
                .entry(d.file.to_string_lossy().into_owned())
                .or_default() += 1;
        }
        let version = if previous.ran && previous.diagnostics == diagnostics {
            previous.version
        } else {
            VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        };
        Checked {
            diagnostics,
            problems,
            ran: true,
            stale,
            version,
        }
    }
}

/// Everything a check of the workspace needs, copied out of it so the check
/// can run on another thread while editing goes on
/// ([`Workspace::check_job`], [`Workspace::accept_check`]).
#[derive(Debug)]
pub struct CheckJob {
    site: Site,
    loaded: Vec<Loaded>,
    load_problems: Vec<Diagnostic>,
    instance: u64,
    generation: u64,
}

/// The outcome of a [`CheckJob`].
#[derive(Debug)]
pub struct CheckOutcome {
    diagnostics: Vec<Diagnostic>,
    instance: u64,
    generation: u64,
}

/// What [`Workspace::accept_check`] made of a check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckAccepted {
    /// The findings describe the workspace as it is now.
    pub current: bool,
    /// Stems of the sessions whose problem counts changed (their list rows
    /// need refreshing).
    pub recounted: BTreeSet<String>,
}

/// Tells workspaces apart, so a check of one is never taken for another's.
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl CheckJob {
    /// Run the check (every rule, as [`Workspace::diagnostics`] does).
    pub fn run(self) -> CheckOutcome {
        let report = validate::check_loaded(&self.site, &self.loaded, self.load_problems);
        CheckOutcome {
            diagnostics: report.diagnostics,
            instance: self.instance,
            generation: self.generation,
        }
    }
}

impl Workspace {
    /// Discover the site containing `path` and load every session.
    pub fn open(path: &Path) -> Result<Workspace> {
        let site = Site::discover(path)?;
        let settled = crate::fs::backup_dir()
            .map(|b| crate::fs::finish_interrupted_writes(&b, &site.root))
            .unwrap_or_default();
        crate::fs::remove_stale_temp_files_in_site(&site.root);
        let (loaded, mut load_problems) = validate::load_all(&site, &|| {});
        load_problems.extend(settled.iter().filter_map(|s| interrupted_problem(&site, s)));
        Ok(Self::from_loaded(site, loaded, load_problems))
    }

    /// [`Workspace::open`] again, as a reload does: every file is read, but
    /// the documents of `previous` whose files did not change since are
    /// kept instead of parsed again. Unsaved edits in `previous` are not
    /// carried over (a reload drops them), and `previous` is not changed.
    pub fn reopen(path: &Path, previous: &Workspace) -> Result<Workspace> {
        let site = Site::discover(path)?;
        let mut keep: HashMap<std::path::PathBuf, Document> =
            if previous.site.sessions_dir == site.sessions_dir {
                previous
                    .loaded
                    .iter()
                    .filter_map(|l| {
                        Some((
                            l.file.path.clone(),
                            l.doc.as_ref().filter(|d| !d.is_modified())?.clone(),
                        ))
                    })
                    .collect()
            } else {
                HashMap::new()
            };
        let (loaded, load_problems) = validate::load_all_reusing(&site, &mut keep);
        Ok(Self::from_loaded(site, loaded, load_problems))
    }

    fn from_loaded(site: Site, loaded: Vec<Loaded>, load_problems: Vec<Diagnostic>) -> Workspace {
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
            checked: Checked::default(),
            generation: 0,
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        ws.reindex();
        ws
    }

    /// Whether the sessions folder is still where the site was opened.
    pub fn sessions_folder_present(&self) -> bool {
        self.site.sessions_dir.is_dir()
    }

    fn reindex(&mut self) {
        self.loaded.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
        self.index = self
            .loaded
            .iter()
            .enumerate()
            .map(|(i, l)| (l.file.rel.clone(), i))
            .collect();
    }

    /// Note a change: the last check no longer describes the workspace.
    fn changed(&mut self) {
        self.checked.stale = true;
        self.generation += 1;
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
            .ok_or_else(|| Error::no_session(id))
    }

    /// A session's document.
    pub fn document(&self, id: &str) -> Result<&Document> {
        self.session(id)?.doc.as_ref().ok_or_else(|| {
            Error::Invalid(format!("{id}: the file could not be read; see Problems"))
        })
    }

    fn put(&mut self, id: &str, doc: Document, record: bool) -> Result<()> {
        let i = *self.index.get(id).ok_or_else(|| Error::no_session(id))?;
        fits(id, &doc)?;
        let old = self.loaded[i].doc.replace(doc);
        if let (true, Some(old)) = (record, old) {
            if self.loaded[i]
                .doc
                .as_ref()
                .is_some_and(|d| d.text() != old.text())
            {
                let h = self.history.entry(id.to_string()).or_default();
                h.typing = None;
                h.undo.push(old.text().to_string());
                if h.undo.len() > UNDO_DEPTH {
                    h.undo.remove(0);
                }
                h.redo.clear();
            }
        }
        self.changed();
        Ok(())
    }

    /// The twins of a session (other languages, same stem), as ids.
    pub fn twins_of(&self, id: &str) -> Vec<String> {
        let Ok(s) = self.session(id) else {
            return Vec::new();
        };
        self.loaded
            .iter()
            .filter(|l| l.file.stem == s.file.stem && l.file.rel != id)
            .map(|l| l.file.rel.clone())
            .collect()
    }

    /// A session and its twins, in the site's language order.
    pub fn twins(&self, id: &str) -> Vec<Twin> {
        let Ok(s) = self.session(id) else {
            return Vec::new();
        };
        let mut v: Vec<Twin> = self
            .loaded
            .iter()
            .filter(|l| l.file.stem == s.file.stem)
            .map(|l| Twin {
                lang: l.file.lang.clone(),
                id: l.file.rel.clone(),
            })
            .collect();
        v.sort_by_key(|t| {
            self.site
                .languages
                .iter()
                .position(|l| l.code == t.lang)
                .unwrap_or(usize::MAX)
        });
        v
    }

    /// Set (or with `None`, remove) a front-matter field, and carry the change
    /// to the twins per the field's sync rule. Returns the ids that changed.
    pub fn set_field(&mut self, id: &str, key: &str, value: Option<&str>) -> Result<Vec<String>> {
        self.set_field_at(id, key, value, None)
    }

    /// [`Workspace::set_field`] for a keystroke in a form field: what is
    /// typed into one field in quick succession (as [`Workspace::edit_body`]
    /// groups typing) is one undo step in each file it changes, so typing
    /// " TEST" into a title is undone at once, not letter by letter. Any
    /// other edit ends the run.
    pub fn type_field(&mut self, id: &str, key: &str, value: &str) -> Result<Vec<String>> {
        self.set_field_at(id, key, Some(value), Some(Instant::now()))
    }

    fn set_field_at(
        &mut self,
        id: &str,
        key: &str,
        value: Option<&str>,
        typed: Option<Instant>,
    ) -> Result<Vec<String>> {
        let doc = self.document(id)?;
        let lang = self.session(id)?.file.lang.clone();
        let new = match value {
            Some(v) => doc.set(key, v)?,
            None => doc.unset(key)?,
        };
        // Prepare every twin first so that a failure changes nothing.
        let mut updates = vec![(id.to_string(), new)];
        for twin in self.twins_of(id) {
            let Ok(tdoc) = self.document(&twin) else {
                continue;
            };
            let tlang = self.session(&twin)?.file.lang.clone();
            let twin_new = match value {
                Some(v) => match self.site.schema.twin_value(key, v, &lang, &tlang) {
                    Some(tv) if tdoc.get(key).as_deref() != Some(tv.as_str()) => {
                        tdoc.set(key, &tv)?
                    }
                    _ => continue,
                },
                None if self
                    .site
                    .schema
                    .get(key)
                    .is_some_and(|r| r.sync != crate::schema::SyncRule::None) =>
                {
                    tdoc.unset(key)?
                }
                None => continue,
            };
            updates.push((twin, twin_new));
        }
        for (tid, d) in &updates {
            fits(tid, d)?;
        }
        let mut changed = Vec::new();
        for (tid, d) in updates {
            if self
                .document(&tid)
                .map(|o| o.text() != d.text())
                .unwrap_or(true)
            {
                let joins = typed.is_some_and(|now| self.joins_typing(&tid, Some(key), now));
                self.put(&tid, d, !joins)?;
                if let Some(now) = typed {
                    self.note_typing(&tid, Some(key), joins, now);
                }
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

    /// Apply a text editor's changes to a session's body (see
    /// [`crate::body_edit`]): `sets` in the order they were made, each
    /// positioned in the body as the editor saw it before that set, in
    /// UTF-16 units of the body with `\n` line endings. `expected_len` is
    /// the editor's length of the result; a mismatch (or a change that does
    /// not fit) fails with [`Error::Invalid`] and changes nothing, so the
    /// caller can send the whole body instead. Line endings of unchanged
    /// lines are kept as [`Workspace::set_body`] keeps them. Edits in quick
    /// succession form one undo step, as typing does in an editor.
    pub fn edit_body(
        &mut self,
        id: &str,
        sets: &[Vec<TextChange>],
        expected_len: usize,
    ) -> Result<()> {
        self.edit_body_at(id, sets, expected_len, Instant::now())
    }

    fn edit_body_at(
        &mut self,
        id: &str,
        sets: &[Vec<TextChange>],
        expected_len: usize,
        now: Instant,
    ) -> Result<()> {
        let doc = self.document(id)?;
        let mut text = body_edit::editor_text(doc.body());
        for set in sets {
            text = body_edit::apply(&text, set)?;
        }
        let len = body_edit::utf16_len(&text);
        if len != expected_len {
            return Err(Error::Invalid(format!(
                "{id}: the edited body has {len} characters where the editor has {expected_len}; the editor and the file are out of sync"
            )));
        }
        let new = doc.set_body(&text);
        if new.text() == doc.text() {
            return Ok(());
        }
        let joins = self.joins_typing(id, None, now);
        self.put(id, new, !joins)?;
        self.note_typing(id, None, joins, now);
        Ok(())
    }

    /// Whether an edit of `id` (its body, or the field `field`) at `now`
    /// continues the file's typing run.
    fn joins_typing(&self, id: &str, field: Option<&str>, now: Instant) -> bool {
        self.history
            .get(id)
            .and_then(|h| h.typing.as_ref())
            .is_some_and(|t| t.joins(field, now))
    }

    /// Record that `id` was typed into at `now`: the run goes on when the
    /// edit `joined` it, else a new one starts.
    fn note_typing(&mut self, id: &str, field: Option<&str>, joined: bool, now: Instant) {
        let h = self.history.entry(id.to_string()).or_default();
        let started = h
            .typing
            .as_ref()
            .filter(|_| joined)
            .map_or(now, |t| t.started);
        h.typing = Some(Typing {
            field: field.map(str::to_string),
            started,
            last: now,
        });
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
        let Some(prev) = self.history.get_mut(id).and_then(|h| {
            h.typing = None;
            h.undo.pop()
        }) else {
            return Ok(false);
        };
        let cur = self.document(id)?;
        let cur_text = cur.text().to_string();
        let restored = Document::from_text(cur.path(), prev).with_base(cur.base_hash());
        self.put(id, restored, false)?;
        self.history
            .entry(id.to_string())
            .or_default()
            .redo
            .push(cur_text);
        Ok(true)
    }

    /// Redo the last undone edit; false when there is nothing to redo.
    pub fn redo(&mut self, id: &str) -> Result<bool> {
        let Some(next) = self.history.get_mut(id).and_then(|h| {
            h.typing = None;
            h.redo.pop()
        }) else {
            return Ok(false);
        };
        let cur = self.document(id)?;
        let cur_text = cur.text().to_string();
        let restored = Document::from_text(cur.path(), next).with_base(cur.base_hash());
        self.put(id, restored, false)?;
        self.history
            .entry(id.to_string())
            .or_default()
            .undo
            .push(cur_text);
        Ok(true)
    }

    /// Whether a file has unsaved edits.
    pub fn is_modified(&self, id: &str) -> bool {
        self.document(id).is_ok_and(Document::is_modified)
    }

    /// Ids of files with unsaved edits.
    pub fn modified_ids(&self) -> Vec<String> {
        self.loaded
            .iter()
            .filter(|l| l.doc.as_ref().is_some_and(Document::is_modified))
            .map(|l| l.file.rel.clone())
            .collect()
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
                source: std::io::Error::new(
                    source.kind(),
                    format!("{source}. Your edits are kept in Lectern, unsaved."),
                ),
            },
            other => other,
        };
        let folder = doc.path().parent().unwrap_or(Path::new("."));
        if !folder.is_dir() {
            // Not a conflict: the whole folder went away (deleted, renamed,
            // unmounted). Never recreate it: the site may live elsewhere now.
            let gone = std::io::Error::new(std::io::ErrorKind::NotFound, "the file is gone");
            return Err(kept(Error::io(
                doc.path(),
                crate::fs::explain(gone, doc.path()),
            )));
        }
        // The site boundary, as for every other write: a session file that
        // became a link out of the site, or a FIFO, is refused.
        crate::boundary::Boundary::new(&self.site.root)?.for_write(doc.path())?;
        let saved = match self.overrides.get(id) {
            Some(disk)
                if std::fs::read(doc.path()).map(|b| content_hash(&b)).ok() == Some(*disk) =>
            {
                doc.save_over().map_err(kept)?
            }
            _ => doc.save().map_err(kept)?,
        };
        self.overrides.remove(id);
        self.put(id, saved, false)
    }

    /// Save a session: the file `id` and each of its twins with unsaved
    /// edits (an edit of one language file can change its twins: a room is
    /// translated, a date copied), so Save never leaves part of an edit
    /// unsaved. `id` is saved first; when that fails nothing else is
    /// written and its error is the only result. Each result is reported,
    /// `id` first, then the twins in the site's language order.
    pub fn save_session(&mut self, id: &str) -> Vec<(String, Result<()>)> {
        let first = self.save(id);
        let failed = first.is_err();
        let mut out = vec![(id.to_string(), first)];
        if failed {
            return out;
        }
        for Twin { id: twin, .. } in self.twins(id) {
            if twin != id && self.is_modified(&twin) {
                let r = self.save(&twin);
                out.push((twin, r));
            }
        }
        out
    }

    /// Save every modified file; each result is reported.
    pub fn save_all(&mut self) -> Vec<(String, Result<()>)> {
        self.modified_ids()
            .into_iter()
            .map(|id| {
                let r = self.save(&id);
                (id, r)
            })
            .collect()
    }

    /// React to a change of `path` on disk (from a file watcher).
    pub fn disk_changed(&mut self, path: &Path) -> Result<DiskEvent> {
        self.disk_changed_many(&[path.to_path_buf()])
            .pop()
            .unwrap_or(Ok(DiskEvent::Unchanged))
    }

    /// React to changes of many paths at once (a batch operation, a git
    /// checkout): the files are read and parsed in parallel, then taken in
    /// one step; one outcome per path, in order, as [`Workspace::disk_changed`]
    /// reports it.
    pub fn disk_changed_many(&mut self, paths: &[std::path::PathBuf]) -> Vec<Result<DiskEvent>> {
        use rayon::prelude::*;
        if !self.site.sessions_dir.is_dir() {
            // The whole sessions folder is gone (deleted, renamed, unmounted):
            // its files did not each go away, so keep every session as it is
            // in memory; saves explain the missing folder.
            return paths.iter().map(|_| Ok(DiskEvent::Unchanged)).collect();
        }
        // Read and parse off the lock-step: the slow part.
        let seen: Vec<Option<Result<Seen>>> = paths
            .par_iter()
            .map(|path| {
                if !path.starts_with(&self.site.sessions_dir)
                    || path.extension().is_none_or(|e| e != "md")
                {
                    return None;
                }
                // Known files keep their description (compiling the name pattern per path is not free).
                let rel = self.site.rel(path);
                let file = match self.index.get(&rel) {
                    Some(&i) => self.loaded[i].file.clone(),
                    None => self.site.session_file_for(path),
                };
                let bytes = match std::fs::read(path) {
                    Ok(b) => Some(b),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => return Some(Err(Error::io(path, e))),
                };
                let hash = bytes.as_ref().map(|b| content_hash(b));
                let unchanged = self
                    .index
                    .get(&file.rel)
                    .and_then(|&i| self.loaded[i].doc.as_ref())
                    .is_some_and(|d| d.base_hash().is_some() && d.base_hash() == hash);
                let doc = match (&bytes, unchanged) {
                    (Some(b), false) => Document::from_bytes(path, b.clone())
                        .ok()
                        .map(|d| d.with_base(hash)),
                    _ => None,
                };
                Some(Ok(Seen {
                    file,
                    bytes,
                    hash,
                    doc,
                }))
            })
            .collect();
        let mut out = Vec::with_capacity(paths.len());
        let mut gone: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut changed_shape = false;
        for s in seen {
            let seen = match s {
                None => {
                    out.push(Ok(DiskEvent::Unchanged));
                    continue;
                }
                Some(Err(e)) => {
                    out.push(Err(e));
                    continue;
                }
                Some(Ok(seen)) => seen,
            };
            let id = seen.file.rel.clone();
            let known = self.index.get(&id).copied().filter(|_| !gone.contains(&id));
            let Some(i) = known else {
                // A file that appeared (or came back in the same batch).
                if seen.bytes.is_none() {
                    out.push(Ok(DiskEvent::Unchanged));
                    continue;
                }
                gone.remove(&id);
                if let Some(&i) = self.index.get(&id) {
                    self.loaded[i].doc = seen.doc;
                } else {
                    self.loaded.push(Loaded {
                        file: seen.file,
                        doc: seen.doc,
                    });
                    // Index it now so a later path of the same batch finds it.
                    self.index.insert(id.clone(), self.loaded.len() - 1);
                    changed_shape = true;
                }
                self.changed();
                out.push(Ok(DiskEvent::Added { id }));
                continue;
            };
            let Some(bytes) = seen.bytes else {
                let kept = self.is_modified(&id);
                if !kept {
                    gone.insert(id.clone());
                    changed_shape = true;
                    self.changed();
                }
                out.push(Ok(DiskEvent::Removed {
                    id,
                    kept_edits: kept,
                }));
                continue;
            };
            let cur = self.loaded[i].doc.clone();
            let event = match cur {
                Some(doc) if doc.base_hash().is_some() && doc.base_hash() == seen.hash => {
                    Ok(DiskEvent::Unchanged)
                }
                Some(doc) if doc.is_modified() => {
                    if Some(content_hash(doc.bytes())) == seen.hash {
                        // The disk now holds exactly our edits (saved elsewhere).
                        self.put(&id, doc.with_base(seen.hash), false)
                            .map(|()| DiskEvent::Reloaded { id })
                    } else {
                        Ok(DiskEvent::Conflict {
                            id,
                            disk: String::from_utf8_lossy(&bytes).into_owned(),
                            mine: doc.text().to_string(),
                        })
                    }
                }
                _ => {
                    self.loaded[i].doc = seen.doc;
                    self.changed();
                    Ok(DiskEvent::Reloaded { id })
                }
            };
            out.push(event);
        }
        if changed_shape {
            self.loaded.retain(|l| !gone.contains(&l.file.rel));
            self.reindex();
        }
        out
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
        if !self.checked.ran || self.checked.stale {
            let report =
                validate::check_loaded(&self.site, &self.loaded, self.load_problems.clone());
            self.checked = Checked::new(report.diagnostics, false, &self.checked);
        }
        &self.checked.diagnostics
    }

    /// The findings of the last check without running one: `None` before
    /// the first check, else the findings and whether the workspace changed
    /// since (stale). For showing something at once while a fresh check
    /// runs elsewhere ([`Workspace::check_job`]).
    pub fn last_diagnostics(&self) -> Option<(&[Diagnostic], bool)> {
        self.checked
            .ran
            .then_some((self.checked.diagnostics.as_slice(), self.checked.stale))
    }

    /// A number that changes whenever the findings of the last check do
    /// (and differs between workspaces), so a window that has the findings
    /// of a version need not be sent them again; 0 before the first check.
    pub fn diagnostics_version(&self) -> u64 {
        if self.checked.ran {
            self.checked.version
        } else {
            0
        }
    }

    /// What a check of the workspace as it is now needs, to run on another
    /// thread ([`CheckJob::run`]); `None` when the last check is still
    /// current. Copies every document, which costs far less than checking.
    pub fn check_job(&self) -> Option<CheckJob> {
        if self.checked.ran && !self.checked.stale {
            return None;
        }
        Some(CheckJob {
            site: self.site.clone(),
            loaded: self.loaded.clone(),
            load_problems: self.load_problems.clone(),
            instance: self.instance,
            generation: self.generation,
        })
    }

    /// Keep the findings of a check run on a copy. They become the current
    /// findings when nothing changed since the copy was taken; else they are
    /// kept as stale ones, better than none, and the next
    /// [`Workspace::check_job`] asks for another run. Findings of a copy of
    /// another workspace (a site opened since) are ignored.
    pub fn accept_check(&mut self, outcome: CheckOutcome) -> CheckAccepted {
        let mine = outcome.instance == self.instance;
        let current = mine && outcome.generation == self.generation;
        if !mine || !(current || !self.checked.ran || self.checked.stale) {
            return CheckAccepted {
                current,
                recounted: BTreeSet::new(),
            };
        }
        let next = Checked::new(outcome.diagnostics, !current, &self.checked);
        let mut files: BTreeSet<&String> = next.problems.keys().collect();
        files.extend(self.checked.problems.keys());
        let recounted = files
            .into_iter()
            .filter(|f| self.checked.problems.get(*f) != next.problems.get(*f))
            .filter_map(|f| {
                self.index
                    .get(f.as_str())
                    .map(|&i| self.loaded[i].file.stem.clone())
            })
            .collect();
        self.checked = next;
        CheckAccepted { current, recounted }
    }

    /// Findings for one file.
    pub fn diagnostics_for(&mut self, id: &str) -> Vec<Diagnostic> {
        self.diagnostics()
            .iter()
            .filter(|d| d.file.to_string_lossy() == id)
            .cloned()
            .collect()
    }

    /// One row per session (twins together), in file order, with problem
    /// counts from a current check (running one when needed).
    pub fn summaries(&mut self) -> Vec<SessionSummary> {
        self.diagnostics();
        self.summaries_as_checked()
    }

    /// One row per session (twins together), in file order, without
    /// running a check: problem counts are those of the last check (zero
    /// before the first), see [`Workspace::last_diagnostics`].
    pub fn summaries_as_checked(&self) -> Vec<SessionSummary> {
        let mut groups: BTreeMap<&str, Vec<&Loaded>> = BTreeMap::new();
        for l in &self.loaded {
            groups.entry(l.file.stem.as_str()).or_default().push(l);
        }
        groups
            .into_iter()
            .map(|(stem, g)| self.summary_of_group(stem, g))
            .collect()
    }

    /// The rows of the sessions with these stems (twins together), in file
    /// order, without running a check (as [`Workspace::summaries_as_checked`]).
    pub fn summaries_of(&self, stems: &BTreeSet<String>) -> Vec<SessionSummary> {
        let mut groups: BTreeMap<&str, Vec<&Loaded>> = BTreeMap::new();
        for l in self.loaded.iter().filter(|l| stems.contains(&l.file.stem)) {
            groups.entry(l.file.stem.as_str()).or_default().push(l);
        }
        groups
            .into_iter()
            .map(|(stem, g)| self.summary_of_group(stem, g))
            .collect()
    }

    fn summary_of_group(&self, stem: &str, mut g: Vec<&Loaded>) -> SessionSummary {
        let langs = &self.site.languages;
        g.sort_by_key(|l| {
            langs
                .iter()
                .position(|c| c.code == l.file.lang)
                .unwrap_or(usize::MAX)
        });
        fn field(v: Option<&Option<String>>) -> Option<&str> {
            v.and_then(Option::as_deref)
        }
        let main = g[0];
        let f = main.doc.as_ref().and_then(Document::fields_ref);
        let when = field(f.map(|f| &f.date)).and_then(crate::text::parse_datetime);
        let track = field(f.map(|f| &f.track)).unwrap_or_default();
        SessionSummary {
            id: main.file.rel.clone(),
            stem: stem.to_string(),
            title: field(f.map(|f| &f.title)).unwrap_or(stem).to_string(),
            track_title: self
                .site
                .track(track)
                .map(|t| t.title(&self.site.default_lang))
                .unwrap_or(track)
                .to_string(),
            track_index: self.site.tracks.iter().position(|t| t.slug == track),
            track: track.to_string(),
            day: when.map(|d| d.format("%Y-%m-%d").to_string()),
            time: when.map(|d| d.format("%H:%M").to_string()),
            room: field(f.map(|f| &f.room)).unwrap_or_default().to_string(),
            presenters: field(f.map(|f| &f.presenters))
                .unwrap_or_default()
                .to_string(),
            twin_text: g[1..]
                .iter()
                .filter_map(|l| l.doc.as_ref().and_then(Document::fields_ref))
                .flat_map(|f| [f.title.as_deref(), f.presenters.as_deref()])
                .flatten()
                .collect::<Vec<_>>()
                .join("\n"),
            twins: g
                .iter()
                .map(|l| Twin {
                    lang: l.file.lang.clone(),
                    id: l.file.rel.clone(),
                })
                .collect(),
            problems: g
                .iter()
                .map(|l| self.checked.problems.get(&l.file.rel).copied().unwrap_or(0))
                .sum(),
            modified: g
                .iter()
                .any(|l| l.doc.as_ref().is_some_and(Document::is_modified)),
        }
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
                d.is_modified()
                    .then(|| (l.file.rel.clone(), d.text().to_string()))
            })
            .collect()
    }

    /// Create a new session and its twins from the site's templates (see
    /// [`crate::templates`]: `lectern.toml`, the site's archetypes, else
    /// Lectern's own) and load them. Returns the new ids, default language
    /// first.
    pub fn create_session(
        &mut self,
        track: &str,
        sid: &str,
        langs: &[String],
    ) -> Result<NewSession> {
        let chosen = crate::templates::SessionTemplates::for_site(&self.site);
        let ids = self.new_session(track, sid, langs, &chosen.texts())?;
        Ok(NewSession {
            ids,
            warnings: chosen.warnings,
        })
    }

    /// Re-read the site's configuration (tracks, rooms, languages, schema)
    /// from disk, keeping every document and its edits: after a batch
    /// operation moved track pages, say. Refuses, changing nothing, when the
    /// configuration no longer reads or the site moved.
    pub fn refresh_site(&mut self) -> Result<()> {
        let site = Site::discover(&self.site.root)?;
        if site.root != self.site.root || site.sessions_dir != self.site.sessions_dir {
            return Err(Error::Invalid(format!(
                "{}: the site's sessions folder changed; reopen the site",
                self.site.root.display()
            )));
        }
        self.site = site;
        self.changed();
        Ok(())
    }

    /// Create a new session and its twins from `templates` (by language; a
    /// language without one uses the default language's), with `{{track}}`
    /// filled in and the other placeholders emptied, and load them.
    ///
    /// Refuses, changing nothing, when the track is not one of the site's,
    /// the id is not a plain name (letters, digits, `_`), another session
    /// already uses the id, a language is not the site's, or a file exists.
    pub fn new_session(
        &mut self,
        track: &str,
        sid: &str,
        langs: &[String],
        templates: &BTreeMap<String, String>,
    ) -> Result<Vec<String>> {
        let track = track.trim();
        let sid = sid.trim();
        if track.is_empty()
            || track.contains(['/', '\\', '.'])
            || track.chars().any(char::is_whitespace)
        {
            return Err(Error::Invalid(format!(
                "\"{track}\" is not a track name: choose one of the site's tracks"
            )));
        }
        if !self.site.tracks.is_empty() && self.site.track(track).is_none() {
            let known: Vec<&str> = self.site.tracks.iter().map(|t| t.slug.as_str()).collect();
            return Err(Error::Invalid(format!(
                "unknown track \"{track}\": choose one of {}",
                known.join(", ")
            )));
        }
        if sid.is_empty() {
            return Err(Error::Invalid(
                "enter an id for the new session (letters, digits and _)".into(),
            ));
        }
        if !sid.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Error::Invalid(format!("\"{sid}\" is not a valid session id: use only letters, digits and _ (no spaces, dashes, dots or slashes)")));
        }
        if let Some(other) = self
            .loaded
            .iter()
            .find(|l| l.file.id.as_deref() == Some(sid))
        {
            return Err(Error::Invalid(format!(
                "session id {sid} is already used by {}: choose another id",
                other.file.rel
            )));
        }
        if langs.is_empty() {
            return Err(Error::Invalid(
                "choose at least one language for the new session".into(),
            ));
        }
        // Site order, each language once.
        let mut ordered: Vec<&str> = Vec::new();
        for l in &self.site.languages {
            if langs.iter().any(|x| x == &l.code) {
                ordered.push(&l.code);
            }
        }
        if let Some(unknown) = langs
            .iter()
            .find(|x| !self.site.languages.iter().any(|l| &l.code == *x))
        {
            return Err(Error::Invalid(format!(
                "\"{unknown}\" is not a language of this site"
            )));
        }
        let stem = self.site.config.new_file_stem(track, sid);
        if let Some(other) = self.loaded.iter().find(|l| l.file.stem == stem) {
            return Err(Error::Invalid(format!(
                "{} already exists: choose another id",
                other.file.rel
            )));
        }
        let values = BTreeMap::from([("track", track)]);
        let mut docs = Vec::new();
        for lang in ordered {
            let path = self.site.twin_path(&stem, lang);
            if path.exists() {
                return Err(Error::Invalid(format!(
                    "{} already exists: choose another id",
                    self.site.rel(&path)
                )));
            }
            let template = templates
                .get(lang)
                .or_else(|| templates.get(&self.site.default_lang))
                .ok_or_else(|| Error::Invalid(format!("no template for the language {lang}")))?;
            docs.push((
                path.clone(),
                Document::from_text(&path, crate::templates::fill(template, &values)),
            ));
        }
        let boundary = crate::boundary::Boundary::new(&self.site.root)?;
        boundary.create_dir_all(&self.site.sessions_dir)?;
        for (path, _) in &docs {
            boundary.for_write(path)?;
        }
        let mut created = Vec::new();
        let mut failure = None;
        for (path, doc) in docs {
            match doc.save() {
                Ok(saved) => {
                    let file: SessionFile = self.site.session_file_for(&path);
                    created.push(file.rel.clone());
                    self.loaded.push(Loaded {
                        file,
                        doc: Some(saved),
                    });
                }
                Err(e) => {
                    // Keep what was written loaded, so nothing on disk is hidden.
                    failure = Some(e);
                    break;
                }
            }
        }
        self.reindex();
        self.changed();
        match failure {
            Some(e) => Err(e),
            None => Ok(created),
        }
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
            Code::InterruptedSave,
            Severity::Warning,
            rel(p),
            0,
            0,
            "a save of this hard-linked file was cut off (the app stopped while writing it); its previous \
             content was put back. Unsaved edits from then are offered by crash recovery"
                .to_string(),
        )),
        I::Kept { path, journal } => Some(Diagnostic::new(
            Code::InterruptedSave,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> (tempfile::TempDir, Workspace) {
        let tmp = tempfile::tempdir().unwrap();
        let sessions = tmp.path().join("content/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        std::fs::write(tmp.path().join("hugo.toml"), "title = \"T\"\n").unwrap();
        std::fs::write(sessions.join("ai-1.md"), "---\ntitle: \"A\"\n---\nBody\n").unwrap();
        let ws = Workspace::open(tmp.path()).unwrap();
        (tmp, ws)
    }

    fn typed(ws: &mut Workspace, at: Instant) {
        let id = "content/sessions/ai-1.md";
        let len = body_edit::utf16_len(ws.document(id).unwrap().body());
        let change = TextChange {
            from: len - 1,
            to: len - 1,
            insert: "x".into(),
        };
        ws.edit_body_at(id, &[vec![change]], len + 1, at).unwrap();
    }

    #[test]
    fn typing_without_pauses_is_one_undo_step_and_a_pause_starts_another() {
        let (_t, mut ws) = workspace();
        let id = "content/sessions/ai-1.md";
        let t0 = Instant::now();
        for i in 0..4 {
            typed(&mut ws, t0 + Duration::from_millis(200 * i));
        }
        assert_eq!(ws.document(id).unwrap().body(), "Bodyxxxx\n");
        typed(&mut ws, t0 + Duration::from_millis(600 + 1500)); // after a pause
        assert!(ws.undo(id).unwrap());
        assert_eq!(ws.document(id).unwrap().body(), "Bodyxxxx\n");
        assert!(ws.undo(id).unwrap());
        assert_eq!(ws.document(id).unwrap().body(), "Body\n");
        assert!(!ws.undo(id).unwrap());
    }

    #[test]
    fn a_long_run_of_typing_is_cut_into_steps() {
        let (_t, mut ws) = workspace();
        let id = "content/sessions/ai-1.md";
        let t0 = Instant::now();
        // One keystroke every 0.5 s for 8 s: never a pause, but more than one group.
        for i in 0..16 {
            typed(&mut ws, t0 + Duration::from_millis(500 * i));
        }
        let mut steps = 0;
        while ws.undo(id).unwrap() {
            steps += 1;
        }
        assert_eq!(steps, 2);
        assert_eq!(ws.document(id).unwrap().body(), "Body\n");
    }

    #[test]
    fn typing_into_a_field_is_one_undo_step_per_run_and_field() {
        let (_t, mut ws) = workspace();
        let id = "content/sessions/ai-1.md";
        let t0 = Instant::now();
        for (i, v) in ["A ", "A T", "A TE", "A TES", "A TEST"].iter().enumerate() {
            ws.set_field_at(
                id,
                "title",
                Some(v),
                Some(t0 + Duration::from_millis(150 * i as u64)),
            )
            .unwrap();
        }
        assert_eq!(
            ws.document(id).unwrap().text(),
            "---\ntitle: \"A TEST\"\n---\nBody\n"
        );
        // Another field right after starts its own step; so does the body.
        ws.set_field_at(
            id,
            "presenters",
            Some("Ann"),
            Some(t0 + Duration::from_millis(800)),
        )
        .unwrap();
        typed(&mut ws, t0 + Duration::from_millis(900));
        assert!(ws.undo(id).unwrap());
        assert!(ws.document(id).unwrap().text().contains("Ann"));
        assert_eq!(ws.document(id).unwrap().body(), "Body\n");
        assert!(ws.undo(id).unwrap());
        assert!(!ws.document(id).unwrap().text().contains("presenters"));
        assert!(ws.undo(id).unwrap());
        assert_eq!(
            ws.document(id).unwrap().text(),
            "---\ntitle: \"A\"\n---\nBody\n"
        );
        assert!(!ws.undo(id).unwrap());
        // A pause in typing starts another step.
        ws.set_field_at(id, "title", Some("AB"), Some(t0 + Duration::from_secs(10)))
            .unwrap();
        ws.set_field_at(id, "title", Some("ABC"), Some(t0 + Duration::from_secs(12)))
            .unwrap();
        assert!(ws.undo(id).unwrap());
        assert_eq!(
            ws.document(id).unwrap().text(),
            "---\ntitle: \"AB\"\n---\nBody\n"
        );
    }

    #[test]
    fn a_committed_field_edit_ends_the_typing_run() {
        let (_t, mut ws) = workspace();
        let id = "content/sessions/ai-1.md";
        let t0 = Instant::now();
        ws.set_field_at(id, "title", Some("AB"), Some(t0)).unwrap();
        ws.set_field(id, "title", Some("AB!")).unwrap();
        ws.set_field_at(
            id,
            "title",
            Some("AB!C"),
            Some(t0 + Duration::from_millis(100)),
        )
        .unwrap();
        let mut steps = 0;
        while ws.undo(id).unwrap() {
            steps += 1;
        }
        assert_eq!(steps, 3);
    }

    #[test]
    fn saving_a_session_saves_the_twins_its_edit_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let sessions = tmp.path().join("content/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        std::fs::write(
            tmp.path().join("hugo.toml"),
            "title = \"T\"\ndefaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.zh]\nweight = 2\n",
        )
        .unwrap();
        let en = "---\ntitle: \"A\"\ndate: \"2030-05-01T10:00:00\"\n---\nBody\n";
        let zh = "---\ntitle: \"甲\"\ndate: \"2030-05-01T10:00:00\"\n---\n正文\n";
        std::fs::write(sessions.join("ai-1.md"), en).unwrap();
        std::fs::write(sessions.join("ai-1.zh.md"), zh).unwrap();
        std::fs::write(sessions.join("ai-2.md"), en).unwrap();
        let mut ws = Workspace::open(tmp.path()).unwrap();
        let (id, twin, other) = (
            "content/sessions/ai-1.md",
            "content/sessions/ai-1.zh.md",
            "content/sessions/ai-2.md",
        );
        // The date is copied to the twin by the schema's sync rule.
        let changed = ws
            .set_field(id, "date", Some("2030-05-02T10:00:00"))
            .unwrap();
        assert_eq!(changed, [id, twin]);
        ws.set_field(other, "title", Some("B")).unwrap();
        let saved = ws.save_session(id);
        let ids: Vec<&str> = saved
            .iter()
            .map(|(i, r)| {
                assert!(r.is_ok(), "{i}: {r:?}");
                i.as_str()
            })
            .collect();
        assert_eq!(ids, [id, twin]);
        assert_eq!(
            std::fs::read_to_string(sessions.join("ai-1.md")).unwrap(),
            en.replace("05-01", "05-02")
        );
        assert_eq!(
            std::fs::read_to_string(sessions.join("ai-1.zh.md")).unwrap(),
            zh.replace("05-01", "05-02")
        );
        assert!(!ws.is_modified(id) && !ws.is_modified(twin));
        assert!(ws.is_modified(other), "another session is not saved");
        assert_eq!(
            std::fs::read_to_string(sessions.join("ai-2.md")).unwrap(),
            en
        );
    }

    #[test]
    fn a_failed_save_of_the_session_writes_none_of_its_twins() {
        let tmp = tempfile::tempdir().unwrap();
        let sessions = tmp.path().join("content/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        std::fs::write(
            tmp.path().join("hugo.toml"),
            "title = \"T\"\ndefaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.zh]\nweight = 2\n",
        )
        .unwrap();
        let en = "---\ntitle: \"A\"\ndate: \"2030-05-01T10:00:00\"\n---\nBody\n";
        let zh = "---\ntitle: \"甲\"\ndate: \"2030-05-01T10:00:00\"\n---\n正文\n";
        std::fs::write(sessions.join("ai-1.md"), en).unwrap();
        std::fs::write(sessions.join("ai-1.zh.md"), zh).unwrap();
        let mut ws = Workspace::open(tmp.path()).unwrap();
        let id = "content/sessions/ai-1.md";
        ws.set_field(id, "date", Some("2030-05-02T10:00:00"))
            .unwrap();
        // Someone else changed the English file meanwhile: a conflict.
        std::fs::write(sessions.join("ai-1.md"), en.replace("Body", "Theirs")).unwrap();
        let saved = ws.save_session(id);
        assert_eq!(saved.len(), 1);
        assert!(
            matches!(saved[0].1, Err(Error::Conflict { .. })),
            "{:?}",
            saved[0].1
        );
        assert_eq!(
            std::fs::read_to_string(sessions.join("ai-1.zh.md")).unwrap(),
            zh
        );
        assert!(ws.is_modified("content/sessions/ai-1.zh.md"));
    }

    #[test]
    fn another_kind_of_edit_ends_the_typing_run() {
        let (_t, mut ws) = workspace();
        let id = "content/sessions/ai-1.md";
        let t0 = Instant::now();
        typed(&mut ws, t0);
        ws.set_field(id, "title", Some("B")).unwrap();
        typed(&mut ws, t0 + Duration::from_millis(100));
        assert!(ws.undo(id).unwrap());
        assert_eq!(ws.document(id).unwrap().body(), "Bodyx\n");
        assert!(ws.undo(id).unwrap());
        assert!(ws.undo(id).unwrap());
        assert_eq!(
            ws.document(id).unwrap().text(),
            "---\ntitle: \"A\"\n---\nBody\n"
        );
    }

    #[test]
    fn a_row_carries_its_twins_titles_and_presenters_for_the_filter() {
        let (tmp, _) = workspace();
        std::fs::write(
            tmp.path().join("content/sessions/ai-1.zh.md"),
            "---\ntitle: \"大规模网关\"\npresenters: \"郭奇\"\n---\n正文\n",
        )
        .unwrap();
        std::fs::write(
            tmp.path().join("hugo.toml"),
            "title = \"T\"\ndefaultContentLanguage = \"en\"\n[languages.en]\n[languages.zh]\n",
        )
        .unwrap();
        let mut ws = Workspace::open(tmp.path()).unwrap();
        let rows = ws.summaries();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].title, "A");
        assert_eq!(rows[0].twin_text, "大规模网关\n郭奇");
    }
}
