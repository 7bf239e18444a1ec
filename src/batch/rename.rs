//! Rename a track: its slug is in each session's file name
//! (`<track>-<id>[.<lang>].md`) and in its `track` field, and the track's own
//! page is `content/tracks/<track>[.<lang>].md`. Everything moves together.

use super::{FileOp, Plan, Problem};
use crate::error::{Error, Result};
use crate::site::Site;
use crate::text::lang_of_path;
use std::path::PathBuf;

/// Whether a slug can be used in file names and URLs.
fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(['-', '.'])
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
}

/// Plan renaming track `old` to `new`: every session file named for `old`
/// moves to the `new` name with its `track` field updated (minimal diff);
/// files with `track: old` under another name get the field only; the
/// track pages `content/tracks/<old>[.<lang>].md` move to `<new>…`.
/// Refuses when `new` is not a usable slug or a target file exists.
pub fn rename_track(site: &Site, old: &str, new: &str) -> Result<Plan> {
    if !valid_slug(new) {
        return Err(Error::Invalid(format!(
            "{new:?} is not a usable track slug: use letters, digits, '-' and '_'"
        )));
    }
    if old == new {
        return Err(Error::Invalid(
            "the old and new track names are the same".into(),
        ));
    }
    let mut plan = Plan::new(format!("Rename track {old} to {new}"), &site.root);
    let mut sessions = 0;
    for (_, s) in super::load_sessions(site) {
        let mut touched = false;
        for l in &s.files {
            let by_name = l.file.track.as_deref() == Some(old);
            let Some(doc) = &l.doc else {
                if by_name {
                    plan.problems.push(Problem::at(
                        &l.file.rel,
                        "could not be read, so it was not renamed",
                    ));
                }
                continue;
            };
            let by_field = doc.get("track").is_some_and(|t| t.trim() == old);
            if !by_name && !by_field {
                continue;
            }
            touched = true;
            let after = if by_field {
                match doc.set("track", new) {
                    Ok(d) => d,
                    Err(e) => {
                        plan.problems.push(Problem::at(
                            &l.file.rel,
                            format!("cannot update `track`: {e}"),
                        ));
                        continue;
                    }
                }
            } else {
                doc.clone()
            };
            match (by_name, &l.file.id) {
                (true, Some(id)) => {
                    let stem = site.config.new_file_stem(new, id);
                    let to = site.twin_path(&stem, &l.file.lang);
                    if to.exists() {
                        return Err(Error::Invalid(format!(
                            "{} already exists; rename or remove it first",
                            site.rel(&to)
                        )));
                    }
                    plan.ops.push(FileOp::Move {
                        from: super::rel_path(&l.file),
                        to: PathBuf::from(site.rel(&to)),
                        before: doc.bytes().to_vec(),
                        after: after.bytes().to_vec(),
                    });
                }
                _ => plan.change(
                    super::rel_path(&l.file),
                    doc.bytes().to_vec(),
                    after.bytes().to_vec(),
                ),
            }
        }
        sessions += usize::from(touched);
    }
    let tracks = site.root.join("content/tracks");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&tracks)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    for p in pages {
        let Some(name) = p.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        let Some(base) = name.strip_suffix(".md") else {
            continue;
        };
        let (slug, suffix) = match lang_of_path(&p) {
            Some(l) if base.len() > l.len() + 1 && base[..base.len() - l.len() - 1] == *old => {
                (old, format!(".{l}"))
            }
            _ => (base, String::new()),
        };
        if slug != old {
            continue;
        }
        let to = tracks.join(format!("{new}{suffix}.md"));
        if to.exists() {
            return Err(Error::Invalid(format!("{} already exists; to merge two tracks, move the sessions with `lectern set` and remove the old track page", site.rel(&to))));
        }
        let bytes = crate::fs::read_regular(&p, crate::document::MAX_FILE_BYTES)?;
        plan.ops.push(FileOp::Move {
            from: PathBuf::from(site.rel(&p)),
            to: PathBuf::from(site.rel(&to)),
            before: bytes.clone(),
            after: bytes,
        });
    }
    if plan.ops.is_empty() && plan.problems.is_empty() {
        return Err(Error::Invalid(format!(
            "no session or track page uses track {old:?}"
        )));
    }
    if site.config.tracks.values().any(|v| v == old) {
        plan.notes.push(format!("lectern.toml maps Sessionize tracks to {old:?} in [tracks]; change it to {new:?} by hand"));
    }
    plan.title = format!(
        "Rename track {old} to {new} ({sessions} session{})",
        if sessions == 1 { "" } else { "s" }
    );
    Ok(plan)
}
