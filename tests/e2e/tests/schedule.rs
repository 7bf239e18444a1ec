//! The schedule grid and the twins view in the real window, on the
//! `schedule` fixture: db-301 and web-302 share Main Hall at 10:00 on
//! 2030-05-01, Noor Haddad gives ai-303 (Side Room, 14:00) and ai-304
//! (Main Hall, 14:20), and db-305 has no date or room yet.

use std::path::Path;
use std::time::Duration;

use lectern_e2e::{copy_tree, fixture, session_ids, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);
const WINDOW: &str = "Grid Conf 2030 — Lectern";

/// xdotool, bounded: `--sync` waits for the window, and a wait that never
/// ends must fail the test rather than hang it.
fn xdotool() -> std::process::Command {
    let mut c = std::process::Command::new("timeout");
    c.args(["20", "xdotool"]);
    c
}

/// Press keys with XTEST on the app's window (after focusing it), as a person would.
fn keys(display: &str, keys: &[&str]) -> Result<()> {
    let status = xdotool()
        .env("DISPLAY", display)
        .args([
            "search",
            "--onlyvisible",
            "--name",
            WINDOW,
            "windowfocus",
            "--sync",
            "key",
            "--delay",
            "40",
        ])
        .args(keys)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdotool could not press {keys:?}: {status}").into())
    }
}

/// Type text with XTEST into whatever has the keyboard focus.
fn type_text(display: &str, text: &str) -> Result<()> {
    let status = xdotool()
        .env("DISPLAY", display)
        .args([
            "search",
            "--onlyvisible",
            "--name",
            WINDOW,
            "windowfocus",
            "--sync",
            "type",
            "--delay",
            "40",
            text,
        ])
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdotool could not type {text:?}: {status}").into())
    }
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Every session file's bytes.
fn snapshot(site: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    session_ids(site)?
        .into_iter()
        .map(|id| Ok((id.clone(), std::fs::read(site.join(&id))?)))
        .collect()
}

/// Lines of `before` that `after` changed, as (removed, added).
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    assert_eq!(a.len(), b.len(), "the line count is unchanged:\n{after}");
    b.iter()
        .zip(&a)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .unzip()
}

const HAS_ROOM_CLASH: &str = "return !!document.querySelector('#schedule-view .clash[data-kind=\"room\"][data-stems=\"db-301 web-302\"]')";
const HAS_PRESENTER_CLASH: &str =
    "return !!document.querySelector('#schedule-view .clash[data-kind=\"presenter\"][data-stems=\"ai-303 ai-304\"]')";

#[tokio::test(flavor = "current_thread")]
async fn the_grid_shows_both_clashes_and_a_keyboard_move_clears_one_and_saves_only_date_and_room_lines(
) -> Result<()> {
    let h = Harness::start("schedule").await?;
    let before = snapshot(&h.site)?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        // The View menu's accelerator opens the grid.
        keys(&h.display, &["ctrl+shift+k"])?;
        h.wait_until("return !!document.querySelector('#schedule-view.open .schedule-grid')", STARTUP).await?;
        // Rooms in rooms.yaml order, one card per session (twins once), the undated one beside the grid.
        let rooms = h.eval("return [...document.querySelectorAll('.schedule-grid thead th:not(.corner)')].map(t => t.textContent)").await?;
        assert_eq!(rooms, serde_json::json!(["Main Hall", "Side Room"]));
        let cards = h.eval("return [...document.querySelectorAll('.schedule-grid .card')].map(c => c.dataset.stem).sort()").await?;
        assert_eq!(cards, serde_json::json!(["ai-303", "ai-304", "db-301", "web-302"]));
        let unplaced = h.eval("return [...document.querySelectorAll('.unplaced .card')].map(c => c.dataset.stem)").await?;
        assert_eq!(unplaced, serde_json::json!(["db-305"]));
        // Both clashes, listed and marked on their cards.
        h.wait_until(HAS_ROOM_CLASH, STARTUP).await?;
        h.wait_until(HAS_PRESENTER_CLASH, STARTUP).await?;
        let marked = h
            .eval(
                "const c = s => document.querySelector(`.schedule-grid .card[data-stem=\"${s}\"]`).classList; \
                 return [c('db-301').contains('clash-room'), c('web-302').contains('clash-room'), \
                         c('ai-303').contains('clash-presenter'), c('ai-304').contains('clash-presenter'), \
                         c('ai-304').contains('clash-room')]",
            )
            .await?;
        assert_eq!(marked, serde_json::json!([true, true, true, true, false]));
        let both_in_one_cell = h
            .eval("return document.querySelectorAll('.schedule-grid td[data-time=\"10:00\"][data-room=\"Main Hall\"] .card').length")
            .await?;
        assert_eq!(both_in_one_cell, serde_json::json!(2));
        h.screenshot("schedule-grid.png").await?;

        // The keyboard way: focus the card, Enter opens "Move to…".
        h.eval("document.querySelector('.schedule-grid .card[data-stem=\"web-302\"]').focus(); return true").await?;
        keys(&h.display, &["Return"])?;
        h.wait_until("return document.getElementById('move-dialog').open && document.activeElement?.id === 'move-day'", STARTUP)
            .await?;
        let prefilled = h
            .eval("return ['move-day', 'move-time', 'move-room'].map(i => document.getElementById(i).value)")
            .await?;
        assert_eq!(prefilled, serde_json::json!(["2030-05-01", "10:00", "Main Hall"]));
        // Day: arrow down in the select; room: pick from the list; time: typed.
        keys(&h.display, &["Down"])?;
        h.wait_until("return document.getElementById('move-day').value === '2030-05-02'", STARTUP).await?;
        keys(&h.display, &["Tab"])?;
        h.wait_until("return document.activeElement?.id === 'move-time'", STARTUP).await?;
        keys(&h.display, &["ctrl+a"])?;
        type_text(&h.display, "11:00")?;
        keys(&h.display, &["Tab"])?;
        h.wait_until("return document.activeElement?.id === 'move-room'", STARTUP).await?;
        keys(&h.display, &["Down"])?;
        h.wait_until("return document.getElementById('move-room').value === 'Side Room'", STARTUP).await?;
        // Enter submits the form.
        h.eval("document.getElementById('move-time').focus(); return true").await?;
        h.screenshot("schedule-move-dialog.png").await?;
        keys(&h.display, &["Return"])?;
        h.wait_until("return !document.getElementById('move-dialog').open", STARTUP).await?;

        // The room clash is gone, the presenter clash stays, the card sits in its new cell on day two.
        h.wait_until(&format!("return !({})", &HAS_ROOM_CLASH[7..]), STARTUP).await?;
        h.wait_until(HAS_PRESENTER_CLASH, STARTUP).await?;
        h.wait_until(
            "return document.querySelector('.schedule-days button[aria-selected=\"true\"]')?.dataset.day === '2030-05-02' && \
             !!document.querySelector('.schedule-grid td[data-time=\"11:00\"][data-room=\"Side Room\"] .card[data-stem=\"web-302\"].modified')",
            STARTUP,
        )
        .await?;
        assert_eq!(snapshot(&h.site)?, before, "nothing is written before saving");

        // Undo and redo the move as one step (both twins): Ctrl+Z on the grid, then the Redo button.
        h.wait_until("return document.activeElement?.dataset?.stem === 'web-302'", STARTUP).await?;
        keys(&h.display, &["ctrl+z"])?;
        h.wait_until(HAS_ROOM_CLASH, STARTUP).await?;
        h.click(".schedule-redo").await?;
        h.wait_until(&format!("return !({})", &HAS_ROOM_CLASH[7..]), STARTUP).await?;

        h.click("button[title^='Save All']").await?;
        h.wait_until("return document.querySelector('.status')?.textContent.startsWith('Saved 2 file')", STARTUP).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    let after = snapshot(&h.site);
    h.stop().await?;
    outcome?;
    let after = after?;
    for ((id, b), (id2, a)) in before.iter().zip(&after) {
        assert_eq!(id, id2);
        let (b, a) = (String::from_utf8_lossy(b), String::from_utf8_lossy(a));
        match id.as_str() {
            "content/sessions/web-302.md" => assert_eq!(
                changed_lines(&b, &a),
                (
                    vec![
                        "date: \"2030-05-01T10:00:00\"".to_string(),
                        "room: \"Main Hall\"".to_string()
                    ],
                    vec![
                        "date: \"2030-05-02T11:00:00\"".to_string(),
                        "room: \"Side Room\"".to_string()
                    ]
                )
            ),
            "content/sessions/web-302.zh.md" => assert_eq!(
                changed_lines(&b, &a),
                (
                    vec![
                        "date: \"2030-05-01T10:00:00\"".to_string(),
                        "room: \"主厅\"".to_string()
                    ],
                    vec![
                        "date: \"2030-05-02T11:00:00\"".to_string(),
                        "room: \"侧厅\"".to_string()
                    ]
                )
            ),
            _ => assert_eq!(a, b, "{id} is untouched"),
        }
    }
    Ok(())
}

fn git(site: &Path, args: &[&str], when: &str) -> Result<()> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(site)
        .args([
            "-c",
            "user.name=E2E",
            "-c",
            "user.email=e2e@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("git {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn twins_side_by_side_keep_the_date_in_step_and_report_the_twin_git_shows_behind(
) -> Result<()> {
    // History, before the app starts: both twins committed, then only the English one revised later.
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("schedule"), &site)?;
    let en = site.join("content/sessions/ai-303.md");
    let zh = site.join("content/sessions/ai-303.zh.md");
    git(&site, &["init", "-q"], "2030-01-01T00:00:00")?;
    git(&site, &["add", "-A"], "2030-01-01T00:00:00")?;
    git(
        &site,
        &["commit", "-q", "-m", "programme"],
        "2030-01-01T00:00:00",
    )?;
    std::fs::write(
        &en,
        std::fs::read_to_string(&en)?
            .replace("Benchmarks that tell", "Benchmarks that really tell"),
    )?;
    git(
        &site,
        &["commit", "-q", "-am", "revise the abstract"],
        "2030-02-01T00:00:00",
    )?;
    let (en_before, zh_before) = (std::fs::read_to_string(&en)?, std::fs::read_to_string(&zh)?);
    let h = Harness::start_on(tmp, site).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"ai-303\"]").await?;
        h.wait_until("return document.getElementById('field-date')?.value === '2030-05-01T14:00:00'", STARTUP).await?;
        h.click("button[title^=\"This session's twins side by side\"]").await?;
        h.wait_until(
            "return !!document.querySelector('#twins-view.open .twin-column[data-lang=\"en\"]') && \
             !!document.querySelector('#twins-view.open .twin-column[data-lang=\"zh\"]') && \
             document.getElementById('twin-zh-date')?.value === '2030-05-01T14:00:00'",
            STARTUP,
        )
        .await?;
        // Both files' bodies are there to edit, next to each other.
        let bodies = h
            .eval("return [...document.querySelectorAll('#twins-view .twin-column .cm-content')].map(c => c.textContent)")
            .await?;
        let bodies: Vec<&str> = bodies.as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
        assert_eq!(bodies.len(), 2);
        assert!(bodies[0].contains("Benchmarks that really tell") && bodies[1].contains("基准测试"), "{bodies:?}");
        // The report: the shared fields, and the Chinese twin behind its English one in git.
        let report = h.eval("return document.querySelector('#twins-view .twin-report').textContent").await?;
        let report = report.as_str().unwrap_or_default().to_string();
        assert!(report.contains("date, track copied") && report.contains("stype, room translated"), "{report}");
        let drift = h.eval("return [...document.querySelectorAll('#twins-view .twin-finding[data-kind=\"drift\"]')].map(d => d.textContent)").await?;
        assert_eq!(drift.as_array().map(Vec::len), Some(1), "{drift}");
        let line = drift[0].as_str().unwrap_or_default();
        assert!(line.contains("content/sessions/ai-303.zh.md may be out of date") && line.contains("ai-303.md changed on 2030-02-01"), "{line}");
        // Edit the date in the Chinese twin: the English one follows.
        h.eval(&format!(
            "const e = document.getElementById('twin-zh-date'); e.value = {}; e.dispatchEvent(new Event('change')); return true",
            js("2030-05-02T09:30:00")
        ))
        .await?;
        h.wait_until("return document.getElementById('twin-en-date')?.value === '2030-05-02T09:30:00'", STARTUP).await?;
        // A room picked in English arrives translated.
        h.eval("const s = document.getElementById('twin-en-room'); s.value = 'Main Hall'; s.dispatchEvent(new Event('change')); return true")
            .await?;
        h.wait_until("return document.getElementById('twin-zh-room')?.value === '主厅'", STARTUP).await?;
        h.wait_until("return document.querySelectorAll('#twins-view .twin-head .modified-dot').length === 2", STARTUP).await?;
        h.screenshot("twins-side-by-side.png").await?;
        h.click("button[title^='Save All']").await?;
        h.wait_until("return document.querySelectorAll('#twins-view .twin-head .modified-dot').length === 0", STARTUP).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    // Read before stopping: the site's temp dir goes with the harness.
    let after = (std::fs::read_to_string(&en), std::fs::read_to_string(&zh));
    h.stop().await?;
    outcome?;
    assert_eq!(
        after.0?,
        en_before
            .replace("2030-05-01T14:00:00", "2030-05-02T09:30:00")
            .replace("room: \"Side Room\"", "room: \"Main Hall\"")
    );
    assert_eq!(
        after.1?,
        zh_before
            .replace("2030-05-01T14:00:00", "2030-05-02T09:30:00")
            .replace("room: \"侧厅\"", "room: \"主厅\"")
    );
    Ok(())
}

/// The window's top-left corner on the X screen.
fn window_origin(display: &str) -> Result<(i64, i64)> {
    let out = xdotool()
        .env("DISPLAY", display)
        .args([
            "search",
            "--onlyvisible",
            "--name",
            WINDOW,
            "getwindowgeometry",
            "--shell",
        ])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.trim().parse::<i64>().ok())
    };
    match (get("X="), get("Y=")) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(format!("no geometry for {WINDOW:?}: {text}").into()),
    }
}

/// The screen point at the centre of the element matching `css` (the web
/// view sits below the native menu bar: outer minus inner height).
async fn screen_point(h: &Harness, css: &str) -> Result<(i64, i64)> {
    let (wx, wy) = window_origin(&h.display)?;
    let v = h
        .eval(&format!(
            "const r = document.querySelector({}).getBoundingClientRect(); \
             return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2), window.outerHeight - window.innerHeight]",
            js(css)
        ))
        .await?;
    let n = |i: usize| v.get(i).and_then(serde_json::Value::as_i64).unwrap_or(0);
    Ok((wx + n(0), wy + n(2) + n(1)))
}

fn mouse(display: &str, args: &[&str]) -> Result<()> {
    let status = xdotool().env("DISPLAY", display).args(args).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdotool {args:?}: {status}").into())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn dragging_a_card_with_the_mouse_onto_an_empty_cell_moves_it_and_ends_its_clash(
) -> Result<()> {
    let h = Harness::start("schedule").await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click("button[title^='Schedule grid']").await?;
        h.wait_until(HAS_PRESENTER_CLASH, STARTUP).await?;
        // A real pointer drag through X: press on ai-304, move in steps, release on Side Room at 10:00.
        let (x0, y0) = screen_point(&h, ".schedule-grid .card[data-stem=\"ai-304\"]").await?;
        let (x1, y1) = screen_point(&h, ".schedule-grid td[data-time=\"10:00\"][data-room=\"Side Room\"]").await?;
        let d = h.display.clone();
        mouse(&d, &["mousemove", "--sync", &x0.to_string(), &y0.to_string()])?;
        mouse(&d, &["mousedown", "1"])?;
        for i in 1..=10 {
            let (x, y) = (x0 + (x1 - x0) * i / 10, y0 + (y1 - y0) * i / 10);
            // No --sync here: during a drag the pointer is grabbed and motion may not be reported back.
            mouse(&d, &["mousemove", &x.to_string(), &y.to_string()])?;
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
        mouse(&d, &["mouseup", "1"])?;
        h.wait_until(
            "return !!document.querySelector('.schedule-grid td[data-time=\"10:00\"][data-room=\"Side Room\"] .card[data-stem=\"ai-304\"]')",
            STARTUP,
        )
        .await?;
        h.wait_until(&format!("return !({})", &HAS_PRESENTER_CLASH[7..]), STARTUP).await?;
        h.wait_until(HAS_ROOM_CLASH, STARTUP).await?;
        let status = h.eval("return document.querySelector('.status').textContent").await?;
        assert!(status.as_str().unwrap_or_default().contains("Moved “Serving Models on a Budget” to 2030-05-01 10:00, Side Room"), "{status}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
