//! A `git checkout`-sized change behind the app's back (checklist C11):
//! thousands of session files rewritten, some deleted, some added, while
//! one session has unsaved edits. Clean files reload, the list follows the
//! disk, the edited file asks instead of being overwritten, and nothing
//! else is marked modified. (No timing is asserted; the time the app took
//! to settle is printed.)

use std::path::Path;
use std::time::{Duration, Instant};

use lectern_e2e::{copy_tree, fixture, Harness, Result};
use serde_json::Value;

const STARTUP: Duration = Duration::from_secs(60);
/// Generated sessions, each with a zh twin: 2 × this many files.
const SESSIONS: usize = 2500;
const DELETED: usize = 50;
const ADDED: usize = 50;

fn session(stem: &str, lang: &str, title: &str) -> String {
    let stype = if lang == "zh" {
        "英文演讲"
    } else {
        "English Session"
    };
    format!(
        "---\ntitle: \"{title}\"\ndate: \"2030-05-01T10:00:00\"\ntrack: \"db\"\npresenters: \"Ada Park\"\nstype: \"{stype}\"\n---\nAbstract of {stem}.\n"
    )
}

fn path_of(site: &Path, stem: &str, lang: &str) -> std::path::PathBuf {
    let suffix = if lang == "en" {
        String::new()
    } else {
        format!(".{lang}")
    };
    site.join(format!("content/sessions/{stem}{suffix}.md"))
}

/// Write as git does: a new file renamed into place.
fn replace(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("md.checkout");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// The app's rows, straight from the command the list uses.
async fn rows(h: &Harness) -> Result<Vec<Value>> {
    let v = h
        .eval_async(
            "const done = arguments[arguments.length - 1]; \
             window.__TAURI_INTERNALS__.invoke('list_sessions').then(r => done(r.map(x => ({stem: x.stem, title: x.title, modified: x.modified})) ), e => done(String(e)))",
        )
        .await?;
    v.as_array()
        .cloned()
        .ok_or_else(|| format!("list_sessions: {v}").into())
}

#[tokio::test(flavor = "current_thread")]
async fn a_checkout_of_five_thousand_files_reloads_clean_ones_and_asks_about_the_edited_one(
) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("site"), &site)?;
    for i in 0..SESSIONS {
        let stem = format!("db-{}", 5000 + i);
        for lang in ["en", "zh"] {
            std::fs::write(
                path_of(&site, &stem, lang),
                session(&stem, lang, &format!("Before {i}")),
            )?;
        }
    }
    let h = Harness::start_on(tempfile::tempdir()?, site.clone()).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let initial = rows(&h).await?;
        assert_eq!(initial.len(), 4 + SESSIONS, "fixture sessions plus the generated ones");

        // An unsaved edit in db-101.
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until("return document.getElementById('field-title')?.value === 'Fast Indexes Without Tears'", STARTUP)
            .await?;
        h.eval(
            "const e = document.getElementById('field-title'); e.value = 'Mine, unsaved'; \
             e.dispatchEvent(new Event('change')); return true",
        )
        .await?;
        h.wait_until("return document.querySelector('.layout').classList.contains('modified')", STARTUP).await?;

        // The checkout: every generated file rewritten but the deleted ones,
        // new sessions, and db-101 changed on disk.
        let started = Instant::now();
        for i in 0..SESSIONS {
            let stem = format!("db-{}", 5000 + i);
            for lang in ["en", "zh"] {
                let path = path_of(&site, &stem, lang);
                if i < DELETED {
                    std::fs::remove_file(&path)?;
                } else {
                    replace(&path, &session(&stem, lang, &format!("After {i}")))?;
                }
            }
        }
        for i in 0..ADDED {
            let stem = format!("web-{}", 9000 + i);
            for lang in ["en", "zh"] {
                replace(&path_of(&site, &stem, lang), &session(&stem, lang, &format!("New {i}")))?;
            }
        }
        let db101 = site.join("content/sessions/db-101.md");
        let disk = std::fs::read_to_string(&db101)?.replace("room: \"Main Hall\"", "room: \"Side Room\"");
        replace(&db101, &disk)?;
        let written = started.elapsed();

        // The edited file asks.
        h.wait_until("return document.getElementById('conflict-dialog')?.open === true", STARTUP).await?;
        // The list settles on the disk's state.
        let asked = started.elapsed();
        let expected = 4 + SESSIONS - DELETED + ADDED;
        let deadline = Instant::now() + STARTUP;
        let settled = loop {
            let now = rows(&h).await?;
            let after = now.iter().filter(|r| r["title"].as_str().is_some_and(|t| t.starts_with("After "))).count();
            let new = now.iter().filter(|r| r["title"].as_str().is_some_and(|t| t.starts_with("New "))).count();
            if now.len() == expected && after == SESSIONS - DELETED && new == ADDED {
                break now;
            }
            if Instant::now() > deadline {
                return Err(format!("the list did not settle: {} rows, {after} rewritten, {new} new", now.len()).into());
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        println!(
            "checkout: {} files written and {} deleted in {:.2} s; after the first write the conflict was shown at {:.2} s \
             and the list matched the disk at {:.2} s",
            2 * (SESSIONS - DELETED + ADDED) + 1,
            2 * DELETED,
            written.as_secs_f64(),
            asked.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        assert!(
            settled.iter().all(|r| !r["title"].as_str().unwrap_or_default().starts_with("Before ")),
            "a rewritten session kept its old title"
        );
        let modified: Vec<&Value> = settled.iter().filter(|r| r["modified"] == Value::Bool(true)).collect();
        assert_eq!(modified.len(), 1, "only db-101 has unsaved edits: {modified:?}");
        assert_eq!(modified[0]["stem"], "db-101");

        // Keep mine: the file on disk stays the checkout's version until saved.
        h.click("#conflict-dialog .keep-mine").await?;
        h.wait_until("return document.getElementById('conflict-dialog').open === false", STARTUP).await?;
        assert_eq!(std::fs::read_to_string(&db101)?, disk);
        assert_eq!(h.eval("return document.getElementById('field-title').value").await?, "Mine, unsaved");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
