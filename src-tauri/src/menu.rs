//! The native menu bar: File, Edit, View, Go, Help. "Open Site…" runs in
//! Rust (it needs a native dialog), and so do File → Open Recent (rebuilt
//! whenever the list changes), Close Window and Quit (which go through the
//! unsaved-edits check); every other item is forwarded to the UI as a
//! `menu` event carrying a [`MenuAction`], because the UI owns the editors.

use tauri::menu::{
    Menu, MenuBuilder, MenuEvent, MenuItemBuilder, MenuItemKind, Submenu, SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Runtime};

use crate::dto::{events, MenuAction};
use crate::opening::{self, MAIN_WINDOW};

const OPEN_SITE: &str = "open_site";
// Recent sites, closing (issue 3).
/// Id of the File → Open Recent submenu.
pub const OPEN_RECENT: &str = "open_recent";
/// Prefix of a recent site's item id; the site root follows.
const RECENT_PREFIX: &str = "recent:";
const RECENT_FORGET_MISSING: &str = "recent_forget_missing";
const RECENT_CLEAR: &str = "recent_clear";
const CLOSE_WINDOW: &str = "close_window";
const QUIT: &str = "quit";

/// Menu ids of the items forwarded to the UI.
const FORWARDED: &[(&str, MenuAction)] = &[
    ("save", MenuAction::Save),
    ("save_all", MenuAction::SaveAll),
    ("undo", MenuAction::Undo),
    ("redo", MenuAction::Redo),
    ("toggle_preview", MenuAction::TogglePreview),
    ("toggle_problems", MenuAction::ToggleProblems),
    ("reload_site", MenuAction::ReloadSite),
    // Photos (issue 4).
    ("fetch_photos", MenuAction::FetchPhotos),
    // Changes view (issue 6).
    ("toggle_changes", MenuAction::ToggleChanges),
    // New session, navigation, help (issue 3).
    ("new_session", MenuAction::NewSession),
    ("find_session", MenuAction::FindSession),
    ("next_session", MenuAction::NextSession),
    ("previous_session", MenuAction::PreviousSession),
    ("next_language", MenuAction::NextLanguage),
    ("keyboard_shortcuts", MenuAction::KeyboardShortcuts),
    // Schedule grid + twins side by side (issue 5)
    ("toggle_schedule", MenuAction::ToggleSchedule),
    ("toggle_twins", MenuAction::ToggleTwins),
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
    let recent = SubmenuBuilder::with_id(app, OPEN_RECENT, "Open Recent").build()?;
    fill_recent(app, &recent, &crate::recent::load(app))?;
    // Quit is our own item, not the predefined one, so it asks about unsaved edits.
    let file = SubmenuBuilder::new(app, "File")
        .item(&item(OPEN_SITE, "Open Site…", Some("CmdOrCtrl+O"))?)
        .item(&recent)
        .separator()
        .item(&item("new_session", "New Session…", Some("CmdOrCtrl+N"))?)
        .separator()
        .item(&item("save", "Save", Some("CmdOrCtrl+S"))?)
        .item(&item("save_all", "Save All", Some("CmdOrCtrl+Shift+S"))?)
        .separator()
        .item(&item(CLOSE_WINDOW, "Close Window", Some("CmdOrCtrl+W"))?)
        .item(&item(QUIT, "Quit", Some("CmdOrCtrl+Q"))?)
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
        .item(&item(
            "toggle_preview",
            "Toggle Preview",
            Some("CmdOrCtrl+Shift+P"),
        )?)
        .item(&item(
            "toggle_problems",
            "Toggle Problems",
            Some("CmdOrCtrl+Shift+M"),
        )?)
        .item(&item(
            "toggle_changes",
            "Changes",
            Some("CmdOrCtrl+Shift+G"),
        )?)
        // Schedule grid + twins side by side (issue 5)
        .item(&item(
            "toggle_schedule",
            "Schedule",
            Some("CmdOrCtrl+Shift+K"),
        )?)
        .item(&item(
            "toggle_twins",
            "Twins Side by Side",
            Some("CmdOrCtrl+Shift+T"),
        )?)
        .separator()
        .item(&item("reload_site", "Reload Site", Some("F5"))?)
        // Photos (issue 4).
        .item(&item("fetch_photos", "Fetch All Photos", None)?)
        .build()?;
    // Batch operations (plans, bulk edits, imports): each shows a plan first.
    let batch = SubmenuBuilder::new(app, "Batch")
        .item(&item("batch_set_field", "Set Field on Selection…", None)?)
        .item(&item("batch_table_view", "Edit as Table…", None)?)
        .item(&item(
            "batch_find_replace",
            "Find and Replace…",
            Some("CmdOrCtrl+Shift+H"),
        )?)
        .separator()
        .item(&item("batch_rename_track", "Rename Track…", None)?)
        .item(&item("batch_withdraw", "Withdraw Session…", None)?)
        .separator()
        .item(&item("batch_apply_schedule", "Apply Schedule…", None)?)
        .item(&item(
            "batch_import_sessionize",
            "Import from Sessionize…",
            None,
        )?)
        .separator()
        .item(&item("batch_undo", "Undo Last Batch", None)?)
        .item(&item("batch_restore", "Restore from Journal…", None)?)
        .build()?;
    let go = SubmenuBuilder::new(app, "Go")
        .item(&item("find_session", "Find Session…", Some("CmdOrCtrl+P"))?)
        .item(&item("next_session", "Next Session", Some("Alt+PageDown"))?)
        .item(&item(
            "previous_session",
            "Previous Session",
            Some("Alt+PageUp"),
        )?)
        .item(&item(
            "next_language",
            "Next Language",
            Some("CmdOrCtrl+Shift+L"),
        )?)
        .build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&item(
            "keyboard_shortcuts",
            "Keyboard Shortcuts",
            Some("F1"),
        )?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &batch, &go, &help])
        .build()
}

/// A menu label shows `&` as a mnemonic marker; double it to show it.
fn label(text: &str) -> String {
    text.replace('&', "&&")
}

/// The text of a recent site's item: name and folder, and whether it is gone.
pub fn recent_label(site: &crate::recent::RecentSite) -> String {
    let missing = if site.root.is_dir() { "" } else { " (missing)" };
    label(&format!("{} — {}{missing}", site.name, site.root.display()))
}

/// Put the recent sites (and the items that tidy the list) into `submenu`.
fn fill_recent<R: Runtime>(
    app: &AppHandle<R>,
    submenu: &Submenu<R>,
    list: &crate::recent::RecentSites,
) -> tauri::Result<()> {
    for old in submenu.items()? {
        submenu.remove(&old)?;
    }
    if list.sites.is_empty() {
        submenu.append(
            &MenuItemBuilder::with_id("recent_none", "No Recent Sites")
                .enabled(false)
                .build(app)?,
        )?;
        return Ok(());
    }
    for site in &list.sites {
        let id = format!("{RECENT_PREFIX}{}", site.root.display());
        submenu.append(&MenuItemBuilder::with_id(id, recent_label(site)).build(app)?)?;
    }
    submenu.append(&tauri::menu::PredefinedMenuItem::separator(app)?)?;
    let any_missing = list.sites.iter().any(|s| !s.root.is_dir());
    submenu.append(
        &MenuItemBuilder::with_id(RECENT_FORGET_MISSING, "Remove Missing Sites")
            .enabled(any_missing)
            .build(app)?,
    )?;
    submenu.append(&MenuItemBuilder::with_id(RECENT_CLEAR, "Clear Recent Sites").build(app)?)?;
    Ok(())
}

/// Rebuild File → Open Recent from `list`.
pub fn refresh_recent<R: Runtime>(
    app: &AppHandle<R>,
    list: &crate::recent::RecentSites,
) -> tauri::Result<()> {
    let Some(menu) = app.menu() else {
        return Ok(());
    };
    // `Menu::get` looks at the top level only; Open Recent is inside File.
    for item in menu.items()? {
        if let MenuItemKind::Submenu(top) = item {
            if let Some(MenuItemKind::Submenu(sub)) = top.get(OPEN_RECENT) {
                return fill_recent(app, &sub, list);
            }
        }
    }
    Ok(())
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
    } else if let Some(root) = id.strip_prefix(RECENT_PREFIX) {
        let app = app.clone();
        let root = std::path::PathBuf::from(root);
        tauri::async_runtime::spawn(async move {
            if let Err(e) = opening::open_recent(&app, &root) {
                let _ = app.emit_to(MAIN_WINDOW, events::ERROR, &e);
            }
        });
    } else if id == RECENT_FORGET_MISSING {
        if let Err(e) = crate::recent::update(app, |l| l.forget_missing()) {
            eprintln!("lectern-desktop: could not update the recent sites: {e}");
        }
    } else if id == RECENT_CLEAR {
        if let Err(e) = crate::recent::update(app, |l| l.sites.clear()) {
            eprintln!("lectern-desktop: could not update the recent sites: {e}");
        }
    } else if id == CLOSE_WINDOW || id == QUIT {
        crate::unsaved::close_window(app);
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
        assert_eq!(action_for("new_session"), Some(MenuAction::NewSession));
        assert_eq!(action_for("batch_undo"), Some(MenuAction::UndoBatch));
    }

    #[test]
    fn recent_labels_show_missing_folders_and_keep_ampersands() {
        let tmp = tempfile::tempdir().unwrap();
        let here = crate::recent::RecentSite {
            root: tmp.path().into(),
            name: "R&D Conf".into(),
        };
        assert_eq!(
            recent_label(&here),
            format!("R&&D Conf — {}", tmp.path().display())
        );
        let gone = crate::recent::RecentSite {
            root: tmp.path().join("gone"),
            name: "Old".into(),
        };
        assert!(recent_label(&gone).ends_with("gone (missing)"));
    }
}
