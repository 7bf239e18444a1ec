//! Any bytes: load → save is byte-identical, and no-op edits change nothing.
//! One input in 256 also goes through the file system (load, forced save,
//! read back), on tmpfs when there is one: on a busy disk a single `open`
//! can stall past libFuzzer's timeout (seen once, not reproducible: 0 ms).
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    oracles::roundtrip(data);
    if data.len() % 256 == 7 {
        let shm = std::path::Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        let dir = base.join(format!("lectern-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        oracles::roundtrip_on_disk(&dir, data);
    }
});
