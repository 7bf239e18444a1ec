//! Validation: documents plus the site in, [`Diagnostic`]s out.
//!
//! Files are loaded and checked one by one in parallel (rayon); rules that
//! look across files (twins, duplicate ids, room and presenter clashes,
//! inferred values) run afterwards on small per-file summaries. Nothing stops
//! at the first problem, and nothing here writes.

mod fields;
mod files;
mod infer;
pub(crate) mod programme;
mod twins;

pub use fields::parse_datetime;
pub use infer::{did_you_mean, Inferred};

use crate::diagnostics::{Diagnostic, Severity};
use crate::document::Document;
use crate::error::Error;
use crate::site::{SessionFile, Site};
use rayon::prelude::*;
use std::path::Path;

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
        .map(|s| Diagnostic::new("skipped-file", Severity::Warning, s.rel, 0, 0, s.reason))
        .collect();
    let results: Vec<(Loaded, Option<Diagnostic>)> = files
        .into_par_iter()
        .map(|file| {
            let r = Document::load(&file.path);
            progress();
            match r {
                Ok(doc) => (Loaded { file, doc: Some(doc) }, None),
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
        Error::Content { line, column, message, .. } => Diagnostic::new("unreadable", Severity::Error, rel, *line, *column, message.clone()),
        // The diagnostic already names the file; say only what is wrong.
        Error::Io { source, .. } => Diagnostic::new("unreadable", Severity::Error, rel, 0, 0, source.to_string()),
        other => Diagnostic::new("unreadable", Severity::Error, rel, 0, 0, other.to_string()),
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
        .filter_map(|l| l.doc.as_ref().map(|d| check_document(site, &inferred, &l.file, d)))
        .collect();
    diags.extend(per_file.into_iter().flatten());
    diags.extend(files::duplicate_ids(loaded));
    diags.extend(twins::check(site, loaded));
    diags.extend(programme::check(site, loaded));
    sort(&mut diags);
    Report { diagnostics: diags, files: loaded.len() }
}

/// Check one document on its own (no cross-file rules beyond the inferred values).
pub fn check_document(site: &Site, inferred: &Inferred, file: &SessionFile, doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(p) = doc.problem() {
        let sev = if p.code == "no-front-matter" { Severity::Error } else { Severity::Error };
        out.push(Diagnostic::new(p.code, sev, &file.rel, p.line, p.column, p.message.clone()));
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
    let rels: Vec<String> = paths.iter().map(|p| site.rel(&std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()))).collect();
    report.diagnostics.retain(|d| {
        let f = d.file.to_string_lossy();
        rels.iter().any(|r| r.is_empty() || f == *r || f.starts_with(&format!("{r}/")))
    });
}

/// Sort findings by file, line, column, then code.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code)));
}
