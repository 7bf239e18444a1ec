//! The native menu bar: File, Edit, View, Go, Help. "Open Site…" runs in
//! Rust (it needs a native dialog), and so do File → Open Recent (rebuilt
//! whenever the list changes), Close Window and Quit (which go through the
//! unsaved-edits check); every other item is forwarded to the UI as a
//! `menu` event carrying a [`MenuAction`], because the UI owns the editors.
//!
//! Labels come from a small table per language ([`LABELS_ZH`]): the locale is
//! read from the environment at start (`LC_ALL`, `LC_MESSAGES`, `LANG`) and
//! set by the UI's language switch through [`set_locale`], which rebuilds
//! the menu bar.

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::menu::{
    Menu, MenuBuilder, MenuEvent, MenuItemBuilder, MenuItemKind, PredefinedMenuItem, Submenu,
    SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Runtime};

use crate::dto::MenuAction;
use crate::opening;
use crate::window::{events, MAIN_WINDOW};

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

/// The menu's languages: English, and Chinese (simplified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    ZhCn,
}

impl Locale {
    /// The locale for a tag such as `zh-CN`, `zh_CN.UTF-8` or `en_US`: any Chinese is zh-CN.
    pub fn from_tag(tag: &str) -> Locale {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") || t.starts_with("zh.") {
            Locale::ZhCn
        } else {
            Locale::En
        }
    }

    /// The first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty, as POSIX reads them.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Locale {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| get(k))
            .find(|v| !v.is_empty())
            .map_or(Locale::En, |v| Locale::from_tag(&v))
    }
}

/// The menu's language now (Chinese when true); Open Recent is refilled in it.
static CHINESE: AtomicBool = AtomicBool::new(false);

fn current() -> Locale {
    if CHINESE.load(Ordering::Relaxed) {
        Locale::ZhCn
    } else {
        Locale::En
    }
}

/// Chinese labels by menu id. Ids missing here show the English label.
const LABELS_ZH: &[(&str, &str)] = &[
    ("menu_file", "文件"),
    ("menu_edit", "编辑"),
    ("menu_view", "视图"),
    ("menu_batch", "批量"),
    ("menu_go", "转到"),
    ("menu_help", "帮助"),
    (OPEN_SITE, "打开站点…"),
    (OPEN_RECENT, "最近打开"),
    ("new_session", "新建议题…"),
    ("save", "保存"),
    ("save_all", "全部保存"),
    (CLOSE_WINDOW, "关闭窗口"),
    (QUIT, "退出"),
    ("undo", "撤销"),
    ("redo", "重做"),
    ("cut", "剪切"),
    ("copy", "复制"),
    ("paste", "粘贴"),
    ("select_all", "全选"),
    ("toggle_preview", "显示/隐藏预览"),
    ("toggle_problems", "显示/隐藏问题"),
    ("toggle_changes", "更改"),
    ("toggle_schedule", "日程"),
    ("toggle_twins", "并排查看译本"),
    ("reload_site", "重新载入站点"),
    ("fetch_photos", "获取全部照片"),
    ("batch_set_field", "为所选设置字段…"),
    ("batch_table_view", "以表格编辑…"),
    ("batch_find_replace", "查找和替换…"),
    ("batch_rename_track", "重命名分论坛…"),
    ("batch_withdraw", "撤下议题…"),
    ("batch_apply_schedule", "应用日程…"),
    ("batch_import_sessionize", "从 Sessionize 导入…"),
    ("batch_undo", "撤销上次批量操作"),
    ("batch_restore", "从日志恢复…"),
    ("find_session", "查找议题…"),
    ("next_session", "下一个议题"),
    ("previous_session", "上一个议题"),
    ("next_language", "下一种语言"),
    ("keyboard_shortcuts", "键盘快捷键"),
    ("recent_none", "没有最近打开的站点"),
    (RECENT_FORGET_MISSING, "移除不存在的站点"),
    (RECENT_CLEAR, "清除最近打开的站点"),
    ("missing", "（不存在）"),
];

/// The label of menu id `id` in `locale`, `english` when the table has none.
pub fn text<'a>(locale: Locale, id: &str, english: &'a str) -> &'a str {
    match locale {
        Locale::En => english,
        Locale::ZhCn => LABELS_ZH
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(english, |(_, t)| t),
    }
}

/// Show the menu in `locale` (the UI's language switch): rebuild the bar,
/// unless it is in that language already.
pub fn set_locale<R: Runtime>(app: &AppHandle<R>, locale: Locale) -> tauri::Result<()> {
    let was = CHINESE.swap(locale == Locale::ZhCn, Ordering::Relaxed);
    if was == (locale == Locale::ZhCn) || app.menu().is_none() {
        return Ok(());
    }
    app.set_menu(build_in(app, locale)?)?;
    Ok(())
}

/// Build the menu bar in the environment's language.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let locale = Locale::from_env(|k| std::env::var(k).ok());
    CHINESE.store(locale == Locale::ZhCn, Ordering::Relaxed);
    build_in(app, locale)
}

/// Build the menu bar with labels in `locale`.
fn build_in<R: Runtime>(app: &AppHandle<R>, locale: Locale) -> tauri::Result<Menu<R>> {
    let tr = |id: &str, english: &'static str| text(locale, id, english);
    let sub = |id: &str, english: &'static str| SubmenuBuilder::with_id(app, id, tr(id, english));
    let item = |id: &str, english: &'static str, accel: Option<&str>| {
        let b = MenuItemBuilder::with_id(id, tr(id, english));
        match accel {
            Some(a) => b.accelerator(a).build(app),
            None => b.build(app),
        }
    };
    let recent = sub(OPEN_RECENT, "Open Recent").build()?;
    fill_recent(app, &recent, &crate::recent::load(app))?;
    // Quit is our own item, not the predefined one, so it asks about unsaved edits.
    let file = sub("menu_file", "File")
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
    let edit = sub("menu_edit", "Edit")
        .item(&item("undo", "Undo", None)?)
        .item(&item("redo", "Redo", None)?)
        .separator()
        .item(&PredefinedMenuItem::cut(app, Some(tr("cut", "Cut")))?)
        .item(&PredefinedMenuItem::copy(app, Some(tr("copy", "Copy")))?)
        .item(&PredefinedMenuItem::paste(app, Some(tr("paste", "Paste")))?)
        .item(&PredefinedMenuItem::select_all(
            app,
            Some(tr("select_all", "Select All")),
        )?)
        .build()?;
    let view = sub("menu_view", "View")
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
    let batch = sub("menu_batch", "Batch")
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
    let go = sub("menu_go", "Go")
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
    let help = sub("menu_help", "Help")
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
    recent_label_in(site, current())
}

fn recent_label_in(site: &crate::recent::RecentSite, locale: Locale) -> String {
    let missing = if site.root.is_dir() {
        String::new()
    } else {
        format!(" {}", text(locale, "missing", "(missing)"))
    };
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
            &MenuItemBuilder::with_id(
                "recent_none",
                text(current(), "recent_none", "No Recent Sites"),
            )
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
        &MenuItemBuilder::with_id(
            RECENT_FORGET_MISSING,
            text(current(), RECENT_FORGET_MISSING, "Remove Missing Sites"),
        )
        .enabled(any_missing)
        .build(app)?,
    )?;
    let clear = text(current(), RECENT_CLEAR, "Clear Recent Sites");
    submenu.append(&MenuItemBuilder::with_id(RECENT_CLEAR, clear).build(app)?)?;
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
    fn the_locale_comes_from_the_first_set_variable() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Locale::from_env(env(&[("LANG", "zh_CN.UTF-8")])),
            Locale::ZhCn
        );
        assert_eq!(
            Locale::from_env(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")])),
            Locale::En
        );
        assert_eq!(
            Locale::from_env(env(&[("LC_ALL", ""), ("LANG", "zh_TW.UTF-8")])),
            Locale::ZhCn
        );
        assert_eq!(Locale::from_env(env(&[])), Locale::En);
        assert_eq!(Locale::from_tag("zh-CN"), Locale::ZhCn);
        assert_eq!(Locale::from_tag("zhx"), Locale::En);
        assert_eq!(Locale::from_tag("C"), Locale::En);
    }

    #[test]
    fn chinese_labels_cover_every_item_and_fall_back_to_english() {
        assert_eq!(text(Locale::ZhCn, "save", "Save"), "保存");
        assert_eq!(text(Locale::En, "save", "Save"), "Save");
        assert_eq!(text(Locale::ZhCn, "no_such_item", "Other"), "Other");
        for (id, _) in FORWARDED {
            assert!(
                LABELS_ZH.iter().any(|(i, _)| i == id),
                "no Chinese label for {id}"
            );
        }
    }

    #[test]
    fn recent_labels_show_missing_folders_and_keep_ampersands() {
        let tmp = tempfile::tempdir().unwrap();
        let here = crate::recent::RecentSite {
            root: tmp.path().into(),
            name: "R&D Conf".into(),
        };
        assert_eq!(
            recent_label_in(&here, Locale::En),
            format!("R&&D Conf — {}", tmp.path().display())
        );
        let gone = crate::recent::RecentSite {
            root: tmp.path().join("gone"),
            name: "Old".into(),
        };
        assert!(recent_label_in(&gone, Locale::En).ends_with("gone (missing)"));
        assert!(recent_label_in(&gone, Locale::ZhCn).ends_with("gone （不存在）"));
    }
}
