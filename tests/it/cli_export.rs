//! `lectern diff` and `lectern export …` in real git repositories.

use crate::support::{copy_tree, repo_root};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=t@example.org"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, site) = copy_tree(&repo_root().join("tests/fixtures/mini"));
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["config", "user.name", "Test"]);
    git(&site, &["config", "user.email", "t@example.org"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "init"]);
    (t, site)
}

fn lectern(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn export_branch_commits_exactly_the_edited_file_with_a_generated_message() {
    let (_t, site) = repo();
    assert!(lectern(
        &[
            "set",
            "content/sessions/db-101.md",
            "presenters=Ada Park, Bo Li"
        ],
        &site
    )
    .status
    .success());
    std::fs::write(site.join("notes.txt"), "not Lectern's").unwrap();
    let diff = lectern(&["diff", "."], &site);
    let d = String::from_utf8(diff.stdout).unwrap();
    assert!(
        d.contains("-presenters: \"Ada Park\"") && d.contains("+presenters: \"Ada Park, Bo Li\""),
        "{d}"
    );
    let head = git(&site, &["rev-parse", "HEAD"]);
    let out = lectern(&["export", "branch", ".", "--name", "update-db-101"], &site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        git(&site, &["rev-parse", "HEAD"]),
        head,
        "the current branch does not move"
    );
    let files = git(
        &site,
        &[
            "diff-tree",
            "--no-commit-id",
            "--name-only",
            "-r",
            "update-db-101",
        ],
    );
    assert_eq!(files.trim(), "content/sessions/db-101.md");
    let msg = git(&site, &["log", "-1", "--format=%s", "update-db-101"]);
    assert_eq!(msg.trim(), "Update presenters for db-101");
}

#[test]
fn export_refuses_files_with_errors_unless_forced() {
    let (_t, site) = repo();
    assert!(lectern(
        &[
            "set",
            "content/sessions/web-102.md",
            "title=Web Caches Again"
        ],
        &site
    )
    .status
    .success());
    let out = lectern(&["export", "branch", ".", "--name", "x"], &site);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // The same gate as the app's export checklist: each error of a changed
    // file with its place, then the count and what to do.
    assert!(
        err.contains("content/sessions/web-102.md:")
            && err.contains(": error: ")
            && err.contains("3 validation error(s) in the selected files")
            && err.contains("--force"),
        "{err}"
    );
    assert!(git(&site, &["branch", "--list", "x"]).is_empty());
    let out = lectern(&["export", "branch", ".", "--name", "x", "--force"], &site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("exporting anyway (--force) despite 3 errors"));
}

#[test]
fn exported_patch_applies_with_git_am_on_a_fresh_clone() {
    let (t, site) = repo();
    assert!(lectern(
        &["set", "content/sessions/db-101.zh.md", "title=更快的索引"],
        &site
    )
    .status
    .success());
    let patch = t.path().join("change.patch");
    let out = lectern(
        &["export", "patch", ".", "--out", patch.to_str().unwrap()],
        &site,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clone = t.path().join("clone");
    git(
        t.path(),
        &[
            "clone",
            "-q",
            site.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    git(&clone, &["am", "-q", patch.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(clone.join("content/sessions/db-101.zh.md")).unwrap(),
        std::fs::read(site.join("content/sessions/db-101.zh.md")).unwrap()
    );
    assert_eq!(git(&clone, &["log", "-1", "--format=%an"]).trim(), "Test");
}

#[test]
fn exported_zip_holds_the_edited_bytes() {
    let (t, site) = repo();
    assert!(lectern(
        &["set", "content/sessions/db-101.md", "room=Side Room"],
        &site
    )
    .status
    .success());
    let zip = t.path().join("c.zip");
    let out = lectern(
        &["export", "zip", ".", "--out", zip.to_str().unwrap()],
        &site,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut a = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut buf = Vec::new();
    std::io::Read::read_to_end(
        &mut a.by_name("content/sessions/db-101.md").unwrap(),
        &mut buf,
    )
    .unwrap();
    assert_eq!(
        buf,
        std::fs::read(site.join("content/sessions/db-101.md")).unwrap()
    );
    assert!(a.by_name("CHANGES.md").is_ok());
}

#[test]
fn diff_outside_git_says_what_to_do() {
    let (_t, site) = copy_tree(&repo_root().join("tests/fixtures/mini"));
    let out = lectern(&["diff", "."], &site);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a git work tree"));
}
