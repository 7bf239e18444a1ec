//! The bad-input corpus: hostile and broken session files (checklist E1–E8,
//! B5, C3). Small files are committed under `tests/fixtures/hostile/`; big,
//! binary, UTF-16 ones, symbolic links, pipes and odd file names are made at
//! test time. Every file must get a diagnostic that names it (and a line for
//! content problems), the good files must still be checked, `lectern check`
//! must stay within a memory bound, and nothing may be written.

use crate::support::{changed_lines, repo_root};
use lectern::document::Document;
use lectern::render::{assert_no_active_content, render_document, RenderOptions};
use lectern::site::Site;
use lectern::validate::check_site;
use lectern::Code;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One hostile file and the diagnostic it must produce. `line` 0 means a
/// finding about the file as a whole (a link, a pipe, a name).
struct Case {
    file: &'static str,
    what: &'static str,
    code: &'static str,
    line: usize,
}

const fn case(file: &'static str, what: &'static str, code: &'static str, line: usize) -> Case {
    Case {
        file,
        what,
        code,
        line,
    }
}

/// Committed fixtures (`tests/fixtures/hostile/db-2xx.md`).
const COMMITTED: &[Case] = &[
    case(
        "db-201.md",
        "invalid YAML: unterminated quote",
        "yaml-syntax",
        2,
    ),
    case("db-202.md", "no closing ---", "unclosed-front-matter", 1),
    case("db-203.md", "tab indentation", "yaml-syntax", 4),
    case("db-204.md", "Latin-1 byte (not UTF-8)", "unreadable", 2),
    case("db-205.md", "two BOMs", "no-front-matter", 1),
    case(
        "db-206.md",
        "classic Mac CR line endings",
        "no-front-matter",
        1,
    ),
    case("db-207.md", "empty file", "unreadable", 1),
    case("db-208.md", "only a BOM", "no-front-matter", 1),
    case(
        "db-209.md",
        "only an opening fence",
        "unclosed-front-matter",
        1,
    ),
    case("db-210.md", "front matter is a list", "yaml-syntax", 2),
    case("db-211.md", "front matter is a scalar", "yaml-syntax", 2),
    // TOML front matter is read since issue 12: it is checked like any session.
    case("db-212.md", "TOML front matter", "missing-field", 3),
    case("db-213.md", "no front matter", "no-front-matter", 1),
    // Located at the NUL itself (line 2), not at 1:1.
    case("db-214.md", "NUL byte", "unreadable", 2),
    case(
        "db-215.md",
        "`...` then a second document",
        "yaml-syntax",
        3,
    ),
    case("db-216.md", "duplicate key", "yaml-syntax", 8),
    case("db-217.md", "integer key", "yaml-syntax", 3),
    case("db-218.md", "boolean key", "yaml-syntax", 3),
    case("db-219.md", "complex (sequence) key", "yaml-syntax", 3),
    case("db-220.md", "null key", "yaml-syntax", 3),
    case("db-221.md", "billion laughs alias bomb", "yaml-syntax", 4),
    case("db-222.md", "300 nested [", "yaml-syntax", 3),
    case("db-223.md", "400 nested block mappings", "yaml-syntax", 131),
    case("db-224.md", "300 nested {", "yaml-syntax", 3),
    case(
        "db-225.md",
        "python/object and binary tags",
        "field-type",
        2,
    ),
    case(
        "db-226.md",
        "ANSI and OSC 8 escapes in values",
        "unknown-room",
        7,
    ),
    case(
        "db-227.md",
        "mapping and list where strings belong",
        "field-type",
        2,
    ),
    case("db-228.md", "repeated merge keys", "yaml-syntax", 5),
    case("db-229.md", "same key quoted two ways", "yaml-syntax", 3),
    case("db-230.md", "%YAML directive inside", "yaml-syntax", 3),
    case("db-231.md", "indented root mapping", "yaml-syntax", 1),
    case("db-232.md", "unknown alias", "yaml-syntax", 2),
    case("db-233.md", "text after a closing quote", "yaml-syntax", 2),
    case(
        "db-234.md",
        "zero-width space inside a key",
        "missing-field",
        4,
    ),
    case(
        "db-235.md",
        "front matter with only a comment",
        "missing-field",
        4,
    ),
    case("db-236.md", "unclosed flow sequence", "yaml-syntax", 3),
];

/// Made by [`build_site`].
const GENERATED: &[Case] = &[
    case("db-300.md", "50 MB file", "unreadable", 1),
    case(
        "db-301.md",
        "10,000-line front matter (127 KiB)",
        "missing-field",
        10_003,
    ),
    case(
        "db-302.md",
        "10,000-line front matter over the size limit",
        "yaml-syntax",
        2,
    ),
    case("db-303.md", "PNG named .md", "unreadable", 1),
    case("db-304.md", "UTF-16LE with BOM", "unreadable", 1),
    case("db-305.md", "UTF-16BE with BOM", "unreadable", 1),
    case("db-306.md", "UTF-16LE without BOM", "unreadable", 1),
    case("db-307.md", "10,000 nested [", "yaml-syntax", 2),
    case("db-308.md", "10,000 nested {", "yaml-syntax", 2),
    case("db-309.md", "random bytes", "unreadable", 1),
    case("db-310.md", "symlink to itself", "skipped-file", 0),
    case("db-311.md", "symlink loop (a)", "skipped-file", 0),
    case("db-312.md", "symlink loop (b)", "skipped-file", 0),
    case(
        "db-313.md",
        "symlink to a file outside the site",
        "skipped-file",
        0,
    ),
    case("db-314.md", "dangling symlink", "skipped-file", 0),
    case("db-315.md", "named pipe", "unreadable", 0),
    case("db-316.md", "a folder named .md", "unreadable", 0),
    case(
        "db-320\u{202e}dm.exe.md",
        "RTL override in the name",
        "empty-field",
        2,
    ),
    case("cafe\u{301}-321.md", "NFD name", "empty-field", 2),
    case("db-\u{1f3a4}.md", "emoji name", "empty-field", 2),
    case(
        "db-323\u{1b}[2J.md",
        "escape sequence in the name",
        "empty-field",
        2,
    ),
];

/// Byte names that are not UTF-8 cannot be written as `&str`.
const NON_UTF8_NAME: &[u8] = b"db-330\xff\xfe.md";

/// Tricky but valid: they load, round-trip and stay editable.
const VALID: &[&str] = &["db-240.md", "db-241.md", "db-340.md"];

const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-SITE";

/// A temp site: the `mini` fixture, every committed hostile file and the
/// generated ones. Returns (guard, site root, the file outside the site).
pub fn build_site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_dir(&repo_root().join("tests/fixtures/mini"), &root);
    let sessions = root.join("content/sessions");
    for e in std::fs::read_dir(repo_root().join("tests/fixtures/hostile"))
        .expect("fixtures")
        .flatten()
    {
        std::fs::copy(e.path(), sessions.join(e.file_name())).expect("copy fixture");
    }
    let outside = tmp.path().join("outside-secret.md");
    std::fs::write(
        &outside,
        format!("---\ntitle: \"{SECRET}\"\n---\n{SECRET}\n"),
    )
    .expect("write");
    let w = |name: &str, bytes: &[u8]| std::fs::write(sessions.join(name), bytes).expect("write");

    // 50 MB: good front matter, then a huge body.
    {
        use std::io::Write;
        let mut f = std::fs::File::create(sessions.join("db-300.md")).expect("create");
        f.write_all(b"---\ntitle: \"Huge\"\ndate: \"2030-05-02T10:00:00\"\ntrack: \"db\"\npresenters: \"Zed\"\nstype: \"English Session\"\nroom: \"Side Room\"\n---\n").expect("write");
        let line =
            "lorem ipsum <img src=x onerror=alert(1)> ### Speakers: **bold** [a](b)\n".repeat(1000);
        while f.metadata().expect("meta").len() < 50 * 1024 * 1024 {
            f.write_all(line.as_bytes()).expect("write");
        }
    }
    let mut long = String::from("---\ntitle: \"Long front matter\"\n");
    for i in 0..10_000 {
        long.push_str(&format!("k{i}: v{i}\n"));
    }
    long.push_str("---\nBody.\n");
    w("db-301.md", long.as_bytes());
    let mut longer = String::from("---\n");
    for i in 0..10_000 {
        longer.push_str(&format!("key_number_{i:05}: \"a value of some length\"\n"));
    }
    longer.push_str("---\nBody.\n");
    w("db-302.md", longer.as_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00".to_vec();
    png.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    w("db-303.md", &png);
    let text = "---\ntitle: \"UTF-16\"\n---\nBody.\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    w("db-304.md", &[&[0xFF, 0xFE][..], &le].concat());
    w("db-305.md", &[&[0xFE, 0xFF][..], &be].concat());
    w("db-306.md", &le);
    w(
        "db-307.md",
        format!("---\nroom: {}\n---\n", "[".repeat(10_000)).as_bytes(),
    );
    w(
        "db-308.md",
        format!("---\nroom: {}\n---\n", "{a: ".repeat(10_000)).as_bytes(),
    );
    let noise: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_246_822_519).rotate_left(7) >> 5) as u8)
        .collect();
    w("db-309.md", &noise);
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink("db-310.md", sessions.join("db-310.md")).expect("symlink");
        symlink("db-312.md", sessions.join("db-311.md")).expect("symlink");
        symlink("db-311.md", sessions.join("db-312.md")).expect("symlink");
        symlink(&outside, sessions.join("db-313.md")).expect("symlink");
        symlink("no-such-file.md", sessions.join("db-314.md")).expect("symlink");
        let fifo = std::ffi::CString::new(
            sessions
                .join("db-315.md")
                .into_os_string()
                .into_encoded_bytes(),
        )
        .expect("path");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
        use std::os::unix::ffi::OsStrExt;
        std::fs::write(
            sessions.join(std::ffi::OsStr::from_bytes(NON_UTF8_NAME)),
            b"---\ntitle: x\n---\n",
        )
        .expect("write");
    }
    std::fs::create_dir(sessions.join("db-316.md")).expect("mkdir");
    for c in GENERATED.iter().filter(|c| c.code == "empty-field") {
        w(c.file, b"---\ntitle: \"\"\ndate: \"2030-05-02T15:00:00\"\ntrack: \"db\"\npresenters: \"Nobody\"\nstype: \"English Session\"\nroom: \"Side Room\"\n---\nBody.\n");
    }
    // Valid: `---` and `...` in the body, a thematic break, no final newline.
    w("db-340.md", b"---\ntitle: \"Fences in the body\"\ndate: \"2030-05-02T16:00:00\"\ntrack: \"db\"\npresenters: \"Kim Lee\"\nstype: \"English Session\"\nroom: \"Side Room\"\n---\nAbove\n\n---\n\n...\n---\nbelow");
    (tmp, root, outside)
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir").flatten() {
        let (p, t) = (e.path(), dst.join(e.file_name()));
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// What every entry under `dir` is, without following links or opening
/// pipes: file contents by hash, link targets, other kinds by name.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).expect("lstat");
            let what = if m.file_type().is_symlink() {
                format!(
                    "link -> {}",
                    std::fs::read_link(&p).expect("readlink").display()
                )
            } else if m.is_dir() {
                stack.push(p.clone());
                "dir".to_string()
            } else if m.is_file() {
                let bytes = std::fs::read(&p).expect("read");
                format!(
                    "file {} {}",
                    bytes.len(),
                    lectern::fs::hex(&lectern::fs::content_hash(&bytes))
                )
            } else {
                "special".to_string()
            };
            out.insert(p, what);
        }
    }
    out
}

fn all_cases() -> impl Iterator<Item = &'static Case> {
    COMMITTED.iter().chain(GENERATED)
}

#[test]
fn the_corpus_has_at_least_thirty_hostile_files() {
    let n = COMMITTED.len() + GENERATED.len() + 1;
    assert!(n >= 30, "only {n} hostile files");
    let committed = std::fs::read_dir(repo_root().join("tests/fixtures/hostile"))
        .expect("dir")
        .count();
    assert_eq!(
        committed,
        COMMITTED.len() + 2,
        "every committed fixture needs a row in COMMITTED (or VALID)"
    );
}

#[test]
fn every_hostile_file_gets_a_located_diagnostic_and_good_files_are_still_checked() {
    let (_tmp, root, outside) = build_site();
    let before = snapshot(&root);
    let outside_before = std::fs::read(&outside).expect("read");
    let site = Site::discover(&root).expect("site");
    let report = check_site(&site);
    let mut missing = Vec::new();
    for c in all_cases() {
        let rel = format!("content/sessions/{}", c.file);
        let found = report
            .diagnostics
            .iter()
            .any(|d| d.file == Path::new(&rel) && d.code == c.code && d.line == c.line);
        if !found {
            let got: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.file == Path::new(&rel))
                .map(|d| format!("{}:{}:{} {}", d.line, d.column, d.code, d.message))
                .collect();
            missing.push(format!(
                "{} ({}): wanted {} at line {}, got {:?}",
                c.file, c.what, c.code, c.line, got
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "hostile files without the expected diagnostic:\n{}",
        missing.join("\n")
    );
    #[cfg(unix)]
    {
        let non_utf8 = String::from_utf8_lossy(NON_UTF8_NAME);
        assert!(report.diagnostics.iter().any(|d| d.code == "skipped-file" && d.file.to_string_lossy().ends_with(&*non_utf8)), "non-UTF-8 name not reported");
    }
    // Content problems carry a line; only file-level findings may have none.
    for d in &report.diagnostics {
        if matches!(
            d.code,
            Code::YamlSyntax
                | Code::UnclosedFrontMatter
                | Code::NoFrontMatter
                | Code::MissingField
                | Code::FieldType
        ) {
            assert!(d.line >= 1, "{d:?} has no line");
        }
        assert!(!d.message.is_empty());
        assert!(
            !d.message.contains(SECRET),
            "a diagnostic leaks the outside file: {d:?}"
        );
    }
    // The good files of the mini site are still checked, with their usual findings.
    assert!(
        report.diagnostics.iter().any(
            |d| d.file == Path::new("content/sessions/web-102.md") && d.code == "invalid-value"
        ),
        "web-102.md was not checked"
    );
    for good in ["db-101.md", "db-101.zh.md", "web-102.md", "web-102.zh.md"] {
        assert!(!report
            .diagnostics
            .iter()
            .any(|d| d.file == Path::new(&format!("content/sessions/{good}"))
                && d.code == "unreadable"));
    }
    // The valid tricky files load without a front-matter problem.
    for v in VALID {
        let rel = format!("content/sessions/{v}");
        let bad: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| {
                d.file == Path::new(&rel)
                    && matches!(
                        d.code,
                        Code::Unreadable
                            | Code::YamlSyntax
                            | Code::NoFrontMatter
                            | Code::UnclosedFrontMatter
                    )
            })
            .collect();
        assert!(bad.is_empty(), "{v}: {bad:?}");
    }
    // A stray `x.exe.md` must not invent an "exe" language for the whole site.
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("exe twin")),
        "a file suffix became a language"
    );
    assert_eq!(snapshot(&root), before, "checking wrote to the site");
    assert_eq!(std::fs::read(&outside).expect("read"), outside_before);
    assert!(
        !Path::new("/tmp/lectern-pwned").exists(),
        "a YAML tag ran a command"
    );
}

/// Run a command to completion and return (exit code, stdout, stderr, peak
/// RSS in KiB). A child still running after `hang_guard` is killed, which
/// fails the caller: it hung.
///
/// The peak is `VmHWM` from `/proc/<pid>/status`, polled every 2 ms until
/// the child exits (growth in its last 2 ms would be missed). `wait4`'s
/// `ru_maxrss` cannot be used: Linux carries the spawning process's
/// high-water mark across `exec`, so it reports this test binary's peak.
#[cfg(target_os = "linux")]
pub fn run_measured(
    cmd: &mut Command,
    hang_guard: std::time::Duration,
) -> (i32, Vec<u8>, Vec<u8>, u64) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let guard = {
        let (done, killed) = (done.clone(), killed.clone());
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let status = format!("/proc/{pid}/status");
            let mut peak_kib = 0u64;
            while !done.load(Ordering::SeqCst) {
                if let Some(hwm) = std::fs::read_to_string(&status).ok().and_then(|s| {
                    s.lines().find_map(|l| {
                        l.strip_prefix("VmHWM:").and_then(|v| {
                            v.trim().trim_end_matches("kB").trim().parse::<u64>().ok()
                        })
                    })
                }) {
                    peak_kib = peak_kib.max(hwm);
                }
                if start.elapsed() > hang_guard {
                    killed.store(true, Ordering::SeqCst);
                    // SAFETY: the child is not reaped yet (waitid below uses
                    // WNOWAIT), so the pid still names it.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            peak_kib
        })
    };
    // Wait for the exit without reaping, so the guard can never hit a reused pid.
    loop {
        // SAFETY: zeroed siginfo_t is a valid out-parameter.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointer; P_PID with our child's pid.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break;
        }
    }
    done.store(true, Ordering::SeqCst);
    let peak_kib = guard.join().expect("guard thread");
    let mut status = 0;
    // SAFETY: reaps our own exited child.
    let r = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(r, pid, "waitpid: {}", std::io::Error::last_os_error());
    assert!(
        !killed.load(Ordering::SeqCst),
        "the child did not finish within {hang_guard:?}: it hangs"
    );
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    drop(child);
    (
        code,
        out_t.join().expect("stdout thread"),
        err_t.join().expect("stderr thread"),
        peak_kib,
    )
}

#[cfg(target_os = "linux")]
#[test]
fn lectern_check_on_the_hostile_site_stays_within_memory_and_writes_nothing() {
    let (_tmp, root, outside) = build_site();
    let before = snapshot(&root);
    let outside_before = std::fs::read(&outside).expect("read");
    let start = std::time::Instant::now();
    let (code, stdout, stderr, rss_kib) = run_measured(
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .arg("check")
            .arg(&root)
            .arg("--format")
            .arg("json"),
        std::time::Duration::from_secs(600),
    );
    let stderr = String::from_utf8_lossy(&stderr);
    println!("lectern check on the hostile site: exit {code}, peak RSS {} MiB, {:.2} s wall (not asserted)", rss_kib / 1024, start.elapsed().as_secs_f64());
    assert_eq!(code, 1, "errors found means exit 1; stderr: {stderr}");
    assert!(rss_kib > 0, "no RSS reading");
    assert!(
        rss_kib < 512 * 1024,
        "peak RSS {} MiB is over the 512 MiB bound",
        rss_kib / 1024
    );
    let diags: Vec<serde_json::Value> = serde_json::from_slice(&stdout).expect("JSON diagnostics");
    for c in all_cases() {
        let rel = format!("content/sessions/{}", c.file);
        assert!(
            diags
                .iter()
                .any(|d| d["file"] == rel.as_str() && d["code"] == c.code && d["line"] == c.line),
            "{} ({}): no {} at line {} in the CLI output",
            c.file,
            c.what,
            c.code,
            c.line
        );
    }
    assert!(
        !String::from_utf8_lossy(&stdout).contains(SECRET),
        "the outside file was read"
    );
    assert_eq!(snapshot(&root), before, "lectern check wrote to the site");
    assert_eq!(std::fs::read(&outside).expect("read"), outside_before);

    // The human format escapes control and bidi characters from file names.
    let (_, human, _, _) = run_measured(
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .arg("check")
            .arg(&root),
        std::time::Duration::from_secs(600),
    );
    let human = String::from_utf8_lossy(&human);
    assert!(
        !human.contains('\u{1b}'),
        "an escape sequence reached the terminal"
    );
    assert!(
        !human.contains('\u{202e}'),
        "a bidi override reached the terminal"
    );
    assert!(
        human.contains("db-323\\u{1b}[2J.md"),
        "escaped name missing"
    );
}

#[test]
fn yaml_1_1_values_keep_their_lines_when_another_key_changes() {
    let path = repo_root().join("tests/fixtures/hostile/db-241.md");
    let d = Document::load(&path).expect("load");
    assert!(d.problem().is_none(), "{:?}", d.problem());
    for (key, value) in [
        ("title", "A new title"),
        ("room", "Side Room"),
        ("speechLink", "https://video.example/1"),
    ] {
        let e = d.set(key, value).expect("set");
        assert_eq!(e.get(key).as_deref(), Some(value));
        let (del, ins) = changed_lines(d.text(), e.text());
        assert!(
            del.len() <= 1 && ins.len() == 1,
            "{key}: {del:?} -> {ins:?}"
        );
        if let Some(old) = del.first() {
            assert!(
                old.starts_with(&format!("{key}:")),
                "{key} changed another line: {old:?}"
            );
        }
        // Every line of the original except the edited one is still there, byte for byte.
        let kept: Vec<&str> = e.text().split_inclusive('\n').collect();
        for line in d.text().split_inclusive('\n') {
            if !line.starts_with(&format!("{key}:")) {
                assert!(kept.contains(&line), "{key}: line {line:?} changed");
            }
        }
        assert_eq!(e.body(), d.body());
    }
}

#[test]
fn front_matter_edits_keep_bom_crlf_mix_and_body_bytes() {
    let d = Document::load(repo_root().join("tests/fixtures/hostile/db-240.md")).expect("load");
    let e = d.set("title", "Edited").expect("set");
    assert!(e.text().starts_with('\u{feff}'));
    assert_eq!(e.body(), d.body());
    assert!(e.text().contains("title: \"Edited\"\r\n"), "{:?}", e.text());
    let (del, ins) = changed_lines(d.text(), e.text());
    assert_eq!((del.len(), ins.len()), (1, 1));
    let (_tmp, root, _) = build_site();
    let d = Document::load(root.join("content/sessions/db-340.md")).expect("load");
    let e = d.set("room", "Main Hall").expect("set");
    assert_eq!(e.body(), "Above\n\n---\n\n...\n---\nbelow");
    assert_eq!(e.body(), d.body());
}

#[test]
fn every_loadable_hostile_file_round_trips_edits_safely_and_renders_inertly() {
    let (_tmp, root, _) = build_site();
    let site = Site::discover(&root).expect("site");
    let mut loaded = 0;
    for f in site.session_files() {
        let Ok(d) = Document::load(&f.path) else {
            continue;
        };
        loaded += 1;
        let disk = std::fs::read(&f.path).expect("read");
        assert_eq!(d.bytes(), &disk[..], "{}: load is not lossless", f.rel);
        match d.set("title", "Safe title") {
            Ok(e) => {
                assert_eq!(e.get("title").as_deref(), Some("Safe title"));
                assert_eq!(e.body(), d.body(), "{}", f.rel);
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
        let html = render_document(Some(&site), &d, &RenderOptions::new(|_| None, true)).html;
        assert_no_active_content(&html).unwrap_or_else(|e| panic!("{}: {e}", f.rel));
    }
    assert!(loaded >= 30, "only {loaded} files loaded");
}

#[test]
fn deep_nesting_neither_overflows_a_2_mib_stack_in_parsing_nor_in_rendering() {
    let run = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            for open in ["[", "{a: ", "- "] {
                let text = format!(
                    "---\nroom: {}\n---\n{}\n",
                    open.repeat(10_000),
                    "> ".repeat(10_000)
                );
                let d = Document::from_text("s/db-1.md", text);
                let p = d.problem().expect("a problem");
                assert_eq!(p.code, "yaml-syntax", "{open}: {p:?}");
                assert!(d.set("title", "x").is_err());
            }
            let bodies = [
                "> ".repeat(10_000),
                "<div>".repeat(10_000),
                "- ".repeat(10_000),
                "*".repeat(10_000) + "a" + &"*".repeat(10_000),
                "[".repeat(10_000) + "a" + &"](b)".repeat(10_000),
                "<b><i>".repeat(5_000) + "x",
                "1. ".repeat(10_000),
            ];
            for body in bodies {
                let d = Document::from_text(
                    "s/db-1.md",
                    format!("---\ntitle: \"Deep\"\n---\n{body}\n"),
                );
                let html = render_document(None, &d, &RenderOptions::default()).html;
                assert_no_active_content(&html).expect("inert");
            }
        });
    run.expect("spawn")
        .join()
        .expect("no stack overflow or panic on a 2 MiB stack");
}

/// Values Lectern writes, read back by serde_yaml (via `Document::get`) and
/// by PyYAML (YAML 1.1) when python3 with the yaml module is installed.
const WRITTEN_VALUES: &[&str] = &[
    "no",
    "yes",
    "on",
    "off",
    "y",
    "n",
    "NO",
    "True",
    "1.10",
    "0755",
    "083",
    "1e3",
    ".inf",
    "0x1F",
    "1:10",
    "03:30",
    "2026-06-29",
    "2026-06-29 10:00:00",
    "null",
    "~",
    "Null",
    "",
    " ",
    "#x",
    "a #b",
    "a: b",
    "a:b",
    "- x",
    "? q",
    "[x]",
    "{y: 1}",
    "*star",
    "&amp",
    "!tag",
    "%pct",
    "@at",
    "`tick",
    "|pipe",
    ">gt",
    "=",
    "<<",
    "'single'",
    "\"double\"",
    "it's",
    "back\\slash",
    "\\n literal",
    " leading",
    "trailing ",
    "  both  ",
    "multi\nline",
    "crlf\r\nline",
    "trailing newline\n",
    "tab\there",
    "bell\u{7}",
    "del\u{7f}",
    "nel\u{85}x",
    "ls\u{2028}ps\u{2029}",
    "nbsp\u{a0}x",
    "bom\u{feff}x",
    "中文：标题",
    "Ünïcödé ✓",
    "emoji 🎤",
    "rtl \u{202e}x",
    "zero\u{200b}width",
    "---",
    "...",
    "- - -",
    "#",
    ":",
    "a,b",
    "[",
    "]",
    "{",
    "}",
];

fn pyyaml_available() -> bool {
    Command::new("python3")
        .args(["-c", "import yaml"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn values_lectern_writes_read_back_the_same_in_serde_yaml_and_pyyaml() {
    let bases = [
        "---\ntitle: Plain title\nroom: Main Hall\n---\nBody.\n",
        "---\ntitle: 'Single'\nroom: 'Main Hall'\n---\nBody.\n",
        "---\r\ntitle: \"Double\"\r\nroom: \"Main Hall\"\r\n---\r\nBody.\r\n",
        "\u{feff}---\ntitle: |\n  block\n---\nBody.\n",
    ];
    let mut written: Vec<(String, String, String)> = Vec::new(); // (value, yaml text, case)
    for v in WRITTEN_VALUES {
        for (bi, base) in bases.iter().enumerate() {
            let d = Document::from_text("s/db-1.md", base.to_string());
            for key in ["title", "newkey"] {
                let e = d
                    .set(key, v)
                    .unwrap_or_else(|err| panic!("set {key}={v:?} on base {bi}: {err}"));
                assert_eq!(
                    e.get(key).as_deref(),
                    Some(*v),
                    "serde_yaml reads {key}={v:?} back differently (base {bi})"
                );
                let reloaded =
                    Document::from_bytes("s/db-1.md", e.bytes().to_vec()).expect("reload");
                assert_eq!(reloaded.get(key).as_deref(), Some(*v));
                let yaml = reloaded
                    .front_matter_text()
                    .expect("front matter")
                    .to_string();
                written.push((v.to_string(), yaml, format!("{key} on base {bi}")));
            }
        }
    }
    if !pyyaml_available() {
        println!("NOTE: python3 with PyYAML is missing; the YAML 1.1 read-back was skipped (apt-get install python3-yaml)");
        return;
    }
    let script = r#"
import json, sys, yaml
out = []
for item in json.load(sys.stdin):
    try:
        m = yaml.safe_load(item["yaml"])
        key = item["key"]
        v = m.get(key) if isinstance(m, dict) else None
        out.append({"type": type(v).__name__, "value": v if isinstance(v, str) else repr(v)})
    except Exception as e:
        out.append({"type": "error", "value": str(e)})
json.dump(out, sys.stdout)
"#;
    let input: Vec<serde_json::Value> = written
        .iter()
        .map(|(_, yaml, case)| serde_json::json!({"yaml": yaml, "key": if case.starts_with("title") { "title" } else { "newkey" }}))
        .collect();
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(serde_json::to_string(&input).expect("json").as_bytes())
            .expect("write");
    }
    let out = child.wait_with_output().expect("python3 output");
    assert!(out.status.success(), "python3 failed");
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("python JSON");
    assert_eq!(results.len(), written.len());
    let mut bad = Vec::new();
    for ((v, yaml, case), r) in written.iter().zip(&results) {
        if r["type"] != "str" || r["value"] != v.as_str() {
            bad.push(format!("{v:?} ({case}): PyYAML read {r} from {yaml:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} values read back differently under YAML 1.1:\n{}",
        bad.len(),
        written.len(),
        bad.join("\n")
    );
    println!(
        "{} written values read back identically by serde_yaml and PyYAML",
        written.len()
    );
}
