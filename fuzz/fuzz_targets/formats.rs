//! Front matter in any of the three formats (YAML, TOML, JSON): load → save
//! is byte-identical, setting a field changes only it, and adding or removing
//! a list item changes only the list (issue 12).
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &str, &str)| {
    let (key, value, text) = input;
    oracles::roundtrip(text.as_bytes());
    oracles::set_field(text, key as usize, value);
    oracles::list_edit(text, key as usize, value);
});
