//! Data of the schedule grid's edits. The grid (`lectern::schedule::Schedule`),
//! its undoable steps (`lectern::workspace::Step`) and the twins report
//! (`lectern::workspace::TwinReport`) are the core's types, sent as they are.

use lectern::schedule::Schedule;
use lectern::workspace::{SessionSummary, Step};
use serde::Serialize;
use ts_rs::TS;

/// The result of a move, an undo or a redo in the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleEdit {
    /// The step (to undo or redo it); the UI keeps it and sends it back unchanged.
    pub step: Step,
    /// The grid now.
    pub schedule: Schedule,
    /// Session list rows of the sessions the step changed.
    pub rows: Vec<SessionSummary>,
}
