//! Site discovery (placeholder until the full module lands).
use std::path::Path;

/// The language suffix of a session file name: `x.zh.md` → `Some("zh")`.
pub fn lang_of_path(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".md")?;
    let (_, lang) = stem.rsplit_once('.')?;
    (!lang.is_empty()
        && lang.len() <= 8
        && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    .then(|| lang.to_string())
}
