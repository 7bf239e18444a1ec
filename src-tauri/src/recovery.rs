//! Crash recovery: every 3 s, when the open site's unsaved edits changed,
//! they are written to the core's `RecoveryStore` (cleared once everything is
//! saved). At the next open of that site the UI offers to restore them.
//! When they cannot be written the UI is told, once per distinct failure.

use std::collections::BTreeMap;
use std::time::Duration;

use lectern::recovery::{Draft, Recovered, RecoveryStore};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};

use crate::error::IpcError;
use crate::window::{events, MAIN_WINDOW};
use ts_rs::TS;

/// How often drafts are looked at.
pub const INTERVAL: Duration = Duration::from_secs(3);

/// What the last run left unsaved, offered at open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecoveryOffer {
    /// Ids of the sessions with drafts.
    pub ids: Vec<String>,
    /// Seconds since the Unix epoch when the drafts were taken.
    pub saved_at: u64,
}

impl From<&Recovered> for RecoveryOffer {
    fn from(r: &Recovered) -> Self {
        RecoveryOffer {
            ids: r.drafts.keys().cloned().collect(),
            saved_at: r.saved_at,
        }
    }
}

/// What restoring did (the core's `RestoreReport`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RestoreResult {
    /// Drafts applied.
    pub restored: Vec<String>,
    /// Drafts not applied: their file changed on disk since.
    pub conflicts: Vec<String>,
    /// Drafts of files that no longer exist.
    pub missing: Vec<String>,
}

impl From<lectern::recovery::RestoreReport> for RestoreResult {
    fn from(r: lectern::recovery::RestoreReport) -> Self {
        RestoreResult {
            restored: r.restored,
            conflicts: r.conflicts,
            missing: r.missing,
        }
    }
}

/// The drafts last written (or found) for the open site: only a change is written.
#[derive(Debug, Default)]
pub struct Autosave {
    /// The store; `None` when this system has no data dir.
    pub store: Option<RecoveryStore>,
    /// Drafts as last written; `None` until a site is open.
    pub last: Option<BTreeMap<String, Draft>>,
    /// What the previous run left for the open site, until the person answers.
    pub pending: Option<Recovered>,
}

/// Start the periodic writer (runs for the life of the app): every
/// [`INTERVAL`] it calls `save` (the open site's `AppState::autosave`,
/// handed in by the caller so that this module need not know the state
/// that holds the drafts). A failure
/// (full disk, read-only data folder) is told to the UI once, naming the
/// recovery file and what to do; it keeps trying every tick, and the last
/// drafts written stay whole (the store writes atomically).
pub fn start<R: Runtime>(
    app: &AppHandle<R>,
    save: impl Fn() -> lectern::Result<()> + Send + 'static,
) {
    let app = app.clone();
    std::thread::spawn(move || {
        let mut failing: Option<String> = None;
        loop {
            std::thread::sleep(INTERVAL);
            match save() {
                Ok(()) => {
                    if failing.take().is_some() {
                        eprintln!("lectern-desktop: drafts are saved for recovery again");
                    }
                }
                Err(e) => {
                    let text = e.to_string();
                    if failing.as_deref() != Some(text.as_str()) {
                        eprintln!("lectern-desktop: could not save drafts for recovery: {text}");
                        let _ = app.emit_to(MAIN_WINDOW, events::ERROR, &failure_notice(e));
                        failing = Some(text);
                    }
                }
            }
        }
    });
}

/// What the person is told when drafts cannot be stored.
pub fn failure_notice(e: lectern::Error) -> IpcError {
    let mut notice = IpcError::from(e);
    notice.message = format!(
        "Crash recovery could not store your unsaved edits: {}. They are still open in Lectern; save them, \
         or fix this so that a crash cannot lose them.",
        notice.message
    );
    notice
}
