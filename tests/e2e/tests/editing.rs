//! Editing a session in the real window: problems shown where they are, the
//! speakers editor writing the Markdown body.

use std::time::Duration;

use lectern_e2e::{Harness, Result};

const STARTUP: Duration = Duration::from_secs(30);

/// Set a form control's value and fire `change`, as a person choosing or typing it would.
fn set_value(css: &str, value: &str) -> String {
    format!(
        "const e = document.querySelector({css}); e.value = {value}; e.dispatchEvent(new Event('change')); return true",
        css = serde_json::to_string(css).unwrap_or_default(),
        value = serde_json::to_string(value).unwrap_or_default(),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn an_unknown_track_is_flagged_on_the_field_and_in_the_panel_until_fixed() -> Result<()> {
    let h = Harness::start("site").await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until("return document.getElementById('field-track')?.value === 'db'", STARTUP).await?;
        h.wait_until("return !document.querySelector('#problems .problem[data-code=\"unknown-track\"]')", STARTUP)
            .await?;
        // The select offers allowed tracks only; "aii" stands for a value typed elsewhere.
        h.eval(
            "const s = document.getElementById('field-track'); const o = document.createElement('option'); \
             o.value = 'aii'; o.textContent = 'aii'; s.append(o); return true",
        )
        .await?;
        h.eval(&set_value("#field-track", "aii")).await?;
        // Inline: the field is outlined and its note says why.
        h.wait_until(
            "const f = document.getElementById('field-track'); \
             return f.getAttribute('aria-invalid') === 'true' && \
               getComputedStyle(f).outlineStyle !== 'none' && \
               document.querySelector('.field[data-key=\"track\"] .field-note').textContent.includes('aii')",
            STARTUP,
        )
        .await?;
        // In the panel, for this file.
        h.wait_until(
            "const p = document.querySelector('#problems .problem[data-code=\"unknown-track\"]'); \
             return !!p && p.querySelector('.where').textContent.startsWith('content/sessions/db-101.md')",
            STARTUP,
        )
        .await?;
        // Clicking it focuses the field.
        h.click("#problems .problem[data-code=\"unknown-track\"]").await?;
        h.wait_until("return document.activeElement?.id === 'field-track'", STARTUP).await?;
        // Fixing it clears both.
        h.eval(&set_value("#field-track", "db")).await?;
        h.wait_until(
            "return !document.querySelector('#problems .problem[data-code=\"unknown-track\"]') && \
             document.getElementById('field-track').getAttribute('aria-invalid') === 'false'",
            STARTUP,
        )
        .await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_speaker_added_in_the_editor_reaches_the_body_the_preview_and_the_file() -> Result<()> {
    let h = Harness::start("site").await?;
    let file = h.site.join("content/sessions/db-101.md");
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until("return !!document.querySelector('input[aria-label=\"Name of speaker 1\"]')", STARTUP).await?;
        h.click(".speakers .section-head button").await?;
        h.wait_until("return !!document.querySelector('input[aria-label=\"Name of speaker 2\"]')", STARTUP).await?;
        h.eval(&set_value("input[aria-label=\"Name of speaker 2\"]", "Bea Quill")).await?;
        h.wait_until("return document.querySelector('.body-editor .cm-content').textContent.includes('Bea Quill')", STARTUP)
            .await?;
        h.eval(&set_value("input[aria-label=\"Headline of speaker 2\"]", "Query planner, Example Labs")).await?;
        h.wait_until(
            "return document.querySelector('.body-editor .cm-content').textContent.includes('Bea Quill: Query planner, Example Labs')",
            STARTUP,
        )
        .await?;
        h.eval(&set_value("input[aria-label=\"Photo of speaker 2\"]", "https://photos.example/bea.png")).await?;
        h.wait_until(
            "return document.querySelector('.body-editor .cm-content').textContent.includes('https://photos.example/bea.png')",
            STARTUP,
        )
        .await?;
        // The preview (sanitised srcdoc) shows the new speaker.
        h.wait_until(
            "return document.querySelector('.preview iframe').srcdoc.includes('Query planner, Example Labs')",
            STARTUP,
        )
        .await?;
        h.click("button[title^='Save (']").await?;
        h.wait_until("return document.querySelector('.session-row.selected .modified-dot') === null", STARTUP).await?;
        let text = std::fs::read_to_string(&file)?;
        assert!(
            text.contains(
                "<img src=\"https://photos.example/bea.png\" width=\"200\" /><br>Bea Quill: Query planner, Example Labs"
            ),
            "{text}"
        );
        assert!(text.contains("<br>Ada Park: Storage engineer, Example Corp"), "{text}");
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}

#[tokio::test(flavor = "current_thread")]
async fn a_body_problem_gets_a_gutter_marker_and_the_panel_scrolls_the_editor_to_it() -> Result<()>
{
    let h = Harness::start("site").await?;
    let outcome = async {
        h.wait_for("#session-list .session-row", STARTUP).await?;
        h.click(".session-row[data-stem=\"db-101\"]").await?;
        h.wait_until(
            "return !!document.querySelector('input[aria-label=\"Photo of speaker 1\"]')",
            STARTUP,
        )
        .await?;
        assert_eq!(
            h.eval("return document.querySelectorAll('.cm-problem-marker').length")
                .await?,
            0
        );
        h.eval(&set_value(
            "input[aria-label=\"Photo of speaker 1\"]",
            "images/speaker/nobody.png",
        ))
        .await?;
        // One marker, on the gutter line of the speaker's line in the body.
        h.wait_until(
            "const m = document.querySelectorAll('.cm-problem-marker.error'); \
             return m.length === 1 && m[0].title.includes('nobody.png')",
            STARTUP,
        )
        .await?;
        h.wait_until(
            "return !!document.querySelector('#problems .problem[data-code=\"photo-missing\"]')",
            STARTUP,
        )
        .await?;
        h.click("#problems .problem[data-code=\"photo-missing\"]")
            .await?;
        h.wait_until(
            "const l = document.querySelector('.body-editor .cm-activeLine'); \
             return !!l && l.textContent.includes('nobody.png') && \
               document.querySelector('.body-editor .cm-editor').classList.contains('cm-focused')",
            STARTUP,
        )
        .await?;
        h.eval(&set_value(
            "input[aria-label=\"Photo of speaker 1\"]",
            "images/speaker/ada.png",
        ))
        .await?;
        h.wait_until(
            "return document.querySelectorAll('.cm-problem-marker').length === 0 && \
             !document.querySelector('#problems .problem[data-code=\"photo-missing\"]')",
            STARTUP,
        )
        .await?;
        Ok::<_, lectern_e2e::Error>(())
    }
    .await;
    h.stop().await?;
    outcome
}
