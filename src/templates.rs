//! Session templates: the text a new session file starts from, per language.
//!
//! New sessions (the app's New Session…, `lectern import sessionize`) start
//! from the site's own template when it has one Lectern can fill, else from
//! the templates bundled with Lectern (`assets/templates/`). For each
//! language, the first of these that exists and whose front matter is plain
//! YAML wins:
//!
//! 1. the file named by `template` in `[sessions]` of `lectern.toml`
//!    (relative to the site root, e.g. `archetypes/session.md`) for the
//!    default language, and its twin `archetypes/session.<lang>.md` for the
//!    others;
//! 2. Hugo's archetype for the section, `archetypes/sessions.md` (default
//!    language) or `archetypes/sessions.<lang>.md`;
//! 3. the bundled template: the Chinese one for `zh*`, else the English one.
//!
//! A Hugo archetype full of Go template calls (`{{ .Name | title }}`) is not
//! plain YAML and is skipped with a warning, so the result always parses.

use crate::document::Document;
use crate::site::Site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The bundled English template (`assets/templates/session.md`).
pub const BUNDLED: &str = include_str!("../assets/templates/session.md");
/// The bundled Chinese template (`assets/templates/session.zh.md`).
pub const BUNDLED_ZH: &str = include_str!("../assets/templates/session.zh.md");

/// Placeholders a template may hold; each becomes a value (or nothing).
pub const PLACEHOLDERS: &[&str] = &[
    "{{title}}",
    "{{date}}",
    "{{track}}",
    "{{presenters}}",
    "{{stype}}",
    "{{room}}",
    "{{abstract}}",
];

/// Where a language's template came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// The file named by `[sessions] template` in `lectern.toml` (path relative to the site root).
    Config(String),
    /// The site's Hugo archetype (path relative to the site root).
    Archetype(String),
    /// Lectern's bundled template.
    Bundled,
}

/// One language's template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTemplate {
    /// The template text, placeholders unfilled.
    pub text: String,
    /// Where it came from.
    pub source: TemplateSource,
}

/// The templates of a site, one per site language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionTemplates {
    /// Template by language code.
    pub by_lang: BTreeMap<String, SessionTemplate>,
    /// Site templates that were skipped, and why (shown to the user).
    pub warnings: Vec<String>,
}

impl SessionTemplates {
    /// Choose the template of every language of `site` (see the module docs).
    pub fn for_site(site: &Site) -> SessionTemplates {
        let mut out = SessionTemplates::default();
        for lang in site.languages.iter().map(|l| l.code.clone()) {
            let t = choose(site, &lang, &mut out.warnings);
            out.by_lang.insert(lang, t);
        }
        out
    }

    /// The template for `lang`: the site's choice, else the bundled one.
    pub fn text(&self, lang: &str) -> &str {
        self.by_lang
            .get(lang)
            .map_or_else(|| bundled(lang), |t| t.text.as_str())
    }

    /// The template texts by language.
    pub fn texts(&self) -> BTreeMap<String, String> {
        self.by_lang
            .iter()
            .map(|(l, t)| (l.clone(), t.text.clone()))
            .collect()
    }
}

/// The bundled template for a language.
pub fn bundled(lang: &str) -> &'static str {
    if lang.starts_with("zh") {
        BUNDLED_ZH
    } else {
        BUNDLED
    }
}

/// Fill a template: `{{track}}` gets `track`, every other placeholder
/// `values[name]` (name without braces) or nothing.
pub fn fill(template: &str, values: &BTreeMap<&str, &str>) -> String {
    let mut text = template.to_string();
    for p in PLACEHOLDERS {
        let name = &p[2..p.len() - 2];
        text = text.replace(p, values.get(name).copied().unwrap_or(""));
    }
    text
}

/// `dir/name.md` → `dir/name.<lang>.md`.
fn with_lang(path: &Path, lang: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.{lang}.md"))
}

fn choose(site: &Site, lang: &str, warnings: &mut Vec<String>) -> SessionTemplate {
    let default = lang == site.default_lang;
    let mut candidates: Vec<(PathBuf, bool)> = Vec::new();
    if let Some(configured) = site.config.sessions.template.as_deref() {
        let rel = configured.trim_start_matches('/');
        if rel.split(['/', '\\']).any(|c| c == "..") {
            let w = format!(
                "lectern.toml: sessions.template = {configured:?} leaves the site; skipped it"
            );
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        } else {
            let path = site.root.join(rel);
            candidates.push((
                if default {
                    path
                } else {
                    with_lang(&path, lang)
                },
                true,
            ));
        }
    }
    let archetypes = site.root.join("archetypes");
    candidates.push((
        if default {
            archetypes.join("sessions.md")
        } else {
            archetypes.join(format!("sessions.{lang}.md"))
        },
        false,
    ));
    for (path, configured) in candidates {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                // A configured default-language template must exist; twins may fall back.
                if configured && default {
                    warnings.push(format!(
                        "{}: the template named in lectern.toml cannot be read ({e}); skipped it",
                        site.rel(&path)
                    ));
                }
                continue;
            }
        };
        if Document::from_text(&path, text.clone()).problem().is_some() {
            warnings.push(format!(
                "{} is a Hugo template Lectern cannot fill (its front matter is not plain YAML); skipped it",
                site.rel(&path)
            ));
            continue;
        }
        let rel = site.rel(&path);
        let source = if configured {
            TemplateSource::Config(rel)
        } else {
            TemplateSource::Archetype(rel)
        };
        return SessionTemplate { text, source };
    }
    SessionTemplate {
        text: bundled(lang).to_string(),
        source: TemplateSource::Bundled,
    }
}
