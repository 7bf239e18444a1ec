//! Hostile spreadsheets (issue 14, finding 8): any bytes as an `.xlsx`,
//! `.ods` or `.xls` schedule or Sessionize export against a copy of the
//! `mini` test site. The importers must refuse or plan without panicking and
//! without allocating what the file claims (one cell at `XFD1048576` once
//! asked for 512 GiB); plans stay inside the site. libFuzzer's
//! `-rss_limit_mb` (scripts/fuzz.sh) turns an unbounded allocation into a
//! crash report.
#![no_main]

#[path = "../../tests/it/fuzz_oracles.rs"]
mod oracles;

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Fixture {
    site: lectern::site::Site,
    scratch: PathBuf,
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir").flatten() {
        let (p, t) = (e.path(), dst.join(e.file_name()));
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        let dir = base.join(format!("lectern-fuzz-workbook-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("site");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini"), &root);
        let scratch = dir.join("scratch");
        std::fs::create_dir_all(&scratch).expect("scratch");
        let site = lectern::site::Site::discover(&root).expect("mini site");
        Fixture { site, scratch }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    oracles::import_workbook(&f.site, &f.scratch, data);
});
