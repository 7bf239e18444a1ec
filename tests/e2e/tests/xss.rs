//! The preview of a hostile session: vectors from the core's XSS list in the
//! body, title, presenters and video link. Nothing may run in the window,
//! the preview frame stays fully sandboxed, and no IPC command arrives
//! while it renders.

use std::time::Duration;

use lectern_e2e::{copy_tree, fixture, repo_root, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);

/// The first `n` one-line vectors of `tests/fixtures/xss/vectors.txt`.
fn vectors(n: usize) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/xss/vectors.txt"))?;
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if in_block {
            in_block = line != ">>>";
            continue;
        }
        if line == "<<<" {
            in_block = true;
            continue;
        }
        if line.is_empty()
            || line.starts_with("%%")
            || line.starts_with("esc:")
            || line.trim() == "---"
        {
            continue;
        }
        out.push(line.to_string());
        if out.len() == n {
            break;
        }
    }
    Ok(out)
}

/// YAML single-quoted scalar.
fn yaml(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

const CANARIES: &[&str] = &[
    "<img src=x onerror=\"window.parent.__pwned=1\">",
    "<script>window.__pwned=1</script>",
    "<script>window.parent.__pwned=1</script>",
    "[watch](javascript:window.parent.__pwned=1)",
    "<a href=\"javascript:window.parent.__pwned=1\">watch</a>",
    "<iframe src=\"javascript:window.parent.__pwned=1\"></iframe>",
    "<svg onload=\"window.parent.__pwned=1\"></svg>",
];

/// The commands the app has received so far (logged under `LECTERN_E2E=1`).
async fn ipc_log(h: &Harness) -> Result<Vec<String>> {
    let v = h
        .eval_async(
            "const done = arguments[arguments.length - 1]; \
             window.__TAURI_INTERNALS__.invoke('app_info').then(i => done(i.ipc_log), e => done(String(e)))",
        )
        .await?;
    Ok(serde_json::from_value(v)?)
}

/// The IPC log once startup has finished calling commands (the list, the
/// check, the recovery offer...): two reads a moment apart differ only by the
/// `app_info` call that reads the log.
async fn settled_ipc_log(h: &Harness) -> Result<Vec<String>> {
    let mut last = ipc_log(h).await?;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = ipc_log(h).await?;
        if now.len() == last.len() + 1 {
            return Ok(now);
        }
        last = now;
    }
    Err("the app kept calling commands for 15 s after startup".into())
}

#[tokio::test(flavor = "current_thread")]
async fn a_hostile_session_runs_nothing_and_calls_no_command_while_previewed() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("site"), &site)?;
    let mut body = String::from("XSS-CANARY-SESSION\n\n");
    for v in vectors(100)?
        .iter()
        .map(String::as_str)
        .chain(CANARIES.iter().copied())
    {
        body.push_str(v);
        body.push_str("\n\n");
    }
    body.push_str("### Speakers:\n<img src=\"javascript:window.parent.__pwned=1\" width=\"200\" /><br>Eve <script>window.__pwned=1</script>: <img src=x onerror=alert(1)>\n");
    let text = format!(
        "---\ntitle: {}\ndate: \"2030-05-01T11:00:00\"\ntrack: \"db\"\npresenters: {}\nstype: \"English Session\"\nroom: \"Main Hall\"\nspeechLink: {}\n---\n{body}",
        yaml("<script>window.__pwned=1</script><img src=x onerror=\"window.parent.__pwned=1\">"),
        yaml("<img src=x onerror=alert(1)>, Eve\"><svg onload=window.parent.__pwned=1>"),
        yaml("javascript:window.parent.__pwned=1"),
    );
    std::fs::write(site.join("content/sessions/db-666.md"), text)?;

    let h = Harness::start_on(tmp, site).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let before = settled_ipc_log(&h).await?;
        h.click(".session-row[data-stem=\"db-666\"]").await?;
        h.wait_until("return document.querySelector('.preview iframe').srcdoc.includes('XSS-CANARY-SESSION')", STARTUP)
            .await?;
        // Give anything that could run in the frame time to run.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let after = ipc_log(&h).await?;
        let new = &after[before.len()..];
        assert!(new.iter().any(|c| c == "load_session"), "{new:?}");
        // Opening a session also makes the speakers editor ask for its photo
        // details (`speaker_photos`, photos issue 4): the app's own call, not the frame's.
        let expected = |c: &String| c == "load_session" || c == "app_info" || c == "speaker_photos";
        assert!(new.iter().all(expected), "unexpected IPC while previewing: {new:?}");
        let state = h
            .eval(
                "const f = document.querySelector('.preview iframe'); \
                 return [typeof window.__pwned, f.getAttribute('sandbox'), f.contentDocument === null, \
                         document.querySelectorAll('iframe').length, typeof window.__TAURI__]",
            )
            .await?;
        assert_eq!(state, serde_json::json!(["undefined", "", true, 1, "undefined"]));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
