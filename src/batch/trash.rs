//! The journal of applied plans under `.lectern/trash/<stamp>/`, so that a
//! batch operation can be undone in a later run ("withdrawn sessions are
//! recoverable until export").
//!
//! Each entry holds `manifest.json` (the title, the time, and every op with
//! its before and after bytes) and, for deleted files, a plain copy under
//! `files/<path>` that a person can open without Lectern. Restoring an entry
//! applies the reverse plan, which verifies that the files are still what the
//! plan wrote. `.lectern/` belongs in the site's `.gitignore`.

use super::plan::{apply_ops, FileOp, Plan};
use crate::error::{Error, Result};
use crate::fs::write_atomic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The journal folder of a site.
pub fn trash_dir(root: &Path) -> PathBuf {
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
pub struct TrashEntry {
    /// The folder name under `.lectern/trash/`, used to restore it.
    pub id: String,
    /// What the plan did.
    pub title: String,
    /// When it was applied (local time, RFC 3339).
    pub created: String,
    /// Site files created, changed, moved and deleted.
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
    let base = trash_dir(&plan.root);
    std::fs::create_dir_all(&base).map_err(|e| Error::io(&base, e))?;
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
        write_atomic(&dir.join("manifest.json"), &json)
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

fn read_manifest(dir: &Path) -> Result<Manifest> {
    let p = dir.join("manifest.json");
    let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Content {
        path: p.clone(),
        line: e.line(),
        column: e.column(),
        message: format!(
            "not a Lectern journal manifest ({e}); remove the folder if it is not needed"
        ),
    })
}

/// The journal entries of a site, newest first. Unreadable entries are skipped.
pub fn list(root: &Path) -> Result<Vec<TrashEntry>> {
    let base = trash_dir(root);
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
        out.push(TrashEntry {
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
pub fn restore_plan(root: &Path, id: &str) -> Result<Plan> {
    if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
        return Err(Error::Invalid(format!(
            "{id:?} is not a journal entry; `lectern restore SITE` lists them"
        )));
    }
    let dir = trash_dir(root).join(id);
    if !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "no journal entry {id} in {}; `lectern restore SITE` lists them",
            trash_dir(root).display()
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
    let applied = Plan {
        title: m.title,
        root: root.to_path_buf(),
        ops,
        ..Default::default()
    };
    let mut p = applied.reversed();
    p.title = format!("Restore {id}: {}", applied.title);
    Ok(p)
}

/// Restore a journal entry: verify the files are what it wrote, put them
/// back, and mark the entry restored.
pub fn restore(root: &Path, id: &str) -> Result<Plan> {
    let plan = restore_plan(root, id)?;
    if trash_dir(root).join(id).join("restored").exists() {
        return Err(Error::Invalid(format!("{id} was already restored")));
    }
    apply_ops(&plan)?;
    mark_restored(&trash_dir(root).join(id))?;
    Ok(plan)
}

/// Remove every journal entry (after an export, say). Returns how many.
pub fn purge(root: &Path) -> Result<usize> {
    let base = trash_dir(root);
    let n = list(root)?.len();
    match std::fs::remove_dir_all(&base) {
        Ok(()) => Ok(n),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(Error::io(&base, e)),
    }
}
