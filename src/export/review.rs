//! Review data for the app's Changes view: each changed file's hunks with
//! word-level highlighting inside changed lines, and a fingerprint that
//! names exactly the version the person looked at.
//!
//! A diff shows a replaced line as a removed line and an added one; reading
//! which word changed in a long title is the reviewer's real question. So
//! within each run of removed lines followed by added lines, the n-th
//! removed line is paired with the n-th added one and both are split into
//! spans with [`word_diff`]. Lines without a partner keep one plain span:
//! the whole line is new or gone, and highlighting every word says nothing.

use super::change::{ChangeKind, FileChange};
use super::diff::{hunks, is_binary, word_diff, DiffKind, Hunk, LineEnding, Span};
use serde::Serialize;
use std::path::PathBuf;

/// One line of a reviewed hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewLine {
    /// Context, added or removed.
    pub kind: DiffKind,
    /// 1-based line in the old file (None for an added line).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub old_line: Option<usize>,
    /// 1-based line in the new file (None for a removed line).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub new_line: Option<usize>,
    /// The line's text in spans: `Equal` spans are plain, `Delete` spans (on
    /// removed lines) and `Insert` spans (on added lines) are the changed
    /// words. The spans' texts joined give the whole line.
    pub spans: Vec<Span>,
    /// Whether the line is the last one of its file and has no newline.
    pub no_newline: bool,
}

/// A hunk ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewHunk {
    /// Git's header line, `@@ -3,7 +3,7 @@ title: …`.
    pub header: String,
    /// The lines, context included.
    pub lines: Vec<ReviewLine>,
}

/// One changed file, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewFile {
    /// Path relative to the change set's root (the new path of a move).
    pub path: PathBuf,
    /// What happened to it.
    pub kind: ChangeKind,
    /// Whether either side is binary (no hunks are shown).
    pub binary: bool,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
    /// The hunks, numbered as [`super::revert_hunk`] numbers them.
    pub hunks: Vec<ReviewHunk>,
    /// [`fingerprint`] of the change: pass it back to revert exactly what
    /// was shown.
    pub fingerprint: String,
}

/// A file change as the Changes view shows it.
pub fn review(change: &FileChange) -> ReviewFile {
    let binary = change.before.as_deref().is_some_and(is_binary)
        || change.after.as_deref().is_some_and(is_binary);
    let hunks: Vec<ReviewHunk> = hunks(change).iter().map(highlight).collect();
    let count = |k: DiffKind| {
        hunks
            .iter()
            .flat_map(|h| &h.lines)
            .filter(|l| l.kind == k)
            .count()
    };
    ReviewFile {
        path: change.path.clone(),
        kind: change.kind.clone(),
        binary,
        added: count(DiffKind::Insert),
        removed: count(DiffKind::Delete),
        fingerprint: fingerprint(change),
        hunks,
    }
}

/// A hunk with word-level spans: the n-th removed line of a run is compared
/// with the n-th added line that follows it.
pub fn highlight(hunk: &Hunk) -> ReviewHunk {
    let header = {
        let mut s = format!(
            "@@ -{},{} +{},{} @@",
            hunk.old_start, hunk.old_len, hunk.new_start, hunk.new_len
        );
        if !hunk.section.is_empty() {
            s.push(' ');
            s.push_str(&hunk.section);
        }
        s
    };
    let plain = |i: usize| {
        let l = &hunk.lines[i];
        ReviewLine {
            kind: l.kind,
            old_line: l.old_line,
            new_line: l.new_line,
            spans: vec![Span {
                kind: DiffKind::Equal,
                text: l.text.clone(),
            }],
            no_newline: l.ending == LineEnding::None,
        }
    };
    let mut lines: Vec<ReviewLine> = (0..hunk.lines.len()).map(plain).collect();
    let mut i = 0;
    while i < hunk.lines.len() {
        if hunk.lines[i].kind != DiffKind::Delete {
            i += 1;
            continue;
        }
        let dels = i;
        while i < hunk.lines.len() && hunk.lines[i].kind == DiffKind::Delete {
            i += 1;
        }
        let ins = i;
        while i < hunk.lines.len() && hunk.lines[i].kind == DiffKind::Insert {
            i += 1;
        }
        let pairs = (ins - dels).min(i - ins);
        for k in 0..pairs {
            let (d, a) = (dels + k, ins + k);
            let spans = word_diff(&hunk.lines[d].text, &hunk.lines[a].text);
            lines[d].spans = side(&spans, DiffKind::Delete);
            lines[a].spans = side(&spans, DiffKind::Insert);
        }
    }
    ReviewHunk { header, lines }
}

/// The spans one side of a word diff shows: equal runs and its own changes.
fn side(spans: &[Span], own: DiffKind) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for s in spans
        .iter()
        .filter(|s| s.kind == DiffKind::Equal || s.kind == own)
    {
        match out.last_mut() {
            Some(last) if last.kind == s.kind => last.text.push_str(&s.text),
            _ => out.push(s.clone()),
        }
    }
    if out.is_empty() {
        out.push(Span {
            kind: DiffKind::Equal,
            text: String::new(),
        });
    }
    out
}

/// A short hex digest of what a change is: its kind, paths and both sides'
/// bytes. Two reviews of the same pending change give the same fingerprint;
/// any edit on disk in between gives another.
pub fn fingerprint(change: &FileChange) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let kind = match &change.kind {
        ChangeKind::Created => "created".to_string(),
        ChangeKind::Changed => "changed".to_string(),
        ChangeKind::Deleted => "deleted".to_string(),
        ChangeKind::Moved { from } => format!("moved\0{}", super::slash_path(from)),
    };
    for part in [kind.as_bytes(), super::slash_path(&change.path).as_bytes()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    for side in [&change.before, &change.after] {
        match side {
            Some(b) => {
                h.update([1]);
                h.update((b.len() as u64).to_le_bytes());
                h.update(b);
            }
            None => h.update([0]),
        }
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
