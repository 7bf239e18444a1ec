//! A session's twins side by side: which languages exist, which are
//! missing, which fields the schema keeps in step, where the twins disagree
//! now (unsaved edits included), and which twin git shows changed after the
//! other (translation drift).

use super::Workspace;
use crate::batch::{TwinIssue, TwinStatus};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::schema::SyncRule;
use serde::Serialize;

/// What the twins view shows about a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwinReport {
    /// The stem the twins share.
    pub stem: String,
    /// The twins present, in site language order, as (lang, id).
    pub twins: Vec<(String, String)>,
    /// Languages of the site without a file for this session.
    pub missing: Vec<MissingTwin>,
    /// Fields the schema carries from one twin to the others, with how.
    pub shared: Vec<(String, SyncRule)>,
    /// Where the twins disagree now (`twin-mismatch`, `twin-format`,
    /// `twin-untranslated` findings on these files).
    pub disagreements: Vec<Diagnostic>,
    /// Possible translation drift from git: a twin committed after another.
    /// Empty when the site is not in a git repository.
    pub drift: Vec<TwinStatus>,
}

/// A language the session has no file for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingTwin {
    /// Language code.
    pub lang: String,
    /// Language name.
    pub name: String,
    /// The site-relative path the file would have.
    pub expected: String,
}

impl Workspace {
    /// The twins report of the session `id` (any of its twins).
    pub fn twin_report(&mut self, id: &str) -> Result<TwinReport> {
        let stem = self.session(id)?.file.stem.clone();
        let twins = self.twins(id);
        let site = &self.site;
        let missing = if site.languages.len() > 1 {
            site.languages
                .iter()
                .filter(|l| !twins.iter().any(|(code, _)| *code == l.code))
                .map(|l| MissingTwin {
                    lang: l.code.clone(),
                    name: l.name.clone(),
                    expected: site.rel(&site.twin_path(&stem, &l.code)),
                })
                .collect()
        } else {
            Vec::new()
        };
        let shared = site
            .schema
            .ordered()
            .into_iter()
            .filter(|r| r.sync != SyncRule::None)
            .map(|r| (r.name.clone(), r.sync))
            .collect();
        let drift = crate::batch::sync::twin_status_of(site, &stem)
            .into_iter()
            .filter(|s| matches!(s.issue, TwinIssue::Drift { .. }))
            .collect();
        let ids: Vec<&str> = twins.iter().map(|(_, t)| t.as_str()).collect();
        let disagreements = self
            .diagnostics()
            .iter()
            .filter(|d| {
                d.code.is_twin_disagreement() && ids.iter().any(|i| d.file.to_string_lossy() == *i)
            })
            .cloned()
            .collect();
        Ok(TwinReport {
            stem,
            twins,
            missing,
            shared,
            disagreements,
            drift,
        })
    }
}
