//! Unsaved edits kept outside the site so that a crash loses nothing.
//!
//! The app writes the workspace's unsaved texts here every few seconds (one
//! JSON file per site, written atomically) and clears it after saving. On
//! the next start, [`RecoveryStore::load`] offers them back; a draft whose
//! file changed on disk since it was taken is marked as a conflict instead of
//! being applied over the new text.

use crate::error::{Error, Result};
use crate::fs::{content_hash, hex, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One file's unsaved text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The edited text.
    pub text: String,
    /// Hash (hex) of the file on disk the edits were made on; empty for a new file.
    pub base: String,
}

/// The drafts of one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recovered {
    /// The site root.
    pub site: PathBuf,
    /// Seconds since the Unix epoch when the drafts were taken.
    pub saved_at: u64,
    /// Drafts by session id.
    pub drafts: BTreeMap<String, Draft>,
}

/// Where drafts live: `$LECTERN_RECOVERY_DIR`, else `<data dir>/lectern/recovery`.
#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
}

impl RecoveryStore {
    /// A store in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        RecoveryStore { dir: dir.into() }
    }

    /// The default store for this user.
    pub fn default_store() -> Option<Self> {
        if let Some(d) = std::env::var_os("LECTERN_RECOVERY_DIR") {
            return Some(Self::new(d));
        }
        dirs::data_dir().map(|d| Self::new(d.join("lectern/recovery")))
    }

    fn file_for(&self, site: &Path) -> PathBuf {
        let key = hex(&content_hash(site.to_string_lossy().as_bytes()));
        self.dir.join(format!("{}.json", &key[..16]))
    }

    /// Replace the site's drafts (an empty map clears them).
    pub fn save(&self, site: &Path, drafts: BTreeMap<String, Draft>) -> Result<()> {
        let file = self.file_for(site);
        if drafts.is_empty() {
            return self.clear(site);
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let saved_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let data = Recovered {
            site: site.to_path_buf(),
            saved_at,
            drafts,
        };
        let json = serde_json::to_vec(&data).map_err(|e| Error::Invalid(e.to_string()))?;
        write_atomic(&file, &json)
    }

    /// The site's drafts, if a previous run left any.
    pub fn load(&self, site: &Path) -> Option<Recovered> {
        let bytes = std::fs::read(self.file_for(site)).ok()?;
        let data: Recovered = serde_json::from_slice(&bytes).ok()?;
        (data.site == site && !data.drafts.is_empty()).then_some(data)
    }

    /// Forget the site's drafts.
    pub fn clear(&self, site: &Path) -> Result<()> {
        let file = self.file_for(site);
        match std::fs::remove_file(&file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(file, e)),
        }
    }
}

/// What restoring drafts did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    /// Drafts applied over an unchanged file.
    pub restored: Vec<String>,
    /// Drafts whose file changed on disk since: not applied; the user compares
    /// the draft with the disk and picks (apply it with `set_text`).
    pub conflicts: Vec<String>,
    /// Drafts for files that no longer exist in the site.
    pub missing: Vec<String>,
}

impl crate::workspace::Workspace {
    /// The workspace's unsaved edits as drafts.
    pub fn drafts(&self) -> BTreeMap<String, Draft> {
        self.sessions()
            .iter()
            .filter_map(|l| {
                let d = l.doc.as_ref()?;
                d.is_modified().then(|| {
                    (
                        l.file.rel.clone(),
                        Draft {
                            text: d.text().to_string(),
                            base: d.base_hash().map(|h| hex(&h)).unwrap_or_default(),
                        },
                    )
                })
            })
            .collect()
    }

    /// Apply drafts from a previous run.
    pub fn restore(&mut self, recovered: &Recovered) -> RestoreReport {
        let mut report = RestoreReport::default();
        for (id, draft) in &recovered.drafts {
            let Ok(doc) = self.document(id) else {
                report.missing.push(id.clone());
                continue;
            };
            let base_now = doc.base_hash().map(|h| hex(&h)).unwrap_or_default();
            if base_now != draft.base {
                report.conflicts.push(id.clone());
            } else if self.set_text(id, &draft.text).is_ok() {
                report.restored.push(id.clone());
            } else {
                report.missing.push(id.clone());
            }
        }
        report
    }
}
