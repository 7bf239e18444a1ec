//! The change set: which files changed, and their bytes before and after.
//!
//! Two sources: a git work tree compared with `HEAD` (the normal case for a
//! site checked out from GitHub), or the bytes the app loaded and saved when the
//! site is not a git tree. Both end in the same [`ChangeSet`] so review and
//! export do not care where it came from.

use super::git::{git, Repo};
use super::{path_from_bytes, ExportError, ExportResult, ZERO_ID};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ChangeKind {
    /// The file is new.
    Created,
    /// The file's bytes changed.
    Changed,
    /// The file was renamed (its bytes may also have changed).
    Moved {
        /// The old path, relative to the change set's root.
        from: PathBuf,
    },
    /// The file was removed.
    Deleted,
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the change set's root, with forward slashes. For a
    /// move, the new path.
    pub path: PathBuf,
    /// What happened.
    pub kind: ChangeKind,
    /// The bytes before (None for a created file).
    pub before: Option<Vec<u8>>,
    /// The bytes after (None for a deleted file).
    pub after: Option<Vec<u8>>,
}

impl FileChange {
    /// The path the file had before: the source of a move, else [`Self::path`].
    pub fn old_path(&self) -> &Path {
        match &self.kind {
            ChangeKind::Moved { from } => from,
            _ => &self.path,
        }
    }

    /// Every path this change touches (both ends of a move).
    pub fn touched_paths(&self) -> Vec<&Path> {
        match &self.kind {
            ChangeKind::Moved { from } => vec![from.as_path(), self.path.as_path()],
            _ => vec![self.path.as_path()],
        }
    }
}

/// The pending changes of a site, ready for review and export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// The folder the paths are relative to. For [`ChangeSet::from_git_head`]
    /// this is the repository root, so paths are what git expects.
    pub root: PathBuf,
    /// The changes, sorted by path.
    pub changes: Vec<FileChange>,
}

impl ChangeSet {
    /// An empty change set for a root folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ChangeSet {
            root: root.into(),
            changes: Vec::new(),
        }
    }

    /// Whether there is nothing to export.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many files changed.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Every path the change set touches (both ends of moves), sorted, unique.
    pub fn touched_paths(&self) -> Vec<PathBuf> {
        let set: BTreeSet<PathBuf> = self
            .changes
            .iter()
            .flat_map(|c| c.touched_paths().into_iter().map(Path::to_path_buf))
            .collect();
        set.into_iter().collect()
    }

    /// The change at a path (new path of a move), if any.
    pub fn get(&self, path: impl AsRef<Path>) -> Option<&FileChange> {
        let wanted = normalise(&self.root, path.as_ref());
        self.changes.iter().find(|c| c.path == wanted)
    }

    /// Only the changes that touch one of `paths` (relative to the root, or
    /// absolute under it). A move is kept when either of its ends is named.
    pub fn select<P: AsRef<Path>>(&self, paths: &[P]) -> ChangeSet {
        let wanted: BTreeSet<PathBuf> = paths
            .iter()
            .map(|p| normalise(&self.root, p.as_ref()))
            .collect();
        ChangeSet {
            root: self.root.clone(),
            changes: self
                .changes
                .iter()
                .filter(|c| c.touched_paths().iter().any(|p| wanted.contains(*p)))
                .cloned()
                .collect(),
        }
    }

    /// Changes between two snapshots of a folder that is not a git tree: the
    /// bytes the app loaded (`before`) and the bytes it holds now (`after`).
    /// Keys are paths relative to `root` (absolute paths under `root` are
    /// made relative). Identical files are left out; a deleted file and a
    /// created file with the same or mostly the same content become a move.
    pub fn from_snapshots<B, A>(root: impl Into<PathBuf>, before: B, after: A) -> ChangeSet
    where
        B: IntoIterator<Item = (PathBuf, Vec<u8>)>,
        A: IntoIterator<Item = (PathBuf, Vec<u8>)>,
    {
        let root = root.into();
        let before: BTreeMap<PathBuf, Vec<u8>> = before
            .into_iter()
            .map(|(p, b)| (normalise(&root, &p), b))
            .collect();
        let mut after: BTreeMap<PathBuf, Vec<u8>> = after
            .into_iter()
            .map(|(p, b)| (normalise(&root, &p), b))
            .collect();
        let mut changes = Vec::new();
        for (path, old) in before {
            match after.remove(&path) {
                Some(new) if new == old => {}
                Some(new) => changes.push(FileChange {
                    path,
                    kind: ChangeKind::Changed,
                    before: Some(old),
                    after: Some(new),
                }),
                None => changes.push(FileChange {
                    path,
                    kind: ChangeKind::Deleted,
                    before: Some(old),
                    after: None,
                }),
            }
        }
        for (path, new) in after {
            changes.push(FileChange {
                path,
                kind: ChangeKind::Created,
                before: None,
                after: Some(new),
            });
        }
        let mut set = ChangeSet { root, changes };
        set.pair_moves();
        set.sort();
        set
    }

    /// Pending changes of the git work tree against `HEAD` for the files under
    /// `site_root` (which may be the repository root or a folder in it):
    /// modified, new (untracked, not ignored), deleted and renamed files.
    /// The result's root is the repository root and its paths are
    /// repository-relative, as git and patches need them.
    pub fn from_git_head(site_root: &Path) -> ExportResult<ChangeSet> {
        let repo = Repo::discover(site_root)?.ok_or_else(|| ExportError::NotARepo {
            path: site_root.to_path_buf(),
        })?;
        let prefix = git(site_root)
            .args(["rev-parse", "--show-prefix"])
            .run_text()?;
        let mut cmd = git(&repo.root).args([
            "status",
            "--porcelain=v2",
            "-z",
            "--untracked-files=all",
            "--ignore-submodules=all",
        ]);
        if !prefix.is_empty() {
            cmd = cmd.arg("--").arg(format!(":(top,literal){prefix}"));
        }
        let out = cmd.run()?;
        // A killed save's temp file (`.x.md.lectern-<pid>-<n>.tmp`) is debris, never a change.
        let entries: Vec<StatusEntry> = parse_status(&out)
            .into_iter()
            .filter(|e| {
                e.path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_none_or(|n| crate::fs::lectern_temp_pid(n).is_none())
            })
            .collect();

        let ids: BTreeSet<&str> = entries
            .iter()
            .filter_map(|e| e.head_id.as_deref())
            .collect();
        let blobs = read_blobs(&repo.root, ids.into_iter())?;

        let mut changes = Vec::new();
        for e in &entries {
            let before =
                match &e.head_id {
                    Some(id) => Some(blobs.get(id.as_str()).cloned().ok_or_else(|| {
                        ExportError::GitFailed {
                            cmd: "git cat-file --batch".into(),
                            stderr: format!("object {id} for {} is missing", e.path.display()),
                        }
                    })?),
                    None => None,
                };
            let after = read_work_tree(&repo.root.join(&e.path))?;
            let path = e.path.clone();
            match (&e.orig, before, after) {
                (_, None, None) => {}
                (Some(orig), Some(b), Some(a)) => changes.push(FileChange {
                    path,
                    kind: ChangeKind::Moved { from: orig.clone() },
                    before: Some(b),
                    after: Some(a),
                }),
                (Some(orig), Some(b), None) => changes.push(FileChange {
                    path: orig.clone(),
                    kind: ChangeKind::Deleted,
                    before: Some(b),
                    after: None,
                }),
                (_, Some(b), Some(a)) if a == b => {}
                (_, Some(b), Some(a)) => changes.push(FileChange {
                    path,
                    kind: ChangeKind::Changed,
                    before: Some(b),
                    after: Some(a),
                }),
                (_, None, Some(a)) => changes.push(FileChange {
                    path,
                    kind: ChangeKind::Created,
                    before: None,
                    after: Some(a),
                }),
                (_, Some(b), None) => changes.push(FileChange {
                    path,
                    kind: ChangeKind::Deleted,
                    before: Some(b),
                    after: None,
                }),
            }
        }
        let mut set = ChangeSet {
            root: repo.root,
            changes,
        };
        set.pair_moves();
        set.sort();
        Ok(set)
    }

    fn sort(&mut self) {
        // Byte order of the slash path, as git sorts (`a-b/x` before `a/x`).
        self.changes.sort_by_key(|c| super::slash_path(&c.path));
    }

    /// Turns a deleted file plus a created file with (mostly) the same content
    /// into a move, as git does: exact matches first, then at least 50% of
    /// the lines in common. Empty files are never paired.
    fn pair_moves(&mut self) {
        const MAX_PAIRS: usize = 10_000;
        let deleted: Vec<usize> = (0..self.changes.len())
            .filter(|&i| {
                self.changes[i].kind == ChangeKind::Deleted
                    && self.changes[i]
                        .before
                        .as_ref()
                        .is_some_and(|b| !b.is_empty())
            })
            .collect();
        let created: Vec<usize> = (0..self.changes.len())
            .filter(|&i| {
                self.changes[i].kind == ChangeKind::Created
                    && self.changes[i]
                        .after
                        .as_ref()
                        .is_some_and(|b| !b.is_empty())
            })
            .collect();
        if deleted.is_empty() || created.is_empty() {
            return;
        }
        let fuzzy = deleted.len() * created.len() <= MAX_PAIRS;
        let mut taken = BTreeSet::new();
        let mut pairs = Vec::new();
        for &c in &created {
            let new = self.changes[c].after.as_deref().unwrap_or_default();
            let mut best: Option<(usize, u32)> = None;
            for &d in &deleted {
                if taken.contains(&d) {
                    continue;
                }
                let old = self.changes[d].before.as_deref().unwrap_or_default();
                let score = if old == new {
                    100
                } else if fuzzy {
                    super::diff::similarity(old, new)
                } else {
                    0
                };
                if score >= 50 && best.is_none_or(|(_, s)| score > s) {
                    best = Some((d, score));
                }
            }
            if let Some((d, _)) = best {
                taken.insert(d);
                pairs.push((d, c));
            }
        }
        if pairs.is_empty() {
            return;
        }
        let mut remove = BTreeSet::new();
        for (d, c) in pairs {
            let from = self.changes[d].path.clone();
            let before = self.changes[d].before.take();
            let change = &mut self.changes[c];
            change.kind = ChangeKind::Moved { from };
            change.before = before;
            remove.insert(d);
        }
        let mut i = 0;
        self.changes.retain(|_| {
            let keep = !remove.contains(&i);
            i += 1;
            keep
        });
    }
}

/// A path relative to `root` with only normal components, as git wants it.
/// Absolute paths under `root` are made relative; others are kept as given.
pub(crate) fn normalise(root: &Path, path: &Path) -> PathBuf {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = super::slash_path(rel);
    let mut out = PathBuf::new();
    for c in Path::new(&text).components() {
        match c {
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// One line of `git status --porcelain=v2`.
struct StatusEntry {
    path: PathBuf,
    /// The source of a rename git already knows about (staged).
    orig: Option<PathBuf>,
    /// The blob at HEAD (for a rename, the source's blob).
    head_id: Option<String>,
}

fn parse_status(out: &[u8]) -> Vec<StatusEntry> {
    let mut entries = Vec::new();
    let mut records = out.split(|&b| b == 0).filter(|r| !r.is_empty());
    let id = |s: &[u8]| {
        let s = String::from_utf8_lossy(s).into_owned();
        (s != ZERO_ID && !s.is_empty()).then_some(s)
    };
    while let Some(rec) = records.next() {
        match rec.first() {
            Some(b'1') => {
                let f: Vec<&[u8]> = rec.splitn(9, |&b| b == b' ').collect();
                if f.len() == 9 && !f[2].starts_with(b"S") {
                    entries.push(StatusEntry {
                        path: path_from_bytes(f[8]),
                        orig: None,
                        head_id: id(f[6]),
                    });
                }
            }
            Some(b'2') => {
                let f: Vec<&[u8]> = rec.splitn(10, |&b| b == b' ').collect();
                let orig = records.next();
                if let (10, Some(orig)) = (f.len(), orig) {
                    if f[2].starts_with(b"S") {
                        continue;
                    }
                    let orig = path_from_bytes(orig);
                    let path = path_from_bytes(f[9]);
                    if f[1].starts_with(b"C") {
                        // A copy: the source stays, the copy is new.
                        entries.push(StatusEntry {
                            path,
                            orig: None,
                            head_id: None,
                        });
                    } else {
                        entries.push(StatusEntry {
                            path,
                            orig: Some(orig),
                            head_id: id(f[6]),
                        });
                    }
                }
            }
            Some(b'u') => {
                let f: Vec<&[u8]> = rec.splitn(11, |&b| b == b' ').collect();
                if f.len() == 11 && !f[2].starts_with(b"S") {
                    // Stage 2 ("ours") is what HEAD holds.
                    entries.push(StatusEntry {
                        path: path_from_bytes(f[10]),
                        orig: None,
                        head_id: id(f[8]),
                    });
                }
            }
            Some(b'?') => {
                let p = rec.get(2..).unwrap_or_default();
                if !p.is_empty() && !p.ends_with(b"/") {
                    entries.push(StatusEntry {
                        path: path_from_bytes(p),
                        orig: None,
                        head_id: None,
                    });
                }
            }
            _ => {}
        }
    }
    entries
}

/// Reads blobs by id with one `git cat-file --batch`.
pub(crate) fn read_blobs<'a>(
    cwd: &Path,
    ids: impl Iterator<Item = &'a str>,
) -> ExportResult<HashMap<String, Vec<u8>>> {
    let ids: Vec<&str> = ids.collect();
    let mut map = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let mut input = Vec::new();
    for id in &ids {
        input.extend_from_slice(id.as_bytes());
        input.push(b'\n');
    }
    let out = git(cwd).args(["cat-file", "--batch"]).input(input).run()?;
    let mut rest = out.as_slice();
    let bad = |what: &str| ExportError::GitFailed {
        cmd: "git cat-file --batch".into(),
        stderr: format!("unexpected output: {what}"),
    };
    for id in ids {
        let nl = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad("no header"))?;
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        rest = &rest[nl + 1..];
        let mut parts = header.split(' ');
        let (got, kind, size) = (parts.next(), parts.next(), parts.next());
        if kind == Some("missing") || got != Some(id) {
            return Err(bad(&header));
        }
        let size: usize = size
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(&header))?;
        if rest.len() < size + 1 {
            return Err(bad("truncated object"));
        }
        map.insert(id.to_string(), rest[..size].to_vec());
        rest = &rest[size + 1..];
    }
    Ok(map)
}

/// The work-tree bytes of a path: None when it is gone, the link target for a
/// symbolic link (what git stores).
fn read_work_tree(path: &Path) -> ExportResult<Option<Vec<u8>>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ExportError::io(path, e)),
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path).map_err(|e| ExportError::io(path, e))?;
        return Ok(Some(super::path_bytes(&target)));
    }
    if meta.is_dir() {
        return Ok(None);
    }
    if !meta.is_file() {
        // A FIFO or device: git tracks neither, and reading one could block.
        return Ok(None);
    }
    std::fs::read(path)
        .map(Some)
        .map_err(|e| ExportError::io(path, e))
}
