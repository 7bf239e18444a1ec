// The window: wires the panes to the shell's commands and events. Holds
// only view state (which session is shown, which panes are visible); every
// decision about session data is made by the core.
import {
  api,
  AppError,
  events,
  toAppError,
  type DiagnosticDto,
  type DiskChange,
  type Edited,
  type MenuAction,
  type SessionRow,
  type SessionView,
  type SiteSummary,
  type SpeakerDto,
  type BodyEdited,
} from "./ipc/api";
import { BodyEditor } from "./ui/bodyEditor";
import { BodySync } from "./ui/bodySync";
import { debounce, h } from "./ui/dom";
import { FieldForm } from "./ui/fieldForm";
import { Preview } from "./ui/preview";
import { ConflictDialog } from "./ui/conflictDialog";
import { ProblemsPanel } from "./ui/problems";
import { RecoveryDialog } from "./ui/recoveryDialog";
import { SessionList } from "./ui/sessionList";
import { SpeakersEditor } from "./ui/speakersEditor";

export class App {
  private site: SiteSummary | null = null;
  private current: SessionView | null = null;
  private diagnostics: DiagnosticDto[] = [];
  /** Which findings `diagnostics` are (the core does not resend them). */
  private diagnosticsVersion: number | null = null;

  private readonly root: HTMLElement;
  private readonly siteName = h("span", { class: "site-name" });
  private readonly status = h("div", { class: "status", role: "status", "aria-live": "polite" });
  private readonly sessionList = new SessionList((id) => void this.openSession(id));
  private readonly form = new FieldForm((key, value) => void this.edit(() => api.setField(this.id(), key, value)));
  private readonly body = new BodyEditor((e) => {
    const id = this.current?.id;
    if (id) this.bodySync.edited(id, e.changes, e.length, e.text);
  });
  private readonly speakers = new SpeakersEditor((list) => void this.setSpeakers(list));
  private readonly preview = new Preview();
  private readonly problems = new ProblemsPanel((d) => void this.reveal(d));
  private readonly recovery = new RecoveryDialog();
  private readonly conflict = new ConflictDialog((id, choice) => void this.resolve(id, choice === "keep_mine"));
  private readonly editorPane: HTMLElement;
  private readonly sessionHeading = h("h1", { class: "session-heading" });
  private readonly langTabs = h("div", { class: "lang-tabs", role: "tablist", "aria-label": "Languages" });
  private readonly welcome: HTMLElement;

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

  constructor(mount: HTMLElement) {
    const button = (text: string, title: string, f: () => void) => {
      const b = h("button", { type: "button", title }, text);
      b.addEventListener("click", f);
      return b;
    };
    const toolbar = h(
      "header",
      { class: "toolbar" },
      h("span", { class: "brand" }, "Lectern"),
      this.siteName,
      h("span", { class: "spacer" }),
      this.status,
      button("Open Site…", "Open Site… (Ctrl+O)", () => void this.chooseSite()),
      button("Save", "Save (Ctrl+S)", () => void this.menu("save")),
      button("Save All", "Save All (Ctrl+Shift+S)", () => void this.menu("save_all")),
    );
    this.editorPane = h(
      "main",
      { class: "editor", "aria-label": "Session editor" },
      h("div", { class: "editor-head" }, this.sessionHeading, this.langTabs),
      this.form.element,
      h("div", { class: "section-head" }, h("h2", {}, "Body")),
      this.body.element,
      this.speakers.element,
    );
    const open = button("Open Site…", "Choose a Hugo site folder", () => void this.chooseSite());
    open.classList.add("primary");
    this.welcome = h(
      "div",
      { class: "welcome" },
      h("h1", {}, "No site open"),
      h("p", {}, "Open the folder of a Hugo conference site to edit its sessions."),
      open,
    );
    this.root = h(
      "div",
      { class: "layout no-site" },
      toolbar,
      this.sessionList.element,
      this.editorPane,
      this.preview.element,
      this.problems.element,
      this.welcome,
      this.conflict.element,
      this.recovery.element,
    );
    mount.append(this.root);
  }

  async start(): Promise<void> {
    await Promise.all([
      events.onMenu((a) => void this.menu(a)),
      events.onSiteOpened((s) => void this.showSite(s)),
      events.onAppError((e) => this.error(e)),
      events.onDiskChanged((c) => void this.diskChanged(c)),
    ]);
    const status = await api.siteStatus();
    if (status.error) this.error(toAppError(status.error));
    if (status.site) await this.showSite(status.site);
  }

  private id(): string {
    if (!this.current) throw new AppError("invalid", "No session is open.");
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
    this.current = null;
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
      const notes = [`Restored ${result.restored.length} file(s).`];
      if (result.conflicts.length > 0) notes.push(`Not restored, changed on disk since: ${result.conflicts.join(", ")}.`);
      if (result.missing.length > 0) notes.push(`Gone from the site: ${result.missing.join(", ")}.`);
      if (result.conflicts.length + result.missing.length > 0) this.error(new AppError("conflict", notes.join(" ")));
      else this.info(notes.join(" "));
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async openSession(id: string): Promise<void> {
    await this.bodySync.flush();
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

  private show(view: SessionView, opts: { freshBody?: boolean; keepBody?: boolean } = {}): void {
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
    this.form.show(view, this.site);
    this.form.setDiagnostics(this.diagnostics.filter((d) => d.file === view.id));
    if (opts.freshBody) this.body.load(view.body);
    else if (!opts.keepBody) this.body.replace(view.body);
    this.markBody();
    this.speakers.show(view.speakers);
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
    const same = (row: SessionRow) => JSON.stringify(this.sessionList.rowOf(row.stem)) === JSON.stringify(row);
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
  private async edit(f: () => Promise<Edited>, opts: { keepBody?: boolean } = {}): Promise<void> {
    try {
      // Typing still on its way must reach the core first: the answer's
      // body replaces the editor's text.
      await this.bodySync.flush();
      const result = await f();
      this.show(result.view, opts);
      this.sessionList.updateRows(result.rows);
      this.recheck.call();
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async setSpeakers(list: SpeakerDto[]): Promise<void> {
    await this.bodySync.flush();
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
    if (this.current) {
      const id = this.current.id;
      this.form.setDiagnostics(this.diagnostics.filter((d) => d.file === id));
      this.markBody();
    }
  }

  private async reveal(d: DiagnosticDto): Promise<void> {
    if (this.current?.id !== d.file) await this.openSession(d.file);
    const view = this.current;
    if (!view || view.id !== d.file) return;
    if (d.field && this.form.focusField(d.field)) return;
    if (d.line >= view.body_line) this.body.goToLine(d.line - view.body_line + 1);
  }

  private async menu(action: MenuAction): Promise<void> {
    try {
      switch (action) {
        case "save": {
          await this.bodySync.flush();
          const id = this.current?.id;
          if (!id) return;
          await this.save(id);
          break;
        }
        case "save_all": {
          await this.bodySync.flush();
          const result = await api.saveAll();
          this.sessionList.setRows(await api.listSessions());
          if (this.current) this.show(await api.loadSession(this.current.id), { keepBody: true });
          if (result.failed.length > 0) {
            const first = result.failed[0];
            this.error(new AppError(first?.error.kind ?? "internal", `${result.failed.length} not saved: ${first?.error.message ?? ""}`));
          } else {
            this.info(`Saved ${result.saved.length} file(s).`);
          }
          break;
        }
        case "undo":
        case "redo": {
          // The body editor and text fields have their own undo; elsewhere
          // the menu undoes the last edit of the file in the core.
          const focused = document.activeElement;
          if (this.body.hasFocus()) {
            if (action === "undo") this.body.undo();
            else this.body.redo();
          } else if (focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement) {
            document.execCommand(action);
          } else if (this.current) {
            const id = this.current.id;
            await this.bodySync.flush();
            await this.edit(() => (action === "undo" ? api.undo(id) : api.redo(id)));
          }
          break;
        }
        case "toggle_preview":
          this.root.classList.toggle("hide-preview");
          break;
        case "toggle_problems":
          this.root.classList.toggle("hide-problems");
          break;
        case "reload_site": {
          // The site-opened event that follows shows it (once).
          await api.reloadSite();
          break;
        }
      }
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /** A session file changed outside the app (the shell's watcher). */
  private async diskChanged(c: DiskChange): Promise<void> {
    try {
      if (c.kind === "conflict") {
        this.conflict.show(c.id, c.mine ?? "", c.disk ?? "");
        return;
      }
      this.sessionList.setRows(await api.listSessions());
      if (c.kind === "reloaded" && this.current && this.current.twins.some((t) => t.id === c.id)) {
        await this.bodySync.flush();
        this.show(await api.loadSession(this.current.id), { freshBody: c.id === this.current.id });
        this.info(`Reloaded ${c.id}: it changed on disk.`);
      } else if (c.kind === "removed" && c.kept_edits) {
        this.error(new AppError("not_found", `${c.id} was deleted on disk; your unsaved edits are still here.`));
      }
      this.recheck.call();
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  private async resolve(id: string, keepMine: boolean): Promise<void> {
    try {
      const result = await api.resolveConflict(id, keepMine);
      this.sessionList.updateRows(result.rows);
      if (this.current?.id === id) this.show(result.view, { freshBody: !keepMine });
      this.info(keepMine ? `Kept your edits of ${id}; saving will overwrite the disk.` : `Took the disk version of ${id}.`);
      this.recheck.call();
    } catch (e) {
      this.error(toAppError(e));
    }
  }

  /** Save the open file; a conflict with the disk opens the conflict dialog. */
  private async save(id: string): Promise<void> {
    try {
      const result = await api.saveSession(id);
      this.show(result.view, { keepBody: true });
      this.sessionList.updateRows(result.rows);
      this.recheck.call();
      this.info("Saved.");
    } catch (e) {
      const err = toAppError(e);
      if (err.kind !== "conflict") throw err;
      const state = await api.diskState(id);
      if (state?.kind === "conflict") this.conflict.show(id, state.mine ?? "", state.disk ?? "");
      else this.error(err);
    }
  }

  private info(message: string): void {
    this.status.className = "status info";
    this.status.textContent = message;
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
