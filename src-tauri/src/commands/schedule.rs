//! Commands of the schedule grid and the twins view. The grid, its clashes,
//! moves (date and room in every twin, one undoable step) and the twins
//! report all come from the core's workspace; nothing is written until a
//! save.

use std::collections::BTreeSet;

use lectern::schedule::Schedule;
use lectern::workspace::{Step, TwinReport, Workspace};
use tauri::State;

use crate::dto_schedule::ScheduleEdit;
use crate::error::IpcResult;
use crate::state::AppState;

/// The grid of the open site, unsaved edits included.
#[tauri::command]
pub fn schedule_grid(state: State<'_, AppState>) -> IpcResult<Schedule> {
    state.with_site(|ws| Ok(ws.schedule()))
}

/// Move a session (any of its twins' ids) to `day` (`YYYY-MM-DD`), `time`
/// (`HH:MM`) and `room` (default language), in every twin.
#[tauri::command]
pub fn move_session(
    state: State<'_, AppState>,
    id: String,
    day: String,
    time: String,
    room: String,
) -> IpcResult<ScheduleEdit> {
    state.with_site(|ws| {
        let at = lectern::schedule::slot(&day, &time)?;
        let step = ws.move_session(&id, at, &room)?;
        Ok(result(ws, step))
    })
}

/// Undo a step of the grid (refused when a file was edited since).
#[tauri::command]
pub fn undo_step(state: State<'_, AppState>, step: Step) -> IpcResult<ScheduleEdit> {
    state.with_site(|ws| {
        ws.undo_step(&step)?;
        Ok(result(ws, step))
    })
}

/// Redo an undone step of the grid.
#[tauri::command]
pub fn redo_step(state: State<'_, AppState>, step: Step) -> IpcResult<ScheduleEdit> {
    state.with_site(|ws| {
        ws.redo_step(&step)?;
        Ok(result(ws, step))
    })
}

/// Missing twins, shared fields, disagreements and git drift of a session.
#[tauri::command]
pub fn twin_report(state: State<'_, AppState>, id: String) -> IpcResult<TwinReport> {
    state.with_site(|ws| Ok(ws.twin_report(&id)?))
}

fn result(ws: &mut Workspace, step: Step) -> ScheduleEdit {
    let stems: BTreeSet<String> = step
        .files
        .iter()
        .filter_map(|f| ws.session(&f.id).ok().map(|l| l.file.stem.clone()))
        .collect();
    let rows = ws
        .summaries()
        .into_iter()
        .filter(|s| stems.contains(&s.stem))
        .collect();
    ScheduleEdit {
        step,
        schedule: ws.schedule(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixture_workspace() -> (tempfile::TempDir, Workspace) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures/schedule");
        crate::opening::copy_tree_atomically(&fixture, &root).unwrap();
        let ws = Workspace::open(&root).unwrap();
        (tmp, ws)
    }

    #[test]
    fn the_grid_dto_carries_every_session_and_both_clashes() {
        let (_t, ws) = fixture_workspace();
        let g = ws.schedule();
        assert_eq!(g.sessions.len(), 5);
        assert_eq!(
            g.rooms.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["Main Hall", "Side Room"]
        );
        let kinds: Vec<(lectern::schedule::ClashKind, Vec<String>)> = g
            .clashes
            .iter()
            .map(|c| (c.kind, c.stems.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    lectern::schedule::ClashKind::Room,
                    vec!["db-301".to_string(), "web-302".to_string()]
                ),
                (
                    lectern::schedule::ClashKind::Presenter,
                    vec!["ai-303".to_string(), "ai-304".to_string()]
                ),
            ]
        );
        assert_eq!(
            serde_json::to_value(g.clashes[0].kind).unwrap(),
            serde_json::json!("room")
        );
    }

    #[test]
    fn a_move_reports_the_rows_it_changed_and_its_step_undoes_through_the_dto() {
        let (_t, mut ws) = fixture_workspace();
        let at = lectern::schedule::slot("2030-05-02", "11:00").unwrap();
        let step = ws
            .move_session("content/sessions/web-302.md", at, "Side Room")
            .unwrap();
        let edit = result(&mut ws, step.clone());
        assert_eq!(edit.rows.len(), 1);
        assert!(edit.rows[0].modified);
        assert!(edit
            .schedule
            .clashes
            .iter()
            .all(|c| c.kind != lectern::schedule::ClashKind::Room));
        // The UI sends the step back as JSON.
        let back: Step = serde_json::from_value(serde_json::to_value(&step).unwrap()).unwrap();
        ws.undo_step(&back).unwrap();
        assert!(ws.modified_ids().is_empty());
    }
}
