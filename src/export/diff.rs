//! Review: git-format unified diffs, hunks as data, single-hunk revert and
//! word-level highlighting.
//!
//! Diffs are computed on lines that keep their terminators, so a CRLF line and
//! an LF line differ, a missing final newline shows as git's
//! `\ No newline at end of file`, and reverting a hunk gives back the exact
//! bytes. The text output follows git's format closely enough that
//! `git apply` accepts it (tested), including new, deleted and renamed files.

use super::change::{ChangeKind, ChangeSet, FileChange};
use super::{blob_id, slash_path, ExportError, ExportResult, ZERO_ID};
use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffOp, DiffTag};
use std::fmt::Write as _;
use std::ops::Range;

/// Lines of context around each change in [`hunks`] and [`diff_all`], as git.
pub const DEFAULT_CONTEXT: usize = 3;

/// The role of a piece of text in a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DiffKind {
    /// Present on both sides.
    Equal,
    /// Only in the new version.
    Insert,
    /// Only in the old version.
    Delete,
}

/// A run of text with one role, for word-level highlighting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Span {
    /// Equal, inserted or deleted.
    pub kind: DiffKind,
    /// The text.
    pub text: String,
}

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
    /// The last line of a file without a final newline.
    None,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HunkLine {
    /// Context, added or removed.
    pub kind: DiffKind,
    /// 1-based line number in the old file (None for an added line).
    pub old_line: Option<usize>,
    /// 1-based line number in the new file (None for a removed line).
    pub new_line: Option<usize>,
    /// The line without its ending.
    pub text: String,
    /// The line's ending.
    pub ending: LineEnding,
}

/// A group of nearby changes with their context, as in a `@@` block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hunk {
    /// First old line (1-based); when `old_len` is 0, the line after which
    /// the new lines go (git's convention, 0 for the file start).
    pub old_start: usize,
    /// Number of old lines in the hunk.
    pub old_len: usize,
    /// First new line (1-based), same convention as `old_start`.
    pub new_start: usize,
    /// Number of new lines in the hunk.
    pub new_len: usize,
    /// Git's "function" context: the nearest earlier line starting with a
    /// letter, `_` or `$` (often a front-matter key), or empty.
    pub section: String,
    /// The lines, context included.
    pub lines: Vec<HunkLine>,
}

/// Whether bytes are shown as "Binary files differ": not UTF-8, or holding NUL.
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0) || std::str::from_utf8(bytes).is_err()
}

/// Lines with their terminators; the last one may lack `\n`.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// How much of `old` survives in `new`, in percent (git's rename score, by lines).
pub(crate) fn similarity(old: &[u8], new: &[u8]) -> u32 {
    if old == new {
        return 100;
    }
    if is_binary(old) || is_binary(new) {
        return 0;
    }
    let (ol, nl) = (split_lines(old), split_lines(new));
    let ops = capture_diff_slices(Algorithm::Myers, &ol, &nl);
    let kept: usize = ops
        .iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .flat_map(|op| op.old_range())
        .map(|i| ol[i].len())
        .sum();
    let size = old.len().max(new.len()).max(1);
    (kept * 100 / size) as u32
}

/// A hunk before it is turned into text or data: line index ranges and ops.
struct RawHunk {
    old: Range<usize>,
    new: Range<usize>,
    ops: Vec<DiffOp>,
}

fn raw_hunks(old: &[&[u8]], new: &[&[u8]], context: usize) -> Vec<RawHunk> {
    let ops = capture_diff_slices(Algorithm::Myers, old, new);
    group_diff_ops(ops, context)
        .into_iter()
        .filter_map(|group| {
            let ops: Vec<DiffOp> = group
                .into_iter()
                .filter(|op| !(op.old_range().is_empty() && op.new_range().is_empty()))
                .collect();
            let (first, last) = (ops.first()?, ops.last()?);
            Some(RawHunk {
                old: first.old_range().start..last.old_range().end,
                new: first.new_range().start..last.new_range().end,
                ops,
            })
        })
        .collect()
}

/// Git's hunk start: 1-based, or the line before when the range is empty.
fn hunk_start(r: &Range<usize>) -> usize {
    if r.is_empty() {
        r.start
    } else {
        r.start + 1
    }
}

/// Finds git's default "function line" for each hunk (xdiff's `def_ff`).
struct SectionFinder {
    limit: isize,
    current: String,
}

impl SectionFinder {
    fn new() -> Self {
        SectionFinder {
            limit: -1,
            current: String::new(),
        }
    }

    fn next(&mut self, old: &[&[u8]], hunk_first_old: usize) -> String {
        let start = hunk_first_old as isize - 1;
        let mut l = start;
        while l > self.limit && l >= 0 {
            let line = old[l as usize];
            if let Some(&b) = line.first() {
                if b.is_ascii_alphabetic() || b == b'_' || b == b'$' {
                    let mut end = line.len().min(80);
                    while end > 0 && line[end - 1].is_ascii_whitespace() {
                        end -= 1;
                    }
                    let text = String::from_utf8_lossy(&line[..end]);
                    // Cutting at 80 bytes may split a character; drop the piece.
                    self.current = text.trim_end_matches('\u{FFFD}').to_string();
                    break;
                }
            }
            l -= 1;
        }
        self.limit = start;
        self.current.clone()
    }
}

fn line_parts(line: &[u8]) -> (&str, LineEnding) {
    let (body, ending) = if let Some(b) = line.strip_suffix(b"\r\n") {
        (b, LineEnding::CrLf)
    } else if let Some(b) = line.strip_suffix(b"\n") {
        (b, LineEnding::Lf)
    } else {
        (line, LineEnding::None)
    };
    (std::str::from_utf8(body).unwrap_or_default(), ending)
}

/// The change's hunks with 3 lines of context, as data for the UI. Empty for
/// binary files and for files whose bytes did not change (pure moves).
pub fn hunks(change: &FileChange) -> Vec<Hunk> {
    hunks_with_context(change, DEFAULT_CONTEXT)
}

fn hunks_with_context(change: &FileChange, context: usize) -> Vec<Hunk> {
    let old = change.before.as_deref().unwrap_or_default();
    let new = change.after.as_deref().unwrap_or_default();
    if is_binary(old) || is_binary(new) {
        return Vec::new();
    }
    let (ol, nl) = (split_lines(old), split_lines(new));
    let mut sections = SectionFinder::new();
    raw_hunks(&ol, &nl, context)
        .into_iter()
        .map(|h| {
            let mut lines = Vec::new();
            for op in &h.ops {
                let (_, or, nr) = op.as_tag_tuple();
                if op.tag() == DiffTag::Equal {
                    for (i, j) in or.zip(nr) {
                        let (text, ending) = line_parts(ol[i]);
                        lines.push(HunkLine {
                            kind: DiffKind::Equal,
                            old_line: Some(i + 1),
                            new_line: Some(j + 1),
                            text: text.to_string(),
                            ending,
                        });
                    }
                    continue;
                }
                for i in or {
                    let (text, ending) = line_parts(ol[i]);
                    lines.push(HunkLine {
                        kind: DiffKind::Delete,
                        old_line: Some(i + 1),
                        new_line: None,
                        text: text.to_string(),
                        ending,
                    });
                }
                for j in nr {
                    let (text, ending) = line_parts(nl[j]);
                    lines.push(HunkLine {
                        kind: DiffKind::Insert,
                        old_line: None,
                        new_line: Some(j + 1),
                        text: text.to_string(),
                        ending,
                    });
                }
            }
            Hunk {
                old_start: hunk_start(&h.old),
                old_len: h.old.len(),
                new_start: hunk_start(&h.new),
                new_len: h.new.len(),
                section: sections.next(&ol, h.old.start),
                lines,
            }
        })
        .collect()
}

/// The file's new bytes with hunk `index` (as numbered by [`hunks`]) put
/// back to its old lines. Every other byte, line endings and a missing final
/// newline included, stays as it is.
pub fn revert_hunk(change: &FileChange, index: usize) -> ExportResult<Vec<u8>> {
    let old = change.before.as_deref().unwrap_or_default();
    let new = change.after.as_deref().unwrap_or_default();
    if is_binary(old) || is_binary(new) {
        return Err(ExportError::Invalid(format!(
            "{} is a binary file; it has no hunks to revert",
            change.path.display()
        )));
    }
    let (ol, nl) = (split_lines(old), split_lines(new));
    let all = raw_hunks(&ol, &nl, DEFAULT_CONTEXT);
    let count = all.len();
    let h = all.into_iter().nth(index).ok_or_else(|| {
        ExportError::Invalid(format!(
            "{} has {count} hunk(s); there is no hunk number {}",
            change.path.display(),
            index + 1
        ))
    })?;
    let mut out = Vec::with_capacity(new.len().max(old.len()));
    for line in &nl[..h.new.start] {
        out.extend_from_slice(line);
    }
    for line in &ol[h.old.clone()] {
        out.extend_from_slice(line);
    }
    for line in &nl[h.new.end..] {
        out.extend_from_slice(line);
    }
    Ok(out)
}

/// Git's C-style quoting of a path (with `core.quotepath=off`: only control
/// characters, `"` and `\` are escaped).
fn quote(prefix: &str, name: &str) -> String {
    let needs = name
        .chars()
        .any(|c| (c as u32) < 0x20 || c == '"' || c == '\\' || c == '\x7f');
    if !needs {
        return format!("{prefix}{name}");
    }
    let mut s = String::from("\"");
    s.push_str(prefix);
    for c in name.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\x07' => s.push_str("\\a"),
            '\x08' => s.push_str("\\b"),
            '\t' => s.push_str("\\t"),
            '\n' => s.push_str("\\n"),
            '\x0b' => s.push_str("\\v"),
            '\x0c' => s.push_str("\\f"),
            '\r' => s.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(s, "\\{:03o}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// The unified diff of one change in git's format, with `context` lines of
/// context. Empty when the bytes and the path did not change.
pub fn unified_diff(change: &FileChange, context: usize) -> String {
    render(change, context, false)
}

/// The unified diffs of every change in the set, in path order: what
/// `git diff` would print. The text applies with `git apply`.
pub fn diff_all(changes: &ChangeSet) -> String {
    let mut out = String::new();
    for c in &changes.changes {
        out.push_str(&unified_diff(c, DEFAULT_CONTEXT));
    }
    out
}

/// Diffs for a patch that must apply without the repository: binary files
/// as `GIT binary patch` literals with full object ids.
pub(crate) fn render_for_patch(change: &FileChange) -> String {
    render(change, DEFAULT_CONTEXT, true)
}

fn render(change: &FileChange, context: usize, binary_patch: bool) -> String {
    let old = change.before.as_deref();
    let new = change.after.as_deref();
    let old_bytes = old.unwrap_or_default();
    let new_bytes = new.unwrap_or_default();
    let old_name = slash_path(change.old_path());
    let new_name = slash_path(&change.path);
    let moved = matches!(change.kind, ChangeKind::Moved { .. });
    let created = old.is_none();
    let deleted = new.is_none();
    if old_bytes == new_bytes && !moved && !created && !deleted {
        return String::new();
    }
    let binary = is_binary(old_bytes) || is_binary(new_bytes);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "diff --git {} {}",
        quote("a/", &old_name),
        quote("b/", &new_name)
    );
    if created {
        out.push_str("new file mode 100644\n");
    } else if deleted {
        out.push_str("deleted file mode 100644\n");
    } else if moved {
        let _ = writeln!(
            out,
            "similarity index {}%",
            similarity(old_bytes, new_bytes)
        );
        let _ = writeln!(out, "rename from {}", quote("", &old_name));
        let _ = writeln!(out, "rename to {}", quote("", &new_name));
    }
    if !created && !deleted && old_bytes == new_bytes {
        return out;
    }
    let full = binary && binary_patch;
    let id = |b: Option<&[u8]>| {
        let id = b.map(blob_id).unwrap_or_else(|| ZERO_ID.to_string());
        if full {
            id
        } else {
            id[..7].to_string()
        }
    };
    let mode = if created || deleted { "" } else { " 100644" };
    let _ = writeln!(out, "index {}..{}{mode}", id(old), id(new));

    let old_label = if created {
        "/dev/null".to_string()
    } else {
        quote("a/", &old_name)
    };
    let new_label = if deleted {
        "/dev/null".to_string()
    } else {
        quote("b/", &new_name)
    };
    if binary {
        if binary_patch {
            out.push_str("GIT binary patch\n");
            binary_literal(&mut out, new_bytes);
            binary_literal(&mut out, old_bytes);
        } else {
            let _ = writeln!(out, "Binary files {old_label} and {new_label} differ");
        }
        return out;
    }

    let (ol, nl) = (split_lines(old_bytes), split_lines(new_bytes));
    let hunks = raw_hunks(&ol, &nl, context);
    if hunks.is_empty() {
        return out;
    }
    // Git ends a name with a space in a tab so that GNU patch reads it whole.
    let tab = |name: &str, none: bool| {
        if name.contains(' ') && !none {
            "\t"
        } else {
            ""
        }
    };
    let _ = writeln!(out, "--- {old_label}{}", tab(&old_name, created));
    let _ = writeln!(out, "+++ {new_label}{}", tab(&new_name, deleted));
    let mut sections = SectionFinder::new();
    for h in hunks {
        let section = sections.next(&ol, h.old.start);
        let _ = write!(out, "@@ -{} +{} @@", range_text(&h.old), range_text(&h.new));
        if !section.is_empty() {
            out.push(' ');
            out.push_str(&section);
        }
        out.push('\n');
        for op in &h.ops {
            let (tag, or, nr) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                for i in or {
                    push_line(&mut out, ' ', ol[i]);
                }
                continue;
            }
            for i in or {
                push_line(&mut out, '-', ol[i]);
            }
            for j in nr {
                push_line(&mut out, '+', nl[j]);
            }
        }
    }
    out
}

fn range_text(r: &Range<usize>) -> String {
    let start = hunk_start(r);
    if r.len() == 1 {
        start.to_string()
    } else {
        format!("{start},{}", r.len())
    }
}

fn push_line(out: &mut String, sign: char, line: &[u8]) {
    out.push(sign);
    out.push_str(std::str::from_utf8(line).unwrap_or_default());
    if !line.ends_with(b"\n") {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// One `literal` section of a `GIT binary patch`: zlib data in git's base85
/// lines, each prefixed by its decoded length (A-Z = 1-26, a-z = 27-52).
fn binary_literal(out: &mut String, data: &[u8]) {
    use std::io::Write as _;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(data);
    let z = enc.finish().unwrap_or_default();
    let _ = writeln!(out, "literal {}", data.len());
    for chunk in z.chunks(52) {
        let n = chunk.len() as u8;
        out.push(if n <= 26 {
            (b'A' + n - 1) as char
        } else {
            (b'a' + n - 27) as char
        });
        encode_85(out, chunk);
        out.push('\n');
    }
    out.push('\n');
}

fn encode_85(out: &mut String, data: &[u8]) {
    const ALPHABET: &[u8; 85] =
        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
    for group in data.chunks(4) {
        let mut acc: u32 = 0;
        for i in 0..4 {
            acc = (acc << 8) | u32::from(group.get(i).copied().unwrap_or(0));
        }
        let mut chars = [0u8; 5];
        for c in chars.iter_mut().rev() {
            *c = ALPHABET[(acc % 85) as usize];
            acc /= 85;
        }
        out.extend(chars.iter().map(|&c| c as char));
    }
}

/// Word-level differences between an old and a new line, for highlighting.
/// Words are runs of letters and digits; each CJK character and each
/// punctuation mark is a word of its own (Chinese has no spaces). A lone run
/// of spaces between two changes is folded into them so the highlight reads
/// as one phrase.
pub fn word_diff(old_line: &str, new_line: &str) -> Vec<Span> {
    let (ot, nt) = (tokens(old_line), tokens(new_line));
    let ops = capture_diff_slices(Algorithm::Myers, &ot, &nt);
    // Raw runs: (kind, text) in order, deletions before insertions.
    let mut runs: Vec<(DiffKind, String)> = Vec::new();
    for op in &ops {
        let (tag, or, nr) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            runs.push((DiffKind::Equal, ot[or].concat()));
        } else {
            if !or.is_empty() {
                runs.push((DiffKind::Delete, ot[or].concat()));
            }
            if !nr.is_empty() {
                runs.push((DiffKind::Insert, nt[nr].concat()));
            }
        }
    }
    let mut spans = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |spans: &mut Vec<Span>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            spans.push(Span {
                kind: DiffKind::Delete,
                text: std::mem::take(del),
            });
        }
        if !ins.is_empty() {
            spans.push(Span {
                kind: DiffKind::Insert,
                text: std::mem::take(ins),
            });
        }
    };
    for (i, (kind, text)) in runs.iter().enumerate() {
        match kind {
            DiffKind::Delete => del.push_str(text),
            DiffKind::Insert => ins.push_str(text),
            DiffKind::Equal => {
                let pending = !del.is_empty() || !ins.is_empty();
                let change_follows = runs.get(i + 1).is_some_and(|(k, _)| *k != DiffKind::Equal);
                if pending && change_follows && text.chars().all(char::is_whitespace) {
                    del.push_str(text);
                    ins.push_str(text);
                } else {
                    flush(&mut spans, &mut del, &mut ins);
                    spans.push(Span {
                        kind: DiffKind::Equal,
                        text: text.clone(),
                    });
                }
            }
        }
    }
    flush(&mut spans, &mut del, &mut ins);
    // Merge neighbours of the same kind (possible after folding).
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if last.kind == s.kind => last.text.push_str(&s.text),
            _ => merged.push(s),
        }
    }
    merged
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Word,
    Space,
    Single,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

fn classify(c: char) -> CharClass {
    if c.is_whitespace() {
        CharClass::Space
    } else if is_cjk(c) {
        CharClass::Single
    } else if c.is_alphanumeric() || c == '_' {
        CharClass::Word
    } else {
        CharClass::Single
    }
}

fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<CharClass> = None;
    for (i, c) in s.char_indices() {
        let class = classify(c);
        let joins = prev == Some(class) && class != CharClass::Single;
        if !joins && i > start {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(class);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_chinese_into_single_characters_and_latin_into_words() {
        assert_eq!(
            tokens("Hello, 世界 ok"),
            vec!["Hello", ",", " ", "世", "界", " ", "ok"]
        );
    }

    #[test]
    fn encodes_base85_like_git() {
        // The empty zlib stream git writes for "literal 0".
        let mut s = String::new();
        encode_85(&mut s, &[0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        assert_eq!(s, "cmV?d00001");
    }
}
