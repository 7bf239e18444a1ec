//! The app-level features of issue 3 in the real window: New Session from
//! the bundled template, the list filters, the title's unsaved mark, the
//! prompt before closing with unsaved edits, and the recent sites.
//!
//! Closing is requested the way a window manager does it when the person
//! clicks the window's close button: a `WM_DELETE_WINDOW` client message sent
//! to the app's X window (WebDriver's own "close window" bypasses Tauri's
//! close-requested event). File → Close Window is pressed as a real key
//! (Ctrl+W through XTEST), like the Ctrl+O test in `window.rs`.

use std::path::Path;
use std::time::Duration;

use lectern_e2e::{repo_root, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);
const WINDOW: &str = "Example Conf 2030 — Lectern";

/// Set a form control's value and fire `change`, as a person choosing or typing it would.
fn set_value(css: &str, value: &str) -> String {
    format!(
        "const e = document.querySelector({css}); e.value = {value}; e.dispatchEvent(new Event('change')); return true",
        css = serde_json::to_string(css).unwrap_or_default(),
        value = serde_json::to_string(value).unwrap_or_default(),
    )
}

/// Click the element matching `css` from inside the page, once it exists.
/// The list re-renders its rows (and dialogs their contents) at any time, so
/// a WebDriver element handle can go stale between finding and clicking;
/// finding and clicking in one script cannot.
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

/// Wait until the session list shows rows (checked in the page, for the same reason as [`click`]).
async fn wait_for_rows(h: &Harness) -> Result<()> {
    h.wait_until(
        "return !!document.querySelector('#session-list .session-row')",
        STARTUP,
    )
    .await
}

/// Stems of the session rows in the DOM, in list order (the fixture's few rows all fit in view).
async fn listed(h: &Harness) -> Result<Vec<String>> {
    let v = h
        .eval(
            "return [...document.querySelectorAll('#session-list .session-row')]\
             .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map(r => r.dataset.stem)",
        )
        .await?;
    Ok(serde_json::from_value(v)?)
}

/// X window ids of visible windows whose name matches the regex `name`.
fn windows(display: &str, name: &str) -> Result<Vec<u64>> {
    let out = std::process::Command::new("xdotool")
        .env("DISPLAY", display)
        .args(["search", "--onlyvisible", "--name", name])
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect())
}

async fn wait_for_window(display: &str, name: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while windows(display, name)?.is_empty() {
        if std::time::Instant::now() >= deadline {
            return Err(format!("no visible window named {name:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

/// Ask the app's window to close as a window manager does (the × button):
/// a `WM_PROTOCOLS` / `WM_DELETE_WINDOW` client message to its X window.
fn request_close(display: &str, name: &str) -> Result<()> {
    use std::ffi::CString;
    use x11_dl::xlib;
    let win = *windows(display, name)?
        .first()
        .ok_or_else(|| format!("no window named {name:?}"))?;
    let x = xlib::Xlib::open().map_err(|e| format!("libX11: {e}"))?;
    let display_name = CString::new(display)?;
    // SAFETY: plain Xlib calls on a display we open and close here; the
    // event is fully initialised before it is sent.
    unsafe {
        let dpy = (x.XOpenDisplay)(display_name.as_ptr());
        if dpy.is_null() {
            return Err(format!("cannot open X display {display}").into());
        }
        let protocols = (x.XInternAtom)(dpy, c"WM_PROTOCOLS".as_ptr(), xlib::False);
        let delete = (x.XInternAtom)(dpy, c"WM_DELETE_WINDOW".as_ptr(), xlib::False);
        let mut data = xlib::ClientMessageData::new();
        data.set_long(0, delete as std::os::raw::c_long);
        data.set_long(1, xlib::CurrentTime as std::os::raw::c_long);
        let msg = xlib::XClientMessageEvent {
            type_: xlib::ClientMessage,
            serial: 0,
            send_event: xlib::True,
            display: dpy,
            window: win,
            message_type: protocols,
            format: 32,
            data,
        };
        let mut event = xlib::XEvent::from(msg);
        let sent = (x.XSendEvent)(dpy, win, xlib::False, xlib::NoEventMask, &mut event);
        (x.XSync)(dpy, xlib::False);
        (x.XCloseDisplay)(dpy);
        if sent == 0 {
            return Err("XSendEvent failed".into());
        }
    }
    Ok(())
}

/// Press keys (space-separated, one after the other) on the app's window
/// through XTEST: they reach GTK's menu bar and accelerators.
fn press(display: &str, name: &str, keys: &str) -> Result<()> {
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
            "--delay",
            "250",
        ])
        .args(keys.split_whitespace())
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdotool could not send {keys}: {status}").into())
    }
}

/// The bundled template with `{{track}}` filled and every other placeholder emptied.
fn from_template(name: &str, track: &str) -> Result<String> {
    let text = std::fs::read_to_string(repo_root().join("assets/templates").join(name))?;
    let placeholders = [
        "{{title}}",
        "{{date}}",
        "{{presenters}}",
        "{{stype}}",
        "{{room}}",
        "{{abstract}}",
    ];
    Ok(placeholders
        .iter()
        .fold(text.replace("{{track}}", track), |t, p| t.replace(p, "")))
}

fn session_files(site: &Path) -> Result<Vec<String>> {
    let mut v: Vec<String> = std::fs::read_dir(site.join("content/sessions"))?
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .collect();
    v.sort();
    Ok(v)
}

#[tokio::test(flavor = "current_thread")]
async fn new_session_refuses_bad_ids_then_creates_both_files_from_the_template_and_opens_it(
) -> Result<()> {
    let h = Harness::start("site").await?;
    let before = session_files(&h.site)?;
    let outcome = async {
        wait_for_rows(&h).await?;
        click(&h, "button[title^='New Session']").await?;
        h.wait_until("return document.getElementById('new-session-dialog').open", STARTUP).await?;
        // The dialog offers the site's tracks and languages, both languages ticked.
        let tracks = h.eval("return [...document.querySelectorAll('#new-session-track option')].map(o => o.value)").await?;
        assert_eq!(tracks, serde_json::json!(["ai", "db", "web"]));
        let langs = h
            .eval("return [...document.querySelectorAll('#new-session-dialog input[name=lang]')].map(b => b.value + ':' + b.checked)")
            .await?;
        assert_eq!(langs, serde_json::json!(["en:true", "zh:true"]));
        h.eval("document.getElementById('new-session-track').value = 'db'; return true").await?;
        // An invalid id and a taken one: a clear message, the dialog stays, nothing is written.
        for (id, message) in [("4-5", "not a valid session id"), ("101", "already used by content/sessions/db-101.md")] {
            h.eval(&format!("document.getElementById('new-session-id').value = '{id}'; return true")).await?;
            click(&h, ".new-session-create").await?;
            let script = format!(
                "return document.getElementById('new-session-error').textContent.includes({})",
                serde_json::to_string(message)?
            );
            h.wait_until(&script, STARTUP).await?;
            assert_eq!(h.eval("return document.getElementById('new-session-dialog').open").await?, serde_json::json!(true));
            assert_eq!(session_files(&h.site)?, before, "a refused id writes nothing");
        }
        h.eval("document.getElementById('new-session-id').value = '450'; return true").await?;
        click(&h, ".new-session-create").await?;
        h.wait_until("return !document.getElementById('new-session-dialog').open", STARTUP).await?;
        // Both files, from the bundled template (the fixture has no archetypes).
        let en = std::fs::read_to_string(h.site.join("content/sessions/db-450.md"))?;
        let zh = std::fs::read_to_string(h.site.join("content/sessions/db-450.zh.md"))?;
        assert_eq!(en, from_template("session.md", "db")?);
        assert_eq!(zh, from_template("session.zh.md", "db")?);
        // Opened in the editor, selected in the list.
        h.wait_until("return document.querySelector('.session-heading')?.title === 'content/sessions/db-450.md'", STARTUP)
            .await?;
        h.wait_until("return document.getElementById('field-track')?.value === 'db'", STARTUP).await?;
        h.wait_until("return document.querySelector('.session-row.selected')?.dataset.stem === 'db-450'", STARTUP)
            .await?;
        let tabs = h.eval("return [...document.querySelectorAll('.lang-tabs button')].map(b => b.dataset.lang)").await?;
        assert_eq!(tabs, serde_json::json!(["en", "zh"]));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn each_list_filter_narrows_the_list_to_the_expected_sessions() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        wait_for_rows(&h).await?;
        // Problem counts arrive with the first check.
        h.wait_until("return !!document.querySelector('.session-row[data-stem=\"web-103\"] .badge')", STARTUP).await?;
        // The choices come from the site: tracks, days, rooms (plus the unknown
        // "Attic" found in a session), languages.
        let rooms = h.eval("return [...document.querySelectorAll('#filter-room option')].map(o => o.value)").await?;
        assert_eq!(rooms, serde_json::json!(["*", "Main Hall", "Side Room", "Attic"]));
        let days = h.eval("return [...document.querySelectorAll('#filter-day option')].map(o => o.value)").await?;
        assert_eq!(days, serde_json::json!(["*", "2030-05-01", "2030-05-02"]));
        let cases: &[(&str, &str, &[&str])] = &[
            ("#filter-track", "web", &["web-102", "web-103"]),
            ("#filter-track", "ai", &["ai-201"]),
            ("#filter-day", "2030-05-01", &["db-101", "web-102"]),
            ("#filter-room", "Main Hall", &["ai-201", "db-101"]),
            ("#filter-room", "Attic", &["web-103"]),
            ("#filter-lang", "lacks:zh", &["web-103"]),
            ("#filter-lang", "has:zh", &["ai-201", "db-101", "web-102"]),
        ];
        for (css, value, expected) in cases {
            h.eval(&set_value(css, value)).await?;
            assert_eq!(listed(&h).await?, *expected, "{css} = {value}");
            h.eval(&set_value(css, "*")).await?;
            assert_eq!(listed(&h).await?.len(), 4, "{css} back to all");
        }
        h.eval("const b = document.getElementById('filter-problems'); b.checked = true; b.dispatchEvent(new Event('change')); return true")
            .await?;
        assert_eq!(listed(&h).await?, ["web-103"], "has problems");
        // Combined with the others and with the text search.
        h.eval(&set_value("#filter-day", "2030-05-01")).await?;
        assert_eq!(listed(&h).await?, Vec::<String>::new(), "problems AND day 1");
        click(&h, ".filter-clear").await?;
        h.eval(&set_value("#filter-track", "web")).await?;
        h.eval("const s = document.querySelector('.session-filter'); s.value = 'rossi'; s.dispatchEvent(new Event('input')); return true")
            .await?;
        assert_eq!(listed(&h).await?, ["web-103"], "track AND text");
        let count = h.eval("return document.querySelector('.filter-count').textContent").await?;
        assert_eq!(count, serde_json::json!("1 of 4"));
        click(&h, ".filter-clear").await?;
        assert_eq!(listed(&h).await?, ["ai-201", "db-101", "web-102", "web-103"]);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn the_title_shows_the_unsaved_mark_after_an_edit_and_loses_it_after_save() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        wait_for_rows(&h).await?;
        h.wait_until(&format!("return document.title === '{WINDOW}'"), STARTUP)
            .await?;
        wait_for_window(&h.display, &format!("^{WINDOW}$")).await?;
        click(&h, ".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return document.getElementById('field-title')?.value === 'Fast Indexes Without Tears'",
            STARTUP,
        )
        .await?;
        h.eval(&set_value("#field-title", "Fast Indexes, No Tears"))
            .await?;
        // The page title and the native window title both carry the mark.
        h.wait_until(&format!("return document.title === '• {WINDOW}'"), STARTUP)
            .await?;
        wait_for_window(&h.display, &format!("^• {WINDOW}$")).await?;
        click(&h, "button[title^='Save (']").await?;
        h.wait_until(&format!("return document.title === '{WINDOW}'"), STARTUP)
            .await?;
        wait_for_window(&h.display, &format!("^{WINDOW}$")).await?;
        assert!(
            windows(&h.display, "^• ")?.is_empty(),
            "no window keeps the mark"
        );
        let disk = std::fs::read_to_string(h.site.join("content/sessions/db-101.md"))?;
        assert!(disk.contains("title: \"Fast Indexes, No Tears\""), "{disk}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn closing_with_unsaved_edits_asks_first_cancel_keeps_everything_and_save_all_closes(
) -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join("content/sessions/db-101.md");
    let before = std::fs::read_to_string(&file)?;
    let outcome = async {
        wait_for_rows(&h).await?;
        click(&h, ".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return document.getElementById('field-title')?.value === 'Fast Indexes Without Tears'",
            STARTUP,
        )
        .await?;
        h.eval(&set_value("#field-title", "Kept Through Cancel"))
            .await?;
        h.wait_until(&format!("return document.title === '• {WINDOW}'"), STARTUP)
            .await?;
        // File → Close Window (Ctrl+W on the real window): the prompt, then Cancel.
        press(&h.display, WINDOW, "ctrl+w")?;
        h.wait_until(
            "return document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        let files = h
            .eval("return document.querySelector('#leave-dialog ul').textContent")
            .await?;
        assert_eq!(files, serde_json::json!("content/sessions/db-101.md"));
        click(&h, ".leave-cancel").await?;
        h.wait_until(
            "return !document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        // The window's close button (WM_DELETE_WINDOW): the prompt again, Cancel again.
        request_close(&h.display, WINDOW)?;
        h.wait_until(
            "return document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        click(&h, ".leave-cancel").await?;
        h.wait_until(
            "return !document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        // Everything is kept: the window, the edit, the mark; nothing written.
        tokio::time::sleep(Duration::from_millis(500)).await;
        wait_for_window(&h.display, &format!("^• {WINDOW}$")).await?;
        let value = h
            .eval("return document.getElementById('field-title').value")
            .await?;
        assert_eq!(value, serde_json::json!("Kept Through Cancel"));
        assert_eq!(
            std::fs::read_to_string(&file)?,
            before,
            "Cancel writes nothing"
        );
        // Close again and choose Save All: the edit is written and the window closes.
        request_close(&h.display, WINDOW)?;
        h.wait_until(
            "return document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        click(&h, ".leave-save").await?;
        let deadline = std::time::Instant::now() + STARTUP;
        while !windows(&h.display, "Lectern$")?.is_empty() {
            if std::time::Instant::now() >= deadline {
                return Err("the window did not close after Save All".into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let after = std::fs::read_to_string(&file)?;
        assert_eq!(
            after,
            before.replace("Fast Indexes Without Tears", "Kept Through Cancel")
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    // The app is gone when the test passed, so the session cannot end cleanly.
    h.stop_after_crash().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn the_welcome_screen_lists_recent_sites_marks_missing_ones_and_opens_one() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    lectern_e2e::copy_tree(&lectern_e2e::fixture("site"), &site)?;
    let gone = tmp.path().join("gone-site");
    let config = tmp.path().join("home/.config/org.lectern.desktop");
    std::fs::create_dir_all(&config)?;
    let list = serde_json::json!({ "sites": [
        { "root": gone, "name": "Old Conf" },
        { "root": site, "name": "Example Conf 2030" },
    ]});
    std::fs::write(config.join("recent-sites.json"), serde_json::to_vec(&list)?)?;
    // A missing folder as the argument: no site opens, the welcome screen shows.
    let args = vec![tmp.path().join("nowhere").to_string_lossy().into_owned()];
    let h = Harness::launch(tmp, site.clone(), args).await?;
    let outcome = async {
        h.wait_until("return document.querySelectorAll('#recent-sites li').length === 2", STARTUP).await?;
        let missing = h
            .eval("return [...document.querySelectorAll('#recent-sites li')].map(li => li.classList.contains('missing') + ':' + li.querySelector('.recent-name').textContent)")
            .await?;
        assert_eq!(missing, serde_json::json!(["true:Old Conf", "false:Example Conf 2030"]));
        let disabled = h.eval("return document.querySelector('#recent-sites li.missing .recent-open').disabled").await?;
        assert_eq!(disabled, serde_json::json!(true), "a missing site cannot be opened, only removed");
        click(&h, "#recent-sites li.missing .recent-forget").await?;
        h.wait_until("return document.querySelectorAll('#recent-sites li').length === 1", STARTUP).await?;
        let stored: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(config.join("recent-sites.json"))?)?;
        assert_eq!(stored["sites"].as_array().map(Vec::len), Some(1), "{stored}");
        click(&h, "#recent-sites .recent-open").await?;
        wait_for_rows(&h).await?;
        let name = h.eval("return document.querySelector('.site-name').textContent").await?;
        assert_eq!(name, serde_json::json!("Example Conf 2030"));
        wait_for_window(&h.display, &format!("^{WINDOW}$")).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn open_recent_in_the_native_menu_asks_before_switching_away_from_unsaved_edits() -> Result<()>
{
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    let other = tmp.path().join("other");
    lectern_e2e::copy_tree(&lectern_e2e::fixture("site"), &site)?;
    lectern_e2e::copy_tree(&lectern_e2e::fixture("site"), &other)?;
    let config = std::fs::read_to_string(other.join("config.toml"))?;
    std::fs::write(
        other.join("config.toml"),
        config.replace("Example Conf 2030", "Other Conf"),
    )?;
    let app_config = tmp.path().join("home/.config/org.lectern.desktop");
    std::fs::create_dir_all(&app_config)?;
    let list = serde_json::json!({ "sites": [{ "root": other, "name": "Other Conf" }] });
    std::fs::write(
        app_config.join("recent-sites.json"),
        serde_json::to_vec(&list)?,
    )?;
    let h = Harness::start_on(tmp, site).await?;
    let file = h.site.join("content/sessions/db-101.md");
    let before = std::fs::read_to_string(&file)?;
    let outcome = async {
        wait_for_rows(&h).await?;
        click(&h, ".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return document.getElementById('field-title')?.value === 'Fast Indexes Without Tears'",
            STARTUP,
        )
        .await?;
        h.eval(&set_value("#field-title", "Not Yet Saved")).await?;
        h.wait_until(&format!("return document.title === '• {WINDOW}'"), STARTUP)
            .await?;
        // File → Open Recent was rebuilt when this site opened: this site
        // first, then "Other Conf". Through the real GTK menu: F10 opens File.
        let open_other = "F10 Down Down Right Down Return";
        press(&h.display, WINDOW, open_other)?;
        h.wait_until(
            "return document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        let question = h
            .eval("return document.querySelector('#leave-dialog h2').textContent")
            .await?;
        assert_eq!(
            question,
            serde_json::json!("Save your changes before opening another site?")
        );
        click(&h, ".leave-cancel").await?;
        h.wait_until(
            "return !document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let name = h
            .eval("return document.querySelector('.site-name').textContent")
            .await?;
        assert_eq!(
            name,
            serde_json::json!("Example Conf 2030"),
            "Cancel stays on the site"
        );
        let value = h
            .eval("return document.getElementById('field-title').value")
            .await?;
        assert_eq!(value, serde_json::json!("Not Yet Saved"));
        // Again, and Discard: the other site opens, the file is untouched.
        press(&h.display, WINDOW, open_other)?;
        h.wait_until(
            "return document.getElementById('leave-dialog').open",
            STARTUP,
        )
        .await?;
        click(&h, ".leave-discard").await?;
        h.wait_until(
            "return document.querySelector('.site-name').textContent === 'Other Conf'",
            STARTUP,
        )
        .await?;
        h.wait_until("return document.title === 'Other Conf — Lectern'", STARTUP)
            .await?;
        assert_eq!(
            std::fs::read_to_string(&file)?,
            before,
            "Discard writes nothing"
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
