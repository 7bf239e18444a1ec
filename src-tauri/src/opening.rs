//! Which site to open and how: the command-line argument, else the site
//! opened last (remembered in the app config dir), else a fresh copy of the
//! bundled sample site in the app data dir. Also the "Open Site…" flow.
//!
//! Finding the site root and reading it is the core's job; this module only
//! decides *which path* to hand to the core and remembers the outcome.
//!
//! Replacing or leaving the open site asks [`crate::unsaved`] first, which
//! returns what to do (go ahead, wait for the UI, carry out after its
//! answer); this module carries it out.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::dialogs;
use crate::dto::SiteSummary;
use crate::error::{ErrorKind, IpcError, IpcResult};
use crate::state::{self, AppState};
use crate::unsaved::{self, LeaveAction, LeaveDecision, LeaveOutcome, Pending, Settled};
use crate::watcher::Watching;
use crate::window::{events, MAIN_WINDOW};

/// Name of the bundled sample site, both as a resource and in the data dir.
const SAMPLE_SITE: &str = "sample-site";
/// File in the app config dir that remembers the last site.
const LAST_SITE_FILE: &str = "last-site.json";

/// The first path argument, ignoring flags (WebKit and GTK may add their own).
pub fn path_argument(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    args.into_iter()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
}

/// What `last-site.json` holds.
#[derive(Debug, Serialize, Deserialize)]
struct LastSite {
    root: PathBuf,
}

/// The site to open at startup, and why it could not be chosen when it cannot.
pub fn startup_target<R: Runtime>(
    app: &AppHandle<R>,
    argument: Option<PathBuf>,
) -> IpcResult<Option<PathBuf>> {
    if let Some(path) = argument {
        return Ok(Some(path));
    }
    if let Some(last) = last_site(app) {
        if last.is_dir() {
            return Ok(Some(last));
        }
    }
    sample_site_copy(app)
}

/// Open the site containing `path`, make it current, remember it, retitle
/// the window and tell the UI.
pub fn open_path<R: Runtime>(app: &AppHandle<R>, path: &Path) -> IpcResult<SiteSummary> {
    let ws = app.state::<AppState>().open_reusing(path)?;
    let summary = state::summary(&ws);
    let root = ws.site().root.clone();
    let sessions_dir = ws.site().sessions_dir.clone();
    app.state::<Watching>().set(None);
    app.state::<AppState>().set_workspace(ws);
    app.state::<AppState>().take_recovery(&root);
    match crate::watcher::watch(app, sessions_dir) {
        Ok(w) => app.state::<Watching>().set(Some(w)),
        Err(e) => eprintln!("lectern-desktop: not watching the site for outside changes: {e}"),
    }
    if let Err(e) = remember_last_site(app, &root) {
        eprintln!("lectern-desktop: could not remember the last site: {e}");
    }
    if let Err(e) = crate::recent::update(app, |l| l.remember(&root, &summary.name)) {
        eprintln!("lectern-desktop: could not update the recent sites: {e}");
    }
    unsaved::set_title(app, Some(&summary.name), false);
    let _ = app.emit_to(MAIN_WINDOW, events::SITE_OPENED, &summary);
    // Loading in parallel left free memory in every worker thread's heap;
    // trimming takes a moment, so not on the main thread.
    std::thread::spawn(state::release_free_memory);
    Ok(summary)
}

/// "Open Site…": ask for a folder, then open it. `None` when cancelled.
pub async fn choose_and_open<R: Runtime>(app: &AppHandle<R>) -> IpcResult<Option<SiteSummary>> {
    let window = app
        .get_webview_window(MAIN_WINDOW)
        .ok_or_else(|| IpcError::internal("the main window is gone"))?;
    let start = app.state::<AppState>().root();
    match dialogs::pick_site_folder(&window, start.as_deref()).await {
        Some(path) => request_open(app, path, LeaveAction::OpenSite),
        None => Ok(None),
    }
}

/// Open a site of the recent list (asking first about unsaved edits).
/// Refuses a folder that is not in the list, so the UI cannot name any path.
pub fn open_recent<R: Runtime>(app: &AppHandle<R>, root: &Path) -> IpcResult<Option<SiteSummary>> {
    if !crate::recent::load(app).contains(root) {
        return Err(IpcError::new(
            ErrorKind::NotFound,
            format!("{} is not in the recent sites", root.display()),
        ));
    }
    if !root.is_dir() {
        return Err(IpcError::new(
            ErrorKind::NotFound,
            format!("{} no longer exists: remove it from the recent sites, or open the site where it is now with Open Site…", root.display()),
        ));
    }
    request_open(app, root.to_path_buf(), LeaveAction::OpenSite)
}

/// Open the site at `path` in place of the open one: at once when nothing
/// is unsaved, else after the UI's answer (`None` is returned then).
pub fn request_open<R: Runtime>(
    app: &AppHandle<R>,
    path: PathBuf,
    action: LeaveAction,
) -> IpcResult<Option<SiteSummary>> {
    match unsaved::ask_to_open(app, path, action) {
        Some(path) => open_path(app, &path).map(Some),
        None => Ok(None),
    }
}

/// The UI's answer to a pending leave: carry it out when it comes to that
/// (see [`crate::unsaved`]).
pub fn leave<R: Runtime>(app: &AppHandle<R>, decision: LeaveDecision) -> IpcResult<LeaveOutcome> {
    match unsaved::settle(app, decision) {
        Settled::Answer(outcome) => Ok(outcome),
        Settled::CarryOut { pending, discard } => carry_out(app, pending, discard),
    }
}

fn carry_out<R: Runtime>(
    app: &AppHandle<R>,
    pending: Pending,
    discard: bool,
) -> IpcResult<LeaveOutcome> {
    let state = app.state::<AppState>();
    match pending {
        Pending::Close => {
            if discard {
                // Drop the edits first, so the recovery writer cannot store
                // them again; then forget the drafts the person discarded.
                let root = state.root();
                state.close_site();
                app.state::<Watching>().set(None);
                if let Some(root) = root {
                    state.forget_drafts(&root);
                }
            }
            let window = app
                .get_webview_window(MAIN_WINDOW)
                .ok_or_else(|| IpcError::internal("the main window is gone"))?;
            window.destroy().map_err(IpcError::from)?;
        }
        Pending::Open { path, .. } => {
            let old = state.root();
            // Forget the discarded drafts before the site opens again (a
            // reload), so it does not offer them back; and after, in case
            // the recovery writer stored them once more meanwhile.
            if let (true, Some(old)) = (discard, old.as_ref()) {
                state.forget_drafts(old);
            }
            open_path(app, &path)?;
            if let (true, Some(old)) = (discard, old) {
                state.forget_drafts(&old);
            }
        }
    }
    Ok(LeaveOutcome::Done)
}

fn last_site_file<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.path()
        .app_config_dir()
        .ok()
        .map(|d| d.join(LAST_SITE_FILE))
}

fn last_site<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    let text = fs::read_to_string(last_site_file(app)?).ok()?;
    serde_json::from_str::<LastSite>(&text).ok().map(|l| l.root)
}

fn remember_last_site<R: Runtime>(app: &AppHandle<R>, root: &Path) -> std::io::Result<()> {
    let file = last_site_file(app).ok_or_else(|| std::io::Error::other("no app config dir"))?;
    let json = serde_json::to_vec_pretty(&LastSite {
        root: root.to_path_buf(),
    })
    .map_err(std::io::Error::other)?;
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir)?;
    }
    lectern::fs::write_atomic(&file, &json).map_err(std::io::Error::other)
}

/// The copy of the sample site in the app data dir, made on first use.
/// `None` when the app ships without one.
fn sample_site_copy<R: Runtime>(app: &AppHandle<R>) -> IpcResult<Option<PathBuf>> {
    let data = app.path().app_data_dir().map_err(IpcError::from)?;
    let target = data.join(SAMPLE_SITE);
    if target.is_dir() {
        return Ok(Some(target));
    }
    let Ok(source) = app
        .path()
        .resolve(SAMPLE_SITE, tauri::path::BaseDirectory::Resource)
    else {
        return Ok(None);
    };
    if !source.is_dir() {
        return Ok(None);
    }
    copy_tree_atomically(&source, &target)
        .map_err(|e| IpcError::from(lectern::Error::io(&target, e)))?;
    Ok(Some(target))
}

/// Copy `from` into a temp folder next to `to`, then rename it into place.
pub(crate) fn copy_tree_atomically(from: &Path, to: &Path) -> std::io::Result<()> {
    let parent = to
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent folder"))?;
    fs::create_dir_all(parent)?;
    let name = to
        .file_name()
        .ok_or_else(|| std::io::Error::other("no folder name"))?;
    let tmp = parent.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    copy_tree(from, &tmp)?;
    fs::rename(&tmp, to)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &dest)?;
        }
        // Symlinks in a bundled resource are not expected; skipping them keeps
        // the copy inside the data dir.
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn path_argument_is_the_first_non_flag_after_the_program() {
        assert_eq!(path_argument(args(&["lectern-desktop"])), None);
        assert_eq!(
            path_argument(args(&["lectern-desktop", "--sync", "site/content"])),
            Some(PathBuf::from("site/content"))
        );
    }

    #[test]
    fn copies_a_tree_and_leaves_no_temp_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        fs::create_dir_all(src.join("content/sessions")).unwrap();
        fs::write(src.join("config.toml"), "title = \"x\"\n").unwrap();
        fs::write(src.join("content/sessions/ai-1.md"), "---\ntitle: a\n---\n").unwrap();
        let dest = tmp.path().join("data/sample-site");
        copy_tree_atomically(&src, &dest).unwrap();
        assert_eq!(
            fs::read_to_string(dest.join("config.toml")).unwrap(),
            "title = \"x\"\n"
        );
        assert!(dest.join("content/sessions/ai-1.md").is_file());
        let leftovers: Vec<_> = fs::read_dir(tmp.path().join("data"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![OsString::from("sample-site")]);
    }
}
