//! Layout of the main window (issue 15, items 8–11), at 1280×800 and
//! 1024×700, in the light and the dark theme. Everything is measured
//! through WebDriver (element rectangles, overlap, clipping), not by
//! comparing screenshots.

use std::path::Path;
use std::time::Duration;

use lectern_e2e::{Harness, Result};
use serde_json::Value;

const STARTUP: Duration = Duration::from_secs(30);
const SIZES: [(u32, u32); 2] = [(1280, 800), (1024, 700)];

/// Geometry helpers, defined once per page.
const HELPERS: &str = r#"
window.__layout = {
  shown(el) {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden';
  },
  rect(el) { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height }; },
  overlap(a, b) {
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return x > 0 && y > 0 ? x * y : 0;
  },
  inViewport(r) { return r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5; },
  mainViews() {
    const views = { editor: '.editor', changes: '#changes', schedule: '.schedule-view', twins: '#twins-view' };
    return Object.entries(views)
      .filter(([, css]) => this.shown(document.querySelector(css)))
      .map(([name, css]) => ({ name, rect: this.rect(document.querySelector(css)) }));
  },
  textWidth(text, like) {
    const span = document.createElement('span');
    span.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;';
    span.style.font = getComputedStyle(like).font;
    span.textContent = text;
    document.body.append(span);
    const w = span.getBoundingClientRect().width;
    span.remove();
    return w;
  },
};
return true;
"#;

/// Start the app on a copy of the fixture site, after `prepare` changed the copy.
async fn start(dark: bool, prepare: impl FnOnce(&Path) -> Result<()>) -> Result<Harness> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    lectern_e2e::copy_tree(&lectern_e2e::fixture("site"), &site)?;
    prepare(&site)?;
    let args = vec![site.to_string_lossy().into_owned()];
    let env: &[(&str, &str)] = if dark {
        &[("GTK_THEME", "Adwaita:dark")]
    } else {
        &[]
    };
    let h = Harness::launch_with_env(tmp, site, args, env).await?;
    Ok(h)
}

/// The page is ready, in the expected colour scheme, with the helpers defined.
async fn ready(h: &Harness, dark: bool) -> Result<()> {
    h.wait_for("#session-list .session-row", STARTUP).await?;
    h.wait_until(
        "return (document.querySelector('.session-heading')?.textContent ?? '') !== ''",
        STARTUP,
    )
    .await?;
    let scheme = h
        .eval("return matchMedia('(prefers-color-scheme: dark)').matches")
        .await?;
    assert_eq!(scheme, Value::Bool(dark), "the page's colour scheme");
    h.eval(HELPERS).await?;
    Ok(())
}

async fn json(h: &Harness, script: &str) -> Result<Value> {
    h.eval(script).await
}

const CHANGES_BUTTON: &str = "header.toolbar button.show-changes";
const SCHEDULE_BUTTON: &str = "header.toolbar button[title^=\"Schedule grid\"]";
const TWINS_BUTTON: &str = "header.toolbar button[title^=\"This session's twins\"]";
const SAVE_BUTTON: &str = "header.toolbar button[title=\"Save (Ctrl+S)\"]";

/// Exactly `name` shows among the main views.
async fn only_view(h: &Harness, name: &str) -> Result<()> {
    let waited = h
        .wait_until(
            &format!(
                "const v = __layout.mainViews(); return v.length === 1 && v[0].name === '{name}'"
            ),
            STARTUP,
        )
        .await;
    let views = json(h, "return __layout.mainViews()").await?;
    waited.map_err(|e| format!("{e}; views shown: {views}"))?;
    Ok(())
}

async fn main_views_are_exclusive(dark: bool) -> Result<()> {
    let h = start(dark, |_| Ok(())).await?;
    let outcome = async {
        ready(&h, dark).await?;
        // db-101 has a Chinese twin.
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until("return document.querySelector('.lang-tabs [data-lang=\"zh\"]') !== null", STARTUP)
            .await?;
        for (w, ht) in SIZES {
            h.resize(w, ht).await?;
            only_view(&h, "editor").await?;
            h.click(TWINS_BUTTON).await?;
            h.wait_for("#twins-view .twin-column[data-lang=\"zh\"]", STARTUP).await?;
            only_view(&h, "twins").await?;
            // The Changes view replaces Side by Side instead of drawing over it.
            h.click(CHANGES_BUTTON).await?;
            only_view(&h, "changes").await?;
            let layout = json(&h, "return document.querySelector('.layout').dataset.view").await?;
            assert_eq!(layout, "changes");
            // And Side by Side replaces Changes.
            h.click(TWINS_BUTTON).await?;
            only_view(&h, "twins").await?;
            h.click(SCHEDULE_BUTTON).await?;
            only_view(&h, "schedule").await?;
            h.click(CHANGES_BUTTON).await?;
            only_view(&h, "changes").await?;
            // Toggling Changes again goes back to the editor.
            h.click(CHANGES_BUTTON).await?;
            only_view(&h, "editor").await?;
            // The shown view lies inside the window, clear of the toolbar and the status bar.
            let clear = json(
                &h,
                "const v = __layout.rect(document.querySelector('.editor')); \
                 const bar = __layout.rect(document.querySelector('.toolbar')); \
                 const status = __layout.rect(document.querySelector('.statusbar')); \
                 return __layout.inViewport(v) && __layout.overlap(v, bar) === 0 && __layout.overlap(v, status) === 0",
            )
            .await?;
            assert_eq!(clear, Value::Bool(true), "editor at {w}×{ht}");
        }
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn layout_one_main_view_shows_at_a_time_light() -> Result<()> {
    main_views_are_exclusive(false).await
}

#[tokio::test(flavor = "current_thread")]
async fn layout_one_main_view_shows_at_a_time_dark() -> Result<()> {
    main_views_are_exclusive(true).await
}

/// Type `text` at the end of the title field of the open session, as typing would.
async fn append_to_title(h: &Harness, text: &str) -> Result<()> {
    h.eval(&format!(
        "const i = document.getElementById('field-title'); i.focus(); i.value += {text:?}; \
         i.dispatchEvent(new Event('input', {{ bubbles: true }})); \
         i.dispatchEvent(new Event('change', {{ bubbles: true }})); return true"
    ))
    .await?;
    Ok(())
}

async fn export_checklist_in_sight(dark: bool) -> Result<()> {
    let h = start(dark, |_| Ok(())).await?;
    let outcome = async {
        ready(&h, dark).await?;
        // web-103's room is unknown: an error, so the Problems check blocks.
        h.click(".session-row[data-stem=\"web-103\"]").await?;
        h.wait_until("return document.getElementById('field-room')?.value === 'Attic'", STARTUP)
            .await?;
        append_to_title(&h, " for Everyone").await?;
        h.click(SAVE_BUTTON).await?;
        h.wait_until("return document.querySelector('.status').textContent.startsWith('Saved')", STARTUP)
            .await?;
        for (w, ht) in SIZES {
            h.resize(w, ht).await?;
            h.click(CHANGES_BUTTON).await?;
            h.wait_for("#changes .change-file", STARTUP).await?;
            h.click("#changes .changes-export").await?;
            h.wait_until(
                "return document.getElementById('export-dialog').open && \
                 document.querySelector('#export-dialog .check[data-key=\"problems\"]')?.dataset.state === 'blocking'",
                STARTUP,
            )
            .await?;
            let m = json(
                &h,
                "const d = document.getElementById('export-dialog'); \
                 const list = d.querySelector('.checklist'); \
                 const first = list.firstElementChild; \
                 const head = d.querySelector('.check[data-key=\"problems\"] strong'); \
                 const dr = __layout.rect(d), lr = __layout.rect(list), hr = __layout.rect(head); \
                 const cs = getComputedStyle(d); \
                 const inner = dr.width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - parseFloat(cs.borderLeftWidth) * 2; \
                 return { first: first.dataset.key, text: head.textContent, scrollTop: d.scrollTop, \
                   inDialog: hr.top >= dr.top && hr.bottom <= dr.bottom && hr.left >= dr.left && hr.right <= dr.right, \
                   inViewport: __layout.inViewport(hr), \
                   leftGap: hr.left - lr.left, listShare: lr.width / inner, listLeft: lr.left - dr.left }",
            )
            .await?;
            eprintln!("e2e: export checklist at {w}×{ht} (dark {dark}): {m}");
            assert_eq!(m["first"], "problems", "Problems is the first check: {m}");
            assert_eq!(m["text"], "Problems");
            assert_eq!(m["scrollTop"], 0, "nothing scrolled: {m}");
            assert_eq!(m["inDialog"], true, "the Problems heading is in sight: {m}");
            assert_eq!(m["inViewport"], true, "{m}");
            // Left-aligned in a list as wide as the dialog, not a narrow centred column.
            assert!(m["leftGap"].as_f64().unwrap_or(99.0) < 40.0, "{m}");
            assert!(m["listShare"].as_f64().unwrap_or(0.0) > 0.9, "{m}");
            assert!(m["listLeft"].as_f64().unwrap_or(99.0) < 40.0, "{m}");
            h.click("#export-dialog .export-close").await?;
            h.wait_until("return !document.getElementById('export-dialog').open", STARTUP).await?;
            h.click("#changes .changes-close").await?;
            only_view(&h, "editor").await?;
        }
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn layout_export_checklist_shows_problems_first_in_sight_light() -> Result<()> {
    export_checklist_in_sight(false).await
}

#[tokio::test(flavor = "current_thread")]
async fn layout_export_checklist_shows_problems_first_in_sight_dark() -> Result<()> {
    export_checklist_in_sight(true).await
}

const LONG_SITE: &str =
    "The International Conference on Databases, the Web and Machine Learning 2030";

/// Every toolbar control on one line inside the toolbar; the status in the status bar, whole.
async fn toolbar_and_status(h: &Harness, w: u32, ht: u32) -> Result<()> {
    let m = json(
        h,
        "const bar = document.querySelector('.toolbar'); const br = __layout.rect(bar); \
         const controls = [...bar.querySelectorAll('button, summary')].filter(b => !b.closest('.batch-menu-items') && __layout.shown(b)); \
         const bad = controls.filter(b => { const r = __layout.rect(b); \
           const lh = parseFloat(getComputedStyle(b).lineHeight) || 18; \
           return r.right > br.right + 0.5 || r.left < br.left - 0.5 || r.top < br.top - 0.5 || r.bottom > br.bottom + 0.5 \
             || r.height > lh * 1.5 + 12 || b.scrollWidth > b.clientWidth + 1; }).map(b => b.textContent); \
         const tops = new Set(controls.map(b => Math.round(__layout.rect(b).top))); \
         const status = document.querySelector('.status'); const sr = __layout.rect(status); \
         const sb = __layout.rect(document.querySelector('.statusbar')); \
         const name = document.querySelector('.site-name'); \
         return { controls: controls.length, bad, overflow: Math.max(...controls.map(b => __layout.rect(b).right)) - br.right, rows: tops.size, barHeight: br.height, \
           statusInBar: bar.contains(status), statusBottom: sb.bottom, innerHeight, \
           statusInside: sr.left >= sb.left && sr.right <= sb.right && sr.top >= sb.top && sr.bottom <= sb.bottom, \
           statusWhole: status.scrollWidth <= status.clientWidth + 1, statusText: status.textContent, \
           nameTooltip: name.title, nameShown: __layout.shown(name) }",
    )
    .await?;
    eprintln!("e2e: toolbar at {w}×{ht}: {m}");
    assert!(m["controls"].as_u64().unwrap_or(0) >= 9, "{m}");
    assert_eq!(
        m["bad"],
        serde_json::json!([]),
        "controls wrapped or outside the toolbar at {w}×{ht}: {m}"
    );
    assert_eq!(m["rows"], 1, "one row of controls: {m}");
    assert_eq!(
        m["statusInBar"], false,
        "the status is not in the toolbar: {m}"
    );
    assert_eq!(m["statusInside"], true, "{m}");
    assert_eq!(m["statusWhole"], true, "the status text is not cut: {m}");
    assert!(
        (m["statusBottom"].as_f64().unwrap_or(0.0) - m["innerHeight"].as_f64().unwrap_or(-9.0))
            .abs()
            <= 1.0,
        "the status bar sits at the bottom of the window: {m}"
    );
    assert_eq!(m["nameShown"], true, "{m}");
    Ok(())
}

async fn toolbar_stays_on_one_line(dark: bool) -> Result<()> {
    let h = start(dark, |site| {
        let config = std::fs::read_to_string(site.join("config.toml"))?;
        std::fs::write(
            site.join("config.toml"),
            config.replace("\"Example Conf 2030\"", &format!("{LONG_SITE:?}")),
        )?;
        Ok(())
    })
    .await?;
    let outcome = async {
        ready(&h, dark).await?;
        let name = json(
            &h,
            "return document.querySelector('.site-name').textContent",
        )
        .await?;
        assert_eq!(name, LONG_SITE);
        // A message shows: the answer to Save.
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return document.querySelector('.lang-tabs [data-lang=\"zh\"]') !== null",
            STARTUP,
        )
        .await?;
        append_to_title(&h, " Again").await?;
        h.click(SAVE_BUTTON).await?;
        h.wait_until(
            "return document.querySelector('.status').textContent.startsWith('Saved')",
            STARTUP,
        )
        .await?;
        for (w, ht) in SIZES {
            h.resize(w, ht).await?;
            toolbar_and_status(&h, w, ht).await?;
        }
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn layout_toolbar_stays_on_one_line_with_a_long_site_name_and_a_message_light() -> Result<()>
{
    toolbar_stays_on_one_line(false).await
}

#[tokio::test(flavor = "current_thread")]
async fn layout_toolbar_stays_on_one_line_with_a_long_site_name_and_a_message_dark() -> Result<()> {
    toolbar_stays_on_one_line(true).await
}

const LONG_TRACK: &str = "Data Lake & Data Warehouse (Lakehouse)";
const LONG_TITLE: &str =
    "Small Models, Big Wins: Distillation, Quantisation and Pruning for Models That Fit on a Laptop";

async fn labels_and_cells_show_whole(dark: bool) -> Result<()> {
    let h = start(dark, |site| {
        std::fs::write(
            site.join("content/tracks/ai.md"),
            format!("---\ntitle: \"{LONG_TRACK}\"\n---\nTalks about ai.\n"),
        )?;
        let file = site.join("content/sessions/ai-201.md");
        let text = std::fs::read_to_string(&file)?;
        std::fs::write(
            &file,
            text.replace("\"Small Models, Big Wins\"", &format!("{LONG_TITLE:?}")),
        )?;
        Ok(())
    })
    .await?;
    let outcome = async {
        ready(&h, dark).await?;
        h.click(".session-row[data-stem=\"ai-201\"]").await?;
        h.wait_until("return document.getElementById('field-track')?.value === 'ai'", STARTUP)
            .await?;
        for (w, ht) in SIZES {
            h.resize(w, ht).await?;
            // The track list shows its whole label.
            let m = json(
                &h,
                "const s = document.getElementById('field-track'); const label = s.selectedOptions[0].textContent; \
                 const cs = getComputedStyle(s); \
                 const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 18; \
                 return { label, text: __layout.textWidth(label, s), room, title: s.title }",
            )
            .await?;
            eprintln!("e2e: track select at {w}×{ht}: {m}");
            assert_eq!(m["label"], format!("{LONG_TRACK} (ai)"));
            assert!(
                m["text"].as_f64().unwrap_or(f64::MAX) <= m["room"].as_f64().unwrap_or(0.0),
                "the track's label is clipped at {w}×{ht}: {m}"
            );
            // The session list row's tooltip holds the whole title.
            let tip = json(&h, "return document.querySelector('.session-row[data-stem=\"ai-201\"]').title").await?;
            assert!(tip.as_str().unwrap_or("").starts_with(LONG_TITLE), "{tip}");

            // The table: a long title is whole, or ends in an ellipsis with the whole text as its tooltip.
            h.click("#batch-table").await?;
            h.wait_until("return document.getElementById('table-dialog').open && document.querySelector('#batch-table td[data-key=\"title\"] input') !== null", STARTUP)
                .await?;
            let cells = json(
                &h,
                "return [...document.querySelectorAll('#batch-table td[data-key=\"title\"] input')].map(i => ({ \
                   value: i.value, whole: i.scrollWidth <= i.clientWidth + 1, tooltip: i.title === i.value, \
                   ellipsis: getComputedStyle(i).textOverflow }))",
            )
            .await?;
            let cells = cells.as_array().cloned().unwrap_or_default();
            assert!(cells.iter().any(|c| c["value"] == LONG_TITLE), "{cells:?}");
            for c in &cells {
                assert!(
                    c["whole"] == true || (c["tooltip"] == true && c["ellipsis"] == "ellipsis"),
                    "a cut title without its whole text reachable at {w}×{ht}: {c}"
                );
            }
            // Column headings use the form's labels.
            let heads = json(&h, "return [...document.querySelectorAll('#batch-table thead th')].map(t => t.textContent)").await?;
            let heads = heads.to_string();
            assert!(heads.contains("Session type") && !heads.contains("\"stype"), "{heads}");
            h.click("#table-cancel").await?;
            h.wait_until("return !document.getElementById('table-dialog').open", STARTUP).await?;

            // Set field… names the fields as the form does.
            h.click("#batch-set-field").await?;
            h.wait_until("return document.getElementById('set-field-dialog').open", STARTUP).await?;
            let options = json(&h, "return [...document.querySelectorAll('#set-field-key option')].map(o => o.textContent)").await?;
            let list: Vec<String> = serde_json::from_value(options.clone())?;
            assert!(list.iter().any(|o| o == "Session type"), "{options}");
            assert!(list.iter().any(|o| o == "Video link"), "{options}");
            assert!(!list.iter().any(|o| o == "stype" || o == "speechLink"), "{options}");
            h.click("#set-field-dialog-cancel").await?;
            h.wait_until("return !document.getElementById('set-field-dialog').open", STARTUP).await?;
        }
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn layout_dropdowns_table_cells_and_set_field_show_whole_labels_light() -> Result<()> {
    labels_and_cells_show_whole(false).await
}

#[tokio::test(flavor = "current_thread")]
async fn layout_dropdowns_table_cells_and_set_field_show_whole_labels_dark() -> Result<()> {
    labels_and_cells_show_whole(true).await
}

async fn no_site_messages(dark: bool) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    lectern_e2e::copy_tree(&lectern_e2e::fixture("site"), &site)?;
    let config = tmp.path().join("home/.config/org.lectern.desktop");
    std::fs::create_dir_all(&config)?;
    let list = serde_json::json!({ "sites": [{ "root": site, "name": "Example Conf 2030" }] });
    std::fs::write(config.join("recent-sites.json"), serde_json::to_vec(&list)?)?;
    // A missing folder as the argument: no site opens, the welcome screen shows.
    let args = vec![tmp.path().join("nowhere").to_string_lossy().into_owned()];
    let env: &[(&str, &str)] = if dark {
        &[("GTK_THEME", "Adwaita:dark")]
    } else {
        &[]
    };
    let h = Harness::launch_with_env(tmp, site, args, env).await?;
    let outcome = async {
        h.wait_until("return document.querySelectorAll('#recent-sites li').length === 1", STARTUP)
            .await?;
        h.eval(HELPERS).await?;
        let scheme = h.eval("return matchMedia('(prefers-color-scheme: dark)').matches").await?;
        assert_eq!(scheme, Value::Bool(dark));
        for (w, ht) in SIZES {
            h.resize(w, ht).await?;
            for button in [SCHEDULE_BUTTON, CHANGES_BUTTON, TWINS_BUTTON] {
                h.eval("const s = document.querySelector('.status'); s.textContent = ''; s.className = 'status'; return true")
                    .await?;
                h.click(button).await?;
                h.wait_until(
                    "return document.querySelector('.status').textContent.startsWith('No site is open')",
                    STARTUP,
                )
                .await
                .map_err(|e| format!("{button}: {e}"))?;
                // The message is in sight, in the status bar, while the welcome screen shows.
                let m = json(
                    &h,
                    "const s = document.querySelector('.status'); \
                     return { shown: __layout.shown(s), inViewport: __layout.inViewport(__layout.rect(s)), \
                       welcome: __layout.shown(document.querySelector('.welcome')), \
                       overlap: __layout.overlap(__layout.rect(s), __layout.rect(document.querySelector('.welcome'))) }",
                )
                .await?;
                assert_eq!(
                    m,
                    serde_json::json!({ "shown": true, "inViewport": true, "welcome": true, "overlap": 0 }),
                    "{button} at {w}×{ht}"
                );
            }
        }
        h.click("#recent-sites .recent-open").await?;
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.wait_until(
            "return !document.querySelector('.status').textContent.includes('No site is open')",
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
async fn layout_with_no_site_schedule_says_why_and_the_message_goes_when_a_site_opens_light(
) -> Result<()> {
    no_site_messages(false).await
}

#[tokio::test(flavor = "current_thread")]
async fn layout_with_no_site_schedule_says_why_and_the_message_goes_when_a_site_opens_dark(
) -> Result<()> {
    no_site_messages(true).await
}
