//! Recent sites: the sites opened last, newest first, for File → Open Recent
//! and the welcome screen. Kept in `recent-sites.json` in the app config dir,
//! next to `last-site.json`. A site whose folder is gone stays in the list,
//! shown as missing, until the person removes it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};

/// File in the app config dir that holds the list.
pub const RECENT_FILE: &str = "recent-sites.json";
/// How many sites the list keeps.
pub const MAX_RECENT: usize = 10;

/// One remembered site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentSite {
    /// The site root.
    pub root: PathBuf,
    /// The site title when it was last opened (the folder may be gone since).
    pub name: String,
}

impl RecentSite {
    /// Whether the site's folder is gone (deleted, renamed or unmounted):
    /// shown as missing, and dropped by [`RecentSites::forget_missing`].
    pub fn is_missing(&self) -> bool {
        !self.root.is_dir()
    }
}

/// The list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentSites {
    /// Sites, newest first, each root once.
    pub sites: Vec<RecentSite>,
}

impl RecentSites {
    /// Put `root` first (moving it if present), keeping at most [`MAX_RECENT`].
    pub fn remember(&mut self, root: &Path, name: &str) {
        self.sites.retain(|s| s.root != root);
        self.sites.insert(
            0,
            RecentSite {
                root: root.to_path_buf(),
                name: name.to_string(),
            },
        );
        self.sites.truncate(MAX_RECENT);
    }

    /// Drop `root`; whether it was there.
    pub fn forget(&mut self, root: &Path) -> bool {
        let before = self.sites.len();
        self.sites.retain(|s| s.root != root);
        self.sites.len() != before
    }

    /// Drop every site whose folder is gone; how many were dropped.
    pub fn forget_missing(&mut self) -> usize {
        let before = self.sites.len();
        self.sites.retain(|s| !s.is_missing());
        before - self.sites.len()
    }

    /// Whether `root` is in the list.
    pub fn contains(&self, root: &Path) -> bool {
        self.sites.iter().any(|s| s.root == root)
    }

    /// Parse the file's text; anything unreadable is an empty list (the list
    /// is a convenience, never worth refusing to start over).
    pub fn parse(text: &str) -> RecentSites {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// Managed state: what runs with the new list after every change, that is
/// rebuilding File → Open Recent (`lib.rs` hands in `menu::refresh_recent`;
/// the menu depends on this module, never the other way round). Without it
/// (tests) the list is only stored.
pub struct OnChange<R: Runtime>(pub fn(&AppHandle<R>, &RecentSites) -> tauri::Result<()>);

fn file<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.path()
        .app_config_dir()
        .ok()
        .map(|d| d.join(RECENT_FILE))
}

/// The list as stored (empty when there is none).
pub fn load<R: Runtime>(app: &AppHandle<R>) -> RecentSites {
    file(app)
        .and_then(|f| std::fs::read_to_string(f).ok())
        .map(|t| RecentSites::parse(&t))
        .unwrap_or_default()
}

/// Store the list atomically.
pub fn store<R: Runtime>(app: &AppHandle<R>, list: &RecentSites) -> std::io::Result<()> {
    let path = file(app).ok_or_else(|| std::io::Error::other("no app config dir"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(list).map_err(std::io::Error::other)?;
    lectern::fs::write_atomic(&path, &json).map_err(std::io::Error::other)
}

/// Change the stored list with `f`, store it and rebuild the Open Recent menu.
pub fn update<R: Runtime, T>(
    app: &AppHandle<R>,
    f: impl FnOnce(&mut RecentSites) -> T,
) -> std::io::Result<T> {
    let mut list = load(app);
    let out = f(&mut list);
    store(app, &list)?;
    if let Some(on_change) = app.try_state::<OnChange<R>>() {
        if let Err(e) = (on_change.0)(app, &list) {
            eprintln!("lectern-desktop: could not update File → Open Recent: {e}");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_whose_folder_is_gone_is_missing_and_forgotten_on_request() {
        let tmp = tempfile::tempdir().unwrap();
        let gone = tmp.path().join("gone");
        let mut r = RecentSites::default();
        r.remember(&gone, "Gone");
        r.remember(tmp.path(), "Here");
        let missing: Vec<bool> = r.sites.iter().map(RecentSite::is_missing).collect();
        assert_eq!(missing, [false, true]);
        assert_eq!(r.forget_missing(), 1);
        assert_eq!(r.sites.len(), 1);
        assert_eq!(r.sites[0].root, tmp.path());
    }

    #[test]
    fn remembering_moves_a_site_to_the_front_and_keeps_ten() {
        let mut r = RecentSites::default();
        for i in 0..12 {
            r.remember(Path::new(&format!("/s/{i}")), &format!("Site {i}"));
        }
        assert_eq!(r.sites.len(), MAX_RECENT);
        assert_eq!(r.sites[0].root, Path::new("/s/11"));
        r.remember(Path::new("/s/5"), "Renamed");
        assert_eq!(
            r.sites[0],
            RecentSite {
                root: "/s/5".into(),
                name: "Renamed".into()
            }
        );
        assert_eq!(
            r.sites
                .iter()
                .filter(|s| s.root == Path::new("/s/5"))
                .count(),
            1
        );
    }

    #[test]
    fn missing_folders_stay_until_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let mut r = RecentSites::default();
        r.remember(&tmp.path().join("gone"), "Gone");
        r.remember(tmp.path(), "Here");
        assert!(r.contains(&tmp.path().join("gone")));
        assert_eq!(r.forget_missing(), 1);
        assert_eq!(r.sites.len(), 1);
        assert!(r.forget(tmp.path()));
        assert!(!r.forget(tmp.path()));
    }

    #[test]
    fn an_unreadable_file_is_an_empty_list() {
        assert_eq!(RecentSites::parse("{not json"), RecentSites::default());
        let r = RecentSites::parse(r#"{"sites":[{"root":"/a","name":"A"}]}"#);
        assert_eq!(r.sites[0].name, "A");
    }
}
