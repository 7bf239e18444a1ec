//! Front matter without damage.
//!
//! A session file is split into byte spans (BOM, opening fence, YAML text,
//! closing fence, body) that cover the file exactly, so writing the spans back
//! reproduces the input byte for byte. The YAML text is parsed twice over: by
//! `serde_yaml` (kept inside [`yaml`]) for values, and by a line scanner
//! ([`entries`]) that knows where each top-level key's lines are, so an edit
//! patches only those lines and never re-serialises the mapping.

mod entries;
mod scalar;
mod yaml;

pub use entries::{scan_entries, Entry, ValueStyle};
pub use scalar::{encode_scalar, is_plain_safe, QuoteStyle};
pub use yaml::{parse_mapping, parse_value, scalar_to_string, Mapping, Value, YamlError};

use std::ops::Range;

/// Where the front matter and the body are in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The opening fence line, including its line ending.
    pub open: Range<usize>,
    /// The YAML text between the fences (may be empty).
    pub yaml: Range<usize>,
    /// The closing fence line, including its line ending when present.
    pub close: Range<usize>,
    /// 1-based line number of the first YAML line.
    pub yaml_first_line: usize,
}

/// Why a file's front matter could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    NoFrontMatter,
    /// The file starts with `+++` (TOML front matter), which Lectern does not edit.
    TomlFrontMatter,
    /// An opening `---` without a closing one.
    Unclosed,
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
    let mut lines = line_ranges(text);
    let first = lines.next().ok_or(SplitError::NoFrontMatter)?;
    let first_line = &text[first.clone()];
    if !is_fence(first_line, "---") {
        if is_fence(first_line, "+++") {
            return Err(SplitError::TomlFrontMatter);
        }
        return Err(SplitError::NoFrontMatter);
    }
    if eol_of(first_line).is_empty() {
        return Err(SplitError::Unclosed);
    }
    for r in lines {
        if is_fence(&text[r.clone()], "---") {
            return Ok(Split {
                open: first.clone(),
                yaml: first.end..r.start,
                close: r,
                yaml_first_line: 2,
            });
        }
    }
    Err(SplitError::Unclosed)
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
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unclosed));
        assert_eq!(split("---"), Err(SplitError::Unclosed));
        assert_eq!(split("hello"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("+++\na = 1\n+++\n"), Err(SplitError::TomlFrontMatter));
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
