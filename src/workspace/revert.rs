//! Reverting a pending change from the Changes view: a whole file, or one
//! hunk of it.
//!
//! A revert is a one-operation batch [`Plan`]: applying it checks that the
//! file still holds exactly the bytes that were reviewed, writes atomically
//! and journals the old bytes under `.lectern/trash/` (so `lectern restore`
//! can bring the change back in a later run). The open workspace follows:
//! an edited session first gets the reverted text in memory, so Undo brings
//! the change back, and then takes the written bytes as its new base, so the
//! disk watcher sees nothing to reload. Files with unsaved edits are refused:
//! the diff shows saved bytes, and mixing the two would lose one of them.

use super::Workspace;
use crate::batch::{apply, FileOp, Plan};
use crate::error::{Error, Result};
use crate::export::{fingerprint, normalise, revert_hunk, ChangeKind};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What a revert did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reverted {
    /// The change path that was reverted, as the review lists it.
    pub path: PathBuf,
    /// Session ids whose document was rewritten, added or dropped.
    pub sessions: Vec<String>,
    /// The journal entry holding the bytes the revert replaced.
    pub journal: Option<PathBuf>,
}

impl Workspace {
    /// Revert the pending change at `path` (a change path, as
    /// [`Workspace::pending_changes`] lists it): the hunk numbered `hunk`
    /// (as [`crate::export::hunks`] numbers them), or with `None` the whole file (a
    /// created file is removed, a deleted one restored, a moved one moved
    /// back). `fingerprint` is the [`crate::export::ReviewFile::fingerprint`] the
    /// person saw; a change that is no longer exactly that is refused.
    pub fn revert_change(
        &mut self,
        path: &Path,
        hunk: Option<usize>,
        fingerprint_seen: &str,
    ) -> Result<Reverted> {
        let pending = self.pending_changes()?;
        let wanted = normalise(&pending.changes.root, path);
        let shown = crate::export::slash_path(&wanted);
        let change = pending
            .changes
            .changes
            .iter()
            .find(|c| c.path == wanted)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{shown} has no pending change (any more); look at the changes again"
                ))
            })?;
        if fingerprint(change) != fingerprint_seen {
            return Err(Error::Invalid(format!(
                "{shown} changed since it was shown; look at it again before reverting"
            )));
        }
        let rel = |p: &Path| {
            pending.site_id(p).map(PathBuf::from).ok_or_else(|| {
                Error::Invalid(format!(
                    "{} is outside the site; revert it with git",
                    crate::export::slash_path(p)
                ))
            })
        };
        let op = match (
            hunk,
            &change.kind,
            change.before.clone(),
            change.after.clone(),
        ) {
            (Some(i), ChangeKind::Changed | ChangeKind::Moved { .. }, Some(_), Some(after)) => {
                FileOp::Change {
                    path: rel(&change.path)?,
                    before: after,
                    after: revert_hunk(change, i)?,
                }
            }
            (Some(_), ChangeKind::Created | ChangeKind::Deleted, _, _) => {
                let how = if change.kind == ChangeKind::Created {
                    "created"
                } else {
                    "deleted"
                };
                return Err(Error::Invalid(format!(
                    "{shown} was {how} as a whole; revert the whole file"
                )));
            }
            (None, ChangeKind::Created, _, Some(after)) => FileOp::Delete {
                path: rel(&change.path)?,
                before: after,
            },
            (None, ChangeKind::Deleted, Some(before), _) => FileOp::Create {
                path: rel(&change.path)?,
                after: before,
            },
            (None, ChangeKind::Changed, Some(before), Some(after)) => FileOp::Change {
                path: rel(&change.path)?,
                before: after,
                after: before,
            },
            (None, ChangeKind::Moved { from }, Some(before), Some(after)) => FileOp::Move {
                from: rel(&change.path)?,
                to: rel(from)?,
                before: after,
                after: before,
            },
            _ => return Err(Error::Invalid(format!("{shown}: nothing to revert"))),
        };

        let ids: Vec<String> = op
            .touched()
            .iter()
            .map(|p| crate::export::slash_path(p))
            .collect();
        if let Some(id) = ids.iter().find(|id| self.is_modified(id)) {
            return Err(Error::Invalid(format!(
                "{id} has unsaved edits; save them (or undo them) before reverting, so the diff shows what you have"
            )));
        }
        // An edited session takes the reverted text in memory first, so
        // that Undo can bring the change back.
        let mut staged = Vec::new();
        if let FileOp::Change { path, after, .. } = &op {
            let id = crate::export::slash_path(path);
            if self.document(&id).is_ok() {
                let text = String::from_utf8(after.clone()).map_err(|_| {
                    Error::Invalid(format!(
                        "{id}: the reverted bytes are not UTF-8; revert it with git"
                    ))
                })?;
                self.set_text(&id, &text)?;
                staged.push(id);
            }
        }
        let title = match hunk {
            Some(i) => format!("Revert hunk {} of {shown}", i + 1),
            None => format!("Revert {shown}"),
        };
        let root = self.site().root.clone();
        let mut plan = Plan::new(title, &root);
        plan.ops.push(op);
        let applied = match apply(&plan) {
            Ok(a) => a,
            Err(e) => {
                for id in &staged {
                    let _ = self.undo(id);
                }
                return Err(e);
            }
        };
        let mut sessions = Vec::new();
        for id in ids {
            let event = self.disk_changed(&root.join(&id))?;
            if event != crate::workspace::DiskEvent::Unchanged {
                sessions.push(id);
            }
        }
        Ok(Reverted {
            path: wanted,
            sessions,
            journal: applied.journal,
        })
    }
}
