//! Native dialogs. The only user of `rfd` in the app, so the backend choice
//! (GTK 3 on Linux, which Tauri already loads) is made in one place.

use std::path::{Path, PathBuf};

use tauri::{Runtime, WebviewWindow};

/// Ask for a site folder, modal to `window`. `None` when the person cancels.
pub async fn pick_site_folder<R: Runtime>(
    window: &WebviewWindow<R>,
    start: Option<&Path>,
) -> Option<PathBuf> {
    let mut dialog = rfd::AsyncFileDialog::new()
        .set_title("Open Site")
        .set_parent(window);
    if let Some(dir) = start {
        dialog = dialog.set_directory(dir);
    }
    dialog
        .pick_folder()
        .await
        .map(|handle| handle.path().to_path_buf())
}

/// Ask for a photo file (PNG, JPEG, GIF, WebP), modal to `window`. `None`
/// when the person cancels.
pub async fn pick_photo_file<R: Runtime>(window: &WebviewWindow<R>) -> Option<PathBuf> {
    pick_file(
        window,
        "Replace Photo",
        &["png", "jpg", "jpeg", "gif", "webp"],
    )
    .await
}

// Batch operations (schedule, Sessionize import)
/// Ask for a file with one of `extensions`, modal to `window`. `None` when cancelled.
pub async fn pick_file<R: Runtime>(
    window: &WebviewWindow<R>,
    title: &str,
    extensions: &[&str],
) -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_parent(window)
        .add_filter(title, extensions)
        .pick_file()
        .await
        .map(|handle| handle.path().to_path_buf())
}

/// Ask where to save an export file (Changes view), modal to `window`,
/// starting in `start` with `name` proposed. `None` when the person cancels.
pub async fn pick_export_file<R: Runtime>(
    window: &WebviewWindow<R>,
    start: Option<&Path>,
    name: &str,
    filter_name: &str,
    extensions: &[&str],
) -> Option<PathBuf> {
    let mut dialog = rfd::AsyncFileDialog::new()
        .set_title("Export")
        .set_parent(window)
        .set_file_name(name)
        .add_filter(filter_name, extensions);
    if let Some(dir) = start {
        dialog = dialog.set_directory(dir);
    }
    dialog
        .save_file()
        .await
        .map(|handle| handle.path().to_path_buf())
}
