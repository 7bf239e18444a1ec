//! A session file as a lossless document.
//!
//! The document keeps the file's exact text; the front matter (YAML, TOML or
//! JSON, see [`crate::front_matter`]), its typed view and the speakers section
//! are views derived from it. Every edit is a patch of byte ranges planned by
//! [`crate::front_matter::edit`] that returns a new document, so bytes nobody
//! touched stay as they were: BOM, CRLF, mixed line endings, a missing final
//! newline, trailing spaces, comments, quoting and key order. An edit is
//! re-read before it is handed back: a value that would not read back as
//! asked is refused, never written.

use crate::diagnostics::Code;
use crate::error::{Error, Result};
use crate::front_matter::{
    self, Entry, Format, Kind, LineIndex, Mapping, Patch, SetOptions, Split, SplitError, View,
};
use crate::fs::{content_hash, write_atomic, Hash};
use crate::speakers::{self, Speaker, SpeakersSection};
use crate::text::{clip, dominant_eol};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const BOM: &str = "\u{feff}";

/// Largest file [`Document::load`] reads. Real session files are a few KiB;
/// the cap bounds the memory and render time a hostile file can cost.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The session fields Lectern knows, as strings, plus every other key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Fields {
    /// `title`
    pub title: Option<String>,
    /// `date`, as written (for example `2022-07-29T14:00:00`).
    pub date: Option<String>,
    /// `track` slug.
    pub track: Option<String>,
    /// `presenters`, one comma-separated string.
    pub presenters: Option<String>,
    /// `stype`, the session type (`English Session`, `中文演讲`, …).
    pub stype: Option<String>,
    /// `room`
    pub room: Option<String>,
    /// `speechLink`, the video URL.
    #[serde(rename = "speechLink")]
    pub speech_link: Option<String>,
    /// Other keys whose values are scalars.
    pub extra: BTreeMap<String, String>,
}

impl Fields {
    fn from_mapping(m: &Mapping) -> Self {
        let mut f = Fields::default();
        for (k, v) in m {
            let (Some(k), Some(v)) = (k.as_str(), front_matter::scalar_to_string(v)) else {
                continue;
            };
            let slot = match k {
                "title" => &mut f.title,
                "date" => &mut f.date,
                "track" => &mut f.track,
                "presenters" => &mut f.presenters,
                "stype" => &mut f.stype,
                "room" => &mut f.room,
                "speechLink" => &mut f.speech_link,
                _ => {
                    f.extra.insert(k.to_string(), v);
                    continue;
                }
            };
            *slot = Some(v);
        }
        f
    }

    /// The presenters as a list: split on ASCII and full-width commas and `、`.
    pub fn presenter_list(&self) -> Vec<String> {
        split_presenters(self.presenters.as_deref().unwrap_or(""))
    }
}

/// Split a `presenters` string into names.
pub fn split_presenters(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；'])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A problem that keeps the front matter from being read. The document still
/// loads (its text is kept and can be saved unchanged) but cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontMatterProblem {
    /// Stable code: `no-front-matter`, `unclosed-front-matter`, `yaml-syntax`,
    /// `toml-syntax` or `json-syntax`.
    pub code: Code,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the file.
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

#[derive(Debug, Clone)]
struct Parsed {
    split: Split,
    mapping: Mapping,
    entries: Vec<Entry>,
    fields: Fields,
}

/// A loaded session file.
#[derive(Debug, Clone)]
pub struct Document {
    path: PathBuf,
    /// The whole file text, BOM included. Shared, like `parsed`: copies of
    /// a whole site (checks on another thread, reloads) cost no text.
    text: std::sync::Arc<str>,
    /// Hash of the bytes on disk when loaded or last saved.
    base: Option<Hash>,
    /// Shared: documents are cloned often (edits, snapshots for checks,
    /// reloads) and the parsed front matter never changes once made.
    parsed: Option<std::sync::Arc<Parsed>>,
    problem: Option<FrontMatterProblem>,
    body_start: usize,
    /// The speakers section, parsed on first use (validation asks often);
    /// shared by copies, like `parsed`.
    speakers: std::sync::OnceLock<Option<std::sync::Arc<SpeakersSection>>>,
    /// Hash of `text`, computed on first use: the session list asks every
    /// document whether it is modified, and hashing 10,000 files per
    /// question was the list's main cost.
    text_hash: std::sync::OnceLock<Hash>,
}

impl Document {
    /// Read and parse a file. Unreadable or undecodable files are errors, and
    /// so are pipes, devices and files over [`MAX_FILE_BYTES`]; front matter
    /// that cannot be parsed is reported by [`Document::problem`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = crate::fs::read_regular(path, MAX_FILE_BYTES)?;
        let hash = content_hash(&bytes);
        Self::from_disk(path, bytes, hash)
    }

    /// Parse bytes just read from `path` whose content hash is `hash`
    /// (as [`Document::load`] does after reading).
    pub fn from_disk(path: impl Into<PathBuf>, bytes: Vec<u8>, hash: Hash) -> Result<Self> {
        let mut doc = Self::from_bytes(path, bytes)?;
        doc.base = Some(hash);
        // The text is exactly the bytes hashed.
        let _ = doc.text_hash.set(hash);
        Ok(doc)
    }

    /// Parse bytes that came from `path` (the file is not read).
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<Self> {
        let path = path.into();
        if bytes.is_empty() {
            return Err(content(
                &path,
                1,
                1,
                "the file is empty; a session needs front matter between `---` lines",
            ));
        }
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(content(&path, 1, 1, "the file is UTF-16; save it as UTF-8"));
        }
        if let Some(order) = utf16_without_bom(&bytes) {
            return Err(content(
                &path,
                1,
                1,
                &format!("the file looks like UTF-16 ({order}) without a byte order mark; save it as UTF-8 (in most editors: Save with Encoding › UTF-8)"),
            ));
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..at]);
                let (line, col) = LineIndex::new(&prefix).line_col(&prefix, at);
                let msg = if bytes.iter().take(8192).any(|b| *b == 0) {
                    "this is a binary file, not a Markdown session".to_string()
                } else {
                    format!(
                        "byte 0x{:02X} is not UTF-8; save the file as UTF-8",
                        bytes[at]
                    )
                };
                return Err(content(&path, line, col, &msg));
            }
        };
        if let Some(at) = text.as_bytes().iter().take(8192).position(|b| *b == 0) {
            let (line, col) = LineIndex::new(&text).line_col(&text, at);
            return Err(content(
                &path,
                line,
                col,
                "a NUL byte: this is a binary file, not a Markdown session (or a text file damaged here; remove the byte)",
            ));
        }
        Ok(Self::from_text(path, text))
    }

    /// Parse text that came from `path`.
    pub fn from_text(path: impl Into<PathBuf>, text: String) -> Self {
        let mut doc = Document {
            path: path.into(),
            text: text.into(),
            base: None,
            parsed: None,
            problem: None,
            body_start: 0,
            speakers: Default::default(),
            text_hash: Default::default(),
        };
        doc.reparse();
        doc
    }

    fn bom_len(&self) -> usize {
        if self.text.starts_with(BOM) {
            BOM.len()
        } else {
            0
        }
    }

    fn reparse(&mut self) {
        let off = self.bom_len();
        let t = &self.text[off..];
        self.parsed = None;
        self.problem = None;
        self.speakers = Default::default();
        self.body_start = off;
        let split = match front_matter::split(t) {
            Ok(s) => s,
            Err(e) => {
                let (code, message) = match e {
                    SplitError::NoFrontMatter if t.starts_with(BOM) => (Code::NoFrontMatter, "the file starts with two byte-order marks (U+FEFF); remove the second one before `---`"),
                    SplitError::NoFrontMatter if t.starts_with("---\r") || t.starts_with("+++\r") => (Code::NoFrontMatter, "lines end with a lone carriage return (classic Mac line endings), so the `---` line is not seen; save the file with LF or CRLF line endings"),
                    SplitError::NoFrontMatter => (Code::NoFrontMatter, "the file does not start with front matter; add it at the top (`---`, `title: …`, `---` for YAML; `+++` for TOML; a `{…}` JSON object)"),
                    SplitError::Unclosed(Format::Yaml) => (Code::UnclosedFrontMatter, "the front matter opened on line 1 is never closed; add a `---` line after the last field"),
                    SplitError::Unclosed(Format::Toml) => (Code::UnclosedFrontMatter, "the TOML front matter opened on line 1 is never closed; add a `+++` line after the last field"),
                    SplitError::Unclosed(Format::Json) => (Code::UnclosedFrontMatter, "the JSON front matter's `{` on line 1 is never closed by a matching `}`; close the object before the body"),
                };
                self.problem = Some(FrontMatterProblem {
                    code,
                    line: 1,
                    column: 1,
                    message: message.into(),
                });
                return;
            }
        };
        self.body_start = off + split.close.end;
        let fm = &t[split.yaml.clone()];
        match front_matter::parse_front_matter(split.format, fm) {
            Ok((mapping, entries)) => {
                let fields = Fields::from_mapping(&mapping);
                self.parsed = Some(std::sync::Arc::new(Parsed {
                    split,
                    mapping,
                    entries,
                    fields,
                }));
            }
            Err(e) => {
                let line = if e.line == 0 {
                    1
                } else {
                    e.line + split.yaml_first_line - 1
                };
                let (code, name) = match split.format {
                    Format::Yaml => (Code::YamlSyntax, "YAML"),
                    Format::Toml => (Code::TomlSyntax, "TOML"),
                    Format::Json => (Code::JsonSyntax, "JSON"),
                };
                self.problem = Some(FrontMatterProblem {
                    code,
                    line,
                    column: e.column.max(1),
                    message: format!("invalid {name} in front matter: {}", e.message),
                });
            }
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text, BOM included.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The bytes to write: exactly the text.
    pub fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// Whether the text differs from what was loaded or last saved.
    pub fn is_modified(&self) -> bool {
        self.base.is_none_or(|b| b != self.text_hash())
    }

    /// The content hash of the text (what saving it would write).
    pub fn text_hash(&self) -> Hash {
        *self
            .text_hash
            .get_or_init(|| content_hash(self.text.as_bytes()))
    }

    /// The hash of the file on disk when it was loaded or last saved.
    pub fn base_hash(&self) -> Option<Hash> {
        self.base
    }

    /// Why the front matter cannot be read, if it cannot.
    pub fn problem(&self) -> Option<&FrontMatterProblem> {
        self.problem.as_ref()
    }

    /// The typed view of the known fields (empty when the front matter is unreadable).
    pub fn fields(&self) -> Fields {
        self.parsed
            .as_ref()
            .map(|p| p.fields.clone())
            .unwrap_or_default()
    }

    /// Borrow the typed view, when the front matter was read.
    pub fn fields_ref(&self) -> Option<&Fields> {
        self.parsed.as_ref().map(|p| &p.fields)
    }

    /// The parsed mapping, when the front matter was read.
    pub fn mapping(&self) -> Option<&Mapping> {
        self.parsed.as_ref().map(|p| &p.mapping)
    }

    /// The raw front-matter YAML text (between the fences).
    pub fn front_matter_text(&self) -> Option<&str> {
        let p = self.parsed.as_ref()?;
        let off = self.bom_len();
        Some(&self.text[off + p.split.yaml.start..off + p.split.yaml.end])
    }

    /// The top-level keys in file order.
    pub fn keys(&self) -> Vec<String> {
        self.parsed
            .as_ref()
            .map(|p| p.entries.iter().map(|e| e.key.clone()).collect())
            .unwrap_or_default()
    }

    /// A field's value as a string (scalars only).
    pub fn get(&self, key: &str) -> Option<String> {
        front_matter::scalar_to_string(self.parsed.as_ref()?.mapping.get(key)?)
    }

    /// The Markdown body (everything after the closing fence).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Byte offset where the body starts.
    pub fn body_offset(&self) -> usize {
        self.body_start
    }

    /// 1-based line of a byte offset in the file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        LineIndex::new(&self.text).line_col(&self.text, offset)
    }

    /// The 1-based line where a top-level key is written; for a list item
    /// named `key[i]` (as [`Document::searchable_fields`] names them), the
    /// item's line.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        let p = self.parsed.as_ref()?;
        let off = self.bom_len() + p.split.yaml.start;
        let at = match p.entries.iter().find(|e| e.key == key) {
            Some(e) => off + e.lines.start,
            None => {
                let (k, i) = item_name(key)?;
                let e = p.entries.iter().find(|e| e.key == k)?;
                let n = self.list(k)?.len();
                let layout = front_matter::lists::layout(p.split.format, self.view(p).text, e, n)?;
                off + layout.item_spans().get(i)?.start
            }
        };
        Some(self.text[..at].matches('\n').count() + 1)
    }

    /// The values find and replace search: each scalar field by its key,
    /// and each item of a list field as `key[i]` (0-based).
    pub fn searchable_fields(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for k in self.keys() {
            if let Some(v) = self.get(&k) {
                out.push((k, v));
            } else if let Some(items) = self.list(&k) {
                out.extend(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (format!("{k}[{i}]"), v)),
                );
            }
        }
        out
    }

    /// Set a value named as [`Document::searchable_fields`] names it: a
    /// field, or one item of a list (the other items keep their text).
    pub fn set_searchable(&self, name: &str, value: &str) -> Result<Document> {
        if let Some((k, i)) = item_name(name)
            .filter(|_| self.get(name).is_none() && !self.keys().iter().any(|x| x == name))
        {
            if let Some(mut items) = self.list(k).filter(|l| i < l.len()) {
                items[i] = value.to_string();
                return self.set_list(k, &items, SetOptions::default(), &[]);
            }
        }
        self.set(name, value)
    }

    /// The line of the closing fence (or 1 when there is none).
    pub fn front_matter_end_line(&self) -> usize {
        self.text[..self.body_start].matches('\n').count().max(1)
    }

    /// The speakers section of the body, when it has one.
    pub fn speakers(&self) -> Option<SpeakersSection> {
        self.speakers_ref().cloned()
    }

    /// Borrow the speakers section, parsing it once.
    pub fn speakers_ref(&self) -> Option<&SpeakersSection> {
        self.speakers
            .get_or_init(|| speakers::parse(self.body()).map(std::sync::Arc::new))
            .as_deref()
    }

    fn editable(&self) -> Result<&Parsed> {
        match (&self.parsed, &self.problem) {
            (Some(p), _) => Ok(&**p),
            (None, Some(pr)) => Err(content(
                &self.path,
                pr.line,
                pr.column,
                &format!("{}; fix it before editing fields", pr.message),
            )),
            (None, None) => Err(Error::Invalid("front matter is not available".into())),
        }
    }

    fn patched(&self, start: usize, end: usize, with: &str) -> Document {
        let mut text = String::with_capacity(self.text.len() + with.len());
        text.push_str(&self.text[..start]);
        text.push_str(with);
        text.push_str(&self.text[end..]);
        let mut d = Document {
            path: self.path.clone(),
            text: text.into(),
            base: self.base,
            parsed: None,
            problem: None,
            body_start: 0,
            speakers: Default::default(),
            text_hash: Default::default(),
        };
        d.reparse();
        d
    }

    fn view<'a>(&'a self, p: &'a Parsed) -> View<'a> {
        let off = self.bom_len();
        View {
            format: p.split.format,
            text: &self.text[off + p.split.yaml.start..off + p.split.yaml.end],
            mapping: &p.mapping,
            entries: &p.entries,
        }
    }

    fn apply(&self, p: &Parsed, patch: Patch) -> Document {
        let off = self.bom_len() + p.split.yaml.start;
        self.patched(off + patch.range.start, off + patch.range.end, &patch.text)
    }

    /// The front matter's format, when the file has readable front matter.
    pub fn format(&self) -> Option<Format> {
        self.parsed.as_ref().map(|p| p.split.format)
    }

    /// The kind of a field's value as written (text, integer, date-time, list…).
    pub fn kind(&self, key: &str) -> Option<Kind> {
        let p = self.parsed.as_ref()?;
        self.view(p).kind(key)
    }

    /// How a top-level field's value is written (plain, quoted, a list…).
    pub fn value_style(&self, key: &str) -> Option<front_matter::ValueStyle> {
        self.parsed
            .as_ref()?
            .entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.style)
    }

    /// How a list field is written (flow or block, and the block's indent).
    pub fn list_style(&self, key: &str) -> Option<front_matter::ListStyle> {
        let p = self.parsed.as_ref()?;
        self.view(p).list_style(key)
    }

    /// Whether a YAML key is written with a space before its colon.
    pub fn space_before_colon(&self, key: &str) -> Option<bool> {
        let p = self.parsed.as_ref()?;
        self.view(p).space_before_colon(key)
    }

    /// A list field's items as strings (`None` when the field is not a
    /// list of scalars).
    pub fn list(&self, key: &str) -> Option<Vec<String>> {
        let p = self.parsed.as_ref()?;
        self.view(p).items(key)
    }

    /// Whether a field equals `value` (trimmed), or, for a list, has an item
    /// equal to it: what `--where` matches.
    pub fn matches(&self, key: &str, value: &str) -> bool {
        let v = value.trim();
        match self.list(key) {
            Some(items) => items.iter().any(|i| i.trim() == v),
            None => self.get(key).is_some_and(|x| x.trim() == v),
        }
    }

    /// Set a field to a string, changing only that field's line(s): see
    /// [`Document::set_with`] with the default options (a value keeps the
    /// field's type or is refused; a list is not replaced by one value).
    pub fn set(&self, key: &str, value: &str) -> Result<Document> {
        self.set_with(key, value, SetOptions::default(), &[])
    }

    /// Set a field, keeping its type and style: `day: 1` becomes `day: 2`,
    /// an unquoted date-time stays unquoted, a quoted string keeps its quote
    /// character and a trailing comment stays. A value that would change the
    /// field's type is refused unless `opts.force_type`; a list field is
    /// refused unless `opts.replace_list`. A new key goes where `order` (the
    /// site's key order) puts it, else after the last key. An emptied value is
    /// written the way the file writes empty values.
    pub fn set_with(
        &self,
        key: &str,
        value: &str,
        opts: SetOptions,
        order: &[String],
    ) -> Result<Document> {
        validate_key(key)?;
        let p = self.editable()?;
        let Some(patch) = self
            .view(p)
            .set(key, value, opts, order)
            .map_err(Error::Invalid)?
        else {
            return Ok(self.clone());
        };
        let new = self.apply(p, patch);
        // Never hand back a document that reads differently from what was asked.
        let reads_back = if opts.replace_list && new.list(key).is_some() {
            new.list(key)
                == Some(if value.is_empty() {
                    vec![]
                } else {
                    vec![value.to_string()]
                })
        } else {
            let got = new.get(key);
            got.as_deref() == Some(value)
                || (value.is_empty()
                    && got.is_none()
                    && new.mapping().is_some_and(|m| m.contains_key(key)))
                || matches!(new.kind(key), Some(Kind::Float | Kind::Integer))
                    && got.as_deref().and_then(|g| g.parse::<f64>().ok())
                        == value.trim().parse::<f64>().ok()
                || new.kind(key) == Some(Kind::Bool)
                    && got.as_deref() == Some(value.trim().to_ascii_lowercase().as_str())
        };
        if !reads_back || new.problem.is_some() {
            return Err(Error::Invalid(format!(
                "setting `{}` to {} would not read back as the same text; edit it in the text",
                clip(key),
                clip(&format!("{value:?}"))
            )));
        }
        Ok(new)
    }

    /// Replace a list field's items (or reorder them); items that stay keep
    /// their exact text. A missing or empty field becomes a list in the
    /// style the file uses for lists.
    pub fn set_list(
        &self,
        key: &str,
        items: &[String],
        opts: SetOptions,
        order: &[String],
    ) -> Result<Document> {
        validate_key(key)?;
        let p = self.editable()?;
        let planned = self
            .view(p)
            .set_list(key, items, opts, order)
            .map_err(Error::Invalid)?;
        self.list_result(p, key, planned, |l| l == items)
    }

    /// Add an item at the end of a list field, in the list's own style
    /// (making the list when the field is missing or empty). Adding an item
    /// the list already has changes nothing.
    pub fn add_item(
        &self,
        key: &str,
        item: &str,
        opts: SetOptions,
        order: &[String],
    ) -> Result<Document> {
        validate_key(key)?;
        let p = self.editable()?;
        let planned = self
            .view(p)
            .add_item(key, item, opts, order)
            .map_err(Error::Invalid)?;
        self.list_result(p, key, planned, |l| {
            l.iter().any(|i| i.trim() == item.trim())
        })
    }

    /// Remove the first item equal to `item` from a list field; an error
    /// when the list does not have it.
    pub fn remove_item(&self, key: &str, item: &str) -> Result<Document> {
        validate_key(key)?;
        let p = self.editable()?;
        let before = self.list(key).map_or(0, |l| l.len());
        let planned = self
            .view(p)
            .remove_item(key, item)
            .map_err(Error::Invalid)?;
        self.list_result(p, key, planned, |l| l.len() + 1 == before)
    }

    fn list_result(
        &self,
        p: &Parsed,
        key: &str,
        planned: Option<Patch>,
        ok: impl Fn(&[String]) -> bool,
    ) -> Result<Document> {
        let Some(patch) = planned else {
            return Ok(self.clone());
        };
        let new = self.apply(p, patch);
        let items = new.list(key).unwrap_or_default();
        let emptied = new
            .mapping()
            .is_some_and(|m| m.get(key).is_some_and(|v| v.is_null()));
        if new.problem.is_some() || !(ok(&items) || emptied && ok(&[])) {
            return Err(Error::Invalid(format!(
                "editing the list `{}` would not read back as asked; edit it in the text",
                clip(key)
            )));
        }
        Ok(new)
    }

    /// Remove a field and its lines. Removing a missing field changes nothing.
    pub fn unset(&self, key: &str) -> Result<Document> {
        let p = self.editable()?;
        match self.view(p).unset(key).map_err(Error::Invalid)? {
            Some(patch) => {
                let new = self.apply(p, patch);
                if new.problem.is_some() || new.mapping().is_some_and(|m| m.contains_key(key)) {
                    return Err(Error::Invalid(format!(
                        "removing `{}` would break the front matter; edit it in the text",
                        clip(key)
                    )));
                }
                Ok(new)
            }
            None => Ok(self.clone()),
        }
    }

    /// The line ending most lines use (`\n` when tied or none).
    pub fn dominant_eol(&self) -> &'static str {
        dominant_eol(&self.text)
    }

    /// Replace the body. Lines equal to old ones (ignoring their endings) keep
    /// their original endings; new lines use the body's dominant ending. A
    /// missing final newline stays missing when the new text has none either.
    pub fn set_body(&self, new_body: &str) -> Document {
        let old = self.body();
        let merged = merge_line_endings(old, new_body);
        if merged == old {
            return self.clone();
        }
        self.patched(self.body_start, self.text.len(), &merged)
    }

    /// Replace the speakers section with `list`, written in the section's own
    /// style. Speakers that did not change keep their exact text.
    pub fn set_speakers(&self, list: &[Speaker]) -> Document {
        let lang = crate::text::lang_of_path(&self.path);
        let body = speakers::write(self.body(), list, lang.as_deref());
        self.set_body(&body)
    }

    /// Save to the document's path atomically. Fails with [`Error::Conflict`]
    /// when the file on disk is no longer what was loaded (by content hash).
    /// An unmodified document is not written at all.
    pub fn save(&self) -> Result<Document> {
        let disk = crate::fs::hash_file(&self.path)?;
        if disk != self.base {
            return Err(Error::Conflict {
                path: self.path.clone(),
            });
        }
        let hash = content_hash(self.text.as_bytes());
        if disk != Some(hash) {
            write_atomic(&self.path, self.text.as_bytes())?;
        }
        let mut d = self.clone();
        d.base = Some(hash);
        Ok(d)
    }

    /// Save even if the file changed on disk (the user chose "keep mine").
    pub fn save_over(&self) -> Result<Document> {
        write_atomic(&self.path, self.text.as_bytes())?;
        let mut d = self.clone();
        d.base = Some(content_hash(self.text.as_bytes()));
        Ok(d)
    }

    /// A copy of this document that believes it was loaded from `base`.
    pub fn with_base(mut self, base: Option<Hash>) -> Self {
        self.base = base;
        self
    }

    /// A copy pointing at another path (for renames).
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = path.into();
        self
    }
}

fn content(path: &Path, line: usize, column: usize, message: &str) -> Error {
    Error::Content {
        path: path.to_path_buf(),
        line,
        column,
        message: message.to_string(),
    }
}

/// `key[i]` as (`key`, i).
fn item_name(name: &str) -> Option<(&str, usize)> {
    let (k, rest) = name.strip_suffix(']')?.rsplit_once('[')?;
    Some((k, rest.parse().ok()?))
}

fn validate_key(key: &str) -> Result<()> {
    if key.is_empty() || key.contains(['\n', '\r']) || key.chars().any(|c| c.is_control()) {
        return Err(Error::Invalid(format!(
            "{} is not a usable field name",
            clip(&format!("{key:?}"))
        )));
    }
    Ok(())
}

/// The most changed lines (old plus new) [`merge_line_endings`] diffs.
const MAX_DIFFED_LINES: usize = 4000;

/// Rebuild `new` so that lines it shares with `old` keep `old`'s endings.
pub fn merge_line_endings(old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = front_matter::line_ranges(old).map(|r| &old[r]).collect();
    let new_norm: String = new.replace("\r\n", "\n");
    let new_lines: Vec<&str> = new_norm.split_inclusive('\n').collect();
    // Line contents without their ending, where only a real ending counts: a
    // lone CR at the end of the file, or the first CR of `\r\r\n`, is
    // content (taking it for an ending lost it when the body was set to
    // itself; found by fuzzing).
    let old_keys: Vec<&str> = old_lines
        .iter()
        .map(|l| &l[..l.len() - front_matter::eol_of(l).len()])
        .collect();
    let new_keys: Vec<&str> = new_lines
        .iter()
        .map(|l| l.strip_suffix('\n').unwrap_or(l))
        .collect();
    let eol = dominant_eol(old);
    // Which old line each new line is, when unchanged. Common leading and
    // trailing lines are matched directly; only the changed middle is
    // diffed, and only when it is small: Myers' diff is quadratic in the
    // worst case, and a big pasted or hostile body (thousands of distinct
    // lines) froze the app for minutes on one edit (found by the IPC fuzz).
    // A middle over the limit counts as all new: its lines get the file's
    // usual ending, which changes no content.
    let prefix = old_keys
        .iter()
        .zip(&new_keys)
        .take_while(|(a, b)| a == b)
        .count();
    let room = old_keys.len().min(new_keys.len()) - prefix;
    let suffix = old_keys
        .iter()
        .rev()
        .zip(new_keys.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let mut old_of_new: Vec<Option<usize>> = vec![None; new_keys.len()];
    for (i, slot) in old_of_new.iter_mut().enumerate().take(prefix) {
        *slot = Some(i);
    }
    for k in 0..suffix {
        old_of_new[new_keys.len() - 1 - k] = Some(old_keys.len() - 1 - k);
    }
    let (old_mid, new_mid) = (
        prefix..old_keys.len() - suffix,
        prefix..new_keys.len() - suffix,
    );
    if old_mid.len() + new_mid.len() <= MAX_DIFFED_LINES {
        let (o, n) = (&old_keys[old_mid.clone()], &new_keys[new_mid.clone()]);
        for op in similar::capture_diff_slices(similar::Algorithm::Myers, o, n) {
            for change in op.iter_changes(o, n) {
                if let (similar::ChangeTag::Equal, Some(oi), Some(ni)) =
                    (change.tag(), change.old_index(), change.new_index())
                {
                    old_of_new[new_mid.start + ni] = Some(old_mid.start + oi);
                }
            }
        }
    }
    let mut out = String::with_capacity(new.len() + new_lines.len());
    for (ni, line) in new_lines.iter().enumerate() {
        let has_nl = line.ends_with('\n');
        match old_of_new[ni] {
            Some(oi) => {
                let ending = front_matter::eol_of(old_lines[oi]);
                out.push_str(old_keys[oi]);
                if has_nl {
                    out.push_str(if ending.is_empty() { eol } else { ending });
                }
            }
            None => {
                out.push_str(new_keys[ni]);
                if has_nl {
                    out.push_str(eol);
                }
            }
        }
    }
    out
}

/// `Some("big-endian")` or `Some("little-endian")` when `bytes` look like
/// UTF-16 text without a byte order mark: in the first pairs of bytes, one
/// side is almost always zero (ASCII letters of a Latin-script text) and the
/// other almost never.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let pairs: Vec<&[u8]> = bytes.chunks_exact(2).take(512).collect();
    if pairs.len() < 4 {
        return None;
    }
    let zero_first = pairs.iter().filter(|p| p[0] == 0 && p[1] != 0).count();
    let zero_second = pairs.iter().filter(|p| p[1] == 0 && p[0] != 0).count();
    let most = pairs.len() * 9 / 10;
    if zero_first >= most {
        Some("big-endian")
    } else if zero_second >= most {
        Some("little-endian")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // hardening: found by the IPC fuzz (a 60 KiB body froze set_body for minutes)
    #[test]
    fn a_body_with_thousands_of_changed_lines_is_merged_without_a_full_diff() {
        let old: String = (0..20_000).map(|i| format!("old line {i}\r\n")).collect();
        let new: String = (0..20_000).map(|i| format!("new line {i}\n")).collect();
        let head = "kept first\r\n";
        let tail = "kept last\r\n";
        let merged = merge_line_endings(
            &format!("{head}{old}{tail}"),
            &format!("kept first\n{new}kept last\n"),
        );
        assert!(
            merged.starts_with(head) && merged.ends_with(tail),
            "unchanged lines keep their CRLF"
        );
        assert_eq!(
            merged.replace("\r\n", "\n"),
            format!("kept first\n{new}kept last\n")
        );
        // A small change in the middle of a big file still keeps every other ending.
        let mixed: String = (0..10_000)
            .map(|i| {
                if i % 2 == 0 {
                    format!("l{i}\r\n")
                } else {
                    format!("l{i}\n")
                }
            })
            .collect();
        let edited = mixed
            .replace("l5000\r\n", "changed\r\n")
            .replace("\r\n", "\n");
        let merged = merge_line_endings(&mixed, &edited);
        assert_eq!(merged, mixed.replace("l5000\r\n", "changed\n"));
    }

    fn doc(t: &str) -> Document {
        Document::from_text("s/ai-1.md", t.to_string())
    }

    #[test]
    fn set_keeps_quoting_comment_and_crlf() {
        let d = doc("\u{feff}---\r\ntitle: \"Old\"  # keep\r\nroom: A\r\n---\r\nbody\r\n");
        let e = d.set("title", "New \"x\"").unwrap();
        assert_eq!(
            e.text(),
            "\u{feff}---\r\ntitle: \"New \\\"x\\\"\"  # keep\r\nroom: A\r\n---\r\nbody\r\n"
        );
        let e = d.set("room", "no").unwrap();
        assert!(e.text().contains("room: \"no\"\r\n"));
    }

    #[test]
    fn adding_and_removing_a_field_touch_one_line() {
        let d = doc("---\ntitle: 'x'\n---\n");
        let e = d.set("room", "B").unwrap();
        assert_eq!(e.text(), "---\ntitle: 'x'\nroom: 'B'\n---\n");
        assert_eq!(e.unset("title").unwrap().text(), "---\nroom: 'B'\n---\n");
    }

    #[test]
    fn replaces_block_values_whole() {
        let d = doc("---\ntitle: |\n  a\n  b\nx: 1\n---\n");
        assert_eq!(
            d.set("title", "t").unwrap().text(),
            "---\ntitle: t\nx: 1\n---\n"
        );
    }

    #[test]
    fn body_edits_keep_endings_of_untouched_lines() {
        let d = doc("---\na: b\n---\none\r\ntwo\nthree");
        let e = d.set_body("one\nTWO\nthree");
        assert_eq!(e.body(), "one\r\nTWO\nthree");
        let e = d.set_body("one\ntwo\nthree\nfour\n");
        assert_eq!(e.body(), "one\r\ntwo\nthree\nfour\n");
    }

    #[test]
    fn setting_the_body_to_itself_keeps_stray_carriage_returns() {
        for t in [
            "+++\nnorway: no\n---\r",
            "---\na: b\n---\nx\r\r\ny\r",
            "---\na: b\n---\n\r\r\r\n\r",
        ] {
            let d = doc(t);
            assert_eq!(d.set_body(d.body()).text(), t);
        }
        let d = doc("---\na: b\n---\none\r\r\ntwo\r\n");
        assert_eq!(d.set_body("one\r\r\nTWO\n").body(), "one\r\r\nTWO\r\n");
    }

    #[test]
    fn unreadable_front_matter_refuses_edits() {
        let d = doc("---\ntitle: [\n---\n");
        assert_eq!(d.problem().unwrap().code, "yaml-syntax");
        assert!(d.set("title", "x").is_err());
    }

    #[test]
    fn explains_a_doubled_bom_and_classic_mac_line_endings() {
        let d = doc("\u{feff}\u{feff}---\ntitle: x\n---\n");
        assert!(d
            .problem()
            .unwrap()
            .message
            .contains("two byte-order marks"));
        let d = doc("---\rtitle: x\r---\r");
        assert!(d.problem().unwrap().message.contains("carriage return"));
        assert_eq!(d.bytes(), b"---\rtitle: x\r---\r");
    }

    #[test]
    fn rejects_empty_utf16_and_binary_files() {
        assert!(Document::from_bytes("a.md", vec![]).is_err());
        assert!(Document::from_bytes("a.md", vec![0xFF, 0xFE, b'a', 0]).is_err());
        let e = Document::from_bytes("a.md", b"---\nt: \xC3\x28\n---\n".to_vec()).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Content {
                    line: 2,
                    column: 4,
                    ..
                }
            ),
            "{e:?}"
        );
    }
}

/// A JSON description of a document, as `lectern show` prints it.
pub fn describe(doc: &Document) -> serde_json::Value {
    let fm = doc
        .mapping()
        .map(|m| serde_json::to_value(m).unwrap_or(serde_json::Value::Null));
    serde_json::json!({
        "path": doc.path(),
        "bom": doc.text().starts_with(BOM),
        "line_ending": if dominant_eol(doc.text()) == "\r\n" { "crlf" } else { "lf" },
        "final_newline": doc.text().ends_with('\n'),
        "format": doc.format(),
        "keys": doc.keys(),
        "types": doc.keys().iter().filter_map(|k| Some((k.clone(), doc.kind(k)?))).collect::<BTreeMap<_, _>>(),
        "lists": doc.keys().iter().filter_map(|k| Some((k.clone(), doc.list(k)?))).collect::<BTreeMap<_, _>>(),
        "fields": doc.fields(),
        "front_matter": fm,
        "front_matter_text": doc.front_matter_text(),
        "problem": doc.problem(),
        "body": doc.body(),
        "speakers": doc.speakers(),
    })
}

#[cfg(test)]
#[path = "document_format_tests.rs"]
mod format_tests;
