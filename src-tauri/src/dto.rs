//! Data the shell owns and sends to the UI: the session view, the site
//! summary, save results, menu actions and disk events. Core types (rows,
//! fields, speakers, findings) are sent as they are: the core derives
//! `ts_rs::TS` under its `ts` feature. Every type here derives `ts_rs::TS`
//! so `ui/src/ipc/bindings/` is generated from these definitions (see the
//! `bindings` test in `lib.rs` and `scripts/check-bindings.sh`). Any
//! decision over domain data belongs in the core.

use lectern::document::Fields;
use lectern::site::{Language, Track};
use lectern::speakers::Speaker;
use lectern::workspace::{FormField, SessionSummary, Twin, Workspace};
use serde::Serialize;
use ts_rs::TS;

/// Version information for the About box and bug reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    /// Product name.
    pub name: String,
    /// App version (Cargo package version).
    pub version: String,
    /// Tauri runtime version.
    pub tauri_version: String,
    /// Commands received so far, in order: only when the app runs under the
    /// end-to-end tests (`LECTERN_E2E=1`), else `None`.
    pub ipc_log: Option<Vec<String>>,
}

/// The open site, as the UI header, session list and forms need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SiteSummary {
    /// Absolute path of the site root, for display only (the UI never sends paths back).
    pub root: String,
    /// The site title.
    pub name: String,
    /// The default language code.
    pub default_lang: String,
    /// Languages, default first.
    pub languages: Vec<Language>,
    /// Tracks with their titles per language.
    pub tracks: Vec<Track>,
    /// Conference days, `YYYY-MM-DD`.
    pub days: Vec<String>,
    /// Number of session files.
    pub session_count: u32,
    /// Rooms in the default language, from the site schema (list filters).
    pub rooms: Vec<String>,
}

impl SiteSummary {
    /// Summarise a site that has `session_count` session files.
    pub fn new(site: &lectern::site::Site, session_count: usize) -> Self {
        SiteSummary {
            root: site.root.to_string_lossy().into_owned(),
            name: site.name.clone(),
            default_lang: site.default_lang.clone(),
            languages: site.languages.clone(),
            tracks: site.tracks.clone(),
            days: site.days.clone(),
            session_count: u32::try_from(session_count).unwrap_or(u32::MAX),
            rooms: site.default_rooms(),
        }
    }
}

/// A session file as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SessionView {
    /// The session id (path relative to the site root).
    pub id: String,
    /// File stem shared with its twins.
    pub stem: String,
    /// Language of this file.
    pub lang: String,
    /// This file and its twins, in site order.
    pub twins: Vec<Twin>,
    /// Edited in memory and not saved.
    pub modified: bool,
    /// The typed fields.
    pub fields: Fields,
    /// The form, in schema order, for the session's language.
    pub form: Vec<FormField>,
    /// The Markdown body.
    pub body: String,
    /// 1-based line of the file where the body starts (maps diagnostics to body lines).
    pub body_line: u32,
    /// The speakers (None when the body has no speakers section).
    pub speakers: Option<Vec<Speaker>>,
    /// Why the front matter cannot be edited, when it cannot.
    pub problem: Option<String>,
    /// The preview: a complete, sanitised HTML document from the core's
    /// renderer, for a `sandbox=""` iframe's `srcdoc`.
    pub preview_html: String,
}

impl SessionView {
    /// The editor's view of session `id` in the workspace.
    pub fn new(ws: &Workspace, id: &str) -> lectern::Result<Self> {
        let site = ws.site();
        let file = &ws.session(id)?.file;
        let doc = ws.document(id)?;
        Ok(SessionView {
            id: id.to_string(),
            stem: file.stem.clone(),
            lang: file.lang.clone(),
            twins: ws.twins(id),
            modified: doc.is_modified(),
            fields: doc.fields(),
            form: ws.form(id)?,
            body: doc.body().to_string(),
            body_line: u32::try_from(doc.line_col(doc.body_offset()).0).unwrap_or(u32::MAX),
            speakers: doc.speakers().map(|s| s.speakers),
            problem: doc.problem().map(|p| p.message.clone()),
            preview_html: preview_html(site, doc),
        })
    }
}

/// The result of an edit: the edited file, and the list rows it touched
/// (twins kept in sync change other files too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Edited {
    /// The file as it is now.
    pub view: SessionView,
    /// Rows of the sessions whose files changed.
    pub rows: Vec<SessionSummary>,
}

/// The preview of a document: a complete, sanitised HTML document for the
/// preview iframe's `srcdoc`.
pub fn preview_html(site: &lectern::site::Site, doc: &lectern::document::Document) -> String {
    lectern::render::render_document(Some(site), doc, &preview_options(site)).html
}

/// How the preview is rendered: a standalone document (CSS and CSP inlined);
/// images become `lectern-photo:` URLs of cached or site-local photos (the
/// placeholder when there is none).
fn preview_options(site: &lectern::site::Site) -> lectern::render::RenderOptions {
    let site = site.clone();
    lectern::render::RenderOptions::new(
        move |src| {
            lectern::photos::protocol::preview_url(
                &site,
                crate::photos::cache(),
                src,
                PREVIEW_PHOTO_SIZE,
            )
        },
        true,
    )
}

/// The thumbnail size the preview asks the cache for.
const PREVIEW_PHOTO_SIZE: u32 = 256;

/// The outcome of "Save": the session file and the twins its edits changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SessionSaved {
    /// The file as it is now.
    pub view: SessionView,
    /// Rows of the sessions whose files were written.
    pub rows: Vec<SessionSummary>,
    /// Ids of the files written, the saved file first (empty when nothing was unsaved).
    pub saved: Vec<String>,
    /// Twins that could not be written, with why.
    pub failed: Vec<SaveFailure>,
}

/// The outcome of "Save All".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SaveAllResult {
    /// Ids of the sessions written.
    pub saved: Vec<String>,
    /// Sessions that could not be saved, with why.
    pub failed: Vec<SaveFailure>,
}

/// One session "Save All" could not write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SaveFailure {
    /// The session id.
    pub id: String,
    /// Why.
    pub error: crate::error::IpcError,
}

/// What the window shows at startup: the open site, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SiteStatus {
    /// The open site.
    pub site: Option<SiteSummary>,
    /// Why the site asked for at startup (argument, last site) could not be opened.
    pub error: Option<crate::error::IpcError>,
}

/// What a native menu item asks the UI to do (payload of the `menu` event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum MenuAction {
    /// Save the current session.
    Save,
    /// Save every modified session.
    SaveAll,
    /// Undo in the focused editor.
    Undo,
    /// Redo in the focused editor.
    Redo,
    /// Show or hide the preview pane.
    TogglePreview,
    /// Show or hide the problems panel.
    ToggleProblems,
    /// Re-read the site from disk.
    ReloadSite,
    /// Fetch every remote speaker photo into the cache (photos, issue 4).
    FetchPhotos,
    /// Show or hide the Changes view (issue 6).
    ToggleChanges,
    // New session, navigation, help (issue 3).
    /// Open the New Session dialog.
    NewSession,
    /// Focus the session list's search box.
    FindSession,
    /// Open the next session of the (filtered) list.
    NextSession,
    /// Open the previous session of the (filtered) list.
    PreviousSession,
    /// Show the session's next language twin.
    NextLanguage,
    /// Show the keyboard shortcuts.
    KeyboardShortcuts,
    // Schedule grid + twins side by side (issue 5)
    /// Show or hide the schedule grid.
    ToggleSchedule,
    /// Show or hide the current session's twins side by side.
    ToggleTwins,
    // Batch operations (plans, bulk edits, imports)
    /// Set a field on the selected sessions.
    SetField,
    /// Edit the selected sessions as a table.
    TableView,
    /// Find and replace across the site.
    FindReplace,
    /// Rename a track.
    RenameTrack,
    /// Withdraw a session.
    Withdraw,
    /// Apply a schedule from a spreadsheet.
    ApplySchedule,
    /// Import sessions from a Sessionize export.
    ImportSessionize,
    /// Undo the last batch operation.
    UndoBatch,
    /// Restore a withdrawn session (or any batch) from the site's journal.
    RestoreJournal,
}

/// What changed on disk for one session (payload of the `disk-changed` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiskChange {
    /// What happened.
    pub kind: DiskChangeKind,
    /// The session.
    pub id: String,
    /// The text on disk (conflicts only).
    pub disk: Option<String>,
    /// The edited text in the app (conflicts only).
    pub mine: Option<String>,
    /// Whether unsaved edits were kept (conflicts, removed files).
    pub kept_edits: bool,
}

/// The kinds of [`DiskChange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum DiskChangeKind {
    /// A clean file was reloaded.
    Reloaded,
    /// An edited file changed on disk: the person must choose.
    Conflict,
    /// A session file appeared.
    Added,
    /// A session file disappeared.
    Removed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_action_serialises_in_snake_case() {
        assert_eq!(
            serde_json::to_string(&MenuAction::SaveAll).unwrap(),
            "\"save_all\""
        );
    }
}
