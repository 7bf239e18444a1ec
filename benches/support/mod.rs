//! Builds large sites for benchmarks by replicating a fixture site's sessions
//! under new ids, spreading them over days, rooms and times.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The fixture to replicate: the sample site when present, else the mini fixture.
pub fn source_site() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("assets/sample-site");
    if sample.join("content/sessions").is_dir() { sample } else { root.join("tests/fixtures/mini") }
}

fn copy_dir(src: &Path, dst: &Path, skip_sessions: bool) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir").flatten() {
        let p = e.path();
        let t = dst.join(e.file_name());
        if p.is_dir() {
            if skip_sessions && p.ends_with("content/sessions") {
                std::fs::create_dir_all(&t).expect("mkdir");
                continue;
            }
            copy_dir(&p, &t, skip_sessions);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// Write a site with `files` session files (twins included) into `dst`.
pub fn generate(src: &Path, dst: &Path, files: usize) {
    copy_dir(src, dst, true);
    let sessions = dst.join("content/sessions");
    let mut originals: Vec<(String, String, String)> = Vec::new(); // (track, lang suffix, text)
    for e in std::fs::read_dir(src.join("content/sessions")).expect("sessions").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
        let base = name.trim_end_matches(".md");
        let (stem, suffix) = match base.rsplit_once('.') {
            Some((s, l)) => (s.to_string(), format!(".{l}")),
            None => (base.to_string(), String::new()),
        };
        let track = stem.rsplit_once('-').map_or(stem.clone(), |(t, _)| t.to_string());
        originals.push((track, suffix, text));
    }
    originals.sort();
    let en: Vec<&(String, String, String)> = originals.iter().filter(|o| o.1.is_empty()).collect();
    let mut written = 0;
    let mut id = 5_000_000u64;
    while written < files {
        for o in &en {
            if written >= files {
                break;
            }
            id += 1;
            let slot = id % 7;
            let day = 29 + (id / 7) % 2;
            let date_line = |t: &str| -> String {
                t.lines()
                    .map(|l| if l.starts_with("date:") { format!("date: \"2026-07-{day}T1{slot}:00:00\"") } else { l.to_string() })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            std::fs::write(sessions.join(format!("{}-{id}.md", o.0)), date_line(&o.2)).expect("write");
            written += 1;
            if let Some(twin) = originals.iter().find(|t| t.0 == o.0 && !t.1.is_empty()) {
                if written < files {
                    std::fs::write(sessions.join(format!("{}-{id}{}.md", o.0, twin.1)), date_line(&twin.2)).expect("write");
                    written += 1;
                }
            }
        }
    }
}
