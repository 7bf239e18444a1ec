//! Decoding and re-encoding: sniff the real format, decode under explicit
//! limits (a decompression bomb or a malformed file is an error, never a
//! crash or an out-of-memory), honour EXIF orientation, crop to a square,
//! resize and encode JPEG (or PNG when the photo has transparency).

use super::PhotoError;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read};
use std::path::Path;

/// Bounds for decoding one image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest width and height accepted, in pixels.
    pub max_dimension: u32,
    /// Most memory the decoder may allocate, in bytes.
    pub max_alloc: u64,
    /// Largest encoded input accepted, in bytes (for files read from disk).
    pub max_input_bytes: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_dimension: 8192,
            max_alloc: 256 * 1024 * 1024,
            max_input_bytes: 64 * 1024 * 1024,
        }
    }
}

impl DecodeLimits {
    fn to_image_limits(self) -> Limits {
        let mut limits = Limits::default();
        limits.max_image_width = Some(self.max_dimension);
        limits.max_image_height = Some(self.max_dimension);
        limits.max_alloc = Some(self.max_alloc);
        limits
    }
}

/// The formats Lectern writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoredFormat {
    /// Opaque photos.
    Jpeg,
    /// Photos with transparency.
    Png,
}

impl StoredFormat {
    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            StoredFormat::Jpeg => "jpg",
            StoredFormat::Png => "png",
        }
    }
}

/// A photo to normalise: bytes in memory or a file.
#[derive(Debug, Clone, Copy)]
pub enum PhotoInput<'a> {
    /// Encoded image bytes.
    Bytes(&'a [u8]),
    /// A file on disk.
    Path(&'a Path),
}

/// How [`normalize`] shapes a photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormalizeOptions {
    /// Side of the square result in pixels (smaller photos are not enlarged).
    pub size: u32,
    /// The point to keep in the middle of the square crop, as fractions of
    /// width and height; `(0.5, 0.5)` is a centred crop, `(0.5, 0.3)` keeps
    /// more of the top (faces are usually above the centre).
    pub focus: (f32, f32),
    /// JPEG quality, 1–100.
    pub quality: u8,
    /// Decoding bounds.
    pub limits: DecodeLimits,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            size: 400,
            focus: (0.5, 0.5),
            quality: 85,
            limits: DecodeLimits::default(),
        }
    }
}

/// A normalised photo, ready to write as `<name>.<format.extension()>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// JPEG, or PNG when the photo has transparency.
    pub format: StoredFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A decoded photo with its orientation applied.
pub(crate) struct Decoded {
    pub image: DynamicImage,
    /// The format the bytes really were, e.g. "png".
    pub format: &'static str,
    /// Dimensions as displayed (after orientation).
    pub width: u32,
    pub height: u32,
}

fn format_name(f: ImageFormat) -> Option<&'static str> {
    match f {
        ImageFormat::Png => Some("png"),
        ImageFormat::Jpeg => Some("jpeg"),
        ImageFormat::Gif => Some("gif"),
        ImageFormat::WebP => Some("webp"),
        _ => None,
    }
}

/// Describe bytes that are not an accepted image, for the error message.
fn describe(bytes: &[u8], guessed: Option<ImageFormat>) -> String {
    if let Some(f) = guessed {
        return format!("{f:?} images are not accepted");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.contains("<svg") {
        "SVG markup".into()
    } else if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<body")
    {
        "an HTML page".into()
    } else if head.starts_with('<') {
        "XML or markup".into()
    } else if bytes.is_empty() {
        "an empty body".into()
    } else {
        "unknown data".into()
    }
}

/// Sniff, decode under `limits` and apply EXIF orientation. The error's URL
/// is left empty for the caller to fill in.
pub(crate) fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, PhotoError> {
    let decode_err = |message: String| PhotoError::Decode {
        url: String::new(),
        message,
    };
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| decode_err(e.to_string()))?;
    let guessed = reader.format();
    let format = guessed
        .and_then(format_name)
        .ok_or_else(|| PhotoError::NotAnImage {
            url: String::new(),
            detected: describe(bytes, guessed),
        })?;
    // The JPEG decoder fills a truncated scan with grey instead of failing;
    // a half-downloaded photo must be an error, not a half-grey speaker.
    if format == "jpeg" && !jpeg_is_complete(bytes) {
        return Err(decode_err(
            "the JPEG is truncated (no end-of-image marker after its scans)".into(),
        ));
    }
    let mut reader = reader;
    let mut budget = limits.to_image_limits();
    reader.limits(budget.clone());
    // Decoders are meant to return errors on bad input; catching a panic is a
    // second line of defence so one hostile photo cannot take the editor down.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        || -> image::ImageResult<DynamicImage> {
            let mut decoder = reader.into_decoder()?;
            let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
            // into_decoder() checks dimensions but not the size of the
            // decoded buffer; charge it (twice when a rotation copies it)
            // against max_alloc as ImageReader::decode() would.
            budget.reserve(decoder.total_bytes())?;
            if orientation != Orientation::NoTransforms {
                budget.reserve(decoder.total_bytes())?;
            }
            let mut image = DynamicImage::from_decoder(decoder)?;
            image.apply_orientation(orientation);
            Ok(image)
        },
    ));
    let image = match result {
        Ok(Ok(image)) => image,
        Ok(Err(e)) => return Err(decode_err(explain(e, limits))),
        Err(_) => return Err(decode_err("the decoder failed on malformed data".into())),
    };
    let (width, height) = image.dimensions();
    Ok(Decoded {
        image,
        format,
        width,
        height,
    })
}

/// Walk the JPEG marker segments and entropy-coded scans; true when an
/// end-of-image marker follows the last scan.
fn jpeg_is_complete(b: &[u8]) -> bool {
    let mut i = 2; // past SOI
    loop {
        while i < b.len() && b[i] != 0xff {
            i += 1;
        }
        while i < b.len() && b[i] == 0xff {
            i += 1;
        }
        let Some(&marker) = b.get(i) else {
            return false;
        };
        i += 1;
        match marker {
            0xd9 => return true,
            0x01 | 0xd0..=0xd7 => {}
            _ => {
                let Some(len) = b
                    .get(i..i + 2)
                    .map(|l| u16::from_be_bytes([l[0], l[1]]) as usize)
                else {
                    return false;
                };
                if len < 2 || i + len > b.len() {
                    return false;
                }
                i += len;
                if marker == 0xda {
                    // Entropy-coded data runs to the next marker other than a
                    // stuffed 0xff00 or a restart marker.
                    loop {
                        if i + 1 >= b.len() {
                            return false;
                        }
                        if b[i] == 0xff && b[i + 1] != 0 && !(0xd0..=0xd7).contains(&b[i + 1]) {
                            break;
                        }
                        i += 1;
                    }
                }
            }
        }
    }
}

fn explain(e: image::ImageError, limits: &DecodeLimits) -> String {
    match e {
        image::ImageError::Limits(_) => format!(
            "the image is too large to decode safely (limit {0}×{0} pixels, {1} MiB of memory)",
            limits.max_dimension,
            limits.max_alloc / (1024 * 1024)
        ),
        other => other.to_string(),
    }
}

/// True when any pixel is not fully opaque.
fn has_transparency(image: &DynamicImage) -> bool {
    if !image.color().has_alpha() {
        return false;
    }
    match image {
        DynamicImage::ImageRgba8(buf) => buf.pixels().any(|p| p.0[3] < 255),
        DynamicImage::ImageLumaA8(buf) => buf.pixels().any(|p| p.0[1] < 255),
        other => other.pixels().any(|(_, _, p)| p.0[3] < 255),
    }
}

/// Encode as JPEG (4:2:0 below quality 90), or PNG when the image has
/// transparency.
pub(crate) fn encode(
    image: &DynamicImage,
    quality: u8,
) -> Result<(Vec<u8>, StoredFormat), PhotoError> {
    let fail = |message: String| PhotoError::Decode {
        url: String::new(),
        message: format!("cannot encode: {message}"),
    };
    let mut out = Vec::new();
    if has_transparency(image) {
        let rgba = image.to_rgba8();
        rgba.write_with_encoder(PngEncoder::new(&mut out))
            .map_err(|e| fail(e.to_string()))?;
        return Ok((out, StoredFormat::Png));
    }
    let converted;
    let rgb = match image.as_rgb8() {
        Some(rgb) => rgb,
        None => {
            converted = image.to_rgb8();
            &converted
        }
    };
    let (w, h) = (
        u16::try_from(rgb.width()).map_err(|_| fail("wider than 65535 pixels".into()))?,
        u16::try_from(rgb.height()).map_err(|_| fail("taller than 65535 pixels".into()))?,
    );
    jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100))
        .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| fail(e.to_string()))?;
    Ok((out, StoredFormat::Jpeg))
}

/// The largest square inside a `width`×`height` image whose centre is as
/// close to `focus` (fractions of width and height, `(0.5, 0.5)` centred) as
/// the image allows, as `(x, y, side)` in pixels.
pub fn square_crop_rect(width: u32, height: u32, focus: (f32, f32)) -> (u32, u32, u32) {
    let side = width.min(height);
    let start = |len: u32, f: f32| -> u32 {
        let f = if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let centre = f * len as f32;
        let max = (len - side) as f32;
        (centre - side as f32 / 2.0).round().clamp(0.0, max) as u32
    };
    (start(width, focus.0), start(height, focus.1), side)
}

/// The largest centred (or focus-centred) square of the image.
pub(crate) fn square_crop(image: &DynamicImage, focus: (f32, f32)) -> DynamicImage {
    let (w, h) = image.dimensions();
    if w == h {
        return image.clone();
    }
    let (x, y, side) = square_crop_rect(w, h, focus);
    image.crop_imm(x, y, side, side)
}

/// A square thumbnail of `side` pixels (area-averaged, fast).
pub(crate) fn thumbnail(square: &DynamicImage, side: u32) -> DynamicImage {
    if square.width() <= side {
        square.clone()
    } else {
        square.thumbnail_exact(side, side)
    }
}

/// Shrink so that neither side exceeds `max_side`, keeping the aspect ratio
/// (area averaging: no large floating-point intermediate for big photos).
pub(crate) fn bound(image: DynamicImage, max_side: u32) -> DynamicImage {
    if image.width() <= max_side && image.height() <= max_side {
        image
    } else {
        image.thumbnail(max_side.max(1), max_side.max(1))
    }
}

/// Read a file with a size bound.
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, PhotoError> {
    let file = std::fs::File::open(path).map_err(|e| PhotoError::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PhotoError::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(PhotoError::TooLarge {
            url: path.display().to_string(),
            limit: max,
        });
    }
    Ok(bytes)
}

/// Normalise a speaker photo for the site: decode safely, apply the EXIF
/// orientation, crop to a square around `options.focus`, shrink to
/// `options.size` pixels (never enlarge) and encode as JPEG, or PNG when the
/// photo has transparency.
pub fn normalize(
    input: PhotoInput<'_>,
    options: &NormalizeOptions,
) -> Result<Normalized, PhotoError> {
    let (owned, name);
    let bytes: &[u8] = match input {
        PhotoInput::Bytes(b) => {
            name = String::from("(image bytes)");
            b
        }
        PhotoInput::Path(p) => {
            name = p.display().to_string();
            owned = read_bounded(p, options.limits.max_input_bytes)?;
            &owned
        }
    };
    let decoded = decode(bytes, &options.limits).map_err(|e| e.with_url(&name))?;
    normalize_image(&decoded.image, options).map_err(|e| e.with_url(&name))
}

/// [`normalize`] for an image already decoded (orientation applied).
pub(crate) fn normalize_image(
    image: &DynamicImage,
    options: &NormalizeOptions,
) -> Result<Normalized, PhotoError> {
    let square = square_crop(image, options.focus);
    let side = options.size.max(1);
    let sized = if square.width() > side {
        square.resize_exact(side, side, FilterType::Lanczos3)
    } else {
        square
    };
    let (bytes, format) = encode(&sized, options.quality)?;
    Ok(Normalized {
        bytes,
        format,
        width: sized.width(),
        height: sized.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn jpeg(progressive: bool, restart: u16) -> Vec<u8> {
        let img = RgbImage::from_fn(96, 64, |x, y| Rgb([x as u8 * 2, y as u8 * 3, 90]));
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, 80);
        enc.set_progressive(progressive);
        if restart > 0 {
            enc.set_restart_interval(restart);
        }
        enc.encode(img.as_raw(), 96, 64, jpeg_encoder::ColorType::Rgb)
            .expect("encode");
        out
    }

    #[test]
    fn sees_the_end_of_baseline_progressive_and_restart_interval_jpegs() {
        for (progressive, restart) in [(false, 0), (true, 0), (false, 2)] {
            let full = jpeg(progressive, restart);
            assert!(jpeg_is_complete(&full), "{progressive} {restart}");
            let decoded = decode(&full, &DecodeLimits::default()).expect("decode");
            assert_eq!((decoded.width, decoded.height), (96, 64));
            for cut in [full.len() - 2, full.len() * 2 / 3, full.len() / 3, 3] {
                assert!(
                    !jpeg_is_complete(&full[..cut]),
                    "{progressive} {restart} cut at {cut}"
                );
            }
        }
        let mut trailing = jpeg(false, 0);
        trailing.extend_from_slice(b"garbage after the end");
        assert!(jpeg_is_complete(&trailing), "bytes after EOI are tolerated");
    }

    #[test]
    fn crops_the_square_around_the_focus_and_clamps_it() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_fn(300, 100, |x, _| {
            Rgb([(x / 100) as u8 * 100, 0, 0])
        }));
        let left = square_crop(&img, (0.0, 0.5));
        let right = square_crop(&img, (1.0, 0.5));
        let odd = square_crop(&img, (f32::NAN, 7.0));
        assert_eq!(left.dimensions(), (100, 100));
        assert_eq!(left.get_pixel(50, 50).0[0], 0);
        assert_eq!(right.get_pixel(50, 50).0[0], 200);
        assert_eq!(
            odd.get_pixel(50, 50).0[0],
            100,
            "non-finite focus means centre"
        );
    }
}
