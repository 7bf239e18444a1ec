//! Withdraw a session: remove it and its twins. The removed bytes are in the
//! plan and, once applied, in the journal (`.lectern/trash/`), so the
//! session can be restored until the journal is purged after an export.

use super::{FileOp, Plan};
use crate::error::{Error, Result};
use crate::site::Site;
use std::path::Path;

/// Plan deleting a session's files in every language. `which` is the stem
/// (`ai-1204512`), the id (`1204512`) or the path of one of its files.
pub fn withdraw(site: &Site, which: &str) -> Result<Plan> {
    let files = site.session_files();
    let as_path = Path::new(which);
    let stem = if as_path.is_file() {
        let abs = std::fs::canonicalize(as_path).map_err(|e| Error::io(as_path, e))?;
        files
            .iter()
            .find(|f| std::fs::canonicalize(&f.path).is_ok_and(|p| p == abs))
            .map(|f| f.stem.clone())
    } else {
        files
            .iter()
            .find(|f| f.stem == which)
            .or_else(|| files.iter().find(|f| f.id.as_deref() == Some(which)))
            .map(|f| f.stem.clone())
    };
    let Some(stem) = stem else {
        return Err(Error::Invalid(format!(
            "no session {which:?} in {}; give a stem like ai-1204512, an id or a session file",
            site.sessions_dir.display()
        )));
    };
    let mut plan = Plan::new(format!("Withdraw session {stem}"), &site.root);
    for f in files.iter().filter(|f| f.stem == stem) {
        let before = std::fs::read(&f.path).map_err(|e| Error::io(&f.path, e))?;
        plan.ops.push(FileOp::Delete {
            path: f.rel.clone().into(),
            before,
        });
    }
    Ok(plan)
}
