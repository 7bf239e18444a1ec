//! Git operations through the system `git`, so the user's configuration,
//! hooks-free plumbing and credentials apply exactly as on the command line.
//!
//! Who a commit is by is git's own answer (`git var GIT_AUTHOR_IDENT`, so
//! the environment, the repository's, the global and the system config all
//! count as they do for `git commit`), asked before anything is written; when
//! git does not know, the caller gets [`ExportError::IdentityMissing`] and
//! asks the person. What they type is checked ([`Signature::checked`]) and
//! saved, when they want it, with `git config --local` in that repository
//! only.
//!
//! Commits are built with a temporary index (`GIT_INDEX_FILE`): read `HEAD`,
//! put in the change set's blobs, write the tree, `commit-tree`, then point a
//! new branch at the commit. The user's index and work tree are never used to
//! build the commit, so nothing outside the change set can slip in. Every
//! command runs without a shell, with `-c core.quotepath=off`, and with the
//! repository-redirecting variables (`GIT_DIR`, `GIT_INDEX_FILE`, ...) removed
//! so that running inside a git hook cannot aim a command at another
//! repository.

use super::change::{normalise, ChangeKind, ChangeSet};
use super::{
    blob_id, path_bytes, path_from_bytes, slash_path, ExportError, ExportResult, Signature, ZERO_ID,
};
use std::collections::{BTreeSet, HashMap};
use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Variables that would point git at another repository, index or object store.
const REDIRECTING_VARS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
];

/// A git command line being built.
pub(crate) struct Git {
    cwd: PathBuf,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
    input: Option<Vec<u8>>,
}

/// Starts a git command run in `cwd`.
pub(crate) fn git(cwd: &Path) -> Git {
    Git {
        cwd: cwd.to_path_buf(),
        args: Vec::new(),
        envs: Vec::new(),
        input: None,
    }
}

impl Git {
    pub(crate) fn arg(mut self, a: impl AsRef<OsStr>) -> Self {
        self.args.push(a.as_ref().to_os_string());
        self
    }

    pub(crate) fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    pub(crate) fn env(mut self, k: impl AsRef<OsStr>, v: impl AsRef<OsStr>) -> Self {
        self.envs
            .push((k.as_ref().to_os_string(), v.as_ref().to_os_string()));
        self
    }

    pub(crate) fn input(mut self, bytes: Vec<u8>) -> Self {
        self.input = Some(bytes);
        self
    }

    /// The command as text, for reports and errors.
    pub(crate) fn display(&self) -> String {
        let mut s = String::from("git");
        for a in &self.args {
            s.push(' ');
            s.push_str(&a.to_string_lossy());
        }
        s
    }

    /// Runs the command; fails only when git cannot be started.
    pub(crate) fn output(&self) -> ExportResult<Output> {
        if !self.cwd.is_dir() {
            return Err(ExportError::io(
                &self.cwd,
                std::io::Error::new(std::io::ErrorKind::NotFound, "folder not found"),
            ));
        }
        let mut cmd = Command::new("git");
        cmd.arg("-c")
            .arg("core.quotepath=off")
            .args(&self.args)
            .current_dir(&self.cwd);
        for v in REDIRECTING_VARS {
            cmd.env_remove(v);
        }
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd.stdin(if self.input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let spawn_failed = |e: std::io::Error| ExportError::GitFailed {
            cmd: self.display(),
            stderr: format!("could not run git ({e}); install git and make sure it is on PATH"),
        };
        let mut child = cmd.spawn().map_err(spawn_failed)?;
        // Feed stdin from a thread so a large output cannot dead-lock the pipes.
        let writer = match (self.input.clone(), child.stdin.take()) {
            (Some(bytes), Some(mut stdin)) => {
                Some(std::thread::spawn(move || stdin.write_all(&bytes)))
            }
            _ => None,
        };
        let out = child.wait_with_output().map_err(spawn_failed)?;
        if let Some(w) = writer {
            // A write error (git closed stdin early) shows up as git's own failure.
            let _ = w.join();
        }
        Ok(out)
    }

    /// Runs the command and returns stdout; a non-zero exit is `GitFailed`.
    pub(crate) fn run(&self) -> ExportResult<Vec<u8>> {
        let out = self.output()?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(self.failed(&out))
        }
    }

    /// Like [`Git::run`], as trimmed text.
    pub(crate) fn run_text(&self) -> ExportResult<String> {
        Ok(String::from_utf8_lossy(&self.run()?)
            .trim_end_matches(['\n', '\r'])
            .to_string())
    }

    pub(crate) fn failed(&self, out: &Output) -> ExportError {
        let mut stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if stderr.is_empty() {
            stderr = format!("exit status {}", out.status);
        }
        ExportError::GitFailed {
            cmd: self.display(),
            stderr,
        }
    }
}

/// A remote: name and fetch URL.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Remote {
    /// e.g. "origin".
    pub name: String,
    /// e.g. "git@github.com:apache/apachecon-acasia.git".
    pub url: String,
}

/// A git repository found around a folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repo {
    /// The work tree's top folder.
    pub root: PathBuf,
    /// The repository's git folder for this work tree (absolute).
    pub git_dir: PathBuf,
    /// The current branch; None when HEAD is detached.
    pub branch: Option<String>,
    /// The commit HEAD points at; None before the first commit.
    pub head: Option<String>,
    /// The configured remotes, sorted by name.
    pub remotes: Vec<Remote>,
}

impl Repo {
    /// The repository that holds `path`, or None when `path` is in no git
    /// work tree. Fails when git is missing or refuses the repository (for
    /// example for "dubious ownership"), with git's own words.
    pub fn discover(path: &Path) -> ExportResult<Option<Repo>> {
        let path = if path.is_file() {
            path.parent().unwrap_or(path)
        } else {
            path
        };
        let cmd = git(path).args(["rev-parse", "--show-toplevel", "--absolute-git-dir"]);
        let out = cmd.output()?;
        if !out.status.success() {
            return if has_git_entry_above(path) {
                Err(cmd.failed(&out))
            } else {
                Ok(None)
            };
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let (Some(root), Some(git_dir)) = (lines.next(), lines.next()) else {
            return Err(cmd.failed(&out));
        };
        let root = PathBuf::from(root);
        let git_dir = PathBuf::from(git_dir);
        let branch = current_branch(&root)?;
        let head = head_commit(&root)?;
        let remotes = remotes(&root)?;
        Ok(Some(Repo {
            root,
            git_dir,
            branch,
            head,
            remotes,
        }))
    }

    /// `base`, or `base-2`, `base-3`, ... whichever branch does not exist yet.
    pub fn unique_branch_name(&self, base: &str) -> ExportResult<String> {
        for n in 1..1000 {
            let name = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            if !branch_exists(&self.root, &name)? {
                return Ok(name);
            }
        }
        Err(ExportError::BranchExists {
            name: base.to_string(),
        })
    }

    /// Paths of a change set as the repository sees them (the change set's
    /// root may be a folder inside the work tree).
    fn prefix_for(&self, changes: &ChangeSet) -> ExportResult<PathBuf> {
        let canon = |p: &Path| std::fs::canonicalize(p).map_err(|e| ExportError::io(p, e));
        let root = canon(&self.root)?;
        let set_root = canon(&changes.root)?;
        set_root
            .strip_prefix(&root)
            .map(Path::to_path_buf)
            .map_err(|_| {
                ExportError::Invalid(format!(
                    "the changed files are in {}, which is outside the repository at {}",
                    changes.root.display(),
                    self.root.display()
                ))
            })
    }
}

/// A change set with repository-relative paths.
pub(crate) fn in_repo(repo: &Repo, changes: &ChangeSet) -> ExportResult<ChangeSet> {
    let prefix = repo.prefix_for(changes)?;
    if prefix.as_os_str().is_empty() {
        return Ok(ChangeSet {
            root: repo.root.clone(),
            changes: changes.changes.clone(),
        });
    }
    let fix = |p: &Path| normalise(Path::new(""), &prefix.join(p));
    let mut out = ChangeSet::new(repo.root.clone());
    for c in &changes.changes {
        let mut c = c.clone();
        c.path = fix(&c.path);
        if let ChangeKind::Moved { from } = &mut c.kind {
            *from = fix(from);
        }
        out.changes.push(c);
    }
    Ok(out)
}

fn has_git_entry_above(path: &Path) -> bool {
    let start = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    start.ancestors().any(|p| p.join(".git").exists())
}

fn current_branch(root: &Path) -> ExportResult<Option<String>> {
    let out = git(root)
        .args(["symbolic-ref", "-q", "--short", "HEAD"])
        .output()?;
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok((out.status.success() && !name.is_empty()).then_some(name))
}

fn head_commit(root: &Path) -> ExportResult<Option<String>> {
    let out = git(root)
        .args(["rev-parse", "-q", "--verify", "HEAD^{commit}"])
        .output()?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok((out.status.success() && !id.is_empty()).then_some(id))
}

fn remotes(root: &Path) -> ExportResult<Vec<Remote>> {
    let cmd = git(root).args(["config", "-z", "--get-regexp", r"^remote\..*\.url$"]);
    let out = cmd.output()?;
    // Exit 1 means "no such key": no remotes.
    if !out.status.success() && out.status.code() != Some(1) {
        return Err(cmd.failed(&out));
    }
    let mut list = Vec::new();
    for rec in out.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let text = String::from_utf8_lossy(rec);
        let Some((key, url)) = text.split_once('\n') else {
            continue;
        };
        if let Some(name) = key
            .strip_prefix("remote.")
            .and_then(|k| k.strip_suffix(".url"))
        {
            list.push(Remote {
                name: name.to_string(),
                url: url.to_string(),
            });
        }
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(list)
}

fn branch_exists(root: &Path, name: &str) -> ExportResult<bool> {
    let out = git(root)
        .args(["rev-parse", "-q", "--verify"])
        .arg(format!("refs/heads/{name}"))
        .output()?;
    Ok(out.status.success())
}

/// The outcome of one step of an export, for the log the user sees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StepReport {
    /// Short name: "check", "read-tree", "hash-object", "commit-tree", ...
    pub step: String,
    /// The git command run, when there was one.
    pub command: String,
    /// Whether the step worked.
    pub ok: bool,
    /// What came of it (an object id, a count, git's message).
    pub detail: String,
}

impl StepReport {
    fn ok(step: &str, command: String, detail: impl Into<String>) -> Self {
        StepReport {
            step: step.into(),
            command,
            ok: true,
            detail: detail.into(),
        }
    }
}

/// What [`create_branch_commit`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommitOutcome {
    /// The new branch.
    pub branch: String,
    /// The new commit's id.
    pub commit: String,
    /// The commit's tree id.
    pub tree: String,
    /// The files the commit changes (repository-relative, both ends of moves).
    pub files: Vec<PathBuf>,
    /// Whether the work tree now is on the new branch.
    pub switched: bool,
    /// Every step, in order.
    pub steps: Vec<StepReport>,
}

/// Refuses, without changing anything, when a commit now would be wrong or
/// surprising: an operation (merge, rebase, cherry-pick, revert) half done,
/// a detached HEAD, a file of the change set with conflicts, or anything
/// staged at all (Lectern only ever stages inside its own commit).
pub fn check_clean_state(repo: &Repo, changes: &ChangeSet) -> ExportResult<()> {
    let g = &repo.git_dir;
    let states = [
        ("MERGE_HEAD", "merge"),
        ("rebase-merge", "rebase"),
        ("rebase-apply", "rebase"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
    ];
    for (file, operation) in states {
        if g.join(file).exists() {
            return Err(ExportError::MergeInProgress {
                operation: operation.into(),
            });
        }
    }
    if current_branch(&repo.root)?.is_none() {
        return Err(ExportError::DetachedHead);
    }
    let changes = in_repo(repo, changes)?;
    let touched: BTreeSet<PathBuf> = changes.touched_paths().into_iter().collect();
    let unmerged = git(&repo.root).args(["ls-files", "-u", "-z"]).run()?;
    let conflicted: BTreeSet<PathBuf> = unmerged
        .split(|&b| b == 0)
        .filter_map(|rec| {
            rec.iter()
                .position(|&b| b == b'\t')
                .map(|t| path_from_bytes(&rec[t + 1..]))
        })
        .filter(|p| touched.contains(p))
        .collect();
    if !conflicted.is_empty() {
        return Err(ExportError::Unmerged {
            paths: conflicted.into_iter().collect(),
        });
    }
    let staged = if head_commit(&repo.root)?.is_some() {
        git(&repo.root)
            .args([
                "diff",
                "--cached",
                "--name-only",
                "-z",
                "--no-renames",
                "HEAD",
            ])
            .run()?
    } else {
        git(&repo.root).args(["ls-files", "-z"]).run()?
    };
    let paths: Vec<PathBuf> = staged
        .split(|&b| b == 0)
        .filter(|r| !r.is_empty())
        .map(path_from_bytes)
        .collect();
    if !paths.is_empty() {
        return Err(ExportError::StagedChanges { paths });
    }
    Ok(())
}

/// A temporary index file in the git folder, removed when dropped.
struct TempIndex(PathBuf);

impl TempIndex {
    fn new(git_dir: &Path) -> Self {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        TempIndex(git_dir.join(format!("lectern-index-{}-{n}-{nanos}", std::process::id())))
    }
}

impl Drop for TempIndex {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let mut lock = self.0.clone().into_os_string();
        lock.push(".lock");
        let _ = std::fs::remove_file(lock);
    }
}

/// Identity and time for a commit built by [`build_commit`].
pub(crate) struct CommitIdentity<'a> {
    pub author: Option<&'a Signature>,
    /// The committer, when not the author and not left to git.
    pub committer: Option<&'a Signature>,
    /// Also use the author (and date) as committer: for throwaway commits
    /// whose id should not depend on the user's configuration.
    pub committer_is_author: bool,
    /// RFC 2822 date for author (and committer when `committer_is_author`).
    pub date: Option<String>,
}

/// A commit object made from HEAD plus the change set; no ref points at it.
pub(crate) struct BuiltCommit {
    pub commit: String,
    pub tree: String,
    pub files: Vec<PathBuf>,
    pub steps: Vec<StepReport>,
}

/// Builds a commit of exactly the change set on top of HEAD with a temporary
/// index. Refuses when HEAD no longer holds the change set's `before` bytes.
pub(crate) fn build_commit(
    repo: &Repo,
    changes: &ChangeSet,
    message: &str,
    who: &CommitIdentity<'_>,
) -> ExportResult<BuiltCommit> {
    let changes = in_repo(repo, changes)?;
    if changes.is_empty() {
        return Err(ExportError::NothingToCommit);
    }
    let message = clean_message(message)?;
    let root = &repo.root;
    let index = TempIndex::new(&repo.git_dir);
    let with_index = |g: Git| g.env("GIT_INDEX_FILE", &index.0);
    let mut steps = Vec::new();
    let head = head_commit(root)?;

    let read = with_index(git(root).arg("read-tree"));
    let read = match &head {
        Some(h) => read.arg(h),
        None => read.arg("--empty"),
    };
    read.run()?;
    steps.push(StepReport::ok(
        "read-tree",
        read.display(),
        head.as_deref()
            .map_or("empty tree".to_string(), |h| format!("from {h}")),
    ));

    // What HEAD holds for the touched paths: mode and blob id.
    let ls = with_index(git(root).args(["ls-files", "-s", "-z"]));
    let listing = ls.run()?;
    let mut entries: HashMap<PathBuf, (String, String)> = HashMap::new();
    for rec in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let Some(tab) = rec.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let meta = String::from_utf8_lossy(&rec[..tab]);
        let mut f = meta.split(' ');
        if let (Some(mode), Some(id)) = (f.next(), f.next()) {
            entries.insert(
                path_from_bytes(&rec[tab + 1..]),
                (mode.to_string(), id.to_string()),
            );
        }
    }

    // Stale check: HEAD must still hold what the change set started from.
    let mut stale = Vec::new();
    for c in &changes.changes {
        let old = c.old_path().to_path_buf();
        match (&c.before, entries.get(&old)) {
            (None, Some(_)) => stale.push(old),
            (Some(_), None) => stale.push(old),
            (Some(before), Some((_, id))) if blob_id(before) != *id => {
                // A clean filter (e.g. core.autocrlf) may store other bytes.
                let filtered = git(root)
                    .args(["hash-object", "--stdin"])
                    .arg(format!("--path={}", slash_path(&old)))
                    .input(before.clone())
                    .run_text()?;
                if filtered != *id {
                    stale.push(old);
                }
            }
            _ => {}
        }
        if let ChangeKind::Moved { .. } = c.kind {
            if entries.contains_key(&c.path) {
                stale.push(c.path.clone());
            }
        }
    }
    if !stale.is_empty() {
        return Err(ExportError::OutOfDate { paths: stale });
    }

    // One `hash-object` per file (so clean filters see the path); they are
    // independent, so run them side by side.
    let ids: Vec<Option<String>> = {
        use rayon::prelude::*;
        changes
            .changes
            .par_iter()
            .map(|c| match &c.after {
                None => Ok(None),
                Some(bytes) => git(root)
                    .args(["hash-object", "-w", "--stdin"])
                    .arg(format!("--path={}", slash_path(&c.path)))
                    .input(bytes.clone())
                    .run_text()
                    .map(Some),
            })
            .collect::<ExportResult<_>>()?
    };
    let mut info = Vec::new();
    let mut written = 0;
    for (c, id) in changes.changes.iter().zip(ids) {
        if let ChangeKind::Moved { from } = &c.kind {
            push_removal(&mut info, from);
        }
        match id {
            None => push_removal(&mut info, &c.path),
            Some(id) => {
                let mode = entries
                    .get(&c.path)
                    .or_else(|| entries.get(c.old_path()))
                    .map_or("100644", |(m, _)| m.as_str());
                info.extend_from_slice(format!("{mode} {id}\t").as_bytes());
                info.extend_from_slice(&path_bytes(&c.path));
                info.push(0);
                written += 1;
            }
        }
    }
    steps.push(StepReport::ok(
        "hash-object",
        "git hash-object -w --stdin --path=<file>".into(),
        format!("{written} blob(s) written"),
    ));
    let update = with_index(git(root).args(["update-index", "-z", "--index-info"])).input(info);
    update.run()?;
    steps.push(StepReport::ok(
        "update-index",
        update.display(),
        format!("{} file(s)", changes.len()),
    ));

    let write = with_index(git(root).arg("write-tree"));
    let tree = write.run_text()?;
    steps.push(StepReport::ok("write-tree", write.display(), tree.clone()));
    if let Some(h) = &head {
        let head_tree = git(root)
            .args(["rev-parse"])
            .arg(format!("{h}^{{tree}}"))
            .run_text()?;
        if head_tree == tree {
            return Err(ExportError::NothingToCommit);
        }
    }

    let mut commit = git(root).args(["commit-tree", &tree]);
    if let Some(h) = &head {
        commit = commit.args(["-p", h]);
    }
    commit = commit.args(["-F", "-"]).input(message.into_bytes());
    if let Some(a) = who.author {
        commit = commit
            .env("GIT_AUTHOR_NAME", &a.name)
            .env("GIT_AUTHOR_EMAIL", &a.email);
        if who.committer_is_author {
            commit = commit
                .env("GIT_COMMITTER_NAME", &a.name)
                .env("GIT_COMMITTER_EMAIL", &a.email);
        }
    }
    if let (Some(c), false) = (who.committer, who.committer_is_author) {
        commit = commit
            .env("GIT_COMMITTER_NAME", &c.name)
            .env("GIT_COMMITTER_EMAIL", &c.email);
    }
    if let Some(d) = &who.date {
        commit = commit.env("GIT_AUTHOR_DATE", d);
        if who.committer_is_author {
            commit = commit.env("GIT_COMMITTER_DATE", d);
        }
    }
    let id = commit.run_text()?;
    steps.push(StepReport::ok("commit-tree", commit.display(), id.clone()));
    Ok(BuiltCommit {
        commit: id,
        tree,
        files: changes.touched_paths(),
        steps,
    })
}

fn push_removal(info: &mut Vec<u8>, path: &Path) {
    info.extend_from_slice(format!("0 {ZERO_ID}\t").as_bytes());
    info.extend_from_slice(&path_bytes(path));
    info.push(0);
}

/// A commit message as `git commit` would store it: no trailing blank
/// lines or spaces, one final newline. Empty is refused.
fn clean_message(message: &str) -> ExportResult<String> {
    let lines: Vec<&str> = message.lines().map(str::trim_end).collect();
    let text = lines.join("\n");
    let text = text.trim_matches('\n');
    if text.trim().is_empty() {
        return Err(ExportError::Invalid(
            "the commit message is empty; write a short summary of the change".into(),
        ));
    }
    Ok(format!("{text}\n"))
}

/// Creates branch `name` from HEAD with one commit holding exactly the
/// change set (and nothing else from the index or work tree), with
/// `message` and `author`. With `author` None the commit gets the identity
/// git itself would record ([`git_identity`]); when git has none this is
/// [`ExportError::IdentityMissing`], before anything is written. A given
/// `author` is checked ([`Signature::checked`]) and is also the committer
/// when git knows no committer.
/// When `switch` is true the work tree then moves to the new branch; as the
/// files already hold the committed bytes, no file is rewritten, and other
/// uncommitted edits stay as they are. Refuses (changing nothing) in the
/// cases of [`check_clean_state`], when the branch exists, or when the name
/// is not a valid branch name. The commit is made with plumbing
/// (`commit-tree`), so commit hooks (pre-commit, commit-msg) do not run.
pub fn create_branch_commit(
    repo: &Repo,
    changes: &ChangeSet,
    name: &str,
    message: &str,
    author: Option<&Signature>,
    switch: bool,
) -> ExportResult<CommitOutcome> {
    let root = &repo.root;
    check_clean_state(repo, changes)?;
    let mut steps = vec![StepReport::ok(
        "check",
        String::new(),
        "no operation in progress, nothing staged",
    )];

    let check = git(root).args(["check-ref-format", "--branch", name]);
    let out = check.output()?;
    if !out.status.success() || name.starts_with('-') {
        return Err(ExportError::InvalidBranchName {
            name: name.to_string(),
        });
    }
    if branch_exists(root, name)? {
        return Err(ExportError::BranchExists {
            name: name.to_string(),
        });
    }
    steps.push(StepReport::ok(
        "check-ref-format",
        check.display(),
        "name is free and valid",
    ));

    let (author, committer) = commit_signatures(&repo.root, author)?;
    steps.push(StepReport::ok(
        "identity",
        "git var GIT_AUTHOR_IDENT GIT_COMMITTER_IDENT".into(),
        if author == committer {
            format!("{} <{}>", author.name, author.email)
        } else {
            format!(
                "author {} <{}>, committer {} <{}>",
                author.name, author.email, committer.name, committer.email
            )
        },
    ));
    let who = CommitIdentity {
        author: Some(&author),
        committer: Some(&committer),
        committer_is_author: false,
        date: None,
    };
    let built = build_commit(repo, changes, message, &who)?;
    steps.extend(built.steps);

    let branch = git(root).args(["branch", "--no-track", name, &built.commit]);
    let out = branch.output()?;
    if !out.status.success() {
        // Lost a race with another branch of that name, or a ref lock.
        if branch_exists(root, name)? {
            return Err(ExportError::BranchExists {
                name: name.to_string(),
            });
        }
        return Err(branch.failed(&out));
    }
    steps.push(StepReport::ok(
        "branch",
        branch.display(),
        format!("{name} at {}", built.commit),
    ));

    let mut switched = false;
    if switch {
        let step = switch_keeping_work_tree(repo, name, &built.files);
        switched = step.ok;
        steps.push(step);
    }
    Ok(CommitOutcome {
        branch: name.to_string(),
        commit: built.commit,
        tree: built.tree,
        files: built.files,
        switched,
        steps,
    })
}

/// Moves HEAD to the new branch and refreshes the index entries of the
/// committed files, leaving the work tree untouched. (`git switch` would
/// refuse: the files are modified relative to the old index.) On failure HEAD
/// goes back to the old branch; the branch and commit stay.
fn switch_keeping_work_tree(repo: &Repo, name: &str, files: &[PathBuf]) -> StepReport {
    let root = &repo.root;
    let old_ref = git(root).args(["symbolic-ref", "-q", "HEAD"]).run_text();
    let sym = git(root)
        .args([
            "symbolic-ref",
            "-m",
            &format!("lectern: switch to {name}"),
            "HEAD",
        ])
        .arg(format!("refs/heads/{name}"));
    if let Err(e) = sym.run() {
        return StepReport {
            step: "switch".into(),
            command: sym.display(),
            ok: false,
            detail: e.to_string(),
        };
    }
    let mut list = Vec::new();
    for f in files {
        list.extend_from_slice(&path_bytes(f));
        list.push(0);
    }
    let reset = git(root)
        .args([
            "--literal-pathspecs",
            "reset",
            "-q",
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
        ])
        .input(list);
    match reset.run() {
        Ok(_) => StepReport::ok(
            "switch",
            format!("{} && {}", sym.display(), reset.display()),
            format!("on {name}"),
        ),
        Err(e) => {
            if let Ok(old) = old_ref {
                let _ = git(root)
                    .args(["symbolic-ref", "-m", "lectern: switch back", "HEAD", &old])
                    .run();
            }
            StepReport {
                step: "switch".into(),
                command: reset.display(),
                ok: false,
                detail: format!("{e}; stayed on the old branch, the new branch {name} exists"),
            }
        }
    }
}

/// Pushes `branch` to `remote` (and sets it as the branch's upstream),
/// with the user's credentials.
pub fn push(repo: &Repo, remote: &str, branch: &str) -> ExportResult<StepReport> {
    if branch.starts_with('-') || remote.starts_with('-') {
        return Err(ExportError::Invalid(format!(
            "'{remote}' / '{branch}' cannot be pushed: names must not start with '-'"
        )));
    }
    let cmd = git(&repo.root)
        .args(["push", "--porcelain", "-u", remote])
        .arg(format!("refs/heads/{branch}:refs/heads/{branch}"));
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(cmd.failed(&out));
    }
    let detail = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.contains(&format!("refs/heads/{branch}")))
        .unwrap_or("pushed")
        .trim()
        .to_string();
    Ok(StepReport::ok("push", cmd.display(), detail))
}

/// The author and the committer git records for commits made in a folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GitIdentity {
    /// Who wrote the change (`GIT_AUTHOR_*`, `author.*`, `user.*`).
    pub author: Signature,
    /// Who made the commit (`GIT_COMMITTER_*`, `committer.*`, `user.*`).
    pub committer: Signature,
}

/// Which of git's identities: `git var` names them.
#[derive(Clone, Copy)]
enum Role {
    Author,
    Committer,
}

/// The identity git would record for a commit made in `dir` (a work tree,
/// or any folder for git's global identity): what `git commit` would use,
/// from `GIT_AUTHOR_*` / `GIT_COMMITTER_*` (and `EMAIL`), the repository's
/// config, the global and the system config, and what git can guess from
/// the system. [`ExportError::IdentityMissing`] when git refuses to guess
/// (the "Author identity unknown" case); reads only, runs no hook.
pub fn git_identity(dir: &Path) -> ExportResult<GitIdentity> {
    Ok(GitIdentity {
        author: ident(dir, Role::Author)?,
        committer: ident(dir, Role::Committer)?,
    })
}

/// One identity from `git var`, strict as `git commit` is.
fn ident(dir: &Path, role: Role) -> ExportResult<Signature> {
    let var = match role {
        Role::Author => "GIT_AUTHOR_IDENT",
        Role::Committer => "GIT_COMMITTER_IDENT",
    };
    // Git's reasons in English, so they can be recognised.
    let cmd = git(dir)
        .args(["var", var])
        .env("LC_ALL", "C")
        .env("LANGUAGE", "");
    let out = cmd.output()?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lower = stderr.to_ascii_lowercase();
        let about_identity = [
            "identity unknown",
            "empty ident",
            "unable to auto-detect",
            "disallowed characters",
            "invalid ident",
        ]
        .iter()
        .any(|s| lower.contains(s));
        if !about_identity {
            return Err(cmd.failed(&out));
        }
        let detail = stderr
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("fatal:"))
            .map(str::trim)
            .unwrap_or("")
            .to_string();
        let repo = Repo::discover(dir).ok().flatten().map(|r| r.root);
        return Err(ExportError::IdentityMissing { repo, detail });
    }
    // "Name <email> 1700000000 +0100": git removes '<' and '>' from both parts.
    let line = String::from_utf8_lossy(&out.stdout);
    let line = line.trim_end();
    let parsed = line.find('<').and_then(|open| {
        let close = open + line[open..].find('>')?;
        Some(Signature::new(
            line[..open].trim_end(),
            &line[open + 1..close],
        ))
    });
    parsed.ok_or_else(|| cmd.failed(&out))
}

/// The author and committer of a branch commit: `given` (checked) as the
/// author and, when git knows no committer, as the committer too; without
/// `given`, git's own.
fn commit_signatures(
    dir: &Path,
    given: Option<&Signature>,
) -> ExportResult<(Signature, Signature)> {
    let Some(given) = given else {
        let id = git_identity(dir)?;
        return Ok((id.author, id.committer));
    };
    let author = Signature::checked(&given.name, &given.email)?;
    let committer = match ident(dir, Role::Committer) {
        Ok(c) => c,
        Err(ExportError::IdentityMissing { .. }) => author.clone(),
        Err(e) => return Err(e),
    };
    Ok((author, committer))
}

/// The author of a patch: `given` (checked) when the person typed one,
/// else git's author for the repository, or for the site folder when the
/// site is in none. [`ExportError::IdentityMissing`] when git has none:
/// there is no silent stand-in.
pub fn author_for(
    repo: Option<&Repo>,
    site_root: &Path,
    given: Option<&Signature>,
) -> ExportResult<Signature> {
    match given {
        Some(g) => Signature::checked(&g.name, &g.email),
        None => ident(repo.map_or(site_root, |r| r.root.as_path()), Role::Author),
    }
}

/// Writes `who` (checked first) as `user.name` and `user.email` to the
/// repository's own config (`git config --local`), never the global one;
/// returns what was written. Git writes each value through a lock file and
/// a rename and quotes it as its config syntax needs.
pub fn save_identity(repo: &Repo, who: &Signature) -> ExportResult<Signature> {
    let who = Signature::checked(&who.name, &who.email)?;
    for (key, value) in [("user.name", &who.name), ("user.email", &who.email)] {
        // `--` so a value that starts with '-' is a value, not an option.
        git(&repo.root)
            .args(["config", "--local", "--", key])
            .arg(value)
            .run()?;
    }
    Ok(who)
}

/// What the person typed when git had no identity: checked, and with
/// `save` written to the repository's config ([`save_identity`]). Saving
/// needs a repository; without one the identity is used for this export
/// only. Returns the identity to export with.
pub fn adopt_identity(
    repo: Option<&Repo>,
    given: &Signature,
    save: bool,
) -> ExportResult<Signature> {
    match (save, repo) {
        (false, _) => Signature::checked(&given.name, &given.email),
        (true, Some(repo)) => save_identity(repo, given),
        (true, None) => Err(ExportError::Invalid(
            "the site is not in a git repository, so there is no repository config to save \
             the name and e-mail address to; they are used for this export only"
                .into(),
        )),
    }
}
