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
    // Every session file below content/sessions (the Europe shape nests
    // them in a year folder), without `_index.md` section pages, and every
    // speaker page (`content/speakers/<slug>/_index.md`).
    let mut files: Vec<PathBuf> = Vec::new();
    // Speaker pages too, when the site has them: the check reads them.
    let mut stack = vec![site.join("content/sessions")];
    if site.join("content/speakers").is_dir() {
        stack.push(site.join("content/speakers"));
    }
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("sessions").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md")
                && (p.file_name().is_some_and(|n| n != "_index.md")
                    || p.parent()
                        .and_then(|d| d.parent())
                        .is_some_and(|d| d.ends_with("content/speakers")))
            {
                files.push(p);
            }
        }
    }
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
