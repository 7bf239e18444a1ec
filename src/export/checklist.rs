//! The checklist shown before any export: are the files about to leave
//! the machine in a state a reviewer will accept?
//!
//! Four items, each Ok, a Warning or Blocking:
//!
//! - **Problems**: validation of the selected files as they are on disk.
//!   Errors block the export; the person may override them explicitly
//!   ([`Checklist::allows`]). Warnings do not block.
//! - **Photos**: every speaker photo the selected files name is present:
//!   remote ones fetched into the photo cache, site ones under `static/`
//!   (and, when they are pending changes themselves, selected too).
//! - **Twins**: the other-language files of the selected sessions agree
//!   with them (missing twins, mismatched or untranslated fields), and a
//!   twin that changed as well is selected too, so one export does not
//!   carry half a change.
//! - **Unsaved edits**: exports are made from saved files; edits still in
//!   memory are not in them.
//!
//! Only Problems can block; the other items inform.

use super::change::ChangeSet;
use super::pending::Pending;
use super::{ExportError, ExportResult};
use crate::diagnostics::{Diagnostic, Severity};
use crate::document::Document;
use crate::photos::{classify_src, PhotoCache, PhotoSource};
use crate::site::Site;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// How an item of the checklist stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CheckState {
    /// Nothing to report.
    Ok,
    /// Worth a look; does not stop an export.
    Warning,
    /// Stops the export unless the person overrides it.
    Blocking,
}

/// Which item of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CheckKey {
    /// Validation findings in the selected files.
    Problems,
    /// Speaker photos of the selected files.
    Photos,
    /// Other-language twins of the selected sessions.
    Twins,
    /// Files with edits that are not saved.
    Unsaved,
}

/// One finding behind an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckDetail {
    /// Site-relative file.
    pub file: String,
    /// 1-based line, 0 for the whole file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    /// What it is and what to do.
    pub message: String,
    /// How bad it is.
    pub severity: Severity,
}

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckItem {
    /// Which item.
    pub key: CheckKey,
    /// How it stands.
    pub state: CheckState,
    /// One line saying so.
    pub summary: String,
    /// The findings behind it.
    pub details: Vec<CheckDetail>,
}

/// The checklist for one selection of changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Checklist {
    /// Problems, photos, twins, unsaved edits, in that order.
    pub items: Vec<CheckItem>,
    /// Validation errors in the selected files.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub errors: usize,
    /// Validation warnings in the selected files.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub warnings: usize,
    /// Number of selected changes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub files: usize,
}

impl Checklist {
    /// Whether an item blocks the export.
    pub fn blocked(&self) -> bool {
        self.items.iter().any(|i| i.state == CheckState::Blocking)
    }

    /// The item with this key.
    pub fn item(&self, key: CheckKey) -> Option<&CheckItem> {
        self.items.iter().find(|i| i.key == key)
    }

    /// Ok when nothing blocks, or when the person chose to export despite
    /// the errors (`override_errors`); else [`ExportError::Blocked`].
    pub fn allows(&self, override_errors: bool) -> ExportResult<()> {
        if self.blocked() && !override_errors {
            return Err(ExportError::Blocked {
                errors: self.errors,
            });
        }
        Ok(())
    }
}

/// The checklist for exporting `selected` (a selection of `pending`), with
/// the ids of the files that have unsaved edits and the photo cache (None
/// when it cannot be opened). Validation reads the site from disk.
pub fn checklist(
    site: &Site,
    pending: &Pending,
    selected: &ChangeSet,
    unsaved: &[String],
    photos: Option<&PhotoCache>,
) -> Checklist {
    let report = crate::validate::check_site(site);
    checklist_with(
        site,
        pending,
        selected,
        unsaved,
        photos,
        &report.diagnostics,
    )
}

/// [`checklist`] with findings already computed for the site as it is on disk.
pub fn checklist_with(
    site: &Site,
    pending: &Pending,
    selected: &ChangeSet,
    unsaved: &[String],
    photos: Option<&PhotoCache>,
    diagnostics: &[Diagnostic],
) -> Checklist {
    // Site ids of the selected files that exist after the change.
    let present: BTreeSet<String> = selected
        .changes
        .iter()
        .filter(|c| c.after.is_some())
        .filter_map(|c| pending.site_id(&c.path))
        .collect();
    let sessions: BTreeSet<String> = present
        .iter()
        .filter(|id| is_session(site, id))
        .cloned()
        .collect();

    let found: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| present.contains(&slash(&d.file)))
        .collect();
    let errors = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = found
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let problems = CheckItem {
        key: CheckKey::Problems,
        state: if errors > 0 {
            CheckState::Blocking
        } else if warnings > 0 {
            CheckState::Warning
        } else {
            CheckState::Ok
        },
        summary: match (errors, warnings) {
            (0, 0) => format!("No problems in the {} selected file(s)", present.len()),
            (0, w) => format!("{w} warning(s), no errors"),
            (e, 0) => format!("{e} error(s): fix them, or export anyway on purpose"),
            (e, w) => format!(
                "{e} error(s) and {w} warning(s): fix the errors, or export anyway on purpose"
            ),
        },
        details: found
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .map(|d| detail(d))
            .collect(),
    };

    Checklist {
        items: vec![
            problems,
            photo_item(site, pending, selected, &sessions, photos),
            twin_item(site, pending, selected, &sessions, diagnostics),
            unsaved_item(unsaved),
        ],
        errors,
        warnings,
        files: selected.len(),
    }
}

fn slash(p: &Path) -> String {
    super::slash_path(p)
}

fn detail(d: &Diagnostic) -> CheckDetail {
    CheckDetail {
        file: slash(&d.file),
        line: d.line,
        message: d.message.clone(),
        severity: d.severity,
    }
}

fn is_session(site: &Site, id: &str) -> bool {
    let abs = site.root.join(id);
    id.ends_with(".md") && abs.parent() == Some(site.sessions_dir.as_path())
}

fn photo_item(
    site: &Site,
    pending: &Pending,
    selected: &ChangeSet,
    sessions: &BTreeSet<String>,
    cache: Option<&PhotoCache>,
) -> CheckItem {
    // Site files that are pending changes, and those of them selected.
    let pending_ids: BTreeSet<String> = pending
        .changes
        .changes
        .iter()
        .filter(|c| c.after.is_some())
        .filter_map(|c| pending.site_id(&c.path))
        .collect();
    let selected_ids: BTreeSet<String> = selected
        .changes
        .iter()
        .filter_map(|c| pending.site_id(&c.path))
        .collect();
    let mut details = Vec::new();
    let mut count = 0;
    let mut no_cache = false;
    for c in &selected.changes {
        let Some(id) = pending.site_id(&c.path).filter(|id| sessions.contains(id)) else {
            continue;
        };
        let Some(after) = &c.after else { continue };
        let Ok(doc) = Document::from_bytes(site.root.join(&id), after.clone()) else {
            continue;
        };
        let Some(section) = doc.speakers() else {
            continue;
        };
        let base = doc.front_matter_end_line();
        for (speaker, line) in section.speakers.iter().zip(&section.lines) {
            let Some(src) = &speaker.photo else { continue };
            count += 1;
            let line = base + line;
            let problem = match classify_src(src) {
                PhotoSource::Remote(url) => match cache {
                    Some(cache) if cache.lookup(&url).is_some() => None,
                    Some(_) => Some(format!(
                        "{url} is not fetched yet; fetch the photos to check it"
                    )),
                    None => {
                        no_cache = true;
                        Some(format!("{url}: the photo cache cannot be opened, so this photo was not checked"))
                    }
                },
                PhotoSource::Local(_) => match site.resolve_static(src) {
                    None => Some(format!("`{src}` is not in the site's static folders")),
                    Some(path) => {
                        let photo_id = site.rel(&path);
                        (pending_ids.contains(&photo_id) && !selected_ids.contains(&photo_id))
                            .then(|| format!("{photo_id} is new or changed but not selected; select it so the photo travels with the session"))
                    }
                },
                PhotoSource::Invalid(reason) => Some(reason),
            };
            if let Some(message) = problem {
                details.push(CheckDetail {
                    file: id.clone(),
                    line,
                    message,
                    severity: Severity::Warning,
                });
            }
        }
    }
    let summary = if count == 0 {
        "No speaker photos in the selected files".to_string()
    } else if details.is_empty() {
        format!("All {count} photo(s) present")
    } else if no_cache {
        format!(
            "{} of {count} photo(s) could not be checked (no photo cache)",
            details.len()
        )
    } else {
        format!(
            "{} of {count} photo(s) missing or not fetched",
            details.len()
        )
    };
    CheckItem {
        key: CheckKey::Photos,
        state: if details.is_empty() {
            CheckState::Ok
        } else {
            CheckState::Warning
        },
        summary,
        details,
    }
}

fn twin_item(
    site: &Site,
    pending: &Pending,
    selected: &ChangeSet,
    sessions: &BTreeSet<String>,
    diagnostics: &[Diagnostic],
) -> CheckItem {
    // One pass over the sessions folder names every stem (the file pattern is
    // compiled once); files gone from disk are named one by one.
    let on_disk: HashMap<String, String> = site
        .session_files()
        .into_iter()
        .map(|f| (f.rel, f.stem))
        .collect();
    let stem_of = |id: &str| {
        on_disk
            .get(id)
            .cloned()
            .unwrap_or_else(|| site.session_file_for(&site.root.join(id)).stem)
    };
    let stems: BTreeSet<String> = sessions.iter().map(|id| stem_of(id)).collect();
    let selected_ids: BTreeSet<String> = selected
        .changes
        .iter()
        .flat_map(|c| {
            c.touched_paths()
                .into_iter()
                .filter_map(|p| pending.site_id(p))
        })
        .collect();
    let mut details: Vec<CheckDetail> = Vec::new();
    // Changed twins left out of the selection.
    let mut left_out: BTreeMap<String, String> = BTreeMap::new();
    for c in &pending.changes.changes {
        for p in c.touched_paths() {
            let Some(id) = pending.site_id(p) else {
                continue;
            };
            if is_session(site, &id) && !selected_ids.contains(&id) && stems.contains(&stem_of(&id))
            {
                left_out.insert(id.clone(), stem_of(&id));
            }
        }
    }
    for (id, stem) in &left_out {
        details.push(CheckDetail {
            file: id.clone(),
            line: 0,
            message: format!("{id} changed too but is not selected; select it so every language of {stem} stays in step"),
            severity: Severity::Warning,
        });
    }
    // Twin findings on the selected sessions and their twins.
    for d in diagnostics.iter().filter(|d| d.code.is_twin()) {
        let id = slash(&d.file);
        if is_session(site, &id) && stems.contains(&stem_of(&id)) {
            details.push(detail(d));
        }
    }
    let summary = if stems.is_empty() {
        "No sessions selected".to_string()
    } else if details.is_empty() {
        format!("The twins of {} session(s) are in step", stems.len())
    } else {
        format!("{} twin issue(s)", details.len())
    };
    CheckItem {
        key: CheckKey::Twins,
        state: if details.is_empty() {
            CheckState::Ok
        } else {
            CheckState::Warning
        },
        summary,
        details,
    }
}

fn unsaved_item(unsaved: &[String]) -> CheckItem {
    CheckItem {
        key: CheckKey::Unsaved,
        state: if unsaved.is_empty() {
            CheckState::Ok
        } else {
            CheckState::Warning
        },
        summary: if unsaved.is_empty() {
            "Every edit is saved".to_string()
        } else {
            format!(
                "{} file(s) have unsaved edits, which the export leaves out; save them first",
                unsaved.len()
            )
        },
        details: unsaved
            .iter()
            .map(|id| CheckDetail {
                file: id.clone(),
                line: 0,
                message: "unsaved edits".to_string(),
                severity: Severity::Warning,
            })
            .collect(),
    }
}
