//! Photo findings for validation: a photo that cannot be loaded
//! (`photo-broken`), one that is too heavy or too big (`photo-oversized`) and
//! one that is not square (`photo-not-square`; speaker photos are shown in
//! square frames, so a non-square photo is cropped or stretched).

use super::imaging::read_bounded;
use super::{CachedPhoto, DecodeLimits, PhotoError};
use crate::diagnostics::{Code, Diagnostic, Severity};
use image::ImageReader;
use std::io::Cursor;
use std::path::Path;

/// The site's rule for speaker photos.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhotoRule {
    /// Heaviest acceptable file, in bytes.
    pub max_bytes: u64,
    /// Largest acceptable width or height, in pixels.
    pub max_dimension: u32,
    /// Whether photos must be square.
    pub require_square: bool,
    /// Accepted relative difference between width and height (0.02 = 2%).
    pub square_tolerance: f32,
}

impl Default for PhotoRule {
    fn default() -> Self {
        PhotoRule {
            max_bytes: 1024 * 1024,
            max_dimension: 2000,
            require_square: true,
            square_tolerance: 0.02,
        }
    }
}

/// What validation needs to know about a photo as the site serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoFacts {
    /// Width in pixels (as displayed, EXIF orientation applied for cached photos).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Size of the file as served, in bytes.
    pub bytes: u64,
}

impl From<&CachedPhoto> for PhotoFacts {
    /// The original photo's facts: that is what the site serves.
    fn from(p: &CachedPhoto) -> Self {
        PhotoFacts {
            width: p.original_width,
            height: p.original_height,
            bytes: p.original_bytes,
        }
    }
}

/// Where a photo is referenced, for the diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct PhotoRef<'a> {
    /// The `src` as written.
    pub src: &'a str,
    /// The session file, relative to the site root.
    pub file: &'a Path,
    /// 1-based line of the `<img>` (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
}

/// Read a local photo's size and dimensions from its header, without
/// decoding the pixels. Fails with `NotAnImage` for anything but PNG, JPEG,
/// GIF and WebP.
pub fn inspect_local(path: &Path, limits: &DecodeLimits) -> Result<PhotoFacts, PhotoError> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, limits.max_input_bytes)?;
    let reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Decode {
            url: name.clone(),
            message: e.to_string(),
        })?;
    match reader.format() {
        Some(
            image::ImageFormat::Png
            | image::ImageFormat::Jpeg
            | image::ImageFormat::Gif
            | image::ImageFormat::WebP,
        ) => {}
        other => {
            return Err(PhotoError::NotAnImage {
                url: name,
                detected: other.map_or("unknown data".into(), |f| {
                    format!("{f:?} images are not accepted")
                }),
            })
        }
    }
    let (width, height) = reader.into_dimensions().map_err(|e| PhotoError::Decode {
        url: name.clone(),
        message: e.to_string(),
    })?;
    Ok(PhotoFacts {
        width,
        height,
        bytes: bytes.len() as u64,
    })
}

/// Findings for one photo reference: `photo-broken` (error) when it could
/// not be loaded, otherwise `photo-oversized` (warning) for too many bytes or
/// pixels and `photo-not-square` (warning) when the rule wants squares.
pub fn check_photo(
    at: &PhotoRef<'_>,
    photo: Result<PhotoFacts, &PhotoError>,
    rule: &PhotoRule,
) -> Vec<Diagnostic> {
    let diag = |code, severity, message: String| {
        Diagnostic::new(code, severity, at.file, at.line, at.column, message)
    };
    let facts = match photo {
        Ok(f) => f,
        Err(e) => {
            return vec![diag(
                Code::PhotoBroken,
                Severity::Error,
                format!("speaker photo `{}` cannot be shown: {e}", at.src),
            )]
        }
    };
    let mut out = Vec::new();
    if facts.bytes > rule.max_bytes {
        out.push(diag(
            Code::PhotoOversized,
            Severity::Warning,
            format!(
                "speaker photo `{}` is {} KiB, more than the site's {} KiB; shrink it or re-encode it as JPEG",
                at.src,
                facts.bytes.div_ceil(1024),
                rule.max_bytes / 1024
            ),
        ));
    }
    if facts.width.max(facts.height) > rule.max_dimension {
        out.push(diag(
            Code::PhotoOversized,
            Severity::Warning,
            format!(
                "speaker photo `{}` is {}×{} pixels, larger than the site's {} pixels; shrink it",
                at.src, facts.width, facts.height, rule.max_dimension
            ),
        ));
    }
    let (w, h) = (facts.width as f32, facts.height as f32);
    if rule.require_square && w.max(h) > 0.0 && (w - h).abs() / w.max(h) > rule.square_tolerance {
        out.push(diag(
            Code::PhotoNotSquare,
            Severity::Warning,
            format!(
                "speaker photo `{}` is {}×{} pixels, not square; it will be cropped in the speaker frame, crop it to a square",
                at.src, facts.width, facts.height
            ),
        ));
    }
    out
}
