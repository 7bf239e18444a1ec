//! Crash recovery: unsaved edits survive a killed app and are offered back.

use std::time::{Duration, Instant};

use lectern_e2e::{Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "current_thread")]
async fn unsaved_edits_of_a_killed_app_are_offered_and_restored_at_the_next_start() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let file = site.join("content/sessions/db-101.md");
    let before = std::fs::read_to_string(&file)?;
    let recovery_dir = h.home().join(".local/share/lectern/recovery");
    let first = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return document.getElementById('field-title')?.value === 'Fast Indexes Without Tears'",
            STARTUP,
        )
        .await?;
        h.eval(
            "const e = document.getElementById('field-title'); e.value = 'Recovered Title'; \
             e.dispatchEvent(new Event('change')); return true",
        )
        .await?;
        h.wait_until(
            "return document.querySelector('.session-row.selected .modified-dot') !== null",
            STARTUP,
        )
        .await?;
        // The drafts are written within one 3 s tick; wait for the file rather than a fixed time.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let written = std::fs::read_dir(&recovery_dir)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .any(|e| e.path().extension().is_some_and(|x| x == "json"))
                })
                .unwrap_or(false);
            if written {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!("no drafts in {} after 20 s", recovery_dir.display()).into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let pids = h.app_pids();
        assert!(
            !pids.is_empty(),
            "the test's lectern-desktop process was not found"
        );
        for pid in pids {
            std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()?;
        }
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let tmp = h.stop_after_crash().await?;
    first?;
    assert_eq!(std::fs::read_to_string(&file)?, before, "nothing was saved");

    let h = Harness::start_on(tmp, site).await?;
    let second = async {
        h.wait_until(
            "return document.getElementById('recovery-dialog')?.open === true",
            STARTUP,
        )
        .await?;
        let listed = h
            .eval("return document.querySelector('#recovery-dialog .recovery-files').textContent")
            .await?;
        assert!(
            listed
                .as_str()
                .unwrap_or_default()
                .contains("content/sessions/db-101.md"),
            "{listed}"
        );
        h.click("#recovery-dialog .restore").await?;
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return document.getElementById('field-title')?.value === 'Recovered Title' && \
             document.querySelector('.session-row.selected .modified-dot') !== null",
            STARTUP,
        )
        .await?;
        assert_eq!(
            std::fs::read_to_string(&file)?,
            before,
            "restoring does not save"
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    second
}
