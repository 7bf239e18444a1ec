//! Batch operations: each `plan_*` command asks the core for a plan (off the
//! main thread: planning reads every session file), keeps it in
//! [`BatchState`] and returns it for the plan dialog; `apply_plan` applies
//! the kept plan through the workspace (which refuses over unsaved edits and
//! reloads the touched files), and `undo_batch` undoes the last one.
//! Nothing is written until the person confirms.

use std::collections::BTreeSet;
use std::path::PathBuf;

use lectern::batch::{self, CellEdit, ColumnNames, JournalEntry, Plan, Query};
use lectern::site::Site;
use lectern::workspace::Table;
use tauri::{AppHandle, Manager, State};

use crate::batch::{BatchState, Pending};
use crate::dto_batch::{
    BatchDone, BatchFileKind, BatchStatus, ConflictChoices, ImportPlanDto, MatchDto, PlanDto,
    SchedulePlanDto,
};
use crate::error::{IpcError, IpcResult};
use crate::state::{self, AppState};
use crate::window::MAIN_WINDOW;

/// The open site's configuration, to plan against without holding the workspace.
fn site_of(state: &AppState) -> IpcResult<Site> {
    state
        .if_site(|ws| ws.site().clone())
        .ok_or_else(IpcError::no_site)
}

/// Run `f` on a blocking thread (planning and writing read or write many files).
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::internal(format!("a batch job failed: {e}")))?
}

/// Keep `plan` for confirmation and describe it, with the files it touches
/// that have unsaved edits.
fn hold(app: &AppHandle, plan: Plan) -> IpcResult<PlanDto> {
    let unsaved = app
        .state::<AppState>()
        .with_site(|ws| Ok(ws.unsaved_in_plan(&plan)))?;
    // Built before the plan moves into the state.
    let summary = plan.overview();
    let token = app.state::<BatchState>().hold(plan);
    Ok(PlanDto {
        token,
        summary,
        unsaved,
    })
}

/// Plan on the open site with `f`, off the main thread, and hold the plan.
async fn plan_with(
    app: AppHandle,
    f: impl FnOnce(&Site) -> lectern::Result<Plan> + Send + 'static,
) -> IpcResult<PlanDto> {
    let site = site_of(&app.state::<AppState>())?;
    let plan = blocking(move || f(&site).map_err(IpcError::from)).await?;
    hold(&app, plan)
}

/// Session ids (site-relative paths) a plan touched.
fn touched_ids(plan: &Plan) -> Vec<String> {
    let ids: BTreeSet<String> = plan
        .site_ops()
        .flat_map(|o| o.touched())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    ids.into_iter().collect()
}

/// Whether there is a batch to undo on the open site.
#[tauri::command]
pub fn batch_status(state: State<'_, AppState>, batch: State<'_, BatchState>) -> BatchStatus {
    BatchStatus {
        undo: state.root().and_then(|root| batch.undo_title(&root)),
    }
}

/// Plan setting `key` to `value` (or removing it, with `null`) on the
/// sessions `stems`; twins follow the schema.
#[tauri::command]
pub async fn plan_set_field(
    app: AppHandle,
    stems: Vec<String>,
    key: String,
    value: Option<String>,
) -> IpcResult<PlanDto> {
    plan_with(app, move |site| {
        batch::set_on(site, &stems, &[(key, value)])
    })
    .await
}

/// The table view of the sessions `stems`: one row per session (values of
/// its default-language file, as in memory), one column per schema field.
#[tauri::command]
pub fn table_data(state: State<'_, AppState>, stems: Vec<String>) -> IpcResult<Table> {
    state.with_site(|ws| Ok(ws.table(&stems)))
}

/// Plan the table view's edited cells as one plan.
#[tauri::command]
pub async fn plan_cells(app: AppHandle, edits: Vec<CellEdit>) -> IpcResult<PlanDto> {
    plan_with(app, move |site| batch::set_cells(site, &edits)).await
}

/// A block pasted from a spreadsheet, as rows of cells.
#[tauri::command]
pub fn parse_paste(text: String) -> Vec<Vec<String>> {
    batch::paste_block(&text)
}

/// Every match of a search in the site's files (as on disk).
#[tauri::command]
pub async fn find_matches(app: AppHandle, query: Query) -> IpcResult<Vec<MatchDto>> {
    let site = site_of(&app.state::<AppState>())?;
    blocking(move || {
        let found = batch::find(&site, &query)?;
        Ok(found.into_iter().map(MatchDto::from).collect())
    })
    .await
}

/// Plan replacing the matches `ids` (from `find_matches` with the same query).
#[tauri::command]
pub async fn plan_replace(
    app: AppHandle,
    query: Query,
    ids: Vec<String>,
    replacement: String,
) -> IpcResult<PlanDto> {
    let ids: Vec<batch::MatchId> = ids
        .iter()
        .map(|i| i.parse())
        .collect::<lectern::Result<_>>()?;
    plan_with(app, move |site| {
        batch::replace(site, &query, &ids, &replacement)
    })
    .await
}

/// Plan renaming a track: files move, `track` changes, track pages move.
#[tauri::command]
pub async fn plan_rename_track(app: AppHandle, old: String, new: String) -> IpcResult<PlanDto> {
    plan_with(app, move |site| {
        batch::rename_track(site, old.trim(), new.trim())
    })
    .await
}

/// Plan withdrawing a session (stem or id) and its twins; recoverable from
/// the journal until it is purged after an export.
#[tauri::command]
pub async fn plan_withdraw(app: AppHandle, stem: String) -> IpcResult<PlanDto> {
    plan_with(app, move |site| batch::withdraw(site, stem.trim())).await
}

/// Ask for a schedule or Sessionize file; its path, or `None` when cancelled.
#[tauri::command]
pub async fn pick_batch_file(app: AppHandle, kind: BatchFileKind) -> IpcResult<Option<String>> {
    let window = app
        .get_webview_window(MAIN_WINDOW)
        .ok_or_else(|| IpcError::internal("the main window is gone"))?;
    let (title, exts): (&str, &[&str]) = match kind {
        BatchFileKind::Schedule => (
            "Apply Schedule",
            &["csv", "xlsx", "xls", "ods", "tsv", "txt"],
        ),
        BatchFileKind::Sessionize => (
            "Import from Sessionize",
            &["json", "csv", "xlsx", "xls", "ods"],
        ),
    };
    let picked = crate::dialogs::pick_file(&window, title, exts).await;
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

/// A file the person named: it must exist.
fn existing_file(path: &str) -> IpcResult<PathBuf> {
    let p = PathBuf::from(path.trim());
    if !p.is_file() {
        return Err(lectern::Error::Invalid(format!(
            "{}: no such file; choose it with Browse…",
            p.display()
        ))
        .into());
    }
    Ok(p)
}

/// Plan a schedule (CSV or workbook) with its report.
#[tauri::command]
pub async fn plan_schedule(
    app: AppHandle,
    path: String,
    columns: ColumnNames,
) -> IpcResult<SchedulePlanDto> {
    let file = existing_file(&path)?;
    let site = site_of(&app.state::<AppState>())?;
    let (plan, report) = blocking(move || {
        batch::apply_schedule(&site, &file, &columns.into()).map_err(IpcError::from)
    })
    .await?;
    Ok(SchedulePlanDto {
        plan: hold(&app, plan)?,
        report,
    })
}

/// Plan a Sessionize import with its report; `choices` settles conflicts file by file.
#[tauri::command]
pub async fn plan_import(
    app: AppHandle,
    path: String,
    choices: ConflictChoices,
) -> IpcResult<ImportPlanDto> {
    let file = existing_file(&path)?;
    let site = site_of(&app.state::<AppState>())?;
    let (plan, report) = blocking(move || {
        batch::import_sessionize_choosing(&site, &file, &batch::ImportOptions::default(), &choices)
            .map_err(IpcError::from)
    })
    .await?;
    Ok(ImportPlanDto {
        plan: hold(&app, plan)?,
        report,
    })
}

/// Apply the plan shown with `token`. Refuses (writing nothing) when a file
/// it touches has unsaved edits or changed on disk since it was planned.
#[tauri::command]
pub async fn apply_plan(app: AppHandle, token: u32) -> IpcResult<BatchDone> {
    let pending = app.state::<BatchState>().take(token).ok_or_else(|| {
        IpcError::from(lectern::Error::Invalid(
            "this plan is no longer current (another one was made since); plan again".into(),
        ))
    })?;
    blocking(move || {
        let state = app.state::<AppState>();
        let batch = app.state::<BatchState>();
        let Pending { plan, restore } = pending;
        let (title, touched, site) = match restore {
            Some(id) => state.with_site(|ws| {
                let restored = ws.restore_journal(&id)?;
                batch.forget_journal(&id);
                Ok((
                    restored.title.clone(),
                    touched_ids(&restored),
                    state::summary(ws),
                ))
            })?,
            None => {
                let (applied, site) = state.with_site(|ws| {
                    let applied = ws.apply_plan(&plan)?;
                    Ok((applied, state::summary(ws)))
                })?;
                let out = (applied.plan.title.clone(), touched_ids(&applied.plan), site);
                if applied.journal.is_some() {
                    batch.push_applied(applied);
                }
                out
            }
        };
        let undo = batch.undo_title(std::path::Path::new(&site.root));
        Ok(BatchDone {
            title,
            touched,
            undo,
            site,
        })
    })
    .await
}

/// The site's journal of applied plans, newest first (withdrawn sessions
/// stay restorable here until the journal is purged after an export).
#[tauri::command]
pub fn journal_entries(state: State<'_, AppState>) -> IpcResult<Vec<JournalEntry>> {
    let root = state.root().ok_or_else(IpcError::no_site)?;
    Ok(batch::journal::list(&root)?)
}

/// Plan restoring journal entry `id` (what it did, undone).
#[tauri::command]
pub fn plan_restore(app: AppHandle, id: String) -> IpcResult<PlanDto> {
    let root = app
        .state::<AppState>()
        .root()
        .ok_or_else(IpcError::no_site)?;
    let plan = batch::journal::restore_plan(&root, &id)?;
    let unsaved = app
        .state::<AppState>()
        .with_site(|ws| Ok(ws.unsaved_in_plan(&plan)))?;
    let summary = plan.overview();
    let token = app.state::<BatchState>().hold_pending(Pending {
        plan,
        restore: Some(id),
    });
    Ok(PlanDto {
        token,
        summary,
        unsaved,
    })
}

/// Forget the plan shown with `token` (Cancel): nothing is written.
#[tauri::command]
pub fn discard_plan(batch: State<'_, BatchState>, token: u32) {
    batch.discard(token);
}

/// Undo the last batch applied to the open site, as one step. Refuses
/// (writing nothing) when a file it wrote was edited since.
#[tauri::command]
pub async fn undo_batch(app: AppHandle) -> IpcResult<BatchDone> {
    let root = app
        .state::<AppState>()
        .root()
        .ok_or_else(IpcError::no_site)?;
    let applied = app
        .state::<BatchState>()
        .pop_applied(&root)
        .ok_or_else(|| {
            IpcError::from(lectern::Error::Invalid(
                "there is no batch operation to undo".into(),
            ))
        })?;
    blocking(move || {
        let state = app.state::<AppState>();
        let batch = app.state::<BatchState>();
        let outcome = state.with_site(|ws| {
            ws.undo_plan(&applied)?;
            Ok(state::summary(ws))
        });
        match outcome {
            Ok(site) => Ok(BatchDone {
                title: format!("Undo: {}", applied.plan.title),
                touched: touched_ids(&applied.plan),
                undo: batch.undo_title(&root),
                site,
            }),
            Err(e) => {
                // Still undoable once the person sorts out what blocked it.
                batch.push_applied(applied);
                Err(e)
            }
        }
    })
    .await
}
