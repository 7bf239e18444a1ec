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

/// Show the native menu in the UI's language (`en`, `zh-CN`; other tags fall back to English).
#[tauri::command]
pub fn set_menu_locale<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    locale: String,
) -> crate::error::IpcResult<()> {
    crate::menu::set_locale(&app, crate::menu::Locale::from_tag(&locale))
        .map_err(|e| crate::error::IpcError::internal(format!("could not relabel the menu: {e}")))
}
