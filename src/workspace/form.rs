//! The session form and the table view: the site's schema fields, in the
//! core's display order (built-in fields first, then by name), with the
//! choices of a language and the values as written (unsaved edits included).

use super::Workspace;
use crate::error::Result;
use crate::schema::{FieldRule, FieldType};
use serde::Serialize;
use std::collections::BTreeSet;

/// One field of a session's form: a schema rule with the file's value,
/// for the file's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormField {
    /// The front-matter key.
    pub key: String,
    /// How it is edited (see [`shown_kind`]).
    pub kind: FieldType,
    /// Must be present and not empty.
    pub required: bool,
    /// Allowed values in the file's language (empty when free).
    pub choices: Vec<String>,
    /// The current value as written (`None` when the key is absent).
    pub value: Option<String>,
}

/// One column of the table view: a schema field, with the choices of the
/// site's default language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Column {
    /// The front-matter key.
    pub key: String,
    /// How its cells are edited (see [`shown_kind`]).
    pub kind: FieldType,
    /// Must be present and not empty.
    pub required: bool,
    /// Allowed values in the site's default language (empty when free).
    pub choices: Vec<String>,
}

/// One row of the table view: a session, by its primary (default-language) file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TableRow {
    /// The session's stem.
    pub stem: String,
    /// The id of the file the values come from.
    pub id: String,
    /// Values in column order (`None` when the key is absent).
    pub values: Vec<Option<String>>,
    /// Whether a file of the session has unsaved edits.
    pub modified: bool,
}

/// The table view's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Table {
    /// Schema fields, in schema order.
    pub columns: Vec<Column>,
    /// The sessions asked for, in the order asked (unknown stems left out).
    pub rows: Vec<TableRow>,
}

/// How a field of `rule` is edited in the form and the table. A real list
/// (issue 12) is shown like a comma-separated one until the form edits
/// lists as chips; the core refuses to collapse a list into one string, so
/// a save cannot damage it.
pub fn shown_kind(rule: &FieldRule) -> FieldType {
    match rule.kind {
        FieldType::Items => FieldType::List,
        k => k,
    }
}

impl Workspace {
    /// The form of session file `id`: every schema field with the choices of
    /// the file's language and the value as written.
    pub fn form(&self, id: &str) -> Result<Vec<FormField>> {
        let lang = self.session(id)?.file.lang.clone();
        let doc = self.document(id)?;
        Ok(self
            .site
            .schema
            .ordered()
            .into_iter()
            .map(|rule| FormField {
                key: rule.name.clone(),
                kind: shown_kind(rule),
                required: rule.required,
                choices: rule.values_for(&lang).cloned().unwrap_or_default(),
                value: doc.get(&rule.name),
            })
            .collect())
    }

    /// The table view of the sessions `stems`: one row per session (values
    /// of its default-language file, as in memory), one column per schema
    /// field. Unknown stems are left out. Runs no check.
    pub fn table(&self, stems: &[String]) -> Table {
        let site = &self.site;
        let columns: Vec<Column> = site
            .schema
            .ordered()
            .into_iter()
            .map(|rule| Column {
                key: rule.name.clone(),
                kind: shown_kind(rule),
                required: rule.required,
                choices: rule
                    .values_for(&site.default_lang)
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        let wanted: BTreeSet<String> = stems.iter().cloned().collect();
        let summaries = self.summaries_of(&wanted);
        let rows = stems
            .iter()
            .filter_map(|stem| {
                let s = summaries.iter().find(|s| &s.stem == stem)?;
                let doc = self.document(&s.id).ok();
                Some(TableRow {
                    stem: stem.clone(),
                    id: s.id.clone(),
                    values: columns
                        .iter()
                        .map(|c| doc.and_then(|d| d.get(&c.key)))
                        .collect(),
                    modified: s.modified,
                })
            })
            .collect();
        Table { columns, rows }
    }
}
