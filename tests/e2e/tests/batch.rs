//! Batch operations in the real window: select sessions, set a field, review
//! the plan with its diffs, confirm, undo; apply a schedule from a CSV file.
//! Every assertion about files reads the bytes on disk.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use lectern_e2e::{session_ids, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);

/// Set a form control's value and fire `change`, as a person choosing or typing it would.
fn set_value(css: &str, value: &str) -> String {
    format!(
        "const e = document.querySelector({css}); e.value = {value}; e.dispatchEvent(new Event('change')); return true",
        css = serde_json::to_string(css).unwrap_or_default(),
        value = serde_json::to_string(value).unwrap_or_default(),
    )
}

/// Ctrl-click a session row (WebDriver has no modifier click through fantoccini's element API).
fn ctrl_click(stem: &str) -> String {
    format!(
        "document.querySelector('.session-row[data-stem=\"{stem}\"]').dispatchEvent(new MouseEvent('click', {{bubbles: true, ctrlKey: true}})); return true"
    )
}

/// Every session file's bytes.
fn snapshot(site: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    session_ids(site)?.into_iter().map(|id| Ok((id.clone(), std::fs::read(site.join(&id))?))).collect()
}

/// The lines of `new` that differ from `old`, as (removed, added), for files of equal line count.
fn changed_lines(old: &[u8], new: &[u8]) -> (Vec<String>, Vec<String>) {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let (a, b): (Vec<&str>, Vec<&str>) = (old.split_inclusive('\n').collect(), new.split_inclusive('\n').collect());
    assert_eq!(a.len(), b.len(), "line count changed:\n{old}\n---\n{new}");
    a.iter().zip(&b).filter(|(x, y)| x != y).map(|(x, y)| (x.to_string(), y.to_string())).unzip()
}

/// The text of a plan file's diff in the plan dialog.
async fn diff_of(h: &Harness, path: &str) -> Result<String> {
    let v = h.eval(&format!("return document.querySelector('#plan-dialog .plan-file[data-path=\"{path}\"] pre.diff')?.textContent ?? ''")).await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "current_thread")]
async fn setting_the_room_on_selected_sessions_shows_a_plan_writes_only_room_lines_and_undoes_exactly() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let before = snapshot(&site)?;
        // Open db-101, then Ctrl-click ai-201: both are selected.
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until("return document.getElementById('field-room')?.value === 'Main Hall'", STARTUP).await?;
        h.eval(&ctrl_click("ai-201")).await?;
        h.wait_until("return document.getElementById('checked-count').dataset.count === '2'", STARTUP).await?;
        assert_eq!(h.eval("return document.querySelectorAll('.session-row.checked').length").await?, 2);

        // Set field… room = Side Room.
        h.click("#batch-set-field").await?;
        h.wait_until("return document.getElementById('set-field-dialog').open", STARTUP).await?;
        h.eval(&set_value("#set-field-key", "room")).await?;
        h.wait_until("return document.getElementById('set-field-value')?.tagName === 'SELECT'", STARTUP).await?;
        h.eval(&set_value("#set-field-value", "Side Room")).await?;
        h.click("#set-field-dialog-ok").await?;

        // The plan: four files, each with its diff; nothing written yet.
        h.wait_until("return document.getElementById('plan-dialog').open && document.querySelectorAll('#plan-dialog .plan-file').length === 4", STARTUP)
            .await?;
        let title = h.eval("return document.querySelector('#plan-dialog .plan-title').textContent").await?;
        assert_eq!(title, "Set room=Side Room on 2 sessions");
        for stem in ["ai-201", "db-101"] {
            let en = diff_of(&h, &format!("content/sessions/{stem}.md")).await?;
            assert!(en.contains("-room: \"Main Hall\"\n") && en.contains("+room: \"Side Room\"\n"), "{en}");
            let zh = diff_of(&h, &format!("content/sessions/{stem}.zh.md")).await?;
            assert!(zh.contains("-room: \"主厅\"\n") && zh.contains("+room: \"侧厅\"\n"), "{zh}");
        }
        assert_eq!(snapshot(&site)?, before, "planning writes nothing");

        h.click("#plan-confirm").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;

        // On disk: exactly the room lines of the four files, translated for the twins.
        let after = snapshot(&site)?;
        for (id, old) in &before {
            let expected = match id.as_str() {
                "content/sessions/ai-201.md" | "content/sessions/db-101.md" => Some(("room: \"Main Hall\"\n", "room: \"Side Room\"\n")),
                "content/sessions/ai-201.zh.md" | "content/sessions/db-101.zh.md" => Some(("room: \"主厅\"\n", "room: \"侧厅\"\n")),
                _ => None,
            };
            match expected {
                Some((o, n)) => assert_eq!(changed_lines(old, &after[id]), (vec![o.to_string()], vec![n.to_string()]), "{id}"),
                None => assert_eq!(old, &after[id], "{id} is untouched"),
            }
        }
        // In the app: the list rows, the open editor, no unsaved marks, no conflict dialog.
        h.wait_until(
            "return ['db-101', 'ai-201'].every(s => document.querySelector(`.session-row[data-stem=\"${s}\"] .meta-text`).textContent.includes('Side Room'))",
            STARTUP,
        )
        .await?;
        h.wait_until("return document.getElementById('field-room')?.value === 'Side Room'", STARTUP).await?;
        assert_eq!(h.eval("return document.querySelectorAll('.session-row .modified-dot').length").await?, 0);
        // Give the file watcher time to report what it saw: it must not be a conflict.
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(h.eval("return document.getElementById('conflict-dialog').open").await?, false);

        // Undo last batch: every byte back, and the app shows it.
        h.wait_until("return !document.getElementById('undo-batch').disabled", STARTUP).await?;
        h.click("#undo-batch").await?;
        h.wait_until("return document.getElementById('field-room')?.value === 'Main Hall'", STARTUP).await?;
        assert_eq!(snapshot(&site)?, before, "undo restores the bytes exactly");
        h.wait_until("return document.querySelector('.session-row[data-stem=\"ai-201\"] .meta-text').textContent.includes('Main Hall')", STARTUP)
            .await?;
        h.wait_until("return document.getElementById('undo-batch').disabled", STARTUP).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_plan_over_unsaved_edits_cannot_be_confirmed_until_they_are_saved_and_cancel_writes_nothing() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"web-102\"]").await?;
        h.wait_until("return document.getElementById('field-title')?.value === 'Streaming HTML From the Edge'", STARTUP).await?;
        // An unsaved edit of the title.
        h.eval(&set_value("#field-title", "Streaming HTML, Early")).await?;
        h.wait_until("return !!document.querySelector('.session-row[data-stem=\"web-102\"] .modified-dot')", STARTUP).await?;
        let before = snapshot(&site)?;
        h.click("#batch-set-field").await?;
        h.wait_until("return document.getElementById('set-field-dialog').open", STARTUP).await?;
        h.eval(&set_value("#set-field-key", "date")).await?;
        h.eval(&set_value("#set-field-value", "2030-05-02T16:00:00")).await?;
        h.click("#set-field-dialog-ok").await?;
        h.wait_until("return document.getElementById('plan-dialog').open", STARTUP).await?;
        h.wait_until("return document.getElementById('plan-confirm').disabled && !document.querySelector('#plan-dialog .plan-unsaved').hidden", STARTUP)
            .await?;
        let warning = h.eval("return document.querySelector('#plan-dialog .plan-unsaved').textContent").await?;
        assert!(warning.as_str().unwrap_or_default().contains("content/sessions/web-102.md"), "{warning}");
        // Cancel writes nothing and keeps the edit.
        h.click("#plan-cancel").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;
        assert_eq!(snapshot(&site)?, before);
        assert_eq!(h.eval("return document.getElementById('field-title').value").await?, "Streaming HTML, Early");

        // Again, this time saving first from the dialog: then it can be confirmed.
        h.click("#batch-set-field").await?;
        h.wait_until("return document.getElementById('set-field-dialog').open", STARTUP).await?;
        h.eval(&set_value("#set-field-key", "date")).await?;
        h.eval(&set_value("#set-field-value", "2030-05-02T16:00:00")).await?;
        h.click("#set-field-dialog-ok").await?;
        h.wait_until("return document.getElementById('plan-confirm').disabled", STARTUP).await?;
        h.click("#plan-save-all").await?;
        h.wait_until("return !document.getElementById('plan-confirm').disabled && document.querySelector('#plan-dialog .plan-unsaved').hidden", STARTUP)
            .await?;
        h.click("#plan-confirm").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;
        let en = std::fs::read_to_string(site.join("content/sessions/web-102.md"))?;
        assert!(en.contains("title: \"Streaming HTML, Early\"") && en.contains("date: \"2030-05-02T16:00:00\""), "{en}");
        let zh = std::fs::read_to_string(site.join("content/sessions/web-102.zh.md"))?;
        assert!(zh.contains("date: \"2030-05-02T16:00:00\""), "dates are copied to twins: {zh}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn applying_a_schedule_csv_reports_unmatched_rows_and_updates_date_and_room_in_every_twin() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let csv = site.parent().ok_or("no parent")?.join("schedule.csv");
    // A BOM, a header in another order than Sessionize's, an unknown id.
    std::fs::write(&csv, "\u{feff}Room,Session Id,Scheduled At\nSide Room,101,2030-05-02 15:00\nMain Hall,999,2030-05-01 09:00\n")?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let before = snapshot(&site)?;
        h.click("#batch-menu > summary").await?;
        h.click("#batch-schedule").await?;
        h.wait_until("return document.getElementById('schedule-dialog').open", STARTUP).await?;
        h.eval(&set_value("#schedule-path", &csv.to_string_lossy())).await?;
        h.click("#schedule-dialog-ok").await?;
        h.wait_until("return document.getElementById('plan-dialog').open && document.querySelectorAll('#plan-dialog .plan-file').length === 2", STARTUP)
            .await?;
        let report = h.eval("return document.querySelector('#plan-dialog .schedule-report').textContent").await?;
        let report = report.as_str().unwrap_or_default();
        assert!(report.contains("Rows matching no session (1)") && report.contains("row 3 (999)"), "{report}");
        assert!(report.contains("Sessions the schedule leaves out (3)") && report.contains("ai-201, web-102, web-103"), "{report}");
        h.click("#plan-confirm").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;
        let after = snapshot(&site)?;
        for (id, room) in [("content/sessions/db-101.md", ("Main Hall", "Side Room")), ("content/sessions/db-101.zh.md", ("主厅", "侧厅"))] {
            let (old, new) = changed_lines(&before[id], &after[id]);
            assert_eq!(old, vec!["date: \"2030-05-01T10:00:00\"\n".to_string(), format!("room: \"{}\"\n", room.0)], "{id}");
            assert_eq!(new, vec!["date: \"2030-05-02T15:00:00\"\n".to_string(), format!("room: \"{}\"\n", room.1)], "{id}");
        }
        for (id, bytes) in &before {
            if !id.contains("db-101") {
                assert_eq!(bytes, &after[id], "{id} is untouched");
            }
        }
        h.wait_until(
            "const t = document.querySelector('.session-row[data-stem=\"db-101\"] .meta-text').textContent; return t.includes('2030-05-02 15:00') && t.includes('Side Room')",
            STARTUP,
        )
        .await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
