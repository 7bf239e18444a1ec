//! The pending changes of an open site: what the Changes view lists and
//! what an export may include.
//!
//! When the site is in a git work tree, the changes are the work tree
//! against `HEAD`, limited to the site's own folders ([`SITE_FOLDERS`]): a
//! site may be one folder of a larger repository, and other edits in the work
//! tree are not Lectern's to commit. Otherwise they are the session files as
//! they are on disk now against the bytes the app read when it opened the
//! site. Either way only saved bytes count: exports are made from files.

use super::change::{normalise, ChangeKind, ChangeSet};
use super::git::Repo;
use super::{ExportError, ExportResult};
use crate::site::Site;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The folders of a site whose files Lectern edits and exports.
pub const SITE_FOLDERS: &[&str] = &["content", "data", "static"];

/// What the pending changes are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ChangeSource {
    /// The git repository's `HEAD`.
    Git,
    /// The files as they were when the site was opened (no git).
    Opened,
}

/// The pending changes of a site, with where they come from.
#[derive(Debug, Clone)]
pub struct Pending {
    /// What the changes are compared with.
    pub source: ChangeSource,
    /// The repository, for [`ChangeSource::Git`].
    pub repo: Option<Repo>,
    /// The changes. For git the root is the repository root and the paths
    /// are repository-relative; otherwise the root is the site root.
    pub changes: ChangeSet,
    /// The site root relative to `changes.root` (empty when they are equal).
    pub site_prefix: PathBuf,
}

impl Pending {
    /// The site-relative id (`content/sessions/x.md`) of a change path, when
    /// the path is inside the site.
    pub fn site_id(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.site_prefix).ok()?;
        let id = super::slash_path(rel);
        (!id.is_empty()).then_some(id)
    }

    /// The change path of a site-relative id.
    pub fn change_path(&self, site_id: &str) -> PathBuf {
        normalise(Path::new(""), &self.site_prefix.join(site_id))
    }

    /// The changes at `paths` (change paths, as the review lists them).
    /// Refuses an empty selection and a path that has no pending change, so
    /// an export never includes anything the person did not see.
    pub fn select<P: AsRef<Path>>(&self, paths: &[P]) -> ExportResult<ChangeSet> {
        if paths.is_empty() {
            return Err(ExportError::NothingToCommit);
        }
        let known: BTreeSet<PathBuf> = self.changes.touched_paths().into_iter().collect();
        for p in paths {
            let p = normalise(&self.changes.root, p.as_ref());
            if !known.contains(&p) {
                return Err(ExportError::Invalid(format!(
                    "{} has no pending change (any more); look at the changes again",
                    super::slash_path(&p)
                )));
            }
        }
        Ok(self.changes.select(paths))
    }
}

/// The site root relative to the repository root, when it is inside it.
fn site_prefix(repo: &Repo, site: &Site) -> ExportResult<PathBuf> {
    let canon = |p: &Path| std::fs::canonicalize(p).map_err(|e| ExportError::io(p, e));
    let (repo_root, site_root) = (canon(&repo.root)?, canon(&site.root)?);
    site_root
        .strip_prefix(&repo_root)
        .map(Path::to_path_buf)
        .map_err(|_| {
            ExportError::Invalid(format!(
                "the site {} is outside the repository at {}",
                site.root.display(),
                repo.root.display()
            ))
        })
}

/// The site's changes against git's `HEAD`, limited to [`SITE_FOLDERS`];
/// None when the site is not in a git work tree.
pub fn git_pending(site: &Site) -> ExportResult<Option<Pending>> {
    let Some(repo) = Repo::discover(&site.root)? else {
        return Ok(None);
    };
    let prefix = site_prefix(&repo, site)?;
    let all = ChangeSet::from_git_head(&site.root)?;
    let managed: Vec<PathBuf> = SITE_FOLDERS.iter().map(|d| prefix.join(d)).collect();
    let paths: Vec<PathBuf> = all
        .touched_paths()
        .into_iter()
        .filter(|p| managed.iter().any(|m| p.starts_with(m)))
        .collect();
    let mut changes = all.select(&paths);
    // A move across the folders' edge is only half ours: keep the half inside.
    let inside = |p: &Path| managed.iter().any(|m| p.starts_with(m));
    for c in &mut changes.changes {
        if let ChangeKind::Moved { from } = &c.kind {
            if !inside(from) {
                c.kind = ChangeKind::Created;
                c.before = None;
            } else if !inside(&c.path) {
                c.path = from.clone();
                c.kind = ChangeKind::Deleted;
                c.after = None;
            }
        }
    }
    changes.changes.sort_by_key(|c| super::slash_path(&c.path));
    Ok(Some(Pending {
        source: ChangeSource::Git,
        repo: Some(repo),
        changes,
        site_prefix: prefix,
    }))
}
