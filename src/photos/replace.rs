//! Replacing a speaker's photo: load a new photo from a file or a URL (the
//! URL through the bounded, address-checked fetcher), let the person move a
//! square crop along the photo, shrink it to the site's size, write it under
//! the site's speaker folder with a name derived from the speaker, and point
//! that speaker's `<img>` at it in the session and in each twin.
//!
//! Why here and not in the app: the rules (where speaker photos live, how
//! files are named, which bytes of a session change) must be the same for
//! every front end and are tested without a window. The session edit goes
//! through the workspace (`crate::workspace::set_speaker_photo`), so it is undoable and written by Save; only the
//! image source's bytes change.
//!
//! ```text
//! PhotoOrigin::parse(input) -> PhotoOrigin::{File, Url}
//! StagedPhoto::load(&origin, &policy, &limits) -> StagedPhoto   // decoded, EXIF orientation applied
//! StagedPhoto::render(size, offset) -> Normalized               // square crop at `offset`, resized, encoded
//! speaker_folder(site, srcs) -> SpeakerFolder                   // [photos] dir, else inferred, else images/speaker
//! save_speaker_photo(site, srcs, name, &normalized) -> Installed
//! workspace::set_speaker_photo(&mut ws, id, index, src) -> changed ids     // the session and its twins
//! workspace::replace_speaker_photo(&mut ws, id, index, &staged, offset) -> Replaced
//! workspace::install_speaker_photo(&mut ws, id, index, &normalized) -> Replaced  // rendered elsewhere
//! ```

use super::http::{Client, Reply};
use super::imaging::{bound, decode, encode, normalize_image, read_bounded, square_crop_rect};
use super::{
    classify_src, DecodeLimits, FetchPolicy, NormalizeOptions, Normalized, PhotoError, PhotoSource,
};
use crate::error::{Error, Result};
use crate::site::Site;
use image::DynamicImage;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// The speaker folder under `static/` when the site names none and has no
/// local photos to infer it from.
pub const DEFAULT_SPEAKER_DIR: &str = "images/speaker";

/// Where a replacement photo comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoOrigin {
    /// A file on this computer.
    File(PathBuf),
    /// An http or https URL, fetched under the [`FetchPolicy`].
    Url(String),
}

impl PhotoOrigin {
    /// Read what a person typed or picked: an `http(s)://` URL, a `file://`
    /// URL or a file path. Other schemes are refused.
    pub fn parse(input: &str) -> std::result::Result<PhotoOrigin, PhotoError> {
        let input = input.trim();
        let blocked = |reason: &str| PhotoError::Blocked {
            url: input.to_owned(),
            reason: reason.to_owned(),
        };
        if input.is_empty() {
            return Err(blocked(
                "no file or URL given; choose a file or paste an https:// link",
            ));
        }
        let lower = input.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Ok(PhotoOrigin::Url(input.to_owned()));
        }
        if lower.starts_with("file://") {
            let url = url::Url::parse(input)
                .map_err(|e| blocked(&format!("not a valid file URL ({e})")))?;
            return url
                .to_file_path()
                .map(PhotoOrigin::File)
                .map_err(|()| blocked("not a local file URL"));
        }
        if let Some((scheme, _)) = input.split_once(':') {
            // A Windows drive letter (`C:\…`) is a path, a longer word is a scheme.
            if scheme.len() > 1
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
            {
                return Err(blocked(&format!(
                    "`{scheme}:` is not a file or an http(s) URL"
                )));
            }
        }
        Ok(PhotoOrigin::File(PathBuf::from(input)))
    }

    /// The file path or URL, for messages.
    pub fn display(&self) -> String {
        match self {
            PhotoOrigin::File(p) => p.display().to_string(),
            PhotoOrigin::Url(u) => u.clone(),
        }
    }
}

/// A replacement photo, decoded with its EXIF orientation applied, waiting
/// for the person to place the crop.
#[derive(Debug, Clone)]
pub struct StagedPhoto {
    image: DynamicImage,
    /// Where it came from.
    pub origin: PhotoOrigin,
    /// Size of the file or body as read, in bytes.
    pub source_bytes: u64,
    /// The format the bytes really were ("png", "jpeg", "gif", "webp").
    pub source_format: &'static str,
}

impl StagedPhoto {
    /// Read and decode a photo: a file with a size bound, a URL with the
    /// policy's bounds and address checks (no cache: the photo is the
    /// person's choice, not the site's).
    pub fn load(
        origin: &PhotoOrigin,
        policy: &FetchPolicy,
        limits: &DecodeLimits,
    ) -> std::result::Result<StagedPhoto, PhotoError> {
        let bytes = match origin {
            PhotoOrigin::File(path) => {
                let meta = std::fs::metadata(path).map_err(|e| PhotoError::io(path, e))?;
                if !meta.is_file() {
                    return Err(PhotoError::io(
                        path,
                        std::io::Error::other("not a regular file; choose an image file"),
                    ));
                }
                read_bounded(path, limits.max_input_bytes)?
            }
            PhotoOrigin::Url(url) => match Client::new(policy).get(url, None)? {
                Reply::Body { body, .. } => body,
                Reply::NotModified { .. } => {
                    return Err(PhotoError::Http {
                        url: url.clone(),
                        status: 304,
                    });
                }
            },
        };
        Self::from_bytes(&bytes, origin.clone(), limits)
    }

    /// Decode photo bytes that came from `origin`.
    pub fn from_bytes(
        bytes: &[u8],
        origin: PhotoOrigin,
        limits: &DecodeLimits,
    ) -> std::result::Result<StagedPhoto, PhotoError> {
        let decoded = decode(bytes, limits).map_err(|e| e.with_url(&origin.display()))?;
        Ok(StagedPhoto {
            image: decoded.image,
            origin,
            source_bytes: bytes.len() as u64,
            source_format: decoded.format,
        })
    }

    /// Width as displayed (orientation applied).
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    /// Height as displayed (orientation applied).
    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// The square kept for a crop `offset`: 0 keeps the left (or top) edge,
    /// 1 the right (or bottom) edge, 0.5 the centre. As `(x, y, side)`.
    pub fn crop_rect(&self, offset: f32) -> (u32, u32, u32) {
        square_crop_rect(self.width(), self.height(), (offset, offset))
    }

    /// The side of the square [`StagedPhoto::render`] writes for `size`:
    /// `size`, or the photo's short side when that is smaller (a photo is
    /// never enlarged).
    pub fn output_side(&self, size: u32) -> u32 {
        size.min(self.width().min(self.height()))
    }

    /// A copy shrunk to at most `max_side` pixels (same proportions, so the
    /// same offset crops the same part): cheap crop previews while the
    /// person moves the crop, the full photo for the final render.
    pub fn shrunk(&self, max_side: u32) -> StagedPhoto {
        StagedPhoto {
            image: bound(self.image.clone(), max_side.max(1)),
            ..self.clone()
        }
    }

    /// The whole photo shrunk to at most `max_side` pixels, for showing where
    /// the crop falls.
    pub fn overview(&self, max_side: u32) -> std::result::Result<Normalized, PhotoError> {
        let small = bound(self.image.clone(), max_side.max(1));
        let (bytes, format) = encode(&small, 85)?;
        Ok(Normalized {
            bytes,
            format,
            width: small.width(),
            height: small.height(),
        })
    }

    /// The square photo at crop `offset`, shrunk to `size` pixels (never
    /// enlarged) and encoded (JPEG, PNG when transparent).
    pub fn render(&self, size: u32, offset: f32) -> std::result::Result<Normalized, PhotoError> {
        let options = NormalizeOptions {
            size,
            focus: (offset, offset),
            ..NormalizeOptions::default()
        };
        normalize_image(&self.image, &options).map_err(|e| e.with_url(&self.origin.display()))
    }
}

/// The folder under `static/` where a site keeps speaker photos, and how its
/// sessions write the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerFolder {
    /// Relative to `static/`, `/`-separated, without leading or trailing slash.
    pub dir: String,
    /// Whether sessions write local photos as `/images/…` rather than `images/…`.
    pub leading_slash: bool,
}

impl SpeakerFolder {
    /// The `src` for a file of this folder.
    pub fn src(&self, file_name: &str) -> String {
        format!(
            "{}{}/{}",
            if self.leading_slash { "/" } else { "" },
            self.dir,
            file_name
        )
    }
}

/// A folder name that stays inside `static/` and needs no quoting in HTML or
/// Markdown.
fn clean_dir(dir: &str) -> Option<String> {
    let dir = dir.trim().trim_matches('/');
    let ok_chars = dir
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'));
    let ok_parts = Path::new(dir)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    (!dir.is_empty() && ok_chars && ok_parts && !dir.contains("//")).then(|| dir.to_owned())
}

/// Where new speaker photos go: `[photos] dir` from `lectern.toml` when set,
/// else the folder most of the site's local photos (`srcs`) are in, else
/// [`DEFAULT_SPEAKER_DIR`]. The leading slash follows what most local photo
/// sources do.
pub fn speaker_folder<'a>(site: &Site, srcs: impl IntoIterator<Item = &'a str>) -> SpeakerFolder {
    let mut folders: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut slashed, mut local) = (0usize, 0usize);
    for (order, src) in srcs.into_iter().enumerate() {
        let PhotoSource::Local(path) = classify_src(src) else {
            continue;
        };
        local += 1;
        if src.trim().starts_with('/') {
            slashed += 1;
        }
        let Some(parent) = path.parent().and_then(|p| clean_dir(&p.to_string_lossy())) else {
            continue;
        };
        let e = folders.entry(parent).or_insert((0, order));
        e.0 += 1;
    }
    // Most used, then first seen.
    let inferred = folders
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(dir, _)| dir);
    let dir = site
        .config
        .photos
        .dir
        .as_deref()
        .and_then(clean_dir)
        .or(inferred)
        .unwrap_or_else(|| DEFAULT_SPEAKER_DIR.to_owned());
    SpeakerFolder {
        dir,
        leading_slash: local > 0 && slashed * 2 > local,
    }
}

/// A file-name stem from a speaker's name: lower-case ASCII letters and
/// digits joined by `-`, accents folded (`José Núñez` → `jose-nunez`).
/// Names without Latin letters or digits (`李伟`) give `speaker`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in name.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out.truncate(60);
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "speaker".into()
    } else {
        out
    }
}

/// Fold a Latin letter with a diacritic to its base letter(s).
fn fold(c: char) -> impl Iterator<Item = char> {
    let s: &str = match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' | 'ð' => "d",
        'Ď' | 'Đ' | 'Ð' => "D",
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ì'..='ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì'..='Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ł' | 'ľ' | 'ĺ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ř' | 'ŕ' => "r",
        'Ř' | 'Ŕ' => "R",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'þ' => "th",
        'Þ' => "TH",
        'ù'..='ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => "",
    };
    let single = s.is_empty().then_some(c);
    single.into_iter().chain(s.chars().collect::<Vec<_>>())
}

/// A file name `<stem>.<ext>` for `folder`, numbered (`<stem>-2.<ext>`, …)
/// past names that exist on disk in `dir` (any extension or letter case) or
/// that a session already uses (`taken`, as `src`s; letter case ignored). Never reuses a
/// name, so no existing photo is ever overwritten.
pub fn unique_file_name(
    dir: &Path,
    folder: &SpeakerFolder,
    stem: &str,
    ext: &str,
    taken: &BTreeSet<String>,
) -> String {
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_lowercase())
        .collect();
    let prefix = format!("{}/", folder.dir.to_lowercase());
    let stem_taken = |s: &str| {
        let s = s.to_lowercase();
        let used = |name: &str| name.rsplit_once('.').map_or(name, |(b, _)| b) == s;
        on_disk.iter().any(|n| used(n))
            || taken.iter().any(|src| {
                src.trim_start_matches('/')
                    .to_lowercase()
                    .strip_prefix(&prefix)
                    .is_some_and(used)
            })
    };
    (1..)
        .map(|n| {
            if n == 1 {
                stem.to_owned()
            } else {
                format!("{stem}-{n}")
            }
        })
        .find(|s| !stem_taken(s))
        .map(|s| format!("{s}.{ext}"))
        .unwrap_or_else(|| format!("{stem}.{ext}"))
}

/// A speaker photo written into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The `src` sessions should use.
    pub src: String,
    /// The file written.
    pub path: PathBuf,
}

/// Write `photo` under the site's speaker folder with a name from
/// `speaker_name`. `srcs` are the photo sources the sessions use (to infer
/// the folder and to avoid names they already point at). The file is written
/// to a temp file and then linked into place only if the name is still free,
/// so a file that appeared meanwhile is never overwritten.
pub fn save_speaker_photo(
    site: &Site,
    srcs: &[String],
    speaker_name: &str,
    photo: &Normalized,
) -> Result<Installed> {
    let folder = speaker_folder(site, srcs.iter().map(String::as_str));
    let static_dir = site.root.join("static");
    let dir = static_dir.join(&folder.dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let root = site
        .root
        .canonicalize()
        .map_err(|e| Error::io(&site.root, e))?;
    let real = dir.canonicalize().map_err(|e| Error::io(&dir, e))?;
    if !real.starts_with(&root) {
        return Err(Error::Invalid(format!("{}: the speaker folder leads outside the site (symlink?); photos are not written there", dir.display())));
    }
    let taken: BTreeSet<String> = srcs.iter().map(|s| s.trim().to_owned()).collect();
    let stem = slug(speaker_name);
    let ext = photo.format.extension();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = real.join(format!(".lectern-photo-{}-{nanos}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    crate::fs::write_atomic(&tmp, &photo.bytes)?;
    let mut taken_now = taken.clone();
    for _ in 0..100 {
        let name = unique_file_name(&real, &folder, &stem, ext, &taken_now);
        let path = real.join(&name);
        match std::fs::hard_link(&tmp, &path) {
            Ok(()) => {
                let _ = std::fs::remove_file(&tmp);
                return Ok(Installed {
                    src: folder.src(&name),
                    path: dir.join(&name),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                taken_now.insert(folder.src(&name).to_lowercase());
            }
            Err(_) => {
                // No hard links on this file system: fall back to a rename
                // after checking the name is free.
                if std::fs::symlink_metadata(&path).is_ok() {
                    taken_now.insert(folder.src(&name).to_lowercase());
                    continue;
                }
                std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
                return Ok(Installed {
                    src: folder.src(&name),
                    path: dir.join(&name),
                });
            }
        }
    }
    let _ = std::fs::remove_file(&tmp);
    Err(Error::Invalid(format!(
        "{}: no free file name for `{stem}`; tidy the folder",
        dir.display()
    )))
}
