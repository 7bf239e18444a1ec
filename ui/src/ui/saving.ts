// What Save tells the person: Save writes the open session's file and the
// twins the same edits changed (see `App.save`), and says which.

/** What Save tells: the file, and the twins saved with it. */
export function savedMessage(id: string, saved: readonly string[]): string {
  const twins = saved.filter((f) => f !== id);
  if (saved.length === 0) return "Nothing to save: no unsaved edits.";
  if (twins.length === 0) return `Saved ${id}.`;
  const with_ = twins.length === 1 ? `its twin ${twins[0]}` : `its twins ${twins.join(", ")}`;
  return saved.includes(id) ? `Saved ${id} and ${with_}, changed by the same edits.` : `Saved ${with_}.`;
}
