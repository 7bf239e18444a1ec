// The one place that talks to Tauri. Everything else imports typed
// functions from here, so the IPC surface is visible in one file and the
// rest of the UI can be tested without a Tauri runtime.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type { AppInfo } from "./bindings/AppInfo";
import type { Code } from "./bindings/Code";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { DiskChange } from "./bindings/DiskChange";
import type { Edited } from "./bindings/Edited";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { IpcError } from "./bindings/IpcError";
import type { MenuAction } from "./bindings/MenuAction";
import type { RecoveryOffer } from "./bindings/RecoveryOffer";
import type { RestoreResult } from "./bindings/RestoreResult";
import type { SaveAllResult } from "./bindings/SaveAllResult";
import type { SessionSaved } from "./bindings/SessionSaved";
import type { SessionSummary } from "./bindings/SessionSummary";
import type { SessionView } from "./bindings/SessionView";
import type { SiteStatus } from "./bindings/SiteStatus";
// hardening
import type { SiteFolder } from "./bindings/SiteFolder";
import type { SiteSummary } from "./bindings/SiteSummary";
import type { Speaker } from "./bindings/Speaker";
// Photos (issue 4).
import type { CropPreviewDto } from "./bindings/CropPreviewDto";
import type { PhotoFetchProgress } from "./bindings/PhotoFetchProgress";
import type { PhotoFetchSummary } from "./bindings/PhotoFetchSummary";
import type { ReplacedPhotoDto } from "./bindings/ReplacedPhotoDto";
import type { SpeakerPhotoDto } from "./bindings/SpeakerPhotoDto";
import type { StagedPhotoDto } from "./bindings/StagedPhotoDto";
// Changes view and export (issue 6).
import type { BranchOutcomeDto } from "./bindings/BranchOutcomeDto";
import type { BranchRequest } from "./bindings/BranchRequest";
import type { ChangesDto } from "./bindings/ChangesDto";
import type { ExportFileKind } from "./bindings/ExportFileKind";
import type { ExportPrepDto } from "./bindings/ExportPrepDto";
import type { FileExportDto } from "./bindings/FileExportDto";
import type { FileExportRequest } from "./bindings/FileExportRequest";
import type { RevertedDto } from "./bindings/RevertedDto";
// Recent sites, unsaved-edits prompt, new sessions (issue 3).
import type { LeaveDecision } from "./bindings/LeaveDecision";
import type { LeaveOutcome } from "./bindings/LeaveOutcome";
import type { LeaveRequest } from "./bindings/LeaveRequest";
import type { NewSession } from "./bindings/NewSession";
import type { RecentSiteDto } from "./bindings/RecentSiteDto";
// Schedule grid + twins side by side (issue 5)
import type { Schedule } from "./bindings/Schedule";
import type { ScheduleEdit } from "./bindings/ScheduleEdit";
import type { Step } from "./bindings/Step";
import type { TwinReport } from "./bindings/TwinReport";
// Batch operations (plans, bulk edits, imports)
import type { BatchDone } from "./bindings/BatchDone";
import type { BatchFileKind } from "./bindings/BatchFileKind";
import type { BatchStatus } from "./bindings/BatchStatus";
import type { CellEdit } from "./bindings/CellEdit";
import type { ConflictChoice } from "./bindings/ConflictChoice";
import type { ImportPlanDto } from "./bindings/ImportPlanDto";
import type { JournalEntry } from "./bindings/JournalEntry";
import type { MatchDto } from "./bindings/MatchDto";
import type { PlanDto } from "./bindings/PlanDto";
import type { Query } from "./bindings/Query";
import type { ColumnNames } from "./bindings/ColumnNames";
import type { SchedulePlanDto } from "./bindings/SchedulePlanDto";
import type { Table } from "./bindings/Table";
// desktop app performance
import type { TextChange } from "./bindings/TextChange";
import type { BodyEdited } from "./bindings/BodyEdited";
// Problems pane fixes and site-wide search (issue 15)
import type { FixedDto } from "./bindings/FixedDto";
import type { SearchResults } from "./bindings/SearchResults";
import type { SiteChecked } from "./bindings/SiteChecked";

/** A failed command: the shell's `{kind, message}` as an Error. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = "AppError";
    this.kind = kind;
  }
}

function isIpcError(e: unknown): e is IpcError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { kind?: unknown }).kind === "string" &&
    typeof (e as { message?: unknown }).message === "string"
  );
}

/** Turn whatever a rejected invoke carries into an AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (isIpcError(e)) return new AppError(e.kind, e.message);
  return new AppError("internal", e instanceof Error ? e.message : String(e));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** The app's commands, typed. */
export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  siteStatus: () => call<SiteStatus>("site_status"),
  chooseSite: () => call<SiteSummary | null>("choose_site"),
  /** `null` when unsaved edits make the shell ask first (`leave-requested`). */
  reloadSite: () => call<SiteSummary | null>("reload_site"),
  listSessions: () => call<SessionSummary[]>("list_sessions"),
  loadSession: (id: string) => call<SessionView>("load_session", { id }),
  /** `value: null` removes the field. */
  setField: (id: string, key: string, value: string | null) =>
    call<Edited>("set_field", { id, key, value }),
  /** A keystroke in a form field: keystrokes into one field in quick succession are one undo step. */
  typeField: (id: string, key: string, value: string) => call<Edited>("type_field", { id, key, value }),
  setBody: (id: string, body: string) => call<Edited>("set_body", { id, body }),
  setSpeakers: (id: string, speakers: Speaker[]) => call<Edited>("set_speakers", { id, speakers }),
  undo: (id: string) => call<Edited>("undo", { id }),
  redo: (id: string) => call<Edited>("redo", { id }),
  /** Save the file and each twin with unsaved edits (an edit of one language can change the others). */
  saveSession: (id: string) => call<SessionSaved>("save_session", { id }),
  saveAll: () => call<SaveAllResult>("save_all"),
  checkSite: () => call<Diagnostic[]>("check_site"),
  resolveConflict: (id: string, keepMine: boolean) => call<Edited>("resolve_conflict", { id, keepMine }),
  diskState: (id: string) => call<DiskChange | null>("disk_state", { id }),
  recoveryOffer: () => call<RecoveryOffer | null>("recovery_offer"),
  /** `restore: false` discards the drafts. */
  answerRecovery: (restore: boolean) => call<RestoreResult | null>("answer_recovery", { restore }),
  // Photos (issue 4).
  /** Starts the background run and returns the number of URLs at once. */
  fetchAllPhotos: () => call<number>("fetch_all_photos"),
  cancelPhotoFetch: () => call<boolean>("cancel_photo_fetch"),
  speakerPhotos: (id: string) => call<SpeakerPhotoDto[]>("speaker_photos", { id }),
  pickPhotoFile: () => call<string | null>("pick_photo_file"),
  /** `source`: a file path or an http(s) URL. */
  stagePhoto: (source: string) => call<StagedPhotoDto>("stage_photo", { source }),
  /** `offset`: 0 = left or top, 1 = right or bottom. */
  cropPreview: (offset: number) => call<CropPreviewDto>("crop_preview", { offset }),
  replaceSpeakerPhoto: (id: string, index: number, offset: number) =>
    call<ReplacedPhotoDto>("replace_speaker_photo", { id, index, offset }),
  // Changes view and export (issue 6).
  listChanges: () => call<ChangesDto>("list_changes"),
  /** `hunk: null` reverts the whole file; `fingerprint` names the version shown. */
  revertChange: (path: string, hunk: number | null, fingerprint: string) =>
    call<RevertedDto>("revert_change", { path, hunk, fingerprint }),
  prepareExport: (selected: string[]) => call<ExportPrepDto>("prepare_export", { selected }),
  exportBranch: (request: BranchRequest) => call<BranchOutcomeDto>("export_branch", { request }),
  exportPatch: (request: FileExportRequest) => call<FileExportDto>("export_patch", { request }),
  exportZip: (request: FileExportRequest) => call<FileExportDto>("export_zip", { request }),
  /** A native save dialog; null when cancelled. */
  chooseExportFile: (kind: ExportFileKind, name: string, dir: string | null) =>
    call<string | null>("choose_export_file", { kind, name, dir }),
  // Recent sites, unsaved-edits prompt, new sessions (issue 3).
  recentSites: () => call<RecentSiteDto[]>("recent_sites"),
  /** `null` when unsaved edits make the shell ask first. */
  openRecent: (root: string) => call<SiteSummary | null>("open_recent", { root }),
  forgetRecent: (root: string) => call<RecentSiteDto[]>("forget_recent", { root }),
  /** Returns the window title. */
  setUnsavedMark: (unsaved: boolean) => call<string>("set_unsaved_mark", { unsaved }),
  /** Show the native menu in the UI's language (issue 15). */
  setMenuLocale: (locale: string) => call<null>("set_menu_locale", { locale }),

  leave: (decision: LeaveDecision) => call<LeaveOutcome>("leave", { decision }),
  newSession: (track: string, id: string, languages: string[]) =>
    call<NewSession>("new_session", { track, id, languages }),
  // Schedule grid + twins side by side (issue 5)
  scheduleGrid: () => call<Schedule>("schedule_grid"),
  /** Move a session (and its twins) to a day, a time (`HH:MM`) and a room (default language). */
  moveSession: (id: string, day: string, time: string, room: string) =>
    call<ScheduleEdit>("move_session", { id, day, time, room }),
  undoStep: (step: Step) => call<ScheduleEdit>("undo_step", { step }),
  redoStep: (step: Step) => call<ScheduleEdit>("redo_step", { step }),
  twinReport: (id: string) => call<TwinReport>("twin_report", { id }),
  // Batch operations (plans, bulk edits, imports): plan_* commands write
  // nothing; applyPlan writes the plan shown with that token.
  batchStatus: () => call<BatchStatus>("batch_status"),
  /** `value: null` clears the field. */
  planSetField: (stems: string[], key: string, value: string | null) =>
    call<PlanDto>("plan_set_field", { stems, key, value }),
  tableData: (stems: string[]) => call<Table>("table_data", { stems }),
  planCells: (edits: CellEdit[]) => call<PlanDto>("plan_cells", { edits }),
  parsePaste: (text: string) => call<string[][]>("parse_paste", { text }),
  findMatches: (query: Query) => call<MatchDto[]>("find_matches", { query }),
  planReplace: (query: Query, ids: string[], replacement: string) =>
    call<PlanDto>("plan_replace", { query, ids, replacement }),
  planRenameTrack: (old: string, newSlug: string) => call<PlanDto>("plan_rename_track", { old, new: newSlug }),
  planWithdraw: (stem: string) => call<PlanDto>("plan_withdraw", { stem }),
  pickBatchFile: (kind: BatchFileKind) => call<string | null>("pick_batch_file", { kind }),
  planSchedule: (path: string, columns: ColumnNames) =>
    call<SchedulePlanDto>("plan_schedule", { path, columns }),
  planImport: (path: string, choices: Record<string, ConflictChoice>) =>
    call<ImportPlanDto>("plan_import", { path, choices }),
  applyPlan: (token: number) => call<BatchDone>("apply_plan", { token }),
  discardPlan: (token: number) => call<void>("discard_plan", { token }),
  undoBatch: () => call<BatchDone>("undo_batch"),
  journalEntries: () => call<JournalEntry[]>("journal_entries"),
  planRestore: (id: string) => call<PlanDto>("plan_restore", { id }),
  // desktop app performance
  /** Body editor changes (in order); `length` is the editor's length after them. */
  editBody: (id: string, edits: TextChange[][], length: number) => call<BodyEdited>("edit_body", { id, edits, length }),
  /** Check the site off the main thread: findings (unless they are version `known`) and the rows whose counts changed. */
  recheckSite: (known: number | null) => call<SiteChecked>("recheck_site", { known }),
  // Problems pane fixes and site-wide search (issue 15)
  /** Apply one finding's safe fix in memory (undoable, unsaved until saved). */
  fixFinding: (d: { file: string; code: string; line: number; column: number }) =>
    call<FixedDto>("fix_finding", { file: d.file, code: d.code, line: d.line, column: d.column }),
  /** Apply the safe fix of every finding of a rule, in memory. */
  fixRule: (code: string) => call<FixedDto>("fix_rule", { code }),
  searchSite: (query: string) => call<SearchResults>("search_site", { query }),
};

export type Api = typeof api;

/** Events the shell emits (names match `dto::events` in Rust). */
export const events = {
  onMenu: (f: (a: MenuAction) => void) => listen<MenuAction>("menu", (e) => f(e.payload)),
  onSiteOpened: (f: (s: SiteSummary) => void) =>
    listen<SiteSummary>("site-opened", (e) => f(e.payload)),
  onDiskChanged: (f: (c: DiskChange) => void) => listen<DiskChange>("disk-changed", (e) => f(e.payload)),
  onAppError: (f: (e: AppError) => void) =>
    listen<IpcError>("app-error", (e) => f(toAppError(e.payload))),
  // Photos (issue 4).
  onPhotosProgress: (f: (p: PhotoFetchProgress) => void) =>
    listen<PhotoFetchProgress>("photos-progress", (e) => f(e.payload)),
  onPhotosFetched: (f: (s: PhotoFetchSummary) => void) =>
    listen<PhotoFetchSummary>("photos-fetched", (e) => f(e.payload)),
  // Closing, switching or reloading with the shell's check (issue 3).
  onLeaveRequested: (f: (r: LeaveRequest) => void) => listen<LeaveRequest>("leave-requested", (e) => f(e.payload)),
  // hardening: the sessions folder itself went away or came back
  onSiteFolder: (f: (s: SiteFolder) => void) => listen<SiteFolder>("site-folder", (e) => f(e.payload)),
};

export type {
  AppInfo,
  Code,
  Diagnostic,
  DiskChange,
  Edited,
  MenuAction,
  SaveAllResult,
  SessionSaved,
  SessionSummary,
  SessionView,
  SiteStatus,
  SiteSummary,
  Speaker,
};
export type { FormField } from "./bindings/FormField";
// hardening
export type { SiteFolder } from "./bindings/SiteFolder";
export type { Track } from "./bindings/Track";
export type { Twin } from "./bindings/Twin";
// Photos (issue 4).
export type { CropPreviewDto, PhotoFetchProgress, PhotoFetchSummary, ReplacedPhotoDto, SpeakerPhotoDto, StagedPhotoDto };
export type { FetchFailure } from "./bindings/FetchFailure";
// Changes view and export (issue 6).
export type { BranchOutcomeDto, BranchRequest, ChangesDto, ExportFileKind, ExportPrepDto, FileExportDto, FileExportRequest, RevertedDto };
export type { Signature } from "./bindings/Signature";
export type { ChangedFileDto } from "./bindings/ChangedFileDto";
export type { ChecklistDto } from "./bindings/ChecklistDto";
export type { ReviewLine } from "./bindings/ReviewLine";
export type { ReviewHunk } from "./bindings/ReviewHunk";
export type { RepoDto } from "./bindings/RepoDto";
export type { StepReport } from "./bindings/StepReport";
export type { LeaveAction } from "./bindings/LeaveAction";
export type { LeaveDecision, LeaveOutcome, LeaveRequest, NewSession, RecentSiteDto };
// Schedule grid + twins side by side (issue 5)
export type { Card } from "./bindings/Card";
export type { Clash } from "./bindings/Clash";
export type { Schedule, ScheduleEdit, Step, TwinReport };
// Batch operations (plans, bulk edits, imports)
export type { BatchDone, BatchFileKind, BatchStatus, CellEdit, ConflictChoice, ImportPlanDto, JournalEntry, MatchDto, PlanDto, Query, ColumnNames, SchedulePlanDto, Table };
export type { Column } from "./bindings/Column";
export type { Conflict } from "./bindings/Conflict";
export type { ImportReport } from "./bindings/ImportReport";
export type { PlanFile } from "./bindings/PlanFile";
export type { RowIssue } from "./bindings/RowIssue";
export type { ScheduleReport } from "./bindings/ScheduleReport";
export type { Scope } from "./bindings/Scope";
export type { TableRow } from "./bindings/TableRow";
// desktop app performance
export type { TextChange, BodyEdited, SiteChecked };
// Problems pane fixes and site-wide search (issue 15)
export type { FixedDto, SearchResults };
export type { SearchHit } from "./bindings/SearchHit";
export type { SearchField } from "./bindings/SearchField";
