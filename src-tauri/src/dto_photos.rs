//! Data sent to the UI about speaker photos: site-wide fetch progress and
//! results, each speaker's photo as the editor shows it, and the staged
//! replacement photo with its crop. Counts, failures and findings are the
//! core's types, sent as they are.

use lectern::photos::replace::StagedPhoto;
use lectern::photos::{FetchCounts, FetchFailure, FetchReport, PhotoStatus};
use lectern::Diagnostic;
use serde::Serialize;
use ts_rs::TS;

use crate::dto::Edited;

/// Saturating conversion for sizes and counts sent to the UI as numbers.
fn n<T: TryInto<u32>>(v: T) -> u32 {
    v.try_into().unwrap_or(u32::MAX)
}

/// Progress of "Fetch all photos" (payload of the `photos-progress` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PhotoFetchProgress {
    /// URLs finished so far.
    pub done: u32,
    /// URLs in the run.
    pub total: u32,
    /// URLs that failed so far.
    pub failed: u32,
    /// The URL just finished.
    pub url: String,
}

/// How "Fetch all photos" ended (payload of the `photos-fetched` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PhotoFetchSummary {
    /// How the run's URLs ended.
    #[serde(flatten)]
    #[ts(flatten)]
    pub counts: FetchCounts,
    /// Each failure with the sessions that name its URL.
    pub failures: Vec<FetchFailure>,
    /// Why the run could not start or stopped early, if it did.
    pub error: Option<String>,
}

impl PhotoFetchSummary {
    /// Counts of a report, with its failures mapped to sessions.
    pub fn new(report: &FetchReport, failures: Vec<FetchFailure>) -> Self {
        PhotoFetchSummary {
            counts: report.counts(),
            failures,
            error: None,
        }
    }
}

/// One speaker's photo as the speakers editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SpeakerPhotoDto {
    /// Position of the speaker in the section.
    pub index: u32,
    /// The `src` as written.
    pub src: String,
    /// A `lectern-photo:` URL of a thumbnail (remote) or the file (local).
    pub thumbnail_url: Option<String>,
    /// Width in pixels, when known.
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
    /// Size in bytes as served, when known.
    pub bytes: Option<u32>,
    /// Findings of the site's rule (broken, oversized, not square).
    pub findings: Vec<Diagnostic>,
    /// Why nothing is known yet (a remote photo not fetched).
    pub note: Option<String>,
}

impl SpeakerPhotoDto {
    /// The editor's view of speaker `index`'s photo.
    pub fn new(index: usize, s: PhotoStatus) -> Self {
        SpeakerPhotoDto {
            index: n(index),
            src: s.src,
            thumbnail_url: s.preview_url,
            width: s.facts.map(|f| f.width),
            height: s.facts.map(|f| f.height),
            bytes: s.facts.map(|f| n(f.bytes)),
            findings: s.findings,
            note: s.note,
        }
    }
}

/// The square kept by a crop, in pixels of the photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct CropDto {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Side.
    pub side: u32,
}

impl From<(u32, u32, u32)> for CropDto {
    fn from((x, y, side): (u32, u32, u32)) -> Self {
        CropDto { x, y, side }
    }
}

/// A replacement photo loaded for "Replace photo…", before the crop is placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StagedPhotoDto {
    /// The file or URL it came from.
    pub origin: String,
    /// Width as displayed (EXIF orientation applied).
    pub width: u32,
    /// Height as displayed.
    pub height: u32,
    /// Size of the file or download in bytes.
    pub bytes: u32,
    /// The format the bytes really were.
    pub format: String,
    /// The whole photo, shrunk (a `lectern-photo:` URL).
    pub overview_url: String,
    /// The result at the current crop (a `lectern-photo:` URL).
    pub preview_url: String,
    /// The square kept at the current crop.
    pub crop: CropDto,
    /// Side of the photo that will be written (the site's `[photos] size`,
    /// or the photo's short side when smaller).
    pub size: u32,
}

impl StagedPhotoDto {
    /// Describe a staged photo.
    pub fn new(
        s: &StagedPhoto,
        overview_url: String,
        preview_url: String,
        offset: f32,
        size: u32,
    ) -> Self {
        StagedPhotoDto {
            origin: s.origin.display(),
            width: s.width(),
            height: s.height(),
            bytes: n(s.source_bytes),
            format: s.source_format.to_string(),
            overview_url,
            preview_url,
            crop: s.crop_rect(offset).into(),
            size: s.output_side(size),
        }
    }
}

/// The crop preview for an offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CropPreviewDto {
    /// The result at this crop (a `lectern-photo:` URL).
    pub preview_url: String,
    /// The square kept, in pixels of the photo.
    pub crop: CropDto,
}

/// What "Replace photo…" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReplacedPhotoDto {
    /// The session as it is now, and the list rows that changed.
    pub edited: Edited,
    /// The new `src`.
    pub src: String,
    /// Side of the written photo in pixels.
    pub size: u32,
    /// Its size in bytes.
    pub bytes: u32,
    /// Sessions edited in memory (the session and its twins); Save writes them.
    pub changed: Vec<String>,
}
