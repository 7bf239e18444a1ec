//! Commands about the app itself.

use crate::dto::AppInfo;

/// Name and versions, for the About box and bug reports.
#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        name: "Lectern".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        tauri_version: tauri::VERSION.into(),
        ipc_log: crate::ipc_log::snapshot(),
    }
}
