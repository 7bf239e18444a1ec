//! Applying the safe fixes that validation attached to its findings.

use crate::diagnostics::{Diagnostic, Fix};
use crate::document::Document;
use crate::error::Result;

/// Apply every fix among `diags` that concerns `doc` (matched by the caller),
/// range fixes first (from the end backwards, so offsets stay valid), then
/// field fixes. Returns the new document and how many fixes were applied.
pub fn apply_fixes(doc: &Document, diags: &[&Diagnostic]) -> Result<(Document, usize)> {
    let mut ranges: Vec<(usize, usize, &str)> = diags
        .iter()
        .filter_map(|d| match &d.fix {
            Some(Fix::ReplaceRange { start, end, text }) => Some((*start, *end, text.as_str())),
            _ => None,
        })
        .collect();
    ranges.sort_by(|a, b| b.0.cmp(&a.0));
    ranges.dedup();
    let mut text = doc.text().to_string();
    let mut applied = 0;
    let mut last_start = usize::MAX;
    for (s, e, t) in ranges {
        if e > last_start
            || e > text.len()
            || s > e
            || !text.is_char_boundary(s)
            || !text.is_char_boundary(e)
        {
            continue; // overlapping or stale: skip rather than guess
        }
        text.replace_range(s..e, t);
        last_start = s;
        applied += 1;
    }
    let mut out = if applied > 0 {
        Document::from_text(doc.path(), text).with_base(doc.base_hash())
    } else {
        doc.clone()
    };
    for d in diags {
        if let Some(Fix::SetField { key, value }) = &d.fix {
            out = out.set(key, value)?;
            applied += 1;
        }
    }
    Ok((out, applied))
}
