//! Where exported files go and who signs a patch.
//!
//! A patch or zip written inside the site's own folders would become a
//! pending change itself (and could land in the next export), and one
//! written inside the repository's git folder could damage it; both are
//! refused. (The author of a patch is [`super::author_for`]'s.)

use super::git::Repo;
use super::pending::SITE_FOLDERS;
use super::{ExportError, ExportResult};
use crate::site::Site;
use std::path::{Path, PathBuf};

/// A file name for an export: the branch name with `extension` (`patch`,
/// `zip`), with every character that is not safe in file names replaced.
pub fn export_file_name(branch: &str, extension: &str) -> String {
    let stem: String = branch
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches(['-', '.']);
    format!(
        "{}.{extension}",
        if stem.is_empty() {
            "lectern-update"
        } else {
            stem
        }
    )
}

/// Checks a path typed or chosen for an export file: absolute, in an
/// existing folder, not a folder itself, and outside the site's own folders
/// and the repository's git folder. Returns the path to write.
pub fn check_output_path(site: &Site, repo: Option<&Repo>, path: &Path) -> ExportResult<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(ExportError::Invalid(
            "choose where to write the file".into(),
        ));
    }
    if !path.is_absolute() {
        return Err(ExportError::Invalid(format!(
            "{} is not a full path; give the whole path, such as /home/me/update.patch",
            path.display()
        )));
    }
    if path.is_dir() {
        return Err(ExportError::Invalid(format!(
            "{} is a folder; add a file name",
            path.display()
        )));
    }
    let name = path
        .file_name()
        .ok_or_else(|| ExportError::Invalid(format!("{} has no file name", path.display())))?;
    let parent = path.parent().unwrap_or(Path::new("/"));
    let dir = std::fs::canonicalize(parent).map_err(|_| {
        ExportError::Invalid(format!(
            "the folder {} does not exist; choose an existing folder",
            parent.display()
        ))
    })?;
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = canon(&site.root);
    let mut forbidden: Vec<PathBuf> = SITE_FOLDERS.iter().map(|d| root.join(d)).collect();
    forbidden.push(canon(&site.sessions_dir));
    if let Some(r) = repo {
        forbidden.push(canon(&r.git_dir));
    }
    forbidden.push(root.join(".git"));
    if let Some(f) = forbidden.iter().find(|f| dir.starts_with(f)) {
        return Err(ExportError::Invalid(format!(
            "{} is inside {}, where the file would become part of the site or the repository; \
             choose a folder outside the site",
            path.display(),
            f.display()
        )));
    }
    Ok(dir.join(name))
}

/// A folder to offer for export files: the one holding the repository (or,
/// without git, the site), so the file lands beside the work tree and not
/// in it. Falls back to the site root's parent, then the site root.
pub fn default_output_dir(site: &Site, repo: Option<&Repo>) -> PathBuf {
    let top = repo.map_or(site.root.as_path(), |r| r.root.as_path());
    top.parent()
        .filter(|p| p.is_dir())
        .unwrap_or(&site.root)
        .to_path_buf()
}

/// The time a patch is dated with: now, in the local time zone.
pub fn local_now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}
