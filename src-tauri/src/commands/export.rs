//! Commands of the Changes view and the export dialog: list and revert
//! pending changes, the pre-export checklist, then a branch, a patch or a
//! zip. Every rule (what is pending, what blocks, where files may go, what
//! git may do) is in `lectern::export`; these map requests and results.
//!
//! All of them run off the main thread: they run git, read the site and
//! may push over the network. The workspace lock is held only while the
//! open site is read or changed, never during a push.

use std::path::{Path, PathBuf};

use lectern::export::{self, ChangeSummary, ExportError, Pending};
use tauri::{AppHandle, Manager};

use crate::dto_export::{
    BranchOutcomeDto, BranchRequest, ChangedFileDto, ChangesDto, ChecklistDto, ExportFileKind,
    ExportPrepDto, FileExportDto, FileExportRequest, RepoDto, RevertedDto,
};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::window::MAIN_WINDOW;

fn ipc(e: ExportError) -> IpcError {
    e.into()
}

/// Run `f` on a blocking thread with the app state.
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| IpcError::internal(format!("the export task stopped: {e}")))?
}

/// What an export works on: the site, its pending changes and the ids with
/// unsaved edits, read under the lock in one go.
fn snapshot(state: &AppState) -> IpcResult<(lectern::site::Site, Pending, Vec<String>)> {
    state.with_site(|ws| Ok((ws.site().clone(), ws.pending_changes()?, ws.modified_ids())))
}

/// The selected changes, checked: refuses (changing nothing) when the
/// checklist blocks and the person did not override it.
fn checked(
    site: &lectern::site::Site,
    pending: &Pending,
    unsaved: &[String],
    selected: &[String],
    override_errors: bool,
) -> IpcResult<lectern::export::ChangeSet> {
    let set = pending.select(selected).map_err(ipc)?;
    let list = export::checklist(site, pending, &set, unsaved, crate::photos::cache());
    list.allows(override_errors).map_err(ipc)?;
    Ok(set)
}

/// Every pending change of the open site with its hunks, word highlights
/// included, and the sessions that have unsaved edits.
#[tauri::command]
pub async fn list_changes(app: AppHandle) -> IpcResult<ChangesDto> {
    blocking(app, |state| {
        let (_, pending, unsaved) = snapshot(state)?;
        let files = pending
            .changes
            .changes
            .iter()
            .map(|c| {
                let site_id = pending.site_id(&c.path);
                let dirty = site_id.as_ref().is_some_and(|id| unsaved.contains(id));
                ChangedFileDto::new(export::review(c), site_id, dirty)
            })
            .collect();
        Ok(ChangesDto {
            source: pending.source,
            repo: pending.repo.as_ref().map(RepoDto::from),
            files,
            unsaved,
        })
    })
    .await
}

/// Revert one hunk (`hunk`, numbered from 0) or the whole file at `path`,
/// if it is still the version identified by `fingerprint`.
#[tauri::command]
pub async fn revert_change(
    app: AppHandle,
    path: String,
    hunk: Option<u32>,
    fingerprint: String,
) -> IpcResult<RevertedDto> {
    blocking(app, move |state| {
        state.with_site(|ws| {
            let done =
                ws.revert_change(Path::new(&path), hunk.map(|h| h as usize), &fingerprint)?;
            Ok(RevertedDto {
                path: done.path.to_string_lossy().into_owned(),
                sessions: done.sessions,
            })
        })
    })
    .await
}

/// The checklist and the proposed names for exporting `selected`.
#[tauri::command]
pub async fn prepare_export(app: AppHandle, selected: Vec<String>) -> IpcResult<ExportPrepDto> {
    blocking(app, move |state| {
        let (site, pending, unsaved) = snapshot(state)?;
        let set = pending.select(&selected).map_err(ipc)?;
        let list = export::checklist(&site, &pending, &set, &unsaved, crate::photos::cache());
        let base = export::branch_name_for(&set);
        let branch = match &pending.repo {
            Some(repo) => repo.unique_branch_name(&base).map_err(ipc)?,
            None => base,
        };
        Ok(ExportPrepDto {
            checklist: ChecklistDto::from(list),
            message: export::commit_message_for(&set, &ChangeSummary::infer(&set)),
            patch_file: export::export_file_name(&branch, "patch"),
            zip_file: export::export_file_name(&branch, "zip"),
            default_dir: export::default_output_dir(&site, pending.repo.as_ref())
                .to_string_lossy()
                .into_owned(),
            branch,
        })
    })
    .await
}

/// Commit the selected changes to a new branch from HEAD, then push it when
/// asked. Refusals (merge in progress, detached HEAD, staged changes, a
/// taken name, blocking errors) change nothing.
#[tauri::command]
pub async fn export_branch(app: AppHandle, request: BranchRequest) -> IpcResult<BranchOutcomeDto> {
    blocking(app, move |state| {
        let (site, unsaved) = state.with_site(|ws| Ok((ws.site().clone(), ws.modified_ids())))?;
        // Git only: the site's pending changes against HEAD (no workspace needed).
        let pending = export::git_pending(&site).map_err(ipc)?.ok_or_else(|| {
            ipc(ExportError::NotARepo {
                path: site.root.clone(),
            })
        })?;
        let set = checked(
            &site,
            &pending,
            &unsaved,
            &request.selected,
            request.override_errors,
        )?;
        let repo = pending.repo.as_ref().ok_or_else(|| {
            ipc(ExportError::NotARepo {
                path: site.root.clone(),
            })
        })?;
        // What the person typed when git had no identity (asked after an
        // IdentityMissing refusal), saved to the repository when they chose to.
        let author = request
            .identity
            .map(|i| export::adopt_identity(Some(repo), &i, request.save_identity))
            .transpose()
            .map_err(ipc)?;
        let out = export::create_branch_commit(
            repo,
            &set,
            &request.name,
            &request.message,
            author.as_ref(),
            request.switch,
        )
        .map_err(ipc)?;
        let mut steps = out.steps;
        if let Some(remote) = request.push.filter(|r| !r.is_empty()) {
            steps.push(match export::push(repo, &remote, &out.branch) {
                Ok(step) => step,
                // The branch exists either way; the failure is one step of the report.
                Err(e) => export::StepReport {
                    step: "push".into(),
                    command: format!("git push {remote}"),
                    ok: false,
                    detail: e.to_string(),
                },
            });
        }
        Ok(BranchOutcomeDto {
            branch: out.branch,
            commit: out.commit,
            files: out
                .files
                .iter()
                .map(|f| f.to_string_lossy().into_owned())
                .collect(),
            switched: out.switched,
            steps,
        })
    })
    .await
}

/// Write the selected changes as a `git am`-able patch to `request.path`.
#[tauri::command]
pub async fn export_patch(app: AppHandle, request: FileExportRequest) -> IpcResult<FileExportDto> {
    blocking(app, move |state| {
        let (site_root, pending, set, out) = file_export(state, &request)?;
        let message = request
            .message
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| export::commit_message_for(&set, &ChangeSummary::infer(&set)));
        let given = request
            .identity
            .map(|i| export::adopt_identity(pending.repo.as_ref(), &i, request.save_identity))
            .transpose()
            .map_err(ipc)?;
        let author =
            export::author_for(pending.repo.as_ref(), &site_root, given.as_ref()).map_err(ipc)?;
        let bytes = export::export_patch(
            pending.repo.as_ref(),
            &set,
            &message,
            &author,
            export::local_now(),
        )
        .map_err(ipc)?;
        lectern::fs::write_atomic(&out, &bytes)?;
        Ok(written(out, set.len(), bytes.len()))
    })
    .await
}

/// Write the selected changes' files and a `CHANGES.md` to a zip at `request.path`.
#[tauri::command]
pub async fn export_zip(app: AppHandle, request: FileExportRequest) -> IpcResult<FileExportDto> {
    blocking(app, move |state| {
        let (_, _, set, out) = file_export(state, &request)?;
        export::export_zip(&set, &out).map_err(ipc)?;
        let size = std::fs::metadata(&out)
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        Ok(written(out, set.len(), size))
    })
    .await
}

/// What a file export needs: the pending changes, the checked selection
/// (refused on errors unless overridden) and an output path outside the
/// site and its repository.
fn file_export(
    state: &AppState,
    request: &FileExportRequest,
) -> IpcResult<(PathBuf, Pending, lectern::export::ChangeSet, PathBuf)> {
    let (site, pending, unsaved) = snapshot(state)?;
    let set = checked(
        &site,
        &pending,
        &unsaved,
        &request.selected,
        request.override_errors,
    )?;
    let out = export::check_output_path(&site, pending.repo.as_ref(), Path::new(&request.path))
        .map_err(ipc)?;
    Ok((site.root, pending, set, out))
}

fn written(path: PathBuf, files: usize, bytes: usize) -> FileExportDto {
    FileExportDto {
        path: path.to_string_lossy().into_owned(),
        files: u32::try_from(files).unwrap_or(u32::MAX),
        bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
    }
}

/// Ask where to save an export file (native dialog); None when cancelled.
#[tauri::command]
pub async fn choose_export_file(
    app: AppHandle,
    kind: ExportFileKind,
    name: String,
    dir: Option<String>,
) -> IpcResult<Option<String>> {
    let window = app
        .get_webview_window(MAIN_WINDOW)
        .ok_or_else(|| IpcError::internal("the main window is gone"))?;
    let filter = match kind {
        ExportFileKind::Patch => ("Patch (mbox)", ["patch"]),
        ExportFileKind::Zip => ("Zip archive", ["zip"]),
    };
    let chosen = crate::dialogs::pick_export_file(
        &window,
        dir.as_deref().map(Path::new),
        &name,
        filter.0,
        &filter.1,
    )
    .await;
    Ok(chosen.map(|p| p.to_string_lossy().into_owned()))
}
