// The human names of front-matter keys, as the session form shows them.
// One table for every place that names a field (the form, Set field…, the
// table view), so a key reads the same everywhere. The names themselves are
// in the message catalogs (i18n/).
import { msg, t, type MessageKey, type Msg } from "../i18n";

const LABELS: Record<string, MessageKey> = {
  title: "field.title",
  date: "field.date",
  track: "field.track",
  presenters: "field.presenters",
  stype: "field.stype",
  room: "field.room",
  speechLink: "field.speechLink",
};

/** The form's label for `key`; a key the form does not name reads as itself. */
export function fieldLabel(key: string): string {
  const k = Object.hasOwn(LABELS, key) ? LABELS[key] : undefined;
  return k ? t(k) : key;
}

/** `fieldLabel` as a label that follows the language (for `h()`). */
export function fieldLabelMsg(key: string): Msg | string {
  const k = Object.hasOwn(LABELS, key) ? LABELS[key] : undefined;
  return k ? msg(k) : key;
}
