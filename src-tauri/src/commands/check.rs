//! Validation of the open site, as it is in memory.

use tauri::State;

use crate::dto::DiagnosticDto;
use crate::error::IpcResult;
use crate::state::AppState;

/// Every finding for the open site, unsaved edits included, sorted by file and line.
#[tauri::command]
pub fn check_site(state: State<'_, AppState>) -> IpcResult<Vec<DiagnosticDto>> {
    state.with_site(|s| Ok(s.check().diagnostics.iter().map(DiagnosticDto::from).collect()))
}
