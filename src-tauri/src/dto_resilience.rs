//! What the UI hears when the site's folder itself goes away or comes back
//! (deleted, renamed or unmounted while open). Per-file changes are
//! [`crate::dto::DiskChange`]s; this is about the whole folder, which the
//! watcher cannot report file by file (a rename of a parent folder sends no
//! event at all), so the shell looks for it every second.

use serde::Serialize;
use ts_rs::TS;

/// The open site's sessions folder is gone, or back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SiteFolder {
    /// Whether the folder is there now.
    pub present: bool,
    /// The sessions folder, as opened.
    pub folder: String,
    /// What happened and what to do, for the person.
    pub message: String,
}

impl SiteFolder {
    /// The folder at `folder` is gone (`present` false) or back.
    pub fn new(folder: &std::path::Path, present: bool) -> SiteFolder {
        let shown = folder.display();
        let message = if present {
            format!("The folder {shown} is back. Lectern checked its files again; you can save.")
        } else {
            format!(
                "The folder {shown} is gone (deleted, renamed or unmounted). Your unsaved edits are kept in \
                 Lectern and in crash recovery, and nothing is written there until it is back. Put the folder \
                 back where it was, then save."
            )
        };
        SiteFolder {
            present,
            folder: folder.display().to_string(),
            message,
        }
    }
}
