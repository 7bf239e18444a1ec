//! Unsaved edits at the window level: the title's mark, and the question
//! before the window closes or another site replaces the open one.
//!
//! Leaving (closing the window, opening another site, reloading this one)
//! is kept as pending and the UI is told (`leave-requested`). The UI first
//! sends its pending edits (the body editor sends on a short delay), then
//! calls `leave` with `check`: with no unsaved edits in the core the request
//! is carried out at once; otherwise the UI asks "Save All / Discard /
//! Cancel" and answers with `check` again after saving, `discard`, or
//! `cancel`. Opening a site when the core has no unsaved edits skips the
//! round trip.
//!
//! This module only decides: [`ask_to_open`] and [`settle`] return what to
//! do, and [`crate::opening`] does it (opens the site, or closes the
//! window). It never calls back into opening.
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

/// A leave waiting for the UI's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Close the window.
    Close,
    /// Open the site at `path` in place of the open one.
    Open {
        /// The folder to open.
        path: PathBuf,
        /// Why: another site, or a reload of this one.
        action: LeaveAction,
    },
}

/// What the UI's answer to a pending leave comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// Nothing to carry out; answer the UI with this.
    Answer(LeaveOutcome),
    /// Carry out `pending` (then answer [`LeaveOutcome::Done`]), dropping
    /// the unsaved edits first when `discard`.
    CarryOut {
        /// What to do.
        pending: Pending,
        /// Whether the person chose Discard.
        discard: bool,
    },
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

/// Whether the site at `path` may replace the open one now: it may (and
/// is returned) when nothing is unsaved; else the open is kept as pending,
/// the UI is asked (`leave-requested`) and `None` is returned.
pub fn ask_to_open<R: Runtime>(
    app: &AppHandle<R>,
    path: PathBuf,
    action: LeaveAction,
) -> Option<PathBuf> {
    if unsaved_ids(app).is_empty() {
        return Some(path);
    }
    let target = Some(path.to_string_lossy().into_owned());
    app.state::<Guard>()
        .ask(Pending::Open { path, action }, Instant::now());
    let _ = app.emit_to(
        MAIN_WINDOW,
        LEAVE_REQUESTED,
        LeaveRequest { action, target },
    );
    None
}

/// Close the main window from a menu item (runs the close-requested check).
pub fn close_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        if let Err(e) = window.close() {
            eprintln!("lectern-desktop: could not close the window: {e}");
        }
    }
}

/// The UI's answer to a pending leave (see the module docs): what it comes
/// to, for [`crate::opening::leave`] to carry out.
pub fn settle<R: Runtime>(app: &AppHandle<R>, decision: LeaveDecision) -> Settled {
    let guard = app.state::<Guard>();
    match decision {
        LeaveDecision::Cancel => {
            guard.take();
            Settled::Answer(LeaveOutcome::Cancelled)
        }
        LeaveDecision::Check => {
            let Some(pending) = guard.peek() else {
                return Settled::Answer(LeaveOutcome::Nothing);
            };
            let ids = unsaved_ids(app);
            if !ids.is_empty() {
                let action = match pending {
                    Pending::Close => LeaveAction::Close,
                    Pending::Open { action, .. } => action,
                };
                return Settled::Answer(LeaveOutcome::Unsaved { action, ids });
            }
            guard.take();
            Settled::CarryOut {
                pending,
                discard: false,
            }
        }
        LeaveDecision::Discard => match guard.take() {
            Some(pending) => Settled::CarryOut {
                pending,
                discard: true,
            },
            None => Settled::Answer(LeaveOutcome::Nothing),
        },
    }
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

    #[test]
    fn an_answer_comes_to_a_decision_and_unsaved_edits_hold_an_open_back() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures/site");
        crate::opening::copy_tree_atomically(&fixture, &root).unwrap();
        let app = tauri::test::mock_builder()
            .manage(AppState::default())
            .manage(Guard::default())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .unwrap();
        let h = app.handle();
        let other = PathBuf::from("/elsewhere");

        // No site, so nothing unsaved: the open goes ahead, nothing is pending.
        assert_eq!(
            ask_to_open(h, other.clone(), LeaveAction::OpenSite),
            Some(other.clone())
        );
        assert_eq!(
            settle(h, LeaveDecision::Check),
            Settled::Answer(LeaveOutcome::Nothing)
        );

        // An unsaved edit: the open waits, and `check` names the edited file.
        let state = h.state::<AppState>();
        state.set_workspace(lectern::workspace::Workspace::open(&root).unwrap());
        let id = "content/sessions/db-101.md";
        state
            .with_site(|ws| Ok(ws.set_field(id, "title", Some("Edited"))?))
            .unwrap();
        assert_eq!(ask_to_open(h, other.clone(), LeaveAction::OpenSite), None);
        match settle(h, LeaveDecision::Check) {
            Settled::Answer(LeaveOutcome::Unsaved { action, ids }) => {
                assert_eq!(action, LeaveAction::OpenSite);
                assert!(ids.iter().any(|i| i == id), "{ids:?}");
            }
            other => panic!("expected unsaved edits, got {other:?}"),
        }
        // Discard: carry out the pending open, once.
        assert_eq!(
            settle(h, LeaveDecision::Discard),
            Settled::CarryOut {
                pending: Pending::Open {
                    path: other,
                    action: LeaveAction::OpenSite
                },
                discard: true
            }
        );
        assert_eq!(
            settle(h, LeaveDecision::Discard),
            Settled::Answer(LeaveOutcome::Nothing)
        );
        // Cancel drops a pending close.
        h.state::<Guard>().ask(Pending::Close, Instant::now());
        assert_eq!(
            settle(h, LeaveDecision::Cancel),
            Settled::Answer(LeaveOutcome::Cancelled)
        );
        assert_eq!(
            settle(h, LeaveDecision::Check),
            Settled::Answer(LeaveOutcome::Nothing)
        );
    }
}
