//! Photos as a site uses them: every speaker photo the sessions name, the
//! site's photo rule from `lectern.toml`, and site-wide photo checks.

use super::{
    check_photo, classify_src, inspect_local, CacheConfig, FetchPolicy, FetchProgress, FetchReport,
    PhotoCache, PhotoFacts, PhotoRef, PhotoRule, PhotoSource,
};
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::site::Site;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

/// One place a session names a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoUse {
    /// The `src` as written.
    pub src: String,
    /// The session file, relative to the site root.
    pub file: PathBuf,
    /// 1-based line of the speaker.
    pub line: usize,
}

/// Every photo the site's sessions name, in file order.
pub fn site_photos(site: &Site) -> Vec<PhotoUse> {
    let files = site.session_files();
    let per_file: Vec<Vec<PhotoUse>> = files
        .par_iter()
        .map(|f| {
            let Ok(doc) = Document::load(&f.path) else {
                return Vec::new();
            };
            let Some(sec) = doc.speakers() else {
                return Vec::new();
            };
            let base = doc.front_matter_end_line();
            sec.speakers
                .iter()
                .zip(&sec.lines)
                .filter_map(|(s, l)| {
                    Some(PhotoUse {
                        src: s.photo.clone()?,
                        file: PathBuf::from(&f.rel),
                        line: base + l,
                    })
                })
                .collect()
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

/// The remote URLs among photo uses, normalised and without duplicates.
pub fn remote_urls(uses: &[PhotoUse]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    uses.iter()
        .filter_map(|u| match classify_src(&u.src) {
            PhotoSource::Remote(url) => seen.insert(url.clone()).then_some(url),
            _ => None,
        })
        .collect()
}

/// The site's photo rule: `[photos] size` (default 400) bounds width and
/// height, `max_bytes` (default 1 MiB) the file size; photos must be square.
pub fn site_rule(site: &Site) -> PhotoRule {
    let p = &site.config.photos;
    PhotoRule {
        max_bytes: p.max_bytes.unwrap_or(1024 * 1024),
        max_dimension: p.size.unwrap_or(400),
        ..PhotoRule::default()
    }
}

/// Open the photo cache in the default folder (`LECTERN_CACHE_DIR` overrides it).
pub fn open_default_cache() -> Result<PhotoCache, super::PhotoError> {
    let dir = super::default_cache_dir().ok_or_else(|| {
        super::PhotoError::io(
            "cache",
            std::io::Error::other("no cache folder on this system; set LECTERN_CACHE_DIR"),
        )
    })?;
    PhotoCache::open(dir, CacheConfig::default())
}

/// Fetch every remote photo of the site into the cache.
pub fn fetch_site(
    site: &Site,
    cache: &PhotoCache,
    policy: &FetchPolicy,
    jobs: usize,
    progress: &(dyn Fn(&FetchProgress<'_>) + Sync),
    cancel: &AtomicBool,
) -> FetchReport {
    let urls = remote_urls(&site_photos(site));
    cache.fetch_all(&urls, policy, jobs, progress, cancel)
}

/// Check every photo: local ones on disk, remote ones through the cache
/// (fetching what is missing or stale under `policy`). Broken, oversized and
/// non-square photos become diagnostics.
pub fn check_site_photos(
    site: &Site,
    cache: &PhotoCache,
    policy: &FetchPolicy,
    jobs: usize,
) -> Vec<Diagnostic> {
    let uses = site_photos(site);
    let urls = remote_urls(&uses);
    let report = cache.fetch_all(&urls, policy, jobs, &|_| {}, &AtomicBool::new(false));
    let rule = site_rule(site);
    let limits = CacheConfig::default().limits;
    let mut out = Vec::new();
    for u in &uses {
        let at = PhotoRef {
            src: &u.src,
            file: &u.file,
            line: u.line,
            column: 1,
        };
        let facts: Result<PhotoFacts, super::PhotoError> = match classify_src(&u.src) {
            PhotoSource::Remote(url) => match report.outcomes.iter().find(|o| o.url == url) {
                Some(o) => match (&o.photo, &o.error) {
                    (Some(p), _) => Ok(PhotoFacts::from(p)),
                    (None, e) => Err(super::PhotoError::Network {
                        url: url.clone(),
                        message: e.clone().unwrap_or_else(|| "not fetched".into()),
                    }),
                },
                None => Err(super::PhotoError::Network {
                    url,
                    message: "not fetched".into(),
                }),
            },
            PhotoSource::Local(p) => match site.resolve_static(&p.to_string_lossy()) {
                Some(path) => inspect_local(&path, &limits),
                None => continue, // `photo-missing` from validation already says so
            },
            PhotoSource::Invalid(reason) => Err(super::PhotoError::Blocked {
                url: u.src.clone(),
                reason,
            }),
        };
        out.extend(check_photo(&at, facts.as_ref().map(|f| *f), &rule));
    }
    out
}

/// A URL that could not be fetched, and the sessions that name it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FetchFailure {
    /// The URL (normalised).
    pub url: String,
    /// The HTTP status, when the server answered with an error.
    pub http_status: Option<u16>,
    /// What went wrong, for people.
    pub error: String,
    /// Session files naming it, relative to the site root, without duplicates.
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub files: Vec<PathBuf>,
}

/// The failed URLs of a fetch, each with the sessions that name it (from `uses`).
pub fn fetch_failures(report: &FetchReport, uses: &[PhotoUse]) -> Vec<FetchFailure> {
    report
        .outcomes
        .iter()
        .filter(|o| o.status == super::FetchStatus::Failed)
        .map(|o| {
            let mut files: Vec<PathBuf> = uses
                .iter()
                .filter(
                    |u| matches!(classify_src(&u.src), PhotoSource::Remote(url) if url == o.url),
                )
                .map(|u| u.file.clone())
                .collect();
            files.dedup();
            FetchFailure {
                url: o.url.clone(),
                http_status: o.http_status,
                error: o.error.clone().unwrap_or_else(|| "failed".into()),
                files,
            }
        })
        .collect()
}

/// What the speakers editor shows about one photo, without any network access.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoStatus {
    /// The `src` as written.
    pub src: String,
    /// A `lectern-photo:` URL to show it (a cached thumbnail of `thumb_size`
    /// for remote photos, the file for local ones); `None` when there is
    /// nothing to show.
    pub preview_url: Option<String>,
    /// Size and dimensions as the site serves the photo, when known.
    pub facts: Option<PhotoFacts>,
    /// Findings of the site's photo rule: broken, oversized, not square.
    pub findings: Vec<Diagnostic>,
    /// Why facts are missing without that being a problem (a remote photo
    /// not fetched yet).
    pub note: Option<String>,
}

/// Inspect one speaker photo named in `file` at `line`: a local photo on
/// disk, a remote one from the cache only (never fetched here), checked
/// against the site's rule ([`site_rule`]) by [`check_photo`].
pub fn photo_status(
    site: &Site,
    cache: Option<&PhotoCache>,
    src: &str,
    file: &std::path::Path,
    line: usize,
    thumb_size: u32,
) -> PhotoStatus {
    let at = PhotoRef {
        src,
        file,
        line,
        column: 1,
    };
    let rule = site_rule(site);
    let preview_url = super::protocol::preview_url(site, cache, src, thumb_size);
    let facts: Result<PhotoFacts, super::PhotoError> = match classify_src(src) {
        PhotoSource::Remote(url) => match cache.and_then(|c| c.lookup(&url)) {
            Some(p) => Ok(PhotoFacts::from(&p)),
            None => {
                return PhotoStatus {
                    src: src.to_owned(),
                    preview_url,
                    facts: None,
                    findings: Vec::new(),
                    note: Some("not in the photo cache yet; use Fetch all photos".into()),
                }
            }
        },
        PhotoSource::Local(p) => match site.resolve_static(&p.to_string_lossy()) {
            Some(path) => inspect_local(&path, &CacheConfig::default().limits),
            None => Err(super::PhotoError::io(
                p.clone(),
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file under static/ (or a theme's static/)",
                ),
            )),
        },
        PhotoSource::Invalid(reason) => Err(super::PhotoError::Blocked {
            url: src.to_owned(),
            reason,
        }),
    };
    let findings = check_photo(&at, facts.as_ref().map(|f| *f), &rule);
    PhotoStatus {
        src: src.to_owned(),
        preview_url,
        facts: facts.ok(),
        findings,
        note: None,
    }
}
