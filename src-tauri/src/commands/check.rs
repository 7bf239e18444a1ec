//! Validation of the open site, as it is in memory.

use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;
use lectern::Diagnostic;

/// Every finding for the open site, unsaved edits included, sorted by file and line.
#[tauri::command]
pub fn check_site(state: State<'_, AppState>) -> IpcResult<Vec<Diagnostic>> {
    state.with_site(|ws| Ok(ws.diagnostics().to_vec()))
}
