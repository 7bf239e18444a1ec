//! Schedule and Sessionize import: the bytes as a CSV schedule
//! (`lectern::batch::apply_schedule`) and as a Sessionize JSON and CSV export
//! (`lectern::batch::import_sessionize`) against a copy of the `mini` test
//! site; plans may only touch paths inside the site and must write session
//! files that load. As text, the bytes also go through the parsers the
//! importers build on (dates, presenter lists, did-you-mean), and as a
//! workbook.
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

/// One site copy per fuzzing process, on tmpfs when there is one.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        let dir = base.join(format!("lectern-fuzz-import-{}", std::process::id()));
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
    oracles::import_files(&f.site, &f.scratch, data);
    // The same bytes as a workbook (.xlsx, .ods, .xls): bounded before any
    // allocation the file claims (issue 14, finding 8).
    oracles::import_workbook(&f.site, &f.scratch, data);
    if let Ok(s) = std::str::from_utf8(data) {
        oracles::schedule_import(s);
    }
});
