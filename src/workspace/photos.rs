//! Speaker photos in the open sessions: the photos they name (unsaved edits
//! included) and setting or replacing one speaker's photo in a session and
//! its twins, undoably (the image file itself is written by
//! [`crate::photos::replace::save_speaker_photo`]).

use super::Workspace;
use crate::error::{Error, Result};
use crate::photos::replace::{save_speaker_photo, StagedPhoto};
use crate::photos::{site_rule, Normalized, PhotoUse};
use std::path::PathBuf;

/// Every photo the open sessions name, from the workspace's documents (so
/// unsaved edits count), in file order.
pub fn workspace_photos(ws: &Workspace) -> Vec<PhotoUse> {
    let mut out = Vec::new();
    for l in ws.sessions() {
        let Some(doc) = l.doc.as_ref() else { continue };
        let Some(sec) = doc.speakers_ref() else {
            continue;
        };
        let base = doc.front_matter_end_line();
        for (s, line) in sec.speakers.iter().zip(&sec.lines) {
            if let Some(src) = s.photo.clone() {
                out.push(PhotoUse {
                    src,
                    file: PathBuf::from(&l.file.rel),
                    line: base + line,
                });
            }
        }
    }
    out
}

/// The new text of session `id` with speaker `index`'s photo set to `src`:
/// only the source's bytes change when the speaker has a photo; a speaker
/// without one gets an `<img>` in the section's style.
fn with_photo(ws: &Workspace, id: &str, index: usize, src: &str) -> Result<Option<String>> {
    let doc = ws.document(id)?;
    let body_start = doc.body_offset();
    if let Some(range) = crate::speakers::photo_src_range(doc.body(), index) {
        let text = doc.text();
        let (a, b) = (body_start + range.start, body_start + range.end);
        if &text[a..b] == src {
            return Ok(None);
        }
        return Ok(Some(format!("{}{}{}", &text[..a], src, &text[b..])));
    }
    let sec = doc
        .speakers()
        .ok_or_else(|| Error::Invalid(format!("{id}: the body has no speakers section")))?;
    let mut list = sec.speakers.clone();
    let speaker = list
        .get_mut(index)
        .ok_or_else(|| Error::Invalid(format!("{id}: there is no speaker {}", index + 1)))?;
    speaker.photo = Some(src.to_owned());
    Ok(Some(doc.set_speakers(&list).text().to_owned()))
}

/// Which speaker of twin `twin` is speaker `index` of `id`: the one with
/// the same photo source (the same position first), else the same position
/// when the name matches.
fn twin_index(ws: &Workspace, id: &str, index: usize, twin: &str) -> Option<usize> {
    let me = ws
        .document(id)
        .ok()?
        .speakers()?
        .speakers
        .get(index)?
        .clone();
    let other = ws.document(twin).ok()?.speakers()?.speakers;
    if let Some(photo) = me.photo.as_deref().filter(|p| !p.trim().is_empty()) {
        let same = |i: &usize| other.get(*i).and_then(|s| s.photo.as_deref()) == Some(photo);
        if let Some(i) = std::iter::once(index).chain(0..other.len()).find(same) {
            return Some(i);
        }
    }
    let name = me.name.trim();
    other
        .get(index)
        .filter(|s| !name.is_empty() && s.name.trim() == name)
        .map(|_| index)
}

/// Point speaker `index` of session `id` at `src`, and the same speaker in
/// each twin (see [`twin_index`]). Every edit goes through the workspace, so
/// each file can be undone and is written by Save. Returns the ids changed.
pub fn set_speaker_photo(
    ws: &mut Workspace,
    id: &str,
    index: usize,
    src: &str,
) -> Result<Vec<String>> {
    if src.contains(['"', '\'', '<', '>', '\n', '\r', ' ', ')']) {
        return Err(Error::Invalid(format!(
            "`{src}` cannot be written as a photo source"
        )));
    }
    // Compute every new text first, so a failure changes nothing.
    let mut updates = Vec::new();
    if let Some(text) = with_photo(ws, id, index, src)? {
        updates.push((id.to_owned(), text));
    }
    for twin in ws.twins_of(id) {
        let Some(i) = twin_index(ws, id, index, &twin) else {
            continue;
        };
        if let Ok(Some(text)) = with_photo(ws, &twin, i, src) {
            updates.push((twin, text));
        }
    }
    let mut changed = Vec::new();
    for (file, text) in updates {
        ws.set_text(&file, &text)?;
        changed.push(file);
    }
    Ok(changed)
}

/// What [`replace_speaker_photo`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The new photo's `src`.
    pub src: String,
    /// The file written under `static/`.
    pub path: PathBuf,
    /// Its side in pixels.
    pub size: u32,
    /// Its size in bytes.
    pub bytes: u64,
    /// Sessions edited (in memory; Save writes them).
    pub changed: Vec<String>,
}

/// Replace speaker `index` of session `id` with `staged`, cropped at
/// `offset` and shrunk to the site's `[photos] size`: write the file under
/// the speaker folder, then rewrite the speaker's photo source in the
/// session and its twins (in memory).
pub fn replace_speaker_photo(
    ws: &mut Workspace,
    id: &str,
    index: usize,
    staged: &StagedPhoto,
    offset: f32,
) -> Result<Replaced> {
    speaker_name(ws, id, index)?;
    let photo = staged.render(site_rule(ws.site()).max_dimension, offset)?;
    install_speaker_photo(ws, id, index, &photo)
}

/// The second half of [`replace_speaker_photo`], for a photo already
/// rendered (so a caller can render it without holding the workspace):
/// write it under the speaker folder and point the speaker and its twins at it.
pub fn install_speaker_photo(
    ws: &mut Workspace,
    id: &str,
    index: usize,
    photo: &Normalized,
) -> Result<Replaced> {
    let name = speaker_name(ws, id, index)?;
    let srcs: Vec<String> = super::workspace_photos(ws)
        .into_iter()
        .map(|u| u.src)
        .collect();
    let installed = save_speaker_photo(ws.site(), &srcs, &name, photo)?;
    let changed = set_speaker_photo(ws, id, index, &installed.src)?;
    Ok(Replaced {
        src: installed.src,
        path: installed.path,
        size: photo.width,
        bytes: photo.bytes.len() as u64,
        changed,
    })
}

/// The name of speaker `index` of session `id`.
fn speaker_name(ws: &Workspace, id: &str, index: usize) -> Result<String> {
    let doc = ws.document(id)?;
    let sec = doc
        .speakers()
        .ok_or_else(|| Error::Invalid(format!("{id}: the body has no speakers section")))?;
    Ok(sec
        .speakers
        .get(index)
        .ok_or_else(|| Error::Invalid(format!("{id}: there is no speaker {}", index + 1)))?
        .name
        .clone())
}
