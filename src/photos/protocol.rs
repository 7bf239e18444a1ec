//! The app's photo protocol. The preview never contacts a photo host: image
//! sources become `lectern-photo://localhost/…` URLs that name either a file
//! of the photo cache by content hash (`c/<sha256>.<ext>`, a re-encoded image
//! Lectern wrote itself) or a site photo under `static/` by its hex-encoded
//! relative path (`s/<hex>`). Serving checks both again: a hash must name an
//! existing cache file, a site path must resolve inside the static folders
//! and start with an image format's magic bytes. Anything else is refused.

use super::{classify_src, PhotoCache, PhotoSource};
use crate::site::Site;

/// The scheme registered by the app.
pub const SCHEME: &str = "lectern-photo";

/// A served photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// `image/png`, `image/jpeg`, `image/gif` or `image/webp`.
    pub mime: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The preview URL for an image source, or `None` when there is nothing to
/// show (not cached, missing, or not an allowed source): the preview then shows
/// its placeholder. `size` picks a cached thumbnail (256 for the preview).
pub fn preview_url(
    site: &Site,
    cache: Option<&PhotoCache>,
    src: &str,
    size: u32,
) -> Option<String> {
    match classify_src(src) {
        PhotoSource::Remote(url) => {
            let photo = cache?.lookup(&url)?;
            let path = photo
                .thumbnail(size)
                .map(|t| t.path.clone())
                .unwrap_or(photo.path);
            let name = path.file_name()?.to_str()?.to_string();
            Some(format!("{SCHEME}://localhost/c/{name}"))
        }
        PhotoSource::Local(p) => {
            let rel = p.to_string_lossy().into_owned();
            site.resolve_static(&rel)?;
            Some(format!(
                "{SCHEME}://localhost/s/{}",
                hex_encode(rel.as_bytes())
            ))
        }
        PhotoSource::Invalid(_) => None,
    }
}

/// Serve a `lectern-photo:` URL path (`c/…` or `s/…`, with or without a
/// leading `/`).
pub fn serve(site: &Site, cache: Option<&PhotoCache>, path: &str) -> Option<Served> {
    let path = path.trim_start_matches('/');
    if let Some(name) = path.strip_prefix("c/") {
        let (hash, ext) = name.split_once('.')?;
        if hash.len() != 64
            || !hash.bytes().all(|b| b.is_ascii_hexdigit())
            || !matches!(ext, "jpg" | "png")
        {
            return None;
        }
        let bytes = std::fs::read(cache?.dir().join(name)).ok()?;
        // The name is the content's hash: a changed file is not served.
        if crate::fs::hex(&crate::fs::content_hash(&bytes)) != hash {
            return None;
        }
        return Some(Served {
            mime: sniff(&bytes)?,
            bytes,
        });
    }
    let rel = String::from_utf8(hex_decode(path.strip_prefix("s/")?)?).ok()?;
    let file = site.resolve_static(&rel)?;
    let bytes = std::fs::read(file).ok()?;
    Some(Served {
        mime: sniff(&bytes)?,
        bytes,
    })
}

/// The image type from magic bytes; `None` for anything else (SVG, HTML, …).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || s.len() > 4096 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}
