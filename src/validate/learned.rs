//! Allowed values where nothing declares them: learned from the site itself,
//! with rare outliers close to a common value flagged ("did you mean …"), and
//! translations learned from twins that agree.

use super::Loaded;
use crate::schema::FieldType;
use crate::site::Site;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Values seen per field and language, with counts.
#[derive(Debug, Clone, Default)]
pub struct Inferred {
    /// field → lang → value → count
    pub counts: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>,
    /// field → (lang, value) → (other lang → most common twin value)
    pub translations: BTreeMap<String, HashMap<(String, String), BTreeMap<String, String>>>,
    /// Local photo sources → whether they resolve under the static folders,
    /// resolved once per distinct source (twins share their photos).
    pub local_photos: HashMap<String, bool>,
    /// Fields the default profile assumes required that this site does not
    /// have in most of its sessions (fewer than a fifth) (`date`, `presenters` and `stype` on a
    /// site that writes `time_start` and `speakers`): a missing one is the
    /// site's shape, not a defect. Declared requirements are never dropped.
    pub optional: BTreeSet<String>,
    /// Whether this site shows speaker photos: at least half of the speakers
    /// in its speakers sections have one (or it has fewer than five
    /// speakers). A site that shows none (the Asia 2021 site: 26 of 306
    /// files) gets no `speaker-no-photo` warning for each of its speakers.
    pub photos_expected: bool,
}

impl Inferred {
    /// Learn from the loaded documents, for enum fields without declared values.
    pub fn from_loaded(site: &Site, loaded: &[Loaded]) -> Self {
        let fields: Vec<&str> = site
            .schema
            .fields
            .values()
            .filter(|r| r.kind == FieldType::Enum && !r.declared_values)
            .map(|r| r.name.as_str())
            .collect();
        let mut inf = Inferred::default();
        let mut pairs: BTreeMap<
            String,
            HashMap<(String, String), HashMap<(String, String), usize>>,
        > = BTreeMap::new();
        let mut by_stem: HashMap<&str, Vec<&Loaded>> = HashMap::new();
        for l in loaded {
            by_stem.entry(l.file.stem.as_str()).or_default().push(l);
            let Some(d) = &l.doc else { continue };
            for f in &fields {
                if let Some(v) = d.get(f).filter(|v| !v.trim().is_empty()) {
                    *inf.counts
                        .entry(f.to_string())
                        .or_default()
                        .entry(l.file.lang.clone())
                        .or_default()
                        .entry(v)
                        .or_default() += 1;
                }
            }
        }
        for group in by_stem.values() {
            for a in group {
                for b in group {
                    if a.file.lang == b.file.lang {
                        continue;
                    }
                    let (Some(da), Some(db)) = (&a.doc, &b.doc) else {
                        continue;
                    };
                    for f in &fields {
                        if let (Some(va), Some(vb)) = (da.get(f), db.get(f)) {
                            *pairs
                                .entry(f.to_string())
                                .or_default()
                                .entry((a.file.lang.clone(), va))
                                .or_default()
                                .entry((b.file.lang.clone(), vb))
                                .or_default() += 1;
                        }
                    }
                }
            }
        }
        inf.optional = learned_optional(site, loaded);
        let (with_photo, speakers) = loaded
            .iter()
            .filter_map(|l| l.doc.as_ref()?.speakers_ref())
            .flat_map(|s| s.speakers.iter())
            .fold((0usize, 0usize), |(p, n), s| {
                (p + usize::from(s.photo.is_some()), n + 1)
            });
        inf.photos_expected = speakers < 5 || 2 * with_photo >= speakers;
        let mut srcs: Vec<String> = loaded
            .iter()
            .filter_map(|l| l.doc.as_ref()?.speakers_ref())
            .flat_map(|s| s.speakers.iter().filter_map(|sp| sp.photo.clone()))
            .filter(|p| {
                !(p.starts_with("https://") || p.starts_with("http://") || p.starts_with("//"))
            })
            .collect();
        srcs.sort();
        srcs.dedup();
        {
            use rayon::prelude::*;
            inf.local_photos = srcs
                .into_par_iter()
                .map(|p| {
                    let ok = site.resolve_static(&p).is_some();
                    (p, ok)
                })
                .collect();
        }
        for (f, m) in pairs {
            let t = inf.translations.entry(f).or_default();
            for (from, tos) in m {
                let mut best: BTreeMap<String, (usize, String)> = BTreeMap::new();
                for ((lang, v), n) in tos {
                    let e = best.entry(lang).or_insert((0, String::new()));
                    if n > e.0 || (n == e.0 && v < e.1) {
                        *e = (n, v);
                    }
                }
                t.insert(from, best.into_iter().map(|(l, (_, v))| (l, v)).collect());
            }
        }
        inf
    }

    /// For a rare value, the common value it is probably meant to be.
    pub fn outlier(&self, field: &str, lang: &str, value: &str) -> Option<String> {
        let counts = self.counts.get(field)?.get(lang)?;
        let n = *counts.get(value)?;
        let total: usize = counts.values().sum();
        if total < 5 || n > (total / 20).max(2) {
            return None;
        }
        let common: Vec<&String> = counts
            .iter()
            .filter(|(_, c)| **c >= 5 * n && **c >= 3)
            .map(|(v, _)| v)
            .collect();
        crate::text::did_you_mean(value, common.into_iter().map(String::as_str))
    }

    /// When `value` is a common value of another language, its translation into `lang`.
    pub fn other_language(
        &self,
        field: &str,
        lang: &str,
        value: &str,
    ) -> Option<(String, Option<String>)> {
        let per_lang = self.counts.get(field)?;
        if per_lang
            .get(lang)
            .and_then(|c| c.get(value))
            .copied()
            .unwrap_or(0)
            > 2
        {
            return None;
        }
        for (other, counts) in per_lang {
            if other == lang || counts.get(value).copied().unwrap_or(0) < 3 {
                continue;
            }
            let tr = self
                .translations
                .get(field)
                .and_then(|t| t.get(&(other.clone(), value.to_string())))
                .and_then(|m| m.get(lang))
                .cloned();
            return Some((other.clone(), tr.filter(|t| t != value)));
        }
        None
    }
}

/// See [`Inferred::optional`]: with the default profile (no `[roles]`) and
/// at least five readable sessions, a required field other than the title
/// that fewer than a fifth of them have: a field most sessions lack is the
/// site's shape, while one a few lack is a defect in those few.
fn learned_optional(site: &Site, loaded: &[Loaded]) -> BTreeSet<String> {
    if site.config.roles.is_some() {
        return BTreeSet::new();
    }
    let docs: Vec<&crate::document::Document> =
        loaded.iter().filter_map(|l| l.doc.as_ref()).collect();
    if docs.len() < 5 {
        return BTreeSet::new();
    }
    let title = site.config.roles().title;
    site.schema
        .fields
        .values()
        .filter(|r| r.required && r.name != title)
        .filter(|r| {
            site.config
                .fields
                .get(&r.name)
                .is_none_or(|spec| spec.required.is_none())
        })
        .filter(|r| {
            let have = docs
                .iter()
                .filter(|d| d.mapping().is_some_and(|m| m.contains_key(r.name.as_str())))
                .count();
            5 * have < docs.len()
        })
        .map(|r| r.name.clone())
        .collect()
}
