//! Every registered command of the real app, called from its own web view
//! through `window.__TAURI_INTERNALS__.invoke` with hostile arguments
//! (checklist B4, B6): wrong JSON types, missing arguments, path traversal
//! and absolute paths pointing at a file outside the site, NUL and control
//! characters, unknown ids, 10 MB strings, huge and deeply nested arrays.
//!
//! The commands are read from `src-tauri/src/lib.rs` (`generate_handler!`)
//! and their parameters from each command's source, so commands added later
//! are fuzzed without touching this test. Ids given to a command are never
//! valid here (valid ids with hostile values are the mock-runtime fuzz's
//! job, `src-tauri/src/ipc_fuzz.rs`), so no call may change the site.
//!
//! Asserts: every call settles (no hang), with a result or a structured
//! error; no reply carries the content of the file outside the site; that
//! file and the site's files are byte-identical afterwards and nothing new
//! appeared next to them; the app still answers, and its IPC log shows each
//! command arrived. The app's RSS before and after is printed.

use std::path::Path;
use std::time::Duration;

use lectern_e2e::{copy_tree, file_snapshot, fixture, repo_root, Harness, Result};
use serde_json::json;

const STARTUP: Duration = Duration::from_secs(30);
/// How long one call may take before it counts as a hang. Generous: CI has
/// two busy cores, and some calls carry 10 MB arguments.
const PER_CALL: Duration = Duration::from_secs(60);
/// A marker only the file outside the site holds.
const SECRET: &str = "LECTERN-OUTSIDE-SECRET-e2e-91c4";

/// Registered commands that open a native dialog: a call waits for a
/// person, so they are not called (they take no arguments to fuzz).
/// `dialog_commands_are_listed` keeps this list complete.
const DIALOGS: &[&str] = &["choose_site", "pick_photo_file"];

/// One command parameter as the web view names it, and its Rust type.
#[derive(Debug, Clone)]
struct Param {
    js_name: String,
    ty: String,
}

fn balanced(text: &str, from: usize, open: char, close: char) -> Option<(usize, &str)> {
    let start = from + text[from..].find(open)?;
    let mut depth = 0usize;
    for (i, c) in text[start..].char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some((start + i, &text[start + 1..start + i]));
            }
        }
    }
    None
}

fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `generate_handler!` entries of lib.rs, as module paths.
fn registered() -> Result<Vec<String>> {
    let lib = strip_comments(&std::fs::read_to_string(
        repo_root().join("src-tauri/src/lib.rs"),
    )?);
    let at = lib
        .find("generate_handler!")
        .ok_or("lib.rs has no generate_handler!")?;
    let (_, inner) = balanced(&lib, at, '[', ']').ok_or("unbalanced generate_handler!")?;
    Ok(inner
        .split(',')
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect())
}

fn snake_to_camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The command's name, its source file and that file's text without
/// comments, for a `generate_handler!` path (`commands::session::set_field`).
fn source_of(path: &str) -> Result<(String, std::path::PathBuf, String)> {
    let parts: Vec<&str> = path.split("::").collect();
    let (name, modules) = parts.split_last().ok_or("empty path")?;
    let base = repo_root().join("src-tauri/src").join(modules.join("/"));
    let file = [base.with_extension("rs"), base.join("mod.rs")]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| format!("no source file for {path}"))?;
    let src = strip_comments(&std::fs::read_to_string(&file)?);
    Ok((name.to_string(), file, src))
}

/// The parameters the web view passes to the command at `path`
/// (`commands::session::set_field`), read from its source.
fn params_of(path: &str) -> Result<Vec<Param>> {
    let (name, file, src) = source_of(path)?;
    let needle = format!("fn {name}");
    let at = src
        .match_indices(&needle)
        .map(|(i, _)| i)
        .find(|&i| src[i + needle.len()..].starts_with(['(', '<']))
        .ok_or_else(|| format!("{}: fn {name} not found", file.display()))?;
    let before = &src[..at];
    let attr_start = before
        .rfind("#[tauri::command")
        .ok_or_else(|| format!("{name}: no #[tauri::command]"))?;
    let snake = before[attr_start..].contains("rename_all = \"snake_case\"");
    let mut open = at + needle.len();
    if src[open..].starts_with('<') {
        open = balanced(&src, open, '<', '>')
            .ok_or("unbalanced generics")?
            .0
            + 1;
    }
    let (_, inner) = balanced(&src, open, '(', ')').ok_or("unbalanced parameters")?;
    let mut params = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in inner.chars().chain(std::iter::once(',')) {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            if let Some((n, t)) = cur.split_once(':') {
                let (n, t) = (n.trim().trim_start_matches("mut ").trim(), t.trim());
                let injected = [
                    "State<",
                    "AppHandle",
                    "Window",
                    "Webview",
                    "Request<",
                    "InvokeMessage",
                ]
                .iter()
                .any(|k| t.contains(k));
                if !injected && !n.is_empty() {
                    let js_name = if snake {
                        n.to_string()
                    } else {
                        snake_to_camel(n)
                    };
                    params.push(Param {
                        js_name,
                        ty: t.to_string(),
                    });
                }
            }
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    Ok(params)
}

/// Hostile values for a parameter of type `ty`, as JavaScript expressions
/// (built in the page, so 10 MB strings do not cross WebDriver).
fn hostile_values(ty: &str, outside: &Path) -> Vec<String> {
    let secret = outside.join("secret.md").display().to_string();
    let s = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let wrong = vec![
        "null".to_string(),
        "0".into(),
        "-1".into(),
        "1e308".into(),
        "true".into(),
        "[]".into(),
        "{}".into(),
        "{\"__proto__\": {\"polluted\": 1}}".into(),
        "(() => { let v = 0; for (let i = 0; i < 500; i++) v = [v]; return v; })()".into(),
    ];
    let strings = vec![
        s("../../etc/passwd"),
        s("/etc/passwd"),
        s("../outside/secret.md"),
        s("content/sessions/../../../outside/secret.md"),
        s(&secret),
        s(&format!("file://{secret}")),
        s("content/sessions/zz-999.md\u{0}../../outside/secret.md"),
        s("content\\sessions\\..\\..\\..\\outside\\secret.md"),
        s("~/.ssh/id_rsa"),
        s("\\\\?\\C:\\Windows\\win.ini"),
        s("\u{202e}\u{0}\u{1b}[2J\r\n"),
        s(""),
        "'x'.repeat(10 * 1024 * 1024)".into(),
        "'\\u0000'.repeat(1024 * 1024)".into(),
        "'../'.repeat(100000) + 'etc/passwd'".into(),
    ];
    let t = ty.replace(' ', "");
    let mut out = Vec::new();
    if t.starts_with("Option<") {
        out.push("null".to_string());
    }
    if t.contains("String") || t.contains("str") || t.contains("Path") {
        out.extend(strings.iter().cloned());
    } else if t.contains("Vec<") {
        out.push("[]".into());
        out.push("Array.from({length: 100000}, (_, i) => ({photo: '../outside/secret.md', name: 'n' + i, headline: '', bio: ''}))".into());
        out.push(format!("[{}]", strings[..6].join(",")));
    } else if t == "bool" || t == "Option<bool>" {
        out.push("false".into());
    } else {
        out.push(format!("{{id: {}, path: {}}}", strings[0], strings[2]));
    }
    out.extend(wrong);
    out
}

/// A well-formed value of type `ty` that names nothing in the site.
fn plausible(ty: &str) -> String {
    let t = ty.replace(' ', "");
    if t.contains("String") || t.contains("str") || t.contains("Path") {
        "'content/sessions/zz-999.md'".into()
    } else if t.contains("Vec<") {
        "[]".into()
    } else if t.contains("bool") {
        "true".into()
    } else if t.contains("u8")
        || t.contains("u16")
        || t.contains("u32")
        || t.contains("u64")
        || t.contains("usize")
        || t.contains("i32")
        || t.contains("i64")
        || t.contains("f64")
    {
        "0".into()
    } else {
        "{}".into()
    }
}

/// The argument objects (JavaScript) for one command: none at all, each
/// parameter in turn hostile with the others plausible, all wrong at once,
/// and an extra unexpected argument.
fn argument_sets(params: &[Param], outside: &Path) -> Vec<String> {
    let mut sets = vec!["({})".to_string()];
    for (i, p) in params.iter().enumerate() {
        for v in hostile_values(&p.ty, outside) {
            let fields: Vec<String> = params
                .iter()
                .enumerate()
                .map(|(j, q)| {
                    format!(
                        "{}: {}",
                        serde_json::to_string(&q.js_name).unwrap_or_default(),
                        if i == j { v.clone() } else { plausible(&q.ty) }
                    )
                })
                .collect();
            sets.push(format!("({{{}}})", fields.join(", ")));
        }
    }
    let all_wrong: Vec<String> = params
        .iter()
        .map(|p| {
            format!(
                "{}: 12345",
                serde_json::to_string(&p.js_name).unwrap_or_default()
            )
        })
        .collect();
    sets.push(format!("({{{}}})", all_wrong.join(", ")));
    let plausible_all: Vec<String> = params
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                serde_json::to_string(&p.js_name).unwrap_or_default(),
                plausible(&p.ty)
            )
        })
        .collect();
    let mut extra = plausible_all.clone();
    extra.push("path: '../outside/secret.md', __proto__: {admin: true}".into());
    sets.push(format!("({{{}}})", extra.join(", ")));
    sets
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::test(flavor = "current_thread")]
async fn every_command_answers_hostile_arguments_with_errors_and_touches_nothing() -> Result<()> {
    let commands = registered()?;
    assert!(
        commands.iter().any(|c| c.ends_with("::set_field")),
        "could not read lib.rs: {commands:?}"
    );
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    let outside = tmp.path().join("outside");
    copy_tree(&fixture("site"), &site)?;
    std::fs::create_dir_all(&outside)?;
    std::fs::write(
        outside.join("secret.md"),
        format!("---\ntitle: \"{SECRET}\"\n---\n{SECRET}\n"),
    )?;
    let watched = tmp.path().to_path_buf();
    let h = Harness::start_on(tempfile::tempdir()?, site.clone()).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        // The app wrote nothing to the site while opening it; this is the baseline.
        let before = file_snapshot(&watched);
        let pid = h.app_pids().first().copied();
        let rss_before = pid.and_then(rss_kib);
        let mut driven = Vec::new();
        let mut calls = 0usize;
        let mut failures = Vec::new();
        for path in &commands {
            let name = path.rsplit("::").next().unwrap_or(path).to_string();
            if DIALOGS.contains(&name.as_str()) {
                continue;
            }
            let params = params_of(path)?;
            let sets = argument_sets(&params, &outside);
            // The page runs every call in the background and keeps the
            // outcomes in a global; the test polls it. (One long script
            // call hit WebDriver's 30 s script timeout on a busy 2-core CI
            // machine, where ten 10 MB arguments take a while to serialise.)
            let script = format!(
                "const sets = [{sets}].map(f => {{ try {{ return f(); }} catch (e) {{ return {{__build_error: String(e)}}; }} }});
                 const state = window.__lecternFuzz = {{done: false, out: []}};
                 (async () => {{
                   for (const args of sets) {{
                     const call = window.__TAURI_INTERNALS__.invoke({cmd}, args).then(
                       v => ({{ok: true, text: JSON.stringify(v) ?? 'undefined'}}),
                       e => ({{ok: false, kind: typeof e === 'object' && e !== null ? e.kind ?? null : null,
                               message: typeof e === 'string' ? e : (e && typeof e.message === 'string' ? e.message : null),
                               text: typeof e === 'string' ? e : JSON.stringify(e)}}));
                     const timeout = new Promise(r => setTimeout(() => r({{pending: true}}), {per_call_ms}));
                     const started = performance.now();
                     const r = await Promise.race([call, timeout]);
                     r.ms = Math.round(performance.now() - started);
                     r.secret = (r.text || '').includes({secret});
                     r.len = (r.text || '').length;
                     r.text = (r.text || '').slice(0, 300);
                     state.out.push(r);
                   }}
                   state.done = true;
                 }})();
                 return sets.length;",
                sets = sets.iter().map(|s| format!("() => {s}")).collect::<Vec<_>>().join(",\n"),
                cmd = serde_json::to_string(&name)?,
                secret = serde_json::to_string(SECRET)?,
                per_call_ms = PER_CALL.as_millis(),
            );
            let started = std::time::Instant::now();
            let count = h.eval(&script).await?;
            assert_eq!(count, json!(sets.len()), "{name}: the page built {count} argument sets");
            let deadline = PER_CALL * (sets.len() as u32 + 1);
            let results = loop {
                let state = h.eval("return window.__lecternFuzz.done ? window.__lecternFuzz.out : null").await?;
                if !state.is_null() {
                    break state;
                }
                if started.elapsed() > deadline {
                    return Err(format!("{name}: the page's calls did not finish within {deadline:?}").into());
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            };
            let results = results.as_array().ok_or_else(|| format!("{name}: the page returned {results}"))?;
            let slowest = results.iter().filter_map(|r| r["ms"].as_u64()).max().unwrap_or(0);
            println!("{name}: {} calls in {:.1} s, slowest {slowest} ms", sets.len(), started.elapsed().as_secs_f64());
            assert_eq!(results.len(), sets.len(), "{name}");
            for (args, r) in sets.iter().zip(results) {
                calls += 1;
                let short: String = args.chars().take(120).collect();
                if r["pending"] == json!(true) {
                    failures.push(format!("{name} {short}: no answer within {PER_CALL:?} (if it opens a native dialog, add it to DIALOGS)"));
                } else if r["secret"] == json!(true) {
                    failures.push(format!("{name} {short}: the reply carried the outside file's content"));
                } else if r["ok"] == json!(false) {
                    let structured = r["kind"].is_string() && r["message"].is_string();
                    // Tauri's own refusals: a wrong type, or JSON nested past
                    // serde_json's recursion limit (refused before any command runs).
                    let tauri_args = r["message"].as_str().is_some_and(|m| {
                        m.contains("invalid args") || m.contains(&format!("command {name}")) || m.starts_with("recursion limit exceeded")
                    });
                    if !(structured || tauri_args) {
                        failures.push(format!("{name} {short}: unstructured error {}", r["text"]));
                    }
                    // Tauri's own "invalid args" refusal quotes a string given
                    // for a list in full (serde's message, made before any of
                    // our code runs); every error of ours is cut at 4 KiB.
                    if !tauri_args && r["len"].as_u64().is_some_and(|n| n > 8 * 1024) {
                        failures.push(format!("{name} {short}: a {}-byte error echoes the input back: {:.160}", r["len"], r["text"]));
                    }
                }
            }
            driven.push(name);
        }
        // The app still answers, and every command reached it.
        let info = h
            .eval_async("const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('app_info').then(done, e => done({error: String(e)}))")
            .await?;
        let log: Vec<String> = serde_json::from_value(info["ipc_log"].clone()).map_err(|e| format!("app_info: {e}: {info}"))?;
        for name in &driven {
            if !log.contains(name) {
                failures.push(format!("{name}: never reached the app (not in its IPC log)"));
            }
        }
        let rows = h
            .eval_async("const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('list_sessions').then(r => done(r.length), e => done(String(e)))")
            .await?;
        assert_eq!(rows, json!(4), "list_sessions after the fuzz");
        let rss_after = pid.and_then(rss_kib);
        println!(
            "ipc fuzz (real app): {} commands, {calls} calls; app RSS {:?} KiB before, {:?} KiB after",
            driven.len(),
            rss_before,
            rss_after
        );
        if let (Some(a), Some(b)) = (rss_before, rss_after) {
            assert!(b.saturating_sub(a) < 256 * 1024, "RSS grew by {} KiB", b - a);
        }
        let after = file_snapshot(&watched);
        if after != before {
            let changed: Vec<String> = after
                .iter()
                .filter(|f| !before.contains(f))
                .chain(before.iter().filter(|f| !after.contains(f)))
                .map(|(p, _)| p.display().to_string())
                .collect();
            failures.push(format!("files changed under the site's parent folder: {changed:?}"));
        }
        assert!(failures.is_empty(), "{} problems:\n  {}", failures.len(), failures.join("\n  "));
        assert!(driven.len() + DIALOGS.len() >= commands.len(), "not every command was driven: {driven:?}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[test]
fn parameters_are_read_from_the_command_sources() {
    let p = params_of("commands::session::resolve_conflict").expect("params");
    let names: Vec<&str> = p.iter().map(|p| p.js_name.as_str()).collect();
    assert_eq!(names, ["id", "keepMine"], "{p:?}");
    assert!(params_of("commands::site::reload_site")
        .expect("params")
        .is_empty());
    let p = params_of("commands::session::set_speakers").expect("params");
    assert_eq!(p[1].ty, "Vec<Speaker>");
}

/// A command without parameters whose source calls into `dialogs` opens a
/// native dialog on every call; the fuzz must skip it or it waits for a
/// person (this is how `pick_photo_file` once hung the CI run).
#[test]
fn dialog_commands_are_listed() {
    let mut unlisted = Vec::new();
    for path in registered().expect("lib.rs") {
        let params = params_of(&path).expect("params");
        let (name, _, src) = source_of(&path).expect("source");
        let body = src
            .find(&format!("fn {name}("))
            .map(|at| &src[at..])
            .and_then(|rest| balanced(rest, 0, '{', '}').map(|(_, b)| b.to_string()))
            .unwrap_or_default();
        if params.is_empty() && body.contains("dialogs::") && !DIALOGS.contains(&name.as_str()) {
            unlisted.push(name);
        }
    }
    assert!(
        unlisted.is_empty(),
        "commands that open a native dialog, add them to DIALOGS: {unlisted:?}"
    );
}
