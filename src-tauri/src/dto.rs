//! Data sent to the UI. Plain, owned, serialisable mirrors of core types,
//! each deriving `ts_rs::TS` so `ui/src/ipc/bindings/` is generated from
//! these definitions (see the `bindings` test below and
//! `scripts/check-bindings.sh`). Conversions are field mappings only; any
//! decision over domain data belongs in the core.

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
}

/// The open site, as the UI header and session list need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SiteSummary {
    /// Absolute path of the site root, for display only (the UI never sends paths back).
    pub root: String,
    /// Display name of the site.
    pub name: String,
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
}

/// Names of the events the shell emits to the UI, with their payload types.
pub mod events {
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
            "unknown-track",
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
        assert_eq!(serde_json::to_string(&MenuAction::SaveAll).unwrap(), "\"save_all\"");
    }
}
