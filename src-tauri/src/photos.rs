//! The `lectern-photo:` URI scheme the preview loads speaker photos from.
//!
//! The core's renderer maps every image source to a `lectern-photo:` URL
//! (or its placeholder), so the preview never reaches the network or the
//! file system directly. The core's photo protocol decides what a URL names
//! (a cached photo by content hash, a site photo under `static/`) and checks
//! it again when serving; this module only answers the web view.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use lectern::photos::replace::StagedPhoto;
use lectern::photos::PhotoCache;
use tauri::http::{header, Request, Response, StatusCode};

/// The scheme name (also allowed by `img-src` in the CSP).
pub const SCHEME: &str = lectern::photos::protocol::SCHEME;

const PLACEHOLDER: &[u8] = include_bytes!("../resources/photo-placeholder.png");

/// The photo cache, opened once per process; `None` when it cannot be
/// opened (the preview then shows placeholders for remote photos).
pub fn cache() -> Option<&'static PhotoCache> {
    static CACHE: OnceLock<Option<PhotoCache>> = OnceLock::new();
    CACHE
        .get_or_init(|| lectern::photos::open_default_cache().ok())
        .as_ref()
}

/// Answer one request for a photo of `site` (the open site, if any).
pub fn respond(
    site: Option<&lectern::site::Site>,
    request: &Request<Vec<u8>>,
) -> Response<Vec<u8>> {
    let path = request.uri().path();
    let reply = Response::builder()
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "no-store");
    let served = if path == "/placeholder" {
        Some(("image/png", PLACEHOLDER.to_vec()))
    } else if let Some(name) = path.strip_prefix("/staged/") {
        staged_preview(name)
    } else {
        site.and_then(|s| lectern::photos::protocol::serve(s, cache(), path))
            .map(|s| (s.mime, s.bytes))
    };
    let built = match served {
        Some((mime, bytes)) => reply
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, mime)
            .body(bytes),
        None => reply.status(StatusCode::NOT_FOUND).body(Vec::new()),
    };
    built.unwrap_or_else(|_| Response::new(Vec::new()))
}

/// Previews of the photo being placed in "Replace photo…": images Lectern
/// encoded itself, kept in memory under a fresh name each (so the web view
/// never shows a stale one) and served at `/staged/<name>`. Only the last
/// few are kept.
/// Staged previews: (name, MIME type, bytes), oldest first.
type StagedPreviews = Mutex<VecDeque<(String, &'static str, Vec<u8>)>>;

fn staged_previews() -> &'static StagedPreviews {
    static PREVIEWS: OnceLock<StagedPreviews> = OnceLock::new();
    PREVIEWS.get_or_init(Default::default)
}

const STAGED_KEPT: usize = 6;

/// Keep an encoded preview and return its `lectern-photo:` URL.
pub fn stage_preview(photo: &lectern::photos::Normalized) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let ext = photo.format.extension();
    let mime = if ext == "png" {
        "image/png"
    } else {
        "image/jpeg"
    };
    let name = format!("{}.{ext}", NEXT.fetch_add(1, Ordering::Relaxed));
    let mut kept = staged_previews().lock().unwrap_or_else(|e| e.into_inner());
    kept.push_back((name.clone(), mime, photo.bytes.clone()));
    while kept.len() > STAGED_KEPT {
        kept.pop_front();
    }
    format!("{SCHEME}://localhost/staged/{name}")
}

fn staged_preview(name: &str) -> Option<(&'static str, Vec<u8>)> {
    let kept = staged_previews().lock().unwrap_or_else(|e| e.into_inner());
    kept.iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, mime, bytes)| (*mime, bytes.clone()))
}

/// The photo jobs of the app: the running "Fetch all photos" (its cancel
/// flag) and the photo staged by "Replace photo…".
#[derive(Debug, Default)]
pub struct PhotoState {
    fetch: Mutex<Option<Arc<AtomicBool>>>,
    staged: Mutex<Option<Staged>>,
}

/// A staged replacement: the full photo and a small copy for crop previews.
#[derive(Debug, Clone)]
pub struct Staged {
    /// The photo as loaded (EXIF orientation applied).
    pub full: Arc<StagedPhoto>,
    /// A copy at most [`STAGED_PREVIEW_SIDE`] pixels on its long side.
    pub small: Arc<StagedPhoto>,
}

/// Long side of the staged copy crop previews are made from.
pub const STAGED_PREVIEW_SIDE: u32 = 640;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl PhotoState {
    /// Claim the fetch slot: the cancel flag of a new run, or `None` when a
    /// run is already going.
    pub fn start_fetch(&self) -> Option<Arc<AtomicBool>> {
        let mut slot = lock(&self.fetch);
        if slot.is_some() {
            return None;
        }
        let flag = Arc::new(AtomicBool::new(false));
        *slot = Some(Arc::clone(&flag));
        Some(flag)
    }

    /// Release the fetch slot (the run ended).
    pub fn end_fetch(&self) {
        *lock(&self.fetch) = None;
    }

    /// Ask the running fetch to stop; false when none runs.
    pub fn cancel_fetch(&self) -> bool {
        match lock(&self.fetch).as_ref() {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Keep a staged replacement (dropping the previous one).
    pub fn set_staged(&self, staged: Option<Staged>) {
        *lock(&self.staged) = staged;
    }

    /// The staged replacement, if any.
    pub fn staged(&self) -> Option<Staged> {
        lock(&self.staged).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(site: Option<&lectern::site::Site>, uri: &str) -> Response<Vec<u8>> {
        respond(site, &Request::builder().uri(uri).body(Vec::new()).unwrap())
    }

    #[test]
    fn serves_the_placeholder_as_png() {
        let r = get(None, lectern::render::PLACEHOLDER_PHOTO);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(r.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(r.body().starts_with(b"\x89PNG"));
    }

    #[test]
    fn serves_a_staged_preview_by_its_name_and_only_the_last_few() {
        let photo = lectern::photos::Normalized {
            bytes: PLACEHOLDER.to_vec(),
            format: lectern::photos::StoredFormat::Png,
            width: 1,
            height: 1,
        };
        let first = stage_preview(&photo);
        assert!(
            first.starts_with("lectern-photo://localhost/staged/"),
            "{first}"
        );
        let r = get(None, &first);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/png");
        for _ in 0..STAGED_KEPT {
            stage_preview(&photo);
        }
        assert_eq!(get(None, &first).status(), StatusCode::NOT_FOUND);
        assert_eq!(
            get(None, "lectern-photo://localhost/staged/../../x").status(),
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn one_fetch_at_a_time_and_cancel_sets_its_flag() {
        let state = PhotoState::default();
        assert!(!state.cancel_fetch());
        let flag = state.start_fetch().expect("free");
        assert!(state.start_fetch().is_none());
        assert!(state.cancel_fetch());
        assert!(flag.load(Ordering::Relaxed));
        state.end_fetch();
        assert!(state.start_fetch().is_some());
    }

    #[test]
    fn anything_else_is_not_found() {
        assert_eq!(
            get(None, "lectern-photo://localhost/../../etc/passwd").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(None, "lectern-photo://localhost/abc").status(),
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn serves_a_site_photo_under_static_with_its_sniffed_type() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let root = root.as_path();
        std::fs::write(root.join("hugo.toml"), "title = \"T\"\n").unwrap();
        std::fs::create_dir_all(root.join("content/sessions")).unwrap();
        std::fs::create_dir_all(root.join("static/img")).unwrap();
        std::fs::write(root.join("static/img/a.png"), PLACEHOLDER).unwrap();
        std::fs::write(root.join("static/img/b.png"), b"<svg onload=alert(1)>").unwrap();
        let site = lectern::site::Site::discover(root).unwrap();
        let url = lectern::photos::protocol::preview_url(&site, None, "/img/a.png", 256).unwrap();
        let r = get(Some(&site), &url);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(r.body(), PLACEHOLDER);
        let bad = lectern::photos::protocol::preview_url(&site, None, "/img/b.png", 256).unwrap();
        assert_eq!(get(Some(&site), &bad).status(), StatusCode::NOT_FOUND);
    }
}
