//! Plans: what a batch operation will do to the files, before it does it.
//!
//! Every organizer operation first computes a [`Plan`] without writing
//! anything; the plan can be shown (summary, unified diffs), then applied with
//! [`apply`]. Applying first checks that every file is still exactly what the
//! plan was computed from (by SHA-256 of its bytes) and writes nothing at all
//! when one is not, so a plan never overwrites an edit made in the meantime.
//! Every applied plan is journaled under `.lectern/trash/<stamp>/` (see
//! [`super::trash`]) so that it can be undone, in the same run with
//! [`Applied::undo`] or in a later one with `lectern restore`.
//!
//! Paths in a plan are relative to [`Plan::root`] (the site root) and use `/`
//! separators, as [`crate::site::SessionFile::rel`] does; the same paths
//! appear in diffs, summaries and the journal.

use crate::error::{Error, Result};
use crate::export::{unified_diff, ChangeKind, FileChange, DEFAULT_CONTEXT};
use crate::fs::{content_hash, write_atomic};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One file operation. Bytes are whole file contents.
#[derive(Clone, PartialEq, Eq)]
pub enum FileOp {
    /// Write a new file; it must not exist when the plan is applied.
    Create {
        /// Site-relative path.
        path: PathBuf,
        /// The new bytes.
        after: Vec<u8>,
    },
    /// Replace a file's bytes; the file must still hold `before`.
    Change {
        /// Site-relative path.
        path: PathBuf,
        /// The bytes the plan was computed from.
        before: Vec<u8>,
        /// The new bytes.
        after: Vec<u8>,
    },
    /// Rename a file (and possibly change it); `from` must still hold
    /// `before` and `to` must not exist.
    Move {
        /// Site-relative old path.
        from: PathBuf,
        /// Site-relative new path.
        to: PathBuf,
        /// The bytes at `from`.
        before: Vec<u8>,
        /// The bytes written at `to`.
        after: Vec<u8>,
    },
    /// Remove a file; it must still hold `before`. The bytes are kept in the
    /// journal so the file can be restored.
    Delete {
        /// Site-relative path.
        path: PathBuf,
        /// The bytes removed.
        before: Vec<u8>,
    },
}

impl std::fmt::Debug for FileOp {
    // File contents would drown everything else; show paths and sizes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileOp::Create { path, after } => {
                write!(f, "Create({}, {} bytes)", slash(path), after.len())
            }
            FileOp::Change {
                path,
                before,
                after,
            } => write!(
                f,
                "Change({}, {} -> {} bytes)",
                slash(path),
                before.len(),
                after.len()
            ),
            FileOp::Move {
                from,
                to,
                before,
                after,
            } => write!(
                f,
                "Move({} -> {}, {} -> {} bytes)",
                slash(from),
                slash(to),
                before.len(),
                after.len()
            ),
            FileOp::Delete { path, before } => {
                write!(f, "Delete({}, {} bytes)", slash(path), before.len())
            }
        }
    }
}

impl FileOp {
    /// The path the operation leaves a file at (the new path of a move); for
    /// a delete, the removed path.
    pub fn path(&self) -> &Path {
        match self {
            FileOp::Create { path, .. }
            | FileOp::Change { path, .. }
            | FileOp::Delete { path, .. } => path,
            FileOp::Move { to, .. } => to,
        }
    }

    /// Every path the operation touches (both ends of a move).
    pub fn touched(&self) -> Vec<&Path> {
        match self {
            FileOp::Move { from, to, .. } => vec![from.as_path(), to.as_path()],
            _ => vec![self.path()],
        }
    }

    /// The bytes the file has before, when it exists.
    pub fn before(&self) -> Option<&[u8]> {
        match self {
            FileOp::Create { .. } => None,
            FileOp::Change { before, .. }
            | FileOp::Move { before, .. }
            | FileOp::Delete { before, .. } => Some(before),
        }
    }

    /// The bytes the file has after, unless it is deleted.
    pub fn after(&self) -> Option<&[u8]> {
        match self {
            FileOp::Delete { .. } => None,
            FileOp::Create { after, .. }
            | FileOp::Change { after, .. }
            | FileOp::Move { after, .. } => Some(after),
        }
    }

    /// The operation that undoes this one.
    pub fn reversed(&self) -> FileOp {
        match self.clone() {
            FileOp::Create { path, after } => FileOp::Delete {
                path,
                before: after,
            },
            FileOp::Change {
                path,
                before,
                after,
            } => FileOp::Change {
                path,
                before: after,
                after: before,
            },
            FileOp::Move {
                from,
                to,
                before,
                after,
            } => FileOp::Move {
                from: to,
                to: from,
                before: after,
                after: before,
            },
            FileOp::Delete { path, before } => FileOp::Create {
                path,
                after: before,
            },
        }
    }

    /// The same change as the export module sees it, for diffs.
    pub fn to_file_change(&self) -> FileChange {
        let (kind, path) = match self {
            FileOp::Create { path, .. } => (ChangeKind::Created, path.clone()),
            FileOp::Change { path, .. } => (ChangeKind::Changed, path.clone()),
            FileOp::Move { from, to, .. } => (ChangeKind::Moved { from: from.clone() }, to.clone()),
            FileOp::Delete { path, .. } => (ChangeKind::Deleted, path.clone()),
        };
        FileChange {
            path,
            kind,
            before: self.before().map(<[u8]>::to_vec),
            after: self.after().map(<[u8]>::to_vec),
        }
    }

    /// Whether this is Lectern's own bookkeeping (`.lectern/…`), not a site file.
    pub fn is_internal(&self) -> bool {
        self.touched().iter().any(|p| p.starts_with(".lectern"))
    }
}

/// A hand edit that an import would overwrite: the three versions, for a
/// three-way view. The file's other changes are still in the plan; this part
/// is left as it is on disk unless the user takes the new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Site-relative path.
    pub path: String,
    /// The field, or `None` for the body.
    pub field: Option<String>,
    /// What the previous import wrote (None when there was no previous import).
    pub base: Option<String>,
    /// What is on disk now.
    pub ours: String,
    /// What the new import would write.
    pub theirs: String,
}

/// Something the operation could not do (a file it could not read, a row it
/// could not use). The plan holds everything else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Site-relative path, when the problem is about a file.
    pub path: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl Problem {
    /// A problem about a file.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: Some(path.into()),
            message: message.into(),
        }
    }

    /// A problem not tied to one file.
    pub fn general(message: impl Into<String>) -> Self {
        Problem {
            path: None,
            message: message.into(),
        }
    }
}

/// What a batch operation will do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// One line saying what the operation is ("Set room on 12 sessions").
    pub title: String,
    /// The site root every op path is relative to.
    pub root: PathBuf,
    /// The file operations, in the order they are listed (not the order
    /// they are performed; see [`apply`]).
    pub ops: Vec<FileOp>,
    /// Hand edits left alone (imports only).
    pub conflicts: Vec<Conflict>,
    /// What could not be planned.
    pub problems: Vec<Problem>,
    /// Remarks worth showing (a value that has no translation, say).
    pub notes: Vec<String>,
}

impl Plan {
    /// An empty plan for a site root.
    pub fn new(title: impl Into<String>, root: impl Into<PathBuf>) -> Self {
        Plan {
            title: title.into(),
            root: root.into(),
            ..Default::default()
        }
    }

    /// Whether the plan changes no file.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Add a change from `before` to `after` unless they are equal.
    pub fn change(&mut self, path: impl Into<PathBuf>, before: Vec<u8>, after: Vec<u8>) {
        if before != after {
            self.ops.push(FileOp::Change {
                path: path.into(),
                before,
                after,
            });
        }
    }

    /// The operations on site files (without Lectern's own bookkeeping).
    pub fn site_ops(&self) -> impl Iterator<Item = &FileOp> {
        self.ops.iter().filter(|o| !o.is_internal())
    }

    /// Unified diffs of every site file the plan touches, in git's format
    /// (renames included). Lectern's own files under `.lectern/` are left out.
    pub fn diff(&self) -> String {
        self.site_ops()
            .map(|o| unified_diff(&o.to_file_change(), DEFAULT_CONTEXT))
            .collect()
    }

    /// A human summary: the title, counts, then one line per file.
    pub fn summary(&self) -> String {
        let count = |f: fn(&FileOp) -> bool| self.site_ops().filter(|o| f(o)).count();
        let created = count(|o| matches!(o, FileOp::Create { .. }));
        let changed = count(|o| matches!(o, FileOp::Change { .. }));
        let moved = count(|o| matches!(o, FileOp::Move { .. }));
        let deleted = count(|o| matches!(o, FileOp::Delete { .. }));
        let mut out = format!("{}\n", self.title);
        let mut parts = Vec::new();
        for (n, what) in [
            (created, "created"),
            (changed, "changed"),
            (moved, "moved"),
            (deleted, "deleted"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        if parts.is_empty() {
            out.push_str("  no file changes\n");
        } else {
            out.push_str(&format!(
                "  {} ({} files)\n",
                parts.join(", "),
                self.site_ops().count()
            ));
        }
        for o in self.site_ops() {
            let line = match o {
                FileOp::Create { path, .. } => format!("  create {}", slash(path)),
                FileOp::Change { path, .. } => format!("  change {}", slash(path)),
                FileOp::Move {
                    from,
                    to,
                    before,
                    after,
                } => {
                    format!(
                        "  move   {} -> {}{}",
                        slash(from),
                        slash(to),
                        if before == after { "" } else { " (changed)" }
                    )
                }
                FileOp::Delete { path, .. } => format!("  delete {}", slash(path)),
            };
            out.push_str(&line);
            out.push('\n');
        }
        for c in &self.conflicts {
            let what = c
                .field
                .as_deref()
                .map_or("body".to_string(), |f| format!("`{f}`"));
            out.push_str(&format!(
                "  conflict {}: {what} was edited by hand and changed upstream; left as it is\n",
                c.path
            ));
        }
        for p in &self.problems {
            match &p.path {
                Some(path) => out.push_str(&format!("  problem {path}: {}\n", p.message)),
                None => out.push_str(&format!("  problem: {}\n", p.message)),
            }
        }
        for n in &self.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
        out
    }

    /// The plan that undoes this one (ops reversed, in reverse order).
    pub fn reversed(&self) -> Plan {
        Plan {
            title: format!("Undo: {}", self.title),
            root: self.root.clone(),
            ops: self.ops.iter().rev().map(FileOp::reversed).collect(),
            ..Default::default()
        }
    }
}

/// The path with `/` separators, for display.
pub(crate) fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A plan that was applied; keeps what is needed to undo it.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The plan as applied.
    pub plan: Plan,
    /// The journal entry under `.lectern/trash/` (None for an empty plan).
    pub journal: Option<PathBuf>,
}

impl Applied {
    /// Put every file back as it was before, as one step. Refuses (and writes
    /// nothing) when any file is no longer what the plan wrote.
    pub fn undo(&self) -> Result<()> {
        apply_ops(&self.plan.reversed())?;
        if let Some(j) = &self.journal {
            super::trash::mark_restored(j)?;
        }
        Ok(())
    }
}

/// Apply a plan: verify, journal, write. See the module documentation.
///
/// Verification: each `Change`, `Move` and `Delete` source must hold exactly
/// its `before` bytes (SHA-256), and each `Create` or `Move` target must not
/// exist; otherwise [`Error::Conflict`] names the first such file and nothing
/// is written. Then new contents are written atomically (in parallel), and
/// only then are move sources and deleted files removed. If a write fails
/// midway, the files already written are put back.
pub fn apply(plan: &Plan) -> Result<Applied> {
    if plan.ops.is_empty() {
        return Ok(Applied {
            plan: plan.clone(),
            journal: None,
        });
    }
    verify(plan)?;
    let journal = super::trash::record(plan)?;
    if let Err(e) = perform(plan) {
        let _ = std::fs::remove_dir_all(&journal);
        return Err(e);
    }
    Ok(Applied {
        plan: plan.clone(),
        journal: Some(journal),
    })
}

/// Verify and perform without journaling (used for undo and restore, whose
/// source is the journal itself).
pub(crate) fn apply_ops(plan: &Plan) -> Result<()> {
    verify(plan)?;
    perform(plan)
}

fn verify(plan: &Plan) -> Result<()> {
    let mut seen = BTreeSet::new();
    for op in &plan.ops {
        for p in op.touched() {
            if p.is_absolute()
                || p.components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                return Err(Error::Invalid(format!(
                    "{}: plan paths must be relative to the site root",
                    p.display()
                )));
            }
            if !seen.insert(p.to_path_buf()) {
                return Err(Error::Invalid(format!(
                    "{}: the plan touches this file twice; plan again",
                    slash(p)
                )));
            }
        }
    }
    // Reading is the slow part on large plans; do it on all cores.
    let bad: Option<PathBuf> = plan
        .ops
        .par_iter()
        .map(|op| -> Result<Option<PathBuf>> {
            let root = &plan.root;
            if let Some(before) = op.before() {
                let src = match op {
                    FileOp::Move { from, .. } => from,
                    _ => op.path(),
                };
                match std::fs::read(root.join(src)) {
                    Ok(disk) if content_hash(&disk) == content_hash(before) => {}
                    Ok(_) => return Ok(Some(src.to_path_buf())),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Ok(Some(src.to_path_buf()))
                    }
                    Err(e) => return Err(Error::io(root.join(src), e)),
                }
            }
            if let FileOp::Create { path: target, .. } | FileOp::Move { to: target, .. } = op {
                if std::fs::symlink_metadata(root.join(target)).is_ok() {
                    return Ok(Some(target.clone()));
                }
            }
            Ok(None)
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .min();
    match bad {
        Some(path) => Err(Error::Conflict {
            path: plan.root.join(path),
        }),
        None => Ok(()),
    }
}

fn perform(plan: &Plan) -> Result<()> {
    let root = &plan.root;
    let writes: Vec<(&Path, &[u8])> = plan
        .ops
        .iter()
        .filter_map(|op| match op {
            FileOp::Create { path, after } | FileOp::Change { path, after, .. } => {
                Some((path.as_path(), after.as_slice()))
            }
            FileOp::Move { to, after, .. } => Some((to.as_path(), after.as_slice())),
            FileOp::Delete { .. } => None,
        })
        .collect();
    // Folders for new files (a track renamed into a fresh folder, the import state).
    let dirs: BTreeSet<PathBuf> = writes
        .iter()
        .filter_map(|(p, _)| root.join(p).parent().map(Path::to_path_buf))
        .collect();
    for d in dirs {
        std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
    }
    let results: Vec<(usize, Result<()>)> =
        write_all(root, &writes).into_iter().enumerate().collect();
    if let Some(err_at) = results.iter().position(|(_, r)| r.is_err()) {
        // Put back what was written so the site is as it was.
        for ((_, r), op) in results.iter().zip(
            plan.ops
                .iter()
                .filter(|o| !matches!(o, FileOp::Delete { .. })),
        ) {
            if r.is_ok() {
                let _ = undo_write(root, op);
            }
        }
        let (_, r) = results.into_iter().nth(err_at).unwrap_or((0, Ok(())));
        return r;
    }
    for op in &plan.ops {
        let gone = match op {
            FileOp::Move { from, .. } => from,
            FileOp::Delete { path, .. } => path,
            _ => continue,
        };
        let abs = root.join(gone);
        match std::fs::remove_file(&abs) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&abs, e)),
        }
    }
    Ok(())
}

/// Writers at once. Each atomic write waits on fsync (the disk, not the
/// CPU), and the file system commits concurrent fsyncs together, so many
/// more writers than cores pay off.
const WRITERS: usize = 32;

/// Write every file atomically; results in the order of `writes`.
fn write_all(root: &Path, writes: &[(&Path, &[u8])]) -> Vec<Result<()>> {
    if writes.len() <= 1 {
        return writes
            .iter()
            .map(|(p, b)| write_atomic(&root.join(p), b))
            .collect();
    }
    let chunk = writes.len().div_ceil(WRITERS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = writes
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(p, b)| write_atomic(&root.join(p), b))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err(Error::Invalid("a writer thread failed".into()))])
            })
            .collect()
    })
}

fn undo_write(root: &Path, op: &FileOp) -> Result<()> {
    match op {
        FileOp::Create { path, .. } | FileOp::Move { to: path, .. } => {
            std::fs::remove_file(root.join(path)).map_err(|e| Error::io(root.join(path), e))
        }
        FileOp::Change { path, before, .. } => write_atomic(&root.join(path), before),
        FileOp::Delete { .. } => Ok(()),
    }
}
