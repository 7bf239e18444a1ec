//! Edits as patches: every operation on front matter (set a value, add a
//! key where the site's key order puts it, remove a key, add or remove a
//! list item, replace a list) is planned here as one replacement of a byte
//! range of the front-matter text, written in the file's own format and
//! style. The caller applies the patch and re-reads the file to check it.

use super::entries::{Entry, ValueStyle};
use super::lists::{self, Layout};
use super::typed::{self, encode_flow_item, encode_string, kind_of, Kind};
use super::{eol_of, scalar_to_string, strip_eol, Format, Mapping, QuoteStyle, Value};
use std::ops::Range;

/// Replace `range` of the front-matter text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// Byte range within the front-matter text.
    pub range: Range<usize>,
    /// What goes there.
    pub text: String,
}

/// How far `set` may go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetOptions {
    /// Write the value even when it changes the field's type (as text).
    pub force_type: bool,
    /// Setting a list field to one value replaces the list with that one item.
    pub replace_list: bool,
    /// For a new key: the kind the site gives it (`day: 1` is an integer).
    pub new_kind: Option<Kind>,
    /// For a new key: the quoting the site uses for it.
    pub new_quote: Option<QuoteStyle>,
    /// For a new list: the list style the site uses for it.
    pub new_list: Option<ListStyle>,
    /// For a new YAML key: whether the site writes a space before its colon (`image : x`).
    pub new_space_before_colon: Option<bool>,
}

/// How a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListStyle {
    /// `[a, b]`
    Flow,
    /// `- a` lines: spaces before the dash, and after it.
    Block {
        /// Spaces before `-`.
        indent: u8,
        /// Spaces after `-`.
        gap: u8,
    },
}

/// The front matter of one file, ready to plan edits on.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The format.
    pub format: Format,
    /// The front-matter text (between the fences; for JSON the object).
    pub text: &'a str,
    /// Its values.
    pub mapping: &'a Mapping,
    /// Its top-level entries.
    pub entries: &'a [Entry],
}

type Res<T> = Result<T, String>;

fn cannot(key: &str) -> String {
    format!("`{key}` is written in a form Lectern cannot edit in place; edit it in the text")
}

impl<'a> View<'a> {
    fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The kind of a field's value, as written.
    pub fn kind(&self, key: &str) -> Option<Kind> {
        let v = self.mapping.get(key)?;
        let style = self.entry(key).map_or(ValueStyle::Complex, |e| e.style);
        Some(kind_of(v, style))
    }

    /// A list field's items as strings, when every item is a scalar.
    pub fn items(&self, key: &str) -> Option<Vec<String>> {
        match self.mapping.get(key)? {
            Value::Sequence(s) => s.iter().map(scalar_to_string).collect(),
            _ => None,
        }
    }

    /// The quoting most one-line values use.
    fn house_quote(&self) -> QuoteStyle {
        if self.format == Format::Json {
            return QuoteStyle::Double;
        }
        let count = |s: ValueStyle| self.entries.iter().filter(|e| e.style == s).count();
        let (d, s, pl) = (
            count(ValueStyle::Double),
            count(ValueStyle::Single),
            count(ValueStyle::Plain),
        );
        if self.format == Format::Toml {
            return if s > d {
                QuoteStyle::Single
            } else {
                QuoteStyle::Double
            };
        }
        if d == 0 && s == 0 && pl == 0 || d >= s && d >= pl {
            QuoteStyle::Double
        } else if s >= pl {
            QuoteStyle::Single
        } else {
            QuoteStyle::Plain
        }
    }

    /// Whether the file writes empty values as nothing (`key:`) rather than `""`.
    fn empty_is_blank(&self) -> bool {
        if self.format != Format::Yaml {
            return false;
        }
        let blank = self
            .entries
            .iter()
            .filter(|e| e.style == ValueStyle::Empty)
            .count();
        let quoted = self
            .entries
            .iter()
            .filter(|e| {
                matches!(e.style, ValueStyle::Double | ValueStyle::Single)
                    && e.value.as_ref().is_some_and(|v| v.len() == 2)
            })
            .count();
        blank > quoted
    }

    fn dominant_eol(&self) -> &'static str {
        crate::text::dominant_eol(self.text)
    }

    fn eol_for(&self, e: Option<&Entry>) -> &'static str {
        match e.map(|e| e.eol) {
            Some(eol) if !eol.is_empty() => eol,
            _ => self.dominant_eol(),
        }
    }

    /// The range to replace for a value: its span, plus trailing spaces up
    /// to the line end (a rewritten line drops its trailing whitespace).
    fn value_range(&self, v: &Range<usize>) -> Range<usize> {
        let rest = &self.text[v.end..];
        let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let after = &rest[ws..];
        if after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n") {
            v.start..v.end + ws
        } else {
            v.clone()
        }
    }

    fn key_text(&self, e: &Entry) -> &'a str {
        let line = strip_eol(&self.text[e.lines.start..e.lines.end.min(self.text.len())]);
        let line = line.split('\n').next().unwrap_or("");
        let mut in_q: Option<char> = None;
        for (i, c) in line.char_indices() {
            match (in_q, c) {
                (None, '"' | '\'') if i == 0 => in_q = Some(c),
                (Some(q), c) if c == q && i > 0 => in_q = None,
                (None, ':') => {
                    return &self.text[e.lines.start..e.lines.start + line[..i].trim_end().len()]
                }
                _ => {}
            }
        }
        &self.text[e.lines.start..e.lines.start]
    }

    /// Plan setting `key` to `value`. `None` when nothing changes.
    pub fn set(
        &self,
        key: &str,
        value: &str,
        opts: SetOptions,
        order: &[String],
    ) -> Res<Option<Patch>> {
        let Some(e) = self.entry(key) else {
            if self.mapping.contains_key(key) {
                return Err(cannot(key));
            }
            let quote = opts
                .new_quote
                .filter(|q| *q != QuoteStyle::Plain || self.format == Format::Yaml)
                .unwrap_or_else(|| self.house_quote());
            if value.is_empty() && self.empty_is_blank() {
                return Ok(Some(self.insert_with(
                    key,
                    "",
                    order,
                    opts.new_space_before_colon,
                )));
            }
            let typed = opts
                .new_kind
                .and_then(|k| typed::encode(self.format, k, value, quote).ok());
            let enc = typed.unwrap_or_else(|| encode_string(self.format, value, quote));
            return Ok(Some(self.insert_with(
                key,
                &enc,
                order,
                opts.new_space_before_colon,
            )));
        };
        let current = self.mapping.get(key).unwrap_or(&Value::Null);
        let kind = kind_of(current, e.style);
        if e.style == ValueStyle::Section {
            return Err(cannot(key));
        }
        if kind == Kind::List {
            if !opts.replace_list && !opts.force_type {
                let n = self.items(key).map_or(0, |i| i.len());
                return Err(format!(
                    "`{key}` is a list ({n} items); setting it to one value would replace the whole list: add or remove items (--add {key}=…, --remove {key}=…), or pass --replace-list"
                ));
            }
            if opts.replace_list && self.items(key).is_some() {
                let items: Vec<String> = if value.is_empty() {
                    vec![]
                } else {
                    vec![value.to_string()]
                };
                return self.set_list(key, &items, opts, order);
            }
        }
        if kind == Kind::Map && !opts.force_type {
            return Err(format!("`{key}` is a mapping; edit it in the text"));
        }
        if scalar_to_string(current).as_deref() == Some(value)
            && !matches!(kind, Kind::List | Kind::Map)
        {
            return Ok(None);
        }
        let quote = match e.style {
            ValueStyle::Plain => QuoteStyle::Plain,
            ValueStyle::Single => QuoteStyle::Single,
            ValueStyle::Double => QuoteStyle::Double,
            _ => self.house_quote(),
        };
        // Emptying: written the way the file writes empty values.
        if value.is_empty() && !matches!(kind, Kind::List | Kind::Map) {
            if kind == Kind::Null {
                return Ok(None);
            }
            if self.empty_is_blank() {
                if let Some(v) = &e.value {
                    let r = self.value_range(v);
                    // `key: value  # c` → `key:  # c`; `key: value` → `key:`
                    let before = &self.text[e.lines.start..v.start];
                    let ws = before.len() - before.trim_end_matches([' ', '\t']).len();
                    let keep_comment = r.end < self.text.len()
                        && !matches!(self.text.as_bytes()[r.end], b'\r' | b'\n');
                    return Ok(Some(Patch {
                        range: v.start - ws..r.end,
                        text: if keep_comment {
                            " ".into()
                        } else {
                            String::new()
                        },
                    }));
                }
            }
            let q = if quote == QuoteStyle::Plain {
                self.house_quote()
            } else {
                quote
            };
            let q = if q == QuoteStyle::Plain {
                QuoteStyle::Double
            } else {
                q
            };
            return Ok(Some(
                self.replace_value(e, &encode_string(self.format, "", q)),
            ));
        }
        let enc_kind = if kind == Kind::Null || kind == Kind::List || kind == Kind::Map {
            Kind::String
        } else {
            kind
        };
        let enc = match typed::encode(self.format, enc_kind, value, quote) {
            Ok(s) => s,
            Err(_) if opts.force_type => encode_string(self.format, value, self.house_quote()),
            Err(m) => {
                let was = self.text.get(e.value.clone().unwrap_or(0..0)).unwrap_or("");
                // `0755`, `+5`, `1.50`: a number, but not as it would read back.
                let why = if value.trim().parse::<f64>().is_ok() {
                    " as it reads back (no leading +, leading zeros or trailing zeros after the point)"
                } else {
                    ""
                };
                return Err(format!(
                    "`{key}` is {} ({key}: {}); {} is not {}{why}: write {} value, or pass --force-type to write it as text",
                    m.kind.name(),
                    crate::text::clip(was),
                    crate::text::clip(&format!("{value:?}")),
                    m.kind.name(),
                    m.kind.name()
                ));
            }
        };
        Ok(Some(self.replace_value(e, &enc)))
    }

    /// Replace entry `e`'s value with already-encoded `enc`.
    fn replace_value(&self, e: &Entry, enc: &str) -> Patch {
        match (&e.value, e.style) {
            (Some(v), _) => Patch {
                range: self.value_range(v),
                text: enc.to_string(),
            },
            (None, ValueStyle::Empty) => {
                // `key:` or `key:   # comment`: the value goes after the colon.
                let line = strip_eol(&self.text[e.lines.clone()]);
                let colon = e.lines.start + self.key_text(e).len();
                let after = &line[colon - e.lines.start..];
                // `key:` or `key :`: the value goes after the colon itself.
                let after_colon = after.find(':').map_or(after, |i| &after[i + 1..]);
                let ws = after_colon.len() - after_colon.trim_start_matches([' ', '\t']).len();
                let start = colon + (after.len() - after_colon.len());
                let has_comment = ws < after_colon.len();
                Patch {
                    range: start..start + ws,
                    text: format!(" {enc}{}", if has_comment { " " } else { "" }),
                }
            }
            _ => {
                let key_text = self.key_text(e);
                let key_text = if key_text.is_empty() {
                    e.key.clone()
                } else {
                    key_text.to_string()
                };
                let eol = if eol_of(&self.text[e.lines.clone()]).is_empty() {
                    ""
                } else {
                    self.eol_for(Some(e))
                };
                Patch {
                    range: e.lines.clone(),
                    text: format!("{key_text}: {enc}{eol}"),
                }
            }
        }
    }

    /// Plan removing `key`. `None` when it is not there.
    pub fn unset(&self, key: &str) -> Res<Option<Patch>> {
        let Some(i) = self.entries.iter().position(|e| e.key == key) else {
            return if self.mapping.contains_key(key) {
                Err(cannot(key))
            } else {
                Ok(None)
            };
        };
        let e = &self.entries[i];
        if e.style == ValueStyle::Section {
            return Err(cannot(key));
        }
        if self.format != Format::Json {
            return Ok(Some(Patch {
                range: e.lines.clone(),
                text: String::new(),
            }));
        }
        let v = e.value.clone().unwrap_or(0..0);
        let n = self.entries.len();
        let aligned =
            |e: &Entry| e.lines.start == 0 || self.text.as_bytes()[e.lines.start - 1] == b'\n';
        let range = if i + 1 < n {
            if aligned(e) {
                e.lines.clone()
            } else {
                e.lines.start..json_key_start(self.text, &self.entries[i + 1])
            }
        } else if i > 0 {
            let prev = self.entries[i - 1].value.clone().unwrap_or(0..0);
            prev.end..v.end
        } else {
            1..v.end
        };
        Ok(Some(Patch {
            range,
            text: String::new(),
        }))
    }

    /// Where a new key goes: after the nearest key before it in `order`
    /// that the file has, else before the nearest one after it, else after
    /// the last key.
    fn anchor(&self, key: &str, order: &[String]) -> (Option<&'a Entry>, bool) {
        let editable: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.style != ValueStyle::Section)
            .collect();
        if let Some(idx) = order.iter().position(|k| k == key) {
            if let Some(j) = order[..idx]
                .iter()
                .rev()
                .find_map(|k| editable.iter().position(|e| &e.key == k))
            {
                // Keys the order does not know stay with the key before them.
                let mut j = j;
                while j + 1 < editable.len() && !order.contains(&editable[j + 1].key) {
                    j += 1;
                }
                return (Some(editable[j]), true);
            }
            if let Some(e) = order[idx + 1..]
                .iter()
                .find_map(|k| editable.iter().find(|e| &e.key == k))
            {
                return (Some(e), false);
            }
        }
        (editable.last().copied(), true)
    }

    /// Plan adding a new key with an encoded value.
    fn insert(&self, key: &str, enc: &str, order: &[String]) -> Patch {
        self.insert_with(key, enc, order, None)
    }

    fn insert_with(&self, key: &str, enc: &str, order: &[String], space: Option<bool>) -> Patch {
        let (anchor, after) = self.anchor(key, order);
        let eol = self.eol_for(anchor);
        let k = typed::encode_key(self.format, key);
        match self.format {
            Format::Yaml | Format::Toml => {
                let sep = match (self.format, space) {
                    (Format::Yaml, Some(true)) => " : ".to_string(),
                    (Format::Yaml, Some(false)) => ": ".to_string(),
                    (Format::Yaml, None) => self.yaml_sep(),
                    _ => self.toml_sep(),
                };
                let line = if enc.is_empty() {
                    format!("{k}{}", sep.trim_end())
                } else {
                    format!("{k}{sep}{enc}")
                };
                match anchor {
                    Some(e) if after => {
                        let lead = if eol_of(&self.text[e.lines.clone()]).is_empty() {
                            eol
                        } else {
                            ""
                        };
                        Patch {
                            range: e.lines.end..e.lines.end,
                            text: format!("{lead}{line}{eol}"),
                        }
                    }
                    Some(e) => Patch {
                        range: e.lines.start..e.lines.start,
                        text: format!("{line}{eol}"),
                    },
                    // No key yet: YAML appends (a line at the start could
                    // take indented lines after it for its own); TOML puts
                    // it before any table.
                    None if self.format == Format::Yaml => {
                        let end = self.text.len();
                        let lead = if end > 0 && !self.text.ends_with('\n') {
                            eol
                        } else {
                            ""
                        };
                        Patch {
                            range: end..end,
                            text: format!("{lead}{line}{eol}"),
                        }
                    }
                    None => Patch {
                        range: 0..0,
                        text: format!("{line}{eol}"),
                    },
                }
            }
            Format::Json => {
                let sep = self.json_sep();
                match anchor {
                    Some(e) => {
                        let aligned =
                            e.lines.start == 0 || self.text.as_bytes()[e.lines.start - 1] == b'\n';
                        let ks = json_key_start(self.text, e);
                        let indent = &self.text[e.lines.start..ks];
                        let gap = if aligned {
                            format!("{eol}{indent}")
                        } else {
                            " ".to_string()
                        };
                        if after {
                            let v = e.value.clone().unwrap_or(0..0);
                            Patch {
                                range: v.end..v.end,
                                text: format!(",{gap}{k}{sep}{enc}"),
                            }
                        } else {
                            Patch {
                                range: ks..ks,
                                text: format!("{k}{sep}{enc},{gap}"),
                            }
                        }
                    }
                    None => {
                        let inner = &self.text[1..self.text.len().saturating_sub(1)];
                        // `{}` → `{"k": v}`; `{⏎}` → `{⏎  "k": v⏎}`: removing the
                        // only member gives back what was there.
                        if inner.is_empty() {
                            Patch {
                                range: 1..1,
                                text: format!("{k}{sep}{enc}"),
                            }
                        } else if inner.trim().is_empty() {
                            Patch {
                                range: 1..1,
                                text: format!("{eol}  {k}{sep}{enc}"),
                            }
                        } else {
                            Patch {
                                range: 1..1,
                                text: format!("{k}{sep}{enc}"),
                            }
                        }
                    }
                }
            }
        }
    }

    fn toml_sep(&self) -> String {
        for e in self
            .entries
            .iter()
            .filter(|e| e.style != ValueStyle::Section)
        {
            let Some(v) = &e.value else { continue };
            let head = &self.text[e.lines.start..v.start];
            if let Some(eq) = head.rfind('=') {
                let before = head[..eq].len() - head[..eq].trim_end().len();
                let after = head.len() - eq - 1;
                return format!(
                    "{}={}",
                    &head[eq - before..eq],
                    &head[eq + 1..eq + 1 + after]
                );
            }
        }
        " = ".into()
    }

    fn json_sep(&self) -> String {
        for e in self.entries {
            let Some(v) = &e.value else { continue };
            let ks = json_key_start(self.text, e);
            let head = &self.text[ks..v.start];
            if let Some(end) = super::flow::string_end(head.as_bytes(), 0, b'"', Format::Json) {
                return head[end + 1..].to_string();
            }
        }
        ": ".into()
    }

    fn items_quote(&self, spans: &[Range<usize>]) -> QuoteStyle {
        let first = |c: u8| {
            spans
                .iter()
                .filter(|r| self.text.as_bytes().get(r.start) == Some(&c))
                .count()
        };
        let (d, s) = (first(b'"'), first(b'\''));
        let p = spans.len() - d - s;
        if spans.is_empty() {
            return match self.format {
                Format::Yaml => QuoteStyle::Plain,
                _ => self.house_quote(),
            };
        }
        if d >= s && d >= p {
            QuoteStyle::Double
        } else if s >= p {
            QuoteStyle::Single
        } else {
            QuoteStyle::Plain
        }
    }

    /// The kind of a list's items (text unless all are numbers or booleans).
    fn items_kind(&self, key: &str) -> Kind {
        let Some(Value::Sequence(s)) = self.mapping.get(key) else {
            return Kind::String;
        };
        let kinds: Vec<Kind> = s.iter().map(|v| kind_of(v, ValueStyle::Complex)).collect();
        match kinds.first() {
            Some(k @ (Kind::Integer | Kind::Float | Kind::Bool))
                if kinds.iter().all(|x| x == k) =>
            {
                *k
            }
            _ => Kind::String,
        }
    }

    fn encode_item(
        &self,
        key: &str,
        item: &str,
        flow: bool,
        quote: QuoteStyle,
        opts: SetOptions,
    ) -> Res<String> {
        let kind = self.items_kind(key);
        if kind != Kind::String {
            match typed::encode(self.format, kind, item, quote) {
                Ok(s) => return Ok(s),
                Err(_) if !opts.force_type => {
                    return Err(format!(
                        "`{key}` is a list of {} values; {:?} is not one (pass --force-type to add it as text)",
                        kind.name().trim_start_matches("an ").trim_start_matches("a "),
                        crate::text::clip(item)
                    ))
                }
                Err(_) => {}
            }
        }
        Ok(if flow {
            encode_flow_item(self.format, item, quote)
        } else {
            encode_string(self.format, item, quote)
        })
    }

    fn list_layout(&self, key: &str) -> Res<Option<(&'a Entry, Layout, Vec<String>)>> {
        let Some(e) = self.entry(key) else {
            return Ok(None);
        };
        match self.mapping.get(key) {
            Some(Value::Sequence(_)) => {
                let items = self.items(key).ok_or_else(|| {
                    format!("`{key}` is a list of mappings or lists; edit it in the text")
                })?;
                let layout = lists::layout(self.format, self.text, e, items.len())
                    .ok_or_else(|| cannot(key))?;
                Ok(Some((e, layout, items)))
            }
            _ => Ok(None),
        }
    }

    /// How the list `key` is written, when it is a list.
    pub fn list_style(&self, key: &str) -> Option<ListStyle> {
        let e = self.entry(key)?;
        match e.style {
            ValueStyle::Flow => Some(ListStyle::Flow),
            ValueStyle::Block => {
                let Some(Layout::Block(items)) =
                    lists::layout(self.format, self.text, e, self.items(key)?.len())
                else {
                    return None;
                };
                let i = items.first()?;
                let prefix = &self.text[i.line.start..i.value.start];
                let indent = prefix.len() - prefix.trim_start_matches(' ').len();
                let gap = prefix.len() - indent - 1;
                Some(ListStyle::Block {
                    indent: indent.min(32) as u8,
                    gap: gap.min(32) as u8,
                })
            }
            _ => None,
        }
    }

    /// Whether `key` is written with a space before its colon (`image : x`).
    pub fn space_before_colon(&self, key: &str) -> Option<bool> {
        let e = self.entry(key)?;
        let k = self.key_text(e);
        let rest = &self.text[e.lines.start + k.len()..e.lines.end];
        (self.format == Format::Yaml && !k.is_empty()).then(|| rest.starts_with([' ', '\t']))
    }

    /// The separator between key and value most entries use (`: `, ` : `).
    fn yaml_sep(&self) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for e in self.entries.iter().filter(|e| {
            matches!(
                e.style,
                ValueStyle::Plain | ValueStyle::Single | ValueStyle::Double
            )
        }) {
            let Some(v) = &e.value else { continue };
            let k = self.key_text(e);
            let sep = &self.text[e.lines.start + k.len()..v.start];
            if !sep.starts_with([' ', '\t', ':']) || sep.len() > 8 || sep.trim() != ":" {
                continue;
            }
            match counts.iter_mut().find(|(s, _)| *s == sep) {
                Some(c) => c.1 += 1,
                None => counts.push((sep, 1)),
            }
        }
        counts
            .into_iter()
            .max_by_key(|c| c.1)
            .map_or(": ".to_string(), |c| c.0.to_string())
    }

    /// The block-list item prefix (`  - `) the file uses, if it has block lists.
    fn block_prefix(&self) -> String {
        for e in self.entries.iter().filter(|e| e.style == ValueStyle::Block) {
            if let Some(Layout::Block(items)) = lists::layout(
                self.format,
                self.text,
                e,
                self.items(&e.key).map_or(usize::MAX, |i| i.len()),
            ) {
                if let Some(i) = items.first() {
                    return self.text[i.line.start..i.value.start].to_string();
                }
            }
        }
        "  - ".into()
    }

    /// A new list value for a key that has none (absent or empty).
    fn new_list(&self, key: &str, items: &[String], opts: SetOptions) -> Res<(String, bool)> {
        let quote = match self.format {
            Format::Yaml => QuoteStyle::Plain,
            _ => self.house_quote(),
        };
        let enc: Vec<String> = items
            .iter()
            .map(|i| self.encode_item(key, i, true, quote, opts))
            .collect::<Res<_>>()?;
        let has_block = self.entries.iter().any(|e| e.style == ValueStyle::Block);
        let has_flow = self.entries.iter().any(|e| e.style == ValueStyle::Flow);
        let block = match opts.new_list {
            _ if has_block || has_flow => has_block,
            Some(s) => s != ListStyle::Flow,
            None => true,
        };
        if self.format == Format::Yaml && !items.is_empty() && block {
            let prefix = match opts.new_list {
                Some(ListStyle::Block { indent, gap }) if !has_block => format!(
                    "{}-{}",
                    " ".repeat(indent as usize),
                    " ".repeat(gap as usize)
                ),
                _ => self.block_prefix(),
            };
            let eol = self.dominant_eol();
            let enc: Vec<String> = items
                .iter()
                .map(|i| self.encode_item(key, i, false, quote, opts))
                .collect::<Res<_>>()?;
            let lines: String = enc.iter().map(|v| format!("{eol}{prefix}{v}")).collect();
            return Ok((lines, true));
        }
        Ok((format!("[{}]", enc.join(", ")), false))
    }

    /// Plan replacing a list with `items` (also: reordering it). Items that
    /// stay keep their exact text.
    pub fn set_list(
        &self,
        key: &str,
        items: &[String],
        opts: SetOptions,
        order: &[String],
    ) -> Res<Option<Patch>> {
        match self.list_layout(key)? {
            Some((e, layout, old)) => {
                if old == items {
                    return Ok(None);
                }
                let spans = layout.item_spans();
                let quote = self.items_quote(&spans);
                let mut used = vec![false; old.len()];
                let mut reuse = |item: &String| {
                    let i = old
                        .iter()
                        .enumerate()
                        .position(|(i, o)| !used[i] && o == item)?;
                    used[i] = true;
                    Some(i)
                };
                match layout {
                    Layout::Flow(f) => {
                        if items.is_empty() {
                            return Ok(Some(Patch {
                                range: f.open..f.close + 1,
                                text: "[]".into(),
                            }));
                        }
                        let (lead, sep, trail) = if spans.is_empty() {
                            (String::new(), ", ".to_string(), String::new())
                        } else {
                            let sep = if spans.len() > 1 {
                                self.text[spans[0].end..spans[1].start].to_string()
                            } else {
                                ", ".into()
                            };
                            (
                                self.text[f.open + 1..spans[0].start].to_string(),
                                sep,
                                self.text[spans[spans.len() - 1].end..f.close].to_string(),
                            )
                        };
                        let mut parts = Vec::new();
                        for it in items {
                            parts.push(match reuse(it) {
                                Some(i) => self.text[spans[i].clone()].to_string(),
                                None => self.encode_item(key, it, true, quote, opts)?,
                            });
                        }
                        Ok(Some(Patch {
                            range: f.open..f.close + 1,
                            text: format!("[{lead}{}{trail}]", parts.join(&sep)),
                        }))
                    }
                    Layout::Block(b) => {
                        if items.is_empty() {
                            return self.empty_block(e, &b);
                        }
                        let prefix = self.text[b[0].line.start..b[0].value.start].to_string();
                        let eol = self.eol_for(Some(e));
                        let mut out = String::new();
                        for it in items {
                            match reuse(it) {
                                Some(i) => out.push_str(&self.text[b[i].line.clone()]),
                                None => {
                                    out.push_str(&prefix);
                                    out.push_str(&self.encode_item(key, it, false, quote, opts)?);
                                    out.push_str(eol);
                                }
                            }
                        }
                        if !out.ends_with('\n') {
                            out.push_str(eol);
                        }
                        let range = b[0].line.start..b[b.len() - 1].line.end;
                        if eol_of(&self.text[range.clone()]).is_empty() {
                            out.truncate(out.trim_end_matches(['\r', '\n']).len());
                        }
                        Ok(Some(Patch { range, text: out }))
                    }
                }
            }
            None => {
                let kind = self.kind(key);
                match kind {
                    None => {
                        let (v, block) = self.new_list(key, items, opts)?;
                        if block {
                            // `key:` then the item lines.
                            let p = self.insert(key, "", order);
                            let text = p.text;
                            let eol_len = eol_of(&text).len();
                            let (head, tail) = text.split_at(text.len() - eol_len);
                            return Ok(Some(Patch {
                                range: p.range,
                                text: format!("{head}{v}{tail}"),
                            }));
                        }
                        Ok(Some(self.insert(key, &v, order)))
                    }
                    Some(Kind::Null) => {
                        let e = self.entry(key).ok_or_else(|| cannot(key))?;
                        let (v, block) = self.new_list(key, items, opts)?;
                        if block {
                            let first = line_end(self.text, e.lines.start);
                            let key_line = &self.text[e.lines.start..first];
                            let content = strip_eol(key_line).trim_end_matches([' ', '\t']);
                            let eol = eol_of(key_line);
                            let eol = if eol.is_empty() {
                                self.dominant_eol()
                            } else {
                                eol
                            };
                            return Ok(Some(Patch {
                                range: e.lines.start..first,
                                text: format!("{content}{v}{eol}"),
                            }));
                        }
                        Ok(Some(self.replace_value(e, &v)))
                    }
                    Some(_) if opts.force_type => {
                        let e = self.entry(key).ok_or_else(|| cannot(key))?;
                        let enc: Vec<String> = items
                            .iter()
                            .map(|i| encode_flow_item(self.format, i, self.house_quote()))
                            .collect();
                        Ok(Some(
                            self.replace_value(e, &format!("[{}]", enc.join(", "))),
                        ))
                    }
                    Some(k) => Err(format!(
                        "`{key}` is {}, not a list; pass --force-type to make it a list",
                        k.name()
                    )),
                }
            }
        }
    }

    fn empty_block(&self, e: &Entry, b: &[lists::BlockItem]) -> Res<Option<Patch>> {
        let range = b[0].line.start..b[b.len() - 1].line.end;
        if self.empty_is_blank() {
            return Ok(Some(Patch {
                range,
                text: String::new(),
            }));
        }
        let first = line_end(self.text, e.lines.start);
        let key_line = &self.text[e.lines.start..first];
        let content = strip_eol(key_line).trim_end_matches([' ', '\t']);
        let eol = eol_of(&self.text[e.lines.clone()]);
        Ok(Some(Patch {
            range: e.lines.clone(),
            text: format!("{content} []{eol}"),
        }))
    }

    /// Plan adding one item at the end of a list (making the list when the
    /// field is missing or empty). `None` when the item is already there.
    pub fn add_item(
        &self,
        key: &str,
        item: &str,
        opts: SetOptions,
        order: &[String],
    ) -> Res<Option<Patch>> {
        let Some((e, layout, old)) = self.list_layout(key)? else {
            return self.set_list(key, &[item.to_string()], opts, order);
        };
        if old.iter().any(|o| o.trim() == item.trim()) {
            return Ok(None);
        }
        let spans = layout.item_spans();
        let quote = self.items_quote(&spans);
        match layout {
            Layout::Flow(f) => {
                let enc = self.encode_item(key, item, true, quote, opts)?;
                match spans.last() {
                    None => Ok(Some(Patch {
                        range: f.open + 1..f.close,
                        text: enc,
                    })),
                    Some(last) => {
                        let sep = if spans.len() > 1 {
                            &self.text[spans[spans.len() - 2].end..spans[spans.len() - 1].start]
                        } else {
                            ", "
                        };
                        Ok(Some(Patch {
                            range: last.end..last.end,
                            text: format!("{sep}{enc}"),
                        }))
                    }
                }
            }
            Layout::Block(b) => {
                let enc = self.encode_item(key, item, false, quote, opts)?;
                let last = &b[b.len() - 1];
                let prefix = &self.text[last.line.start..last.value.start];
                let eol = eol_of(&self.text[last.line.clone()]);
                let _ = e;
                if eol.is_empty() {
                    let eol = self.dominant_eol();
                    Ok(Some(Patch {
                        range: last.line.end..last.line.end,
                        text: format!("{eol}{prefix}{enc}"),
                    }))
                } else {
                    Ok(Some(Patch {
                        range: last.line.end..last.line.end,
                        text: format!("{prefix}{enc}{eol}"),
                    }))
                }
            }
        }
    }

    /// Plan removing the first item equal to `item`.
    pub fn remove_item(&self, key: &str, item: &str) -> Res<Option<Patch>> {
        let Some((e, layout, old)) = self.list_layout(key)? else {
            return match self.kind(key) {
                None => Err(format!("`{key}` is not in the front matter")),
                Some(k) => Err(format!("`{key}` is {}, not a list", k.name())),
            };
        };
        let Some(i) = old.iter().position(|o| o.trim() == item.trim()) else {
            return Err(format!(
                "{} is not in `{key}` (items: {})",
                crate::text::clip(&format!("{item:?}")),
                crate::text::clip(&old.join(", "))
            ));
        };
        let spans = layout.item_spans();
        match layout {
            Layout::Flow(f) => {
                let range = if spans.len() == 1 {
                    f.open..f.close + 1
                } else if i + 1 < spans.len() {
                    spans[i].start..spans[i + 1].start
                } else {
                    spans[i - 1].end..spans[i].end
                };
                let text = if spans.len() == 1 {
                    "[]".to_string()
                } else {
                    String::new()
                };
                Ok(Some(Patch { range, text }))
            }
            Layout::Block(b) => {
                if b.len() == 1 {
                    return self.empty_block(e, &b);
                }
                let mut range = b[i].line.clone();
                if eol_of(&self.text[range.clone()]).is_empty() {
                    // The last line of the text: take the line ending before it instead.
                    range.start =
                        b[i - 1].line.end - eol_of(&self.text[b[i - 1].line.clone()]).len();
                }
                Ok(Some(Patch {
                    range,
                    text: String::new(),
                }))
            }
        }
    }
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn json_key_start(text: &str, e: &Entry) -> usize {
    let s = &text[e.lines.clone()];
    e.lines.start + (s.len() - s.trim_start().len())
}
