// The export dialog: the core's checklist first (errors block unless the
// person ticks the override), then a branch (name and message proposed by
// the core, both editable; push only when asked), a patch or a zip written
// to a path typed here or chosen in a native save dialog. Each outcome is
// reported step by step; a refusal is shown as it came, with nothing done.
// When git does not know the person's name and e-mail address, the core
// refuses with `identity_missing` before writing anything: the dialog asks
// for them (with "Save to this repository", which the core writes to that
// repository's config only) and sends the same export again with them.
import type {
  BranchOutcomeDto,
  ChangesDto,
  ChecklistDto,
  ExportFileKind,
  ExportPrepDto,
  FileExportDto,
  Signature,
  StepReport,
} from "../ipc/api";
import { checklistOrder, exportAllowed, isIdentityMissing, joinPath } from "./changesModel";
import { clear, h } from "./dom";
import { msg, t, type MessageKey } from "../i18n";

/** The name and e-mail address typed for this export, and whether to save them. */
export interface TypedIdentity {
  identity: Signature | null;
  save: boolean;
}

export interface ExportActions {
  branch(
    req: { name: string; message: string; push: string | null; switchTo: boolean; override: boolean } & TypedIdentity,
  ): Promise<BranchOutcomeDto>;
  file(kind: ExportFileKind, path: string, message: string, override: boolean, who: TypedIdentity): Promise<FileExportDto>;
  choose(kind: ExportFileKind, name: string, dir: string): Promise<string | null>;
  /** After an export that may have changed what is pending. */
  done(): void;
}

const STATE_ICON = { ok: "✓", warning: "!", blocking: "✕" } as const;
const CHECK_TITLE: Record<string, MessageKey> = {
  problems: "problems.title",
  photos: "export.check.photos",
  twins: "export.check.twins",
  unsaved: "export.check.unsaved",
};

export class ExportDialog {
  readonly element: HTMLDialogElement;
  private readonly heading = h("h2", { tabindex: -1 });
  private readonly fileList = h("p", { class: "export-files-list" });
  private readonly checks = h("ul", { class: "checklist" });
  private readonly override = h("input", { type: "checkbox", id: "export-override" });
  private readonly overrideLabel: HTMLElement;
  private readonly name = h("input", { type: "text", id: "export-branch-name", spellcheck: "false", "aria-label": msg("export.branchName") });
  private readonly message = h("textarea", { id: "export-message", rows: 3, "aria-label": msg("export.commitMessage") });
  private readonly push = h("input", { type: "checkbox", id: "export-push" });
  private readonly remote = h("select", { id: "export-remote", "aria-label": msg("export.remote") });
  private readonly switchTo = h("input", { type: "checkbox", id: "export-switch" });
  private readonly branchSection: HTMLElement;
  private readonly branchNote = h("p", { class: "export-note" });
  private readonly createBranch = h("button", { type: "button", id: "export-create-branch", class: "primary" }, msg("export.createBranch"));
  private readonly patchPath = h("input", { type: "text", id: "export-patch-path", spellcheck: "false", "aria-label": msg("export.patchFile") });
  private readonly zipPath = h("input", { type: "text", id: "export-zip-path", spellcheck: "false", "aria-label": msg("export.zipFile") });
  private readonly patchButton = h("button", { type: "button", id: "export-patch" }, msg("export.exportPatch"));
  private readonly zipButton = h("button", { type: "button", id: "export-zip" }, msg("export.exportZip"));
  private readonly steps = h("ol", { class: "export-steps" });
  private readonly outcome = h("p", { class: "export-outcome", role: "status", "aria-live": "polite" });
  // Asked when the core says git has no identity.
  private readonly identitySection: HTMLElement;
  private readonly identityName = h("input", { type: "text", id: "export-identity-name", autocomplete: "name", "aria-label": msg("export.yourName") });
  private readonly identityEmail = h("input", { type: "email", id: "export-identity-email", autocomplete: "email", "aria-label": msg("export.yourEmail") });
  private readonly identitySave = h("input", { type: "checkbox", id: "export-identity-save" });
  private readonly identitySaveLabel: HTMLElement;
  private readonly identityError = h("p", { class: "export-identity-error", role: "alert" });
  private readonly identityContinue = h("button", { type: "button", id: "export-identity-continue", class: "primary" }, msg("export.continue"));
  /** The export that stopped for the identity, to send again with it. */
  private retry: ((who: TypedIdentity) => Promise<void>) | null = null;
  /** Typed earlier in this dialog and not saved: used for its other exports. */
  private typed: Signature | null = null;
  private prep: ExportPrepDto | null = null;
  private busy = false;

  constructor(private readonly actions: ExportActions) {
    this.overrideLabel = h(
      "label",
      { class: "export-override" },
      this.override,
      " ",
      msg("export.override"),
    );
    this.override.addEventListener("change", () => this.updateButtons());
    this.push.addEventListener("change", () => (this.remote.disabled = !this.push.checked));
    const choose = (kind: ExportFileKind, input: HTMLInputElement) => {
      const b = h("button", { type: "button", class: `export-choose-${kind}` }, msg("export.choose"));
      b.addEventListener("click", () => void this.choose(kind, input));
      return b;
    };
    this.branchSection = h(
      "section",
      { class: "export-branch" },
      h("h3", {}, msg("export.branchTitle")),
      h("label", { class: "export-field" }, msg("export.branchName"), this.name),
      h(
        "label",
        { class: "export-check" },
        this.push,
        " ",
        msg("export.pushTo"),
        " ",
        this.remote,
        " ",
        msg("export.credentials"),
      ),
      h("label", { class: "export-check" }, this.switchTo, " ", msg("export.switch")),
      this.branchNote,
      h("div", { class: "export-actions" }, this.createBranch),
    );
    this.identitySaveLabel = h(
      "label",
      { class: "export-check" },
      this.identitySave,
      " ",
      msg("export.saveIdentity"),
    );
    const cancelIdentity = h("button", { type: "button", id: "export-identity-cancel" }, msg("common.cancel"));
    cancelIdentity.addEventListener("click", () => this.hideIdentity());
    this.identityContinue.addEventListener("click", () => void this.continueWithIdentity());
    this.identitySection = h(
      "section",
      { class: "export-identity", id: "export-identity", hidden: true, "aria-label": msg("export.identity") },
      h("h3", {}, msg("export.who")),
      h("p", { class: "export-note" }, msg("export.who.note")),
      h("label", { class: "export-field" }, msg("export.name"), this.identityName),
      h("label", { class: "export-field" }, msg("export.email"), this.identityEmail),
      this.identitySaveLabel,
      this.identityError,
      h("div", { class: "export-actions" }, cancelIdentity, this.identityContinue),
    );
    for (const input of [this.identityName, this.identityEmail]) {
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          void this.continueWithIdentity();
        }
      });
    }
    this.createBranch.addEventListener("click", () => void this.runBranch());
    this.patchButton.addEventListener("click", () => void this.runFile("patch", this.patchPath));
    this.zipButton.addEventListener("click", () => void this.runFile("zip", this.zipPath));
    const close = h("button", { type: "button", class: "export-close" }, msg("common.close"));
    close.addEventListener("click", () => this.element.close());
    this.element = h(
      "dialog",
      { class: "export-dialog", id: "export-dialog", "aria-label": msg("export.title") },
      this.heading,
      this.fileList,
      h("section", { class: "export-checklist" }, h("h3", {}, msg("export.before")), this.checks, this.overrideLabel),
      h("label", { class: "export-field" }, msg("export.message"), this.message),
      this.branchSection,
      h(
        "section",
        { class: "export-files" },
        h("h3", {}, msg("export.files")),
        h("div", { class: "export-file-row" }, this.patchPath, choose("patch", this.patchPath), this.patchButton),
        h("div", { class: "export-file-row" }, this.zipPath, choose("zip", this.zipPath), this.zipButton),
      ),
      this.identitySection,
      h("section", { class: "export-result" }, this.steps, this.outcome),
      h("div", { class: "export-actions" }, close),
    );
  }

  /** Open for `selected` with what the core prepared. */
  open(prep: ExportPrepDto, changes: ChangesDto, selected: string[]): void {
    this.prep = prep;
    this.heading.textContent = t("export.heading", { n: selected.length });
    this.fileList.textContent = selected.join(", ");
    this.renderChecklist(prep.checklist);
    this.override.checked = false;
    this.overrideLabel.hidden = !prep.checklist.blocked;
    this.name.value = prep.branch;
    this.message.value = prep.message;
    clear(this.remote);
    const remotes = changes.repo?.remotes ?? [];
    for (const r of remotes) this.remote.append(h("option", { value: r.name, title: r.url }, `${r.name} (${r.url})`));
    if (remotes.length === 0) this.remote.append(h("option", { value: "" }, t("export.noRemote")));
    this.push.checked = false;
    this.push.disabled = remotes.length === 0;
    this.remote.disabled = true;
    this.switchTo.checked = false;
    const git = changes.source === "git";
    this.branchSection.classList.toggle("unavailable", !git);
    this.branchNote.textContent = git
      ? changes.repo?.branch
        ? t("export.fromHead", { branch: changes.repo.branch })
        : t("export.detached")
      : t("export.noGit");
    this.patchPath.value = joinPath(prep.default_dir, prep.patch_file);
    this.zipPath.value = joinPath(prep.default_dir, prep.zip_file);
    clear(this.steps);
    this.outcome.textContent = "";
    this.outcome.className = "export-outcome";
    this.typed = null;
    this.hideIdentity();
    // Saving needs a repository; without one the identity serves this export only.
    this.identitySaveLabel.hidden = !changes.repo;
    this.identitySave.checked = !!changes.repo;
    this.element.dataset["git"] = String(git);
    this.updateButtons();
    if (!this.element.open) this.element.showModal();
    // Open at the top, the checklist in sight: the modal would focus (and
    // scroll to) the first field, which may lie below the fold.
    this.heading.focus();
    this.element.scrollTop = 0;
  }

  private renderChecklist(list: ChecklistDto): void {
    clear(this.checks);
    for (const item of checklistOrder(list.items)) {
      const li = h(
        "li",
        { class: `check ${item.state}`, "data-key": item.key, "data-state": item.state },
        h("span", { class: "check-icon", "aria-label": t(`export.state.${item.state}` as MessageKey) }, STATE_ICON[item.state]),
        h("strong", {}, t(CHECK_TITLE[item.key] ?? "problems.title")),
        " ",
        h("span", { class: "check-summary" }, item.summary),
      );
      if (item.details.length > 0) {
        const ul = h("ul", { class: "check-details" });
        for (const d of item.details.slice(0, 50)) {
          ul.append(h("li", { class: d.severity }, h("code", {}, d.line > 0 ? `${d.file}:${d.line}` : d.file), " ", d.message));
        }
        if (item.details.length > 50) ul.append(h("li", {}, t("export.andMore", { n: item.details.length - 50 })));
        li.append(h("details", { open: item.state === "blocking" }, h("summary", {}, t("export.details", { n: item.details.length })), ul));
      }
      this.checks.append(li);
    }
  }

  private updateButtons(): void {
    const allowed = this.prep !== null && exportAllowed(this.prep.checklist, this.override.checked) && !this.busy;
    const git = this.element.dataset["git"] === "true";
    this.createBranch.disabled = !allowed || !git;
    this.patchButton.disabled = !allowed;
    this.zipButton.disabled = !allowed;
  }

  private async choose(kind: ExportFileKind, input: HTMLInputElement): Promise<void> {
    if (!this.prep) return;
    const name = kind === "patch" ? this.prep.patch_file : this.prep.zip_file;
    try {
      const path = await this.actions.choose(kind, name, this.prep.default_dir);
      if (path) input.value = path;
    } catch (e) {
      this.fail(e);
    }
  }

  private async runBranch(): Promise<void> {
    await this.run(async (who) => {
      const out = await this.actions.branch({
        name: this.name.value.trim(),
        message: this.message.value,
        push: this.push.checked ? this.remote.value : null,
        switchTo: this.switchTo.checked,
        override: this.override.checked,
        ...who,
      });
      this.showSteps(out.steps);
      const pushFailed = out.steps.some((s) => s.step === "push" && !s.ok);
      const short = out.commit.slice(0, 12);
      const how = pushFailed ? "export.pushFailed" : out.steps.some((s) => s.step === "push") ? "export.pushed" : "export.notPushed";
      this.succeed(t("export.created", { branch: out.branch, commit: short, n: out.files.length, how: t(how) }), pushFailed);
      this.element.dataset["branch"] = out.branch;
      this.element.dataset["commit"] = out.commit;
    });
  }

  private async runFile(kind: ExportFileKind, input: HTMLInputElement): Promise<void> {
    await this.run(async (who) => {
      const out = await this.actions.file(kind, input.value.trim(), this.message.value, this.override.checked, who);
      this.succeed(t("export.wrote", { path: out.path, n: out.files, bytes: out.bytes }), false);
      this.element.dataset["written"] = out.path;
    });
  }

  /** Runs an export with the identity typed earlier (if any); asks for one when the core says git has none. */
  private async run(f: (who: TypedIdentity) => Promise<void>, who?: TypedIdentity): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.updateButtons();
    clear(this.steps);
    this.outcome.className = "export-outcome working";
    this.outcome.textContent = t("export.working");
    try {
      await f(who ?? { identity: this.typed, save: false });
      this.actions.done();
      return true;
    } catch (e) {
      if (isIdentityMissing(e)) {
        this.askIdentity(f);
      } else if (who) {
        // What was typed was refused (or the export failed otherwise): say so in the form.
        this.fail(e);
        this.identityError.textContent = e instanceof Error ? e.message : String(e);
      } else {
        this.fail(e);
      }
      return false;
    } finally {
      this.busy = false;
      this.updateButtons();
    }
  }

  private askIdentity(f: (who: TypedIdentity) => Promise<void>): void {
    this.retry = f;
    this.outcome.className = "export-outcome warning";
    this.outcome.textContent = t("export.needIdentity");
    this.identityError.textContent = "";
    this.identitySection.hidden = false;
    this.element.dataset["identity"] = "asked";
    this.identitySection.scrollIntoView({ block: "nearest" });
    (this.identityName.value ? this.identityEmail : this.identityName).focus();
  }

  private hideIdentity(): void {
    this.retry = null;
    this.identitySection.hidden = true;
    this.identityError.textContent = "";
    delete this.element.dataset["identity"];
  }

  private async continueWithIdentity(): Promise<void> {
    const retry = this.retry;
    if (!retry || this.busy) return;
    const identity = { name: this.identityName.value, email: this.identityEmail.value };
    const save = this.identitySave.checked && !this.identitySaveLabel.hidden;
    this.identityError.textContent = "";
    if (await this.run(retry, { identity, save })) {
      // Saved: git knows it from now on. Not saved: keep it for this dialog's other exports.
      this.typed = save ? null : identity;
      this.hideIdentity();
    }
  }

  private showSteps(steps: StepReport[]): void {
    clear(this.steps);
    for (const s of steps) {
      this.steps.append(
        h(
          "li",
          { class: s.ok ? "ok" : "failed", "data-step": s.step, title: s.command },
          h("span", { class: "check-icon" }, s.ok ? "✓" : "✕"),
          h("strong", {}, s.step),
          " ",
          s.detail,
        ),
      );
    }
  }

  private succeed(text: string, warn: boolean): void {
    this.outcome.className = warn ? "export-outcome warning" : "export-outcome ok";
    this.outcome.textContent = text;
  }

  private fail(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.outcome.className = "export-outcome error";
    this.outcome.textContent = t("export.failed", { message });

  }
}
