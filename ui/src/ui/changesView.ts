// The Changes view: every pending change of the open site, each file's
// unified diff with the changed words marked, revert of a file or a hunk,
// and the selection an export starts from. File content only ever goes in
// as text nodes (the h() helper); the core computed every span.
import type { ChangedFileDto, ChangesDto, ReviewLine, ReviewHunk } from "../ipc/api";
import { keepSelection, kindLabel, kindLetter, lineSign, stats } from "./changesModel";
import { clear, h } from "./dom";
import { msg, t, type Msg } from "../i18n";

export interface ChangesHandlers {
  /** Revert one hunk (`hunk` from 0) or, with null, the whole file. */
  revert(file: ChangedFileDto, hunk: number | null): void;
  /** Save every file with unsaved edits, then show the changes again. */
  saveAll(): void;
  /** Open the export dialog for these change paths. */
  export(selected: string[]): void;
  /** Open a session in the editor. */
  open(siteId: string): void;
  refresh(): void;
  close(): void;
}

export class ChangesView {
  readonly element: HTMLElement;
  private readonly source = h("span", { class: "changes-source" });
  private readonly unsavedNote = h("div", { class: "changes-unsaved", role: "note" });
  private readonly files = h("div", { class: "changes-files" });
  private readonly exportButton: HTMLButtonElement;
  private changes: ChangesDto | null = null;
  /** Paths the person unticked; kept across refreshes. */
  private readonly unticked = new Set<string>();

  constructor(private readonly on: ChangesHandlers) {
    const button = (text: Msg, cls: string, f: () => void, title?: Msg) => {
      const b = h("button", { type: "button", class: cls, title }, text);
      b.addEventListener("click", f);
      return b;
    };
    this.exportButton = button(msg("changes.export"), "changes-export primary", () => this.on.export(this.selected()));
    this.element = h(
      "section",
      { class: "changes", id: "changes", "aria-label": msg("app.changes") },
      h(
        "div",
        { class: "changes-head" },
        h("h2", {}, msg("app.changes")),
        this.source,
        h("span", { class: "spacer" }),
        button(msg("changes.refresh"), "changes-refresh", () => this.on.refresh()),
        this.exportButton,
        button(msg("common.close"), "changes-close", () => this.on.close(), msg("changes.close.title")),
      ),
      this.unsavedNote,
      this.files,
    );
  }

  /** The change paths ticked for export, in list order. */
  selected(): string[] {
    return (this.changes?.files ?? []).map((f) => f.path).filter((p) => !this.unticked.has(p));
  }

  show(changes: ChangesDto): void {
    this.changes = changes;
    const live = new Set(changes.files.map((f) => f.path));
    for (const p of [...this.unticked]) if (!live.has(p)) this.unticked.delete(p);
    const ticked = keepSelection(changes.files, this.unticked);

    if (changes.source === "git") {
      const repo = changes.repo;
      const where = repo?.branch ? t("changes.headOf", { branch: repo.branch }) : "HEAD";
      this.source.textContent = t("changes.comparedWith", { where, root: repo?.root ?? t("changes.theRepository") });
    } else {
      this.source.textContent = t("changes.sinceOpened");
    }
    this.element.dataset["source"] = changes.source;
    this.element.dataset["count"] = String(changes.files.length);

    clear(this.unsavedNote);
    if (changes.unsaved.length > 0) {
      const save = h("button", { type: "button", class: "changes-save-all" }, t("app.saveAll"));
      save.addEventListener("click", () => this.on.saveAll());
      this.unsavedNote.append(
        t("changes.unsaved", { n: changes.unsaved.length, ids: changes.unsaved.join(", ") }),
        " ",
        save,
      );
      this.unsavedNote.hidden = false;
    } else {
      this.unsavedNote.hidden = true;
    }

    clear(this.files);
    if (changes.files.length === 0) {
      this.files.append(h("p", { class: "empty" }, t("changes.none")));
    }
    for (const f of changes.files) this.files.append(this.renderFile(f, ticked.has(f.path)));
    this.updateExport();
  }

  private updateExport(): void {
    const n = this.selected().length;
    this.exportButton.disabled = n === 0;
    this.exportButton.textContent = n === 0 ? t("changes.export") : t("changes.exportN", { n });
  }

  private renderFile(f: ChangedFileDto, ticked: boolean): HTMLElement {
    const box = h("input", { type: "checkbox", class: "change-select", "aria-label": t("changes.include", { path: f.path }) });
    box.checked = ticked;
    box.addEventListener("change", () => {
      if (box.checked) this.unticked.delete(f.path);
      else this.unticked.add(f.path);
      this.updateExport();
    });
    const name = h("button", { type: "button", class: "change-path link", title: f.site_id ? t("changes.openInEditor") : f.path }, f.path);
    if (f.site_id && f.kind !== "deleted") {
      const id = f.site_id;
      name.addEventListener("click", () => this.on.open(id));
    } else {
      name.disabled = true;
    }
    const revertFile = confirmButton(
      t(f.kind === "created" ? "changes.removeFile" : "changes.revertFile"),
      "change-revert-file",
      f.kind === "created" ? t("changes.removeFile.title", { path: f.path }) : t("changes.revertFile.title", { path: f.path }),
      () => this.on.revert(f, null),
    );
    const head = h(
      "header",
      { class: "change-head" },
      box,
      h("span", { class: `change-kind ${f.kind}`, title: kindLabel(f.kind) }, kindLetter(f.kind)),
      name,
      f.from ? h("span", { class: "change-from" }, t("changes.from", { path: f.from })) : null,
      f.unsaved ? h("span", { class: "change-unsaved", title: t("changes.fileUnsaved.title") }, t("changes.fileUnsaved")) : null,
      h("span", { class: "change-stats" }, stats(f)),
      revertFile,
    );
    const body = h("div", { class: "diff" });
    if (f.binary) body.append(h("p", { class: "empty" }, t("changes.binaryFile")));
    else if (f.hunks.length === 0) body.append(h("p", { class: "empty" }, t("changes.movedOnly")));
    f.hunks.forEach((hunk, i) => body.append(this.renderHunk(f, hunk, i)));
    return h("article", { class: "change-file", "data-path": f.path, "data-kind": f.kind }, head, body);
  }

  private renderHunk(f: ChangedFileDto, hunk: ReviewHunk, index: number): HTMLElement {
    const whole = f.kind === "created" || f.kind === "deleted";
    const revert = whole
      ? null
      : confirmButton(t("changes.revertHunk"), "revert-hunk", t("changes.revertHunk.title"), () => this.on.revert(f, index));
    return h(
      "div",
      { class: "hunk", "data-hunk": index },
      h("div", { class: "hunk-head" }, h("code", {}, hunk.header), revert),
      ...hunk.lines.map(renderLine),
    );
  }
}

function renderLine(line: ReviewLine): HTMLElement {
  const code = h("span", { class: "code" });
  for (const s of line.spans) {
    if (s.kind === "equal") code.append(s.text);
    else code.append(h(s.kind === "insert" ? "ins" : "del", { class: "word" }, s.text));
  }
  if (line.no_newline) code.append(h("span", { class: "no-eol", title: t("changes.noEol") }, "⏎̸"));

  const cls = line.kind === "insert" ? "add" : line.kind === "delete" ? "del" : "ctx";
  return h(
    "div",
    { class: `diff-line ${cls}` },
    h("span", { class: "ln" }, line.old_line === null ? "" : String(line.old_line)),
    h("span", { class: "ln" }, line.new_line === null ? "" : String(line.new_line)),
    h("span", { class: "sign", "aria-hidden": "true" }, lineSign(line.kind)),
    code,
  );
}

/** A button that asks once more before acting: the first click arms it. */
function confirmButton(text: string, cls: string, title: string, act: () => void): HTMLButtonElement {
  const b = h("button", { type: "button", class: cls, title }, text);
  let armed = false;
  b.addEventListener("click", () => {
    if (!armed) {
      armed = true;
      b.textContent = t("changes.confirmAgain");

      b.classList.add("armed");
      return;
    }
    b.disabled = true;
    act();
  });
  b.addEventListener("blur", () => {
    armed = false;
    b.textContent = text;
    b.classList.remove("armed");
  });
  return b;
}
