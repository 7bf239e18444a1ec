//! Data of the Changes view and the export dialog that the shell owns (a
//! changed file with the workspace's session id and unsaved state, the
//! repository for display, what an export wrote) and the requests the UI
//! sends for exports. Hunks, the checklist, git steps and identities are
//! the core's `lectern::export` types, sent as they are.

use lectern::export::{self, ChangeKind, ChangeSource, Checklist, Remote, ReviewFile, ReviewHunk};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Saturating conversion for counts.
fn n(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The repository the site is in, for display (its root written lossily:
/// a folder name need not be UTF-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepoDto {
    /// The work tree's top folder (display only).
    pub root: String,
    /// The current branch; None when HEAD is detached.
    pub branch: Option<String>,
    /// The commit HEAD points at; None before the first commit.
    pub head: Option<String>,
    /// The remotes, by name.
    pub remotes: Vec<Remote>,
}

impl From<&export::Repo> for RepoDto {
    fn from(r: &export::Repo) -> Self {
        RepoDto {
            root: r.root.to_string_lossy().into_owned(),
            branch: r.branch.clone(),
            head: r.head.clone(),
            remotes: r.remotes.clone(),
        }
    }
}

/// What happened to a file (the core's `ChangeKind` without the old path,
/// which [`ChangedFileDto`] carries as `from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum ChangeKindDto {
    /// New file.
    Created,
    /// Bytes changed.
    Changed,
    /// Renamed (maybe changed too).
    Moved,
    /// Removed.
    Deleted,
}

/// One changed file in the Changes view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChangedFileDto {
    /// The change path (repository-relative for git): what the UI sends back.
    pub path: String,
    /// The session id when the file is a session of the open site.
    pub site_id: Option<String>,
    /// What happened.
    pub kind: ChangeKindDto,
    /// The old path of a move.
    pub from: Option<String>,
    /// Binary file (no hunks).
    pub binary: bool,
    /// Lines added.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
    /// The file also has unsaved edits (not part of this diff).
    pub unsaved: bool,
    /// Hunks, numbered from 0 for reverting.
    pub hunks: Vec<ReviewHunk>,
    /// Identifies the reviewed version; sent back to revert.
    pub fingerprint: String,
}

impl ChangedFileDto {
    /// Map a reviewed file; `site_id` and `unsaved` come from the workspace.
    pub fn new(r: ReviewFile, site_id: Option<String>, unsaved: bool) -> Self {
        let (kind, from) = match &r.kind {
            ChangeKind::Created => (ChangeKindDto::Created, None),
            ChangeKind::Changed => (ChangeKindDto::Changed, None),
            ChangeKind::Deleted => (ChangeKindDto::Deleted, None),
            ChangeKind::Moved { from } => (ChangeKindDto::Moved, Some(slash(from))),
        };
        ChangedFileDto {
            path: slash(&r.path),
            site_id,
            kind,
            from,
            binary: r.binary,
            added: n(r.added),
            removed: n(r.removed),
            unsaved,
            hunks: r.hunks,
            fingerprint: r.fingerprint,
        }
    }
}

fn slash(p: &std::path::Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every pending change of the open site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChangesDto {
    /// Compared with git's HEAD, or with the files as opened.
    pub source: ChangeSource,
    /// The repository, for git.
    pub repo: Option<RepoDto>,
    /// The changed files, by path.
    pub files: Vec<ChangedFileDto>,
    /// Session ids with unsaved edits (anywhere in the site).
    pub unsaved: Vec<String>,
}

/// The pre-export checklist, with whether it blocks the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChecklistDto {
    /// Problems, photos, twins, unsaved edits, and the counts.
    #[serde(flatten)]
    #[ts(flatten)]
    pub checklist: Checklist,
    /// Whether the export is refused unless the errors are overridden.
    pub blocked: bool,
}

impl From<Checklist> for ChecklistDto {
    fn from(checklist: Checklist) -> Self {
        ChecklistDto {
            blocked: checklist.blocked(),
            checklist,
        }
    }
}

/// What the export dialog starts from for one selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportPrepDto {
    /// The checklist.
    pub checklist: ChecklistDto,
    /// Proposed branch name (free in the repository).
    pub branch: String,
    /// Proposed commit message, in the site's style.
    pub message: String,
    /// Proposed file name for a patch.
    pub patch_file: String,
    /// Proposed file name for a zip.
    pub zip_file: String,
    /// A folder outside the site to write files to (display and dialogs).
    pub default_dir: String,
}

/// "Create branch" as the person filled it in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct BranchRequest {
    /// Change paths to include.
    pub selected: Vec<String>,
    /// Branch name.
    pub name: String,
    /// Commit message.
    pub message: String,
    /// Remote to push to afterwards; None to not push.
    pub push: Option<String>,
    /// Move the work tree onto the new branch.
    pub switch: bool,
    /// Export despite validation errors.
    pub override_errors: bool,
    /// The name and e-mail address the person typed after git said it did
    /// not know them; None to use git's own identity.
    pub identity: Option<export::Signature>,
    /// Also save `identity` to the repository's config.
    pub save_identity: bool,
}

/// What "Create branch" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BranchOutcomeDto {
    /// The new branch.
    pub branch: String,
    /// Its commit.
    pub commit: String,
    /// Files in the commit.
    pub files: Vec<String>,
    /// Whether the work tree is now on it.
    pub switched: bool,
    /// Every step, push included when asked; a failed push is a failed step.
    pub steps: Vec<export::StepReport>,
}

/// "Export patch" or "Export zip" as the person filled it in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct FileExportRequest {
    /// Change paths to include.
    pub selected: Vec<String>,
    /// Where to write (absolute).
    pub path: String,
    /// The patch's commit message (patches only).
    pub message: Option<String>,
    /// Export despite validation errors.
    pub override_errors: bool,
    /// Patches only: the name and e-mail address typed after git said it
    /// did not know them; None to use git's own identity.
    pub identity: Option<export::Signature>,
    /// Patches only: also save `identity` to the repository's config.
    pub save_identity: bool,
}

/// A written export file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileExportDto {
    /// Where it was written.
    pub path: String,
    /// Changes included.
    pub files: u32,
    /// Size in bytes.
    pub bytes: u32,
}

/// What a revert did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RevertedDto {
    /// The change path reverted.
    pub path: String,
    /// Sessions whose text changed, appeared or went away.
    pub sessions: Vec<String>,
}

/// Which kind of export file a save dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum ExportFileKind {
    /// A `git am` mbox.
    Patch,
    /// A zip archive.
    Zip,
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern::export::FileChange;
    use std::path::PathBuf;

    #[test]
    fn a_moved_file_keeps_its_old_path_and_its_word_spans() {
        let change = FileChange {
            path: PathBuf::from("content/sessions/db-102.md"),
            kind: ChangeKind::Moved {
                from: PathBuf::from("content/sessions/db-101.md"),
            },
            before: Some(b"---\ntitle: \"Old words\"\n---\n".to_vec()),
            after: Some(b"---\ntitle: \"New words\"\n---\n".to_vec()),
        };
        let dto = ChangedFileDto::new(
            export::review(&change),
            Some("content/sessions/db-102.md".into()),
            true,
        );
        assert_eq!(dto.kind, ChangeKindDto::Moved);
        assert_eq!(dto.from.as_deref(), Some("content/sessions/db-101.md"));
        assert!(dto.unsaved);
        assert_eq!((dto.added, dto.removed), (1, 1));
        let added = dto.hunks[0]
            .lines
            .iter()
            .find(|l| l.kind == export::DiffKind::Insert)
            .unwrap();
        let marked: Vec<&str> = added
            .spans
            .iter()
            .filter(|s| s.kind == export::DiffKind::Insert)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ["New"]);
        assert_eq!(added.new_line, Some(2));
    }

    #[test]
    fn a_checklist_with_an_error_is_blocked_and_says_so() {
        let list = export::Checklist {
            items: vec![export::CheckItem {
                key: export::CheckKey::Problems,
                state: export::CheckState::Blocking,
                summary: "1 error(s)".into(),
                details: vec![export::CheckDetail {
                    file: "content/sessions/web-103.md".into(),
                    line: 7,
                    message: "unknown room".into(),
                    severity: lectern::Severity::Error,
                }],
            }],
            errors: 1,
            warnings: 0,
            files: 1,
        };
        let dto = ChecklistDto::from(list);
        assert!(dto.blocked);
        // The checklist is flattened: the UI reads `items`, `errors` and `blocked` side by side.
        let json = serde_json::to_value(&dto).unwrap();
        assert_eq!(json["blocked"], true);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["items"][0]["key"], "problems");
        assert_eq!(json["items"][0]["state"], "blocking");
        assert_eq!(json["items"][0]["details"][0]["line"], 7);
        assert_eq!(json["items"][0]["details"][0]["severity"], "error");
    }
}
