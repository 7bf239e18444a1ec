//! Performance figures of the real app (ignored by default; run with
//! `SKIP_SETUP=1 bash scripts/e2e.sh perf --ignored`). Prints them and
//! writes `tests/e2e/artifacts/perf.json`. No timing asserts: the machine
//! is shared and figures vary with load.

use std::path::Path;
use std::time::{Duration, Instant};

use lectern_e2e::{artifacts_dir, copy_tree, fixture, repo_root, Harness, Result};

const STARTUP: Duration = Duration::from_secs(120);

/// Type `n` characters at the end of the first body line, one at a time, as
/// text input the editor picks up; for each, the ms until the preview's
/// srcdoc changed. In chunks, so one script stays under the driver's timeout.
async fn keystrokes(h: &Harness, n: usize) -> Result<Vec<f64>> {
    let mut all = Vec::new();
    while all.len() < n {
        let chunk = (n - all.len()).min(10);
        let v = h
            .eval_async(&format!(
                "const done = arguments[arguments.length - 1]; (async () => {{ \
                   const frame = document.querySelector('.preview iframe'); \
                   const content = document.querySelector('.body-editor .cm-content'); \
                   const out = []; \
                   for (let i = 0; i < {chunk}; i++) {{ \
                     content.focus(); \
                     const line = content.querySelector('.cm-line'); \
                     const r = document.createRange(); r.selectNodeContents(line); r.collapse(false); \
                     const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); \
                     await new Promise(res => setTimeout(res, 20)); \
                     const changed = new Promise((res, rej) => {{ \
                       const o = new MutationObserver(() => {{ o.disconnect(); res(performance.now()); }}); \
                       o.observe(frame, {{ attributes: true, attributeFilter: ['srcdoc'] }}); \
                       setTimeout(() => {{ o.disconnect(); rej('no preview update within 5 s'); }}, 5000); \
                     }}); \
                     const t0 = performance.now(); \
                     document.execCommand('insertText', false, 'x'); \
                     out.push((await changed) - t0); \
                   }} \
                   return out; \
                 }})().then(done, e => done(String(e)))"
            ))
            .await?;
        let times: Vec<f64> = serde_json::from_value(v.clone()).map_err(|_| format!("keystrokes: {v}"))?;
        all.extend(times);
    }
    Ok(all)
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

/// VmRSS (kB) of `pid` and every process below it.
fn tree_rss_kb(pid: u32) -> (u64, Vec<(String, u64)>) {
    let mut procs = Vec::new();
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        let status = std::fs::read_to_string(format!("/proc/{p}/status")).unwrap_or_default();
        let field = |k: &str| status.lines().find(|l| l.starts_with(k)).and_then(|l| l.split_whitespace().nth(1)).unwrap_or("").to_string();
        procs.push((field("Name:"), field("VmRSS:").parse::<u64>().unwrap_or(0)));
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for e in entries.flatten() {
                let Some(c) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
                let stat = std::fs::read_to_string(format!("/proc/{c}/stat")).unwrap_or_default();
                let ppid = stat.rsplit(')').next().and_then(|r| r.split_whitespace().nth(1)).and_then(|x| x.parse::<u32>().ok());
                if ppid == Some(p) {
                    stack.push(c);
                }
            }
        }
    }
    (procs.iter().map(|(_, k)| k).sum(), procs)
}

fn write_session(site: &Path, stem: &str, body: &str) -> Result<()> {
    let text = format!(
        "---\ntitle: \"Perf {stem}\"\ndate: \"2030-05-01T11:00:00\"\ntrack: \"db\"\npresenters: \"Ada Park\"\nstype: \"English Session\"\nroom: \"Main Hall\"\nspeechLink: \"\"\n---\n{body}"
    );
    std::fs::write(site.join(format!("content/sessions/{stem}.md")), text)?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "performance figures; run on demand"]
async fn perf() -> Result<()> {
    let mut report = serde_json::Map::new();

    // Keystroke → preview, 2 KB and 100 KB bodies.
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("site"), &site)?;
    let para = "A paragraph about indexes, planners and page reads, with *emphasis* and a [link](https://example.org/). ";
    let mut small = String::from("Perf body.\n\n");
    while small.len() < 2_000 {
        small.push_str(para);
        small.push_str("\n\n");
    }
    small.push_str("### Speakers:\n<img src=\"images/speaker/ada.png\" width=\"200\" /><br>Ada Park: Storage engineer\n");
    let mut big = String::from("Perf body.\n\n");
    while big.len() < 100_000 {
        big.push_str(para);
        big.push_str("\n\n");
    }
    write_session(&site, "db-900", &small)?;
    write_session(&site, "db-901", &big)?;
    let started = Instant::now();
    let h = Harness::start_on(tmp, site).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        let cold = started.elapsed().as_secs_f64() * 1000.0;
        let page = h.eval("return performance.now()").await?;
        report.insert("cold_start_to_list_ms_incl_xvfb_and_driver".into(), cold.into());
        report.insert("page_time_at_list_ms".into(), page);
        for (stem, name) in [("db-900", "keystroke_to_preview_2kb"), ("db-901", "keystroke_to_preview_100kb")] {
            h.click(&format!(".session-row[data-stem=\"{stem}\"]")).await?;
            h.wait_until(&format!("return document.querySelector('.session-heading')?.textContent === 'Perf {stem}'"), STARTUP)
                .await?;
            let t = keystrokes(&h, 100).await?;
            report.insert(
                name.into(),
                serde_json::json!({"n": t.len(), "p50_ms": percentile(&t, 0.5), "p95_ms": percentile(&t, 0.95), "max_ms": percentile(&t, 1.0)}),
            );
        }
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome?;

    // A 10,000-session site.
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("big");
    let gen = repo_root().join("target/debug/examples/gen_site");
    let status = std::process::Command::new(&gen).arg(&site).arg("10000").status()?;
    assert!(status.success(), "{} failed", gen.display());
    let files = std::fs::read_dir(site.join("content/sessions"))?.count();
    let started = Instant::now();
    let h = Harness::start_on(tmp, site).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        report.insert("big_site_files".into(), files.into());
        report.insert("big_site_first_open_to_list_ms_incl_xvfb_and_driver".into(), (started.elapsed().as_secs_f64() * 1000.0).into());
        let reload = h
            .eval_async(
                "const done = arguments[arguments.length - 1]; const t0 = performance.now(); \
                 const i = window.__TAURI_INTERNALS__; \
                 i.invoke('reload_site').then(() => i.invoke('list_sessions')).then(rows => \
                   requestAnimationFrame(() => done([performance.now() - t0, rows.length])), e => done(String(e)))",
            )
            .await?;
        report.insert("big_site_reload_and_list_ms_rows".into(), reload);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let pids = h.app_pids();
        let (total, procs) = pids.first().map(|p| tree_rss_kb(*p)).unwrap_or_default();
        report.insert("big_site_rss_kb_app_tree".into(), total.into());
        report.insert("big_site_rss_processes".into(), serde_json::json!(procs));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome?;

    let json = serde_json::to_string_pretty(&serde_json::Value::Object(report))?;
    std::fs::create_dir_all(artifacts_dir())?;
    std::fs::write(artifacts_dir().join("perf.json"), &json)?;
    println!("{json}");
    Ok(())
}
