//! Validation findings. A finding is data, not an error: every rule adds to a
//! list and nothing stops at the first problem.

use serde::Serialize;
use std::path::PathBuf;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    /// Hygiene and hints.
    Info,
    /// Probably wrong, but the site still builds.
    Warning,
    /// Wrong: the site shows something broken or misleading.
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A safe, mechanical correction for a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Fix {
    /// Set a front-matter field to a value.
    SetField {
        /// The key.
        key: String,
        /// The new value.
        value: String,
    },
    /// Replace a byte range of the file with new text.
    ReplaceRange {
        /// Start byte offset in the file.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        start: usize,
        /// End byte offset (exclusive).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        end: usize,
        /// Replacement text.
        text: String,
    },
}

/// One finding, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Diagnostic {
    /// Stable rule code, such as `unknown-track`.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// Path relative to the site root (or as given when outside a site).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub file: PathBuf,
    /// 1-based line, 0 when the finding concerns the whole file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    /// 1-based column, 0 when unknown.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
    /// The front-matter field concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub field: Option<String>,
    /// A safe automatic fix, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding with no field and no fix.
    pub fn new(
        code: &'static str,
        severity: Severity,
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            file: file.into(),
            line,
            column,
            message: message.into(),
            field: None,
            fix: None,
        }
    }

    /// Attach the field concerned.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Attach a safe fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}
