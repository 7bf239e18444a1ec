//! Writing a string as a YAML scalar that YAML 1.1 and 1.2 readers both read
//! back as the same string, in the quoting style the file already uses.

/// A scalar's quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteStyle {
    /// No quotes, when safe.
    Plain,
    /// `'…'`
    Single,
    /// `"…"`
    Double,
}

/// Encode `value` in `style`, falling back to double quotes when the style
/// cannot represent it (plain text that would read as a number, a boolean or
/// YAML syntax; single quotes around a line break or control character).
pub fn encode_scalar(value: &str, style: QuoteStyle) -> String {
    match style {
        QuoteStyle::Plain if is_plain_safe(value) => value.to_string(),
        QuoteStyle::Single if value.chars().all(|c| !c.is_control()) => {
            format!("'{}'", value.replace('\'', "''"))
        }
        _ => double_quoted(value),
    }
}

fn double_quoted(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            // A tab is printable inside double quotes; keep it literal.
            '\t' => s.push('\t'),
            '\u{0}' => s.push_str("\\0"),
            // Line and paragraph separators and NEL are line breaks to YAML.
            '\u{85}' => s.push_str("\\N"),
            '\u{2028}' => s.push_str("\\L"),
            '\u{2029}' => s.push_str("\\P"),
            '\u{feff}' => s.push_str("\\ufeff"),
            c if c.is_control() => s.push_str(&format!("\\x{:02x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Whether `value` can be written without quotes and read back as the same
/// string by both YAML 1.1 (PyYAML, Hugo's older readers) and YAML 1.2.
pub fn is_plain_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if value != value.trim()
        || value
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
    {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`=~<".contains(first) {
        return false;
    }
    if value.contains(": ") || value.contains(" #") || value.ends_with(':') || value.contains(":\t")
    {
        return false;
    }
    // Anything that starts like a number, date, time or special float reads
    // as one under some resolver (YAML 1.1 has sexagesimals like 1:10).
    let lower = value.to_ascii_lowercase();
    if first.is_ascii_digit() || first == '+' || first == '.' {
        return false;
    }
    const WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];
    !WORDS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_specials_are_quoted() {
        for v in [
            "no",
            "On",
            "y",
            "0755",
            "1.10",
            "2026-06-29",
            "1:10",
            "~",
            "null",
            ".inf",
            "-1",
            "+5",
            "",
            " x",
            "x ",
            "#x",
            "a: b",
            "- x",
            "*ref",
            "=",
        ] {
            assert_eq!(
                encode_scalar(v, QuoteStyle::Plain).chars().next(),
                Some('"'),
                "{v}"
            );
        }
        assert_eq!(
            encode_scalar("Kafka on K8s", QuoteStyle::Plain),
            "Kafka on K8s"
        );
        assert_eq!(encode_scalar("中文演讲", QuoteStyle::Plain), "中文演讲");
    }

    #[test]
    fn escapes_round_trip_through_serde_yaml() {
        for v in [
            "a \"b\" c",
            "back\\slash",
            "it's",
            "line\nbreak",
            "tab\tx",
            "中文：冒号",
            "x: y # z",
            "\u{7}bell",
        ] {
            for style in [QuoteStyle::Plain, QuoteStyle::Single, QuoteStyle::Double] {
                let enc = encode_scalar(v, style);
                let back: String = serde_yaml::from_str(&format!("k: {enc}"))
                    .map(|m: std::collections::BTreeMap<String, String>| m["k"].clone())
                    .unwrap_or_else(|e| panic!("{enc}: {e}"));
                assert_eq!(back, v, "{style:?} {enc}");
            }
        }
    }
}
