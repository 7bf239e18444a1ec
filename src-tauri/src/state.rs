//! What the shell remembers between commands: the open site and every
//! session document in memory (edited ones included, until saved).
//!
//! One mutex around the whole open site: commands are short and the UI
//! issues them one at a time per user action, so finer locking would buy
//! nothing but ordering bugs. Sessions are addressed by id, which is the
//! path relative to the site root (`content/sessions/ai-1026.md`); the UI
//! never sends a file-system path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use lectern::document::Document;
use lectern::site::Site;
use lectern::validate::{self, Loaded, Report};
use lectern::Diagnostic;

use crate::dto::{SessionView, SiteSummary};
use crate::error::{ErrorKind, IpcError, IpcResult};

/// The site the window is showing, with its sessions loaded.
#[derive(Debug)]
pub struct OpenSite {
    /// The discovered site.
    pub site: Site,
    /// Every session file, in the site's order, with its document.
    pub loaded: Vec<Loaded>,
    /// Findings from loading (files that could not be read).
    load_problems: Vec<Diagnostic>,
    /// Session id → position in `loaded`.
    index: HashMap<String, usize>,
}

impl OpenSite {
    /// Discover the site containing `path` and load every session file.
    pub fn open(path: &Path) -> lectern::Result<OpenSite> {
        let site = Site::discover(path)?;
        let (loaded, load_problems) = validate::load_all(&site, &|| {});
        let index = loaded.iter().enumerate().map(|(i, l)| (l.file.rel.clone(), i)).collect();
        Ok(OpenSite { site, loaded, load_problems, index })
    }

    /// The session with this id.
    pub fn session(&self, id: &str) -> IpcResult<&Loaded> {
        self.index
            .get(id)
            .and_then(|&i| self.loaded.get(i))
            .ok_or_else(|| IpcError::new(ErrorKind::NotFound, format!("{id}: no such session in this site; reload the site")))
    }

    /// The document of a session that could be read.
    pub fn document(&self, id: &str) -> IpcResult<&Document> {
        self.session(id)?.doc.as_ref().ok_or_else(|| {
            IpcError::new(ErrorKind::Content, format!("{id}: could not be read; see Problems for why"))
        })
    }

    /// Replace a session's document (after an edit or a save).
    pub fn put(&mut self, id: &str, doc: Document) -> IpcResult<()> {
        let i = *self.index.get(id).ok_or_else(|| IpcError::new(ErrorKind::NotFound, format!("{id}: no such session")))?;
        self.loaded[i].doc = Some(doc);
        Ok(())
    }

    /// What the UI shows about this site.
    pub fn summary(&self) -> SiteSummary {
        SiteSummary::new(&self.site, self.loaded.len())
    }

    /// The editor's view of a session.
    pub fn view(&self, id: &str) -> IpcResult<SessionView> {
        let loaded = self.session(id)?;
        Ok(SessionView::new(&self.site, loaded, self.document(id)?))
    }

    /// Ids of the sessions edited in memory and not saved.
    pub fn modified_ids(&self) -> Vec<String> {
        self.loaded
            .iter()
            .filter(|l| l.doc.as_ref().is_some_and(|d| d.is_modified()))
            .map(|l| l.file.rel.clone())
            .collect()
    }

    /// Validate the site as it is in memory (unsaved edits included).
    pub fn check(&self) -> Report {
        validate::check_loaded(&self.site, &self.loaded, self.load_problems.clone())
    }
}

/// Managed Tauri state.
#[derive(Debug, Default)]
pub struct AppState {
    site: Mutex<Option<OpenSite>>,
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
    pub fn set_site(&self, site: OpenSite) {
        *lock(&self.site) = Some(site);
        *lock(&self.startup_error) = None;
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
    pub fn with_site<T>(&self, f: impl FnOnce(&mut OpenSite) -> IpcResult<T>) -> IpcResult<T> {
        match lock(&self.site).as_mut() {
            Some(site) => f(site),
            None => Err(IpcError::no_site()),
        }
    }

    /// Run `f` on the open site if there is one.
    pub fn if_site<T>(&self, f: impl FnOnce(&OpenSite) -> T) -> Option<T> {
        lock(&self.site).as_ref().map(f)
    }

    /// Root of the open site, if any.
    pub fn root(&self) -> Option<PathBuf> {
        self.if_site(|s| s.site.root.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mini_site() -> (tempfile::TempDir, PathBuf) {
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
    fn opening_a_file_inside_a_site_loads_every_session_by_id() {
        let (_tmp, root) = mini_site();
        let open = OpenSite::open(&root.join("content/sessions")).unwrap();
        assert_eq!(open.site.root, std::fs::canonicalize(&root).unwrap());
        let ids: Vec<&str> = open.loaded.iter().map(|l| l.file.rel.as_str()).collect();
        assert!(ids.contains(&"content/sessions/db-101.md"), "{ids:?}");
        assert!(open.document("content/sessions/db-101.md").is_ok());
        assert_eq!(open.document("../etc/passwd").unwrap_err().kind, ErrorKind::NotFound);
    }

    #[test]
    fn edits_stay_in_memory_until_put_back() {
        let (_tmp, root) = mini_site();
        let mut open = OpenSite::open(&root).unwrap();
        let id = "content/sessions/db-101.md";
        let edited = open.document(id).unwrap().set("room", "Side Room").unwrap();
        open.put(id, edited).unwrap();
        assert!(open.document(id).unwrap().is_modified());
        assert_eq!(open.document(id).unwrap().get("room").as_deref(), Some("Side Room"));
    }
}
