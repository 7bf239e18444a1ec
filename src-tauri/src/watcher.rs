//! Watching the open site's sessions folder. Changes are collected for
//! ~200 ms (editors write a file in several steps), then each changed path
//! goes to the core's `Workspace::disk_changed`, which decides: reload a
//! clean file, report a conflict for an edited one, add or drop a session.
//! The outcome is emitted to the UI; nothing is overwritten here.
//!
//! What the file watcher cannot be trusted with: it reports errors (a full
//! event queue, the watch limit) instead of events, and a rename of the
//! site's folder (or of any folder above it) sends nothing at all. So an
//! error or a "rescan" flag makes every session file be compared again, and
//! a second thread looks every second whether the sessions folder is still
//! there: when it goes, the UI is told (edits stay in memory, saves explain
//! why they fail); when it comes back, the watch is renewed and every file
//! is compared again.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::dto::{DiskChange, DiskChangeKind};
use crate::dto_resilience::SiteFolder;
use crate::error::{ErrorKind, IpcError};
use crate::state::AppState;
use crate::window::{events, MAIN_WINDOW};

/// How long changes are gathered before they are handled.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// How often the sessions folder's presence is checked.
const PRESENCE_POLL: Duration = Duration::from_secs(1);

/// What reaches the handler thread.
enum Signal {
    /// This path changed.
    Path(PathBuf),
    /// Events may have been lost: compare every session file.
    Rescan,
}

/// A running watcher; dropping it stops watching (the presence thread ends
/// within a second).
pub struct SiteWatcher {
    _watcher: Arc<Mutex<notify::RecommendedWatcher>>,
    stop: Arc<AtomicBool>,
}

impl Drop for SiteWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl std::fmt::Debug for SiteWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SiteWatcher")
    }
}

/// Managed state: the watcher of the open site, replaced with the site.
#[derive(Debug, Default)]
pub struct Watching(Mutex<Option<SiteWatcher>>);

impl Watching {
    /// Keep the watcher of the open site (dropping the previous one).
    pub fn set(&self, watcher: Option<SiteWatcher>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = watcher;
    }
}

/// Watch `dir` (the sessions folder) and forward changes of the open site.
pub fn watch<R: Runtime>(app: &AppHandle<R>, dir: PathBuf) -> notify::Result<SiteWatcher> {
    let (tx, rx) = mpsc::channel::<Signal>();
    let events_tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        match event {
            Ok(event) if event.need_rescan() => {
                let _ = events_tx.send(Signal::Rescan);
            }
            Ok(event) => {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    return;
                }
                for path in event.paths {
                    let _ = events_tx.send(Signal::Path(path));
                }
            }
            Err(e) => {
                eprintln!("lectern-desktop: the file watcher reported {e}; comparing every session file again");
                let _ = events_tx.send(Signal::Rescan);
            }
        }
    })?;
    watcher.watch(&dir, RecursiveMode::Recursive)?;
    let watcher = Arc::new(Mutex::new(watcher));
    let stop = Arc::new(AtomicBool::new(false));
    {
        let app = app.clone();
        let dir = dir.clone();
        std::thread::spawn(move || handle_changes(&app, &dir, &rx));
    }
    {
        let app = app.clone();
        let watcher = Arc::clone(&watcher);
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || watch_presence(&app, &dir, &watcher, &stop, &tx));
    }
    Ok(SiteWatcher {
        _watcher: watcher,
        stop,
    })
}

/// The handler thread: gather, then hand the paths to the workspace. Ends
/// when every sender (the watcher's and the presence thread's) is gone.
fn handle_changes<R: Runtime>(
    app: &AppHandle<R>,
    dir: &std::path::Path,
    rx: &mpsc::Receiver<Signal>,
) {
    while let Ok(first) = rx.recv() {
        let mut signals = vec![first];
        while let Ok(s) = rx.recv_timeout(DEBOUNCE) {
            signals.push(s);
        }
        let state = app.state::<AppState>();
        let mut paths = BTreeSet::new();
        for s in signals {
            match s {
                Signal::Path(p) => {
                    paths.insert(p);
                }
                Signal::Rescan => paths.extend(session_paths(&state, dir)),
            }
        }
        let (changes, errors) = disk_changes(&state, dir, &paths);
        for change in changes {
            let _ = app.emit_to(MAIN_WINDOW, events::DISK_CHANGED, &change);
        }
        for e in errors {
            let _ = app.emit_to(MAIN_WINDOW, events::ERROR, &e);
        }
    }
}

/// The presence thread: tell the UI when the folder goes and comes back;
/// on its return renew the watch (a deleted folder's watch is gone) and
/// compare every file.
fn watch_presence<R: Runtime>(
    app: &AppHandle<R>,
    dir: &std::path::Path,
    watcher: &Mutex<notify::RecommendedWatcher>,
    stop: &AtomicBool,
    tx: &mpsc::Sender<Signal>,
) {
    let mut present = true;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(PRESENCE_POLL);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let now = dir.is_dir();
        if now == present {
            continue;
        }
        present = now;
        if now {
            let mut w = watcher.lock().unwrap_or_else(|p| p.into_inner());
            let _ = w.unwatch(dir);
            if let Err(e) = w.watch(dir, RecursiveMode::Recursive) {
                eprintln!(
                    "lectern-desktop: could not watch {} again: {e}",
                    dir.display()
                );
                let message = format!(
                    "{}: Lectern can no longer watch this folder for outside changes ({e}); saving still checks \
                     each file first. Reopen the site to watch it again.",
                    dir.display()
                );
                let _ = app.emit_to(
                    MAIN_WINDOW,
                    events::ERROR,
                    &IpcError::new(ErrorKind::Io, message),
                );
            }
            let _ = tx.send(Signal::Rescan);
        }
        eprintln!(
            "lectern-desktop: the sessions folder {} is {}",
            dir.display(),
            if now { "back" } else { "gone" }
        );
        let _ = app.emit_to(MAIN_WINDOW, events::SITE_FOLDER, &SiteFolder::new(dir, now));
    }
}

/// Hand changed paths under `dir` to the open site, if it is still the
/// site of `dir`: the changes worth telling the UI about, and the files
/// that could not be read (named, with what to do).
fn disk_changes(
    state: &AppState,
    dir: &std::path::Path,
    paths: &BTreeSet<PathBuf>,
) -> (Vec<DiskChange>, Vec<IpcError>) {
    let outcome = state.with_site(|ws| {
        if ws.site().sessions_dir != dir {
            return Ok((Vec::new(), Vec::new()));
        }
        let mut changes = Vec::new();
        let mut errors = Vec::new();
        for p in paths {
            match ws.disk_changed(p) {
                Ok(e) => changes.extend(change_of(e)),
                Err(e) => {
                    eprintln!("lectern-desktop: {e}");
                    let mut e = IpcError::from(e);
                    e.message = format!("{} (Lectern keeps what it had for this file.)", e.message);
                    errors.push(e);
                }
            }
        }
        Ok((changes, errors))
    });
    // No site open: nothing to hand over.
    outcome.unwrap_or_default()
}

/// Every session file of the open site under `dir`: those in memory and
/// those in the folder now (for a full comparison after lost events).
fn session_paths(state: &AppState, dir: &std::path::Path) -> BTreeSet<PathBuf> {
    state
        .if_site(|ws| {
            if ws.site().sessions_dir != dir {
                return BTreeSet::new();
            }
            ws.sessions()
                .iter()
                .map(|l| l.file.path.clone())
                .chain(ws.site().session_files().into_iter().map(|f| f.path))
                .collect()
        })
        .unwrap_or_default()
}

/// What the UI hears about one changed path; `None` when nothing changed.
pub fn change_of(event: lectern::workspace::DiskEvent) -> Option<DiskChange> {
    use lectern::workspace::DiskEvent as E;
    use DiskChangeKind as K;
    let plain = |kind, id| DiskChange {
        kind,
        id,
        disk: None,
        mine: None,
        kept_edits: false,
    };
    Some(match event {
        E::Unchanged => return None,
        E::Reloaded { id } => plain(K::Reloaded, id),
        E::Conflict { id, disk, mine } => DiskChange {
            kind: K::Conflict,
            id,
            disk: Some(disk),
            mine: Some(mine),
            kept_edits: true,
        },
        E::Added { id } => plain(K::Added, id),
        E::Removed { id, kept_edits } => DiskChange {
            kind: K::Removed,
            id,
            disk: None,
            mine: None,
            kept_edits,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern::workspace::DiskEvent;

    #[test]
    fn a_conflict_carries_both_texts_and_unchanged_is_not_reported() {
        assert_eq!(change_of(DiskEvent::Unchanged), None);
        let c = change_of(DiskEvent::Conflict {
            id: "a.md".into(),
            disk: "d".into(),
            mine: "m".into(),
        })
        .unwrap();
        assert_eq!(
            (c.kind, c.disk.as_deref(), c.mine.as_deref()),
            (DiskChangeKind::Conflict, Some("d"), Some("m"))
        );
    }
}
