//! `cargo run --release --example floor -- SITE [par]`: the raw floor of a
//! check (read every session file, parse its front matter with serde_yaml,
//! render its body with pulldown-cmark, nothing else), to compare with
//! `lectern check SITE` under `/usr/bin/time`.
#[path = "../benches/support/mod.rs"]
mod support;

use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("usage: floor SITE [par]"));
    let par = args.next().is_some_and(|a| a == "par");
    let files: Vec<PathBuf> = std::fs::read_dir(site.join("content/sessions"))
        .expect("sessions")
        .flatten()
        .map(|e| e.path())
        .collect();
    let t = std::time::Instant::now();
    let n: usize = if par {
        files.par_iter().map(|p| support::floor_one(p)).sum()
    } else {
        files.iter().map(|p| support::floor_one(p)).sum()
    };
    println!(
        "{} files, {} bytes of HTML, {:?}",
        files.len(),
        n,
        t.elapsed()
    );
}
