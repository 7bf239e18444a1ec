//! Data loss and trust (issue 15, items 1–5) in the real window: what is
//! typed is saved, discarded edits stay discarded, Save respects twins, and
//! batch edits show what they did and only to what is shown.
//!
//! Keys are real X key events (xdotool over XTEST) sent to the app's
//! window, so Ctrl+S goes through GTK's menu accelerator exactly as when a
//! person presses it, and typed characters reach the focused field as
//! keystrokes (never a WebDriver value set, never a `change` event).

use std::time::Duration;

use lectern_e2e::{Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);
/// The app's X window (the unsaved mark `• ` may precede it).
const WINDOW: &str = "Example Conf 2030 — Lectern";

/// Keysyms that type `text` (letters, digits and spaces), for `xdotool key`:
/// typing and a shortcut can then go in one chain of key presses (`xdotool
/// type` would take the rest of the chain as text to type).
fn keys_for(text: &str) -> Vec<String> {
    text.chars()
        .map(|c| {
            if c == ' ' {
                "space".to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Press `keys` (keysyms, 40 ms apart) on the app's window.
fn press(h: &Harness, keys: &[String]) -> Result<()> {
    let mut args = vec!["key", "--delay", "40"];
    args.extend(keys.iter().map(String::as_str));
    h.xdotool(WINDOW, &args)
}

/// Type `text`, then press `then` (a shortcut) right after, in one chain.
fn type_then(h: &Harness, text: &str, then: &[&str]) -> Result<()> {
    let mut keys = keys_for(text);
    keys.extend(then.iter().map(|k| k.to_string()));
    press(h, &keys)
}

/// Click `css` from inside the page once it exists (a list row can be
/// re-rendered between a WebDriver lookup and its click).
async fn click(h: &Harness, css: &str) -> Result<()> {
    let css = serde_json::to_string(css)?;
    h.wait_until(&format!("return !!document.querySelector({css})"), STARTUP)
        .await?;
    h.eval(&format!(
        "document.querySelector({css}).click(); return true"
    ))
    .await?;
    Ok(())
}

/// Open the session with this stem and wait for its title in the form.
async fn open(h: &Harness, stem: &str, title: &str) -> Result<()> {
    h.wait_until(
        "return !!document.querySelector('#session-list .session-row')",
        STARTUP,
    )
    .await?;
    click(h, &format!(".session-row[data-stem=\"{stem}\"]")).await?;
    h.wait_until(
        &format!(
            "return document.getElementById('field-title')?.value === {}",
            serde_json::to_string(title)?
        ),
        STARTUP,
    )
    .await
}

/// Put the caret at the end of a form field, focused (as a click there would).
async fn focus_end(h: &Harness, id: &str) -> Result<()> {
    h.eval(&format!(
        "const e = document.getElementById('{id}'); e.focus(); e.setSelectionRange(e.value.length, e.value.length); \
         return document.activeElement === e"
    ))
    .await?;
    h.wait_until(
        &format!("return document.activeElement?.id === '{id}'"),
        STARTUP,
    )
    .await
}

/// Wait until `path` holds `want` (the save runs after the key press returns).
async fn wait_for_file(path: &std::path::Path, want: &str) -> Result<String> {
    let deadline = std::time::Instant::now() + STARTUP;
    loop {
        let text = std::fs::read_to_string(path)?;
        if text == want {
            return Ok(text);
        }
        if std::time::Instant::now() >= deadline {
            return Err(format!(
                "{} never became the expected text; it is:\n{text}",
                path.display()
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Item 1: Ctrl+S right after typing in the title (no Tab, no Enter) saves
/// what was typed; and the preview follows typing in a form field.
#[tokio::test(flavor = "current_thread")]
async fn ctrl_s_right_after_typing_in_the_title_saves_the_typed_text() -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join("content/sessions/db-101.md");
    let twin = h.site.join("content/sessions/db-101.zh.md");
    let before = std::fs::read_to_string(&file)?;
    let twin_before = std::fs::read(&twin)?;
    let outcome = async {
        open(&h, "db-101", "Fast Indexes Without Tears").await?;
        focus_end(&h, "field-title").await?;
        // Type, then Ctrl+S at once: one chain of key presses, 40 ms apart.
        type_then(&h, " TEST", &["ctrl+s"])?;
        let want = before.replace("title: \"Fast Indexes Without Tears\"", "title: \"Fast Indexes Without Tears TEST\"");
        assert_ne!(want, before);
        if let Err(e) = wait_for_file(&file, &want).await {
            let state = h
                .eval("return [document.getElementById('field-title').value, document.querySelector('.status').textContent, document.activeElement?.id, document.querySelector('.layout').className]")
                .await?;
            return Err(format!("{e}\nin the window: {state}").into());
        }
        // The field never lost focus and still holds the text; nothing is unsaved.
        assert_eq!(h.eval("return document.activeElement?.id").await?, "field-title");
        assert_eq!(h.eval("return document.getElementById('field-title').value").await?, "Fast Indexes Without Tears TEST");
        h.wait_until("return !document.querySelector('.layout').classList.contains('modified')", STARTUP).await?;
        assert_eq!(std::fs::read(&twin)?, twin_before, "the title is per language: the twin is untouched");

        // The preview follows typing in a field, with no Tab, Enter or save.
        type_then(&h, " LIVE", &[])?;
        h.wait_until(
            "return document.querySelector('.preview iframe')?.getAttribute('srcdoc')?.includes('Without Tears TEST LIVE') === true",
            STARTUP,
        )
        .await?;
        h.wait_until("return document.querySelector('.session-row.selected .modified-dot') !== null", STARTUP).await?;
        assert_eq!(std::fs::read_to_string(&file)?, want, "typing alone writes nothing");
        // A speaker's bio commits on leaving it; Ctrl+S while typing in it
        // saves what is typed there too (and the title typed before).
        h.eval(
            "const b = document.querySelector('.speaker-bio textarea'); b.focus(); b.setSelectionRange(b.value.length, b.value.length); return true",
        )
        .await?;
        h.wait_until("return document.activeElement?.matches('.speaker-bio textarea') === true", STARTUP).await?;
        type_then(&h, " MORE", &["ctrl+s"])?;
        let deadline = std::time::Instant::now() + STARTUP;
        loop {
            let text = std::fs::read_to_string(&file)?;
            if text.contains("title: \"Fast Indexes Without Tears TEST LIVE\"\n") && text.contains("for ten years. MORE\n") {
                break;
            }
            if std::time::Instant::now() >= deadline {
                return Err(format!("the title and the bio typed before Ctrl+S are not in the file:\n{text}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        h.wait_until("return !document.querySelector('.layout').classList.contains('modified')", STARTUP).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

/// Set a form control's value and fire `change` (a choice in a list).
fn set_value(css: &str, value: &str) -> String {
    format!(
        "const e = document.querySelector({css}); e.value = {value}; e.dispatchEvent(new Event('change')); return true",
        css = serde_json::to_string(css).unwrap_or_default(),
        value = serde_json::to_string(value).unwrap_or_default(),
    )
}

/// The command names the app received so far (`LECTERN_E2E=1` logs them).
async fn ipc_log(h: &Harness) -> Result<Vec<String>> {
    let v = h
        .eval_async(
            "const done = arguments[arguments.length - 1]; \
             window.__TAURI_INTERNALS__.invoke('app_info').then(i => done(i.ipc_log), e => done(String(e)))",
        )
        .await?;
    Ok(serde_json::from_value(v)?)
}

fn count(log: &[String], command: &str) -> usize {
    log.iter().filter(|c| c.as_str() == command).count()
}

/// Item 3: F5 (a real key press) → Discard drops the edit, and the reloaded
/// site does not offer to "restore" the edit just discarded.
#[tokio::test(flavor = "current_thread")]
async fn reload_then_discard_does_not_offer_the_discarded_edit_back() -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join("content/sessions/db-101.md");
    let before = std::fs::read(&file)?;
    let drafts = h.home().join(".local/share/lectern/recovery");
    let outcome = async {
        open(&h, "db-101", "Fast Indexes Without Tears").await?;
        focus_end(&h, "field-title").await?;
        type_then(&h, " DISCARD ME", &[])?;
        h.wait_until(
            "return document.querySelector('.layout').classList.contains('modified')",
            STARTUP,
        )
        .await?;
        // The recovery writer stores the edit within a few seconds.
        let deadline = std::time::Instant::now() + STARTUP;
        while std::fs::read_dir(&drafts).map(|d| d.count()).unwrap_or(0) == 0 {
            if std::time::Instant::now() >= deadline {
                return Err(format!("no drafts in {} after 30 s", drafts.display()).into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let offers_before = count(&ipc_log(&h).await?, "recovery_offer");
        h.eval("document.activeElement.blur(); return true").await?;
        h.xdotool(WINDOW, &["key", "F5"])?;
        h.wait_until(
            "return document.getElementById('leave-dialog')?.open === true",
            STARTUP,
        )
        .await?;
        click(&h, "#leave-dialog .leave-discard").await?;
        // The site is read again (it opens on its first session): the edit
        // is gone, and the reload asked whether there is anything to
        // restore (its last step).
        h.wait_until(
            "return document.getElementById('field-title')?.value === 'Small Models, Big Wins'",
            STARTUP,
        )
        .await?;
        h.wait_until(
            "return document.querySelectorAll('.session-row .modified-dot').length === 0",
            STARTUP,
        )
        .await?;
        let deadline = std::time::Instant::now() + STARTUP;
        while count(&ipc_log(&h).await?, "recovery_offer") == offers_before {
            if std::time::Instant::now() >= deadline {
                return Err("the reloaded site never asked for a recovery offer".into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // Let the dialog open if it were going to (it is shown right after the answer).
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            h.eval("return document.getElementById('recovery-dialog')?.open === true")
                .await?,
            false
        );
        assert_eq!(
            std::fs::read_dir(&drafts).map(|d| d.count()).unwrap_or(0),
            0,
            "the discarded drafts are deleted"
        );
        assert_eq!(std::fs::read(&file)?, before, "nothing was written");
        assert_eq!(
            h.eval("return document.querySelectorAll('.session-row .modified-dot').length")
                .await?,
            0
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

/// Item 4: a room chosen on the English session is translated into the
/// Chinese twin; Ctrl+S (a real key press) saves both files, exactly the
/// room lines, and says so.
#[tokio::test(flavor = "current_thread")]
async fn ctrl_s_saves_the_twin_the_same_edit_changed() -> Result<()> {
    let h = Harness::start("site").await?;
    let en = h.site.join("content/sessions/db-101.md");
    let zh = h.site.join("content/sessions/db-101.zh.md");
    let (en_before, zh_before) = (std::fs::read_to_string(&en)?, std::fs::read_to_string(&zh)?);
    let other = h.site.join("content/sessions/ai-201.md");
    let other_before = std::fs::read(&other)?;
    let outcome = async {
        // An unsaved edit in another session, which Save must leave alone.
        open(&h, "ai-201", "Small Models, Big Wins").await?;
        h.eval(&set_value("#field-room", "Side Room")).await?;
        h.wait_until("return document.querySelector('.session-row[data-stem=\"ai-201\"] .modified-dot') !== null", STARTUP).await?;
        open(&h, "db-101", "Fast Indexes Without Tears").await?;
        h.eval(&set_value("#field-room", "Side Room")).await?;
        h.wait_until("return document.querySelector('.session-row[data-stem=\"db-101\"] .modified-dot') !== null", STARTUP).await?;
        h.eval("document.activeElement.blur(); return true").await?;
        h.xdotool(WINDOW, &["key", "ctrl+s"])?;
        wait_for_file(&zh, &zh_before.replace("room: \"主厅\"", "room: \"侧厅\"")).await?;
        wait_for_file(&en, &en_before.replace("room: \"Main Hall\"", "room: \"Side Room\"")).await?;
        h.wait_until("return document.querySelector('.session-row[data-stem=\"db-101\"] .modified-dot') === null", STARTUP).await?;
        let status = h.eval("return document.querySelector('.status').textContent").await?;
        assert_eq!(
            status,
            "Saved, with its twin (zh)."
        );
        // The other session is still unsaved, and untouched on disk.
        assert!(h.eval("return document.querySelector('.session-row[data-stem=\"ai-201\"] .modified-dot') !== null").await? == true);
        assert_eq!(std::fs::read(&other)?, other_before);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

/// Item 5: after a batch "Set field…" on the open session, the form shows
/// the new value even in the field that had the focus; and a session the
/// filter hides is never part of a batch selection.
#[tokio::test(flavor = "current_thread")]
async fn a_batch_set_field_updates_the_focused_field_and_never_takes_hidden_sessions() -> Result<()>
{
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    let outcome = async {
        open(&h, "db-101", "Fast Indexes Without Tears").await?;
        h.wait_until("return document.getElementById('field-room')?.value === 'Main Hall'", STARTUP).await?;
        // The room list has the focus when the batch runs (the menu leaves it there).
        h.eval("document.getElementById('field-room').focus(); document.getElementById('batch-set-field').click(); return true")
            .await?;
        h.wait_until("return document.getElementById('set-field-dialog').open", STARTUP).await?;
        h.eval(&set_value("#set-field-key", "room")).await?;
        h.wait_until("return document.getElementById('set-field-value')?.tagName === 'SELECT'", STARTUP).await?;
        h.eval(&set_value("#set-field-value", "Side Room")).await?;
        click(&h, "#set-field-dialog-ok").await?;
        h.wait_until("return document.getElementById('plan-dialog').open && document.querySelectorAll('#plan-dialog .plan-file').length === 2", STARTUP)
            .await?;
        click(&h, "#plan-confirm").await?;
        h.wait_until("return !document.getElementById('plan-dialog').open", STARTUP).await?;
        wait_for_file(
            &site.join("content/sessions/db-101.md"),
            &std::fs::read_to_string(lectern_e2e::fixture("site").join("content/sessions/db-101.md"))?
                .replace("room: \"Main Hall\"", "room: \"Side Room\""),
        )
        .await?;
        // The preview and the form agree, whichever element has the focus.
        h.wait_until(
            "return document.querySelector('.preview iframe')?.getAttribute('srcdoc')?.includes('Side Room') === true",
            STARTUP,
        )
        .await?;
        h.wait_until("return document.getElementById('field-room').value === 'Side Room'", STARTUP).await?;
        // Focus the field and let the batch's reload run again (Undo batch, then the value must follow).
        h.eval("document.getElementById('field-room').focus(); return true").await?;
        h.eval("document.getElementById('undo-batch').click(); return true").await?;
        h.wait_until("return document.getElementById('field-room').value === 'Main Hall'", STARTUP).await?;
        assert_eq!(h.eval("return document.activeElement?.id").await?, "field-room", "the field kept the focus and shows the new value");

        // db-101 is open; the track filter hides it. Ctrl-clicking the two
        // shown sessions selects two, not three.
        h.eval(&set_value("#filter-track", "web")).await?;
        h.wait_until("return document.getElementById('session-list').dataset.shown === '2'", STARTUP).await?;
        for stem in ["web-102", "web-103"] {
            h.eval(&format!(
                "document.querySelector('.session-row[data-stem=\"{stem}\"]').dispatchEvent(new MouseEvent('click', {{bubbles: true, ctrlKey: true}})); return true"
            ))
            .await?;
        }
        h.wait_until("return document.getElementById('checked-count').dataset.count === '2'", STARTUP).await?;
        assert_eq!(h.eval("return document.getElementById('checked-count').textContent").await?, "2 selected");
        // A checked session the filter then hides is left out, and the count says so.
        h.eval(&set_value("#filter-track", "*")).await?;
        h.wait_until("return document.getElementById('session-list').dataset.shown === '4'", STARTUP).await?;
        h.eval("const s = document.querySelector('.session-filter'); s.value = 'Streaming'; s.dispatchEvent(new Event('input')); return true")
            .await?;
        h.wait_until("return document.getElementById('session-list').dataset.shown === '1'", STARTUP).await?;
        h.wait_until("return document.getElementById('checked-count').dataset.count === '1'", STARTUP).await?;
        assert_eq!(
            h.eval("return document.getElementById('checked-count').textContent").await?,
            "1 selected (1 hidden by the filter, left out)"
        );
        // The batch plans only for what is shown and checked: web-102 and its twin.
        h.eval("document.getElementById('batch-set-field').click(); return true").await?;
        h.wait_until("return document.getElementById('set-field-dialog').open", STARTUP).await?;
        h.eval(&set_value("#set-field-key", "room")).await?;
        h.wait_until("return document.getElementById('set-field-value')?.tagName === 'SELECT'", STARTUP).await?;
        h.eval(&set_value("#set-field-value", "Main Hall")).await?;
        click(&h, "#set-field-dialog-ok").await?;
        h.wait_until("return document.getElementById('plan-dialog').open", STARTUP).await?;
        let paths = h.eval("return [...document.querySelectorAll('#plan-dialog .plan-file')].map(f => f.dataset.path)").await?;
        assert_eq!(paths, serde_json::json!(["content/sessions/web-102.md", "content/sessions/web-102.zh.md"]));
        click(&h, "#plan-cancel").await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

/// Item 2: one undo history per file. Ctrl+Z in a form field and in the
/// body editor, and Edit › Undo in the native menu, all take back the
/// file's edits in order, each typing run as one step.
#[tokio::test(flavor = "current_thread")]
async fn ctrl_z_in_fields_and_body_and_edit_undo_share_one_history() -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join("content/sessions/db-101.md");
    let before = std::fs::read(&file)?;
    const TITLE: &str = "Fast Indexes Without Tears";
    let title_is = |t: &str| {
        format!(
            "return document.getElementById('field-title')?.value === {}",
            serde_json::to_string(t).unwrap_or_default()
        )
    };
    let body_has_xyz =
        "return document.querySelector('.editor .cm-content').textContent.includes('XYZ')";
    let body_lacks_xyz =
        "return !document.querySelector('.editor .cm-content').textContent.includes('XYZ')";
    let outcome = async {
        open(&h, "db-101", TITLE).await?;
        // Typing in the title, then Ctrl+Z in it: the whole run goes at once.
        focus_end(&h, "field-title").await?;
        type_then(&h, " ABC", &["ctrl+z"])?;
        h.wait_until(&title_is(TITLE), STARTUP).await?;
        h.wait_until("return !document.querySelector('.layout').classList.contains('modified')", STARTUP).await?;
        // Type again in the title, then in the body.
        type_then(&h, " DEF", &[])?;
        h.wait_until(&title_is(&format!("{TITLE} DEF")), STARTUP).await?;
        h.eval("document.querySelector('.editor .cm-content').focus(); return true").await?;
        press(&h, &["ctrl+End".to_string(), "X".into(), "Y".into(), "Z".into()])?;
        h.wait_until(
            "return document.querySelector('.preview iframe')?.getAttribute('srcdoc')?.includes('XYZ') === true",
            STARTUP,
        )
        .await?;
        // Ctrl+Z in the body takes back the body's typing, not the title's.
        h.xdotool(WINDOW, &["key", "ctrl+z"])?;
        h.wait_until(body_lacks_xyz, STARTUP).await?;
        assert_eq!(h.eval(&title_is(&format!("{TITLE} DEF"))).await?, true);
        // Edit › Undo (the real GTK menu) goes on with the same history: the
        // title's run, and it does not bring back what Ctrl+Z took away.
        let undos = count(&ipc_log(&h).await?, "undo");
        h.xdotool(WINDOW, &["key", "--delay", "250", "F10", "Right", "Down", "Return"])?;
        h.wait_until(&title_is(TITLE), STARTUP).await?;
        assert_eq!(count(&ipc_log(&h).await?, "undo"), undos + 1, "one undo, from the menu");
        assert_eq!(h.eval(body_has_xyz).await?, false, "Edit › Undo did not bring back the body text");
        // Redo from the title field (Ctrl+Y) brings back the title's run.
        focus_end(&h, "field-title").await?;
        h.xdotool(WINDOW, &["key", "ctrl+y"])?;
        h.wait_until(&title_is(&format!("{TITLE} DEF")), STARTUP).await?;
        assert_eq!(h.eval(body_has_xyz).await?, false);
        assert_eq!(std::fs::read(&file)?, before, "nothing was saved");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

/// Item 2's batch part: Undo batch after the person saved one of the
/// batch's files again in the app refuses with a message that says so
/// (not "changed on disk since it was opened"), and writes nothing.
#[tokio::test(flavor = "current_thread")]
async fn undo_batch_after_a_later_save_explains_and_writes_nothing() -> Result<()> {
    let h = Harness::start("site").await?;
    let en = h.site.join("content/sessions/db-101.md");
    let zh = h.site.join("content/sessions/db-101.zh.md");
    let outcome = async {
        open(&h, "db-101", "Fast Indexes Without Tears").await?;
        h.eval("document.getElementById('batch-set-field').click(); return true")
            .await?;
        h.wait_until(
            "return document.getElementById('set-field-dialog').open",
            STARTUP,
        )
        .await?;
        h.eval(&set_value("#set-field-key", "room")).await?;
        h.wait_until(
            "return document.getElementById('set-field-value')?.tagName === 'SELECT'",
            STARTUP,
        )
        .await?;
        h.eval(&set_value("#set-field-value", "Side Room")).await?;
        click(&h, "#set-field-dialog-ok").await?;
        h.wait_until(
            "return document.getElementById('plan-dialog').open",
            STARTUP,
        )
        .await?;
        click(&h, "#plan-confirm").await?;
        h.wait_until(
            "return !document.getElementById('plan-dialog').open",
            STARTUP,
        )
        .await?;
        h.wait_until(
            "return document.getElementById('field-room').value === 'Side Room'",
            STARTUP,
        )
        .await?;
        // A later edit, saved in the app.
        focus_end(&h, "field-title").await?;
        type_then(&h, " LATER", &["ctrl+s"])?;
        let deadline = std::time::Instant::now() + STARTUP;
        while !std::fs::read_to_string(&en)?.contains("Without Tears LATER") {
            if std::time::Instant::now() >= deadline {
                return Err("the later edit was not saved".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let saved = (std::fs::read(&en)?, std::fs::read(&zh)?);
        h.wait_until(
            "return !document.getElementById('undo-batch').disabled",
            STARTUP,
        )
        .await?;
        h.eval("document.getElementById('undo-batch').click(); return true")
            .await?;
        h.wait_until(
            "return document.querySelector('.status').classList.contains('error')",
            STARTUP,
        )
        .await?;
        let status = h
            .eval("return document.querySelector('.status').textContent")
            .await?;
        let status = status.as_str().unwrap_or_default().to_string();
        assert!(
            status.starts_with("Undo batch: a file the batch wrote was saved again since")
                && status.contains("Nothing was written"),
            "{status}"
        );
        assert_eq!(
            (std::fs::read(&en)?, std::fs::read(&zh)?),
            saved,
            "nothing was written"
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

/// The twins view's forms are live too: typing in the Chinese column's
/// title and pressing Ctrl+S at once saves it, with no Tab or Enter.
#[tokio::test(flavor = "current_thread")]
async fn ctrl_s_right_after_typing_in_a_twin_column_saves_it() -> Result<()> {
    let h = Harness::start("site").await?;
    let zh = h.site.join("content/sessions/db-101.zh.md");
    let before = std::fs::read_to_string(&zh)?;
    let outcome = async {
        open(&h, "db-101", "Fast Indexes Without Tears").await?;
        click(&h, "button[title^='This session']").await?;
        h.wait_until(
            "return !!document.querySelector('#twins-view.open #twin-zh-title')",
            STARTUP,
        )
        .await?;
        focus_end(&h, "twin-zh-title").await?;
        type_then(&h, " Plus", &["ctrl+s"])?;
        wait_for_file(
            &zh,
            &before.replace(
                "title: \"轻松的快速索引\"",
                "title: \"轻松的快速索引 Plus\"",
            ),
        )
        .await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
