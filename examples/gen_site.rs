//! `cargo run --release --example gen_site -- OUT [FILES] [europe]`: write a
//! large site for benchmarks and manual testing by replicating the sample
//! site, or (with `europe`) a Europe-shaped site with speaker pages.
#[path = "../benches/support/mod.rs"]
mod support;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: gen_site OUT [FILES]");
    let files: usize = args
        .next()
        .map_or(10_000, |n| n.parse().expect("FILES must be a number"));
    if args.next().is_some_and(|a| a == "europe") {
        support::generate_europe(std::path::Path::new(&out), files);
    } else {
        support::generate(&support::source_site(), std::path::Path::new(&out), files);
    }
    println!("wrote {files} session files to {out}");
}
