//! The in-memory workspace the app edits: twin sync, undo, saves that never
//! overwrite a changed disk, and reactions to changes on disk.

use crate::support::{changed_lines, copy_tree, repo_root};
use lectern::schema::FieldType;
use lectern::workspace::{DiskEvent, Resolution, Twin, Workspace};
use lectern::Error;

const EN: &str = "content/sessions/ai-1204512.md";
const ZH: &str = "content/sessions/ai-1204512.zh.md";

fn sample() -> (tempfile::TempDir, std::path::PathBuf, Workspace) {
    let (t, site) = copy_tree(&repo_root().join("assets/sample-site"));
    let ws = Workspace::open(&site).unwrap();
    (t, site, ws)
}

#[test]
fn lists_every_session_once_with_its_twins_and_problem_counts() {
    let (_t, _s, mut ws) = sample();
    let rows = ws.summaries();
    assert_eq!(rows.len(), 12);
    let r = rows.iter().find(|r| r.stem == "ai-1204512").unwrap();
    assert_eq!(
        r.twins,
        vec![
            Twin {
                lang: "en".into(),
                id: EN.into()
            },
            Twin {
                lang: "zh".into(),
                id: ZH.into()
            }
        ]
    );
    assert_eq!(
        (r.day.as_deref(), r.time.as_deref()),
        (Some("2026-07-29"), Some("09:30"))
    );
    let lonely = rows
        .iter()
        .find(|r| r.stem == "observability-1210402")
        .unwrap();
    assert_eq!(lonely.twins.len(), 1);
    assert!(lonely.problems >= 1, "missing twin counts");
}

#[test]
fn copies_dates_and_translates_rooms_to_twins_but_not_titles() {
    let (_t, _s, mut ws) = sample();
    let changed = ws
        .set_field(EN, "date", Some("2026-07-30T13:30:00"))
        .unwrap();
    assert_eq!(changed, vec![EN.to_string(), ZH.to_string()]);
    assert_eq!(
        ws.document(ZH).unwrap().get("date").as_deref(),
        Some("2026-07-30T13:30:00")
    );
    ws.set_field(EN, "room", Some("Room 301")).unwrap();
    assert_eq!(
        ws.document(ZH).unwrap().get("room").as_deref(),
        Some("301 室")
    );
    ws.set_field(ZH, "stype", Some("中文演讲")).unwrap();
    assert_eq!(
        ws.document(EN).unwrap().get("stype").as_deref(),
        Some("Chinese Session")
    );
    let zh_title = ws.document(ZH).unwrap().get("title");
    assert_eq!(
        ws.set_field(EN, "title", Some("A New Title")).unwrap(),
        vec![EN.to_string()]
    );
    assert_eq!(ws.document(ZH).unwrap().get("title"), zh_title);
}

#[test]
fn undo_and_redo_walk_a_files_history() {
    let (_t, _s, mut ws) = sample();
    let original = ws.document(EN).unwrap().text().to_string();
    ws.set_field(EN, "title", Some("One more title")).unwrap();
    ws.set_body(EN, "Short body\n").unwrap();
    assert!(ws.undo(EN).unwrap());
    assert!(ws.document(EN).unwrap().text().contains("One more title"));
    assert!(ws.undo(EN).unwrap());
    assert_eq!(ws.document(EN).unwrap().text(), original);
    assert!(!ws.is_modified(EN));
    assert!(!ws.undo(EN).unwrap());
    assert!(ws.redo(EN).unwrap());
    assert!(ws.is_modified(EN));
}

#[test]
fn saving_changes_exactly_the_edited_line_on_disk() {
    let (_t, site, mut ws) = sample();
    let before = std::fs::read_to_string(site.join(EN)).unwrap();
    ws.set_field(EN, "title", Some("Serving Models: \"fast\" & cheap"))
        .unwrap();
    assert_eq!(ws.modified_ids(), vec![EN.to_string()]);
    ws.save(EN).unwrap();
    let after = std::fs::read_to_string(site.join(EN)).unwrap();
    let (del, ins) = changed_lines(&before, &after);
    assert_eq!((del.len(), ins.len()), (1, 1));
    assert!(ins[0].starts_with("title: \"Serving Models: \\\"fast\\\" & cheap\""));
    assert!(ws.modified_ids().is_empty());
}

#[test]
fn a_clean_file_changed_on_disk_reloads_quietly() {
    let (_t, site, mut ws) = sample();
    let p = site.join(ZH);
    let text = std::fs::read_to_string(&p).unwrap().replace("A 厅", "B 厅");
    std::fs::write(&p, text).unwrap();
    assert_eq!(
        ws.disk_changed(&p).unwrap(),
        DiskEvent::Reloaded { id: ZH.into() }
    );
    assert_eq!(
        ws.document(ZH).unwrap().get("room").as_deref(),
        Some("B 厅")
    );
    assert_eq!(ws.disk_changed(&p).unwrap(), DiskEvent::Unchanged);
}

#[test]
fn a_same_size_change_on_disk_under_unsaved_edits_is_a_conflict_and_nothing_is_lost() {
    let (_t, site, mut ws) = sample();
    let p = site.join(EN);
    ws.set_field(EN, "title", Some("My unsaved title")).unwrap();
    let disk = std::fs::read_to_string(&p).unwrap();
    // Same length, different bytes; mtime set back so only the content tells.
    let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
    let theirs = disk.replacen("Hall A", "Hall B", 1);
    assert_eq!(theirs.len(), disk.len());
    std::fs::write(&p, &theirs).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    match ws.disk_changed(&p).unwrap() {
        DiskEvent::Conflict { id, disk, mine } => {
            assert_eq!(id, EN);
            assert_eq!(disk, theirs);
            assert!(mine.contains("My unsaved title"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(matches!(ws.save(EN), Err(Error::Conflict { .. })));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        theirs,
        "the disk is untouched"
    );
    ws.resolve(EN, Resolution::KeepMine).unwrap();
    ws.save(EN).unwrap();
    assert!(std::fs::read_to_string(&p)
        .unwrap()
        .contains("My unsaved title"));
}

#[test]
fn taking_the_disk_version_drops_the_edits() {
    let (_t, site, mut ws) = sample();
    let p = site.join(EN);
    ws.set_field(EN, "title", Some("Mine")).unwrap();
    let theirs = std::fs::read_to_string(&p)
        .unwrap()
        .replace("Hall A", "Hall C");
    std::fs::write(&p, &theirs).unwrap();
    ws.resolve(EN, Resolution::TakeDisk).unwrap();
    assert_eq!(ws.document(EN).unwrap().text(), theirs);
    assert!(!ws.is_modified(EN));
}

#[test]
fn a_deleted_file_keeps_its_unsaved_edits_in_memory() {
    let (_t, site, mut ws) = sample();
    ws.set_field(EN, "title", Some("Keep me")).unwrap();
    std::fs::remove_file(site.join(EN)).unwrap();
    assert_eq!(
        ws.disk_changed(&site.join(EN)).unwrap(),
        DiskEvent::Removed {
            id: EN.into(),
            kept_edits: true
        }
    );
    assert_eq!(
        ws.unsaved().get(EN).map(|t| t.contains("Keep me")),
        Some(true)
    );
    std::fs::remove_file(site.join(ZH)).unwrap();
    assert_eq!(
        ws.disk_changed(&site.join(ZH)).unwrap(),
        DiskEvent::Removed {
            id: ZH.into(),
            kept_edits: false
        }
    );
    assert!(ws.document(ZH).is_err());
}

#[test]
fn new_session_creates_twins_from_the_templates() {
    let (_t, site, mut ws) = sample();
    let templates = [("en", "session.md"), ("zh", "session.zh.md")]
        .into_iter()
        .map(|(l, f)| {
            (
                l.to_string(),
                std::fs::read_to_string(repo_root().join("assets/templates").join(f)).unwrap(),
            )
        })
        .collect();
    let ids = ws
        .new_session("ai", "1300001", &["en".into(), "zh".into()], &templates)
        .unwrap();
    assert_eq!(
        ids,
        vec![
            "content/sessions/ai-1300001.md".to_string(),
            "content/sessions/ai-1300001.zh.md".to_string()
        ]
    );
    assert!(site.join(&ids[1]).is_file());
    assert_eq!(
        ws.document(&ids[0]).unwrap().get("track").as_deref(),
        Some("ai")
    );
    assert!(ws
        .new_session("ai", "1300001", &["en".into()], &templates)
        .is_err());
    assert!(ws
        .new_session("../x", "1", &["en".into()], &templates)
        .is_err());
}

#[test]
fn diagnostics_follow_edits_in_memory() {
    let (_t, _s, mut ws) = sample();
    assert!(!ws
        .diagnostics_for(EN)
        .iter()
        .any(|d| d.code == "unknown-track"));
    ws.set_field(EN, "track", Some("aii")).unwrap();
    let d = ws.diagnostics_for(EN);
    assert!(
        d.iter().any(|d| d.code == "unknown-track" && d.line == 4),
        "{d:?}"
    );
    ws.set_field(EN, "track", Some("ai")).unwrap();
    assert!(!ws
        .diagnostics_for(EN)
        .iter()
        .any(|d| d.code == "unknown-track"));
}

#[test]
fn drafts_survive_in_the_recovery_store_and_flag_files_changed_since() {
    use lectern::recovery::RecoveryStore;
    let (_t, site, mut ws) = sample();
    let store_dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(store_dir.path());
    ws.set_field(EN, "title", Some("Draft title")).unwrap();
    ws.set_field(ZH, "title", Some("草稿标题")).unwrap();
    store.save(&ws.site().root, ws.drafts()).unwrap();
    drop(ws); // the "crash": nothing was saved
    assert!(!std::fs::read_to_string(site.join(EN))
        .unwrap()
        .contains("Draft title"));
    // Meanwhile the zh file changed on disk.
    let p = site.join(ZH);
    std::fs::write(
        &p,
        std::fs::read_to_string(&p).unwrap().replace("A 厅", "B 厅"),
    )
    .unwrap();
    let mut ws = Workspace::open(&site).unwrap();
    let rec = store.load(&ws.site().root).expect("drafts were kept");
    let report = ws.restore(&rec);
    assert_eq!(report.restored, vec![EN.to_string()]);
    assert_eq!(report.conflicts, vec![ZH.to_string()]);
    assert!(ws.document(EN).unwrap().text().contains("Draft title"));
    assert!(ws.is_modified(EN));
    assert!(
        !ws.is_modified(ZH),
        "a draft over a changed file waits for the user"
    );
    assert!(rec.drafts[ZH].text.contains("草稿标题"));
    store.clear(&ws.site().root).unwrap();
    assert!(store.load(&ws.site().root).is_none());
}

#[test]
fn the_form_lists_schema_fields_with_the_choices_of_the_files_language() {
    let (_t, _s, ws) = sample();
    let en = ws.form(EN).unwrap();
    let zh = ws.form(ZH).unwrap();
    let keys: Vec<&str> = en.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(&keys[..2], ["title", "date"], "{keys:?}");
    let room = |form: &[lectern::workspace::FormField]| {
        form.iter().find(|f| f.key == "room").cloned().unwrap()
    };
    let (en_room, zh_room) = (room(&en), room(&zh));
    assert_eq!(en_room.kind, FieldType::Enum);
    assert!(!en_room.choices.is_empty());
    assert_eq!(en_room.choices.len(), zh_room.choices.len());
    assert_ne!(en_room.choices, zh_room.choices, "rooms are translated");
    assert!(en_room.choices.contains(en_room.value.as_ref().unwrap()));
    assert!(zh_room.choices.contains(zh_room.value.as_ref().unwrap()));
    assert_eq!(ws.site().default_rooms(), en_room.choices);
    assert!(ws.form("content/sessions/nope.md").is_err());
}

#[test]
fn the_table_has_a_row_per_asked_session_from_its_default_language_file() {
    let (_t, _s, mut ws) = sample();
    ws.set_field(ZH, "room", Some("B 厅")).unwrap();
    let stems = ["ai-1204512".to_string(), "nope-1".to_string()];
    let table = ws.table(&stems);
    let keys: Vec<&str> = table.columns.iter().map(|c| c.key.as_str()).collect();
    let form = ws.form(EN).unwrap();
    assert_eq!(
        keys,
        form.iter().map(|f| f.key.as_str()).collect::<Vec<_>>()
    );
    assert_eq!(table.rows.len(), 1, "unknown stems are left out");
    let row = &table.rows[0];
    assert_eq!((row.stem.as_str(), row.id.as_str()), ("ai-1204512", EN));
    assert!(row.modified, "the room edit went to both twins");
    let room = keys.iter().position(|k| *k == "room").unwrap();
    assert_eq!(row.values[room].as_deref(), Some("Hall B"));
    assert_eq!(table.columns[room].choices, ws.site().default_rooms());
}
