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
//! - Who signs: [`git_identity`] is the author and committer git itself
//!   would record (environment, repository, global and system config), or
//!   [`ExportError::IdentityMissing`] when git does not know the person;
//!   then the person is asked and [`adopt_identity`] checks what they typed
//!   ([`Signature::checked`]) and, when asked to, saves it to that
//!   repository's own config (never the global one).
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
mod review;

pub use crate::error::ExportError;

/// Result alias for export operations.
pub type ExportResult<T> = std::result::Result<T, ExportError>;

pub use archive::export_zip;
pub(crate) use change::normalise;
pub use change::{ChangeKind, ChangeSet, FileChange};
pub use diff::{
    diff_all, hunks, revert_hunk, unified_diff, word_diff, DiffKind, Hunk, HunkLine, LineEnding,
    Span, DEFAULT_CONTEXT,
};
pub use git::{
    adopt_identity, author_for, check_clean_state, create_branch_commit, git_identity, push,
    save_identity, CommitOutcome, GitIdentity, Remote, Repo, StepReport,
};
pub use naming::{branch_name_for, branch_name_with, commit_message_for, ChangeSummary};
pub use patch::export_patch;
// The app's review and export flow: pending changes, review data, revert, checklist, output files.
pub use checklist::{
    checklist, checklist_with, CheckDetail, CheckItem, CheckKey, CheckState, Checklist,
};
pub use output::{check_output_path, default_output_dir, export_file_name, local_now};
pub use pending::{git_pending, ChangeSource, Pending, SITE_FOLDERS};
pub use review::{fingerprint, highlight, review, ReviewFile, ReviewHunk, ReviewLine};

use std::path::{Path, PathBuf};

/// Who wrote a change: the `Name <email>` pair git records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

    /// A signature typed by a person, checked before it reaches git's
    /// config or a commit: both parts trimmed; the name not empty, at most
    /// [`MAX_IDENTITY`] characters, without control characters (newlines
    /// included), invisible direction or line-separator marks, `<` or `>`;
    /// the address shaped like `local@domain` without spaces, quotes or
    /// brackets. Anything else is [`ExportError::InvalidIdentity`].
    pub fn checked(name: &str, email: &str) -> ExportResult<Signature> {
        let (name, email) = (name.trim(), email.trim());
        let bad = |why: String| Err(ExportError::InvalidIdentity(why));
        if name.is_empty() {
            return bad("the name is empty; give the name reviewers should see".into());
        }
        if name.chars().count() > MAX_IDENTITY || email.chars().count() > MAX_IDENTITY {
            return bad(format!(
                "the name and the e-mail address may have at most {MAX_IDENTITY} characters each"
            ));
        }
        if let Some(c) = name
            .chars()
            .find(|&c| hidden_char(c) || c == '<' || c == '>')
        {
            return bad(format!(
                "the name contains {}, which git cannot keep in a name; use letters, spaces and punctuation only",
                describe_char(c)
            ));
        }
        if email.is_empty() {
            return bad("the e-mail address is empty; give one, such as jane@example.org".into());
        }
        if let Some(c) = email
            .chars()
            .find(|&c| hidden_char(c) || c.is_whitespace() || "<>\"'(),;:[]\\".contains(c))
        {
            return bad(format!(
                "the e-mail address contains {}; give a plain address, such as jane@example.org",
                describe_char(c)
            ));
        }
        let plausible = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !domain.starts_with(['.', '-'])
                    && !domain.ends_with(['.', '-'])
                    && !domain.contains("..")
            }
            None => false,
        };
        if !plausible {
            return bad(format!(
                "'{email}' does not look like an e-mail address; give one such as jane@example.org"
            ));
        }
        Ok(Signature::new(name, email))
    }
}

/// The longest name or e-mail address [`Signature::checked`] accepts, in characters.
pub const MAX_IDENTITY: usize = 200;

/// Characters that must not reach a name or address: control characters
/// (newline, tab, NUL, escape, DEL, C1), line and paragraph separators, and
/// the invisible marks that reorder or hide text (bidirectional overrides
/// and isolates, zero-width characters, the byte order mark).
fn hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// A character named for an error message: printable ones quoted, others
/// as their code point.
fn describe_char(c: char) -> String {
    if hidden_char(c) || c.is_whitespace() {
        format!("the invisible character U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
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
