//! Watching the open site's sessions folder. Changes are collected for
//! ~200 ms (editors write a file in several steps), then each changed path
//! goes to the core's `Workspace::disk_changed`, which decides: reload a
//! clean file, report a conflict for an edited one, add or drop a session.
//! The outcome is emitted to the UI; nothing is overwritten here.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::dto::{events, DiskChange, DiskChangeKind};
use crate::opening::MAIN_WINDOW;
use crate::state::AppState;

/// How long changes are gathered before they are handled.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// A running watcher; dropping it stops watching.
pub struct SiteWatcher {
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for SiteWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SiteWatcher")
    }
}

/// Watch `dir` (the sessions folder) and forward changes of the open site.
pub fn watch<R: Runtime>(app: &AppHandle<R>, dir: PathBuf) -> notify::Result<SiteWatcher> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                let _ = tx.send(path);
            }
        }
    })?;
    watcher.watch(&dir, RecursiveMode::Recursive)?;
    let app = app.clone();
    std::thread::spawn(move || {
        // Ends when the watcher (and with it the sender) is dropped.
        while let Ok(first) = rx.recv() {
            let mut paths = BTreeSet::from([first]);
            while let Ok(p) = rx.recv_timeout(DEBOUNCE) {
                paths.insert(p);
            }
            let changes = app.state::<AppState>().disk_changes(&dir, &paths);
            for change in changes {
                let _ = app.emit_to(MAIN_WINDOW, events::DISK_CHANGED, &change);
            }
        }
    });
    Ok(SiteWatcher { _watcher: watcher })
}

/// What the UI hears about one changed path; `None` when nothing changed.
pub fn change_of(event: lectern::workspace::DiskEvent) -> Option<DiskChange> {
    use lectern::workspace::DiskEvent as E;
    use DiskChangeKind as K;
    let plain = |kind, id| DiskChange { kind, id, disk: None, mine: None, kept_edits: false };
    Some(match event {
        E::Unchanged => return None,
        E::Reloaded { id } => plain(K::Reloaded, id),
        E::Conflict { id, disk, mine } => {
            DiskChange { kind: K::Conflict, id, disk: Some(disk), mine: Some(mine), kept_edits: true }
        }
        E::Added { id } => plain(K::Added, id),
        E::Removed { id, kept_edits } => DiskChange { kind: K::Removed, id, disk: None, mine: None, kept_edits },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern::workspace::DiskEvent;

    #[test]
    fn a_conflict_carries_both_texts_and_unchanged_is_not_reported() {
        assert_eq!(change_of(DiskEvent::Unchanged), None);
        let c = change_of(DiskEvent::Conflict { id: "a.md".into(), disk: "d".into(), mine: "m".into() }).unwrap();
        assert_eq!((c.kind, c.disk.as_deref(), c.mine.as_deref()), (DiskChangeKind::Conflict, Some("d"), Some("m")));
    }
}
