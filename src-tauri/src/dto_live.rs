//! Data of the live paths: a keystroke in the body editor and the checks
//! that run in the background (see `commands::live`). Same rules as
//! [`crate::dto`]: plain mirrors of core types, TS bindings generated.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::{DiagnosticDto, SessionRow, SpeakerDto};

/// One change of the body editor (mirror of `lectern::body_edit::TextChange`):
/// replace `from..to` with `insert`, positions in UTF-16 code units of the
/// body with `\n` line endings, before the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BodyChange {
    /// Start of the replaced range.
    pub from: u32,
    /// End of the replaced range (exclusive).
    pub to: u32,
    /// The inserted text.
    pub insert: String,
}

impl From<BodyChange> for lectern::body_edit::TextChange {
    fn from(c: BodyChange) -> Self {
        lectern::body_edit::TextChange {
            from: c.from as usize,
            to: c.to as usize,
            insert: c.insert,
        }
    }
}

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
    pub speakers: Option<Vec<SpeakerDto>>,
    /// The list row of the session.
    pub rows: Vec<SessionRow>,
}

/// The findings of a check run in the background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SiteChecked {
    /// Every finding, sorted by file and line; `None` when they are those of
    /// the version the window said it has (not sent again: 4,000 findings
    /// of a large site are a megabyte).
    pub diagnostics: Option<Vec<DiagnosticDto>>,
    /// The version of the findings (`lectern::workspace::Workspace::diagnostics_version`),
    /// to pass back to `recheck_site`.
    #[ts(type = "number")]
    pub version: u64,
    /// The site changed while the check ran: the findings are those of a
    /// moment ago (another check is due).
    pub stale: bool,
    /// List rows whose problem counts changed with this check.
    pub rows: Vec<SessionRow>,
}
