// Photos in the window: wires "Fetch all photos" (panel + shell events), the
// speakers editor's photo details and the "Replace photo…" dialog to the
// shell's photo commands. The app hands it a few hooks so it can refresh the
// open session without knowing the rest of the window.
import {
  api,
  AppError,
  events,
  toAppError,
  type Edited,
  type PhotoFetchSummary,
  type SessionView,
} from "../ipc/api";
import { emptySummary } from "./photoFormat";
import { PhotoFetchPanel } from "./photoFetch";
import { PhotoReplaceDialog } from "./photoReplace";
import type { SpeakersEditor } from "./speakersEditor";
import { t } from "../i18n";

export interface PhotoHooks {
  /** The session shown, if any. */
  current(): SessionView | null;
  /** Reload the shown session (preview included) from the shell. */
  reload(): Promise<void>;
  /** Show the result of an edit. */
  edited(e: Edited): void;
  openSession(id: string): void;
  info(message: string): void;
  error(e: AppError): void;
}

export class PhotosController {
  readonly fetchPanel: PhotoFetchPanel;
  readonly replaceDialog: PhotoReplaceDialog;
  /** Session id and photo sources last asked about, to skip needless refreshes. */
  private shownKey = "";

  constructor(
    private readonly speakers: SpeakersEditor,
    private readonly hooks: PhotoHooks,
  ) {
    this.fetchPanel = new PhotoFetchPanel(
      () => void api.cancelPhotoFetch().catch((e: unknown) => hooks.error(toAppError(e))),
      (id) => hooks.openSession(id),
    );
    this.replaceDialog = new PhotoReplaceDialog((r) => this.replace(r.index, r.offset));
  }

  async listen(): Promise<void> {
    await Promise.all([
      events.onPhotosProgress((p) => this.fetchPanel.progress(p)),
      events.onPhotosFetched((s) => void this.fetched(s)),
    ]);
  }

  /** Start "Fetch all photos" in the background. */
  async fetchAll(): Promise<void> {
    if (this.fetchPanel.running) return;
    this.fetchPanel.begin();
    try {
      this.fetchPanel.setTotal(await api.fetchAllPhotos());
    } catch (e) {
      const err = toAppError(e);
      this.fetchPanel.finish(emptySummary({ error: err.message }));
      this.hooks.error(err);
    }
  }

  private async fetched(s: PhotoFetchSummary): Promise<void> {
    this.fetchPanel.finish(s);
    // The cache has new photos: redraw the preview and the thumbnails.
    this.shownKey = "";
    await this.hooks.reload();
  }

  /** A session view was shown: refresh the photo details when its photos changed. */
  viewShown(view: SessionView): void {
    const key = `${view.id}\n${(view.speakers ?? []).map((s) => s.photo ?? "").join("\n")}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    void this.refresh(view.id);
  }

  private async refresh(id: string): Promise<void> {
    try {
      const photos = await api.speakerPhotos(id);
      if (this.hooks.current()?.id === id) this.speakers.setPhotos(photos);
    } catch (e) {
      this.hooks.error(toAppError(e));
    }
  }

  /** Open "Replace photo…" for speaker `index`. */
  openReplace(index: number, name: string): void {
    if (!this.hooks.current()) return;
    this.replaceDialog.open(index, name);
  }

  private async replace(index: number, offset: number): Promise<boolean> {
    const view = this.hooks.current();
    if (!view) return false;
    try {
      const r = await api.replaceSpeakerPhoto(view.id, index, offset);
      this.shownKey = "";
      this.hooks.edited(r.edited);
      const twins = r.changed.length > 1 ? t("photo.inFiles", { n: r.changed.length }) : "";
      this.hooks.info(t("photo.replaced", { src: r.src, size: r.size, twins }));

      return true;
    } catch (e) {
      const err = toAppError(e);
      this.replaceDialog.fail(err.message);
      return false;
    }
  }
}
