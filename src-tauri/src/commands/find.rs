//! The problems pane's one-click fixes and the site-wide search (issue 15).
//! Fixes are edits in memory like any other (undoable, unsaved until saved).

use tauri::State;

use crate::dto_find::FixedDto;
use crate::error::IpcResult;
use crate::state::{self, AppState};
use lectern::search::SearchResults;

/// Hits a search returns at most (the counts cover every match).
const SEARCH_LIMIT: usize = 500;

/// Apply the safe fix of one finding (as the problems list shows it).
#[tauri::command]
pub fn fix_finding(
    state: State<'_, AppState>,
    file: String,
    code: String,
    line: u32,
    column: u32,
) -> IpcResult<FixedDto> {
    state.with_site(|ws| {
        let out = ws.fix_finding(&file, &code, line as usize, column as usize)?;
        Ok(state::fixed(ws, out))
    })
}

/// Apply the safe fix of every finding of one rule across the site.
#[tauri::command]
pub fn fix_rule(state: State<'_, AppState>, code: String) -> IpcResult<FixedDto> {
    state.with_site(|ws| {
        let out = ws.fix_rule(&code)?;
        Ok(state::fixed(ws, out))
    })
}

/// Titles, presenters and bodies of every session file matching `query`.
#[tauri::command]
pub fn search_site(state: State<'_, AppState>, query: String) -> IpcResult<SearchResults> {
    state.with_site(|ws| Ok(lectern::search::search(ws.sessions(), &query, SEARCH_LIMIT)))
}
