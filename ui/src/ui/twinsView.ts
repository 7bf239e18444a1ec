// A session's twins side by side: one column per language file, each with
// the front-matter form and the body editor the main editor uses. A field
// edit goes through the core's workspace, which carries shared fields to
// the other twins as the schema says (date and track copied, room and stype
// translated); the other columns then show the new values. Above the
// columns, the core's report: missing twins, fields kept in step, where the
// twins disagree, and which twin git shows changed after the other.
import { api, toAppError, type AppError, type Diagnostic, type SessionSummary, type SessionView, type SiteSummary, type TwinReport } from "../ipc/api";
import { BodyEditor } from "./bodyEditor";
import { clear, debounce, h } from "./dom";
import { FieldForm } from "./fieldForm";
import { msg, t } from "../i18n";

/** What the view tells the window. */
export interface TwinsHost {
  /** Files changed: the list rows to update. */
  edited(rows: SessionSummary[]): void;
  /** Open a file in the main editor. */
  open(id: string): void;
  /** The person closed the view. */
  close(): void;
  site(): SiteSummary | null;
  info(message: string): void;
  error(e: AppError): void;
}

class Column {
  readonly element: HTMLElement;
  readonly form: FieldForm;
  readonly body: BodyEditor;
  private readonly heading = h("h2", {});
  private readonly bodyChanged: { call: (text: string) => void; flush: () => void };
  view: SessionView | null = null;

  constructor(
    readonly lang: string,
    readonly id: string,
    owner: TwinsView,
  ) {
    this.form = new FieldForm((e) => owner.setField(this, e.key, e.value, e.typing), `twin-${lang}-`);
    this.bodyChanged = debounce((text: string) => void owner.setBody(this, text), 300);
    this.body = new BodyEditor((e) => this.bodyChanged.call(e.text()));
    const open = h("button", { type: "button", class: "twin-open", title: t("twins.open.title", { id }) }, msg("schedule.openInEditor"));
    open.addEventListener("click", () => {
      void this.flush().then(() => owner.host.open(id));
    });
    this.element = h(
      "section",
      { class: "twin-column", "data-lang": lang, "data-id": id, "aria-label": t("twins.column", { lang }) },
      h("div", { class: "twin-head" }, this.heading, open),
      this.form.element,
      h("div", { class: "section-head" }, h("h3", {}, msg("app.body"))),
      this.body.element,
    );
  }

  /** Show the file; `freshBody` reloads the editor, else only a changed body is replaced. */
  show(view: SessionView, site: SiteSummary, report: TwinReport | null, freshBody: boolean): void {
    this.view = view;
    const name = site.languages.find((l) => l.code === view.lang)?.name ?? view.lang;
    this.heading.replaceChildren(
      h("span", { class: "twin-lang" }, view.lang.toUpperCase()),
      ` ${name} `,
      h("span", { class: "twin-file" }, view.id),
      ...(view.modified ? [h("span", { class: "modified-dot", title: t("export.check.unsaved") }, " ●")] : []),
    );
    this.form.show(view, site);
    for (const s of report?.shared ?? []) {
      const field = this.form.element.querySelector<HTMLElement>(`.field[data-key="${CSS.escape(s.key)}"]`);
      if (!field) continue;
      field.classList.add("shared");
      field.dataset["sync"] = s.sync;
      field.title = t(s.sync === "copy" ? "twins.copied" : "twins.translated");
    }
    if (freshBody) this.body.load(view.body);
    else if (!this.body.hasFocus()) this.body.replace(view.body);
  }

  /** Send what is typed in this column's form and body. */
  async flush(): Promise<void> {
    this.bodyChanged.flush();
    await this.form.flush();
  }
}

export class TwinsView {
  readonly element: HTMLElement;
  private readonly title = h("h1", {});
  private readonly report = h("div", { class: "twin-report", role: "status", "aria-live": "polite" });
  private readonly columns = h("div", { class: "twin-columns" });
  private cols: Column[] = [];
  private current: TwinReport | null = null;
  private diagnostics: Diagnostic[] = [];

  constructor(readonly host: TwinsHost) {
    const close = h("button", { type: "button", class: "twins-close", title: msg("twins.close.title") }, msg("common.close"));
    close.addEventListener("click", () => this.host.close());
    this.element = h(
      "section",
      { class: "twins-view", id: "twins-view", "aria-label": msg("twins.title") },
      h("div", { class: "twins-head" }, this.title, h("span", { class: "spacer" }), close),
      this.report,
      this.columns,
    );
  }

  get visible(): boolean {
    return this.element.classList.contains("open");
  }

  /** Show the twins of session `id` (any of them). */
  async show(id: string): Promise<void> {
    this.element.classList.add("open");
    await this.flush();
    try {
      const report = await api.twinReport(id);
      const views = await Promise.all(report.twins.map((t) => api.loadSession(t.id)));
      const site = this.host.site();
      if (!site) return;
      this.current = report;
      this.title.textContent = t("twins.heading", { stem: report.stem });
      this.cols = report.twins.map((t) => new Column(t.lang, t.id, this));
      clear(this.columns);
      this.columns.style.setProperty("--twin-count", String(Math.max(1, this.cols.length)));
      this.cols.forEach((c, i) => {
        this.columns.append(c.element);
        const v = views[i];
        if (v) c.show(v, site, report, true);
      });
      this.renderReport(report);
      this.setDiagnostics(this.diagnostics);
    } catch (e) {
      this.host.error(toAppError(e));
    }
  }

  hide(): void {
    void this.flush();
    this.element.classList.remove("open");
  }

  /** Send pending form and body edits now; resolves once the core has them. */
  async flush(): Promise<void> {
    await Promise.all(this.cols.map((c) => c.flush()));
  }

  /** The ids shown. */
  ids(): string[] {
    return this.cols.map((c) => c.id);
  }

  /** Re-read every column and the report (after an edit or a change on disk). */
  async refresh(freshBodies = false): Promise<void> {
    const site = this.host.site();
    if (!site || this.cols.length === 0) return;
    try {
      const first = this.cols[0];
      if (!first) return;
      const [report, ...views] = await Promise.all([api.twinReport(first.id), ...this.cols.map((c) => api.loadSession(c.id))]);
      this.current = report;
      this.cols.forEach((c, i) => {
        const v = views[i];
        if (v) c.show(v, site, report, freshBodies);
      });
      this.renderReport(report);
      this.setDiagnostics(this.diagnostics);
    } catch (e) {
      this.host.error(toAppError(e));
    }
  }

  /** Findings of the whole site; each column shows its file's under its fields. */
  setDiagnostics(diags: Diagnostic[]): void {
    this.diagnostics = diags;
    for (const c of this.cols) c.form.setDiagnostics(diags.filter((d) => d.file === c.id));
  }

  async setField(col: Column, key: string, value: string | null, typing = false): Promise<void> {
    try {
      const r = typing && value !== null ? await api.typeField(col.id, key, value) : await api.setField(col.id, key, value);
      this.host.edited(r.rows);
      if (typing) await this.refreshColumns();
      else await this.refresh();
    } catch (e) {
      this.host.error(toAppError(e));
    }
  }

  /** Re-read every column but not the report (while typing: the report asks git). */
  private async refreshColumns(): Promise<void> {
    const site = this.host.site();
    if (!site) return;
    const views = await Promise.all(this.cols.map((c) => api.loadSession(c.id)));
    this.cols.forEach((c, i) => {
      const v = views[i];
      if (v) c.show(v, site, this.current, false);
    });
    this.setDiagnostics(this.diagnostics);
  }

  async setBody(col: Column, text: string): Promise<void> {
    try {
      const r = await api.setBody(col.id, text);
      this.host.edited(r.rows);
      const site = this.host.site();
      if (site) col.show(r.view, site, this.current, false);
    } catch (e) {
      this.host.error(toAppError(e));
    }
  }

  private renderReport(r: TwinReport): void {
    const items: HTMLElement[] = [];
    for (const m of r.missing) {
      items.push(h("li", { class: "twin-finding missing", "data-kind": "missing" }, t("twins.missing", { lang: m.name, file: m.expected })));
    }
    for (const d of r.drift) {
      items.push(h("li", { class: "twin-finding drift", "data-kind": "drift" }, t("twins.drift", { message: d.message })));
    }
    for (const d of r.disagreements) {
      items.push(h("li", { class: `twin-finding disagreement ${d.severity}`, "data-kind": "disagreement", "data-code": d.code }, `${d.file}: ${d.message}`));
    }
    const copy = r.shared.filter((s) => s.sync === "copy").map((s) => s.key);
    const translate = r.shared.filter((s) => s.sync === "translate").map((s) => s.key);
    const rules = [copy.length ? t("twins.rule.copied", { keys: copy.join(", ") }) : "", translate.length ? t("twins.rule.translated", { keys: translate.join(", ") }) : ""].filter(Boolean).join(t("twins.rule.sep"));
    this.report.replaceChildren(
      h("p", { class: "twin-rules" }, rules ? t("twins.rules", { rules }) : t("twins.noRules")),
      items.length ? h("ul", { class: "twin-findings" }, ...items) : h("p", { class: "twin-ok" }, t("twins.ok")),

    );
  }
}
