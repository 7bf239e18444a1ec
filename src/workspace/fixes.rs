//! One-click fixes in the desktop app: the safe fixes `lectern fix` applies
//! ([`crate::fix::apply_fixes`]), for one finding or every finding of a
//! rule, applied to the documents in memory as any other edit is: each
//! changed file gets one undo step and is marked unsaved; nothing is
//! written until the person saves. As with `lectern fix`, a fix changes
//! only the file of its finding (twins are not carried along: a fix of
//! `twin-mismatch` is what brings a twin in line).

use super::Workspace;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::fix::apply_fixes;
use std::collections::BTreeMap;

/// What applying fixes did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixOutcome {
    /// How many fixes were applied.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub applied: usize,
    /// Ids of the files that changed, in file order.
    pub changed: Vec<String>,
}

impl Workspace {
    /// Apply the safe fix of the finding of rule `code` at `line` and
    /// `column` of file `id` (as the problems list shows it). Fails with
    /// [`Error::Invalid`] when there is no such fixable finding now (fixed
    /// already, or the file changed since the list was made), changing
    /// nothing.
    pub fn fix_finding(
        &mut self,
        id: &str,
        code: &str,
        line: usize,
        column: usize,
    ) -> Result<FixOutcome> {
        let found = self.fixable(|d| {
            d.file.to_string_lossy() == id && d.code == code && d.line == line && d.column == column
        });
        if found.is_empty() {
            return Err(Error::Invalid(format!(
                "{}:{line}: no `{}` finding with a fix there any more; the problems list was out of date",
                crate::text::clip(id),
                crate::text::clip(code)
            )));
        }
        self.apply(found)
    }

    /// Apply the safe fix of every finding of rule `code` across the site.
    /// Every file's fix is prepared before any is applied, so a failure
    /// changes nothing. Zero fixes applied is not an error.
    pub fn fix_rule(&mut self, code: &str) -> Result<FixOutcome> {
        let found = self.fixable(|d| d.code == code);
        self.apply(found)
    }

    /// The current findings with a fix that pass `keep`.
    fn fixable(&mut self, keep: impl Fn(&Diagnostic) -> bool) -> Vec<Diagnostic> {
        self.diagnostics()
            .iter()
            .filter(|d| d.fix.is_some() && keep(d))
            .cloned()
            .collect()
    }

    fn apply(&mut self, found: Vec<Diagnostic>) -> Result<FixOutcome> {
        let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
        for d in &found {
            by_file
                .entry(d.file.to_string_lossy().into_owned())
                .or_default()
                .push(d);
        }
        let mut updates = Vec::new();
        let mut out = FixOutcome::default();
        for (id, diags) in by_file {
            let doc = self.document(&id)?;
            let (new, n) = apply_fixes(doc, &diags)?;
            if new.text() != doc.text() {
                super::fits(&id, &new)?;
                out.applied += n;
                updates.push((id, new));
            }
        }
        for (id, new) in updates {
            self.put(&id, new, true)?;
            out.changed.push(id);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    const ID: &str = "content/sessions/ai-1.md";

    /// A site with a scheme-less link (a `bad-url` with a fix) and trailing
    /// whitespace in the front matter (a `trailing-whitespace` fix).
    fn workspace() -> (tempfile::TempDir, Workspace, Vec<u8>) {
        let tmp = tempfile::tempdir().unwrap();
        let sessions = tmp.path().join("content/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        std::fs::write(tmp.path().join("hugo.toml"), "title = \"T\"\n").unwrap();
        let text = "---\ntitle: \"A\"   \nspeechLink: \"//example.org/v\"\n---\nBody\n";
        std::fs::write(sessions.join("ai-1.md"), text).unwrap();
        std::fs::write(sessions.join("ai-2.md"), "---\ntitle: \"B\"\t\n---\nBody\n").unwrap();
        let ws = Workspace::open(tmp.path()).unwrap();
        (tmp, ws, text.as_bytes().to_vec())
    }

    fn finding(ws: &mut Workspace, id: &str, code: &str) -> Diagnostic {
        let all = ws.diagnostics();
        all.iter()
            .find(|d| d.file.to_string_lossy() == id && d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {id}: {all:?}"))
            .clone()
    }

    #[test]
    fn fixing_one_finding_edits_memory_only_and_undo_brings_it_back() {
        let (tmp, mut ws, before) = workspace();
        let d = finding(&mut ws, ID, "bad-url");
        let out = ws.fix_finding(ID, "bad-url", d.line, d.column).unwrap();
        assert_eq!(out.applied, 1);
        assert_eq!(out.changed, [ID]);
        assert_eq!(
            ws.document(ID).unwrap().get("speechLink").as_deref(),
            Some("https://example.org/v")
        );
        assert!(ws.is_modified(ID));
        // Only that finding: the trailing whitespace is still there.
        assert!(ws.document(ID).unwrap().text().contains("\"A\"   \n"));
        assert!(!ws.diagnostics().iter().any(|d| d.code == "bad-url"));
        // Nothing was written behind the person's back.
        assert_eq!(
            std::fs::read(tmp.path().join(ID)).unwrap(),
            before,
            "the file on disk must not change before a save"
        );
        assert!(ws.undo(ID).unwrap());
        assert_eq!(ws.document(ID).unwrap().text().as_bytes(), before);
        assert!(!ws.is_modified(ID));
    }

    #[test]
    fn a_finding_that_is_gone_is_an_error_and_changes_nothing() {
        let (_t, mut ws, before) = workspace();
        let d = finding(&mut ws, ID, "bad-url");
        ws.fix_finding(ID, "bad-url", d.line, d.column).unwrap();
        let after = ws.document(ID).unwrap().text().to_string();
        let err = ws.fix_finding(ID, "bad-url", d.line, d.column).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err:?}");
        assert_eq!(ws.document(ID).unwrap().text(), after);
        assert!(ws.fix_finding("../../etc/passwd", "bad-url", 1, 1).is_err());
        assert_ne!(after.as_bytes(), before);
    }

    #[test]
    fn fixing_a_rule_fixes_it_in_every_file_with_one_undo_step_each() {
        let (_t, mut ws, before) = workspace();
        let out = ws.fix_rule("trailing-whitespace").unwrap();
        assert_eq!(out.applied, 2);
        assert_eq!(out.changed, [ID, "content/sessions/ai-2.md"]);
        assert_eq!(
            ws.document("content/sessions/ai-2.md").unwrap().text(),
            "---\ntitle: \"B\"\n---\nBody\n"
        );
        assert!(ws.document(ID).unwrap().text().contains("title: \"A\"\n"));
        // The other rule's finding is left alone.
        assert!(ws.diagnostics().iter().any(|d| d.code == "bad-url"));
        assert!(!ws
            .diagnostics()
            .iter()
            .any(|d| d.code == "trailing-whitespace"));
        assert!(ws.undo(ID).unwrap());
        assert_eq!(ws.document(ID).unwrap().text().as_bytes(), before);
        // Nothing left to fix is not an error.
        assert_eq!(ws.fix_rule("no-such-rule").unwrap(), FixOutcome::default());
    }
}
