//! The desktop app's fast paths through the workspace: body edits sent as
//! editor changes instead of the whole body, list rows that do not wait
//! for a check, and checks run on a copy so editing goes on meanwhile.

use std::collections::BTreeSet;

use crate::support::{changed_lines, copy_tree, repo_root};
use lectern::body_edit::{editor_text, utf16_len, TextChange};
use lectern::workspace::Workspace;
use lectern::Error;

const EN: &str = "content/sessions/ai-1204512.md";
const ZH: &str = "content/sessions/ai-1204512.zh.md";

fn sample() -> (tempfile::TempDir, std::path::PathBuf, Workspace) {
    let (t, site) = copy_tree(&repo_root().join("assets/sample-site"));
    let ws = Workspace::open(&site).unwrap();
    (t, site, ws)
}

fn change(from: usize, to: usize, insert: &str) -> TextChange {
    TextChange {
        from,
        to,
        insert: insert.into(),
    }
}

/// The editor's view of a body after `sets`, as the UI computes it.
fn editor_after(body: &str, sets: &[Vec<TextChange>]) -> String {
    let mut t = editor_text(body);
    for s in sets {
        t = lectern::body_edit::apply(&t, s).unwrap();
    }
    t
}

#[test]
fn an_editor_change_edits_the_body_as_sending_the_whole_body_would() {
    let (_t, _s, mut ws) = sample();
    let body = ws.document(ZH).unwrap().body().to_string();
    // Type after the first (Chinese) character, then replace a later range.
    let first = body.chars().next().unwrap().len_utf16();
    let sets = vec![
        vec![change(first, first, "新")],
        vec![
            change(first + 3, first + 5, ""),
            change(first + 8, first + 8, "x"),
        ],
    ];
    let expected = editor_after(&body, &sets);
    let mut whole = Workspace::open(&ws.site().root.clone()).unwrap();
    whole.set_body(ZH, &expected).unwrap();

    ws.edit_body(ZH, &sets, utf16_len(&expected)).unwrap();
    assert_eq!(
        ws.document(ZH).unwrap().text(),
        whole.document(ZH).unwrap().text()
    );
    assert!(ws.is_modified(ZH));
    assert!(!ws.is_modified(EN), "a body edit never reaches the twin");
}

#[test]
fn crlf_lines_the_edit_did_not_touch_keep_their_endings() {
    let (_t, site, mut ws) = sample();
    let path = site.join(EN);
    let original = std::fs::read_to_string(&path)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&path, &original).unwrap();
    let mut ws2 = Workspace::open(&site).unwrap();
    std::mem::swap(&mut ws, &mut ws2);
    let body = ws.document(EN).unwrap().body().to_string();
    let sets = vec![vec![change(0, 3, "Hardly")]];
    let expected = editor_after(&body, &sets);
    ws.edit_body(EN, &sets, utf16_len(&expected)).unwrap();
    ws.save(EN).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    let (del, ins) = changed_lines(&original, &after);
    assert_eq!(
        (del.len(), ins.len()),
        (1, 1),
        "one line changed: {del:?} {ins:?}"
    );
    assert!(after.starts_with("---\r\n"));
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "every line still ends in CRLF"
    );
    assert!(after.contains("\r\nHardly every team"));
}

#[test]
fn an_editor_out_of_sync_is_told_and_nothing_changes() {
    let (_t, _s, mut ws) = sample();
    let before = ws.document(EN).unwrap().text().to_string();
    let body = ws.document(EN).unwrap().body().to_string();
    let len = utf16_len(&editor_text(&body));
    // The wrong resulting length: the editor saw another body.
    let e = ws
        .edit_body(EN, &[vec![change(0, 0, "x")]], len)
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid(ref m) if m.contains("out of sync")),
        "{e}"
    );
    // A position past the end.
    assert!(ws
        .edit_body(EN, &[vec![change(len + 5, len + 5, "x")]], len + 1)
        .is_err());
    assert_eq!(ws.document(EN).unwrap().text(), before);
    assert!(!ws.is_modified(EN));
}

#[test]
fn list_rows_come_without_a_check_and_carry_the_last_checks_counts() {
    let (_t, _s, mut ws) = sample();
    assert!(ws.last_diagnostics().is_none());
    let unchecked = ws.summaries_as_checked();
    assert_eq!(unchecked.len(), 12);
    assert!(
        unchecked.iter().all(|r| r.problems == 0),
        "no check ran, so no counts"
    );
    assert!(ws.last_diagnostics().is_none(), "listing rows ran no check");

    let checked = ws.summaries();
    let lonely = checked
        .iter()
        .find(|r| r.stem == "observability-1210402")
        .unwrap();
    assert!(lonely.problems >= 1);
    assert_eq!(ws.summaries_as_checked(), checked);

    // An edit makes the counts stale but keeps them.
    ws.set_field(EN, "title", Some("Edited")).unwrap();
    let (_, stale) = ws.last_diagnostics().unwrap();
    assert!(stale);
    let rows = ws.summaries_as_checked();
    assert_eq!(
        rows.iter()
            .find(|r| r.stem == "observability-1210402")
            .unwrap()
            .problems,
        lonely.problems
    );
    assert_eq!(
        rows.iter().find(|r| r.stem == "ai-1204512").unwrap().title,
        "Edited"
    );
}

#[test]
fn rows_of_some_stems_match_the_full_list() {
    let (_t, _s, mut ws) = sample();
    ws.set_body(EN, "Changed body\n").unwrap();
    let all = ws.summaries();
    let stems: BTreeSet<String> = [
        "ai-1204512".to_string(),
        "observability-1210402".to_string(),
    ]
    .into();
    let some = ws.summaries_of(&stems);
    let expected: Vec<_> = all
        .into_iter()
        .filter(|r| stems.contains(&r.stem))
        .collect();
    assert_eq!(some, expected);
    assert!(some[0].modified);
}

#[test]
fn a_check_on_a_copy_becomes_current_only_when_nothing_changed_meanwhile() {
    let (_t, _s, mut ws) = sample();
    let fresh = ws.diagnostics().to_vec();
    assert!(ws.check_job().is_none(), "the last check is current");

    // Break a track on a copy's watch: the check sees the edit.
    ws.set_field(EN, "track", Some("no-such-track")).unwrap();
    let job = ws.check_job().unwrap();
    let outcome = job.run();
    let accepted = ws.accept_check(outcome);
    assert!(accepted.current);
    assert_eq!(
        accepted.recounted,
        BTreeSet::from(["ai-1204512".to_string()])
    );
    let (diags, stale) = ws.last_diagnostics().unwrap();
    assert!(!stale);
    assert!(diags.len() > fresh.len());
    assert!(diags
        .iter()
        .any(|d| d.file.to_string_lossy() == EN && d.field.as_deref() == Some("track")));
    assert!(ws.check_job().is_none());

    // An edit while the check runs: its findings are kept, but as stale.
    let job = ws.check_job();
    assert!(job.is_none());
    ws.set_field(EN, "track", Some("ai")).unwrap();
    let job = ws.check_job().unwrap();
    ws.set_field(EN, "room", Some("Hall B")).unwrap();
    assert!(!ws.accept_check(job.run()).current);
    let (diags, stale) = ws.last_diagnostics().unwrap();
    assert!(stale);
    assert!(!diags
        .iter()
        .any(|d| d.file.to_string_lossy() == EN && d.field.as_deref() == Some("track")));
    assert!(ws.check_job().is_some(), "another run is due");
    // `diagnostics` itself always answers for the workspace as it is.
    let now = ws.diagnostics().to_vec();
    assert_eq!(
        now,
        lectern::validate::check_loaded(ws.site(), ws.sessions(), Vec::new()).diagnostics
    );
}

#[test]
fn a_check_of_another_workspace_is_ignored() {
    let (_t, site, mut ws) = sample();
    let mut other = Workspace::open(&site).unwrap();
    other.set_field(EN, "track", Some("no-such-track")).unwrap();
    let accepted = ws.accept_check(other.check_job().unwrap().run());
    assert!(!accepted.current);
    assert!(ws.last_diagnostics().is_none());
}

#[test]
fn the_first_check_recounts_every_session_with_problems() {
    let (_t, _s, mut ws) = sample();
    let accepted = ws.accept_check(ws.check_job().unwrap().run());
    assert!(accepted.current);
    let with_problems: BTreeSet<String> = ws
        .summaries()
        .into_iter()
        .filter(|r| r.problems > 0)
        .map(|r| r.stem)
        .collect();
    assert!(!with_problems.is_empty());
    assert_eq!(accepted.recounted, with_problems);
}

#[test]
fn a_reopen_reads_what_changed_on_disk_and_drops_unsaved_edits() {
    let (_t, site, mut ws) = sample();
    ws.set_field(EN, "title", Some("Unsaved")).unwrap();
    // Behind the workspace's back: one file changed, one removed, one added.
    let sessions = site.join("content/sessions");
    let zh = sessions.join("ai-1204512.zh.md");
    let text = std::fs::read_to_string(&zh)
        .unwrap()
        .replace("title:", "title: \"磁盘\"\nx-old-title:");
    std::fs::write(&zh, text).unwrap();
    std::fs::remove_file(sessions.join("ai-1204587.md")).unwrap();
    std::fs::copy(
        sessions.join("ai-1211034.md"),
        sessions.join("ai-1299999.md"),
    )
    .unwrap();

    let mut again = Workspace::reopen(&site, &ws).unwrap();
    let mut fresh = Workspace::open(&site).unwrap();
    let ids = |w: &Workspace| {
        w.sessions()
            .iter()
            .map(|l| l.file.rel.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&again), ids(&fresh));
    for l in fresh.sessions() {
        let d = again.document(&l.file.rel).unwrap();
        assert_eq!(d.text(), l.doc.as_ref().unwrap().text(), "{}", l.file.rel);
        assert_eq!(d.base_hash(), l.doc.as_ref().unwrap().base_hash());
    }
    assert_eq!(
        again.document(ZH).unwrap().get("title").as_deref(),
        Some("磁盘")
    );
    assert!(!again.is_modified(EN), "the unsaved title is gone");
    assert_ne!(
        again.document(EN).unwrap().get("title").as_deref(),
        Some("Unsaved")
    );
    assert!(
        ws.is_modified(EN),
        "the previous workspace is left as it was"
    );
    assert_eq!(again.diagnostics(), fresh.diagnostics());
    assert_eq!(again.summaries(), fresh.summaries());
}

#[test]
fn the_findings_version_changes_only_when_the_findings_do() {
    let (_t, site, mut ws) = sample();
    assert_eq!(ws.diagnostics_version(), 0, "no check yet");
    ws.diagnostics();
    let first = ws.diagnostics_version();
    assert_ne!(first, 0);
    // An edit that leaves the findings as they were keeps the version.
    let body = ws.document(EN).unwrap().body().to_string();
    ws.set_body(
        EN,
        &body.replacen("Not every team", "Not every single team", 1),
    )
    .unwrap();
    ws.diagnostics();
    assert_eq!(ws.diagnostics_version(), first);
    // New findings, new version.
    ws.set_field(EN, "track", Some("no-such-track")).unwrap();
    ws.accept_check(ws.check_job().unwrap().run());
    let second = ws.diagnostics_version();
    assert_ne!(second, first);
    // Another workspace of the same site never shares a version.
    let mut other = Workspace::open(&site).unwrap();
    other.diagnostics();
    assert_ne!(other.diagnostics_version(), first);
    assert_ne!(other.diagnostics_version(), second);
}
