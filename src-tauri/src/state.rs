//! What the shell remembers between commands: the open site, if any.
//!
//! One mutex around the whole open site: commands are short and the UI
//! issues them one at a time per user action, so finer locking would buy
//! nothing but ordering bugs.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::dto::SiteSummary;
use crate::error::{IpcError, IpcResult};

/// The site the window is showing.
#[derive(Debug)]
pub struct OpenSite {
    /// Canonical path of the site root.
    pub root: PathBuf,
}

impl OpenSite {
    /// Display name: the root folder's name.
    pub fn name(&self) -> String {
        self.root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.root.to_string_lossy().into_owned())
    }

    /// What the UI shows about this site.
    pub fn summary(&self) -> SiteSummary {
        SiteSummary { root: self.root.to_string_lossy().into_owned(), name: self.name() }
    }
}

/// Managed Tauri state.
#[derive(Debug, Default)]
pub struct AppState {
    site: Mutex<Option<OpenSite>>,
    /// Why the site asked for at startup could not be opened, for the UI to show.
    startup_error: Mutex<Option<IpcError>>,
}

impl AppState {
    /// Lock the state. A panic in another command must not brick the app,
    /// so a poisoned lock is recovered rather than propagated.
    fn lock(&self) -> MutexGuard<'_, Option<OpenSite>> {
        self.site.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replace the open site.
    pub fn set_site(&self, site: OpenSite) {
        *self.lock() = Some(site);
        *self.startup_error.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Record why the startup site could not be opened.
    pub fn set_startup_error(&self, error: IpcError) {
        *self.startup_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
    }

    /// Why the startup site could not be opened, if it could not.
    pub fn startup_error(&self) -> Option<IpcError> {
        self.startup_error.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Run `f` on the open site, or fail with `no_site`.
    pub fn with_site<T>(&self, f: impl FnOnce(&mut OpenSite) -> IpcResult<T>) -> IpcResult<T> {
        match self.lock().as_mut() {
            Some(site) => f(site),
            None => Err(IpcError::no_site()),
        }
    }

    /// Run `f` on the open site if there is one.
    pub fn if_site<T>(&self, f: impl FnOnce(&OpenSite) -> T) -> Option<T> {
        self.lock().as_ref().map(f)
    }

    /// Root of the open site, if any.
    pub fn root(&self) -> Option<PathBuf> {
        self.if_site(|s| s.root.clone())
    }

    /// Whether `root` is the site already open.
    pub fn is_open(&self, root: &Path) -> bool {
        self.if_site(|s| s.root == root).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn commands_without_a_site_fail_with_no_site() {
        let state = AppState::default();
        let err = state.with_site(|_| Ok(())).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NoSite);
    }

    #[test]
    fn site_name_is_the_root_folder_name() {
        let state = AppState::default();
        state.set_site(OpenSite { root: PathBuf::from("/tmp/acasia-2022") });
        assert_eq!(state.with_site(|s| Ok(s.name())).unwrap(), "acasia-2022");
        assert!(state.is_open(Path::new("/tmp/acasia-2022")));
    }
}
