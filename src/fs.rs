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
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a pipe, socket or device)"
        };
        return Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("this is {what}; Lectern reads only regular files"),
            ),
        ));
    }
    let too_big = |len: u64| {
        Error::Content {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!(
            "the file is {:.1} MiB, over the {} MiB limit for a text file Lectern opens; is it really a session?",
            len as f64 / (1024.0 * 1024.0),
            max / (1024 * 1024)
        ),
    }
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

/// A site's own text file (its config, `lectern.toml`, a data file) read as
/// UTF-8 through [`read_regular`] with a 4 MiB cap: a FIFO or a huge file
/// named `config.toml` must not hang or exhaust Lectern either.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read_regular(path, 4 * 1024 * 1024)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        Error::Content {
            path: path.to_path_buf(),
            line,
            column: 0,
            message: "not UTF-8 text; save the file as UTF-8".into(),
        }
    })
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

/// Write `bytes` to `path` without ever leaving a half-written file. A
/// symlink is followed and its target replaced; the original's permissions
/// are kept; a read-only file is refused with a clear error and left
/// untouched.
///
/// Normally the new content goes to a temp file in the same folder, which is
/// synced and renamed over the target (then the folder is synced). A file
/// with more than one hard link is instead rewritten in place, so that every
/// name keeps seeing the same file: see [`write_atomic_with`]. Its backup goes
/// to [`backup_dir`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, backup_dir().as_deref())
}

/// Where a hard-linked file's old content is kept while it is rewritten in
/// place: `$LECTERN_BACKUP_DIR`, else `<data dir>/lectern/backup` (next to
/// the recovery store). `None` when this system has no data dir.
pub fn backup_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("LECTERN_BACKUP_DIR") {
        return Some(PathBuf::from(d));
    }
    dirs::data_dir().map(|d| d.join("lectern/backup"))
}

/// [`write_atomic`] with an explicit backup folder for hard-linked files.
///
/// A rename gives the saved name a new inode, which silently splits a hard
/// link: the other names keep the old text. So, like vim's
/// `backupcopy=auto`, a file with several links is rewritten in place:
///
/// 1. space for the new content is reserved (`fallocate`, keeping the size),
///    so a full disk refuses the save before anything changes;
/// 2. a journal holding the old and the new content is written to
///    `backup_dir` (temp file, fsync, rename, fsync), so a crash at any later
///    point can be undone by [`finish_interrupted_writes`];
/// 3. the file is overwritten from the start, truncated to the new length and
///    fsynced;
/// 4. the journal is removed.
///
/// If step 3 fails, the old content is written back in place before the
/// error is returned; if even that fails, the journal stays and the error
/// names it. Without a backup folder the save is refused: an in-place write
/// with no copy of the old content is never made.
pub fn write_atomic_with(path: &Path, bytes: &[u8], backup_dir: Option<&Path>) -> Result<()> {
    let target = resolve_symlink(path)?;
    let meta = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&target, explain(e, &target))),
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
        #[cfg(unix)]
        if std::os::unix::fs::MetadataExt::nlink(m) > 1 && m.is_file() {
            return write_hard_linked(&target, bytes, backup_dir);
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
        return Err(Error::io(&target, explain(e, &target)));
    }
    Ok(())
}

/// The same I/O error with what it means for the file and what to do about
/// it, for the cases a person can fix: a full disk, a read-only mount, no
/// permission, a folder that went away. The OS's own text stays at the end.
pub fn explain(e: std::io::Error, target: &Path) -> std::io::Error {
    let dir = target.parent().unwrap_or(Path::new("."));
    let advice = match failure_of(&e) {
        Failure::Full => "the disk is full; the file was left as it was. Free some space, then save again".to_string(),
        Failure::ReadOnly => "the disk or folder is mounted read-only; the file was left as it was. \
             Make it writable (or copy the site somewhere writable and open it there), then save again"
            .to_string(),
        Failure::Denied => "permission denied: the file or its folder is not writable; the file was left \
             as it was. Make them writable, then save again"
            .to_string(),
        Failure::Missing if !dir.is_dir() => format!(
            "the folder {} is gone (deleted, renamed or unmounted); nothing was written. Put the folder back, \
             or open the site where it is now, then save again",
            dir.display()
        ),
        Failure::Missing | Failure::Other => return e,
    };
    std::io::Error::new(e.kind(), format!("{advice} ({e})"))
}

/// The failures [`explain`] has advice for.
enum Failure {
    Full,
    ReadOnly,
    Denied,
    Missing,
    Other,
}

/// Classify by the OS error number (the matching `ErrorKind`s need a newer
/// Rust than the core's minimum).
fn failure_of(e: &std::io::Error) -> Failure {
    #[cfg(unix)]
    match e.raw_os_error() {
        Some(libc::ENOSPC | libc::EDQUOT | libc::EFBIG) => return Failure::Full,
        Some(libc::EROFS) => return Failure::ReadOnly,
        _ => {}
    }
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => Failure::Denied,
        std::io::ErrorKind::NotFound => Failure::Missing,
        _ => Failure::Other,
    }
}

/// A journal's first line: which file, and the lengths of the two contents
/// that follow it (old, then new).
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    path: PathBuf,
    old_len: usize,
    new_len: usize,
}

/// Suffix of journal files in the backup folder.
const JOURNAL_SUFFIX: &str = ".lectern-backup";

#[cfg(unix)]
fn write_hard_linked(target: &Path, bytes: &[u8], backup_dir: Option<&Path>) -> Result<()> {
    let io = |e: std::io::Error| Error::io(target, explain(e, target));
    let Some(backup_dir) = backup_dir else {
        return Err(Error::io(
            target,
            std::io::Error::other(
                "the file has several hard links, so Lectern rewrites it in place, which needs a backup \
                 folder for its old content, and this system has none; set LECTERN_BACKUP_DIR, then save again",
            ),
        ));
    };
    let old = std::fs::read(target).map_err(io)?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(target)
        .map_err(io)?;
    reserve(&f, bytes.len() as u64).map_err(io)?;
    // The journal: written completely and synced before the file is touched.
    let journal = backup_dir.join(format!(
        "{}-{}-{}{JOURNAL_SUFFIX}",
        &hex(&content_hash(target.as_os_str().as_encoded_bytes()))[..16],
        std::process::id(),
        unique()
    ));
    let mut data = serde_json::to_vec(&Journal {
        path: target.to_path_buf(),
        old_len: old.len(),
        new_len: bytes.len(),
    })
    .map_err(|e| Error::Invalid(e.to_string()))?;
    data.push(b'\n');
    data.extend_from_slice(&old);
    data.extend_from_slice(bytes);
    std::fs::create_dir_all(backup_dir)
        .map_err(|e| Error::io(backup_dir, explain(e, &backup_dir.join("x"))))?;
    write_atomic_with(&journal, &data, None).map_err(|e| match e {
        Error::Io { source, .. } => Error::io(
            target,
            std::io::Error::new(
                source.kind(),
                format!(
                    "the backup of this hard-linked file could not be written to {}: {source}",
                    journal.display()
                ),
            ),
        ),
        other => other,
    })?;
    if let Err(e) = overwrite(&mut f, bytes) {
        return Err(match overwrite(&mut f, &old) {
            Ok(()) => {
                let _ = std::fs::remove_file(&journal);
                io(e)
            }
            Err(_) => Error::io(
                target,
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "{}; the file may be incomplete: its old and new content are in {}, which Lectern \
                         applies the next time it opens the site",
                        explain(e, target),
                        journal.display()
                    ),
                ),
            ),
        });
    }
    drop(f);
    std::fs::remove_file(&journal).map_err(|e| Error::io(&journal, e))?;
    Ok(())
}

#[cfg(not(unix))]
fn write_hard_linked(target: &Path, _bytes: &[u8], _backup_dir: Option<&Path>) -> Result<()> {
    Err(Error::io(
        target,
        std::io::Error::other("hard-linked files are only rewritten in place on Unix"),
    ))
}

/// Overwrite an open file with `bytes` from its start, cut it to that
/// length, and sync it.
fn overwrite(f: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    f.seek(SeekFrom::Start(0))?;
    f.write_all(bytes)?;
    f.set_len(bytes.len() as u64)?;
    f.sync_all()
}

/// Reserve `len` bytes for `f` without changing its size, so that a full
/// disk shows up before the file is touched. File systems without
/// `fallocate` just skip the reservation.
#[cfg(target_os = "linux")]
fn reserve(f: &std::fs::File, len: u64) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let Ok(len) = libc::off_t::try_from(len) else {
        return Ok(());
    };
    if len == 0 {
        return Ok(());
    }
    // SAFETY: fallocate on a file descriptor we own, with plain integer arguments.
    let r = unsafe { libc::fallocate(f.as_raw_fd(), libc::FALLOC_FL_KEEP_SIZE, 0, len) };
    if r == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EOPNOTSUPP) | Some(libc::ENOSYS) | Some(libc::EINVAL) => Ok(()),
        _ => Err(e),
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn reserve(_f: &std::fs::File, _len: u64) -> std::io::Result<()> {
    Ok(())
}

/// What [`finish_interrupted_writes`] did with one journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interrupted {
    /// The file already held its new content (or its old one): nothing to do.
    Complete(PathBuf),
    /// The write was cut off; the old content was put back.
    RolledBack(PathBuf),
    /// The file changed since (or could not be repaired): it was left alone
    /// and the journal kept, for a person to look at.
    Kept {
        /// The file.
        path: PathBuf,
        /// The journal that holds its old and new content.
        journal: PathBuf,
    },
}

/// Settle in-place writes of hard-linked files that a crash cut off, for the
/// files under `under`: a file torn between its old and new content gets its
/// old content back (so it is always one or the other); a file that already
/// holds the old or the new content is left as it is. A file that holds
/// anything else was changed since by someone else and is not touched.
/// Journals are removed once settled.
pub fn finish_interrupted_writes(backup_dir: &Path, under: &Path) -> Vec<Interrupted> {
    let Ok(rd) = std::fs::read_dir(backup_dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut journals: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(JOURNAL_SUFFIX))
        })
        .collect();
    journals.sort();
    for journal in journals {
        let Ok(data) = std::fs::read(&journal) else {
            continue;
        };
        let Some(nl) = data.iter().position(|&b| b == b'\n') else {
            continue;
        };
        let Ok(j) = serde_json::from_slice::<Journal>(&data[..nl]) else {
            continue;
        };
        let body = &data[nl + 1..];
        if !j.path.starts_with(under) || body.len() != j.old_len + j.new_len {
            continue;
        }
        let (old, new) = body.split_at(j.old_len);
        let outcome = match std::fs::read(&j.path) {
            Ok(now) if now == old || now == new => Interrupted::Complete(j.path.clone()),
            Ok(now) if is_torn(&now, old, new) => {
                let restored = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&j.path)
                    .and_then(|mut f| overwrite(&mut f, old));
                match restored {
                    Ok(()) => Interrupted::RolledBack(j.path.clone()),
                    Err(_) => Interrupted::Kept {
                        path: j.path.clone(),
                        journal: journal.clone(),
                    },
                }
            }
            _ => Interrupted::Kept {
                path: j.path.clone(),
                journal: journal.clone(),
            },
        };
        if !matches!(outcome, Interrupted::Kept { .. }) {
            let _ = std::fs::remove_file(&journal);
        }
        out.push(outcome);
    }
    out
}

/// Whether `now` is what an in-place write of `new` over `old` leaves when
/// cut off: the first `k` bytes of `new`, then `old` from `k` on (the file
/// is only truncated at the end).
fn is_torn(now: &[u8], old: &[u8], new: &[u8]) -> bool {
    // The longest k with now[..k] == new[..k].
    let p = now.iter().zip(new).take_while(|(a, b)| a == b).count();
    if now.len() > old.len() {
        // Grown past the old length: all of it must be new.
        return p == now.len();
    }
    if now.len() != old.len() {
        return false;
    }
    // The smallest q with now[q..] == old[q..]; some k in q..=p must exist.
    let q = now.len()
        - now
            .iter()
            .rev()
            .zip(old.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
    q <= p
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

/// Whether a file name is one of [`write_atomic`]'s temp files
/// (`.NAME.lectern-<pid>-<n>.tmp`); returns the writer's process id.
pub fn lectern_temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, tail) = rest.rsplit_once(".lectern-")?;
    let (pid, n) = tail.split_once('-')?;
    (n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty()).then_some(())?;
    pid.parse().ok()
}

/// Whether the process that owns a temp file may still be writing it.
fn writer_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// Remove temp files a crashed or killed save left behind in `dir` (not
/// those of a process still running).
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            lectern_temp_pid(&n).is_some_and(|pid| !writer_alive(pid))
                && e.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// [`remove_stale_temp_files`] in every folder Lectern writes to in a site
/// (`content/`, `data/`, `static/`, `archetypes/`), without following
/// symbolic links. Run when a site is opened and before a batch is applied,
/// so that a killed run's debris is never listed as a change or exported.
pub fn remove_stale_temp_files_in_site(root: &Path) -> usize {
    let mut removed = 0;
    let mut stack: Vec<(PathBuf, usize)> = ["content", "data", "static", "archetypes"]
        .iter()
        .map(|a| (root.join(a), 0))
        .collect();
    while let Some((dir, depth)) = stack.pop() {
        if depth > 32 {
            continue;
        }
        removed += remove_stale_temp_files(&dir);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((e.path(), depth + 1));
            }
        }
    }
    removed
}

/// The folders a sessions entry of `lectern.toml` names: a plain folder, or a
/// glob whose `*` and `?` match within one path component
/// (`content/events/*/program`). Only existing folders come back, sorted.
pub fn expand_glob(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let parts: Vec<&str> = pattern
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if !parts.iter().any(|p| p.contains(['*', '?'])) {
        let p = root.join(pattern);
        return if p.is_dir() { vec![p] } else { Vec::new() };
    }
    let mut current = vec![root.to_path_buf()];
    for part in parts {
        let mut next = Vec::new();
        if part.contains(['*', '?']) {
            let re = format!(
                "^{}$",
                regex::escape(part)
                    .replace("\\*", "[^/]*")
                    .replace("\\?", "[^/]")
            );
            let Ok(re) = regex::Regex::new(&re) else {
                return Vec::new();
            };
            for dir in &current {
                for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if !name.starts_with('.') && re.is_match(&name) && e.path().is_dir() {
                        next.push(e.path());
                    }
                }
            }
        } else {
            next = current
                .iter()
                .map(|d| d.join(part))
                .filter(|p| p.is_dir())
                .collect();
        }
        current = next;
    }
    current.sort();
    current
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
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
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
