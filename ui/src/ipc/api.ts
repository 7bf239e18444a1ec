// The one place that talks to Tauri. Everything else imports typed
// functions from here, so the IPC surface is visible in one file and the
// rest of the UI can be tested without a Tauri runtime.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type { AppInfo } from "./bindings/AppInfo";
import type { DiagnosticDto } from "./bindings/DiagnosticDto";
import type { DiskChange } from "./bindings/DiskChange";
import type { Edited } from "./bindings/Edited";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { IpcError } from "./bindings/IpcError";
import type { MenuAction } from "./bindings/MenuAction";
import type { RecoveryOffer } from "./bindings/RecoveryOffer";
import type { RestoreResult } from "./bindings/RestoreResult";
import type { SaveAllResult } from "./bindings/SaveAllResult";
import type { SessionRow } from "./bindings/SessionRow";
import type { SessionView } from "./bindings/SessionView";
import type { SiteStatus } from "./bindings/SiteStatus";
import type { SiteSummary } from "./bindings/SiteSummary";
import type { SpeakerDto } from "./bindings/SpeakerDto";
// desktop app performance
import type { BodyChange } from "./bindings/BodyChange";
import type { BodyEdited } from "./bindings/BodyEdited";
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
  reloadSite: () => call<SiteSummary>("reload_site"),
  listSessions: () => call<SessionRow[]>("list_sessions"),
  loadSession: (id: string) => call<SessionView>("load_session", { id }),
  /** `value: null` removes the field. */
  setField: (id: string, key: string, value: string | null) =>
    call<Edited>("set_field", { id, key, value }),
  setBody: (id: string, body: string) => call<Edited>("set_body", { id, body }),
  setSpeakers: (id: string, speakers: SpeakerDto[]) => call<Edited>("set_speakers", { id, speakers }),
  undo: (id: string) => call<Edited>("undo", { id }),
  redo: (id: string) => call<Edited>("redo", { id }),
  saveSession: (id: string) => call<Edited>("save_session", { id }),
  saveAll: () => call<SaveAllResult>("save_all"),
  checkSite: () => call<DiagnosticDto[]>("check_site"),
  resolveConflict: (id: string, keepMine: boolean) => call<Edited>("resolve_conflict", { id, keepMine }),
  diskState: (id: string) => call<DiskChange | null>("disk_state", { id }),
  recoveryOffer: () => call<RecoveryOffer | null>("recovery_offer"),
  /** `restore: false` discards the drafts. */
  answerRecovery: (restore: boolean) => call<RestoreResult | null>("answer_recovery", { restore }),
  // desktop app performance
  /** Body editor changes (in order); `length` is the editor's length after them. */
  editBody: (id: string, edits: BodyChange[][], length: number) => call<BodyEdited>("edit_body", { id, edits, length }),
  /** Check the site off the main thread: findings (unless they are version `known`) and the rows whose counts changed. */
  recheckSite: (known: number | null) => call<SiteChecked>("recheck_site", { known }),
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
};

export type {
  AppInfo,
  DiagnosticDto,
  DiskChange,
  Edited,
  MenuAction,
  SaveAllResult,
  SessionRow,
  SessionView,
  SiteStatus,
  SiteSummary,
  SpeakerDto,
};
export type { FormField } from "./bindings/FormField";
export type { TrackDto } from "./bindings/TrackDto";
export type { TwinDto } from "./bindings/TwinDto";
// desktop app performance
export type { BodyChange, BodyEdited, SiteChecked };
