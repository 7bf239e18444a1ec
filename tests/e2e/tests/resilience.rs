//! The real app when the disk lets it down: the site's folder renamed or
//! deleted while open, the site's disk remounted read-only, the site's disk
//! full, and the recovery store's disk full. Each time the person is told
//! which file and what to do, the edit stays in the app (and, where that
//! disk works, in the recovery store), nothing is half-written, and once the
//! disk is back the same save goes through.
//!
//! Read-only and full disks are real: small tmpfs mounts (the tests run as
//! root, as CI does). Where mounting is impossible they fail, unless
//! `LECTERN_TEST_NO_MOUNT=1` says the environment forbids it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use lectern_e2e::{copy_tree, file_snapshot, fixture, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);
const FILE: &str = "content/sessions/db-101.md";
const NEW_TITLE: &str = "Fast Indexes, Fewer Tears";
const SAVE: &str = "button[title^='Save (']";

/// A tmpfs on a temp folder, lazily unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Result<Option<Tmpfs>> {
        let dir = tempfile::tempdir()?;
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Ok(Some(Tmpfs { dir })),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                    Err(e) => e.to_string(),
                };
                if std::env::var("LECTERN_TEST_NO_MOUNT").is_ok_and(|v| v == "1") {
                    eprintln!("note: LECTERN_TEST_NO_MOUNT=1 and mounting a tmpfs failed ({why}); test skipped");
                    Ok(None)
                } else {
                    Err(format!(
                        "could not mount a tmpfs ({why}); these tests need root (CI runs as root). \
                         Set LECTERN_TEST_NO_MOUNT=1 only where the environment forbids mounting"
                    )
                    .into())
                }
            }
        }
    }

    /// Mount on an existing folder `at` instead of a new temp folder.
    fn mount_on(at: &Path, size: &str) -> Result<()> {
        let s = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(at)
            .status()?;
        if s.success() {
            Ok(())
        } else {
            Err(format!("mounting a tmpfs on {} failed", at.display()).into())
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, how: &str) -> Result<()> {
        let s = Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(self.path())
            .status()?;
        if s.success() {
            Ok(())
        } else {
            Err(format!("remount,{how} failed").into())
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fill the file system holding `dir` until "no space"; returns the filler.
fn fill(dir: &Path) -> Result<PathBuf> {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler)?;
    let chunk = vec![0x55u8; 4096];
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
            Err(e) => return Err(e.into()),
        }
    }
    Ok(filler)
}

/// The fixture site copied to `site` (which may be on a tmpfs) and the app
/// started on it, its home in its own temp folder.
async fn start_on(site: &Path) -> Result<Harness> {
    copy_tree(&fixture("site"), site)?;
    Harness::start_on(tempfile::tempdir()?, site.to_path_buf()).await
}

/// Open db-101 and change its title in the form (unsaved).
async fn edit_title(h: &Harness, title: &str) -> Result<()> {
    h.wait_for("#session-list .session-row", STARTUP).await?;
    h.click(".session-row[data-stem=\"db-101\"]").await?;
    h.wait_until(
        "return document.querySelector('.session-row.selected')?.getAttribute('data-stem') === 'db-101' && \
         !!document.getElementById('field-title')",
        STARTUP,
    )
    .await?;
    h.eval(&format!(
        "const e = document.getElementById('field-title'); e.value = {}; e.dispatchEvent(new Event('change')); return true",
        serde_json::to_string(title)?
    ))
    .await?;
    wait_modified(h, true).await
}

async fn wait_modified(h: &Harness, modified: bool) -> Result<()> {
    let cmp = if modified { "!==" } else { "===" };
    h.wait_until(
        &format!("return document.querySelector('.session-row.selected .modified-dot') {cmp} null"),
        STARTUP,
    )
    .await
}

/// Click Save and wait for an error in the status line; returns its text.
async fn save_fails(h: &Harness) -> Result<String> {
    h.eval("const s = document.querySelector('.status'); s.textContent = ''; s.className = 'status'; return true")
        .await?;
    h.click(SAVE).await?;
    h.wait_until(
        "return document.querySelector('.status').classList.contains('error')",
        STARTUP,
    )
    .await?;
    Ok(
        h.eval("return document.querySelector('.status').textContent")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// Click Save and wait until the session is clean.
async fn save_succeeds(h: &Harness) -> Result<()> {
    h.click(SAVE).await?;
    wait_modified(h, false).await
}

/// The recovery store's drafts file for the app of `h`, once it holds `text`.
async fn draft_with(h: &Harness, text: &str) -> Result<PathBuf> {
    let dir = h.home().join(".local/share/lectern/recovery");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json")
                && std::fs::read_to_string(&p).is_ok_and(|t| t.contains(text))
            {
                return Ok(p);
            }
        }
        if Instant::now() > deadline {
            return Err(
                format!("no draft holding {text:?} in {} after 20 s", dir.display()).into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn rows(h: &Harness) -> impl std::future::Future<Output = Result<serde_json::Value>> + '_ {
    h.eval("return document.querySelectorAll('#session-list .session-row').length")
}

async fn banner(h: &Harness) -> Result<Option<String>> {
    let v = h
        .eval("const b = document.getElementById('site-folder-banner'); return b && !b.hidden ? b.textContent : null")
        .await?;
    Ok(v.as_str().map(str::to_string))
}

async fn wait_banner(h: &Harness, shown: bool) -> Result<()> {
    let cond = if shown { "!b.hidden" } else { "b.hidden" };
    h.wait_until(
        &format!("const b = document.getElementById('site-folder-banner'); return !!b && {cond}"),
        STARTUP,
    )
    .await
}

#[tokio::test(flavor = "current_thread")]
async fn a_renamed_site_folder_keeps_the_edits_and_saving_explains_until_it_is_moved_back(
) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    let moved = tmp.path().join("site-renamed");
    let h = start_on(&site).await?;
    let outcome = async {
        edit_title(&h, NEW_TITLE).await?;
        let before = std::fs::read(site.join(FILE))?;
        let n = rows(&h).await?;
        std::fs::rename(&site, &moved)?;
        wait_banner(&h, true).await?;
        let text = banner(&h).await?.unwrap_or_default();
        assert!(
            text.contains("is gone")
                && text.contains(&*site.join("content/sessions").to_string_lossy()),
            "{text}"
        );
        let err = save_fails(&h).await?;
        assert!(
            err.contains("db-101.md")
                && err.contains("is gone")
                && err.contains("Put the folder back"),
            "{err}"
        );
        assert!(err.contains("edits are kept"), "{err}");
        wait_modified(&h, true).await?;
        assert_eq!(rows(&h).await?, n, "sessions vanished from the list");
        assert!(!site.exists(), "the save recreated the site folder");
        assert_eq!(
            std::fs::read(moved.join(FILE))?,
            before,
            "the file was written"
        );
        draft_with(&h, NEW_TITLE).await?;
        // Moved back: the banner goes and the same save goes through.
        std::fs::rename(&moved, &site)?;
        wait_banner(&h, false).await?;
        save_succeeds(&h).await?;
        let saved = std::fs::read_to_string(site.join(FILE))?;
        assert!(
            saved.contains(&format!("title: \"{NEW_TITLE}\"")),
            "{saved}"
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_deleted_site_folder_keeps_every_session_and_the_edits_until_it_is_restored() -> Result<()>
{
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    let h = start_on(&site).await?;
    let outcome = async {
        edit_title(&h, NEW_TITLE).await?;
        let n = rows(&h).await?;
        std::fs::remove_dir_all(&site)?;
        wait_banner(&h, true).await?;
        // Per-file delete events arrived too: no session was dropped.
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(rows(&h).await?, n, "sessions vanished from the list");
        let err = save_fails(&h).await?;
        assert!(
            err.contains("db-101.md") && err.contains("is gone"),
            "{err}"
        );
        wait_modified(&h, true).await?;
        assert!(!site.exists(), "the save recreated the site folder");
        draft_with(&h, NEW_TITLE).await?;
        // Restored (say, from a backup or `git checkout`): saving works again.
        copy_tree(&fixture("site"), &site)?;
        wait_banner(&h, false).await?;
        save_succeeds(&h).await?;
        assert!(std::fs::read_to_string(site.join(FILE))?.contains(NEW_TITLE));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_site_remounted_read_only_refuses_the_save_by_name_and_keeps_the_edit() -> Result<()> {
    let Some(fs) = Tmpfs::mount("4m")? else {
        return Ok(());
    };
    let site = fs.path().join("site");
    let h = start_on(&site).await?;
    let outcome = async {
        edit_title(&h, NEW_TITLE).await?;
        let before = file_snapshot(&site);
        fs.remount("ro")?;
        let err = save_fails(&h).await?;
        assert!(
            err.contains("db-101.md")
                && err.contains("read-only")
                && err.contains("edits are kept"),
            "{err}"
        );
        wait_modified(&h, true).await?;
        assert_eq!(file_snapshot(&site), before, "something was written");
        draft_with(&h, NEW_TITLE).await?;
        // Save All says the same.
        h.click("button[title^='Save All']").await?;
        h.wait_until(
            "return document.querySelector('.status').textContent.includes('not saved')",
            STARTUP,
        )
        .await?;
        fs.remount("rw")?;
        save_succeeds(&h).await?;
        assert!(std::fs::read_to_string(site.join(FILE))?.contains(NEW_TITLE));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_full_disk_refuses_the_save_by_name_writes_nothing_and_keeps_the_edit_in_recovery(
) -> Result<()> {
    let Some(fs) = Tmpfs::mount("2m")? else {
        return Ok(());
    };
    let site = fs.path().join("site");
    let h = start_on(&site).await?;
    let outcome = async {
        edit_title(&h, NEW_TITLE).await?;
        let filler = fill(fs.path())?;
        let before = file_snapshot(&site);
        let err = save_fails(&h).await?;
        assert!(
            err.contains("db-101.md")
                && err.contains("disk is full")
                && err.contains("Free some space"),
            "{err}"
        );
        wait_modified(&h, true).await?;
        assert_eq!(
            file_snapshot(&site),
            before,
            "a temp file or a partial save was left"
        );
        // The recovery store is on another disk: the draft is there.
        draft_with(&h, NEW_TITLE).await?;
        std::fs::remove_file(filler)?;
        save_succeeds(&h).await?;
        assert!(std::fs::read_to_string(site.join(FILE))?.contains(NEW_TITLE));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_full_recovery_disk_is_reported_and_the_last_drafts_stay_whole() -> Result<()> {
    // Checked before starting anything: can this environment mount at all?
    let Some(probe) = Tmpfs::mount("64k")? else {
        return Ok(());
    };
    drop(probe);
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    let h = start_on(&site).await?;
    let data = h.home().join(".local/share/lectern");
    std::fs::create_dir_all(&data)?;
    Tmpfs::mount_on(&data, "256k")?;
    let outcome = async {
        edit_title(&h, NEW_TITLE).await?;
        let first = draft_with(&h, NEW_TITLE).await?;
        let good = std::fs::read(&first)?;
        let filler = fill(&data)?;
        // A bigger title: the new drafts file cannot be written.
        let longer = format!("{NEW_TITLE} — {}", "and a much longer subtitle ".repeat(40));
        h.eval("document.querySelector('.status').textContent = ''; return true").await?;
        h.eval(&format!(
            "const e = document.getElementById('field-title'); e.value = {}; e.dispatchEvent(new Event('change')); return true",
            serde_json::to_string(&longer)?
        ))
        .await?;
        h.wait_until(
            "return document.querySelector('.status').textContent.includes('Crash recovery could not store')",
            STARTUP,
        )
        .await?;
        let text = h.eval("return document.querySelector('.status').textContent").await?;
        let text = text.as_str().unwrap_or_default();
        assert!(text.contains(&*first.to_string_lossy()) && text.contains("disk is full"), "{text}");
        assert_eq!(std::fs::read(&first)?, good, "the last good drafts were damaged");
        let temps = std::fs::read_dir(first.parent().ok_or("no parent")?)?
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(temps, 0, "a temp file was left in the recovery store");
        wait_modified(&h, true).await?;
        // Space again: the next tick stores the new drafts.
        std::fs::remove_file(filler)?;
        draft_with(&h, "and a much longer subtitle").await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let home = h.stop_keeping_home().await;
    let _ = Command::new("umount").arg("-l").arg(&data).status();
    drop(home?);
    outcome
}
