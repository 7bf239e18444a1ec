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

/// Click `css`, retrying when the list re-renders the element between finding and
/// clicking it (the harness retries stale clicks; this also retries a stale lookup).
async fn click(h: &Harness, css: &str) -> Result<()> {
    let mut last = None;
    for _ in 0..5 {
        match h.click(css).await {
            Ok(()) => return Ok(()),
            Err(e) if e.to_string().contains("Stale") => {
                last = Some(e);
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| "stale".into()))
}

/// Every session file's bytes.
fn snapshot(site: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    session_ids(site)?
        .into_iter()
        .map(|id| Ok((id.clone(), std::fs::read(site.join(&id))?)))
        .collect()
}

/// The lines of `new` that differ from `old`, as (removed, added), for files of equal line count.
fn changed_lines(old: &[u8], new: &[u8]) -> (Vec<String>, Vec<String>) {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let (a, b): (Vec<&str>, Vec<&str>) = (
        old.split_inclusive('\n').collect(),
        new.split_inclusive('\n').collect(),
    );
    assert_eq!(a.len(), b.len(), "line count changed:\n{old}\n---\n{new}");
    a.iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .unzip()
}

/// The text of a plan file's diff in the plan dialog.
async fn diff_of(h: &Harness, path: &str) -> Result<String> {
    let v = h.eval(&format!("return document.querySelector('#plan-dialog .plan-file[data-path=\"{path}\"] pre.diff')?.textContent ?? ''")).await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "current_thread")]
async fn setting_the_room_on_selected_sessions_shows_a_plan_writes_only_room_lines_and_undoes_exactly(
) -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let before = snapshot(&site)?;
        // Open db-101, then Ctrl-click ai-201: both are selected.
        click(&h, ".session-row[data-stem=\"db-101\"]").await?;
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
        // For people reviewing the dialog (tests/e2e/artifacts/, git-ignored).
        std::fs::create_dir_all(lectern_e2e::artifacts_dir())?;
        std::fs::write(lectern_e2e::artifacts_dir().join("plan-dialog.png"), h.client.screenshot().await?)?;

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
async fn a_plan_over_unsaved_edits_cannot_be_confirmed_until_they_are_saved_and_cancel_writes_nothing(
) -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        click(&h, ".session-row[data-stem=\"web-102\"]").await?;
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
async fn applying_a_schedule_csv_reports_unmatched_rows_and_updates_date_and_room_in_every_twin(
) -> Result<()> {
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

/// Paste `text` (as a spreadsheet puts it on the clipboard) into the element matching `css`.
fn paste_into(css: &str, text: &str) -> String {
    format!(
        "const e = document.querySelector({css}); e.focus(); const dt = new DataTransfer(); dt.setData('text/plain', {text}); \
         e.dispatchEvent(new ClipboardEvent('paste', {{clipboardData: dt, bubbles: true, cancelable: true}})); return true",
        css = serde_json::to_string(css).unwrap_or_default(),
        text = serde_json::to_string(text).unwrap_or_default(),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn a_block_pasted_into_the_table_becomes_one_plan_with_translated_twins() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        click(&h, ".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until("return document.getElementById('field-room')?.value === 'Main Hall'", STARTUP).await?;
        h.eval(&ctrl_click("web-102")).await?;
        h.wait_until("return document.getElementById('checked-count').dataset.count === '2'", STARTUP).await?;
        h.click("#batch-table").await?;
        h.wait_until("return document.getElementById('table-dialog').open && document.querySelectorAll('#batch-table tbody tr').length === 2", STARTUP)
            .await?;
        // Rows in list order; typed cells: the room is a list of the site's rooms.
        assert_eq!(h.eval("return [...document.querySelectorAll('#batch-table tbody tr')].map(r => r.dataset.stem)").await?, serde_json::json!(["db-101", "web-102"]));
        assert_eq!(h.eval("return document.querySelector('#batch-table td[data-key=\"room\"] select') !== null").await?, true);
        // Two rows × two columns (stype, room), copied from a spreadsheet, pasted at db-101's stype.
        h.eval(&paste_into("#batch-table tr[data-stem=\"db-101\"] td[data-key=\"stype\"] select", "Chinese Session\tSide Room\r\nEnglish Session\tMain Hall\r\n")).await?;
        h.wait_until("return document.querySelectorAll('#batch-table td.edited').length === 4", STARTUP).await?;
        h.click("#table-review").await?;
        h.wait_until("return document.getElementById('plan-dialog').open && document.querySelectorAll('#plan-dialog .plan-file').length === 4", STARTUP)
            .await?;
        assert_eq!(h.eval("return document.querySelector('#plan-dialog .plan-title').textContent").await?, "Edit 4 cells in 2 sessions");
        h.click("#plan-confirm").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;
        let get = |id: &str| std::fs::read_to_string(site.join(id));
        let zh = get("content/sessions/db-101.zh.md")?;
        assert!(zh.contains("stype: \"中文演讲\"") && zh.contains("room: \"侧厅\""), "{zh}");
        let zh = get("content/sessions/web-102.zh.md")?;
        assert!(zh.contains("stype: \"英文演讲\"") && zh.contains("room: \"主厅\""), "{zh}");
        let en = get("content/sessions/web-102.md")?;
        assert!(en.contains("stype: \"English Session\"") && en.contains("room: \"Main Hall\""), "{en}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn find_and_replace_replaces_only_the_matches_kept() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let before = snapshot(&site)?;
        h.click("#batch-menu > summary").await?;
        h.click("#batch-find").await?;
        h.wait_until("return document.getElementById('find-dialog').open", STARTUP).await?;
        h.eval(&set_value("#find-pattern", "Hall")).await?;
        h.eval(&set_value("#find-replacement", "Auditorium")).await?;
        h.eval(&set_value("#find-scope", "fields")).await?;
        h.click("#find-run").await?;
        h.wait_until("return document.querySelectorAll('#find-matches .match').length === 2", STARTUP).await?;
        // Leave ai-201's match out.
        h.click("#find-matches .match[data-id^=\"content/sessions/ai-201.md\"] input").await?;
        h.click("#find-review").await?;
        h.wait_until("return document.getElementById('plan-dialog').open && document.querySelectorAll('#plan-dialog .plan-file').length === 1", STARTUP)
            .await?;
        h.click("#plan-confirm").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;
        let after = snapshot(&site)?;
        let id = "content/sessions/db-101.md";
        assert_eq!(changed_lines(&before[id], &after[id]), (vec!["room: \"Main Hall\"\n".to_string()], vec!["room: \"Main Auditorium\"\n".to_string()]));
        for (other, bytes) in &before {
            if other != id {
                assert_eq!(bytes, &after[other], "{other}");
            }
        }
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_withdrawn_session_leaves_the_list_and_undo_brings_it_back() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let before = snapshot(&site)?;
        click(&h, ".session-row[data-stem=\"web-103\"]").await?;
        h.wait_until("return document.querySelector('.session-heading').textContent === 'Accessible Forms'", STARTUP).await?;
        h.click("#batch-menu > summary").await?;
        h.click("#batch-withdraw").await?;
        h.wait_until("return document.getElementById('withdraw-dialog').open && document.getElementById('withdraw-stem').value === 'web-103'", STARTUP)
            .await?;
        h.click("#withdraw-dialog-ok").await?;
        h.wait_until("return document.querySelector('#plan-dialog .plan-file[data-kind=\"delete\"][data-path=\"content/sessions/web-103.md\"]') !== null", STARTUP)
            .await?;
        h.click("#plan-confirm").await?;
        h.wait_until("return !document.querySelector('.session-row[data-stem=\"web-103\"]') && document.querySelectorAll('.session-row').length === 3", STARTUP)
            .await?;
        assert!(!site.join("content/sessions/web-103.md").exists());
        // The editor moved off the removed file.
        h.wait_until("return document.querySelector('.session-heading').textContent !== 'Accessible Forms'", STARTUP).await?;
        h.click("#undo-batch").await?;
        h.wait_until("return !!document.querySelector('.session-row[data-stem=\"web-103\"]')", STARTUP).await?;
        assert_eq!(snapshot(&site)?, before);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

fn sessionize_json(description: &str) -> String {
    serde_json::json!({
        "sessions": [{
            "id": "4242", "title": "Row Stores", "description": description, "status": "Accepted",
            "startsAt": "2030-05-02T13:00:00", "roomId": 1, "speakers": ["s1"],
            "categories": [
                {"id": 1, "name": "Track", "categoryItems": [{"id": 1, "name": "db"}]},
                {"id": 2, "name": "Language", "categoryItems": [{"id": 2, "name": "English"}]}
            ]
        }],
        "speakers": [{"id": "s1", "fullName": "Kim Lee (kim@example.org)", "tagLine": "Engineer", "bio": "Kim builds databases.", "profilePicture": "https://sessionize.example/kim.jpg"}],
        "rooms": [{"id": 1, "name": "Side Room"}],
        "categories": []
    })
    .to_string()
}

/// Batch ▸ Import from Sessionize… with `file`, up to the plan dialog.
async fn import_file(h: &Harness, file: &Path) -> Result<()> {
    h.click("#batch-menu > summary").await?;
    h.click("#batch-import").await?;
    h.wait_until(
        "return document.getElementById('sessionize-dialog').open",
        STARTUP,
    )
    .await?;
    h.eval(&set_value("#sessionize-path", &file.to_string_lossy()))
        .await?;
    h.click("#sessionize-dialog-ok").await?;
    h.wait_until(
        "return document.getElementById('plan-dialog').open",
        STARTUP,
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_sessionize_reimport_shows_a_hand_edited_body_three_ways_and_takes_the_chosen_version(
) -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let json = site.parent().ok_or("no parent")?.join("sessionize.json");
    std::fs::write(&json, sessionize_json("Rows first."))?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        import_file(&h, &json).await?;
        h.wait_until("return document.querySelectorAll('#plan-dialog .plan-file[data-kind=\"create\"]').length === 2", STARTUP).await?;
        let report = h.eval("return document.querySelector('#plan-dialog .import-report').textContent").await?;
        assert!(report.as_str().unwrap_or_default().contains("1 new"), "{report}");
        h.click("#plan-confirm").await?;
        h.wait_until("return !!document.querySelector('.session-row[data-stem=\"db-4242\"]')", STARTUP).await?;
        let en = site.join("content/sessions/db-4242.md");
        let text = std::fs::read_to_string(&en)?;
        assert!(text.contains("presenters: \"Kim Lee\"") && text.contains("Rows first."), "{text}");
        // A hand edit on disk, then Sessionize changes the abstract too.
        std::fs::write(&en, text.replace("Rows first.", "Rows first, edited by hand."))?;
        std::fs::write(&json, sessionize_json("Rows first, then columns."))?;
        import_file(&h, &json).await?;
        h.wait_until("return document.querySelectorAll('#plan-dialog .three-way-file').length === 1", STARTUP).await?;
        let three = h.eval(
            "const f = document.querySelector('#plan-dialog .three-way-file'); \
             return [f.dataset.path, f.querySelector('pre.base').textContent, f.querySelector('pre.ours').textContent, f.querySelector('pre.theirs').textContent]",
        )
        .await?;
        let parts: Vec<String> = serde_json::from_value(three)?;
        assert_eq!(parts[0], "content/sessions/db-4242.md");
        assert!(parts[1].starts_with("Rows first.") && parts[2].starts_with("Rows first, edited by hand.") && parts[3].starts_with("Rows first, then columns."), "{parts:?}");
        // Take Sessionize's version for that file and plan again: no conflict left.
        h.click("#plan-dialog .three-way-file input[value=\"take_theirs\"]").await?;
        h.click("#import-replan").await?;
        h.wait_until("return document.querySelectorAll('#plan-dialog .three-way-file').length === 0 && !!document.querySelector('#plan-dialog .plan-file[data-path=\"content/sessions/db-4242.md\"]')", STARTUP)
            .await?;
        h.click("#plan-confirm").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;
        let text = std::fs::read_to_string(&en)?;
        assert!(text.contains("Rows first, then columns.") && !text.contains("edited by hand"), "{text}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_session_withdrawn_in_one_run_is_restored_from_the_journal_in_the_next() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let before = snapshot(&site)?;
    let first = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click("#batch-menu > summary").await?;
        h.click("#batch-withdraw").await?;
        h.wait_until("return document.getElementById('withdraw-dialog').open", STARTUP).await?;
        h.eval(&set_value("#withdraw-stem", "db-101")).await?;
        h.click("#withdraw-dialog-ok").await?;
        h.wait_until("return document.querySelectorAll('#plan-dialog .plan-file[data-kind=\"delete\"]').length === 2", STARTUP).await?;
        h.click("#plan-confirm").await?;
        h.wait_until("return !document.querySelector('.session-row[data-stem=\"db-101\"]')", STARTUP).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let tmp = h.stop_keeping_home().await?;
    first?;
    assert!(!site.join("content/sessions/db-101.zh.md").exists());
    // The next run: nothing to undo, but the journal has it.
    let h = Harness::start_on(tmp, site.clone()).await?;
    let second = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        assert_eq!(h.eval("return document.getElementById('undo-batch').disabled").await?, true);
        h.click("#batch-menu > summary").await?;
        h.click("#batch-restore").await?;
        h.wait_until("return document.getElementById('journal-dialog').open && document.querySelectorAll('#journal-list .journal-entry').length === 1", STARTUP)
            .await?;
        let title = h.eval("return document.querySelector('#journal-list .journal-entry strong').textContent").await?;
        assert_eq!(title, "Withdraw session db-101");
        h.click("#journal-list .journal-entry button").await?;
        h.wait_until("return document.querySelectorAll('#plan-dialog .plan-file[data-kind=\"create\"]').length === 2", STARTUP).await?;
        h.click("#plan-confirm").await?;
        h.wait_until("return !!document.querySelector('.session-row[data-stem=\"db-101\"]')", STARTUP).await?;
        assert_eq!(snapshot(&site)?, before);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    second
}
