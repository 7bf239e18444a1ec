//! `lectern check` on a 10,000-file site versus the raw floor: read every
//! file, parse its front matter with serde_yaml and render its body with
//! pulldown-cmark, nothing else (sequential and on all cores). Two shapes:
//! the sample site's (Asia: twins, inline speakers) and a Europe-shaped
//! site (slug names, speaker pages, `time_start`/`time_end`).
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn files_of(site: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(site.join("content/sessions"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let site_dir = tmp.path().join("site");
    support::generate(&support::source_site(), &site_dir, 10_000);
    let files = files_of(&site_dir);
    assert_eq!(files.len(), 10_000);
    let mut g = c.benchmark_group("site_10k");
    g.sample_size(10);
    g.bench_function("floor_sequential", |b| {
        b.iter(|| files.iter().map(|p| support::floor_one(p)).sum::<usize>())
    });
    g.bench_function("floor_parallel", |b| {
        b.iter(|| {
            files
                .par_iter()
                .map(|p| support::floor_one(p))
                .sum::<usize>()
        })
    });
    g.bench_function("check_full", |b| {
        b.iter(|| {
            let site = lectern::site::Site::discover(&site_dir).unwrap();
            lectern::validate::check_site(&site).diagnostics.len()
        })
    });
    g.finish();

    // The Europe shape (issue 11): slug names in a year folder, speaker
    // pages resolved, times by role. Same floor, same ratio to read off.
    let eu_dir = tmp.path().join("europe");
    let eu_files = support::generate_europe(&eu_dir, 10_000);
    let mut g = c.benchmark_group("europe_10k");
    g.sample_size(10);
    g.bench_function("floor_sequential", |b| {
        b.iter(|| {
            eu_files
                .iter()
                .map(|p| support::floor_one(p))
                .sum::<usize>()
        })
    });
    g.bench_function("floor_parallel", |b| {
        b.iter(|| {
            eu_files
                .par_iter()
                .map(|p| support::floor_one(p))
                .sum::<usize>()
        })
    });
    g.bench_function("check_full", |b| {
        b.iter(|| {
            let site = lectern::site::Site::discover(&eu_dir).unwrap();
            let report = lectern::validate::check_site(&site);
            assert_eq!(report.files, 10_000);
            report.diagnostics.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
