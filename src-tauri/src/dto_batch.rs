//! Data of the batch operations the shell owns: a plan held for
//! confirmation (by token), what applying it did, and the requests of the
//! batch dialogs. Plans, reports, cell edits, queries and journal entries
//! are the core's `lectern::batch` types, sent as they are.

use lectern::batch::{self, PlanSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::SiteSummary;

/// A plan waiting for the person to confirm it. The plan itself stays in the
/// shell; the UI confirms it by `token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlanDto {
    /// Names this plan for `apply_plan` and `discard_plan`.
    pub token: u32,
    /// What it does, file by file.
    #[serde(flatten)]
    #[ts(flatten)]
    pub summary: PlanSummary,
    /// Files it touches that have unsaved edits in the app: it cannot be
    /// applied until they are saved (and it is planned again).
    pub unsaved: Vec<String>,
}

/// After a plan was applied or undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BatchDone {
    /// What was done ("Set room=… on 3 sessions", "Undo: …").
    pub title: String,
    /// Session ids (site-relative paths) written, created or removed.
    pub touched: Vec<String>,
    /// What "Undo last batch" would undo now, if anything.
    pub undo: Option<String>,
    /// The site as it is now (a renamed track changes the track list).
    pub site: SiteSummary,
}

/// Whether there is a batch to undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BatchStatus {
    /// The title of the batch "Undo last batch" would undo.
    pub undo: Option<String>,
}

/// One match of a search as the find and replace dialog shows it. Not the
/// core's `lectern::batch::Match`: the CLI's `find --format json` prints
/// that one (its `id` an object, its context `before_context`), and the UI
/// sends ids back as `FILE:FIELD:OFFSET` strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MatchDto {
    /// Its id (`FILE:FIELD:OFFSET`), sent back to replace it.
    pub id: String,
    /// Site-relative path.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The field, or `None` for the body.
    pub field: Option<String>,
    /// Text before the match on its line.
    pub before: String,
    /// The matched text.
    pub matched: String,
    /// Text after the match on its line.
    pub after: String,
}

impl From<batch::Match> for MatchDto {
    fn from(m: batch::Match) -> Self {
        MatchDto {
            id: m.id.to_string(),
            file: m.file,
            line: u32::try_from(m.line).unwrap_or(u32::MAX),
            column: u32::try_from(m.column).unwrap_or(u32::MAX),
            field: m.field,
            before: m.before_context,
            matched: m.matched,
            after: m.after_context,
        }
    }
}

/// A schedule's plan and report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SchedulePlanDto {
    /// The plan.
    pub plan: PlanDto,
    /// The report.
    pub report: batch::ScheduleReport,
}

/// An import's plan and report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportPlanDto {
    /// The plan.
    pub plan: PlanDto,
    /// The report.
    pub report: batch::ImportReport,
}

/// Per-file answers for an import's conflicts, by site-relative path.
pub type ConflictChoices = std::collections::BTreeMap<String, batch::sessionize::Resolution>;

/// Which kind of file the file picker asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum BatchFileKind {
    /// A schedule: CSV or a workbook.
    Schedule,
    /// A Sessionize export: JSON, CSV or a workbook.
    Sessionize,
}
