//! The desktop app's hot paths in the core: a keystroke in the body editor
//! (apply the editor's change, render the preview) for a 2 KB and a 100 KB
//! body, and on a 10,000-file site the list rows without a check, a reload
//! that finds nothing changed, and the copy a background check works on.
//! `cargo bench --bench workspace`.
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use lectern::body_edit::{editor_text, utf16_len, TextChange};
use lectern::render::{render_document, RenderOptions};
use lectern::workspace::Workspace;
use std::path::Path;

const PARA: &str = "A paragraph about indexes, planners and page reads, with *emphasis* and a [link](https://example.org/).\n\n";

fn write_session(site: &Path, stem: &str, body_len: usize) {
    let mut body = String::from("Perf body.\n\n");
    while body.len() < body_len {
        body.push_str(PARA);
    }
    body.push_str("### Speakers:\n<img src=\"images/speaker/ada.png\" width=\"200\" /><br>Ada Park: Storage engineer\n");
    let text = format!(
        "---\ntitle: \"Perf {stem}\"\ndate: \"2026-07-29T11:00:00\"\ntrack: \"ai\"\npresenters: \"Ada Park\"\nstype: \"English Session\"\nroom: \"Hall A\"\n---\n{body}"
    );
    std::fs::write(site.join(format!("content/sessions/{stem}.md")), text).unwrap();
}

/// Type a character after the first one and delete it again: two edits as
/// the editor sends them, each followed by the preview render the app does.
fn keystroke_pair(ws: &mut Workspace, id: &str, opts: &RenderOptions) -> usize {
    let len = utf16_len(&editor_text(ws.document(id).unwrap().body()));
    let mut n = 0;
    for (change, after) in [
        (
            TextChange {
                from: 1,
                to: 1,
                insert: "x".into(),
            },
            len + 1,
        ),
        (
            TextChange {
                from: 1,
                to: 2,
                insert: String::new(),
            },
            len,
        ),
    ] {
        ws.edit_body(id, &[vec![change]], after).unwrap();
        n += render_document(Some(ws.site()), ws.document(id).unwrap(), opts)
            .html
            .len();
    }
    n
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let small = tmp.path().join("small");
    support::generate(&support::source_site(), &small, 20);
    write_session(&small, "ai-900", 2_000);
    write_session(&small, "ai-901", 100_000);
    let mut ws = Workspace::open(&small).unwrap();
    let opts = RenderOptions::new(|_| None, true);
    let mut g = c.benchmark_group("keystroke");
    g.bench_function("edit_body_and_render_2kb_x2", |b| {
        b.iter(|| keystroke_pair(&mut ws, "content/sessions/ai-900.md", &opts))
    });
    g.sample_size(20);
    g.bench_function("edit_body_and_render_100kb_x2", |b| {
        b.iter(|| keystroke_pair(&mut ws, "content/sessions/ai-901.md", &opts))
    });
    g.finish();

    let big = tmp.path().join("big");
    support::generate(&support::source_site(), &big, 10_000);
    let mut ws = Workspace::open(&big).unwrap();
    ws.diagnostics();
    let mut g = c.benchmark_group("site_10k");
    g.sample_size(10);
    g.bench_function("rows_without_check", |b| {
        b.iter(|| ws.summaries_as_checked().len())
    });
    // Any edit makes the last check stale; then every call copies the site.
    let first = ws.sessions()[0].file.rel.clone();
    ws.set_body(&first, "Edited.\n").unwrap();
    g.bench_function("check_snapshot", |b| b.iter(|| ws.check_job().is_some()));
    g.bench_function("open", |b| {
        b.iter(|| Workspace::open(&big).unwrap().sessions().len())
    });
    g.bench_function("reopen_unchanged", |b| {
        b.iter(|| Workspace::reopen(&big, &ws).unwrap().sessions().len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
