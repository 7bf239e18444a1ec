//! The `lectern` command line.
fn main() {
    println!("lectern {}", env!("CARGO_PKG_VERSION"));
}
