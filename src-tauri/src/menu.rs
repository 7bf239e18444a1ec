//! The native menu bar: File, Edit, View. "Open Site…" runs in Rust (it
//! needs a native dialog); every other item is forwarded to the UI as a
//! `menu` event carrying a [`MenuAction`], because the UI owns the editors.

use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Runtime};

use crate::dto::{events, MenuAction};
use crate::opening::{self, MAIN_WINDOW};

const OPEN_SITE: &str = "open_site";

/// Menu ids of the items forwarded to the UI.
const FORWARDED: &[(&str, MenuAction)] = &[
    ("save", MenuAction::Save),
    ("save_all", MenuAction::SaveAll),
    ("undo", MenuAction::Undo),
    ("redo", MenuAction::Redo),
    ("toggle_preview", MenuAction::TogglePreview),
    ("toggle_problems", MenuAction::ToggleProblems),
    ("reload_site", MenuAction::ReloadSite),
    // Schedule grid + twins side by side (issue 5)
    ("toggle_schedule", MenuAction::ToggleSchedule),
    ("toggle_twins", MenuAction::ToggleTwins),
];

/// Build the menu bar.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str, text: &str, accel: Option<&str>| {
        let b = MenuItemBuilder::with_id(id, text);
        match accel {
            Some(a) => b.accelerator(a).build(app),
            None => b.build(app),
        }
    };
    let file = SubmenuBuilder::new(app, "File")
        .item(&item(OPEN_SITE, "Open Site…", Some("CmdOrCtrl+O"))?)
        .separator()
        .item(&item("save", "Save", Some("CmdOrCtrl+S"))?)
        .item(&item("save_all", "Save All", Some("CmdOrCtrl+Shift+S"))?)
        .separator()
        .quit()
        .build()?;
    // Undo/Redo carry no accelerator: a GTK accelerator would take Ctrl+Z away
    // from the web view, where CodeMirror and the form fields handle it.
    // Cut/Copy/Paste are the predefined items, which GTK handles natively.
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&item("undo", "Undo", None)?)
        .item(&item("redo", "Redo", None)?)
        .separator()
        .cut()
        .copy()
        .paste()
        .select_all()
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&item("toggle_preview", "Toggle Preview", Some("CmdOrCtrl+Shift+P"))?)
        .item(&item("toggle_problems", "Toggle Problems", Some("CmdOrCtrl+Shift+M"))?)
        // Schedule grid + twins side by side (issue 5)
        .item(&item("toggle_schedule", "Schedule", Some("CmdOrCtrl+Shift+K"))?)
        .item(&item("toggle_twins", "Twins Side by Side", Some("CmdOrCtrl+Shift+L"))?)
        .separator()
        .item(&item("reload_site", "Reload Site", Some("F5"))?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit, &view]).build()
}

/// The UI action for a forwarded menu id.
pub fn action_for(id: &str) -> Option<MenuAction> {
    FORWARDED.iter().find(|(i, _)| *i == id).map(|(_, a)| *a)
}

/// Handle a click on a menu item.
pub fn handle<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == OPEN_SITE {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            // Success is announced by `open_path` through the site-opened event.
            if let Err(e) = opening::choose_and_open(&app).await {
                let _ = app.emit_to(MAIN_WINDOW, events::ERROR, &e);
            }
        });
    } else if let Some(action) = action_for(id) {
        let _ = app.emit_to(MAIN_WINDOW, events::MENU, action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_forwarded_id_maps_to_its_action() {
        assert_eq!(action_for("save_all"), Some(MenuAction::SaveAll));
        assert_eq!(action_for("open_site"), None);
        assert_eq!(action_for("nonsense"), None);
    }
}
