//! DTOs of the app-level features of issue 3: recent sites (New Session
//! answers with the core's `lectern::workspace::NewSession`)
//! (the leave prompt's types live with their logic in [`crate::unsaved`]).

use serde::Serialize;
use ts_rs::TS;

/// A recent site for the welcome screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecentSiteDto {
    /// The site root (sent back as is to open or remove it; the shell only
    /// accepts roots that are in the list).
    pub root: String,
    /// The site title when it was last opened.
    pub name: String,
    /// The folder no longer exists.
    pub missing: bool,
}

impl From<&crate::recent::RecentSite> for RecentSiteDto {
    fn from(s: &crate::recent::RecentSite) -> Self {
        RecentSiteDto {
            root: s.root.to_string_lossy().into_owned(),
            name: s.name.clone(),
            missing: s.is_missing(),
        }
    }
}
