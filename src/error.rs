//! Errors that stop an operation. Validation findings are not errors (see
//! [`crate::diagnostics`]); only "cannot read", "cannot split" and "cannot
//! write" are.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Result alias for the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A failure with its location, ready to show to a person.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file's content cannot be handled; line and column are 1-based.
    #[error("{path}:{line}:{column}: {message}")]
    Content {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when not known).
        line: usize,
        /// 1-based column (0 when not known).
        column: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A request that makes no sense (bad key, bad argument).
    #[error("{0}")]
    Invalid(String),
    /// An id that names nothing in the open site (a session renamed or
    /// removed since the caller listed it).
    #[error("{id}: no such {what} in this site")]
    NotFound {
        /// What was looked for: "session", "speaker", ...
        what: &'static str,
        /// The id as given (clipped when long).
        id: String,
    },
    /// An export (patch, branch, archive) could not be made.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A speaker photo could not be fetched, read or converted.
    #[error(transparent)]
    Photo(#[from] PhotoError),
    /// A path the site boundary refuses (see [`crate::boundary`]): it leaves
    /// the site, is inside `.git/`, is outside the folders Lectern edits, or
    /// is not a regular file.
    #[error("{path}: refused: {reason}")]
    Boundary {
        /// The path as it was given.
        path: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
    /// The file changed on disk since it was loaded.
    #[error("{path}: changed on disk since it was opened; reload it or save elsewhere")]
    Conflict {
        /// The file.
        path: PathBuf,
    },
}

impl Error {
    /// A session id that names no session of the site.
    pub fn no_session(id: &str) -> Self {
        Error::NotFound {
            what: "session",
            id: crate::text::clip(id),
        }
    }

    /// An I/O error at a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
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
        crate::text::list_paths(paths)
    )]
    StagedChanges {
        /// The staged paths, relative to the repository root.
        paths: Vec<PathBuf>,
    },
    /// A file of the change set has unresolved merge conflicts.
    #[error(
        "{} has unresolved conflicts; resolve them (edit, then `git add`) or abort the \
         operation that caused them before exporting",
        crate::text::list_paths(paths)
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
        crate::text::list_paths(paths)
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
    /// Git does not know who the person is (no `user.name` / `user.email`
    /// and nothing it can guess): nothing was written. Ask the person, then
    /// export again with what they typed ([`crate::export::adopt_identity`]).
    #[error("{}", identity_missing_message(repo.as_deref(), detail))]
    IdentityMissing {
        /// The repository the commit was for; None outside one (a patch
        /// of a site without git).
        repo: Option<PathBuf>,
        /// Git's own reason, such as "unable to auto-detect email address".
        detail: String,
    },
    /// A name or e-mail address typed for commits that git should not get.
    #[error("{0}")]
    InvalidIdentity(String),
    /// A request that makes no sense (hunk index out of range, path outside the root).
    #[error("{0}")]
    Invalid(String),
}

impl ExportError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ExportError::Io {
            path: path.into(),
            source,
        }
    }
}

/// What to do when git has no identity: the commands that set one.
fn identity_missing_message(repo: Option<&Path>, detail: &str) -> String {
    let why = if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    };
    let how = match repo {
        Some(root) => format!(
            "set them for this repository with `git -C {root} config user.name \"Your Name\"` and \
             `git -C {root} config user.email you@example.org` (or with `git config --global ...` \
             for every repository)",
            root = crate::text::shell_word(&root.display().to_string())
        ),
        None => "set them with `git config --global user.name \"Your Name\"` and \
                 `git config --global user.email you@example.org`"
            .to_string(),
    };
    format!(
        "git does not know your name and e-mail address, which every commit and patch records{why}; {how}, then export again"
    )
}

/// Why a photo could not be fetched, decoded or stored. Every message names
/// the URL or file and says what the person can do about it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PhotoError {
    /// The URL or one of its addresses is not allowed (scheme, private
    /// network, loopback...). No request was sent to it.
    #[error("{url}: refused: {reason}")]
    Blocked {
        /// The URL as given (or the redirect target).
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}: the server answered HTTP {status}; check the link in a browser")]
    Http {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The request did not finish within the policy's time limits.
    #[error(
        "{url}: timed out after {seconds:.1} s; the server is slow or unreachable, try again later"
    )]
    Timeout {
        /// The URL requested.
        url: String,
        /// The limit that was hit, in seconds.
        seconds: f64,
    },
    /// The body is larger than the policy allows.
    #[error("{url}: the photo is larger than {limit} bytes; use a smaller photo")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// More redirects than the policy allows (or a redirect loop).
    #[error("{url}: more than {limit} redirects; link the photo's final address instead")]
    TooManyRedirects {
        /// The URL first requested.
        url: String,
        /// The redirect limit.
        limit: u32,
    },
    /// A redirect from https to plain http.
    #[error("{from}: redirects from https to plain http ({to}); refused, link an https address")]
    Downgrade {
        /// The https URL.
        from: String,
        /// The http target.
        to: String,
    },
    /// The bytes are not a PNG, JPEG, GIF or WebP image.
    #[error("{url}: not a PNG, JPEG, GIF or WebP image ({detected}); link a raster photo")]
    NotAnImage {
        /// The URL or file.
        url: String,
        /// What the bytes look like instead.
        detected: String,
    },
    /// The image is malformed, truncated or too large to decode safely.
    #[error("{url}: cannot decode the image: {message}")]
    Decode {
        /// The URL or file.
        url: String,
        /// The decoder's complaint.
        message: String,
    },
    /// The connection failed (DNS, refused, TLS...).
    #[error("{url}: network error: {message}")]
    Network {
        /// The URL requested.
        url: String,
        /// What failed.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause (shared, so one error can answer several waiting callers).
        #[source]
        source: Arc<std::io::Error>,
    },
}

impl PhotoError {
    /// An I/O error at a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        PhotoError::Io {
            path: path.into(),
            source: Arc::new(source),
        }
    }

    /// The HTTP status code, when the error is an HTTP error status.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            PhotoError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Attach a URL or file name to errors that were made without one.
    pub(crate) fn with_url(mut self, name: &str) -> Self {
        match &mut self {
            PhotoError::NotAnImage { url, .. } | PhotoError::Decode { url, .. }
                if url.is_empty() =>
            {
                *url = name.to_owned();
            }
            _ => {}
        }
        self
    }
}

/// The longest error message Lectern shows, in bytes (CLI and app alike).
/// Real messages (file, line, what to do) are a few hundred; a longer one
/// echoes a hostile value (a 100 MB spreadsheet cell, a 10 MB path) that
/// only floods the terminal or the web view.
pub const MAX_MESSAGE: usize = 4096;

/// A message cut to at most `max` bytes (on a character boundary), saying
/// how long it was.
pub fn clip(mut message: String, max: usize) -> String {
    if message.len() <= max {
        return message;
    }
    let total = message.len();
    let mut cut = max.saturating_sub(64);
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    message.truncate(cut);
    message.push_str(&format!("… (message cut, {total} bytes in all)"));
    message
}

#[cfg(test)]
mod tests {
    #[test]
    fn clip_cuts_long_messages_on_a_char_boundary() {
        assert_eq!(super::clip("short".into(), 100), "short");
        let long = "é".repeat(10_000);
        let c = super::clip(long, super::MAX_MESSAGE);
        assert!(c.len() <= super::MAX_MESSAGE, "{}", c.len());
        assert!(c.ends_with("(message cut, 20000 bytes in all)"), "{c}");
    }
}
