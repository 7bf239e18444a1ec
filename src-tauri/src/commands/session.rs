//! Commands on sessions: list, load, edit in memory, undo, save. Edits go
//! through the core's workspace (which keeps twins in sync) and return the
//! new view plus the list rows they touched; nothing is written until a save.

use tauri::State;

use lectern::speakers::Speaker;
use lectern::workspace::SessionSummary;

use crate::dto::{Edited, SaveAllResult, SaveFailure, SessionSaved, SessionView};
use crate::error::IpcResult;
use crate::state::{self, AppState};

/// Every session of the open site (twins together), in file order.
#[tauri::command]
pub fn list_sessions(state: State<'_, AppState>) -> IpcResult<Vec<SessionSummary>> {
    state.with_site(|ws| Ok(state::rows(ws)))
}

/// One session file for the editor.
#[tauri::command]
pub fn load_session(state: State<'_, AppState>, id: String) -> IpcResult<SessionView> {
    state.with_site(|ws| state::view(ws, &id))
}

/// Set a front-matter field, or remove it with `null`; twins follow the schema.
#[tauri::command]
pub fn set_field(
    state: State<'_, AppState>,
    id: String,
    key: String,
    value: Option<String>,
) -> IpcResult<Edited> {
    state.with_site(|ws| {
        let changed = ws.set_field(&id, &key, value.as_deref())?;
        state::edited(ws, &id, &changed)
    })
}

/// A keystroke in a form field: set the field to what the field holds now.
/// Keystrokes into one field in quick succession are one undo step (the
/// core's `Workspace::type_field`); twins follow the schema as with `set_field`.
#[tauri::command]
pub fn type_field(
    state: State<'_, AppState>,
    id: String,
    key: String,
    value: String,
) -> IpcResult<Edited> {
    state.with_site(|ws| {
        let changed = ws.type_field(&id, &key, &value)?;
        state::edited(ws, &id, &changed)
    })
}

/// Replace the Markdown body (unchanged lines keep their line endings).
#[tauri::command]
pub fn set_body(state: State<'_, AppState>, id: String, body: String) -> IpcResult<Edited> {
    state.with_site(|ws| {
        ws.set_body(&id, &body)?;
        state::edited(ws, &id, &[])
    })
}

/// Replace the speakers section (unchanged speakers keep their exact text).
#[tauri::command]
pub fn set_speakers(
    state: State<'_, AppState>,
    id: String,
    speakers: Vec<Speaker>,
) -> IpcResult<Edited> {
    state.with_site(|ws| {
        ws.set_speakers(&id, &speakers)?;
        state::edited(ws, &id, &[])
    })
}

/// Undo the last edit of a file (nothing happens when there is none).
#[tauri::command]
pub fn undo(state: State<'_, AppState>, id: String) -> IpcResult<Edited> {
    state.with_site(|ws| {
        ws.undo(&id)?;
        state::edited(ws, &id, &[])
    })
}

/// Redo the last undone edit of a file.
#[tauri::command]
pub fn redo(state: State<'_, AppState>, id: String) -> IpcResult<Edited> {
    state.with_site(|ws| {
        ws.redo(&id)?;
        state::edited(ws, &id, &[])
    })
}

/// Write a session to disk: the file and each twin with unsaved edits (the
/// core's `Workspace::save_session`). Fails with `conflict` when the file
/// changed on disk meanwhile (then nothing is written); a twin that cannot
/// be written is reported in `failed`.
#[tauri::command]
pub fn save_session(state: State<'_, AppState>, id: String) -> IpcResult<SessionSaved> {
    state.with_site(|ws| {
        let had_edits = ws.is_modified(&id);
        let mut saved = Vec::new();
        let mut failed = Vec::new();
        for (file, outcome) in ws.save_session(&id) {
            match outcome {
                Ok(()) => saved.push(file),
                Err(e) if file == id => return Err(e.into()),
                Err(e) => failed.push(SaveFailure {
                    id: file,
                    error: e.into(),
                }),
            }
        }
        // Only files that had something to write count as saved.
        if !had_edits {
            saved.retain(|f| f != &id);
        }
        let edited = state::edited(ws, &id, &saved)?;
        Ok(SessionSaved {
            view: edited.view,
            rows: edited.rows,
            saved,
            failed,
        })
    })
}

/// Write every modified file; reports each one that failed.
#[tauri::command]
pub fn save_all(state: State<'_, AppState>) -> IpcResult<SaveAllResult> {
    state.with_site(|ws| {
        let mut result = SaveAllResult {
            saved: Vec::new(),
            failed: Vec::new(),
        };
        for (id, outcome) in ws.save_all() {
            match outcome {
                Ok(()) => result.saved.push(id),
                Err(e) => result.failed.push(SaveFailure {
                    id,
                    error: e.into(),
                }),
            }
        }
        Ok(result)
    })
}

/// Settle a conflict between the app's edits and the disk: keep the edits
/// (the next save overwrites the disk) or take the disk's text.
#[tauri::command]
pub fn resolve_conflict(
    state: State<'_, AppState>,
    id: String,
    keep_mine: bool,
) -> IpcResult<Edited> {
    state.with_site(|ws| {
        let how = if keep_mine {
            lectern::workspace::Resolution::KeepMine
        } else {
            lectern::workspace::Resolution::TakeDisk
        };
        ws.resolve(&id, how)?;
        state::edited(ws, &id, &[])
    })
}

/// Compare a session with its file on disk now (after a save refused with
/// a conflict): the conflict with both texts, or what else changed.
#[tauri::command]
pub fn disk_state(
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<Option<crate::dto::DiskChange>> {
    state.with_site(|ws| {
        let path = ws.document(&id)?.path().to_path_buf();
        Ok(crate::watcher::change_of(ws.disk_changed(&path)?))
    })
}

/// What the last run left unsaved for the open site, if anything.
#[tauri::command]
pub fn recovery_offer(state: State<'_, AppState>) -> Option<crate::recovery::RecoveryOffer> {
    state.recovery_offer()
}

/// Restore the last run's unsaved edits (`restore`), or discard them.
#[tauri::command]
pub fn answer_recovery(
    state: State<'_, AppState>,
    restore: bool,
) -> IpcResult<Option<crate::recovery::RestoreResult>> {
    state.answer_recovery(restore)
}
