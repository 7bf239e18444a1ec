//! The live paths, built for speed: a keystroke in the body editor sends
//! only what changed and gets the new preview back in the same round trip;
//! checks of the whole site run on a copy off the main thread, so typing
//! never waits for them.

use std::collections::BTreeSet;

use lectern::workspace::Workspace;
use tauri::State;

use crate::dto_live::{BodyEdited, SiteChecked};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use lectern::body_edit::TextChange;

/// Apply body editor changes (`edits`: change sets in the order they were
/// made) to a session; `length` is the editor's body length after them
/// (UTF-16). Fails with `invalid` when the editor and the file disagree,
/// changing nothing: the UI then sends the whole body with `set_body`.
#[tauri::command]
pub fn edit_body(
    state: State<'_, AppState>,
    id: String,
    edits: Vec<Vec<TextChange>>,
    length: u32,
) -> IpcResult<BodyEdited> {
    state.with_site(|ws| body_edited(ws, &id, edits, length))
}

/// [`edit_body`] on a workspace.
pub fn body_edited(
    ws: &mut Workspace,
    id: &str,
    edits: Vec<Vec<TextChange>>,
    length: u32,
) -> IpcResult<BodyEdited> {
    ws.edit_body(id, &edits, length as usize)?;
    let stem = ws.session(id)?.file.stem.clone();
    let doc = ws.document(id)?;
    Ok(BodyEdited {
        preview_html: crate::dto::preview_html(ws.site(), doc),
        modified: doc.is_modified(),
        speakers: doc.speakers().map(|s| s.speakers),
        rows: ws.summaries_of(&BTreeSet::from([stem])),
    })
}

/// Check the open site as it is in memory, on a copy and off the main
/// thread. Returns every finding (unless they are those of version `known`,
/// which the window has) and the list rows whose counts changed.
#[tauri::command]
pub async fn recheck_site(
    state: State<'_, AppState>,
    known: Option<u64>,
) -> IpcResult<SiteChecked> {
    let job = state.with_site(|ws| Ok(ws.check_job()))?;
    let mut recounted = BTreeSet::new();
    if let Some(job) = job {
        let outcome = tauri::async_runtime::spawn_blocking(move || {
            let outcome = job.run();
            crate::state::release_free_memory();
            outcome
        })
        .await
        .map_err(|e| IpcError::internal(format!("the check stopped: {e}")))?;
        recounted = state.with_site(|ws| Ok(ws.accept_check(outcome).recounted))?;
    }
    state.with_site(|ws| Ok(site_checked(ws, &recounted, known)))
}

/// The last check's findings (unless they are version `known`), with the
/// rows of the `recounted` stems.
pub fn site_checked(
    ws: &Workspace,
    recounted: &BTreeSet<String>,
    known: Option<u64>,
) -> SiteChecked {
    let version = ws.diagnostics_version();
    let (diagnostics, stale) = match ws.last_diagnostics() {
        None => (Some(Vec::new()), true),
        Some((_, stale)) if known == Some(version) => (None, stale),
        Some((d, stale)) => (Some(d.to_vec()), stale),
    };
    let rows = ws.summaries_of(recounted);
    SiteChecked {
        diagnostics,
        version,
        stale,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::path::{Path, PathBuf};

    fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures/site");
        crate::opening::copy_tree_atomically(&fixture, &root).unwrap();
        (tmp, root)
    }

    const ID: &str = "content/sessions/db-101.md";

    fn utf16(s: &str) -> u32 {
        s.encode_utf16().count() as u32
    }

    #[test]
    fn a_keystroke_returns_the_new_preview_and_the_row_marked_modified() {
        let (_tmp, root) = fixture_copy();
        let mut ws = Workspace::open(&root).unwrap();
        let body = lectern::body_edit::editor_text(ws.document(ID).unwrap().body());
        let edit = vec![vec![TextChange {
            from: 0,
            to: 0,
            insert: "Zebra crossing. ".into(),
        }]];
        let e = body_edited(&mut ws, ID, edit, utf16(&body) + 16).unwrap();
        assert!(e.preview_html.contains("Zebra crossing."));
        assert!(e.preview_html.contains("Content-Security-Policy"));
        assert!(e.modified);
        assert_eq!(e.rows.len(), 1);
        assert_eq!(e.rows[0].stem, "db-101");
        assert!(e.rows[0].modified);
        assert!(ws
            .document(ID)
            .unwrap()
            .body()
            .starts_with("Zebra crossing. "));
        // The same preview a full load shows.
        assert_eq!(
            e.preview_html,
            crate::state::view(&ws, ID).unwrap().preview_html
        );
    }

    #[test]
    fn a_keystroke_from_an_editor_out_of_sync_is_refused_as_invalid() {
        let (_tmp, root) = fixture_copy();
        let mut ws = Workspace::open(&root).unwrap();
        let before = ws.document(ID).unwrap().text().to_string();
        let edit = vec![vec![TextChange {
            from: 0,
            to: 0,
            insert: "x".into(),
        }]];
        let err = body_edited(&mut ws, ID, edit, 3).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert!(err.message.contains("out of sync"), "{}", err.message);
        assert_eq!(ws.document(ID).unwrap().text(), before);
    }

    #[test]
    fn a_background_check_sends_the_findings_and_the_rows_it_recounted() {
        let (_tmp, root) = fixture_copy();
        let mut ws = Workspace::open(&root).unwrap();
        assert!(
            site_checked(&ws, &BTreeSet::new(), None).stale,
            "nothing checked yet"
        );
        ws.set_field(ID, "track", Some("no-such-track")).unwrap();
        let accepted = ws.accept_check(ws.check_job().unwrap().run());
        let c = site_checked(&ws, &accepted.recounted, None);
        assert!(!c.stale);
        let diagnostics = c.diagnostics.clone().unwrap();
        assert!(diagnostics
            .iter()
            .any(|d| d.file == std::path::Path::new(ID) && d.field.as_deref() == Some("track")));
        // A window that has this version is not sent the findings again.
        let again = site_checked(&ws, &BTreeSet::new(), Some(c.version));
        assert_eq!(again.diagnostics, None);
        assert_eq!(again.version, c.version);
        assert!(site_checked(&ws, &BTreeSet::new(), Some(c.version + 1))
            .diagnostics
            .is_some());
        let row = c.rows.iter().find(|r| r.stem == "db-101").unwrap();
        assert!(row.problems >= 1);
    }
}
