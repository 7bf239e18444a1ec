//! File-name rules: the site's file pattern (`<track>-<id>[.<lang>].md` by
//! default), the track prefix agreeing with `track`, and session ids used
//! once. Each rule runs only when the pattern names its part: a site whose
//! files are named by slug (`{slug}`) or not by any rule (`none`) gets no
//! file-name, track-mismatch or duplicate-id finding.

use super::Loaded;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::document::Document;
use crate::site::{SessionFile, Site};
use std::collections::BTreeMap;

pub(super) fn check_name(
    site: &Site,
    file: &SessionFile,
    doc: &Document,
    out: &mut Vec<Diagnostic>,
) {
    let Some(pattern) = site.config.file_pattern() else {
        return;
    };
    let name = file.stem.rsplit('/').next().unwrap_or(&file.stem);
    let matched = site.config.file_regex().is_match(name);
    if matched && !site.config.pattern_has("track") {
        return;
    }
    let Some(prefix) = file.track.as_ref().filter(|_| matched) else {
        out.push(Diagnostic::new(
            Code::FileName,
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
                    Code::TrackMismatch,
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

/// Whether ids are unique per track rather than across the site: declared
/// in `[sessions] id_scope`, else learned. A site that numbers per track
/// (2023's `ai-1019` and `olap-1019`) shares many ids across tracks and
/// none within one; a site with global ids shares at most a stray few.
pub(crate) fn ids_per_track(site: &Site, loaded: &[Loaded]) -> bool {
    use crate::schema::IdScope;
    match site.config.sessions.id_scope.unwrap_or_default() {
        IdScope::Site => return false,
        IdScope::Track => return true,
        IdScope::Auto => {}
    }
    if !site.config.pattern_has("track") {
        return false;
    }
    // id -> track -> stems
    let mut by_id: BTreeMap<&str, BTreeMap<&str, std::collections::BTreeSet<&str>>> =
        BTreeMap::new();
    for l in loaded {
        if let (Some(id), Some(track)) = (&l.file.id, &l.file.track) {
            by_id
                .entry(id.as_str())
                .or_default()
                .entry(track.as_str())
                .or_default()
                .insert(l.file.stem.as_str());
        }
    }
    let across = by_id.values().filter(|t| t.len() > 1).count();
    let within = by_id
        .values()
        .flat_map(|t| t.values())
        .filter(|s| s.len() > 1)
        .count();
    across >= 5 && within == 0
}

/// Ids used by more than one session (twins share an id, so group by stem),
/// within the id scope of the site (see [`ids_per_track`]).
pub(super) fn duplicate_ids(site: &Site, loaded: &[Loaded]) -> Vec<Diagnostic> {
    if !site.config.pattern_has("id") {
        return Vec::new();
    }
    let per_track = ids_per_track(site, loaded);
    let mut by_id: BTreeMap<String, BTreeMap<&str, &str>> = BTreeMap::new();
    for l in loaded {
        if let Some(id) = &l.file.id {
            let key = match (&l.file.track, per_track) {
                (Some(t), true) => format!("{t}-{id}"),
                _ => id.clone(),
            };
            by_id
                .entry(key)
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
                Code::DuplicateId,
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
