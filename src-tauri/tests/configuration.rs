//! The shell's security configuration, checked from the files themselves
//! (checklist B1, B2 and part of B7): the capabilities grant nothing but the
//! app's own commands that the UI calls (plus event listening), no remote
//! URL can reach the IPC, the CSP keeps script, images and frames to the app
//! and its photo protocol, the global `__TAURI__` object is off, and every
//! iframe in the UI is sandboxed with no tokens.
//!
//! Every list is read from the files (`lib.rs`'s `generate_handler!`,
//! `build.rs`'s `COMMANDS`, the UI's IPC wrappers, `capabilities/*.json`,
//! `tauri.conf.json`), so commands added later are checked without touching
//! this test. The checks return their findings as text, and
//! `a_loosened_configuration_is_caught` feeds them bad input, so a check that
//! silently finds nothing would fail too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Source text without `//` line comments (commas and names in comments
/// must not count as list entries). Good enough for the lists read here,
/// which hold no string containing `//`.
fn strip_line_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text between `open` (searched from `start`) and its matching `close`.
fn balanced(text: &str, start: usize, open: char, close: char) -> Option<(usize, &str)> {
    let from = start + text[start..].find(open)?;
    let mut depth = 0usize;
    for (i, c) in text[from..].char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some((from + i, &text[from + 1..from + i]));
            }
        }
    }
    None
}

/// Command names in every `generate_handler![...]` of `lib.rs` (the last
/// path segment of each entry).
fn registered_commands(lib_rs: &str) -> BTreeSet<String> {
    let text = strip_line_comments(lib_rs);
    let mut out = BTreeSet::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("generate_handler!") {
        let start = at + i;
        let Some((end, inner)) = balanced(&text, start, '[', ']') else {
            break;
        };
        for entry in inner.split(',') {
            let name = entry.trim().rsplit("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string());
            }
        }
        at = end;
    }
    out
}

/// The string literals of `build.rs`'s `COMMANDS` list.
fn built_commands(build_rs: &str) -> BTreeSet<String> {
    let text = strip_line_comments(build_rs);
    let start = text
        .find("const COMMANDS")
        .expect("build.rs has no COMMANDS list");
    let eq = start + text[start..].find('=').expect("COMMANDS has no value");
    let (_, inner) = balanced(&text, eq, '[', ']').expect("COMMANDS is not a list");
    quoted_strings(inner)
}

fn quoted_strings(text: &str) -> BTreeSet<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Command names the UI passes to `invoke(...)` or to its `call(...)`
/// wrapper, with or without a type argument: `call<T>("name", ...)`.
fn commands_called(ts: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for word in ["invoke", "call"] {
        let mut at = 0;
        while let Some(i) = ts[at..].find(word) {
            let start = at + i;
            at = start + word.len();
            let before = ts[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let mut rest = &ts[at..];
            if rest.starts_with('<') {
                let Some((end, _)) = balanced(ts, at, '<', '>') else {
                    continue;
                };
                rest = &ts[end + 1..];
            }
            let Some(args) = rest.strip_prefix('(') else {
                continue;
            };
            let args = args.trim_start();
            for q in ['"', '\''] {
                if let Some(lit) = args.strip_prefix(q) {
                    if let Some(end) = lit.find(q) {
                        out.insert(lit[..end].to_string());
                    }
                }
            }
        }
    }
    out
}

/// The non-test TypeScript files under `dir`, recursively.
fn ts_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "bindings") {
                out.extend(ts_files(&p));
            }
        } else if p.extension().is_some_and(|x| x == "ts")
            && !p.to_string_lossy().ends_with(".test.ts")
        {
            out.push(p);
        }
    }
    out.sort();
    out
}

struct Sources {
    registered: BTreeSet<String>,
    built: BTreeSet<String>,
    called: BTreeSet<String>,
    capabilities: Vec<(String, Value)>,
    conf: Value,
}

fn sources() -> Sources {
    let dir = manifest_dir();
    let ipc_dir = dir.join("../ui/src/ipc");
    let called = ts_files(&ipc_dir)
        .iter()
        .flat_map(|p| commands_called(&read(p)))
        .collect();
    let mut capabilities = Vec::new();
    for e in std::fs::read_dir(dir.join("capabilities"))
        .expect("no capabilities folder")
        .flatten()
    {
        let p = e.path();
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        assert!(
            p.extension().is_some_and(|x| x == "json"),
            "capabilities/{name}: only JSON capabilities are checked here; convert it or extend this test"
        );
        let value =
            serde_json::from_str(&read(&p)).unwrap_or_else(|e| panic!("capabilities/{name}: {e}"));
        capabilities.push((name, value));
    }
    capabilities.sort_by(|a, b| a.0.cmp(&b.0));
    Sources {
        registered: registered_commands(&read(&dir.join("src/lib.rs"))),
        built: built_commands(&read(&dir.join("build.rs"))),
        called,
        capabilities,
        conf: serde_json::from_str(&read(&dir.join("tauri.conf.json")))
            .expect("tauri.conf.json is not JSON"),
    }
}

/// Plugin permissions the main window may hold: listening to the shell's events.
const ALLOWED_PLUGIN_GRANTS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

/// Findings about the capabilities: grants that are not an app command the
/// UI calls, plugin grants, scopes, remote URLs, other windows.
fn capability_findings(s: &Sources) -> Vec<String> {
    let mut out = Vec::new();
    for (name, cap) in &s.capabilities {
        let Some(obj) = cap.as_object() else {
            out.push(format!("{name}: not a JSON object"));
            continue;
        };
        if obj.contains_key("remote") {
            out.push(format!(
                "{name}: has a `remote` block: remote URLs must never reach the IPC"
            ));
        }
        if obj.get("local").is_some_and(|v| v != &Value::Bool(true)) {
            out.push(format!("{name}: `local` is not true"));
        }
        for key in ["windows", "webviews"] {
            for label in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                if label.as_str() != Some("main") {
                    out.push(format!(
                        "{name}: {key} names {label}, only \"main\" is expected"
                    ));
                }
            }
        }
        let permissions = obj
            .get("permissions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for p in permissions {
            let Some(id) = p.as_str() else {
                out.push(format!("{name}: permission {p} is not a plain identifier (scopes are not used by this app)"));
                continue;
            };
            if ALLOWED_PLUGIN_GRANTS.contains(&id) {
                continue;
            }
            if id.contains(':') {
                out.push(format!("{name}: plugin permission {id:?} is granted; only event listen/unlisten are allowed"));
                continue;
            }
            let Some(command) = id.strip_prefix("allow-").map(|c| c.replace('-', "_")) else {
                out.push(format!(
                    "{name}: {id:?} is not an allow-<command> permission"
                ));
                continue;
            };
            if !s.registered.contains(&command) {
                out.push(format!(
                    "{name}: {id:?} grants {command}, which lib.rs does not register"
                ));
            }
            if !s.built.contains(&command) {
                out.push(format!(
                    "{name}: {id:?} grants {command}, which build.rs's COMMANDS does not list"
                ));
            }
            if !s.called.contains(&command) {
                out.push(format!(
                    "{name}: {id:?} grants {command}, which the UI never calls (unused grant)"
                ));
            }
        }
    }
    out
}

fn granted(s: &Sources) -> BTreeSet<String> {
    s.capabilities
        .iter()
        .flat_map(|(_, c)| {
            c.get("permissions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|p| {
            p.as_str()
                .and_then(|id| id.strip_prefix("allow-"))
                .map(|c| c.replace('-', "_"))
        })
        .collect()
}

/// A CSP as directive -> sources, from the string or the object form.
fn parse_csp(v: &Value) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut out = BTreeMap::new();
    match v {
        Value::String(s) => {
            for d in s.split(';') {
                let mut words = d.split_whitespace();
                if let Some(name) = words.next() {
                    out.insert(
                        name.to_ascii_lowercase(),
                        words.map(str::to_string).collect(),
                    );
                }
            }
        }
        Value::Object(m) => {
            for (k, v) in m {
                let sources = match v {
                    Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
                    Value::Array(a) => a
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                    _ => return Err(format!("directive {k} is neither a string nor a list")),
                };
                out.insert(k.to_ascii_lowercase(), sources);
            }
        }
        Value::Null => return Err("is null: no CSP at all".into()),
        _ => return Err("is neither a string nor an object".into()),
    }
    Ok(out)
}

/// The sources in force for `directive`, following CSP fallbacks.
fn effective<'a>(
    csp: &'a BTreeMap<String, Vec<String>>,
    chain: &[&str],
) -> Option<&'a Vec<String>> {
    chain.iter().find_map(|d| csp.get(*d))
}

/// Findings about one CSP (`which` is `csp` or `devCsp`).
fn csp_findings(which: &str, v: Option<&Value>) -> Vec<String> {
    let photo = lectern_desktop::photos::SCHEME;
    let photo_sources = [format!("{photo}:"), format!("http://{photo}.localhost")];
    let mut out = Vec::new();
    let Some(v) = v else {
        return vec![format!("{which}: missing")];
    };
    let csp = match parse_csp(v) {
        Ok(c) => c,
        Err(e) => return vec![format!("{which}: {e}")],
    };
    let bad = |d: &str, s: &str| format!("{which}: {d} allows {s}");
    match csp.get("default-src") {
        Some(d) if d == &["'self'"] => {}
        other => out.push(format!(
            "{which}: default-src is {other:?}, expected exactly 'self'"
        )),
    }
    for (d, sources) in &csp {
        for s in sources {
            let lower = s.to_ascii_lowercase();
            if matches!(
                lower.as_str(),
                "'unsafe-eval'" | "'wasm-unsafe-eval'" | "'unsafe-hashes'" | "*"
            ) {
                out.push(bad(d, s));
            }
        }
    }
    let script_chains: [&[&str]; 3] = [
        &["script-src", "default-src"],
        &["script-src-elem", "script-src", "default-src"],
        &["script-src-attr", "script-src", "default-src"],
    ];
    for chain in script_chains {
        for s in effective(&csp, chain).into_iter().flatten() {
            if s != "'self'" && s != "'none'" && !s.starts_with("'sha") && !s.starts_with("'nonce-")
            {
                out.push(bad(chain[0], s));
            }
        }
    }
    let img_allowed: BTreeSet<String> = ["'self'", "data:"]
        .into_iter()
        .map(str::to_string)
        .chain(photo_sources.iter().cloned())
        .collect();
    for s in effective(&csp, &["img-src", "default-src"])
        .into_iter()
        .flatten()
    {
        if !img_allowed.contains(s) {
            out.push(bad("img-src", s));
        }
    }
    for chain in [
        &["frame-src", "child-src", "default-src"][..],
        &["child-src", "default-src"][..],
    ] {
        for s in effective(&csp, chain).into_iter().flatten() {
            if s != "'self'" && s != "'none'" {
                out.push(bad(chain[0], s));
            }
        }
    }
    for d in ["object-src", "base-uri", "form-action"] {
        if csp.get(d).is_none_or(|s| s != &["'none'"]) {
            out.push(format!("{which}: {d} is {:?}, expected 'none'", csp.get(d)));
        }
    }
    // IPC only; the dev server's websocket (hot reload) only in devCsp.
    let mut connect_ok = vec!["ipc:", "http://ipc.localhost"];
    if which == "devCsp" {
        connect_ok.push("ws://localhost:1420");
    }
    for s in effective(&csp, &["connect-src", "default-src"])
        .into_iter()
        .flatten()
    {
        if !connect_ok.contains(&s.as_str()) && s != "'self'" {
            out.push(bad("connect-src", s));
        }
    }
    // No web host anywhere: photos reach the preview only through the protocol.
    for (d, sources) in &csp {
        for s in sources {
            let l = s.to_ascii_lowercase();
            let web = l.starts_with("http:")
                || l.starts_with("https:")
                || l.starts_with("ws:")
                || l.starts_with("wss:");
            let known = photo_sources.contains(s) || connect_ok.contains(&s.as_str());
            if (web && !known) || l == "blob:" || l == "filesystem:" {
                out.push(bad(d, s));
            }
        }
    }
    out
}

/// Findings about `tauri.conf.json` outside the CSP strings.
fn conf_findings(conf: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let app = &conf["app"];
    if app["withGlobalTauri"] != Value::Bool(false) {
        out.push(format!(
            "app.withGlobalTauri is {}, expected false",
            app["withGlobalTauri"]
        ));
    }
    let sec = &app["security"];
    out.extend(csp_findings("csp", sec.get("csp")));
    out.extend(csp_findings("devCsp", sec.get("devCsp")));
    if sec
        .get("dangerousDisableAssetCspModification")
        .is_some_and(|v| v != &Value::Bool(false))
    {
        out.push("security.dangerousDisableAssetCspModification is set".into());
    }
    if sec["assetProtocol"]["enable"] == Value::Bool(true) {
        out.push(
            "security.assetProtocol is enabled: files would be served outside the photo protocol"
                .into(),
        );
    }
    if sec["freezePrototype"] != Value::Bool(true) {
        out.push("security.freezePrototype is not true".into());
    }
    for c in sec
        .get("capabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !c.is_string() {
            out.push(format!("security.capabilities has an inline capability {c}; keep them in capabilities/*.json"));
        }
    }
    for w in app["windows"].as_array().into_iter().flatten() {
        if w.get("devtools") == Some(&Value::Bool(true)) {
            out.push(format!("window {} turns devtools on", w["label"]));
        }
        if let Some(url) = w.get("url").and_then(Value::as_str) {
            if url.contains("://") {
                out.push(format!(
                    "window {} loads the external URL {url}",
                    w["label"]
                ));
            }
        }
    }
    out
}

/// Findings about iframes in the UI source: each must be created with an
/// empty `sandbox` and nothing may add tokens to it later.
fn iframe_findings(files: &[(String, String)]) -> (usize, Vec<String>) {
    let mut out = Vec::new();
    let mut frames = 0;
    for (name, text) in files {
        for token in [
            "allow-scripts",
            "allow-same-origin",
            "allow-top-navigation",
            "allow-popups",
            "allow-forms",
            "allow-modals",
        ] {
            if text.contains(token) {
                out.push(format!("{name}: mentions the sandbox token {token}"));
            }
        }
        for sink in [
            "createElement(\"iframe\"",
            "createElement('iframe'",
            ".sandbox",
            "setAttribute(\"sandbox\"",
            "removeAttribute(\"sandbox\"",
            "<iframe",
        ] {
            if text.contains(sink) {
                out.push(format!(
                    "{name}: {sink} (create iframes only with h(\"iframe\", {{ sandbox: \"\" }}))"
                ));
            }
        }
        let mut at = 0;
        while let Some(i) = text[at..].find("h(\"iframe\"") {
            let start = at + i;
            frames += 1;
            match balanced(text, start, '(', ')') {
                Some((end, call)) => {
                    let compact: String = call.chars().filter(|c| !c.is_whitespace()).collect();
                    if !(compact.contains("sandbox:\"\"") || compact.contains("sandbox:''")) {
                        out.push(format!(
                            "{name}: an iframe without sandbox: \"\": h({call})"
                        ));
                    }
                    at = end;
                }
                None => {
                    out.push(format!("{name}: unbalanced h(\"iframe\" call"));
                    break;
                }
            }
        }
    }
    (frames, out)
}

fn ui_sources() -> Vec<(String, String)> {
    let dir = manifest_dir().join("../ui");
    let mut files: Vec<(String, String)> = ts_files(&dir.join("src"))
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(&dir).unwrap_or(&p).display().to_string(),
                read(&p),
            )
        })
        .collect();
    files.push(("index.html".into(), read(&dir.join("index.html"))));
    files
}

fn assert_none(what: &str, findings: Vec<String>) {
    assert!(findings.is_empty(), "{what}:\n  {}", findings.join("\n  "));
}

#[test]
fn the_lists_are_read_from_the_files() {
    let s = sources();
    for name in ["load_session", "set_field", "save_session", "check_site"] {
        assert!(
            s.registered.contains(name),
            "lib.rs: {name} not found in {:?}",
            s.registered
        );
        assert!(
            s.built.contains(name),
            "build.rs: {name} not found in {:?}",
            s.built
        );
        assert!(
            s.called.contains(name),
            "ui/src/ipc: {name} not found in {:?}",
            s.called
        );
    }
    assert!(!s.capabilities.is_empty(), "no capability files");
}

#[test]
fn every_granted_permission_is_an_app_command_the_ui_calls_or_event_listening() {
    assert_none("capabilities", capability_findings(&sources()));
}

#[test]
fn every_command_the_ui_calls_is_registered_generated_and_granted() {
    let s = sources();
    let granted = granted(&s);
    let mut findings = Vec::new();
    for c in &s.called {
        if !s.registered.contains(c) {
            findings.push(format!("the UI calls {c}, which lib.rs does not register"));
        }
        if !granted.contains(c) {
            findings.push(format!(
                "the UI calls {c}, which no capability grants (allow-{})",
                c.replace('_', "-")
            ));
        }
    }
    for c in s.registered.symmetric_difference(&s.built) {
        findings.push(format!(
            "{c} is in only one of lib.rs's generate_handler! and build.rs's COMMANDS"
        ));
    }
    assert_none("commands", findings);
}

#[test]
fn only_the_ipc_module_talks_to_tauri() {
    let findings: Vec<String> = ui_sources()
        .into_iter()
        .filter(|(name, _)| !name.starts_with("src/ipc/"))
        .filter(|(_, text)| text.contains("@tauri-apps/api") || text.contains("__TAURI"))
        .map(|(name, _)| format!("{name} imports Tauri directly; go through src/ipc/api.ts"))
        .collect();
    assert_none("UI", findings);
}

#[test]
fn the_csp_and_the_app_config_keep_script_images_and_frames_to_the_app() {
    assert_none("tauri.conf.json", conf_findings(&sources().conf));
}

#[test]
fn release_builds_carry_no_devtools() {
    // The `devtools` feature of tauri turns the inspector on in release
    // builds; a window's `devtools: true` is checked in the config test.
    let manifest = read(&manifest_dir().join("Cargo.toml"));
    let findings: Vec<String> = manifest
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter(|l| l.contains("\"devtools\""))
        .map(|l| format!("src-tauri/Cargo.toml: {}", l.trim()))
        .collect();
    assert_none("devtools", findings);
}

#[test]
fn every_iframe_in_the_ui_has_an_empty_sandbox() {
    let (frames, findings) = iframe_findings(&ui_sources());
    assert!(
        frames >= 1,
        "no h(\"iframe\", ...) found in ui/src: where did the preview go?"
    );
    assert_none("UI iframes", findings);
}

#[test]
fn a_loosened_configuration_is_caught() {
    // Capabilities: a remote block, a plugin grant, a grant the UI does not use.
    let mut s = sources();
    s.registered.insert("secret_debug".into());
    s.built.insert("secret_debug".into());
    s.capabilities = vec![(
        "bad.json".into(),
        serde_json::json!({
            "identifier": "bad", "windows": ["main", "preview"],
            "remote": {"urls": ["https://*"]},
            "permissions": ["core:default", "fs:allow-read-text-file", "allow-secret-debug", "allow-not-registered",
                            {"identifier": "allow-load-session", "allow": [{"path": "/**"}]}]
        }),
    )];
    let f = capability_findings(&s).join("\n");
    for expect in [
        "remote",
        "\"preview\"",
        "core:default",
        "fs:allow-read-text-file",
        "never calls",
        "does not register",
        "not a plain identifier",
    ] {
        assert!(f.contains(expect), "{expect} not caught in:\n{f}");
    }
    // CSP and config.
    let mut conf = sources().conf;
    conf["app"]["withGlobalTauri"] = Value::Bool(true);
    conf["app"]["security"]["csp"] = Value::String(
        "default-src 'self' https:; script-src 'self' 'unsafe-inline' 'unsafe-eval'; img-src * https://photos.example.org; \
         frame-src 'self' https://youtube.com; connect-src ipc: http://ipc.localhost https://api.example.org"
            .into(),
    );
    conf["app"]["security"]["devCsp"] = Value::Null;
    conf["app"]["security"]["assetProtocol"] = serde_json::json!({"enable": true, "scope": ["**"]});
    let f = conf_findings(&conf).join("\n");
    for expect in [
        "withGlobalTauri",
        "default-src is",
        "'unsafe-eval'",
        "script-src allows 'unsafe-inline'",
        "img-src allows *",
        "https://photos.example.org",
        "frame-src allows https://youtube.com",
        "object-src",
        "connect-src allows https://api.example.org",
        "devCsp: is null",
        "assetProtocol",
    ] {
        assert!(f.contains(expect), "{expect} not caught in:\n{f}");
    }
    // The object form of a CSP is understood too.
    let f = csp_findings("csp", Some(&serde_json::json!({"default-src": "'self'", "script-src": ["'self'", "'unsafe-inline'"]}))).join("\n");
    assert!(f.contains("script-src allows 'unsafe-inline'"), "{f}");
    // Iframes.
    let (n, f) = iframe_findings(&[
        ("a.ts".into(), "h(\"iframe\", { title: \"x\" })".into()),
        (
            "b.ts".into(),
            "h(\"iframe\", { sandbox: \"allow-scripts\" })".into(),
        ),
        (
            "c.ts".into(),
            "const f = document.createElement('iframe'); f.sandbox.add('x')".into(),
        ),
    ]);
    assert_eq!(n, 2);
    let f = f.join("\n");
    for expect in [
        "a.ts: an iframe without sandbox",
        "b.ts: mentions the sandbox token allow-scripts",
        "c.ts: createElement('iframe'",
        "c.ts: .sandbox",
    ] {
        assert!(f.contains(expect), "{expect} not caught in:\n{f}");
    }
    // The UI's call patterns.
    let called = commands_called("call<A | null>(\"one\"); invoke<B<C>>('two', {}); x.call(\"no\"); recall(\"no\"); call(`no`)");
    assert_eq!(
        called,
        BTreeSet::from(["one".to_string(), "two".to_string()])
    );
}
