//! Data of the live paths: a keystroke in the body editor and the checks
//! that run in the background (see `commands::live`). Same rules as
//! [`crate::dto`]: core types sent as they are, TS bindings generated.
//! Body edits arrive as the core's `lectern::body_edit::TextChange`.

use serde::Serialize;
use ts_rs::TS;

use lectern::speakers::Speaker;
use lectern::workspace::SessionSummary;
use lectern::Diagnostic;

/// What a body edit changed that the window shows: less than a whole
/// [`crate::dto::SessionView`], since the form cannot change and the
/// editor already has the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BodyEdited {
    /// The preview document (as `SessionView::preview_html`).
    pub preview_html: String,
    /// The file has unsaved edits.
    pub modified: bool,
    /// The speakers section as it is now.
    pub speakers: Option<Vec<Speaker>>,
    /// The list row of the session.
    pub rows: Vec<SessionSummary>,
}

/// The findings of a check run in the background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SiteChecked {
    /// Every finding, sorted by file and line; `None` when they are those of
    /// the version the window said it has (not sent again: 4,000 findings
    /// of a large site are a megabyte).
    pub diagnostics: Option<Vec<Diagnostic>>,
    /// The version of the findings (`lectern::workspace::Workspace::diagnostics_version`),
    /// to pass back to `recheck_site`.
    #[ts(type = "number")]
    pub version: u64,
    /// The site changed while the check ran: the findings are those of a
    /// moment ago (another check is due).
    pub stale: bool,
    /// List rows whose problem counts changed with this check.
    pub rows: Vec<SessionSummary>,
}
