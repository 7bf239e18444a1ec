//! The pending changes of the open site (see [`crate::export::Pending`]):
//! against git's `HEAD` in a git work tree, else against the bytes read when
//! the site was opened.

use super::Workspace;
use crate::export::{git_pending, ChangeSet, ChangeSource, Pending};
use crate::fs::content_hash;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

impl Workspace {
    /// The pending changes of the open site: against git's `HEAD` when the
    /// site is in a git work tree, else against the files as they were when
    /// the site was opened. Only saved bytes count; see
    /// [`Workspace::modified_ids`] for files with unsaved edits.
    pub fn pending_changes(&self) -> crate::Result<Pending> {
        let site = self.site();
        if let Some(p) = git_pending(site)? {
            return Ok(p);
        }
        // A loaded file whose base (the disk bytes it was read or saved
        // from) still hashes like the opening bytes is unchanged on disk:
        // only the others are read again.
        let bases: HashMap<&str, Option<crate::fs::Hash>> = self
            .sessions()
            .iter()
            .map(|l| {
                (
                    l.file.rel.as_str(),
                    l.doc.as_ref().and_then(|d| d.base_hash()),
                )
            })
            .collect();
        let opened = self.opened_bytes();
        let mut before = Vec::new();
        let mut after = Vec::new();
        for (id, bytes) in opened {
            if bases.get(id.as_str()).copied().flatten() == Some(content_hash(bytes)) {
                continue;
            }
            before.push((PathBuf::from(id), bytes.clone()));
            if let Some(now) = read_if_present(&site.root.join(id))? {
                after.push((PathBuf::from(id), now));
            }
        }
        for l in self.sessions() {
            if opened.contains_key(&l.file.rel) {
                continue;
            }
            if let Some(now) = read_if_present(&l.file.path)? {
                after.push((PathBuf::from(&l.file.rel), now));
            }
        }
        Ok(Pending {
            source: ChangeSource::Opened,
            repo: None,
            changes: ChangeSet::from_snapshots(&site.root, before, after),
            site_prefix: PathBuf::new(),
        })
    }
}

fn read_if_present(path: &Path) -> crate::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::Error::io(path, e)),
    }
}
