//! The app's review and export flow in the core: the open site's pending
//! changes (against git's HEAD, or since opening), review data with
//! word-level highlighting, reverting a file or one hunk through the
//! workspace, the pre-export checklist and where export files may go. Real
//! git repositories in temporary folders; a real HTTP server for photos.

use crate::photos::server::{Response, TestServer};
use crate::support::{copy_tree, repo_root};
use lectern::export::{
    self, check_output_path, checklist, review, ChangeKind, ChangeSource, CheckKey, CheckState,
    DiffKind, ExportError,
};
use lectern::photos::{CacheConfig, FetchPolicy, PhotoCache};
use lectern::workspace::{DiskEvent, Workspace};
use std::path::{Path, PathBuf};
use std::process::Command;

const DB: &str = "content/sessions/db-101.md";
const DB_ZH: &str = "content/sessions/db-101.zh.md";
const WEB: &str = "content/sessions/web-103.md";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "core.quotepath=off", "-c", "commit.gpgsign=false"])
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
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The e2e fixture site (db-101 clean, web-103 with an unknown room) in a temp folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    copy_tree(&repo_root().join("tests/e2e/fixtures/site"))
}

/// The fixture site as a git repository with one commit on `main`.
fn git_site() -> (tempfile::TempDir, PathBuf) {
    let (t, root) = site();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["config", "user.name", "Test Runner"]);
    git(&root, &["config", "user.email", "runner@example.org"]);
    git(&root, &["config", "core.autocrlf", "false"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "Initial site"]);
    (t, root)
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).expect("read")
}

fn status(root: &Path) -> String {
    git(root, &["status", "--porcelain", "--untracked-files=all"])
}

#[test]
fn lists_a_saved_title_edit_against_head_with_the_changed_words_highlighted() {
    let (_t, root) = git_site();
    let mut ws = Workspace::open(&root).unwrap();
    ws.set_field(DB, "title", Some("Fast Indexes Without Fears"))
        .unwrap();
    // Unsaved edits are not pending changes: exports are made from files.
    assert!(ws.pending_changes().unwrap().changes.is_empty());
    ws.save(DB).unwrap();

    let pending = ws.pending_changes().unwrap();
    assert_eq!(pending.source, ChangeSource::Git);
    assert_eq!(pending.changes.len(), 1);
    let change = &pending.changes.changes[0];
    assert_eq!(change.path, PathBuf::from(DB));
    assert_eq!(change.kind, ChangeKind::Changed);
    assert_eq!(pending.site_id(&change.path).as_deref(), Some(DB));

    let file = review(change);
    assert_eq!((file.added, file.removed, file.binary), (1, 1, false));
    assert_eq!(file.hunks.len(), 1);
    assert!(
        file.hunks[0].header.starts_with("@@ -1,"),
        "{}",
        file.hunks[0].header
    );
    let del = file.hunks[0]
        .lines
        .iter()
        .find(|l| l.kind == DiffKind::Delete)
        .unwrap();
    let ins = file.hunks[0]
        .lines
        .iter()
        .find(|l| l.kind == DiffKind::Insert)
        .unwrap();
    let joined =
        |l: &export::ReviewLine| l.spans.iter().map(|s| s.text.as_str()).collect::<String>();
    assert_eq!(joined(del), "title: \"Fast Indexes Without Tears\"");
    assert_eq!(joined(ins), "title: \"Fast Indexes Without Fears\"");
    let marked = |l: &export::ReviewLine, k: DiffKind| -> Vec<String> {
        l.spans
            .iter()
            .filter(|s| s.kind == k)
            .map(|s| s.text.clone())
            .collect()
    };
    assert_eq!(marked(del, DiffKind::Delete), ["Tears"]);
    assert_eq!(marked(ins, DiffKind::Insert), ["Fears"]);
    assert!(marked(del, DiffKind::Insert).is_empty() && marked(ins, DiffKind::Delete).is_empty());
    // Context lines carry one plain span.
    let ctx = file.hunks[0]
        .lines
        .iter()
        .find(|l| l.kind == DiffKind::Equal)
        .unwrap();
    assert_eq!(ctx.spans.len(), 1);
    assert_eq!(ctx.spans[0].kind, DiffKind::Equal);
}

#[test]
fn lists_created_changed_and_deleted_files_since_opening_when_the_site_has_no_git() {
    let (_t, root) = site();
    let mut ws = Workspace::open(&root).unwrap();
    ws.set_field(WEB, "room", Some("Side Room")).unwrap();
    ws.save(WEB).unwrap();
    let templates = std::collections::BTreeMap::from([(
        "en".to_string(),
        "---\ntitle: \"{{title}}\"\ntrack: \"{{track}}\"\n---\n".to_string(),
    )]);
    let created = ws
        .new_session("web", "104", &["en".to_string()], &templates)
        .unwrap();
    std::fs::remove_file(root.join("content/sessions/ai-201.zh.md")).unwrap();
    ws.disk_changed(&root.join("content/sessions/ai-201.zh.md"))
        .unwrap();

    let pending = ws.pending_changes().unwrap();
    assert_eq!(pending.source, ChangeSource::Opened);
    assert!(pending.repo.is_none());
    let kinds: Vec<(String, ChangeKind)> = pending
        .changes
        .changes
        .iter()
        .map(|c| (c.path.to_string_lossy().into_owned(), c.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                "content/sessions/ai-201.zh.md".to_string(),
                ChangeKind::Deleted
            ),
            (WEB.to_string(), ChangeKind::Changed),
            (created[0].clone(), ChangeKind::Created),
        ]
    );
    let web = pending.changes.get(WEB).unwrap();
    assert!(String::from_utf8_lossy(web.after.as_deref().unwrap()).contains("room: \"Side Room\""));
}

#[test]
fn a_site_inside_a_larger_repository_lists_repository_paths_of_its_own_folders_only() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let root = repo.join("website");
    lectern_copy(&repo_root().join("tests/e2e/fixtures/site"), &root);
    std::fs::write(repo.join("README.md"), "top\n").unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(
        &repo,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "add",
            "-A",
        ],
    );
    git(
        &repo,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "-m",
            "init",
        ],
    );
    std::fs::write(repo.join("README.md"), "changed outside the site\n").unwrap();
    std::fs::write(
        root.join("config.toml"),
        read(&root, "config.toml") + "\n# a comment\n",
    )
    .unwrap();
    let mut ws = Workspace::open(&root).unwrap();
    ws.set_field(DB, "presenters", Some("Ada Park, Bo Chen"))
        .unwrap();
    ws.save(DB).unwrap();
    let pending = ws.pending_changes().unwrap();
    let paths: Vec<PathBuf> = pending
        .changes
        .changes
        .iter()
        .map(|c| c.path.clone())
        .collect();
    assert_eq!(paths, vec![PathBuf::from("website").join(DB)]);
    assert_eq!(pending.site_prefix, PathBuf::from("website"));
    assert_eq!(pending.site_id(&paths[0]).as_deref(), Some(DB));
    assert_eq!(pending.change_path(DB), paths[0]);
}

fn lectern_copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let t = to.join(e.file_name());
        if e.path().is_dir() {
            lectern_copy(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

#[test]
fn selecting_a_path_without_a_pending_change_is_refused() {
    let (_t, root) = git_site();
    let mut ws = Workspace::open(&root).unwrap();
    ws.set_field(DB, "title", Some("Other")).unwrap();
    ws.save(DB).unwrap();
    let pending = ws.pending_changes().unwrap();
    assert_eq!(pending.select(&[DB]).unwrap().len(), 1);
    assert!(matches!(pending.select(&[WEB]), Err(ExportError::Invalid(m)) if m.contains(WEB)));
    assert!(matches!(
        pending.select::<&str>(&[]),
        Err(ExportError::NothingToCommit)
    ));
}

/// Edit the title (line 2) and the last body line (far apart: two hunks), save.
fn two_hunks(ws: &mut Workspace) {
    ws.set_field(DB, "title", Some("Fast Indexes, Fewer Tears"))
        .unwrap();
    let body = ws
        .document(DB)
        .unwrap()
        .body()
        .replace("for ten years.", "for twelve years.");
    ws.set_body(DB, &body).unwrap();
    ws.save(DB).unwrap();
}

#[test]
fn reverting_one_hunk_keeps_the_other_and_undo_brings_it_back() {
    let (_t, root) = git_site();
    let original = read(&root, DB);
    let mut ws = Workspace::open(&root).unwrap();
    two_hunks(&mut ws);
    let pending = ws.pending_changes().unwrap();
    let file = review(pending.changes.get(DB).unwrap());
    assert_eq!(file.hunks.len(), 2);

    let done = ws
        .revert_change(Path::new(DB), Some(0), &file.fingerprint)
        .unwrap();
    assert_eq!(done.sessions, vec![DB.to_string()]);
    assert!(done
        .journal
        .as_ref()
        .is_some_and(|j| j.join("manifest.json").is_file()));
    let on_disk = read(&root, DB);
    assert!(on_disk.contains("title: \"Fast Indexes Without Tears\""));
    assert!(on_disk.contains("for twelve years."));
    // Only the second hunk's line differs from HEAD now.
    let (del, ins) = crate::support::changed_lines(&original, &on_disk);
    assert_eq!(
        del,
        vec!["Ada has worked on storage engines for ten years.\n"]
    );
    assert_eq!(
        ins,
        vec!["Ada has worked on storage engines for twelve years.\n"]
    );
    // The workspace holds the written text, clean; the watcher sees nothing new.
    assert_eq!(ws.document(DB).unwrap().text(), on_disk);
    assert!(!ws.is_modified(DB));
    assert_eq!(
        ws.disk_changed(&root.join(DB)).unwrap(),
        DiskEvent::Unchanged
    );
    // Undo brings the reverted change back, as an unsaved edit.
    assert!(ws.undo(DB).unwrap());
    assert!(ws
        .document(DB)
        .unwrap()
        .text()
        .contains("Fast Indexes, Fewer Tears"));
    assert!(ws.is_modified(DB));
    assert_eq!(read(&root, DB), on_disk);
}

#[test]
fn reverting_a_whole_file_gives_back_heads_exact_bytes() {
    let (_t, root) = git_site();
    let head = read(&root, DB);
    let mut ws = Workspace::open(&root).unwrap();
    two_hunks(&mut ws);
    let pending = ws.pending_changes().unwrap();
    let fp = review(pending.changes.get(DB).unwrap()).fingerprint;
    ws.revert_change(Path::new(DB), None, &fp).unwrap();
    assert_eq!(read(&root, DB), head);
    assert_eq!(
        status(&root)
            .lines()
            .filter(|l| !l.contains(".lectern/"))
            .count(),
        0,
        "{}",
        status(&root)
    );
    assert!(ws.pending_changes().unwrap().changes.is_empty());
}

#[test]
fn reverting_a_created_file_removes_it_and_a_deleted_one_comes_back() {
    let (_t, root) = git_site();
    let mut ws = Workspace::open(&root).unwrap();
    let templates = std::collections::BTreeMap::from([(
        "en".to_string(),
        "---\ntitle: \"{{title}}\"\n---\n".to_string(),
    )]);
    let created = ws
        .new_session("web", "105", &["en".to_string()], &templates)
        .unwrap();
    let zh = root.join(DB_ZH);
    let zh_bytes = std::fs::read(&zh).unwrap();
    std::fs::remove_file(&zh).unwrap();
    assert!(matches!(
        ws.disk_changed(&zh).unwrap(),
        DiskEvent::Removed { .. }
    ));

    let pending = ws.pending_changes().unwrap();
    let new_fp = review(pending.changes.get(&created[0]).unwrap()).fingerprint;
    let gone_fp = review(pending.changes.get(DB_ZH).unwrap()).fingerprint;
    // A created file has no hunks to revert one by one.
    let err = ws
        .revert_change(Path::new(&created[0]), Some(0), &new_fp)
        .unwrap_err();
    assert!(err.to_string().contains("revert the whole file"), "{err}");

    let done = ws
        .revert_change(Path::new(&created[0]), None, &new_fp)
        .unwrap();
    assert_eq!(done.sessions, vec![created[0].clone()]);
    assert!(!root.join(&created[0]).exists());
    assert!(
        matches!(
            ws.session(&created[0]),
            Err(lectern::Error::NotFound {
                what: "session",
                ..
            })
        ),
        "a reverted new session names nothing any more"
    );

    ws.revert_change(Path::new(DB_ZH), None, &gone_fp).unwrap();
    assert_eq!(std::fs::read(&zh).unwrap(), zh_bytes);
    assert!(ws.document(DB_ZH).is_ok());
    assert!(ws.pending_changes().unwrap().changes.is_empty());
}

#[test]
fn refuses_to_revert_over_unsaved_edits_or_a_change_that_moved_on() {
    let (_t, root) = git_site();
    let mut ws = Workspace::open(&root).unwrap();
    two_hunks(&mut ws);
    let pending = ws.pending_changes().unwrap();
    let fp = review(pending.changes.get(DB).unwrap()).fingerprint;
    let saved = read(&root, DB);

    ws.set_field(DB, "room", Some("Side Room")).unwrap();
    let err = ws.revert_change(Path::new(DB), Some(0), &fp).unwrap_err();
    assert!(err.to_string().contains("unsaved edits"), "{err}");
    assert_eq!(read(&root, DB), saved);
    assert!(ws.document(DB).unwrap().text().contains("Side Room"));

    ws.save(DB).unwrap();
    let after_save = read(&root, DB);
    let err = ws.revert_change(Path::new(DB), Some(0), &fp).unwrap_err();
    assert!(
        err.to_string().contains("changed since it was shown"),
        "{err}"
    );
    assert_eq!(read(&root, DB), after_save);

    let err = ws.revert_change(Path::new(WEB), None, &fp).unwrap_err();
    assert!(err.to_string().contains("no pending change"), "{err}");
}

#[test]
fn a_file_changed_on_disk_behind_the_workspace_is_not_reverted() {
    let (_t, root) = site();
    let mut ws = Workspace::open(&root).unwrap();
    ws.set_field(WEB, "title", Some("Accessible Forms, Again"))
        .unwrap();
    ws.save(WEB).unwrap();
    let pending = ws.pending_changes().unwrap();
    let fp = review(pending.changes.get(WEB).unwrap()).fingerprint;
    let sneaky = read(&root, WEB).replace("Labels", "Captions");
    std::fs::write(root.join(WEB), &sneaky).unwrap();
    // The watcher has not reported it yet, but the change is read from disk
    // again: it is no longer what was shown.
    let err = ws.revert_change(Path::new(WEB), None, &fp).unwrap_err();
    assert!(
        err.to_string().contains("changed since it was shown"),
        "{err}"
    );
    assert_eq!(read(&root, WEB), sneaky);
    assert!(!ws.is_modified(WEB), "the staged text was rolled back");
}

fn cache(dir: &Path) -> PhotoCache {
    PhotoCache::open(dir, CacheConfig::default()).unwrap()
}

#[test]
fn checklist_blocks_errors_of_selected_files_unless_overridden() {
    let (_t, root) = git_site();
    let mut ws = Workspace::open(&root).unwrap();
    ws.set_field(WEB, "title", Some("Accessible Forms for Everyone"))
        .unwrap();
    ws.set_field(DB, "title", Some("Fast Indexes")).unwrap();
    ws.save_all();
    let pending = ws.pending_changes().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let c = cache(tmp.path());

    let all = pending.select(&[DB, WEB]).unwrap();
    let list = checklist(ws.site(), &pending, &all, &[], Some(&c));
    let problems = list.item(CheckKey::Problems).unwrap();
    assert_eq!(problems.state, CheckState::Blocking);
    assert_eq!(list.errors, 1);
    assert!(
        problems
            .details
            .iter()
            .any(|d| d.file == WEB && d.message.contains("Attic")),
        "{problems:?}"
    );
    assert!(list.blocked());
    assert!(matches!(
        list.allows(false),
        Err(ExportError::Blocked { errors: 1 })
    ));
    assert!(list.allows(true).is_ok());

    let only_db = pending.select(&[DB]).unwrap();
    let list = checklist(ws.site(), &pending, &only_db, &[], Some(&c));
    assert_eq!(list.item(CheckKey::Problems).unwrap().state, CheckState::Ok);
    assert!(!list.blocked());
    assert!(list.allows(false).is_ok());
    assert_eq!(list.files, 1);
}

#[test]
fn checklist_says_which_remote_photos_are_fetched_and_which_are_not() {
    let png = {
        let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 64, |x, y| {
            image::Rgb([x as u8, y as u8, 90])
        }));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let server = TestServer::start(move |r| {
        if r.path == "/here.png" {
            Response::ok("image/png", png.clone())
        } else {
            Response::status(404)
        }
    });
    let (here, absent) = (server.url("/here.png"), server.url("/absent.png"));
    let (_t, root) = git_site();
    let mut ws = Workspace::open(&root).unwrap();
    let speakers = vec![
        lectern::speakers::Speaker {
            photo: Some(here.clone()),
            name: "Ada Park".into(),
            headline: "Storage".into(),
            bio: String::new(),
        },
        lectern::speakers::Speaker {
            photo: Some(absent.clone()),
            name: "Bo Chen".into(),
            headline: "Planner".into(),
            bio: String::new(),
        },
        lectern::speakers::Speaker {
            photo: Some("images/speaker/li.png".into()),
            name: "Li".into(),
            headline: "Ops".into(),
            bio: String::new(),
        },
    ];
    ws.set_speakers(DB, &speakers).unwrap();
    ws.save(DB).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let c = cache(tmp.path());
    let policy = FetchPolicy {
        allow_loopback: true,
        ..FetchPolicy::default()
    };
    c.fetch(&here, &policy).unwrap();

    let pending = ws.pending_changes().unwrap();
    let sel = pending.select(&[DB]).unwrap();
    let list = checklist(ws.site(), &pending, &sel, &[], Some(&c));
    let photos = list.item(CheckKey::Photos).unwrap();
    assert_eq!(photos.state, CheckState::Warning);
    assert_eq!(photos.details.len(), 1, "{photos:?}");
    assert!(photos.details[0].message.contains(&absent));
    assert!(photos.details[0].line > 0);
    assert!(photos.summary.contains("1 of 3"), "{}", photos.summary);

    // Without a cache nothing remote can be confirmed.
    let list = checklist(ws.site(), &pending, &sel, &[], None);
    assert_eq!(list.item(CheckKey::Photos).unwrap().details.len(), 2);
}

#[test]
fn checklist_points_at_a_new_photo_left_out_of_the_selection() {
    let (_t, root) = git_site();
    std::fs::copy(
        root.join("static/images/speaker/ada.png"),
        root.join("static/images/speaker/bo.png"),
    )
    .unwrap();
    let mut ws = Workspace::open(&root).unwrap();
    let mut list = ws.document(DB).unwrap().speakers().unwrap().speakers;
    list[0].photo = Some("images/speaker/bo.png".into());
    ws.set_speakers(DB, &list).unwrap();
    ws.save(DB).unwrap();
    let pending = ws.pending_changes().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let c = cache(tmp.path());
    let without = checklist(
        ws.site(),
        &pending,
        &pending.select(&[DB]).unwrap(),
        &[],
        Some(&c),
    );
    let photos = without.item(CheckKey::Photos).unwrap();
    assert_eq!(photos.state, CheckState::Warning);
    assert!(
        photos.details[0]
            .message
            .contains("static/images/speaker/bo.png"),
        "{photos:?}"
    );
    let with = checklist(
        ws.site(),
        &pending,
        &pending
            .select(&[DB, "static/images/speaker/bo.png"])
            .unwrap(),
        &[],
        Some(&c),
    );
    assert_eq!(with.item(CheckKey::Photos).unwrap().state, CheckState::Ok);
}

#[test]
fn checklist_flags_a_changed_twin_left_out_and_lists_unsaved_files() {
    let (_t, root) = git_site();
    let mut ws = Workspace::open(&root).unwrap();
    // The room is translated into the Chinese twin.
    assert_eq!(
        ws.set_field(DB, "room", Some("Side Room")).unwrap(),
        vec![DB.to_string(), DB_ZH.to_string()]
    );
    ws.save_all();
    ws.set_field(WEB, "title", Some("Unsaved title")).unwrap();
    let pending = ws.pending_changes().unwrap();
    let unsaved = ws.modified_ids();
    let tmp = tempfile::tempdir().unwrap();
    let c = cache(tmp.path());

    let half = checklist(
        ws.site(),
        &pending,
        &pending.select(&[DB]).unwrap(),
        &unsaved,
        Some(&c),
    );
    let twins = half.item(CheckKey::Twins).unwrap();
    assert_eq!(twins.state, CheckState::Warning);
    assert!(
        twins
            .details
            .iter()
            .any(|d| d.file == DB_ZH && d.message.contains("not selected")),
        "{twins:?}"
    );
    let unsaved_item = half.item(CheckKey::Unsaved).unwrap();
    assert_eq!(unsaved_item.state, CheckState::Warning);
    assert_eq!(unsaved_item.details[0].file, WEB);
    assert!(
        !half.blocked(),
        "twins and unsaved edits inform, they do not block"
    );

    let both = checklist(
        ws.site(),
        &pending,
        &pending.select(&[DB, DB_ZH]).unwrap(),
        &[],
        Some(&c),
    );
    assert_eq!(
        both.item(CheckKey::Twins).unwrap().state,
        CheckState::Ok,
        "{:?}",
        both.item(CheckKey::Twins)
    );
    assert_eq!(both.item(CheckKey::Unsaved).unwrap().state, CheckState::Ok);
}

#[test]
fn export_files_must_go_outside_the_sites_folders_and_the_git_folder() {
    let (t, root) = git_site();
    let ws = Workspace::open(&root).unwrap();
    let repo = export::Repo::discover(&root).unwrap();
    let site = ws.site();
    let ok = t.path().join("update.patch");
    assert_eq!(
        check_output_path(site, repo.as_ref(), &ok).unwrap(),
        std::fs::canonicalize(t.path())
            .unwrap()
            .join("update.patch")
    );
    assert!(
        check_output_path(site, repo.as_ref(), &root.join("update.patch")).is_ok(),
        "the site root itself is fine"
    );
    for bad in [
        PathBuf::from("relative.patch"),
        root.join("content/sessions/x.patch"),
        root.join("static/x.zip"),
        root.join(".git/x.patch"),
        t.path().join("missing-folder/x.patch"),
        t.path().to_path_buf(),
        PathBuf::new(),
    ] {
        let err = check_output_path(site, repo.as_ref(), &bad);
        assert!(
            matches!(err, Err(ExportError::Invalid(_))),
            "{} was accepted",
            bad.display()
        );
    }
    assert_eq!(
        export::export_file_name("update-db-101", "patch"),
        "update-db-101.patch"
    );
    assert_eq!(
        export::export_file_name("feature/x y", "zip"),
        "feature-x-y.zip"
    );
    assert_eq!(export::export_file_name("", "zip"), "lectern-update.zip");
}

/// Prints how long the app's review and checklist take on a real site
/// where every session changed. Run with
/// `LECTERN_CORPUS=/path/to/site cargo test --test it measures_review -- --ignored --nocapture`.
#[test]
#[ignore = "measurement; needs a site corpus"]
fn measures_review_and_checklist_on_a_whole_site() {
    let corpus = std::env::var("LECTERN_CORPUS")
        .unwrap_or_else(|_| "/work/shared/corpus/acasia-2022".to_string());
    let corpus = Path::new(&corpus);
    if !corpus.join("content/sessions").is_dir() {
        eprintln!("no corpus at {}; nothing measured", corpus.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    lectern_copy(corpus, &root);
    // The corpus is read-only; its copy must not be.
    assert!(Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&root)
        .status()
        .unwrap()
        .success());
    git(&root, &["init", "-q", "-b", "main"]);
    git(
        &root,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "add",
            "-A",
        ],
    );
    git(
        &root,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "-m",
            "corpus",
        ],
    );
    let mut ws = Workspace::open(&root).unwrap();
    let ids: Vec<String> = ws
        .sessions()
        .iter()
        .filter(|l| l.doc.is_some())
        .map(|l| l.file.rel.clone())
        .collect();
    for id in &ids {
        let title = ws.document(id).unwrap().get("title").unwrap_or_default();
        // Files whose front matter cannot be edited (real data has some) stay as they are.
        if let Err(e) = ws.set_field(id, "title", Some(&format!("{title} (updated)"))) {
            eprintln!("not edited: {e}");
        }
    }
    let results = ws.save_all();
    let saved = results.iter().filter(|(_, r)| r.is_ok()).count();
    if let Some((id, Err(e))) = results.iter().find(|(_, r)| r.is_err()) {
        eprintln!("not saved: {id}: {e}");
    }
    let time = |label: &str, f: &mut dyn FnMut() -> usize| {
        let start = std::time::Instant::now();
        let n = f();
        eprintln!(
            "{label:<34} {:>8.1} ms  ({n})",
            start.elapsed().as_secs_f64() * 1000.0
        );
    };
    eprintln!(
        "{} session files, {saved} saved with a new title",
        ids.len()
    );
    let mut pending = None;
    time("Workspace::pending_changes", &mut || {
        pending = Some(ws.pending_changes().unwrap());
        pending.as_ref().map_or(0, |p| p.changes.len())
    });
    let pending = pending.unwrap();
    time("review every file (lines)", &mut || {
        pending
            .changes
            .changes
            .iter()
            .map(|c| review(c).hunks.iter().map(|h| h.lines.len()).sum::<usize>())
            .sum()
    });
    let cache_dir = tempfile::tempdir().unwrap();
    let c = cache(cache_dir.path());
    let all: Vec<PathBuf> = pending.changes.touched_paths();
    let sel = pending.select(&all).unwrap();
    time("validate::check_site (findings)", &mut || {
        lectern::validate::check_site(ws.site()).diagnostics.len()
    });
    time("checklist (details)", &mut || {
        checklist(ws.site(), &pending, &sel, &[], Some(&c))
            .items
            .iter()
            .map(|i| i.details.len())
            .sum()
    });
}
