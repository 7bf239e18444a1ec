// The human names of front-matter keys, as the session form shows them.
// One table for every place that names a field (the form, Set field…, the
// table view), so a key reads the same everywhere.

const LABELS: Record<string, string> = {
  title: "Title",
  date: "Date",
  track: "Track",
  presenters: "Presenters",
  stype: "Session type",
  room: "Room",
  speechLink: "Video link",
};

/** The form's label for `key`; a key the form does not name reads as itself. */
export function fieldLabel(key: string): string {
  return Object.hasOwn(LABELS, key) ? (LABELS[key] ?? key) : key;
}
