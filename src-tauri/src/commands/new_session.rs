//! New Session…: create a session and its twins from the site's templates
//! (the core chooses the templates and checks the names).

use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;
use lectern::workspace::NewSession;

/// Create `<track>-<id>.md` and its twins in `languages`; refuses an
/// invalid or taken id, an unknown track or language, an existing file.
#[tauri::command]
pub fn new_session(
    state: State<'_, AppState>,
    track: String,
    id: String,
    languages: Vec<String>,
) -> IpcResult<NewSession> {
    state.with_site(|ws| Ok(ws.create_session(&track, &id, &languages)?))
}
