//! New speaker pages for an import: on a site that keeps one page per
//! speaker (`[speakers] pages`), a speaker the import names who has no page
//! gets one, made as `hugo new` would make it and shaped like the site's
//! other speaker pages:
//!
//! - **where**: the speakers folder, when `[speakers] pages` names exactly
//!   one (a site with a folder per event gets a note instead: which event's
//!   folder is a person's call);
//! - **layout**: a bundle (`<slug>/_index.md` or `<slug>/index.md`) when most
//!   pages are bundles, else `<slug>.md`; the slug is Hugo's `urlize` of the
//!   name, so the reference resolves;
//! - **content**: the archetype named after the folder
//!   (`archetypes/speakers/_index.md`, `archetypes/speakers/index.md` or
//!   `archetypes/speakers.md`) with `{{ .Name }}` as the slug, the title as
//!   the speaker's name and any other template value left empty; without an
//!   archetype, a title in the front-matter format the pages use. The
//!   tagline goes to the field the site keeps it in (`designation`,
//!   `tagline`, …) when the archetype or the pages have one; the bio is the
//!   body.
//!
//! Pages are planned like every other file of the import (created only when
//! the plan is applied, never over an existing file).

use super::sessionize::{ImportReport, ImportedSession};
use super::{FileOp, Plan};
use crate::document::Document;
use crate::error::Result;
use crate::front_matter::Format;
use crate::site::Site;
use crate::speaker_pages::{urlize, SpeakerPages};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Fields that hold a speaker's headline, in the order they are looked for.
const TAGLINE_KEYS: &[&str] = &[
    "designation",
    "tagline",
    "headline",
    "position",
    "job_title",
    "role",
];

/// How the site's speaker pages are laid out.
struct Layout {
    /// The folder new pages go in.
    dir: PathBuf,
    /// `Some("_index.md")` or `Some("index.md")` for bundles, `None` for
    /// `<slug>.md` files.
    bundle: Option<&'static str>,
    /// The front-matter format and title key of the pages.
    format: Format,
    title_key: String,
    /// The key of the headline, when the pages keep one.
    tagline_key: Option<String>,
    /// The archetype's text, when the site has one for this folder.
    archetype: Option<String>,
}

/// Plan a page for every speaker of `sessions` that no page answers to.
/// Does nothing on a site without speaker pages.
pub(crate) fn plan_new_speaker_pages(
    site: &Site,
    sessions: &[ImportedSession],
    plan: &mut Plan,
    report: &mut ImportReport,
    warnings: &mut BTreeSet<String>,
) -> Result<()> {
    if site.config.speakers.pages.is_none() {
        return Ok(());
    }
    let pages = SpeakerPages::load(site);
    // Name -> the first session that names it, in file order.
    let mut missing: BTreeMap<String, &super::sessionize::ImportedSpeaker> = BTreeMap::new();
    for s in sessions {
        for sp in &s.speakers {
            if pages.resolve(&sp.name).is_none() {
                missing.entry(sp.name.clone()).or_insert(sp);
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut dirs = site.speaker_dirs();
    // One plain folder that does not exist yet: the first page makes it.
    if let (true, Some(crate::schema::Dirs::One(d))) =
        (dirs.is_empty(), &site.config.speakers.pages)
    {
        let plain = !d.contains(['*', '?', '{', '['])
            && !Path::new(d).is_absolute()
            && !d.split('/').any(|c| c == ".." || c == ".git")
            && !d.trim_matches('/').is_empty();
        if plain {
            dirs.push(site.root.join(d.trim_matches('/')));
        }
    }
    let [dir] = dirs.as_slice() else {
        warnings.insert(format!(
            "{} speaker(s) have no speaker page ({}); [speakers] pages names {} folders, so create their pages by hand in the right one",
            missing.len(),
            missing.keys().take(5).cloned().collect::<Vec<_>>().join(", "),
            dirs.len()
        ));
        return Ok(());
    };
    let layout = layout(site, dir, &pages);
    let mut slugs = BTreeSet::new();
    for (name, sp) in missing {
        let slug = urlize(&name);
        if slug.is_empty()
            || slug.len() > 120
            || slug.starts_with('.')
            || !slugs.insert(slug.clone())
        {
            warnings.insert(format!(
                "speaker {} has no page and no usable page name; create the page by hand",
                crate::text::clip(&format!("{name:?}"))
            ));
            continue;
        }
        let path = match layout.bundle {
            Some(index) => layout.dir.join(&slug).join(index),
            None => layout.dir.join(format!("{slug}.md")),
        };
        if std::fs::symlink_metadata(&path).is_ok()
            || (layout.bundle.is_some()
                && std::fs::symlink_metadata(layout.dir.join(&slug)).is_ok())
        {
            warnings.insert(format!(
                "speaker {name:?} has no page that answers to the name, but {} exists; fix its title or the name",
                site.rel(&path)
            ));
            continue;
        }
        let doc = page(&layout, &path, &slug, &name, &sp.tagline, &sp.bio)?;
        let rel = site.rel(&path);
        plan.ops.push(FileOp::Create {
            path: rel.clone().into(),
            after: doc.bytes().to_vec(),
        });
        report.speaker_pages.push(rel);
    }
    Ok(())
}

/// The layout the existing pages show (bundles or files, format, keys).
fn layout(site: &Site, dir: &Path, pages: &SpeakerPages) -> Layout {
    let mut bundles: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut files = 0;
    let mut formats: BTreeMap<&'static str, (usize, Format)> = BTreeMap::new();
    let mut title_key = None;
    let mut tagline_key = None;
    for p in pages
        .pages
        .iter()
        .filter(|p| p.path.starts_with(dir))
        .take(200)
    {
        match p.path.file_name().and_then(|n| n.to_str()) {
            Some("_index.md") => *bundles.entry("_index.md").or_default() += 1,
            Some("index.md") => *bundles.entry("index.md").or_default() += 1,
            _ => files += 1,
        }
        let Ok(doc) = Document::load(&p.path) else {
            continue;
        };
        if let Some(f) = doc.format() {
            let e = formats.entry(format_name(f)).or_insert((0, f));
            e.0 += 1;
        }
        let keys = doc.keys();
        if title_key.is_none() {
            title_key = keys
                .iter()
                .find(|k| k.eq_ignore_ascii_case("title"))
                .cloned();
        }
        if tagline_key.is_none() {
            tagline_key = tagline_of(&keys);
        }
    }
    let bundle = bundles
        .iter()
        .max_by_key(|(_, n)| **n)
        .filter(|(_, n)| **n > files)
        .map(|(k, _)| *k);
    let format = formats
        .values()
        .max_by_key(|(n, _)| *n)
        .map(|(_, f)| *f)
        .unwrap_or(Format::Yaml);
    let folder = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("speakers");
    let archetypes = site.root.join("archetypes");
    let candidates = [
        archetypes.join(folder).join(bundle.unwrap_or("_index.md")),
        archetypes.join(folder).join("_index.md"),
        archetypes.join(folder).join("index.md"),
        archetypes.join(format!("{folder}.md")),
    ];
    let archetype = candidates.iter().find_map(|p| {
        site.contains(p)
            .then(|| crate::fs::read_text(p).ok())
            .flatten()
    });
    let archetype_keys = archetype
        .as_deref()
        .and_then(|t| Document::from_bytes(archetypes.join("x.md"), t.as_bytes().to_vec()).ok())
        .map(|d| d.keys())
        .unwrap_or_default();
    Layout {
        dir: dir.to_path_buf(),
        bundle,
        format,
        title_key: archetype_keys
            .iter()
            .find(|k| k.eq_ignore_ascii_case("title"))
            .cloned()
            .or(title_key)
            .unwrap_or_else(|| "title".into()),
        tagline_key: tagline_of(&archetype_keys).or(tagline_key),
        archetype,
    }
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Yaml => "yaml",
        Format::Toml => "toml",
        Format::Json => "json",
    }
}

fn tagline_of(keys: &[String]) -> Option<String> {
    TAGLINE_KEYS
        .iter()
        .find_map(|t| keys.iter().find(|k| k.eq_ignore_ascii_case(t)).cloned())
}

/// The new page's document.
fn page(
    layout: &Layout,
    path: &Path,
    slug: &str,
    name: &str,
    tagline: &str,
    bio: &str,
) -> Result<Document> {
    let text = match &layout.archetype {
        Some(a) => render_archetype(a, slug),
        None => match layout.format {
            Format::Yaml => "---\n---\n".to_string(),
            Format::Toml => "+++\n+++\n".to_string(),
            Format::Json => "{\n}\n".to_string(),
        },
    };
    let mut doc = Document::from_bytes(path.to_path_buf(), text.into_bytes())?;
    doc = doc.set(&layout.title_key, name)?;
    if let Some(k) = &layout.tagline_key {
        if !tagline.trim().is_empty() {
            doc = doc.set(k, tagline.trim())?;
        }
    }
    let body = doc.body().trim_end();
    let bio = bio.replace("\r\n", "\n");
    let bio = bio.trim();
    let new_body = match (body.is_empty(), bio.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!("\n{bio}\n"),
        (false, true) => format!("{body}\n"),
        (false, false) => format!("{body}\n\n{bio}\n"),
    };
    Ok(doc.set_body(&new_body))
}

/// An archetype as `hugo new` fills it, for what Lectern can know: `.Name`
/// is the page's slug and `.Date` the time of the import; any other template
/// expression (`{{ replace .Name "-" " " | title }}`, `{{ now.Format … }}`)
/// becomes empty, and the title is then set to the speaker's real name.
fn render_archetype(text: &str, slug: &str) -> String {
    static EXPR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\{\{-?\s*(.*?)\s*-?\}\}").expect("static regex")
    });
    EXPR.replace_all(text, |c: &regex::Captures<'_>| match &c[1] {
        ".Name" => slug.to_string(),
        ".Date" => chrono::Local::now()
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        _ => String::new(),
    })
    .into_owned()
}
