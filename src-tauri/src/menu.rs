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
    // Batch operations (plans, bulk edits, imports)
    ("batch_set_field", MenuAction::SetField),
    ("batch_table_view", MenuAction::TableView),
    ("batch_find_replace", MenuAction::FindReplace),
    ("batch_rename_track", MenuAction::RenameTrack),
    ("batch_withdraw", MenuAction::Withdraw),
    ("batch_apply_schedule", MenuAction::ApplySchedule),
    ("batch_import_sessionize", MenuAction::ImportSessionize),
    ("batch_undo", MenuAction::UndoBatch),
    ("batch_restore", MenuAction::RestoreJournal),
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
        .separator()
        .item(&item("reload_site", "Reload Site", Some("F5"))?)
        .build()?;
    // Batch operations (plans, bulk edits, imports): each shows a plan first.
    let batch = SubmenuBuilder::new(app, "Batch")
        .item(&item("batch_set_field", "Set Field on Selection…", None)?)
        .item(&item("batch_table_view", "Edit as Table…", None)?)
        .item(&item("batch_find_replace", "Find and Replace…", Some("CmdOrCtrl+Shift+H"))?)
        .separator()
        .item(&item("batch_rename_track", "Rename Track…", None)?)
        .item(&item("batch_withdraw", "Withdraw Session…", None)?)
        .separator()
        .item(&item("batch_apply_schedule", "Apply Schedule…", None)?)
        .item(&item("batch_import_sessionize", "Import from Sessionize…", None)?)
        .separator()
        .item(&item("batch_undo", "Undo Last Batch", None)?)
        .item(&item("batch_restore", "Restore from Journal…", None)?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit, &view, &batch]).build()
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
        assert_eq!(action_for("batch_undo"), Some(MenuAction::UndoBatch));
    }
}
