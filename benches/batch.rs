//! Batch operations on a generated 10,000-file site: set a field on 1,000
//! sessions (found by a filter, twins included) and apply a 1,000-row CSV
//! schedule, each planned only and planned then written (with the journal).
//! Runs alternate between two values so every write run really writes.
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use lectern::batch::{self, ColumnMapping};
use lectern::site::Site;
use std::cell::Cell;
use std::path::Path;
use std::time::{Duration, Instant};

const SESSIONS: usize = 1_000;

/// Mark the first 1,000 generated sessions (ids 5000001…) with `cohort: "bench"`
/// in every language, so a filter finds exactly them.
fn mark_cohort(site: &Path) {
    for e in std::fs::read_dir(site.join("content/sessions"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let id: usize = name
            .split(['-', '.'])
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if (5_000_001..=5_000_000 + SESSIONS).contains(&id) {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let at = text.find('\n').unwrap() + 1;
            std::fs::write(
                e.path(),
                format!("{}cohort: \"bench\"\n{}", &text[..at], &text[at..]),
            )
            .unwrap();
        }
    }
}

fn schedule_csv(path: &Path, variant: usize) {
    let mut out = String::from("Session Id,Scheduled At,Room\n");
    for i in 0..SESSIONS {
        let day = 1 + (i + variant) % 7;
        let hour = 9 + (i / 7) % 8;
        out.push_str(&format!(
            "{},2026-08-{day:02} {hour:02}:{:02},Room {}\n",
            5_000_001 + i,
            10 * variant,
            1 + (i + variant) % 120
        ));
    }
    std::fs::write(path, out).unwrap();
}

/// CPU time (user + system) this process has used, from /proc on Linux.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// One run: (plan wall, apply wall, plan CPU, apply CPU, files written).
type Run = (
    Duration,
    Duration,
    Option<Duration>,
    Option<Duration>,
    usize,
);

fn timed(plan: impl FnOnce() -> batch::Plan) -> Run {
    let cpu0 = cpu_time();
    let t = Instant::now();
    let p = plan();
    let planned = t.elapsed();
    let cpu1 = cpu_time();
    batch::apply(&p).unwrap();
    let total = t.elapsed();
    let cpu2 = cpu_time();
    let d = |a: Option<Duration>, b: Option<Duration>| a.zip(b).map(|(a, b)| a.saturating_sub(b));
    (
        planned,
        total - planned,
        d(cpu1, cpu0),
        d(cpu2, cpu1),
        p.ops.len(),
    )
}

fn print_runs(what: &str, mut runs: Vec<Run>) {
    runs.sort_by_key(|r| r.0 + r.1);
    let (p, a, pc, ac, files) = runs[runs.len() / 2];
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let cpu = |d: Option<Duration>| d.map_or("?".into(), ms);
    println!(
        "{what}: median of {} runs: plan {} wall ({} CPU) + apply {} wall ({} CPU) = {} wall, {files} files written",
        runs.len(),
        ms(p),
        cpu(pc),
        ms(a),
        cpu(ac),
        ms(p + a)
    );
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    support::generate(&support::source_site(), &dir, 10_000);
    mark_cohort(&dir);
    let csv = [tmp.path().join("a.csv"), tmp.path().join("b.csv")];
    schedule_csv(&csv[0], 0);
    schedule_csv(&csv[1], 1);
    let site = Site::discover(&dir).unwrap();
    assert_eq!(site.session_files().len(), 10_000);
    let filter = vec![("cohort".to_string(), "bench".to_string())];
    let set = |room: &str| vec![("room".to_string(), Some(room.to_string()))];
    let probe = batch::set_where(&site, &filter, &set("Room 7")).unwrap();
    println!("set_where: {} ({} files)", probe.title, probe.ops.len());
    let (probe, report) = batch::apply_schedule(&site, &csv[0], &ColumnMapping::default()).unwrap();
    println!(
        "schedule: {} ({} files, {} rows)",
        probe.title,
        probe.ops.len(),
        report.rows
    );

    // Three timed runs of each, split into planning and applying, with the
    // process's CPU time (the machine is shared, so wall time alone misleads).
    let mut runs = Vec::new();
    for i in 0..3 {
        let room = ["Room 9", "Room 10"][i % 2];
        runs.push(timed(|| {
            batch::set_where(&site, &filter, &set(room)).unwrap()
        }));
    }
    print_runs("set --where (1,000 sessions)", runs);
    let mut runs = Vec::new();
    for i in 0..3 {
        runs.push(timed(|| {
            batch::apply_schedule(&site, &csv[(i + 1) % 2], &ColumnMapping::default())
                .unwrap()
                .0
        }));
    }
    print_runs("schedule apply (1,000 rows)", runs);
    let mut g = c.benchmark_group("batch_10k");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .warm_up_time(Duration::from_secs(2));
    g.bench_function("set_where_1000_plan", |b| {
        b.iter(|| {
            batch::set_where(&site, &filter, &set("Room 7"))
                .unwrap()
                .ops
                .len()
        })
    });
    let n = Cell::new(0usize);
    g.bench_function("set_where_1000_plan_and_write", |b| {
        b.iter(|| {
            n.set(n.get() + 1);
            let plan = batch::set_where(
                &site,
                &filter,
                &set(if n.get() % 2 == 0 { "Room 7" } else { "Room 8" }),
            )
            .unwrap();
            batch::apply(&plan).unwrap().plan.ops.len()
        })
    });
    g.bench_function("schedule_1000_plan", |b| {
        b.iter(|| {
            batch::apply_schedule(&site, &csv[0], &ColumnMapping::default())
                .unwrap()
                .0
                .ops
                .len()
        })
    });
    g.bench_function("schedule_1000_plan_and_write", |b| {
        b.iter(|| {
            n.set(n.get() + 1);
            let (plan, _) =
                batch::apply_schedule(&site, &csv[n.get() % 2], &ColumnMapping::default()).unwrap();
            batch::apply(&plan).unwrap().plan.ops.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
