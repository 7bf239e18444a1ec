//! Validation: documents plus the site in, [`Diagnostic`]s out.
//!
//! Files are loaded and checked one by one in parallel (rayon); rules that
//! look across files (twins, duplicate ids, room and presenter clashes,
//! inferred values) run afterwards on small per-file summaries. Nothing stops
//! at the first problem, and nothing here writes.

mod data_schedule;
mod fields;
mod files;
mod learned;
pub(crate) mod programme;
mod speakers_ref;
mod twins;

pub use learned::Inferred;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::document::Document;
use crate::error::Error;
use crate::fs::{content_hash, Hash};
use crate::site::{SessionFile, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A session file with its document, or why it could not be read.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where it is.
    pub file: SessionFile,
    /// The document, when the file could be decoded.
    pub doc: Option<Document>,
}

/// The outcome of a check.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every finding, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// How many session files were checked.
    pub files: usize,
}

impl Report {
    /// Number of findings of a severity.
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

/// Load every session file of the site in parallel. Files that cannot be
/// decoded, and `.md` entries that are skipped (symbolic links leaving the
/// site, loops, names that are not UTF-8), become diagnostics; `progress` is
/// called once per file.
pub fn load_all(site: &Site, progress: &(dyn Fn() + Sync)) -> (Vec<Loaded>, Vec<Diagnostic>) {
    let files = site.session_files();
    let skipped: Vec<Diagnostic> = site
        .skipped_session_files()
        .into_iter()
        .map(|s| Diagnostic::new(Code::SkippedFile, Severity::Warning, s.rel, 0, 0, s.reason))
        .collect();
    let results: Vec<(Loaded, Option<Diagnostic>)> = files
        .into_par_iter()
        .map(|file| {
            let r = Document::load(&file.path);
            progress();
            match r {
                Ok(doc) => (
                    Loaded {
                        file,
                        doc: Some(doc),
                    },
                    None,
                ),
                Err(e) => {
                    let d = load_error(&file.rel, &e);
                    (Loaded { file, doc: None }, Some(d))
                }
            }
        })
        .collect();
    let mut loaded = Vec::with_capacity(results.len());
    let mut diags = skipped;
    for (l, d) in results {
        loaded.push(l);
        diags.extend(d);
    }
    (loaded, diags)
}

/// [`load_all`], keeping the documents of `previous` (by path) whose file
/// still holds the bytes they were loaded from: a reload reads every file
/// but parses only those that changed. Documents with unsaved edits are
/// never kept (their file's bytes are parsed afresh). `previous` is left
/// with the documents that were not kept.
pub fn load_all_reusing(
    site: &Site,
    previous: &mut HashMap<PathBuf, Document>,
) -> (Vec<Loaded>, Vec<Diagnostic>) {
    let files = site.session_files();
    let skipped: Vec<Diagnostic> = site
        .skipped_session_files()
        .into_iter()
        .map(|s| Diagnostic::new(Code::SkippedFile, Severity::Warning, s.rel, 0, 0, s.reason))
        .collect();
    let read: Vec<(SessionFile, crate::Result<(Vec<u8>, Hash)>)> = files
        .into_par_iter()
        .map(|file| {
            let r = crate::fs::read_regular(&file.path, crate::document::MAX_FILE_BYTES).map(|b| {
                let h = content_hash(&b);
                (b, h)
            });
            (file, r)
        })
        .collect();
    // Keep what did not change, in file order; parse the rest in parallel.
    let read: Vec<(
        SessionFile,
        Result<Document, crate::Result<(Vec<u8>, Hash)>>,
    )> = read
        .into_iter()
        .map(|(file, r)| {
            let kept = match &r {
                Ok((_, hash)) => previous
                    .remove(&file.path)
                    .filter(|d| d.base_hash() == Some(*hash) && !d.is_modified()),
                Err(_) => None,
            };
            match kept {
                Some(doc) => (file, Ok(doc)),
                None => (file, Err(r)),
            }
        })
        .collect();
    let results: Vec<(Loaded, Option<Diagnostic>)> = read
        .into_par_iter()
        .map(|(file, r)| {
            let parsed = match r {
                Ok(doc) => Ok(doc),
                Err(Ok((bytes, hash))) => Document::from_disk(&file.path, bytes, hash),
                Err(Err(e)) => Err(e),
            };
            match parsed {
                Ok(doc) => (
                    Loaded {
                        file,
                        doc: Some(doc),
                    },
                    None,
                ),
                Err(e) => {
                    let d = load_error(&file.rel, &e);
                    (Loaded { file, doc: None }, Some(d))
                }
            }
        })
        .collect();
    let mut loaded = Vec::with_capacity(results.len());
    let mut diags = skipped;
    for (l, d) in results {
        loaded.push(l);
        diags.extend(d);
    }
    (loaded, diags)
}

/// A load failure as a diagnostic.
pub fn load_error(rel: &str, e: &Error) -> Diagnostic {
    match e {
        Error::Content {
            line,
            column,
            message,
            ..
        } => Diagnostic::new(
            Code::Unreadable,
            Severity::Error,
            rel,
            *line,
            *column,
            message.clone(),
        ),
        // The diagnostic already names the file; say only what is wrong.
        Error::Io { source, .. } => Diagnostic::new(
            Code::Unreadable,
            Severity::Error,
            rel,
            0,
            0,
            source.to_string(),
        ),
        other => Diagnostic::new(
            Code::Unreadable,
            Severity::Error,
            rel,
            0,
            0,
            other.to_string(),
        ),
    }
}

/// Check the whole site.
pub fn check_site(site: &Site) -> Report {
    check_site_with_progress(site, &|| {})
}

/// Check the whole site, calling `progress` once per file loaded.
pub fn check_site_with_progress(site: &Site, progress: &(dyn Fn() + Sync)) -> Report {
    let (loaded, load_diags) = load_all(site, progress);
    check_loaded(site, &loaded, load_diags)
}

/// Check already loaded documents (the app keeps them in memory).
pub fn check_loaded(site: &Site, loaded: &[Loaded], mut diags: Vec<Diagnostic>) -> Report {
    diags.extend(site.problems.iter().cloned());
    let inferred = Inferred::from_loaded(site, loaded);
    let per_file: Vec<Vec<Diagnostic>> = loaded
        .par_iter()
        .filter_map(|l| {
            l.doc
                .as_ref()
                .map(|d| check_document(site, &inferred, &l.file, d))
        })
        .collect();
    diags.extend(per_file.into_iter().flatten());
    diags.extend(files::duplicate_ids(site, loaded));
    diags.extend(twins::check(site, loaded));
    diags.extend(programme::check(site, loaded));
    diags.extend(data_schedule::check(site, loaded));
    diags.extend(speakers_ref::check(site, loaded));
    sort(&mut diags);
    Report {
        diagnostics: diags,
        files: loaded.len(),
    }
}

/// Check one document on its own (no cross-file rules beyond the inferred values).
pub fn check_document(
    site: &Site,
    inferred: &Inferred,
    file: &SessionFile,
    doc: &Document,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(p) = doc.problem() {
        out.push(Diagnostic::new(
            p.code,
            Severity::Error,
            &file.rel,
            p.line,
            p.column,
            p.message.clone(),
        ));
        return out;
    }
    fields::check(site, inferred, file, doc, &mut out);
    files::check_name(site, file, doc, &mut out);
    fields::check_speakers(site, inferred, file, doc, &mut out);
    fields::hygiene(file, doc, &mut out);
    out
}

/// Keep only findings for the given files (paths relative to the site root or absolute).
pub fn only_files(site: &Site, report: &mut Report, paths: &[&Path]) {
    let rels: Vec<String> = paths
        .iter()
        .map(|p| site.rel(&std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())))
        .collect();
    report.diagnostics.retain(|d| {
        let f = d.file.to_string_lossy();
        rels.iter()
            .any(|r| r.is_empty() || f == *r || f.starts_with(&format!("{r}/")))
    });
}

/// Sort findings by file, line, column, then code.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
}
