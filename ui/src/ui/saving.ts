// What Save tells the person: Save writes the open session's file and the
// twins the same edits changed (see `App.save`), and says which. Kept short:
// the status shares the toolbar.

/** What Save tells: "Saved.", and the languages of the twins saved with it. */
export function savedMessage(id: string, saved: readonly string[], langOf: (id: string) => string): string {
  const twins = saved.filter((f) => f !== id).map(langOf);
  if (saved.length === 0) return "Nothing to save: no unsaved edits.";
  if (twins.length === 0) return "Saved.";
  const which = `${twins.length === 1 ? "twin" : "twins"} (${twins.join(", ")})`;
  return saved.includes(id) ? `Saved, with its ${which}.` : `Saved its ${which}.`;
}
