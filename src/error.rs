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
    /// The file changed on disk since it was loaded.
    #[error("{path}: changed on disk since it was opened; reload it or save elsewhere")]
    Conflict {
        /// The file.
        path: PathBuf,
    },
}

impl Error {
    /// An I/O error at a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
