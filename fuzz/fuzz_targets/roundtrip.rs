//! Any bytes: load → save is byte-identical, and no-op edits change nothing.
//! One input in 256 also goes through the disk (load, forced save, read back).
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    oracles::roundtrip(data);
    if data.len() % 256 == 7 {
        let dir = std::env::temp_dir().join(format!("lectern-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        oracles::roundtrip_on_disk(&dir, data);
    }
});
