//! Commands for the recent sites on the welcome screen (the native
//! File → Open Recent menu uses the same list).

use std::path::PathBuf;

use tauri::AppHandle;

use crate::dto::SiteSummary;
use crate::dto_app::RecentSiteDto;
use crate::error::{IpcError, IpcResult};

/// The recent sites, newest first, each marked when its folder is gone.
#[tauri::command]
pub fn recent_sites(app: AppHandle) -> Vec<RecentSiteDto> {
    crate::recent::load(&app)
        .sites
        .iter()
        .map(RecentSiteDto::from)
        .collect()
}

/// Open a recent site (asking first about unsaved edits: `None` then).
#[tauri::command]
pub async fn open_recent(app: AppHandle, root: String) -> IpcResult<Option<SiteSummary>> {
    crate::opening::open_recent(&app, &PathBuf::from(root))
}

/// Remove a site from the recent list; returns the list.
#[tauri::command]
pub fn forget_recent(app: AppHandle, root: String) -> IpcResult<Vec<RecentSiteDto>> {
    let root = PathBuf::from(root);
    crate::recent::update(&app, |l| l.forget(&root))
        .map_err(|e| IpcError::from(lectern::Error::io(&root, e)))?;
    Ok(recent_sites(app))
}
