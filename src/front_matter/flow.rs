//! Flow lists: YAML `[a, "b"]`, TOML arrays and JSON arrays, as the spans
//! of their items, so one item can be added or removed without rewriting
//! the others. The scanner reads no values (the format's parser does); it
//! only finds where each item's text is, and gives up (`None`) on anything
//! it does not fully understand, so callers fall back to safer edits.

use super::Format;
use std::ops::Range;

/// A flow list's brackets and items, as byte offsets into the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowList {
    /// Offset of `[`.
    pub open: usize,
    /// Offset of the matching `]`.
    pub close: usize,
    /// Each item's text (quotes included, surrounding spaces excluded).
    pub items: Vec<Range<usize>>,
}

/// Deepest nesting the scanner follows inside one item.
const MAX_DEPTH: usize = 128;

/// Scan the flow list whose `[` is at `open` in `text`.
pub fn scan(text: &str, open: usize, format: Format) -> Option<FlowList> {
    let b = text.as_bytes();
    if b.get(open) != Some(&b'[') {
        return None;
    }
    let mut i = open + 1;
    let mut items = Vec::new();
    let mut expect_item = true;
    loop {
        i = skip_blank(b, i, format);
        let c = *b.get(i)?;
        match c {
            b']' => {
                return Some(FlowList {
                    open,
                    close: i,
                    items,
                })
            }
            b',' => {
                if expect_item {
                    return None;
                }
                expect_item = true;
                i += 1;
            }
            _ if !expect_item => return None,
            _ => {
                let end = item_end(text, i, format)?;
                items.push(i..end);
                expect_item = false;
                i = end;
            }
        }
    }
}

fn skip_blank(b: &[u8], mut i: usize, format: Format) -> usize {
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' if format != Format::Json => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i
}

/// End (exclusive) of the item starting at `i`.
fn item_end(text: &str, i: usize, format: Format) -> Option<usize> {
    let b = text.as_bytes();
    match b[i] {
        b'"' => {
            if format == Format::Toml && text[i..].starts_with("\"\"\"") {
                return None;
            }
            string_end(b, i, b'"', format).map(|e| e + 1)
        }
        b'\'' => {
            if format == Format::Json || (format == Format::Toml && text[i..].starts_with("'''")) {
                return None;
            }
            string_end(b, i, b'\'', format).map(|e| e + 1)
        }
        b'[' | b'{' => nested_end(b, i, format),
        _ => {
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b',' | b']' | b'\n' | b'\r' => break,
                    b'#' if format != Format::Json && j > i && matches!(b[j - 1], b' ' | b'\t') => {
                        break
                    }
                    b'[' | b'{' | b'}' => return None,
                    b'"' | b'\'' if format != Format::Yaml => return None,
                    _ => j += 1,
                }
            }
            let end = i + text[i..j].trim_end_matches([' ', '\t']).len();
            (end > i).then_some(end)
        }
    }
}

/// Index of the quote closing the one at `i`.
pub(crate) fn string_end(b: &[u8], i: usize, q: u8, format: Format) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        let c = b[j];
        if q == b'"' && c == b'\\' {
            j += 2;
            continue;
        }
        if c == q {
            if q == b'\'' && format == Format::Yaml && b.get(j + 1) == Some(&b'\'') {
                j += 2;
                continue;
            }
            return Some(j);
        }
        if c == b'\n' && format != Format::Yaml {
            return None;
        }
        j += 1;
    }
    None
}

fn nested_end(b: &[u8], i: usize, format: Format) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return None;
                }
            }
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            q @ (b'"' | b'\'') => {
                if q == b'\'' && format == Format::Json {
                    return None;
                }
                j = string_end(b, j, q, format)?;
            }
            b'#' if format != Format::Json => {
                while j < b.len() && b[j] != b'\n' {
                    j += 1;
                }
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(t: &str, f: Format) -> Option<Vec<&str>> {
        let l = scan(t, t.find('[')?, f)?;
        assert_eq!(&t[l.close..=l.close], "]");
        Some(l.items.iter().map(|r| &t[r.clone()]).collect())
    }

    #[test]
    fn finds_items_in_all_three_formats() {
        assert_eq!(
            items("[a, 'b''c', \"d,e\" ]", Format::Yaml),
            Some(vec!["a", "'b''c'", "\"d,e\""])
        );
        assert_eq!(
            items("[\n  \"a\", # one\n  'b',\n]", Format::Toml),
            Some(vec!["\"a\"", "'b'"])
        );
        assert_eq!(
            items("[1, [2, 3], {\"a\": \"]\"}]", Format::Json),
            Some(vec!["1", "[2, 3]", "{\"a\": \"]\"}"])
        );
        assert_eq!(items("[]", Format::Json), Some(vec![]));
        assert_eq!(items("[a b, c]", Format::Yaml), Some(vec!["a b", "c"]));
        assert_eq!(items("[, a]", Format::Yaml), None);
        assert_eq!(items("[a", Format::Yaml), None);
        assert_eq!(items("[\"\"\"x\"\"\"]", Format::Toml), None);
    }
}
