//! Lectern's desktop shell: a thin Tauri 2 layer over the `lectern` core.
//!
//! The shell owns windows, menus, dialogs and the open-site state; every
//! rule about session files lives in the core. Commands (in [`commands`])
//! fetch state, call one function and return its result: a core type (the
//! core derives `ts_rs::TS` under its `ts` feature) or a DTO the shell owns
//! ([`dto`]).

// Batch operations (plans, bulk edits, imports)
pub mod batch;
pub mod commands;
pub mod dialogs;
pub mod dto;
// Photos (issue 4).
pub mod dto_photos;
// Changes view and export (issue 6).
pub mod dto_export;
// Schedule grid + twins side by side (issue 5)
pub mod dto_schedule;
// Batch operations (plans, bulk edits, imports)
pub mod dto_batch;
// hardening: site folder gone/back events
pub mod dto_resilience;
// desktop app performance: DTOs of the live paths
pub mod dto_live;
// Problems pane fixes and site-wide search (issue 15)
pub mod dto_find;
pub mod error;
pub mod ipc_log;
// hardening: IPC argument fuzzing through the mock runtime
#[cfg(test)]
mod ipc_fuzz;
pub mod menu;
pub mod opening;
pub mod photos;
pub mod recovery;
pub mod state;
pub mod watcher;
pub mod window;
// Recent sites, unsaved-edits prompt, new sessions (issue 3).
pub mod dto_app;
pub mod recent;
pub mod unsaved;

use tauri::{Manager, WebviewWindowBuilder};

use crate::state::AppState;

/// Whether the main web view may navigate to `url`: only the app's own
/// pages (and the preview iframe's `about:srcdoc`), never the web.
pub fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost") || (cfg!(dev) && is_dev_server(url))
        }
        "about" => matches!(url.path(), "srcdoc" | "blank"),
        _ => false,
    }
}

fn is_dev_server(url: &tauri::Url) -> bool {
    url.host_str() == Some("localhost") && url.port() == Some(1420)
}

/// Start the app: menus, state, the main window, then the startup site.
pub fn run() {
    let result = tauri::Builder::default()
        .manage(AppState::default())
        // Photos (issue 4): the fetch run and the staged replacement.
        .manage(photos::PhotoState::default())
        .manage(watcher::Watching::default())
        .manage(unsaved::Guard::default())
        .on_window_event(unsaved::on_window_event)
        // Batch operations (plans, bulk edits, imports)
        .manage(batch::BatchState::default())
        .manage(recent::OnChange::<tauri::Wry>(menu::refresh_recent))
        .menu(menu::build)
        .on_menu_event(menu::handle)
        .register_uri_scheme_protocol(photos::SCHEME, |ctx, request| {
            let state = ctx.app_handle().state::<AppState>();
            let site = state.if_site(|ws| ws.site().clone());
            photos::respond(site.as_ref(), &request)
        })
        .setup(|app| {
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == window::MAIN_WINDOW)
                .cloned()
                .ok_or("tauri.conf.json has no main window")?;
            WebviewWindowBuilder::from_config(app.handle(), &config)?
                .on_navigation(is_app_url)
                .build()?;
            let handle = app.handle();
            let target =
                opening::startup_target(handle, opening::path_argument(std::env::args_os()));
            let opened = target.and_then(|t| match t {
                Some(path) => opening::open_path(handle, &path).map(|_| ()),
                None => Ok(()),
            });
            if let Err(e) = opened {
                eprintln!("lectern-desktop: {e}");
                app.state::<AppState>().set_startup_error(e);
            }
            let saver = handle.clone();
            recovery::start(handle, move || saver.state::<AppState>().autosave());
            Ok(())
        })
        .invoke_handler(ipc_log::counted(tauri::generate_handler![
            commands::app::app_info,
            commands::app::set_menu_locale,
            commands::site::site_status,
            commands::site::choose_site,
            commands::site::reload_site,
            commands::session::list_sessions,
            commands::session::load_session,
            commands::session::set_field,
            commands::session::type_field,
            commands::session::set_body,
            commands::session::set_speakers,
            commands::session::undo,
            commands::session::redo,
            commands::session::save_session,
            commands::session::save_all,
            commands::session::resolve_conflict,
            commands::session::disk_state,
            commands::session::recovery_offer,
            commands::session::answer_recovery,
            commands::check::check_site,
            // Photos (issue 4).
            commands::photos::fetch_all_photos,
            commands::photos::cancel_photo_fetch,
            commands::photos::speaker_photos,
            commands::photos::pick_photo_file,
            commands::photos::stage_photo,
            commands::photos::crop_preview,
            commands::photos::replace_speaker_photo,
            // Changes view and export (issue 6).
            commands::export::list_changes,
            commands::export::revert_change,
            commands::export::prepare_export,
            commands::export::export_branch,
            commands::export::export_patch,
            commands::export::export_zip,
            commands::export::choose_export_file,
            // Recent sites, unsaved-edits prompt, new sessions (issue 3).
            commands::recent::recent_sites,
            commands::recent::open_recent,
            commands::recent::forget_recent,
            commands::leaving::set_unsaved_mark,
            commands::leaving::leave,
            commands::new_session::new_session,
            // Schedule grid + twins side by side (issue 5)
            commands::schedule::schedule_grid,
            commands::schedule::move_session,
            commands::schedule::undo_step,
            commands::schedule::redo_step,
            commands::schedule::twin_report,
            // Batch operations (plans, bulk edits, imports)
            commands::batch::batch_status,
            commands::batch::plan_set_field,
            commands::batch::table_data,
            commands::batch::plan_cells,
            commands::batch::parse_paste,
            commands::batch::find_matches,
            commands::batch::plan_replace,
            commands::batch::plan_rename_track,
            commands::batch::plan_withdraw,
            commands::batch::pick_batch_file,
            commands::batch::plan_schedule,
            commands::batch::plan_import,
            commands::batch::apply_plan,
            commands::batch::discard_plan,
            commands::batch::undo_batch,
            commands::batch::journal_entries,
            commands::batch::plan_restore,
            // desktop app performance
            commands::live::edit_body,
            commands::live::recheck_site,
            // Problems pane fixes and site-wide search (issue 15)
            commands::find::fix_finding,
            commands::find::fix_rule,
            commands::find::search_site,
        ]))
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("lectern-desktop: could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> tauri::Url {
        s.parse().unwrap()
    }

    #[test]
    fn navigation_stays_inside_the_app() {
        assert!(is_app_url(&url("tauri://localhost/index.html")));
        assert!(is_app_url(&url("http://tauri.localhost/")));
        assert!(is_app_url(&url("about:srcdoc")));
        assert!(!is_app_url(&url("https://example.org/")));
        assert!(!is_app_url(&url("file:///etc/passwd")));
        assert!(!is_app_url(&url("http://tauri.localhost.evil.com/")));
    }
}

/// Regenerates `ui/src/ipc/bindings/` from the DTOs. Run by
/// `scripts/check-bindings.sh`, which then fails on any git diff.
#[cfg(test)]
mod bindings {
    use std::path::PathBuf;
    use ts_rs::TS;

    #[test]
    fn typescript_bindings_are_generated_from_the_dtos() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings");
        std::fs::create_dir_all(&dir).unwrap();
        // Start clean so a removed DTO leaves no stale file behind.
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ts") {
                std::fs::remove_file(path).unwrap();
            }
        }
        let cfg = ts_rs::Config::new().with_out_dir(&dir);
        crate::dto::AppInfo::export_all(&cfg).unwrap();
        crate::dto::SiteStatus::export_all(&cfg).unwrap();
        lectern::Diagnostic::export_all(&cfg).unwrap();
        crate::dto::MenuAction::export_all(&cfg).unwrap();
        crate::dto::SessionView::export_all(&cfg).unwrap();
        crate::dto::Edited::export_all(&cfg).unwrap();
        crate::dto::SaveAllResult::export_all(&cfg).unwrap();
        crate::dto::SessionSaved::export_all(&cfg).unwrap();
        crate::dto::DiskChange::export_all(&cfg).unwrap();
        crate::recovery::RecoveryOffer::export_all(&cfg).unwrap();
        crate::recovery::RestoreResult::export_all(&cfg).unwrap();
        // Photos (issue 4).
        crate::dto_photos::PhotoFetchProgress::export_all(&cfg).unwrap();
        crate::dto_photos::PhotoFetchSummary::export_all(&cfg).unwrap();
        crate::dto_photos::SpeakerPhotoDto::export_all(&cfg).unwrap();
        crate::dto_photos::StagedPhotoDto::export_all(&cfg).unwrap();
        crate::dto_photos::CropPreviewDto::export_all(&cfg).unwrap();
        crate::dto_photos::ReplacedPhotoDto::export_all(&cfg).unwrap();
        // Changes view and export (issue 6).
        crate::dto_export::ChangesDto::export_all(&cfg).unwrap();
        crate::dto_export::ExportPrepDto::export_all(&cfg).unwrap();
        crate::dto_export::BranchRequest::export_all(&cfg).unwrap();
        crate::dto_export::BranchOutcomeDto::export_all(&cfg).unwrap();
        crate::dto_export::FileExportRequest::export_all(&cfg).unwrap();
        crate::dto_export::FileExportDto::export_all(&cfg).unwrap();
        crate::dto_export::RevertedDto::export_all(&cfg).unwrap();
        crate::dto_export::ExportFileKind::export_all(&cfg).unwrap();
        // Recent sites, unsaved-edits prompt, new sessions (issue 3).
        crate::dto_app::RecentSiteDto::export_all(&cfg).unwrap();
        lectern::workspace::NewSession::export_all(&cfg).unwrap();
        crate::unsaved::LeaveRequest::export_all(&cfg).unwrap();
        crate::unsaved::LeaveDecision::export_all(&cfg).unwrap();
        crate::unsaved::LeaveOutcome::export_all(&cfg).unwrap();
        // Schedule grid + twins side by side (issue 5)
        lectern::schedule::Schedule::export_all(&cfg).unwrap();
        crate::dto_schedule::ScheduleEdit::export_all(&cfg).unwrap();
        lectern::workspace::TwinReport::export_all(&cfg).unwrap();
        // Batch operations (plans, bulk edits, imports)
        crate::dto_batch::PlanDto::export_all(&cfg).unwrap();
        crate::dto_batch::BatchDone::export_all(&cfg).unwrap();
        crate::dto_batch::BatchStatus::export_all(&cfg).unwrap();
        lectern::workspace::Table::export_all(&cfg).unwrap();
        lectern::batch::CellEdit::export_all(&cfg).unwrap();
        lectern::batch::Query::export_all(&cfg).unwrap();
        crate::dto_batch::MatchDto::export_all(&cfg).unwrap();
        lectern::batch::ColumnNames::export_all(&cfg).unwrap();
        crate::dto_batch::SchedulePlanDto::export_all(&cfg).unwrap();
        crate::dto_batch::ImportPlanDto::export_all(&cfg).unwrap();
        lectern::batch::sessionize::Resolution::export_all(&cfg).unwrap();
        crate::dto_batch::BatchFileKind::export_all(&cfg).unwrap();
        lectern::batch::JournalEntry::export_all(&cfg).unwrap();
        // hardening
        crate::dto_resilience::SiteFolder::export_all(&cfg).unwrap();
        // desktop app performance
        lectern::body_edit::TextChange::export_all(&cfg).unwrap();
        crate::dto_live::BodyEdited::export_all(&cfg).unwrap();
        crate::dto_live::SiteChecked::export_all(&cfg).unwrap();
        // Problems pane fixes and site-wide search (issue 15)
        crate::dto_find::FixedDto::export_all(&cfg).unwrap();
        lectern::search::SearchResults::export_all(&cfg).unwrap();
        assert!(dir.join("SiteSummary.ts").is_file());
        assert!(dir.join("IpcError.ts").is_file());
    }
}
