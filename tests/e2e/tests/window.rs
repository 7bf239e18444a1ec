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
        h.wait_until("return document.querySelector('.session-heading')?.textContent !== ''", STARTUP).await?;
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
        h.wait_until("return document.querySelector('.session-heading')?.textContent !== ''", STARTUP).await?;
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
