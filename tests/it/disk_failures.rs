//! Saving when the disk will not take it: full, mounted read-only, or the
//! site's folder gone (deleted or renamed while open). Each time the save
//! fails with a message that names the file and says what to do, the edit
//! stays in the workspace, nothing is half-written, and the recovery store
//! (on another disk, or on the full one) keeps drafts whole. The app's
//! end-to-end versions are in `tests/e2e/tests/resilience.rs`.

use crate::support::{copy_into, repo_root, Tmpfs};
use lectern::recovery::RecoveryStore;
use lectern::workspace::{DiskEvent, Workspace};
use std::path::{Path, PathBuf};

const ID: &str = "content/sessions/ai-1204512.md";

/// Every file under `dir` with its bytes (to prove nothing changed).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// The sample site copied into `dir`, opened, with one unsaved edit.
fn edited_site(dir: &Path) -> (PathBuf, Workspace) {
    let site = dir.join("site");
    copy_into(&repo_root().join("assets/sample-site"), &site);
    let mut ws = Workspace::open(&site).expect("open");
    ws.set_field(ID, "room", Some("Room 999")).expect("edit");
    (site, ws)
}

fn assert_kept(ws: &Workspace) {
    assert!(ws.is_modified(ID), "the edit was dropped");
    assert_eq!(
        ws.document(ID).expect("doc").get("room").as_deref(),
        Some("Room 999")
    );
    let drafts = ws.drafts();
    assert!(
        drafts.get(ID).is_some_and(|d| d.text.contains("Room 999")),
        "no draft for recovery"
    );
}

#[test]
fn a_save_on_a_full_disk_names_the_file_keeps_the_edit_and_writes_nothing() {
    let Some(fs) = Tmpfs::mount("2m") else { return };
    let (site, mut ws) = edited_site(fs.path());
    let filler = fs.fill();
    let before = snapshot(&site);
    let err = ws.save(ID).expect_err("the disk is full");
    let msg = err.to_string();
    assert!(
        msg.contains("ai-1204512.md")
            && msg.contains("disk is full")
            && msg.contains("Free some space"),
        "{msg}"
    );
    assert!(msg.contains("edits are kept"), "{msg}");
    assert_eq!(
        snapshot(&site),
        before,
        "something was written (a temp file or a partial save)"
    );
    assert_kept(&ws);
    std::fs::remove_file(filler).expect("free");
    ws.save(ID).expect("saves once there is room");
    assert!(std::fs::read_to_string(site.join(ID))
        .expect("read")
        .contains("Room 999"));
}

#[test]
fn a_save_on_a_read_only_mount_names_the_file_and_keeps_the_edit() {
    let Some(fs) = Tmpfs::mount("2m") else { return };
    let (site, mut ws) = edited_site(fs.path());
    let before = snapshot(&site);
    fs.remount_read_only();
    let msg = ws.save(ID).expect_err("read-only").to_string();
    assert!(
        msg.contains("ai-1204512.md")
            && msg.contains("read-only")
            && msg.contains("edits are kept"),
        "{msg}"
    );
    assert_eq!(snapshot(&site), before);
    assert_kept(&ws);
    let saved = ws.save_all();
    assert!(
        saved.iter().all(|(_, r)| r.is_err()),
        "save_all claims a save on a read-only disk"
    );
}

#[test]
fn a_renamed_site_folder_is_reported_on_save_and_nothing_is_recreated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (site, mut ws) = edited_site(dir.path());
    let moved = dir.path().join("moved-away");
    std::fs::rename(&site, &moved).expect("rename");
    let msg = ws.save(ID).expect_err("folder gone").to_string();
    assert!(
        msg.contains("ai-1204512.md")
            && msg.contains("is gone")
            && msg.contains("Put the folder back"),
        "{msg}"
    );
    assert!(!site.exists(), "the save recreated the site folder");
    assert_kept(&ws);
    // Watcher events for the vanished files change nothing in memory.
    let n = ws.sessions().len();
    assert_eq!(
        ws.disk_changed(&site.join(ID)).expect("event"),
        DiskEvent::Unchanged
    );
    assert_eq!(ws.sessions().len(), n);
    // Put back: the save goes through.
    std::fs::rename(&moved, &site).expect("rename back");
    ws.save(ID).expect("saves once the folder is back");
    assert!(std::fs::read_to_string(site.join(ID))
        .expect("read")
        .contains("Room 999"));
}

#[test]
fn a_deleted_sessions_folder_keeps_every_session_in_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (site, mut ws) = edited_site(dir.path());
    let n = ws.sessions().len();
    let sessions = site.join("content/sessions");
    let files: Vec<PathBuf> = std::fs::read_dir(&sessions)
        .expect("ls")
        .flatten()
        .map(|e| e.path())
        .collect();
    std::fs::remove_dir_all(&sessions).expect("rm -rf");
    assert!(!ws.sessions_folder_present());
    for f in &files {
        assert_eq!(
            ws.disk_changed(f).expect("event"),
            DiskEvent::Unchanged,
            "{}",
            f.display()
        );
    }
    assert_eq!(ws.sessions().len(), n, "clean sessions were dropped");
    let msg = ws.save(ID).expect_err("gone").to_string();
    assert!(msg.contains("is gone"), "{msg}");
    assert!(!sessions.exists());
    assert_kept(&ws);
}

#[test]
fn the_recovery_store_on_a_full_disk_fails_clearly_and_keeps_the_last_drafts_whole() {
    let Some(fs) = Tmpfs::mount("256k") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (site, mut ws) = edited_site(dir.path());
    let store = RecoveryStore::new(fs.path().join("recovery"));
    store.save(&site, ws.drafts()).expect("first drafts");
    let first = store.load(&site).expect("load").drafts;
    let filler = fs.fill();
    // A much bigger draft cannot fit.
    let body = "Long abstract. ".repeat(10_000);
    ws.set_body(ID, &body).expect("edit");
    let err = store.save(&site, ws.drafts()).expect_err("full");
    let msg = err.to_string();
    assert!(
        msg.contains(&*fs.path().join("recovery").to_string_lossy())
            && msg.contains("disk is full"),
        "{msg}"
    );
    assert_eq!(
        store.load(&site).expect("still there").drafts,
        first,
        "the last good drafts were damaged"
    );
    assert_eq!(
        lectern::fs::remove_stale_temp_files(&fs.path().join("recovery")),
        0,
        "a temp file was left"
    );
    std::fs::remove_file(filler).expect("free");
    store.save(&site, ws.drafts()).expect("fits now");
    assert!(store.load(&site).expect("load").drafts[ID]
        .text
        .contains("Long abstract."));
}

#[test]
fn an_edit_that_would_outgrow_the_file_limit_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (site, mut ws) = edited_site(dir.path());
    let text = ws.document(ID).expect("doc").text().to_string();
    let big = "x".repeat(lectern::document::MAX_FILE_BYTES as usize + 1);
    let msg = ws.set_body(ID, &big).expect_err("too big").to_string();
    assert!(
        msg.contains("ai-1204512.md")
            && msg.contains("over the 8 MiB limit")
            && msg.contains("not applied"),
        "{msg}"
    );
    let msg = ws
        .set_field(ID, "title", Some(&big))
        .expect_err("too big")
        .to_string();
    assert!(
        msg.len() < 1000,
        "the error echoes the whole value ({} bytes)",
        msg.len()
    );
    let msg = ws
        .set_field(ID, &big, Some("x"))
        .expect_err("key too big")
        .to_string();
    assert!(
        msg.len() < 1000,
        "the error echoes the whole key ({} bytes)",
        msg.len()
    );
    assert_eq!(
        ws.document(ID).expect("doc").text(),
        text,
        "the refused edit changed the document"
    );
    // The refused edits are not in the history: undo takes back the room edit.
    ws.undo(ID).expect("undo");
    let on_disk = lectern::document::Document::load(site.join(ID))
        .expect("load")
        .get("room");
    assert_eq!(ws.document(ID).expect("doc").get("room"), on_disk);
}
