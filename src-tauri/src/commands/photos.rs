//! Commands about speaker photos: "Fetch all photos" (a background run with
//! progress events and cancel), each speaker's photo for the speakers
//! editor, and "Replace photo…" (stage a file or URL, place the crop,
//! replace). The rules live in `lectern::photos`; this maps IPC to them and
//! keeps long work off the main thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use lectern::photos::replace::{PhotoOrigin, StagedPhoto};
use lectern::photos::{self, DecodeLimits, FetchPolicy, FetchStatus, PhotoError};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::dto_photos::{
    CropPreviewDto, PhotoFetchProgress, PhotoFetchSummary, ReplacedPhotoDto, SpeakerPhotoDto,
    StagedPhotoDto,
};
use crate::error::{ErrorKind, IpcError, IpcResult};
use crate::photos::{PhotoState, Staged, STAGED_PREVIEW_SIDE};
use crate::state::{self, AppState};
use crate::window::{events, MAIN_WINDOW};

/// Parallel downloads of "Fetch all photos".
const FETCH_JOBS: usize = 4;
/// Side of the thumbnails the speakers editor shows (a size the cache makes).
const LIST_THUMBNAIL: u32 = 64;
/// Long side of the overview of a staged photo.
const OVERVIEW_SIDE: u32 = 320;
/// Side of the crop preview.
const CROP_PREVIEW_SIDE: u32 = 160;

fn photo_error(e: PhotoError) -> IpcError {
    let kind = match &e {
        PhotoError::Blocked { .. } => ErrorKind::Invalid,
        PhotoError::NotAnImage { .. } | PhotoError::Decode { .. } => ErrorKind::Content,
        _ => ErrorKind::Io,
    };
    IpcError::new(kind, e.to_string())
}

fn cache() -> IpcResult<&'static lectern::photos::PhotoCache> {
    crate::photos::cache().ok_or_else(|| {
        IpcError::new(ErrorKind::Io, "The photo cache cannot be opened; check that the cache folder (LECTERN_CACHE_DIR) is writable.")
    })
}

/// Start fetching every remote photo the open sessions name (unsaved edits
/// included) into the cache, 4 at a time, on a background thread. Returns
/// the number of URLs at once; `photos-progress` events follow and one
/// `photos-fetched` event ends the run. Fails when a run is already going.
#[tauri::command]
pub fn fetch_all_photos(
    app: AppHandle,
    state: State<'_, AppState>,
    jobs: State<'_, PhotoState>,
) -> IpcResult<u32> {
    let uses = state.with_site(|ws| Ok(lectern::workspace::workspace_photos(ws)))?;
    let cache = cache()?;
    let cancel = jobs.start_fetch().ok_or_else(|| {
        IpcError::new(
            ErrorKind::Invalid,
            "Photos are already being fetched; wait for the run to end or cancel it.",
        )
    })?;
    let urls = photos::remote_urls(&uses);
    let total = u32::try_from(urls.len()).unwrap_or(u32::MAX);
    let spawned = std::thread::Builder::new()
        .name("photo-fetch".into())
        .spawn({
            let app = app.clone();
            move || {
                // Frees the slot even if the run panics.
                struct Release(AppHandle);
                impl Drop for Release {
                    fn drop(&mut self) {
                        self.0.state::<PhotoState>().end_fetch();
                    }
                }
                let release = Release(app.clone());
                let failed = AtomicUsize::new(0);
                let report = cache.fetch_all(
                    &urls,
                    &FetchPolicy::from_env(),
                    FETCH_JOBS,
                    &|p| {
                        if p.status == FetchStatus::Failed {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                        let progress = PhotoFetchProgress {
                            done: u32::try_from(p.done).unwrap_or(u32::MAX),
                            total: u32::try_from(p.total).unwrap_or(u32::MAX),
                            failed: u32::try_from(failed.load(Ordering::Relaxed))
                                .unwrap_or(u32::MAX),
                            url: p.url.to_string(),
                        };
                        let _ = app.emit_to(MAIN_WINDOW, events::PHOTOS_PROGRESS, progress);
                    },
                    &cancel,
                );
                let summary =
                    PhotoFetchSummary::new(&report, photos::fetch_failures(&report, &uses));
                drop(release);
                let _ = app.emit_to(MAIN_WINDOW, events::PHOTOS_FETCHED, summary);
            }
        });
    if let Err(e) = spawned {
        jobs.end_fetch();
        return Err(IpcError::internal(format!(
            "could not start the photo fetch: {e}"
        )));
    }
    Ok(total)
}

/// Stop the running "Fetch all photos" (fetches under way finish within the
/// policy's timeouts; the rest are reported as cancelled). False when none runs.
#[tauri::command]
pub fn cancel_photo_fetch(jobs: State<'_, PhotoState>) -> bool {
    jobs.cancel_fetch()
}

/// Each speaker's photo of session `id` (speakers without one are left
/// out): thumbnail, size, dimensions and the site rule's findings. No network.
#[tauri::command]
pub fn speaker_photos(state: State<'_, AppState>, id: String) -> IpcResult<Vec<SpeakerPhotoDto>> {
    state.with_site(|ws| {
        let doc = ws.document(&id)?;
        let Some(sec) = doc.speakers_ref() else {
            return Ok(Vec::new());
        };
        let base = doc.front_matter_end_line();
        let cache = crate::photos::cache();
        let file = std::path::Path::new(&id);
        Ok(sec
            .speakers
            .iter()
            .zip(&sec.lines)
            .enumerate()
            .filter_map(|(i, (s, line))| {
                let src = s.photo.as_deref()?;
                let status =
                    photos::photo_status(ws.site(), cache, src, file, base + line, LIST_THUMBNAIL);
                Some(SpeakerPhotoDto::new(i, status))
            })
            .collect())
    })
}

/// Ask for a photo file with the native dialog; `None` when cancelled.
#[tauri::command]
pub async fn pick_photo_file(app: AppHandle) -> IpcResult<Option<String>> {
    let window = app
        .get_webview_window(MAIN_WINDOW)
        .ok_or_else(|| IpcError::internal("the main window is gone"))?;
    Ok(crate::dialogs::pick_photo_file(&window)
        .await
        .map(|p| p.to_string_lossy().into_owned()))
}

/// The side photos of the open site are written at.
fn site_size(state: &AppState) -> IpcResult<u32> {
    state.with_site(|ws| Ok(photos::site_rule(ws.site()).max_dimension))
}

/// Load a replacement photo from a file path or an http(s) URL (fetched
/// with the bounded fetcher and its address checks), decode it with its
/// EXIF orientation, and keep it for the crop. Replaces any staged photo.
#[tauri::command]
pub async fn stage_photo(
    state: State<'_, AppState>,
    jobs: State<'_, PhotoState>,
    source: String,
) -> IpcResult<StagedPhotoDto> {
    let size = site_size(&state)?;
    let origin = PhotoOrigin::parse(&source).map_err(photo_error)?;
    let work = tauri::async_runtime::spawn_blocking(move || -> IpcResult<_> {
        let full = StagedPhoto::load(&origin, &FetchPolicy::from_env(), &DecodeLimits::default())
            .map_err(photo_error)?;
        let small = full.shrunk(STAGED_PREVIEW_SIDE);
        let overview = small.overview(OVERVIEW_SIDE).map_err(photo_error)?;
        let preview = small.render(CROP_PREVIEW_SIDE, 0.5).map_err(photo_error)?;
        Ok((full, small, overview, preview))
    });
    let (full, small, overview, preview) = work
        .await
        .map_err(|e| IpcError::internal(e.to_string()))??;
    let dto = StagedPhotoDto::new(
        &full,
        crate::photos::stage_preview(&overview),
        crate::photos::stage_preview(&preview),
        0.5,
        size,
    );
    jobs.set_staged(Some(Staged {
        full: Arc::new(full),
        small: Arc::new(small),
    }));
    Ok(dto)
}

/// The staged photo cropped at `offset` (0 = left or top, 1 = right or bottom).
#[tauri::command]
pub async fn crop_preview(jobs: State<'_, PhotoState>, offset: f32) -> IpcResult<CropPreviewDto> {
    let staged = jobs.staged().ok_or_else(|| {
        IpcError::new(
            ErrorKind::Invalid,
            "No photo is staged; choose a file or URL first.",
        )
    })?;
    let crop = staged.full.crop_rect(offset).into();
    let small = Arc::clone(&staged.small);
    let preview =
        tauri::async_runtime::spawn_blocking(move || small.render(CROP_PREVIEW_SIDE, offset))
            .await
            .map_err(|e| IpcError::internal(e.to_string()))?
            .map_err(photo_error)?;
    Ok(CropPreviewDto {
        preview_url: crate::photos::stage_preview(&preview),
        crop,
    })
}

/// Replace speaker `index` of session `id` with the staged photo cropped at
/// `offset`: the photo is rendered off the main thread (without holding the
/// workspace), written under the site's speaker folder, and the `<img>` of
/// the session and its twins is changed in memory (undoable, written by Save).
#[tauri::command]
pub async fn replace_speaker_photo(
    state: State<'_, AppState>,
    jobs: State<'_, PhotoState>,
    id: String,
    index: u32,
    offset: f32,
) -> IpcResult<ReplacedPhotoDto> {
    let staged = jobs.staged().ok_or_else(|| {
        IpcError::new(
            ErrorKind::Invalid,
            "No photo is staged; choose a file or URL first.",
        )
    })?;
    let index = usize::try_from(index).unwrap_or(usize::MAX);
    let size = site_size(&state)?;
    let full = Arc::clone(&staged.full);
    let photo = tauri::async_runtime::spawn_blocking(move || full.render(size, offset))
        .await
        .map_err(|e| IpcError::internal(e.to_string()))?
        .map_err(photo_error)?;
    let dto = state.with_site(|ws| {
        let r = lectern::workspace::install_speaker_photo(ws, &id, index, &photo)?;
        Ok(ReplacedPhotoDto {
            edited: state::edited(ws, &id, &r.changed)?,
            src: r.src,
            size: r.size,
            bytes: u32::try_from(r.bytes).unwrap_or(u32::MAX),
            changed: r.changed,
        })
    })?;
    jobs.set_staged(None);
    Ok(dto)
}
