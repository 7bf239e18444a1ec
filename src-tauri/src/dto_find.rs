//! Data of the problems pane's one-click fixes and of the site-wide search
//! (issue 15). Same rules as [`crate::dto`]: plain mirrors of core types,
//! TS bindings generated.

use serde::Serialize;
use ts_rs::TS;

use crate::dto::SessionRow;

/// What a one-click fix did (mirror of `lectern::workspace::FixOutcome`,
/// with the list rows of the sessions it changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FixedDto {
    /// How many fixes were applied.
    pub applied: u32,
    /// Ids of the files that changed (now unsaved).
    pub changed: Vec<String>,
    /// The list rows of the sessions that changed.
    pub rows: Vec<SessionRow>,
}

/// Where a search match is (mirror of `lectern::search::SearchField`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum SearchFieldDto {
    /// The title.
    Title,
    /// The presenters.
    Presenters,
    /// The Markdown body.
    Body,
}

impl From<lectern::search::SearchField> for SearchFieldDto {
    fn from(f: lectern::search::SearchField) -> Self {
        match f {
            lectern::search::SearchField::Title => SearchFieldDto::Title,
            lectern::search::SearchField::Presenters => SearchFieldDto::Presenters,
            lectern::search::SearchField::Body => SearchFieldDto::Body,
        }
    }
}

/// One match (mirror of `lectern::search::SearchHit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SearchHitDto {
    /// The file's session id.
    pub id: String,
    /// The stem shared by its twins.
    pub stem: String,
    /// Its language code.
    pub lang: String,
    /// Its title.
    pub title: String,
    /// Where the match is.
    pub field: SearchFieldDto,
    /// Snippet text before the match.
    pub before: String,
    /// The matched text.
    pub matched: String,
    /// Snippet text after the match.
    pub after: String,
    /// 1-based line in the file.
    pub line: u32,
    /// For a body match, its start in the editor's body (UTF-16 units).
    pub body_offset: Option<u32>,
}

/// What a search found (mirror of `lectern::search::SearchResults`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SearchResultsDto {
    /// The hits shown.
    pub hits: Vec<SearchHitDto>,
    /// Matches in all.
    pub total: u32,
    /// Files with a match.
    pub files: u32,
}

fn pos(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<lectern::search::SearchResults> for SearchResultsDto {
    fn from(r: lectern::search::SearchResults) -> Self {
        SearchResultsDto {
            hits: r
                .hits
                .into_iter()
                .map(|h| SearchHitDto {
                    id: h.id,
                    stem: h.stem,
                    lang: h.lang,
                    title: h.title,
                    field: h.field.into(),
                    before: h.before,
                    matched: h.matched,
                    after: h.after,
                    line: pos(h.line),
                    body_offset: h.body_offset.map(pos),
                })
                .collect(),
            total: pos(r.total),
            files: pos(r.files),
        }
    }
}
