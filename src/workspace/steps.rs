//! Edits that touch several files as one step: moving a session in the
//! schedule grid sets `date` and `room` in the session and every twin (the
//! date copied, the room translated), and undoing the move must put all of
//! those files back together, not one field of one file.
//!
//! Each file of a step gets exactly one undo entry. A [`Step`] records, per
//! file, the hash of its text before and after; [`Workspace::undo_step`]
//! undoes the step only when every file still holds the step's result and
//! its last undo entry is the step's starting point, so an edit made since
//! is never thrown away silently: it is refused with a message instead.

use super::Workspace;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::fs::{content_hash, hex};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A multi-file edit, as returned by [`Workspace::set_fields`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Step {
    /// What the step did, for an Undo button ("Move ai-1204512").
    pub label: String,
    /// The files it changed.
    pub files: Vec<StepFile>,
}

/// One file of a [`Step`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StepFile {
    /// The session id.
    pub id: String,
    /// SHA-256 (hex) of the text before the step.
    pub before: String,
    /// SHA-256 (hex) of the text after the step.
    pub after: String,
}

impl Step {
    /// The ids of the files the step changed.
    pub fn ids(&self) -> Vec<String> {
        self.files.iter().map(|f| f.id.clone()).collect()
    }
}

fn text_hash(text: &str) -> String {
    hex(&content_hash(text.as_bytes()))
}

impl Workspace {
    /// Set (or with `None`, remove) several front-matter fields of a session
    /// and carry each to the twins per its sync rule, as one step: every
    /// file changed gets one undo entry. Nothing changes when any edit fails.
    pub fn set_fields(
        &mut self,
        id: &str,
        edits: &[(&str, Option<&str>)],
        label: &str,
    ) -> Result<Step> {
        let lang = self.session(id)?.file.lang.clone();
        let mut staged: BTreeMap<String, Document> = BTreeMap::new();
        let twins = self.twins_of(id);
        for (key, value) in edits {
            let cur = staged
                .get(id)
                .cloned()
                .map_or_else(|| self.document(id).cloned(), Ok)?;
            let new = match value {
                Some(v) => cur.set(key, v)?,
                None => cur.unset(key)?,
            };
            staged.insert(id.to_string(), new);
            for twin in &twins {
                let Ok(tdoc) = staged
                    .get(twin)
                    .cloned()
                    .map_or_else(|| self.document(twin).cloned(), Ok)
                else {
                    continue;
                };
                let tlang = self.session(twin)?.file.lang.clone();
                let next = match value {
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
                staged.insert(twin.clone(), next);
            }
        }
        let mut step = Step {
            label: label.to_string(),
            files: Vec::new(),
        };
        // Site order (the session first), so undo messages name files predictably.
        let order: Vec<String> = self.twins(id).into_iter().map(|t| t.id).collect();
        for tid in order {
            let Some(doc) = staged.remove(&tid) else {
                continue;
            };
            let before = self.document(&tid)?.text().to_string();
            if before == doc.text() {
                continue;
            }
            let after = text_hash(doc.text());
            self.put(&tid, doc, true)?;
            step.files.push(StepFile {
                id: tid,
                before: text_hash(&before),
                after,
            });
        }
        Ok(step)
    }

    /// Move a session to a start time and a room (named in the site's
    /// default language), in every twin: `date` is written the way the file
    /// already writes it, `room` is translated for each twin. One step.
    /// A session whose time comes from a programme data file
    /// (`[schedule.data]`) is refused: writing `date` into it would take
    /// precedence over the data file and leave the two disagreeing, and
    /// moves do not yet edit the data file.
    pub fn move_session(&mut self, id: &str, at: NaiveDateTime, room: &str) -> Result<Step> {
        let roles = self.site.config.roles();
        let stem = self.session(id)?.file.stem.clone();
        let loaded = self.session(id)?;
        let own_date = loaded
            .doc
            .as_ref()
            .and_then(|d| d.get(&roles.start))
            .is_some_and(|v| !v.trim().is_empty());
        if !own_date {
            if let Some(slot) = self.site.data_slot(&loaded.file) {
                return Err(Error::Invalid(format!(
                    "{stem}: its time is kept in {} (line {}); change it there, since Lectern does not yet move sessions in a programme data file",
                    slot.file, slot.line
                )));
            }
        }
        // Edit from the default-language file when there is one: the room is named in its language.
        let twins = self.twins(id);
        let (src, lang) = twins
            .iter()
            .find(|t| t.lang == self.site.default_lang)
            .or(twins.first())
            .map(|t| (t.id.clone(), t.lang.clone()))
            .ok_or_else(|| Error::no_session(id))?;
        let room = room.trim();
        if room.is_empty() {
            return Err(Error::Invalid(format!(
                "{stem}: choose a room to move the session to"
            )));
        }
        let room_here = if lang == self.site.default_lang {
            room.to_string()
        } else {
            self.site
                .schema
                .twin_value(&roles.room, room, &self.site.default_lang, &lang)
                .unwrap_or_else(|| room.to_string())
        };
        // Fields by role (`time_start`, `time_end` on a Europe-shaped site),
        // each written the way the file already writes it; an end field
        // moves with the start, keeping the session's length.
        let doc = self.document(&src)?;
        let date = crate::batch::schedule_sheet::format_like(doc.get(&roles.start).as_deref(), at);
        let end_value = crate::batch::schedule_sheet::moved_end(doc, &roles, at);
        let mut edits: Vec<(&str, Option<&str>)> = vec![
            (roles.start.as_str(), Some(date.as_str())),
            (roles.room.as_str(), Some(room_here.as_str())),
        ];
        if let Some((field, v)) = &end_value {
            edits.push((field.as_str(), Some(v.as_str())));
        }
        self.set_fields(&src, &edits, &format!("Move {stem}"))
    }

    /// Undo a step: every file goes back to its text before the step.
    /// Refused, changing nothing, when a file was edited since.
    pub fn undo_step(&mut self, step: &Step) -> Result<()> {
        for f in &step.files {
            let now = text_hash(self.document(&f.id)?.text());
            let prev = self
                .history
                .get(&f.id)
                .and_then(|h| h.undo.last())
                .map(|t| text_hash(t));
            if now != f.after || prev.as_deref() != Some(f.before.as_str()) {
                return Err(Error::Invalid(format!(
                    "{}: edited after \"{}\"; undo those edits in the editor first",
                    f.id, step.label
                )));
            }
        }
        for f in &step.files {
            self.undo(&f.id)?;
        }
        Ok(())
    }

    /// Redo an undone step. Refused, changing nothing, when a file was edited since the undo.
    pub fn redo_step(&mut self, step: &Step) -> Result<()> {
        for f in &step.files {
            let now = text_hash(self.document(&f.id)?.text());
            let next = self
                .history
                .get(&f.id)
                .and_then(|h| h.redo.last())
                .map(|t| text_hash(t));
            if now != f.before || next.as_deref() != Some(f.after.as_str()) {
                return Err(Error::Invalid(format!(
                    "{}: edited after undoing \"{}\"; it cannot be redone",
                    f.id, step.label
                )));
            }
        }
        for f in &step.files {
            self.redo(&f.id)?;
        }
        Ok(())
    }

    /// The schedule grid of the site as it is in memory.
    pub fn schedule(&self) -> crate::schedule::Schedule {
        crate::schedule::build(&self.site, &self.loaded)
    }
}
