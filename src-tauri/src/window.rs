//! Names shared between the shell and the UI: the main window's label and
//! every event the shell emits, with its payload type. Kept in one module
//! that depends on nothing else in the shell, so that any module may emit
//! without importing the module that happens to own a feature.

/// Label of the main window (also in `tauri.conf.json` and the capability).
pub const MAIN_WINDOW: &str = "main";

/// Names of the events the shell emits to the UI, with their payload types.
pub mod events {
    /// A session file changed on disk; payload [`crate::dto::DiskChange`].
    pub const DISK_CHANGED: &str = "disk-changed";
    /// A menu item was chosen; payload [`crate::dto::MenuAction`].
    pub const MENU: &str = "menu";
    /// A site was opened (menu, argument, reopen); payload [`crate::dto::SiteSummary`].
    pub const SITE_OPENED: &str = "site-opened";
    /// Something failed outside a command (menu action); payload [`crate::error::IpcError`].
    pub const ERROR: &str = "app-error";
    /// The UI should settle a pending leave; payload [`crate::unsaved::LeaveRequest`].
    pub const LEAVE_REQUESTED: &str = "leave-requested";
    /// The sessions folder disappeared or reappeared; payload
    /// [`crate::dto_resilience::SiteFolder`].
    pub const SITE_FOLDER: &str = "site-folder";
    /// Progress of "Fetch all photos"; payload [`crate::dto_photos::PhotoFetchProgress`].
    pub const PHOTOS_PROGRESS: &str = "photos-progress";
    /// "Fetch all photos" ended; payload [`crate::dto_photos::PhotoFetchSummary`].
    pub const PHOTOS_FETCHED: &str = "photos-fetched";
}
