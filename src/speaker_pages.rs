//! Speakers as pages: sites such as Community Over Code Europe keep one page
//! per speaker (`content/speakers/<slug>/_index.md`, or devopsdays'
//! `content/events/<e>/speakers/<slug>.md`) and list references to them in a
//! session's speakers field. `[speakers] pages` in `lectern.toml` names the
//! folders (or globs); a reference resolves to a page by the page's title,
//! by its folder or file slug, or by Hugo's `urlize` of the name (what a
//! taxonomy term becomes), in that order.

use crate::document::Document;
use crate::site::Site;
use std::path::{Path, PathBuf};

/// One speaker page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpeakerPage {
    /// The folder name of a bundle, else the file stem.
    pub slug: String,
    /// The page's `title` (any case of the key, as TOML sites write `Title`).
    pub title: Option<String>,
    /// The page file.
    pub path: PathBuf,
}

/// The speaker pages of a site (empty when `[speakers] pages` is not set).
#[derive(Debug, Clone, Default)]
pub struct SpeakerPages {
    /// Every page, in path order.
    pub pages: Vec<SpeakerPage>,
    /// Title → first page with it, and slug → first page with it: a session
    /// resolves each reference in constant time (a scan per reference made
    /// a 10,000-session site with 12,500 pages quadratic).
    by_title: std::collections::HashMap<String, usize>,
    by_slug: std::collections::HashMap<String, usize>,
}

/// Hugo's `urlize` as it turns a name into a path: lower case, spaces to
/// `-`, letters, digits and `.` `_` `-` `~` `+` kept, anything else dropped.
pub fn urlize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '~' | '+') {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn title_of(path: &Path) -> Option<String> {
    let doc = Document::load(path).ok()?;
    let keys = doc.keys();
    let key = keys.iter().find(|k| k.eq_ignore_ascii_case("title"))?;
    doc.get(key)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

impl SpeakerPages {
    /// Read the pages `[speakers] pages` names. A section page (`_index.md`
    /// directly in a named folder) is not a speaker.
    pub fn load(site: &Site) -> SpeakerPages {
        use rayon::prelude::*;
        // (slug, page file) first; titles are then read on every core.
        let mut found: Vec<(String, PathBuf)> = Vec::new();
        for dir in site.speaker_dirs() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let Ok(t) = e.file_type() else { continue };
                if t.is_dir() {
                    // A bundle's page may be a symbolic link: read only when
                    // it stays inside the site (the render shows its body).
                    let index = ["_index.md", "index.md"]
                        .iter()
                        .map(|i| path.join(i))
                        .find(|p| match std::fs::symlink_metadata(p) {
                            Ok(m) if m.file_type().is_symlink() => p.is_file() && site.contains(p),
                            Ok(m) => m.file_type().is_file(),
                            Err(_) => false,
                        });
                    if let Some(index) = index {
                        found.push((name, index));
                    }
                } else if t.is_file() && name.ends_with(".md") && !name.starts_with("_index") {
                    found.push((name.trim_end_matches(".md").to_string(), path));
                }
            }
        }
        found.sort_by(|a, b| a.1.cmp(&b.1));
        let pages: Vec<SpeakerPage> = found
            .into_par_iter()
            .map(|(slug, path)| SpeakerPage {
                slug,
                title: title_of(&path),
                path,
            })
            .collect();
        SpeakerPages::new(pages)
    }

    /// Index pages (in path order) by title and slug.
    fn new(pages: Vec<SpeakerPage>) -> SpeakerPages {
        let mut by_title = std::collections::HashMap::new();
        let mut by_slug = std::collections::HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            if let Some(t) = &p.title {
                by_title.entry(t.clone()).or_insert(i);
            }
            by_slug.entry(p.slug.clone()).or_insert(i);
        }
        SpeakerPages {
            pages,
            by_title,
            by_slug,
        }
    }

    /// Whether the site keeps speakers as pages.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The page a reference names: by title, then slug, then `urlize`.
    pub fn resolve(&self, reference: &str) -> Option<&SpeakerPage> {
        let r = reference.trim();
        self.by_title
            .get(r)
            .or_else(|| self.by_slug.get(r))
            .or_else(|| self.by_slug.get(&urlize(r)))
            .map(|&i| &self.pages[i])
    }

    /// The closest page title or slug to an unresolved reference.
    pub fn suggest(&self, reference: &str) -> Option<String> {
        let names: Vec<&str> = self
            .pages
            .iter()
            .map(|p| p.title.as_deref().unwrap_or(&p.slug))
            .collect();
        crate::text::did_you_mean(reference, names.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::urlize;

    #[test]
    fn urlize_as_hugo_makes_paths() {
        assert_eq!(urlize("Jarek Potiuk"), "jarek-potiuk");
        assert_eq!(urlize("  Ana  Silva "), "ana--silva");
        assert_eq!(urlize("Zoë O'Brien"), "zoë-obrien");
        assert_eq!(urlize("jane-doe"), "jane-doe");
    }
}
