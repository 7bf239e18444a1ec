//! Speaker photos in the real window: "Fetch all photos" against a real HTTP
//! server on 127.0.0.1 (one photo missing), then "Replace photo…" from a
//! local file path, saved, and checked on disk.
//!
//! The app runs with `LECTERN_ALLOW_LOOPBACK=1` (photos on 127.0.0.1 are
//! refused otherwise) and its photo cache in the test's temp dir.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage};
use lectern_e2e::{copy_tree, fixture, Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);
const FETCH: Duration = Duration::from_secs(60);

/// Three vertical bands (red, green, blue), so a crop's position shows in its colour.
fn bands(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, _| match x * 3 / w {
        0 => Rgb([230, 20, 20]),
        1 => Rgb([20, 230, 20]),
        _ => Rgb([20, 20, 230]),
    }))
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode a test image");
    out.into_inner()
}

/// A small HTTP/1.1 server on 127.0.0.1: fixed bodies by path, 404 for the
/// rest, one request per connection, hits counted per path. Stops with the test.
struct PhotoServer {
    port: u16,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

type Files = HashMap<String, (&'static str, Vec<u8>)>;

impl PhotoServer {
    fn start(files: Files) -> std::io::Result<PhotoServer> {
        Self::start_slow(files, Duration::ZERO)
    }

    /// Each answer waits `delay` first.
    fn start_slow(files: Files, delay: Duration) -> std::io::Result<PhotoServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let files = Arc::new(files);
        let counter = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let files = Arc::clone(&files);
                let counter = Arc::clone(&counter);
                std::thread::spawn(move || {
                    let _ = answer(stream, &files, &counter, delay);
                });
            }
        });
        Ok(PhotoServer { port, hits })
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .map(|h| h.get(path).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    fn total_hits(&self) -> usize {
        self.hits.lock().map(|h| h.values().sum()).unwrap_or(0)
    }
}

fn answer(
    mut stream: TcpStream,
    files: &Files,
    hits: &Mutex<HashMap<String, usize>>,
    delay: Duration,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        if stream.read(&mut byte)? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    if let Ok(mut h) = hits.lock() {
        *h.entry(path.clone()).or_default() += 1;
    }
    std::thread::sleep(delay);
    let (status, mime, body) = match files.get(path.as_str()) {
        Some((mime, body)) => ("200 OK", *mime, body.as_slice()),
        None => ("404 Not Found", "text/plain", b"not found".as_slice()),
    };
    write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())?;
    stream.write_all(body)?;
    stream.flush()
}

/// The photos fixture with its `{{PHOTOS}}` placeholders pointing at `base`.
fn site_for(base: &str) -> Result<(tempfile::TempDir, std::path::PathBuf)> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    copy_tree(&fixture("photos-site"), &site)?;
    for entry in std::fs::read_dir(site.join("content/sessions"))? {
        let path = entry?.path();
        let text = std::fs::read_to_string(&path)?;
        if text.contains("{{PHOTOS}}") {
            std::fs::write(&path, text.replace("{{PHOTOS}}", base))?;
        }
    }
    Ok((tmp, site))
}

#[tokio::test(flavor = "current_thread")]
async fn fetch_all_lists_the_missing_photo_and_replace_rewrites_both_twins_on_save() -> Result<()> {
    let server = PhotoServer::start(HashMap::from([
        (
            "/a.jpg".to_string(),
            ("image/jpeg", encode(&bands(300, 200), ImageFormat::Jpeg)),
        ),
        (
            "/b.png".to_string(),
            ("image/png", encode(&bands(80, 80), ImageFormat::Png)),
        ),
        (
            "/c.jpg".to_string(),
            ("image/jpeg", encode(&bands(100, 100), ImageFormat::Jpeg)),
        ),
    ]))?;
    let (tmp, site) = site_for(&server.base())?;
    let cache = tmp.path().join("photo-cache");
    let new_photo = tmp.path().join("new kim.png");
    std::fs::write(&new_photo, encode(&bands(300, 150), ImageFormat::Png))?;
    let en = site.join("content/sessions/db-303.md");
    let zh = site.join("content/sessions/db-303.zh.md");
    let (en_before, zh_before) = (std::fs::read(&en)?, std::fs::read(&zh)?);

    let args = vec![site.to_string_lossy().into_owned()];
    let cache_env = cache.to_string_lossy().into_owned();
    let env = [
        ("LECTERN_ALLOW_LOOPBACK", "1"),
        ("LECTERN_CACHE_DIR", cache_env.as_str()),
    ];
    let h = Harness::launch_with_env(tmp, site.clone(), args, &env).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"web-301\"]").await?;
        // Before fetching, the remote photos are not in the cache.
        h.wait_until(
            "return document.querySelector('.speaker-photo-box[data-index=\"0\"] .photo-note')?.textContent.includes('Fetch all photos') === true",
            STARTUP,
        )
        .await?;

        // Offline (nothing cached, checklist D11): the preview shows the
        // placeholder for each remote photo and names no photo host, so the
        // web view has nothing to fetch.
        let frame = h
            .eval("const f = document.querySelector('.preview iframe'); return {doc: f.srcdoc, sandbox: f.getAttribute('sandbox')}")
            .await?;
        let doc = frame["doc"].as_str().unwrap_or_default();
        assert!(doc.contains("lectern-photo://localhost/placeholder"), "no placeholder in the preview: {doc:.400}");
        assert!(!doc.contains(&server.base()) && !doc.contains("127.0.0.1"), "the preview names the photo host: {doc:.400}");
        assert_eq!(frame["sandbox"], "", "{frame}");
        for path in ["/a.jpg", "/b.png", "/c.jpg"] {
            assert_eq!(server.hits(path), 0, "{path} was requested before Fetch All");
        }

        // ---- Fetch all photos: 4 distinct URLs, one of them 404.
        h.click(".toolbar .fetch-photos").await?;
        h.wait_until("return document.getElementById('photo-fetch').dataset.state === 'done'", FETCH).await?;
        let panel = h
            .eval(
                "const p = document.getElementById('photo-fetch'); \
                 return {total: p.dataset.total, failed: p.dataset.failed, done: p.dataset.done, \
                   bar: [p.querySelector('progress').value, p.querySelector('progress').max], \
                   summary: p.querySelector('.photo-fetch-summary').textContent, \
                   failures: [...p.querySelectorAll('.photo-failure')].map(li => ({ \
                     url: li.dataset.url, status: li.querySelector('.failure-status').textContent, \
                     sessions: li.querySelector('.failure-sessions').textContent }))}",
            )
            .await?;
        assert_eq!(panel["total"], "4", "{panel}");
        assert_eq!(panel["done"], "4", "{panel}");
        assert_eq!(panel["failed"], "1", "{panel}");
        assert_eq!(panel["bar"], serde_json::json!([4, 4]), "{panel}");
        assert_eq!(panel["summary"], "4 photos: 3 downloaded, 1 failed", "{panel}");
        let failures = panel["failures"].as_array().cloned().unwrap_or_default();
        assert_eq!(failures.len(), 1, "{panel}");
        assert_eq!(failures[0]["url"], format!("{}/missing.png", server.base()));
        assert_eq!(failures[0]["status"], "HTTP 404");
        assert_eq!(failures[0]["sessions"], "content/sessions/ai-302.md, content/sessions/ai-302.zh.md");
        for path in ["/a.jpg", "/b.png", "/c.jpg", "/missing.png"] {
            assert_eq!(server.hits(path), 1, "{path} requested once");
        }

        // ---- The preview and the speakers editor now show the cached photos.
        h.wait_until(
            "return document.querySelector('.preview iframe').srcdoc.includes('lectern-photo://localhost/c/')",
            STARTUP,
        )
        .await?;
        h.wait_until(
            "const b = document.querySelector('.speaker-photo-box[data-index=\"0\"]'); \
             const img = b?.querySelector('img.speaker-thumb'); \
             return !!img && img.complete && img.naturalWidth === 64 && img.src.startsWith('lectern-photo://localhost/c/') && \
               b.querySelector('.photo-dims').textContent.startsWith('300×200') && \
               !!b.querySelector('.photo-finding[data-code=\"photo-not-square\"]') && \
               !!b.querySelector('.photo-finding[data-code=\"photo-oversized\"]')",
            STARTUP,
        )
        .await?;
        // The 80×80 PNG is square and within the rule: no findings.
        h.wait_until(
            "const b = document.querySelector('.speaker-photo-box[data-index=\"1\"]'); \
             return b?.dataset.findings === '0' && b.querySelector('.photo-dims')?.textContent.startsWith('80×80')",
            STARTUP,
        )
        .await?;

        h.screenshot("photos-fetched.png").await?;
        h.click("#photo-fetch .photo-fetch-close").await?;
        h.wait_until("return document.getElementById('photo-fetch').dataset.state === 'idle'", STARTUP).await?;

        // ---- Replace Kim Lee's local photo from a file path, crop at the left.
        h.click(".session-row[data-stem=\"db-303\"]").await?;
        h.wait_until("return document.querySelector('.session-heading')?.textContent === 'Logs You Can Trust'", STARTUP).await?;
        h.click(".speaker-photo-box[data-index=\"0\"] .speaker-replace-photo").await?;
        h.wait_until("return document.getElementById('photo-replace-dialog').open", STARTUP).await?;
        let source = h.wait_for("#photo-replace-dialog .photo-source", STARTUP).await?;
        source.send_keys(&new_photo.to_string_lossy()).await?;
        h.click("#photo-replace-dialog .photo-load").await?;
        h.wait_until("return document.getElementById('photo-replace-dialog').dataset.state === 'staged'", STARTUP).await?;
        let staged = h
            .eval("return document.querySelector('#photo-replace-dialog .photo-stage-info').textContent")
            .await?;
        let staged = staged.as_str().unwrap_or_default();
        assert!(staged.starts_with("300×150 PNG, ") && staged.ends_with(" → 120×120"), "{staged}");
        h.eval(
            "const s = document.querySelector('#photo-replace-dialog .photo-crop-offset'); \
             s.value = '0'; s.dispatchEvent(new Event('input')); return true",
        )
        .await?;
        // The crop frame moves to the left edge once the shell answers.
        h.wait_until(
            "return document.querySelector('#photo-replace-dialog .photo-crop-frame').style.left === '0%'",
            STARTUP,
        )
        .await?;
        h.screenshot("photos-replace-dialog.png").await?;
        h.click("#photo-replace-dialog .photo-replace-apply").await?;
        h.wait_until("return !document.getElementById('photo-replace-dialog').open", STARTUP).await?;
        h.wait_until(
            "return document.querySelector('.speaker-card input[aria-label=\"Photo of speaker 1\"]')?.value === 'images/speaker/kim-lee.jpg'",
            STARTUP,
        )
        .await?;
        // Nothing is written to the sessions before Save.
        assert_eq!(std::fs::read(&en)?, en_before);
        h.click(".toolbar button[title^=\"Save All\"]").await?;
        h.wait_until("return document.querySelector('.status').textContent.startsWith('Saved 2 file')", STARTUP).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    // Keep the temp dir (the site copy) until the disk checks are done.
    let kept = h.stop_keeping_home().await;
    outcome?;
    let _tmp = kept?;

    // ---- On disk: a 120×120 photo cropped at the left (red), and only the img source changed in both twins.
    let written = site.join("static/images/speaker/kim-lee.jpg");
    let img = image::open(&written).map_err(|e| format!("{}: {e}", written.display()))?;
    assert_eq!(img.dimensions(), (120, 120));
    let centre = img.to_rgb8().get_pixel(60, 60).0;
    assert!(
        centre[0] > 180 && centre[1] < 80 && centre[2] < 80,
        "the left (red) square was kept: {centre:?}"
    );
    let swap = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replacen("images/speaker/kim.png", "images/speaker/kim-lee.jpg", 1)
            .into_bytes()
    };
    assert_eq!(
        std::fs::read(&en)?,
        swap(&en_before),
        "db-303.md: only the img source changed"
    );
    assert_eq!(
        std::fs::read(&zh)?,
        swap(&zh_before),
        "db-303.zh.md: only the img source changed"
    );
    assert!(
        site.join("static/images/speaker/kim.png").is_file(),
        "the old photo is kept"
    );
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn cancel_stops_a_slow_fetch_and_the_editor_keeps_working_meanwhile() -> Result<()> {
    // Every answer takes 5 s; 4 run at a time, and there are 12 URLs.
    let jpeg = encode(&bands(90, 90), ImageFormat::Jpeg);
    let names: Vec<String> = (1..=8).map(|i| format!("/slow-{i}.jpg")).collect();
    let files: Files = names
        .iter()
        .map(String::as_str)
        .chain(["/a.jpg", "/b.png", "/c.jpg"])
        .map(|n| (n.to_string(), ("image/jpeg", jpeg.clone())))
        .collect();
    let server = PhotoServer::start_slow(files, Duration::from_secs(5))?;
    let (tmp, site) = site_for(&server.base())?;
    let mut extra = String::from(
        "---\ntitle: \"Slow Photos\"\ndate: \"2030-05-02T15:00:00\"\ntrack: \"web\"\npresenters: \"Many\"\nstype: \"English Session\"\nroom: \"Main Hall\"\n---\nMany speakers.\n\n### Speakers:\n",
    );
    for (i, n) in names.iter().enumerate() {
        extra.push_str(&format!(
            "<img src=\"{}{n}\" width=\"200\" /><br>Speaker {i}: Guest\n\n",
            server.base()
        ));
    }
    std::fs::write(site.join("content/sessions/web-399.md"), extra)?;
    let cache = tmp
        .path()
        .join("photo-cache")
        .to_string_lossy()
        .into_owned();
    let env = [
        ("LECTERN_ALLOW_LOOPBACK", "1"),
        ("LECTERN_CACHE_DIR", cache.as_str()),
    ];
    let args = vec![site.to_string_lossy().into_owned()];
    let h = Harness::launch_with_env(tmp, site.clone(), args, &env).await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"db-303\"]").await?;
        h.wait_until("return document.querySelector('.session-heading')?.textContent === 'Logs You Can Trust'", STARTUP).await?;
        h.click(".toolbar .fetch-photos").await?;
        h.wait_until(
            "const p = document.getElementById('photo-fetch'); return p.dataset.state === 'running' && p.dataset.total === '12'",
            STARTUP,
        )
        .await?;
        // The editor answers while the downloads wait on the server.
        h.eval(
            "const e = document.getElementById('field-title'); e.value = 'Logs You Can Still Trust'; \
             e.dispatchEvent(new Event('change')); return true",
        )
        .await?;
        h.wait_until(
            "return document.querySelector('.session-heading').textContent === 'Logs You Can Still Trust' && \
             document.getElementById('photo-fetch').dataset.state === 'running'",
            STARTUP,
        )
        .await?;
        h.click("#photo-fetch .photo-fetch-cancel").await?;
        h.wait_until("return document.getElementById('photo-fetch').dataset.state === 'done'", FETCH).await?;
        let summary = h.eval("return document.querySelector('#photo-fetch .photo-fetch-summary').textContent").await?;
        let summary = summary.as_str().unwrap_or_default().to_string();
        assert!(summary.starts_with("12 photos: ") && summary.contains(" cancelled"), "{summary}");
        let hits = server.total_hits();
        assert!(hits < 12, "the cancelled run stopped before requesting every URL: {hits} requests; {summary}");
        // A new run can start once this one ended.
        h.click(".toolbar .fetch-photos").await?;
        h.wait_until("return document.getElementById('photo-fetch').dataset.state === 'running'", STARTUP).await?;
        h.click("#photo-fetch .photo-fetch-cancel").await?;
        h.wait_until("return document.getElementById('photo-fetch').dataset.state === 'done'", FETCH).await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
