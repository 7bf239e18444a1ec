//! Where the time of the app's hot IPC paths goes, without a window:
//! `cargo run -p lectern-desktop --release --example ipc_profile -- SITE [ID]`.
//! Times each step the commands take (open, rows, checks, a body edit and
//! its preview) and the JSON size of what they send. Prints, asserts nothing.

use std::time::Instant;

use lectern::workspace::Workspace;
use lectern_desktop::state;

fn ms(t: Instant) -> String {
    format!("{:.1} ms", t.elapsed().as_secs_f64() * 1000.0)
}

/// This process's resident memory, from /proc.
fn rss_mib() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    format!("{:.0} MiB", kb / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = args.next().expect("usage: ipc_profile SITE [ID]");
    let t = Instant::now();
    let mut ws = Workspace::open(std::path::Path::new(&site)).expect("open");
    println!(
        "Workspace::open                {} ({} files)",
        ms(t),
        ws.sessions().len()
    );
    println!("RSS after open                 {}", rss_mib());
    let id = args
        .next()
        .unwrap_or_else(|| ws.sessions()[0].file.rel.clone());
    if id == "--rows-only" {
        for _ in 0..200 {
            let t = Instant::now();
            let rows = state::rows(&mut ws);
            let json = serde_json::to_string(&rows).expect("json");
            if json.is_empty() {
                println!("{}", ms(t));
            }
        }
        let t = Instant::now();
        let rows = state::rows(&mut ws);
        println!(
            "rows                           {} ({} rows)",
            ms(t),
            rows.len()
        );
        return;
    }
    if id == "--open-only" {
        for _ in 0..3 {
            let t = Instant::now();
            drop(Workspace::open(std::path::Path::new(&site)).expect("open"));
            println!("Workspace::open again          {}", ms(t));
        }
        for _ in 0..3 {
            let t = Instant::now();
            let again = Workspace::reopen(std::path::Path::new(&site), &ws).expect("reopen");
            println!("Workspace::reopen (reload)     {}", ms(t));
            ws = again;
        }
        println!("RSS                            {}", rss_mib());
        return;
    }

    let t = Instant::now();
    let n = ws.diagnostics().len();
    println!("diagnostics (first)            {} ({n})", ms(t));
    println!("RSS after the check            {}", rss_mib());
    let t = Instant::now();
    let rows = state::rows(&mut ws);
    println!(
        "rows (cached checks)           {} ({} rows)",
        ms(t),
        rows.len()
    );
    let t = Instant::now();
    let json = serde_json::to_string(&rows).expect("json");
    println!(
        "rows to JSON                   {} ({} bytes)",
        ms(t),
        json.len()
    );
    let t = Instant::now();
    let json = serde_json::to_string(ws.diagnostics()).expect("json");
    println!(
        "diagnostics to JSON            {} ({} bytes)",
        ms(t),
        json.len()
    );

    for round in 0..3 {
        let body = ws.document(&id).expect("doc").body().to_string();
        let edited = format!("{body}x");
        let t = Instant::now();
        ws.set_body(&id, &edited).expect("set_body");
        println!(
            "[{round}] set_body                    {} ({} bytes)",
            ms(t),
            edited.len()
        );
        let t = Instant::now();
        let view = state::view(&ws, &id).expect("view");
        println!(
            "[{round}] SessionView::new (render)   {} (preview {} bytes)",
            ms(t),
            view.preview_html.len()
        );
        let t = Instant::now();
        let json = serde_json::to_string(&view).expect("json");
        println!(
            "[{round}] view to JSON                {} ({} bytes)",
            ms(t),
            json.len()
        );
        let t = Instant::now();
        let e = state::edited(&mut ws, &id, &[]).expect("edited");
        println!(
            "[{round}] state::edited (rows+view)   {} ({} rows)",
            ms(t),
            e.rows.len()
        );
    }
}
