//! The schedule grid: every session placed by day, room and time, clashes
//! found the way the checker finds them, moves that edit the session and
//! its twins as one undoable step, and the twins report (missing twins,
//! disagreements, drift from git).

use crate::support::{changed_lines, copy_tree, repo_root};
use lectern::schedule::{self, ClashKind, Schedule};
use lectern::site::Site;
use lectern::validate::load_all;
use lectern::workspace::Workspace;
use lectern::Code;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../benches/support/mod.rs"]
mod generator;

fn sample() -> (tempfile::TempDir, PathBuf, Workspace) {
    let (t, site) = copy_tree(&repo_root().join("assets/sample-site"));
    let ws = Workspace::open(&site).unwrap();
    (t, site, ws)
}

/// A two-language site in a temp dir with the given session files
/// (name, front matter lines); rooms Main Hall/主厅 and Side Room/侧厅.
fn site_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("site");
    std::fs::create_dir_all(root.join("content/sessions")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(
        root.join("config.toml"),
        "title = \"Grid Conf\"\ndefaultContentLanguage = \"en\"\n[params]\nschedule = [\"2030-05-01\", \"2030-05-02\"]\n\
         [languages.en]\nlanguageName = \"English\"\nweight = 1\n[languages.zh]\nlanguageName = \"中文\"\nweight = 2\n",
    )
    .unwrap();
    std::fs::write(
        root.join("data/rooms.yaml"),
        "en: [\"Main Hall\", \"Side Room\"]\nzh: [\"主厅\", \"侧厅\"]\n",
    )
    .unwrap();
    for (name, fm) in files {
        std::fs::write(
            root.join("content/sessions").join(name),
            format!("---\n{fm}---\nAbstract.\n"),
        )
        .unwrap();
    }
    (t, root)
}

fn grid_of(root: &Path) -> Schedule {
    let site = Site::discover(root).unwrap();
    let (loaded, _) = load_all(&site, &|| {});
    schedule::build(&site, &loaded)
}

fn card<'a>(g: &'a Schedule, stem: &str) -> &'a schedule::Card {
    g.sessions
        .iter()
        .find(|c| c.stem == stem)
        .unwrap_or_else(|| panic!("{stem} is not on the grid"))
}

#[test]
fn the_sample_site_grid_shows_every_session_once_in_the_rooms_yaml_order() {
    let (_t, _s, ws) = sample();
    let g = ws.schedule();
    assert_eq!(g.sessions.len(), 12, "twins count once");
    let rooms: Vec<(&str, bool)> = g.rooms.iter().map(|r| (r.name.as_str(), r.known)).collect();
    assert_eq!(
        rooms,
        [("Hall A", true), ("Hall B", true), ("Room 301", true)]
    );
    let days: Vec<(&str, bool)> = g
        .days
        .iter()
        .map(|d| (d.date.as_str(), d.declared))
        .collect();
    assert_eq!(
        days,
        [
            ("2026-07-29", true),
            ("2026-07-30", true),
            ("2026-07-31", false)
        ],
        "a session outside the days adds its day"
    );
    assert_eq!(
        g.days[0].times,
        ["09:30", "10:10", "13:30", "14:10", "14:50", "15:30"]
    );
    assert_eq!(g.duration_minutes, 40);
    // The default-language file is what the grid reads; the trailing space of "Hall A " does not make a new room.
    let c = card(&g, "ai-1204512");
    assert_eq!(c.id, "content/sessions/ai-1204512.md");
    let p = c.place.as_ref().unwrap();
    assert_eq!(
        (
            p.day.as_str(),
            p.time.as_str(),
            p.end.as_str(),
            p.room.as_str(),
            p.room_index
        ),
        ("2026-07-29", "09:30", "10:10", "Hall A", 0)
    );
    assert_eq!(
        c.twins.iter().map(|t| t.lang.as_str()).collect::<Vec<_>>(),
        ["en", "zh"]
    );
    assert!(
        g.sessions.iter().all(|c| c.place.is_some()),
        "every sample session has a date and a room"
    );
    // The one clash PROBLEMS.md documents: Hall B at 10:10 on the first day.
    assert_eq!(g.clashes.len(), 1, "{:#?}", g.clashes);
    let clash = &g.clashes[0];
    assert_eq!(
        (
            clash.kind,
            clash.subject.as_str(),
            clash.day.as_str(),
            clash.start.as_str()
        ),
        (ClashKind::Room, "Hall B", "2026-07-29", "10:10")
    );
    assert_eq!(clash.stems, ["bigdata-1203310", "community-1207733"]);
    assert_eq!(card(&g, "bigdata-1203310").clashes, [0]);
    assert!(
        card(&g, "ai-1204587").clashes.is_empty(),
        "09:30 + 40 min ends as 10:10 starts: no overlap"
    );
}

#[test]
fn a_double_booked_room_and_a_presenter_in_two_rooms_are_both_clashes() {
    let (_t, root) = site_with(&[
        ("db-1.md", "title: \"One\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"Main Hall\"\npresenters: \"Ada Park\"\n"),
        ("db-2.md", "title: \"Two\"\ndate: \"2030-05-01T10:20:00\"\nroom: \"Main Hall\"\npresenters: \"Li Wei\"\n"),
        // Chained: overlaps Two (10:20 + 40) but not One; one group of three.
        ("db-3.md", "title: \"Three\"\ndate: \"2030-05-01T10:50:00\"\nroom: \"Main Hall\"\npresenters: \"Sam Jones\"\n"),
        ("ai-4.md", "title: \"Four\"\ndate: \"2030-05-01T14:00:00\"\nroom: \"Side Room\"\npresenters: \"Noor Haddad, Sam Jones\"\n"),
        // The same person, another room, 20 minutes later; written with other case and spaces.
        ("ai-5.md", "title: \"Five\"\ndate: \"2030-05-01T14:20:00\"\nroom: \"Main Hall\"\npresenters: \"noor  HADDAD\"\n"),
        // Same room and time but another day: no clash.
        ("ai-6.md", "title: \"Six\"\ndate: \"2030-05-02T10:00:00\"\nroom: \"Main Hall\"\npresenters: \"Ada Park\"\n"),
    ]);
    let g = grid_of(&root);
    let summary: Vec<(ClashKind, &str, Vec<&str>)> = g
        .clashes
        .iter()
        .map(|c| {
            (
                c.kind,
                c.subject.as_str(),
                c.stems.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (ClashKind::Room, "Main Hall", vec!["db-1", "db-2", "db-3"]),
            (ClashKind::Presenter, "Noor Haddad", vec!["ai-4", "ai-5"])
        ]
    );
    assert!(
        g.clashes[0]
            .message
            .contains("Main Hall is double-booked on 2030-05-01"),
        "{}",
        g.clashes[0].message
    );
    assert!(
        g.clashes[1]
            .message
            .contains("Noor Haddad is in two places at once"),
        "{}",
        g.clashes[1].message
    );
    assert_eq!(card(&g, "ai-5").clashes, [1]);
    assert!(card(&g, "ai-6").clashes.is_empty());
    // The checker agrees: each later session of a group is flagged.
    let site = Site::discover(&root).unwrap();
    let report = lectern::validate::check_site(&site);
    let flagged: Vec<(&str, String)> = report
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, Code::RoomClash | Code::PresenterClash))
        .map(|d| (d.code.as_str(), d.file.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        flagged,
        [
            ("presenter-clash", "content/sessions/ai-5.md".to_string()),
            ("room-clash", "content/sessions/db-2.md".to_string()),
            ("room-clash", "content/sessions/db-3.md".to_string()),
        ]
    );
}

#[test]
fn sessions_without_a_usable_date_or_room_are_listed_with_the_reason() {
    let (_t, root) = site_with(&[
        ("db-1.md", "title: \"No date\"\nroom: \"Main Hall\"\n"),
        ("db-2.md", "title: \"Bad date\"\ndate: \"next Tuesday\"\nroom: \"Main Hall\"\n"),
        ("db-3.md", "title: \"No room\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"\"\npresenters: \"Ada Park\"\n"),
        ("db-4.md", "title: \"Placed\"\ndate: \"2030-05-01T10:10:00\"\nroom: \"Side Room\"\npresenters: \"Ada Park\"\n"),
    ]);
    std::fs::write(
        root.join("content/sessions/db-5.md"),
        "---\ntitle: [unclosed\n---\nBody\n",
    )
    .unwrap();
    let g = grid_of(&root);
    let reason = |s: &str| card(&g, s).unplaced.clone().unwrap_or_default();
    assert_eq!(reason("db-1"), "no date yet");
    assert!(
        reason("db-2").contains("\"next Tuesday\" is not a date"),
        "{}",
        reason("db-2")
    );
    assert_eq!(reason("db-3"), "no room yet");
    assert!(
        reason("db-5").contains("front matter cannot be read"),
        "{}",
        reason("db-5")
    );
    assert!(card(&g, "db-4").place.is_some() && card(&g, "db-4").unplaced.is_none());
    // A presenter is in two places even when one session has no room yet.
    assert_eq!(g.clashes.len(), 1);
    assert_eq!(
        (g.clashes[0].kind, g.clashes[0].stems.clone()),
        (
            ClashKind::Presenter,
            vec!["db-3".to_string(), "db-4".to_string()]
        )
    );
}

#[test]
fn a_room_missing_from_rooms_yaml_becomes_a_column_marked_unknown() {
    let (_t, root) = site_with(&[(
        "web-1.md",
        "title: \"Attic talk\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"Attic\"\n",
    )]);
    let g = grid_of(&root);
    let rooms: Vec<(&str, bool)> = g.rooms.iter().map(|r| (r.name.as_str(), r.known)).collect();
    assert_eq!(
        rooms,
        [("Main Hall", true), ("Side Room", true), ("Attic", false)]
    );
    assert_eq!(
        card(&g, "web-1").place.as_ref().map(|p| p.room_index),
        Some(2)
    );
}

#[test]
fn a_session_with_only_a_translation_sits_in_its_rooms_default_language_column_and_clashes_there() {
    let (_t, root) = site_with(&[
        (
            "db-1.md",
            "title: \"English\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"Side Room\"\n",
        ),
        (
            "db-2.zh.md",
            "title: \"中文\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"侧厅\"\n",
        ),
    ]);
    let g = grid_of(&root);
    let c = card(&g, "db-2");
    assert_eq!(c.id, "content/sessions/db-2.zh.md");
    assert_eq!(c.place.as_ref().map(|p| p.room.as_str()), Some("Side Room"));
    assert_eq!(g.clashes.len(), 1);
    assert_eq!(g.clashes[0].subject, "Side Room");
    let report = lectern::validate::check_site(&Site::discover(&root).unwrap());
    assert!(
        report.diagnostics.iter().any(|d| d.code == "room-clash"),
        "the checker compares translated rooms too"
    );
}

#[test]
fn moving_a_session_changes_only_the_date_and_room_lines_of_it_and_its_twin() {
    let (_t, site, mut ws) = sample();
    let en = "content/sessions/community-1207733.md";
    let zh = "content/sessions/community-1207733.zh.md";
    let before: Vec<String> = [en, zh]
        .iter()
        .map(|f| std::fs::read_to_string(site.join(f)).unwrap())
        .collect();
    let others: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(site.join("content/sessions"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().contains("community-1207733"))
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    assert_eq!(ws.schedule().clashes.len(), 1);
    let step = ws
        .move_session(
            en,
            schedule::slot("2026-07-30", "14:10").unwrap(),
            "Room 301",
        )
        .unwrap();
    assert_eq!(step.ids(), [en, zh]);
    assert_eq!(step.label, "Move community-1207733");
    let g = ws.schedule();
    assert!(
        g.clashes.is_empty(),
        "the move ends the Hall B clash: {:#?}",
        g.clashes
    );
    let p = card(&g, "community-1207733").place.clone().unwrap();
    assert_eq!(
        (p.day.as_str(), p.time.as_str(), p.room.as_str()),
        ("2026-07-30", "14:10", "Room 301")
    );
    assert!(card(&g, "community-1207733").modified);
    assert!(
        !ws.diagnostics().iter().any(|d| d.code == "room-clash"),
        "the checker sees the move too"
    );
    for (_, r) in ws.save_all() {
        r.unwrap();
    }
    let after: Vec<String> = [en, zh]
        .iter()
        .map(|f| std::fs::read_to_string(site.join(f)).unwrap())
        .collect();
    let (del, ins) = changed_lines(&before[0], &after[0]);
    assert_eq!(
        del,
        ["date: \"2026-07-29T10:10:00\"\n", "room: \"Hall B\"\n"]
    );
    assert_eq!(
        ins,
        ["date: \"2026-07-30T14:10:00\"\n", "room: \"Room 301\"\n"]
    );
    let (del, ins) = changed_lines(&before[1], &after[1]);
    assert_eq!(del.len(), 2, "{del:?}");
    assert_eq!(
        ins,
        ["date: \"2026-07-30T14:10:00\"\n", "room: \"301 室\"\n"],
        "the room is translated for the Chinese twin"
    );
    for (p, b) in others {
        assert_eq!(
            std::fs::read(&p).unwrap(),
            b,
            "{} is untouched",
            p.display()
        );
    }
}

#[test]
fn moving_from_the_translation_writes_each_language_its_own_room() {
    let (_t, _s, mut ws) = sample();
    let zh = "content/sessions/bigdata-1203310.zh.md";
    let step = ws
        .move_session(
            zh,
            schedule::slot("2026-07-29", "09:30").unwrap(),
            "Room 301",
        )
        .unwrap();
    assert_eq!(step.ids(), ["content/sessions/bigdata-1203310.md", zh]);
    assert_eq!(
        ws.document("content/sessions/bigdata-1203310.md")
            .unwrap()
            .get("room")
            .as_deref(),
        Some("Room 301")
    );
    assert_eq!(
        ws.document(zh).unwrap().get("room").as_deref(),
        Some("301 室")
    );
    assert_eq!(
        ws.document(zh).unwrap().get("date").as_deref(),
        Some("2026-07-29T09:30:00")
    );
}

#[test]
fn undoing_a_move_restores_every_twin_and_the_clash_and_redo_moves_it_again() {
    let (_t, _s, mut ws) = sample();
    let en = "content/sessions/community-1207733.md";
    let zh = "content/sessions/community-1207733.zh.md";
    let texts = |ws: &Workspace| {
        (
            ws.document(en).unwrap().text().to_string(),
            ws.document(zh).unwrap().text().to_string(),
        )
    };
    let original = texts(&ws);
    let step = ws
        .move_session(
            en,
            schedule::slot("2026-07-30", "14:10").unwrap(),
            "Room 301",
        )
        .unwrap();
    let moved = texts(&ws);
    ws.undo_step(&step).unwrap();
    assert_eq!(texts(&ws), original);
    assert!(!ws.is_modified(en) && !ws.is_modified(zh));
    assert_eq!(ws.schedule().clashes.len(), 1, "the clash is back");
    ws.redo_step(&step).unwrap();
    assert_eq!(texts(&ws), moved);
    assert!(ws.schedule().clashes.is_empty());
    // One undo entry per file: a plain per-file undo takes the whole move back in that file.
    assert!(ws.undo(zh).unwrap());
    assert_eq!(ws.document(zh).unwrap().text(), original.1);
}

#[test]
fn undoing_a_move_is_refused_without_a_change_when_a_twin_was_edited_since() {
    let (_t, _s, mut ws) = sample();
    let en = "content/sessions/community-1207733.md";
    let zh = "content/sessions/community-1207733.zh.md";
    let step = ws
        .move_session(
            en,
            schedule::slot("2026-07-30", "14:10").unwrap(),
            "Room 301",
        )
        .unwrap();
    ws.set_field(zh, "title", Some("新的标题")).unwrap();
    let now = (
        ws.document(en).unwrap().text().to_string(),
        ws.document(zh).unwrap().text().to_string(),
    );
    let err = ws.undo_step(&step).unwrap_err().to_string();
    assert!(err.contains(zh) && err.contains("edited after"), "{err}");
    assert_eq!(
        (
            ws.document(en).unwrap().text().to_string(),
            ws.document(zh).unwrap().text().to_string()
        ),
        now,
        "nothing was undone"
    );
    // Once that edit is undone in the editor, the move can be undone again.
    ws.undo(zh).unwrap();
    ws.undo_step(&step).unwrap();
    assert!(!ws.is_modified(en) && !ws.is_modified(zh));
}

#[test]
fn set_fields_keeps_twins_in_sync_and_refuses_as_a_whole() {
    let (_t, _s, mut ws) = sample();
    let en = "content/sessions/ai-1204512.md";
    let zh = "content/sessions/ai-1204512.zh.md";
    let before = ws.document(zh).unwrap().text().to_string();
    let step = ws
        .set_fields(
            en,
            &[
                ("date", Some("2026-07-30T09:30:00")),
                ("stype", Some("Chinese Session")),
                ("title", Some("Only English")),
            ],
            "Edit",
        )
        .unwrap();
    assert_eq!(step.files.len(), 2);
    let z = ws.document(zh).unwrap();
    assert_eq!(
        (z.get("date").as_deref(), z.get("stype").as_deref()),
        (Some("2026-07-30T09:30:00"), Some("中文演讲"))
    );
    assert_ne!(
        z.get("title").as_deref(),
        Some("Only English"),
        "titles are per language"
    );
    assert!(ws.undo(zh).unwrap());
    assert_eq!(
        ws.document(zh).unwrap().text(),
        before,
        "one undo entry for both fields"
    );
    // A key that cannot be written fails the whole step before anything changes.
    let en_now = ws.document(en).unwrap().text().to_string();
    assert!(ws
        .set_fields(
            en,
            &[("room", Some("Hall B")), ("bad\nkey", Some("y"))],
            "Edit"
        )
        .is_err());
    assert_eq!(ws.document(en).unwrap().text(), en_now);
}

#[test]
fn slots_are_checked_and_the_error_says_what_to_type() {
    assert_eq!(
        schedule::slot("2030-05-01", "14:30").unwrap().to_string(),
        "2030-05-01 14:30:00"
    );
    assert_eq!(
        schedule::slot(" 2030-05-01 ", "09:05:30")
            .unwrap()
            .to_string(),
        "2030-05-01 09:05:30"
    );
    assert!(schedule::slot("05/01/2030", "14:30")
        .unwrap_err()
        .to_string()
        .contains("YYYY-MM-DD"));
    assert!(schedule::slot("2030-05-01", "2pm")
        .unwrap_err()
        .to_string()
        .contains("HH:MM"));
    assert!(schedule::slot("2030-02-30", "10:00").is_err());
}

#[test]
fn a_moved_date_keeps_the_files_own_way_of_writing_dates() {
    let (_t, root) = site_with(&[
        (
            "db-1.md",
            "title: \"Short\"\ndate: 2030-05-01 10:00\nroom: \"Main Hall\"\n",
        ),
        (
            "db-1.zh.md",
            "title: \"短\"\ndate: 2030-05-01 10:00\nroom: \"主厅\"\n",
        ),
    ]);
    let mut ws = Workspace::open(&root).unwrap();
    ws.move_session(
        "content/sessions/db-1.md",
        schedule::slot("2030-05-02", "11:40").unwrap(),
        "Side Room",
    )
    .unwrap();
    let text = ws
        .document("content/sessions/db-1.md")
        .unwrap()
        .text()
        .to_string();
    // A space, no seconds, and unquoted: as the file wrote it (an unquoted
    // date-time stays unquoted, issue 12).
    assert!(text.contains("date: 2030-05-02 11:40\n"), "{text}");
    assert_eq!(
        ws.document("content/sessions/db-1.zh.md")
            .unwrap()
            .get("room")
            .as_deref(),
        Some("侧厅")
    );
}

#[test]
fn a_generated_10k_file_site_is_placed_without_clashes_until_a_move_makes_one() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("site");
    generator::generate(&repo_root().join("assets/sample-site"), &root, 10_000);
    let mut ws = Workspace::open(&root).unwrap();
    let started = std::time::Instant::now();
    let g = ws.schedule();
    let took = started.elapsed();
    eprintln!(
        "schedule grid of {} sessions (10,000 files), debug build: {took:?}",
        g.sessions.len()
    );
    assert!(g.sessions.len() >= 5_000);
    assert_eq!(g.rooms.len(), generator::ROOMS);
    assert_eq!(g.days.len(), generator::DAYS);
    assert!(g.sessions.iter().all(|c| c.place.is_some()));
    assert!(g.clashes.is_empty(), "{:?}", g.clashes.first());
    // Put one session on top of another: exactly one room clash, with both.
    let a = g.sessions[0].clone();
    let b = g.sessions[1].clone();
    let pb = b.place.clone().unwrap();
    ws.move_session(&a.id, schedule::slot(&pb.day, &pb.time).unwrap(), &pb.room)
        .unwrap();
    let g = ws.schedule();
    assert_eq!(g.clashes.len(), 1);
    let mut stems = g.clashes[0].stems.clone();
    stems.sort();
    let mut want = vec![a.stem.clone(), b.stem.clone()];
    want.sort();
    assert_eq!((g.clashes[0].kind, stems), (ClashKind::Room, want));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_twin_report_names_missing_twins_disagreements_and_the_twin_git_shows_changed_later() {
    let (_t, root) = site_with(&[
        (
            "db-1.md",
            "title: \"One\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"Main Hall\"\n",
        ),
        (
            "db-1.zh.md",
            "title: \"一\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"主厅\"\n",
        ),
        (
            "db-2.md",
            "title: \"Lonely\"\ndate: \"2030-05-01T11:00:00\"\nroom: \"Main Hall\"\n",
        ),
    ]);
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(
        &root,
        &["commit", "-q", "-m", "first", "--date=2030-01-01T00:00:00"],
    );
    let en = root.join("content/sessions/db-1.md");
    std::fs::write(
        &en,
        std::fs::read_to_string(&en)
            .unwrap()
            .replace("title: \"One\"", "title: \"One, revised\""),
    )
    .unwrap();
    git(&root, &["add", "-A"]);
    // Commit times are whole seconds: make the second commit clearly later.
    let out = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            "revise",
        ])
        .env("GIT_COMMITTER_DATE", "2030-02-01T00:00:00")
        .env("GIT_AUTHOR_DATE", "2030-02-01T00:00:00")
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut ws = Workspace::open(&root).unwrap();
    let r = ws.twin_report("content/sessions/db-1.zh.md").unwrap();
    assert_eq!(r.stem, "db-1");
    assert_eq!(
        r.twins.iter().map(|t| t.lang.as_str()).collect::<Vec<_>>(),
        ["en", "zh"]
    );
    assert!(r.missing.is_empty());
    assert_eq!(r.drift.len(), 1, "{:?}", r.drift);
    assert_eq!(
        r.drift[0].file, "content/sessions/db-1.zh.md",
        "the Chinese twin lags behind"
    );
    assert_eq!(r.drift[0].changed, "content/sessions/db-1.md");
    assert!(
        r.drift[0]
            .message
            .contains("content/sessions/db-1.md changed"),
        "{}",
        r.drift[0].message
    );
    let shared: Vec<&str> = r.shared.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(shared, ["date", "track", "stype", "room"]);
    assert!(r.disagreements.is_empty());
    // A room changed in one twin only (raw text edit, no sync) is a disagreement, found in memory.
    let zh = ws.document("content/sessions/db-1.zh.md").unwrap().clone();
    let edited = zh.set("room", "侧厅").unwrap();
    ws.set_text("content/sessions/db-1.zh.md", edited.text())
        .unwrap();
    let r = ws.twin_report("content/sessions/db-1.md").unwrap();
    assert_eq!(r.disagreements.len(), 1, "{:?}", r.disagreements);
    assert_eq!(r.disagreements[0].code, "twin-untranslated");
    let lonely = ws.twin_report("content/sessions/db-2.md").unwrap();
    assert_eq!(lonely.missing.len(), 1);
    assert_eq!(
        (
            lonely.missing[0].lang.as_str(),
            lonely.missing[0].expected.as_str()
        ),
        ("zh", "content/sessions/db-2.zh.md")
    );
    assert!(lonely.drift.is_empty());
}

#[test]
fn a_site_outside_git_gets_no_drift_and_no_error() {
    let (_t, root) = site_with(&[
        (
            "db-1.md",
            "title: \"One\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"Main Hall\"\n",
        ),
        (
            "db-1.zh.md",
            "title: \"一\"\ndate: \"2030-05-01T10:00:00\"\nroom: \"主厅\"\n",
        ),
    ]);
    let mut ws = Workspace::open(&root).unwrap();
    let r = ws.twin_report("content/sessions/db-1.md").unwrap();
    assert!(r.drift.is_empty() && r.missing.is_empty());
}

/// The grid on a Europe-shaped site (issue 11): sessions placed by the
/// profile's roles (`time_start`, `time_end`, `speakers` as a list, no
/// rooms.yaml), real end times, drafts placed but in no clash, and a move
/// that writes `time_start` and shifts `time_end` by the same amount, each
/// in the file's own style, touching no other line.
#[test]
fn the_grid_follows_the_profiles_roles_and_a_move_keeps_the_length() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&root, rel, text);
    write("config.toml", "title = \"Harbour 2031\"\n");
    write(
        "lectern.toml",
        "[sessions]\nfile_pattern = \"{slug}\"\n\n[roles]\nstart = \"time_start\"\nend = \"time_end\"\nspeakers = \"speakers\"\n\n[schedule]\nstart = \"2031-06-04\"\nend = \"2031-06-05\"\n",
    );
    let talk = |slug: &str, start: &str, end: &str, room: &str, who: &str, extra: &str| {
        write(
            &format!("content/sessions/2031/{slug}.md"),
            &format!("---\ntitle: \"{slug}\"\nspeakers:\n  - {who}\ntime_start: {start}\ntime_end: {end}\nroom: {room}\n{extra}---\nAbstract.\n"),
        );
    };
    talk(
        "long-one",
        "2031-06-04 10:00:00",
        "2031-06-04 11:30:00",
        "Atrium",
        "Ana Silva",
        "",
    );
    // Starts during long-one in the same room: a clash only because of the real end time.
    talk(
        "after-it",
        "2031-06-04 11:00:00",
        "2031-06-04 11:30:00",
        "Atrium",
        "Bo Chen",
        "",
    );
    // A draft in the same slot, with the same speaker: placed, no clash.
    talk(
        "maybe",
        "2031-06-04 10:00:00",
        "2031-06-04 10:30:00",
        "Atrium",
        "Ana Silva",
        "draft: true\n",
    );

    let g = grid_of(&root);
    let p = card(&g, "2031/long-one")
        .place
        .clone()
        .expect("placed by time_start");
    assert_eq!(
        (
            p.day.as_str(),
            p.time.as_str(),
            p.end.as_str(),
            p.room.as_str()
        ),
        ("2031-06-04", "10:00", "11:30", "Atrium")
    );
    assert_eq!(card(&g, "2031/long-one").presenters, ["Ana Silva"]);
    assert!(card(&g, "2031/maybe").place.is_some());
    assert_eq!(g.clashes.len(), 1, "{:#?}", g.clashes);
    assert_eq!(g.clashes[0].kind, ClashKind::Room);
    assert_eq!(g.clashes[0].stems, ["2031/long-one", "2031/after-it"]);

    let mut ws = Workspace::open(&root).unwrap();
    let id = "content/sessions/2031/after-it.md";
    let before = std::fs::read_to_string(root.join(id)).unwrap();
    ws.move_session(id, schedule::slot("2031-06-05", "09:15").unwrap(), "Loft")
        .unwrap();
    assert!(ws.schedule().clashes.is_empty());
    for (_, r) in ws.save_all() {
        r.unwrap();
    }
    let after = std::fs::read_to_string(root.join(id)).unwrap();
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(
        removed,
        [
            "time_start: 2031-06-04 11:00:00\n",
            "time_end: 2031-06-04 11:30:00\n",
            "room: Atrium\n"
        ]
    );
    assert_eq!(
        added,
        [
            "time_start: 2031-06-05 09:15:00\n",
            "time_end: 2031-06-05 09:45:00\n",
            "room: Loft\n"
        ]
    );
}
