//! Lectern's core: lossless session documents, the site schema, validation,
//! rendering, photos, batch operations and export.
//!
//! The pipeline: [`site::Site::discover`] finds a Hugo site and its schema;
//! [`document::Document::load`] splits each session file into front matter and
//! body without losing a byte; [`validate`] turns documents plus the site into
//! [`diagnostics::Diagnostic`]s; [`render`] produces sanitised preview HTML.
//! Edits are text patches on the original bytes, so untouched bytes survive.
//!
//! Modules in layers; each uses only the layers above it, and
//! `scripts/module-cycles.py src crate 1 --check` (run by the test script)
//! keeps it so:
//!
//! | Layer | Modules |
//! |---|---|
//! | Foundations | [`text`], [`error`], [`diagnostics`], [`fs`], [`boundary`] |
//! | One file | [`front_matter`], [`document`], [`speakers`], [`body_edit`], [`key_order`], [`names`] |
//! | One site | [`schema`], [`data_schedule`], [`site`], [`speaker_pages`], [`templates`] |
//! | Reading a site | [`validate`], [`fix`], [`schedule`] (the grid), [`search`], [`render`], [`schema_proposal`] (`lectern schema infer`) |
//! | Changing a site | [`batch`] (plans: bulk edits, spreadsheets, imports, the journal), [`export`] (changes, diffs, git, patches), [`photos`] |
//! | An open site | [`workspace`] (what the app edits: documents, undo, saving, plans and reverts applied to it), [`recovery`] |
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
