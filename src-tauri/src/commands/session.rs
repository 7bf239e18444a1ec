//! Commands on session files: list, load, edit in memory, save.
//! Edits return the new [`SessionView`]; nothing is written until a save.

use tauri::State;

use crate::dto::{SaveAllResult, SaveFailure, SessionRow, SessionView, SpeakerDto};
use crate::error::IpcResult;
use crate::state::AppState;

/// Every session of the open site, in file order.
#[tauri::command]
pub fn list_sessions(state: State<'_, AppState>) -> IpcResult<Vec<SessionRow>> {
    state.with_site(|s| Ok(s.loaded.iter().map(SessionRow::from).collect()))
}

/// One session for the editor.
#[tauri::command]
pub fn load_session(state: State<'_, AppState>, id: String) -> IpcResult<SessionView> {
    state.with_site(|s| s.view(&id))
}

/// Set a front-matter field (only that field's line changes).
#[tauri::command]
pub fn set_field(state: State<'_, AppState>, id: String, key: String, value: String) -> IpcResult<SessionView> {
    state.with_site(|s| {
        let doc = s.document(&id)?.set(&key, &value)?;
        s.put(&id, doc)?;
        s.view(&id)
    })
}

/// Replace the Markdown body (unchanged lines keep their line endings).
#[tauri::command]
pub fn set_body(state: State<'_, AppState>, id: String, body: String) -> IpcResult<SessionView> {
    state.with_site(|s| {
        let doc = s.document(&id)?.set_body(&body);
        s.put(&id, doc)?;
        s.view(&id)
    })
}

/// Replace the speakers section (unchanged speakers keep their exact text).
#[tauri::command]
pub fn set_speakers(state: State<'_, AppState>, id: String, speakers: Vec<SpeakerDto>) -> IpcResult<SessionView> {
    state.with_site(|s| {
        let list: Vec<_> = speakers.into_iter().map(Into::into).collect();
        let doc = s.document(&id)?.set_speakers(&list);
        s.put(&id, doc)?;
        s.view(&id)
    })
}

/// Write a session to disk; fails with `conflict` if the file changed meanwhile.
#[tauri::command]
pub fn save_session(state: State<'_, AppState>, id: String) -> IpcResult<SessionView> {
    state.with_site(|s| {
        let doc = s.document(&id)?.save()?;
        s.put(&id, doc)?;
        s.view(&id)
    })
}

/// Write every modified session; reports each one that failed.
#[tauri::command]
pub fn save_all(state: State<'_, AppState>) -> IpcResult<SaveAllResult> {
    state.with_site(|s| {
        let mut result = SaveAllResult { saved: Vec::new(), failed: Vec::new() };
        for id in s.modified_ids() {
            match s.document(&id)?.save() {
                Ok(doc) => {
                    s.put(&id, doc)?;
                    result.saved.push(id);
                }
                Err(e) => result.failed.push(SaveFailure { id, error: e.into() }),
            }
        }
        Ok(result)
    })
}
