//! `unknown-speaker`: a reference in a session's speakers field that no
//! speaker page answers to (see [`crate::speaker_pages`]), with the closest
//! page as "did you mean". Runs only when `[speakers] pages` is set.

use super::Loaded;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::site::Site;
use crate::speaker_pages::SpeakerPages;

pub(super) fn check(site: &Site, loaded: &[Loaded]) -> Vec<Diagnostic> {
    if site.config.speakers.pages.is_none() {
        return Vec::new();
    }
    let pages = SpeakerPages::load(site);
    let field = site.config.roles().speakers;
    let mut out = Vec::new();
    for l in loaded {
        let Some(d) = &l.doc else { continue };
        let items = d.list(&field).unwrap_or_else(|| {
            crate::document::split_presenters(&d.get(&field).unwrap_or_default())
        });
        for item in items.iter().filter(|i| !i.trim().is_empty()) {
            if pages.resolve(item).is_some() {
                continue;
            }
            let hint = match pages.suggest(item) {
                Some(s) => format!("; did you mean {s:?}?"),
                None => String::new(),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownSpeaker,
                    Severity::Error,
                    &l.file.rel,
                    d.key_line(&field).unwrap_or(0),
                    1,
                    format!("speaker {item:?} has no speaker page (by title, folder name or urlized name) in {}{hint}", site.speaker_dirs().iter().map(|p| site.rel(p)).collect::<Vec<_>>().join(", ")),
                )
                .with_field(&field),
            );
        }
    }
    out
}
