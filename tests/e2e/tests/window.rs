//! The main window, driven for real through tauri-driver under Xvfb.

use std::time::Duration;

use lectern_e2e::{artifacts_dir, session_stems, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);

/// Stems of the session rows currently in the DOM (one row per session, twins together).
async fn rendered_stems(h: &Harness) -> Result<Vec<String>> {
    let v = h
        .eval("return [...document.querySelectorAll('#session-list .session-row')].map(r => r.dataset.stem)")
        .await?;
    let mut ids: Vec<String> = serde_json::from_value(v)?;
    ids.sort();
    Ok(ids)
}

#[tokio::test(flavor = "current_thread")]
async fn window_opens_and_lists_every_session_of_the_site() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        // The page title follows the window title: site name, no unsaved mark.
        h.wait_until(
            "return document.title === 'Example Conf 2030 — Lectern'",
            STARTUP,
        )
        .await?;
        let title = h.client.title().await?;
        assert_eq!(title, "Example Conf 2030 — Lectern");
        let expected = session_stems(&h.site)?;
        assert_eq!(
            expected,
            ["ai-201", "db-101", "web-102", "web-103"],
            "fixture sessions"
        );
        let total = h
            .eval("return document.getElementById('session-list').dataset.total")
            .await?;
        assert_eq!(total, serde_json::json!(expected.len().to_string()));
        assert_eq!(rendered_stems(&h).await?, expected);
        // The first session is opened in the editor.
        h.wait_until(
            "return (document.querySelector('.session-heading')?.textContent ?? '') !== ''",
            STARTUP,
        )
        .await?;
        let heading = h
            .eval("return document.querySelector('.session-heading').textContent")
            .await?;
        assert_eq!(heading, serde_json::json!("Small Models, Big Wins"));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn main_window_screenshot_is_saved() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.wait_for("#problems .problem", STARTUP).await?;
        h.wait_until(
            "return (document.querySelector('.session-heading')?.textContent ?? '') !== ''",
            STARTUP,
        )
        .await?;
        // Let CodeMirror and the preview iframe paint.
        tokio::time::sleep(Duration::from_millis(700)).await;
        let png = h.client.screenshot().await?;
        assert!(png.starts_with(b"\x89PNG"), "WebDriver returned a PNG");
        std::fs::create_dir_all(artifacts_dir())?;
        let path = artifacts_dir().join("main-window.png");
        std::fs::write(&path, &png)?;
        eprintln!("e2e: wrote {} ({} bytes)", path.display(), png.len());
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn long_session_lists_keep_only_visible_rows_in_the_dom() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    lectern_e2e::copy_tree(&lectern_e2e::fixture("site"), &site)?;
    for i in 0..300 {
        let text = format!(
            "---\ntitle: \"Generated talk {i:03}\"\ndate: \"2030-05-01T10:00:00\"\ntrack: \"db\"\npresenters: \"Speaker {i:03}\"\nstype: \"English Session\"\n---\nBody {i}.\n"
        );
        std::fs::write(
            site.join(format!("content/sessions/db-{}.md", 5000 + i)),
            text,
        )?;
    }
    let expected = session_stems(&site)?.len();
    let h = Harness::start_on(tmp, site).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let total = h.eval("return document.getElementById('session-list').dataset.total").await?;
        assert_eq!(total, serde_json::json!(expected.to_string()));
        // Wait until the first session is open: opening it scrolls the list to its row.
        h.wait_until("return (document.querySelector('.session-heading')?.textContent ?? '') !== ''", STARTUP).await?;
        let in_dom = rendered_stems(&h).await?.len();
        assert!(in_dom < 40, "only visible rows are rendered, got {in_dom} of {expected}");
        // Scroll to the bottom: the last session appears, the first is gone.
        h.eval("const v = document.querySelector('.session-viewport'); v.scrollTop = v.scrollHeight; return true").await?;
        let last = session_stems(&h.site)?.pop().unwrap_or_default();
        let script = format!("return !!document.querySelector('.session-row[data-stem=\"{last}\"]')");
        h.wait_until(&script, Duration::from_secs(5)).await?;
        let first_still_there = h
            .eval("return !!document.querySelector('.session-row[data-stem=\"ai-201\"]')")
            .await?;
        assert_eq!(first_still_there, serde_json::json!(false));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn choosing_an_allowed_room_and_saving_changes_only_that_line() -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join("content/sessions/web-103.md");
    let before = std::fs::read_to_string(&file)?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"web-103\"]").await?;
        h.wait_until(
            "return document.querySelector('.session-heading')?.textContent === 'Accessible Forms'",
            STARTUP,
        )
        .await?;
        // The unknown room is shown as is, flagged by the core's finding.
        h.wait_until(
            "return document.getElementById('field-room')?.value === 'Attic'",
            STARTUP,
        )
        .await?;
        h.eval(
            "const s = document.getElementById('field-room'); s.value = 'Side Room'; \
             s.dispatchEvent(new Event('change')); return true",
        )
        .await?;
        h.wait_until(
            "return document.querySelector('.session-row.selected .modified-dot') !== null",
            STARTUP,
        )
        .await?;
        h.click("button[title^='Save (']").await?;
        h.wait_until(
            "return document.querySelector('.session-row.selected .modified-dot') === null",
            STARTUP,
        )
        .await?;
        let after = std::fs::read_to_string(&file)?;
        assert_eq!(
            after,
            before.replace("room: \"Attic\"", "room: \"Side Room\"")
        );
        // The problems panel no longer lists the unknown room.
        h.wait_until(
            "return !document.querySelector('#problems .problem[data-code=\"unknown-room\"]')",
            STARTUP,
        )
        .await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn preview_iframe_is_sandboxed_without_scripts_or_same_origin() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        h.wait_for(".preview iframe", STARTUP).await?;
        let sandbox = h
            .eval("return document.querySelector('.preview iframe').getAttribute('sandbox')")
            .await?;
        assert_eq!(sandbox, serde_json::json!(""));
        // The app's page itself has no Tauri global (withGlobalTauri: false).
        let global = h.eval("return typeof window.__TAURI__").await?;
        assert_eq!(global, serde_json::json!("undefined"));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn preview_shows_the_cores_sanitised_page_of_the_open_session() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        h.wait_until(
            "return (document.querySelector('.preview iframe')?.getAttribute('srcdoc') ?? '').includes('Small Models, Big Wins')",
            STARTUP,
        )
        .await?;
        let srcdoc = h.eval("return document.querySelector('.preview iframe').getAttribute('srcdoc')").await?;
        let srcdoc = srcdoc.as_str().unwrap_or_default().to_string();
        let head: String = srcdoc.chars().take(400).collect();
        assert!(srcdoc.contains("Content-Security-Policy"), "the core's standalone document carries its own CSP: {head}");
        assert!(!srcdoc.contains("<script"), "no script in the preview: {head}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn first_run_without_an_argument_opens_a_copy_of_the_sample_site() -> Result<()> {
    let h = Harness::start_first_run().await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        assert!(
            h.site.join("config.toml").is_file(),
            "sample site copied to {}",
            h.site.display()
        );
        let expected = session_stems(&h.site)?.len();
        assert!(expected > 0);
        let total = h
            .eval("return document.getElementById('session-list').dataset.total")
            .await?;
        assert_eq!(total, serde_json::json!(expected.to_string()));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn without_an_argument_the_app_reopens_the_last_site() -> Result<()> {
    let h = Harness::start("site").await?;
    let site = h.site.clone();
    h.wait_for("#session-list .session-row", STARTUP).await?;
    let tmp = h
        .stop_keeping_home()
        .await
        .map_err(|e| format!("first run: {e}"))?;
    // Same home, no argument: the site opened last comes back.
    let h = Harness::launch(tmp, site, Vec::new())
        .await
        .map_err(|e| format!("second run: {e}"))?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let name = h
            .eval("return document.querySelector('.site-name').textContent")
            .await?;
        assert_eq!(name, serde_json::json!("Example Conf 2030"));
        assert_eq!(rendered_stems(&h).await?, session_stems(&h.site)?);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

/// Whether a visible X window named exactly `name` exists on `display`.
fn visible_window(display: &str, name: &str) -> Result<bool> {
    let status = std::process::Command::new("xdotool")
        .env("DISPLAY", display)
        .args(["search", "--onlyvisible", "--name", &format!("^{name}$")])
        .stdout(std::process::Stdio::null())
        .status()?;
    Ok(status.success())
}

/// Send keys with XTEST to the visible window named `name`, after focusing it.
fn send_keys(display: &str, name: &str, keys: &str) -> Result<()> {
    let status = std::process::Command::new("xdotool")
        .env("DISPLAY", display)
        .args([
            "search",
            "--onlyvisible",
            "--name",
            name,
            "windowfocus",
            "--sync",
            "key",
            keys,
        ])
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdotool could not send {keys} to {name:?}: {status}").into())
    }
}

async fn wait_for_window(display: &str, name: &str, visible: bool) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while visible_window(display, name)? != visible {
        if std::time::Instant::now() >= deadline {
            return Err(format!(
                "window {name:?} did not become {}",
                if visible { "visible" } else { "hidden" }
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn ctrl_o_opens_a_native_folder_dialog_that_escape_cancels() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        assert!(!visible_window(&h.display, "Open Site")?);
        // The File menu's accelerator, pressed on the real window through X.
        send_keys(&h.display, "Example Conf 2030 — Lectern", "ctrl+o")?;
        wait_for_window(&h.display, "Open Site", true).await?;
        // The window keeps answering while the dialog is up.
        let name = h
            .eval("return document.querySelector('.site-name').textContent")
            .await?;
        assert_eq!(name, serde_json::json!("Example Conf 2030"));
        send_keys(&h.display, "^Open Site$", "Escape")?;
        wait_for_window(&h.display, "Open Site", false).await?;
        // Cancelling changes nothing.
        let name = h
            .eval("return document.querySelector('.site-name').textContent")
            .await?;
        assert_eq!(name, serde_json::json!("Example Conf 2030"));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_room_change_reaches_the_chinese_twin_and_save_all_writes_both() -> Result<()> {
    let h = Harness::start("site").await?;
    let en = h.site.join("content/sessions/db-101.md");
    let zh = h.site.join("content/sessions/db-101.zh.md");
    let (en_before, zh_before) = (std::fs::read_to_string(&en)?, std::fs::read_to_string(&zh)?);
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return document.getElementById('field-room')?.value === 'Main Hall'",
            STARTUP,
        )
        .await?;
        h.eval(
            "const s = document.getElementById('field-room'); s.value = 'Side Room'; \
             s.dispatchEvent(new Event('change')); return true",
        )
        .await?;
        h.wait_until(
            "return document.querySelector('.session-row.selected .modified-dot') !== null",
            STARTUP,
        )
        .await?;
        // The twin shows the translated room before anything is saved.
        h.click(".lang-tabs button[data-lang='zh']").await?;
        h.wait_until(
            "return document.getElementById('field-room')?.value === '侧厅'",
            STARTUP,
        )
        .await?;
        assert_eq!(
            std::fs::read_to_string(&zh)?,
            zh_before,
            "nothing written before saving"
        );
        h.click("button[title^='Save All']").await?;
        h.wait_until(
            "return document.querySelector('.session-row.selected .modified-dot') === null",
            STARTUP,
        )
        .await?;
        assert_eq!(
            std::fs::read_to_string(&en)?,
            en_before.replace("room: \"Main Hall\"", "room: \"Side Room\"")
        );
        assert_eq!(
            std::fs::read_to_string(&zh)?,
            zh_before.replace("room: \"主厅\"", "room: \"侧厅\"")
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
