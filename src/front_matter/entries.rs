//! A line-level map of the top-level keys in front-matter YAML: for each key,
//! the lines it occupies and, for one-line scalars, the exact value span.

use super::{line_ranges, strip_eol};
use std::ops::Range;

/// How a value is written on its key line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueStyle {
    /// `key: value`
    Plain,
    /// `key: 'value'`
    Single,
    /// `key: "value"`
    Double,
    /// `key:` with nothing (or only a comment) after it on the key line.
    Empty,
    /// A flow list: YAML `[a, b]`, a TOML or JSON array; `value` spans the
    /// brackets (possibly over several lines).
    Flow,
    /// A YAML block sequence: `key:` then `- item` lines.
    Block,
    /// Anything else: block scalars, flow mappings, multi-line scalars,
    /// anchors, aliases and tags. Edits replace all of the entry's lines.
    Complex,
    /// A TOML table or dotted key: read, never edited in place.
    Section,
}

/// One top-level key and where it is, as byte offsets into the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key as YAML reads it (quotes removed).
    pub key: String,
    /// Lines of the entry: from the key line's start to the end of its last
    /// continuation line, line ending included.
    pub lines: Range<usize>,
    /// The value's text on the key line (quotes included) for one-line scalars.
    pub value: Option<Range<usize>>,
    /// How the value is written.
    pub style: ValueStyle,
    /// The key line's line ending (`"\n"`, `"\r\n"` or `""`).
    pub eol: &'static str,
}

/// Scan the YAML text for top-level `key:` lines.
pub fn scan_entries(yaml: &str) -> Vec<Entry> {
    let mut out = scan_lines(yaml);
    for e in &mut out {
        refine_collection(yaml, e);
    }
    out
}

/// Tell flow lists and block sequences apart from other complex values.
fn refine_collection(yaml: &str, e: &mut Entry) {
    if e.style != ValueStyle::Complex {
        return;
    }
    let text = &yaml[e.lines.clone()];
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let Some(colon) = key_colon(strip_eol(&text[..first_end])) else {
        return;
    };
    let rest = &text[colon..first_end];
    let v = rest.trim_start_matches([' ', '\t']);
    if v.starts_with('[') {
        let open = e.lines.start + colon + (rest.len() - v.len());
        if let Some(l) = super::flow::scan(&yaml[..e.lines.end], open, super::Format::Yaml) {
            let after = &yaml[l.close + 1..e.lines.end];
            let tail = strip_eol(after).trim_start_matches([' ', '\t']);
            if !after.trim_end_matches(['\r', '\n']).contains('\n')
                && (tail.is_empty()
                    || (tail.starts_with('#') && tail.len() < strip_eol(after).len()))
            {
                e.style = ValueStyle::Flow;
                e.value = Some(open..l.close + 1);
            }
        }
        return;
    }
    let on_key_line = strip_eol(v);
    if on_key_line.is_empty() || on_key_line.starts_with('#') {
        let first_item = text[first_end..]
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        if first_item.is_some_and(|l| l == "-" || l.starts_with("- ")) {
            e.style = ValueStyle::Block;
        }
    }
}

/// Offset just after the key's colon on a key line.
fn key_colon(line: &str) -> Option<usize> {
    key_of(line).map(|(_, c)| c)
}

fn scan_lines(yaml: &str) -> Vec<Entry> {
    let lines: Vec<Range<usize>> = line_ranges(yaml).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let r = lines[i].clone();
        let content = strip_eol(&yaml[r.clone()]);
        let Some((key, after_colon)) = key_of(content) else {
            i += 1;
            continue;
        };
        // Continuation: indented lines, block-sequence items at column 0, and
        // blank lines between them; trailing blanks belong to nobody.
        let mut last = i;
        // A quoted scalar may run over several lines, even at column 0.
        let rest = &content[after_colon..];
        let v = rest.trim_start_matches([' ', '\t']);
        if let Some(q @ ('"' | '\'')) = v.chars().next() {
            let qstart = r.start + after_colon + (rest.len() - v.len());
            if let Some(close) = closing_quote(&yaml[qstart..], q) {
                let close_abs = qstart + close;
                while last + 1 < lines.len() && lines[last].end <= close_abs {
                    last += 1;
                }
            }
        }
        let mut j = last + 1;
        while j < lines.len() {
            let c = strip_eol(&yaml[lines[j].clone()]);
            if c.trim().is_empty() {
                j += 1;
                continue;
            }
            let cont = c.starts_with(' ') || c.starts_with('\t') || c == "-" || c.starts_with("- ");
            if !cont {
                break;
            }
            last = j;
            j += 1;
        }
        let multi = last > i;
        let value_start = r.start + after_colon;
        let (style, value) = value_span(content, after_colon, multi);
        let eol = match &yaml[r.clone()] {
            l if l.ends_with("\r\n") => "\r\n",
            l if l.ends_with('\n') => "\n",
            _ => "",
        };
        out.push(Entry {
            key,
            lines: r.start..lines[last].end,
            value: value.map(|v| value_start + v.start..value_start + v.end),
            style,
            eol,
        });
        i = last + 1;
    }
    out
}

/// Parse `key:` at the start of a line; returns the key and the byte offset
/// just after the colon.
fn key_of(line: &str) -> Option<(String, usize)> {
    let first = line.chars().next()?;
    if first == '"' || first == '\'' {
        let close = closing_quote(line, first)?;
        let raw = &line[..=close];
        let rest = &line[close + 1..];
        let colon = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if !rest[colon..].starts_with(':') {
            return None;
        }
        let after = close + 1 + colon + 1;
        if !line[after..].is_empty() && !line[after..].starts_with([' ', '\t']) {
            return None;
        }
        let key = serde_yaml::from_str::<String>(raw).ok()?;
        return Some((key, after));
    }
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    let mut idx = 0;
    for (i, c) in line.char_indices() {
        if c == ':' {
            let next = line[i + 1..].chars().next();
            if next.is_none() || next == Some(' ') || next == Some('\t') {
                idx = i;
                break;
            }
        }
        if c == '#' && line[..i].ends_with([' ', '\t']) {
            return None;
        }
    }
    if idx == 0 {
        return None;
    }
    Some((line[..idx].trim_end().to_string(), idx + 1))
}

/// Index of the quote closing the one at byte 0, on this line.
pub(super) fn closing_quote(s: &str, q: char) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        let c = b[i];
        if q == '"' && c == b'\\' {
            i += 2;
            continue;
        }
        if c == q as u8 {
            if q == '\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The style and span (relative to `after_colon`) of the value on a key line.
fn value_span(line: &str, after_colon: usize, multi: bool) -> (ValueStyle, Option<Range<usize>>) {
    let rest = &line[after_colon..];
    let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let v = &rest[lead..];
    if v.is_empty() || v.starts_with('#') {
        return (
            if multi {
                ValueStyle::Complex
            } else {
                ValueStyle::Empty
            },
            None,
        );
    }
    if multi {
        return (ValueStyle::Complex, None);
    }
    let first = v.chars().next().unwrap_or(' ');
    match first {
        '"' | '\'' => match closing_quote(v, first) {
            Some(end) if trailer_ok(&v[end + 1..]) => (
                if first == '"' {
                    ValueStyle::Double
                } else {
                    ValueStyle::Single
                },
                Some(lead..lead + end + 1),
            ),
            _ => (ValueStyle::Complex, None),
        },
        '|' | '>' | '[' | '{' | '&' | '*' | '!' | '%' | '@' | '`' => (ValueStyle::Complex, None),
        _ => {
            let end = plain_end(v);
            (ValueStyle::Plain, Some(lead..lead + end))
        }
    }
}

/// After a quoted scalar only spaces and a comment may follow.
pub(super) fn trailer_ok(s: &str) -> bool {
    let t = s.trim_start_matches([' ', '\t']);
    t.is_empty() || (t.starts_with('#') && t.len() < s.len())
}

/// End of a plain scalar: before ` #` comments and trailing whitespace.
pub(super) fn plain_end(v: &str) -> usize {
    let mut end = v.len();
    let b = v.as_bytes();
    for i in 1..b.len() {
        if b[i] == b'#' && (b[i - 1] == b' ' || b[i - 1] == b'\t') {
            end = i;
            break;
        }
    }
    v[..end].trim_end_matches([' ', '\t']).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(y: &str) -> Vec<(String, ValueStyle, Option<String>)> {
        scan_entries(y)
            .into_iter()
            .map(|e| (e.key, e.style, e.value.map(|v| y[v].to_string())))
            .collect()
    }

    #[test]
    fn finds_values_and_their_styles() {
        let y = "title: \"A \\\"q\\\" b\"  # c\nroom: 'it''s'\nstype: plain text  \nempty:\nlist:\n- a\n- b\n\n# trailing\nurl: http://x/#frag\n";
        let k = keys(y);
        assert_eq!(
            k[0],
            (
                "title".into(),
                ValueStyle::Double,
                Some("\"A \\\"q\\\" b\"".into())
            )
        );
        assert_eq!(
            k[1],
            ("room".into(), ValueStyle::Single, Some("'it''s'".into()))
        );
        assert_eq!(
            k[2],
            ("stype".into(), ValueStyle::Plain, Some("plain text".into()))
        );
        assert_eq!(k[3], ("empty".into(), ValueStyle::Empty, None));
        assert_eq!(k[4], ("list".into(), ValueStyle::Block, None));
        assert_eq!(
            k[5],
            (
                "url".into(),
                ValueStyle::Plain,
                Some("http://x/#frag".into())
            )
        );
        let e = &scan_entries(y)[4];
        assert_eq!(&y[e.lines.clone()], "list:\n- a\n- b\n");
    }

    #[test]
    fn block_scalars_span_their_indented_lines() {
        let y = "a: |\n  one\n\n  two\nb: x\n";
        let e = scan_entries(y);
        assert_eq!(&y[e[0].lines.clone()], "a: |\n  one\n\n  two\n");
        assert_eq!(e[1].key, "b");
    }

    #[test]
    fn quoted_keys_are_unquoted() {
        let e = scan_entries("\"my key\": 1\r\n");
        assert_eq!(e[0].key, "my key");
        assert_eq!(e[0].eol, "\r\n");
    }
}
