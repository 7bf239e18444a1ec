//! The site boundary (issue 14): a site folder from a stranger's pull request
//! must not make Lectern run code, write outside the site or into `.git`,
//! crash or hang. One test (or more) per numbered finding, each on a temp
//! copy of a fixture site with real symbolic links, FIFOs, hard links and
//! git repositories. Every CLI run gets its own journal key
//! (`LECTERN_JOURNAL_KEY`), so a test can sign entries the way Lectern does.

use crate::support::{copy_tree, repo_root};
use hmac::Mac;
use lectern::batch::{self, FileOp, ImportOptions, Plan};
use lectern::document::Document;
use lectern::site::Site;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A temp copy of a fixture site, a folder outside it, and a journal key file.
struct Fixture {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    outside: PathBuf,
    key: PathBuf,
}

fn fixture(name: &str) -> Fixture {
    let (tmp, site) = copy_tree(&repo_root().join(name));
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let key = tmp.path().join("keys/journal.key");
    Fixture {
        site,
        outside,
        key,
        _tmp: tmp,
    }
}

fn mini() -> Fixture {
    fixture("tests/fixtures/mini")
}

fn sample() -> Fixture {
    fixture("assets/sample-site")
}

impl Fixture {
    fn lectern(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_lectern"));
        c.env("LECTERN_JOURNAL_KEY", &self.key).stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.lectern().args(args).output().unwrap()
    }

    fn s(&self) -> &str {
        self.site.to_str().unwrap()
    }

    fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&self.site)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.outside.parent().unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn init_git(&self) {
        self.git(&["init", "-q", "-b", "main"]);
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", "init"]);
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under a folder with its bytes (symbolic links as their target).
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            if t.is_symlink() {
                out.insert(
                    p.clone(),
                    std::fs::read_link(&p)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                );
            } else if t.is_dir() {
                stack.push(p);
            } else if t.is_file() {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Sign a manifest the way Lectern does, with the fixture's key.
fn sign(key: &[u8], manifest: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(b"lectern journal v1\0");
    mac.update(manifest);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// Run a command that must finish within `limit` (a hang is a failure, not
/// a stuck test run): the child is killed when it overruns.
fn run_bounded(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "hung for {limit:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A Sessionize API export with one accepted session in the sample site's
/// `ai` track and the given speaker fields.
fn sessionize(
    id: &str,
    name: &str,
    tagline: &str,
    bio: &str,
    photo: &str,
    description: &str,
) -> String {
    serde_json::json!({
        "sessions": [{
            "id": id, "title": "Safe Imports", "description": description,
            "startsAt": "2026-07-30T10:10:00", "status": "Accepted", "isServiceSession": false,
            "speakers": ["sp-1"], "roomId": 11,
            "categories": [{"id": 1, "name": "Track", "categoryItems": [{"id": 101, "name": "AI & Machine Learning"}]}]
        }],
        "speakers": [{"id": "sp-1", "fullName": name, "tagLine": tagline, "bio": bio, "profilePicture": photo}],
        "rooms": [{"id": 11, "name": "Hall A"}],
        "categories": [{"id": 1, "title": "Track", "items": [{"id": 101, "name": "AI & Machine Learning"}]}]
    })
    .to_string()
}

/// The journal entries `lectern restore SITE` lists (those Lectern wrote).
fn journal_ids(f: &Fixture) -> Vec<String> {
    let out = f.run(&["restore", f.s()]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

// ---- 1. a journal entry runs code ----

#[test]
fn finding_01_a_forged_journal_entry_is_not_restored_and_cannot_reach_git() {
    let f = sample();
    f.init_git();
    let config = f.site.join(".git/config");
    let before = std::fs::read_to_string(&config).unwrap();
    let evil = format!(
        "{before}[core]\n\tfsmonitor = \"touch {}/pwned\"\n",
        f.outside.display()
    );
    let manifest = serde_json::json!({
        "title": "innocent", "created": "2030-01-01T00:00:00+00:00",
        "ops": [
            {"op": "change", "path": ".git/config", "before": evil, "after": before},
            {"op": "delete", "path": ".git/hooks/post-checkout", "before": "#!/bin/sh\ntouch pwned\n"}
        ]
    })
    .to_string();
    let entry = f.site.join(".lectern/trash/20300101-000000");
    std::fs::create_dir_all(&entry).unwrap();
    std::fs::write(entry.join("manifest.json"), &manifest).unwrap();
    // Unsigned (as it comes in a pull request): listed as ignored, refused.
    let out = f.run(&["restore", f.s(), "20300101-000000"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("signature"), "{}", stderr(&out));
    let list = f.run(&["restore", f.s()]);
    assert!(
        stderr(&list).contains("ignored 20300101-000000"),
        "{}",
        stderr(&list)
    );
    // Signed with the right key (the worst case: a key that leaked), the
    // boundary still refuses every `.git` path.
    let out = f.run(&["set", "--where", "track=ai", "--site", f.s(), "room=Hall B"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let key = std::fs::read(&f.key).expect("the first journal made the key");
    assert_eq!(
        std::fs::metadata(&f.key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::write(entry.join("manifest.sig"), sign(&key, manifest.as_bytes())).unwrap();
    let out = f.run(&["restore", f.s(), "20300101-000000"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(".git"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);
    assert!(!f.site.join(".git/hooks/post-checkout").exists());
    let diff = f.run(&["diff", f.s()]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    assert!(!f.outside.join("pwned").exists());
    // Lectern's own entry restores.
    // Listed now that it is signed; restoring it was refused above.
    let own: Vec<String> = journal_ids(&f)
        .into_iter()
        .filter(|id| id != "20300101-000000")
        .collect();
    assert_eq!(own.len(), 1, "the entry Lectern wrote: {own:?}");
    let out = f.run(&["restore", f.s(), &own[0]]);
    assert!(out.status.success(), "{}", stderr(&out));
    // `.lectern/` is kept out of `git status` through .git/info/exclude, not .gitignore.
    assert!(std::fs::read_to_string(f.site.join(".git/info/exclude"))
        .unwrap()
        .contains("/.lectern/"));
    assert!(
        !f.site.join(".gitignore").exists()
            || !std::fs::read_to_string(f.site.join(".gitignore"))
                .unwrap()
                .contains(".lectern")
    );
}

use std::os::unix::fs::PermissionsExt;

#[test]
fn finding_01_a_tampered_signed_entry_is_refused() {
    let f = sample();
    let out = f.run(&["set", "--where", "track=ai", "--site", f.s(), "room=Hall B"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let id = journal_ids(&f).remove(0);
    let m = f
        .site
        .join(".lectern/trash")
        .join(&id)
        .join("manifest.json");
    let text = std::fs::read_to_string(&m)
        .unwrap()
        .replace("Hall A", "Hall Z");
    std::fs::write(&m, text).unwrap();
    let out = f.run(&["restore", f.s(), &id]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("signature"), "{}", stderr(&out));
}

// ---- 2. and 3. a `.lectern` symbolic link ----

#[test]
fn finding_02_restore_purge_refuses_a_symlinked_lectern_folder() {
    let f = mini();
    std::fs::create_dir_all(f.outside.join("trash/keep")).unwrap();
    std::fs::write(f.outside.join("trash/keep/precious.txt"), "mine").unwrap();
    symlink(&f.outside, f.site.join(".lectern")).unwrap();
    let before = snapshot(&f.outside);
    let out = f.run(&["restore", f.s(), "--purge"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(snapshot(&f.outside), before);
}

#[test]
fn finding_03_no_journal_is_written_through_a_symlinked_lectern_folder() {
    let f = sample();
    symlink(&f.outside, f.site.join(".lectern")).unwrap();
    let site_before = snapshot(&f.site.join("content"));
    for args in [
        vec!["set", "--where", "track=ai", "--site", f.s(), "room=Hall B"],
        vec!["replace", f.s(), "Hall A", "Hall Q"],
        vec!["withdraw", f.s(), "ai-1204512"],
    ] {
        let out = f.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("symbolic link"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(snapshot(&f.outside).is_empty(), "nothing written outside");
    assert_eq!(
        snapshot(&f.site.join("content")),
        site_before,
        "nothing written in the site either"
    );
}

// ---- 4. imports and archetypes through symbolic links ----

#[test]
fn finding_04_import_does_not_write_through_a_symlinked_sessions_folder() {
    let f = sample();
    let sessions = f.site.join("content/sessions");
    let moved = f.outside.join("sessions");
    std::fs::rename(&sessions, &moved).unwrap();
    symlink(&moved, &sessions).unwrap();
    let before = snapshot(&f.outside);
    let json = f.outside.parent().unwrap().join("export.json");
    std::fs::write(
        &json,
        sessionize(
            "888001",
            "Ann Lee",
            "Chair",
            "Bio.",
            "https://photos.example/a.jpg",
            "Abstract.",
        ),
    )
    .unwrap();
    let out = f.run(&["import", "sessionize", f.s(), json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the site"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&f.outside), before);
}

#[test]
fn finding_04_an_archetype_linked_from_outside_does_not_leak_into_new_sessions() {
    let f = sample();
    let secret = f.outside.join("secret.md");
    std::fs::write(&secret, "---\ntitle: \"SECRET-FROM-OUTSIDE\"\ndate: \"\"\ntrack: \"\"\npresenters: \"\"\nstype: \"\"\nroom: \"\"\n---\nSECRET-FROM-OUTSIDE {{abstract}}\n").unwrap();
    std::fs::create_dir_all(f.site.join("archetypes")).unwrap();
    let _ = std::fs::remove_file(f.site.join("archetypes/sessions.md"));
    symlink(&secret, f.site.join("archetypes/sessions.md")).unwrap();
    let site = Site::discover(&f.site).unwrap();
    let json = f.outside.join("export.json");
    std::fs::write(
        &json,
        sessionize(
            "888002",
            "Ann Lee",
            "Chair",
            "Bio.",
            "https://photos.example/a.jpg",
            "Abstract.",
        ),
    )
    .unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert_eq!(report.created.len(), 1, "{report:?}");
    for op in plan.site_ops() {
        let text = String::from_utf8_lossy(op.after().unwrap());
        assert!(!text.contains("SECRET-FROM-OUTSIDE"), "{text}");
    }
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("outside the site")),
        "{:?}",
        report.warnings
    );
}

// ---- 5. `set` through a symbolic link ----

#[test]
fn finding_05_set_refuses_a_symlink_to_a_file_outside_the_site() {
    let f = mini();
    let target = f.outside.join("victim.md");
    let text = "---\ntitle: \"Mine\"\n---\nbody\n";
    std::fs::write(&target, text).unwrap();
    let link = f.site.join("content/sessions/db-999.md");
    symlink(&target, &link).unwrap();
    let out = f.run(&["set", link.to_str().unwrap(), "title=Pwned"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the site"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
    // Also through a linked folder, and into `.git`.
    symlink(&f.outside, f.site.join("content/linked")).unwrap();
    let out = f.run(&[
        "set",
        f.site.join("content/linked/victim.md").to_str().unwrap(),
        "title=Pwned",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
    std::fs::create_dir_all(f.site.join(".git")).unwrap();
    std::fs::write(f.site.join(".git/x.md"), text).unwrap();
    let out = f.run(&[
        "set",
        f.site.join(".git/x.md").to_str().unwrap(),
        "title=Pwned",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(f.site.join(".git/x.md")).unwrap(),
        text
    );
}

// ---- 6. the same file named twice ----

#[test]
fn finding_06_set_edits_a_file_named_twice_once_and_writes_all_or_nothing() {
    let f = mini();
    let a = f.site.join("content/sessions/db-101.md");
    let b = f.site.join("content/sessions/web-102.md");
    let hard = f.site.join("content/sessions/hard.md");
    std::fs::hard_link(&a, &hard).unwrap();
    let sym = f.site.join("content/sessions/sym.md");
    symlink("db-101.md", &sym).unwrap();
    let dot = f.site.join("content/sessions/./db-101.md");
    for twice in [&a, &dot, &sym, &hard] {
        let out = f.run(&[
            "set",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            twice.to_str().unwrap(),
            "room=Side Room",
        ]);
        assert!(
            out.status.success(),
            "{}: {}",
            twice.display(),
            stderr(&out)
        );
        assert!(stderr(&out).contains("edited once"), "{}", stderr(&out));
    }
    assert_eq!(
        Document::load(&a).unwrap().get("room").as_deref(),
        Some("Side Room")
    );
    assert_eq!(
        Document::load(&b).unwrap().get("room").as_deref(),
        Some("Side Room")
    );
    // A failing file: nothing is written at all.
    let before = snapshot(&f.site);
    let bad = f.site.join("content/sessions/bad.md");
    std::fs::write(&bad, "no front matter at all\n").unwrap();
    let out = f.run(&[
        "set",
        a.to_str().unwrap(),
        bad.to_str().unwrap(),
        "room=Elsewhere",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let mut after = snapshot(&f.site);
    after.remove(&bad);
    assert_eq!(after, before);
}

// ---- 7. imports write data, not markup ----

#[test]
fn finding_07_import_escapes_speaker_fields_and_keeps_only_http_photos() {
    let f = sample();
    let site = Site::discover(&f.site).unwrap();
    let json = f.outside.join("export.json");
    std::fs::write(
        &json,
        sessionize(
            "888003",
            "Eve <img src=x onerror=alert(1)>",
            "</p><script>alert(1)</script>",
            "Bio <iframe src=\"https://evil.example\"></iframe> & more &amp; AT&T",
            "javascript:alert(1)\" onerror=\"alert(1)",
            "Abstract <script>alert(2)</script>",
        ),
    )
    .unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert_eq!(report.created.len(), 1, "{report:?}");
    for op in plan.site_ops() {
        // The body: where the speakers section and the abstract go as Markdown
        // and HTML. (Front matter holds data that Hugo's templates escape.)
        let text = Document::from_bytes(op.path(), op.after().unwrap().to_vec())
            .unwrap()
            .body()
            .to_lowercase();
        for bad in [
            "<script",
            "<iframe",
            "onerror=\"",
            "<img src=x",
            "javascript:",
            "</p>",
        ] {
            assert!(!text.contains(bad), "{bad} in {text}");
        }
        assert!(text.contains("&lt;script&gt;"), "{text}");
        assert!(text.contains("at&t"), "a plain & stays as written: {text}");
        assert!(
            text.contains("&amp;amp;"),
            "an entity-looking & is escaped: {text}"
        );
    }
    // A good photo address is kept, serialised.
    std::fs::write(
        &json,
        sessionize(
            "888004",
            "Ann",
            "Chair",
            "Bio",
            "https://photos.example/a b.jpg",
            "A",
        ),
    )
    .unwrap();
    let (plan, _) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    let text: String = plan
        .site_ops()
        .map(|o| String::from_utf8_lossy(o.after().unwrap()).into_owned())
        .collect();
    assert!(
        text.contains("<img src=\"https://photos.example/a%20b.jpg\""),
        "{text}"
    );
}

#[test]
fn finding_07_hostile_csv_and_xlsx_exports_are_escaped_too() {
    let f = sample();
    let site = Site::discover(&f.site).unwrap();
    let csv = f.outside.join("sessions.csv");
    std::fs::write(&csv, "Session Id,Title,Description,Speakers,Track,Status\n888005,T,\"<script>alert(1)</script>\",\"<img src=x onerror=alert(1)>\",AI & Machine Learning,Accepted\n").unwrap();
    let xlsx = f.outside.join("sessions.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Session Id",
        "Title",
        "Description",
        "Speakers",
        "Track",
        "Status",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in [
        "888006",
        "T",
        "<iframe src=x></iframe>",
        "<svg onload=alert(1)>",
        "AI & Machine Learning",
        "Accepted",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(&xlsx).unwrap();
    for file in [&csv, &xlsx] {
        let (plan, report) =
            batch::import_sessionize(&site, file, &ImportOptions::default()).unwrap();
        assert_eq!(report.created.len(), 1, "{}: {report:?}", file.display());
        let text: String = plan
            .site_ops()
            .map(|o| {
                Document::from_bytes(o.path(), o.after().unwrap().to_vec())
                    .unwrap()
                    .body()
                    .to_string()
            })
            .collect();
        for bad in ["<script", "<iframe", "<img src=x", "<svg"] {
            assert!(!text.contains(bad), "{bad} in {text}");
        }
    }
}

// ---- 8. a tiny XLSX that claims a huge sheet ----

fn far_cell_xlsx(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Session Id", "Title", "Scheduled At", "Room"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "1001").unwrap();
    ws.write_string(1, 1, "T").unwrap();
    ws.write_string(1_048_575, 16_383, "far away").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn finding_08_a_cell_at_xfd1048576_is_refused_without_allocating_the_sheet() {
    let f = sample();
    let xlsx = f.outside.join("far.xlsx");
    far_cell_xlsx(&xlsx);
    assert!(std::fs::metadata(&xlsx).unwrap().len() < 16 * 1024);
    for args in [
        vec!["import", "sessionize", f.s(), xlsx.to_str().unwrap()],
        vec!["schedule", "apply", f.s(), xlsx.to_str().unwrap()],
    ] {
        let out = run_bounded(
            {
                let mut c = f.lectern();
                c.args(&args);
                c
            },
            Duration::from_secs(60),
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("XFD1048576") && stderr(&out).contains("column"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn finding_08_too_many_rows_is_a_clear_error() {
    let f = sample();
    let xlsx = f.outside.join("long.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Session Id").unwrap();
    ws.write_string(0, 1, "Scheduled At").unwrap();
    for r in 1..=20_200u32 {
        ws.write_number(r, 0, r as f64).unwrap();
    }
    wb.save(&xlsx).unwrap();
    let out = f.run(&["schedule", "apply", f.s(), xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("more than 20000 rows"),
        "{}",
        stderr(&out)
    );
}

// ---- 9. the file cap on every path ----

#[test]
fn finding_09_batches_leave_oversized_files_alone_and_never_write_one() {
    let f = sample();
    let big = f.site.join("content/sessions/ai-9999999.md");
    let mut text = String::from("---\ntitle: \"Big\"\ntrack: \"ai\"\nroom: \"Hall A\"\n---\n");
    text.push_str(&"x".repeat(9 * 1024 * 1024));
    std::fs::write(&big, &text).unwrap();
    let out = f.run(&[
        "set",
        "--where",
        "room=Hall A",
        "--site",
        f.s(),
        "room=Hall B",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("ai-9999999.md could not be read"),
        "said, not skipped silently: {summary}"
    );
    assert_eq!(
        std::fs::read_to_string(&big).unwrap(),
        text,
        "the big file is not edited"
    );
    let journal: u64 = snapshot(&f.site.join(".lectern"))
        .values()
        .map(|v| v.len() as u64)
        .sum();
    assert!(
        journal < 1024 * 1024,
        "the journal holds only the edited sessions: {journal} bytes"
    );
    std::fs::remove_file(&big).unwrap();
    // An import that would create a file over the cap is refused whole.
    let json = f.outside.join("export.json");
    std::fs::write(
        &json,
        sessionize(
            "888007",
            "Ann",
            "Chair",
            "Bio",
            "https://p.example/a.jpg",
            &"y".repeat(9 * 1024 * 1024),
        ),
    )
    .unwrap();
    let before = snapshot(&f.site.join("content"));
    let out = f.run(&["import", "sessionize", f.s(), json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("over the 8 MiB limit"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&f.site.join("content")), before);
}

// ---- 10. a FIFO among the sessions ----

#[test]
fn finding_10_a_fifo_named_like_a_session_hangs_no_command() {
    let f = sample();
    mkfifo(&f.site.join("content/sessions/ai-1000000.md"));
    for args in [
        vec![
            "set",
            "--where",
            "track=ai",
            "--site",
            f.s(),
            "room=Hall B",
            "--dry-run",
        ],
        vec!["withdraw", f.s(), "ai-1204512", "--dry-run"],
        vec!["find", f.s(), "Hall"],
        vec!["replace", f.s(), "Hall A", "Hall Q", "--dry-run"],
        vec!["check", f.s()],
    ] {
        let mut c = f.lectern();
        c.args(&args);
        let out = run_bounded(c, Duration::from_secs(60));
        assert!(
            out.status.code().is_some_and(|c| c <= 2),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // And applying a batch with the FIFO present works.
    let out = run_bounded(
        {
            let mut c = f.lectern();
            c.args(["set", "--where", "track=ai", "--site", f.s(), "room=Hall B"]);
            c
        },
        Duration::from_secs(60),
    );
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
}

// ---- 11. debris of a killed run ----

#[test]
fn finding_11_a_killed_saves_temp_files_are_removed_and_never_exported() {
    let f = sample();
    f.init_git();
    // A pid no process has (Linux pids stop well below 2^22).
    let debris = f
        .site
        .join("content/sessions/.ai-1204512.md.lectern-4194399-7.tmp");
    std::fs::write(&debris, "half a file").unwrap();
    let diff = f.run(&["diff", f.s()]);
    assert!(
        !String::from_utf8_lossy(&diff.stdout).contains("lectern-4194399"),
        "{}",
        String::from_utf8_lossy(&diff.stdout)
    );
    let out = f.run(&["set", "--where", "track=ai", "--site", f.s(), "room=Hall B"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !debris.exists(),
        "a batch removes a dead writer's temp file"
    );
    std::fs::write(&debris, "half a file").unwrap();
    let zip = f.outside.join("x.zip");
    let out = f.run(&[
        "export",
        "zip",
        f.s(),
        "--out",
        zip.to_str().unwrap(),
        "--force",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().to_string())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".md")), "{names:?}");
    // Opening the site in the app's workspace removes it too.
    lectern::workspace::Workspace::open(&f.site).unwrap();
    assert!(!debris.exists());
}

#[test]
fn finding_11_restoring_an_interrupted_entry_restores_what_was_written() {
    let f = sample();
    // In-process: the default key (the user's data folder), as the app uses.
    let a = "content/sessions/ai-1204512.md";
    let b = "content/sessions/ai-1204587.md";
    let read = |p: &str| std::fs::read(f.site.join(p)).unwrap();
    let (a0, b0) = (read(a), read(b));
    let mut plan = Plan::new("two edits", &f.site);
    plan.ops.push(FileOp::Change {
        path: a.into(),
        before: a0.clone(),
        after: [a0.as_slice(), b"\nedited\n"].concat(),
    });
    plan.ops.push(FileOp::Change {
        path: b.into(),
        before: b0.clone(),
        after: [b0.as_slice(), b"\nedited\n"].concat(),
    });
    let applied = batch::apply(&plan).unwrap();
    let id = applied
        .journal
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    // As if the run was killed after writing `a` but before `b`.
    std::fs::write(f.site.join(b), &b0).unwrap();
    let p = batch::journal::restore_plan(&f.site, &id).unwrap();
    assert_eq!(p.site_ops().count(), 1, "{:?}", p.ops);
    assert!(
        p.notes.iter().any(|n| n.contains("interrupted")),
        "{:?}",
        p.notes
    );
    batch::journal::restore(&f.site, &id).unwrap();
    assert_eq!((read(a), read(b)), (a0, b0));
}

// ---- 12. nothing skipped silently ----

#[test]
fn finding_12_find_and_replace_name_the_files_they_could_not_search() {
    let f = sample();
    std::fs::write(
        f.site.join("content/sessions/ai-7777777.md"),
        [
            b"---\ntitle: \"Hall A\"\n---\n".as_slice(),
            &vec![b'x'; 9 * 1024 * 1024],
        ]
        .concat(),
    )
    .unwrap();
    std::fs::write(
        f.site.join("content/sessions/ai-7777778.md"),
        b"---\ntitle: \"Hall\0A\"\n---\n",
    )
    .unwrap();
    symlink("nowhere.md", f.site.join("content/sessions/ai-7777779.md")).unwrap();
    let out = f.run(&["find", f.s(), "Hall A"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for name in ["ai-7777777.md", "ai-7777778.md", "ai-7777779.md"] {
        assert!(err.contains(name), "{name} not named: {err}");
    }
    assert!(err.contains("3 file(s) could not be searched"), "{err}");
    let out = f.run(&["replace", f.s(), "Hall A", "Hall Q", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("problem content/sessions/ai-7777777.md"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

// ---- 13. clipped error messages ----

#[test]
fn finding_13_error_messages_are_clipped() {
    let f = sample();
    let huge = "x".repeat(100_000);
    let out = f.run(&["withdraw", f.s(), &huge]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.len() <= lectern::error::MAX_MESSAGE + 64,
        "{} bytes on stderr",
        err.len()
    );
    assert!(
        err.contains("message cut"),
        "{}",
        &err[..200.min(err.len())]
    );
    // A long cell in a schedule: the row problem is clipped in the summary.
    let csv = f.outside.join("s.csv");
    std::fs::write(
        &csv,
        format!(
            "Session Id,Scheduled At,Room\n{},2030-01-01 10:00,Hall A\n",
            "9".repeat(500_000)
        ),
    )
    .unwrap();
    let out = f.run(&[
        "schedule",
        "apply",
        f.s(),
        csv.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(
        out.stdout.len() + out.stderr.len() < 64 * 1024,
        "{} bytes printed",
        out.stdout.len() + out.stderr.len()
    );
}

// ---- 14. the smaller ones ----

#[test]
fn finding_14_utf16_without_bom_and_nul_bytes_get_located_advice() {
    let f = mini();
    let be: Vec<u8> = "---\ntitle: \"x\"\n---\nbody\n"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    std::fs::write(f.site.join("content/sessions/db-201.md"), be).unwrap();
    std::fs::write(
        f.site.join("content/sessions/db-202.md"),
        "---\ntitle: \"x\"\n---\nline four\nfive \0 here\n",
    )
    .unwrap();
    let out = f.run(&["check", "--format", "json", f.s()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let find = |file: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|d| d["file"] == file && d["line"] != 0)
            .cloned()
            .unwrap_or_else(|| panic!("{file}: {v}"))
    };
    let d = find("content/sessions/db-201.md");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("UTF-16 (big-endian) without a byte order mark"),
        "{d}"
    );
    let d = find("content/sessions/db-202.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(6)),
        "{d}"
    );
}

#[test]
fn finding_14_a_sessions_folder_outside_the_site_is_refused() {
    let f = mini();
    std::fs::write(
        f.site.join("lectern.toml"),
        format!(
            "[sessions]\ndir = \"../outside\"\n\n{}",
            std::fs::read_to_string(f.site.join("lectern.toml")).unwrap()
        ),
    )
    .unwrap();
    let out = f.run(&["check", f.s()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("leads outside the site"),
        "{}",
        stderr(&out)
    );
    // The same through a symbolic link.
    std::fs::write(
        f.site.join("lectern.toml"),
        "[sessions]\ndir = \"content/elsewhere\"\n",
    )
    .unwrap();
    symlink(&f.outside, f.site.join("content/elsewhere")).unwrap();
    let out = f.run(&["check", f.s()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn finding_14_an_import_dry_run_reports_an_impossible_file_name_like_the_real_run() {
    let f = sample();
    let site = Site::discover(&f.site).unwrap();
    let json = f.outside.join("export.json");
    std::fs::write(
        &json,
        sessionize(
            &"7".repeat(5000),
            "Ann",
            "Chair",
            "Bio",
            "https://p.example/a.jpg",
            "A",
        ),
    )
    .unwrap();
    let (plan, report) = batch::import_sessionize(&site, &json, &ImportOptions::default()).unwrap();
    assert!(plan.site_ops().next().is_none(), "{:?}", plan.ops);
    assert_eq!(report.errors.len(), 1, "{report:?}");
    assert!(
        report.errors[0].reason.contains("bytes long"),
        "{:?}",
        report.errors
    );
    assert!(
        report.errors[0].reason.len() < 600,
        "the id is clipped in the message"
    );
}

#[test]
fn finding_14_a_file_name_with_a_newline_is_not_put_in_a_zip() {
    let f = sample();
    f.init_git();
    std::fs::write(
        f.site.join("content/sessions/evil\nname.md"),
        "---\ntitle: \"x\"\n---\n",
    )
    .unwrap();
    let zip = f.outside.join("x.zip");
    let out = f.run(&[
        "export",
        "zip",
        f.s(),
        "--out",
        zip.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("control character"),
        "{}",
        stderr(&out)
    );
    assert!(!zip.exists());
}

// ---- the app's saves go through the same boundary ----

#[test]
fn the_app_workspace_refuses_to_save_through_a_link_swapped_in_after_open() {
    let f = mini();
    let mut ws = lectern::workspace::Workspace::open(&f.site).unwrap();
    let id = ws
        .sessions()
        .iter()
        .find(|l| l.file.rel == "content/sessions/db-101.md")
        .map(|l| l.file.rel.clone())
        .unwrap();
    ws.set_field(&id, "room", Some("Side Room")).unwrap();
    // The file is replaced by a link to a file outside the site, with the same bytes.
    let real = f.site.join("content/sessions/db-101.md");
    let victim = f.outside.join("victim.md");
    std::fs::copy(&real, &victim).unwrap();
    let before = std::fs::read(&victim).unwrap();
    std::fs::remove_file(&real).unwrap();
    symlink(&victim, &real).unwrap();
    let e = ws.save(&id).unwrap_err();
    assert!(matches!(e, lectern::Error::Boundary { .. }), "{e}");
    assert_eq!(std::fs::read(&victim).unwrap(), before);
    assert!(ws.is_modified(&id), "the edit is kept, unsaved");
}

#[test]
fn finding_10_a_fifo_as_the_sites_config_or_lectern_toml_hangs_nothing() {
    for name in ["lectern.toml", "data/rooms.yaml", "config.toml"] {
        let f = mini();
        let p = f.site.join(name);
        let _ = std::fs::remove_file(&p);
        mkfifo(&p);
        let mut c = f.lectern();
        c.args(["check", f.s()]);
        let out = run_bounded(c, Duration::from_secs(60));
        assert!(
            out.status.code().is_some_and(|c| c <= 2),
            "{name}: {}",
            stderr(&out)
        );
    }
}
