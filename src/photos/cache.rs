//! The photo cache: normalised photos and thumbnails stored by the sha256 of
//! their own content in one folder, with `index.json` mapping each URL to its
//! files, validators and access time.
//!
//! Layout: `<dir>/<sha256>.jpg|png` for every stored file and
//! `<dir>/index.json` (written to a temp file, then renamed). Because a file's
//! name is its hash, a truncated or corrupted file is detected and fetched
//! again. The cache assumes one process at a time uses a folder.

use super::http::{Client, Reply, Validators};
use super::imaging::{bound, decode, encode, square_crop, thumbnail};
use super::policy::{check_url, FetchPolicy};
use super::{DecodeLimits, PhotoError, StoredFormat};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const INDEX_FILE: &str = "index.json";
const INDEX_VERSION: u32 = 1;
/// Parallel fetches in [`PhotoCache::fetch_all`] when the caller passes 0.
pub const DEFAULT_JOBS: usize = 4;

/// Cache settings.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheConfig {
    /// Cap on the total size of stored files, in bytes; least recently used
    /// entries are evicted beyond it. Default 500 MB.
    pub max_bytes: u64,
    /// How long a fetched photo is used without asking the server again.
    /// Default 24 hours; older entries are revalidated (ETag/Last-Modified).
    pub max_age: Duration,
    /// Square thumbnail sizes made for every photo. Default 64 (list) and 256 (preview).
    pub thumbnail_sizes: Vec<u32>,
    /// Longest side of the stored photo; larger photos are shrunk. Default 2048.
    pub max_side: u32,
    /// JPEG quality of stored files. Default 85.
    pub quality: u8,
    /// Decoding bounds.
    pub limits: DecodeLimits,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            max_bytes: 500 * 1000 * 1000,
            max_age: Duration::from_secs(24 * 3600),
            thumbnail_sizes: vec![64, 256],
            max_side: 2048,
            quality: 85,
            limits: DecodeLimits::default(),
        }
    }
}

/// The default cache folder: `$LECTERN_CACHE_DIR` when set, otherwise
/// `<OS cache folder>/lectern/photos`.
pub fn default_cache_dir() -> Option<PathBuf> {
    match std::env::var_os("LECTERN_CACHE_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::cache_dir().map(|d| d.join("lectern").join("photos")),
    }
}

/// One square thumbnail of a cached photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Thumbnail {
    /// Side in pixels.
    pub size: u32,
    /// The file.
    pub path: PathBuf,
    /// sha256 of the file (also its name).
    pub hash: String,
    /// File size in bytes.
    pub bytes: u64,
}

/// A photo in the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CachedPhoto {
    /// The URL, normalised.
    pub url: String,
    /// sha256 of the stored photo (also its file name).
    pub hash: String,
    /// The stored photo: re-encoded by Lectern, orientation applied, at most
    /// [`CacheConfig::max_side`] pixels on its longest side.
    pub path: PathBuf,
    /// Format of the stored photo.
    pub format: StoredFormat,
    /// Width of the stored photo.
    pub width: u32,
    /// Height of the stored photo.
    pub height: u32,
    /// Size of the stored photo in bytes.
    pub bytes: u64,
    /// Square thumbnails, smallest first.
    pub thumbnails: Vec<Thumbnail>,
    /// The format the server really sent ("png", "jpeg", "gif", "webp").
    pub original_format: String,
    /// Width of the photo as served (orientation applied).
    pub original_width: u32,
    /// Height of the photo as served (orientation applied).
    pub original_height: u32,
    /// Size of the body the server sent, in bytes.
    pub original_bytes: u64,
    /// When it was last fetched or revalidated, in seconds since the Unix epoch.
    pub fetched_at: u64,
}

impl CachedPhoto {
    /// The thumbnail of exactly `size` pixels, if the cache makes that size.
    pub fn thumbnail(&self, size: u32) -> Option<&Thumbnail> {
        self.thumbnails.iter().find(|t| t.size == size)
    }
}

/// How one URL of a [`PhotoCache::fetch_all`] run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FetchStatus {
    /// Served from the cache without any request (fresh entry).
    Fresh,
    /// The server answered 304: the cached copy is still current.
    Revalidated,
    /// Downloaded and stored.
    Downloaded,
    /// Refused or failed; see the error.
    Failed,
    /// Not attempted because the run was cancelled.
    Cancelled,
}

/// One URL's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UrlOutcome {
    /// The URL as given.
    pub url: String,
    /// How it ended.
    pub status: FetchStatus,
    /// The final HTTP status, when a request was answered.
    pub http_status: Option<u16>,
    /// What went wrong, for people.
    pub error: Option<String>,
    /// The cached photo, when there is one.
    pub photo: Option<CachedPhoto>,
}

/// The result of [`PhotoCache::fetch_all`], in the order of the input URLs
/// (duplicates removed).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FetchReport {
    /// One outcome per distinct URL.
    pub outcomes: Vec<UrlOutcome>,
}

/// How the URLs of a run ended, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FetchCounts {
    /// Distinct URLs in the run.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: usize,
    /// Downloaded and stored.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub downloaded: usize,
    /// Still current after asking the server (304).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub revalidated: usize,
    /// Fresh in the cache, no request made.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub fresh: usize,
    /// Failed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub failed: usize,
    /// Not attempted because the run was cancelled.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cancelled: usize,
}

impl FetchReport {
    /// How the run's URLs ended, counted by status.
    pub fn counts(&self) -> FetchCounts {
        FetchCounts {
            total: self.outcomes.len(),
            downloaded: self.count(FetchStatus::Downloaded),
            revalidated: self.count(FetchStatus::Revalidated),
            fresh: self.count(FetchStatus::Fresh),
            failed: self.count(FetchStatus::Failed),
            cancelled: self.count(FetchStatus::Cancelled),
        }
    }

    /// How many URLs ended with `status`.
    pub fn count(&self, status: FetchStatus) -> usize {
        self.outcomes.iter().filter(|o| o.status == status).count()
    }
}

/// Progress of a [`PhotoCache::fetch_all`] run, reported after each URL.
#[derive(Debug, Clone)]
pub struct FetchProgress<'a> {
    /// URLs finished so far.
    pub done: usize,
    /// URLs in the run.
    pub total: usize,
    /// The URL just finished.
    pub url: &'a str,
    /// How it ended.
    pub status: FetchStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredFile {
    hash: String,
    format: StoredFormat,
    bytes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredThumb {
    size: u32,
    #[serde(flatten)]
    file: StoredFile,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    file: StoredFile,
    width: u32,
    height: u32,
    thumbnails: Vec<StoredThumb>,
    original_format: String,
    original_width: u32,
    original_height: u32,
    original_bytes: u64,
    etag: Option<String>,
    last_modified: Option<String>,
    /// Seconds since the Unix epoch.
    fetched_at: u64,
    /// Milliseconds since the Unix epoch.
    last_access: u64,
    /// Access order, for least-recently-used eviction without clock ties.
    seq: u64,
}

impl Entry {
    fn files(&self) -> impl Iterator<Item = &StoredFile> {
        std::iter::once(&self.file).chain(self.thumbnails.iter().map(|t| &t.file))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Index {
    version: u32,
    seq: u64,
    entries: BTreeMap<String, Entry>,
}

impl Default for Index {
    fn default() -> Self {
        Index {
            version: INDEX_VERSION,
            seq: 0,
            entries: BTreeMap::new(),
        }
    }
}

struct IndexState {
    index: Index,
    dirty: bool,
    last_persist: Option<Instant>,
}

/// What a fetch did, shared by everyone waiting on the same URL.
#[derive(Debug, Clone)]
struct Fetched {
    photo: CachedPhoto,
    status: FetchStatus,
    http_status: Option<u16>,
}

/// One in-flight fetch that concurrent callers for the same URL wait on.
#[derive(Default)]
struct Flight {
    slot: Mutex<Option<Result<Fetched, PhotoError>>>,
    done: Condvar,
}

/// The photo cache. Safe to share between threads (`&self` everywhere).
pub struct PhotoCache {
    dir: PathBuf,
    config: CacheConfig,
    state: Mutex<IndexState>,
    flights: Mutex<HashMap<String, Arc<Flight>>>,
    clients: Mutex<Vec<(FetchPolicy, Client)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not make the cache unusable; the data is
    // still consistent because every update is a single insert or remove.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Write `bytes` to `path` through a temp file in the same folder and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PhotoError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".tmp-{}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        unix_now().subsec_nanos()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(PhotoError::io(path, e));
    }
    Ok(())
}

fn looks_like_hash_file(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    stem.len() == 64
        && stem.bytes().all(|b| b.is_ascii_hexdigit())
        && (name.ends_with(".jpg") || name.ends_with(".png"))
}

/// A photo processed and ready to store.
struct Processed {
    main: (Vec<u8>, StoredFormat),
    width: u32,
    height: u32,
    thumbs: Vec<(u32, Vec<u8>, StoredFormat)>,
    original_format: &'static str,
    original_width: u32,
    original_height: u32,
}

impl PhotoCache {
    /// Open (or create) a cache in `dir`. An unreadable or corrupt index
    /// starts the cache empty; files no entry refers to and stray temp files
    /// are removed.
    pub fn open(dir: impl Into<PathBuf>, config: CacheConfig) -> Result<PhotoCache, PhotoError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| PhotoError::io(&dir, e))?;
        let index_path = dir.join(INDEX_FILE);
        let (index, dirty) = match std::fs::read(&index_path) {
            Ok(bytes) => match serde_json::from_slice::<Index>(&bytes) {
                Ok(index) if index.version == INDEX_VERSION => (index, false),
                _ => (Index::default(), true),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Index::default(), false),
            Err(e) => return Err(PhotoError::io(index_path, e)),
        };
        let cache = PhotoCache {
            dir,
            config,
            state: Mutex::new(IndexState {
                index,
                dirty,
                last_persist: None,
            }),
            flights: Mutex::new(HashMap::new()),
            clients: Mutex::new(Vec::new()),
        };
        cache.remove_strays()?;
        Ok(cache)
    }

    /// The folder this cache lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The settings in force.
    pub fn config(&self) -> &CacheConfig {
        &self.config
    }

    fn remove_strays(&self) -> Result<(), PhotoError> {
        let referenced: std::collections::HashSet<String> = {
            let state = lock(&self.state);
            state
                .index
                .entries
                .values()
                .flat_map(|e| e.files().map(|f| self.file_name(f)))
                .collect()
        };
        let listing = std::fs::read_dir(&self.dir).map_err(|e| PhotoError::io(&self.dir, e))?;
        for item in listing.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            if name.starts_with(".tmp-")
                || (looks_like_hash_file(&name) && !referenced.contains(&name))
            {
                let _ = std::fs::remove_file(item.path());
            }
        }
        Ok(())
    }

    fn file_name(&self, f: &StoredFile) -> String {
        format!("{}.{}", f.hash, f.format.extension())
    }

    fn file_path(&self, f: &StoredFile) -> PathBuf {
        self.dir.join(self.file_name(f))
    }

    fn photo(&self, url: &str, e: &Entry) -> CachedPhoto {
        let mut thumbnails: Vec<Thumbnail> = e
            .thumbnails
            .iter()
            .map(|t| Thumbnail {
                size: t.size,
                path: self.file_path(&t.file),
                hash: t.file.hash.clone(),
                bytes: t.file.bytes,
            })
            .collect();
        thumbnails.sort_by_key(|t| t.size);
        CachedPhoto {
            url: url.to_owned(),
            hash: e.file.hash.clone(),
            path: self.file_path(&e.file),
            format: e.file.format,
            width: e.width,
            height: e.height,
            bytes: e.file.bytes,
            thumbnails,
            original_format: e.original_format.clone(),
            original_width: e.original_width,
            original_height: e.original_height,
            original_bytes: e.original_bytes,
            fetched_at: e.fetched_at,
        }
    }

    /// Every file of the entry exists with the right size, and, when `full`,
    /// hashes to its name.
    fn intact(&self, e: &Entry, full: bool) -> bool {
        e.files().all(|f| {
            let path = self.file_path(f);
            if !full {
                return std::fs::metadata(&path)
                    .map(|m| m.len() == f.bytes)
                    .unwrap_or(false);
            }
            match std::fs::read(&path) {
                Ok(bytes) => bytes.len() as u64 == f.bytes && sha256_hex(&bytes) == f.hash,
                Err(_) => false,
            }
        })
    }

    fn touch(state: &mut IndexState, key: &str) {
        state.index.seq += 1;
        let seq = state.index.seq;
        if let Some(e) = state.index.entries.get_mut(key) {
            e.seq = seq;
            e.last_access = unix_now().as_millis() as u64;
            state.dirty = true;
        }
    }

    fn persist(&self, state: &mut IndexState) -> Result<(), PhotoError> {
        let json = serde_json::to_vec(&state.index)
            .map_err(|e| PhotoError::io(self.dir.join(INDEX_FILE), std::io::Error::other(e)))?;
        write_atomic(&self.dir.join(INDEX_FILE), &json)?;
        state.dirty = false;
        state.last_persist = Some(Instant::now());
        Ok(())
    }

    /// Persist now if the index was not written in the last second, else
    /// leave it dirty: a batch of 300 downloads then writes the index a few
    /// times instead of 300. [`PhotoCache::flush`] (also run on drop and at
    /// the end of [`PhotoCache::fetch_all`]) writes the rest; files of
    /// entries lost in a crash are removed as strays on the next open.
    fn persist_soon(&self, state: &mut IndexState) -> Result<(), PhotoError> {
        state.dirty = true;
        match state.last_persist {
            Some(t) if t.elapsed() < Duration::from_secs(1) => Ok(()),
            _ => self.persist(state),
        }
    }

    /// Write pending index changes (access times) to disk. Also done on drop.
    pub fn flush(&self) -> Result<(), PhotoError> {
        let mut state = lock(&self.state);
        if state.dirty {
            self.persist(&mut state)?;
        }
        Ok(())
    }

    /// The cached photo for `url`, without any network access (for the
    /// offline preview). Checks that the files exist with the right sizes
    /// (not their hashes: [`PhotoCache::read_thumbnail`] and
    /// [`PhotoCache::fetch`] do that). Ignores freshness.
    pub fn lookup(&self, url: &str) -> Option<CachedPhoto> {
        let key = url::Url::parse(url.trim())
            .map(|u| u.to_string())
            .unwrap_or_else(|_| url.trim().to_owned());
        let mut state = lock(&self.state);
        let entry = state.index.entries.get(&key)?;
        if !self.intact(entry, false) {
            return None;
        }
        let photo = self.photo(&key, entry);
        Self::touch(&mut state, &key);
        Some(photo)
    }

    /// Read a thumbnail's bytes, checking them against their hash.
    pub fn read_thumbnail(&self, photo: &CachedPhoto, size: u32) -> Result<Vec<u8>, PhotoError> {
        let thumb = photo.thumbnail(size).ok_or_else(|| PhotoError::Decode {
            url: photo.url.clone(),
            message: format!(
                "no {size} px thumbnail is made (sizes: {:?})",
                self.config.thumbnail_sizes
            ),
        })?;
        let bytes = std::fs::read(&thumb.path).map_err(|e| PhotoError::io(&thumb.path, e))?;
        if sha256_hex(&bytes) != thumb.hash {
            return Err(PhotoError::Decode {
                url: thumb.path.display().to_string(),
                message: "the cached thumbnail is damaged; fetch the photo again".into(),
            });
        }
        Ok(bytes)
    }

    /// Total bytes of the files the index refers to (each file counted once).
    pub fn total_bytes(&self) -> u64 {
        let state = lock(&self.state);
        let mut seen = std::collections::HashSet::new();
        state
            .index
            .entries
            .values()
            .flat_map(|e| e.files())
            .filter(|f| seen.insert(&f.hash))
            .map(|f| f.bytes)
            .sum()
    }

    fn client(&self, policy: &FetchPolicy) -> Client {
        let mut clients = lock(&self.clients);
        if let Some((_, c)) = clients.iter().find(|(p, _)| p == policy) {
            return c.clone();
        }
        let client = Client::new(policy);
        clients.push((policy.clone(), client.clone()));
        client
    }

    /// Fetch `url` into the cache, or return the cached copy: a fresh entry
    /// (younger than [`CacheConfig::max_age`]) makes no request; a stale one
    /// is revalidated with If-None-Match / If-Modified-Since; a damaged one
    /// is fetched again. Refused URLs fail before any network activity.
    /// Concurrent calls for one URL share a single download.
    pub fn fetch(&self, url: &str, policy: &FetchPolicy) -> Result<CachedPhoto, PhotoError> {
        self.fetch_shared(url, policy).map(|f| f.photo)
    }

    /// Like [`PhotoCache::fetch`], as an outcome record that says whether a
    /// request was made and with which HTTP status.
    pub fn fetch_outcome(&self, url: &str, policy: &FetchPolicy) -> UrlOutcome {
        match self.fetch_shared(url, policy) {
            Ok(f) => UrlOutcome {
                url: url.to_owned(),
                status: f.status,
                http_status: f.http_status,
                error: None,
                photo: Some(f.photo),
            },
            Err(e) => UrlOutcome {
                url: url.to_owned(),
                status: FetchStatus::Failed,
                http_status: e.http_status(),
                error: Some(e.to_string()),
                photo: None,
            },
        }
    }

    fn fetch_shared(&self, raw: &str, policy: &FetchPolicy) -> Result<Fetched, PhotoError> {
        let url = check_url(raw, policy)?;
        let key = url.to_string();
        let (flight, leader) = {
            let mut flights = lock(&self.flights);
            match flights.get(&key) {
                Some(f) => (Arc::clone(f), false),
                None => {
                    let f = Arc::new(Flight::default());
                    flights.insert(key.clone(), Arc::clone(&f));
                    (f, true)
                }
            }
        };
        if !leader {
            let mut slot = lock(&flight.slot);
            loop {
                if let Some(result) = slot.as_ref() {
                    return result.clone();
                }
                slot = flight.done.wait(slot).unwrap_or_else(|e| e.into_inner());
            }
        }
        // Publishes the result (or an error if the fetch panicked) and lets
        // the waiters go, whatever happens below.
        struct Lead<'a> {
            cache: &'a PhotoCache,
            key: String,
            flight: Arc<Flight>,
            result: Option<Result<Fetched, PhotoError>>,
        }
        impl Drop for Lead<'_> {
            fn drop(&mut self) {
                let result = self.result.take().unwrap_or_else(|| {
                    Err(PhotoError::Network {
                        url: self.key.clone(),
                        message: "the fetch was interrupted".into(),
                    })
                });
                *lock(&self.flight.slot) = Some(result);
                self.flight.done.notify_all();
                lock(&self.cache.flights).remove(&self.key);
            }
        }
        let mut lead = Lead {
            cache: self,
            key: key.clone(),
            flight,
            result: None,
        };
        let result = self.fetch_alone(&key, policy);
        lead.result = Some(result.clone());
        drop(lead);
        result
    }

    fn fetch_alone(&self, key: &str, policy: &FetchPolicy) -> Result<Fetched, PhotoError> {
        let now = unix_now().as_secs();
        let existing = lock(&self.state).index.entries.get(key).cloned();
        let mut validators = None;
        if let Some(e) = existing.filter(|e| self.intact(e, true)) {
            if now.saturating_sub(e.fetched_at) < self.config.max_age.as_secs() {
                let mut state = lock(&self.state);
                Self::touch(&mut state, key);
                return Ok(Fetched {
                    photo: self.photo(key, &e),
                    status: FetchStatus::Fresh,
                    http_status: None,
                });
            }
            validators = Some(Validators {
                etag: e.etag.clone(),
                last_modified: e.last_modified.clone(),
            })
            .filter(|v| v.etag.is_some() || v.last_modified.is_some());
        }
        match self.client(policy).get(key, validators.as_ref())? {
            Reply::NotModified { validators: fresh } => {
                let mut state = lock(&self.state);
                let entry =
                    state
                        .index
                        .entries
                        .get_mut(key)
                        .ok_or_else(|| PhotoError::Network {
                            url: key.to_owned(),
                            message: "the cache entry was evicted during revalidation; fetch again"
                                .into(),
                        })?;
                entry.fetched_at = now;
                if fresh.etag.is_some() {
                    entry.etag = fresh.etag;
                }
                if fresh.last_modified.is_some() {
                    entry.last_modified = fresh.last_modified;
                }
                let photo = self.photo(key, entry);
                Self::touch(&mut state, key);
                self.persist_soon(&mut state)?;
                Ok(Fetched {
                    photo,
                    status: FetchStatus::Revalidated,
                    http_status: Some(304),
                })
            }
            Reply::Body {
                status,
                body,
                validators,
            } => {
                let processed = self.process(&body).map_err(|e| e.with_url(key))?;
                let photo = self.store(key, processed, body.len() as u64, validators, now)?;
                Ok(Fetched {
                    photo,
                    status: FetchStatus::Downloaded,
                    http_status: Some(status),
                })
            }
        }
    }

    /// Decode, shrink, crop and encode the photo and its thumbnails.
    fn process(&self, body: &[u8]) -> Result<Processed, PhotoError> {
        let decoded = decode(body, &self.config.limits)?;
        let main = bound(decoded.image, self.config.max_side);
        let square = square_crop(&main, (0.5, 0.5));
        let q = self.config.quality;
        // Each thumbnail is shrunk from the next larger one (256 → 64 costs a
        // tenth of 1000 → 64); the encodes then run in parallel.
        let mut sizes = self.config.thumbnail_sizes.clone();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.dedup();
        sizes.retain(|&s| s > 0);
        let (main_enc, thumbs) = rayon::join(
            || encode(&main, q),
            || {
                let mut source = square;
                let mut shrunk = Vec::with_capacity(sizes.len());
                for &size in &sizes {
                    source = thumbnail(&source, size);
                    shrunk.push((size, source.clone()));
                }
                shrunk
                    .par_iter()
                    .map(|(size, img)| encode(img, q).map(|(b, f)| (*size, b, f)))
                    .collect::<Result<Vec<_>, _>>()
            },
        );
        Ok(Processed {
            main: main_enc?,
            width: main.width(),
            height: main.height(),
            thumbs: thumbs?,
            original_format: decoded.format,
            original_width: decoded.width,
            original_height: decoded.height,
        })
    }

    fn write_file(&self, bytes: &[u8], format: StoredFormat) -> Result<StoredFile, PhotoError> {
        let file = StoredFile {
            hash: sha256_hex(bytes),
            format,
            bytes: bytes.len() as u64,
        };
        write_atomic(&self.file_path(&file), bytes)?;
        Ok(file)
    }

    fn store(
        &self,
        key: &str,
        p: Processed,
        original_bytes: u64,
        validators: Validators,
        now: u64,
    ) -> Result<CachedPhoto, PhotoError> {
        let file = self.write_file(&p.main.0, p.main.1)?;
        let mut thumbnails = Vec::with_capacity(p.thumbs.len());
        for (size, bytes, format) in &p.thumbs {
            thumbnails.push(StoredThumb {
                size: *size,
                file: self.write_file(bytes, *format)?,
            });
        }
        let entry = Entry {
            file,
            width: p.width,
            height: p.height,
            thumbnails,
            original_format: p.original_format.to_owned(),
            original_width: p.original_width,
            original_height: p.original_height,
            original_bytes,
            etag: validators.etag,
            last_modified: validators.last_modified,
            fetched_at: now,
            last_access: 0,
            seq: 0,
        };
        let photo = self.photo(key, &entry);
        let mut state = lock(&self.state);
        let old = state.index.entries.insert(key.to_owned(), entry);
        if let Some(old) = old {
            self.drop_unreferenced(&state, &old);
        }
        Self::touch(&mut state, key);
        self.evict(&mut state, key);
        self.persist_soon(&mut state)?;
        Ok(photo)
    }

    /// Delete the files of a removed entry that no remaining entry uses.
    fn drop_unreferenced(&self, state: &IndexState, removed: &Entry) -> u64 {
        let mut freed = 0;
        for f in removed.files() {
            let used = state
                .index
                .entries
                .values()
                .any(|e| e.files().any(|g| g.hash == f.hash));
            if !used && std::fs::remove_file(self.file_path(f)).is_ok() {
                freed += f.bytes;
            }
        }
        freed
    }

    /// Remove least recently used entries (never `keep`) until the stored
    /// files fit in [`CacheConfig::max_bytes`].
    fn evict(&self, state: &mut IndexState, keep: &str) {
        let mut seen = std::collections::HashSet::new();
        let mut total: u64 = state
            .index
            .entries
            .values()
            .flat_map(|e| e.files())
            .filter(|f| seen.insert(f.hash.clone()))
            .map(|f| f.bytes)
            .sum();
        if total <= self.config.max_bytes {
            return;
        }
        let mut order: Vec<(u64, String)> = state
            .index
            .entries
            .iter()
            .filter(|(k, _)| k.as_str() != keep)
            .map(|(k, e)| (e.seq, k.clone()))
            .collect();
        order.sort();
        for (_, key) in order {
            if total <= self.config.max_bytes {
                break;
            }
            if let Some(removed) = state.index.entries.remove(&key) {
                total = total.saturating_sub(self.drop_unreferenced(state, &removed));
                state.dirty = true;
            }
        }
    }

    /// Fetch many URLs with `jobs` parallel workers (0 means
    /// [`DEFAULT_JOBS`]). `progress` is called after each URL; setting
    /// `cancel` stops starting new fetches (running ones finish, bounded by
    /// the policy's timeouts) and marks the rest `Cancelled`.
    pub fn fetch_all(
        &self,
        urls: &[String],
        policy: &FetchPolicy,
        jobs: usize,
        progress: &(dyn Fn(&FetchProgress<'_>) + Sync),
        cancel: &AtomicBool,
    ) -> FetchReport {
        let mut seen = std::collections::HashSet::new();
        let urls: Vec<&String> = urls
            .iter()
            .filter(|u| seen.insert(u.trim().to_owned()))
            .collect();
        let total = urls.len();
        let slots: Vec<Mutex<Option<UrlOutcome>>> = (0..total).map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let workers = if jobs == 0 { DEFAULT_JOBS } else { jobs }.min(total.max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let outcome = self.fetch_outcome(url, policy);
                    let status = outcome.status;
                    *lock(&slots[i]) = Some(outcome);
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(&FetchProgress {
                        done: finished,
                        total,
                        url,
                        status,
                    });
                });
            }
        });
        let _ = self.flush();
        let outcomes = slots
            .into_iter()
            .zip(&urls)
            .map(|(slot, url)| {
                slot.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .unwrap_or_else(|| UrlOutcome {
                        url: (*url).clone(),
                        status: FetchStatus::Cancelled,
                        http_status: None,
                        error: None,
                        photo: None,
                    })
            })
            .collect();
        FetchReport { outcomes }
    }
}

impl Drop for PhotoCache {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}
