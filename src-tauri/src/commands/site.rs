//! Commands about the open site: which one, open another, reload it.

use tauri::{AppHandle, State};

use crate::dto::{SiteStatus, SiteSummary};
use crate::error::{IpcError, IpcResult};
use crate::opening;
use crate::state::AppState;

/// The open site, or why none is open.
#[tauri::command]
pub fn site_status(state: State<'_, AppState>) -> SiteStatus {
    SiteStatus { site: state.if_site(|s| s.summary()), error: state.startup_error() }
}

/// Ask for a folder and open the site in it; `None` when cancelled.
#[tauri::command]
pub async fn choose_site(app: AppHandle) -> IpcResult<Option<SiteSummary>> {
    opening::choose_and_open(&app).await
}

/// Re-read the open site from disk, dropping unsaved edits.
#[tauri::command]
pub fn reload_site(app: AppHandle, state: State<'_, AppState>) -> IpcResult<SiteSummary> {
    let root = state.root().ok_or_else(IpcError::no_site)?;
    opening::open_path(&app, &root)
}
