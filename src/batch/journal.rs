//! The journal of applied plans, so that a batch operation can be undone in
//! this run (Undo last batch) or a later one (`lectern restore`): "withdrawn
//! sessions are recoverable until export". One concept, one name: the
//! journal; `restore` is what brings an entry back. On disk it stays under
//! `.lectern/trash/<stamp>/`, where sites already have it.
//!
//! Each entry holds `manifest.json` (the title, the time, and every op with
//! its before and after bytes) and, for deleted files, a plain copy under
//! `files/<path>` that a person can open without Lectern. Restoring an entry
//! applies the reverse plan, which verifies that the files are still what the
//! plan wrote. When Lectern creates `.lectern/` it adds it to the
//! repository's `.git/info/exclude`.
//!
//! The journal lives inside the site, so it is as untrusted as the rest of a
//! site checked out from a pull request. Lectern therefore restores only
//! entries it wrote itself: each manifest is signed with HMAC-SHA256 under a
//! per-user key kept outside every site ([`key_path`]), and an entry whose
//! `manifest.sig` does not match is ignored by [`list`] and refused by
//! [`restore`]. Every path in a verified entry still passes the site
//! boundary ([`crate::boundary`]): never `.git/`, never outside the site.
//!
//! An entry whose run was interrupted (killed after the journal was written,
//! with some files written and others not) restores what was written: files
//! still holding their old bytes are left alone ([`restore_plan`]).

use super::plan::{apply_ops, FileOp, Plan};
use crate::boundary::Boundary;
use crate::error::{Error, Result};
use crate::fs::{content_hash, read_regular, write_atomic};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The largest manifest Lectern reads back (a plan over thousands of sessions
/// with their before and after bytes stays well under it).
const MAX_MANIFEST_BYTES: u64 = 512 * 1024 * 1024;

/// Where the journal signing key lives: `$LECTERN_JOURNAL_KEY` (a file path)
/// when set, else `<data dir>/lectern/journal.key`. `None` when this system
/// has no data folder; journals are then written unsigned and can only be
/// undone in the run that wrote them.
pub fn key_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LECTERN_JOURNAL_KEY") {
        return Some(PathBuf::from(p));
    }
    dirs::data_dir().map(|d| d.join("lectern").join("journal.key"))
}

/// The signing key, created (32 random bytes, owner-only) when missing.
fn key(create: bool) -> Result<Option<Vec<u8>>> {
    let Some(path) = key_path() else {
        return Ok(None);
    };
    match read_regular(&path, 4096) {
        Ok(k) if k.len() >= 32 => return Ok(Some(k)),
        Ok(_) => return Err(Error::Invalid(format!("{}: the journal key is too short; remove it and Lectern makes a new one (older journal entries then cannot be restored)", path.display()))),
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound && create => {}
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut k = vec![0u8; 32];
    getrandom::fill(&mut k)
        .map_err(|e| Error::Invalid(format!("no random source for the journal key: {e}")))?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(&path) {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(&k)
                .and_then(|()| f.sync_all())
                .map_err(|e| Error::io(&path, e))?;
            Ok(Some(k))
        }
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => key(false),
        Err(e) => Err(Error::io(&path, e)),
    }
}

fn signature(key: &[u8], manifest: &[u8]) -> Hmac<sha2::Sha256> {
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(b"lectern journal v1\0");
    mac.update(manifest);
    mac
}

/// The journal folder of a site.
pub fn journal_dir(root: &Path) -> PathBuf {
    root.join(".lectern").join("trash")
}

/// File bytes in the manifest: text when UTF-8 (readable), else numbers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum Blob {
    Text(String),
    Bytes(Vec<u8>),
}

impl Blob {
    fn of(b: &[u8]) -> Blob {
        match std::str::from_utf8(b) {
            Ok(s) => Blob::Text(s.to_string()),
            Err(_) => Blob::Bytes(b.to_vec()),
        }
    }
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Blob::Text(s) => s.into_bytes(),
            Blob::Bytes(b) => b,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Entry {
    Create {
        path: String,
        after: Blob,
    },
    Change {
        path: String,
        before: Blob,
        after: Blob,
    },
    Move {
        from: String,
        to: String,
        before: Blob,
        after: Blob,
    },
    Delete {
        path: String,
        before: Blob,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    title: String,
    created: String,
    ops: Vec<Entry>,
}

/// One journal entry, as `lectern restore` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JournalEntry {
    /// The folder name under `.lectern/trash/`, used to restore it.
    pub id: String,
    /// What the plan did.
    pub title: String,
    /// When it was applied (local time, RFC 3339).
    pub created: String,
    /// Site files created, changed, moved and deleted.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub counts: [usize; 4],
    /// The deleted files (site-relative).
    pub deleted: Vec<String>,
    /// Whether it has been undone or restored already.
    pub restored: bool,
}

fn rel(p: &Path) -> String {
    super::plan::slash(p)
}

/// Write the journal entry for a plan about to be applied; returns its folder.
pub(crate) fn record(plan: &Plan) -> Result<PathBuf> {
    let boundary = Boundary::new(&plan.root)?;
    let base = boundary
        .lectern_subdir("trash", true)?
        .unwrap_or_else(|| journal_dir(boundary.root()));
    let now = chrono::Local::now();
    let stamp = now.format("%Y%m%d-%H%M%S").to_string();
    let mut dir = base.join(&stamp);
    let mut n = 1;
    // create_dir (not _all) fails when the folder exists: two applies in one second get -2, -3…
    while let Err(e) = std::fs::create_dir(&dir) {
        if e.kind() != std::io::ErrorKind::AlreadyExists || n > 1000 {
            return Err(Error::io(&dir, e));
        }
        n += 1;
        dir = base.join(format!("{stamp}-{n}"));
    }
    let ops = plan
        .ops
        .iter()
        .map(|op| match op {
            FileOp::Create { path, after } => Entry::Create {
                path: rel(path),
                after: Blob::of(after),
            },
            FileOp::Change {
                path,
                before,
                after,
            } => Entry::Change {
                path: rel(path),
                before: Blob::of(before),
                after: Blob::of(after),
            },
            FileOp::Move {
                from,
                to,
                before,
                after,
            } => Entry::Move {
                from: rel(from),
                to: rel(to),
                before: Blob::of(before),
                after: Blob::of(after),
            },
            FileOp::Delete { path, before } => Entry::Delete {
                path: rel(path),
                before: Blob::of(before),
            },
        })
        .collect();
    let result = (|| -> Result<()> {
        for op in &plan.ops {
            if let FileOp::Delete { path, before } = op {
                let copy = dir.join("files").join(path);
                if let Some(parent) = copy.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                std::fs::write(&copy, before).map_err(|e| Error::io(&copy, e))?;
            }
        }
        let manifest = Manifest {
            title: plan.title.clone(),
            created: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            ops,
        };
        let json = serde_json::to_vec(&manifest).map_err(|e| Error::Invalid(e.to_string()))?;
        write_atomic(&dir.join("manifest.json"), &json)?;
        if let Some(k) = key(true)? {
            let sig = signature(&k, &json).finalize().into_bytes();
            let sig: [u8; 32] = sig.into();
            write_atomic(&dir.join("manifest.sig"), crate::fs::hex(&sig).as_bytes())?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok(dir)
}

pub(crate) fn mark_restored(entry: &Path) -> Result<()> {
    let p = entry.join("restored");
    write_atomic(&p, chrono::Local::now().to_rfc3339().as_bytes())
}

/// Read a journal entry's manifest, refusing what Lectern did not write: a
/// folder that is not real, a manifest that is not a regular file, or one
/// whose signature does not match this user's key.
fn read_manifest(dir: &Path) -> Result<Manifest> {
    let real_dir = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    if !real_dir {
        return Err(Error::Boundary {
            path: dir.to_path_buf(),
            reason: "not a real folder (a symbolic link?); Lectern restores only entries it wrote"
                .into(),
        });
    }
    let p = dir.join("manifest.json");
    let bytes = read_regular(&p, MAX_MANIFEST_BYTES)?;
    let sig = read_regular(&dir.join("manifest.sig"), 256).ok();
    let verified = match (key(false)?, sig) {
        (Some(k), Some(sig)) => {
            let sig = std::str::from_utf8(&sig).ok().and_then(unhex);
            sig.is_some_and(|sig| signature(&k, &bytes).verify_slice(&sig).is_ok())
        }
        _ => false,
    };
    if !verified {
        return Err(Error::Content {
            path: p.clone(),
            line: 1,
            column: 1,
            message: "not a journal entry Lectern wrote on this machine for this user (its signature is missing or does not match), so it is not restored; it may have come with the site's files. Remove the folder if it is not needed".into(),
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| Error::Content {
        path: p.clone(),
        line: e.line(),
        column: e.column(),
        message: format!(
            "not a Lectern journal manifest ({e}); remove the folder if it is not needed"
        ),
    })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.len() % 2 != 0 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// The entries of a site's journal that are ignored because Lectern did not
/// write them (or they were changed since): their folder names and why.
pub fn ignored(root: &Path) -> Vec<(String, String)> {
    let Ok(rd) = std::fs::read_dir(journal_dir(root)) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = rd
        .flatten()
        .filter_map(|e| {
            let err = read_manifest(&e.path()).err()?;
            Some((
                e.file_name().to_string_lossy().into_owned(),
                err.to_string(),
            ))
        })
        .collect();
    out.sort();
    out
}

/// The journal entries of a site that Lectern wrote, newest first. Others
/// (unreadable, or not signed with this user's key) are left out; [`ignored`]
/// names them.
pub fn list(root: &Path) -> Result<Vec<JournalEntry>> {
    let boundary = Boundary::new(root)?;
    let Some(base) = boundary.lectern_subdir("trash", false)? else {
        return Ok(Vec::new());
    };
    let rd = match std::fs::read_dir(&base) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&base, e)),
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let dir = e.path();
        let Ok(m) = read_manifest(&dir) else { continue };
        let mut counts = [0; 4];
        let mut deleted = Vec::new();
        for op in &m.ops {
            let (i, internal) = match op {
                Entry::Create { path, .. } => (0, path.starts_with(".lectern/")),
                Entry::Change { path, .. } => (1, path.starts_with(".lectern/")),
                Entry::Move { to, .. } => (2, to.starts_with(".lectern/")),
                Entry::Delete { path, .. } => {
                    deleted.push(path.clone());
                    (3, path.starts_with(".lectern/"))
                }
            };
            if !internal {
                counts[i] += 1;
            }
        }
        out.push(JournalEntry {
            id: e.file_name().to_string_lossy().into_owned(),
            title: m.title,
            created: m.created,
            counts,
            deleted,
            restored: dir.join("restored").exists(),
        });
    }
    out.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.id.cmp(&a.id)));
    Ok(out)
}

/// The plan that restores a journal entry (the reverse of what it did).
///
/// The entry must be one Lectern wrote (see [`read_manifest`]) and every path
/// in it must pass the site boundary. Each file is compared with what the
/// entry wrote: a file that holds what the entry wrote is put back; a file
/// that still holds its old bytes (the run was interrupted before it got
/// there) is left alone and noted; anything else is a conflict when the plan
/// is applied.
pub fn restore_plan(root: &Path, id: &str) -> Result<Plan> {
    if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
        return Err(Error::Invalid(format!(
            "{id:?} is not a journal entry; `lectern restore SITE` lists them"
        )));
    }
    let boundary = Boundary::new(root)?;
    let base = boundary
        .lectern_subdir("trash", false)?
        .unwrap_or_else(|| journal_dir(root));
    let dir = base.join(id);
    if !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "no journal entry {id} in {}; `lectern restore SITE` lists them",
            journal_dir(root).display()
        )));
    }
    let m = read_manifest(&dir)?;
    let ops: Vec<FileOp> = m
        .ops
        .into_iter()
        .map(|e| match e {
            Entry::Create { path, after } => FileOp::Create {
                path: path.into(),
                after: after.into_bytes(),
            },
            Entry::Change {
                path,
                before,
                after,
            } => FileOp::Change {
                path: path.into(),
                before: before.into_bytes(),
                after: after.into_bytes(),
            },
            Entry::Move {
                from,
                to,
                before,
                after,
            } => FileOp::Move {
                from: from.into(),
                to: to.into(),
                before: before.into_bytes(),
                after: after.into_bytes(),
            },
            Entry::Delete { path, before } => FileOp::Delete {
                path: path.into(),
                before: before.into_bytes(),
            },
        })
        .collect();
    for op in &ops {
        for p in op.touched() {
            boundary.for_write(p)?;
        }
    }
    let applied = Plan {
        title: m.title,
        root: root.to_path_buf(),
        ops,
        ..Default::default()
    };
    let mut p = Plan {
        title: format!("Restore {id}: {}", applied.title),
        root: root.to_path_buf(),
        ..Default::default()
    };
    let mut untouched = 0;
    for op in applied.ops.iter().rev() {
        match reverse_as_written(&boundary, op)? {
            Some(r) => p.ops.push(r),
            None => untouched += 1,
        }
    }
    if untouched > 0 {
        p.notes.push(format!("{untouched} file(s) still hold what they held before {id} was applied (its run was interrupted before it wrote them); they are left as they are"));
    }
    Ok(p)
}

/// The state of a file compared with two versions of it.
fn holds(boundary: &Boundary, path: &Path, bytes: &[u8]) -> Result<Option<bool>> {
    let real = boundary.for_write(path)?;
    if std::fs::symlink_metadata(&real).is_err() {
        return Ok(None);
    }
    Ok(Some(match read_regular(&real, bytes.len() as u64 + 1) {
        Ok(disk) => content_hash(&disk) == content_hash(bytes),
        Err(Error::Content { .. }) => false,
        Err(e) => return Err(e),
    }))
}

/// The operation that undoes `op` given what the disk holds now: `None` when
/// `op` never happened (an interrupted run). When the disk holds neither
/// version, the full reverse is returned and applying it reports the conflict.
fn reverse_as_written(boundary: &Boundary, op: &FileOp) -> Result<Option<FileOp>> {
    Ok(match op {
        FileOp::Create { path, after } => match holds(boundary, path, after)? {
            None => None,
            _ => Some(op.reversed()),
        },
        FileOp::Change {
            path,
            before,
            after,
        } => {
            if holds(boundary, path, after)? != Some(true)
                && holds(boundary, path, before)? == Some(true)
            {
                None
            } else {
                Some(op.reversed())
            }
        }
        FileOp::Move {
            from,
            to,
            before,
            after,
        } => {
            let at_to = holds(boundary, to, after)?;
            let at_from = holds(boundary, from, before)?;
            match (at_to, at_from) {
                // Never written.
                (None, Some(true)) => None,
                // Written at the new path, the old one not yet removed.
                (Some(true), Some(true)) => Some(FileOp::Delete {
                    path: to.clone(),
                    before: after.clone(),
                }),
                _ => Some(op.reversed()),
            }
        }
        FileOp::Delete { path, before } => match holds(boundary, path, before)? {
            Some(true) => None,
            _ => Some(op.reversed()),
        },
    })
}

/// Restore a journal entry: verify the files are what it wrote, put them
/// back, and mark the entry restored.
pub fn restore(root: &Path, id: &str) -> Result<Plan> {
    let plan = restore_plan(root, id)?;
    if journal_dir(root).join(id).join("restored").exists() {
        return Err(Error::Invalid(format!("{id} was already restored")));
    }
    apply_ops(&plan)?;
    mark_restored(&journal_dir(root).join(id))?;
    Ok(plan)
}

/// Remove every journal entry (after an export, say). Returns how many.
pub fn purge(root: &Path) -> Result<usize> {
    // Refuses a `.lectern` or `.lectern/trash` that is a symbolic link: removing
    // "the journal" must never remove another folder's contents.
    let boundary = Boundary::new(root)?;
    let Some(base) = boundary.lectern_subdir("trash", false)? else {
        return Ok(0);
    };
    let n = list(root)?.len();
    match std::fs::remove_dir_all(&base) {
        Ok(()) => Ok(n),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(Error::io(&base, e)),
    }
}
