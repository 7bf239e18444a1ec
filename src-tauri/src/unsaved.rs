//! Unsaved edits at the window level: the title's mark, and the question
//! before the window closes or another site replaces the open one.
//!
//! Leaving (closing the window, opening another site, reloading this one)
//! goes through [`request`]: the request is kept as pending and the UI is
//! told (`leave-requested`). The UI first sends its pending edits (the body
//! editor sends on a short delay), then calls `leave` with `check`: with no
//! unsaved edits in the core the request is carried out at once; otherwise
//! the UI asks "Save All / Discard / Cancel" and answers with `check` again
//! after saving, `discard`, or `cancel`. Opening a site when the core has no
//! unsaved edits skips the round trip.
//!
//! A UI that never answers must not keep the window open forever: a second
//! close request more than [`UNANSWERED`] after an unanswered one closes
//! the window (the crash-recovery drafts still hold the edits).

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};
use ts_rs::TS;

use crate::dto::SiteSummary;
use crate::error::{IpcError, IpcResult};
use crate::opening;
use crate::state::AppState;
use crate::window::{events::LEAVE_REQUESTED, MAIN_WINDOW};

/// After this long without an answer, a second close request closes.
pub const UNANSWERED: Duration = Duration::from_secs(3);

/// The mark the title carries while there are unsaved edits.
pub const MARK: &str = "• ";

/// The window title: `• Site — Lectern` with unsaved edits, else `Site — Lectern`.
pub fn title(site_name: Option<&str>, unsaved: bool) -> String {
    let mark = if unsaved { MARK } else { "" };
    match site_name {
        Some(name) => format!("{mark}{name} — Lectern"),
        None => format!("{mark}Lectern"),
    }
}

/// What leaving would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum LeaveAction {
    /// Close the window (and quit).
    Close,
    /// Open another site in its place.
    OpenSite,
    /// Re-read this site from disk.
    Reload,
}

/// Payload of `leave-requested`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LeaveRequest {
    /// What is about to happen.
    pub action: LeaveAction,
    /// The folder about to be opened (display only), for `open_site`.
    pub target: Option<String>,
}

/// The UI's answer to a pending leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum LeaveDecision {
    /// Leave if nothing is unsaved (after the UI sent or saved its edits).
    Check,
    /// Leave and drop the unsaved edits.
    Discard,
    /// Stay; everything is kept.
    Cancel,
}

/// What `leave` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(tag = "kind", rename_all = "snake_case")]
pub enum LeaveOutcome {
    /// Nothing was pending.
    Nothing,
    /// The pending leave was carried out (the window is closing, or the
    /// other site is open and announced by `site-opened`).
    Done,
    /// Unsaved edits are in the way; the UI should ask.
    Unsaved {
        /// What is about to happen.
        action: LeaveAction,
        /// Ids of the files with unsaved edits.
        ids: Vec<String>,
    },
    /// The pending leave was dropped.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Close,
    Open { path: PathBuf, action: LeaveAction },
}

#[derive(Debug, Default)]
struct Inner {
    pending: Option<Pending>,
    /// When the pending leave was asked, and whether the UI answered since.
    asked_at: Option<Instant>,
    answered: bool,
    /// The open site's name and whether the title shows the mark.
    site_name: Option<String>,
    unsaved: bool,
}

/// Managed state: the pending leave and the title's parts.
#[derive(Debug, Default)]
pub struct Guard(Mutex<Inner>);

impl Guard {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Remember a pending leave (replacing any other) as asked now.
    fn ask(&self, pending: Pending, now: Instant) {
        let mut i = self.lock();
        i.pending = Some(pending);
        i.asked_at = Some(now);
        i.answered = false;
    }

    /// A close request while one has gone unanswered for [`UNANSWERED`].
    fn ui_unresponsive(&self, now: Instant) -> bool {
        let i = self.lock();
        !i.answered
            && i.asked_at
                .is_some_and(|t| now.duration_since(t) >= UNANSWERED)
    }

    fn take(&self) -> Option<Pending> {
        let mut i = self.lock();
        i.answered = true;
        i.pending.take()
    }

    fn peek(&self) -> Option<Pending> {
        let mut i = self.lock();
        i.answered = true;
        i.pending.clone()
    }
}

/// Set the window title for the open site and unsaved state; returns it.
pub fn set_title<R: Runtime>(app: &AppHandle<R>, site_name: Option<&str>, unsaved: bool) -> String {
    let guard = app.state::<Guard>();
    let text = {
        let mut i = guard.lock();
        if let Some(name) = site_name {
            i.site_name = Some(name.to_string());
        }
        i.unsaved = unsaved;
        title(i.site_name.as_deref(), unsaved)
    };
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.set_title(&text);
    }
    text
}

/// The UI says whether any file has unsaved edits (it holds every list row's
/// flag, which the core computes); the title follows. Returns the title.
pub fn set_unsaved_mark<R: Runtime>(app: &AppHandle<R>, unsaved: bool) -> String {
    set_title(app, None, unsaved)
}

/// Ids of the open site's files with unsaved edits (none without a site).
fn unsaved_ids<R: Runtime>(app: &AppHandle<R>) -> Vec<String> {
    app.state::<AppState>()
        .if_site(|ws| ws.modified_ids())
        .unwrap_or_default()
}

/// The main window's close button, Close Window and Quit: ask the UI first.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if window.label() != MAIN_WINDOW {
        return;
    }
    let app = window.app_handle();
    let guard = app.state::<Guard>();
    let now = Instant::now();
    if guard.ui_unresponsive(now) {
        eprintln!("lectern-desktop: the window did not answer a close request; closing (unsaved edits stay in the recovery drafts)");
        return;
    }
    api.prevent_close();
    guard.ask(Pending::Close, now);
    let _ = app.emit_to(
        MAIN_WINDOW,
        LEAVE_REQUESTED,
        LeaveRequest {
            action: LeaveAction::Close,
            target: None,
        },
    );
}

/// Open the site at `path` in place of the open one: at once when nothing
/// is unsaved, else after the UI's answer (`None` is returned then).
pub fn request_open<R: Runtime>(
    app: &AppHandle<R>,
    path: PathBuf,
    action: LeaveAction,
) -> IpcResult<Option<SiteSummary>> {
    if unsaved_ids(app).is_empty() {
        return opening::open_path(app, &path).map(Some);
    }
    let target = Some(path.to_string_lossy().into_owned());
    app.state::<Guard>()
        .ask(Pending::Open { path, action }, Instant::now());
    let _ = app.emit_to(
        MAIN_WINDOW,
        LEAVE_REQUESTED,
        LeaveRequest { action, target },
    );
    Ok(None)
}

/// Close the main window from a menu item (runs the close-requested check).
pub fn close_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        if let Err(e) = window.close() {
            eprintln!("lectern-desktop: could not close the window: {e}");
        }
    }
}

/// The UI's answer to a pending leave (see the module docs).
pub fn leave<R: Runtime>(app: &AppHandle<R>, decision: LeaveDecision) -> IpcResult<LeaveOutcome> {
    let guard = app.state::<Guard>();
    match decision {
        LeaveDecision::Cancel => {
            guard.take();
            Ok(LeaveOutcome::Cancelled)
        }
        LeaveDecision::Check => {
            let Some(pending) = guard.peek() else {
                return Ok(LeaveOutcome::Nothing);
            };
            let ids = unsaved_ids(app);
            if !ids.is_empty() {
                let action = match pending {
                    Pending::Close => LeaveAction::Close,
                    Pending::Open { action, .. } => action,
                };
                return Ok(LeaveOutcome::Unsaved { action, ids });
            }
            guard.take();
            carry_out(app, pending, false)
        }
        LeaveDecision::Discard => match guard.take() {
            Some(pending) => carry_out(app, pending, true),
            None => Ok(LeaveOutcome::Nothing),
        },
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
                app.state::<crate::watcher::Watching>().set(None);
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
            opening::open_path(app, &path)?;
            if let (true, Some(old)) = (discard, old) {
                state.forget_drafts(&old);
            }
        }
    }
    Ok(LeaveOutcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_carries_the_mark_only_with_unsaved_edits() {
        assert_eq!(title(Some("Example Conf"), false), "Example Conf — Lectern");
        assert_eq!(
            title(Some("Example Conf"), true),
            "• Example Conf — Lectern"
        );
        assert_eq!(title(None, false), "Lectern");
    }

    #[test]
    fn only_a_close_request_left_unanswered_long_enough_counts_as_unresponsive() {
        let g = Guard::default();
        let t0 = Instant::now();
        assert!(!g.ui_unresponsive(t0), "nothing asked yet");
        g.ask(Pending::Close, t0);
        assert!(!g.ui_unresponsive(t0 + Duration::from_secs(1)));
        assert!(g.ui_unresponsive(t0 + UNANSWERED));
        // An answer (even "show the dialog") means the UI is alive.
        assert_eq!(g.peek(), Some(Pending::Close));
        assert!(!g.ui_unresponsive(t0 + UNANSWERED * 10));
        assert_eq!(g.take(), Some(Pending::Close));
        assert_eq!(g.take(), None);
    }
}
