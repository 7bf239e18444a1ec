//! The main window, driven for real through tauri-driver under Xvfb.

use std::time::Duration;

use lectern_e2e::{artifacts_dir, session_ids, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);

/// Ids of the session rows currently in the DOM.
async fn rendered_ids(h: &Harness) -> Result<Vec<String>> {
    let v = h
        .eval("return [...document.querySelectorAll('#session-list .session-row')].map(r => r.dataset.id)")
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
        let title = h.client.title().await?;
        assert_eq!(title, "Lectern");
        let expected = session_ids(&h.site)?;
        assert_eq!(expected.len(), 7, "fixture has 7 session files");
        let total = h.eval("return document.getElementById('session-list').dataset.total").await?;
        assert_eq!(total, serde_json::json!(expected.len().to_string()));
        assert_eq!(rendered_ids(&h).await?, expected);
        // The first session is opened in the editor.
        h.wait_until("return (document.querySelector('.session-heading')?.textContent ?? '') !== ''", STARTUP).await?;
        let heading = h.eval("return document.querySelector('.session-heading').textContent").await?;
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
        h.wait_until("return (document.querySelector('.session-heading')?.textContent ?? '') !== ''", STARTUP).await?;
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
        std::fs::write(site.join(format!("content/sessions/db-{}.md", 5000 + i)), text)?;
    }
    let expected = session_ids(&site)?.len();
    let h = Harness::start_on(tmp, site).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let total = h.eval("return document.getElementById('session-list').dataset.total").await?;
        assert_eq!(total, serde_json::json!(expected.to_string()));
        // Wait until the first session is open: opening it scrolls the list to its row.
        h.wait_until("return (document.querySelector('.session-heading')?.textContent ?? '') !== ''", STARTUP).await?;
        let in_dom = rendered_ids(&h).await?.len();
        assert!(in_dom < 40, "only visible rows are rendered, got {in_dom} of {expected}");
        // Scroll to the bottom: the last session appears, the first is gone.
        h.eval("const v = document.querySelector('.session-viewport'); v.scrollTop = v.scrollHeight; return true").await?;
        let last = session_ids(&h.site)?.pop().unwrap_or_default();
        let script = format!("return !!document.querySelector('.session-row[data-id=\"{last}\"]')");
        h.wait_until(&script, Duration::from_secs(5)).await?;
        let first_still_there = h
            .eval("return !!document.querySelector('.session-row[data-id=\"content/sessions/ai-201.md\"]')")
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
        h.click(".session-row[data-id=\"content/sessions/web-103.md\"]").await?;
        h.wait_until("return document.querySelector('.session-heading')?.textContent === 'Accessible Forms'", STARTUP)
            .await?;
        // The unknown room is shown as is, flagged by the core's finding.
        h.wait_until("return document.getElementById('field-room')?.value === 'Attic'", STARTUP).await?;
        h.eval(
            "const s = document.getElementById('field-room'); s.value = 'Side Room'; \
             s.dispatchEvent(new Event('change')); return true",
        )
        .await?;
        h.wait_until("return document.querySelector('.session-row.selected .modified-dot') !== null", STARTUP).await?;
        h.click("button[title^='Save (']").await?;
        h.wait_until("return document.querySelector('.session-row.selected .modified-dot') === null", STARTUP).await?;
        let after = std::fs::read_to_string(&file)?;
        assert_eq!(after, before.replace("room: \"Attic\"", "room: \"Side Room\""));
        // The problems panel no longer lists the unknown room.
        h.wait_until("return !document.querySelector('#problems .problem[data-code=\"unknown-room\"]')", STARTUP)
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
        let sandbox = h.eval("return document.querySelector('.preview iframe').getAttribute('sandbox')").await?;
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
        assert!(h.site.join("config.toml").is_file(), "sample site copied to {}", h.site.display());
        let expected = session_ids(&h.site)?.len();
        assert!(expected > 0);
        let total = h.eval("return document.getElementById('session-list').dataset.total").await?;
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
    let tmp = h.stop_keeping_home().await.map_err(|e| format!("first run: {e}"))?;
    // Same home, no argument: the site opened last comes back.
    let h = Harness::launch(tmp, site, Vec::new()).await.map_err(|e| format!("second run: {e}"))?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let name = h.eval("return document.querySelector('.site-name').textContent").await?;
        assert_eq!(name, serde_json::json!("Example Conf 2030"));
        assert_eq!(rendered_ids(&h).await?, session_ids(&h.site)?);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
