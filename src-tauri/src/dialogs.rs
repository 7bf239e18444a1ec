//! Native dialogs. The only user of `rfd` in the app, so the backend choice
//! (GTK 3 on Linux, which Tauri already loads) is made in one place.

use std::path::{Path, PathBuf};

use tauri::{Runtime, WebviewWindow};

/// Ask for a site folder, modal to `window`. `None` when the person cancels.
pub async fn pick_site_folder<R: Runtime>(
    window: &WebviewWindow<R>,
    start: Option<&Path>,
) -> Option<PathBuf> {
    let mut dialog = rfd::AsyncFileDialog::new().set_title("Open Site").set_parent(window);
    if let Some(dir) = start {
        dialog = dialog.set_directory(dir);
    }
    dialog.pick_folder().await.map(|handle| handle.path().to_path_buf())
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
