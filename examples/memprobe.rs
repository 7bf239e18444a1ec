//! Where the app process's memory goes for a site: resident memory (after
//! `malloc_trim`) of the raw file texts, of the loaded documents, of their
//! parsed speakers sections, and of a whole `Workspace` on top. Linux only.
//!
//! `cargo run --release --example memprobe -- /tmp/site10k` (a site made by
//! `cargo run --release --example gen_site -- /tmp/site10k 10000`).

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

extern "C" {
    fn malloc_trim(pad: usize) -> i32;
}

/// Resident memory once glibc has returned what it can.
fn settled() -> u64 {
    // SAFETY: malloc_trim only releases free heap memory.
    unsafe { malloc_trim(0) };
    rss_kib()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let site = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: memprobe SITE")?);
    let files: Vec<_> = std::fs::read_dir(site.join("content/sessions"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let r0 = settled();
    let texts: Vec<Vec<u8>> = files.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(Vec::len).sum();
    let r1 = settled();
    drop(texts);
    let r2 = settled();
    let docs: Vec<lectern::document::Document> = files
        .iter()
        .map(lectern::document::Document::load)
        .collect::<Result<_, _>>()?;
    let r3 = settled();
    let speakers: usize = docs
        .iter()
        .map(|d| d.speakers().map_or(0, |s| s.speakers.len()))
        .sum();
    let r4 = settled();
    let ws = lectern::workspace::Workspace::open(&site)?;
    let r5 = settled();
    println!(
        "{} files, {:.1} MiB of text",
        files.len(),
        bytes as f64 / 1048576.0
    );
    println!("texts alone:                 {:>7} KiB", r1 - r0);
    println!(
        "documents (front matter):    {:>7} KiB",
        r3.saturating_sub(r2)
    );
    println!(
        "their speakers ({speakers}):    {:>7} KiB",
        r4.saturating_sub(r3)
    );
    println!(
        "a whole Workspace on top:    {:>7} KiB ({} sessions)",
        r5.saturating_sub(r4),
        ws.summaries_as_checked().len()
    );
    Ok(())
}
