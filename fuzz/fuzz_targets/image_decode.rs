//! Any bytes as a speaker photo (checklist D3, F5): decoded under the
//! production limits (8192 px, 256 MiB),
//! cropped, shrunk and re-encoded by `lectern::photos::normalize`, or refused
//! with a message; never a panic, never a huge allocation.
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    oracles::image_bytes(data, lectern::photos::DecodeLimits::default());
});
