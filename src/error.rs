//! Errors that stop an operation. Validation findings are not errors (see
//! [`crate::diagnostics`]); only "cannot read", "cannot split" and "cannot
//! write" are.

use std::path::PathBuf;

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
    Export(#[from] crate::export::ExportError),
    /// A speaker photo could not be fetched, read or converted.
    #[error(transparent)]
    Photo(#[from] crate::photos::PhotoError),
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
