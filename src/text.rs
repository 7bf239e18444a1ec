//! Small text helpers every layer uses: clipping hostile values for
//! messages, line endings, "did you mean", the language suffix of a file
//! name, the date forms session files write, and quoting for messages. They depend on nothing else in the crate, so any module may use
//! them without a dependency cycle.

use std::path::{Path, PathBuf};

/// At most 80 characters of `s` for an error message (a hostile value may
/// be megabytes long; the message only has to say which one).
pub fn clip(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}… ({} bytes)", &s[..i], s.len()),
        None => s.to_string(),
    }
}

/// The line ending most lines of `text` use (`\n` when tied or none).
pub fn dominant_eol(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count() - crlf;
    if crlf > lf {
        "\r\n"
    } else {
        "\n"
    }
}

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

/// The candidate closest to `value`, when it is close enough to be a typo or
/// a spacing/case variant.
pub fn did_you_mean<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let v = norm(value);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == value {
            return None;
        }
        let cn = norm(c);
        let score = if cn == v {
            1.0
        } else {
            strsim::normalized_damerau_levenshtein(&v, &cn)
        };
        let dist = strsim::damerau_levenshtein(&v, &cn);
        if (score >= 0.7 || dist <= 1) && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Parse the date formats session files use; offsets are dropped (times are
/// local to the conference).
pub fn parse_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.naive_local());
    }
    for f in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S %z"] {
        if let Ok(d) = chrono::DateTime::parse_from_str(s, f) {
            return Some(d.naive_local());
        }
    }
    None
}

/// A folder path quoted for a shell command line when it needs it.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// "a, b and 3 more" for error messages.
pub fn list_paths(paths: &[PathBuf]) -> String {
    const SHOWN: usize = 5;
    let mut names: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > SHOWN {
        names.push(format!("{} more", paths.len() - SHOWN));
    }
    match names.len() {
        0 => "no files".to_string(),
        1 => names.remove(0),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} and {last}", names.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_values_only() {
        assert_eq!(
            did_you_mean("Chinese Sesion", ["Chinese Session", "English Session"]),
            Some("Chinese Session".into())
        );
        assert_eq!(
            did_you_mean("english session", ["Chinese Session", "English Session"]),
            Some("English Session".into())
        );
        assert_eq!(
            did_you_mean("Keynote", ["Chinese Session", "English Session"]),
            None
        );
        assert_eq!(
            did_you_mean("bigdta", ["bigdata", "ai", "iot"]),
            Some("bigdata".into())
        );
    }
}
