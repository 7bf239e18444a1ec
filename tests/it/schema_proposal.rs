//! `lectern schema infer`: rules proposed from a site's sessions.

use std::collections::BTreeSet;
use std::path::Path;

use lectern::schema::{FieldType, LecternConfig, SyncRule};
use lectern::schema_proposal::infer;
use lectern::site::Site;
use lectern::validate::check_site;
use lectern::Severity;

use crate::support::{copy_tree, corpus, repo_root};

/// The mini fixture without its `lectern.toml`, with 12 sessions and their
/// twins: two session types translated through the twins, one zh file
/// using the English value, one speechLink that is not an http(s) URL.
fn generated_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, site) = copy_tree(&repo_root().join("tests/fixtures/mini"));
    std::fs::remove_file(site.join("lectern.toml")).expect("remove lectern.toml");
    let sessions = site.join("content/sessions");
    for e in std::fs::read_dir(&sessions).expect("read_dir").flatten() {
        std::fs::remove_file(e.path()).expect("remove");
    }
    for i in 0..12 {
        let (en, zh) = if i % 3 == 0 {
            ("Chinese Session", "中文演讲")
        } else {
            ("English Session", "英文演讲")
        };
        let zh = if i == 7 { "English Session" } else { zh };
        let link = if i == 5 {
            "//video.example/x".to_string()
        } else {
            format!("https://video.example/{i}")
        };
        let day = if i % 2 == 0 {
            "2030-05-01"
        } else {
            "2030-05-02"
        };
        for (lang, stype, title) in [
            ("", en, format!("Talk {i}")),
            (".zh", zh, format!("演讲 {i}")),
        ] {
            let text = format!(
                "---\ntitle: \"{title}\"\ndate: \"{day}T{:02}:00:00\"\ntrack: \"db\"\npresenters: \"Ada Park\"\nstype: \"{stype}\"\nspeechLink: \"{link}\"\n---\nAbstract.\n",
                9 + i % 8
            );
            std::fs::write(sessions.join(format!("db-{}{lang}.md", 200 + i)), text).expect("write");
        }
    }
    (tmp, site)
}

#[test]
fn proposes_aligned_value_lists_twin_rules_and_types_from_what_the_sessions_show() {
    let (_tmp, root) = generated_site();
    let site = Site::discover(&root).expect("site");
    let inf = infer(&site).expect("infer");
    assert_eq!(inf.files, 24);
    assert_eq!(inf.per_lang.get("en"), Some(&12));
    let field = |k: &str| {
        inf.fields
            .iter()
            .find(|f| f.key == k)
            .unwrap_or_else(|| panic!("no {k}: {inf:?}"))
    };

    let stype = field("stype");
    assert_eq!(stype.kind, FieldType::Enum);
    let values = stype.values.as_ref().expect("stype values");
    let names = |lang: &str| {
        values[lang]
            .iter()
            .map(|(v, _)| v.as_str())
            .collect::<Vec<_>>()
    };
    // By use in English (8 and 4), and the zh list in the same order through the twins.
    assert_eq!(names("en"), ["English Session", "Chinese Session"]);
    assert_eq!(names("zh"), ["英文演讲", "中文演讲"]);
    assert_eq!(
        stype.misplaced,
        [("zh".to_string(), "English Session".to_string(), 1)]
    );
    // 11 of 12 pairs translate: under the 95% bar, so no rule is proposed.
    assert_eq!(stype.sync, None);
    assert_eq!(stype.twins, (1, 11, 12));

    let date = field("date");
    assert_eq!((date.kind, date.required), (FieldType::Datetime, true));
    assert_eq!(date.sync, Some((SyncRule::Copy, 12, 12)));

    let link = field("speechLink");
    assert_eq!(link.kind, FieldType::Text);
    assert_eq!(
        link.near_type,
        Some((FieldType::Url, 22, 24)),
        "session 205 and its twin"
    );
    assert_eq!(field("title").sync, Some((SyncRule::None, 12, 12)));
    assert_eq!(field("track").listed_elsewhere, Some("content/tracks/"));
    assert!(
        field("track").values.is_none(),
        "the site lists tracks itself"
    );

    let text = inf.to_toml();
    assert!(
        text.contains("values.zh = [\"英文演讲\", \"中文演讲\"]  # files: 7, 4"),
        "{text}"
    );
    assert!(
        text.contains("# 1 zh file(s) use \"English Session\" from another language's list"),
        "{text}"
    );
    assert!(
        text.contains(
            "# 22 of 24 values are http(s) URLs; `type = \"url\"` would report the other 2"
        ),
        "{text}"
    );
    assert!(text.contains("# sync: no clear rule (1 of 12 twin pairs hold the same value, 11 follow one translation per value)"), "{text}");
}

/// Errors per (file, code) of a check of `root`.
fn errors(root: &Path) -> BTreeSet<(std::path::PathBuf, String)> {
    let site = Site::discover(root).expect("site");
    check_site(&site)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.file.clone(), d.code.to_string()))
        .collect()
}

/// Save the proposal as the site's `lectern.toml`: it must parse, and the
/// only new errors are the misplaced values the proposal names and the
/// speakers without a page that the proposed `[speakers] pages` reveals
/// (returned for the caller to judge).
fn proposal_holds(root: &Path) -> (usize, usize, Vec<String>) {
    let before = errors(root);
    let inf = infer(&Site::discover(root).expect("site")).expect("infer");
    let text = inf.to_toml();
    toml::from_str::<LecternConfig>(&text)
        .unwrap_or_else(|e| panic!("the proposal is not a lectern.toml: {e}\n{text}"));
    std::fs::write(root.join("lectern.toml"), &text).expect("write lectern.toml");
    let after = errors(root);
    let (unknown_speakers, new): (Vec<_>, Vec<_>) = after
        .difference(&before)
        .partition(|(_, code)| code == "unknown-speaker");
    assert!(
        unknown_speakers.is_empty() || inf.profile.speaker_pages.is_some(),
        "{unknown_speakers:?}"
    );
    let unknown_speakers: Vec<String> = unknown_speakers
        .iter()
        .map(|(f, _)| f.to_string_lossy().replace('\\', "/"))
        .collect();
    let misplaced: usize = inf
        .fields
        .iter()
        .flat_map(|f| &f.misplaced)
        .map(|(_, _, n)| n)
        .sum();
    assert!(
        new.len() <= misplaced,
        "{} new errors, {misplaced} misplaced values named: {new:?}\n{text}",
        new.len()
    );
    (inf.fields.len(), new.len(), unknown_speakers)
}

#[test]
fn the_proposal_is_a_lectern_toml_that_the_site_it_came_from_passes() {
    let (_tmp, root) = generated_site();
    let (_, new, unknown_speakers) = proposal_holds(&root);
    assert_eq!(new, 1, "the zh file with the English session type");
    assert!(unknown_speakers.is_empty());
}

#[test]
fn corpus_sites_pass_the_rules_inferred_from_them() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not present: skipped");
        return;
    };
    let mut years = 0;
    for e in std::fs::read_dir(&corpus)
        .expect("corpus")
        .flatten()
        .filter(|e| e.path().join("content/sessions").is_dir())
    {
        let (_tmp, root) = copy_tree(&e.path());
        std::fs::remove_file(root.join("lectern.toml")).ok();
        let (fields, new, unknown_speakers) = proposal_holds(&root);
        println!("{}: {fields} keys, {new} new errors", e.path().display());
        // The Europe site's proposal finds its speaker pages, and with them
        // the one real defect the hand-written profile finds too
        // (profiles::europe_corpus_with_its_profile_finds_only_real_defects).
        if e.file_name() == "coceu-2024" {
            assert_eq!(
                unknown_speakers,
                ["content/sessions/2024/building-healthy-developer-communities-a-versatile-framework-for-success.md"]
            );
        } else {
            assert!(unknown_speakers.is_empty(), "{unknown_speakers:?}");
        }
        years += 1;
    }
    assert!(years > 0, "no site in {}", corpus.display());
}

#[test]
fn the_cli_prints_the_proposal_and_writes_nothing() {
    let (_tmp, root) = generated_site();
    let before = crate::support::md_files(&root)
        .into_iter()
        .map(|p| std::fs::read(&p).expect("read"))
        .collect::<Vec<_>>();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["schema", "infer"])
        .arg(&root)
        .output()
        .expect("run lectern");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.starts_with(
            "# Proposed by `lectern schema infer` from 24 session files (en 12, zh 12)."
        ),
        "{text}"
    );
    toml::from_str::<LecternConfig>(&text).expect("a lectern.toml");
    assert!(!root.join("lectern.toml").exists());
    let after = crate::support::md_files(&root)
        .into_iter()
        .map(|p| std::fs::read(&p).expect("read"))
        .collect::<Vec<_>>();
    assert_eq!(before, after);
}

/// `schema infer --write` on a site shaped unlike the default profile (slug
/// names in a year folder, `time_start`/`time_end`, `speakers` naming
/// speaker pages, no days declared): the saved profile says so, and the
/// site checks clean against it. A second `--write` is refused without
/// `--force`; a `lectern.toml` that is a symbolic link is never written
/// through.
#[test]
fn infer_write_saves_a_profile_the_site_passes() {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    let write = |rel: &str, text: &str| crate::support::write_file(r, rel, text);
    write("config.toml", "title = \"Harbour 2031\"\n");
    for (i, slug) in [
        "open-data-now",
        "lakes-and-streams",
        "kind-reviews",
        "zero-to-one",
        "small-steps",
        "last-call",
    ]
    .iter()
    .enumerate()
    {
        write(
            &format!("content/sessions/2031/{slug}.md"),
            &format!("---\ntitle: \"Talk {i}\"\ntrack: Data\nroom: Atrium\ntime_start: 2031-06-0{d} 1{i}:00:00\ntime_end: 2031-06-0{d} 1{i}:30:00\nspeakers:\n  - Person {i}\n---\nAbstract.\n", d = 4 + i % 2),
        );
        write(
            &format!("content/speakers/person-{i}/_index.md"),
            &format!("---\ntitle: \"Person {i}\"\n---\nBio.\n"),
        );
    }
    let lectern = || std::process::Command::new(env!("CARGO_BIN_EXE_lectern"));
    let out = lectern()
        .args(["schema", "infer", "--write"])
        .arg(r)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = std::fs::read_to_string(r.join("lectern.toml")).unwrap();
    for line in [
        "file_pattern = \"{slug}\"",
        "start = \"time_start\"",
        "end = \"time_end\"",
        "speakers = \"speakers\"",
        "start = \"2031-06-04\"",
        "end = \"2031-06-05\"",
        "pages = \"content/speakers\"",
    ] {
        assert!(
            saved.lines().any(|l| l.starts_with(line)),
            "{line} in\n{saved}"
        );
    }
    let check = lectern()
        .args(["check", "--format", "json"])
        .arg(r)
        .output()
        .unwrap();
    let found: Vec<serde_json::Value> = serde_json::from_slice(&check.stdout).unwrap();
    assert!(found.iter().all(|d| d["severity"] == "info"), "{found:#?}");
    assert_eq!(check.status.code(), Some(0));

    // A defect the profile now lets the checker see: a speaker with no page.
    write(
        "content/sessions/2031/zero-to-one.md",
        "---\ntitle: \"Talk 3\"\ntrack: Data\nroom: Atrium\ntime_start: 2031-06-05 13:00:00\ntime_end: 2031-06-05 13:30:00\nspeakers:\n  - Nobody Known\n---\nAbstract.\n",
    );
    let check = lectern()
        .args(["check", "--format", "json"])
        .arg(r)
        .output()
        .unwrap();
    let found: Vec<serde_json::Value> = serde_json::from_slice(&check.stdout).unwrap();
    let codes: Vec<&str> = found
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown-speaker"], "{found:#?}");

    // Refused without --force, and nothing changes.
    std::fs::write(r.join("lectern.toml"), "# mine\n").unwrap();
    let out = lectern()
        .args(["schema", "infer", "--write"])
        .arg(r)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(r.join("lectern.toml")).unwrap(),
        "# mine\n"
    );
    let out = lectern()
        .args(["schema", "infer", "--write", "--force"])
        .arg(r)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(r.join("lectern.toml")).unwrap(),
        saved
    );

    // A symbolic link is not written through, even with --force.
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("victim.toml");
    std::fs::write(&target, "# outside the site\n").unwrap();
    std::fs::remove_file(r.join("lectern.toml")).unwrap();
    std::os::unix::fs::symlink(&target, r.join("lectern.toml")).unwrap();
    let out = lectern()
        .args(["schema", "infer", "--write", "--force"])
        .arg(r)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "# outside the site\n"
    );
}
