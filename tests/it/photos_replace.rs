//! "Replace photo…" and the app's photo views, on real sites in temp dirs:
//! EXIF orientation, the crop offset, the speaker folder and file names, the
//! twin rewrite (only the image source's bytes change), fetch failures with
//! their sessions, and per-photo status against the site's rule. URLs are
//! served by the photo tests' real HTTP server on 127.0.0.1.

use crate::photos::jpeg_with_orientation_6;
use crate::photos::server::{Response, TestServer};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage};
use lectern::photos::replace::*;
use lectern::photos::*;
use lectern::workspace::{replace_speaker_photo, set_speaker_photo, workspace_photos, Workspace};
use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

const EN: &str = "content/sessions/db-101.md";
const ZH: &str = "content/sessions/db-101.zh.md";

const EN_TEXT: &str = "---\ntitle: \"Fast Indexes\"\ndate: \"2030-05-01T10:00:00\"\ntrack: \"db\"\npresenters: \"Ada Park, Bo Chen\"\n---\nAbstract.\n\n### Speakers:\n<img src=\"images/speaker/ada.png\" width=\"200\" /><br>Ada Park: Storage engineer\n\nAda likes   trees.  \n\n<img src=\"images/speaker/bo.png\" width=\"200\" /><br>Bo Chen: Planner\n";
// The twin writes CRLF, a full-width colon and a different attribute order.
const ZH_TEXT: &str = "---\r\ntitle: \"快速索引\"\r\ndate: \"2030-05-01T10:00:00\"\r\ntrack: \"db\"\r\npresenters: \"Ada Park, Bo Chen\"\r\n---\r\n摘要。\r\n\r\n### 讲师:\r\n<img width=\"200\" src=\"images/speaker/ada.png\"/><br>Ada Park：存储工程师\r\n\r\n<img src=\"images/speaker/bo.png\" width=\"200\" /><br>Bo Chen：规划师\r\n";

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

/// Three vertical bands (red, green, blue) across a `w`×`h` picture.
fn bands(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, _| match x * 3 / w {
        0 => Rgb([230, 20, 20]),
        1 => Rgb([20, 230, 20]),
        _ => Rgb([20, 20, 230]),
    }))
}

fn close(a: u8, b: u8) -> bool {
    a.abs_diff(b) < 40
}

fn dominant(img: &DynamicImage) -> &'static str {
    let p = img.to_rgb8().get_pixel(img.width() / 2, img.height() / 2).0;
    if close(p[0], 230) && close(p[1], 20) {
        "red"
    } else if close(p[1], 230) {
        "green"
    } else if close(p[2], 230) {
        "blue"
    } else {
        "other"
    }
}

/// A two-language site with one session and its twin, two local speaker
/// photos, and `lectern.toml` extra lines.
fn site(lectern_toml: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let w = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    };
    w(
        "config.toml",
        b"title = \"Conf\"\ndefaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.zh]\nweight = 2\n",
    );
    w("lectern.toml", lectern_toml.as_bytes());
    w(EN, EN_TEXT.as_bytes());
    w(ZH, ZH_TEXT.as_bytes());
    w(
        "static/images/speaker/ada.png",
        &encode(&bands(64, 64), ImageFormat::Png),
    );
    w(
        "static/images/speaker/bo.png",
        &encode(&bands(300, 200), ImageFormat::Png),
    );
    (tmp, root)
}

fn staged_file(dir: &Path, name: &str, bytes: &[u8]) -> StagedPhoto {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write source photo");
    let origin = PhotoOrigin::parse(&path.to_string_lossy()).expect("origin");
    assert_eq!(origin, PhotoOrigin::File(path.clone()));
    StagedPhoto::load(&origin, &FetchPolicy::default(), &DecodeLimits::default()).expect("load")
}

// ---------------------------------------------------------------- the twin rewrite

#[test]
fn replacing_a_photo_changes_only_the_img_source_in_both_twins() {
    let (tmp, root) = site("[photos]\nsize = 120\n");
    let staged = staged_file(
        tmp.path(),
        "new face.png",
        &encode(&bands(300, 200), ImageFormat::Png),
    );
    let mut ws = Workspace::open(&root).expect("open");
    let r = replace_speaker_photo(&mut ws, EN, 0, &staged, 0.5).expect("replace");

    assert_eq!(r.src, "images/speaker/ada-park.jpg");
    assert_eq!(r.path, root.join("static/images/speaker/ada-park.jpg"));
    assert_eq!(r.changed, vec![EN.to_string(), ZH.to_string()]);
    let written = image::open(&r.path).expect("the new photo decodes");
    assert_eq!(
        written.dimensions(),
        (120, 120),
        "square at the site's size"
    );
    assert_eq!(r.bytes, std::fs::metadata(&r.path).expect("stat").len());

    // In memory: exactly the source bytes changed, everything else identical.
    let want_en = EN_TEXT.replacen("images/speaker/ada.png", "images/speaker/ada-park.jpg", 1);
    let want_zh = ZH_TEXT.replacen("images/speaker/ada.png", "images/speaker/ada-park.jpg", 1);
    assert_eq!(ws.document(EN).expect("en").text(), want_en);
    assert_eq!(ws.document(ZH).expect("zh").text(), want_zh);
    // Nothing is written to the sessions before Save.
    assert_eq!(
        std::fs::read_to_string(root.join(EN)).expect("read"),
        EN_TEXT
    );

    // Undo restores the file byte for byte; redo brings the edit back.
    assert!(ws.undo(EN).expect("undo"));
    assert_eq!(ws.document(EN).expect("en").text(), EN_TEXT);
    assert!(ws.redo(EN).expect("redo"));

    for (id, outcome) in ws.save_all() {
        outcome.unwrap_or_else(|e| panic!("save {id}: {e}"));
    }
    assert_eq!(
        std::fs::read(root.join(EN)).expect("read"),
        want_en.as_bytes()
    );
    assert_eq!(
        std::fs::read(root.join(ZH)).expect("read"),
        want_zh.as_bytes()
    );
    // The old photo is untouched.
    assert_eq!(
        image::open(root.join("static/images/speaker/ada.png"))
            .expect("old")
            .dimensions(),
        (64, 64)
    );
}

#[test]
fn the_twin_speaker_is_found_by_its_photo_even_at_another_position() {
    let (_tmp, root) = site("");
    // The Chinese twin lists Bo first.
    let swapped = "---\ntitle: \"快速索引\"\n---\n### 讲师:\n<img src=\"images/speaker/bo.png\" width=\"200\" /><br>Bo Chen：规划师\n\n<img src=\"images/speaker/ada.png\" width=\"200\" /><br>Ada Park：存储工程师\n";
    std::fs::write(root.join(ZH), swapped).expect("write");
    let mut ws = Workspace::open(&root).expect("open");
    let changed = set_speaker_photo(&mut ws, EN, 0, "images/speaker/ada-2.jpg").expect("set");
    assert_eq!(changed, vec![EN.to_string(), ZH.to_string()]);
    assert_eq!(
        ws.document(ZH).expect("zh").text(),
        swapped.replace("images/speaker/ada.png", "images/speaker/ada-2.jpg")
    );
}

#[test]
fn a_speaker_without_a_photo_gets_an_img_in_the_sections_style() {
    let (_tmp, root) = site("");
    let text = EN_TEXT.replace(
        "<img src=\"images/speaker/bo.png\" width=\"200\" /><br>Bo Chen: Planner\n",
        "Bo Chen: Planner\n",
    );
    std::fs::write(root.join(EN), &text).expect("write");
    let mut ws = Workspace::open(&root).expect("open");
    let changed = set_speaker_photo(&mut ws, EN, 1, "images/speaker/bo-chen.jpg").expect("set");
    assert_eq!(changed.first().map(String::as_str), Some(EN));
    assert_eq!(
        ws.document(EN).expect("en").text(),
        EN_TEXT.replace("bo.png", "bo-chen.jpg")
    );
}

#[test]
fn refuses_a_source_that_would_break_the_img_tag() {
    let (_tmp, root) = site("");
    let mut ws = Workspace::open(&root).expect("open");
    let err = set_speaker_photo(&mut ws, EN, 0, "x\" onerror=\"alert(1)").expect_err("refused");
    assert!(err.to_string().contains("cannot be written"), "{err}");
    assert!(!ws.is_modified(EN));
}

// ---------------------------------------------------------------- EXIF and the crop

#[test]
fn honours_exif_orientation_before_cropping() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // 200×100 stored, red left and blue right, Orientation=6: shown as a
    // 100×200 portrait with red on top and blue at the bottom.
    let staged = staged_file(tmp.path(), "turned.jpg", &jpeg_with_orientation_6());
    assert_eq!((staged.width(), staged.height()), (100, 200));
    assert_eq!(staged.source_format, "jpeg");
    let top = staged.render(50, 0.0).expect("top");
    let bottom = staged.render(50, 1.0).expect("bottom");
    assert_eq!((top.width, top.height), (50, 50));
    let top = image::load_from_memory(&top.bytes).expect("decode");
    let bottom = image::load_from_memory(&bottom.bytes).expect("decode");
    let (t, b) = (
        top.to_rgb8().get_pixel(25, 25).0,
        bottom.to_rgb8().get_pixel(25, 25).0,
    );
    assert!(
        close(t[0], 230) && close(t[2], 20),
        "the top square is red: {t:?}"
    );
    assert!(
        close(b[2], 230) && close(b[0], 20),
        "the bottom square is blue: {b:?}"
    );
}

#[test]
fn the_crop_offset_moves_the_square_along_the_long_side() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let staged = staged_file(
        tmp.path(),
        "wide.png",
        &encode(&bands(300, 100), ImageFormat::Png),
    );
    assert_eq!(staged.crop_rect(0.0), (0, 0, 100));
    assert_eq!(staged.crop_rect(0.5), (100, 0, 100));
    assert_eq!(staged.crop_rect(1.0), (200, 0, 100));
    assert_eq!(
        staged.crop_rect(f32::NAN),
        (100, 0, 100),
        "a nonsense offset is centred"
    );
    let colour = |offset| {
        dominant(
            &image::load_from_memory(&staged.render(60, offset).expect("render").bytes)
                .expect("decode"),
        )
    };
    assert_eq!(
        [colour(0.0), colour(0.5), colour(1.0)],
        ["red", "green", "blue"]
    );
    // A small photo is not enlarged, and the dialog says so beforehand.
    assert_eq!(staged.render(400, 0.5).expect("render").width, 100);
    assert_eq!(staged.output_side(400), 100);
    assert_eq!(staged.output_side(60), 60);
    assert_eq!(staged.render(60, 0.5).expect("render").width, 60);
    let small = staged.shrunk(150);
    assert_eq!((small.width(), small.height()), (150, 50));
    let colour_small = |offset| {
        dominant(
            &image::load_from_memory(&small.render(30, offset).expect("render").bytes)
                .expect("decode"),
        )
    };
    assert_eq!(
        [colour_small(0.0), colour_small(0.5), colour_small(1.0)],
        ["red", "green", "blue"]
    );
    let overview = staged.overview(150).expect("overview");
    assert_eq!((overview.width, overview.height), (150, 50));
}

// ---------------------------------------------------------------- folder and names

#[test]
fn names_photos_after_the_speaker_with_accents_folded() {
    assert_eq!(slug("Ada Park"), "ada-park");
    assert_eq!(slug("  José  Núñez, PhD "), "jose-nunez-phd");
    assert_eq!(slug("Jürgen Größe"), "jurgen-grosse");
    assert_eq!(slug("李伟"), "speaker");
    assert_eq!(slug("李伟 (Li Wei)"), "li-wei");
    assert_eq!(slug("../../etc/passwd"), "etc-passwd");
}

#[test]
fn numbers_a_name_already_on_disk_or_used_by_a_session_and_overwrites_nothing() {
    let (tmp, root) = site("");
    let s = lectern::site::Site::discover(&root).expect("site");
    let photo = staged_file(
        tmp.path(),
        "p.png",
        &encode(&bands(90, 90), ImageFormat::Png),
    )
    .render(80, 0.5)
    .expect("render");
    let srcs = vec![
        "images/speaker/ada.png".to_string(),
        "images/speaker/Ada-Park-2.png".to_string(),
    ];
    let first = save_speaker_photo(&s, &srcs, "Ada Park", &photo).expect("first");
    assert_eq!(first.src, "images/speaker/ada-park.jpg");
    let before = std::fs::read(&first.path).expect("read");
    // `ada-park` is on disk now and `ada-park-2` is named by a session (its file is missing).
    let second = save_speaker_photo(&s, &srcs, "Ada Park", &photo).expect("second");
    assert_eq!(second.src, "images/speaker/ada-park-3.jpg");
    assert_eq!(
        std::fs::read(&first.path).expect("read"),
        before,
        "the first photo is untouched"
    );
    let names: BTreeSet<String> = std::fs::read_dir(root.join("static/images/speaker"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let want: BTreeSet<String> = ["ada.png", "bo.png", "ada-park.jpg", "ada-park-3.jpg"]
        .map(String::from)
        .into();
    assert_eq!(names, want, "no temp file is left behind");
}

#[test]
fn infers_the_speaker_folder_from_the_sites_local_photos() {
    let (_tmp, root) = site("");
    let s = lectern::site::Site::discover(&root).expect("site");
    let f = speaker_folder(
        &s,
        [
            "/img/people/a.png",
            "/img/people/b.png",
            "/images/speaker/c.png",
            "https://x.example/y.png",
        ],
    );
    assert_eq!(
        f,
        SpeakerFolder {
            dir: "img/people".into(),
            leading_slash: true
        }
    );
    assert_eq!(f.src("a-b.jpg"), "/img/people/a-b.jpg");
    let f = speaker_folder(&s, ["https://x.example/y.png"]);
    assert_eq!(
        f,
        SpeakerFolder {
            dir: DEFAULT_SPEAKER_DIR.into(),
            leading_slash: false
        }
    );
    // `[photos] dir` wins; one that climbs out of static/ is ignored.
    let (_t2, configured) = site("[photos]\ndir = \"/assets/faces/\"\n");
    let s = lectern::site::Site::discover(&configured).expect("site");
    assert_eq!(speaker_folder(&s, ["img/people/a.png"]).dir, "assets/faces");
    let (_t3, climbing) = site("[photos]\ndir = \"../outside\"\n");
    let s = lectern::site::Site::discover(&climbing).expect("site");
    assert_eq!(speaker_folder(&s, ["img/people/a.png"]).dir, "img/people");
}

#[test]
fn parses_files_file_urls_and_http_urls_and_refuses_other_schemes() {
    assert_eq!(
        PhotoOrigin::parse(" /tmp/a b.png ").expect("path"),
        PhotoOrigin::File("/tmp/a b.png".into())
    );
    assert_eq!(
        PhotoOrigin::parse("file:///tmp/a%20b.png").expect("file url"),
        PhotoOrigin::File("/tmp/a b.png".into())
    );
    assert_eq!(
        PhotoOrigin::parse("https://x.example/a.png").expect("url"),
        PhotoOrigin::Url("https://x.example/a.png".into())
    );
    for bad in [
        "",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "ftp://x/y.png",
    ] {
        assert!(
            matches!(PhotoOrigin::parse(bad), Err(PhotoError::Blocked { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn loads_a_replacement_url_through_the_bounded_fetcher_and_its_policy() {
    let body = encode(&bands(240, 120), ImageFormat::Png);
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/face.png" => Response::ok("image/png", body.clone()),
        _ => Response::status(404),
    });
    let origin = PhotoOrigin::parse(&server.url("/face.png")).expect("origin");
    let limits = DecodeLimits::default();
    // The default policy refuses loopback before sending anything.
    let refused =
        StagedPhoto::load(&origin, &FetchPolicy::default(), &limits).expect_err("refused");
    assert!(matches!(refused, PhotoError::Blocked { .. }), "{refused}");
    assert_eq!(server.total_hits(), 0);
    let local = FetchPolicy {
        allow_loopback: true,
        ..FetchPolicy::default()
    };
    let staged = StagedPhoto::load(&origin, &local, &limits).expect("load");
    assert_eq!(
        (staged.width(), staged.height(), staged.source_format),
        (240, 120, "png")
    );
    let missing = StagedPhoto::load(
        &PhotoOrigin::parse(&server.url("/gone.png")).expect("origin"),
        &local,
        &limits,
    )
    .expect_err("404");
    assert_eq!(missing.http_status(), Some(404));
    let small = FetchPolicy {
        max_bytes: 100,
        ..local
    };
    assert!(matches!(
        StagedPhoto::load(&origin, &small, &limits),
        Err(PhotoError::TooLarge { .. })
    ));
}

// ---------------------------------------------------------------- the app's photo views

#[test]
fn fetch_failures_name_the_sessions_that_use_each_url() {
    let ok = encode(&bands(60, 60), ImageFormat::Png);
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/ok.png" => Response::ok("image/png", ok.clone()),
        _ => Response::status(404),
    });
    let (_tmp, root) = site("");
    let en = EN_TEXT
        .replace("images/speaker/ada.png", &server.url("/ok.png"))
        .replace("images/speaker/bo.png", &server.url("/gone.png"));
    let zh = ZH_TEXT.replace("images/speaker/bo.png", &server.url("/gone.png"));
    std::fs::write(root.join(EN), en).expect("write");
    std::fs::write(root.join(ZH), zh).expect("write");
    let ws = Workspace::open(&root).expect("open");
    let uses = workspace_photos(&ws);
    assert_eq!(uses.len(), 4);
    let urls = remote_urls(&uses);
    assert_eq!(urls.len(), 2);
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = PhotoCache::open(cache_dir.path(), CacheConfig::default()).expect("cache");
    let policy = FetchPolicy {
        allow_loopback: true,
        ..FetchPolicy::default()
    };
    let report = cache.fetch_all(&urls, &policy, 4, &|_| {}, &AtomicBool::new(false));
    let counts = report.counts();
    assert_eq!(
        (
            counts.total,
            counts.downloaded,
            counts.failed,
            counts.cancelled
        ),
        (2, 1, 1, 0)
    );
    assert_eq!(counts.fresh + counts.revalidated, 0);
    let failures = fetch_failures(&report, &uses);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].url, server.url("/gone.png"));
    assert_eq!(failures[0].http_status, Some(404));
    assert!(failures[0].error.contains("404"), "{}", failures[0].error);
    assert_eq!(
        failures[0].files,
        vec![PathBuf::from(EN), PathBuf::from(ZH)]
    );

    // The editor's view: the fetched photo from the cache, with its facts.
    let status = photo_status(
        ws.site(),
        Some(&cache),
        &server.url("/ok.png"),
        Path::new(EN),
        10,
        64,
    );
    assert_eq!(status.facts.map(|f| (f.width, f.height)), Some((60, 60)));
    assert!(status.findings.is_empty(), "{:?}", status.findings);
    assert!(status
        .preview_url
        .as_deref()
        .is_some_and(|u| u.starts_with("lectern-photo://localhost/c/")));
    let gone = photo_status(
        ws.site(),
        Some(&cache),
        &server.url("/gone.png"),
        Path::new(EN),
        13,
        64,
    );
    assert!(
        gone.facts.is_none()
            && gone
                .note
                .as_deref()
                .is_some_and(|n| n.contains("Fetch all photos"))
    );
}

#[test]
fn photo_status_measures_local_photos_against_the_sites_rule() {
    let (_tmp, root) = site("[photos]\nsize = 100\nmax_bytes = 100\n");
    let s = lectern::site::Site::discover(&root).expect("site");
    let bo = photo_status(&s, None, "images/speaker/bo.png", Path::new(EN), 14, 64);
    let facts = bo.facts.expect("facts");
    assert_eq!((facts.width, facts.height), (300, 200));
    assert_eq!(
        facts.bytes,
        std::fs::metadata(root.join("static/images/speaker/bo.png"))
            .expect("stat")
            .len()
    );
    let mut codes: Vec<&str> = bo.findings.iter().map(|d| d.code.as_str()).collect();
    codes.sort();
    assert_eq!(
        codes,
        ["photo-not-square", "photo-oversized", "photo-oversized"]
    );
    assert!(bo
        .preview_url
        .as_deref()
        .is_some_and(|u| u.starts_with("lectern-photo://localhost/s/")));
    let missing = photo_status(&s, None, "images/speaker/nobody.png", Path::new(EN), 14, 64);
    assert_eq!(
        missing.findings.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["photo-broken"]
    );
    assert!(missing.preview_url.is_none());
}
