//! Export: turning pending file changes into a reviewable pull-request change.
//!
//! Volunteers edit session files; maintainers review pull requests. This module
//! sits between the two:
//!
//! - [`ChangeSet`] collects what changed, either from a git work tree
//!   ([`ChangeSet::from_git_head`]) or from what the app loaded and saved
//!   ([`ChangeSet::from_snapshots`]).
//! - Review: [`diff_all`] / [`unified_diff`] print git-format diffs that
//!   `git apply` accepts; [`hunks`], [`revert_hunk`] and [`word_diff`] give the
//!   UI data to show and undo single changes.
//! - With git rights: [`Repo::discover`], [`check_clean_state`],
//!   [`create_branch_commit`] and [`push`] drive the system `git` (so the user's
//!   configuration and credentials apply) and never commit anything outside the
//!   change set.
//! - Without git rights: [`export_patch`] writes a `git am`-able mbox and
//!   [`export_zip`] a plain archive with a `CHANGES.md` summary.
//! - [`branch_name_for`] and [`commit_message_for`] propose names from the
//!   change set.
//! - For the app: [`Pending`] (the open site's changes against `HEAD` or
//!   against the files as opened), [`review`] (hunks with word-level
//!   highlighting), `Workspace::revert_change` (a file or one hunk),
//!   [`checklist`] (what is checked before any export) and
//!   [`check_output_path`] (where a patch or zip may be written).

mod archive;
mod change;
mod checklist;
mod diff;
mod git;
mod naming;
mod output;
mod patch;
mod pending;
mod revert;
mod review;

pub use archive::export_zip;
pub use change::{ChangeKind, ChangeSet, FileChange};
pub use diff::{
    diff_all, hunks, revert_hunk, unified_diff, word_diff, DiffKind, Hunk, HunkLine, LineEnding,
    Span, DEFAULT_CONTEXT,
};
pub use git::{
    check_clean_state, create_branch_commit, push, CommitOutcome, Remote, Repo, StepReport,
};
pub use naming::{branch_name_for, branch_name_with, commit_message_for, ChangeSummary};
pub use patch::export_patch;
// The app's review and export flow: pending changes, review data, revert, checklist, output files.
pub use checklist::{
    checklist, checklist_with, CheckDetail, CheckItem, CheckKey, CheckState, Checklist,
};
pub use output::{
    check_output_path, default_author, default_output_dir, export_file_name, local_now,
    FALLBACK_AUTHOR,
};
pub use pending::{git_pending, ChangeSource, Pending, SITE_FOLDERS};
pub use revert::Reverted;
pub use review::{fingerprint, highlight, review, ReviewFile, ReviewHunk, ReviewLine};

use std::path::{Path, PathBuf};

/// Who wrote a change: the `Name <email>` pair git records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    /// Display name, e.g. "Jane Doe".
    pub name: String,
    /// E-mail address, e.g. "jane@example.org".
    pub email: String,
}

impl Signature {
    /// A signature from a name and an e-mail address.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Signature {
            name: name.into(),
            email: email.into(),
        }
    }
}

/// Why an export step refused or failed. Every message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A merge, rebase, cherry-pick or revert is half done.
    #[error(
        "a {operation} is in progress in this repository; finish it or abort it \
         (git {operation} --continue or --abort) before exporting"
    )]
    MergeInProgress {
        /// "merge", "rebase", "cherry-pick" or "revert".
        operation: String,
    },
    /// HEAD is not on a branch.
    #[error(
        "HEAD is detached (not on any branch); switch to a branch with `git switch <branch>` \
         before creating a commit"
    )]
    DetachedHead,
    /// The index differs from HEAD: something is staged that Lectern did not stage.
    #[error(
        "the repository has staged changes ({}); commit them or unstage them with \
         `git restore --staged <path>` first, because Lectern commits only its own changes",
        list_paths(paths)
    )]
    StagedChanges {
        /// The staged paths, relative to the repository root.
        paths: Vec<PathBuf>,
    },
    /// A file of the change set has unresolved merge conflicts.
    #[error(
        "{} has unresolved conflicts; resolve them (edit, then `git add`) or abort the \
         operation that caused them before exporting",
        list_paths(paths)
    )]
    Unmerged {
        /// The conflicted paths, relative to the repository root.
        paths: Vec<PathBuf>,
    },
    /// The branch to create exists already.
    #[error("a branch named '{name}' already exists; choose another name or delete that branch")]
    BranchExists {
        /// The branch name.
        name: String,
    },
    /// The branch name breaks git's rules for ref names.
    #[error(
        "'{name}' is not a valid branch name; use letters, digits, '-', '_', '.' and '/' \
         (no spaces, no '..', not starting with '-')"
    )]
    InvalidBranchName {
        /// The rejected name.
        name: String,
    },
    /// HEAD no longer holds what the change set was computed against.
    #[error(
        "{} changed in the repository since Lectern loaded it; reload the files and \
         review the changes again",
        list_paths(paths)
    )]
    OutOfDate {
        /// The paths whose HEAD version differs from the change set's `before`.
        paths: Vec<PathBuf>,
    },
    /// The change set holds no change.
    #[error("there are no changes to export; edit and save a file first")]
    NothingToCommit,
    /// The checklist found validation errors and the person did not
    /// choose to export anyway.
    #[error(
        "{errors} validation error(s) in the selected files; fix them, or choose to \
         export anyway (--force on the command line)"
    )]
    Blocked {
        /// How many errors.
        errors: usize,
    },
    /// A git command failed.
    #[error("`{cmd}` failed: {stderr}")]
    GitFailed {
        /// The command line, for the log.
        cmd: String,
        /// What git said (trimmed).
        stderr: String,
    },
    /// The folder is not in a git repository.
    #[error(
        "{} is not inside a git repository; export a patch or a zip archive instead",
        path.display()
    )]
    NotARepo {
        /// The folder that was looked at.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A request that makes no sense (hunk index out of range, path outside the root).
    #[error("{0}")]
    Invalid(String),
}

/// Result alias for export operations.
pub type ExportResult<T> = std::result::Result<T, ExportError>;

impl ExportError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ExportError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<ExportError> for crate::Error {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Io { path, source } => crate::Error::Io { path, source },
            other => crate::Error::Invalid(other.to_string()),
        }
    }
}

/// "a, b and 3 more" for error messages.
fn list_paths(paths: &[PathBuf]) -> String {
    const SHOWN: usize = 5;
    let mut names: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > SHOWN {
        names.push(format!("{} more", paths.len() - SHOWN));
    }
    match names.len() {
        0 => "no files".to_string(),
        1 => names.remove(0),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} and {last}", names.join(", "))
        }
    }
}

/// A path as git sees it: forward slashes, as text.
pub(crate) fn slash_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// The raw bytes of a path, for git's NUL-separated input.
pub(crate) fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        slash_path(path).into_bytes()
    }
}

/// A path from git's raw output bytes.
pub(crate) fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// Git's object id of a blob with these bytes (SHA-1 of `blob <len>\0<bytes>`).
pub(crate) fn blob_id(bytes: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    let mut h = Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Git's all-zero object id: "no object".
pub(crate) const ZERO_ID: &str = "0000000000000000000000000000000000000000";
