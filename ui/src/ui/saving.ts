// What Save tells the person: Save writes the open session's file and the
// twins the same edits changed (see `App.save`), and says which. Kept short:
// the status shares the toolbar.
import { t } from "../i18n";

/** What Save tells: "Saved.", and the languages of the twins saved with it. */
export function savedMessage(id: string, saved: readonly string[], langOf: (id: string) => string): string {
  const twins = saved.filter((f) => f !== id).map(langOf);
  if (saved.length === 0) return t("saving.nothing");
  if (twins.length === 0) return t("saving.saved");
  const which = t(twins.length === 1 ? "saving.twin" : "saving.twins", { langs: twins.join(", ") });
  return saved.includes(id) ? t("saving.savedWith", { which }) : t("saving.savedIts", { which });
}
