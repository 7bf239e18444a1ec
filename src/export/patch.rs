//! Patches for people without push rights: one `git format-patch` style mbox
//! that a maintainer applies with `git am`.
//!
//! With a repository the commit is built exactly as for a branch (temporary
//! index, no ref) and git's own `format-patch` writes it, which is the most
//! faithful form. Without one, Lectern writes the mbox itself, binary files
//! included as `GIT binary patch` literals so photos travel too.

use super::change::{ChangeKind, ChangeSet};
use super::diff::{hunks, is_binary, render_for_patch};
use super::git::{build_commit, git, in_repo, CommitIdentity, Repo};
use super::{slash_path, ExportResult, Signature, ZERO_ID};
use chrono::{DateTime, FixedOffset};
use std::fmt::Write as _;

/// A patch in `git format-patch` form (mbox) for the change set, with
/// `message` (first line = subject), `author` and `date`. With a repository
/// that has commits, git writes it from a commit object built on HEAD (no
/// branch is created, nothing in the work tree or index changes); otherwise
/// Lectern writes the same format itself. `git am` applies the result.
pub fn export_patch(
    repo: Option<&Repo>,
    changes: &ChangeSet,
    message: &str,
    author: &Signature,
    date: DateTime<FixedOffset>,
) -> ExportResult<Vec<u8>> {
    if changes.is_empty() {
        return Err(super::ExportError::NothingToCommit);
    }
    if let Some(repo) = repo {
        if repo.head.is_some() {
            let who = CommitIdentity {
                author: Some(author),
                committer: None,
                committer_is_author: true,
                date: Some(date.to_rfc2822()),
            };
            let built = build_commit(repo, changes, message, &who)?;
            // `git am` needs the a/ b/ prefixes; a configured auto base would
            // fail for a commit that is on no branch.
            let mbox = git(&repo.root)
                .args([
                    "-c",
                    "diff.noprefix=false",
                    "-c",
                    "diff.mnemonicPrefix=false",
                ])
                .args(["format-patch", "-1", "--stdout", "--no-base", &built.commit])
                .run()?;
            return Ok(protect_carriage_returns(mbox));
        }
        let mbox = write_mbox(&in_repo(repo, changes)?, message, author, date);
        return Ok(protect_carriage_returns(mbox));
    }
    Ok(protect_carriage_returns(write_mbox(
        changes, message, author, date,
    )))
}

/// `git am` drops the `\r` of CRLF lines in a plain mail (unless run with
/// `--keep-cr`), which breaks patches of CRLF files. A base64 body keeps
/// them: mailinfo decodes it and leaves the line endings alone. Patches
/// without a carriage return stay readable 8-bit text.
fn protect_carriage_returns(mbox: Vec<u8>) -> Vec<u8> {
    let Some(split) = mbox.windows(2).position(|w| w == b"\n\n") else {
        return mbox;
    };
    let (head, body) = (&mbox[..split + 1], &mbox[split + 2..]);
    if !body.contains(&b'\r') {
        return mbox;
    }
    let head = String::from_utf8_lossy(head);
    let mut out = String::new();
    for line in head.lines() {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("content-transfer-encoding:")
            || lower.starts_with("mime-version:")
            || lower.starts_with("content-type:")
        {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("MIME-Version: 1.0\n");
    out.push_str("Content-Type: text/plain; charset=UTF-8\n");
    out.push_str("Content-Transfer-Encoding: base64\n\n");
    let encoded = base64(body);
    for chunk in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.into_bytes()
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Writes the mbox by hand, in the layout `git format-patch` uses.
fn write_mbox(
    changes: &ChangeSet,
    message: &str,
    author: &Signature,
    date: DateTime<FixedOffset>,
) -> Vec<u8> {
    let message = message.trim();
    let (subject, body) = match message.split_once('\n') {
        Some((s, b)) => (s.trim(), b.trim_matches('\n')),
        None => (message, ""),
    };
    let diffs: String = changes.changes.iter().map(render_for_patch).collect();
    let mut out = String::new();
    let _ = writeln!(out, "From {ZERO_ID} Mon Sep 17 00:00:00 2001");
    let _ = writeln!(
        out,
        "From: {} <{}>",
        encode_name(&author.name),
        author.email
    );
    let _ = writeln!(out, "Date: {}", date.to_rfc2822());
    let _ = writeln!(out, "Subject: [PATCH] {}", encode_word(subject));
    if !message.is_ascii() || !diffs.is_ascii() || !author.name.is_ascii() {
        out.push_str("MIME-Version: 1.0\n");
        out.push_str("Content-Type: text/plain; charset=UTF-8\n");
        out.push_str("Content-Transfer-Encoding: 8bit\n");
    }
    out.push('\n');
    if !body.is_empty() {
        out.push_str(body);
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(&diffstat(changes));
    out.push('\n');
    out.push_str(&diffs);
    let _ = write!(out, "-- \nlectern {}\n\n", env!("CARGO_PKG_VERSION"));
    out.into_bytes()
}

/// `git diff --stat --summary` in short: per file `name | N +-`, a total
/// line, then create/delete/rename notes.
fn diffstat(changes: &ChangeSet) -> String {
    let mut rows = Vec::new();
    let (mut ins_total, mut del_total) = (0usize, 0usize);
    for c in &changes.changes {
        let name = match &c.kind {
            ChangeKind::Moved { from } => {
                format!("{} => {}", slash_path(from), slash_path(&c.path))
            }
            _ => slash_path(&c.path),
        };
        let old = c.before.as_deref().unwrap_or_default();
        let new = c.after.as_deref().unwrap_or_default();
        if is_binary(old) || is_binary(new) {
            rows.push((name, format!("Bin {} -> {} bytes", old.len(), new.len())));
            continue;
        }
        let (mut ins, mut del) = (0, 0);
        for h in hunks(c) {
            for l in h.lines {
                match l.kind {
                    super::DiffKind::Insert => ins += 1,
                    super::DiffKind::Delete => del += 1,
                    super::DiffKind::Equal => {}
                }
            }
        }
        ins_total += ins;
        del_total += del;
        let bar = format!("{}{}", "+".repeat(ins.min(40)), "-".repeat(del.min(40)));
        rows.push((name, format!("{} {bar}", ins + del).trim_end().to_string()));
    }
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (name, stat) in &rows {
        let pad = width - name.chars().count();
        let _ = writeln!(out, " {name}{} | {stat}", " ".repeat(pad));
    }
    let n = changes.len();
    let _ = write!(out, " {n} file{} changed", if n == 1 { "" } else { "s" });
    if ins_total > 0 {
        let _ = write!(
            out,
            ", {ins_total} insertion{}(+)",
            if ins_total == 1 { "" } else { "s" }
        );
    }
    if del_total > 0 {
        let _ = write!(
            out,
            ", {del_total} deletion{}(-)",
            if del_total == 1 { "" } else { "s" }
        );
    }
    out.push('\n');
    for c in &changes.changes {
        match &c.kind {
            ChangeKind::Created => {
                let _ = writeln!(out, " create mode 100644 {}", slash_path(&c.path));
            }
            ChangeKind::Deleted => {
                let _ = writeln!(out, " delete mode 100644 {}", slash_path(&c.path));
            }
            ChangeKind::Moved { from } => {
                let score = super::diff::similarity(
                    c.before.as_deref().unwrap_or_default(),
                    c.after.as_deref().unwrap_or_default(),
                );
                let _ = writeln!(
                    out,
                    " rename {} => {} ({score}%)",
                    slash_path(from),
                    slash_path(&c.path)
                );
            }
            ChangeKind::Changed => {}
        }
    }
    out
}

/// RFC 2047 "Q" encoding for a header value that is not plain ASCII.
fn encode_word(text: &str) -> String {
    if text.is_ascii() && !text.contains("=?") {
        return text.to_string();
    }
    let mut s = String::from("=?UTF-8?q?");
    for &b in text.as_bytes() {
        match b {
            b' ' => s.push('_'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'!' | b'*' | b'+' | b'-' | b'/' => {
                s.push(b as char)
            }
            _ => {
                let _ = write!(s, "={b:02X}");
            }
        }
    }
    s.push_str("?=");
    s
}

/// A display name for `From:`: encoded when not ASCII, quoted when it holds
/// characters with a meaning in addresses.
fn encode_name(name: &str) -> String {
    if !name.is_ascii() {
        return encode_word(name);
    }
    if name.chars().any(|c| "()<>@,;:\\\".[]".contains(c)) {
        return format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_chinese_subjects_as_q_words() {
        assert_eq!(encode_word("更新 x"), "=?UTF-8?q?=E6=9B=B4=E6=96=B0_x?=");
        assert_eq!(encode_word("Update x"), "Update x");
    }

    #[test]
    fn encodes_base64_with_padding() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn quotes_names_with_dots() {
        assert_eq!(encode_name("Jane Q. Doe"), "\"Jane Q. Doe\"");
        assert_eq!(encode_name("Jane Doe"), "Jane Doe");
    }
}
