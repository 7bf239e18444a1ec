//! The schedule grid on a generated 10,000-session site (20,000 files, each
//! session with its Chinese twin): build the grid from the documents in
//! memory (placing every session and finding clashes), and move one session
//! (date and room in both twins) then rebuild, as the app does after a drop.
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use lectern::schedule;
use lectern::workspace::Workspace;
use std::time::{Duration, Instant};

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    support::generate(&support::source_site(), &dir, 20_000);
    let t = Instant::now();
    let mut ws = Workspace::open(&dir).unwrap();
    println!(
        "open (load 20,000 files): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let g = ws.schedule();
    println!(
        "grid: {} sessions, {} rooms, {} days, {} clashes",
        g.sessions.len(),
        g.rooms.len(),
        g.days.len(),
        g.clashes.len()
    );
    assert!(g.sessions.len() >= 10_000);
    let a = g.sessions[0].id.clone();
    let b = g.sessions[1].place.clone().unwrap();
    let back = g.sessions[0].place.clone().unwrap();
    let mut group = c.benchmark_group("schedule_10k_sessions");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(2));
    group.bench_function("build_grid", |bench| {
        bench.iter(|| ws.schedule().sessions.len())
    });
    let mut flip = false;
    group.bench_function("move_one_session_then_rebuild", |bench| {
        bench.iter(|| {
            flip = !flip;
            let to = if flip { &b } else { &back };
            ws.move_session(&a, schedule::slot(&to.day, &to.time).unwrap(), &to.room)
                .unwrap();
            ws.schedule().clashes.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
