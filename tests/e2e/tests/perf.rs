//! Performance figures of the real app (ignored by default). Debug build:
//! `SKIP_SETUP=1 bash scripts/e2e.sh perf --ignored`; a release build:
//! `LECTERN_APP=target/release/lectern-desktop cargo test -p lectern-e2e
//! --test perf -- --ignored --nocapture` (see BENCHMARKS.md). Prints the
//! figures and writes `tests/e2e/artifacts/perf.json`. No timing asserts:
//! the machine is shared and figures vary with load.

use std::path::Path;
use std::time::{Duration, Instant};

use lectern_e2e::{artifacts_dir, copy_tree, fixture, repo_root, Harness, Result};

const STARTUP: Duration = Duration::from_secs(120);

/// Type `n` characters at the end of the first body line, one at a time, as
/// text input the editor picks up; for each, the ms until the preview's
/// srcdoc changed. In chunks, so one script stays under the driver's timeout.
async fn keystrokes(h: &Harness, n: usize) -> Result<Vec<(f64, f64)>> {
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
                     const loaded = changed.then(() => new Promise((res, rej) => {{ \
                       frame.addEventListener('load', () => res(performance.now()), {{ once: true }}); \
                       setTimeout(() => rej('the preview did not load within 5 s'), 5000); \
                     }})); \
                     const t0 = performance.now(); \
                     document.execCommand('insertText', false, 'x'); \
                     out.push([(await changed) - t0, (await loaded) - t0]); \
                   }} \
                   return out; \
                 }})().then(done, e => done(String(e)))"
            ))
            .await?;
        let times: Vec<(f64, f64)> =
            serde_json::from_value(v.clone()).map_err(|_| format!("keystrokes: {v}"))?;
        all.extend(times);
    }
    Ok(all)
}

/// p50/p95/max of keystroke times: until the preview's srcdoc changed, and
/// until the preview frame loaded the new document.
fn keystroke_figures(t: &[(f64, f64)]) -> serde_json::Value {
    let set: Vec<f64> = t.iter().map(|p| p.0).collect();
    let loaded: Vec<f64> = t.iter().map(|p| p.1).collect();
    serde_json::json!({
        "n": t.len(),
        "p50_ms": percentile(&set, 0.5), "p95_ms": percentile(&set, 0.95), "max_ms": percentile(&set, 1.0),
        "loaded_p50_ms": percentile(&loaded, 0.5), "loaded_p95_ms": percentile(&loaded, 0.95), "loaded_max_ms": percentile(&loaded, 1.0),
    })
}

/// Milliseconds since the Unix epoch.
fn epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// When process `pid` started, in ms since the Unix epoch (10 ms steps).
fn process_start_epoch_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Field 22 (starttime, clock ticks after boot); fields after the `)` of comm start at 3.
    let ticks: f64 = stat
        .rsplit(')')
        .next()?
        .split_whitespace()
        .nth(19)?
        .parse()
        .ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    // SAFETY: sysconf only reads a system constant.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let boot = epoch_ms() - uptime * 1000.0;
    Some(boot + ticks / hz * 1000.0)
}

/// The page's mark `name` (set by the UI after a paint), in ms since the Unix epoch.
async fn mark_epoch_ms(h: &Harness, name: &str) -> Result<f64> {
    let v = h
        .eval(&format!(
            "const m = performance.getEntriesByName('{name}'); \
             return m.length ? performance.timeOrigin + m[0].startTime : null"
        ))
        .await?;
    v.as_f64()
        .ok_or_else(|| format!("the page has no mark {name}").into())
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

/// Memory of `pid` and every process below it, from `smaps_rollup`, in kB:
/// RSS (shared library pages counted in every process that maps them, so
/// the sum over-counts), PSS (shared pages split between their users) and
/// private (pages only that process has). Per process and summed.
fn tree_memory(pid: u32) -> serde_json::Value {
    let mut procs = Vec::new();
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        let name = std::fs::read_to_string(format!("/proc/{p}/comm"))
            .unwrap_or_default()
            .trim()
            .to_string();
        let roll = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
        let kb = |k: &str| -> u64 {
            roll.lines()
                .filter(|l| l.starts_with(k))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum()
        };
        procs.push((
            name,
            kb("Rss:"),
            kb("Pss:"),
            kb("Private_Clean:") + kb("Private_Dirty:"),
        ));
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for e in entries.flatten() {
                let Some(c) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                    continue;
                };
                let stat = std::fs::read_to_string(format!("/proc/{c}/stat")).unwrap_or_default();
                let ppid = stat
                    .rsplit(')')
                    .next()
                    .and_then(|r| r.split_whitespace().nth(1))
                    .and_then(|x| x.parse::<u32>().ok());
                if ppid == Some(p) {
                    stack.push(c);
                }
            }
        }
    }
    serde_json::json!({
        "rss_kb": procs.iter().map(|p| p.1).sum::<u64>(),
        "pss_kb": procs.iter().map(|p| p.2).sum::<u64>(),
        "private_kb": procs.iter().map(|p| p.3).sum::<u64>(),
        "processes": procs.iter().map(|p| serde_json::json!({"name": p.0, "rss_kb": p.1, "pss_kb": p.2, "private_kb": p.3})).collect::<Vec<_>>(),
    })
}

/// Cold start without a WebDriver in between: start the app directly on a
/// private X server with `LECTERN_STARTUP_TRACE=1` and take the arrival of
/// its first `load_session` command, which the window sends once the list
/// has been painted. Returns ms from the process start, or why not.
fn cold_start_without_driver(site: &Path, home: &Path) -> Result<f64> {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1400x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()?;
    let mut line = String::new();
    BufReader::new(xvfb.stdout.take().ok_or("Xvfb has no stdout")?).read_line(&mut line)?;
    let display = format!(":{}", line.trim());
    let mut app = Command::new(lectern_e2e::app_binary())
        .arg(site)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("GDK_BACKEND", "x11")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("GSETTINGS_BACKEND", "memory")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("LECTERN_STARTUP_TRACE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()?;
    let pid = app.id();
    let start = process_start_epoch_ms(pid);
    let stderr = app.stderr.take().ok_or("the app has no stderr")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
            if let Some(at) = line.strip_prefix("lectern-desktop: trace: load_session at ") {
                let _ = tx.send(at.trim().parse::<f64>().ok());
                return;
            }
        }
    });
    let seen = rx.recv_timeout(Duration::from_secs(60));
    for child in [&mut app, &mut xvfb] {
        let pgid = child.id() as libc::pid_t;
        // SAFETY: kill(2) on the process group this function created.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
        let _ = child.wait();
        // WebKit's processes were the app's children; under the harness this
        // process adopts them, so reap them too (for at most a second).
        let deadline = std::time::Instant::now() + Duration::from_secs(1);
        while std::time::Instant::now() < deadline {
            // SAFETY: waitpid on our own process group, WNOHANG, no status wanted.
            let r = unsafe { libc::waitpid(-pgid, std::ptr::null_mut(), libc::WNOHANG) };
            if r < 0 {
                break; // none left
            }
            if r == 0 {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    let at = seen
        .map_err(|_| "no load_session within 60 s")?
        .ok_or("unreadable trace line")?;
    Ok(at - start.ok_or("no start time of the app process")?)
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
        report.insert("cold_start_to_list_ms_incl_xvfb_and_driver".into(), cold.into());
        h.wait_until("return performance.getEntriesByName('lectern:interactive').length > 0", STARTUP).await?;
        // From the app's process start to the first session shown and painted.
        let pid = h.app_pids().first().copied().ok_or("no app process")?;
        let start = process_start_epoch_ms(pid).ok_or("no start time of the app process")?;
        let list = mark_epoch_ms(&h, "lectern:list-painted").await? - start;
        let interactive = mark_epoch_ms(&h, "lectern:interactive").await? - start;
        report.insert("cold_start_process_to_list_painted_ms".into(), list.into());
        report.insert("cold_start_process_to_interactive_ms".into(), interactive.into());
        for (stem, name) in [("db-900", "keystroke_to_preview_2kb"), ("db-901", "keystroke_to_preview_100kb")] {
            h.click(&format!(".session-row[data-stem=\"{stem}\"]")).await?;
            h.wait_until(&format!("return document.querySelector('.session-heading')?.textContent === 'Perf {stem}'"), STARTUP)
                .await?;
            let t = keystrokes(&h, 100).await?;
            report.insert(name.into(), keystroke_figures(&t));
        }
        report.insert("small_site_memory".into(), tree_memory(pid));
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome?;

    // Cold start without the WebDriver: median of three.
    let mut colds = Vec::new();
    for _ in 0..3 {
        let tmp = tempfile::tempdir()?;
        let site = tmp.path().join("site");
        copy_tree(&fixture("site"), &site)?;
        std::fs::create_dir_all(tmp.path().join("home"))?;
        colds.push(cold_start_without_driver(&site, &tmp.path().join("home"))?);
    }
    report.insert(
        "cold_start_without_driver_process_to_list_painted_ms".into(),
        serde_json::json!(colds),
    );

    // A 10,000-session site.
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("big");
    let gen = ["debug", "release"]
        .iter()
        .map(|p| repo_root().join(format!("target/{p}/examples/gen_site")))
        .find(|p| p.is_file())
        .ok_or("build the site generator first: cargo build --example gen_site")?;
    let status = std::process::Command::new(&gen)
        .arg(&site)
        .arg("10000")
        .status()?;
    assert!(status.success(), "{} failed", gen.display());
    let files = std::fs::read_dir(site.join("content/sessions"))?.count();
    let started = Instant::now();
    let h = Harness::start_on(tmp, site).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        report.insert("big_site_files".into(), files.into());
        report.insert("big_site_first_open_to_list_ms_incl_xvfb_and_driver".into(), (started.elapsed().as_secs_f64() * 1000.0).into());
        let pid = h.app_pids().first().copied().ok_or("no app process")?;
        let start = process_start_epoch_ms(pid).ok_or("no start time of the app process")?;
        h.wait_until("return performance.getEntriesByName('lectern:list-painted').length > 0", STARTUP).await?;
        report.insert("big_site_first_open_process_to_list_painted_ms".into(), (mark_epoch_ms(&h, "lectern:list-painted").await? - start).into());
        // Let the first check finish, so the figures below are of a settled app.
        h.wait_until("return document.querySelector('#problems')?.dataset.count !== undefined", STARTUP).await?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        report.insert("big_site_memory_after_first_open".into(), tree_memory(pid));
        // Reload as the menu does; the UI's own flow repaints the list.
        let mut reloads = Vec::new();
        for _ in 0..3 {
            let v = h
                .eval_async(
                    "const done = arguments[arguments.length - 1]; \
                     performance.clearMarks('lectern:list-painted'); \
                     const t0 = performance.now(); \
                     window.__TAURI_INTERNALS__.invoke('reload_site').catch(e => done(String(e))); \
                     const poll = () => { const m = performance.getEntriesByName('lectern:list-painted'); \
                       if (m.length) done(m[0].startTime - t0); else setTimeout(poll, 5); }; \
                     poll();",
                )
                .await?;
            reloads.push(v.as_f64().ok_or_else(|| format!("reload: {v}"))?);
            // Let the reload's check finish before the next one.
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        report.insert("big_site_reload_to_list_painted_ms".into(), serde_json::json!(reloads));
        // Typing on the big site: a keystroke does not wait for checks of 10,000 files.
        h.click(".session-row").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let t = keystrokes(&h, 20).await?;
        report.insert("big_site_keystroke_to_preview".into(), keystroke_figures(&t));
        tokio::time::sleep(Duration::from_secs(3)).await;
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
        let pid = pids.first().copied().ok_or("no app process")?;
        report.insert("big_site_memory_after_reloads".into(), tree_memory(pid));
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
