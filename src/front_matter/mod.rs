//! Front matter without damage, in the three formats Hugo reads.
//!
//! A session file is split into byte spans (BOM, opening fence, front-matter
//! text, closing fence, body) that cover the file exactly, so writing the
//! spans back reproduces the input byte for byte. The front matter is YAML
//! between `---` lines, TOML between `+++` lines, or a JSON object at the
//! start of the file ([`Format`]). Each format is read twice over: for values
//! (by `serde_yaml` inside [`yaml`], `toml_edit` inside [`toml_fm`], our own
//! span parser in [`json_fm`]) into one value tree, and for spans: where each
//! top-level key's lines and value are ([`Entry`]), so an edit patches only
//! those bytes and never re-serialises the front matter. Lists are edited
//! item by item through [`lists`]; values keep their type through [`typed`].

pub mod edit;
mod entries;
pub mod flow;
pub mod json_fm;
pub mod lists;
mod scalar;
pub mod toml_fm;
pub mod typed;
mod yaml;

pub use edit::{ListStyle, Patch, SetOptions, View};
pub use entries::{scan_entries, Entry, ValueStyle};
pub use scalar::{encode_scalar, is_plain_safe, QuoteStyle};
pub use typed::Kind;
pub use yaml::{parse_mapping, parse_value, scalar_to_string, Mapping, Value, YamlError};

/// The language a file's front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// YAML between `---` lines.
    Yaml,
    /// TOML between `+++` lines.
    Toml,
    /// A JSON object at the start of the file.
    Json,
}

impl Format {
    /// The name users know: `YAML`, `TOML` or `JSON`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }
}

/// Parse front-matter text of `format` into the value tree and the entries
/// (where each top-level key is). Errors are located within the text.
pub fn parse_front_matter(format: Format, text: &str) -> Result<(Mapping, Vec<Entry>), YamlError> {
    match format {
        Format::Yaml => {
            let m = parse_mapping(text)?;
            Ok((m, scan_entries(text)))
        }
        Format::Toml => toml_fm::parse(text),
        Format::Json => json_fm::parse(text),
    }
}

use std::ops::Range;

/// Where the front matter and the body are in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The front matter's format.
    pub format: Format,
    /// The opening fence line, including its line ending (empty for JSON).
    pub open: Range<usize>,
    /// The front-matter text between the fences (may be empty); for JSON,
    /// the object from `{` to `}`.
    pub yaml: Range<usize>,
    /// The closing fence line, including its line ending when present (for
    /// JSON: spaces and the line ending after the closing `}`).
    pub close: Range<usize>,
    /// 1-based line number of the first YAML line.
    pub yaml_first_line: usize,
}

/// Why a file's front matter could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`, `+++` or `{`.
    NoFrontMatter,
    /// An opening fence (or `{`) without a closing one.
    Unclosed(Format),
}

/// Iterate over the lines of `text` as byte ranges that include the line ending.
pub fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = match memchr_nl(&bytes[start..]) {
            Some(i) => start + i + 1,
            None => bytes.len(),
        };
        let r = start..end;
        start = end;
        Some(r)
    })
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

/// The content of a line without its line ending (`\n` or `\r\n`).
pub fn strip_eol(line: &str) -> &str {
    let l = line.strip_suffix('\n').unwrap_or(line);
    l.strip_suffix('\r').unwrap_or(l)
}

/// The line ending of a line: `"\r\n"`, `"\n"` or `""` at the end of a file.
pub fn eol_of(line: &str) -> &str {
    if line.ends_with("\r\n") {
        "\r\n"
    } else if line.ends_with('\n') {
        "\n"
    } else {
        ""
    }
}

fn is_fence(line: &str, fence: &str) -> bool {
    let content = strip_eol(line);
    content
        .strip_prefix(fence)
        .is_some_and(|rest| rest.chars().all(|c| c == ' ' || c == '\t'))
}

/// Find the front matter in `text` (the file's text after any BOM).
pub fn split(text: &str) -> Result<Split, SplitError> {
    if text.starts_with('{') {
        return split_json(text);
    }
    let mut lines = line_ranges(text);
    let first = lines.next().ok_or(SplitError::NoFrontMatter)?;
    let first_line = &text[first.clone()];
    let (fence, format) = if is_fence(first_line, "---") {
        ("---", Format::Yaml)
    } else if is_fence(first_line, "+++") {
        ("+++", Format::Toml)
    } else {
        return Err(SplitError::NoFrontMatter);
    };
    if eol_of(first_line).is_empty() {
        return Err(SplitError::Unclosed(format));
    }
    for r in lines {
        if is_fence(&text[r.clone()], fence) {
            return Ok(Split {
                format,
                open: first.clone(),
                yaml: first.end..r.start,
                close: r,
                yaml_first_line: 2,
            });
        }
    }
    Err(SplitError::Unclosed(format))
}

/// JSON front matter, as Hugo reads it: the object that opens the file, up
/// to its matching `}` (braces inside strings do not count), then the rest
/// of that line when it is blank.
fn split_json(text: &str) -> Result<Split, SplitError> {
    let end = json_fm::object_end(text).ok_or(SplitError::Unclosed(Format::Json))?;
    let rest = &text[end..];
    let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let after = &rest[ws..];
    let close_len = if after.starts_with("\r\n") {
        ws + 2
    } else if after.starts_with('\n') {
        ws + 1
    } else if after.is_empty() {
        ws
    } else {
        0
    };
    Ok(Split {
        format: Format::Json,
        open: 0..0,
        yaml: 0..end,
        close: end..end + close_len,
        yaml_first_line: 1,
    })
}

/// Maps byte offsets to 1-based lines and columns (columns count characters).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// 1-based (line, column) of a byte offset in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// Number of lines (a final line without a newline counts).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the text was empty.
    pub fn is_empty(&self) -> bool {
        self.starts.len() <= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_crlf_and_trailing_space_on_closing_fence() {
        let t = "---\r\ntitle: x\r\n--- \r\nbody";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml.clone()], "title: x\r\n");
        assert_eq!(&t[s.close.clone()], "--- \r\n");
        assert_eq!(&t[s.close.end..], "body");
    }

    #[test]
    fn reports_unclosed_front_matter() {
        assert_eq!(
            split("---\ntitle: x\n"),
            Err(SplitError::Unclosed(Format::Yaml))
        );
        assert_eq!(split("---"), Err(SplitError::Unclosed(Format::Yaml)));
        assert_eq!(split("hello"), Err(SplitError::NoFrontMatter));
        assert_eq!(
            split("+++\na = 1\n"),
            Err(SplitError::Unclosed(Format::Toml))
        );
        assert_eq!(
            split("{\"a\": \"}\"\n"),
            Err(SplitError::Unclosed(Format::Json))
        );
        let t = "+++\r\na = 1\r\n+++\r\nbody";
        let s = split(t).unwrap();
        assert_eq!(
            (s.format, &t[s.yaml.clone()], &t[s.close.end..]),
            (Format::Toml, "a = 1\r\n", "body")
        );
        let t = "{\n  \"a\": \"}{\"\n}\nbody";
        let s = split(t).unwrap();
        assert_eq!(
            (s.format, &t[s.yaml.clone()], &t[s.close.end..]),
            (Format::Json, "{\n  \"a\": \"}{\"\n}", "body")
        );
    }

    #[test]
    fn closing_fence_may_end_the_file_without_newline() {
        let t = "---\na: 1\n---";
        let s = split(t).unwrap();
        assert_eq!(&t[s.close.clone()], "---");
    }

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let t = "ab\n中文x\n";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(t, 0), (1, 1));
        assert_eq!(idx.line_col(t, 3), (2, 1));
        assert_eq!(idx.line_col(t, 9), (2, 3));
    }
}
