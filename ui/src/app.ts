// The window: wires the panes to the shell's commands and events. Holds
// only view state (which session is shown, which panes are visible); every
// decision about session data is made by the core.
import {
  api,
  AppError,
  events,
  toAppError,
  type Diagnostic,
  type DiskChange,
  type Edited,
  type LeaveRequest,
  type MenuAction,
  type SessionSummary,
  type SessionView,
  type SiteSummary,
  type Speaker,
  type BodyEdited,
  type FixedDto,
  type SearchHit,
} from "./ipc/api";
import { BodyEditor, type EditHistory } from "./ui/bodyEditor";
import { BodySync } from "./ui/bodySync";
import { Coalescer } from "./ui/coalesce";
import { debounce, h } from "./ui/dom";
import { FieldForm } from "./ui/fieldForm";
import { savedMessage } from "./ui/saving";
import { KeyGate } from "./ui/keyGate";
import { Preview } from "./ui/preview";
import { ConflictDialog } from "./ui/conflictDialog";
import { ProblemsPanel } from "./ui/problems";
// Problems pane fixes and site-wide search (issue 15)
import { SiteSearch } from "./ui/siteSearch";
import { opensSearch } from "./ui/siteSearchModel";
import { RecoveryDialog } from "./ui/recoveryDialog";
import { SessionList } from "./ui/sessionList";
import { SpeakersEditor } from "./ui/speakersEditor";
// Photos (issue 4).
import { PhotosController } from "./ui/photos";
// Changes view and export (issue 6).
import type { ChangedFileDto, ChangesDto } from "./ipc/api";
import { ChangesView } from "./ui/changesView";
import { ExportDialog } from "./ui/exportDialog";
// Recent sites, unsaved-edits prompt, new sessions, shortcuts (issue 3).
import { LeaveDialog } from "./ui/leaveDialog";
import { NewSessionDialog, type NewSessionRequest } from "./ui/newSessionDialog";
import { RecentList } from "./ui/recentList";
import { ShortcutsDialog } from "./ui/shortcuts";
// Schedule grid + twins side by side (issue 5)
import { ScheduleView } from "./ui/scheduleView";
import { TwinsView } from "./ui/twinsView";
// Batch operations (plans, bulk edits, imports)
import { BatchTools } from "./ui/batch";
import type { BatchDone } from "./ipc/api";
// hardening
import { SiteFolderBanner } from "./ui/siteFolderBanner";
// Layout (issue 15): one main view at a time.
import { MainViews, type MainView } from "./ui/mainView";
// Languages of the interface (issue 15).
import { LOCALES, locale, msg, onLocale, setLocale, t, tn, type Locale, type Msg } from "./i18n";

export class App {
  private site: SiteSummary | null = null;
  private current: SessionView | null = null;
  private diagnostics: Diagnostic[] = [];
  /** Which findings `diagnostics` are (the core does not resend them). */
  private diagnosticsVersion: number | null = null;

  private readonly root: HTMLElement;
  private readonly siteName = h("span", { class: "site-name" });
  private readonly status = h("div", { class: "status", role: "status", "aria-live": "polite" });
  /** Which main view shows: the editor, Changes, the schedule or the twins (exactly one). */
  private readonly views = new MainViews((now, before) => this.viewChanged(now, before));
  private readonly sessionList = new SessionList((id) => void this.openSession(id));
  /** Live form: keystrokes go to the core as they happen (see fieldForm.ts). */
  private readonly form = new FieldForm(
    (e) =>
      // A field edit never changes the body: keep the editor's text (typing
      // may have gone on there while the answer was on its way).
      this.edit(() => (e.typing && e.value !== null ? api.typeField(e.id, e.key, e.value) : api.setField(e.id, e.key, e.value)), {
        echo: true,
        keepBody: true,
      }),
    "field-",
    this.fileHistory(),
  );
  /** One undo history per file, the core's: Ctrl+Z in the body, in a field and Edit › Undo all use it. */
  private readonly body = new BodyEditor((e) => {
    const id = this.current?.id;
    if (id) this.bodySync.edited(id, e.changes, e.length, e.text);
  }, this.fileHistory());
  private readonly speakers = new SpeakersEditor(
    (list) => {
      // Tracked, so Save and leaving wait for it.
      const p = this.setSpeakers(list);
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    },
    (index, name) => this.photos.openReplace(index, name),
  );
  // Photos (issue 4): Fetch all photos, photo details, Replace photo.
  private readonly photos = new PhotosController(this.speakers, {
    current: () => this.current,
    reload: async () => {
      if (this.current) this.show(await api.loadSession(this.current.id), { keepBody: true });
    },
    edited: (e) => {
      this.show(e.view, { keepBody: false });
      this.sessionList.updateRows(e.rows);
      this.recheck.call();
    },
    openSession: (id) => void this.openSession(id),
    info: (m) => this.info(m),
    error: (e) => this.error(e),
  });
  private readonly preview = new Preview();
  private readonly problems = new ProblemsPanel({
    open: (d) => void this.reveal(d),
    fix: (d) => void this.applyFix(() => api.fixFinding(d)),
    fixRule: (code) => void this.applyFix(() => api.fixRule(code)),
    resized: (px) => this.root.style.setProperty("--problems-height", `${px}px`),
  });
  // Site-wide search (issue 15): Ctrl+F outside the body editor.
  private readonly siteSearch = new SiteSearch({
    search: (q) => api.searchSite(q),
    open: (hit) => void this.openHit(hit),
    error: (e) => this.error(toAppError(e)),
  });
  private readonly recovery = new RecoveryDialog();
  private readonly conflict = new ConflictDialog((id, choice) => void this.resolve(id, choice === "keep_mine"));
  private readonly editorPane: HTMLElement;
  private readonly sessionHeading = h("h1", { class: "session-heading" });
  private readonly langTabs = h("div", { class: "lang-tabs", role: "tablist", "aria-label": msg("app.languages") });
  private readonly welcome: HTMLElement;
  // Changes view and export (issue 6).
  private lastChanges: ChangesDto | null = null;
  private exportSelection: string[] = [];
  private readonly changes = new ChangesView({
    revert: (file, hunk) => void this.revertChange(file, hunk),
    saveAll: () => void this.menu("save_all"),
    export: (selected) => void this.openExport(selected),
    open: (id) => void this.openSession(id),
    refresh: () => void this.refreshChanges(),
    close: () => void this.toggleChanges(false),
  });
  private readonly exporter = new ExportDialog({
    branch: (r) =>
      api.exportBranch({
        selected: this.exportSelection,
        name: r.name,
        message: r.message,
        push: r.push,
        switch: r.switchTo,
        override_errors: r.override,
        identity: r.identity,
        save_identity: r.save,
      }),
    file: (kind, path, message, override, who) => {
      const request = {
        selected: this.exportSelection,
        path,
        message: kind === "patch" ? message : null,
        override_errors: override,
        identity: who.identity,
        save_identity: who.save,
      };
      return kind === "patch" ? api.exportPatch(request) : api.exportZip(request);
    },
    choose: (kind, name, dir) => api.chooseExportFile(kind, name, dir),
    done: () => void this.refreshChanges(),
  });
  // Issue 3: dialogs, recent sites, the title's unsaved mark, edits in flight.
  private readonly leaveDialog = new LeaveDialog();
  private readonly newSession = new NewSessionDialog((req) => this.createSession(req));
  private readonly shortcuts = new ShortcutsDialog();
  private readonly recent = new RecentList(
    (root) => void this.openRecent(root),
    (root) => void this.forgetRecent(root),
  );
  private readonly inflight = new Set<Promise<void>>();
  private unsavedMark: boolean | null = null;
  // Schedule grid + twins side by side (issue 5)
  private readonly scheduleView = new ScheduleView({
    edited: (rows, ids) => this.viewEdited(rows, ids),
    open: (id) => void this.leaveViews(id),
    close: () => void this.leaveViews(null),
    info: (m) => this.info(m),
    error: (e) => this.error(e),
  });
  private readonly twinsView = new TwinsView({
    edited: (rows) => this.viewEdited(rows, []),
    open: (id) => void this.leaveViews(id),
    close: () => void this.leaveViews(null),
    site: () => this.site,
    info: (m) => this.info(m),
    error: (e) => this.error(e),
  });
  // Batch operations (plans, bulk edits, imports)
  private readonly batch = new BatchTools({
    site: () => this.site,
    checked: () => this.sessionList.checkedStems(),
    shown: () => this.sessionList.shownStems(),
    checkAllShown: (on) => this.sessionList.checkAllShown(on),
    open: () => (this.current ? { stem: this.current.stem, track: this.current.fields.track } : null),
    flush: () => this.flushEdits(),
    saveAll: () => this.saveAll(),
    changed: (done) => this.batchChanged(done),
    info: (m) => this.info(m),
    error: (e) => this.error(e),
  });
  // hardening: shown while the site's folder is gone
  private readonly folderBanner = new SiteFolderBanner();

  /** Keystrokes go to the core at once, as changes; the answer is the new preview. */
  private readonly bodySync = new BodySync<BodyEdited, Edited>({
    sendChanges: (id, edits, length) => api.editBody(id, edits, length),
    sendWhole: (id, text) => api.setBody(id, text),
    isOutOfSync: (e) => toAppError(e).kind === "invalid",
    applied: (id, r) => this.bodyApplied(id, r),
    resynced: (id, r) => {
      if (this.current?.id === id) this.show(r.view, { keepBody: true });
      this.sessionList.updateRows(r.rows);
      this.recheck.call();
    },
    failed: (e) => this.error(toAppError(e)),
  });
  private readonly recheck = debounce(() => void this.refreshProblems(), 500);
  /** Keys typed just before a shortcut reach the page before it acts (see keyGate.ts). */
  private readonly keys = new KeyGate();

  constructor(mount: HTMLElement) {
    const button = (text: Msg, title: Msg, f: () => void, cls = "") => {
      const b = h("button", { type: "button", title, class: cls || null }, text);
      b.addEventListener("click", f);
      return b;
    };
    const toolbar = h(
      "header",
      { class: "toolbar" },
      h("span", { class: "brand" }, "Lectern"),
      this.siteName,
      h("span", { class: "spacer" }),
      button(msg("app.openSite"), msg("app.openSite.title"), () => void this.chooseSite()),
      button(msg("app.newSession"), msg("app.newSession.title"), () => void this.menu("new_session")),
      button(msg("app.save"), msg("app.save.title"), () => void this.menu("save")),
      button(msg("app.saveAll"), msg("app.saveAll.title"), () => void this.menu("save_all")),
      // Photos (issue 4).
      button(msg("app.fetchPhotos"), msg("app.fetchPhotos.title"), () => void this.photos.fetchAll(), "fetch-photos"),
      // Changes view and export (issue 6).
      button(msg("app.changes"), msg("app.changes.title"), () => void this.menu("toggle_changes"), "show-changes"),
      // Schedule grid + twins side by side (issue 5)
      button(msg("app.schedule"), msg("app.schedule.title"), () => void this.menu("toggle_schedule")),
      button(msg("app.sideBySide"), msg("app.sideBySide.title"), () => void this.menu("toggle_twins")),
      this.batch.toolbar,
    );
    this.editorPane = h(
      "main",
      { class: "editor", "aria-label": msg("app.sessionEditor") },
      h("div", { class: "editor-head" }, this.sessionHeading, this.langTabs),
      this.form.element,
      h("div", { class: "section-head" }, h("h2", {}, msg("app.body"))),
      this.body.element,
      this.speakers.element,
    );
    const open = button(msg("app.openSite"), msg("app.chooseSite.title"), () => void this.chooseSite());
    open.classList.add("primary");
    this.welcome = h(
      "div",
      { class: "welcome" },
      h("h1", {}, msg("app.noSiteOpen")),
      h("p", {}, msg("app.welcome")),
      open,
      this.recent.element,
    );
    this.root = h(
      "div",
      { class: "layout no-site", "data-view": "editor" },
      toolbar,
      this.sessionList.element,
      this.editorPane,
      this.preview.element,
      this.problems.element,
      this.siteSearch.element,
      this.welcome,
      this.conflict.element,
      this.recovery.element,
      // Photos (issue 4).
      this.photos.fetchPanel.element,
      this.photos.replaceDialog.element,
      this.changes.element,
      this.exporter.element,
      this.leaveDialog.element,
      this.newSession.element,
      this.shortcuts.element,
      this.scheduleView.element,
      this.twinsView.element,
      this.batch.dialogs,
      this.folderBanner.element,
      h("footer", { class: "statusbar" }, this.status, this.languagePicker()),
    );
    onLocale((l) => this.localeChanged(l));
    this.sessionList.element.append(this.batch.listBar);
    this.sessionList.watchChecked((stems, hidden) => this.batch.checkedChanged(stems, hidden));
    mount.append(this.root);
    document.addEventListener("keydown", (e) => this.keys.pressed(e), { capture: true });
    this.root.style.setProperty("--problems-height", `${this.problems.currentHeight}px`);
    document.addEventListener("keydown", (e) => {
      const t = e.target instanceof Element ? e.target : null;
      const dialogOpen = !!document.querySelector("dialog[open]");
      if (!this.site || !opensSearch(e, !!t?.closest(".cm-editor"), dialogOpen)) return;
      e.preventDefault();
      this.siteSearch.open();
    });
    this.sessionList.onRowsChanged = () => void this.syncUnsavedMark();
  }

  async start(): Promise<void> {
    await Promise.all([
      events.onMenu((a) => void this.menu(a)),
      events.onSiteOpened((s) => void this.showSite(s)),
      events.onAppError((e) => this.error(e)),
      events.onDiskChanged((c) => this.diskChanged(c)),
      // Photos (issue 4).
      this.photos.listen(),
      events.onLeaveRequested((r) => void this.leaveRequested(r)),
      // hardening
      events.onSiteFolder((f) => {
        this.folderBanner.show(f);
        if (f.present) this.info(f.message);
      }),
    ]);
    // The native menu follows the interface's language (the saved choice may differ from LANG).
    void api.setMenuLocale(locale()).catch((e: unknown) => this.error(toAppError(e)));
    const status = await api.siteStatus();
    if (status.error) this.error(toAppError(status.error));
    if (status.site) await this.showSite(status.site);
    else await this.refreshRecent();
  }

  private id(): string {
    if (!this.current) throw new AppError("invalid", t("app.noSessionOpen"));
    return this.current.id;
  }

  private async chooseSite(): Promise<void> {
    try {
      await api.chooseSite(); // success arrives as a site-opened event
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async showSite(site: SiteSummary): Promise<void> {
    this.site = site;
    this.views.set("editor");
    this.scheduleView.reset();
    // "No site is open…" no longer holds.
    if (this.status.classList.contains("kind-no_site")) this.clearStatus();
    this.current = null;
    this.sessionList.setSite(site);
    this.unsavedMark = null; // the shell retitled the window for the new site
    this.siteName.textContent = site.name;
    this.siteName.title = site.root;
    this.root.classList.remove("no-site");
    this.root.classList.add("no-session");
    const rows = await api.listSessions();
    this.sessionList.setRows(rows);
    this.root.dataset["sessions"] = String(rows.length);
    // Let the list paint before anything else competes for the CPU: the
    // check of a large site takes longer, and runs off the main thread
    // while the first session opens.
    await new Promise<void>((painted) => afterPaint(painted));
    performance.mark("lectern:list-painted"); // read by the perf e2e test
    const problems = this.refreshProblems();
    const first = rows[0];
    if (first) await this.openSession(first.id);
    await this.batch.refreshUndo();
    afterPaint(() => performance.mark("lectern:interactive"));
    await problems;
    await this.offerRecovery();
  }

  /** The last run left unsaved edits for this site: ask whether to restore them. */
  private async offerRecovery(): Promise<void> {
    try {
      const offer = await api.recoveryOffer();
      if (!offer) return;
      const restore = await this.recovery.ask(offer.ids, new Date(Number(offer.saved_at) * 1000));
      if (restore === null) return;
      const result = await api.answerRecovery(restore);
      if (!result) return;
      this.sessionList.setRows(await api.listSessions());
      if (this.current) this.show(await api.loadSession(this.current.id), { freshBody: true });
      this.recheck.call();
      const notes = [t("app.restored", { n: result.restored.length })];
      if (result.conflicts.length > 0) notes.push(t("app.restoreConflicts", { ids: result.conflicts.join(", ") }));
      if (result.missing.length > 0) notes.push(t("app.restoreMissing", { ids: result.missing.join(", ") }));
      if (result.conflicts.length + result.missing.length > 0) this.error(new AppError("conflict", notes.join(" ")));
      else this.info(notes.join(" "));
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async openSession(id: string): Promise<void> {
    await this.flushEdits();
    this.views.set("editor");
    try {
      const view = await api.loadSession(id);
      this.current = view;
      this.root.classList.remove("no-session");
      this.sessionList.select(view.stem);
      this.show(view, { freshBody: true });
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /** `echo`: the answer to the form's own edit (the focused field keeps what is typed). */
  private show(view: SessionView, opts: { freshBody?: boolean; keepBody?: boolean; echo?: boolean } = {}): void {
    if (!this.site) return;
    this.current = view;
    this.sessionHeading.textContent = view.fields.title || view.id;
    this.sessionHeading.title = view.id;
    this.langTabs.replaceChildren(
      ...view.twins.map((t) => {
        const tab = h(
          "button",
          { type: "button", role: "tab", "aria-selected": t.id === view.id ? "true" : "false", title: t.id, "data-lang": t.lang },
          t.lang.toUpperCase(),
        );
        tab.addEventListener("click", () => void this.openSession(t.id));
        return tab;
      }),
    );
    this.root.classList.toggle("modified", view.modified);
    this.form.show(view, this.site, !opts.echo);
    this.form.setDiagnostics(this.diagnostics.filter((d) => d.file === view.id));
    if (opts.freshBody) this.body.load(view.body);
    else if (!opts.keepBody) this.body.replace(view.body);
    this.markBody();
    this.speakers.show(view.speakers);
    this.photos.viewShown(view); // photos (issue 4)
    this.preview.show({ document: view.preview_html });
  }

  /** A body edit reached the core: show its preview, speakers and row. */
  private bodyApplied(id: string, r: BodyEdited): void {
    const view = this.current;
    if (view?.id === id) {
      // The preview first: it is what the person waits for.
      this.preview.show({ document: r.preview_html });
      const speakersChanged = JSON.stringify(view.speakers) !== JSON.stringify(r.speakers);
      this.current = { ...view, modified: r.modified, speakers: r.speakers, preview_html: r.preview_html };
      this.root.classList.toggle("modified", r.modified);
      if (speakersChanged) this.speakers.show(r.speakers);
    }
    // Typing rarely changes the row (only its modified mark): skip redrawing the list then.
    const same = (row: SessionSummary) => JSON.stringify(this.sessionList.rowOf(row.stem)) === JSON.stringify(row);
    if (!r.rows.every(same)) this.sessionList.updateRows(r.rows);
    this.recheck.call();
  }

  /** Put the open file's body-line problems in the editor's gutter. */
  private markBody(): void {
    const view = this.current;
    if (!view) return;
    this.body.setProblems(
      this.diagnostics
        .filter((d) => d.file === view.id && d.line >= view.body_line && !d.field)
        .map((d) => ({ line: d.line - view.body_line + 1, severity: d.severity, message: d.message })),
    );
  }

  /** Run an edit command and show its result. */
  private edit(f: () => Promise<Edited>, opts: { keepBody?: boolean; echo?: boolean } = {}): Promise<void> {
    // Tracked so leaving (close, switch) can wait for edits still on their way.
    const p = this.runEdit(f, opts);
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  private async runEdit(f: () => Promise<Edited>, opts: { keepBody?: boolean; echo?: boolean }): Promise<void> {
    try {
      // Typing still on its way must reach the core first: the answer's
      // body replaces the editor's text. (Not the form's: its edits come
      // through here, one at a time.)
      await this.bodySync.flush();
      const result = await f();
      // A form edit of a session no longer shown (the person moved on) only updates its row.
      if (!opts.echo || result.view.id === this.current?.id) this.show(result.view, opts);
      this.sessionList.updateRows(result.rows);
      this.recheck.call();
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async setSpeakers(list: Speaker[]): Promise<void> {
    await this.flushEdits();
    await this.edit(() => api.setSpeakers(this.id(), list));
  }

  /** Re-run the checks (off the main thread) and refresh the list's problem counts. */
  private async refreshProblems(): Promise<void> {
    try {
      const checked = await api.recheckSite(this.diagnosticsVersion);
      this.sessionList.updateRows(checked.rows);
      if (checked.diagnostics === null) return; // the same findings as shown
      this.diagnostics = checked.diagnostics;
      this.diagnosticsVersion = checked.version;
    } catch (e) {
      this.error(toAppError(e));
      return;
    }
    this.problems.show(this.diagnostics);
    if (this.views.is("twins")) this.twinsView.setDiagnostics(this.diagnostics);
    if (this.current) {
      const id = this.current.id;
      this.form.setDiagnostics(this.diagnostics.filter((d) => d.file === id));
      this.markBody();
    }
  }

  private async reveal(d: Diagnostic): Promise<void> {
    if (this.current?.id !== d.file) await this.openSession(d.file);
    const view = this.current;
    if (!view || view.id !== d.file) return;
    if (d.field && this.form.focusField(d.field)) return;
    if (d.line >= view.body_line) this.body.goToLine(d.line - view.body_line + 1);
  }

  /** Apply one-click fixes (edits in memory, like any other) and show what changed. */
  private async applyFix(f: () => Promise<FixedDto>): Promise<void> {
    try {
      await this.flushEdits();
      const r = await f();
      this.sessionList.updateRows(r.rows);
      const current = this.current?.id;
      if (current && r.changed.includes(current)) this.show(await api.loadSession(current), {});
      const files = r.changed.length;
      this.info(
        r.applied === 0
          ? t("app.nothingToFix")
          : t("app.fixed", { findings: tn("app.findings", r.applied), files: tn("app.files", files) }),
      );
      await this.refreshProblems();
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /** Open a search match: its session, at the match. */
  private async openHit(hit: SearchHit): Promise<void> {
    if (this.current?.id !== hit.id) await this.openSession(hit.id);
    if (this.current?.id !== hit.id) return;
    if (hit.field === "body" && hit.body_offset !== null) this.body.goToOffset(hit.body_offset, hit.matched.length);
    else this.form.focusField(hit.field === "title" ? "title" : "presenters");
  }

  private async menu(action: MenuAction): Promise<void> {
    try {
      // Save, Save All and Reload act on what is typed: let the last keys arrive.
      if (action === "save" || action === "save_all" || action === "reload_site") await this.keys.settled();
      switch (action) {
        case "save": {
          await this.settleEdits();
          const id = this.current?.id;
          if (!id) return;
          await this.twinsView.flush();
          await this.save(id);
          if (this.views.is("twins")) await this.twinsView.refresh();
          break;
        }
        case "save_all":
          await this.saveAll();
          break;
        case "undo":
        case "redo": {
          // The body editor and text fields have their own undo; elsewhere
          // the menu undoes the last edit of the file in the core.
          const focused = document.activeElement;
          const typing = focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement;
          const inEditor = this.form.element.contains(focused) || this.body.hasFocus();
          if (this.views.is("schedule") && !typing) {
            // In the grid, Undo takes back the last move (in every twin).
            if (action === "undo") await this.scheduleView.undo();
            else await this.scheduleView.redo();
          } else if (typing && !inEditor) {
            // Fields that commit later (a speaker's text, dialogs, the twins view) undo their own typing.
            document.execCommand(action);
          } else {
            // The form, the body and everywhere else: the file's history in the core.
            await this.undoRedo(action);
          }
          break;
        }
        case "toggle_preview":
          this.root.classList.toggle("hide-preview");
          break;
        case "toggle_problems":
          this.root.classList.toggle("hide-problems");
          break;
        case "toggle_changes":
          await this.toggleChanges();
          break;
        // Photos (issue 4).
        case "fetch_photos":
          await this.photos.fetchAll();
          break;
        case "reload_site":
          // The reloaded site arrives as a site-opened event (after the
          // unsaved-edits prompt, when there are unsaved edits).
          await this.settleEdits();
          await api.reloadSite();
          break;
        // Issue 3: new session, navigation, help.
        case "new_session":
          if (this.site) this.newSession.open(this.site, this.current?.fields.track ?? null);
          else this.noSite();
          break;
        case "find_session":
          this.sessionList.focusSearch();
          break;
        case "next_session":
        case "previous_session": {
          const id = this.sessionList.neighbour(action === "next_session" ? 1 : -1);
          if (id && id !== this.current?.id) await this.openSession(id);
          break;
        }
        // Schedule grid + twins side by side (issue 5)
        case "toggle_schedule":
          if (this.views.is("schedule")) await this.leaveViews(null);
          else await this.showSchedule();
          break;
        case "toggle_twins":
          if (this.views.is("twins")) await this.leaveViews(null);
          else await this.showTwins();
          break;
        case "next_language": {
          const view = this.current;
          if (!view || view.twins.length < 2) break;
          const i = view.twins.findIndex((t) => t.id === view.id);
          const next = view.twins[(i + 1) % view.twins.length];
          if (next) await this.openSession(next.id);
          break;
        }
        case "keyboard_shortcuts":
          this.shortcuts.show();
          break;
        // Batch operations (plans, bulk edits, imports)
        case "set_field":
        case "table_view":
        case "find_replace":
        case "rename_track":
        case "withdraw":
        case "apply_schedule":
        case "import_sessionize":
        case "undo_batch":
        case "restore_journal":
          await this.batch.run(action);
          break;
      }
      // A save changes what is pending (Changes view and export, issue 6).
      if (action === "save" || action === "save_all") await this.refreshChanges();
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /** A session file changed outside the app (the shell's watcher). */
  /** A file changed on disk: a conflict asks at once; the rest is handled in batches. */
  private diskChanged(c: DiskChange): void {
    if (c.kind === "conflict") {
      this.conflict.show(c.id, c.mine ?? "", c.disk ?? "");
      return;
    }
    this.diskChanges.push(c);
  }

  /** Changes on disk (reloads, new and removed files) since the last batch:
   * one list refresh, one reload of the open session, one message. */
  private readonly diskChanges = new Coalescer<DiskChange>(async (batch) => {
    try {
      this.sessionList.setRows(await api.listSessions());
      if (this.views.is("schedule")) void this.scheduleView.refresh();
      const ids = new Set(batch.map((c) => c.id));
      if (this.views.is("twins") && this.twinsView.ids().some((id) => ids.has(id))) void this.twinsView.refresh(true);
      const current = this.current;
      const mine = batch.filter((c) => c.kind === "reloaded" && current?.twins.some((t) => t.id === c.id));
      if (current && mine.length > 0) {
        await this.flushEdits();
        this.show(await api.loadSession(current.id), { freshBody: mine.some((c) => c.id === current.id) });
      }
      const others = batch.length - mine.length;
      if (mine.length > 0) {
        const names = mine.map((c) => c.id).join(", ");
        this.info(others > 0 ? t("app.reloadedMany", { names, others }) : t("app.reloadedOne", { names }));
      } else if (batch.length > 1) {
        this.info(t("app.filesChanged", { n: batch.length }));
      }
      const lost = batch.filter((c) => c.kind === "removed" && c.kept_edits).map((c) => c.id);
      if (lost.length > 0) {
        this.error(new AppError("not_found", tn("app.deletedOnDisk", lost.length, { ids: lost.join(", ") })));
      }
      this.recheck.call();
      void this.refreshChanges(); // issue 6: the Changes view follows the disk
    } catch (e) {
      this.error(toAppError(e));
    }
  });

  private async resolve(id: string, keepMine: boolean): Promise<void> {
    try {
      const result = await api.resolveConflict(id, keepMine);
      this.sessionList.updateRows(result.rows);
      if (this.current?.id === id) this.show(result.view, { freshBody: !keepMine });
      this.info(keepMine ? t("app.keptMine", { id }) : t("app.tookDisk", { id }));
      this.recheck.call();
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /**
   * Save the open session: its file and each twin with unsaved edits (a
   * room chosen in English is translated into the Chinese twin: saving the
   * English file alone would leave half the edit unsaved). A conflict with
   * the disk opens the conflict dialog.
   */
  private async save(id: string): Promise<void> {
    let failed: string | null = null;
    try {
      const result = await api.saveSession(id);
      this.show(result.view, { keepBody: true });
      this.sessionList.updateRows(result.rows);
      this.recheck.call();
      const first = result.failed[0];
      if (first) {
        failed = first.id;
        if (first.error.kind !== "conflict") {
          const saved = savedMessage(id, result.saved, (f) => result.view.twins.find((t) => t.id === f)?.lang ?? f);
          this.error(new AppError(first.error.kind, t("app.notSavedOne", { saved, id: first.id, message: first.error.message })));
          return;
        }
      } else {
        this.info(savedMessage(id, result.saved, (f) => result.view.twins.find((t) => t.id === f)?.lang ?? f));
        return;
      }
    } catch (e) {
      const err = toAppError(e);
      if (err.kind !== "conflict") throw err;
      failed = id;
    }
    const which = failed ?? id;
    const state = await api.diskState(which);
    if (state?.kind === "conflict") this.conflict.show(which, state.mine ?? "", state.disk ?? "");
    else this.error(new AppError("conflict", t("app.changedNotSaved", { id: which })));
  }

  // Changes view and export (issue 6).

  private async toggleChanges(show = !this.views.is("changes")): Promise<void> {
    if (show && !this.site) {
      this.noSite();
      return;
    }
    if (show) {
      await this.flushEdits();
      await this.twinsView.flush();
      this.views.set("changes");
      await this.refreshChanges();
    } else if (this.views.is("changes")) {
      this.views.set("editor");
    }
  }

  private async refreshChanges(): Promise<void> {
    if (!this.views.is("changes")) return;
    await this.flushEdits();
    try {
      this.lastChanges = await api.listChanges();
      this.changes.show(this.lastChanges);
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /** Save every modified file; true when all were written. */
  private async saveAll(): Promise<boolean> {
    await this.settleEdits();
    await this.twinsView.flush();
    const result = await api.saveAll();
    this.sessionList.setRows(await api.listSessions());
    if (this.current) this.show(await api.loadSession(this.current.id), { keepBody: true });
    if (this.views.is("schedule")) await this.scheduleView.refresh();
    if (this.views.is("twins")) await this.twinsView.refresh();
    if (result.failed.length > 0) {
      const first = result.failed[0];
      this.error(new AppError(first?.error.kind ?? "internal", t("app.notSavedMany", { n: result.failed.length, message: first?.error.message ?? "" })));
      return false;
    }
    this.info(t("app.savedFiles", { n: result.saved.length }));
    return true;
  }

  /** Send what is typed in the form and the body editor and wait for every edit on its way. */
  private async settleEdits(): Promise<void> {
    this.speakers.commitTyping();
    await this.flushEdits();
    await Promise.all([...this.inflight]);
  }

  /** Undo (or redo) the open file's last edit in the core: the form, the body, the speakers alike. */
  private async undoRedo(action: "undo" | "redo"): Promise<void> {
    const id = this.current?.id;
    if (!id) return;
    await this.settleEdits();
    await this.edit(() => (action === "undo" ? api.undo(id) : api.redo(id)));
  }

  private fileHistory(): EditHistory {
    return { undo: () => void this.undoRedo("undo"), redo: () => void this.undoRedo("redo") };
  }

  /** Send what is typed in the form and in the body editor; resolves once the core has it. */
  private async flushEdits(): Promise<void> {
    await this.form.flush();
    await this.bodySync.flush();
  }

  /** The title's unsaved mark follows the list rows' flags (computed by the core). */
  private async syncUnsavedMark(): Promise<void> {
    const unsaved = this.sessionList.anyModified();
    if (unsaved === this.unsavedMark) return;
    this.unsavedMark = unsaved;
    try {
      document.title = await api.setUnsavedMark(unsaved);
      this.root.classList.toggle("unsaved", unsaved);
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async revertChange(file: ChangedFileDto, hunk: number | null): Promise<void> {
    try {
      const done = await api.revertChange(file.path, hunk, file.fingerprint);
      const rows = await api.listSessions();
      this.sessionList.setRows(rows);
      const cur = this.current;
      if (cur && done.sessions.some((id) => cur.twins.some((t) => t.id === id))) {
        const still = rows.some((r) => r.twins.some((t) => t.id === cur.id));
        if (still) this.show(await api.loadSession(cur.id), { freshBody: true });
        else {
          this.current = null;
          this.root.classList.add("no-session");
        }
      }
      this.recheck.call();
      this.info(hunk === null ? t("app.reverted", { path: file.path }) : t("app.revertedHunk", { n: hunk + 1, path: file.path }));
    } catch (e) {
      this.error(toAppError(e));
    }
    await this.refreshChanges();
  }

  private async openExport(selected: string[]): Promise<void> {
    await this.flushEdits();
    try {
      const prep = await api.prepareExport(selected);
      this.exportSelection = selected;
      if (this.lastChanges) this.exporter.open(prep, this.lastChanges, selected);
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /**
   * The shell is about to close the window, open another site or reload:
   * send pending edits, then let the shell check; with unsaved edits, ask.
   */
  private async leaveRequested(req: LeaveRequest): Promise<void> {
    try {
      await this.keys.settled();
      await this.settleEdits();
      let outcome = await api.leave("check");
      if (this.leaveDialog.isOpen) {
        // Asked again while the prompt is up: refresh its text; the open
        // prompt's answer settles the (new) pending request.
        if (outcome.kind === "unsaved") void this.leaveDialog.ask(outcome.action, outcome.ids, req.target);
        return;
      }
      while (outcome.kind === "unsaved") {
        const choice = await this.leaveDialog.ask(outcome.action, outcome.ids, req.target);
        if (choice === "cancel") {
          await api.leave("cancel");
          this.info(t("app.nothingClosed"));
          return;
        }
        if (choice === "discard") {
          outcome = await api.leave("discard");
          break;
        }
        if (!(await this.saveAll())) {
          // Something could not be written (conflict, disk): stay, keep everything.
          await api.leave("cancel");
          return;
        }
        outcome = await api.leave("check");
      }
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async createSession(req: NewSessionRequest): Promise<string | null> {
    try {
      const made = await api.newSession(req.track, req.id, req.languages);
      this.sessionList.setRows(await api.listSessions());
      const first = made.ids[0];
      if (first) await this.openSession(first);
      this.recheck.call();
      if (made.warnings.length > 0) this.error(new AppError("content", made.warnings.join(" ")));
      else this.info(t("app.created", { ids: made.ids.join(", ") }));
      return null;
    } catch (e) {
      return toAppError(e).message;
    }
  }

  private async refreshRecent(): Promise<void> {
    try {
      this.recent.show(await api.recentSites());
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async openRecent(root: string): Promise<void> {
    try {
      await api.openRecent(root); // success arrives as a site-opened event
    } catch (e) {
      this.error(toAppError(e));
      await this.refreshRecent();
    }
  }

  private async forgetRecent(root: string): Promise<void> {
    try {
      this.recent.show(await api.forgetRecent(root));
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  // Schedule grid + twins side by side (issue 5)

  /** Show the schedule grid in place of the editor and preview. */
  private async showSchedule(): Promise<void> {
    if (!this.site) {
      this.noSite();
      return;
    }
    await this.flushEdits();
    this.views.set("schedule");
    await this.scheduleView.show();
  }

  /** Show the open session's twins side by side in place of the editor and preview. */
  private async showTwins(): Promise<void> {
    const id = this.current?.id;
    if (!this.site) {
      this.noSite();
      return;
    }
    if (!id) {
      this.error(new AppError("invalid", t("app.noSessionForTwins")));
      return;
    }
    await this.flushEdits();
    this.views.set("twins");
    await this.twinsView.show(id);
  }

  /** The main view changed: draw it (the CSS shows the view `data-view` names) and hide the one it replaced. */
  private viewChanged(now: MainView, before: MainView): void {
    this.root.dataset["view"] = now;
    if (before === "schedule") this.scheduleView.hide();
    if (before === "twins") this.twinsView.hide();
  }

  /** Back to the editor, on `id` or on the session it showed (reloaded: the views edit it too). */
  private async leaveViews(id: string | null): Promise<void> {
    this.views.set("editor");
    const target = id || this.current?.id;
    if (target) await this.openSession(target);
  }

  /** A view changed files: update their list rows, and re-check. */
  private viewEdited(rows: SessionSummary[], _ids: string[]): void {
    this.sessionList.updateRows(rows);
    this.recheck.call();
  }

  // ---- batch operations (plans, bulk edits, imports) ----

  /** A batch was applied or undone: the files on disk changed, and the core reloaded them. */
  private async batchChanged(done: BatchDone): Promise<void> {
    this.site = done.site;
    const rows = await api.listSessions();
    this.sessionList.setRows(rows);
    this.root.dataset["sessions"] = String(rows.length);
    const current = this.current;
    if (current) {
      // The open file may have moved (renamed track) or gone (withdrawn).
      const still = rows.find((r) => r.twins.some((t) => t.id === current.id));
      const exists = (id: string) => rows.some((r) => r.twins.some((t) => t.id === id));
      const target = still ? current.id : (done.touched.find(exists) ?? rows[0]?.id);
      if (target) await this.openSession(target);
      else {
        this.current = null;
        this.root.classList.add("no-session");
      }
    }
    await this.refreshProblems();
  }

  private info(message: string): void {
    this.status.className = "status info";
    this.status.textContent = message;
    this.status.title = message;
  }

  private clearStatus(): void {
    this.status.className = "status";
    this.status.textContent = "";
    this.status.title = "";
  }

  // Languages of the interface (issue 15).

  /** The status bar's language switch: the saved choice, else the system's language. */
  private languagePicker(): HTMLSelectElement {
    const select = h("select", { class: "ui-language", "aria-label": msg("app.uiLanguage"), title: msg("app.uiLanguage") });
    for (const l of LOCALES) select.append(h("option", { value: l.id }, l.name));
    select.value = locale();
    select.addEventListener("change", () => setLocale(select.value as Locale));
    onLocale((l) => (select.value = l));
    return select;
  }

  /** The language changed: marked labels are already rewritten; draw what is built from data again. */
  private localeChanged(l: Locale): void {
    void api.setMenuLocale(l).catch((e: unknown) => this.error(toAppError(e)));
    this.sessionList.relocalize();
    this.problems.show(this.diagnostics);
    this.form.relocalize();
    if (this.current && this.site) this.show(this.current, { keepBody: true });

    this.form.setDiagnostics(this.diagnostics.filter((d) => d.file === this.current?.id));
    if (!this.site) void this.refreshRecent();
    if (this.views.is("changes") && this.lastChanges) this.changes.show(this.lastChanges);
    if (this.views.is("schedule")) void this.scheduleView.refresh();
    if (this.views.is("twins")) void this.twinsView.refresh();
    this.batch.relocalize();
    this.preview.relocalize();
    this.body.relocalize();


  }

  /** An action that needs a site, with none open: say so instead of doing nothing. */

  private noSite(): void {
    this.error(new AppError("no_site", t("app.noSite")));

  }

  private error(e: AppError): void {
    this.status.className = `status error kind-${e.kind}`;
    this.status.textContent = e.message;
    this.status.title = e.message;
    console.error(`[${e.kind}] ${e.message}`);
  }
}

/** Run `f` once the frame being prepared has been painted. */
function afterPaint(f: () => void): void {
  requestAnimationFrame(() => setTimeout(f, 0));
}
