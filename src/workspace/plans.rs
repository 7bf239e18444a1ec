//! Plans applied to a site that is open in a [`Workspace`] (the desktop
//! app), so that a batch operation and the editor never fight:
//!
//! - A plan is computed from the files on disk. A file with unsaved edits in
//!   the workspace differs from its disk bytes, and applying the plan would
//!   write the plan's version over those edits (once saved) or leave the
//!   editor showing stale text. So [`Workspace::apply_plan`] refuses, and
//!   writes nothing, when the plan touches such a file: save or drop the
//!   edits, then plan again ([`Workspace::unsaved_in_plan`] says which files
//!   in advance).
//! - After writing (or undoing), every session file the plan touched is
//!   reloaded from disk, through [`Workspace::disk_changed_many`], with the new
//!   bytes as its base. The file watcher then sees files that already match
//!   the workspace and reports nothing: no false "changed on disk" conflict.
//! - Plans that move or write other site files (track pages) make the
//!   workspace re-read the site's configuration, so the track list is current.
//! - [`Workspace::restore_journal`] brings back a journal entry (a session
//!   withdrawn in an earlier run) the same way.

use super::{DiskEvent, Workspace};
use crate::batch::plan::slash;
use crate::batch::{Applied, Plan};
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::path::Path;

impl Workspace {
    /// The session files (ids) a plan touches that have unsaved edits here.
    pub fn unsaved_in_plan(&self, plan: &Plan) -> Vec<String> {
        let touched: BTreeSet<String> = plan
            .ops
            .iter()
            .flat_map(|o| o.touched())
            .map(slash)
            .collect();
        self.modified_ids()
            .into_iter()
            .filter(|id| touched.contains(id))
            .collect()
    }

    fn check_plan(&self, plan: &Plan, doing: &str) -> Result<()> {
        if plan.root != self.site().root {
            return Err(Error::Invalid(format!(
                "{doing}: the plan is for {}, not the open site; plan again",
                plan.root.display()
            )));
        }
        let unsaved = self.unsaved_in_plan(plan);
        if !unsaved.is_empty() {
            return Err(Error::Invalid(format!(
                "{doing}: {} file{} it changes {} unsaved edits ({}); nothing was written. Save them (Save All) or undo them, then plan again",
                unsaved.len(),
                if unsaved.len() == 1 { "" } else { "s" },
                if unsaved.len() == 1 { "has" } else { "have" },
                unsaved.join(", ")
            )));
        }
        Ok(())
    }

    /// Apply a plan to the open site (see the module documentation):
    /// refuses when a file it touches has unsaved edits, then writes it
    /// with [`crate::batch::apply`] and reloads the files it touched.
    pub fn apply_plan(&mut self, plan: &Plan) -> Result<Applied> {
        self.check_plan(plan, &plan.title)?;
        let applied = crate::batch::apply(plan)?;
        self.reload_touched(plan)?;
        Ok(applied)
    }

    /// Undo a plan applied with [`Workspace::apply_plan`], as one step:
    /// refuses when a file it touched has unsaved edits here or changed on
    /// disk since (nothing is written then), else puts every file back and
    /// reloads them.
    pub fn undo_plan(&mut self, applied: &Applied) -> Result<()> {
        self.check_plan(&applied.plan, &format!("Undo {}", applied.plan.title))?;
        applied.undo()?;
        self.reload_touched(&applied.plan)
    }

    /// Restore an entry of the site's journal (`.lectern/trash/`, see
    /// [`crate::batch::journal`]): a withdrawn session from an earlier run, say.
    /// Refuses like [`Workspace::apply_plan`]; marks the entry restored and
    /// reloads the files. Returns the plan that was applied.
    pub fn restore_journal(&mut self, id: &str) -> Result<Plan> {
        let root = self.site().root.clone();
        let plan = crate::batch::journal::restore_plan(&root, id)?;
        self.check_plan(&plan, &plan.title)?;
        let plan = crate::batch::journal::restore(&root, id)?;
        self.reload_touched(&plan)?;
        Ok(plan)
    }

    /// Reload every session file `plan` touched (in parallel); re-read the
    /// site's configuration when it touched other site files.
    fn reload_touched(&mut self, plan: &Plan) -> Result<()> {
        let root = self.site().root.clone();
        let sessions_dir = self.site().sessions_dir.clone();
        let mut config_touched = false;
        let mut paths = Vec::new();
        for op in plan.site_ops() {
            for p in op.touched() {
                let abs = root.join(p);
                if abs.starts_with(&sessions_dir) && is_markdown(p) {
                    paths.push(abs);
                } else {
                    config_touched = true;
                }
            }
        }
        for event in self.disk_changed_many(&paths) {
            // Touched files are clean (checked before writing): reloaded, added
            // or dropped, never a conflict.
            if let DiskEvent::Conflict { id, .. } = event? {
                return Err(Error::Invalid(format!("{id}: has unsaved edits and was changed by the plan; compare and choose in the conflict dialog")));
            }
        }
        if config_touched {
            self.refresh_site()?;
        }
        Ok(())
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "md")
}
