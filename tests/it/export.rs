//! Export: diffs that git applies, branch commits, pushes, patches and zips,
//! all against real git repositories made in temporary folders.

use lectern::export::{
    self, branch_name_for, branch_name_with, check_clean_state, commit_message_for,
    create_branch_commit, diff_all, export_patch, export_zip, hunks, revert_hunk, unified_diff,
    word_diff, ChangeKind, ChangeSet, ChangeSummary, DiffKind, ExportError, FileChange, Repo,
    Signature, Span,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------- helpers

const REDIRECTING_VARS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
];

fn git_cmd(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(["-c", "core.quotepath=off", "-c", "commit.gpgsign=false"])
        .args(args);
    for v in REDIRECTING_VARS {
        cmd.env_remove(v);
    }
    cmd.output().expect("git runs")
}

/// Runs git and returns stdout; fails the test with git's stderr otherwise.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_cmd(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn git_stdin(dir: &Path, args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for v in REDIRECTING_VARS {
        cmd.env_remove(v);
    }
    let mut child = cmd.spawn().expect("git runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("git ends")
}

fn configure(dir: &Path) {
    git(dir, &["config", "user.name", "Test Runner"]);
    git(dir, &["config", "user.email", "runner@example.org"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
    git(dir, &["config", "core.autocrlf", "false"]);
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

fn read(root: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(root.join(rel)).expect("read")
}

fn session(title: &str, presenters: &str, date: &str, room: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: \"{date}\"\ntrack: \"datalake\"\npresenters: \"{presenters}\"\n\
         stype: \"English Session\"\nroom: \"{room}\"\n---\n\nAn abstract about lakes of data.\n\n\
         ### Speakers:\n\n<img src=\"/images/speakers/a.png\" width=\"200\" /><br>Speaker One: engineer\n\n\
         A short biography.\n"
    )
}

const EN: &str = "content/sessions/datalake-1211745.md";
const ZH: &str = "content/sessions/datalake-1211745.zh.md";
const OTHER: &str = "content/sessions/streaming-1211800.md";
const CRLF: &str = "content/sessions/windows-1211900.md";
const NO_EOL: &str = "content/sessions/noeol-1212000.md";
const PHOTO: &str = "static/images/speakers/new.png";

fn png_bytes() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    v.extend((0u32..600).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    v
}

/// A site repository with a first commit on `main`.
fn site_repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "-q", "-b", "main"]);
    configure(&root);
    write(
        &root,
        EN,
        session("Lakes", "Alice", "2022-07-29T14:00:00", "Room 1").as_bytes(),
    );
    write(
        &root,
        ZH,
        session("数据湖", "Alice", "2022-07-29T14:00:00", "Room 1").as_bytes(),
    );
    write(
        &root,
        OTHER,
        session("Streams", "Bob", "2022-07-30T10:00:00", "Room 2").as_bytes(),
    );
    write(
        &root,
        CRLF,
        session("Windows", "Carol", "2022-07-30T11:00:00", "Room 3")
            .replace('\n', "\r\n")
            .as_bytes(),
    );
    write(
        &root,
        NO_EOL,
        b"---\ntitle: \"No EOL\"\n---\n\nLast line without newline",
    );
    write(&root, "README.md", b"# Site\n");
    write(
        &root,
        "content/sessions/old-name-1.md",
        session("Old", "Dan", "2022-07-31T09:00:00", "Room 4").as_bytes(),
    );
    write(
        &root,
        "content/sessions/obsolete-2.md",
        b"---\ntitle: \"Gone\"\n---\n",
    );
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "Initial site"]);
    (tmp, root)
}

/// What refusals must leave alone.
fn repo_state(root: &Path) -> (String, String, String) {
    (
        git(root, &["status", "--porcelain"]),
        git(root, &["rev-parse", "HEAD"]),
        git(root, &["branch", "--list"]),
    )
}

fn author() -> Signature {
    Signature::new("Jane Volunteer", "jane@example.org")
}

fn date() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2022-07-29T14:00:00+08:00").expect("date")
}

/// Edits every kind of change into the work tree: presenters in two
/// languages, CRLF file, no-final-newline file, a new binary photo, a rename
/// and a deletion.
fn edit_everything(root: &Path) {
    write(
        root,
        EN,
        session("Lakes", "Alice, Erin", "2022-07-29T14:00:00", "Room 1").as_bytes(),
    );
    write(
        root,
        ZH,
        session("数据湖", "Alice, Erin", "2022-07-29T14:00:00", "Room 1").as_bytes(),
    );
    write(
        root,
        CRLF,
        session("Windows", "Carol", "2022-07-30T11:30:00", "Room 3")
            .replace('\n', "\r\n")
            .as_bytes(),
    );
    write(
        root,
        NO_EOL,
        b"---\ntitle: \"No EOL\"\n---\n\nLast line changed, still without newline",
    );
    write(root, PHOTO, &png_bytes());
    let old = read(root, "content/sessions/old-name-1.md");
    std::fs::remove_file(root.join("content/sessions/old-name-1.md")).expect("rm");
    write(root, "content/sessions/new-name-1.md", &old);
    std::fs::remove_file(root.join("content/sessions/obsolete-2.md")).expect("rm");
}

// ------------------------------------------------------------ change sets

#[test]
fn finds_every_kind_of_pending_change_against_head() {
    let (_t, root) = site_repo();
    edit_everything(&root);
    let set = ChangeSet::from_git_head(&root).expect("change set");
    let got: Vec<(String, ChangeKind)> = set
        .changes
        .iter()
        .map(|c| (c.path.to_string_lossy().into_owned(), c.kind.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (EN.to_string(), ChangeKind::Changed),
            (ZH.to_string(), ChangeKind::Changed),
            (
                "content/sessions/new-name-1.md".into(),
                ChangeKind::Moved {
                    from: "content/sessions/old-name-1.md".into()
                }
            ),
            (NO_EOL.to_string(), ChangeKind::Changed),
            ("content/sessions/obsolete-2.md".into(), ChangeKind::Deleted),
            (CRLF.to_string(), ChangeKind::Changed),
            (PHOTO.to_string(), ChangeKind::Created),
        ]
    );
    let en = set.get(EN).expect("en");
    assert_eq!(
        en.before.as_deref(),
        Some(session("Lakes", "Alice", "2022-07-29T14:00:00", "Room 1").as_bytes())
    );
    assert_eq!(en.after.as_deref(), Some(read(&root, EN).as_slice()));
    assert_eq!(
        set.get(PHOTO).and_then(|c| c.after.clone()),
        Some(png_bytes())
    );
}

#[test]
fn limits_head_changes_to_the_site_folder_with_repository_paths() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    git(root, &["init", "-q", "-b", "main"]);
    configure(root);
    write(root, "site/content/a.md", b"a\n");
    write(root, "tools/x.txt", b"x\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "init"]);
    write(root, "site/content/a.md", b"a2\n");
    write(root, "tools/x.txt", b"x2\n");
    let set = ChangeSet::from_git_head(&root.join("site")).expect("set");
    assert_eq!(
        set.touched_paths(),
        vec![PathBuf::from("site/content/a.md")]
    );
    assert_eq!(
        std::fs::canonicalize(&set.root).ok(),
        std::fs::canonicalize(root).ok()
    );
}

#[test]
fn pairs_a_deleted_and_a_created_snapshot_file_into_a_move() {
    let body = session("Old", "Dan", "2022-07-31T09:00:00", "Room 4");
    let before = BTreeMap::from([
        (PathBuf::from("a/old.md"), body.clone().into_bytes()),
        (PathBuf::from("a/same.md"), b"same\n".to_vec()),
        (PathBuf::from("a/edit.md"), b"one\n".to_vec()),
    ]);
    let after = BTreeMap::from([
        (
            PathBuf::from("a/new.md"),
            body.replace("Dan", "Dan Brown").into_bytes(),
        ),
        (PathBuf::from("a/same.md"), b"same\n".to_vec()),
        (PathBuf::from("a/edit.md"), b"two\n".to_vec()),
        (PathBuf::from("/site/a/created.md"), b"new\n".to_vec()),
    ]);
    let set = ChangeSet::from_snapshots("/site", before, after);
    let kinds: Vec<(PathBuf, ChangeKind)> = set
        .changes
        .iter()
        .map(|c| (c.path.clone(), c.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("a/created.md".into(), ChangeKind::Created),
            ("a/edit.md".into(), ChangeKind::Changed),
            (
                "a/new.md".into(),
                ChangeKind::Moved {
                    from: "a/old.md".into()
                }
            ),
        ]
    );
    let picked = set.select(&["a/old.md"]);
    assert_eq!(
        picked.touched_paths(),
        vec![PathBuf::from("a/new.md"), PathBuf::from("a/old.md")]
    );
    assert!(set.select(&["nothing.md"]).is_empty());
}

// ------------------------------------------------------------------ diffs

/// Applies `diff` in a scratch folder holding `files`, checks first, and
/// returns the folder.
fn apply_in_scratch(files: &[(&str, &[u8])], diff: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (p, b) in files {
        write(tmp.path(), p, b);
    }
    let check = git_stdin(tmp.path(), &["apply", "--check", "-"], diff.as_bytes());
    assert!(
        check.status.success(),
        "git apply --check: {}\n{diff}",
        String::from_utf8_lossy(&check.stderr)
    );
    let apply = git_stdin(tmp.path(), &["apply", "-"], diff.as_bytes());
    assert!(
        apply.status.success(),
        "git apply: {}",
        String::from_utf8_lossy(&apply.stderr)
    );
    tmp
}

fn change(path: &str, before: Option<&[u8]>, after: Option<&[u8]>) -> FileChange {
    let kind = match (before, after) {
        (None, _) => ChangeKind::Created,
        (_, None) => ChangeKind::Deleted,
        _ => ChangeKind::Changed,
    };
    FileChange {
        path: path.into(),
        kind,
        before: before.map(<[u8]>::to_vec),
        after: after.map(<[u8]>::to_vec),
    }
}

#[test]
fn unified_diff_of_a_crlf_file_applies_and_keeps_crlf() {
    let before = session("Windows", "Carol", "2022-07-30T11:00:00", "Room 3").replace('\n', "\r\n");
    let after = before
        .replace("Room 3", "Room 9")
        .replace("A short biography.", "A longer biography.");
    let c = change("s/w.md", Some(before.as_bytes()), Some(after.as_bytes()));
    let diff = unified_diff(&c, 3);
    assert!(
        diff.contains("-room: \"Room 3\"\r\n+room: \"Room 9\"\r\n"),
        "{diff}"
    );
    let dir = apply_in_scratch(&[("s/w.md", before.as_bytes())], &diff);
    assert_eq!(read(dir.path(), "s/w.md"), after.as_bytes());
}

#[test]
fn unified_diff_marks_and_applies_missing_final_newlines() {
    for (before, after) in [
        (&b"a\nb\nlast"[..], &b"a\nB\nlast"[..]),
        (b"a\nb\nlast", b"a\nb\nlast\n"),
        (b"a\nb\nlast\n", b"a\nb\nlast"),
        (b"one", b"two"),
    ] {
        let c = change("n.md", Some(before), Some(after));
        let diff = unified_diff(&c, 3);
        assert!(diff.contains("\\ No newline at end of file\n"), "{diff}");
        let dir = apply_in_scratch(&[("n.md", before)], &diff);
        assert_eq!(read(dir.path(), "n.md"), after);
    }
}

#[test]
fn diff_all_applies_created_deleted_renamed_and_chinese_files() {
    let zh_before = session("数据湖", "Alice", "2022-07-29T14:00:00", "Room 1");
    let zh_after = zh_before.replace("Alice", "Alice, 张伟");
    let moved_before = session("Old", "Dan", "2022-07-31T09:00:00", "Room 4");
    let moved_after = moved_before.replace("Room 4", "Room 5");
    let set = ChangeSet {
        root: PathBuf::from("/site"),
        changes: vec![
            change("content/new file.md", None, Some(b"brand new\n")),
            change("content/gone.md", Some(b"bye\n"), None),
            change("content/empty.md", None, Some(b"")),
            change(
                "content/会议.zh.md",
                Some(zh_before.as_bytes()),
                Some(zh_after.as_bytes()),
            ),
            FileChange {
                path: "content/b.md".into(),
                kind: ChangeKind::Moved {
                    from: "content/a.md".into(),
                },
                before: Some(moved_before.clone().into_bytes()),
                after: Some(moved_after.clone().into_bytes()),
            },
            FileChange {
                path: "content/d.md".into(),
                kind: ChangeKind::Moved {
                    from: "content/c.md".into(),
                },
                before: Some(b"same\n".to_vec()),
                after: Some(b"same\n".to_vec()),
            },
        ],
    };
    let diff = diff_all(&set);
    assert!(
        diff.contains("rename from content/a.md\nrename to content/b.md\n"),
        "{diff}"
    );
    assert!(diff.contains("new file mode 100644\n"), "{diff}");
    assert!(diff.contains("deleted file mode 100644\n"), "{diff}");
    let dir = apply_in_scratch(
        &[
            ("content/gone.md", b"bye\n"),
            ("content/会议.zh.md", zh_before.as_bytes()),
            ("content/a.md", moved_before.as_bytes()),
            ("content/c.md", b"same\n"),
        ],
        &diff,
    );
    let d = dir.path();
    assert_eq!(read(d, "content/new file.md"), b"brand new\n");
    assert_eq!(read(d, "content/empty.md"), b"");
    assert!(!d.join("content/gone.md").exists());
    assert_eq!(read(d, "content/会议.zh.md"), zh_after.as_bytes());
    assert_eq!(read(d, "content/b.md"), moved_after.as_bytes());
    assert!(!d.join("content/a.md").exists());
    assert_eq!(read(d, "content/d.md"), b"same\n");
}

#[test]
fn diff_all_matches_git_diff_for_ordinary_edits() {
    let (_t, root) = site_repo();
    write(
        &root,
        EN,
        session("Lakes", "Alice, Erin", "2022-07-29T14:00:00", "Room 7").as_bytes(),
    );
    write(
        &root,
        NO_EOL,
        b"---\ntitle: \"No EOL\"\n---\n\nLast line changed",
    );
    // Names git writes specially: spaces (a tab after the name), quotes, Chinese.
    write(&root, "notes/with space.md", b"new\n");
    write(&root, "notes/say \"hi\".md", b"quoted\n");
    write(&root, "notes/会议.md", b"zh\n");
    std::fs::remove_file(root.join("content/sessions/obsolete-2.md")).expect("rm");
    // Intent-to-add so that `git diff` shows the new files too.
    git(&root, &["add", "-N", "notes"]);
    let set = ChangeSet::from_git_head(&root).expect("set");
    let ours = diff_all(&set);
    let theirs = git(
        &root,
        &[
            "-c",
            "diff.noprefix=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
        ],
    );
    assert_eq!(ours, theirs);
}

#[test]
fn shows_bytes_that_are_not_utf8_as_binary() {
    let c = change("img.png", Some(b"\x89PNG\0old"), Some(b"\x89PNG\0new"));
    let diff = unified_diff(&c, 3);
    assert!(
        diff.ends_with("Binary files a/img.png and b/img.png differ\n"),
        "{diff}"
    );
    assert!(hunks(&c).is_empty());
    assert!(matches!(revert_hunk(&c, 0), Err(ExportError::Invalid(_))));
}

#[test]
fn revert_hunk_restores_exact_bytes_of_one_hunk() {
    let before: String = (1..=30)
        .map(|i| format!("line {i}\r\n"))
        .collect::<String>()
        + "tail";
    let after = before
        .replace("line 3\r\n", "line three\r\n")
        .replace("line 25\r\n", "")
        .replace("tail", "tail!");
    let c = change("f.md", Some(before.as_bytes()), Some(after.as_bytes()));
    let hs = hunks(&c);
    assert_eq!(hs.len(), 2);
    assert_eq!(
        (
            hs[0].old_start,
            hs[0].old_len,
            hs[0].new_start,
            hs[0].new_len
        ),
        (1, 6, 1, 6)
    );
    let first = revert_hunk(&c, 0).expect("revert 0");
    assert_eq!(
        first,
        after.replace("line three\r\n", "line 3\r\n").into_bytes()
    );
    let second = revert_hunk(&c, 1).expect("revert 1");
    let expected = before.replace("line 3\r\n", "line three\r\n");
    assert_eq!(second, expected.into_bytes());
    // Reverting the remaining hunk of a half-reverted file gives the original.
    let half = change("f.md", Some(before.as_bytes()), Some(&first));
    assert_eq!(hunks(&half).len(), 1);
    assert_eq!(revert_hunk(&half, 0).expect("revert"), before.as_bytes());
    assert!(matches!(revert_hunk(&c, 2), Err(ExportError::Invalid(_))));
    // Data for the UI: CRLF endings and the missing final newline are visible.
    let last = hs[1].lines.last().expect("line");
    assert_eq!(
        (last.kind, last.text.as_str(), last.ending),
        (DiffKind::Insert, "tail!", export::LineEnding::None)
    );
    assert!(hs[0]
        .lines
        .iter()
        .all(|l| l.ending == export::LineEnding::CrLf));
}

#[test]
fn word_diff_marks_changed_words_and_chinese_characters() {
    let spans = word_diff(
        "presenters: \"Alice Smith, Bob\"",
        "presenters: \"Alice Smith, Carol\"",
    );
    assert_eq!(
        spans,
        vec![
            Span {
                kind: DiffKind::Equal,
                text: "presenters: \"Alice Smith, ".into()
            },
            Span {
                kind: DiffKind::Delete,
                text: "Bob".into()
            },
            Span {
                kind: DiffKind::Insert,
                text: "Carol".into()
            },
            Span {
                kind: DiffKind::Equal,
                text: "\"".into()
            },
        ]
    );
    let zh = word_diff("演讲者：张伟", "演讲者：李伟");
    assert_eq!(
        zh,
        vec![
            Span {
                kind: DiffKind::Equal,
                text: "演讲者：".into()
            },
            Span {
                kind: DiffKind::Delete,
                text: "张".into()
            },
            Span {
                kind: DiffKind::Insert,
                text: "李".into()
            },
            Span {
                kind: DiffKind::Equal,
                text: "伟".into()
            },
        ]
    );
    // Two changed words separated by a space read as one phrase.
    let phrase = word_diff("Room A North", "Hall B North");
    assert_eq!(
        phrase[0],
        Span {
            kind: DiffKind::Delete,
            text: "Room A".into()
        }
    );
    assert_eq!(
        phrase[1],
        Span {
            kind: DiffKind::Insert,
            text: "Hall B".into()
        }
    );
}

// ------------------------------------------------------------------- git

#[test]
fn discovers_branch_remotes_and_head_or_nothing_outside_a_repository() {
    let (_t, root) = site_repo();
    git(
        &root,
        &["remote", "add", "origin", "https://example.org/site.git"],
    );
    let repo = Repo::discover(&root.join("content"))
        .expect("discover")
        .expect("a repo");
    assert_eq!(repo.branch.as_deref(), Some("main"));
    assert_eq!(
        repo.head.as_deref(),
        Some(git(&root, &["rev-parse", "HEAD"]).trim())
    );
    assert_eq!(repo.remotes.len(), 1);
    assert_eq!(
        (repo.remotes[0].name.as_str(), repo.remotes[0].url.as_str()),
        ("origin", "https://example.org/site.git")
    );
    git(&root, &["checkout", "-q", "--detach"]);
    let detached = Repo::discover(&root).expect("discover").expect("a repo");
    assert_eq!(detached.branch, None);

    let plain = tempfile::tempdir().expect("tempdir");
    assert_eq!(Repo::discover(plain.path()).expect("discover"), None);
    assert!(matches!(
        ChangeSet::from_git_head(plain.path()),
        Err(ExportError::NotARepo { .. })
    ));
}

fn session_changes(root: &Path) -> ChangeSet {
    ChangeSet::from_git_head(root)
        .expect("set")
        .select(&[EN, ZH])
}

#[test]
fn commits_exactly_the_change_set_on_a_new_branch_and_leaves_other_edits_alone() {
    let (_t, root) = site_repo();
    let head = git(&root, &["rev-parse", "HEAD"]).trim().to_string();
    edit_everything(&root);
    write(&root, "README.md", b"# Site\n\nUnrelated local edit.\n");
    let changes = session_changes(&root);
    let summary = ChangeSummary::infer(&changes);
    let message = commit_message_for(&changes, &summary);
    let name = branch_name_for(&changes);
    assert_eq!(message, "Update presenters for datalake-1211745");
    assert_eq!(name, "update-datalake-1211745");

    let status_before = git(&root, &["status", "--porcelain"]);
    let repo = Repo::discover(&root).expect("discover").expect("repo");
    let outcome =
        create_branch_commit(&repo, &changes, &name, &message, None, false).expect("commit");

    assert_eq!(outcome.branch, name);
    assert_eq!(outcome.files, vec![PathBuf::from(EN), PathBuf::from(ZH)]);
    assert!(outcome.steps.iter().all(|s| s.ok));
    assert!(outcome
        .steps
        .iter()
        .any(|s| s.step == "commit-tree" && s.detail == outcome.commit));
    assert!(!outcome.switched);
    let tip = git(&root, &["rev-parse", &format!("refs/heads/{name}")]);
    assert_eq!(tip.trim(), outcome.commit);
    assert_eq!(git(&root, &["rev-parse", &format!("{name}^")]).trim(), head);
    let files = git(
        &root,
        &["diff-tree", "--no-commit-id", "--name-only", "-r", &name],
    );
    assert_eq!(files, format!("{EN}\n{ZH}\n"));
    assert_eq!(
        git(&root, &["log", "-1", "--format=%B", &name]),
        format!("{message}\n\n")
    );
    assert_eq!(
        git(&root, &["log", "-1", "--format=%an <%ae>", &name]).trim(),
        "Test Runner <runner@example.org>"
    );
    for path in [EN, ZH] {
        let committed = git(&root, &["show", &format!("{name}:{path}")]);
        assert_eq!(committed.as_bytes(), read(&root, path).as_slice());
    }
    assert_eq!(
        git(&root, &["show", &format!("{name}:README.md")]),
        "# Site\n"
    );
    // Nothing else moved: still on main at the old commit, same work tree state.
    assert_eq!(git(&root, &["rev-parse", "HEAD"]).trim(), head);
    assert_eq!(
        git(&root, &["symbolic-ref", "--short", "HEAD"]).trim(),
        "main"
    );
    assert_eq!(git(&root, &["status", "--porcelain"]), status_before);
    assert!(
        !std::fs::read_dir(&repo.git_dir).expect("git dir").any(|e| {
            e.map(|e| e.file_name().to_string_lossy().starts_with("lectern-index"))
                .unwrap_or(false)
        })
    );
}

#[test]
fn switches_to_the_new_branch_without_touching_the_work_tree() {
    let (_t, root) = site_repo();
    edit_everything(&root);
    let changes = ChangeSet::from_git_head(&root).expect("set");
    let author = author();
    let repo = Repo::discover(&root).expect("discover").expect("repo");
    // Everything except the unrelated README edit: moves, deletions, binary.
    write(&root, "README.md", b"# Site\n\nUnrelated local edit.\n");
    let outcome = create_branch_commit(
        &repo,
        &changes,
        "lectern/everything",
        "Update 6 sessions",
        Some(&author),
        true,
    )
    .expect("commit");
    assert!(outcome.switched, "{:?}", outcome.steps);
    assert_eq!(
        git(&root, &["symbolic-ref", "--short", "HEAD"]).trim(),
        "lectern/everything"
    );
    assert_eq!(git(&root, &["status", "--porcelain"]), " M README.md\n");
    assert_eq!(read(&root, PHOTO), png_bytes());
    assert_eq!(
        git(&root, &["log", "-1", "--format=%an <%ae>"]).trim(),
        "Jane Volunteer <jane@example.org>"
    );
    let stat = git(&root, &["show", "--name-status", "--format=", "-M", "HEAD"]);
    assert!(
        stat.contains("R100\tcontent/sessions/old-name-1.md\tcontent/sessions/new-name-1.md"),
        "{stat}"
    );
    assert!(stat.contains("D\tcontent/sessions/obsolete-2.md"), "{stat}");
    assert!(stat.contains(&format!("A\t{PHOTO}")), "{stat}");
}

#[test]
fn pushes_the_new_branch_to_a_bare_remote() {
    let (t, root) = site_repo();
    let bare = t.path().join("remote.git");
    git(
        t.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            bare.to_str().expect("utf8"),
        ],
    );
    git(
        &root,
        &["remote", "add", "origin", bare.to_str().expect("utf8")],
    );
    edit_everything(&root);
    let changes = session_changes(&root);
    let repo = Repo::discover(&root).expect("discover").expect("repo");
    let outcome = create_branch_commit(
        &repo,
        &changes,
        "update-datalake-1211745",
        "Update presenters",
        None,
        false,
    )
    .expect("commit");
    let report = export::push(&repo, "origin", "update-datalake-1211745").expect("push");
    assert!(report.ok);
    let remote_tip = git(&bare, &["rev-parse", "refs/heads/update-datalake-1211745"]);
    assert_eq!(remote_tip.trim(), outcome.commit);
    assert_eq!(
        git(
            &root,
            &[
                "rev-parse",
                "--abbrev-ref",
                "update-datalake-1211745@{upstream}"
            ]
        )
        .trim(),
        "origin/update-datalake-1211745"
    );
    let err =
        export::push(&repo, "nowhere", "update-datalake-1211745").expect_err("no such remote");
    assert!(matches!(err, ExportError::GitFailed { .. }), "{err}");
}

/// Clones `root`'s main into a fresh folder and applies `patch` with git am.
fn am_in_fresh_clone(t: &Path, root: &Path, patch: &[u8], name: &str) -> PathBuf {
    let clone = t.join(name);
    git(
        t,
        &[
            "clone",
            "-q",
            "-b",
            "main",
            root.to_str().expect("utf8"),
            clone.to_str().expect("utf8"),
        ],
    );
    configure(&clone);
    let am = git_stdin(&clone, &["am"], patch);
    assert!(
        am.status.success(),
        "git am failed: {}\n{}",
        String::from_utf8_lossy(&am.stderr),
        String::from_utf8_lossy(patch)
    );
    clone
}

#[test]
fn patch_from_the_repository_applies_with_git_am_to_the_same_tree() {
    let (t, root) = site_repo();
    // User settings that would break a patch if they leaked into it.
    git(&root, &["config", "diff.noprefix", "true"]);
    git(&root, &["config", "format.useAutoBase", "true"]);
    edit_everything(&root);
    let changes = ChangeSet::from_git_head(&root).expect("set");
    let repo = Repo::discover(&root).expect("discover").expect("repo");
    let status = repo_state(&root);
    let patch = export_patch(
        Some(&repo),
        &changes,
        "Update 6 sessions\n\nWith a photo.",
        &author(),
        date(),
    )
    .expect("patch");
    assert_eq!(
        repo_state(&root),
        status,
        "exporting a patch changes nothing"
    );
    let text = String::from_utf8_lossy(&patch);
    assert!(text.starts_with("From "), "{text}");
    assert!(
        text.contains("\nFrom: Jane Volunteer <jane@example.org>\n"),
        "{text}"
    );
    assert!(
        text.contains("\nDate: Fri, 29 Jul 2022 14:00:00 +0800\n"),
        "{text}"
    );
    assert!(
        text.contains("\nSubject: [PATCH] Update 6 sessions\n"),
        "{text}"
    );
    // A CRLF file is in it: the body travels as base64 so plain `git am` keeps the CRs.
    assert!(
        text.contains("\nContent-Transfer-Encoding: base64\n"),
        "{text}"
    );

    let outcome = create_branch_commit(
        &repo,
        &changes,
        "everything",
        "Update 6 sessions",
        None,
        false,
    )
    .expect("commit");
    let clone = am_in_fresh_clone(t.path(), &root, &patch, "clone");
    assert_eq!(
        git(&clone, &["rev-parse", "HEAD^{tree}"]),
        git(
            &root,
            &["rev-parse", &format!("{}^{{tree}}", outcome.commit)]
        )
    );
    assert_eq!(
        git(&clone, &["log", "-1", "--format=%an|%ad|%s", "--date=iso"]).trim(),
        "Jane Volunteer|2022-07-29 14:00:00 +0800|Update 6 sessions"
    );
}

#[test]
fn patch_without_carriage_returns_stays_readable_text() {
    let (t, root) = site_repo();
    edit_everything(&root);
    let changes = ChangeSet::from_git_head(&root)
        .expect("set")
        .select(&[EN, ZH, PHOTO]);
    let repo = Repo::discover(&root).expect("discover").expect("repo");
    for patch in [
        export_patch(
            Some(&repo),
            &changes,
            "Update presenters",
            &author(),
            date(),
        )
        .expect("git patch"),
        export_patch(None, &changes, "Update presenters", &author(), date()).expect("own patch"),
    ] {
        let text = String::from_utf8(patch.clone()).expect("utf8");
        assert!(text.contains("\n---\n"), "{text}");
        assert!(
            text.contains(&format!("\ndiff --git a/{EN} b/{EN}\n")),
            "{text}"
        );
        assert!(text.contains("\n-- \n"), "{text}");
        assert!(!text.contains("base64"), "{text}");
        assert!(text.contains("GIT binary patch\nliteral 616\n"), "{text}");
        let clone = am_in_fresh_clone(t.path(), &root, &patch, &format!("clone-{}", patch.len()));
        assert_eq!(read(&clone, EN), read(&root, EN));
        assert_eq!(read(&clone, PHOTO), png_bytes());
    }
}

#[test]
fn patch_without_a_repository_applies_with_git_am_to_the_same_tree() {
    let (t, root) = site_repo();
    // The app's view: bytes it loaded, bytes it saved (no git involved).
    let loaded: Vec<(PathBuf, Vec<u8>)> = [
        EN,
        ZH,
        CRLF,
        NO_EOL,
        "content/sessions/old-name-1.md",
        "content/sessions/obsolete-2.md",
    ]
    .iter()
    .map(|p| (PathBuf::from(p), read(&root, p)))
    .collect();
    edit_everything(&root);
    let saved: Vec<(PathBuf, Vec<u8>)> = [
        EN,
        ZH,
        CRLF,
        NO_EOL,
        "content/sessions/new-name-1.md",
        PHOTO,
    ]
    .iter()
    .map(|p| (PathBuf::from(p), read(&root, p)))
    .collect();
    let changes = ChangeSet::from_snapshots(&root, loaded, saved);
    assert_eq!(changes.len(), 7);
    let author = Signature::new("张伟", "zhang@example.org");
    let patch = export_patch(None, &changes, "更新 6 个演讲", &author, date()).expect("patch");
    let text = String::from_utf8_lossy(&patch);
    // The photo travels as a GIT binary patch inside the base64 body (CRLF file present);
    // the tree comparison below proves it arrives intact.
    assert!(
        text.contains("\nContent-Transfer-Encoding: base64\n"),
        "{text}"
    );
    assert!(text.contains("Subject: [PATCH] =?UTF-8?q?"), "{text}");

    let repo = Repo::discover(&root).expect("discover").expect("repo");
    let outcome =
        create_branch_commit(&repo, &changes, "everything", "Update", None, false).expect("commit");
    let clone = am_in_fresh_clone(t.path(), &root, &patch, "clone");
    assert_eq!(
        git(&clone, &["rev-parse", "HEAD^{tree}"]),
        git(
            &root,
            &["rev-parse", &format!("{}^{{tree}}", outcome.commit)]
        )
    );
    assert_eq!(
        git(&clone, &["log", "-1", "--format=%an <%ae>|%s"]).trim(),
        "张伟 <zhang@example.org>|更新 6 个演讲"
    );
}

#[test]
fn zip_holds_the_edited_files_byte_for_byte_and_lists_deletions() {
    let (t, root) = site_repo();
    edit_everything(&root);
    let changes = ChangeSet::from_git_head(&root).expect("set");
    let out = t.path().join("out").join("changes.zip");
    std::fs::create_dir_all(out.parent().expect("parent")).expect("mkdir");
    let names = export_zip(&changes, &out).expect("zip");
    assert_eq!(names[0], "CHANGES.md");
    let file = std::fs::File::open(&out).expect("open zip");
    let mut zip = zip::ZipArchive::new(file).expect("read zip");
    let mut entries: Vec<String> = zip.file_names().map(str::to_string).collect();
    entries.sort();
    let mut expected: Vec<String> = changes
        .changes
        .iter()
        .filter(|c| c.after.is_some())
        .map(|c| c.path.to_string_lossy().into_owned())
        .chain(["CHANGES.md".to_string()])
        .collect();
    expected.sort();
    assert_eq!(entries, expected);
    for c in changes.changes.iter().filter(|c| c.after.is_some()) {
        let name = c.path.to_string_lossy();
        let mut f = zip.by_name(&name).expect("entry");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).expect("read entry");
        assert_eq!(bytes, read(&root, &name), "{name}");
    }
    let mut md = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("CHANGES.md").expect("summary"), &mut md)
        .expect("read");
    assert!(md.contains("## Deleted"), "{md}");
    assert!(md.contains("- `content/sessions/obsolete-2.md`"), "{md}");
    assert!(
        md.contains("- `content/sessions/old-name-1.md` → `content/sessions/new-name-1.md`"),
        "{md}"
    );
    // Atomic write: no temporary file left beside the archive.
    let left: Vec<_> = std::fs::read_dir(out.parent().expect("dir"))
        .expect("ls")
        .collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn zip_refuses_paths_that_leave_the_site() {
    let t = tempfile::tempdir().expect("tempdir");
    let set = ChangeSet {
        root: t.path().into(),
        changes: vec![change("../evil.md", None, Some(b"x"))],
    };
    let out = t.path().join("x.zip");
    assert!(matches!(
        export_zip(&set, &out),
        Err(ExportError::Invalid(_))
    ));
    assert!(!out.exists());
    let abs = ChangeSet {
        root: t.path().into(),
        changes: vec![change("/abs/file.md", None, Some(b"x"))],
    };
    let names = export_zip(&abs, &out).expect("zip");
    assert_eq!(
        names,
        vec!["CHANGES.md".to_string(), "abs/file.md".to_string()]
    );
}

// -------------------------------------------------------------- refusals

fn assert_refused_unchanged(
    root: &Path,
    changes: &ChangeSet,
    name: &str,
    check: impl Fn(&ExportError) -> bool,
) {
    let before = repo_state(root);
    let repo = Repo::discover(root).expect("discover").expect("repo");
    let err =
        create_branch_commit(&repo, changes, name, "Update", None, true).expect_err("must refuse");
    assert!(check(&err), "unexpected error: {err}");
    assert_eq!(repo_state(root), before, "refusal changed the repository");
    assert!(!err.to_string().is_empty());
}

#[test]
fn refuses_during_a_conflicted_merge_and_changes_nothing() {
    let (_t, root) = site_repo();
    git(&root, &["checkout", "-q", "-b", "other"]);
    write(&root, "README.md", b"# Other\n");
    git(&root, &["commit", "-q", "-am", "other"]);
    git(&root, &["checkout", "-q", "main"]);
    write(&root, "README.md", b"# Main\n");
    git(&root, &["commit", "-q", "-am", "main"]);
    let merge = git_cmd(&root, &["merge", "other"]);
    assert!(!merge.status.success(), "the merge must conflict");
    write(&root, EN, b"edited during merge\n");
    let changes = ChangeSet::from_git_head(&root).expect("set").select(&[EN]);
    assert_refused_unchanged(
        &root,
        &changes,
        "x",
        |e| matches!(e, ExportError::MergeInProgress { operation } if operation == "merge"),
    );
}

#[test]
fn refuses_on_a_detached_head_and_changes_nothing() {
    let (_t, root) = site_repo();
    git(&root, &["checkout", "-q", "--detach"]);
    write(&root, EN, b"edited\n");
    let changes = session_changes(&root);
    assert_refused_unchanged(&root, &changes, "x", |e| {
        matches!(e, ExportError::DetachedHead)
    });
}

#[test]
fn refuses_when_something_is_staged_and_changes_nothing() {
    let (_t, root) = site_repo();
    write(&root, "README.md", b"staged edit\n");
    git(&root, &["add", "README.md"]);
    write(&root, EN, b"edited\n");
    let changes = session_changes(&root);
    assert_refused_unchanged(
        &root,
        &changes,
        "x",
        |e| matches!(e, ExportError::StagedChanges { paths } if paths == &[PathBuf::from("README.md")]),
    );
}

#[test]
fn refuses_when_the_branch_exists_and_changes_nothing() {
    let (_t, root) = site_repo();
    git(&root, &["branch", "update-datalake-1211745"]);
    write(&root, EN, b"edited\n");
    let changes = session_changes(&root);
    assert_refused_unchanged(
        &root,
        &changes,
        "update-datalake-1211745",
        |e| matches!(e, ExportError::BranchExists { name } if name == "update-datalake-1211745"),
    );
    assert_refused_unchanged(&root, &changes, "bad..name", |e| {
        matches!(e, ExportError::InvalidBranchName { .. })
    });
}

#[test]
fn refuses_a_change_set_with_conflicted_files_and_changes_nothing() {
    let (_t, root) = site_repo();
    write(&root, EN, b"stashed version\n");
    git(&root, &["stash", "-q"]);
    write(&root, EN, b"committed version\n");
    git(&root, &["commit", "-q", "-am", "move on"]);
    let pop = git_cmd(&root, &["stash", "pop"]);
    assert!(!pop.status.success(), "the stash must conflict");
    let changes = ChangeSet::from_git_head(&root).expect("set").select(&[EN]);
    assert_eq!(changes.len(), 1);
    let repo = Repo::discover(&root).expect("discover").expect("repo");
    let err = check_clean_state(&repo, &changes).expect_err("refuse");
    assert!(
        matches!(&err, ExportError::Unmerged { paths } if paths == &[PathBuf::from(EN)]),
        "{err}"
    );
    assert_refused_unchanged(&root, &changes, "x", |e| {
        matches!(e, ExportError::Unmerged { .. })
    });
}

#[test]
fn refuses_a_change_set_that_head_has_moved_past() {
    let (_t, root) = site_repo();
    let loaded = vec![(PathBuf::from(EN), read(&root, EN))];
    write(&root, EN, b"someone else's commit\n");
    git(&root, &["commit", "-q", "-am", "meanwhile"]);
    write(&root, EN, b"my edit\n");
    let changes = ChangeSet::from_snapshots(
        &root,
        loaded,
        vec![(PathBuf::from(EN), b"my edit\n".to_vec())],
    );
    assert_refused_unchanged(
        &root,
        &changes,
        "x",
        |e| matches!(e, ExportError::OutOfDate { paths } if paths == &[PathBuf::from(EN)]),
    );
}

// ----------------------------------------------------------------- names

/// (path, before, after) of one file in a table case.
type Item<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

fn set_of(items: &[Item<'_>]) -> ChangeSet {
    let changes = items
        .iter()
        .map(|(p, b, a)| change(p, b.map(str::as_bytes), a.map(str::as_bytes)))
        .collect();
    ChangeSet {
        root: PathBuf::from("/site"),
        changes,
    }
}

#[test]
fn proposes_commit_messages_and_branch_names_from_the_change_set() {
    let s = |t: &str, p: &str, d: &str, r: &str| session(t, p, d, r);
    let base = s("T", "Alice", "2022-07-29T14:00:00", "Room 1");
    let presenters = s("T", "Alice, Bob", "2022-07-29T14:00:00", "Room 1");
    let moved = s("T", "Alice", "2022-07-30T14:00:00", "Room 2");
    let title_and_room = s("T2", "Alice", "2022-07-29T14:00:00", "Room 2");
    // Duplicate keys, as in real files: not valid YAML, compared line by line.
    let dup_before = "---\ntitle: \"D\"\ndate: \"2022-07-29T14:00:00\"\nspeechLink: \"a\"\nspeechLink: \"b\"\n---\nBody\n";
    let dup_after = dup_before.replace("07-29", "07-30");
    let many_schedule: Vec<(String, Option<&str>, Option<&str>)> = (0..24)
        .map(|i| {
            (
                format!("content/sessions/track-{i}.md"),
                Some(base.as_str()),
                Some(moved.as_str()),
            )
        })
        .collect();
    let many_schedule: Vec<Item<'_>> = many_schedule
        .iter()
        .map(|(p, b, a)| (p.as_str(), *b, *a))
        .collect();
    let cases: Vec<(Vec<Item<'_>>, &str, &str)> = vec![
        (
            vec![
                (EN, Some(&base), Some(&presenters)),
                (ZH, Some(&base), Some(&presenters)),
            ],
            "Update presenters for datalake-1211745",
            "update-datalake-1211745",
        ),
        (
            vec![(EN, Some(&base), Some(&title_and_room))],
            "Update title and room for datalake-1211745",
            "update-datalake-1211745",
        ),
        (
            many_schedule,
            "Update schedule for 24 sessions",
            "update-schedule-24-sessions",
        ),
        (
            vec![(EN, None, Some(&base)), (ZH, None, Some(&base))],
            "Add session datalake-1211745",
            "add-datalake-1211745",
        ),
        (
            vec![(EN, Some(&base), None)],
            "Remove session datalake-1211745",
            "remove-datalake-1211745",
        ),
        (
            vec![
                (EN, Some(&base), Some(&presenters)),
                (OTHER, Some(&base), Some(&presenters)),
            ],
            "Update presenters for 2 sessions",
            "update-presenters-2-sessions",
        ),
        (
            vec![
                (EN, Some(&base), Some(&presenters)),
                (OTHER, Some(&base), Some(&title_and_room)),
            ],
            "Update 2 sessions",
            "update-2-sessions",
        ),
        (
            vec![(EN, None, Some(&base)), (OTHER, None, Some(&base))],
            "Add 2 sessions",
            "add-2-sessions",
        ),
        (
            vec![("static/images/speakers/x.png", None, Some("png"))],
            "Add x.png",
            "add-x",
        ),
        (
            vec![
                ("config.toml", Some("a"), Some("b")),
                ("README.md", Some("a"), Some("b")),
            ],
            "Update 2 files",
            "update-2-files",
        ),
        (
            vec![(
                "content/sessions/中文-1.zh.md",
                Some(&base),
                Some(&presenters),
            )],
            "Update presenters for 中文-1",
            "update-1",
        ),
        (
            vec![(
                "content/sessions/x.md",
                Some("no front matter"),
                Some("still none"),
            )],
            "Update session x",
            "update-x",
        ),
        (
            vec![(
                "content/sessions/dup-1.md",
                Some(dup_before),
                Some(&dup_after),
            )],
            "Update date for dup-1",
            "update-dup-1",
        ),
    ];
    for (items, message, branch) in cases {
        let set = set_of(&items);
        let summary = ChangeSummary::infer(&set);
        assert_eq!(commit_message_for(&set, &summary), message, "{items:?}");
        assert_eq!(branch_name_for(&set), branch, "{items:?}");
    }
}

#[test]
fn uses_given_field_names_when_the_caller_knows_them() {
    let set = set_of(&[(EN, Some("a"), Some("b"))]);
    assert_eq!(
        commit_message_for(&set, &ChangeSummary::unknown()),
        "Update session datalake-1211745"
    );
    let summary = ChangeSummary::unknown().with(EN, &["speechLink"]);
    assert_eq!(
        commit_message_for(&set, &summary),
        "Update speechLink for datalake-1211745"
    );
    let many: Vec<(String, Option<&str>, Option<&str>)> = (0..3)
        .map(|i| (format!("content/s/t-{i}.md"), Some("a"), Some("b")))
        .collect();
    let many: Vec<Item<'_>> = many.iter().map(|(p, b, a)| (p.as_str(), *b, *a)).collect();
    let set = set_of(&many);
    let summary = (0..3).fold(ChangeSummary::unknown(), |s, i| {
        s.with(format!("content/s/t-{i}.md"), &["room"])
    });
    assert_eq!(
        commit_message_for(&set, &summary),
        "Update schedule for 3 sessions"
    );
    assert_eq!(
        branch_name_with(&set, &summary),
        "update-schedule-3-sessions"
    );
}

#[test]
fn branch_names_pass_git_check_ref_format() {
    let t = tempfile::tempdir().expect("tempdir");
    for stem in [
        "..weird..name.lock",
        "-lead",
        "a b\tc",
        "UPPER_case",
        "x".repeat(200).as_str(),
        "演讲",
    ] {
        let set = set_of(&[(&format!("content/sessions/{stem}.md"), Some("a"), Some("b"))]);
        let name = branch_name_for(&set);
        let out = git_cmd(t.path(), &["check-ref-format", "--branch", &name]);
        assert!(out.status.success(), "{name} is not a valid branch name");
        assert!(name.len() <= 60, "{name}");
    }
}

// ------------------------------------------------------------ measurement

/// Prints how long each export step takes on a real site: every session of
/// the corpus gets a new date and room. Run with
/// `LECTERN_CORPUS=/path/to/site cargo test --test it measures_export -- --ignored --nocapture`.
#[test]
#[ignore = "measurement; needs a site corpus"]
fn measures_export_on_a_whole_site() {
    let corpus = std::env::var("LECTERN_CORPUS")
        .unwrap_or_else(|_| "/work/shared/corpus/acasia-2022".to_string());
    let corpus = Path::new(&corpus);
    if !corpus.join("content/sessions").is_dir() {
        eprintln!("no corpus at {}; nothing measured", corpus.display());
        return;
    }
    let t = tempfile::tempdir().expect("tempdir");
    let root = t.path().join("site");
    let copy = Command::new("cp")
        .args(["-r"])
        .arg(corpus)
        .arg(&root)
        .status()
        .expect("cp");
    assert!(copy.success());
    git(&root, &["init", "-q", "-b", "main"]);
    configure(&root);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "corpus"]);
    let mut edited = 0;
    for entry in std::fs::read_dir(root.join("content/sessions")).expect("ls") {
        let p = entry.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("read");
        let new = text
            .replacen("date: \"2022-07-29", "date: \"2022-07-30", 1)
            .replacen("room: ", "room: Hall ", 1);
        if new != text {
            std::fs::write(&p, new).expect("write");
            edited += 1;
        }
    }
    let time = |label: &str, f: &mut dyn FnMut() -> usize| {
        let start = std::time::Instant::now();
        let n = f();
        eprintln!(
            "{label:<34} {:>8.1} ms  ({n})",
            start.elapsed().as_secs_f64() * 1000.0
        );
    };
    eprintln!("{edited} session files edited");
    let mut set = ChangeSet::default();
    time("ChangeSet::from_git_head", &mut || {
        set = ChangeSet::from_git_head(&root).expect("set");
        set.len()
    });
    time("diff_all (bytes of output)", &mut || diff_all(&set).len());
    time("ChangeSummary::infer + message", &mut || {
        commit_message_for(&set, &ChangeSummary::infer(&set)).len()
    });
    eprintln!(
        "message: {}",
        commit_message_for(&set, &ChangeSummary::infer(&set))
    );
    let repo = Repo::discover(&root).expect("discover").expect("repo");
    time("create_branch_commit (files)", &mut || {
        create_branch_commit(&repo, &set, "bench", "Update schedule", None, false)
            .expect("commit")
            .files
            .len()
    });
    time("export_patch with repo (bytes)", &mut || {
        export_patch(Some(&repo), &set, "Update", &author(), date())
            .expect("patch")
            .len()
    });
    time("export_patch without repo (bytes)", &mut || {
        export_patch(None, &set, "Update", &author(), date())
            .expect("patch")
            .len()
    });
    let out = t.path().join("x.zip");
    time("export_zip (entries)", &mut || {
        export_zip(&set, &out).expect("zip").len()
    });
}

#[test]
fn makes_the_first_commit_of_a_repository_without_commits() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = t.path();
    git(root, &["init", "-q", "-b", "main"]);
    configure(root);
    write(root, EN, b"---\ntitle: \"First\"\n---\n");
    write(root, "notes.txt", b"not part of it\n");
    let changes = ChangeSet::from_git_head(root).expect("set").select(&[EN]);
    assert_eq!(changes.changes[0].kind, ChangeKind::Created);
    let repo = Repo::discover(&root.join(EN))
        .expect("discover")
        .expect("repo");
    assert_eq!(
        (repo.branch.as_deref(), repo.head.as_deref()),
        (Some("main"), None)
    );
    let outcome = create_branch_commit(
        &repo,
        &changes,
        "first",
        "Add session datalake-1211745",
        None,
        true,
    )
    .expect("commit");
    assert!(outcome.switched);
    assert_eq!(
        git(root, &["ls-tree", "-r", "--name-only", "HEAD"]),
        format!("{EN}\n")
    );
    assert_eq!(git(root, &["status", "--porcelain"]), "?? notes.txt\n");
}
