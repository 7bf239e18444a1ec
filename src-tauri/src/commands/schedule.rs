//! Commands of the schedule grid and the twins view. The grid, its clashes,
//! moves (date and room in every twin, one undoable step) and the twins
//! report all come from the core's workspace; nothing is written until a
//! save.

use std::collections::BTreeSet;

use lectern::workspace::Workspace;
use tauri::State;

use crate::dto::SessionRow;
use crate::dto_schedule::{ScheduleDto, ScheduleEdit, StepDto, TwinReportDto};
use crate::error::IpcResult;
use crate::state::AppState;

/// The grid of the open site, unsaved edits included.
#[tauri::command]
pub fn schedule_grid(state: State<'_, AppState>) -> IpcResult<ScheduleDto> {
    state.with_site(|ws| Ok(ws.schedule().into()))
}

/// Move a session (any of its twins' ids) to `day` (`YYYY-MM-DD`), `time`
/// (`HH:MM`) and `room` (default language), in every twin.
#[tauri::command]
pub fn move_session(state: State<'_, AppState>, id: String, day: String, time: String, room: String) -> IpcResult<ScheduleEdit> {
    state.with_site(|ws| {
        let at = lectern::schedule::slot(&day, &time)?;
        let step = ws.move_session(&id, at, &room)?;
        Ok(result(ws, step.into()))
    })
}

/// Undo a step of the grid (refused when a file was edited since).
#[tauri::command]
pub fn undo_step(state: State<'_, AppState>, step: StepDto) -> IpcResult<ScheduleEdit> {
    state.with_site(|ws| {
        ws.undo_step(&step.clone().into())?;
        Ok(result(ws, step))
    })
}

/// Redo an undone step of the grid.
#[tauri::command]
pub fn redo_step(state: State<'_, AppState>, step: StepDto) -> IpcResult<ScheduleEdit> {
    state.with_site(|ws| {
        ws.redo_step(&step.clone().into())?;
        Ok(result(ws, step))
    })
}

/// Missing twins, shared fields, disagreements and git drift of a session.
#[tauri::command]
pub fn twin_report(state: State<'_, AppState>, id: String) -> IpcResult<TwinReportDto> {
    state.with_site(|ws| Ok(ws.twin_report(&id)?.into()))
}

fn result(ws: &mut Workspace, step: StepDto) -> ScheduleEdit {
    let stems: BTreeSet<String> = step.files.iter().filter_map(|f| ws.session(&f.id).ok().map(|l| l.file.stem.clone())).collect();
    let rows = ws.summaries().into_iter().filter(|s| stems.contains(&s.stem)).map(SessionRow::from).collect();
    ScheduleEdit { step, schedule: ws.schedule().into(), rows }
}
