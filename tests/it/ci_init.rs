//! `lectern ci init`, the pull-request workflow it writes (whose check step
//! runs here for real, in git repositories with a pull request's merge
//! commit), and the completions and man pages generated from the clap
//! definitions.

use crate::support::{copy_tree, repo_root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ASSET: &str = include_str!("../../assets/ci/lectern.yml");

fn lectern(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lectern"));
    c.args(args);
    c
}

fn ci_init(site: &Path, extra: &[&str]) -> Output {
    lectern(&["ci", "init"])
        .arg(site)
        .args(extra)
        .output()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
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

fn mini() -> (tempfile::TempDir, PathBuf) {
    copy_tree(&repo_root().join("tests/fixtures/mini"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir` (relative paths), to prove nothing else was written.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.symlink_metadata().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn ci_init_writes_the_workflow_once_and_refuses_to_overwrite_it() {
    let (_t, site) = mini();
    let before = files_under(&site);
    let out = ci_init(&site, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let wf = site.join(".github/workflows/lectern.yml");
    // A site at its repository's root gets the template as it is.
    assert_eq!(std::fs::read_to_string(&wf).unwrap(), ASSET);
    let mut after = files_under(&site);
    after.retain(|p| !before.contains(p));
    assert_eq!(
        after,
        vec![PathBuf::from(".github/workflows/lectern.yml")],
        "only the workflow is written"
    );
    assert!(
        text(&out).contains("LECTERN_DOWNLOAD"),
        "says what to set next: {}",
        text(&out)
    );

    // The maintainer edits it; a second run must not lose that.
    let edited = format!("{ASSET}# our own tweak\n");
    std::fs::write(&wf, &edited).unwrap();
    let again = ci_init(&site, &[]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    let msg = String::from_utf8_lossy(&again.stderr);
    assert!(
        msg.contains("already exists") && msg.contains("--force") && msg.contains("lectern.yml"),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(&wf).unwrap(),
        edited,
        "the existing workflow is untouched"
    );

    let forced = ci_init(&site, &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    assert_eq!(std::fs::read_to_string(&wf).unwrap(), ASSET);
}

#[test]
fn ci_init_for_a_site_in_a_repository_subfolder_writes_at_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    let (_t, mini) = mini();
    let site = repo.path().join("www");
    std::fs::rename(&mini, &site)
        .or_else(|_| {
            // Different file systems: copy instead.
            Command::new("cp")
                .arg("-r")
                .arg(&mini)
                .arg(&site)
                .status()
                .map(|_| ())
        })
        .unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    let out = ci_init(&site.join("content/sessions"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        !site.join(".github").exists(),
        "GitHub reads workflows at the repository root only"
    );
    let wf = std::fs::read_to_string(repo.path().join(".github/workflows/lectern.yml")).unwrap();
    let env = workflow_env(&wf);
    assert_eq!(env["LECTERN_SITE"], "www");
    assert_eq!(env["LECTERN_SESSIONS"], "www/content/sessions");
    // Everything else is the template's.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("  LECTERN_SITE:") && !l.starts_with("  LECTERN_SESSIONS:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&wf), strip(ASSET));
}

#[test]
fn ci_init_pins_the_checksum_and_download_address_and_refuses_bad_ones() {
    let (_t, site) = mini();
    let hex = "AB".repeat(32);
    let bad = ci_init(&site, &["--sha256", "abc"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("64 hex digits"));
    let bad = ci_init(&site, &["--download", "ftp://mirror.example/x"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("http(s)"));
    assert!(
        !site.join(".github").exists(),
        "a refused run writes nothing"
    );

    let out = ci_init(
        &site,
        &[
            "--sha256",
            &hex,
            "--download",
            "https://mirror.example/lectern/",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let wf = std::fs::read_to_string(site.join(".github/workflows/lectern.yml")).unwrap();
    let env = workflow_env(&wf);
    assert_eq!(env["LECTERN_SHA256"], hex.to_ascii_lowercase());
    assert_eq!(env["LECTERN_DOWNLOAD"], "https://mirror.example/lectern");
    assert_eq!(env["LECTERN_VERSION"], env!("CARGO_PKG_VERSION"));
    assert!(
        !text(&out).contains("next:"),
        "nothing left to set: {}",
        text(&out)
    );
}

#[cfg(unix)]
#[test]
fn ci_init_never_writes_through_a_symbolic_link() {
    let (_t, site) = mini();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.join(".github")).unwrap();
    let out = ci_init(&site, &["--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert!(
        files_under(outside.path()).is_empty(),
        "nothing written outside the site"
    );

    // The workflow file itself as a link to a file elsewhere: refused even with --force.
    std::fs::remove_file(site.join(".github")).unwrap();
    std::fs::create_dir_all(site.join(".github/workflows")).unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, site.join(".github/workflows/lectern.yml")).unwrap();
    let out = ci_init(&site, &["--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

#[test]
fn ci_init_refuses_a_folder_that_is_not_a_site() {
    let empty = tempfile::tempdir().unwrap();
    let out = ci_init(empty.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no Hugo site"),
        "{}",
        text(&out)
    );
    assert!(files_under(empty.path()).is_empty());
}

#[test]
fn the_workflow_template_pins_this_version() {
    assert_eq!(
        workflow_env(ASSET)["LECTERN_VERSION"],
        env!("CARGO_PKG_VERSION"),
        "bump LECTERN_VERSION in assets/ci/lectern.yml with the crate version"
    );
}

/// The workflow's top-level `env:` block.
fn workflow_env(wf: &str) -> std::collections::BTreeMap<String, String> {
    let v: serde_yaml::Value = serde_yaml::from_str(wf).unwrap();
    let env = v["env"].as_mapping().unwrap();
    env.iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_string(),
                v.as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The `run:` script of the workflow step with this name.
fn step_script(wf: &str, name: &str) -> String {
    let v: serde_yaml::Value = serde_yaml::from_str(wf).unwrap();
    let steps = v["jobs"]["check"]["steps"].as_sequence().unwrap();
    let step = steps
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no step {name}"));
    step["run"].as_str().unwrap().to_string()
}

/// A git repository holding the mini site at `sub` ("" for the root), with
/// the workflow from `ci init`, and a pull request made by `change` merged
/// into `main` the way GitHub checks it out (HEAD^1 the base, HEAD^2 the
/// pull request). Returns (guard, repository, workflow text).
fn pull_request(sub: &str, change: impl Fn(&Path)) -> (tempfile::TempDir, PathBuf, String) {
    let (t, mini) = mini();
    let repo = t.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    let site = if sub.is_empty() {
        repo.clone()
    } else {
        repo.join(sub)
    };
    assert!(Command::new("cp")
        .arg("-rT")
        .arg(&mini)
        .arg(&site)
        .status()
        .unwrap()
        .success());
    git(&repo, &["init", "-q", "-b", "main"]);
    let out = ci_init(&site, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    change(&site);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "the pull request"]);
    git(&repo, &["checkout", "-q", "main"]);
    // The base moves on meanwhile (an unrelated file), so the merge is a real one.
    std::fs::write(repo.join("NOTES.txt"), "base branch\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base moves on"]);
    git(&repo, &["merge", "-q", "--no-ff", "--no-edit", "pr"]);
    let wf = std::fs::read_to_string(repo.join(".github/workflows/lectern.yml")).unwrap();
    (t, repo, wf)
}

/// Run the workflow's "lectern check" step as Actions would: bash in the
/// repository root, the workflow's env, `lectern` on PATH.
fn run_check_step(repo: &Path, wf: &str, event: &str) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_lectern"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    Command::new("bash")
        .args([
            "--noprofile",
            "--norc",
            "-e",
            "-o",
            "pipefail",
            "-c",
            &step_script(wf, "lectern check"),
        ])
        .current_dir(repo)
        .envs(workflow_env(wf))
        .env("GITHUB_EVENT_NAME", event)
        .env("PATH", path)
        .output()
        .unwrap()
}

fn annotated_files(out: &Output) -> Vec<String> {
    let mut files: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            l.strip_prefix("::")
                .and_then(|l| l.split_once(" file="))
                .and_then(|(_, r)| r.split_once(','))
                .map(|(f, _)| f.to_string())
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

/// db-101.md of the mini site is clean; an unknown room makes it an error.
fn break_db_101(site: &Path) {
    let f = site.join("content/sessions/db-101.md");
    let t = std::fs::read_to_string(&f).unwrap();
    assert!(t.contains("room: \"Main Hall\""));
    std::fs::write(
        &f,
        t.replace("room: \"Main Hall\"", "room: \"Broom Cupboard\""),
    )
    .unwrap();
}

#[test]
fn the_workflow_annotates_only_the_sessions_a_pull_request_changes() {
    let (_t, repo, wf) = pull_request("", break_db_101);
    let out = run_check_step(&repo, &wf, "pull_request");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    // The mini site has errors in other files; they are not this pull request's.
    assert_eq!(
        annotated_files(&out),
        vec!["content/sessions/db-101.md"],
        "{}",
        text(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().any(
            |l| l.starts_with("::error file=content/sessions/db-101.md,line=")
                && l.contains("title=unknown-room")
        ),
        "{stdout}"
    );

    // Outside a pull request (workflow_dispatch), the whole site is checked.
    let out = run_check_step(&repo, &wf, "workflow_dispatch");
    assert_eq!(out.status.code(), Some(1));
    assert!(annotated_files(&out).len() > 1, "{}", text(&out));
}

#[test]
fn the_workflow_checks_the_whole_site_when_the_rooms_change_and_nothing_when_no_session_does() {
    // In a subfolder, to check the paths the step computes.
    let (_t, repo, wf) = pull_request("site", |site| {
        let f = site.join("data/rooms.yaml");
        let mut t = std::fs::read_to_string(&f).unwrap();
        t.push_str("# a comment\n");
        std::fs::write(&f, t).unwrap();
    });
    let out = run_check_step(&repo, &wf, "pull_request");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let files = annotated_files(&out);
    assert!(
        files.len() > 1 && files.iter().all(|f| f.starts_with("site/content/")),
        "repository-relative paths: {files:?}"
    );

    let (_t, repo, wf) = pull_request("site", |site| {
        std::fs::write(site.join("README.md"), "about the site\n").unwrap()
    });
    let out = run_check_step(&repo, &wf, "pull_request");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no session file changed"));
}

#[test]
fn completions_and_man_pages_come_from_the_clap_definitions() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef lectern"),
        ("fish", "complete -c lectern"),
    ] {
        let out = lectern(&["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(s.contains(marker), "{shell}: {marker} missing");
        for sub in ["check", "rename-track", "photos", "ci"] {
            assert!(s.contains(sub), "{shell}: subcommand {sub} missing");
        }
        assert!(
            !s.contains("man-pages"),
            "{shell}: the hidden generator is not offered"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let out = lectern(&["man-pages", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let pages: Vec<String> = files_under(dir.path())
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    for want in [
        "lectern.1",
        "lectern-check.1",
        "lectern-set.1",
        "lectern-ci.1",
        "lectern-ci-init.1",
        "lectern-export-zip.1",
        "lectern-photos-fetch.1",
        "lectern-schema-infer.1",
        "lectern-completions.1",
    ] {
        assert!(
            pages.iter().any(|p| p == want),
            "{want} missing from {pages:?}"
        );
    }
    assert!(
        !pages
            .iter()
            .any(|p| p.contains("help") || p.contains("man-pages")),
        "{pages:?}"
    );
    let check = std::fs::read_to_string(dir.path().join("lectern-check.1")).unwrap();
    assert!(check.starts_with(".ie") || check.contains(".TH"), "roff");
    assert!(
        check.contains("lectern\\-check") && check.contains("github"),
        "{check}"
    );
    let top = std::fs::read_to_string(dir.path().join("lectern.1")).unwrap();
    assert!(
        top.contains("Exit status"),
        "the exit codes are in lectern(1)"
    );
    assert!(top.contains(&format!("lectern {}", env!("CARGO_PKG_VERSION"))));
}
