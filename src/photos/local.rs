//! What an `<img src>` points at, and where a site-relative photo lives on
//! disk. Hugo serves `static/` (and each theme's `static/`) at the site root,
//! so `images/speaker/x.png` and `/images/speaker/x.png` are both looked up
//! there. Paths may not climb out of the site, not even through a symlink.

use std::path::{Component, Path, PathBuf};
use url::Url;

/// What a photo `src` refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoSource {
    /// An absolute http or https URL (normalised).
    Remote(String),
    /// A site-relative path, without leading slash, query or fragment,
    /// percent-decoded.
    Local(PathBuf),
    /// Something that is neither, with the reason.
    Invalid(String),
}

/// Classify a photo `src` without touching the network or the disk.
pub fn classify_src(src: &str) -> PhotoSource {
    let src = src.trim();
    if src.is_empty() {
        return PhotoSource::Invalid("the photo source is empty".into());
    }
    if src.starts_with("//") {
        return PhotoSource::Invalid(format!(
            "`{src}` is a protocol-relative URL; write it with https:"
        ));
    }
    match Url::parse(src) {
        Ok(url) => match url.scheme() {
            "http" | "https" if url.host().is_some() => PhotoSource::Remote(url.to_string()),
            "http" | "https" => PhotoSource::Invalid(format!("`{src}` has no host")),
            scheme => PhotoSource::Invalid(format!(
                "`{scheme}:` sources are not allowed for photos; use an https:// URL or a path under static/"
            )),
        },
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let path = src.split(['?', '#']).next().unwrap_or_default().trim_start_matches('/');
            let Some(decoded) = percent_decode(path) else {
                return PhotoSource::Invalid(format!("`{src}` has a malformed %-escape"));
            };
            let path = PathBuf::from(decoded);
            if path.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
                return PhotoSource::Invalid(format!("`{src}` climbs out of the site with `..`"));
            }
            if path.as_os_str().is_empty() {
                return PhotoSource::Invalid(format!("`{src}` names no file"));
            }
            PhotoSource::Local(path)
        }
        Err(e) => PhotoSource::Invalid(format!("`{src}` is not a valid URL ({e})")),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Find the file a site-relative photo `src` refers to: first under
/// `<site_root>/static/`, then under each `<site_root>/themes/*/static/` in
/// name order. Returns the canonical path, or `None` when the source is not
/// local, does not exist, is not a file, or resolves (through `..` or a
/// symlink) outside the site root.
pub fn resolve_local(site_root: &Path, src: &str) -> Option<PathBuf> {
    let PhotoSource::Local(rel) = classify_src(src) else {
        return None;
    };
    let root = site_root.canonicalize().ok()?;
    let mut bases = vec![root.join("static")];
    if let Ok(themes) = std::fs::read_dir(root.join("themes")) {
        let mut names: Vec<PathBuf> = themes
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("static"))
            .collect();
        names.sort();
        bases.extend(names);
    }
    bases.into_iter().find_map(|base| {
        let real = base.join(&rel).canonicalize().ok()?;
        (real.starts_with(&root) && real.is_file()).then_some(real)
    })
}
