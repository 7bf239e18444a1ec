//! Photo fetcher, cache and normaliser against a real HTTP server on
//! 127.0.0.1 serving images generated here, and the hard cases: error
//! statuses, slow and oversized bodies, redirect loops, lying content types,
//! decompression bombs, truncated files, SVG and EXIF orientation.

pub mod server;

use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use lectern::photos::*;
use lectern::{Code, Severity};
use server::{Response, TestServer};
use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Duration;

fn local_policy() -> FetchPolicy {
    FetchPolicy {
        allow_loopback: true,
        ..FetchPolicy::default()
    }
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

/// A `w`×`h` RGB image whose colour depends on `seed`, with a gradient so
/// JPEG has something to encode.
fn picture(w: u32, h: u32, seed: u8) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        Rgb([seed, (x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8])
    }))
}

fn png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    encode(&picture(w, h, seed), ImageFormat::Png)
}

fn jpeg(w: u32, h: u32, seed: u8) -> Vec<u8> {
    encode(&picture(w, h, seed), ImageFormat::Jpeg)
}

fn open_cache(dir: &Path) -> PhotoCache {
    PhotoCache::open(dir, CacheConfig::default()).expect("open cache")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list cache dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn close(a: u8, b: u8) -> bool {
    a.abs_diff(b) < 40
}

// ---------------------------------------------------------------- fetching

#[test]
fn fetches_a_png_and_stores_a_reencoded_photo_with_thumbnails() {
    let body = png(300, 200, 10);
    let server = TestServer::start(move |_| Response::ok("image/png", body.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let photo = cache
        .fetch(&server.url("/a.png"), &local_policy())
        .expect("fetch");

    assert_eq!((photo.width, photo.height), (300, 200));
    assert_eq!((photo.original_width, photo.original_height), (300, 200));
    assert_eq!(photo.original_format, "png");
    assert_eq!(
        photo.format,
        StoredFormat::Jpeg,
        "an opaque PNG is stored as JPEG"
    );
    let stored = std::fs::read(&photo.path).expect("stored photo");
    assert_eq!(
        sha256_hex(&stored),
        photo.hash,
        "the file name is the hash of the content"
    );
    assert_eq!(
        photo.path.file_name().and_then(|n| n.to_str()),
        Some(format!("{}.jpg", photo.hash).as_str())
    );
    assert_eq!(
        image::guess_format(&stored).expect("format"),
        ImageFormat::Jpeg
    );

    let sizes: Vec<u32> = photo.thumbnails.iter().map(|t| t.size).collect();
    assert_eq!(sizes, vec![64, 256]);
    for t in &photo.thumbnails {
        let img =
            image::load_from_memory(&std::fs::read(&t.path).expect("thumb")).expect("decode thumb");
        let expected = t.size.min(200);
        assert_eq!(
            img.dimensions(),
            (expected, expected),
            "thumbnails are square crops"
        );
    }
    let bytes = cache.read_thumbnail(&photo, 64).expect("read thumbnail");
    assert_eq!(sha256_hex(&bytes), photo.thumbnail(64).expect("64").hash);
    assert_eq!(server.hits("/a.png"), 1);
}

#[test]
fn sends_a_lectern_user_agent() {
    let body = png(20, 20, 1);
    let server = TestServer::start(move |_| Response::ok("image/png", body.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    open_cache(dir.path())
        .fetch(&server.url("/ua.png"), &local_policy())
        .expect("fetch");
    let requests = server.requests("/ua.png");
    let ua = requests[0].header("user-agent").expect("user agent");
    assert_eq!(ua, format!("Lectern/{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn keeps_transparency_by_storing_png() {
    let rgba = RgbaImage::from_fn(40, 40, |x, _| {
        Rgba([200, 10, 10, if x < 20 { 0 } else { 255 }])
    });
    let body = encode(&DynamicImage::ImageRgba8(rgba), ImageFormat::Png);
    let server = TestServer::start(move |_| Response::ok("image/png", body.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let photo = open_cache(dir.path())
        .fetch(&server.url("/alpha.png"), &local_policy())
        .expect("fetch");
    assert_eq!(photo.format, StoredFormat::Png);
    let img = image::open(&photo.path).expect("stored png");
    assert_eq!(img.get_pixel(0, 0).0[3], 0);
    assert_eq!(img.get_pixel(39, 0).0[3], 255);
}

#[test]
fn accepts_gif_and_webp_and_stores_jpeg() {
    let gif = encode(
        &DynamicImage::ImageRgba8(picture(30, 30, 5).to_rgba8()),
        ImageFormat::Gif,
    );
    let webp = encode(
        &DynamicImage::ImageRgba8(picture(30, 30, 6).to_rgba8()),
        ImageFormat::WebP,
    );
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/p.gif" => Response::ok("image/gif", gif.clone()),
        _ => Response::ok("image/webp", webp.clone()),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let g = cache
        .fetch(&server.url("/p.gif"), &local_policy())
        .expect("gif");
    let w = cache
        .fetch(&server.url("/p.webp"), &local_policy())
        .expect("webp");
    assert_eq!(
        (g.original_format.as_str(), g.format),
        ("gif", StoredFormat::Jpeg)
    );
    assert_eq!(
        (w.original_format.as_str(), w.format),
        ("webp", StoredFormat::Jpeg)
    );
}

#[test]
fn reports_404_and_500_with_their_status() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/missing" => Response::status(404),
        _ => Response::status(500),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let e404 = cache
        .fetch(&server.url("/missing"), &local_policy())
        .expect_err("404");
    let e500 = cache
        .fetch(&server.url("/broken"), &local_policy())
        .expect_err("500");
    assert!(
        matches!(e404, PhotoError::Http { status: 404, .. }),
        "{e404}"
    );
    assert!(
        matches!(e500, PhotoError::Http { status: 500, .. }),
        "{e500}"
    );
    assert!(e404.to_string().contains("HTTP 404"));
}

#[test]
fn gives_up_on_a_slow_server_with_a_timeout() {
    let body = png(10, 10, 1);
    let server = TestServer::start(move |_| {
        Response::ok("image/png", body.clone()).delayed(Duration::from_secs(3))
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = FetchPolicy {
        total_timeout: Duration::from_millis(400),
        ..local_policy()
    };
    let err = open_cache(dir.path())
        .fetch(&server.url("/slow.png"), &policy)
        .expect_err("timeout");
    assert!(matches!(err, PhotoError::Timeout { .. }), "{err}");
}

#[test]
fn refuses_a_body_over_the_size_limit_declared_or_streamed() {
    let big = vec![0u8; 300_000];
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/declared" => Response::ok("image/png", big.clone()),
        _ => Response::ok("image/png", big.clone()).without_length(),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let policy = FetchPolicy {
        max_bytes: 100_000,
        ..local_policy()
    };
    for path in ["/declared", "/streamed"] {
        let err = cache
            .fetch(&server.url(path), &policy)
            .expect_err("too large");
        assert!(
            matches!(err, PhotoError::TooLarge { limit: 100_000, .. }),
            "{path}: {err}"
        );
    }
}

#[test]
fn refuses_the_default_ten_megabyte_limit_overrun() {
    let big = vec![7u8; 10 * 1024 * 1024 + 1];
    let server = TestServer::start(move |_| Response::ok("image/jpeg", big.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let err = open_cache(dir.path())
        .fetch(&server.url("/huge.jpg"), &local_policy())
        .expect_err("too large");
    assert!(matches!(err, PhotoError::TooLarge { .. }), "{err}");
}

#[test]
fn follows_a_short_redirect_chain_and_stops_a_redirect_loop() {
    let body = png(16, 16, 2);
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/hop1" => Response::redirect("/hop2"),
        "/hop2" => Response::redirect("/final.png"),
        "/final.png" => Response::ok("image/png", body.clone()),
        "/loop-a" => Response::redirect("/loop-b"),
        _ => Response::redirect("/loop-a"),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    cache
        .fetch(&server.url("/hop1"), &local_policy())
        .expect("redirect chain");
    assert_eq!(server.hits("/final.png"), 1);

    let err = cache
        .fetch(&server.url("/loop-a"), &local_policy())
        .expect_err("loop");
    assert!(
        matches!(err, PhotoError::TooManyRedirects { limit: 5, .. }),
        "{err}"
    );
    assert_eq!(
        server.hits("/loop-a") + server.hits("/loop-b"),
        6,
        "the first request plus 5 redirects"
    );
}

#[test]
fn refuses_a_redirect_into_a_private_network_without_following_it() {
    let server = TestServer::start(|_| Response::redirect("http://10.0.0.1/photo.png"));
    let dir = tempfile::tempdir().expect("tempdir");
    let err = open_cache(dir.path())
        .fetch(&server.url("/to-private"), &local_policy())
        .expect_err("blocked");
    assert!(matches!(err, PhotoError::Blocked { .. }), "{err}");
}

#[test]
fn sniffs_a_png_served_as_html_and_rejects_html_served_as_png() {
    let body = png(20, 20, 3);
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/png-as-html" => Response::ok("text/html", body.clone()),
        _ => Response::ok(
            "image/png",
            b"<!DOCTYPE html><html><body>Not found</body></html>".to_vec(),
        ),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    cache
        .fetch(&server.url("/png-as-html"), &local_policy())
        .expect("sniffed PNG");
    let err = cache
        .fetch(&server.url("/html-as-png"), &local_policy())
        .expect_err("html");
    assert!(
        matches!(&err, PhotoError::NotAnImage { detected, .. } if detected.contains("HTML")),
        "{err}"
    );
}

/// CRC-32 (IEEE) for hand-made PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A valid PNG whose header declares 100000×100000 pixels.
fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend(png_chunk(b"IHDR", &ihdr));
    // A zlib stream of a few zero bytes: tiny on the wire.
    out.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

#[test]
fn a_png_decompression_bomb_is_a_decode_error_not_a_crash() {
    let server = TestServer::start(|_| Response::ok("image/png", png_bomb()));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let err = cache
        .fetch(&server.url("/bomb.png"), &local_policy())
        .expect_err("bomb");
    assert!(
        matches!(&err, PhotoError::Decode { message, .. } if message.contains("too large")),
        "{err}"
    );
    assert_eq!(
        files_in(dir.path()),
        Vec::<String>::new(),
        "nothing is stored"
    );
}

#[test]
fn a_highly_compressed_png_over_the_memory_limit_is_refused() {
    // 2500×2500 black pixels compress to a few kilobytes but need 6 MB
    // decoded; a cache limited to 4 MiB of decoder memory refuses it.
    let black = DynamicImage::ImageLuma8(image::GrayImage::new(2500, 2500));
    let body = encode(&black, ImageFormat::Png);
    assert!(body.len() < 100_000, "{} bytes", body.len());
    let server = TestServer::start(move |_| Response::ok("image/png", body.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let limits = DecodeLimits {
        max_alloc: 4 * 1024 * 1024,
        ..DecodeLimits::default()
    };
    let config = CacheConfig {
        limits,
        ..CacheConfig::default()
    };
    let cache = PhotoCache::open(dir.path(), config).expect("open");
    let err = cache
        .fetch(&server.url("/zip-bomb.png"), &local_policy())
        .expect_err("memory limit");
    assert!(
        matches!(&err, PhotoError::Decode { message, .. } if message.contains("too large")),
        "{err}"
    );
}

#[test]
fn loopback_is_allowed_only_when_lectern_allow_loopback_is_1() {
    // The only reader of this variable in the test binary is FetchPolicy::from_env.
    std::env::set_var("LECTERN_ALLOW_LOOPBACK", "1");
    let allowed = FetchPolicy::from_env();
    std::env::set_var("LECTERN_ALLOW_LOOPBACK", "yes");
    let other_value = FetchPolicy::from_env();
    std::env::remove_var("LECTERN_ALLOW_LOOPBACK");
    let unset = FetchPolicy::from_env();
    assert!(allowed.allow_loopback);
    assert!(!other_value.allow_loopback);
    assert!(!unset.allow_loopback);
    assert!(!FetchPolicy::default().allow_loopback);
    assert!(check_url("http://10.0.0.1/", &allowed).is_err());
}

#[test]
fn a_truncated_jpeg_is_a_decode_error() {
    let mut body = jpeg(200, 200, 4);
    body.truncate(body.len() / 3);
    let server = TestServer::start(move |_| Response::ok("image/jpeg", body.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let err = open_cache(dir.path())
        .fetch(&server.url("/cut.jpg"), &local_policy())
        .expect_err("truncated");
    assert!(matches!(err, PhotoError::Decode { .. }), "{err}");
}

#[test]
fn rejects_svg_and_stores_nothing_svg() {
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
    let server = TestServer::start(move |_| Response::ok("image/svg+xml", svg.to_vec()));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let err = cache
        .fetch(&server.url("/face.svg"), &local_policy())
        .expect_err("svg");
    assert!(
        matches!(&err, PhotoError::NotAnImage { detected, .. } if detected.contains("SVG")),
        "{err}"
    );
    for name in files_in(dir.path()) {
        let bytes = std::fs::read(dir.path().join(&name)).expect("read");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("<svg"),
            "{name} holds SVG"
        );
    }
    assert!(cache.lookup(&server.url("/face.svg")).is_none());
}

/// A 200×100 JPEG, left half red and right half blue, tagged with EXIF
/// Orientation=6 (display rotated 90° clockwise).
pub(crate) fn jpeg_with_orientation_6() -> Vec<u8> {
    let img = RgbImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    });
    let plain = encode(&DynamicImage::ImageRgb8(img), ImageFormat::Jpeg);
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&[0x00, 0x01]); // one IFD entry
    tiff.extend_from_slice(&[
        0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
    ]);
    tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

#[test]
fn applies_exif_orientation_6_when_fetching_and_normalising() {
    let body = jpeg_with_orientation_6();
    let served = body.clone();
    let server = TestServer::start(move |_| Response::ok("image/jpeg", served.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let photo = open_cache(dir.path())
        .fetch(&server.url("/turned.jpg"), &local_policy())
        .expect("fetch");
    assert_eq!(
        (photo.width, photo.height),
        (100, 200),
        "rotated to portrait"
    );
    let stored = image::open(&photo.path).expect("stored").to_rgb8();
    // Rotated clockwise, the red left half becomes the top half.
    let top = stored.get_pixel(50, 10).0;
    let bottom = stored.get_pixel(50, 190).0;
    assert!(
        close(top[0], 230) && close(top[2], 20),
        "top is red: {top:?}"
    );
    assert!(
        close(bottom[0], 20) && close(bottom[2], 230),
        "bottom is blue: {bottom:?}"
    );

    let n = normalize(
        PhotoInput::Bytes(&body),
        &NormalizeOptions {
            size: 80,
            ..NormalizeOptions::default()
        },
    )
    .expect("normalize");
    assert_eq!((n.width, n.height, n.format), (80, 80, StoredFormat::Jpeg));
    let img = image::load_from_memory(&n.bytes).expect("decode").to_rgb8();
    let (top_left, bottom_left) = (img.get_pixel(2, 2).0, img.get_pixel(2, 77).0);
    assert!(close(top_left[0], 230), "top-left red: {top_left:?}");
    assert!(
        close(bottom_left[2], 230),
        "bottom-left blue, so the crop was taken after rotation: {bottom_left:?}"
    );
}

// ---------------------------------------------------------------- the network policy

#[test]
fn refuses_loopback_by_default_without_sending_a_request() {
    let body = png(10, 10, 1);
    let server = TestServer::start(move |_| Response::ok("image/png", body.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let strict = FetchPolicy::default();
    let literal = cache
        .fetch(&server.url("/x.png"), &strict)
        .expect_err("literal loopback");
    assert!(matches!(literal, PhotoError::Blocked { .. }), "{literal}");
    let named = format!("http://localhost:{}/y.png", server.port());
    let resolved = cache.fetch(&named, &strict).expect_err("localhost");
    assert!(
        matches!(&resolved, PhotoError::Blocked { reason, .. } if reason.contains("loopback")),
        "{resolved}"
    );
    assert_eq!(server.total_hits(), 0, "no request reached the server");
}

#[test]
fn refuses_private_and_special_addresses_in_any_notation() {
    let loopback_ok = local_policy();
    let refused = [
        "http://10.0.0.1/a.png",
        "http://172.16.5.4/a.png",
        "http://192.168.1.1/a.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/a.png",
        "http://0.0.0.0/a.png",
        "http://2130706433/a.png",
        "http://0x7f000001/a.png",
        "http://127.1/a.png",
        "http://100.64.0.1/a.png",
        "http://224.0.0.1/a.png",
        "http://255.255.255.255/a.png",
        "http://[fe80::1]/a.png",
        "http://[fd12:3456::1]/a.png",
        "http://[::ffff:10.0.0.1]/a.png",
        "http://[::ffff:169.254.169.254]/a.png",
        "http://[::]/a.png",
    ];
    for url in refused {
        let err = check_url(url, &FetchPolicy::default()).expect_err(url);
        assert!(matches!(err, PhotoError::Blocked { .. }), "{url}: {err}");
    }
    // Allowing loopback allows loopback only.
    for url in [
        "http://10.0.0.1/",
        "http://169.254.169.254/",
        "http://[fd00::1]/",
        "http://[::ffff:192.168.0.1]/",
    ] {
        assert!(check_url(url, &loopback_ok).is_err(), "{url}");
    }
    for url in ["http://127.0.0.1/", "http://2130706433/", "http://[::1]/"] {
        assert!(check_url(url, &loopback_ok).is_ok(), "{url}");
    }
    assert!(check_url("https://93.184.215.14/a.png", &FetchPolicy::default()).is_ok());
    assert!(check_url("https://example.org/a.png", &FetchPolicy::default()).is_ok());
}

#[test]
fn refuses_non_http_schemes_and_relative_urls_before_any_request() {
    let server = TestServer::start(|_| Response::status(200));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    for url in [
        "file:///etc/passwd",
        "ftp://example.org/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "images/speaker/a.png",
        "/images/speaker/a.png",
        "http://user:pw@example.org/a.png",
    ] {
        let err = cache.fetch(url, &local_policy()).expect_err(url);
        assert!(matches!(err, PhotoError::Blocked { .. }), "{url}: {err}");
    }
    assert_eq!(server.total_hits(), 0);
}

#[test]
fn refuses_an_https_to_http_downgrade() {
    let from = url::Url::parse("https://photos.example.org/a.png").expect("url");
    let to = url::Url::parse("http://photos.example.org/a.png").expect("url");
    let err = check_redirect(&from, &to, &FetchPolicy::default()).expect_err("downgrade");
    assert!(matches!(err, PhotoError::Downgrade { .. }), "{err}");
    let up = check_redirect(&to, &from, &FetchPolicy::default());
    assert!(up.is_ok(), "http→https is fine");
    let private = url::Url::parse("https://192.168.0.10/a.png").expect("url");
    assert!(matches!(
        check_redirect(&from, &private, &FetchPolicy::default()),
        Err(PhotoError::Blocked { .. })
    ));
}

#[test]
fn classifies_ip_addresses() {
    use std::net::IpAddr;
    let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
    assert!(check_ip(ip("8.8.8.8"), false).is_none());
    assert!(check_ip(ip("2606:4700::1111"), false).is_none());
    assert!(check_ip(ip("127.0.0.1"), false).is_some());
    assert!(check_ip(ip("127.0.0.1"), true).is_none());
    assert!(check_ip(ip("100.127.255.255"), false).is_some());
    assert!(check_ip(ip("100.128.0.1"), false).is_none());
    assert!(check_ip(ip("172.31.255.255"), false).is_some());
    assert!(check_ip(ip("172.32.0.1"), false).is_none());
    assert!(
        check_ip(ip("64:ff9b::a00:1"), false).is_some(),
        "NAT64 of 10.0.0.1"
    );
    assert!(
        check_ip(ip("2002:c0a8:0101::"), false).is_some(),
        "6to4 of 192.168.1.1"
    );
    assert!(check_ip(ip("ff02::1"), false).is_some());
}

// ---------------------------------------------------------------- the cache

#[test]
fn ten_concurrent_fetches_of_one_url_make_one_request() {
    let body = jpeg(120, 120, 9);
    let server = TestServer::start(move |_| {
        Response::ok("image/jpeg", body.clone()).delayed(Duration::from_millis(300))
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let url = server.url("/shared.jpg");
    let hashes = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..10 {
            s.spawn(|| {
                let photo = cache.fetch(&url, &local_policy()).expect("fetch");
                hashes.lock().expect("lock").push(photo.hash);
            });
        }
    });
    assert_eq!(server.hits("/shared.jpg"), 1);
    let hashes = hashes.into_inner().expect("hashes");
    assert_eq!(hashes.len(), 10);
    assert!(hashes.iter().all(|h| *h == hashes[0]));
}

#[test]
fn refetches_a_truncated_or_corrupted_cache_file() {
    let body = png(64, 64, 11);
    let server = TestServer::start(move |_| Response::ok("image/png", body.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let url = server.url("/p.png");
    let photo = cache.fetch(&url, &local_policy()).expect("fetch");
    let good = std::fs::read(&photo.path).expect("read");

    std::fs::write(&photo.path, &good[..good.len() / 2]).expect("truncate");
    assert!(
        cache.lookup(&url).is_none(),
        "a truncated entry is not offered offline"
    );
    let again = cache.fetch(&url, &local_policy()).expect("refetch");
    assert_eq!(server.hits("/p.png"), 2);
    assert_eq!(std::fs::read(&again.path).expect("read"), good);

    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0xff;
    std::fs::write(&again.path, &flipped).expect("corrupt");
    cache
        .fetch(&url, &local_policy())
        .expect("refetch after corruption");
    assert_eq!(
        server.hits("/p.png"),
        3,
        "same size but wrong hash is refetched"
    );
    assert_eq!(std::fs::read(&again.path).expect("read"), good);
}

#[test]
fn a_second_fetch_all_over_fresh_entries_makes_no_requests() {
    let server = TestServer::start(|r| {
        let seed = r.path.bytes().last().unwrap_or(0);
        Response::ok("image/png", png(50, 50, seed))
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let urls: Vec<String> = (0..6).map(|i| server.url(&format!("/s{i}"))).collect();
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let progress = |p: &FetchProgress<'_>| {
        assert!(p.done <= p.total);
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let cancel = AtomicBool::new(false);
    let first = cache.fetch_all(&urls, &local_policy(), 0, &progress, &cancel);
    assert_eq!(first.count(FetchStatus::Downloaded), 6, "{first:?}");
    assert!(first.outcomes.iter().all(|o| o.http_status == Some(200)));
    assert_eq!(server.total_hits(), 6);

    let second = cache.fetch_all(&urls, &local_policy(), 4, &progress, &cancel);
    assert_eq!(second.count(FetchStatus::Fresh), 6);
    assert_eq!(server.total_hits(), 6, "fresh entries make zero requests");
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 12);

    // A reopened cache still knows them.
    drop(cache);
    let reopened = open_cache(dir.path());
    assert!(urls.iter().all(|u| reopened.lookup(u).is_some()));
    let third = reopened.fetch_all(&urls, &local_policy(), 2, &|_| {}, &cancel);
    assert_eq!(third.count(FetchStatus::Fresh), 6);
    assert_eq!(server.total_hits(), 6);
}

#[test]
fn fetch_all_reports_each_url_and_honours_cancel() {
    let body = png(20, 20, 1);
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/ok.png" => Response::ok("image/png", body.clone()),
        _ => Response::status(404),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = open_cache(dir.path());
    let urls = vec![
        server.url("/ok.png"),
        server.url("/gone.png"),
        "ftp://example.org/x.png".to_owned(),
        server.url("/ok.png"),
    ];
    let report = cache.fetch_all(&urls, &local_policy(), 2, &|_| {}, &AtomicBool::new(false));
    assert_eq!(report.outcomes.len(), 3, "duplicates are fetched once");
    assert_eq!(report.outcomes[0].status, FetchStatus::Downloaded);
    assert_eq!(report.outcomes[1].status, FetchStatus::Failed);
    assert_eq!(report.outcomes[1].http_status, Some(404));
    assert!(report.outcomes[2]
        .error
        .as_deref()
        .is_some_and(|e| e.contains("ftp")));

    let cancelled = cache.fetch_all(
        &[server.url("/a"), server.url("/b")],
        &local_policy(),
        2,
        &|_| {},
        &AtomicBool::new(true),
    );
    assert_eq!(cancelled.count(FetchStatus::Cancelled), 2);
    assert_eq!(server.hits("/a") + server.hits("/b"), 0);
}

#[test]
fn revalidates_a_stale_entry_with_its_etag_and_keeps_it_on_304() {
    let body = png(30, 30, 12);
    let server = TestServer::start(move |r| {
        if r.header("if-none-match") == Some("\"v1\"") {
            Response {
                body: vec![],
                ..Response::status(304)
            }
        } else {
            Response::ok("image/png", body.clone())
                .header("ETag", "\"v1\"")
                .header("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT")
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let config = CacheConfig {
        max_age: Duration::ZERO,
        ..CacheConfig::default()
    };
    let cache = PhotoCache::open(dir.path(), config).expect("open");
    let url = server.url("/e.png");
    let first = cache.fetch_outcome(&url, &local_policy());
    assert_eq!(first.status, FetchStatus::Downloaded);
    let second = cache.fetch_outcome(&url, &local_policy());
    assert_eq!(second.status, FetchStatus::Revalidated);
    assert_eq!(second.http_status, Some(304));
    assert_eq!(
        second.photo.as_ref().map(|p| &p.hash),
        first.photo.as_ref().map(|p| &p.hash)
    );
    let requests = server.requests("/e.png");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("if-none-match"), None);
    assert_eq!(requests[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        requests[1].header("if-modified-since"),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
}

#[test]
fn evicts_least_recently_used_photos_to_stay_under_the_cap() {
    let server = TestServer::start(|r| {
        let seed = r.path.bytes().last().unwrap_or(0).wrapping_mul(37);
        Response::ok("image/jpeg", jpeg(200, 200, seed))
    });
    let dir = tempfile::tempdir().expect("tempdir");
    // Measure one entry, then cap the cache at about three entries.
    let probe_dir = tempfile::tempdir().expect("tempdir");
    let probe = open_cache(probe_dir.path());
    probe
        .fetch(&server.url("/probe0"), &local_policy())
        .expect("probe");
    let one = probe.total_bytes();
    let cap = one * 3 + one / 2;
    let cache = PhotoCache::open(
        dir.path(),
        CacheConfig {
            max_bytes: cap,
            ..CacheConfig::default()
        },
    )
    .expect("open");
    let urls: Vec<String> = (1..=6).map(|i| server.url(&format!("/e{i}"))).collect();
    for (i, url) in urls.iter().enumerate() {
        cache.fetch(url, &local_policy()).expect("fetch");
        if i == 2 {
            // Touch the first photo so the second becomes the oldest.
            assert!(cache.lookup(&urls[0]).is_some());
        }
        assert!(
            cache.total_bytes() <= cap,
            "after {url}: {} > {cap}",
            cache.total_bytes()
        );
    }
    assert!(cache.lookup(&urls[5]).is_some(), "the newest stays");
    assert!(
        cache.lookup(&urls[1]).is_none(),
        "the least recently used went first"
    );
    let on_disk: u64 = files_in(dir.path())
        .iter()
        .filter(|n| n.ends_with(".jpg") || n.ends_with(".png"))
        .map(|n| std::fs::metadata(dir.path().join(n)).expect("meta").len())
        .sum();
    assert_eq!(on_disk, cache.total_bytes(), "evicted files are deleted");
}

// ---------------------------------------------------------------- local photos and normalising

#[test]
fn classifies_photo_sources() {
    assert_eq!(
        classify_src(" https://example.org/a b.png "),
        PhotoSource::Remote("https://example.org/a%20b.png".into())
    );
    assert_eq!(
        classify_src("images/speaker/x.png"),
        PhotoSource::Local("images/speaker/x.png".into())
    );
    assert_eq!(
        classify_src("/images/speaker/x%20y.png?v=2"),
        PhotoSource::Local("images/speaker/x y.png".into())
    );
    for bad in [
        "",
        "../secret.png",
        "images/../../x.png",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "//cdn.example/x.png",
    ] {
        assert!(
            matches!(classify_src(bad), PhotoSource::Invalid(_)),
            "{bad:?}"
        );
    }
}

#[test]
fn resolves_local_photos_in_static_and_theme_static_but_not_outside_the_site() {
    let root = tempfile::tempdir().expect("tempdir");
    let site = root.path().join("site");
    std::fs::create_dir_all(site.join("static/images/speaker")).expect("mkdir");
    std::fs::create_dir_all(site.join("themes/coc/static/img")).expect("mkdir");
    std::fs::write(site.join("static/images/speaker/a.png"), png(10, 10, 1)).expect("write");
    std::fs::write(site.join("themes/coc/static/img/logo.png"), png(10, 10, 2)).expect("write");
    std::fs::write(root.path().join("outside.png"), png(10, 10, 3)).expect("write");

    let found = resolve_local(&site, "/images/speaker/a.png").expect("static");
    assert!(found.ends_with("static/images/speaker/a.png"));
    let themed = resolve_local(&site, "img/logo.png").expect("theme static");
    assert!(themed.ends_with("themes/coc/static/img/logo.png"));
    assert_eq!(resolve_local(&site, "images/speaker/missing.png"), None);
    assert_eq!(resolve_local(&site, "../../outside.png"), None);
    assert_eq!(resolve_local(&site, "https://example.org/a.png"), None);

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            root.path().join("outside.png"),
            site.join("static/images/speaker/link.png"),
        )
        .expect("symlink");
        assert_eq!(
            resolve_local(&site, "images/speaker/link.png"),
            None,
            "symlink out of the site"
        );
    }
}

#[test]
fn normalises_to_a_square_without_enlarging() {
    let big = png(600, 300, 20);
    let n = normalize(PhotoInput::Bytes(&big), &NormalizeOptions::default()).expect("normalize");
    assert_eq!(
        (n.width, n.height, n.format),
        (300, 300, StoredFormat::Jpeg),
        "never enlarged past the short side"
    );
    let small = normalize(
        PhotoInput::Bytes(&big),
        &NormalizeOptions {
            size: 120,
            ..NormalizeOptions::default()
        },
    )
    .expect("normalize");
    assert_eq!((small.width, small.height), (120, 120));
    assert_eq!(
        image::guess_format(&small.bytes).expect("format"),
        ImageFormat::Jpeg
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.png");
    std::fs::write(&path, png(500, 700, 1)).expect("write");
    let from_file =
        normalize(PhotoInput::Path(&path), &NormalizeOptions::default()).expect("from file");
    assert_eq!((from_file.width, from_file.height), (400, 400));

    let err =
        normalize(PhotoInput::Bytes(b"<svg/>"), &NormalizeOptions::default()).expect_err("svg");
    assert!(matches!(err, PhotoError::NotAnImage { .. }));
    let err =
        normalize(PhotoInput::Bytes(&png_bomb()), &NormalizeOptions::default()).expect_err("bomb");
    assert!(matches!(err, PhotoError::Decode { .. }));
}

#[test]
fn normalising_with_a_focus_keeps_that_part() {
    // Top third green, rest grey: a focus near the top keeps the green.
    let img = RgbImage::from_fn(100, 300, |_, y| {
        if y < 100 {
            Rgb([20, 220, 20])
        } else {
            Rgb([128, 128, 128])
        }
    });
    let bytes = encode(&DynamicImage::ImageRgb8(img), ImageFormat::Png);
    let opts = NormalizeOptions {
        size: 100,
        focus: (0.5, 0.0),
        ..NormalizeOptions::default()
    };
    let n = normalize(PhotoInput::Bytes(&bytes), &opts).expect("normalize");
    let out = image::load_from_memory(&n.bytes).expect("decode").to_rgb8();
    assert!(
        close(out.get_pixel(50, 50).0[1], 220),
        "{:?}",
        out.get_pixel(50, 50)
    );
}

#[test]
fn checks_photos_against_the_site_rule() {
    let file = Path::new("content/sessions/a-1.md");
    let at = PhotoRef {
        src: "images/speaker/a.png",
        file,
        line: 12,
        column: 6,
    };
    let rule = PhotoRule {
        max_bytes: 200 * 1024,
        max_dimension: 1000,
        require_square: true,
        square_tolerance: 0.02,
    };

    let fine = check_photo(
        &at,
        Ok(PhotoFacts {
            width: 400,
            height: 400,
            bytes: 50_000,
        }),
        &rule,
    );
    assert!(fine.is_empty(), "{fine:?}");

    let heavy = check_photo(
        &at,
        Ok(PhotoFacts {
            width: 1600,
            height: 900,
            bytes: 900_000,
        }),
        &rule,
    );
    let codes: Vec<&str> = heavy.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["photo-oversized", "photo-oversized", "photo-not-square"]
    );
    assert!(heavy
        .iter()
        .all(|d| d.severity == Severity::Warning && d.line == 12 && d.file == file));

    let err = PhotoError::Http {
        url: "https://example.org/a.png".into(),
        status: 404,
    };
    let broken = check_photo(&at, Err(&err), &rule);
    assert_eq!(broken.len(), 1);
    assert_eq!(
        (broken[0].code, broken[0].severity),
        (Code::PhotoBroken, Severity::Error)
    );
    assert!(broken[0].message.contains("404"));

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.png");
    std::fs::write(&path, png(120, 80, 1)).expect("write");
    let facts = inspect_local(&path, &DecodeLimits::default()).expect("inspect");
    assert_eq!((facts.width, facts.height), (120, 80));
    let svg = dir.path().join("p.svg");
    std::fs::write(&svg, "<svg/>").expect("write");
    assert!(matches!(
        inspect_local(&svg, &DecodeLimits::default()),
        Err(PhotoError::NotAnImage { .. })
    ));
}

#[test]
fn starts_empty_on_a_corrupt_index_and_removes_stray_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("index.json"), b"{ not json").expect("write");
    let stray = format!("{}.jpg", "ab".repeat(32));
    std::fs::write(dir.path().join(&stray), b"left over").expect("write");
    std::fs::write(dir.path().join(".tmp-1-2-3"), b"half written").expect("write");
    std::fs::write(dir.path().join("notes.txt"), b"not ours").expect("write");
    let cache = open_cache(dir.path());
    assert_eq!(cache.total_bytes(), 0);
    assert!(cache.lookup("https://example.org/a.png").is_none());
    assert_eq!(
        files_in(dir.path()),
        vec!["index.json".to_owned(), "notes.txt".to_owned()]
    );
    cache.flush().expect("flush");
    let index = std::fs::read_to_string(dir.path().join("index.json")).expect("index");
    assert!(
        index.contains("\"entries\""),
        "the corrupt index is replaced: {index}"
    );
}

#[test]
fn the_cache_dir_follows_lectern_cache_dir() {
    // The only reader of this variable in the test binary is default_cache_dir.
    std::env::set_var("LECTERN_CACHE_DIR", "/tmp/lectern-photos-test");
    assert_eq!(default_cache_dir(), Some("/tmp/lectern-photos-test".into()));
    std::env::remove_var("LECTERN_CACHE_DIR");
    if let Some(dir) = default_cache_dir() {
        assert!(dir.ends_with("lectern/photos"), "{dir:?}");
    }
}
