//! PLACEHOLDER until `src/batch/` (the schedule and Sessionize importers) is
//! in this branch: fuzzes what the importers build on — `parse_datetime`,
//! the comma-list splitter and `did_you_mean` — on CSV-ish text. When batch
//! lands, point this at its schedule parser (`lectern::batch::apply_schedule`
//! on a temp site) and keep these oracles.
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        oracles::schedule_import(s);
    }
});
