//! Organizer tools: plans, apply and undo, twin sync, bulk set, track
//! rename, find/replace, withdraw, schedules (real XLSX and CSV files) and
//! Sessionize imports, on copies of the sample site and the mini fixture.

use crate::support::{changed_lines, copy_tree, repo_root};
use lectern::batch::{
    self, sessionize::Resolution, ColumnMapping, FileOp, ImportOptions, Query, Scope,
};
use lectern::document::Document;
use lectern::site::Site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn sample() -> (tempfile::TempDir, PathBuf) {
    copy_tree(&repo_root().join("assets/sample-site"))
}

fn mini() -> (tempfile::TempDir, PathBuf) {
    copy_tree(&repo_root().join("tests/fixtures/mini"))
}

fn lectern() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
}

/// Every file under `content/` with its bytes.
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

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn field(site: &Path, rel: &str, key: &str) -> Option<String> {
    Document::load(site.join(rel)).unwrap().get(key)
}

/// The files that differ between two snapshots (changed, added or removed).
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

// ---- twins ----

#[test]
fn sync_twins_copies_date_and_track_and_translates_room_and_stype() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    let path = site_dir.join("content/sessions/db-101.md");
    let before = Document::load(&path).unwrap();
    let after = before
        .set("date", "2030-05-02T11:00:00")
        .unwrap()
        .set("room", "Side Room")
        .unwrap()
        .set("stype", "Chinese Session")
        .unwrap()
        .set("title", "Faster Indexes")
        .unwrap()
        .set("track", "web")
        .unwrap();
    let plan = batch::sync_twins(&site, &before, &after).unwrap();
    assert_eq!(plan.ops.len(), 1, "{}", plan.summary());
    let FileOp::Change {
        path: twin,
        before: old,
        after: new,
    } = &plan.ops[0]
    else {
        panic!("{:?}", plan.ops)
    };
    assert_eq!(twin, Path::new("content/sessions/db-101.zh.md"));
    let (del, ins) = changed_lines(
        std::str::from_utf8(old).unwrap(),
        std::str::from_utf8(new).unwrap(),
    );
    assert_eq!(
        del,
        vec![
            "date: \"2030-05-01T10:00:00\"\n",
            "track: \"db\"\n",
            "stype: \"英文演讲\"\n",
            "room: \"主厅\"\n"
        ]
    );
    assert_eq!(
        ins,
        vec![
            "date: \"2030-05-02T11:00:00\"\n",
            "track: \"web\"\n",
            "stype: \"中文演讲\"\n",
            "room: \"侧厅\"\n"
        ]
    );
    // The title is each language's own and the edited file itself is not in the plan.
    batch::apply(&plan).unwrap();
    assert_eq!(
        field(&site_dir, "content/sessions/db-101.zh.md", "title").as_deref(),
        Some("快速索引")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before.bytes());
}

#[test]
fn sync_twins_notes_a_room_without_translation_and_leaves_that_field() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    let before = Document::load(site_dir.join("content/sessions/db-101.md")).unwrap();
    let after = before
        .set("room", "Rooftop")
        .unwrap()
        .set("date", "2030-05-01T12:00:00")
        .unwrap();
    let plan = batch::sync_twins(&site, &before, &after).unwrap();
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("Rooftop") && n.contains("zh")),
        "{:?}",
        plan.notes
    );
    let FileOp::Change { after: new, .. } = &plan.ops[0] else {
        panic!()
    };
    let new = String::from_utf8(new.clone()).unwrap();
    assert!(
        new.contains("room: \"主厅\"") && new.contains("date: \"2030-05-01T12:00:00\""),
        "{new}"
    );
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
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
fn twin_status_reports_missing_twins_and_drift_from_git_history() {
    let (_t, site_dir) = mini();
    std::fs::remove_file(site_dir.join("content/sessions/web-102.zh.md")).unwrap();
    // Without git: the missing twin, and no drift (and no failure).
    let site = Site::discover(&site_dir).unwrap();
    let st = batch::twin_status(&site);
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0].file, "content/sessions/web-102.md");
    assert!(
        matches!(&st[0].issue, batch::TwinIssue::Missing { lang, expected } if lang == "zh" && expected == "content/sessions/web-102.zh.md")
    );
    git(&site_dir, &["init", "-q"], "2030-01-01T12:00:00+00:00");
    git(&site_dir, &["add", "."], "2030-01-01T12:00:00+00:00");
    git(
        &site_dir,
        &["commit", "-qm", "start"],
        "2030-01-01T12:00:00+00:00",
    );
    let en = site_dir.join("content/sessions/db-101.md");
    std::fs::write(
        &en,
        read(&site_dir, "content/sessions/db-101.md").replace("Indexes, fast.", "Indexes, faster."),
    )
    .unwrap();
    git(
        &site_dir,
        &["commit", "-qam", "new abstract"],
        "2030-02-03T12:00:00+00:00",
    );
    let st = batch::twin_status(&site);
    let drift: Vec<&batch::TwinStatus> = st
        .iter()
        .filter(|s| matches!(s.issue, batch::TwinIssue::Drift { .. }))
        .collect();
    assert_eq!(drift.len(), 1, "{st:?}");
    assert_eq!(drift[0].file, "content/sessions/db-101.zh.md");
    assert_eq!(drift[0].message, "content/sessions/db-101.zh.md may be out of date: content/sessions/db-101.md changed on 2030-02-03 after it");
}

// ---- bulk set ----

#[test]
fn set_where_on_the_sample_site_changes_exactly_the_matching_files_lines() {
    let (_t, site) = sample();
    let before = snapshot(&site);
    let out = lectern()
        .args(["set", "--site"])
        .arg(&site)
        .args(["--where", "track=ai", "room=Hall B"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = snapshot(&site);
    let changed = differing(&before, &after);
    assert_eq!(
        changed,
        [
            "ai-1204512.md",
            "ai-1204512.zh.md",
            "ai-1204587.md",
            "ai-1204587.zh.md",
            "ai-1211034.md",
            "ai-1211034.zh.md"
        ]
        .map(|f| format!("content/sessions/{f}"))
    );
    for f in &changed {
        let (del, ins) = changed_lines(
            std::str::from_utf8(&before[f]).unwrap(),
            std::str::from_utf8(&after[f]).unwrap(),
        );
        assert_eq!(del.len(), 1, "{f}: {del:?}");
        assert!(del[0].starts_with("room: "), "{f}: {del:?}");
        let want = if f.ends_with(".zh.md") {
            "room: \"B 厅\""
        } else {
            "room: \"Hall B\""
        };
        assert!(ins[0].starts_with(want), "{f}: {ins:?}");
    }
    // The rewritten line drops the trailing space after the value, as the
    // maintainers' editors do (issue 12); the other lines keep theirs.
    assert!(read(&site, "content/sessions/ai-1204512.md").contains("room: \"Hall B\"\n"));
}

#[test]
fn set_where_dry_run_prints_the_diff_and_writes_nothing() {
    let (_t, site) = sample();
    let before = snapshot(&site);
    let out = lectern()
        .args(["set", "--dry-run", "--site"])
        .arg(&site)
        .args([
            "--where",
            "stype=Chinese Session",
            "--where",
            "track=bigdata",
            "speechLink=https://v.example/x",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // speechLink is each language's own: only the matching files get it.
    assert!(
        text.contains("+++ b/content/sessions/bigdata-1198876.md"),
        "{text}"
    );
    assert!(
        text.contains("+++ b/content/sessions/bigdata-1198876.zh.md"),
        "the zh file also says \"Chinese Session\": {text}"
    );
    assert!(
        text.contains("+++ b/content/sessions/bigdata-1209958.md"),
        "{text}"
    );
    assert!(!text.contains("bigdata-1209958.zh.md"), "{text}");
    assert!(!text.contains("bigdata-1203310"), "{text}");
    assert_eq!(snapshot(&site), before);
    assert!(!site.join(".lectern").exists());
}

#[test]
fn set_where_translates_a_value_given_in_the_other_language_and_unsets() {
    let (_t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let plan = batch::set_where(
        &site,
        &[("track".into(), "community".into())],
        &[
            ("room".into(), Some("301 室".into())),
            ("speechLink".into(), None),
        ],
    )
    .unwrap();
    batch::apply(&plan).unwrap();
    assert_eq!(
        field(&site_dir, "content/sessions/community-1207733.md", "room").as_deref(),
        Some("Room 301")
    );
    assert_eq!(
        field(
            &site_dir,
            "content/sessions/community-1207733.zh.md",
            "room"
        )
        .as_deref(),
        Some("301 室")
    );
    assert_eq!(
        field(
            &site_dir,
            "content/sessions/community-1207733.md",
            "speechLink"
        ),
        None
    );
    assert_eq!(
        field(&site_dir, "content/sessions/ai-1204512.md", "room").as_deref(),
        Some("Hall A")
    );
}

#[test]
fn the_file_form_of_set_still_works() {
    let (_t, site) = mini();
    let f = site.join("content/sessions/db-101.md");
    let st = lectern()
        .arg("set")
        .arg(&f)
        .arg("room=Side Room")
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(
        field(&site, "content/sessions/db-101.md", "room").as_deref(),
        Some("Side Room")
    );
    // …and does not touch the twin.
    assert_eq!(
        field(&site, "content/sessions/db-101.zh.md", "room").as_deref(),
        Some("主厅")
    );
}

// ---- apply, undo, journal ----

#[test]
fn apply_refuses_and_writes_nothing_when_a_file_changed_after_planning() {
    let (_t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let plan = batch::set_where(
        &site,
        &[("track".into(), "bigdata".into())],
        &[("room".into(), Some("Room 301".into()))],
    )
    .unwrap();
    assert_eq!(plan.ops.len(), 6);
    let edited = site_dir.join("content/sessions/bigdata-1203310.zh.md");
    let text = std::fs::read_to_string(&edited).unwrap() + "编辑中。\n";
    std::fs::write(&edited, &text).unwrap();
    let before = snapshot(&site_dir);
    let err = batch::apply(&plan).unwrap_err();
    match err {
        lectern::Error::Conflict { path } => assert!(
            path.ends_with("content/sessions/bigdata-1203310.zh.md"),
            "{path:?}"
        ),
        other => panic!("expected a conflict, got {other}"),
    }
    assert_eq!(snapshot(&site_dir), before);
    assert!(batch::journal::list(&site_dir).unwrap().is_empty());
}

#[test]
fn apply_refuses_to_create_over_an_existing_file() {
    let (_t, site_dir) = mini();
    let plan = batch::Plan {
        title: "t".into(),
        root: site_dir.clone(),
        ops: vec![FileOp::Create {
            path: "content/sessions/db-101.md".into(),
            after: b"x".to_vec(),
        }],
        ..Default::default()
    };
    assert!(matches!(
        batch::apply(&plan),
        Err(lectern::Error::Conflict { .. })
    ));
    assert!(read(&site_dir, "content/sessions/db-101.md").starts_with("---"));
}

#[test]
fn withdraw_then_undo_restores_every_byte() {
    let (_t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let before = snapshot(&site_dir);
    let plan = batch::withdraw(&site, "1201290").unwrap();
    assert_eq!(plan.ops.len(), 2, "{}", plan.summary());
    let applied = batch::apply(&plan).unwrap();
    assert!(!site_dir
        .join("content/sessions/observability-1201290.md")
        .exists());
    assert!(!site_dir
        .join("content/sessions/observability-1201290.zh.md")
        .exists());
    // The trash keeps plain copies a person can open.
    let journal = applied.journal.clone().unwrap();
    assert!(journal.starts_with(site_dir.join(".lectern/trash")));
    assert_eq!(
        std::fs::read(journal.join("files/content/sessions/observability-1201290.md")).unwrap(),
        before["content/sessions/observability-1201290.md"]
    );
    applied.undo().unwrap();
    assert_eq!(
        snapshot(&site_dir),
        before,
        "CRLF files come back byte for byte"
    );
    assert!(batch::journal::list(&site_dir).unwrap()[0].restored);
}

#[test]
fn withdraw_is_restorable_in_a_later_run_from_the_journal() {
    let (_t, site) = sample();
    let before = snapshot(&site);
    let out = lectern()
        .arg("withdraw")
        .arg(&site)
        .arg("ai-1211034")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.join("content/sessions/ai-1211034.zh.md").exists());
    let list = lectern().arg("restore").arg(&site).output().unwrap();
    let listing = String::from_utf8(list.stdout).unwrap();
    assert!(
        listing.contains("Withdraw session ai-1211034")
            && listing.contains("deleted content/sessions/ai-1211034.zh.md"),
        "{listing}"
    );
    let id = listing.split_whitespace().next().unwrap().to_string();
    let out = lectern()
        .arg("restore")
        .arg(&site)
        .arg(&id)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(snapshot(&site), before);
    // A second restore is refused.
    let out = lectern()
        .arg("restore")
        .arg(&site)
        .arg(&id)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn undo_refuses_when_a_file_was_edited_after_apply() {
    let (_t, site_dir) = mini();
    let site = Site::discover(&site_dir).unwrap();
    let plan = batch::set_where(
        &site,
        &[("track".into(), "db".into())],
        &[("room".into(), Some("Side Room".into()))],
    )
    .unwrap();
    let applied = batch::apply(&plan).unwrap();
    let f = site_dir.join("content/sessions/db-101.zh.md");
    std::fs::write(
        &f,
        read(&site_dir, "content/sessions/db-101.zh.md") + "more\n",
    )
    .unwrap();
    let snap = snapshot(&site_dir);
    assert!(matches!(
        applied.undo(),
        Err(lectern::Error::Conflict { .. })
    ));
    assert_eq!(snapshot(&site_dir), snap);
}

// ---- rename ----

#[test]
fn rename_track_moves_files_and_updates_track() {
    let (_t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let before = snapshot(&site_dir);
    let plan = batch::rename_track(&site, "bigdata", "data").unwrap();
    let applied = batch::apply(&plan).unwrap();
    for id in ["1198876", "1203310", "1209958"] {
        for suffix in ["", ".zh"] {
            let old = format!("content/sessions/bigdata-{id}{suffix}.md");
            let new = format!("content/sessions/data-{id}{suffix}.md");
            assert!(!site_dir.join(&old).exists(), "{old}");
            let (del, ins) = changed_lines(
                std::str::from_utf8(&before[&old]).unwrap(),
                &read(&site_dir, &new),
            );
            assert_eq!(
                (del, ins),
                (
                    vec!["track: \"bigdata\"\n".to_string()],
                    vec!["track: \"data\"\n".to_string()]
                ),
                "{new}"
            );
        }
    }
    assert_eq!(
        std::fs::read(site_dir.join("content/tracks/data.zh.md")).unwrap(),
        before["content/tracks/bigdata.zh.md"]
    );
    assert!(!site_dir.join("content/tracks/bigdata.md").exists());
    // The BOM of bigdata-1203310.md moved with it.
    assert!(read(&site_dir, "content/sessions/data-1203310.md").starts_with('\u{feff}'));
    let report = lectern::validate::check_site(&Site::discover(&site_dir).unwrap());
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code == "unknown-track" && d.file.to_string_lossy().contains("data-")),
        "{:?}",
        report.diagnostics
    );
    applied.undo().unwrap();
    assert_eq!(snapshot(&site_dir), before);
}

#[test]
fn rename_track_keeps_a_typo_in_the_field_but_moves_the_file() {
    let (_t, site) = sample();
    let out = lectern()
        .args(["rename-track"])
        .arg(&site)
        .args(["observability", "obs"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // observability-1205567 says `track: "observabilty"`: the name moves, the field is not this track's.
    assert_eq!(
        field(&site, "content/sessions/obs-1205567.md", "track").as_deref(),
        Some("observabilty")
    );
    assert_eq!(
        field(&site, "content/sessions/obs-1201290.md", "track").as_deref(),
        Some("obs")
    );
    assert!(read(&site, "content/sessions/obs-1201290.md").contains("\r\ntrack: \"obs\"\r\n"));
    let out = lectern()
        .args(["rename-track"])
        .arg(&site)
        .args(["obs", "ai"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "renaming onto an existing track page is refused"
    );
}

// ---- find and replace ----

#[test]
fn replace_changes_only_the_included_matches() {
    let (_t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let q = Query {
        pattern: "Hall B".into(),
        scope: Scope::Fields,
        ..Default::default()
    };
    let matches = batch::find(&site, &q).unwrap();
    let files: Vec<&str> = matches.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "bigdata-1198876.md",
            "bigdata-1203310.md",
            "bigdata-1209958.md",
            "community-1207733.md"
        ]
        .map(|f| format!("content/sessions/{f}"))
    );
    let m = &matches[1];
    assert_eq!(
        (m.line, m.column, m.field.as_deref(), m.matched.as_str()),
        (7, 8, Some("room"), "Hall B")
    );
    let keep: Vec<batch::MatchId> = matches
        .iter()
        .filter(|m| !m.file.contains("1203310"))
        .map(|m| m.id.clone())
        .collect();
    let before = snapshot(&site_dir);
    let plan = batch::replace(&site, &q, &keep, "Room 301").unwrap();
    batch::apply(&plan).unwrap();
    let after = snapshot(&site_dir);
    assert_eq!(differing(&before, &after).len(), 3);
    assert_eq!(
        field(&site_dir, "content/sessions/bigdata-1203310.md", "room").as_deref(),
        Some("Hall B")
    );
    assert_eq!(
        field(&site_dir, "content/sessions/community-1207733.md", "room").as_deref(),
        Some("Room 301")
    );
}

#[test]
fn regex_replace_in_bodies_uses_captures_and_keeps_line_endings() {
    let (_t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let q = Query {
        pattern: r"(\d+)-bit".into(),
        regex: true,
        scope: Scope::Body,
        ..Default::default()
    };
    let matches = batch::find(&site, &q).unwrap();
    assert!(matches.len() >= 2, "{matches:?}");
    assert!(matches.iter().all(|m| m.field.is_none()));
    let first = &matches[0];
    assert_eq!(first.file, "content/sessions/ai-1204512.md");
    assert!(
        first.before_context.ends_with("quantisation from "),
        "{first:?}"
    );
    let plan = batch::replace(&site, &q, std::slice::from_ref(&first.id), "$1 bit").unwrap();
    assert_eq!(plan.ops.len(), 1);
    batch::apply(&plan).unwrap();
    let text = read(&site_dir, "content/sessions/ai-1204512.md");
    assert!(
        text.contains("quantisation from 16 bit down to 4-bit"),
        "only the chosen match changes"
    );
}

#[test]
fn replace_in_a_title_keeps_yaml_quoting_right() {
    let (_t, site) = mini();
    let out = lectern()
        .arg("replace")
        .arg(&site)
        .args(["Fast", "\"Fast\": #1", "--scope", "fields"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        field(&site, "content/sessions/db-101.md", "title").as_deref(),
        Some("\"Fast\": #1 Indexes")
    );
}

// ---- schedule ----

fn write_schedule_xlsx(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    // Another column order than Sessionize's, with an extra column.
    for (c, h) in ["room", "Title", "SCHEDULED AT", "session_id"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, room: &str, id: &str| {
        ws.write_string(r, 0, room).unwrap();
        ws.write_string(r, 1, "a talk").unwrap();
        match id.parse::<f64>() {
            Ok(n) if r % 2 == 1 => ws.write_number(r, 3, n).unwrap(),
            _ => ws.write_string(r, 3, id).unwrap(),
        };
    };
    // Row 2: a real date cell.
    row(ws, 1, "Hall B", "1204512");
    ws.write_datetime_with_format(
        1,
        2,
        ExcelDateTime::from_ymd(2026, 7, 30)
            .unwrap()
            .and_hms(11, 30, 0)
            .unwrap(),
        &fmt,
    )
    .unwrap();
    // Row 3: a bare Excel serial number, room given in Chinese.
    row(ws, 2, "301 室", "1207733");
    ws.write_number(2, 2, 46232.0 + 15.5 / 24.0).unwrap();
    // Row 4: a US text date.
    row(ws, 3, "Hall A", "1198876");
    ws.write_string(3, 2, "7/30/2026 2:00 PM").unwrap();
    // Row 5: an unknown room.
    row(ws, 4, "Hall Z", "1203310");
    ws.write_string(4, 2, "2026-07-30 09:30").unwrap();
    // Row 6: an id that is not on the site.
    row(ws, 5, "Hall A", "9999999");
    ws.write_string(5, 2, "2026-07-30 09:30").unwrap();
    // Row 7: repeats row 2 (one row per speaker).
    row(ws, 6, "B 厅", "1204512");
    ws.write_datetime_with_format(
        6,
        2,
        ExcelDateTime::from_ymd(2026, 7, 30)
            .unwrap()
            .and_hms(11, 30, 0)
            .unwrap(),
        &fmt,
    )
    .unwrap();
    // Rows 8 and 9 disagree about one session.
    row(ws, 7, "Hall B", "1209958");
    ws.write_string(7, 2, "29 Jul 2026 13:30").unwrap();
    row(ws, 8, "Hall B", "1209958");
    ws.write_string(8, 2, "29 Jul 2026 14:10").unwrap();
    // Row 10: an unparseable date.
    row(ws, 9, "Hall A", "1204587");
    ws.write_string(9, 2, "soon").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn schedule_from_xlsx_reads_date_cells_serials_and_text_and_reports_bad_rows() {
    let (t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let xlsx = t.path().join("schedule.xlsx");
    write_schedule_xlsx(&xlsx);
    let before = snapshot(&site_dir);
    let mapping = ColumnMapping::default();
    let (plan, report) = batch::apply_schedule(&site, &xlsx, &mapping).unwrap();
    assert_eq!(report.rows, 9);
    assert_eq!(
        report.scheduled,
        ["ai-1204512", "bigdata-1198876", "community-1207733"]
    );
    let rows = |v: &[batch::RowIssue]| v.iter().map(|i| i.row).collect::<Vec<_>>();
    assert_eq!(rows(&report.unmatched_rows), [6]);
    assert_eq!(rows(&report.duplicates), [7]);
    let mut errs = rows(&report.errors);
    errs.sort();
    assert_eq!(errs, [5, 8, 9, 10]);
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.row == 5 && e.message.contains("unknown room \"Hall Z\"")),
        "{:?}",
        report.errors
    );
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.row == 10 && e.message.contains("soon")),
        "{:?}",
        report.errors
    );
    assert!(report
        .unscheduled_sessions
        .contains(&"observability-1201290".to_string()));
    assert!(
        !report
            .unscheduled_sessions
            .contains(&"bigdata-1203310".to_string()),
        "a row mentioned it"
    );
    batch::apply(&plan).unwrap();
    let after = snapshot(&site_dir);
    let changed = differing(&before, &after);
    assert_eq!(
        changed,
        [
            "ai-1204512.md",
            "ai-1204512.zh.md",
            "bigdata-1198876.md",
            "bigdata-1198876.zh.md",
            "community-1207733.md",
            "community-1207733.zh.md"
        ]
        .map(|f| format!("content/sessions/{f}"))
    );
    let expect = [
        ("ai-1204512", "2026-07-30T11:30:00", "Hall B", "B 厅"),
        (
            "community-1207733",
            "2026-07-29T15:30:00",
            "Room 301",
            "301 室",
        ),
        ("bigdata-1198876", "2026-07-30T14:00:00", "Hall A", "A 厅"),
    ];
    for (stem, date, en, zh) in expect {
        for (suffix, room) in [("", en), (".zh", zh)] {
            let rel = format!("content/sessions/{stem}{suffix}.md");
            assert_eq!(
                field(&site_dir, &rel, "date").as_deref(),
                Some(date),
                "{rel}"
            );
            assert_eq!(
                field(&site_dir, &rel, "room").as_deref(),
                Some(room),
                "{rel}"
            );
            let (del, _) = changed_lines(
                std::str::from_utf8(&before[&rel]).unwrap(),
                &read(&site_dir, &rel),
            );
            assert!(
                del.iter()
                    .all(|l| l.starts_with("date:") || l.starts_with("room:")),
                "{rel}: {del:?}"
            );
        }
    }
}

#[test]
fn schedule_from_a_csv_with_a_bom_keeps_crlf_and_takes_rooms_in_any_language() {
    let (t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let csv = t.path().join("schedule.csv");
    std::fs::write(&csv, "\u{feff}Session Id,Scheduled At,Room\r\n1204587,29 Jul 2026 14:00,B 厅\r\n1201290,\"2026-07-30T09:30:00\",Hall A\r\n").unwrap();
    let (plan, report) = batch::apply_schedule(&site, &csv, &ColumnMapping::default()).unwrap();
    assert!(report.all_applied(), "{report:?}");
    batch::apply(&plan).unwrap();
    assert_eq!(
        field(&site_dir, "content/sessions/ai-1204587.md", "room").as_deref(),
        Some("Hall B")
    );
    assert_eq!(
        field(&site_dir, "content/sessions/ai-1204587.zh.md", "room").as_deref(),
        Some("B 厅")
    );
    assert_eq!(
        field(&site_dir, "content/sessions/ai-1204587.zh.md", "date").as_deref(),
        Some("2026-07-29T14:00:00")
    );
    let crlf = read(&site_dir, "content/sessions/observability-1201290.md");
    assert!(
        crlf.contains("date: \"2026-07-30T09:30:00\"\r\n") && crlf.contains("room: \"Hall A\"\r\n"),
        "{crlf}"
    );
    assert!(
        !crlf.replace("\r\n", "").contains('\n'),
        "every line still ends in CRLF"
    );
}

#[test]
fn schedule_cli_exits_1_when_some_rows_could_not_be_applied() {
    let (t, site) = sample();
    let csv = t.path().join("s.csv");
    std::fs::write(&csv, "Session Id;Scheduled At;Room\n1204587;2026-07-29 14:00;Hall Q\n1211034;2026-07-29 14:00;Hall B\n").unwrap();
    let out = lectern()
        .args(["schedule", "apply"])
        .arg(&site)
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("row 2: error: unknown room \"Hall Q\""),
        "{err}"
    );
    assert_eq!(
        field(&site, "content/sessions/ai-1211034.md", "room").as_deref(),
        Some("Hall B"),
        "the good row is applied"
    );
    assert_eq!(
        field(&site, "content/sessions/ai-1204587.md", "room").as_deref(),
        Some("Hall A")
    );
    let bad = t.path().join("b.csv");
    std::fs::write(&bad, "Title\nx\n").unwrap();
    let out = lectern()
        .args(["schedule", "apply"])
        .arg(&site)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no sheet has a \"Session Id\" column"));
}

// ---- Sessionize ----

fn sessionize_json(title: &str, description: &str) -> String {
    serde_json::json!({
        "sessions": [
            {
                "id": "777001", "title": title, "description": description,
                "startsAt": "2026-07-30T10:10:00", "endsAt": "2026-07-30T10:50:00",
                "isServiceSession": false, "status": "Accepted",
                "speakers": ["sp-1", "sp-2"], "roomId": 11,
                "categories": [
                    {"id": 1, "name": "Track", "categoryItems": [{"id": 101, "name": "AI & Machine Learning"}]},
                    {"id": 2, "name": "Session Language", "categoryItems": [{"id": 201, "name": "Chinese"}]}
                ]
            },
            {"id": "777002", "title": "Lunch", "isServiceSession": true, "speakers": [], "categoryItems": []},
            {"id": "777003", "title": "Not this one", "status": "Declined", "speakers": ["sp-3"], "categoryItems": [102]},
            {
                "id": "777004", "title": "Lakehouse Tables at Scale", "description": "Tables.",
                "startsAt": null, "speakers": ["sp-3"], "roomId": 12, "categoryItems": [102, 202]
            },
            {"id": "777005", "title": "Mystery", "description": "?", "speakers": [], "categoryItems": [103]}
        ],
        "speakers": [
            {"id": "sp-1", "fullName": "Mei Lin (mei@example.org)", "tagLine": "Engineer, Acme", "bio": "Mei builds search systems.\r\nShe likes tea.", "profilePicture": "https://sessionize.example/image/mei.jpg"},
            {"id": "sp-2", "fullName": "Tom Berg <tom@example.org>", "tagLine": "Researcher", "bio": "", "profilePicture": "https://sessionize.example/image/tom.jpg"},
            {"id": "sp-3", "firstName": "Ana", "lastName": "Silva", "fullName": "", "tagLine": "Data lead", "bio": "Ana runs the lake.", "profilePicture": null}
        ],
        "rooms": [{"id": 11, "name": "Hall A"}, {"id": 12, "name": "B 厅"}],
        "categories": [
            {"id": 1, "title": "Track", "items": [{"id": 101, "name": "AI & Machine Learning"}, {"id": 102, "name": "Big Data & Lakehouse"}, {"id": 103, "name": "Quantum Knitting"}]},
            {"id": 2, "title": "Session Language", "items": [{"id": 201, "name": "Chinese"}, {"id": 202, "name": "English"}]}
        ]
    })
    .to_string()
}

#[test]
fn sessionize_json_import_creates_sessions_with_twins_and_speakers() {
    let (t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let json = t.path().join("sessionize.json");
    std::fs::write(
        &json,
        sessionize_json(
            "Vector Search in Practice",
            "How we built vector search.\r\n\r\nWhat broke.",
        ),
    )
    .unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert_eq!(report.created, ["ai-777001", "bigdata-777004"]);
    assert_eq!(report.skipped.len(), 2, "{:?}", report.skipped);
    assert_eq!(report.errors.len(), 1);
    assert!(
        report.errors[0].reason.contains("Quantum Knitting")
            && report.errors[0].reason.contains("[tracks]"),
        "{:?}",
        report.errors
    );
    assert!(plan
        .diff()
        .contains("+++ b/content/sessions/ai-777001.zh.md"));
    assert!(
        !plan.diff().contains(".lectern"),
        "bookkeeping stays out of the diff"
    );
    batch::apply(&plan).unwrap();
    let en = Document::load(site_dir.join("content/sessions/ai-777001.md")).unwrap();
    let zh = Document::load(site_dir.join("content/sessions/ai-777001.zh.md")).unwrap();
    assert_eq!(
        en.get("title").as_deref(),
        Some("Vector Search in Practice")
    );
    assert_eq!(en.get("presenters").as_deref(), Some("Mei Lin, Tom Berg"));
    assert_eq!(en.get("track").as_deref(), Some("ai"));
    assert_eq!(en.get("date").as_deref(), Some("2026-07-30T10:10:00"));
    assert_eq!(
        (en.get("stype").as_deref(), zh.get("stype").as_deref()),
        (Some("Chinese Session"), Some("中文演讲"))
    );
    assert_eq!(
        (en.get("room").as_deref(), zh.get("room").as_deref()),
        (Some("Hall A"), Some("A 厅"))
    );
    assert!(
        en.body()
            .starts_with("How we built vector search.\n\nWhat broke."),
        "{}",
        en.body()
    );
    assert!(
        !en.text().contains("example.org"),
        "no e-mail addresses: {}",
        en.text()
    );
    let sp = en.speakers().unwrap();
    assert_eq!(sp.heading, "Speakers");
    assert_eq!(sp.speakers.len(), 2);
    assert_eq!(
        sp.speakers[0].photo.as_deref(),
        Some("https://sessionize.example/image/mei.jpg")
    );
    assert_eq!(
        (
            sp.speakers[0].name.as_str(),
            sp.speakers[0].headline.as_str()
        ),
        ("Mei Lin", "Engineer, Acme")
    );
    assert_eq!(
        sp.speakers[0].bio,
        "Mei builds search systems.\nShe likes tea."
    );
    assert_eq!(zh.speakers().unwrap().heading, "讲师");
    let lake = Document::load(site_dir.join("content/sessions/bigdata-777004.md")).unwrap();
    assert_eq!(
        (
            lake.get("room").as_deref(),
            lake.get("stype").as_deref(),
            lake.get("presenters").as_deref()
        ),
        (Some("Hall B"), Some("English Session"), Some("Ana Silva"))
    );
    assert!(site_dir.join(".lectern/import/777001.json").is_file());
    // The generated files pass the checker (777004 is not scheduled yet, so only its date is flagged).
    let site = Site::discover(&site_dir).unwrap();
    let report = lectern::validate::check_site(&site);
    let new_errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == lectern::Severity::Error && d.file.to_string_lossy().contains("777")
        })
        .collect();
    assert!(
        new_errors
            .iter()
            .all(|d| d.file.to_string_lossy().contains("777004")
                && d.field.as_deref() == Some("date")),
        "{new_errors:#?}"
    );
}

#[test]
fn reimport_updates_a_changed_title_but_reports_a_body_conflict_for_a_hand_edited_body() {
    let (t, site_dir) = sample();
    let site = Site::discover(&site_dir).unwrap();
    let json = t.path().join("sessionize.json");
    std::fs::write(
        &json,
        sessionize_json("Vector Search in Practice", "How we built vector search."),
    )
    .unwrap();
    let (plan, _) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    batch::apply(&plan).unwrap();
    // Nothing changed upstream: importing again is a no-op.
    let site = Site::discover(&site_dir).unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert!(plan.is_empty(), "{}", plan.summary());
    assert_eq!(report.unchanged.len(), 2);
    // A volunteer edits the English abstract by hand; Sessionize changes the title and the abstract.
    let en_path = site_dir.join("content/sessions/ai-777001.md");
    let en = Document::load(&en_path).unwrap();
    let hand = en.body().replace(
        "How we built vector search.",
        "How we built vector search (fixed typo).",
    );
    en.set_body(&hand).save().unwrap();
    std::fs::write(
        &json,
        sessionize_json(
            "Vector Search in Production",
            "How we built and ran vector search.",
        ),
    )
    .unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert_eq!(report.updated, ["ai-777001"]);
    assert_eq!(plan.conflicts.len(), 1, "{:?}", plan.conflicts);
    let c = &plan.conflicts[0];
    assert_eq!(
        (c.path.as_str(), c.field.as_deref()),
        ("content/sessions/ai-777001.md", None)
    );
    assert!(c
        .base
        .as_deref()
        .unwrap()
        .starts_with("How we built vector search.\n"));
    assert!(c
        .ours
        .starts_with("How we built vector search (fixed typo)."));
    assert!(c.theirs.starts_with("How we built and ran vector search."));
    batch::apply(&plan).unwrap();
    let en = Document::load(&en_path).unwrap();
    assert_eq!(
        en.get("title").as_deref(),
        Some("Vector Search in Production")
    );
    assert!(
        en.body()
            .starts_with("How we built vector search (fixed typo)."),
        "hand edit kept"
    );
    // The untouched twin follows upstream, title and body.
    let zh = Document::load(site_dir.join("content/sessions/ai-777001.zh.md")).unwrap();
    assert_eq!(
        zh.get("title").as_deref(),
        Some("Vector Search in Production")
    );
    assert!(zh.body().starts_with("How we built and ran vector search."));
    // The conflict is shown again until it is settled…
    let (plan, _) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert_eq!(plan.conflicts.len(), 1);
    // …and taking theirs settles it.
    let (plan, _) = batch::import_sessionize(
        &site,
        &json,
        &ImportOptions {
            resolution: Resolution::TakeTheirs,
        },
    )
    .unwrap();
    assert!(plan.conflicts.is_empty());
    batch::apply(&plan).unwrap();
    assert!(Document::load(&en_path)
        .unwrap()
        .body()
        .starts_with("How we built and ran vector search."));
    let (plan, _) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert!(
        plan.is_empty() && plan.conflicts.is_empty(),
        "{}",
        plan.summary()
    );
}

#[test]
fn sessionize_spreadsheet_import_reads_status_owner_and_language_columns() {
    let (t, site_dir) = mini();
    std::fs::write(
        site_dir.join("lectern.toml"),
        format!(
            "{}\n[tracks]\n\"Databases & Storage\" = \"db\"\n",
            read(&site_dir, "lectern.toml")
        ),
    )
    .unwrap();
    let csv = t.path().join("sessions.csv");
    let mut w = String::from("\u{feff}Title,Session Id,Description,Owner,Status,Track,Session Language,Room,Scheduled At\n");
    w.push_str("Row Stores,555,\"Rows, then columns.\nTwo lines.\",Kim Lee (kim@example.org),Accepted,Databases & Storage,中文,侧厅,5/2/2030 9:00 AM\n");
    w.push_str("Rejected Thing,556,x,Bo (bo@example.org),Declined,Databases & Storage,English,,\n");
    std::fs::write(&csv, w).unwrap();
    let out = lectern()
        .args(["import", "sessionize"])
        .arg(&site_dir)
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let en = Document::load(site_dir.join("content/sessions/db-555.md")).unwrap();
    assert_eq!(en.get("presenters").as_deref(), Some("Kim Lee"));
    assert_eq!(en.get("stype").as_deref(), Some("Chinese Session"));
    assert_eq!(en.get("room").as_deref(), Some("Side Room"));
    assert_eq!(en.get("date").as_deref(), Some("2030-05-02T09:00:00"));
    assert!(en.body().starts_with("Rows, then columns.\nTwo lines."));
    assert_eq!(
        Document::load(site_dir.join("content/sessions/db-555.zh.md"))
            .unwrap()
            .get("room")
            .as_deref(),
        Some("侧厅")
    );
    assert!(!site_dir.join("content/sessions/db-556.md").exists());
}

#[test]
fn sessionize_xlsx_import_takes_speakers_from_the_speakers_sheet() {
    use rust_xlsxwriter::Workbook;
    let (t, site_dir) = sample();
    let xlsx = t.path().join("sessions.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Accepted sessions").unwrap();
    let head = [
        "Session Id",
        "Title",
        "Description",
        "Owner",
        "Speakers",
        "Track",
        "Status",
        "Speaker Ids",
        "Language",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let row = [
        "888001",
        "Tracing Without Tears",
        "Spans, simply.",
        "Ola Nord (ola@example.org)",
        "Ola Nord, Wu Fang",
        "Observability",
        "Accepted",
        "s-1, s-2",
        "English",
    ];
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_number(2, 0, 888002.0).unwrap();
    ws.write_string(2, 1, "Still Waiting").unwrap();
    ws.write_string(2, 5, "Observability").unwrap();
    ws.write_string(2, 6, "Nominated").unwrap();
    let sp = wb.add_worksheet();
    sp.set_name("Accepted speakers").unwrap();
    for (c, h) in [
        "Speaker Id",
        "FirstName",
        "LastName",
        "TagLine",
        "Bio",
        "Profile Picture",
    ]
    .iter()
    .enumerate()
    {
        sp.write_string(0, c as u16, *h).unwrap();
    }
    for (r, v) in [
        [
            "s-1",
            "Ola",
            "Nord",
            "SRE, Fjord",
            "Ola keeps pagers quiet.",
            "https://sessionize.example/ola.jpg",
        ],
        [
            "s-2",
            "Fang",
            "Wu",
            "Engineer",
            "",
            "https://sessionize.example/fang.jpg",
        ],
    ]
    .iter()
    .enumerate()
    {
        for (c, x) in v.iter().enumerate() {
            sp.write_string(r as u32 + 1, c as u16, *x).unwrap();
        }
    }
    wb.save(&xlsx).unwrap();
    let site = Site::discover(&site_dir).unwrap();
    let (plan, report) = batch::import_sessionize(&site, &xlsx, &ImportOptions::default()).unwrap();
    assert_eq!(report.created, ["observability-888001"]);
    assert_eq!(report.skipped.len(), 1);
    batch::apply(&plan).unwrap();
    let doc = Document::load(site_dir.join("content/sessions/observability-888001.md")).unwrap();
    assert_eq!(doc.get("presenters").as_deref(), Some("Ola Nord, Fang Wu"));
    assert_eq!(doc.get("stype").as_deref(), Some("English Session"));
    let s = doc.speakers().unwrap().speakers;
    assert_eq!(
        (
            s[0].photo.as_deref(),
            s[0].headline.as_str(),
            s[0].bio.as_str()
        ),
        (
            Some("https://sessionize.example/ola.jpg"),
            "SRE, Fjord",
            "Ola keeps pagers quiet."
        )
    );
    assert_eq!(
        (
            s[1].name.as_str(),
            s[1].headline.as_str(),
            s[1].bio.as_str()
        ),
        ("Fang Wu", "Engineer", "")
    );
}

#[test]
fn import_cli_exits_1_on_a_conflict_and_keep_ours_settles_it() {
    let (t, site) = sample();
    let json = t.path().join("s.json");
    std::fs::write(
        &json,
        sessionize_json("Vector Search in Practice", "Old abstract."),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        lectern()
            .args(["import", "sessionize"])
            .arg(&site)
            .arg(&json)
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(
        run(&[]).status.code(),
        Some(1),
        "777005 has an unknown track"
    );
    let en = site.join("content/sessions/ai-777001.md");
    std::fs::write(
        &en,
        read(&site, "content/sessions/ai-777001.md")
            .replace("Old abstract.", "Old abstract, edited."),
    )
    .unwrap();
    std::fs::write(
        &json,
        sessionize_json("Vector Search in Practice", "New abstract."),
    )
    .unwrap();
    let out = run(&["--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("conflict content/sessions/ai-777001.md body"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(&["--keep-ours"]);
    assert!(read(&site, "content/sessions/ai-777001.md").contains("Old abstract, edited."));
    assert!(read(&site, "content/sessions/ai-777001.zh.md").contains("New abstract."));
    let out = run(&["--dry-run"]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("conflict"),
        "settled: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `schedule apply` on a Europe-shaped site (issue 11): rows name sessions
/// by slug, and the sheet's time goes into the profile's start field
/// (`time_start`), with `time_end` shifted to keep the length, each in the
/// file's own style; no other line changes.
#[test]
fn schedule_apply_writes_through_the_profiles_roles() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site, rel, text);
    write("config.toml", "title = \"Harbour 2031\"\n");
    write(
        "lectern.toml",
        "[sessions]\nfile_pattern = \"{slug}\"\n\n[roles]\nstart = \"time_start\"\nend = \"time_end\"\nspeakers = \"speakers\"\n",
    );
    let rel = "content/sessions/2031/lakes-without-swamps.md";
    let before = "---\ntitle: \"Lakes without swamps\"\nspeakers:\n  - Bo Chen\ntime_start: 2031-06-04 10:50:00\ntime_end: 2031-06-04 11:20:00\nroom: Atrium\n---\nAbstract.\n";
    write(rel, before);
    let csv = t.path().join("s.csv");
    std::fs::write(
        &csv,
        "Session Id;Scheduled At;Room\nlakes-without-swamps;2031-06-05 14:00;Loft\n",
    )
    .unwrap();
    let out = lectern()
        .args(["schedule", "apply"])
        .arg(&site)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(site.join(rel)).unwrap();
    assert_eq!(
        after,
        before
            .replace(
                "time_start: 2031-06-04 10:50:00",
                "time_start: 2031-06-05 14:00:00"
            )
            .replace(
                "time_end: 2031-06-04 11:20:00",
                "time_end: 2031-06-05 14:30:00"
            )
            .replace("room: Atrium", "room: Loft")
    );
}

/// A Sessionize import into a Europe-shaped site (issue 11): the session is
/// written through the profile's roles (`time_start`, `time_end`, a
/// `speakers` list of names for the speaker pages), with no inline speakers
/// section; re-importing a changed time updates both fields in place.
#[test]
fn sessionize_import_writes_through_the_profiles_roles() {
    let t = tempfile::tempdir().unwrap();
    let site_dir = t.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site_dir, rel, text);
    write("config.toml", "title = \"Harbour 2031\"\n");
    write(
        "lectern.toml",
        "[sessions]\nfile_pattern = \"{slug}\"\n\n[roles]\nstart = \"time_start\"\nend = \"time_end\"\nspeakers = \"speakers\"\n\n[speakers]\npages = \"content/speakers\"\n\n[tracks]\n\"AI & Machine Learning\" = \"AI\"\n\"Big Data & Lakehouse\" = \"Data\"\n",
    );
    write(
        "content/sessions/2031/existing-talk.md",
        "---\ntitle: \"Existing\"\nspeakers:\n  - Ana Silva\ntime_start: 2031-06-04 10:00:00\ntime_end: 2031-06-04 10:30:00\ntrack: Data\n---\nAbstract.\n",
    );
    let json = t.path().join("sessionize.json");
    std::fs::write(
        &json,
        sessionize_json("Vector Search in Practice", "How we built it."),
    )
    .unwrap();
    let site = Site::discover(&site_dir).unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert!(
        report.created.iter().any(|c| c.contains("777001")),
        "{report:?}"
    );
    let created = plan
        .ops
        .iter()
        .find_map(|op| match op {
            batch::FileOp::Create { path, after } if path.to_string_lossy().contains("777001") => {
                Some(String::from_utf8(after.clone()).unwrap())
            }
            _ => None,
        })
        .expect("a new session file");
    let doc = Document::from_text("x.md", created.clone());
    assert_eq!(
        doc.get("title").as_deref(),
        Some("Vector Search in Practice")
    );
    assert_eq!(
        doc.get("time_start").as_deref(),
        Some("2026-07-30T10:10:00")
    );
    assert_eq!(doc.get("time_end").as_deref(), Some("2026-07-30T10:50:00"));
    assert_eq!(
        doc.list("speakers"),
        Some(vec!["Mei Lin".to_string(), "Tom Berg".to_string()])
    );
    assert!(
        doc.get("date").is_none() && doc.get("presenters").is_none(),
        "{created}"
    );
    assert!(!created.contains("### Speakers"), "{created}");

    // Applied, then imported again with a later slot: only the two time
    // lines of that session change.
    batch::apply(&plan).unwrap();
    let path = report
        .created
        .iter()
        .find(|c| c.contains("777001"))
        .map(|stem| site_dir.join(format!("content/sessions/{stem}.md")))
        .unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let moved = sessionize_json("Vector Search in Practice", "How we built it.")
        .replace("2026-07-30T10:10:00", "2026-07-30T15:00:00")
        .replace("2026-07-30T10:50:00", "2026-07-30T15:40:00");
    std::fs::write(&json, moved).unwrap();
    let site = Site::discover(&site_dir).unwrap();
    let (plan, _) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    batch::apply(&plan).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(
        (removed, added),
        (
            vec![
                "time_start: \"2026-07-30T10:10:00\"\n".to_string(),
                "time_end: \"2026-07-30T10:50:00\"\n".to_string()
            ],
            vec![
                "time_start: \"2026-07-30T15:00:00\"\n".to_string(),
                "time_end: \"2026-07-30T15:40:00\"\n".to_string()
            ]
        )
    );
}

/// A Sessionize import into a site of speaker pages (issue 11): a speaker no
/// page answers to gets one, from the site's archetype, laid out like the
/// other pages (a `<slug>/_index.md` bundle), with the tagline in the field
/// the pages keep it in and the bio as the body; a speaker who has a page
/// gets none, and importing again creates nothing new.
#[test]
fn sessionize_import_creates_missing_speaker_pages_from_the_archetype() {
    let t = tempfile::tempdir().unwrap();
    let site_dir = t.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site_dir, rel, text);
    write("config.toml", "title = \"Harbour 2031\"\n");
    write(
        "lectern.toml",
        "[sessions]\ndir = \"content/sessions\"\nfile_pattern = \"{slug}\"\n\n[roles]\nstart = \"time_start\"\nend = \"time_end\"\nspeakers = \"speakers\"\n\n[speakers]\npages = \"content/speakers\"\n\n[tracks]\n\"AI & Machine Learning\" = \"AI\"\n\"Big Data & Lakehouse\" = \"Data\"\n",
    );
    write(
        "archetypes/speakers/_index.md",
        "---\ntitle: \"{{ replace .Name \"-\" \" \" | title }}\"\ndate: {{ .Date }}\nimages:\n - /images/speakers/{{ .Name }}.jpg\ndesignation: \nevents:\n - 2031\n---\n\n",
    );
    let ana = "---\ntitle: \"Ana Silva\"\ndesignation: \"Data lead\"\nimages:\n - /images/speakers/ana-silva.jpg\n---\n\nAna runs the lake.\n";
    write("content/speakers/ana-silva/_index.md", ana);
    write("content/speakers/_index.md", "---\ntitle: Speakers\n---\n");
    let json = t.path().join("sessionize.json");
    std::fs::write(&json, sessionize_json("Vector Search in Practice", "How.")).unwrap();

    let site = Site::discover(&site_dir).unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert_eq!(
        report.speaker_pages,
        vec![
            "content/speakers/mei-lin/_index.md".to_string(),
            "content/speakers/tom-berg/_index.md".to_string()
        ],
        "{report:?}"
    );
    batch::apply(&plan).unwrap();
    let mei = std::fs::read_to_string(site_dir.join("content/speakers/mei-lin/_index.md")).unwrap();
    let doc = Document::from_text("x.md", mei.clone());
    assert!(doc.problem().is_none(), "{mei}");
    assert!(
        mei.starts_with("---\ntitle: \"Mei Lin\"\ndate: 20"),
        "{mei}"
    );
    assert!(
        lectern::text::parse_datetime(doc.get("date").as_deref().unwrap_or("")).is_some(),
        "{mei}"
    );
    assert_eq!(doc.get("designation").as_deref(), Some("Engineer, Acme"));
    assert_eq!(
        doc.list("images"),
        Some(vec!["/images/speakers/mei-lin.jpg".to_string()])
    );
    assert!(
        mei.ends_with("---\n\nMei builds search systems.\nShe likes tea.\n"),
        "{mei:?}"
    );
    let tom =
        std::fs::read_to_string(site_dir.join("content/speakers/tom-berg/_index.md")).unwrap();
    assert!(
        tom.contains("title: \"Tom Berg\"\n") && tom.contains("designation: \"Researcher\"\n"),
        "{tom}"
    );
    // Ana's page was there already and is untouched.
    assert_eq!(
        std::fs::read_to_string(site_dir.join("content/speakers/ana-silva/_index.md")).unwrap(),
        ana
    );
    // Every imported speaker now resolves: no unknown-speaker finding.
    let site = Site::discover(&site_dir).unwrap();
    let report_check = lectern::validate::check_site(&site);
    assert!(
        !report_check
            .diagnostics
            .iter()
            .any(|d| d.code == lectern::Code::UnknownSpeaker),
        "{:?}",
        report_check.diagnostics
    );
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert!(report.speaker_pages.is_empty(), "{report:?}");
    assert!(
        !plan
            .ops
            .iter()
            .any(|op| op.path().to_string_lossy().contains("speakers/")),
        "{:?}",
        plan.ops
    );
}

/// Without an archetype, a new speaker page takes the front-matter format
/// and title key of the site's pages (TOML `Title`, devopsdays style) and
/// their layout (`<slug>.md` files).
#[test]
fn new_speaker_pages_follow_the_format_of_the_sites_pages() {
    let t = tempfile::tempdir().unwrap();
    let site_dir = t.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site_dir, rel, text);
    write("config.toml", "title = \"Harbour 2031\"\n");
    write(
        "lectern.toml",
        "[sessions]\ndir = \"content/program\"\nfile_pattern = \"{slug}\"\n\n[roles]\ntitle = \"Title\"\nspeakers = \"Speakers\"\n\n[speakers]\npages = \"content/speakers\"\n\n[tracks]\n\"AI & Machine Learning\" = \"AI\"\n\"Big Data & Lakehouse\" = \"Data\"\n",
    );
    write(
        "content/speakers/ana-silva.md",
        "+++\nTitle = \"Ana Silva\"\nTwitter = \"\"\n+++\nAna runs the lake.\n",
    );
    let json = t.path().join("sessionize.json");
    std::fs::write(&json, sessionize_json("Vector Search in Practice", "How.")).unwrap();
    let site = Site::discover(&site_dir).unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert_eq!(
        report.speaker_pages,
        vec![
            "content/speakers/mei-lin.md".to_string(),
            "content/speakers/tom-berg.md".to_string()
        ],
        "{report:?}"
    );
    let page = plan
        .ops
        .iter()
        .find_map(|op| match op {
            batch::FileOp::Create { path, after } if path.ends_with("mei-lin.md") => {
                Some(String::from_utf8(after.clone()).unwrap())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(
        page,
        "+++\nTitle = \"Mei Lin\"\n+++\n\nMei builds search systems.\nShe likes tea.\n"
    );
}

#[test]
fn a_plan_overview_lists_site_files_with_diffs_and_counts_and_leaves_out_bookkeeping() {
    use lectern::batch::{FileOp, OpKind, Plan};
    let plan = Plan {
        title: "t".into(),
        root: "/site".into(),
        ops: vec![
            FileOp::Change {
                path: "content/sessions/a.md".into(),
                before: b"room: A\n".to_vec(),
                after: b"room: B\n".to_vec(),
            },
            FileOp::Move {
                from: "content/sessions/x-1.md".into(),
                to: "content/sessions/y-1.md".into(),
                before: b"k\n".to_vec(),
                after: b"k\n".to_vec(),
            },
            FileOp::Create {
                path: ".lectern/import/1.json".into(),
                after: b"{}".to_vec(),
            },
        ],
        notes: vec!["n".into()],
        ..Default::default()
    };
    let s = plan.overview();
    assert_eq!(
        (s.title.as_str(), s.created, s.changed, s.moved, s.deleted),
        ("t", 0, 1, 1, 0)
    );
    assert_eq!(s.files.len(), 2);
    assert_eq!(s.files[0].kind, OpKind::Change);
    assert!(
        s.files[0].diff.contains("-room: A\n+room: B\n"),
        "{}",
        s.files[0].diff
    );
    assert_eq!(s.files[1].kind, OpKind::Move);
    assert_eq!(s.files[1].path, "content/sessions/y-1.md");
    assert_eq!(s.files[1].from.as_deref(), Some("content/sessions/x-1.md"));
    assert_eq!(s.notes, ["n"]);
    let json = serde_json::to_value(&s.files[1]).unwrap();
    assert_eq!(json["kind"], "move");
}
