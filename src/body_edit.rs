//! Edits of a session body as a text editor reports them.
//!
//! The desktop app's Markdown editor (CodeMirror) sees the body with every
//! line ending as `\n` and counts positions in UTF-16 code units. Sending
//! only what changed (from, to, inserted text) instead of the whole body
//! keeps a keystroke in a 100 KB body a few bytes on the wire. This module
//! maps such changes back onto the body: [`editor_text`] is the body as the
//! editor sees it and [`apply`] replays changes on it, refusing positions
//! that do not fit (out of range, overlapping, or inside a character), so
//! an editor and a core that disagree are told, never silently merged.

use crate::error::{Error, Result};

/// One change as an editor reports it: replace `from..to` (UTF-16 code
/// units, in the text before the change) with `insert`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TextChange {
    /// Start of the replaced range, in UTF-16 code units.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub from: usize,
    /// End of the replaced range (exclusive), in UTF-16 code units.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub to: usize,
    /// The text put there.
    pub insert: String,
}

/// The body as an editor that normalises line endings sees it: `\r\n` and a
/// lone `\r` become `\n` (CodeMirror splits lines on `\r\n?|\n`).
pub fn editor_text(body: &str) -> String {
    if !body.contains('\r') {
        return body.to_string();
    }
    body.replace("\r\n", "\n").replace('\r', "\n")
}

/// The length of `s` in UTF-16 code units (what a JavaScript string's
/// `length` says).
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars().map(char::len_utf16).sum()
}

/// Apply one set of changes to `text`. The changes must be in ascending
/// order, not overlap, and be positioned in `text` as it is before any of
/// them (how CodeMirror's `ChangeSet.iterChanges` lists them).
pub fn apply(text: &str, changes: &[TextChange]) -> Result<String> {
    let mut out =
        String::with_capacity(text.len() + changes.iter().map(|c| c.insert.len()).sum::<usize>());
    let mut chars = Utf16Cursor::new(text);
    let mut copied = 0; // bytes of `text` already handled
    let mut last_end = 0; // UTF-16 end of the previous change
    for c in changes {
        if c.from > c.to || c.from < last_end {
            return Err(Error::Invalid(format!(
                "body edit {}..{} is out of order or reversed; the editor and the file are out of sync",
                c.from, c.to
            )));
        }
        let from = chars.byte_at(c.from)?;
        let to = chars.byte_at(c.to)?;
        out.push_str(&text[copied..from]);
        out.push_str(&c.insert);
        copied = to;
        last_end = c.to;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// Walks a string forwards, turning UTF-16 positions into byte offsets.
struct Utf16Cursor<'a> {
    text: &'a str,
    byte: usize,
    unit: usize,
}

impl<'a> Utf16Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Utf16Cursor {
            text,
            byte: 0,
            unit: 0,
        }
    }

    /// The byte offset of UTF-16 position `at` (never before the last one asked).
    fn byte_at(&mut self, at: usize) -> Result<usize> {
        let rest = &self.text[self.byte..];
        // ASCII runs map one to one; skip them without decoding.
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        if at <= self.unit + ascii {
            self.byte += at - self.unit;
            self.unit = at;
            return Ok(self.byte);
        }
        for (i, ch) in rest.char_indices() {
            if self.unit == at {
                self.byte += i;
                return Ok(self.byte);
            }
            self.unit += ch.len_utf16();
            if self.unit > at {
                return Err(Error::Invalid(format!(
                    "body edit position {at} falls inside a character; the editor and the file are out of sync"
                )));
            }
            if self.unit == at {
                self.byte += i + ch.len_utf8();
                return Ok(self.byte);
            }
        }
        Err(Error::Invalid(format!(
            "body edit position {at} is past the end of the body ({} UTF-16 units); the editor and the file are out of sync",
            self.unit
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(from: usize, to: usize, insert: &str) -> TextChange {
        TextChange {
            from,
            to,
            insert: insert.into(),
        }
    }

    #[test]
    fn applies_changes_positioned_before_any_of_them() {
        assert_eq!(
            apply("abcdef", &[ch(1, 2, "X"), ch(4, 4, "YY")]).unwrap(),
            "aXcdYYef"
        );
        assert_eq!(apply("", &[ch(0, 0, "new")]).unwrap(), "new");
        assert_eq!(apply("abc", &[ch(0, 3, "")]).unwrap(), "");
    }

    #[test]
    fn counts_positions_in_utf16_units() {
        // "é" is one unit, "😀" two, "中" one.
        let t = "é😀中x";
        assert_eq!(utf16_len(t), 5);
        assert_eq!(apply(t, &[ch(3, 4, "文")]).unwrap(), "é😀文x");
        assert_eq!(apply(t, &[ch(5, 5, "!")]).unwrap(), "é😀中x!");
        assert_eq!(apply(t, &[ch(1, 3, "")]).unwrap(), "é中x");
    }

    #[test]
    fn refuses_positions_that_do_not_fit() {
        assert!(apply("abc", &[ch(2, 9, "")]).is_err());
        assert!(apply("abc", &[ch(2, 1, "")]).is_err());
        assert!(apply("abcdef", &[ch(3, 4, ""), ch(1, 2, "")]).is_err());
        // Between the two halves of a surrogate pair.
        assert!(apply("a😀b", &[ch(2, 2, "x")]).is_err());
    }

    #[test]
    fn editor_text_turns_every_line_ending_into_lf() {
        assert_eq!(editor_text("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(editor_text("plain\n"), "plain\n");
    }
}
