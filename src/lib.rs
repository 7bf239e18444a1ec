//! Lectern's core: lossless session documents, the site schema, validation,
//! rendering, photos, batch operations and export.
//!
//! The pipeline: [`site::Site::discover`] finds a Hugo site and its schema;
//! [`document::Document::load`] splits each session file into front matter and
//! body without losing a byte; [`validate`] turns documents plus the site into
//! [`diagnostics::Diagnostic`]s; [`render`] produces sanitised preview HTML.
//! Edits are text patches on the original bytes, so untouched bytes survive.
#![warn(missing_docs)]

pub mod batch;
pub mod boundary;
// desktop app performance: body edits as an editor reports them
pub mod body_edit;
// programmes kept in data files (issue 11)
pub mod data_schedule;
pub mod diagnostics;
pub mod document;
pub mod error;
pub mod export;
pub mod fix;
pub mod front_matter;
pub mod fs;
pub mod key_order;
pub mod names;
pub mod photos;
pub mod recovery;
pub mod render;
pub mod schema_proposal;
// Schedule grid (issue 5)
pub mod schedule;
pub mod schema;
pub mod search;
pub mod site;
pub mod speaker_pages;
pub mod speakers;
// new sessions (issue 3): template selection
pub mod templates;
pub mod text;
pub mod validate;
pub mod workspace;

pub use diagnostics::{Code, Diagnostic, Fix, Severity};
pub use error::{Error, Result};
