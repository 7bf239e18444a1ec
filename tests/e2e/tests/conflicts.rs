//! Files changed on disk behind the app's back: clean files reload, edited
//! ones ask which text to keep; nothing is overwritten silently.

use std::time::Duration;

use lectern_e2e::{Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);

const FILE: &str = "content/sessions/db-101.md";
const TITLE: &str = "title: \"Fast Indexes Without Tears\"";
const MY_TITLE: &str = "title: \"Fast Indexes, Fewer Tears\"";
const ROOM: &str = "room: \"Main Hall\"";
const DISK_ROOM: &str = "room: \"Side Room\"";

/// Open db-101, change its title in the form (unsaved), then change its room on disk.
async fn edit_then_change_on_disk(h: &Harness) -> Result<(String, String)> {
    let file = h.site.join(FILE);
    let before = std::fs::read_to_string(&file)?;
    h.wait_for("#session-list .session-row", STARTUP).await?;
    h.click(".session-row[data-stem=\"db-101\"]").await?;
    h.wait_until(
        "return document.getElementById('field-title')?.value === 'Fast Indexes Without Tears'",
        STARTUP,
    )
    .await?;
    h.eval(
        "const e = document.getElementById('field-title'); e.value = 'Fast Indexes, Fewer Tears'; \
         e.dispatchEvent(new Event('change')); return true",
    )
    .await?;
    h.wait_until(
        "return document.querySelector('.session-row.selected .modified-dot') !== null",
        STARTUP,
    )
    .await?;
    let disk = before.replace(ROOM, DISK_ROOM);
    assert_ne!(disk, before);
    std::fs::write(&file, &disk)?;
    h.wait_until(
        "return document.getElementById('conflict-dialog')?.open === true",
        STARTUP,
    )
    .await?;
    // Both texts are shown.
    let shown = h
        .eval(
            "return [document.querySelector('#conflict-dialog .mine').textContent, \
                     document.querySelector('#conflict-dialog .disk').textContent]",
        )
        .await?;
    let [mine, on_disk]: [String; 2] = serde_json::from_value(shown)?;
    assert!(mine.contains(MY_TITLE) && mine.contains(ROOM), "{mine}");
    assert!(
        on_disk.contains(TITLE) && on_disk.contains(DISK_ROOM),
        "{on_disk}"
    );
    Ok((before, disk))
}

#[tokio::test(flavor = "current_thread")]
async fn keeping_my_edits_after_an_outside_change_saves_them_only_when_asked() -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join(FILE);
    let outcome = async {
        let (before, disk) = edit_then_change_on_disk(&h).await?;
        // Dismissed without choosing: Save must not overwrite, it asks again.
        h.eval("document.getElementById('conflict-dialog').close(); return true")
            .await?;
        h.click("button[title^='Save (']").await?;
        h.wait_until(
            "return document.getElementById('conflict-dialog')?.open === true",
            STARTUP,
        )
        .await?;
        assert_eq!(std::fs::read_to_string(&file)?, disk);
        h.click("#conflict-dialog .keep-mine").await?;
        h.wait_until(
            "return document.getElementById('conflict-dialog').open === false",
            STARTUP,
        )
        .await?;
        assert_eq!(
            std::fs::read_to_string(&file)?,
            disk,
            "choosing does not write by itself"
        );
        h.click("button[title^='Save (']").await?;
        h.wait_until(
            "return document.querySelector('.session-row.selected .modified-dot') === null",
            STARTUP,
        )
        .await?;
        assert_eq!(
            std::fs::read_to_string(&file)?,
            before.replace(TITLE, MY_TITLE)
        );
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn taking_the_disk_version_shows_it_and_leaves_the_file_alone() -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join(FILE);
    let outcome = async {
        let (_, disk) = edit_then_change_on_disk(&h).await?;
        h.click("#conflict-dialog .take-disk").await?;
        h.wait_until(
            "return document.getElementById('field-room').value === 'Side Room' && \
             document.getElementById('field-title').value === 'Fast Indexes Without Tears' && \
             document.querySelector('.session-row.selected .modified-dot') === null",
            STARTUP,
        )
        .await?;
        assert_eq!(std::fs::read_to_string(&file)?, disk);
        // A clean file changed on disk again reloads quietly, editor included.
        let again = disk.replace("three page reads", "four page reads");
        std::fs::write(&file, &again)?;
        h.wait_until(
            "return document.querySelector('.body-editor .cm-content').textContent.includes('four page reads') && \
             document.getElementById('conflict-dialog').open === false",
            STARTUP,
        )
        .await?;
        assert_eq!(std::fs::read_to_string(&file)?, again);
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
