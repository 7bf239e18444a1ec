//! A document, a key and a value: setting the field changes only that field.
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &str, &str)| {
    let (key, value, text) = input;
    oracles::set_field(text, key as usize, value);
});
