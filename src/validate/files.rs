//! File-name rules: `<track>-<id>[.<lang>].md`, the track prefix agreeing
//! with `track`, and session ids used once.

use super::Loaded;
use crate::diagnostics::{Diagnostic, Severity};
use crate::document::Document;
use crate::site::{SessionFile, Site};
use std::collections::BTreeMap;

pub(super) fn check_name(
    site: &Site,
    file: &SessionFile,
    doc: &Document,
    out: &mut Vec<Diagnostic>,
) {
    let pattern = site
        .config
        .sessions
        .file_pattern
        .as_deref()
        .unwrap_or("{track}-{id}");
    let Some(prefix) = &file.track else {
        out.push(Diagnostic::new(
            "file-name",
            Severity::Warning,
            &file.rel,
            0,
            0,
            format!("file name does not match `{pattern}[.<lang>].md`; rename it, for example to `{}-<id>.md`", doc.get("track").unwrap_or_else(|| "track".into())),
        ));
        return;
    };
    if let Some(track) = doc.get("track") {
        if &track != prefix && !track.trim().is_empty() {
            let line = doc.key_line("track").unwrap_or(0);
            out.push(
                Diagnostic::new(
                    "track-mismatch",
                    Severity::Error,
                    &file.rel,
                    line,
                    1,
                    format!("file name says track {prefix:?} but `track` is {track:?}; rename the file or change the field"),
                )
                .with_field("track"),
            );
        }
    }
}

/// Ids used by more than one session (twins share an id, so group by stem).
pub(super) fn duplicate_ids(loaded: &[Loaded]) -> Vec<Diagnostic> {
    let mut by_id: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for l in loaded {
        if let Some(id) = &l.file.id {
            by_id
                .entry(id.as_str())
                .or_default()
                .entry(l.file.stem.as_str())
                .or_insert(l.file.rel.as_str());
        }
    }
    let mut out = Vec::new();
    for (id, stems) in by_id {
        if stems.len() < 2 {
            continue;
        }
        let files: Vec<&str> = stems.values().copied().collect();
        for f in &files {
            let others: Vec<&str> = files.iter().filter(|o| *o != f).copied().collect();
            out.push(Diagnostic::new(
                "duplicate-id",
                Severity::Error,
                *f,
                0,
                0,
                format!(
                    "session id {id} is also used by {}; each session needs its own id",
                    others.join(", ")
                ),
            ));
        }
    }
    out
}
