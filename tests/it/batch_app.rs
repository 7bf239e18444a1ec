//! Batch operations as the app runs them: on chosen sessions and table
//! cells, pasted spreadsheet blocks, per-file answers to import conflicts,
//! and plans applied to an open workspace (unsaved edits protected, touched
//! files reloaded, undo as one step).

use crate::support::{changed_lines, copy_tree, repo_root};
use lectern::batch::{self, sessionize::Resolution, CellEdit, ImportOptions};
use lectern::document::Document;
use lectern::site::Site;
use lectern::workspace::{DiskEvent, Workspace};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn mini() -> (tempfile::TempDir, PathBuf) {
    copy_tree(&repo_root().join("tests/fixtures/mini"))
}

fn sample() -> (tempfile::TempDir, PathBuf) {
    copy_tree(&repo_root().join("assets/sample-site"))
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn snapshot(site: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::support::md_files(&site.join("content"))
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(site).unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn cell(stem: &str, key: &str, value: Option<&str>) -> CellEdit {
    CellEdit {
        stem: stem.into(),
        key: key.into(),
        value: value.map(str::to_string),
    }
}

// ---- chosen sessions and cells ----

#[test]
fn set_on_chosen_sessions_translates_the_room_into_each_twin_and_changes_only_room_lines() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    let before = snapshot(&site_dir);
    let plan = batch::set_on(
        &site,
        &["db-101".into(), "web-102".into()],
        &[("room".into(), Some("Side Room".into()))],
    )
    .unwrap();
    assert_eq!(plan.title, "Set room=Side Room on 2 sessions");
    // web-102's Chinese file says 侧厅 already: it is left as it is.
    let paths: Vec<String> = plan
        .ops
        .iter()
        .map(|o| o.path().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "content/sessions/db-101.md",
            "content/sessions/db-101.zh.md",
            "content/sessions/web-102.md"
        ]
    );
    batch::apply(&plan).unwrap();
    let after = snapshot(&site_dir);
    for (rel, old, new) in [
        ("content/sessions/db-101.md", "Main Hall", "Side Room"),
        ("content/sessions/db-101.zh.md", "主厅", "侧厅"),
        ("content/sessions/web-102.md", "Main Hall", "Side Room"),
    ] {
        let (del, ins) = changed_lines(
            std::str::from_utf8(&before[rel]).unwrap(),
            std::str::from_utf8(&after[rel]).unwrap(),
        );
        assert_eq!(
            (del, ins),
            (
                vec![format!("room: \"{old}\"\n")],
                vec![format!("room: \"{new}\"\n")]
            ),
            "{rel}"
        );
    }
    assert_eq!(
        before["content/sessions/web-102.zh.md"],
        after["content/sessions/web-102.zh.md"]
    );
}

#[test]
fn a_title_set_on_a_selection_changes_the_default_language_file_only() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    let plan = batch::set_on(
        &site,
        &["db-101".into()],
        &[("title".into(), Some("New".into()))],
    )
    .unwrap();
    assert_eq!(plan.ops.len(), 1, "{}", plan.summary());
    assert_eq!(plan.ops[0].path(), Path::new("content/sessions/db-101.md"));
}

#[test]
fn clearing_a_copied_field_on_a_selection_removes_it_from_every_twin() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    let plan = batch::set_on(&site, &["db-101".into()], &[("date".into(), None)]).unwrap();
    batch::apply(&plan).unwrap();
    for rel in [
        "content/sessions/db-101.md",
        "content/sessions/db-101.zh.md",
    ] {
        assert_eq!(
            Document::load(site_dir.join(rel)).unwrap().get("date"),
            None,
            "{rel}"
        );
    }
}

#[test]
fn set_on_refuses_an_empty_selection_and_a_bad_key() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    assert!(batch::set_on(&site, &[], &[("room".into(), Some("x".into()))]).is_err());
    assert!(batch::set_on(
        &site,
        &["db-101".into()],
        &[("room: x".into(), Some("y".into()))]
    )
    .is_err());
}

#[test]
fn table_cells_become_one_plan_and_the_last_edit_of_a_cell_wins() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    let edits = [
        cell("db-101", "room", Some("Main Hall")),
        cell("db-101", "room", Some("侧厅")),
        cell("db-101", "presenters", Some("Ada Park, Bea Quill")),
        cell("web-102", "date", Some("2030-05-02T16:00:00")),
        cell("gone-999", "room", Some("Main Hall")),
    ];
    let plan = batch::set_cells(&site, &edits).unwrap();
    assert_eq!(plan.title, "Edit 4 cells in 3 sessions");
    assert_eq!(plan.problems.len(), 1, "{:?}", plan.problems);
    assert!(plan.problems[0].message.contains("gone-999"));
    batch::apply(&plan).unwrap();
    let get = |rel: &str, k: &str| Document::load(site_dir.join(rel)).unwrap().get(k);
    // A room given in Chinese is translated for the English file.
    assert_eq!(
        get("content/sessions/db-101.md", "room").as_deref(),
        Some("Side Room")
    );
    assert_eq!(
        get("content/sessions/db-101.zh.md", "room").as_deref(),
        Some("侧厅")
    );
    assert_eq!(
        get("content/sessions/db-101.md", "presenters").as_deref(),
        Some("Ada Park, Bea Quill")
    );
    assert_eq!(
        get("content/sessions/db-101.zh.md", "presenters").as_deref(),
        Some("Ada Park"),
        "presenters are per language"
    );
    assert_eq!(
        get("content/sessions/web-102.zh.md", "date").as_deref(),
        Some("2030-05-02T16:00:00")
    );
}

#[test]
fn a_pasted_block_keeps_empty_cells_quoted_tabs_and_line_breaks() {
    assert_eq!(
        batch::paste_block("a\tb\r\nc\t\n"),
        vec![vec!["a", "b"], vec!["c", ""]]
    );
    assert_eq!(
        batch::paste_block("x\n\ny\n"),
        vec![vec!["x"], vec![""], vec!["y"]],
        "an empty cell in one column is a row"
    );
    assert_eq!(
        batch::paste_block("\"two\nlines\"\t\"say \"\"hi\"\"\"\tlast"),
        vec![vec!["two\nlines", "say \"hi\"", "last"]]
    );
    assert_eq!(
        batch::paste_block("a\tb\tc\nd"),
        vec![vec!["a", "b", "c"], vec!["d", "", ""]],
        "padded to a rectangle"
    );
    assert_eq!(
        batch::paste_block("Hall \"A\"\tB"),
        vec![vec!["Hall \"A\"", "B"]],
        "quotes inside a cell are text"
    );
    assert!(batch::paste_block("").is_empty());
}

// ---- import conflicts, per file ----

fn sessionize_json(description: &str) -> String {
    serde_json::json!({
        "sessions": [{
            "id": "424242", "title": "Row Stores", "description": description, "status": "Accepted",
            "speakers": [], "categories": [{"id": 1, "name": "Track", "categoryItems": [{"id": 1, "name": "db"}]}]
        }],
        "speakers": [], "rooms": [], "categories": []
    })
    .to_string()
}

#[test]
fn a_per_file_choice_settles_that_files_conflict_and_leaves_the_others_to_ask() {
    let (t, site_dir) = mini();
    let json = t.path().join("s.json");
    std::fs::write(&json, sessionize_json("First abstract.")).unwrap();
    let site = Site::discover(&site_dir).unwrap();
    let (plan, _) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    batch::apply(&plan).unwrap();
    let (en, zh) = (
        "content/sessions/db-424242.md",
        "content/sessions/db-424242.zh.md",
    );
    for rel in [en, zh] {
        std::fs::write(
            site_dir.join(rel),
            read(&site_dir, rel).replace("First abstract.", "First abstract, by hand."),
        )
        .unwrap();
    }
    std::fs::write(&json, sessionize_json("Second abstract.")).unwrap();
    let site = Site::discover(&site_dir).unwrap();
    let (plan, _) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    let mut conflicted: Vec<&str> = plan.conflicts.iter().map(|c| c.path.as_str()).collect();
    conflicted.sort();
    assert_eq!(conflicted, [en, zh]);
    let choices = BTreeMap::from([(en.to_string(), Resolution::TakeTheirs)]);
    let (plan, _) =
        batch::import_sessionize_choosing(&site, &json, &ImportOptions::default(), &choices)
            .unwrap();
    let left: Vec<&str> = plan.conflicts.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(left, [zh]);
    batch::apply(&plan).unwrap();
    assert!(read(&site_dir, en).contains("Second abstract."));
    assert!(read(&site_dir, zh).contains("First abstract, by hand."));
}

// ---- plans on an open workspace ----

#[test]
fn a_plan_touching_a_file_with_unsaved_edits_is_refused_and_writes_nothing() {
    let (_t, site_dir) = mini();
    let mut ws = Workspace::open(&site_dir).unwrap();
    ws.set_body("content/sessions/db-101.zh.md", "编辑中。\n")
        .unwrap();
    let plan = batch::set_on(
        ws.site(),
        &["db-101".into()],
        &[("room".into(), Some("Side Room".into()))],
    )
    .unwrap();
    assert_eq!(ws.unsaved_in_plan(&plan), ["content/sessions/db-101.zh.md"]);
    let before = snapshot(&site_dir);
    let err = ws.apply_plan(&plan).unwrap_err().to_string();
    assert!(
        err.contains("unsaved edits") && err.contains("db-101.zh.md") && err.contains("Save All"),
        "{err}"
    );
    assert_eq!(snapshot(&site_dir), before);
    assert!(!site_dir.join(".lectern").exists(), "no journal either");
    // The unsaved edit is still there.
    assert_eq!(
        ws.document("content/sessions/db-101.zh.md").unwrap().body(),
        "编辑中。\n"
    );
}

#[test]
fn applying_reloads_the_touched_files_so_the_watcher_sees_nothing_new_and_undo_restores_every_byte()
{
    let (_t, site_dir) = mini();
    let mut ws = Workspace::open(&site_dir).unwrap();
    // An unrelated unsaved edit does not block the plan and survives it.
    ws.set_field(
        "content/sessions/web-102.md",
        "title",
        Some("Still editing"),
    )
    .unwrap();
    let before = snapshot(&site_dir);
    let plan = batch::set_on(
        ws.site(),
        &["db-101".into()],
        &[("room".into(), Some("Side Room".into()))],
    )
    .unwrap();
    let applied = ws.apply_plan(&plan).unwrap();
    for (id, room) in [
        ("content/sessions/db-101.md", "Side Room"),
        ("content/sessions/db-101.zh.md", "侧厅"),
    ] {
        assert_eq!(
            ws.document(id).unwrap().get("room").as_deref(),
            Some(room),
            "{id}"
        );
        assert!(!ws.is_modified(id), "{id} matches the disk");
        // What the file watcher would report next: nothing.
        assert_eq!(
            ws.disk_changed(&site_dir.join(id)).unwrap(),
            DiskEvent::Unchanged,
            "{id}"
        );
    }
    let row = ws
        .summaries()
        .into_iter()
        .find(|r| r.stem == "db-101")
        .unwrap();
    assert_eq!(row.room, "Side Room");
    assert_eq!(
        ws.document("content/sessions/web-102.md")
            .unwrap()
            .get("title")
            .as_deref(),
        Some("Still editing")
    );
    ws.undo_plan(&applied).unwrap();
    assert_eq!(snapshot(&site_dir), before);
    assert_eq!(
        ws.document("content/sessions/db-101.zh.md")
            .unwrap()
            .get("room")
            .as_deref(),
        Some("主厅")
    );
    assert_eq!(
        ws.disk_changed(&site_dir.join("content/sessions/db-101.md"))
            .unwrap(),
        DiskEvent::Unchanged
    );
}

#[test]
fn undo_is_refused_when_a_touched_file_has_unsaved_edits_since() {
    let (_t, site_dir) = mini();
    let mut ws = Workspace::open(&site_dir).unwrap();
    let plan = batch::set_on(
        ws.site(),
        &["db-101".into()],
        &[("room".into(), Some("Side Room".into()))],
    )
    .unwrap();
    let applied = ws.apply_plan(&plan).unwrap();
    ws.set_field("content/sessions/db-101.md", "title", Some("Edited after"))
        .unwrap();
    let snap = snapshot(&site_dir);
    assert!(ws.undo_plan(&applied).is_err());
    assert_eq!(snapshot(&site_dir), snap);
}

#[test]
fn withdrawing_and_renaming_a_track_update_the_open_workspace() {
    let (_t, site_dir) = sample();
    let mut ws = Workspace::open(&site_dir).unwrap();
    let n = ws.sessions().len();
    let plan = batch::withdraw(ws.site(), "observability-1201290").unwrap();
    let applied = ws.apply_plan(&plan).unwrap();
    assert_eq!(ws.sessions().len(), n - 2);
    assert!(ws
        .session("content/sessions/observability-1201290.md")
        .is_err());
    ws.undo_plan(&applied).unwrap();
    assert_eq!(ws.sessions().len(), n);
    let plan = batch::rename_track(ws.site(), "bigdata", "data").unwrap();
    ws.apply_plan(&plan).unwrap();
    assert!(ws.session("content/sessions/data-1198876.zh.md").is_ok());
    assert!(ws.session("content/sessions/bigdata-1198876.md").is_err());
    // The track list was re-read: the moved track page names the new slug.
    assert!(ws.site().track("data").is_some() && ws.site().track("bigdata").is_none());
    assert!(
        !ws.diagnostics()
            .iter()
            .any(|d| d.code == "unknown-track" && d.file.to_string_lossy().contains("data-")),
        "moved files name a known track"
    );
}

#[test]
fn a_session_withdrawn_in_an_earlier_run_is_restored_from_the_journal_into_the_open_workspace() {
    let (_t, site_dir) = mini();
    let before = snapshot(&site_dir);
    {
        let mut ws = Workspace::open(&site_dir).unwrap();
        let plan = batch::withdraw(ws.site(), "web-102").unwrap();
        ws.apply_plan(&plan).unwrap();
    }
    // A later run.
    let mut ws = Workspace::open(&site_dir).unwrap();
    assert!(ws.session("content/sessions/web-102.md").is_err());
    let entry = batch::journal::list(&site_dir)
        .unwrap()
        .into_iter()
        .find(|e| e.title.contains("web-102"))
        .unwrap();
    let plan = ws.restore_journal(&entry.id).unwrap();
    assert_eq!(plan.ops.len(), 2);
    assert_eq!(snapshot(&site_dir), before);
    assert!(ws.session("content/sessions/web-102.zh.md").is_ok());
    assert!(
        batch::journal::list(&site_dir)
            .unwrap()
            .iter()
            .find(|e| e.id == entry.id)
            .unwrap()
            .restored
    );
    assert!(ws.restore_journal(&entry.id).is_err(), "only once");
}

#[path = "../../benches/support/mod.rs"]
mod generated;

/// Figures for BENCHMARKS.md (debug build): the app's path for "Set field…"
/// on 1,000 chosen sessions of a 10,000-file site, plan and apply through
/// the workspace (which also reloads the touched files), then undo.
/// `cargo test --test it measures_set_field_on_a_selection -- --ignored --nocapture`
#[test]
#[ignore = "performance figures; run on demand"]
fn measures_set_field_on_a_selection_through_the_workspace() {
    use std::time::Instant;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    generated::generate(&generated::source_site(), &dir, 10_000);
    let t = Instant::now();
    let mut ws = Workspace::open(&dir).unwrap();
    let open = t.elapsed();
    let mut stems: Vec<String> = ws.sessions().iter().map(|l| l.file.stem.clone()).collect();
    stems.dedup();
    stems.truncate(1_000);
    for round in 0..3 {
        let room = ["Room 7", "Room 8", "Room 9"][round];
        let t = Instant::now();
        let plan = batch::set_on(ws.site(), &stems, &[("room".into(), Some(room.into()))]).unwrap();
        let planned = t.elapsed();
        let t = Instant::now();
        let applied = ws.apply_plan(&plan).unwrap();
        let written = t.elapsed();
        let t = Instant::now();
        ws.undo_plan(&applied).unwrap();
        let undone = t.elapsed();
        println!(
            "round {round}: open {open:?}; set_on 1,000 sessions: plan {planned:?} ({} files), apply + reload {written:?}, undo + reload {undone:?}",
            plan.ops.len()
        );
        // The same plan without the workspace, to tell writing from reloading.
        let t = Instant::now();
        let applied = batch::apply(&plan).unwrap();
        let bare = t.elapsed();
        let paths: Vec<std::path::PathBuf> = plan.ops.iter().map(|o| dir.join(o.path())).collect();
        let t = Instant::now();
        ws.disk_changed_many(&paths);
        let reload = t.elapsed();
        applied.undo().unwrap();
        ws.disk_changed_many(&paths);
        println!(
            "round {round}: batch::apply alone {bare:?}, reloading {} files alone {reload:?}",
            paths.len()
        );
    }
}

#[test]
fn many_changes_on_disk_are_taken_in_one_step_with_the_same_outcomes_as_one_by_one() {
    let (_t, site_dir) = mini();
    let mut ws = Workspace::open(&site_dir).unwrap();
    let p = |rel: &str| site_dir.join(rel);
    let (changed, edited, removed, added) = (
        "content/sessions/db-101.md",
        "content/sessions/db-101.zh.md",
        "content/sessions/web-102.zh.md",
        "content/sessions/web-104.md",
    );
    ws.set_body(edited, "编辑中。\n").unwrap();
    std::fs::write(
        p(changed),
        read(&site_dir, changed).replace("Main Hall", "Side Room"),
    )
    .unwrap();
    std::fs::write(p(edited), read(&site_dir, edited) + "外部修改。\n").unwrap();
    std::fs::remove_file(p(removed)).unwrap();
    std::fs::write(p(added), read(&site_dir, "content/sessions/web-102.md")).unwrap();
    let paths = [
        p(changed),
        p(edited),
        p(removed),
        p(added),
        p("content/sessions/web-102.md"),
        site_dir.join("config.toml"),
    ];
    let events: Vec<DiskEvent> = ws
        .disk_changed_many(&paths)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(events[0], DiskEvent::Reloaded { id: changed.into() });
    assert!(
        matches!(&events[1], DiskEvent::Conflict { id, disk, mine } if id == edited && disk.contains("外部修改") && mine.contains("编辑中"))
    );
    assert_eq!(
        events[2],
        DiskEvent::Removed {
            id: removed.into(),
            kept_edits: false
        }
    );
    assert_eq!(events[3], DiskEvent::Added { id: added.into() });
    assert_eq!(events[4..], [DiskEvent::Unchanged, DiskEvent::Unchanged]);
    assert_eq!(
        ws.document(changed).unwrap().get("room").as_deref(),
        Some("Side Room")
    );
    assert!(ws.session(removed).is_err());
    assert_eq!(
        ws.document(added).unwrap().get("title").as_deref(),
        Some("Web Caches")
    );
    assert_eq!(
        ws.document(edited).unwrap().body(),
        "编辑中。\n",
        "unsaved edits are kept"
    );
    // Nothing left to report.
    let again: Vec<DiskEvent> = ws
        .disk_changed_many(&paths)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(
        matches!(again[1], DiskEvent::Conflict { .. }),
        "still unsettled"
    );
    assert!(
        again
            .iter()
            .enumerate()
            .all(|(i, e)| i == 1 || *e == DiskEvent::Unchanged),
        "{again:?}"
    );
}
