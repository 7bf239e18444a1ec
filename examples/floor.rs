//! `cargo run --release --example floor -- SITE [par]`: the raw floor of a
//! check (read every session file, parse its front matter with serde_yaml,
//! render its body with pulldown-cmark, nothing else), to compare with
//! `lectern check SITE` under `/usr/bin/time`.
use rayon::prelude::*;
use std::path::PathBuf;

fn one(p: &PathBuf) -> usize {
    let text = std::fs::read_to_string(p).unwrap_or_default();
    let t = text.trim_start_matches('\u{feff}');
    let rest = &t[t.find('\n').map_or(0, |i| i + 1)..];
    let end = rest.find("\n---").unwrap_or(0);
    let yaml: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).unwrap_or(serde_yaml::Value::Null);
    let body = &rest[(end + 4).min(rest.len())..];
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    html.len() + usize::from(yaml.is_mapping())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("usage: floor SITE [par]"));
    let par = args.next().is_some_and(|a| a == "par");
    let files: Vec<PathBuf> = std::fs::read_dir(site.join("content/sessions")).expect("sessions").flatten().map(|e| e.path()).collect();
    let t = std::time::Instant::now();
    let n: usize = if par { files.par_iter().map(one).sum() } else { files.iter().map(one).sum() };
    println!("{} files, {} bytes of HTML, {:?}", files.len(), n, t.elapsed());
}
