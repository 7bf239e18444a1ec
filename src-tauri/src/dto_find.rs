//! Data of the problems pane's one-click fixes (issue 15). The site-wide
//! search sends the core's `lectern::search::SearchResults` as they are.

use lectern::workspace::{FixOutcome, SessionSummary};
use serde::Serialize;
use ts_rs::TS;

/// What a one-click fix did, with the list rows of the sessions it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FixedDto {
    /// How many fixes were applied and which files changed (now unsaved).
    #[serde(flatten)]
    #[ts(flatten)]
    pub outcome: FixOutcome,
    /// The list rows of the sessions that changed.
    pub rows: Vec<SessionSummary>,
}
