//! Speaker photos: classify a session's `<img src>`, fetch remote photos
//! safely, keep them in a content-addressed cache, make thumbnails, normalise
//! photos for the site and report photo problems as diagnostics.
//!
//! Why so careful: a photo URL arrives in a stranger's pull request. Fetching
//! it must not let that stranger probe the reviewer's network, fill their
//! disk, hang the editor or crash it with a decompression bomb. So:
//!
//! - [`FetchPolicy`] bounds every request (connect and total timeouts, body
//!   size, redirects) and refuses loopback, private, link-local, CGNAT,
//!   multicast and other non-public addresses, checked on the URL, on every
//!   address DNS returns (the connection goes to the checked address) and on
//!   every redirect hop; https→http downgrades are refused.
//! - Images are sniffed from their bytes, decoded under [`DecodeLimits`] and
//!   re-encoded by us (JPEG, or PNG when there is transparency); nothing the
//!   server sent is ever stored as is.
//! - [`PhotoCache`] stores files by the sha256 of their content, so a
//!   truncated or corrupt file is noticed and fetched again; an index maps
//!   URL → hash plus validators (ETag, Last-Modified) for revalidation; the
//!   cache is capped with least-recently-used eviction; concurrent requests
//!   for one URL share one download.
//!
//! Entry points for the CLI and the app:
//!
//! ```text
//! default_cache_dir() -> Option<PathBuf>              // $LECTERN_CACHE_DIR or <cache>/lectern/photos
//! FetchPolicy::from_env() -> FetchPolicy              // strict; LECTERN_ALLOW_LOOPBACK=1 allows loopback
//! PhotoCache::open(dir, CacheConfig) -> Result<PhotoCache, PhotoError>
//! PhotoCache::fetch(&self, url, &FetchPolicy) -> Result<CachedPhoto, PhotoError>
//! PhotoCache::fetch_outcome(&self, url, &FetchPolicy) -> UrlOutcome
//! PhotoCache::fetch_all(&self, &[String], &FetchPolicy, jobs, &progress, &AtomicBool) -> FetchReport
//! PhotoCache::lookup(&self, url) -> Option<CachedPhoto>              // no network
//! PhotoCache::read_thumbnail(&self, &CachedPhoto, size) -> Result<Vec<u8>, PhotoError>
//! PhotoCache::flush(&self) -> Result<(), PhotoError>                 // also on drop
//! normalize(PhotoInput, &NormalizeOptions) -> Result<Normalized, PhotoError>
//! classify_src(src) -> PhotoSource::{Remote, Local, Invalid}
//! resolve_local(site_root, src) -> Option<PathBuf>
//! inspect_local(path, &DecodeLimits) -> Result<PhotoFacts, PhotoError>
//! check_photo(&PhotoRef, Result<PhotoFacts, &PhotoError>, &PhotoRule) -> Vec<Diagnostic>
//! workspace_photos(&Workspace) -> Vec<PhotoUse>                     // unsaved edits included
//! fetch_failures(&FetchReport, &[PhotoUse]) -> Vec<FetchFailure>    // with the sessions naming each URL
//! photo_status(site, cache, src, file, line, thumb) -> PhotoStatus  // no network: for the speakers editor
//! replace::*                                                        // "Replace photo…": see that module
//! ```
//!
//! A [`PhotoCache`] is `Sync`: share one per process and call it from many
//! threads. Two processes should not share one cache folder at once.

mod cache;
mod check;
mod http;
mod imaging;
mod local;
mod policy;
pub mod protocol;
pub mod replace;
mod sitewide;

pub use crate::error::PhotoError;
pub use cache::{
    default_cache_dir, CacheConfig, CachedPhoto, FetchCounts, FetchProgress, FetchReport,
    FetchStatus, PhotoCache, Thumbnail, UrlOutcome, DEFAULT_JOBS,
};
pub use check::{check_photo, inspect_local, PhotoFacts, PhotoRef, PhotoRule};
pub use imaging::{
    normalize, DecodeLimits, NormalizeOptions, Normalized, PhotoInput, StoredFormat,
};
pub use local::{classify_src, resolve_local, PhotoSource};
pub use policy::{check_ip, check_redirect, check_url, FetchPolicy};
pub use sitewide::{
    check_site_photos, fetch_site, open_default_cache, remote_urls, site_photos, site_rule,
    PhotoUse,
};
// The app's views of the open site's photos.
pub use imaging::square_crop_rect;
pub use sitewide::{fetch_failures, photo_status, FetchFailure, PhotoStatus};
