//! Hard-linked session files (checklist C8): a save must not split the
//! link. `fs::write_atomic` rewrites such a file in place after journaling
//! its old and new content next to the recovery store, and
//! `fs::finish_interrupted_writes` (run when a site is opened) undoes a save
//! a crash cut off. A save that cannot be made safely is refused before the
//! file changes.

use crate::support::Tmpfs;
use lectern::document::Document;
use lectern::fs::{
    content_hash, finish_interrupted_writes, remove_stale_temp_files, write_atomic_with,
    Interrupted,
};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SESSION: &str = "---\ntitle: \"Old\"\nroom: \"A\"\n---\nBody.\n";

/// `dir/db-1.md` hard-linked as `dir/other-name.md`.
fn linked_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let a = dir.join("db-1.md");
    let b = dir.join("other-name.md");
    std::fs::write(&a, SESSION).expect("write");
    std::fs::hard_link(&a, &b).expect("hard link");
    (a, b)
}

fn journals(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".lectern-backup"))
                .collect()
        })
        .unwrap_or_default()
}

/// A journal as `write_atomic_with` writes it: a JSON line naming the file
/// and the two lengths, then the old and the new content.
fn journal_bytes(path: &Path, old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut j = serde_json::to_vec(
        &serde_json::json!({"path": path, "old_len": old.len(), "new_len": new.len()}),
    )
    .expect("json");
    j.push(b'\n');
    j.extend_from_slice(old);
    j.extend_from_slice(new);
    j
}

#[test]
fn saving_a_hard_linked_file_rewrites_it_in_place_so_every_name_sees_the_edit() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let backup = tempfile::tempdir().expect("backup dir");
    let (a, b) = linked_pair(dir.path());
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let inode = std::fs::metadata(&a).expect("meta").ino();
    let doc = Document::load(&a)
        .expect("load")
        .set("title", "New")
        .expect("set");
    write_atomic_with(&a, doc.text().as_bytes(), Some(backup.path())).expect("save");
    let (ma, mb) = (
        std::fs::metadata(&a).expect("a"),
        std::fs::metadata(&b).expect("b"),
    );
    assert_eq!(
        (ma.ino(), mb.ino(), ma.nlink()),
        (inode, inode, 2),
        "the link was split"
    );
    assert_eq!(ma.permissions().mode() & 0o777, 0o640);
    let text = std::fs::read_to_string(&b).expect("read b");
    assert!(
        text.contains("title: \"New\"") && text.contains("room: \"A\""),
        "{text}"
    );
    assert!(
        journals(backup.path()).is_empty(),
        "the journal was not removed"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        2,
        "a temp file was left in the site"
    );
    // Shorter content truncates: nothing of the old tail survives.
    write_atomic_with(&b, b"---\ntitle: x\n---\n", Some(backup.path())).expect("save shorter");
    assert_eq!(std::fs::read(&a).expect("a"), b"---\ntitle: x\n---\n");
}

#[test]
fn document_save_goes_through_the_in_place_path_for_hard_links() {
    // Document::save uses write_atomic with the default backup folder; the
    // link must survive it (the journal is removed again at once).
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = linked_pair(dir.path());
    if lectern::fs::backup_dir().is_none() {
        println!("note: no data dir on this system; Document::save refuses hard-linked files here");
        return;
    }
    Document::load(&a)
        .expect("load")
        .set("room", "B")
        .expect("set")
        .save()
        .expect("save");
    assert_eq!(
        std::fs::metadata(&a).expect("a").ino(),
        std::fs::metadata(&b).expect("b").ino()
    );
    assert!(std::fs::read_to_string(&b)
        .expect("b")
        .contains("room: \"B\""));
}

#[test]
fn without_a_backup_folder_a_hard_linked_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = linked_pair(dir.path());
    let err = write_atomic_with(&a, b"new", None).expect_err("must refuse");
    let msg = err.to_string();
    assert!(
        msg.contains(&*a.to_string_lossy())
            && msg.contains("hard links")
            && msg.contains("LECTERN_BACKUP_DIR"),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&b).expect("b"), SESSION);
    assert_eq!(std::fs::metadata(&a).expect("a").nlink(), 2);
}

#[test]
fn a_hard_linked_file_on_a_full_disk_is_refused_before_it_changes() {
    let Some(fs) = Tmpfs::mount("256k") else {
        return;
    };
    let backup = tempfile::tempdir().expect("backup dir");
    let (a, b) = linked_pair(fs.path());
    let filler = fs.fill();
    let big = vec![b'x'; 128 * 1024];
    let err = write_atomic_with(&a, &big, Some(backup.path())).expect_err("the disk is full");
    let msg = err.to_string();
    assert!(
        msg.contains(&*a.to_string_lossy())
            && msg.contains("disk is full")
            && msg.contains("left as it was"),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(&b).expect("b"),
        SESSION,
        "the file changed"
    );
    assert!(
        journals(backup.path()).is_empty(),
        "a journal was left although nothing was written"
    );
    // Once there is room, the same save goes through, link intact.
    std::fs::remove_file(filler).expect("free space");
    write_atomic_with(&a, &big, Some(backup.path())).expect("save with room");
    assert_eq!(std::fs::read(&b).expect("b"), big);
}

#[test]
fn a_full_backup_folder_refuses_the_save_before_the_file_changes() {
    let Some(fs) = Tmpfs::mount("256k") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = linked_pair(dir.path());
    let backup = fs.path().join("backup");
    std::fs::create_dir(&backup).expect("mkdir");
    fs.fill();
    let err = write_atomic_with(&a, b"---\ntitle: \"New\"\n---\n", Some(&backup))
        .expect_err("no room for the journal");
    let msg = err.to_string();
    assert!(
        msg.contains(&*a.to_string_lossy())
            && msg.contains("backup")
            && msg.contains("disk is full"),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&b).expect("b"), SESSION);
    assert!(journals(&backup).is_empty());
    assert_eq!(
        remove_stale_temp_files(&backup),
        0,
        "the failed journal write left a temp file"
    );
}

#[test]
fn an_interrupted_save_of_a_file_changed_since_is_left_alone_with_its_journal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backup = tempfile::tempdir().expect("backup dir");
    let (a, _b) = linked_pair(dir.path());
    let old = SESSION.as_bytes();
    let new = b"---\ntitle: \"New\"\n---\nA new body.\n";
    let journal = backup.path().join("0123456789abcdef-1-1.lectern-backup");
    std::fs::write(&journal, journal_bytes(&a, old, new)).expect("journal");
    // Someone else's edit: neither old, new, nor a torn mix of the two.
    std::fs::write(&a, "---\ntitle: \"Theirs\"\n---\n").expect("their edit");
    let out = finish_interrupted_writes(backup.path(), dir.path());
    assert_eq!(
        out,
        vec![Interrupted::Kept {
            path: a.clone(),
            journal: journal.clone()
        }]
    );
    assert_eq!(
        std::fs::read_to_string(&a).expect("a"),
        "---\ntitle: \"Theirs\"\n---\n"
    );
    assert!(journal.is_file());
    // Journals of other sites are not looked at.
    let elsewhere = tempfile::tempdir().expect("other site");
    assert!(finish_interrupted_writes(backup.path(), elsewhere.path()).is_empty());
}

#[test]
fn a_torn_in_place_save_is_rolled_back_and_a_finished_one_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backup = tempfile::tempdir().expect("backup dir");
    let (a, b) = linked_pair(dir.path());
    let old: Vec<u8> = (0..5000).map(|i| b'a' + (i % 26) as u8).collect();
    let new: Vec<u8> = (0..7000).map(|i| b'0' + (i % 10) as u8).collect();
    for (name, now, expect_back) in [
        (
            "cut in the middle",
            [&new[..1234], &old[1234..]].concat(),
            true,
        ),
        ("grown past the old end", new[..6000].to_vec(), true),
        ("not started", old.clone(), false),
        ("finished", new.clone(), false),
    ] {
        std::fs::write(&a, &now).expect("state");
        let journal = backup.path().join("0123456789abcdef-1-2.lectern-backup");
        std::fs::write(&journal, journal_bytes(&a, &old, &new)).expect("journal");
        let out = finish_interrupted_writes(backup.path(), dir.path());
        let expected = if expect_back {
            Interrupted::RolledBack(a.clone())
        } else {
            Interrupted::Complete(a.clone())
        };
        assert_eq!(out, vec![expected], "{name}");
        let after = std::fs::read(&b).expect("b");
        assert!(after == old || after == new, "{name}: neither old nor new");
        assert_eq!(after == old, expect_back || now == old, "{name}");
        assert!(journals(backup.path()).is_empty(), "{name}: journal kept");
        assert_eq!(std::fs::metadata(&a).expect("a").nlink(), 2, "{name}");
    }
}

/// The saver process for the kill test; does nothing unless started by it.
#[test]
#[ignore = "helper process for in_place_saves_killed_at_random_points_leave_the_old_or_the_new_content"]
fn hard_link_saver_child() {
    let (Some(target), Some(backup)) = (
        std::env::var_os("LECTERN_HL_TARGET"),
        std::env::var_os("LECTERN_HL_BACKUP"),
    ) else {
        return;
    };
    let (old, new) = contents();
    let mut flip = false;
    let mut announced = false;
    loop {
        write_atomic_with(
            Path::new(&target),
            if flip { &old } else { &new },
            Some(Path::new(&backup)),
        )
        .expect("save");
        flip = !flip;
        if !announced {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(b"ready\n")
                .and_then(|()| out.flush())
                .expect("announce");
            announced = true;
        }
    }
}

fn contents() -> (Vec<u8>, Vec<u8>) {
    let old: Vec<u8> = (0..512 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
    let new: Vec<u8> = (0..768 * 1024).map(|i| b'0' + (i % 10) as u8).collect();
    (old, new)
}

#[test]
fn in_place_saves_killed_at_random_points_leave_the_old_or_the_new_content() {
    let iterations: usize = std::env::var("LECTERN_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let mut seed: u64 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    println!("hard-link crash test: {iterations} kills, seed {seed}");
    let dir = tempfile::tempdir().expect("tempdir");
    let backup = tempfile::tempdir().expect("backup dir");
    let target = dir.path().join("session.md");
    let other = dir.path().join("same-file.md");
    let (old, new) = contents();
    let (h_old, h_new) = (content_hash(&old), content_hash(&new));
    std::fs::write(&target, &old).expect("seed");
    std::fs::hard_link(&target, &other).expect("link");
    let exe = std::env::current_exe().expect("test binary");
    let (mut saw_old, mut saw_new, mut rolled_back, mut finished) = (0, 0, 0, 0);
    for i in 0..iterations {
        let mut child = Command::new(&exe)
            .args([
                "hard_links::hard_link_saver_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("LECTERN_HL_TARGET", &target)
            .env("LECTERN_HL_BACKUP", backup.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn saver");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ready = BufReader::new(stdout)
                .lines()
                .any(|l| l.is_ok_and(|l| l.trim_end().ends_with("ready")));
            let _ = tx.send(ready);
        });
        // A hang guard, not a timing assertion.
        if !rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or(false)
        {
            let _ = child.kill();
            let _ = child.wait();
            panic!("iteration {i}: the saver never reported its first save");
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(std::time::Duration::from_micros(seed % 12_000));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");

        for outcome in finish_interrupted_writes(backup.path(), dir.path()) {
            match outcome {
                Interrupted::RolledBack(_) => rolled_back += 1,
                Interrupted::Complete(_) => finished += 1,
                Interrupted::Kept { .. } => {
                    panic!("iteration {i}: a journal was kept: {outcome:?}")
                }
            }
        }
        remove_stale_temp_files(backup.path());
        let bytes = std::fs::read(&other).expect("read");
        let h = content_hash(&bytes);
        assert!(
            h == h_old || h == h_new,
            "iteration {i}: neither old nor new ({} bytes)",
            bytes.len()
        );
        if h == h_old {
            saw_old += 1;
        } else {
            saw_new += 1;
        }
        assert_eq!(
            std::fs::metadata(&target).expect("meta").nlink(),
            2,
            "iteration {i}: the link was split"
        );
        assert!(
            journals(backup.path()).is_empty(),
            "iteration {i}: journal left"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("dir").count(),
            2,
            "iteration {i}: stray file in the site"
        );
    }
    println!(
        "hard-link crash test: {iterations} kills: old {saw_old}, new {saw_new}; journals found: {rolled_back} torn and rolled back, {finished} already complete"
    );
    assert!(saw_old > 0 && saw_new > 0, "old {saw_old}, new {saw_new}");
}

/// Opens a workspace with `LECTERN_BACKUP_DIR` set (in its own process, so
/// no test changes this process's environment) and prints its diagnostics.
#[test]
#[ignore = "helper process for opening_a_site_rolls_back_a_torn_save_and_reports_it"]
fn open_workspace_child() {
    let Some(site) = std::env::var_os("LECTERN_OPEN_SITE") else {
        return;
    };
    let mut ws = lectern::workspace::Workspace::open(Path::new(&site)).expect("open");
    for d in ws.diagnostics() {
        println!("diag {} {} {}", d.code, d.file.display(), d.message);
    }
}

#[test]
fn opening_a_site_rolls_back_a_torn_save_and_reports_it() {
    let (_t, site) =
        crate::support::copy_tree(&crate::support::repo_root().join("assets/sample-site"));
    let backup = tempfile::tempdir().expect("backup dir");
    let file = site.join("content/sessions/ai-1204512.md");
    let old = std::fs::read(&file).expect("read");
    std::fs::hard_link(&file, site.join("linked-copy.md")).expect("link");
    let new = [&b"<!-- moved down -->\n"[..], &old[..]].concat();
    std::fs::write(
        &file,
        [&new[..old.len() / 2], &old[old.len() / 2..]].concat(),
    )
    .expect("torn");
    std::fs::write(
        backup.path().join("0123456789abcdef-1-3.lectern-backup"),
        journal_bytes(&file, &old, &new),
    )
    .expect("journal");
    let out = Command::new(std::env::current_exe().expect("exe"))
        .args([
            "hard_links::open_workspace_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LECTERN_OPEN_SITE", &site)
        .env("LECTERN_BACKUP_DIR", backup.path())
        .output()
        .expect("child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.lines().any(
            |l| l.contains("diag interrupted-save content/sessions/ai-1204512.md ")
                && l.contains("put back")
        ),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&file).expect("read"), old, "not rolled back");
    assert!(journals(backup.path()).is_empty());
}
