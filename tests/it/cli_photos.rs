//! `lectern photos …` against a real HTTP server on 127.0.0.1.

use crate::photos::server::{Response, TestServer};
use crate::support::{copy_tree, repo_root};
use std::process::Command;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// The mini fixture with its photo URLs pointed at the test server.
fn site_with_photos(server: &TestServer) -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, site) = copy_tree(&repo_root().join("tests/fixtures/mini"));
    for f in ["db-101.md", "db-101.zh.md"] {
        let p = site.join("content/sessions").join(f);
        let text = std::fs::read_to_string(&p).unwrap().replace("https://photos.example/ada.jpg", &server.url("/ada.jpg"));
        std::fs::write(&p, text).unwrap();
    }
    let p = site.join("content/sessions/web-102.md");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str(&format!("\n### Speakers:\n<img src=\"{}\" width=\"200\" /><br>Ada Park: Engineer\n\n<img src=\"{}\" width=\"200\" /><br>Bo: Gone\n", server.url("/wide.jpg"), server.url("/missing.jpg")));
    std::fs::write(&p, text).unwrap();
    (t, site)
}

fn lectern(args: &[&str], cache: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lectern")).args(args).env("LECTERN_CACHE_DIR", cache).env("LECTERN_ALLOW_LOOPBACK", "1").output().unwrap()
}

#[test]
fn photos_fetch_reports_failures_and_a_second_run_makes_no_requests() {
    let square = jpeg(400, 400);
    let wide = jpeg(900, 300);
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/ada.jpg" => Response::ok("image/jpeg", square.clone()),
        "/wide.jpg" => Response::ok("image/jpeg", wide.clone()),
        _ => Response::status(404),
    });
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
    let wide = jpeg(900, 300);
    let square = jpeg(400, 400);
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/ada.jpg" => Response::ok("image/jpeg", square.clone()),
        "/wide.jpg" => Response::ok("image/jpeg", wide.clone()),
        _ => Response::status(404),
    });
    let (_t, site) = site_with_photos(&server);
    let cache = tempfile::tempdir().unwrap();
    let out = lectern(&["photos", "check", site.to_str().unwrap(), "--format", "json"], cache.path());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<(String, String)> = v.as_array().unwrap().iter().map(|d| (d["code"].as_str().unwrap().to_string(), d["file"].as_str().unwrap().to_string())).collect();
    assert!(codes.contains(&("photo-broken".into(), "content/sessions/web-102.md".into())), "{codes:?}");
    assert!(codes.iter().any(|(c, _)| c == "photo-not-square"), "{codes:?}");
    assert!(codes.iter().any(|(c, _)| c == "photo-oversized"), "900 px is over the 400 px rule: {codes:?}");
    assert!(!codes.iter().any(|(_, f)| f.starts_with("content/sessions/db-101")), "the square photo is fine: {codes:?}");
}

#[test]
fn photos_normalize_crops_and_resizes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jpg");
    std::fs::write(&input, jpeg(1200, 800)).unwrap();
    let out_path = dir.path().join("out.jpg");
    let out = lectern(&["photos", "normalize", input.to_str().unwrap(), "--out", out_path.to_str().unwrap(), "--size", "300"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let img = image::open(&out_path).unwrap();
    assert_eq!((img.width(), img.height()), (300, 300));
}
