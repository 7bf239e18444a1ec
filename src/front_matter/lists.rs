//! Where a list's items are written: the items of a flow list (`[a, b]`,
//! TOML and JSON arrays) or the `- item` lines of a YAML block sequence.
//! Lists of one-line scalars only; anything else (nested mappings, block
//! scalars inside items) has no layout and is edited only as a whole.

use super::entries::{closing_quote, plain_end, trailer_ok, Entry, ValueStyle};
use super::flow::{self, FlowList};
use super::{line_ranges, strip_eol, Format};
use std::ops::Range;

/// One `- item` line of a block sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockItem {
    /// The whole line, line ending included.
    pub line: Range<usize>,
    /// The item's text (quotes included).
    pub value: Range<usize>,
}

/// A list's items as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// `[a, b]` (any format).
    Flow(FlowList),
    /// YAML `- a` lines.
    Block(Vec<BlockItem>),
}

impl Layout {
    /// The items' text spans.
    pub fn item_spans(&self) -> Vec<Range<usize>> {
        match self {
            Layout::Flow(f) => f.items.clone(),
            Layout::Block(b) => b.iter().map(|i| i.value.clone()).collect(),
        }
    }
}

/// The layout of entry `e`'s list in front-matter `text`, when its items
/// are `n` one-line scalars written in a way this module understands.
pub fn layout(format: Format, text: &str, e: &Entry, n: usize) -> Option<Layout> {
    let l = match e.style {
        ValueStyle::Flow => Layout::Flow(flow::scan(text, e.value.as_ref()?.start, format)?),
        ValueStyle::Block if format == Format::Yaml => Layout::Block(block_items(text, e)?),
        _ => return None,
    };
    (l.item_spans().len() == n).then_some(l)
}

fn block_items(text: &str, e: &Entry) -> Option<Vec<BlockItem>> {
    let mut items = Vec::new();
    for r in line_ranges(&text[e.lines.clone()]).skip(1) {
        let r = e.lines.start + r.start..e.lines.start + r.end;
        let content = strip_eol(&text[r.clone()]);
        let t = content.trim_start_matches(' ');
        if t.trim().is_empty() || t.starts_with('#') {
            continue;
        }
        let after = t.strip_prefix("- ")?;
        let v = after.trim_start_matches(' ');
        let start = r.start + (content.len() - v.len());
        let first = v.chars().next()?;
        let len = match first {
            '"' | '\'' => {
                let end = closing_quote(v, first)?;
                if !trailer_ok(&v[end + 1..]) {
                    return None;
                }
                end + 1
            }
            '[' | '{' | '|' | '>' | '&' | '*' | '!' | '%' | '@' | '`' | '#' | '-' | '?' => {
                return None
            }
            _ => {
                if v.contains(": ") || v.ends_with(':') {
                    return None;
                }
                plain_end(v)
            }
        };
        items.push(BlockItem {
            line: r,
            value: start..start + len,
        });
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_matter::scan_entries;

    #[test]
    fn block_and_flow_items() {
        let y = "speakers:\n - A B\n - 'C'  # x\n\ntags: [a, \"b\"]\nnested:\n  - name: x\n";
        let e = scan_entries(y);
        assert_eq!(e[0].style, ValueStyle::Block);
        let Some(Layout::Block(items)) = layout(Format::Yaml, y, &e[0], 2) else {
            panic!()
        };
        assert_eq!(&y[items[1].value.clone()], "'C'");
        assert_eq!(&y[items[1].line.clone()], " - 'C'  # x\n");
        assert_eq!(e[1].style, ValueStyle::Flow);
        let l = layout(Format::Yaml, y, &e[1], 2).unwrap();
        assert_eq!(
            l.item_spans()
                .iter()
                .map(|r| &y[r.clone()])
                .collect::<Vec<_>>(),
            ["a", "\"b\""]
        );
        assert_eq!(layout(Format::Yaml, y, &e[2], 1), None);
    }
}
