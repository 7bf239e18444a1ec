//! Review and export in the real window, on a copy of the fixture site that
//! the test makes into a real git repository: edit, save, review the diff
//! with its changed words marked, then create a branch or export a patch,
//! and check the result with git itself.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use lectern_e2e::{copy_tree, fixture, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);
const DB: &str = "content/sessions/db-101.md";
const WEB: &str = "content/sessions/web-103.md";
const OLD_TITLE: &str = "Fast Indexes Without Tears";
const NEW_TITLE: &str = "Fast Indexes Without Fears";

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A copy of the fixture site as a git repository with one commit on `main`.
fn git_site() -> Result<(tempfile::TempDir, PathBuf)> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("site"), &site)?;
    git(&site, &["init", "-q", "-b", "main"])?;
    git(&site, &["config", "user.name", "Ada Tester"])?;
    git(&site, &["config", "user.email", "ada@example.org"])?;
    git(&site, &["config", "core.autocrlf", "false"])?;
    git(&site, &["add", "-A"])?;
    git(&site, &["commit", "-q", "-m", "Initial site"])?;
    Ok((tmp, site))
}

/// Set a form control's value and fire `change`, as typing and leaving it would.
fn set_value(css: &str, value: &str) -> String {
    format!(
        "const e = document.querySelector({css}); e.value = {value}; e.dispatchEvent(new Event('change')); return true",
        css = serde_json::to_string(css).unwrap_or_default(),
        value = serde_json::to_string(value).unwrap_or_default(),
    )
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Wait until `file` contains `text` (the app wrote it).
async fn wait_for_file(file: &Path, text: &str) -> Result<()> {
    let deadline = Instant::now() + STARTUP;
    loop {
        if std::fs::read_to_string(file).is_ok_and(|t| t.contains(text)) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!("{} never contained {text:?}", file.display()).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Open a session, set its title in the form and save it.
async fn edit_title(h: &Harness, stem: &str, old: &str, new: &str) -> Result<()> {
    h.click(&format!(".session-row[data-stem=\"{stem}\"]"))
        .await?;
    h.wait_until(
        &format!(
            "return document.getElementById('field-title')?.value === {}",
            js(old)
        ),
        STARTUP,
    )
    .await?;
    h.eval(&set_value("#field-title", new)).await?;
    h.wait_until(
        "return document.querySelector('.layout').classList.contains('modified')",
        STARTUP,
    )
    .await?;
    h.click("button[title^='Save (']").await?;
    h.wait_until(
        "return !document.querySelector('.layout').classList.contains('modified')",
        STARTUP,
    )
    .await?;
    Ok(())
}

/// Open the Changes view from the toolbar and wait for `count` files.
async fn open_changes(h: &Harness, count: usize) -> Result<()> {
    h.click("button[title^='Changes (']").await?;
    h.wait_until(
        &format!("const c = document.getElementById('changes'); return !!c && c.offsetParent !== null && c.dataset.count === '{count}'"),
        STARTUP,
    )
    .await
}

/// Click Export in the Changes view and wait until the dialog is open with
/// its checklist and proposals filled in. (The dialog's buttons are enabled
/// before its first `open`, so waiting for them alone races the dialog.)
async fn open_export_dialog(h: &Harness) -> Result<()> {
    h.click("#changes .changes-export").await?;
    h.wait_until(
        "const d = document.getElementById('export-dialog'); \
         return d.open && document.querySelectorAll('#export-dialog .check').length === 4 && \
           document.getElementById('export-patch-path').value !== ''",
        STARTUP,
    )
    .await
}

#[tokio::test(flavor = "current_thread")]
async fn a_title_edited_in_the_form_is_reviewed_word_by_word_and_committed_to_a_new_branch(
) -> Result<()> {
    let (tmp, site) = git_site()?;
    let head = git(&site, &["rev-parse", "HEAD"])?.trim().to_string();
    let h = Harness::start_on(tmp, site.clone()).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        edit_title(&h, "db-101", OLD_TITLE, NEW_TITLE).await?;
        wait_for_file(&site.join(DB), NEW_TITLE).await?;

        open_changes(&h, 1).await?;
        let file = format!("#changes .change-file[data-path=\"{DB}\"]");
        h.wait_for(&file, STARTUP).await?;
        assert_eq!(h.eval(&format!("return document.querySelector('{file} .change-kind').textContent")).await?, "M");
        // The old and new title lines, with only the changed word marked.
        let lines = h
            .eval(&format!(
                "const f = document.querySelector('{file}'); \
                 const pick = (cls) => [...f.querySelectorAll('.diff-line.' + cls)].map((l) => ({{ \
                   text: l.querySelector('.code').textContent, \
                   words: [...l.querySelectorAll('.word')].map((w) => w.tagName + ':' + w.textContent) }})); \
                 return {{ del: pick('del'), add: pick('add') }}"
            ))
            .await?;
        assert_eq!(
            lines,
            serde_json::json!({
                "del": [{ "text": format!("title: \"{OLD_TITLE}\""), "words": ["DEL:Tears"] }],
                "add": [{ "text": format!("title: \"{NEW_TITLE}\""), "words": ["INS:Fears"] }],
            })
        );

        h.click("#changes .changes-export").await?;
        h.wait_until("return document.getElementById('export-dialog').open", STARTUP).await?;
        h.wait_until(
            "return document.querySelector('#export-dialog .check[data-key=\"problems\"]')?.dataset.state === 'ok' && \
             document.querySelectorAll('#export-dialog .check').length === 4",
            STARTUP,
        )
        .await?;
        let name = h.eval("return document.getElementById('export-branch-name').value").await?;
        let message = h.eval("return document.getElementById('export-message').value").await?;
        let (name, message) = (name.as_str().unwrap_or_default().to_string(), message.as_str().unwrap_or_default().to_string());
        assert_eq!(name, "update-db-101");
        assert_eq!(message, "Update title for db-101");
        assert_eq!(h.eval("return document.getElementById('export-push').checked").await?, false);

        h.click("#export-create-branch").await?;
        h.wait_until(
            "const o = document.querySelector('#export-dialog .export-outcome'); \
             return o.classList.contains('ok') || o.classList.contains('error')",
            STARTUP,
        )
        .await?;
        let outcome = h.eval("return document.querySelector('#export-dialog .export-outcome').textContent").await?;
        assert!(outcome.as_str().is_some_and(|t| t.starts_with("Created branch update-db-101")), "{outcome}");
        assert_eq!(
            h.eval("return [...document.querySelectorAll('#export-dialog .export-steps li')].every((l) => l.classList.contains('ok'))")
                .await?,
            true
        );
        Ok::<_, lectern_e2e::Error>((name, message))
    }
    .await;
    // The site lives in the harness's temp folder: keep it for the git checks.
    let _kept = h.stop_keeping_home().await?;
    let (name, message) = outcome?;

    // Git's own view: one new commit on the new branch, holding only the edited file.
    let branch = format!("refs/heads/{name}");
    git(&site, &["rev-parse", "--verify", &branch])?;
    assert_eq!(
        git(&site, &["rev-list", "--count", &format!("{head}..{name}")])?.trim(),
        "1"
    );
    assert_eq!(
        git(&site, &["rev-parse", &format!("{name}^")])?.trim(),
        head
    );
    assert_eq!(
        git(&site, &["diff", "--name-only", &head, &name])?,
        format!("{DB}\n")
    );
    assert_eq!(
        git(&site, &["log", "-1", "--format=%B", &name])?.trim_end(),
        message
    );
    assert_eq!(
        git(&site, &["log", "-1", "--format=%an <%ae>", &name])?.trim(),
        "Ada Tester <ada@example.org>"
    );
    assert_eq!(
        git(&site, &["show", &format!("{name}:{DB}")])?,
        std::fs::read_to_string(site.join(DB))?
    );
    // The work tree stays on main with the edit still uncommitted there; nothing staged.
    assert_eq!(
        git(&site, &["symbolic-ref", "HEAD"])?.trim(),
        "refs/heads/main"
    );
    assert_eq!(git(&site, &["rev-parse", "HEAD"])?.trim(), head);
    assert_eq!(git(&site, &["diff", "--cached", "--name-only"])?, "");
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_patch_with_an_overridden_error_is_written_to_a_typed_path_and_applies_with_git_am(
) -> Result<()> {
    let (tmp, site) = git_site()?;
    let out_dir = tmp.path().join("out");
    std::fs::create_dir_all(&out_dir)?;
    let patch = out_dir.join("web-103.patch");
    let h = Harness::start_on(tmp, site.clone()).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        // web-103's room is unknown: an error the checklist must stop on.
        edit_title(&h, "web-103", "Accessible Forms", "Accessible Forms for Everyone").await?;
        wait_for_file(&site.join(WEB), "for Everyone").await?;
        open_changes(&h, 1).await?;
        h.click("#changes .changes-export").await?;
        h.wait_until(
            "return document.querySelector('#export-dialog .check[data-key=\"problems\"]')?.dataset.state === 'blocking'",
            STARTUP,
        )
        .await?;
        assert_eq!(
            h.eval(
                "return ['export-create-branch', 'export-patch', 'export-zip'].map((id) => document.getElementById(id).disabled)"
            )
            .await?,
            serde_json::json!([true, true, true])
        );
        assert_eq!(
            h.eval("return document.querySelector('#export-dialog .check[data-key=\"problems\"] .check-details').textContent.includes('Attic')")
                .await?,
            true
        );
        h.click("#export-override").await?;
        h.wait_until("return !document.getElementById('export-patch').disabled", STARTUP).await?;
        h.eval(&set_value("#export-patch-path", &patch.to_string_lossy())).await?;
        h.click("#export-patch").await?;
        h.wait_until(
            "const o = document.querySelector('#export-dialog .export-outcome'); \
             return o.classList.contains('ok') || o.classList.contains('error')",
            STARTUP,
        )
        .await?;
        let text = h.eval("return document.querySelector('#export-dialog .export-outcome').textContent").await?;
        assert!(text.as_str().is_some_and(|t| t.starts_with("Wrote ")), "{text}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    // The site lives in the harness's temp folder: keep it for the git checks.
    let _kept = h.stop_keeping_home().await?;
    outcome?;

    let mbox = std::fs::read_to_string(&patch)?;
    assert!(
        mbox.contains("Subject: [PATCH] Update title for web-103"),
        "{mbox}"
    );
    assert!(
        mbox.contains("From: Ada Tester <ada@example.org>"),
        "{mbox}"
    );
    // A fresh clone of HEAD takes the patch and ends with the edited file.
    let clone_parent = tempfile::tempdir()?;
    let clone = clone_parent.path().join("clone");
    git(
        clone_parent.path(),
        &[
            "clone",
            "-q",
            &site.to_string_lossy(),
            &clone.to_string_lossy(),
        ],
    )?;
    git(&clone, &["config", "user.name", "Maintainer"])?;
    git(&clone, &["config", "user.email", "maintainer@example.org"])?;
    git(&clone, &["am", "-q", &patch.to_string_lossy()])?;
    assert_eq!(
        std::fs::read(clone.join(WEB))?,
        std::fs::read(site.join(WEB))?
    );
    assert_eq!(
        git(&clone, &["diff", "--name-only", "HEAD~1", "HEAD"])?,
        format!("{WEB}\n")
    );
    // The site's repository itself is untouched: no commit, nothing staged.
    assert_eq!(git(&site, &["rev-list", "--count", "--all"])?.trim(), "1");
    assert_eq!(git(&site, &["diff", "--cached", "--name-only"])?, "");
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn reverting_a_file_in_the_changes_view_puts_heads_text_back_in_the_file_and_the_form(
) -> Result<()> {
    let (tmp, site) = git_site()?;
    let original = std::fs::read(site.join(DB))?;
    let h = Harness::start_on(tmp, site.clone()).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        edit_title(&h, "db-101", OLD_TITLE, NEW_TITLE).await?;
        wait_for_file(&site.join(DB), NEW_TITLE).await?;
        open_changes(&h, 1).await?;
        // The first click arms the button, the second reverts.
        h.click("#changes .change-revert-file").await?;
        h.wait_until("return document.querySelector('#changes .change-revert-file').classList.contains('armed')", STARTUP)
            .await?;
        h.click("#changes .change-revert-file").await?;
        h.wait_until("return document.getElementById('changes').dataset.count === '0'", STARTUP).await?;
        h.click("#changes .changes-close").await?;
        h.wait_until(&format!("return document.getElementById('field-title')?.value === {}", js(OLD_TITLE)), STARTUP)
            .await?;
        assert_eq!(h.eval("return document.querySelector('.layout').classList.contains('modified')").await?, false);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    // The site lives in the harness's temp folder: keep it for the git checks.
    let _kept = h.stop_keeping_home().await?;
    outcome?;
    assert_eq!(std::fs::read(site.join(DB))?, original);
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn creating_a_branch_over_someone_elses_staged_change_is_refused_and_changes_nothing(
) -> Result<()> {
    let (tmp, site) = git_site()?;
    // Staged outside Lectern: must not be swept into Lectern's commit.
    std::fs::write(
        site.join("config.toml"),
        std::fs::read_to_string(site.join("config.toml"))? + "\n# staged by hand\n",
    )?;
    git(&site, &["add", "config.toml"])?;
    let h = Harness::start_on(tmp, site.clone()).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        edit_title(&h, "db-101", OLD_TITLE, NEW_TITLE).await?;
        wait_for_file(&site.join(DB), NEW_TITLE).await?;
        open_changes(&h, 1).await?;
        open_export_dialog(&h).await?;
        h.wait_until(
            "return !document.getElementById('export-create-branch').disabled",
            STARTUP,
        )
        .await?;
        let before = (
            git(&site, &["status", "--porcelain"])?,
            git(&site, &["rev-parse", "HEAD"])?,
            git(&site, &["branch", "--list"])?,
        );
        h.click("#export-create-branch").await?;
        h.wait_until(
            "const o = document.querySelector('#export-dialog .export-outcome'); \
             return o.classList.contains('ok') || o.classList.contains('error')",
            STARTUP,
        )
        .await?;
        let text = h
            .eval("return document.querySelector('#export-dialog .export-outcome').textContent")
            .await?;
        let text = text.as_str().unwrap_or_default().to_string();
        assert!(
            text.starts_with("Nothing was exported:")
                && text.contains("staged changes")
                && text.contains("config.toml"),
            "{text}"
        );
        let after = (
            git(&site, &["status", "--porcelain"])?,
            git(&site, &["rev-parse", "HEAD"])?,
            git(&site, &["branch", "--list"])?,
        );
        assert_eq!(before, after);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let _kept = h.stop_keeping_home().await?;
    outcome
}

/// Two edits far apart in one file make two hunks; reverting the second in
/// the Changes view puts back only its lines, in the file, the open form and
/// the speakers editor, and the first edit stays.
#[tokio::test(flavor = "current_thread")]
async fn reverting_one_hunk_keeps_the_other_edit_of_the_same_file() -> Result<()> {
    const OLD_BIO: &str = "Ada has worked on storage engines for ten years.";
    const NEW_BIO: &str = "Ada has worked on storage engines for twelve years.";
    let (tmp, site) = git_site()?;
    let original = std::fs::read_to_string(site.join(DB))?;
    assert!(original.contains(OLD_BIO), "fixture changed: {original}");
    let h = Harness::start_on(tmp, site.clone()).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(&format!("return document.getElementById('field-title')?.value === {}", js(OLD_TITLE)), STARTUP)
            .await?;
        h.eval(&set_value("#field-title", NEW_TITLE)).await?;
        h.wait_until(
            &format!("return document.querySelector('.speaker-bio textarea')?.value === {}", js(OLD_BIO)),
            STARTUP,
        )
        .await?;
        h.eval(&set_value(".speaker-bio textarea", NEW_BIO)).await?;
        h.wait_until("return document.querySelector('.layout').classList.contains('modified')", STARTUP).await?;
        h.click("button[title^='Save (']").await?;
        wait_for_file(&site.join(DB), NEW_BIO).await?;
        let saved = std::fs::read_to_string(site.join(DB))?;
        assert!(saved.contains(NEW_TITLE) && saved.contains(NEW_BIO), "{saved}");

        open_changes(&h, 1).await?;
        h.wait_until("return document.querySelectorAll('#changes .hunk').length === 2", STARTUP).await?;
        let second = "#changes .hunk[data-hunk=\"1\"] .revert-hunk";
        let hunk_text = h.eval("return document.querySelector('#changes .hunk[data-hunk=\"1\"]').textContent").await?;
        assert!(hunk_text.as_str().unwrap_or_default().contains("twelve"), "{hunk_text}");
        // The first click arms the button, the second reverts.
        h.click(second).await?;
        h.wait_until(&format!("return document.querySelector({}).classList.contains('armed')", js(second)), STARTUP).await?;
        h.click(second).await?;
        h.wait_until("return document.querySelectorAll('#changes .hunk').length === 1", STARTUP).await?;
        assert_eq!(h.eval("return document.getElementById('changes').dataset.count").await?, "1");

        let reverted = std::fs::read_to_string(site.join(DB))?;
        assert_eq!(reverted, original.replace(OLD_TITLE, NEW_TITLE), "only the title edit should remain");
        h.click("#changes .changes-close").await?;
        h.wait_until(
            &format!(
                "return document.querySelector('.speaker-bio textarea')?.value === {} && document.getElementById('field-title')?.value === {}",
                js(OLD_BIO),
                js(NEW_TITLE)
            ),
            STARTUP,
        )
        .await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let _kept = h.stop_keeping_home().await?;
    outcome
}

/// A copy of the fixture site as a git repository whose config holds no
/// identity (the first commit gets one on the command line only).
fn git_site_without_identity() -> Result<(tempfile::TempDir, PathBuf)> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("site"), &site)?;
    git(&site, &["init", "-q", "-b", "main"])?;
    git(&site, &["config", "core.autocrlf", "false"])?;
    git(&site, &["add", "-A"])?;
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
            "Initial site",
        ],
    )?;
    Ok((tmp, site))
}

/// Issue 15, item 12: with no git identity anywhere (the app's HOME is the
/// harness's empty one, no system config), "Create branch" does not end on
/// git's "Author identity unknown": the dialog asks for a name and an
/// e-mail address, refuses a bad address in the form, then creates the
/// branch with the typed identity and saves it to the repository's config
/// (not to a global one).
#[tokio::test(flavor = "current_thread")]
async fn creating_a_branch_without_a_git_identity_asks_for_one_and_saves_it_to_the_repository(
) -> Result<()> {
    for var in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ] {
        if std::env::var_os(var).is_some() {
            return Err(format!(
                "{var} is set: the app would have an identity; unset it for this test"
            )
            .into());
        }
    }
    let (tmp, site) = git_site_without_identity()?;
    let h = Harness::launch_with_env(
        tmp,
        site.clone(),
        vec![site.to_string_lossy().into_owned()],
        &[("GIT_CONFIG_NOSYSTEM", "1")],
    )
    .await?;
    let home = h.home();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        edit_title(&h, "db-101", OLD_TITLE, NEW_TITLE).await?;
        wait_for_file(&site.join(DB), NEW_TITLE).await?;
        open_changes(&h, 1).await?;
        open_export_dialog(&h).await?;
        h.wait_until("return !document.getElementById('export-create-branch').disabled", STARTUP)
            .await?;
        assert_eq!(h.eval("return document.getElementById('export-identity').hidden").await?, true);

        h.click("#export-create-branch").await?;
        h.wait_until("return document.getElementById('export-identity').hidden === false", STARTUP)
            .await?;
        let outcome = h.eval("return document.querySelector('#export-dialog .export-outcome').textContent").await?;
        assert!(
            outcome.as_str().is_some_and(|t| t.contains("name and e-mail") && !t.contains("Author identity unknown")),
            "{outcome}"
        );
        assert_eq!(git(&site, &["branch", "--list"])?, "* main\n", "nothing is created before the identity is given");
        // Saving to this repository is offered, and on by default.
        assert_eq!(
            h.eval("const c = document.getElementById('export-identity-save'); return c.checked && c.offsetParent !== null")
                .await?,
            true
        );

        // A bad address is refused in the form, which stays open; nothing is written.
        h.eval(&set_value("#export-identity-name", "Grace Hopper")).await?;
        h.eval(&set_value("#export-identity-email", "grace at example.org")).await?;
        h.click("#export-identity-continue").await?;
        h.wait_until("return document.querySelector('#export-identity .export-identity-error').textContent !== ''", STARTUP)
            .await?;
        let error = h.eval("return document.querySelector('#export-identity .export-identity-error').textContent").await?;
        assert!(error.as_str().is_some_and(|t| t.contains("e-mail address")), "{error}");
        assert_eq!(h.eval("return document.getElementById('export-identity').hidden").await?, false);
        assert_eq!(git(&site, &["branch", "--list"])?, "* main\n");
        assert!(!git_config_has(&site, "user.email")?);

        h.eval(&set_value("#export-identity-email", "grace@example.org")).await?;
        h.click("#export-identity-continue").await?;
        h.wait_until(
            "const o = document.querySelector('#export-dialog .export-outcome'); \
             return o.classList.contains('ok') || o.classList.contains('error')",
            STARTUP,
        )
        .await?;
        let text = h.eval("return document.querySelector('#export-dialog .export-outcome').textContent").await?;
        assert!(text.as_str().is_some_and(|t| t.starts_with("Created branch update-db-101")), "{text}");
        assert_eq!(h.eval("return document.getElementById('export-identity').hidden").await?, true);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let _kept = h.stop_keeping_home().await?;
    outcome?;

    assert_eq!(
        git(
            &site,
            &["log", "-1", "--format=%an <%ae>|%cn <%ce>", "update-db-101"]
        )?
        .trim(),
        "Grace Hopper <grace@example.org>|Grace Hopper <grace@example.org>"
    );
    assert_eq!(
        git(&site, &["diff", "--name-only", "main", "update-db-101"])?,
        format!("{DB}\n")
    );
    assert_eq!(
        git(&site, &["config", "--local", "user.name"])?.trim(),
        "Grace Hopper"
    );
    assert_eq!(
        git(&site, &["config", "--local", "user.email"])?.trim(),
        "grace@example.org"
    );
    // Only the repository's config: the app's home got no global git config.
    for f in [".gitconfig", ".config/git/config"] {
        assert!(!home.join(f).exists(), "{f} was written in the app's home");
    }
    Ok(())
}

/// Whether the repository's own config has `key`.
fn git_config_has(site: &Path, key: &str) -> Result<bool> {
    let out = Command::new("git")
        .current_dir(site)
        .args(["config", "--local", "--get", key])
        .output()?;
    Ok(out.status.success())
}

/// Issue 15, item 12, without git: a site in no repository, no identity in
/// the app's environment. "Export patch" asks for the name and e-mail
/// address instead of signing with a made-up "Lectern User", offers no
/// repository to save them to, and the patch is signed with them.
#[tokio::test(flavor = "current_thread")]
async fn a_patch_without_any_git_identity_is_signed_with_the_typed_one_not_a_stand_in() -> Result<()>
{
    for var in ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "EMAIL"] {
        if std::env::var_os(var).is_some() {
            return Err(format!(
                "{var} is set: the app would have an identity; unset it for this test"
            )
            .into());
        }
    }
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("site"), &site)?;
    let patch = tmp.path().join("db-101.patch");
    let h = Harness::launch_with_env(
        tmp,
        site.clone(),
        vec![site.to_string_lossy().into_owned()],
        &[("GIT_CONFIG_NOSYSTEM", "1")],
    )
    .await?;
    let home = h.home();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        edit_title(&h, "db-101", OLD_TITLE, NEW_TITLE).await?;
        wait_for_file(&site.join(DB), NEW_TITLE).await?;
        open_changes(&h, 1).await?;
        open_export_dialog(&h).await?;
        h.wait_until(
            "return !document.getElementById('export-patch').disabled",
            STARTUP,
        )
        .await?;
        h.eval(&set_value("#export-patch-path", &patch.to_string_lossy()))
            .await?;
        h.click("#export-patch").await?;
        h.wait_until(
            "return document.getElementById('export-identity').hidden === false",
            STARTUP,
        )
        .await?;
        assert!(
            !patch.exists(),
            "nothing is written before the identity is given"
        );
        // No repository: nothing to save to, so the choice is not offered.
        assert_eq!(
            h.eval("return document.getElementById('export-identity-save').offsetParent === null")
                .await?,
            true
        );
        h.eval(&set_value("#export-identity-name", "Grace Hopper"))
            .await?;
        h.eval(&set_value("#export-identity-email", "grace@example.org"))
            .await?;
        h.click("#export-identity-continue").await?;
        h.wait_until(
            "const o = document.querySelector('#export-dialog .export-outcome'); \
             return o.classList.contains('ok') || o.classList.contains('error')",
            STARTUP,
        )
        .await?;
        let text = h
            .eval("return document.querySelector('#export-dialog .export-outcome').textContent")
            .await?;
        assert!(
            text.as_str().is_some_and(|t| t.starts_with("Wrote ")),
            "{text}"
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let kept = h.stop_keeping_home().await?;
    outcome?;
    let mbox = std::fs::read_to_string(&patch)?;
    assert!(
        mbox.contains("From: Grace Hopper <grace@example.org>"),
        "{mbox}"
    );
    assert!(!mbox.contains("lectern@localhost"), "{mbox}");
    for f in [".gitconfig", ".config/git/config"] {
        assert!(!home.join(f).exists(), "{f} was written in the app's home");
    }
    drop(kept);
    Ok(())
}
