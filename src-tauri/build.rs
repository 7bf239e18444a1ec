//! Build script: generates the Tauri context and one `allow-<command>`
//! permission per app command, so `capabilities/main.json` can grant each
//! command by name and nothing else.

/// Every `#[tauri::command]` the app registers; keep in sync with `lib.rs`.
const COMMANDS: &[&str] = &[
    "app_info",
    "set_menu_locale",
    "site_status",
    "choose_site",
    "reload_site",
    "list_sessions",
    "load_session",
    "set_field",
    "type_field",
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
    // Photos (issue 4).
    "fetch_all_photos",
    "cancel_photo_fetch",
    "speaker_photos",
    "pick_photo_file",
    "stage_photo",
    "crop_preview",
    "replace_speaker_photo",
    // Changes view and export (issue 6).
    "list_changes",
    "revert_change",
    "prepare_export",
    "export_branch",
    "export_patch",
    "export_zip",
    "choose_export_file",
    // Recent sites, unsaved-edits prompt, new sessions (issue 3).
    "recent_sites",
    "open_recent",
    "forget_recent",
    "set_unsaved_mark",
    "leave",
    "new_session",
    // Schedule grid + twins side by side (issue 5)
    "schedule_grid",
    "move_session",
    "undo_step",
    "redo_step",
    "twin_report",
    // Batch operations (plans, bulk edits, imports)
    "batch_status",
    "plan_set_field",
    "table_data",
    "plan_cells",
    "parse_paste",
    "find_matches",
    "plan_replace",
    "plan_rename_track",
    "plan_withdraw",
    "pick_batch_file",
    "plan_schedule",
    "plan_import",
    "apply_plan",
    "discard_plan",
    "undo_batch",
    "journal_entries",
    "plan_restore",
    // desktop app performance
    "edit_body",
    "recheck_site",
    // Problems pane fixes and site-wide search (issue 15)
    "fix_finding",
    "fix_rule",
    "search_site",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
