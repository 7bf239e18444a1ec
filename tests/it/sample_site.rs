//! The bundled sample site (`assets/sample-site`): it is discovered with its
//! languages, tracks, rooms and days; the checker finds exactly the problems
//! listed in its `PROBLEMS.md` (so a new false positive fails here); and every
//! file, quirks included, survives a load byte for byte.

use crate::support::{md_files, repo_root};
use lectern::document::Document;
use lectern::site::Site;
use lectern::Severity;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn sample() -> PathBuf {
    repo_root().join("assets/sample-site")
}

/// (code, file) pairs from the table in `PROBLEMS.md`.
fn documented_problems() -> BTreeSet<(String, String)> {
    let text =
        std::fs::read_to_string(sample().join("PROBLEMS.md")).expect("PROBLEMS.md is readable");
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let unquote = |s: &str| s.trim_matches('`').to_string();
            (unquote(cells[1]), unquote(cells[2]))
        })
        .collect()
}

#[test]
fn sample_site_is_discovered_with_two_languages_four_tracks_three_rooms_and_two_days() {
    let site = Site::discover(&sample()).expect("the sample site is discovered");
    assert_eq!(site.name, "Open Source Summit Lectern Demo 2026");
    assert_eq!(site.default_lang, "en");
    let langs: Vec<(&str, &str)> = site
        .languages
        .iter()
        .map(|l| (l.code.as_str(), l.name.as_str()))
        .collect();
    assert_eq!(langs, [("en", "English"), ("zh", "中文")]);

    let slugs: Vec<&str> = site.tracks.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["ai", "bigdata", "community", "observability"]);
    for t in &site.tracks {
        let en = t
            .titles
            .get("en")
            .unwrap_or_else(|| panic!("{} has an English title", t.slug));
        let zh = t
            .titles
            .get("zh")
            .unwrap_or_else(|| panic!("{} has a Chinese title", t.slug));
        assert_ne!(
            en, &t.slug,
            "{}: English title comes from the file, not the slug",
            t.slug
        );
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: {zh:?} is Chinese",
            t.slug
        );
    }
    assert_eq!(
        site.track("observability").map(|t| t.title("zh")),
        Some("可观测性")
    );

    assert_eq!(site.rooms.len(), 2);
    assert_eq!(site.rooms["en"], ["Hall A", "Hall B", "Room 301"]);
    assert_eq!(site.rooms["zh"], ["A 厅", "B 厅", "301 室"]);
    assert_eq!(site.days, ["2026-07-29", "2026-07-30"]);
    assert!(site.problems.is_empty(), "{:?}", site.problems);

    // lectern.toml is read: stype values per language, the duration.
    let stype = site.schema.get("stype").expect("stype rule");
    assert_eq!(
        stype.translate("English Panel", "en", "zh").as_deref(),
        Some("英文圆桌")
    );
    assert_eq!(site.config.sessions.duration, Some(40));
    assert_eq!(site.session_files().len(), 23);
}

#[test]
fn checker_reports_exactly_the_problems_listed_in_problems_md() {
    let documented = documented_problems();
    let codes: BTreeSet<&str> = documented.iter().map(|(c, _)| c.as_str()).collect();
    // Guard against the table being emptied or mangled.
    for code in [
        "unknown-track",
        "track-mismatch",
        "invalid-value",
        "date-outside-days",
        "room-clash",
        "missing-twin",
        "bad-url",
        "presenters-mismatch",
        "photo-missing",
        "trailing-whitespace",
    ] {
        assert!(codes.contains(code), "PROBLEMS.md lists {code}");
    }

    let site = Site::discover(&sample()).expect("the sample site is discovered");
    let report = lectern::validate::check_site(&site);
    assert_eq!(report.files, 23);
    let found: BTreeSet<(String, String)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.file.to_string_lossy().replace('\\', "/"),
            )
        })
        .collect();
    let unexpected: Vec<_> = found.difference(&documented).collect();
    let missing: Vec<_> = documented.difference(&found).collect();
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "not in PROBLEMS.md: {unexpected:?}\nlisted but not reported: {missing:?}"
    );
    // One finding per listed pair: nothing reported twice.
    assert_eq!(
        report.diagnostics.len(),
        documented.len(),
        "{:#?}",
        report.diagnostics
    );

    // Trailing whitespace, and the scheme-relative `speechLink` (it loads
    // over the page's scheme, so it is a note with a fix, not an error).
    assert_eq!(report.count(Severity::Info), 2);
    let fixable: BTreeSet<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        fixable,
        BTreeSet::from(["bad-url", "invalid-value", "trailing-whitespace"])
    );
}

#[test]
fn every_sample_file_round_trips_byte_for_byte() {
    let mut files = md_files(&sample());
    files.extend(md_files(&repo_root().join("assets/templates")));
    assert!(files.len() >= 23 + 8 + 2, "{} files", files.len());
    for f in &files {
        let bytes = std::fs::read(f).expect("readable");
        let d = Document::load(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(d.bytes(), &bytes[..], "{}", f.display());
        assert!(!d.is_modified(), "{}", f.display());
        if f.starts_with(sample().join("content")) {
            assert!(d.problem().is_none(), "{}: {:?}", f.display(), d.problem());
        }
    }
}

#[test]
fn sample_files_keep_their_realistic_quirks() {
    let read =
        |name: &str| std::fs::read(sample().join("content/sessions").join(name)).expect("readable");
    for name in ["observability-1201290.md", "observability-1201290.zh.md"] {
        let b = read(name);
        let lf = b.iter().filter(|c| **c == b'\n').count();
        assert_eq!(
            b.windows(2).filter(|w| w == b"\r\n").count(),
            lf,
            "{name} is all CRLF"
        );
    }
    assert!(
        !read("ai-1211034.zh.md").ends_with(b"\n"),
        "no final newline"
    );
    assert!(
        read("bigdata-1203310.md").starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 BOM"
    );
    assert!(
        String::from_utf8(read("ai-1204512.md"))
            .expect("utf-8")
            .contains("room: \"Hall A\" \n"),
        "trailing space"
    );
    // Everything else is plain LF UTF-8 with a final newline.
    for f in md_files(&sample().join("content")) {
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if [
            "observability-1201290.md",
            "observability-1201290.zh.md",
            "ai-1211034.zh.md",
            "bigdata-1203310.md",
        ]
        .contains(&name.as_str())
        {
            continue;
        }
        let b = std::fs::read(&f).expect("readable");
        assert!(
            !b.contains(&b'\r') && !b.starts_with(b"\xEF\xBB\xBF") && b.ends_with(b"\n"),
            "{name}"
        );
    }
}

#[test]
fn every_referenced_speaker_photo_is_a_small_square_png_except_the_missing_one() {
    let site = Site::discover(&sample()).expect("the sample site is discovered");
    let mut referenced = BTreeSet::new();
    for f in site.session_files() {
        let d = Document::load(&f.path).expect("loads");
        let sec = d
            .speakers()
            .unwrap_or_else(|| panic!("{} has a speakers section", f.rel));
        assert!(!sec.speakers.is_empty(), "{}", f.rel);
        for s in sec.speakers {
            assert!(
                !s.headline.is_empty(),
                "{}: {} has a headline",
                f.rel,
                s.name
            );
            referenced.insert(
                s.photo
                    .unwrap_or_else(|| panic!("{}: {} has a photo", f.rel, s.name)),
            );
        }
    }
    assert_eq!(referenced.len(), 17);
    for src in &referenced {
        let path = sample().join("static").join(src);
        if src == "images/speaker/yutong-sun.png" {
            assert!(!path.exists(), "left out on purpose");
            continue;
        }
        let b = std::fs::read(&path).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert!(
            b.starts_with(b"\x89PNG\r\n\x1a\n") && &b[12..16] == b"IHDR",
            "{src} is a PNG"
        );
        let width = u32::from_be_bytes([b[16], b[17], b[18], b[19]]);
        let height = u32::from_be_bytes([b[20], b[21], b[22], b[23]]);
        assert_eq!((width, height), (400, 400), "{src}");
        assert!(b.len() < 20_000, "{src} is {} bytes", b.len());
    }
    let on_disk = std::fs::read_dir(sample().join("static/images/speaker"))
        .expect("photo folder")
        .count();
    assert_eq!(on_disk, 16, "one photo per speaker, none extra");
}

#[test]
fn new_session_templates_carry_every_placeholder() {
    for (name, heading) in [
        ("session.md", " ### Speakers: "),
        ("session.zh.md", " ### 讲师: "),
    ] {
        let path = repo_root().join("assets/templates").join(name);
        let text = std::fs::read_to_string(&path).expect("template is readable");
        for p in [
            "{{title}}",
            "{{date}}",
            "{{track}}",
            "{{presenters}}",
            "{{stype}}",
            "{{room}}",
            "{{abstract}}",
        ] {
            assert!(text.contains(p), "{name} has {p}");
        }
        assert!(
            text.lines().any(|l| l == heading),
            "{name} has the speakers heading"
        );
        let d = Document::load(&path).expect("loads");
        assert!(d.problem().is_none(), "{name}: {:?}", d.problem());
        assert_eq!(
            d.keys(),
            [
                "title",
                "date",
                "track",
                "presenters",
                "stype",
                "room",
                "speechLink"
            ]
        );
        assert!(d.speakers().is_some(), "{name}: the heading is recognised");
    }
}
