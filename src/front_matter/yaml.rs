//! The one place that talks to `serde_yaml`, so the YAML crate can be swapped.

use std::fmt;

/// A parsed YAML value.
pub type Value = serde_yaml::Value;
/// A parsed YAML mapping.
pub type Mapping = serde_yaml::Mapping;

/// A YAML error located within the YAML text (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line within the YAML text, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// The parser's message, without its location suffix.
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Largest front matter Lectern parses; beyond it a file is refused before
/// the YAML parser sees it (a 10,000-line front matter is not a session).
pub const MAX_YAML_BYTES: usize = 256 * 1024;

/// Parse front-matter YAML into a mapping. Empty text (or only comments) is an
/// empty mapping; anything that is not a mapping is an error.
pub fn parse_mapping(yaml: &str) -> Result<Mapping, YamlError> {
    if yaml.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            line: 1,
            column: 1,
            message: format!(
                "front matter is {} KiB, over the {} KiB limit; move long text into the body",
                yaml.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        });
    }
    if let Some((line, column)) = first_tab_indent(yaml) {
        return Err(YamlError {
            line,
            column,
            message: "a tab is used for indentation; YAML allows only spaces there".into(),
        });
    }
    let value: Value = serde_yaml::from_str(yaml).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let message = strip_location(&e.to_string());
        // serde_yaml places duplicate keys at the mapping's start; point at
        // the second occurrence instead, which is the line to fix.
        let (line, column) = if message.contains("duplicate entry") {
            duplicate_key_line(yaml).map_or((line, column), |l| (l, 1))
        } else {
            (line, column)
        };
        YamlError {
            line,
            column,
            message,
        }
    })?;
    match value {
        Value::Mapping(m) => {
            if let Some(k) = m.keys().find(|k| !matches!(k, Value::String(_))) {
                return Err(YamlError {
                    line: 0,
                    column: 0,
                    message: format!(
                        "key {} is not a string; write it in quotes",
                        scalar_to_string(k).unwrap_or_else(|| "(complex)".into())
                    ),
                });
            }
            Ok(m)
        }
        Value::Null => Ok(Mapping::new()),
        _ => Err(YamlError {
            line: 1,
            column: 1,
            message: "front matter must be a mapping of `key: value` lines".into(),
        }),
    }
}

fn first_tab_indent(yaml: &str) -> Option<(usize, usize)> {
    if !yaml.contains('\t') {
        return None;
    }
    yaml.lines().enumerate().find_map(|(i, l)| {
        let indent = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
        let rest = &l[indent.len()..];
        (indent.contains('\t') && !rest.is_empty() && !rest.starts_with('#'))
            .then(|| (i + 1, indent.find('\t').unwrap_or(0) + 1))
    })
}

fn duplicate_key_line(yaml: &str) -> Option<usize> {
    let entries = super::scan_entries(yaml);
    let mut seen = std::collections::HashSet::new();
    let dup = entries.iter().find(|e| !seen.insert(e.key.as_str()))?;
    Some(yaml[..dup.lines.start].matches('\n').count() + 1)
}

fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Parse any YAML document (site data files such as `data/rooms.yaml`).
pub fn parse_value(yaml: &str) -> Result<Value, YamlError> {
    serde_yaml::from_str(yaml).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        YamlError { line, column, message: strip_location(&e.to_string()) }
    })
}

/// A scalar as the string Hugo would show; `None` for null, sequences and mappings.
pub fn scalar_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_to_string(&t.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_an_error() {
        let e = parse_mapping("a: 1\na: 2\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{e:?}");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn invalid_yaml_is_located() {
        let e = parse_mapping("title: \"x\nb: [\n").unwrap_err();
        assert!(e.line >= 1);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, c) in "bcdefghi".chars().enumerate() {
            let prev = (b'a' + i as u8) as char;
            y.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        assert!(parse_mapping(&y).is_err());
    }

    #[test]
    fn tabs_in_indentation_are_located() {
        let e = parse_mapping("a:\n\t- x\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
    }
}
