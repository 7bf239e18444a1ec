//! The programme data files against the session files (see
//! [`crate::data_schedule`]): an entry that names a talk no session file of
//! its event has, and a talk that its event's programme leaves out.
//!
//! - `unknown-talk` (error, on the data file's line): the site's programme
//!   links a talk page that does not exist, so the published timetable has a
//!   slot that leads nowhere (or breaks the theme's page lookup).
//! - `not-in-programme` (warning, on the session file): a published talk page
//!   with no time. Usually a talk that was dropped from the timetable or
//!   never added to it, which a maintainer wants to see; but not an error,
//!   because the site builds and it can be deliberate while a timetable is
//!   being drafted. It is reported only where the event's programme already
//!   names at least one talk (an event whose timetable is not written yet
//!   gives no findings), for sessions whose type is a talk type (an ignite
//!   or a workshop listed elsewhere is not expected there), that are not
//!   drafts and that carry no start time of their own.

use super::Loaded;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::site::Site;
use crate::text::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(site: &Site, loaded: &[Loaded]) -> Vec<Diagnostic> {
    let Some(data) = &site.data_schedule else {
        return Vec::new();
    };
    let roles = site.config.roles();
    let mut out = Vec::new();
    // Each event's session slugs, by the event's position in `data.events`.
    let mut slugs: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    let mut sessions = Vec::new();
    for l in loaded {
        let Some((i, slug)) = data.event_index_of(&l.file.rel, &l.file.stem) else {
            continue;
        };
        let event = &data.events[i];
        slugs.entry(i).or_default().insert(slug);
        sessions.push((i, event, slug, l));
    }
    for (i, event) in data.events.iter().enumerate() {
        let Some(file) = &event.programme else {
            continue;
        };
        let have = slugs.get(&i);
        for entry in event.entries.iter().filter(|e| e.is_talk) {
            let Some(talk) = entry.talk.as_deref() else {
                continue;
            };
            if have.is_some_and(|h| h.contains(talk)) {
                continue;
            }
            let hint = have
                .and_then(|h| did_you_mean(talk, h.iter().copied()))
                .map(|s| format!("; did you mean {s:?}?"))
                .unwrap_or_default();
            let folder = data
                .spec_sessions_for(event)
                .map(|f| format!(" in {f}"))
                .unwrap_or_default();
            out.push(Diagnostic::new(
                Code::UnknownTalk,
                Severity::Error,
                file,
                entry.talk_line,
                1,
                format!(
                    "the programme of {} names the talk {talk:?}, but there is no session file {talk}.md{folder}{hint}",
                    event.name()
                ),
            ));
        }
    }
    // One finding per session (its default-language file, else any twin).
    let mut seen = BTreeSet::new();
    let mut order: Vec<_> = sessions;
    order.sort_by_key(|(_, _, _, l)| (l.file.lang != site.default_lang, l.file.rel.clone()));
    for (_, event, slug, l) in order {
        let Some(file) = &event.programme else {
            continue;
        };
        if !event.entries.iter().any(|e| e.is_talk) || event.entry_for(slug).is_some() {
            continue;
        }
        if !seen.insert(l.file.stem.clone()) {
            continue;
        }
        let Some(d) = &l.doc else { continue };
        let kind = d.get(&roles.kind);
        let draft = d
            .get(&roles.draft)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let own_start = d.get(&roles.start).is_some_and(|v| !v.trim().is_empty());
        if draft || own_start || !data.spec.is_talk_type(kind.as_deref()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::NotInProgramme,
                Severity::Warning,
                &l.file.rel,
                d.key_line(&roles.title).unwrap_or(1),
                1,
                format!(
                    "this talk is not in the programme of {} ({file}); add an entry `{}: {slug}` there with its time, or remove the page if the talk was dropped",
                    event.name(),
                    data.spec.talk
                ),
            )
            .with_field(&roles.title),
        );
    }
    out
}
