//! The `lectern-photo:` URI scheme the preview loads speaker photos from.
//!
//! The core's renderer maps every image source to a `lectern-photo:` URL
//! (or its placeholder), so the preview never reaches the network or the
//! file system directly. The core's photo protocol decides what a URL names
//! (a cached photo by content hash, a site photo under `static/`) and checks
//! it again when serving; this module only answers the web view.

use std::sync::OnceLock;

use lectern::photos::PhotoCache;
use tauri::http::{header, Request, Response, StatusCode};

/// The scheme name (also allowed by `img-src` in the CSP).
pub const SCHEME: &str = lectern::photos::protocol::SCHEME;

const PLACEHOLDER: &[u8] = include_bytes!("../resources/photo-placeholder.png");

/// The photo cache, opened once per process; `None` when it cannot be
/// opened (the preview then shows placeholders for remote photos).
pub fn cache() -> Option<&'static PhotoCache> {
    static CACHE: OnceLock<Option<PhotoCache>> = OnceLock::new();
    CACHE.get_or_init(|| lectern::photos::open_default_cache().ok()).as_ref()
}

/// Answer one request for a photo of `site` (the open site, if any).
pub fn respond(site: Option<&lectern::site::Site>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let path = request.uri().path();
    let reply = Response::builder()
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "no-store");
    let served = if path == "/placeholder" {
        Some(("image/png", PLACEHOLDER.to_vec()))
    } else {
        site.and_then(|s| lectern::photos::protocol::serve(s, cache(), path)).map(|s| (s.mime, s.bytes))
    };
    let built = match served {
        Some((mime, bytes)) => reply.status(StatusCode::OK).header(header::CONTENT_TYPE, mime).body(bytes),
        None => reply.status(StatusCode::NOT_FOUND).body(Vec::new()),
    };
    built.unwrap_or_else(|_| Response::new(Vec::new()))
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
    fn anything_else_is_not_found() {
        assert_eq!(get(None, "lectern-photo://localhost/../../etc/passwd").status(), StatusCode::NOT_FOUND);
        assert_eq!(get(None, "lectern-photo://localhost/abc").status(), StatusCode::NOT_FOUND);
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
