//! Data of the batch operations (plans, tables, find and replace, schedule
//! and Sessionize reports) as sent to and from the UI. Mirrors of the core's
//! `lectern::batch` types; conversions are field mappings only.

use std::collections::BTreeMap;

use lectern::batch::{self, FileOp, Plan};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::SiteSummary;
use lectern::schema::FieldType;

/// Saturating conversion for counts and positions.
fn n(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// What a plan does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum PlanOpKind {
    /// A new file.
    Create,
    /// New bytes for an existing file.
    Change,
    /// A renamed file (maybe changed too).
    Move,
    /// A removed file (kept in the journal).
    Delete,
}

/// One file of a plan, with its unified diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlanFileDto {
    /// What happens to it.
    pub kind: PlanOpKind,
    /// Site-relative path (the new path of a move).
    pub path: String,
    /// The old path of a move.
    pub from: Option<String>,
    /// The change in git's unified format.
    pub diff: String,
}

/// A hand edit an import would overwrite (mirror of `lectern::batch::Conflict`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConflictDto {
    /// Site-relative path.
    pub path: String,
    /// The field, or `None` for the body.
    pub field: Option<String>,
    /// What the previous import wrote.
    pub base: Option<String>,
    /// What is in the file now.
    pub ours: String,
    /// What this import would write.
    pub theirs: String,
}

/// Something the operation could not do (mirror of `lectern::batch::Problem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProblemDto {
    /// Site-relative path, when it is about one file.
    pub path: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// A plan waiting for the person to confirm it. The plan itself stays in the
/// shell; the UI confirms it by `token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlanDto {
    /// Names this plan for `apply_plan` and `discard_plan`.
    pub token: u32,
    /// What the operation is.
    pub title: String,
    /// Files created.
    pub created: u32,
    /// Files changed.
    pub changed: u32,
    /// Files moved.
    pub moved: u32,
    /// Files deleted.
    pub deleted: u32,
    /// Every site file it touches (Lectern's own `.lectern/` files left out).
    pub files: Vec<PlanFileDto>,
    /// Hand edits it leaves alone (imports).
    pub conflicts: Vec<ConflictDto>,
    /// What could not be planned.
    pub problems: Vec<ProblemDto>,
    /// Remarks.
    pub notes: Vec<String>,
    /// Files it touches that have unsaved edits in the app: it cannot be
    /// applied until they are saved (and it is planned again).
    pub unsaved: Vec<String>,
}

impl PlanDto {
    /// The UI's view of `plan`.
    pub fn new(plan: &Plan, token: u32, unsaved: Vec<String>) -> Self {
        let slash = |p: &std::path::Path| p.to_string_lossy().replace('\\', "/");
        let mut counts = [0usize; 4];
        let files = plan
            .site_ops()
            .map(|op| {
                let (kind, from) = match op {
                    FileOp::Create { .. } => (PlanOpKind::Create, None),
                    FileOp::Change { .. } => (PlanOpKind::Change, None),
                    FileOp::Move { from, .. } => (PlanOpKind::Move, Some(slash(from))),
                    FileOp::Delete { .. } => (PlanOpKind::Delete, None),
                };
                counts[kind as usize] += 1;
                PlanFileDto {
                    kind,
                    path: slash(op.path()),
                    from,
                    diff: lectern::export::unified_diff(
                        &op.to_file_change(),
                        lectern::export::DEFAULT_CONTEXT,
                    ),
                }
            })
            .collect();
        PlanDto {
            token,
            title: plan.title.clone(),
            created: n(counts[0]),
            changed: n(counts[1]),
            moved: n(counts[2]),
            deleted: n(counts[3]),
            files,
            conflicts: plan
                .conflicts
                .iter()
                .map(|c| ConflictDto {
                    path: c.path.clone(),
                    field: c.field.clone(),
                    base: c.base.clone(),
                    ours: c.ours.clone(),
                    theirs: c.theirs.clone(),
                })
                .collect(),
            problems: plan
                .problems
                .iter()
                .map(|p| ProblemDto {
                    path: p.path.clone(),
                    message: p.message.clone(),
                })
                .collect(),
            notes: plan.notes.clone(),
            unsaved,
        }
    }
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

/// One column of the table view: a schema field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ColumnDto {
    /// The front-matter key.
    pub key: String,
    /// How its cells are edited.
    pub kind: FieldType,
    /// Must be present and not empty.
    pub required: bool,
    /// Allowed values in the site's default language (empty when free).
    pub choices: Vec<String>,
}

/// One row of the table view: a session, by its primary (default-language) file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TableRowDto {
    /// The session's stem.
    pub stem: String,
    /// The id of the file the values come from.
    pub id: String,
    /// Values in column order (`None` when the key is absent).
    pub values: Vec<Option<String>>,
    /// Whether a file of the session has unsaved edits.
    pub modified: bool,
}

/// The table view's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TableDto {
    /// Schema fields, in schema order.
    pub columns: Vec<ColumnDto>,
    /// The sessions asked for, in the order asked (unknown stems left out).
    pub rows: Vec<TableRowDto>,
}

/// One edited cell, sent by the UI.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct CellEditDto {
    /// The session's stem.
    pub stem: String,
    /// The front-matter key.
    pub key: String,
    /// The new value; `None` removes the field.
    pub value: Option<String>,
}

impl From<CellEditDto> for batch::CellEdit {
    fn from(c: CellEditDto) -> Self {
        batch::CellEdit {
            stem: c.stem,
            key: c.key,
            value: c.value,
        }
    }
}

/// Where find and replace looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum ScopeDto {
    /// Front-matter values.
    Fields,
    /// Bodies.
    Body,
    /// Both.
    Both,
}

/// A search, sent by the UI (mirror of `lectern::batch::Query`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct QueryDto {
    /// The text or regular expression.
    pub pattern: String,
    /// Whether `pattern` is a regular expression.
    pub regex: bool,
    /// Where to look.
    pub scope: ScopeDto,
    /// Ignore case.
    pub ignore_case: bool,
}

impl From<QueryDto> for batch::Query {
    fn from(q: QueryDto) -> Self {
        let scope = match q.scope {
            ScopeDto::Fields => batch::Scope::Fields,
            ScopeDto::Body => batch::Scope::Body,
            ScopeDto::Both => batch::Scope::Both,
        };
        batch::Query {
            pattern: q.pattern,
            regex: q.regex,
            scope,
            ignore_case: q.ignore_case,
        }
    }
}

/// One match of a search (mirror of `lectern::batch::Match`).
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
            line: n(m.line),
            column: n(m.column),
            field: m.field,
            before: m.before_context,
            matched: m.matched,
            after: m.after_context,
        }
    }
}

/// Column names of a schedule, sent by the UI; empty means Sessionize's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
pub struct ScheduleColumnsDto {
    /// The session id column.
    pub id: Option<String>,
    /// The start time column.
    pub date: Option<String>,
    /// The room column.
    pub room: Option<String>,
}

impl From<ScheduleColumnsDto> for batch::ColumnMapping {
    fn from(c: ScheduleColumnsDto) -> Self {
        let d = batch::ColumnMapping::default();
        let pick = |v: Option<String>, d: String| v.filter(|s| !s.trim().is_empty()).unwrap_or(d);
        batch::ColumnMapping {
            id: pick(c.id, d.id),
            date: pick(c.date, d.date),
            room: pick(c.room, d.room),
        }
    }
}

/// A spreadsheet row that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RowIssueDto {
    /// The row number as the spreadsheet shows it.
    pub row: u32,
    /// The session id in the row.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl From<&batch::RowIssue> for RowIssueDto {
    fn from(r: &batch::RowIssue) -> Self {
        RowIssueDto {
            row: n(r.row),
            id: r.id.clone(),
            message: r.message.clone(),
        }
    }
}

/// What a schedule did to the rows and sessions (mirror of `lectern::batch::ScheduleReport`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleReportDto {
    /// The sheet read.
    pub sheet: String,
    /// Data rows read.
    pub rows: u32,
    /// Sessions the schedule applies to.
    pub scheduled: Vec<String>,
    /// Rows whose session id is not on the site.
    pub unmatched_rows: Vec<RowIssueDto>,
    /// Sessions no row mentions.
    pub unscheduled_sessions: Vec<String>,
    /// Rows that could not be applied.
    pub errors: Vec<RowIssueDto>,
    /// Rows repeating another row for the same session.
    pub duplicates: Vec<RowIssueDto>,
}

impl From<&batch::ScheduleReport> for ScheduleReportDto {
    fn from(r: &batch::ScheduleReport) -> Self {
        let rows = |v: &[batch::RowIssue]| v.iter().map(RowIssueDto::from).collect();
        ScheduleReportDto {
            sheet: r.sheet.clone(),
            rows: n(r.rows),
            scheduled: r.scheduled.clone(),
            unmatched_rows: rows(&r.unmatched_rows),
            unscheduled_sessions: r.unscheduled_sessions.clone(),
            errors: rows(&r.errors),
            duplicates: rows(&r.duplicates),
        }
    }
}

/// A schedule's plan and report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SchedulePlanDto {
    /// The plan.
    pub plan: PlanDto,
    /// The report.
    pub report: ScheduleReportDto,
}

/// A session an import left out (mirror of `lectern::batch::sessionize::Skipped`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SkippedDto {
    /// Sessionize id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Why.
    pub reason: String,
}

/// What an import found (mirror of `lectern::batch::ImportReport`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportReportDto {
    /// Accepted sessions in the file.
    pub accepted: u32,
    /// New sessions (stems).
    pub created: Vec<String>,
    /// Sessions whose files change.
    pub updated: Vec<String>,
    /// Sessions already up to date.
    pub unchanged: Vec<String>,
    /// Left out on purpose (not accepted, breaks).
    pub skipped: Vec<SkippedDto>,
    /// Could not be imported.
    pub errors: Vec<SkippedDto>,
    /// Remarks.
    pub warnings: Vec<String>,
}

impl From<&batch::ImportReport> for ImportReportDto {
    fn from(r: &batch::ImportReport) -> Self {
        let list = |v: &[batch::sessionize::Skipped]| {
            v.iter()
                .map(|s| SkippedDto {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    reason: s.reason.clone(),
                })
                .collect()
        };
        ImportReportDto {
            accepted: n(r.accepted),
            created: r.created.clone(),
            updated: r.updated.clone(),
            unchanged: r.unchanged.clone(),
            skipped: list(&r.skipped),
            errors: list(&r.errors),
            warnings: r.warnings.clone(),
        }
    }
}

/// An import's plan and report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportPlanDto {
    /// The plan.
    pub plan: PlanDto,
    /// The report.
    pub report: ImportReportDto,
}

/// How to settle one file's import conflicts, sent by the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// Leave the hand edit and show the conflict again next time.
    Ask,
    /// Keep the hand edit.
    KeepOurs,
    /// Take the imported version.
    TakeTheirs,
}

impl From<ConflictChoice> for batch::sessionize::Resolution {
    fn from(c: ConflictChoice) -> Self {
        use batch::sessionize::Resolution as R;
        match c {
            ConflictChoice::Ask => R::Ask,
            ConflictChoice::KeepOurs => R::KeepOurs,
            ConflictChoice::TakeTheirs => R::TakeTheirs,
        }
    }
}

/// Per-file answers for an import's conflicts, by site-relative path.
pub type ConflictChoices = BTreeMap<String, ConflictChoice>;

/// One entry of the site's journal of applied plans (mirror of `lectern::batch::TrashEntry`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JournalEntryDto {
    /// Its id, to restore it.
    pub id: String,
    /// What the plan did.
    pub title: String,
    /// When it was applied (RFC 3339).
    pub created: String,
    /// Site files it deleted (a withdrawn session's files).
    pub deleted: Vec<String>,
    /// Site files it created, changed, moved, deleted.
    pub counts: Vec<u32>,
    /// Whether it was undone or restored already.
    pub restored: bool,
}

impl From<batch::TrashEntry> for JournalEntryDto {
    fn from(e: batch::TrashEntry) -> Self {
        JournalEntryDto {
            id: e.id,
            title: e.title,
            created: e.created,
            deleted: e.deleted,
            counts: e.counts.iter().map(|c| n(*c)).collect(),
            restored: e.restored,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_lists_site_files_with_diffs_and_counts_and_leaves_out_bookkeeping() {
        let plan = Plan {
            title: "t".into(),
            root: "/site".into(),
            ops: vec![
                FileOp::Change {
                    path: "content/sessions/a.md".into(),
                    before: b"room: A\n".to_vec(),
                    after: b"room: B\n".to_vec(),
                },
                FileOp::Move {
                    from: "content/sessions/x-1.md".into(),
                    to: "content/sessions/y-1.md".into(),
                    before: b"k\n".to_vec(),
                    after: b"k\n".to_vec(),
                },
                FileOp::Create {
                    path: ".lectern/import/1.json".into(),
                    after: b"{}".to_vec(),
                },
            ],
            ..Default::default()
        };
        let dto = PlanDto::new(&plan, 7, vec![]);
        assert_eq!(
            (dto.token, dto.created, dto.changed, dto.moved, dto.deleted),
            (7, 0, 1, 1, 0)
        );
        assert_eq!(dto.files.len(), 2);
        assert!(
            dto.files[0].diff.contains("-room: A\n+room: B\n"),
            "{}",
            dto.files[0].diff
        );
        assert_eq!(
            dto.files[1].from.as_deref(),
            Some("content/sessions/x-1.md")
        );
    }

    #[test]
    fn empty_schedule_columns_fall_back_to_sessionizes_names() {
        let m: batch::ColumnMapping = ScheduleColumnsDto {
            id: Some(" ".into()),
            date: None,
            room: Some("Hall".into()),
        }
        .into();
        assert_eq!(
            (m.id.as_str(), m.date.as_str(), m.room.as_str()),
            ("Session Id", "Scheduled At", "Hall")
        );
    }
}
