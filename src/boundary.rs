//! The site boundary: the one place that decides which paths Lectern may read
//! from or write to in a site.
//!
//! A site folder checked out from a pull request is untrusted as a whole: its
//! session files, but also its symbolic links, its `.lectern/` folder and the
//! paths written inside Lectern's own journal. Every read and write of a site
//! file goes through a [`Boundary`], which
//!
//! - resolves real paths and refuses anything that leaves the site (a
//!   symbolic link out, `..`, an absolute path elsewhere);
//! - refuses writes into `.git/` (a hook or a `core.fsmonitor` setting there
//!   runs code) and anywhere outside the folders Lectern edits:
//!   [`WRITE_AREAS`];
//! - refuses non-regular files (FIFOs, sockets, devices) before opening them,
//!   so that a named pipe called `x.md` cannot hang a command;
//! - caps every read ([`crate::document::MAX_FILE_BYTES`] unless told);
//! - tells the same file named twice apart from two files ([`FileId`]), by
//!   device and inode, so that `a.md ./a.md` or a hard link is edited once;
//! - requires `.lectern/` to be a real folder inside the site
//!   ([`Boundary::lectern_dir`]).
//!
//! The checks resolve paths with the file system as it is when they run; a
//! site that changes its own symbolic links while Lectern writes is a race
//! this module does not claim to win. A checked-out pull request is static,
//! which is the case it is built for.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// The top-level folders of a site that Lectern writes to. Everything else
/// (the site's config, themes, layouts, `.git/`) is read-only to it.
pub const WRITE_AREAS: [&str; 5] = ["content", "data", "static", "archetypes", ".lectern"];

/// Why a path was refused, for the error message.
fn refused(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::Boundary {
        path: path.to_path_buf(),
        reason: why.to_string(),
    }
}

/// The boundary of one site: its real root folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boundary {
    root: PathBuf,
}

impl Boundary {
    /// The boundary of the site at `root` (resolved to its real path).
    pub fn new(root: &Path) -> Result<Boundary> {
        let real = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
        Ok(Boundary { root: real })
    }

    /// The real root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` made absolute: a relative path is taken relative to the root
    /// and must not climb out of it with `..`.
    fn absolute(&self, path: &Path) -> Result<PathBuf> {
        if path.is_absolute() {
            return Ok(path.to_path_buf());
        }
        if path.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        }) {
            return Err(refused(path, "the path climbs out of the site with `..`"));
        }
        Ok(self.root.join(path))
    }

    /// The real path of `path` (symbolic links resolved), which must be
    /// inside the site. For a path that does not exist yet, its deepest
    /// existing folder is resolved and the rest appended; the remaining
    /// components must be plain names.
    pub fn real(&self, path: &Path) -> Result<PathBuf> {
        let abs = self.absolute(path)?;
        let mut existing = abs.as_path();
        let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
        let real = loop {
            match std::fs::canonicalize(existing) {
                Ok(r) => break r,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    // A dangling symbolic link is not "missing": it points somewhere.
                    if std::fs::symlink_metadata(existing).is_ok() {
                        return Err(refused(
                            &abs,
                            "a symbolic link that points to nothing; Lectern does not follow it",
                        ));
                    }
                    match (existing.parent(), existing.file_name()) {
                        (Some(parent), Some(name)) => {
                            rest.push(name);
                            existing = parent;
                        }
                        _ => return Err(Error::io(&abs, e)),
                    }
                }
                Err(e) => return Err(Error::io(existing, e)),
            }
        };
        let mut out = real;
        for name in rest.into_iter().rev() {
            if name == ".." || name == "." {
                return Err(refused(&abs, "the path climbs out of the site with `..`"));
            }
            out.push(name);
        }
        if !out.starts_with(&self.root) {
            return Err(refused(&abs, format!("it leads outside the site ({}), through a symbolic link or an absolute path; Lectern does not read or write there", out.display())));
        }
        Ok(out)
    }

    /// The site-relative form of a real path inside the site.
    fn relative<'a>(&self, real: &'a Path) -> &'a Path {
        real.strip_prefix(&self.root).unwrap_or(real)
    }

    /// Check a path for reading: its real path is inside the site and not in
    /// `.git/`. Returns the real path.
    pub fn for_read(&self, path: &Path) -> Result<PathBuf> {
        let real = self.real(path)?;
        if in_git(self.relative(&real)) {
            return Err(refused(
                path,
                "it is inside `.git/`; Lectern does not read git's own files as site files",
            ));
        }
        Ok(real)
    }

    /// Check a path for writing: its real path is inside one of the site's
    /// [`WRITE_AREAS`], never in `.git/`, and when it exists it is a regular
    /// file. Returns the real path, which is where the bytes must go.
    pub fn for_write(&self, path: &Path) -> Result<PathBuf> {
        let real = self.real(path)?;
        let rel = self.relative(&real);
        if in_git(rel) {
            return Err(refused(path, "it is inside `.git/`; Lectern never writes there (a hook or a git setting there would run code)"));
        }
        let area = rel.components().next().and_then(|c| c.as_os_str().to_str());
        if !area.is_some_and(|a| WRITE_AREAS.contains(&a)) || rel.components().count() < 2 {
            return Err(refused(
                path,
                format!(
                    "Lectern writes only inside the site's {} folders",
                    WRITE_AREAS.map(|a| format!("`{a}/`")).join(", ")
                ),
            ));
        }
        match std::fs::symlink_metadata(&real) {
            Ok(m) if !m.is_file() => Err(refused(path, "it is not a regular file (a folder, pipe, socket or device); Lectern writes only regular files")),
            _ => Ok(real),
        }
    }

    /// Read a regular file inside the site, at most `max` bytes
    /// (see [`crate::fs::read_regular`]).
    pub fn read(&self, path: &Path, max: u64) -> Result<Vec<u8>> {
        let real = self.for_read(path)?;
        crate::fs::read_regular(&real, max)
    }

    /// Like [`Boundary::read`], but `Ok(None)` when the file does not exist.
    pub fn read_if_exists(&self, path: &Path, max: u64) -> Result<Option<Vec<u8>>> {
        let abs = self.absolute(path)?;
        if std::fs::symlink_metadata(&abs).is_err() {
            return Ok(None);
        }
        self.read(path, max).map(Some)
    }

    /// Write a file inside the site atomically (see [`crate::fs::write_atomic`]),
    /// creating its folders, after [`Boundary::for_write`].
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let real = self.for_write(path)?;
        if let Some(parent) = real.parent() {
            self.create_dir_all(parent)?;
        }
        crate::fs::write_atomic(&real, bytes)
    }

    /// Create a folder and its parents inside the site's write areas.
    pub fn create_dir_all(&self, dir: &Path) -> Result<()> {
        let real = self.real(dir)?;
        let rel = self.relative(&real);
        if in_git(rel)
            || !rel
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .is_some_and(|a| WRITE_AREAS.contains(&a))
        {
            return Err(refused(dir, "Lectern creates folders only inside the site's content, data, static, archetypes and .lectern folders"));
        }
        std::fs::create_dir_all(&real).map_err(|e| Error::io(&real, e))
    }

    /// Remove a file inside the site's write areas (a symbolic link is removed
    /// itself, not its target).
    pub fn remove_file(&self, path: &Path) -> Result<()> {
        let abs = self.absolute(path)?;
        let parent = abs.parent().ok_or_else(|| refused(&abs, "not a file"))?;
        let name = abs.file_name().ok_or_else(|| refused(&abs, "not a file"))?;
        let real = self.for_write(&self.real(parent)?.join(name))?;
        match std::fs::remove_file(&real) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&real, e)),
        }
    }

    /// The site's `.lectern/` folder (created when `create`), which must be
    /// a real folder inside the site: a symbolic link there would send
    /// journals, and `restore --purge`, somewhere else.
    pub fn lectern_dir(&self, create: bool) -> Result<Option<PathBuf>> {
        let dir = self.root.join(".lectern");
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => Err(refused(&dir, "`.lectern` is a symbolic link; Lectern keeps its journal only in a real `.lectern/` folder inside the site. Remove the link")),
            Ok(m) if !m.is_dir() => Err(refused(&dir, "`.lectern` is not a folder; remove it")),
            Ok(_) => {
                if create {
                    // About to write there: make sure git ignores it.
                    exclude_from_git(&self.root);
                }
                Ok(Some(dir))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                std::fs::create_dir(&dir).or_else(|e| if e.kind() == std::io::ErrorKind::AlreadyExists { Ok(()) } else { Err(e) }).map_err(|e| Error::io(&dir, e))?;
                // Created by someone else between the two calls? Check again.
                self.lectern_dir(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&dir, e)),
        }
    }

    /// A real subfolder of `.lectern/` (`trash`, `import`), every level a real
    /// folder, created when `create`.
    pub fn lectern_subdir(&self, name: &str, create: bool) -> Result<Option<PathBuf>> {
        let Some(base) = self.lectern_dir(create)? else {
            return Ok(None);
        };
        let dir = base.join(name);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() && !m.file_type().is_symlink() => Ok(Some(dir)),
            Ok(_) => Err(refused(
                &dir,
                format!(
                    "`.lectern/{name}` is not a real folder (a symbolic link or a file); remove it"
                ),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                std::fs::create_dir(&dir)
                    .or_else(|e| {
                        if e.kind() == std::io::ErrorKind::AlreadyExists {
                            Ok(())
                        } else {
                            Err(e)
                        }
                    })
                    .map_err(|e| Error::io(&dir, e))?;
                self.lectern_subdir(name, false)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&dir, e)),
        }
    }
}

/// Whether a site-relative path is inside a `.git` folder (at any depth: a
/// submodule's too).
fn in_git(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
}

/// Add `.lectern/` to the repository's `.git/info/exclude` (never the tracked
/// `.gitignore`), so Lectern's journal never shows in `git status` or an
/// export. Only when `.git` and `.git/info` are real folders of this site and
/// the exclude file, if any, is a regular file; best effort otherwise.
fn exclude_from_git(root: &Path) {
    let git = root.join(".git");
    let info = git.join("info");
    let real_dir = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    if !real_dir(&git) {
        return;
    }
    if !real_dir(&info) && std::fs::create_dir(&info).is_err() {
        return;
    }
    let file = info.join("exclude");
    let old = match std::fs::symlink_metadata(&file) {
        Ok(m) if m.is_file() && m.len() < 1024 * 1024 => std::fs::read(&file).unwrap_or_default(),
        Ok(_) => return,
        Err(_) => Vec::new(),
    };
    let text = String::from_utf8_lossy(&old);
    if text.lines().any(|l| {
        matches!(
            l.trim(),
            ".lectern" | ".lectern/" | "/.lectern" | "/.lectern/"
        )
    }) {
        return;
    }
    let mut new = old.clone();
    if !new.is_empty() && !new.ends_with(b"\n") {
        new.push(b'\n');
    }
    new.extend_from_slice(b"# Lectern's journal of batch edits (added by Lectern)\n/.lectern/\n");
    let _ = crate::fs::write_atomic(&file, &new);
}

/// A file's identity (device and inode on Unix; the real path elsewhere), to
/// tell one file named twice (`a.md`, `./a.md`, a symbolic or hard link)
/// from two files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileId {
    /// Device and inode.
    Inode(u64, u64),
    /// The real path, where inodes are not available.
    Path(PathBuf),
}

impl FileId {
    /// The identity of the file at `path` (following symbolic links).
    pub fn of(path: &Path) -> Result<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
            Ok(FileId::Inode(m.dev(), m.ino()))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path)
                .map(FileId::Path)
                .map_err(|e| Error::io(path, e))
        }
    }
}

/// Keep the first of every file named more than once in `paths` (by
/// [`FileId`]); returns the kept paths and the dropped ones.
pub fn dedupe_files(paths: Vec<PathBuf>) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for p in paths {
        if seen.insert(FileId::of(&p)?) {
            kept.push(p);
        } else {
            dropped.push(p);
        }
    }
    Ok((kept, dropped))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, tempfile::TempDir, Boundary) {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/sessions")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git/hooks")).unwrap();
        std::fs::write(dir.path().join("content/sessions/a.md"), "a").unwrap();
        std::fs::write(outside.path().join("secret.md"), "s").unwrap();
        let b = Boundary::new(dir.path()).unwrap();
        (dir, outside, b)
    }

    #[test]
    fn refuses_paths_that_leave_the_site() {
        let (dir, outside, b) = site();
        assert!(b.for_write(Path::new("content/sessions/a.md")).is_ok());
        assert!(b.for_write(Path::new("content/sessions/new.md")).is_ok());
        assert!(b
            .for_write(Path::new("content/new-folder/deeper/new.md"))
            .is_ok());
        for bad in [
            "../x.md",
            "content/../../x.md",
            "content/sessions/../../../x.md",
        ] {
            let e = b.for_write(Path::new(bad)).unwrap_err();
            assert!(matches!(e, Error::Boundary { .. }), "{bad}: {e}");
        }
        let e = b.for_write(&outside.path().join("secret.md")).unwrap_err();
        assert!(e.to_string().contains("outside the site"), "{e}");
        symlink(
            outside.path().join("secret.md"),
            dir.path().join("content/sessions/link.md"),
        )
        .unwrap();
        let e = b
            .for_write(Path::new("content/sessions/link.md"))
            .unwrap_err();
        assert!(e.to_string().contains("outside the site"), "{e}");
        assert!(b.read(Path::new("content/sessions/link.md"), 100).is_err());
        symlink(outside.path(), dir.path().join("content/out")).unwrap();
        assert!(b.for_write(Path::new("content/out/new.md")).is_err());
        // A link inside the site is followed.
        symlink("a.md", dir.path().join("content/sessions/inside.md")).unwrap();
        assert_eq!(
            b.for_write(Path::new("content/sessions/inside.md"))
                .unwrap(),
            b.root().join("content/sessions/a.md")
        );
    }

    #[test]
    fn refuses_git_and_areas_lectern_does_not_edit() {
        let (dir, _outside, b) = site();
        for bad in [
            ".git/config",
            ".git/hooks/post-checkout",
            "content/.git/config",
            "config.toml",
            "themes/t/layouts/x.html",
            "content",
        ] {
            let e = b.for_write(Path::new(bad)).unwrap_err();
            assert!(matches!(e, Error::Boundary { .. }), "{bad}: {e}");
        }
        symlink(dir.path().join(".git"), dir.path().join("content/g")).unwrap();
        assert!(b
            .for_write(Path::new("content/g/config"))
            .unwrap_err()
            .to_string()
            .contains(".git"));
        assert!(b.create_dir_all(Path::new(".git/hooks/x")).is_err());
    }

    #[test]
    fn refuses_fifos_before_opening_them() {
        let (dir, _outside, b) = site();
        let fifo = dir.path().join("content/sessions/pipe.md");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(b
            .for_write(Path::new("content/sessions/pipe.md"))
            .unwrap_err()
            .to_string()
            .contains("regular"));
        assert!(b
            .read(Path::new("content/sessions/pipe.md"), 100)
            .unwrap_err()
            .to_string()
            .contains("regular"));
    }

    #[test]
    fn lectern_dir_must_be_a_real_folder_and_is_excluded_from_git() {
        let (dir, outside, b) = site();
        assert_eq!(b.lectern_dir(false).unwrap(), None);
        let d = b.lectern_subdir("trash", true).unwrap().unwrap();
        assert!(d.is_dir());
        let exclude = std::fs::read_to_string(dir.path().join(".git/info/exclude")).unwrap();
        assert!(exclude.lines().any(|l| l == "/.lectern/"), "{exclude}");
        std::fs::remove_dir_all(dir.path().join(".lectern")).unwrap();
        b.lectern_dir(true).unwrap();
        let again = std::fs::read_to_string(dir.path().join(".git/info/exclude")).unwrap();
        assert_eq!(again, exclude, "added once");
        std::fs::remove_dir_all(dir.path().join(".lectern")).unwrap();
        symlink(outside.path(), dir.path().join(".lectern")).unwrap();
        assert!(b
            .lectern_dir(true)
            .unwrap_err()
            .to_string()
            .contains("symbolic link"));
        assert!(b.lectern_subdir("trash", true).is_err());
    }

    #[test]
    fn the_same_file_named_twice_is_one_file() {
        let (dir, _outside, _b) = site();
        let a = dir.path().join("content/sessions/a.md");
        let dot = dir.path().join("content/sessions/./a.md");
        let hard = dir.path().join("content/sessions/hard.md");
        std::fs::hard_link(&a, &hard).unwrap();
        let other = dir.path().join("content/sessions/b.md");
        std::fs::write(&other, "b").unwrap();
        let (kept, dropped) = dedupe_files(vec![a.clone(), other.clone(), dot, hard]).unwrap();
        assert_eq!(kept, vec![a, other]);
        assert_eq!(dropped.len(), 2);
    }
}
