//! Data sent to the UI. Plain, owned, serialisable mirrors of core types,
//! each deriving `ts_rs::TS` so `ui/src/ipc/bindings/` is generated from
//! these definitions (see the `bindings` test below and
//! `scripts/check-bindings.sh`). Conversions are field mappings only; any
//! decision over domain data belongs in the core.

use std::collections::BTreeMap;

use lectern::workspace::{SessionSummary, Workspace};
use serde::{Deserialize, Serialize};
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
    pub languages: Vec<LanguageDto>,
    /// Tracks with their titles per language.
    pub tracks: Vec<TrackDto>,
    /// Conference days, `YYYY-MM-DD`.
    pub days: Vec<String>,
    /// Number of session files.
    pub session_count: u32,
    /// Rooms in the default language, from the site schema (list filters).
    pub rooms: Vec<String>,
}

/// A site language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LanguageDto {
    /// Code used as the file suffix.
    pub code: String,
    /// Display name.
    pub name: String,
}

/// A track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TrackDto {
    /// Slug used in `track:` and file names.
    pub slug: String,
    /// Title per language code.
    pub titles: BTreeMap<String, String>,
}

impl SiteSummary {
    /// Summarise a site that has `session_count` session files.
    pub fn new(site: &lectern::site::Site, session_count: usize) -> Self {
        SiteSummary {
            root: site.root.to_string_lossy().into_owned(),
            name: site.name.clone(),
            default_lang: site.default_lang.clone(),
            languages: site
                .languages
                .iter()
                .map(|l| LanguageDto {
                    code: l.code.clone(),
                    name: l.name.clone(),
                })
                .collect(),
            tracks: site
                .tracks
                .iter()
                .map(|t| TrackDto {
                    slug: t.slug.clone(),
                    titles: t.titles.clone(),
                })
                .collect(),
            days: site.days.clone(),
            session_count: u32::try_from(session_count).unwrap_or(u32::MAX),
            rooms: site
                .schema
                .get("room")
                .and_then(|r| r.values_for(&site.default_lang))
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// One language version of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TwinDto {
    /// Language code.
    pub lang: String,
    /// The file's session id.
    pub id: String,
}

/// One row of the session list: a session with its twins (mirror of
/// `lectern::workspace::SessionSummary`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SessionRow {
    /// Id of the default-language file (or the first twin present).
    pub id: String,
    /// File stem shared by the twins.
    pub stem: String,
    /// Title in the default language.
    pub title: String,
    /// Track slug.
    pub track: String,
    /// Track title in the default language.
    pub track_title: String,
    /// Position of the track in the site's list, for a stable colour.
    pub track_index: Option<u32>,
    /// `YYYY-MM-DD`, when the date parses.
    pub day: Option<String>,
    /// `HH:MM`, when the date parses.
    pub time: Option<String>,
    /// Room in the default language.
    pub room: String,
    /// Presenters.
    pub presenters: String,
    /// Titles and presenters of the other language versions, one per line.
    pub twin_text: String,
    /// Languages present, in site order.
    pub twins: Vec<TwinDto>,
    /// Errors and warnings across the twins.
    pub problems: u32,
    /// Whether any twin has unsaved edits.
    pub modified: bool,
}

impl From<SessionSummary> for SessionRow {
    fn from(s: SessionSummary) -> Self {
        SessionRow {
            id: s.id,
            stem: s.stem,
            title: s.title,
            track: s.track,
            track_title: s.track_title,
            track_index: s.track_index.map(pos),
            day: s.day,
            time: s.time,
            room: s.room,
            presenters: s.presenters,
            twin_text: s.twin_text,
            twins: s
                .twins
                .into_iter()
                .map(|(lang, id)| TwinDto { lang, id })
                .collect(),
            problems: pos(s.problems),
            modified: s.modified,
        }
    }
}

/// The front-matter fields Lectern knows, plus the others (mirror of `lectern::document::Fields`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldsDto {
    /// `title`
    pub title: Option<String>,
    /// `date`
    pub date: Option<String>,
    /// `track`
    pub track: Option<String>,
    /// `presenters`
    pub presenters: Option<String>,
    /// `stype`
    pub stype: Option<String>,
    /// `room`
    pub room: Option<String>,
    /// `speechLink`
    pub speech_link: Option<String>,
    /// Other scalar keys.
    pub extra: BTreeMap<String, String>,
}

impl From<lectern::document::Fields> for FieldsDto {
    fn from(f: lectern::document::Fields) -> Self {
        FieldsDto {
            title: f.title,
            date: f.date,
            track: f.track,
            presenters: f.presenters,
            stype: f.stype,
            room: f.room,
            speech_link: f.speech_link,
            extra: f.extra,
        }
    }
}

/// How a form field is edited (mirror of `lectern::schema::FieldType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A date and time.
    Datetime,
    /// One of a list of values.
    Enum,
    /// An http(s) URL.
    Url,
    /// A comma-separated list in one string.
    List,
}

impl From<lectern::schema::FieldType> for FieldKind {
    fn from(t: lectern::schema::FieldType) -> Self {
        use lectern::schema::FieldType as T;
        match t {
            T::Text => FieldKind::Text,
            T::Datetime => FieldKind::Datetime,
            T::Enum => FieldKind::Enum,
            T::Url => FieldKind::Url,
            T::List => FieldKind::List,
            // A real list (issue 12): shown like a comma-separated one until
            // the form edits lists as chips; the core refuses to collapse a
            // list into one string, so a save cannot damage it.
            T::Items => FieldKind::List,
        }
    }
}

/// One field of the session form, from the site's schema, for one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FormField {
    /// The front-matter key.
    pub key: String,
    /// How to edit it.
    pub kind: FieldKind,
    /// Must be present and not empty.
    pub required: bool,
    /// Allowed values in the session's language (empty when free).
    pub choices: Vec<String>,
    /// The current value as written (None when the key is absent).
    pub value: Option<String>,
}

/// One speaker (mirror of `lectern::speakers::Speaker`); also sent back by the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SpeakerDto {
    /// Photo source as written.
    pub photo: Option<String>,
    /// Name.
    pub name: String,
    /// Text after "Name:".
    pub headline: String,
    /// Further lines.
    pub bio: String,
}

impl From<lectern::speakers::Speaker> for SpeakerDto {
    fn from(s: lectern::speakers::Speaker) -> Self {
        SpeakerDto {
            photo: s.photo,
            name: s.name,
            headline: s.headline,
            bio: s.bio,
        }
    }
}

impl From<SpeakerDto> for lectern::speakers::Speaker {
    fn from(s: SpeakerDto) -> Self {
        lectern::speakers::Speaker {
            photo: s.photo,
            name: s.name,
            headline: s.headline,
            bio: s.bio,
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
    pub twins: Vec<TwinDto>,
    /// Edited in memory and not saved.
    pub modified: bool,
    /// The typed fields.
    pub fields: FieldsDto,
    /// The form, in schema order, for the session's language.
    pub form: Vec<FormField>,
    /// The Markdown body.
    pub body: String,
    /// 1-based line of the file where the body starts (maps diagnostics to body lines).
    pub body_line: u32,
    /// The speakers (None when the body has no speakers section).
    pub speakers: Option<Vec<SpeakerDto>>,
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
        let lang = file.lang.as_str();
        // The core's display order (built-in fields first, then by name).
        let form = site
            .schema
            .ordered()
            .into_iter()
            .map(|rule| FormField {
                key: rule.name.clone(),
                kind: rule.kind.into(),
                required: rule.required,
                choices: rule.values_for(lang).cloned().unwrap_or_default(),
                value: doc.get(&rule.name),
            })
            .collect();
        let twins: Vec<TwinDto> = ws
            .twins(id)
            .into_iter()
            .map(|(lang, id)| TwinDto { lang, id })
            .collect();
        Ok(SessionView {
            id: id.to_string(),
            stem: file.stem.clone(),
            lang: file.lang.clone(),
            twins,
            modified: doc.is_modified(),
            fields: doc.fields().into(),
            form,
            body: doc.body().to_string(),
            body_line: pos(doc.line_col(doc.body_offset()).0),
            speakers: doc
                .speakers()
                .map(|s| s.speakers.into_iter().map(SpeakerDto::from).collect()),
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
    pub rows: Vec<SessionRow>,
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
    pub rows: Vec<SessionRow>,
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

/// How bad a finding is (mirror of `lectern::Severity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum SeverityDto {
    /// Hygiene and hints.
    Info,
    /// Probably wrong.
    Warning,
    /// Wrong.
    Error,
}

impl From<lectern::Severity> for SeverityDto {
    fn from(s: lectern::Severity) -> Self {
        match s {
            lectern::Severity::Info => SeverityDto::Info,
            lectern::Severity::Warning => SeverityDto::Warning,
            lectern::Severity::Error => SeverityDto::Error,
        }
    }
}

/// One finding for the problems panel (mirror of `lectern::Diagnostic`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiagnosticDto {
    /// Stable rule code.
    pub code: String,
    /// How bad it is.
    pub severity: SeverityDto,
    /// Path relative to the site root.
    pub file: String,
    /// 1-based line, 0 for the whole file.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// What is wrong and what to do.
    pub message: String,
    /// The front-matter field concerned.
    pub field: Option<String>,
    /// Whether the core offers a safe automatic fix.
    pub fixable: bool,
}

/// Saturating conversion for positions (a file with 4 billion lines is not a session file).
fn pos(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<&lectern::Diagnostic> for DiagnosticDto {
    fn from(d: &lectern::Diagnostic) -> Self {
        DiagnosticDto {
            code: d.code.to_string(),
            severity: d.severity.into(),
            file: d.file.to_string_lossy().into_owned(),
            line: pos(d.line),
            column: pos(d.column),
            message: d.message.clone(),
            field: d.field.clone(),
            fixable: d.fix.is_some(),
        }
    }
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

/// Names of the events the shell emits to the UI, with their payload types.
pub mod events {
    /// A session file changed on disk; payload [`super::DiskChange`].
    pub const DISK_CHANGED: &str = "disk-changed";
    /// A menu item was chosen; payload [`super::MenuAction`].
    pub const MENU: &str = "menu";
    /// A site was opened (menu, argument, reopen); payload [`super::SiteSummary`].
    pub const SITE_OPENED: &str = "site-opened";
    /// Something failed outside a command (menu action); payload [`crate::error::IpcError`].
    pub const ERROR: &str = "app-error";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_maps_every_field() {
        let d = lectern::Diagnostic::new(
            lectern::Code::UnknownTrack,
            lectern::Severity::Warning,
            "content/sessions/x-1.md",
            2,
            8,
            "track \"x\" is not declared",
        )
        .with_field("track");
        let dto = DiagnosticDto::from(&d);
        assert_eq!(dto.code, "unknown-track");
        assert_eq!(dto.severity, SeverityDto::Warning);
        assert_eq!(dto.file, "content/sessions/x-1.md");
        assert_eq!((dto.line, dto.column), (2, 8));
        assert_eq!(dto.field.as_deref(), Some("track"));
        assert!(!dto.fixable);
    }

    #[test]
    fn menu_action_serialises_in_snake_case() {
        assert_eq!(
            serde_json::to_string(&MenuAction::SaveAll).unwrap(),
            "\"save_all\""
        );
    }
}
