//! Build script: generates the Tauri context and one `allow-<command>`
//! permission per app command, so `capabilities/main.json` can grant each
//! command by name and nothing else.

/// Every `#[tauri::command]` the app registers; keep in sync with `lib.rs`.
const COMMANDS: &[&str] = &[
    "app_info",
    "site_status",
    "choose_site",
    "reload_site",
    "list_sessions",
    "load_session",
    "set_field",
    "set_body",
    "set_speakers",
    "undo",
    "redo",
    "save_session",
    "save_all",
    "resolve_conflict",
    "disk_state",
    "recovery_offer",
    "answer_recovery",
    "check_site",
    // desktop app performance
    "edit_body",
    "recheck_site",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
