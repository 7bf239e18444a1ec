//! Who signs an export (issue 15, item 12): git's own identity, a typed
//! "identity missing" refusal that writes nothing, an identity typed by the
//! person (checked, and saved to the repository's config only when asked),
//! and the environment's `GIT_AUTHOR_*` / `GIT_COMMITTER_*` winning as they
//! do for `git commit`.
//!
//! Git reads its identity from the process environment and the user's
//! config files, so every test that depends on it runs its body again in a
//! child process of this test binary ([`in_child`]) whose environment has
//! none: `HOME` and `XDG_CONFIG_HOME` point at an empty folder,
//! `GIT_CONFIG_NOSYSTEM=1`, and no `GIT_*` or `EMAIL` variable is passed on.
//! The machine's own identity cannot leak in, and no other test's
//! environment changes.

use crate::support::{copy_tree, repo_root};
use lectern::export::{
    self, adopt_identity, author_for, create_branch_commit, export_patch, git_identity,
    save_identity, ChangeSet, ExportError, Repo, Signature,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Set in the child: the empty folder that is its `HOME`.
const CHILD: &str = "LECTERN_TEST_IDENTITY_HOME";
const DB: &str = "content/sessions/db-101.md";

/// Runs the test `name` (this module's) again in a child process without
/// any git identity, with `env` added; true in the child, which runs the
/// body, false in the parent once the child passed. The child must have
/// run exactly that one test, so a misspelt name fails instead of passing
/// with nothing run.
fn in_child(name: &str, env: &[(&str, &str)]) -> bool {
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let exe = std::env::current_exe().expect("the test binary");
    let mut cmd = Command::new(exe);
    cmd.args([
        &format!("git_identity::{name}"),
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ]);
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("GIT_") || k == "EMAIL" {
            cmd.env_remove(&key);
        }
    }
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env(CHILD, home.path())
        .envs(env.iter().copied());
    let out = cmd.output().expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "the child run of {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

/// The child's empty home.
fn home() -> PathBuf {
    PathBuf::from(std::env::var_os(CHILD).expect("run in a child"))
}

/// Runs git in `dir` with the test's environment (minus repository redirection).
fn git_out(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_out(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The mini site as a git repository with one commit, made with an
/// identity given on the command line only (no config holds one), and an
/// edit of db-101 pending.
fn site_repo() -> (tempfile::TempDir, PathBuf) {
    let (t, site) = copy_tree(&repo_root().join("tests/fixtures/mini"));
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["config", "core.autocrlf", "false"]);
    git(&site, &["add", "-A"]);
    git(
        &site,
        &[
            "-c",
            "user.name=Setup",
            "-c",
            "user.email=setup@example.org",
            "commit",
            "-q",
            "-m",
            "init",
        ],
    );
    let text = std::fs::read_to_string(site.join(DB)).expect("read");
    let edited = text.replacen(
        "presenters: \"Ada Park\"",
        "presenters: \"Ada Park, Bo Li\"",
        1,
    );
    assert_ne!(text, edited, "fixture changed");
    std::fs::write(site.join(DB), edited).expect("write");
    (t, site)
}

fn repo(site: &Path) -> Repo {
    Repo::discover(site)
        .expect("discover")
        .expect("a repository")
}

fn changes(site: &Path) -> ChangeSet {
    let set = ChangeSet::from_git_head(site).expect("changes");
    assert_eq!(set.len(), 1);
    set
}

/// Everything a refusal must leave as it was: branches, HEAD, status, the
/// repository's config file and the object store.
fn repo_state(site: &Path) -> Vec<String> {
    let mut objects = Vec::new();
    let mut stack = vec![site.join(".git/objects")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                objects.push(e.path().display().to_string());
            }
        }
    }
    objects.sort();
    vec![
        git(site, &["for-each-ref"]),
        git(site, &["rev-parse", "HEAD"]),
        git(site, &["status", "--porcelain"]),
        std::fs::read_to_string(site.join(".git/config")).expect("config"),
        objects.join("\n"),
    ]
}

/// The author and committer of a commit, as git shows them.
fn signed(site: &Path, rev: &str) -> (String, String) {
    let line = git(site, &["log", "-1", "--format=%an <%ae>|%cn <%ce>", rev]);
    let (a, c) = line.trim().split_once('|').expect("two parts");
    (a.to_string(), c.to_string())
}

fn no_global_config() {
    for f in [".gitconfig", "git/config"] {
        assert!(
            !home().join(f).exists(),
            "{f} was written in the home folder"
        );
    }
}

fn lectern(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("lectern runs")
}

#[test]
fn without_any_identity_export_is_refused_with_a_typed_error_and_writes_nothing() {
    if !in_child(
        "without_any_identity_export_is_refused_with_a_typed_error_and_writes_nothing",
        &[],
    ) {
        return;
    }
    let (t, site) = site_repo();
    let repo = repo(&site);
    let set = changes(&site);
    let before = repo_state(&site);

    match git_identity(&site) {
        Err(ExportError::IdentityMissing { repo: r, detail }) => {
            assert_eq!(r.as_deref(), Some(repo.root.as_path()));
            assert!(!detail.is_empty());
        }
        other => panic!("expected IdentityMissing, got {other:?}"),
    }
    let refused = create_branch_commit(&repo, &set, "update-db-101", "Update", None, false);
    let Err(e @ ExportError::IdentityMissing { .. }) = refused else {
        panic!("expected IdentityMissing, got {refused:?}");
    };
    // The message says how to set it, not git's raw "Author identity unknown".
    let text = e.to_string();
    assert!(
        text.contains("config user.name") && text.contains("config user.email"),
        "{text}"
    );
    assert!(!text.contains("Please tell me who you are"), "{text}");
    // No silent stand-in for a patch either, in or out of a repository.
    assert!(matches!(
        author_for(Some(&repo), &site, None),
        Err(ExportError::IdentityMissing { repo: Some(_), .. })
    ));
    let plain = t.path().join("plain");
    std::fs::create_dir_all(&plain).expect("mkdir");
    assert!(matches!(
        author_for(None, &plain, None),
        Err(ExportError::IdentityMissing { repo: None, .. })
    ));
    assert_eq!(repo_state(&site), before);

    // The command line says the same and exits 2, writing nothing.
    let out = lectern(&["export", "branch", ".", "--name", "update-db-101"], &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("git does not know your name and e-mail address")
            && stderr.contains("config user.email"),
        "{stderr}"
    );
    let patch = t.path().join("out.patch");
    let out = lectern(
        &["export", "patch", ".", "--out", &patch.to_string_lossy()],
        &site,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("config user.name"), "{stderr}");
    assert!(!patch.exists());
    assert_eq!(repo_state(&site), before);
    no_global_config();
}

#[test]
fn a_saved_identity_goes_to_the_repository_config_only_and_signs_the_branch() {
    if !in_child(
        "a_saved_identity_goes_to_the_repository_config_only_and_signs_the_branch",
        &[],
    ) {
        return;
    }
    let (_t, site) = site_repo();
    let repo = repo(&site);
    let saved = adopt_identity(
        Some(&repo),
        &Signature::new("  张伟 Zhang ", " zhang@example.org "),
        true,
    )
    .expect("saved");
    assert_eq!(saved, Signature::new("张伟 Zhang", "zhang@example.org"));
    assert_eq!(
        git(&site, &["config", "--local", "user.name"]).trim(),
        "张伟 Zhang"
    );
    assert_eq!(
        git(&site, &["config", "--local", "user.email"]).trim(),
        "zhang@example.org"
    );
    no_global_config();
    let id = git_identity(&site).expect("git knows it now");
    assert_eq!((id.author, id.committer), (saved.clone(), saved.clone()));

    // Nothing given: the branch gets git's identity, now the saved one.
    let out = create_branch_commit(
        &repo,
        &changes(&site),
        "update-db-101",
        "Update",
        None,
        false,
    )
    .expect("branch");
    let who = "张伟 Zhang <zhang@example.org>".to_string();
    assert_eq!(signed(&site, &out.commit), (who.clone(), who));
    assert!(out.steps.iter().any(|s| s.step == "identity" && s.ok));

    // A value starting with '-' is a value, not an option of git config.
    save_identity(&repo, &Signature::new("-n Dash", "dash@example.org")).expect("saved");
    assert_eq!(
        git(&site, &["config", "--local", "user.name"]).trim(),
        "-n Dash"
    );
    no_global_config();
}

#[test]
fn a_typed_identity_not_saved_signs_the_commit_and_the_patch_and_leaves_the_config_alone() {
    if !in_child(
        "a_typed_identity_not_saved_signs_the_commit_and_the_patch_and_leaves_the_config_alone",
        &[],
    ) {
        return;
    }
    let (_t, site) = site_repo();
    let repo = repo(&site);
    let config = std::fs::read(site.join(".git/config")).expect("config");
    let typed = adopt_identity(
        Some(&repo),
        &Signature::new("Ada Tester", "ada@example.org"),
        false,
    )
    .expect("checked");
    let set = changes(&site);
    let out = create_branch_commit(&repo, &set, "update-db-101", "Update", Some(&typed), false)
        .expect("branch");
    let who = "Ada Tester <ada@example.org>".to_string();
    // Git knows no committer either: the typed identity is both.
    assert_eq!(signed(&site, &out.commit), (who.clone(), who));

    let author = author_for(Some(&repo), &site, Some(&typed)).expect("author");
    let mbox =
        export_patch(Some(&repo), &set, "Update", &author, export::local_now()).expect("patch");
    let mbox = String::from_utf8_lossy(&mbox);
    assert!(
        mbox.contains("From: Ada Tester <ada@example.org>"),
        "{mbox}"
    );
    assert!(!mbox.contains("lectern@localhost"), "{mbox}");
    assert_eq!(
        std::fs::read(site.join(".git/config")).expect("config"),
        config
    );
    assert!(matches!(
        git_identity(&site),
        Err(ExportError::IdentityMissing { .. })
    ));
    // Saving needs a repository.
    assert!(adopt_identity(None, &typed, true).is_err());
    no_global_config();
}

#[test]
fn the_environments_identity_wins_over_the_repository_config_as_in_git_commit() {
    if !in_child(
        "the_environments_identity_wins_over_the_repository_config_as_in_git_commit",
        &[
            ("GIT_AUTHOR_NAME", "Env Author"),
            ("GIT_AUTHOR_EMAIL", "env-author@example.org"),
            ("GIT_COMMITTER_NAME", "Env Committer"),
            ("GIT_COMMITTER_EMAIL", "env-committer@example.org"),
        ],
    ) {
        return;
    }
    let (_t, site) = site_repo();
    let repo = repo(&site);
    let author = Signature::new("Env Author", "env-author@example.org");
    let committer = Signature::new("Env Committer", "env-committer@example.org");
    let id = git_identity(&site).expect("from the environment");
    assert_eq!((&id.author, &id.committer), (&author, &committer));
    assert_eq!(
        author_for(Some(&repo), &site, None).expect("author"),
        author
    );

    // A repository identity does not override the environment's, for git or Lectern.
    save_identity(&repo, &Signature::new("Repo Person", "repo@example.org")).expect("saved");
    let out = create_branch_commit(
        &repo,
        &changes(&site),
        "update-db-101",
        "Update",
        None,
        false,
    )
    .expect("branch");
    assert_eq!(
        signed(&site, &out.commit),
        (
            "Env Author <env-author@example.org>".to_string(),
            "Env Committer <env-committer@example.org>".to_string()
        )
    );
}

#[test]
fn the_global_identity_is_used_when_the_repository_has_none() {
    if !in_child(
        "the_global_identity_is_used_when_the_repository_has_none",
        &[],
    ) {
        return;
    }
    std::fs::write(
        home().join(".gitconfig"),
        "[user]\n\tname = Global Person\n\temail = global@example.org\n",
    )
    .expect("write");
    let (t, site) = site_repo();
    let repo = repo(&site);
    let global = Signature::new("Global Person", "global@example.org");
    assert_eq!(git_identity(&site).expect("global").author, global);
    // A site outside any repository gets the global identity for its patch.
    let plain = t.path().join("plain");
    std::fs::create_dir_all(&plain).expect("mkdir");
    assert_eq!(author_for(None, &plain, None).expect("author"), global);
    let out = create_branch_commit(
        &repo,
        &changes(&site),
        "update-db-101",
        "Update",
        None,
        false,
    )
    .expect("branch");
    let who = "Global Person <global@example.org>".to_string();
    assert_eq!(signed(&site, &out.commit), (who.clone(), who));
    // The repository's config was not touched.
    assert!(git_out(&site, &["config", "--local", "user.name"])
        .stdout
        .is_empty());
}

#[test]
fn bad_names_and_addresses_are_refused_and_nothing_is_saved_or_committed() {
    // Refusals do not depend on the identity git has; no child needed.
    let (_t, site) = site_repo();
    let repo = repo(&site);
    let config = std::fs::read(site.join(".git/config")).expect("config");
    let branches = git(&site, &["for-each-ref", "refs/heads"]);
    let long = "x".repeat(201);
    let cases: &[(&str, &str)] = &[
        ("Jane\nDoe", "jane@example.org"),
        (
            "Jane\n[core]\n\tfsmonitor = touch pwned",
            "jane@example.org",
        ),
        ("Jane\rDoe", "jane@example.org"),
        ("Jane\0Doe", "jane@example.org"),
        ("Jane\u{1b}[31mDoe", "jane@example.org"),
        ("Jane\u{202e}eoD", "jane@example.org"),
        ("Jane\u{2028}Doe", "jane@example.org"),
        ("Jane <x@y.org>", "jane@example.org"),
        ("", "jane@example.org"),
        ("   ", "jane@example.org"),
        (&long, "jane@example.org"),
        ("Jane", ""),
        ("Jane", "jane"),
        ("Jane", "@example.org"),
        ("Jane", "jane@"),
        ("Jane", "jane@@example.org"),
        ("Jane", "jane doe@example.org"),
        ("Jane", "jane@example.org\n[core]"),
        ("Jane", "jane@example..org"),
        ("Jane", "jane@.example.org"),
        ("Jane", "<jane@example.org>"),
        ("Jane", "\"jane\"@example.org"),
    ];
    for (name, email) in cases {
        let given = Signature::new(*name, *email);
        assert!(
            matches!(
                Signature::checked(name, email),
                Err(ExportError::InvalidIdentity(_))
            ),
            "{name:?} <{email:?}> was accepted"
        );
        assert!(matches!(
            save_identity(&repo, &given),
            Err(ExportError::InvalidIdentity(_))
        ));
        assert!(matches!(
            adopt_identity(Some(&repo), &given, true),
            Err(ExportError::InvalidIdentity(_))
        ));
        assert!(matches!(
            author_for(Some(&repo), &site, Some(&given)),
            Err(ExportError::InvalidIdentity(_))
        ));
        assert!(matches!(
            create_branch_commit(&repo, &changes(&site), "x", "Update", Some(&given), false),
            Err(ExportError::InvalidIdentity(_))
        ));
    }
    assert_eq!(
        std::fs::read(site.join(".git/config")).expect("config"),
        config
    );
    assert_eq!(git(&site, &["for-each-ref", "refs/heads"]), branches);
    assert!(!site.join("pwned").exists());

    for (name, email) in [
        ("张伟", "zhang.wei@example.org"),
        ("Seán O'Brien, Jr.", "sean+lectern@mail.example.ie"),
        ("Ada", "ada@localhost"),
        ("Renée", "renée@exämple.org"),
    ] {
        assert_eq!(
            Signature::checked(name, email).expect("accepted"),
            Signature::new(name, email)
        );
    }
}
