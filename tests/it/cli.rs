//! The `lectern` binary: exit codes, output formats and minimal-diff edits.

use crate::support::{changed_lines, copy_tree, repo_root};
use std::process::Command;

fn lectern() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
}

fn mini() -> (tempfile::TempDir, std::path::PathBuf) {
    copy_tree(&repo_root().join("tests/fixtures/mini"))
}

#[test]
fn check_exits_1_on_errors_and_prints_located_json() {
    let (_t, site) = mini();
    let out = lectern()
        .args(["check", "--format", "json"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    let codes: Vec<&str> = arr.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for c in [
        "presenter-clash",
        "invalid-value",
        "room-clash",
        "twin-untranslated",
    ] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
    let stype = arr.iter().find(|d| d["code"] == "invalid-value").unwrap();
    assert_eq!(stype["file"], "content/sessions/web-102.md");
    assert_eq!(stype["line"], 6);
    assert_eq!(stype["column"], 1);
    assert_eq!(stype["severity"], "error");
    assert!(stype["message"]
        .as_str()
        .unwrap()
        .contains("did you mean \"English Session\""));
}

#[test]
fn check_exits_0_when_only_warnings_remain_and_2_when_it_cannot_run() {
    let (_t, site) = mini();
    // Restrict to a clean file: cross-file findings about other files are filtered out.
    let out = lectern()
        .arg("check")
        .arg(site.join("content/sessions/db-101.zh.md"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = lectern()
        .arg("check")
        .arg("/nonexistent/site")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
    let empty = tempfile::tempdir().unwrap();
    let out = lectern().arg("check").arg(empty.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Hugo site"));
}

#[test]
fn github_format_prints_workflow_annotations() {
    let (_t, site) = mini();
    let out = lectern()
        .args(["check", "--format", "github"])
        .arg(&site)
        .current_dir(&site)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with(
            "::error file=content/sessions/web-102.md,line=6,col=1,title=invalid-value::"
        )),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("::warning ")), "{text}");
}

#[test]
fn set_changes_exactly_the_field_lines_and_keeps_crlf() {
    let (_t, site) = mini();
    let f = site.join("content/sessions/web-102.zh.md");
    let before = std::fs::read_to_string(&f).unwrap();
    let st = lectern()
        .arg("set")
        .arg(&f)
        .args(["room=主厅", "title=缓存: \"快\" #1"])
        .status()
        .unwrap();
    assert!(st.success());
    let after = std::fs::read_to_string(&f).unwrap();
    let (del, ins) = changed_lines(&before, &after);
    assert_eq!(del, vec!["title: \"网页缓存\"\r\n", "room: \"侧厅\"\r\n"]);
    assert_eq!(
        ins,
        vec!["title: \"缓存: \\\"快\\\" #1\"\r\n", "room: \"主厅\"\r\n"]
    );
    assert!(
        !after.ends_with('\n'),
        "the missing final newline stays missing"
    );
}

#[test]
fn set_unset_and_add_fields() {
    let (_t, site) = mini();
    let f = site.join("content/sessions/db-101.md");
    let before = std::fs::read_to_string(&f).unwrap();
    assert!(lectern()
        .arg("set")
        .arg(&f)
        .args(["speechLink=https://v.example/x", "--unset", "room"])
        .status()
        .unwrap()
        .success());
    let after = std::fs::read_to_string(&f).unwrap();
    let (del, ins) = changed_lines(&before, &after);
    assert_eq!(del, vec!["room: \"Main Hall\"\n"]);
    assert_eq!(ins, vec!["speechLink: \"https://v.example/x\"\n"]);
}

#[test]
fn set_writes_nothing_when_one_file_fails() {
    let (_t, site) = mini();
    let good = site.join("content/sessions/db-101.md");
    let bad = site.join("content/sessions/bad.md");
    std::fs::write(&bad, "---\ntitle: [\n---\n").unwrap();
    let before = std::fs::read(&good).unwrap();
    let out = lectern()
        .arg("set")
        .arg(&good)
        .arg(&bad)
        .arg("title=X")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.md:3:1: invalid YAML"), "{err}");
    assert_eq!(std::fs::read(&good).unwrap(), before);
}

#[test]
fn fix_dry_run_prints_a_diff_and_fix_applies_safe_fixes() {
    let (_t, site) = mini();
    let f = site.join("content/sessions/web-102.zh.md");
    let before = std::fs::read(&f).unwrap();
    let out = lectern()
        .args(["fix", "--dry-run"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("+room: \"主厅\""), "{diff}");
    assert_eq!(std::fs::read(&f).unwrap(), before, "dry run writes nothing");
    assert!(lectern().arg("fix").arg(&site).status().unwrap().success());
    let after = String::from_utf8(std::fs::read(&f).unwrap()).unwrap();
    assert!(after.contains("room: \"主厅\"\r\n"));
    // The typo has only a suggestion, which `fix` does not apply.
    assert!(
        std::fs::read_to_string(site.join("content/sessions/web-102.md"))
            .unwrap()
            .contains("English Sesion")
    );
}

#[test]
fn show_prints_the_parsed_document() {
    let (_t, site) = mini();
    let out = lectern()
        .arg("show")
        .arg(site.join("content/sessions/web-102.zh.md"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fields"]["room"], "侧厅");
    assert_eq!(v["line_ending"], "crlf");
    assert_eq!(v["final_newline"], false);
    assert_eq!(v["keys"][0], "title");
}

#[test]
fn render_prints_a_sanitised_standalone_page_with_the_track_title() {
    let (_t, site) = mini();
    let f = site.join("content/sessions/db-101.zh.md");
    let mut text = std::fs::read_to_string(&f).unwrap();
    text.push_str("\n<script>window.__pwned=1</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n");
    std::fs::write(&f, text).unwrap();
    let out = lectern().arg("render").arg(&f).output().unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("快速索引") && html.contains("数据库"),
        "title and zh track title: {html}"
    );
    assert!(html.contains("Content-Security-Policy"));
    lectern::render::assert_no_active_content(&html).unwrap();
    assert!(
        !html.contains("<script")
            && !html.contains("onerror")
            && !html.contains("href=\"javascript"),
        "{html}"
    );
}

#[test]
fn diagnostics_of_the_mini_site_match_the_snapshot() {
    let (_t, site) = mini();
    let s = lectern::site::Site::discover(&site).unwrap();
    let report = lectern::validate::check_site(&s);
    insta::assert_json_snapshot!("mini_site_diagnostics", report.diagnostics);
}
