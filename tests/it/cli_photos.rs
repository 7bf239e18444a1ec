//! `lectern photos …` against a real HTTP server on 127.0.0.1.

use crate::photos::server::{Response, TestServer};
use crate::support::{copy_tree, repo_root};
use std::process::Command;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A server with a square photo, a wide one, and 404 for anything else.
fn photo_server() -> TestServer {
    let square = jpeg(400, 400);
    let wide = jpeg(900, 300);
    TestServer::start(move |r| match r.path.as_str() {
        "/ada.jpg" => Response::ok("image/jpeg", square.clone()),
        "/wide.jpg" => Response::ok("image/jpeg", wide.clone()),
        _ => Response::status(404),
    })
}

/// The mini fixture with its photo URLs pointed at the test server.
fn site_with_photos(server: &TestServer) -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, site) = copy_tree(&repo_root().join("tests/fixtures/mini"));
    for f in ["db-101.md", "db-101.zh.md"] {
        let p = site.join("content/sessions").join(f);
        let text = std::fs::read_to_string(&p)
            .unwrap()
            .replace("https://photos.example/ada.jpg", &server.url("/ada.jpg"));
        std::fs::write(&p, text).unwrap();
    }
    let p = site.join("content/sessions/web-102.md");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str(&format!("\n### Speakers:\n<img src=\"{}\" width=\"200\" /><br>Ada Park: Engineer\n\n<img src=\"{}\" width=\"200\" /><br>Bo: Gone\n", server.url("/wide.jpg"), server.url("/missing.jpg")));
    std::fs::write(&p, text).unwrap();
    (t, site)
}

fn lectern(args: &[&str], cache: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .env("LECTERN_CACHE_DIR", cache)
        .env("LECTERN_ALLOW_LOOPBACK", "1")
        .output()
        .unwrap()
}

#[test]
fn photos_fetch_reports_failures_and_a_second_run_makes_no_requests() {
    let server = photo_server();
    let (_t, site) = site_with_photos(&server);
    let cache = tempfile::tempdir().unwrap();
    let s = site.to_str().unwrap();
    let out = lectern(&["photos", "fetch", s], cache.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("missing.jpg (HTTP 404)"), "{text}");
    assert!(text.contains("3 photos: 2 downloaded"), "{text}");
    let hits = server.total_hits();
    let out = lectern(&["photos", "fetch", s], cache.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 fresh in cache"));
    // The 404 is tried again; the two cached photos are not requested at all.
    assert_eq!(server.hits("/ada.jpg"), 1);
    assert_eq!(server.hits("/wide.jpg"), 1);
    assert_eq!(server.total_hits(), hits + 1);
}

#[test]
fn photos_check_reports_broken_and_non_square_photos_as_json() {
    let server = photo_server();
    let (_t, site) = site_with_photos(&server);
    let cache = tempfile::tempdir().unwrap();
    let out = lectern(
        &[
            "photos",
            "check",
            site.to_str().unwrap(),
            "--format",
            "json",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("photo-broken".into(), "content/sessions/web-102.md".into())),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|(c, _)| c == "photo-not-square"),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|(c, _)| c == "photo-oversized"),
        "900 px is over the 400 px rule: {codes:?}"
    );
    assert!(
        !codes
            .iter()
            .any(|(_, f)| f.starts_with("content/sessions/db-101")),
        "the square photo is fine: {codes:?}"
    );
}

#[test]
fn photos_normalize_crops_and_resizes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jpg");
    std::fs::write(&input, jpeg(1200, 800)).unwrap();
    let out_path = dir.path().join("out.jpg");
    let out = lectern(
        &[
            "photos",
            "normalize",
            input.to_str().unwrap(),
            "--out",
            out_path.to_str().unwrap(),
            "--size",
            "300",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = image::open(&out_path).unwrap();
    assert_eq!((img.width(), img.height()), (300, 300));
}

#[test]
fn the_photo_protocol_serves_cached_and_static_images_only() {
    use lectern::photos::protocol::{preview_url, serve};
    let square = jpeg(300, 300);
    let server = TestServer::start(move |_| Response::ok("image/jpeg", square.clone()));
    let (_t, site_dir) = site_with_photos(&server);
    std::fs::create_dir_all(site_dir.join("static/images")).unwrap();
    std::fs::write(site_dir.join("static/images/me.jpg"), jpeg(10, 10)).unwrap();
    std::fs::write(
        site_dir.join("static/images/evil.svg"),
        "<svg onload=alert(1)>",
    )
    .unwrap();
    std::fs::write(site_dir.join("secret.txt"), "top secret").unwrap();
    let site = lectern::site::Site::discover(&site_dir).unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = lectern::photos::PhotoCache::open(cache_dir.path(), Default::default()).unwrap();
    let url = server.url("/ada.jpg");
    assert_eq!(
        preview_url(&site, Some(&cache), &url, 256),
        None,
        "not cached yet: placeholder, no request"
    );
    assert_eq!(server.total_hits(), 0);
    let policy = lectern::photos::FetchPolicy {
        allow_loopback: true,
        ..Default::default()
    };
    cache.fetch(&url, &policy).unwrap();
    let u = preview_url(&site, Some(&cache), &url, 256).unwrap();
    assert!(u.starts_with("lectern-photo://localhost/c/"), "{u}");
    let served = serve(
        &site,
        Some(&cache),
        u.trim_start_matches("lectern-photo://localhost"),
    )
    .unwrap();
    assert_eq!(served.mime, "image/jpeg");
    assert_eq!(image::load_from_memory(&served.bytes).unwrap().width(), 256);
    let local = preview_url(&site, None, "images/me.jpg", 256).unwrap();
    assert!(serve(
        &site,
        None,
        local.trim_start_matches("lectern-photo://localhost")
    )
    .is_some());
    assert_eq!(
        preview_url(&site, None, "images/evil.svg", 256).map(|u| serve(
            &site,
            None,
            u.trim_start_matches("lectern-photo://localhost")
        )),
        Some(None),
        "an SVG is never served"
    );
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    for bad in [
        format!("s/{}", hex("../secret.txt")),
        format!("s/{}", hex("/etc/passwd")),
        "c/../../etc/passwd".into(),
        format!("c/{}.jpg", "0".repeat(64)),
        "x/y".into(),
    ] {
        assert!(serve(&site, Some(&cache), &bad).is_none(), "{bad}");
    }
}
