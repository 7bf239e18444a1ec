//! IPC argument fuzzing through Tauri's mock runtime (checklist B4, B6):
//! the app's commands, dispatched exactly as the web view's `invoke` is
//! (JSON body, argument deserialisation, the command, the JSON reply), with
//! hostile arguments: wrong types, path-traversal and absolute ids, NUL and
//! control characters, unknown ids, huge strings and lists, deep nesting.
//!
//! Every reply must be a structured error (the app's `{kind, message}`, or
//! Tauri's "invalid args" text for a wrong type) or a normal result; no
//! command may panic; no file outside the site may be read into a reply or
//! be touched; the site's files stay byte-identical (no sequence here saves
//! an edit); and the app keeps answering afterwards.
//!
//! The commands are listed here because the mock runtime needs them
//! compiled into its own handler. `choose_site` (a native dialog) and
//! `reload_site` (writes the app's config dir) take no arguments and are
//! left to the real-app fuzz in `tests/e2e/tests/ipc_fuzz.rs`, which reads
//! the full list from `lib.rs`; commands added later that are missing here
//! are printed by `the_mock_list_covers_the_registered_commands`.
//!
//! `PROPTEST_CASES` sets the number of sequences; `LECTERN_FUZZ_SLOW=1`
//! prints every call that took over 2 s (how the quadratic diff in
//! `merge_line_endings` was found; nothing is asserted about time).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

use crate::state::AppState;

/// The commands driven here, with their argument names and kinds.
const MOCKED: &[(&str, &[(&str, Kind)])] = &[
    ("app_info", &[]),
    ("set_menu_locale", &[("locale", Kind::Text)]),
    ("site_status", &[]),
    ("list_sessions", &[]),
    ("load_session", &[("id", Kind::Id)]),
    (
        "set_field",
        &[
            ("id", Kind::Id),
            ("key", Kind::Text),
            ("value", Kind::OptText),
        ],
    ),
    (
        "type_field",
        &[("id", Kind::Id), ("key", Kind::Text), ("value", Kind::Text)],
    ),
    ("set_body", &[("id", Kind::Id), ("body", Kind::Text)]),
    (
        "set_speakers",
        &[("id", Kind::Id), ("speakers", Kind::Speakers)],
    ),
    ("undo", &[("id", Kind::Id)]),
    ("redo", &[("id", Kind::Id)]),
    ("save_session", &[("id", Kind::Id)]),
    ("save_all", &[]),
    (
        "resolve_conflict",
        &[("id", Kind::Id), ("keepMine", Kind::Bool)],
    ),
    ("disk_state", &[("id", Kind::Id)]),
    ("recovery_offer", &[]),
    ("answer_recovery", &[("restore", Kind::Bool)]),
    ("check_site", &[]),
    // Problems pane fixes and site-wide search (issue 15)
    (
        "fix_finding",
        &[
            ("file", Kind::Id),
            ("code", Kind::Text),
            ("line", Kind::Num),
            ("column", Kind::Num),
        ],
    ),
    ("fix_rule", &[("code", Kind::Text)]),
    ("search_site", &[("query", Kind::Text)]),
];

/// Registered commands deliberately left to the real-app fuzz, with why.
const NOT_MOCKED: &[(&str, &str)] = &[
    (
        "choose_site",
        "opens a native folder dialog; takes no arguments",
    ),
    (
        "reload_site",
        "rewrites last-site.json in the app config dir; takes no arguments",
    ),
];

/// Commands that write to the site: never called after a valid edit.
const WRITERS: &[&str] = &["save_session", "save_all"];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Id,
    Text,
    OptText,
    Bool,
    Speakers,
    /// A line or column number.
    Num,
}

/// A mock app with the site open, and the paths the invariants look at.
struct Fixture {
    _tmp: tempfile::TempDir,
    app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    site: PathBuf,
    outside: PathBuf,
    before: Vec<(PathBuf, Vec<u8>)>,
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// A marker only the file outside the site holds: it must never come back
/// in a reply.
const SECRET: &str = "LECTERN-OUTSIDE-SECRET-7f3a";

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = tmp.path().join("site");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures/site");
        crate::opening::copy_tree_atomically(&fixture, &site).expect("copy fixture");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(
            outside.join("secret.md"),
            format!("---\ntitle: \"{SECRET}\"\n---\n{SECRET}\n"),
        )
        .expect("secret");
        let app = mock_builder()
            .manage(AppState::default())
            .invoke_handler(tauri::generate_handler![
                crate::commands::app::app_info,
                crate::commands::app::set_menu_locale,
                crate::commands::site::site_status,
                crate::commands::session::list_sessions,
                crate::commands::session::load_session,
                crate::commands::session::set_field,
                crate::commands::session::type_field,
                crate::commands::session::set_body,
                crate::commands::session::set_speakers,
                crate::commands::session::undo,
                crate::commands::session::redo,
                crate::commands::session::save_session,
                crate::commands::session::save_all,
                crate::commands::session::resolve_conflict,
                crate::commands::session::disk_state,
                crate::commands::session::recovery_offer,
                crate::commands::session::answer_recovery,
                crate::commands::check::check_site,
                crate::commands::find::fix_finding,
                crate::commands::find::fix_rule,
                crate::commands::find::search_site,
            ])
            .build(mock_context(noop_assets()))
            .expect("mock app");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("webview");
        let ws = lectern::workspace::Workspace::open(&site).expect("open site");
        app.state::<AppState>().set_workspace(ws);
        let before = snapshot(tmp.path());
        Fixture {
            _tmp: tmp,
            app,
            webview,
            site,
            outside,
            before,
        }
    }

    /// Invoke `cmd` with `args` as the web view would.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request)
            .map(|b| b.deserialize::<Value>().unwrap_or(Value::Null))
    }

    /// The invariants after any sequence that saved nothing.
    fn check_untouched(&self) -> Result<(), String> {
        let after = snapshot(self._tmp.path());
        if after != self.before {
            let changed: Vec<String> = after
                .iter()
                .filter(|f| !self.before.contains(f))
                .chain(self.before.iter().filter(|f| !after.contains(f)))
                .map(|(p, _)| p.display().to_string())
                .collect();
            return Err(format!("files changed: {changed:?}"));
        }
        match self.invoke("list_sessions", json!({})) {
            Ok(Value::Array(rows)) if rows.len() == 4 => Ok(()),
            other => Err(format!(
                "the app stopped answering list_sessions properly: {other:?}"
            )),
        }
    }

    fn ids(&self) -> Vec<String> {
        lectern::workspace::Workspace::open(&self.site)
            .map(|ws| ws.sessions().iter().map(|l| l.file.rel.clone()).collect())
            .unwrap_or_default()
    }
}

/// A reply is fine when it is a result, or an error the UI understands.
fn check_reply(cmd: &str, args: &Value, reply: &Result<Value, Value>) -> Result<(), String> {
    let text = match reply {
        Ok(v) => v.to_string(),
        Err(e) => {
            let structured = e.get("kind").and_then(Value::as_str).is_some_and(|k| {
                matches!(
                    k,
                    "io" | "content"
                        | "invalid"
                        | "conflict"
                        | "no_site"
                        | "not_found"
                        | "internal"
                )
            }) && e.get("message").is_some_and(Value::is_string);
            let tauri_args = e.as_str().is_some_and(|s| {
                s.contains(&format!("command {cmd}")) || s.contains("invalid args")
            });
            if !(structured || tauri_args) {
                return Err(format!(
                    "{cmd} {}: unstructured error {}",
                    short(args),
                    short(e)
                ));
            }
            let text = e.to_string();
            if text.len() > 64 * 1024 {
                return Err(format!(
                    "{cmd} {}: a {}-byte error echoes the input back",
                    short(args),
                    text.len()
                ));
            }
            text
        }
    };
    if text.contains(SECRET) {
        return Err(format!(
            "{cmd} {}: a reply carried the content of a file outside the site",
            short(args)
        ));
    }
    Ok(())
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 200 {
        format!(
            "{}… ({} bytes)",
            &s[..s
                .char_indices()
                .take_while(|(i, _)| *i < 200)
                .last()
                .map_or(0, |(i, _)| i)],
            s.len()
        )
    } else {
        s
    }
}

/// Ids that must never name a session (nor anything outside the site).
fn hostile_ids(outside: &Path) -> Vec<String> {
    let secret = outside.join("secret.md");
    vec![
        "../../etc/passwd".into(),
        "/etc/passwd".into(),
        "content/sessions/../../../../../../etc/passwd".into(),
        "../outside/secret.md".into(),
        "content/sessions/../../../outside/secret.md".into(),
        secret.display().to_string(),
        format!("file://{}", secret.display()),
        "content/sessions/db-101.md\0".into(),
        "content/sessions/db-101.md\0.txt".into(),
        "content\\sessions\\db-101.md".into(),
        "CONTENT/SESSIONS/DB-101.MD".into(),
        "content/sessions/./db-101.md".into(),
        "content//sessions/db-101.md".into(),
        "content/sessions/db-101.md.".into(),
        "content/sessions/db-101.md ".into(),
        "content/sessions/db-101.md:stream".into(),
        "~/.ssh/id_rsa".into(),
        "\\\\?\\C:\\Windows\\win.ini".into(),
        "\\\\server\\share\\x.md".into(),
        "content/sessions/db-101\u{0301}.md".into(),
        "content/sessions/\u{202e}dm.101-bd".into(),
        "content/sessions/no-such-1.md".into(),
        String::new(),
        ".".into(),
        "..".into(),
        "/".into(),
        "content/sessions".into(),
        "x".repeat(100_000),
    ]
}

/// Values of the wrong JSON type, or absurd shapes.
fn wrong_types() -> Vec<Value> {
    let mut deep = json!(0);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    vec![
        Value::Null,
        json!(0),
        json!(-1),
        json!(1e308),
        json!(true),
        json!([]),
        json!(["content/sessions/db-101.md"]),
        json!({}),
        json!({"id": "content/sessions/db-101.md"}),
        deep,
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\u{7f}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{feff}]{0,40}",
        Just("---\ntitle: x\n---\n".to_string()),
        Just("\"\\\n: - [ { & * ! | > ' % @ `".to_string()),
        Just("<script>window.__pwned=1</script><img src=x onerror=alert(1)>".to_string()),
        Just("a".repeat(64 * 1024)),
        Just("\u{0}".repeat(1000)),
        Just("\r\n\r\r\n\n".repeat(1000)),
    ]
}

fn value_of(
    kind: Kind,
    valid_ids: bool,
    ids: &[String],
    hostile: &[String],
) -> BoxedStrategy<Value> {
    let wrong = proptest::sample::select(wrong_types());
    match kind {
        Kind::Id if valid_ids => proptest::sample::select(ids.to_vec()).prop_map(Value::String).boxed(),
        Kind::Id => prop_oneof![
            3 => proptest::sample::select(hostile.to_vec()).prop_map(Value::String),
            1 => wrong,
        ]
        .boxed(),
        Kind::Text => prop_oneof![4 => hostile_text().prop_map(Value::String), 1 => wrong].boxed(),
        Kind::OptText => prop_oneof![4 => hostile_text().prop_map(Value::String), 1 => Just(Value::Null), 1 => wrong].boxed(),
        Kind::Bool => prop_oneof![Just(json!(true)), Just(json!(false)), wrong].boxed(),
        Kind::Num => prop_oneof![
            4 => (0u32..40).prop_map(|n| json!(n)),
            1 => Just(json!(u64::MAX)),
            1 => Just(json!(-1)),
            1 => wrong,
        ]
        .boxed(),
        Kind::Speakers => {
            let speaker = (proptest::option::of(hostile_text()), hostile_text(), hostile_text(), hostile_text())
                .prop_map(|(photo, name, headline, bio)| json!({"photo": photo, "name": name, "headline": headline, "bio": bio}));
            prop_oneof![
                4 => proptest::collection::vec(speaker, 0..4).prop_map(Value::Array),
                1 => Just(Value::Array(vec![json!({"name": 1}); 3])),
                1 => Just(Value::Array(vec![json!({"photo": null, "name": "A", "headline": "", "bio": ""}); 2000])),
                1 => wrong,
            ]
            .boxed()
        }
    }
}

/// One call: a command and its arguments, some of them missing or extra.
fn call(
    valid_ids: bool,
    ids: Vec<String>,
    hostile: Vec<String>,
) -> impl Strategy<Value = (String, Value)> {
    let commands: Vec<&'static (&'static str, &'static [(&'static str, Kind)])> = MOCKED
        .iter()
        .filter(|(c, _)| !(valid_ids && WRITERS.contains(c)))
        .collect();
    proptest::sample::select(commands).prop_flat_map(move |&(cmd, params)| {
        let values: Vec<BoxedStrategy<Value>> = params
            .iter()
            .map(|(_, k)| value_of(*k, valid_ids, &ids, &hostile))
            .collect();
        let names: Vec<&'static str> = params.iter().map(|(n, _)| *n).collect();
        (
            values,
            proptest::collection::vec(any::<bool>(), params.len()),
            any::<bool>(),
        )
            .prop_map(move |(vals, omit, extra)| {
                let mut args = BTreeMap::new();
                for ((name, v), omit) in names.iter().zip(vals).zip(omit) {
                    // Now and then an argument is missing.
                    if !(omit && v.is_null()) {
                        args.insert(name.to_string(), v);
                    }
                }
                if extra {
                    args.insert("path".into(), json!("../../etc/passwd"));
                }
                (
                    cmd.to_string(),
                    serde_json::to_value(args).unwrap_or(Value::Null),
                )
            })
    })
}

/// Sequences per property: `PROPTEST_CASES`, else 256 with hostile ids and
/// 64 with valid ones (each valid edit re-renders and re-checks the site,
/// which is slow in a debug build).
fn cases(valid_ids: bool) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if valid_ids { 64 } else { 256 })
}

fn run_sequences(valid_ids: bool) {
    let fx = Fixture::new();
    let ids = fx.ids();
    let hostile = hostile_ids(&fx.outside);
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let oks = std::sync::atomic::AtomicUsize::new(0);
    let config = ProptestConfig {
        cases: cases(valid_ids),
        failure_persistence: None,
        // Shrinking sequences of megabyte values takes hours; a failure
        // prints its sequence anyway.
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    };
    proptest::test_runner::TestRunner::new(config)
        .run(
            &proptest::collection::vec(call(valid_ids, ids, hostile), 1..8),
            |seq| {
                for (cmd, args) in &seq {
                    let t = std::time::Instant::now();
                    let reply = fx.invoke(cmd, args.clone());
                    if std::env::var_os("LECTERN_FUZZ_SLOW").is_some()
                        && t.elapsed() > std::time::Duration::from_secs(2)
                    {
                        eprintln!("SLOW {:?} {cmd} {}", t.elapsed(), short(args));
                    }
                    calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if reply.is_ok() {
                        oks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    check_reply(cmd, args, &reply).map_err(TestCaseError::fail)?;
                }
                fx.check_untouched().map_err(TestCaseError::fail)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "ipc fuzz ({} ids): {} sequences, {} calls ({} answered with a result, the rest with errors), site and outside files unchanged",
        if valid_ids { "valid" } else { "hostile" },
        cases(valid_ids),
        calls.into_inner(),
        oks.into_inner()
    );
    drop(fx.app);
}

#[test]
fn hostile_ids_and_wrong_types_get_structured_errors_and_touch_nothing() {
    run_sequences(false);
}

#[test]
fn hostile_values_on_real_sessions_stay_in_memory_and_the_app_keeps_answering() {
    run_sequences(true);
}

#[test]
fn every_hostile_id_is_refused_by_every_command_that_takes_one() {
    let fx = Fixture::new();
    for (cmd, params) in MOCKED
        .iter()
        .filter(|(_, p)| p.iter().any(|(_, k)| matches!(k, Kind::Id)))
    {
        for id in hostile_ids(&fx.outside) {
            let mut args = serde_json::Map::new();
            for (name, kind) in *params {
                let v = match kind {
                    Kind::Id => json!(id),
                    Kind::Text | Kind::OptText => json!("x"),
                    Kind::Bool => json!(true),
                    Kind::Speakers => json!([]),
                    Kind::Num => json!(1),
                };
                args.insert(name.to_string(), v);
            }
            let args = Value::Object(args);
            let reply = fx.invoke(cmd, args.clone());
            check_reply(cmd, &args, &reply).unwrap_or_else(|e| panic!("{e}"));
            let err = reply.expect_err(&format!("{cmd} accepted the id {}", short(&json!(id))));
            assert!(
                matches!(err["kind"].as_str(), Some("invalid" | "not_found")),
                "{cmd} {}: {err}",
                short(&json!(id))
            );
        }
    }
    fx.check_untouched().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn ten_megabyte_and_nul_arguments_are_handled_without_a_panic() {
    let fx = Fixture::new();
    let id = "content/sessions/db-101.md";
    let big = "x".repeat(10 * 1024 * 1024);
    let nul = format!("before\0after{}", "\0".repeat(100));
    for (cmd, args) in [
        ("load_session", json!({"id": big})),
        ("set_field", json!({"id": id, "key": big, "value": "x"})),
        ("set_field", json!({"id": id, "key": "title", "value": big})),
        ("set_field", json!({"id": id, "key": "title", "value": nul})),
        ("set_field", json!({"id": id, "key": nul, "value": "x"})),
        ("set_body", json!({"id": id, "body": big})),
        ("set_body", json!({"id": id, "body": nul})),
        (
            "set_speakers",
            json!({"id": id, "speakers": [{"photo": big, "name": "A", "headline": nul, "bio": big}]}),
        ),
        ("undo", json!({"id": id})),
        ("undo", json!({"id": id})),
        ("redo", json!({"id": id})),
        ("load_session", json!({"id": id})),
        ("check_site", json!({})),
    ] {
        let reply = fx.invoke(cmd, args.clone());
        check_reply(cmd, &args, &reply).unwrap_or_else(|e| panic!("{e}"));
    }
    // The edits stayed in memory: the file on disk is as it was.
    fx.check_untouched().unwrap_or_else(|e| panic!("{e}"));
}

/// Command names in `lib.rs`'s `generate_handler!` list.
fn registered() -> Vec<String> {
    let src = include_str!("lib.rs");
    let Some(start) = src.find("generate_handler![") else {
        return Vec::new();
    };
    let rest = &src[start + "generate_handler![".len()..];
    let end = rest.find(']').unwrap_or(rest.len());
    rest[..end]
        .lines()
        .map(|l| {
            l.split("//")
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches(',')
        })
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.rsplit("::").next().map(str::to_string))
        .collect()
}

#[test]
fn the_mock_list_covers_the_registered_commands() {
    let registered = registered();
    assert!(
        registered.iter().any(|c| c == "set_field"),
        "could not read lib.rs's command list: {registered:?}"
    );
    for (c, _) in MOCKED {
        assert!(
            registered.iter().any(|r| r == c),
            "{c} is fuzzed here but not registered in lib.rs"
        );
    }
    let missing: Vec<&String> = registered
        .iter()
        .filter(|r| !MOCKED.iter().any(|(c, _)| c == r) && !NOT_MOCKED.iter().any(|(c, _)| c == r))
        .collect();
    if !missing.is_empty() {
        // Not a failure: the real-app fuzz drives every registered command.
        println!("note: registered commands not in the mock-runtime fuzz (add them to MOCKED in src-tauri/src/ipc_fuzz.rs): {missing:?}");
    }
}
