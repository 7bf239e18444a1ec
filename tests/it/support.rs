//! Shared helpers: fixture sites copied into temp dirs, the built CLI.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real-data corpus, when present (`LECTERN_CORPUS` or `../shared/corpus`).
pub fn corpus() -> Option<PathBuf> {
    let p = std::env::var_os("LECTERN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    p.is_dir().then_some(p)
}

/// Every `.md` file under a folder, sorted.
pub fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Copy a folder tree into a new temp dir and return (guard, copied root).
pub fn copy_tree(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dst = tmp.path().join(src.file_name().unwrap_or_default());
    copy_dir(src, &dst);
    (tmp, dst)
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir").flatten() {
        let p = e.path();
        let t = dst.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// Lines that differ between two texts, as (old, new) line lists.
pub fn changed_lines(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut del = Vec::new();
    let mut ins = Vec::new();
    for c in diff.iter_all_changes() {
        match c.tag() {
            similar::ChangeTag::Delete => del.push(c.value().to_string()),
            similar::ChangeTag::Insert => ins.push(c.value().to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    (del, ins)
}

// --- hardening: small file systems for disk-full and read-only tests ---

/// Set to `1` where the environment forbids mounting (no root, no
/// CAP_SYS_ADMIN): the tests that need a tmpfs then skip with a note.
/// Anywhere else a failed mount fails the test.
pub const NO_MOUNT_ENV: &str = "LECTERN_TEST_NO_MOUNT";

/// Copy a folder tree to `dst` (which may be on another file system).
pub fn copy_into(src: &Path, dst: &Path) {
    copy_dir(src, dst);
}

/// A small tmpfs on a temp folder, unmounted (lazily) when dropped.
pub struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mount a tmpfs of `size` (`mount -o size=`, e.g. `"1m"`). `None` only
    /// when [`NO_MOUNT_ENV`] is `1`; otherwise a failure panics, loudly.
    pub fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir }),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                    Err(e) => e.to_string(),
                };
                if std::env::var(NO_MOUNT_ENV).is_ok_and(|v| v == "1") {
                    println!(
                        "note: {NO_MOUNT_ENV}=1 and mounting a tmpfs failed ({why}); test skipped"
                    );
                    None
                } else {
                    panic!(
                        "could not mount a tmpfs ({why}). These tests need root (CI runs as root); \
                         set {NO_MOUNT_ENV}=1 only where the environment forbids mounting"
                    );
                }
            }
        }
    }

    /// The mount point.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Remount read-only (`EROFS` for every write, even root's).
    pub fn remount_read_only(&self) {
        let s = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .expect("mount");
        assert!(s.success(), "remount,ro failed");
    }

    /// Fill the file system with `filler` until a write fails with
    /// "no space"; returns the filler's path (delete it to free the space).
    pub fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![0x55u8; 4096];
        loop {
            match f.write(&chunk) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                Err(e) => panic!("filling the tmpfs: {e}"),
            }
        }
        let _ = f.sync_all();
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Write `text` to `rel` under `root`, creating its folders: the fixtures
/// the tests build file by file.
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}
