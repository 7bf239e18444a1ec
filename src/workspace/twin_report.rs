//! A session's twins side by side: which languages exist, which are
//! missing, which fields the schema keeps in step, where the twins disagree
//! now (unsaved edits included), and which twin git shows changed after the
//! other (translation drift).

use super::Workspace;
use crate::batch::TwinIssue;
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::schema::SyncRule;
use serde::Serialize;

/// What the twins view shows about a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TwinReport {
    /// The stem the twins share.
    pub stem: String,
    /// The twins present, in site language order.
    pub twins: Vec<super::Twin>,
    /// Languages of the site without a file for this session.
    pub missing: Vec<MissingTwin>,
    /// Fields the schema carries from one twin to the others, with how.
    pub shared: Vec<SharedField>,
    /// Where the twins disagree now (`twin-mismatch`, `twin-format`,
    /// `twin-untranslated` findings on these files).
    pub disagreements: Vec<Diagnostic>,
    /// Possible translation drift from git: a twin committed after another.
    /// Empty when the site is not in a git repository.
    pub drift: Vec<Drift>,
}

/// A field the schema keeps in step across twins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SharedField {
    /// The key.
    pub key: String,
    /// How it reaches the twins (never [`SyncRule::None`]).
    pub sync: SyncRule,
}

/// A twin that may be an out-of-date translation: git shows another twin
/// committed after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Drift {
    /// The twin that may lag behind (site-relative path).
    pub file: String,
    /// The twin committed later.
    pub changed: String,
    /// When, `YYYY-MM-DD`.
    pub changed_on: String,
    /// One line to show.
    pub message: String,
}

/// A language the session has no file for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
                .filter(|l| !twins.iter().any(|t| t.lang == l.code))
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
            .map(|r| SharedField {
                key: r.name.clone(),
                sync: r.sync,
            })
            .collect();
        let drift = crate::batch::sync::twin_status_of(site, &stem)
            .into_iter()
            .filter_map(|s| match s.issue {
                TwinIssue::Drift {
                    changed,
                    changed_on,
                } => Some(Drift {
                    file: s.file,
                    changed,
                    changed_on,
                    message: s.message,
                }),
                TwinIssue::Missing { .. } => None,
            })
            .collect();
        let ids: Vec<&str> = twins.iter().map(|t| t.id.as_str()).collect();
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
