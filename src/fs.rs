//! File-system helpers that never leave a half-written file: atomic writes
//! (temp file in the same folder, fsync, rename, fsync the folder) and content
//! hashes for change detection that a same-size edit cannot fool.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A SHA-256 content hash.
pub type Hash = [u8; 32];

/// The SHA-256 of some bytes.
pub fn content_hash(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

/// A hash as lowercase hex.
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Read a whole regular file of at most `max` bytes.
///
/// Anything else is refused before it is read: a FIFO or device would block
/// or never end (a named pipe called `x.md` hung `lectern check`), a folder
/// cannot be read, and a file over `max` would be held in memory whole. A
/// file over the limit is a [`Error::Content`] at line 1 so checks can
/// point at it; the read itself is capped too, in case the file grows.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder" } else { "not a regular file (a pipe, socket or device)" };
        return Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("this is {what}; Lectern reads only regular files"),
            ),
        ));
    }
    let too_big = |len: u64| Error::Content {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!(
            "the file is {:.1} MiB, over the {} MiB limit for a text file Lectern opens; is it really a session?",
            len as f64 / (1024.0 * 1024.0),
            max / (1024 * 1024)
        ),
    };
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The content hash of a file on disk, read in chunks; `None` when the file
/// does not exist. Refuses anything but a regular file (see [`read_regular`]).
pub fn hash_file(path: &Path) -> Result<Option<Hash>> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    if !meta.is_file() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        ));
    }
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        hasher.update(&buf[..n]);
    }
    Ok(Some(hasher.finalize().into()))
}

/// Write `bytes` to `path` atomically. A symlink is followed and its target
/// replaced; the original's permissions are kept; a read-only file is refused
/// with a clear error and left untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = resolve_symlink(path)?;
    let meta = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&target, e)),
    };
    if let Some(m) = &meta {
        if m.permissions().readonly() {
            return Err(Error::io(
                &target,
                std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "the file is read-only; make it writable or save a copy elsewhere",
                ),
            ));
        }
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.lectern-{}-{}.tmp",
        std::process::id(),
        unique()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        // Owner-only until the original's mode is copied, so a private file's
        // new content is never readable by others, not even for a moment.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        match &meta {
            Some(m) => f.set_permissions(m.permissions())?,
            #[cfg(unix)]
            None => {
                // A new file gets the usual mode (0666 less the umask), as
                // `create` would have given it.
                use std::os::unix::fs::PermissionsExt;
                let mask = current_umask();
                f.set_permissions(std::fs::Permissions::from_mode(0o666 & !mask))?;
            }
            #[cfg(not(unix))]
            None => {}
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &target)?;
        sync_dir(dir)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(&target, e));
    }
    Ok(())
}

/// The process umask, read from `/proc/self/status` (reading it with
/// `umask(2)` would mean setting it, racing other threads); 0o022 when unknown.
#[cfg(unix)]
fn current_umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    (N.fetch_add(1, Ordering::Relaxed) << 32) ^ t
}

fn resolve_symlink(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p).map_err(|e| Error::io(&p, e))?;
                p = match p.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::io(
        path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Remove temp files a crashed save left behind in `dir`.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with('.') && n.contains(".lectern-") && n.ends_with(".tmp")
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_through_symlinks_and_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.md");
        std::fs::write(&target, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
            let link = dir.path().join("l.md");
            std::os::unix::fs::symlink("t.md", &link).unwrap();
            write_atomic(&link, b"new").unwrap();
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(std::fs::read(&target).unwrap(), b"new");
            assert_eq!(
                std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
    }

    #[test]
    fn read_regular_refuses_big_files_folders_and_pipes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("big.md");
        std::fs::write(&f, vec![b'a'; 2048]).unwrap();
        assert_eq!(read_regular(&f, 2048).unwrap().len(), 2048);
        let e = read_regular(&f, 1024).unwrap_err();
        assert!(matches!(e, Error::Content { line: 1, .. }), "{e:?}");
        assert!(e.to_string().contains("limit"), "{e}");
        let e = read_regular(dir.path(), 1024).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
        #[cfg(unix)]
        {
            let fifo = dir.path().join("pipe.md");
            let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
            // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            let e = read_regular(&fifo, 1024).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
            assert!(hash_file(&fifo).is_err());
        }
    }

    #[cfg(unix)]
    #[test]
    fn keeps_private_modes_and_gives_new_files_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("private.md");
        std::fs::write(&f, "old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&f, b"new").unwrap();
        assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600);
        let n = dir.path().join("new.md");
        write_atomic(&n, b"x").unwrap();
        let mode = std::fs::metadata(&n).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !current_umask(), "{mode:o}");
    }

    #[test]
    fn hash_file_matches_content_hash() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.md");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&f, &data).unwrap();
        assert_eq!(hash_file(&f).unwrap(), Some(content_hash(&data)));
        assert_eq!(hash_file(&dir.path().join("none.md")).unwrap(), None);
    }

    #[test]
    fn refuses_read_only_files_and_leaves_them_alone() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("ro.md");
        std::fs::write(&f, "keep").unwrap();
        let mut p = std::fs::metadata(&f).unwrap().permissions();
        p.set_readonly(true);
        std::fs::set_permissions(&f, p).unwrap();
        let e = write_atomic(&f, b"x").unwrap_err();
        assert!(e.to_string().contains("read-only"));
        assert_eq!(std::fs::read(&f).unwrap(), b"keep");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
