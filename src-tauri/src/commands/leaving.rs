//! Commands of the unsaved-edits mark and the leave prompt (see
//! [`crate::unsaved`]).

use tauri::AppHandle;

use crate::error::IpcResult;
use crate::unsaved::{LeaveDecision, LeaveOutcome};

/// Show or clear the title's unsaved mark; returns the new title.
#[tauri::command]
pub fn set_unsaved_mark(app: AppHandle, unsaved: bool) -> String {
    crate::unsaved::set_unsaved_mark(&app, unsaved)
}

/// Answer a pending close, site switch or reload.
#[tauri::command]
pub async fn leave(app: AppHandle, decision: LeaveDecision) -> IpcResult<LeaveOutcome> {
    crate::opening::leave(&app, decision)
}
