//! The `lectern-photo:` URI scheme the preview loads speaker photos from.
//!
//! The core's renderer maps every image source to a `lectern-photo:` URL
//! (or its placeholder), so the preview never reaches the network or the
//! file system directly. Phase 1 serves the placeholder only; serving cached
//! thumbnails and the site's local photos comes with the photos feature.

use tauri::http::{header, Request, Response, StatusCode};

/// The scheme name (also allowed by `img-src` in the CSP).
pub const SCHEME: &str = "lectern-photo";

const PLACEHOLDER: &[u8] = include_bytes!("../resources/photo-placeholder.png");

/// Answer one request for a photo.
pub fn respond(request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let path = request.uri().path();
    let reply = Response::builder()
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "no-store");
    let built = if path == "/placeholder" {
        reply.status(StatusCode::OK).header(header::CONTENT_TYPE, "image/png").body(PLACEHOLDER.to_vec())
    } else {
        reply.status(StatusCode::NOT_FOUND).body(Vec::new())
    };
    built.unwrap_or_else(|_| Response::new(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str) -> Response<Vec<u8>> {
        respond(&Request::builder().uri(uri).body(Vec::new()).unwrap())
    }

    #[test]
    fn serves_the_placeholder_as_png() {
        let r = get(lectern::render::PLACEHOLDER_PHOTO);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/png");
        assert!(r.body().starts_with(b"\x89PNG"));
    }

    #[test]
    fn anything_else_is_not_found() {
        assert_eq!(get("lectern-photo://localhost/../../etc/passwd").status(), StatusCode::NOT_FOUND);
        assert_eq!(get("lectern-photo://localhost/abc").status(), StatusCode::NOT_FOUND);
    }
}
