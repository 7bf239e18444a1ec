//! Any text as a body and as every header field: no active content comes out
//! (`lectern::render::assert_no_active_content`).
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(md) = std::str::from_utf8(data) {
        oracles::render_inert(md);
    }
});
