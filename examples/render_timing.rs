use std::time::Instant;
use lectern::render::*;
fn main() {
    let body = std::fs::read_to_string("/work/shared/corpus/acasia-2022/content/sessions/ai-1026.md").unwrap();
    let opts = RenderOptions::new(|s| Some(format!("lectern-photo://localhost/{}", s.len())), false);
    let input = RenderInput { title: "t", presenters: "p", body: &body, lang: "en", ..Default::default() };
    let n = 300;
    let t = Instant::now();
    for _ in 0..n { std::hint::black_box(render(&input, &opts)); }
    println!("render: {:?}/iter", t.elapsed() / n);
    let out = render(&input, &opts);
    let t = Instant::now();
    for _ in 0..n { std::hint::black_box(assert_no_active_content(&out.html)).ok(); }
    println!("check: {:?}/iter", t.elapsed() / n);
    let sa = RenderOptions::new(|_| None, true);
    let out = render(&input, &sa);
    let t = Instant::now();
    for _ in 0..n { std::hint::black_box(assert_no_active_content(&out.html)).ok(); }
    println!("check standalone: {:?}/iter", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n { std::hint::black_box(sanitizer_policy()); }
    println!("policy build: {:?}/iter", t.elapsed() / n);
}
