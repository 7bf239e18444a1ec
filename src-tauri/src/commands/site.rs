//! Commands about the open site: which one, open another, reload it.

use tauri::{AppHandle, State};

use crate::dto::{SiteStatus, SiteSummary};
use crate::error::{IpcError, IpcResult};
use crate::opening;
use crate::state::{self, AppState};

/// The open site, or why none is open.
#[tauri::command]
pub fn site_status(state: State<'_, AppState>) -> SiteStatus {
    SiteStatus {
        site: state.if_site(state::summary),
        error: state.startup_error(),
    }
}

/// Ask for a folder and open the site in it; `None` when cancelled.
#[tauri::command]
pub async fn choose_site(app: AppHandle) -> IpcResult<Option<SiteSummary>> {
    opening::choose_and_open(&app).await
}

/// Re-read the open site from disk. With unsaved edits the UI is asked
/// first (`leave-requested`) and `None` is returned; the reloaded site is
/// announced by `site-opened` either way.
#[tauri::command]
pub fn reload_site(app: AppHandle, state: State<'_, AppState>) -> IpcResult<Option<SiteSummary>> {
    let root = state.root().ok_or_else(IpcError::no_site)?;
    crate::opening::request_open(&app, root, crate::unsaved::LeaveAction::Reload)
}
