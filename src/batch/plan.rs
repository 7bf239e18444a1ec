//! Plans: what a batch operation will do to the files, before it does it.
//!
//! Every organizer operation first computes a [`Plan`] without writing
//! anything; the plan can be shown (summary, unified diffs), then applied with
//! [`apply`]. Applying first checks that every file is still exactly what the
//! plan was computed from (by SHA-256 of its bytes) and writes nothing at all
//! when one is not, so a plan never overwrites an edit made in the meantime.
//! Every applied plan is journaled under `.lectern/trash/<stamp>/` (see
//! [`super::journal`]) so that it can be undone, in the same run with
//! [`Applied::undo`] or in a later one with `lectern restore`.
//!
//! Paths in a plan are relative to [`Plan::root`] (the site root) and use `/`
//! separators, as [`crate::site::SessionFile::rel`] does; the same paths
//! appear in diffs, summaries and the journal.

use crate::boundary::Boundary;
use crate::error::{Error, Result};
use crate::export::{unified_diff, ChangeKind, FileChange, DEFAULT_CONTEXT};
use crate::fs::content_hash;
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// What a plan does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PlanOpKind"))]
pub enum OpKind {
    /// A new file.
    Create,
    /// New bytes for an existing file.
    Change,
    /// A renamed file (maybe changed too).
    Move,
    /// A removed file (kept in the journal).
    Delete,
}

/// One site file of a plan, with its change in git's unified format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanFile {
    /// What happens to it.
    pub kind: OpKind,
    /// Site-relative path with `/` separators (the new path of a move).
    pub path: String,
    /// The old path of a move.
    pub from: Option<String>,
    /// The change in git's unified format.
    pub diff: String,
}

/// A plan as the person reviews it before confirming (see [`Plan::overview`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanSummary {
    /// What the operation is.
    pub title: String,
    /// Files created.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created: usize,
    /// Files changed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub changed: usize,
    /// Files moved.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub moved: usize,
    /// Files deleted.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub deleted: usize,
    /// Every site file it touches (Lectern's own `.lectern/` files left out).
    pub files: Vec<PlanFile>,
    /// Hand edits it leaves alone (imports).
    pub conflicts: Vec<Conflict>,
    /// What could not be planned.
    pub problems: Vec<Problem>,
    /// Remarks.
    pub notes: Vec<String>,
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

    /// The plan as the person reviews it: every site file it touches with
    /// its diff, counted by kind, and what it leaves alone or cannot do.
    pub fn overview(&self) -> PlanSummary {
        let slash = |p: &Path| p.to_string_lossy().replace('\\', "/");
        let files: Vec<PlanFile> = self
            .site_ops()
            .map(|op| {
                let (kind, from) = match op {
                    FileOp::Create { .. } => (OpKind::Create, None),
                    FileOp::Change { .. } => (OpKind::Change, None),
                    FileOp::Move { from, .. } => (OpKind::Move, Some(slash(from))),
                    FileOp::Delete { .. } => (OpKind::Delete, None),
                };
                PlanFile {
                    kind,
                    path: slash(op.path()),
                    from,
                    diff: unified_diff(&op.to_file_change(), DEFAULT_CONTEXT),
                }
            })
            .collect();
        let count = |k: OpKind| files.iter().filter(|f| f.kind == k).count();
        PlanSummary {
            title: self.title.clone(),
            created: count(OpKind::Create),
            changed: count(OpKind::Change),
            moved: count(OpKind::Move),
            deleted: count(OpKind::Delete),
            conflicts: self.conflicts.clone(),
            problems: self.problems.clone(),
            notes: self.notes.clone(),
            files,
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
                Some(path) => out.push_str(&format!("  problem {path}: {}\n", clip(&p.message))),
                None => out.push_str(&format!("  problem: {}\n", clip(&p.message))),
            }
        }
        for n in &self.notes {
            out.push_str(&format!("  note: {}\n", clip(n)));
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

/// A message cut for a summary line (a hostile spreadsheet cell can be megabytes).
fn clip(s: &str) -> String {
    crate::error::clip(s.to_string(), 1024)
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
            super::journal::mark_restored(j)?;
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
    crate::fs::remove_stale_temp_files_in_site(&plan.root);
    verify(plan)?;
    let journal = super::journal::record(plan)?;
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

/// The largest file a plan may write: the same cap as a session file
/// Lectern opens ([`crate::document::MAX_FILE_BYTES`]), so a batch never
/// creates a file that `check` then calls unreadable.
pub const MAX_WRITE_BYTES: usize = crate::document::MAX_FILE_BYTES as usize;

fn verify(plan: &Plan) -> Result<()> {
    let boundary = Boundary::new(&plan.root)?;
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
            if p.starts_with(".lectern") {
                boundary.lectern_dir(false)?;
            }
            // The real path, so that a symbolic link to another file of the
            // plan counts as the same file.
            let real = boundary.for_write(p)?;
            if !seen.insert(real) {
                return Err(Error::Invalid(format!(
                    "{}: the plan touches this file twice; plan again",
                    slash(p)
                )));
            }
        }
        if let Some(after) = op.after() {
            if after.len() > MAX_WRITE_BYTES {
                return Err(Error::Invalid(format!(
                    "{}: the new file would be {:.1} MiB, over the {} MiB limit for a session file; nothing was written",
                    slash(op.path()),
                    after.len() as f64 / (1024.0 * 1024.0),
                    MAX_WRITE_BYTES / (1024 * 1024)
                )));
            }
        }
    }
    // Reading is the slow part on large plans; do it on all cores.
    let bad: Option<PathBuf> = plan
        .ops
        .par_iter()
        .map(|op| -> Result<Option<PathBuf>> {
            if let Some(before) = op.before() {
                let src = match op {
                    FileOp::Move { from, .. } => from,
                    _ => op.path(),
                };
                let real = boundary.for_write(src)?;
                if std::fs::symlink_metadata(&real).is_err() {
                    return Ok(Some(src.to_path_buf()));
                }
                // Bigger than the plan's own bytes means changed; the cap keeps
                // a file grown to gigabytes from being read whole.
                match crate::fs::read_regular(&real, before.len() as u64 + 1) {
                    Ok(disk) if content_hash(&disk) == content_hash(before) => {}
                    Ok(_) | Err(Error::Content { .. }) => return Ok(Some(src.to_path_buf())),
                    Err(e) => return Err(e),
                }
            }
            if let FileOp::Create { path: target, .. } | FileOp::Move { to: target, .. } = op {
                if std::fs::symlink_metadata(plan.root.join(target)).is_ok() {
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
    let boundary = Boundary::new(&plan.root)?;
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
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    for d in dirs {
        boundary.create_dir_all(&d)?;
    }
    let results: Vec<(usize, Result<()>)> = write_all(&boundary, &writes)
        .into_iter()
        .enumerate()
        .collect();
    if let Some(err_at) = results.iter().position(|(_, r)| r.is_err()) {
        // Put back what was written so the site is as it was.
        for ((_, r), op) in results.iter().zip(
            plan.ops
                .iter()
                .filter(|o| !matches!(o, FileOp::Delete { .. })),
        ) {
            if r.is_ok() {
                let _ = undo_write(&boundary, op);
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
        boundary.remove_file(gone)?;
    }
    Ok(())
}

/// Writers at once. Each atomic write waits on fsync (the disk, not the
/// CPU), and the file system commits concurrent fsyncs together, so many
/// more writers than cores pay off.
const WRITERS: usize = 32;

/// Write every file atomically; results in the order of `writes`.
fn write_all(boundary: &Boundary, writes: &[(&Path, &[u8])]) -> Vec<Result<()>> {
    if writes.len() <= 1 {
        return writes.iter().map(|(p, b)| boundary.write(p, b)).collect();
    }
    let chunk = writes.len().div_ceil(WRITERS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = writes
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(p, b)| boundary.write(p, b))
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

fn undo_write(boundary: &Boundary, op: &FileOp) -> Result<()> {
    match op {
        FileOp::Create { path, .. } | FileOp::Move { to: path, .. } => boundary.remove_file(path),
        FileOp::Change { path, before, .. } => boundary.write(path, before),
        FileOp::Delete { .. } => Ok(()),
    }
}
