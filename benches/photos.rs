//! Photo cache figures: fetch and thumbnail 300 distinct 1000×1000 JPEG
//! photos from a loopback server into a fresh cache (cold), then show all
//! thumbnails from the warm cache (lookup all 300 and read the thumbnail
//! bytes). Prints figures; asserts nothing about time.
//!
//! Run: `cargo bench --bench photos`.

#[allow(dead_code)]
#[path = "../tests/it/photos/server.rs"]
mod server;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use lectern::photos::{CacheConfig, FetchPolicy, FetchStatus, PhotoCache};
use rayon::prelude::*;
use server::{Response, TestServer};
use std::io::Cursor;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PHOTOS: usize = 300;
const SIDE: u32 = 1000;
const COLD_RUNS: usize = 3;
const WARM_RUNS: usize = 10;

/// A photo-like 1000×1000 JPEG: smooth colour fields plus grain, so it
/// compresses like a real portrait rather than like a flat gradient.
fn photo(i: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ (i as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let img = RgbImage::from_fn(SIDE, SIDE, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let grain = (state % 24) as i32 - 12;
        let cx = x as i32 - 500;
        let cy = y as i32 - 420;
        let face = cx * cx + cy * cy < 300 * 300;
        let base = if face {
            [205, 160, 130]
        } else {
            [40 + (i % 150) as i32, 70, 110 + (y / 10) as i32]
        };
        Rgb(base.map(|c| (c + grain).clamp(0, 255) as u8))
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img)
        .write_to(&mut out, ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// CPU time (user + system) this process has used, from /proc on Linux.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line; 12 and 13 here.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10)) // USER_HZ is 100 on Linux
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let t = Instant::now();
    let photos: Arc<Vec<Vec<u8>>> = Arc::new((0..PHOTOS).into_par_iter().map(photo).collect());
    let avg = photos.iter().map(|p| p.len()).sum::<usize>() / PHOTOS;
    println!(
        "generated {PHOTOS} JPEGs of {SIDE}×{SIDE} (average {} KiB) in {}",
        avg / 1024,
        secs(t.elapsed())
    );
    println!(
        "rayon threads: {}, fetch jobs: 4",
        rayon::current_num_threads()
    );

    let policy = FetchPolicy {
        allow_loopback: true,
        ..FetchPolicy::default()
    };
    let cancel = AtomicBool::new(false);
    let mut cold = Vec::new();
    let mut last_dir = None;
    for run in 0..COLD_RUNS {
        let served = photos.clone();
        let server = TestServer::start(move |r| {
            let i: usize = r
                .path
                .trim_start_matches("/p/")
                .trim_end_matches(".jpg")
                .parse()
                .unwrap_or(usize::MAX);
            match served.get(i) {
                Some(bytes) => Response::ok("image/jpeg", bytes.clone()),
                None => Response::status(404),
            }
        });
        let urls: Vec<String> = (0..PHOTOS)
            .map(|i| server.url(&format!("/p/{i}.jpg")))
            .collect();
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = PhotoCache::open(dir.path(), CacheConfig::default()).expect("open");
        let cpu_before = cpu_time();
        let t = Instant::now();
        let report = cache.fetch_all(&urls, &policy, 4, &|_| {}, &cancel);
        let took = t.elapsed();
        let cpu = cpu_time().zip(cpu_before).map(|(a, b)| a.saturating_sub(b));
        assert_eq!(
            report.count(FetchStatus::Downloaded),
            PHOTOS,
            "{:?}",
            report.outcomes.first()
        );
        assert_eq!(server.total_hits(), PHOTOS);
        println!(
            "cold run {}: fetch + decode + thumbnails of {PHOTOS} photos: {} wall, {} CPU (server included)",
            run + 1,
            secs(took),
            cpu.map_or("?".into(), secs)
        );
        cold.push(took);

        if run + 1 == COLD_RUNS {
            let t = Instant::now();
            let again = cache.fetch_all(&urls, &policy, 4, &|_| {}, &cancel);
            let took = t.elapsed();
            assert_eq!(again.count(FetchStatus::Fresh), PHOTOS);
            assert_eq!(
                server.total_hits(),
                PHOTOS,
                "fresh entries make no requests"
            );
            println!(
                "second fetch_all over fresh entries (hash check of every file, 0 requests): {}",
                ms(took)
            );
            println!("cache size: {:.1} MB", cache.total_bytes() as f64 / 1e6);
            last_dir = Some((dir, urls));
        }
    }
    println!(
        "cold: min {}, median {} (target < 5 s)",
        secs(*cold.iter().min().expect("runs")),
        secs(median(cold.clone()))
    );

    let (dir, urls) = last_dir.expect("a cold run");
    let cache = PhotoCache::open(dir.path(), CacheConfig::default()).expect("reopen");
    for (label, size) in [("64 px list", 64u32), ("256 px preview", 256u32)] {
        let mut warm = Vec::new();
        let mut bytes = 0usize;
        for _ in 0..WARM_RUNS {
            let t = Instant::now();
            bytes = 0;
            for url in &urls {
                let photo = cache.lookup(url).expect("cached");
                bytes += cache.read_thumbnail(&photo, size).expect("thumbnail").len();
            }
            warm.push(t.elapsed());
        }
        println!(
            "warm: lookup + read {label} thumbnails of {PHOTOS} photos ({} KiB): min {}, median {} (target < 100 ms)",
            bytes / 1024,
            ms(*warm.iter().min().expect("runs")),
            ms(median(warm))
        );
    }
    drop(cache);
    let mut reopen = Vec::new();
    for _ in 0..WARM_RUNS {
        let t = Instant::now();
        let cache = PhotoCache::open(dir.path(), CacheConfig::default()).expect("reopen");
        for url in &urls {
            let photo = cache.lookup(url).expect("cached");
            cache.read_thumbnail(&photo, 64).expect("thumbnail");
        }
        reopen.push(t.elapsed());
        drop(cache);
    }
    println!(
        "warm from disk: open cache + lookup + read 64 px thumbnails of {PHOTOS}: min {}, median {}",
        ms(*reopen.iter().min().expect("runs")),
        ms(median(reopen))
    );
}
