//! Data of the Changes view and the export dialog (mirrors of
//! `lectern::export` types) and the requests the UI sends for exports.
//! Conversions are field mappings only; the rules are in the core.

use lectern::export::{self, ChangeKind, DiffKind, ReviewFile};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use lectern::Severity;

/// Saturating conversion for counts and line numbers.
fn n(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// What the pending changes are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum ChangeSourceDto {
    /// Git's `HEAD`.
    Git,
    /// The files as they were when the site was opened (no git).
    Opened,
}

/// A git remote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RemoteDto {
    /// Name, such as `origin`.
    pub name: String,
    /// Fetch URL.
    pub url: String,
}

/// The repository the site is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepoDto {
    /// The work tree's top folder (display only).
    pub root: String,
    /// The current branch; None when HEAD is detached.
    pub branch: Option<String>,
    /// The commit HEAD points at; None before the first commit.
    pub head: Option<String>,
    /// The remotes, by name.
    pub remotes: Vec<RemoteDto>,
}

impl From<&export::Repo> for RepoDto {
    fn from(r: &export::Repo) -> Self {
        RepoDto {
            root: r.root.to_string_lossy().into_owned(),
            branch: r.branch.clone(),
            head: r.head.clone(),
            remotes: r
                .remotes
                .iter()
                .map(|m| RemoteDto {
                    name: m.name.clone(),
                    url: m.url.clone(),
                })
                .collect(),
        }
    }
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum ChangeKindDto {
    /// New file.
    Created,
    /// Bytes changed.
    Changed,
    /// Renamed (maybe changed too).
    Moved,
    /// Removed.
    Deleted,
}

/// The role of a line or a piece of text in a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum DiffKindDto {
    /// On both sides.
    Equal,
    /// Only in the new version.
    Insert,
    /// Only in the old version.
    Delete,
}

impl From<DiffKind> for DiffKindDto {
    fn from(k: DiffKind) -> Self {
        match k {
            DiffKind::Equal => DiffKindDto::Equal,
            DiffKind::Insert => DiffKindDto::Insert,
            DiffKind::Delete => DiffKindDto::Delete,
        }
    }
}

/// A run of text with one role: changed words are `insert` or `delete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SpanDto {
    /// Plain, inserted or deleted.
    pub kind: DiffKindDto,
    /// The text.
    pub text: String,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiffLineDto {
    /// Context, added or removed.
    pub kind: DiffKindDto,
    /// Line in the old file.
    pub old_line: Option<u32>,
    /// Line in the new file.
    pub new_line: Option<u32>,
    /// The text in spans (joined, the whole line).
    pub spans: Vec<SpanDto>,
    /// The file's last line, without a newline.
    pub no_newline: bool,
}

/// A hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HunkDto {
    /// `@@ -a,b +c,d @@ section`.
    pub header: String,
    /// The lines.
    pub lines: Vec<DiffLineDto>,
}

/// One changed file in the Changes view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChangedFileDto {
    /// The change path (repository-relative for git): what the UI sends back.
    pub path: String,
    /// The session id when the file is a session of the open site.
    pub site_id: Option<String>,
    /// What happened.
    pub kind: ChangeKindDto,
    /// The old path of a move.
    pub from: Option<String>,
    /// Binary file (no hunks).
    pub binary: bool,
    /// Lines added.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
    /// The file also has unsaved edits (not part of this diff).
    pub unsaved: bool,
    /// Hunks, numbered from 0 for reverting.
    pub hunks: Vec<HunkDto>,
    /// Identifies the reviewed version; sent back to revert.
    pub fingerprint: String,
}

impl ChangedFileDto {
    /// Map a reviewed file; `site_id` and `unsaved` come from the workspace.
    pub fn new(r: ReviewFile, site_id: Option<String>, unsaved: bool) -> Self {
        let (kind, from) = match &r.kind {
            ChangeKind::Created => (ChangeKindDto::Created, None),
            ChangeKind::Changed => (ChangeKindDto::Changed, None),
            ChangeKind::Deleted => (ChangeKindDto::Deleted, None),
            ChangeKind::Moved { from } => (ChangeKindDto::Moved, Some(slash(from))),
        };
        ChangedFileDto {
            path: slash(&r.path),
            site_id,
            kind,
            from,
            binary: r.binary,
            added: n(r.added),
            removed: n(r.removed),
            unsaved,
            hunks: r
                .hunks
                .into_iter()
                .map(|h| HunkDto {
                    header: h.header,
                    lines: h
                        .lines
                        .into_iter()
                        .map(|l| DiffLineDto {
                            kind: l.kind.into(),
                            old_line: l.old_line.map(n),
                            new_line: l.new_line.map(n),
                            spans: l
                                .spans
                                .into_iter()
                                .map(|s| SpanDto {
                                    kind: s.kind.into(),
                                    text: s.text,
                                })
                                .collect(),
                            no_newline: l.no_newline,
                        })
                        .collect(),
                })
                .collect(),
            fingerprint: r.fingerprint,
        }
    }
}

fn slash(p: &std::path::Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every pending change of the open site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChangesDto {
    /// Compared with git's HEAD, or with the files as opened.
    pub source: ChangeSourceDto,
    /// The repository, for git.
    pub repo: Option<RepoDto>,
    /// The changed files, by path.
    pub files: Vec<ChangedFileDto>,
    /// Session ids with unsaved edits (anywhere in the site).
    pub unsaved: Vec<String>,
}

/// How a checklist item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum CheckStateDto {
    /// Fine.
    Ok,
    /// Worth a look.
    Warning,
    /// Stops the export unless overridden.
    Blocking,
}

/// Which checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum CheckKeyDto {
    /// Validation of the selected files.
    Problems,
    /// Speaker photos.
    Photos,
    /// Twins in step.
    Twins,
    /// Unsaved edits.
    Unsaved,
}

/// One finding behind a checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckDetailDto {
    /// Site-relative file.
    pub file: String,
    /// Line, 0 for the whole file.
    pub line: u32,
    /// What and what to do.
    pub message: String,
    /// How bad.
    pub severity: Severity,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckItemDto {
    /// Which item.
    pub key: CheckKeyDto,
    /// How it stands.
    pub state: CheckStateDto,
    /// One line.
    pub summary: String,
    /// Findings.
    pub details: Vec<CheckDetailDto>,
}

/// The pre-export checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChecklistDto {
    /// Problems, photos, twins, unsaved edits.
    pub items: Vec<CheckItemDto>,
    /// Validation errors in the selected files.
    pub errors: u32,
    /// Validation warnings in the selected files.
    pub warnings: u32,
    /// Selected changes.
    pub files: u32,
    /// Whether the export is refused unless the errors are overridden.
    pub blocked: bool,
}

impl From<&export::Checklist> for ChecklistDto {
    fn from(c: &export::Checklist) -> Self {
        ChecklistDto {
            items: c
                .items
                .iter()
                .map(|i| CheckItemDto {
                    key: match i.key {
                        export::CheckKey::Problems => CheckKeyDto::Problems,
                        export::CheckKey::Photos => CheckKeyDto::Photos,
                        export::CheckKey::Twins => CheckKeyDto::Twins,
                        export::CheckKey::Unsaved => CheckKeyDto::Unsaved,
                    },
                    state: match i.state {
                        export::CheckState::Ok => CheckStateDto::Ok,
                        export::CheckState::Warning => CheckStateDto::Warning,
                        export::CheckState::Blocking => CheckStateDto::Blocking,
                    },
                    summary: i.summary.clone(),
                    details: i
                        .details
                        .iter()
                        .map(|d| CheckDetailDto {
                            file: d.file.clone(),
                            line: n(d.line),
                            message: d.message.clone(),
                            severity: d.severity,
                        })
                        .collect(),
                })
                .collect(),
            errors: n(c.errors),
            warnings: n(c.warnings),
            files: n(c.files),
            blocked: c.blocked(),
        }
    }
}

/// What the export dialog starts from for one selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportPrepDto {
    /// The checklist.
    pub checklist: ChecklistDto,
    /// Proposed branch name (free in the repository).
    pub branch: String,
    /// Proposed commit message, in the site's style.
    pub message: String,
    /// Proposed file name for a patch.
    pub patch_file: String,
    /// Proposed file name for a zip.
    pub zip_file: String,
    /// A folder outside the site to write files to (display and dialogs).
    pub default_dir: String,
}

/// One step of an export, as git reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StepDto {
    /// Short name: check, branch, push, ...
    pub step: String,
    /// The git command, when there was one.
    pub command: String,
    /// Whether it worked.
    pub ok: bool,
    /// What came of it.
    pub detail: String,
}

impl From<export::StepReport> for StepDto {
    fn from(s: export::StepReport) -> Self {
        StepDto {
            step: s.step,
            command: s.command,
            ok: s.ok,
            detail: s.detail,
        }
    }
}

/// "Create branch" as the person filled it in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct BranchRequest {
    /// Change paths to include.
    pub selected: Vec<String>,
    /// Branch name.
    pub name: String,
    /// Commit message.
    pub message: String,
    /// Remote to push to afterwards; None to not push.
    pub push: Option<String>,
    /// Move the work tree onto the new branch.
    pub switch: bool,
    /// Export despite validation errors.
    pub override_errors: bool,
    /// The name and e-mail address the person typed after git said it did
    /// not know them; None to use git's own identity.
    pub identity: Option<IdentityDto>,
    /// Also save `identity` to the repository's config.
    pub save_identity: bool,
}

/// A name and e-mail address typed for commits (checked by the core).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct IdentityDto {
    /// The name reviewers see.
    pub name: String,
    /// The e-mail address.
    pub email: String,
}

impl From<IdentityDto> for export::Signature {
    fn from(i: IdentityDto) -> Self {
        export::Signature::new(i.name, i.email)
    }
}

/// What "Create branch" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BranchOutcomeDto {
    /// The new branch.
    pub branch: String,
    /// Its commit.
    pub commit: String,
    /// Files in the commit.
    pub files: Vec<String>,
    /// Whether the work tree is now on it.
    pub switched: bool,
    /// Every step, push included when asked; a failed push is a failed step.
    pub steps: Vec<StepDto>,
}

/// "Export patch" or "Export zip" as the person filled it in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct FileExportRequest {
    /// Change paths to include.
    pub selected: Vec<String>,
    /// Where to write (absolute).
    pub path: String,
    /// The patch's commit message (patches only).
    pub message: Option<String>,
    /// Export despite validation errors.
    pub override_errors: bool,
    /// Patches only: the name and e-mail address typed after git said it
    /// did not know them; None to use git's own identity.
    pub identity: Option<IdentityDto>,
    /// Patches only: also save `identity` to the repository's config.
    pub save_identity: bool,
}

/// A written export file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileExportDto {
    /// Where it was written.
    pub path: String,
    /// Changes included.
    pub files: u32,
    /// Size in bytes.
    pub bytes: u32,
}

/// What a revert did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RevertedDto {
    /// The change path reverted.
    pub path: String,
    /// Sessions whose text changed, appeared or went away.
    pub sessions: Vec<String>,
}

/// Which kind of export file a save dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum ExportFileKind {
    /// A `git am` mbox.
    Patch,
    /// A zip archive.
    Zip,
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern::export::FileChange;
    use std::path::PathBuf;

    #[test]
    fn a_moved_file_keeps_its_old_path_and_its_word_spans() {
        let change = FileChange {
            path: PathBuf::from("content/sessions/db-102.md"),
            kind: ChangeKind::Moved {
                from: PathBuf::from("content/sessions/db-101.md"),
            },
            before: Some(b"---\ntitle: \"Old words\"\n---\n".to_vec()),
            after: Some(b"---\ntitle: \"New words\"\n---\n".to_vec()),
        };
        let dto = ChangedFileDto::new(
            export::review(&change),
            Some("content/sessions/db-102.md".into()),
            true,
        );
        assert_eq!(dto.kind, ChangeKindDto::Moved);
        assert_eq!(dto.from.as_deref(), Some("content/sessions/db-101.md"));
        assert!(dto.unsaved);
        assert_eq!((dto.added, dto.removed), (1, 1));
        let added = dto.hunks[0]
            .lines
            .iter()
            .find(|l| l.kind == DiffKindDto::Insert)
            .unwrap();
        let marked: Vec<&str> = added
            .spans
            .iter()
            .filter(|s| s.kind == DiffKindDto::Insert)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ["New"]);
        assert_eq!(added.new_line, Some(2));
        // The spans serialise as the bindings say.
        let json = serde_json::to_value(SpanDto {
            kind: DiffKindDto::Insert,
            text: "x".into(),
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({"kind": "insert", "text": "x"}));
    }

    #[test]
    fn a_checklist_with_an_error_is_blocked_and_says_so() {
        let list = export::Checklist {
            items: vec![export::CheckItem {
                key: export::CheckKey::Problems,
                state: export::CheckState::Blocking,
                summary: "1 error(s)".into(),
                details: vec![export::CheckDetail {
                    file: "content/sessions/web-103.md".into(),
                    line: 7,
                    message: "unknown room".into(),
                    severity: lectern::Severity::Error,
                }],
            }],
            errors: 1,
            warnings: 0,
            files: 1,
        };
        let dto = ChecklistDto::from(&list);
        assert!(dto.blocked);
        assert_eq!(dto.items[0].key, CheckKeyDto::Problems);
        assert_eq!(dto.items[0].state, CheckStateDto::Blocking);
        assert_eq!(dto.items[0].details[0].line, 7);
        assert_eq!(dto.items[0].details[0].severity, Severity::Error);
    }
}
