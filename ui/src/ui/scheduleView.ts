// The schedule grid: one day at a time, rooms as columns, start times as
// rows, one card per session (twins count once); sessions without a date
// or a room in a side list; clashes from the core listed and marked on the
// cards. A card moves by drag and drop onto a cell, or with the keyboard:
// Enter (or a click) on a card opens "Move to…" (day, time, room). Each move
// is one undoable step in the core, in memory until Save / Save All.
import { api, toAppError, type AppError, type Card, type Schedule, type ScheduleEdit, type SessionSummary, type Step } from "../ipc/api";
import { clear, h } from "./dom";
import { msg, t, tn, type Msg } from "../i18n";
import { cardLabel, cellKey, clashesPerDay, clashKinds, dayCells, isTime, pickDay, unplacedCards } from "./scheduleModel";

/** What the view tells the window. */
export interface ScheduleHost {
  /** Files changed (a move, undo or redo): the list rows to update and the ids. */
  edited(rows: SessionSummary[], ids: string[]): void;
  /** Open a session in the editor. */
  open(id: string): void;
  /** The person closed the grid. */
  close(): void;
  info(message: string): void;
  error(e: AppError): void;
}

/** The MIME type a dragged card carries (its stem). */
const DRAG_TYPE = "text/plain";

export class ScheduleView {
  readonly element: HTMLElement;
  private readonly dayTabs = h("div", { class: "schedule-days", role: "tablist", "aria-label": msg("schedule.days") });
  private readonly summary = h("span", { class: "schedule-summary", role: "status" });
  private readonly clashList = h("ul", { class: "clash-list", "aria-label": msg("schedule.clashList") });
  private readonly gridHost = h("div", { class: "schedule-grid-host" });
  private readonly unplacedList = h("ul", { class: "unplaced-list", "aria-label": msg("schedule.notScheduled") });

  private readonly undoButton: HTMLButtonElement;
  private readonly redoButton: HTMLButtonElement;
  private readonly dialog: HTMLDialogElement;
  private readonly dialogTitle = h("h2", {});
  private readonly daySelect = h("select", { id: "move-day", name: "day" });
  private readonly timeInput = h("input", { id: "move-time", name: "time", type: "text", placeholder: "HH:MM", autocomplete: "off", inputmode: "numeric" });
  private readonly roomSelect = h("select", { id: "move-room", name: "room" });
  private readonly formNote = h("p", { class: "move-note", role: "alert" });
  private schedule: Schedule | null = null;
  private day: string | null = null;
  private moving: Card | null = null;
  private dragging: string | null = null;
  private undoStack: Step[] = [];
  private redoStack: Step[] = [];

  constructor(private readonly host: ScheduleHost) {
    const button = (text: Msg, cls: string, title: Msg, f: () => void) => {
      const b = h("button", { type: "button", class: cls, title }, text);
      b.addEventListener("click", f);
      return b;
    };
    this.undoButton = button(msg("schedule.undo"), "schedule-undo", msg("schedule.undo.title"), () => void this.undo());
    this.redoButton = button(msg("schedule.redo"), "schedule-redo", msg("schedule.redo.title"), () => void this.redo());
    const close = button(msg("common.close"), "schedule-close", msg("schedule.close.title"), () => this.host.close());
    this.element = h(
      "section",
      { class: "schedule-view", id: "schedule-view", "aria-label": msg("app.schedule") },
      h("div", { class: "schedule-head" }, h("h1", {}, msg("app.schedule")), this.dayTabs, h("span", { class: "spacer" }), this.summary, this.undoButton, this.redoButton, close),
      this.clashList,
      h(
        "div",
        { class: "schedule-main" },
        this.gridHost,
        h("aside", { class: "unplaced" }, h("h2", {}, msg("schedule.notScheduled")), this.unplacedList),
      ),
    );
    this.dialog = this.buildDialog();
    this.element.append(this.dialog);
    // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) on the grid undo and redo moves; form fields keep their own undo.
    this.element.addEventListener("keydown", (e) => {
      const t = e.target;
      if (!(e.ctrlKey || e.metaKey) || e.altKey || t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) return;
      const key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) {
        e.preventDefault();
        void this.undo();
      } else if ((key === "z" && e.shiftKey) || key === "y") {
        e.preventDefault();
        void this.redo();
      }
    });
    this.updateUndo();
  }

  get visible(): boolean {
    return this.element.classList.contains("open");
  }

  /** Show the grid, fetched fresh from the core. */
  async show(): Promise<void> {
    this.element.classList.add("open");
    await this.refresh();
  }

  hide(): void {
    if (this.dialog.open) this.dialog.close();
    this.element.classList.remove("open");
  }

  /** Forget the undo steps (another site was opened). */
  reset(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.day = null;
    this.updateUndo();
  }

  /** Re-read the grid (after edits elsewhere or changes on disk). */
  async refresh(): Promise<void> {
    try {
      this.render(await api.scheduleGrid());
    } catch (e) {
      this.host.error(toAppError(e));
    }
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  async undo(): Promise<void> {
    const step = this.undoStack.pop();
    if (!step) return;
    const done = (await this.run(() => api.undoStep(step), t("schedule.undid", { label: step.label }))) !== null;
    if (done) this.redoStack.push(step);
    else this.undoStack.push(step);
    this.updateUndo();
  }

  async redo(): Promise<void> {
    const step = this.redoStack.pop();
    if (!step) return;
    const done = (await this.run(() => api.redoStep(step), t("schedule.redid", { label: step.label }))) !== null;
    if (done) this.undoStack.push(step);
    else this.redoStack.push(step);
    this.updateUndo();
  }

  /** Move a card to a cell; the core edits the session and its twins. */
  async move(card: Card, day: string, time: string, room: string): Promise<boolean> {
    const r = await this.run(() => api.moveSession(card.id, day, time, room), t("schedule.moved", { title: card.title, day, time, room }));
    if (r && r.step.files.length > 0) {
      this.undoStack.push(r.step);
      this.redoStack = [];
    }
    this.updateUndo();
    return r !== null;
  }

  private async run(f: () => Promise<ScheduleEdit>, message: string): Promise<ScheduleEdit | null> {
    try {
      const r = await f();
      this.render(r.schedule);
      this.host.edited(r.rows, r.step.files.map((x) => x.id));
      this.host.info(message);
      return r;
    } catch (e) {
      this.host.error(toAppError(e));
      return null;
    }
  }

  private updateUndo(): void {
    this.undoButton.disabled = this.undoStack.length === 0;
    this.redoButton.disabled = this.redoStack.length === 0;
    const last = this.undoStack[this.undoStack.length - 1];
    this.undoButton.title = last ? t("schedule.undoLabel", { label: last.label }) : t("schedule.nothingToUndo");
  }

  private render(schedule: Schedule): void {
    this.schedule = schedule;
    this.day = pickDay(schedule, this.day);
    const perDay = clashesPerDay(schedule);
    const placed = schedule.sessions.length - unplacedCards(schedule).length;
    this.summary.textContent = t("schedule.summary", { sessions: schedule.sessions.length, placed, clashes: tn("schedule.clashes", schedule.clashes.length) });
    this.dayTabs.replaceChildren(
      ...schedule.days.map((d) => {
        const n = perDay.get(d.date) ?? 0;
        const tab = h(
          "button",
          { type: "button", role: "tab", "data-day": d.date, "aria-selected": d.date === this.day ? "true" : "false", title: d.declared ? d.date : t("schedule.undeclaredDay", { day: d.date }) },
          d.date,
          d.declared ? null : " ⚠",
          n > 0 ? h("span", { class: "badge", "aria-label": tn("schedule.clashes", n) }, String(n)) : null,
        );
        tab.addEventListener("click", () => {
          this.day = d.date;
          this.render(schedule);
        });
        return tab;
      }),
    );
    this.renderClashes(schedule);
    this.renderGrid(schedule);
    this.renderUnplaced(schedule);
  }

  private renderClashes(schedule: Schedule): void {
    clear(this.clashList);
    this.clashList.hidden = schedule.clashes.length === 0;
    schedule.clashes.forEach((c) => {
      const li = h(
        "li",
        { class: `clash ${c.kind}`, "data-kind": c.kind, "data-stems": c.stems.join(" "), "data-day": c.day, tabindex: 0 },
        h("span", { class: "clash-kind" }, t(c.kind === "room" ? "field.room" : "schedule.presenter")),
        c.message,
      );
      const reveal = () => {
        this.day = c.day;
        this.render(schedule);
        this.cardElement(c.stems[0] ?? "")?.focus();
      };
      li.addEventListener("click", reveal);
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter") reveal();
      });
      this.clashList.append(li);
    });
  }

  private renderGrid(schedule: Schedule): void {
    clear(this.gridHost);
    const day = schedule.days.find((d) => d.date === this.day);
    if (!day || schedule.rooms.length === 0) {
      this.gridHost.append(h("p", { class: "empty" }, t(schedule.rooms.length === 0 ? "schedule.noRooms" : "schedule.noDays")));
      return;
    }
    const cells = dayCells(schedule, day.date);
    const head = h(
      "tr",
      {},
      h("th", { scope: "col", class: "corner" }, day.date),
      ...schedule.rooms.map((r) => h("th", { scope: "col", class: r.known ? "" : "unknown-room", title: r.known ? r.name : t("schedule.unknownRoom", { room: r.name }) }, r.name, r.known ? null : " ⚠")),
    );
    const rows = day.times.map((time) =>
      h(
        "tr",
        {},
        h("th", { scope: "row", class: "time" }, time),
        ...schedule.rooms.map((r, ri) => {
          const td = h("td", { class: "cell", "data-time": time, "data-room": r.name, "data-room-index": ri });
          for (const c of cells.get(cellKey(time, ri)) ?? []) td.append(this.cardNode(schedule, c));
          this.dropTarget(td, day.date, time, r.name);
          return td;
        }),
      ),
    );
    if (rows.length === 0) {
      this.gridHost.append(h("p", { class: "empty" }, t("schedule.emptyDay", { day: day.date })));
    }
    this.gridHost.append(h("table", { class: "schedule-grid", "aria-label": t("schedule.sessionsOn", { day: day.date }) }, h("thead", {}, head), h("tbody", {}, ...rows)));
  }

  private renderUnplaced(schedule: Schedule): void {
    const cards = unplacedCards(schedule);
    this.unplacedList.replaceChildren(
      ...(cards.length === 0 ? [h("li", { class: "empty" }, t("schedule.allPlaced"))] : cards.map((c) => h("li", {}, this.cardNode(schedule, c)))),
    );
  }

  private cardNode(schedule: Schedule, c: Card): HTMLElement {
    const kinds = clashKinds(schedule, c);
    const cls = ["card", c.track_index !== null ? `t${c.track_index % 8}` : "", c.modified ? "modified" : "", ...[...kinds].map((k) => `clash-${k}`)].filter(Boolean).join(" ");
    const node = h(
      "div",
      { class: cls, role: "button", tabindex: 0, draggable: "true", "data-stem": c.stem, "data-id": c.id, "aria-label": cardLabel(schedule, c), title: cardLabel(schedule, c) },
      h("div", { class: "card-title" }, c.modified ? h("span", { class: "modified-dot", "aria-hidden": "true" }, "●") : null, c.title),
      h("div", { class: "card-meta" }, c.place ? `${c.place.time}–${c.place.end}` : (c.unplaced ?? ""), c.presenters.length ? ` · ${c.presenters.join(", ")}` : ""),
      kinds.size ? h("div", { class: "card-clash" }, [...kinds].map((k) => t(k === "room" ? "schedule.roomClash" : "schedule.presenterClash")).join(" · ")) : null,
    );
    node.addEventListener("click", () => this.openMove(c));
    node.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " " || e.key === "m" || e.key === "M") {
        e.preventDefault();
        this.openMove(c);
      }
    });
    node.addEventListener("dragstart", (e) => {
      this.dragging = c.stem;
      e.dataTransfer?.setData(DRAG_TYPE, c.stem);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
      node.classList.add("dragging");
    });
    node.addEventListener("dragend", () => {
      this.dragging = null;
      node.classList.remove("dragging");
    });
    return node;
  }

  private dropTarget(td: HTMLElement, day: string, time: string, room: string): void {
    td.addEventListener("dragover", (e) => {
      if (!this.dragging) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
      td.classList.add("drop");
    });
    td.addEventListener("dragleave", () => td.classList.remove("drop"));
    td.addEventListener("drop", (e) => {
      e.preventDefault();
      td.classList.remove("drop");
      const stem = e.dataTransfer?.getData(DRAG_TYPE) || this.dragging;
      this.dragging = null;
      const card = this.schedule?.sessions.find((c) => c.stem === stem);
      if (!card) return;
      const p = card.place;
      if (p && p.day === day && p.time === time && p.room === room) return;
      void this.move(card, day, time, room);
    });
  }

  private cardElement(stem: string): HTMLElement | null {
    return this.element.querySelector<HTMLElement>(`.schedule-grid .card[data-stem="${CSS.escape(stem)}"], .unplaced .card[data-stem="${CSS.escape(stem)}"]`);
  }

  private buildDialog(): HTMLDialogElement {
    const field = (label: Msg, input: HTMLElement) => h("label", { class: "move-field" }, label, input);
    const submit = h("button", { type: "submit", class: "primary move-submit" }, msg("schedule.move"));
    const cancel = h("button", { type: "button", class: "move-cancel" }, msg("common.cancel"));
    const open = h("button", { type: "button", class: "move-open" }, msg("schedule.openInEditor"));
    cancel.addEventListener("click", () => this.dialog.close());
    open.addEventListener("click", () => {
      const c = this.moving;
      this.dialog.close();
      if (c) this.host.open(c.id);
    });
    const form = h(
      "form",
      { method: "dialog", class: "move-form", autocomplete: "off" },
      this.dialogTitle,
      h("p", { class: "move-hint" }, msg("schedule.moveHint")),
      field(msg("schedule.day"), this.daySelect),
      field(msg("forms.col.start"), this.timeInput),
      field(msg("field.room"), this.roomSelect),
      this.formNote,
      h("div", { class: "move-actions" }, open, h("span", { class: "spacer" }), cancel, submit),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submitMove();
    });
    const dialog = h("dialog", { class: "move-dialog", id: "move-dialog", "aria-label": msg("schedule.moveTo") }, form);
    dialog.addEventListener("close", () => {
      const stem = this.moving?.stem;
      this.moving = null;
      if (stem) this.cardElement(stem)?.focus();
    });
    return dialog;
  }

  /** The keyboard (and click) way to move: a form with day, time and room. */
  openMove(card: Card): void {
    const s = this.schedule;
    if (!s) return;
    this.moving = card;
    this.dialogTitle.textContent = t("schedule.moveTitle", { title: card.title });
    const days = s.days.map((d) => d.date);
    const day = card.place?.day ?? this.day ?? days[0] ?? "";
    this.daySelect.replaceChildren(...days.map((d) => h("option", { value: d }, d)));
    this.daySelect.value = day;
    this.timeInput.value = card.place?.time ?? this.schedule?.days.find((d) => d.date === day)?.times[0] ?? "09:00";
    this.roomSelect.replaceChildren(...s.rooms.map((r) => h("option", { value: r.name }, r.name, r.known ? "" : ` ${t("schedule.notInRooms")}`)));
    this.roomSelect.value = card.place?.room ?? s.rooms[0]?.name ?? "";
    this.formNote.textContent = "";
    if (!this.dialog.open) this.dialog.showModal();
    this.daySelect.focus();
  }

  private async submitMove(): Promise<void> {
    const card = this.moving;
    if (!card) return;
    const time = this.timeInput.value.trim();
    if (!isTime(time)) {
      this.formNote.textContent = t("schedule.badTime", { time });

      this.timeInput.focus();
      return;
    }
    const done = await this.move(card, this.daySelect.value, time.padStart(5, "0"), this.roomSelect.value);
    if (done) {
      this.day = this.daySelect.value;
      if (this.schedule) this.render(this.schedule);
      this.dialog.close();
    }
  }
}
