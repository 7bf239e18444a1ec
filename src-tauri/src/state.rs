//! What the shell remembers between commands: the open site, as the core's
//! [`Workspace`] (every session document in memory, edits, twins, undo).
//!
//! One mutex around the whole workspace: commands are short and the UI
//! issues them one at a time per user action, so finer locking would buy
//! nothing but ordering bugs. Sessions are addressed by id, the path
//! relative to the site root; the UI never sends a file-system path.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use lectern::workspace::Workspace;

use crate::dto::{Edited, SessionView, SiteSummary};
use crate::error::{IpcError, IpcResult};
use lectern::workspace::SessionSummary;

/// Managed Tauri state.
#[derive(Debug, Default)]
pub struct AppState {
    workspace: Mutex<Option<Workspace>>,
    /// Crash-recovery drafts of the open site.
    autosave: Mutex<crate::recovery::Autosave>,
    /// Why the site asked for at startup could not be opened, for the UI to show.
    startup_error: Mutex<Option<IpcError>>,
}

/// Lock a mutex. A panic in another command must not brick the app, so a
/// poisoned lock is recovered rather than propagated.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    /// Replace the open site.
    pub fn set_workspace(&self, ws: Workspace) {
        let old = lock(&self.workspace).replace(ws);
        *lock(&self.startup_error) = None;
        // Freeing 10,000 documents takes a while; the window need not wait.
        if let Some(old) = old {
            std::thread::spawn(move || {
                drop(old);
                release_free_memory();
            });
        }
    }

    /// Open the site containing `path`, keeping the open site's documents
    /// whose files did not change (a reload parses only what changed).
    pub fn open_reusing(&self, path: &std::path::Path) -> lectern::Result<Workspace> {
        match lock(&self.workspace).as_ref() {
            Some(previous) => Workspace::reopen(path, previous),
            None => Workspace::open(path),
        }
    }

    /// After opening a site: pick up what the last run left unsaved for it,
    /// and start comparing drafts from a clean slate (so nothing is cleared
    /// before the person answers).
    pub fn take_recovery(&self, root: &std::path::Path) {
        let mut a = lock(&self.autosave);
        if a.store.is_none() {
            a.store = lectern::recovery::RecoveryStore::default_store();
        }
        a.pending = a.store.as_ref().and_then(|s| s.load(root));
        a.last = Some(
            a.pending
                .as_ref()
                .map(|p| p.drafts.clone())
                .unwrap_or_default(),
        );
    }

    /// What the last run left unsaved for the open site, if not answered yet.
    pub fn recovery_offer(&self) -> Option<crate::recovery::RecoveryOffer> {
        lock(&self.autosave).pending.as_ref().map(Into::into)
    }

    /// Answer the offer: restore the drafts into the open site, or drop them.
    pub fn answer_recovery(
        &self,
        restore: bool,
    ) -> IpcResult<Option<crate::recovery::RestoreResult>> {
        let pending = lock(&self.autosave).pending.take();
        let Some(recovered) = pending else {
            return Ok(None);
        };
        if restore {
            self.with_site(|ws| Ok(Some(ws.restore(&recovered).into())))
        } else {
            let a = lock(&self.autosave);
            if let Some(store) = a.store.as_ref() {
                store.clear(&recovered.site)?;
            }
            Ok(None)
        }
    }

    /// Write the open site's drafts if they changed since the last write;
    /// no drafts left clears the store's file.
    pub fn autosave(&self) -> lectern::Result<()> {
        let (root, drafts) = {
            let guard = lock(&self.workspace);
            let Some(ws) = guard.as_ref() else {
                return Ok(());
            };
            (ws.site().root.clone(), ws.drafts())
        };
        let mut a = lock(&self.autosave);
        if a.last.as_ref() == Some(&drafts) || a.last.is_none() {
            return Ok(());
        }
        if let Some(store) = a.store.as_ref() {
            store.save(&root, drafts.clone())?;
        }
        a.last = Some(drafts);
        Ok(())
    }

    /// Record why the startup site could not be opened.
    pub fn set_startup_error(&self, error: IpcError) {
        *lock(&self.startup_error) = Some(error);
    }

    /// Why the startup site could not be opened, if it could not.
    pub fn startup_error(&self) -> Option<IpcError> {
        lock(&self.startup_error).clone()
    }

    /// Run `f` on the open site, or fail with `no_site`.
    pub fn with_site<T>(&self, f: impl FnOnce(&mut Workspace) -> IpcResult<T>) -> IpcResult<T> {
        match lock(&self.workspace).as_mut() {
            Some(ws) => f(ws),
            None => Err(IpcError::no_site()),
        }
    }

    /// Run `f` on the open site if there is one.
    pub fn if_site<T>(&self, f: impl FnOnce(&Workspace) -> T) -> Option<T> {
        lock(&self.workspace).as_ref().map(f)
    }

    /// Root of the open site, if any.
    pub fn root(&self) -> Option<PathBuf> {
        self.if_site(|ws| ws.site().root.clone())
    }

    // Leaving with unsaved edits (issue 3: close and switch prompts).

    /// Close the open site, dropping its unsaved edits (the person chose Discard).
    pub fn close_site(&self) {
        *lock(&self.workspace) = None;
    }

    /// Forget the crash-recovery drafts of the site at `root` (the person
    /// discarded those edits, so they must not be offered again): the
    /// store's file, and the offer a reopening of that site (Reload →
    /// Discard) already picked up from it.
    pub fn forget_drafts(&self, root: &std::path::Path) {
        let mut a = lock(&self.autosave);
        if let Some(store) = a.store.as_ref() {
            if let Err(e) = store.clear(root) {
                eprintln!(
                    "lectern-desktop: could not clear the recovery drafts of {}: {e}",
                    root.display()
                );
            }
        }
        if a.pending.as_ref().is_some_and(|p| p.site == root) {
            a.pending = None;
            a.last = Some(Default::default());
        }
    }
}

/// Hand memory freed on the heap back to the OS. glibc keeps freed memory
/// for reuse (per thread), so after a large site is replaced, or a check
/// of 10,000 files ran on a copy, the app would keep the peak's size.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// What the UI shows about the open site.
pub fn summary(ws: &Workspace) -> SiteSummary {
    SiteSummary::new(ws.site(), ws.sessions().len())
}

/// The editor's view of a session.
pub fn view(ws: &Workspace, id: &str) -> IpcResult<SessionView> {
    Ok(SessionView::new(ws, id)?)
}

/// The list rows, one per session (twins together).
///
/// Problem counts are those of the last check: listing never waits for a
/// check of the whole site (`recheck_site` runs one and sends the rows
/// whose counts changed).
pub fn rows(ws: &mut Workspace) -> Vec<SessionSummary> {
    ws.summaries_as_checked()
}

/// The result of an edit of `id` that changed the files `changed`.
pub fn edited(ws: &mut Workspace, id: &str, changed: &[String]) -> IpcResult<Edited> {
    let stems: BTreeSet<String> = std::iter::once(id)
        .chain(changed.iter().map(String::as_str))
        .filter_map(|c| ws.session(c).ok().map(|l| l.file.stem.clone()))
        .collect();
    // Only the touched rows, with the last check's counts: re-checking the
    // whole site on every edit cost a second per keystroke on 10,000 files.
    let rows = ws.summaries_of(&stems);
    Ok(Edited {
        view: view(ws, id)?,
        rows,
    })
}

/// The answer to a one-click fix: what it did and the list rows of the
/// sessions it changed (with the last check's counts, as [`edited`]).
pub fn fixed(ws: &Workspace, out: lectern::workspace::FixOutcome) -> crate::dto_find::FixedDto {
    let stems: BTreeSet<String> = out
        .changed
        .iter()
        .filter_map(|c| ws.session(c).ok().map(|l| l.file.stem.clone()))
        .collect();
    crate::dto_find::FixedDto {
        rows: ws.summaries_of(&stems),
        outcome: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::path::Path;

    fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures/site");
        crate::opening::copy_tree_atomically(&fixture, &root).unwrap();
        (tmp, root)
    }

    #[test]
    fn commands_without_a_site_fail_with_no_site() {
        let state = AppState::default();
        let err = state.with_site(|_| Ok(())).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NoSite);
    }

    #[test]
    fn rows_group_twins_and_views_list_them_in_site_order() {
        let (_tmp, root) = fixture_copy();
        let mut ws = Workspace::open(&root.join("content/sessions")).unwrap();
        let rows = rows(&mut ws);
        let stems: Vec<&str> = rows.iter().map(|r| r.stem.as_str()).collect();
        assert_eq!(stems, ["ai-201", "db-101", "web-102", "web-103"]);
        let v = view(&ws, "content/sessions/db-101.zh.md").unwrap();
        let langs: Vec<&str> = v.twins.iter().map(|t| t.lang.as_str()).collect();
        assert_eq!(langs, ["en", "zh"]);
        assert_eq!(v.lang, "zh");
        assert!(v.preview_html.contains("Content-Security-Policy"));
    }

    #[test]
    fn an_edit_reports_the_rows_of_every_twin_it_changed() {
        let (_tmp, root) = fixture_copy();
        let mut ws = Workspace::open(&root).unwrap();
        let id = "content/sessions/db-101.md";
        let changed = ws.set_field(id, "room", Some("Side Room")).unwrap();
        let e = edited(&mut ws, id, &changed).unwrap();
        assert!(e.view.modified);
        assert_eq!(e.rows.len(), 1);
        assert_eq!(e.rows[0].stem, "db-101");
        assert!(e.rows[0].modified);
        // The translated room reached the Chinese twin.
        assert_eq!(
            ws.document("content/sessions/db-101.zh.md")
                .unwrap()
                .get("room")
                .as_deref(),
            Some("侧厅")
        );
    }

    #[test]
    fn a_fix_reports_the_rows_it_changed_and_leaves_the_file_on_disk_alone() {
        let (_tmp, root) = fixture_copy();
        let file = root.join("content/sessions/db-101.md");
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace("stype: \"English Session\"", "stype: \"英文演讲\"");
        std::fs::write(&file, &text).unwrap();
        let mut ws = Workspace::open(&root).unwrap();
        let out = ws.fix_rule("invalid-value").unwrap();
        let dto = fixed(&ws, out);
        assert_eq!(dto.outcome.applied, 1);
        assert_eq!(dto.outcome.changed, ["content/sessions/db-101.md"]);
        assert_eq!(dto.rows.len(), 1);
        assert_eq!(dto.rows[0].stem, "db-101");
        assert!(dto.rows[0].modified);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
        assert_eq!(
            ws.document("content/sessions/db-101.md")
                .unwrap()
                .get("stype")
                .as_deref(),
            Some("English Session")
        );
    }

    #[test]
    fn discarding_on_reload_forgets_the_drafts_and_the_offer_taken_from_them() {
        let (tmp, root) = fixture_copy();
        let state = AppState::default();
        let store = lectern::recovery::RecoveryStore::new(tmp.path().join("recovery"));
        lock(&state.autosave).store = Some(store.clone());
        state.set_workspace(Workspace::open(&root).unwrap());
        state.take_recovery(&root);
        state
            .with_site(|ws| {
                Ok(ws.set_field("content/sessions/db-101.md", "title", Some("Discard me"))?)
            })
            .unwrap();
        state.autosave().unwrap();
        assert!(store.load(&root).is_some(), "the edit is in the drafts");
        // Reload → Discard, as `opening::carry_out` does it: the site is
        // opened again (which picks up the drafts as an offer), then the
        // discarded drafts are forgotten.
        let ws = state.open_reusing(&root).unwrap();
        state.set_workspace(ws);
        state.take_recovery(&root);
        state.forget_drafts(&root);
        assert_eq!(
            state.recovery_offer(),
            None,
            "a discarded edit is not offered back"
        );
        assert!(store.load(&root).is_none());
        state.autosave().unwrap();
        assert!(
            store.load(&root).is_none(),
            "nothing to store after a discard"
        );
    }

    #[test]
    fn the_form_follows_the_schemas_display_order() {
        let (_tmp, root) = fixture_copy();
        let ws = Workspace::open(&root).unwrap();
        let v = view(&ws, "content/sessions/db-101.md").unwrap();
        let keys: Vec<&str> = v.form.iter().map(|f| f.key.as_str()).collect();
        let ordered: Vec<&str> = ws
            .site()
            .schema
            .ordered()
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(keys, ordered);
        assert_eq!(&keys[..4], ["title", "date", "track", "presenters"]);
    }
}
