//! Where a site puts a key, and how it writes it: the order of the site's
//! archetype for a section, else the order and style of the sibling files.
//! Used when a key a file does not have yet is added, so the new line lands
//! where the site's maintainers would have put it (`room:` right after
//! `date:`), written as the site writes that key (`day: 1`, not `day: "1"`).

use crate::document::Document;
use crate::front_matter::{Kind, ListStyle, QuoteStyle, ValueStyle};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The most sibling files read for one hint.
const MAX_SIBLINGS: usize = 400;
/// Larger files are not read for hints.
const MAX_HINT_FILE: u64 = 1024 * 1024;

/// Where and how to write a new key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyHint {
    /// Keys in the order the site writes them (the new key among them).
    pub order: Vec<String>,
    /// The kind the site's files give this key's values.
    pub kind: Option<Kind>,
    /// The quoting the site's files use for this key's values.
    pub quote: Option<QuoteStyle>,
    /// How the site's files write this key when it is a list.
    pub list: Option<ListStyle>,
    /// Whether the site's files write a space before this key's colon.
    pub space_before_colon: Option<bool>,
}

#[derive(Debug, Clone)]
struct Sibling {
    path: PathBuf,
    keys: Vec<String>,
    styles: HashMap<String, (Kind, ValueStyle)>,
    lists: HashMap<String, ListStyle>,
    spaced: HashMap<String, bool>,
}

/// The key orders of one folder of a site: its section's archetype and
/// the files in it. Load once, ask for many keys.
#[derive(Debug, Clone, Default)]
pub struct KeyOrders {
    archetype: Option<Vec<String>>,
    siblings: Vec<Sibling>,
}

impl KeyOrders {
    /// Read the archetype and sibling files for a file at `path`.
    pub fn for_file(path: &Path) -> Self {
        let mut out = KeyOrders::default();
        let Some(dir) = path.parent() else { return out };
        if let Some(root) = crate::site::find_root(dir) {
            out.archetype = archetype_keys(&root, dir);
        }
        let Ok(rd) = std::fs::read_dir(dir) else {
            return out;
        };
        let mut names: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && p.file_name().is_some_and(|n| n != "_index.md")
            })
            .collect();
        names.sort();
        for p in names.into_iter().take(MAX_SIBLINGS) {
            let Ok(bytes) = crate::fs::read_regular(&p, MAX_HINT_FILE) else {
                continue;
            };
            let Ok(doc) = Document::from_bytes(&p, bytes) else {
                continue;
            };
            if doc.problem().is_some() {
                continue;
            }
            let keys = doc.keys();
            let styles = keys
                .iter()
                .filter_map(|k| Some((k.clone(), (doc.kind(k)?, doc.value_style(k)?))))
                .collect();
            let lists = keys
                .iter()
                .filter_map(|k| Some((k.clone(), doc.list_style(k)?)))
                .collect();
            let spaced = keys
                .iter()
                .filter_map(|k| Some((k.clone(), doc.space_before_colon(k)?)))
                .collect();
            out.siblings.push(Sibling {
                path: p,
                keys,
                styles,
                lists,
                spaced,
            });
        }
        out
    }

    /// Where and how to add `key` to `doc`.
    pub fn hint(&self, key: &str, doc: &Document) -> KeyHint {
        let has: Vec<String> = doc.keys();
        let others = || {
            self.siblings
                .iter()
                .filter(|s| s.path != doc.path() && s.keys.iter().any(|k| k == key))
        };
        // Style: the most common (kind, quoting) among the siblings that have the key.
        let mut styles: HashMap<(Kind, ValueStyle), usize> = HashMap::new();
        for s in others() {
            if let Some(st) = s.styles.get(key) {
                *styles.entry(*st).or_default() += 1;
            }
        }
        let mut lists: HashMap<ListStyle, usize> = HashMap::new();
        for s in others() {
            if let Some(l) = s.lists.get(key) {
                *lists.entry(*l).or_default() += 1;
            }
        }
        let spaced = others()
            .filter_map(|s| s.spaced.get(key))
            .fold((0, 0), |(y, n), s| if *s { (y + 1, n) } else { (y, n + 1) });
        let space_before_colon = (spaced != (0, 0)).then_some(spaced.0 > spaced.1);
        let list = lists
            .into_iter()
            .max_by_key(|(l, n)| (*n, format!("{l:?}")))
            .map(|(l, _)| l);
        let best = styles
            .into_iter()
            .max_by_key(|(st, n)| (*n, format!("{st:?}")))
            .map(|(st, _)| st);
        let kind = best
            .map(|(k, _)| k)
            .filter(|k| matches!(k, Kind::Integer | Kind::Float | Kind::Bool | Kind::Datetime));
        let quote = best.and_then(|(_, s)| match s {
            ValueStyle::Plain => Some(QuoteStyle::Plain),
            ValueStyle::Single => Some(QuoteStyle::Single),
            ValueStyle::Double => Some(QuoteStyle::Double),
            _ => None,
        });
        if let Some(a) = self
            .archetype
            .as_ref()
            .filter(|a| a.iter().any(|k| k == key))
        {
            return KeyHint {
                order: a.clone(),
                kind,
                quote,
                list,
                space_before_colon,
            };
        }
        // Siblings vote for the key the new one follows: in each sibling
        // that has it, the nearest key before it that this file also has
        // (else the nearest after it, to go before).
        let mut votes: HashMap<(String, bool), usize> = HashMap::new();
        for s in others() {
            let Some(i) = s.keys.iter().position(|k| k == key) else {
                continue;
            };
            let before = s.keys[..i]
                .iter()
                .rev()
                .find(|k| has.contains(k))
                .map(|k| (k.clone(), true));
            let after = || {
                s.keys[i + 1..]
                    .iter()
                    .find(|k| has.contains(k))
                    .map(|k| (k.clone(), false))
            };
            if let Some(v) = before.or_else(after) {
                *votes.entry(v).or_default() += 1;
            }
        }
        // The file's own keys, with the new one where the vote puts it.
        let mut order = has.clone();
        match votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        {
            Some(((anchor, after), _)) => {
                let at = order
                    .iter()
                    .position(|k| *k == anchor)
                    .map_or(order.len(), |i| if after { i + 1 } else { i });
                order.insert(at, key.to_string());
            }
            None => order.clear(),
        }
        KeyHint {
            order,
            kind,
            quote,
            list,
            space_before_colon,
        }
    }
}

/// The keys of the archetype for the section `dir` is in
/// (`archetypes/<section>.md`, `archetypes/<section>/index.md`, else
/// `archetypes/default.md`). Archetypes hold Go templates, so keys are read
/// line by line, not parsed as values.
fn archetype_keys(root: &Path, dir: &Path) -> Option<Vec<String>> {
    let rel = dir.strip_prefix(root).ok()?;
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    if parts.next().as_deref() != Some("content") {
        return None;
    }
    let section = parts.next()?;
    // The section's archetype (Hugo's default kind), else one named after the
    // file's own folder (`--kind program` for `events/<e>/program/`).
    let folder = dir
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let candidates = [
        root.join("archetypes").join(format!("{section}.md")),
        root.join("archetypes").join(&section).join("index.md"),
        root.join("archetypes").join(format!("{folder}.md")),
        root.join("archetypes").join(&folder).join("index.md"),
        root.join("archetypes/default.md"),
    ];
    for c in candidates {
        let Ok(bytes) = crate::fs::read_regular(&c, MAX_HINT_FILE) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let keys = keys_by_line(&text);
        if !keys.is_empty() {
            return Some(keys);
        }
    }
    None
}

/// Top-level keys of a front matter read line by line, in any format.
fn keys_by_line(text: &str) -> Vec<String> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(split) = crate::front_matter::split(t) else {
        return Vec::new();
    };
    let fm = &t[split.yaml.clone()];
    match split.format {
        crate::front_matter::Format::Yaml => crate::front_matter::scan_entries(fm)
            .into_iter()
            .map(|e| e.key)
            .collect(),
        crate::front_matter::Format::Toml => fm
            .lines()
            .take_while(|l| !l.trim_start().starts_with('['))
            .filter_map(|l| {
                let (k, _) = l.split_once('=')?;
                let k = k.trim().trim_matches('"');
                (!k.is_empty() && !k.starts_with('#')).then(|| k.to_string())
            })
            .collect(),
        crate::front_matter::Format::Json => crate::front_matter::json_fm::parse(fm)
            .map(|(_, e)| e.into_iter().map(|e| e.key).collect())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archetype_keys_are_read_despite_templates() {
        let a = "---\ntitle: \"{{ replace .Name \"-\" \" \" | title }}\"\nurl: /s/{{ .Name }}\nspeakers:\n\nblock: \n---\n";
        assert_eq!(keys_by_line(a), ["title", "url", "speakers", "block"]);
        assert_eq!(
            keys_by_line("+++\nTitle = \"{{ .Name }}\"\nType = \"talk\"\n[x]\ny = 1\n+++\n"),
            ["Title", "Type"]
        );
    }
}
