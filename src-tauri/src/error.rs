//! The one error type that crosses the IPC boundary: `{ kind, message }`.
//!
//! The UI switches on `kind` (a closed enum) and shows `message`, which
//! already says where the problem is and what to do. Core errors convert
//! into it; nothing else in the shell invents error text for domain data.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, coarsely, so the UI can pick a reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io,
    /// A file's content could not be understood (message has file:line:col).
    Content,
    /// The request itself was wrong (unknown key, bad value).
    Invalid,
    /// The file changed on disk since it was loaded.
    Conflict,
    /// The command needs an open site and none is open.
    NoSite,
    /// The id does not name anything in the open site.
    NotFound,
    /// A bug or an environment failure (window, dialog, app directories).
    Internal,
    /// Git does not know the person's name and e-mail address: ask for
    /// them, then send the export again with them.
    IdentityMissing,
}

/// The error every command returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    /// The class of failure.
    pub kind: ErrorKind,
    /// Human-readable, with location and remedy when there is one.
    pub message: String,
}

/// The longest error message sent to the web view, in bytes. Real messages
/// (file, line, what to do) are a few hundred.
pub const MAX_MESSAGE: usize = lectern::error::MAX_MESSAGE;

/// Result alias for commands.
pub type IpcResult<T> = Result<T, IpcError>;

impl IpcError {
    /// An error of the given kind. A message longer than
    /// [`MAX_MESSAGE`] bytes is cut: the web view sent the hostile value
    /// that made it long (a 10 MB path, a megabyte of NULs), and echoing
    /// it back only doubles the memory both sides hold.
    /// Control characters other than newline and tab are written as
    /// escapes (`\u{0}`), so a NUL or an escape sequence from a hostile value
    /// shows as text.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if message
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            message = message
                .chars()
                .map(|c| {
                    if c.is_control() && c != '\n' && c != '\t' {
                        c.escape_unicode().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
        }
        let message = lectern::error::clip(message, MAX_MESSAGE);
        IpcError { kind, message }
    }

    /// "No site is open", the same text everywhere.
    pub fn no_site() -> Self {
        IpcError::new(
            ErrorKind::NoSite,
            "No site is open. Use File › Open Site… to choose one.",
        )
    }

    /// An environment failure (window system, app directories, dialogs).
    pub fn internal(message: impl Into<String>) -> Self {
        IpcError::new(ErrorKind::Internal, message)
    }
}

impl From<lectern::Error> for IpcError {
    fn from(e: lectern::Error) -> Self {
        use lectern::export::ExportError;
        let kind = match &e {
            lectern::Error::Io { .. } | lectern::Error::Export(ExportError::Io { .. }) => {
                ErrorKind::Io
            }
            lectern::Error::Content { .. } => ErrorKind::Content,
            lectern::Error::Export(ExportError::IdentityMissing { .. }) => {
                ErrorKind::IdentityMissing
            }
            lectern::Error::Invalid(_)
            | lectern::Error::Boundary { .. }
            | lectern::Error::Export(_)
            | lectern::Error::Photo(_) => ErrorKind::Invalid,
            lectern::Error::NotFound { .. } => ErrorKind::NotFound,
            lectern::Error::Conflict { .. } => ErrorKind::Conflict,
        };
        IpcError::new(kind, e.to_string())
    }
}

impl From<lectern::export::ExportError> for IpcError {
    fn from(e: lectern::export::ExportError) -> Self {
        lectern::Error::from(e).into()
    }
}

impl From<tauri::Error> for IpcError {
    fn from(e: tauri::Error) -> Self {
        IpcError::internal(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let e = IpcError::new(ErrorKind::NoSite, "x");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "no_site", "message": "x"}));
    }

    #[test]
    fn a_message_echoing_a_huge_value_is_cut_on_a_char_boundary() {
        let e: IpcError =
            lectern::Error::Invalid(format!("no session {:?}", "é".repeat(3_000_000))).into();
        assert!(e.message.len() <= MAX_MESSAGE, "{} bytes", e.message.len());
        assert!(
            e.message.starts_with("no session \"éé"),
            "{:.40}",
            e.message
        );
        assert!(
            e.message.ends_with("6000013 bytes in all)"),
            "{}",
            &e.message[e.message.len() - 60..]
        );
        let nul = IpcError::new(
            ErrorKind::Invalid,
            format!("no journal entry {}", "\0".repeat(1 << 20)),
        );
        assert!(
            nul.message.len() <= MAX_MESSAGE && !nul.message.contains('\0'),
            "{:.60}",
            nul.message
        );
        assert!(
            nul.message.starts_with("no journal entry \\u{0}\\u{0}"),
            "{:.60}",
            nul.message
        );
        let short = IpcError::new(ErrorKind::Invalid, "a.md:3:7: bad\n\tsee the file");
        assert_eq!(short.message, "a.md:3:7: bad\n\tsee the file");
    }

    #[test]
    fn a_missing_git_identity_has_its_own_kind_for_the_ui_to_ask() {
        let e: IpcError = lectern::export::ExportError::IdentityMissing {
            repo: Some("/work/site".into()),
            detail: "unable to auto-detect email address".into(),
        }
        .into();
        assert_eq!(e.kind, ErrorKind::IdentityMissing);
        assert!(e.message.contains("user.email"), "{}", e.message);
        let bad: IpcError =
            lectern::export::ExportError::InvalidIdentity("the name is empty".into()).into();
        assert_eq!(bad.kind, ErrorKind::Invalid);
    }

    #[test]
    fn core_conflict_maps_to_conflict_kind_with_the_path_in_the_message() {
        let e: IpcError = lectern::Error::Conflict {
            path: "content/sessions/ai-1.md".into(),
        }
        .into();
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert!(
            e.message.contains("content/sessions/ai-1.md"),
            "{}",
            e.message
        );
    }

    #[test]
    fn core_content_error_keeps_line_and_column() {
        let e: IpcError = lectern::Error::Content {
            path: "a.md".into(),
            line: 3,
            column: 7,
            message: "bad".into(),
        }
        .into();
        assert_eq!(e.kind, ErrorKind::Content);
        assert!(e.message.starts_with("a.md:3:7:"), "{}", e.message);
    }
}
