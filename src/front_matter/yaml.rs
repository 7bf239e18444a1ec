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
    let value: Value = serde_yaml::from_str(yaml).map_err(|e| located(yaml, &e))?;
    match value {
        Value::Mapping(m) => {
            if let Some(k) = m.keys().find(|k| !matches!(k, Value::String(_))) {
                let shown = match k {
                    Value::Null => Some("~".to_string()),
                    other => scalar_to_string(other),
                };
                let line = non_string_key_line(yaml, shown.as_deref()).unwrap_or(1);
                return Err(YamlError {
                    line,
                    column: 1,
                    message: match shown {
                        Some(s) => format!("key {s} is not a string; write it in quotes"),
                        None => {
                            "a key is a list or mapping, not a string; use a plain `key:`".into()
                        }
                    },
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

/// A serde_yaml error as a [`YamlError`] whose location is the line to fix
/// and whose message carries no YAML-relative positions (the caller turns
/// the location into a file line; numbers inside the text would not match).
fn located(yaml: &str, e: &serde_yaml::Error) -> YamlError {
    let (mut line, mut column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    let raw = e.to_string();
    let context = context_mark(&raw);
    let mut message = strip_locations(&raw);
    if message.contains("duplicate entry") {
        // serde_yaml places duplicate keys at the mapping's start; point at
        // the second occurrence instead, which is the line to fix.
        if let Some(l) = duplicate_key_line(yaml) {
            (line, column) = (l, 1);
        }
    } else if message.contains("end of stream") {
        // Something opened (a quote, a bracket) never closes: where it opened
        // is the place to look, not the end of the front matter.
        if let Some((l, c)) = context {
            (line, column) = (l, c);
            message.push_str(" that starts here and is never closed");
        }
    } else if message.contains("repetition limit") {
        line = first_line_matching(yaml, |l| l.contains('*')).unwrap_or(1);
        column = 1;
        message = "aliases (`*name`) expand into too much data (a YAML \"billion laughs\" bomb?); write the values out".into();
    } else if message.contains("recursion limit") {
        message = "values are nested too deeply (over 128 levels); flatten them".into();
    } else if message.contains("more than one document") {
        let marker = first_line_matching(yaml, |l| {
            l.starts_with("...") || l.starts_with("---") || l.starts_with('%')
        });
        if let Some(l) = marker {
            (line, column) = (l, 1);
        }
        message = "the front matter holds more than one YAML document (a `...`, `---` or `%` directive line, or a line indented less than the first); keep one `key: value` mapping".into();
    }
    YamlError {
        line,
        column,
        message,
    }
}

/// The `(line, column)` of libyaml's context mark: the second " at line L
/// column C" in serde_yaml's message, when there is one.
fn context_mark(msg: &str) -> Option<(usize, usize)> {
    let mut marks = msg.match_indices(" at line ").filter_map(|(i, m)| {
        let rest = &msg[i + m.len()..];
        let (l, rest) = rest.split_once(" column ")?;
        let c: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((l.parse().ok()?, c.parse().ok()?))
    });
    marks.next()?;
    marks.next()
}

/// The message without any " at line L column C" or " at position N" parts.
fn strip_locations(msg: &str) -> String {
    let re = regex::Regex::new(r" at (line \d+ column \d+|position \d+)").expect("static regex");
    re.replace_all(msg, "").into_owned()
}

fn first_line_matching(yaml: &str, pred: impl Fn(&str) -> bool) -> Option<usize> {
    yaml.lines().position(pred).map(|i| i + 1)
}

fn non_string_key_line(yaml: &str, shown: Option<&str>) -> Option<usize> {
    match shown {
        Some(k) => {
            let entries = super::scan_entries(yaml);
            match entries.iter().find(|e| e.key == k) {
                Some(e) => Some(yaml[..e.lines.start].matches('\n').count() + 1),
                None => first_line_matching(yaml, |l| l.starts_with(&format!("{k}:"))),
            }
        }
        None => first_line_matching(yaml, |l| {
            l.starts_with('?') || l.starts_with("[") || l.starts_with('{')
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
    if let Some(dup) = entries.iter().find(|e| !seen.insert(e.key.as_str())) {
        return Some(yaml[..dup.lines.start].matches('\n').count() + 1);
    }
    // Keys the entry scanner does not read (`<<`, `~`, `"a"` against `a`):
    // compare the raw text before the colon of unindented lines.
    let mut seen = std::collections::HashSet::new();
    yaml.lines()
        .position(|l| {
            let key = l
                .split_once(": ")
                .map(|(k, _)| k)
                .or_else(|| l.strip_suffix(':'));
            match key {
                Some(k) if !l.starts_with([' ', '\t', '#', '-']) => !seen.insert(k.trim_end()),
                _ => false,
            }
        })
        .map(|i| i + 1)
}

/// Parse any YAML document (site data files such as `data/rooms.yaml`).
pub fn parse_value(yaml: &str) -> Result<Value, YamlError> {
    if yaml.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            line: 1,
            column: 1,
            message: format!(
                "the file is {} KiB, over the {} KiB limit for YAML data",
                yaml.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        });
    }
    serde_yaml::from_str(yaml).map_err(|e| located(yaml, &e))
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
    fn duplicate_merge_keys_point_at_the_second_one() {
        let e = parse_mapping("title: x\nbase: &b {a: 1}\n<<: *b\n<<: *b\n").unwrap_err();
        assert_eq!(e.line, 4, "{e:?}");
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
    fn alias_bomb_points_at_the_aliases_and_says_what_it_is() {
        let y = "title: x\na: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
        let e = parse_mapping(y).unwrap_err();
        assert!(e.message.contains("billion laughs"), "{e:?}");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn unterminated_quote_points_where_it_opens_without_yaml_relative_numbers() {
        let e = parse_mapping("room: A\ntitle: \"never closed\nx: 1\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e:?}");
        assert!(!e.message.contains("at line"), "{e:?}");
        assert!(e.message.contains("never closed"), "{e:?}");
    }

    #[test]
    fn non_string_keys_are_located_on_their_line() {
        assert_eq!(parse_mapping("a: x\n1: one\n").unwrap_err().line, 2);
        let e = parse_mapping("a: x\nb: y\n~: z\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.contains('~'));
        let e = parse_mapping("a: x\n? [a, b]\n: c\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
    }

    #[test]
    fn a_second_document_is_located_at_its_marker() {
        let e = parse_mapping("title: x\n...\nroom: y\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(e.message.contains("more than one YAML document"));
    }

    #[test]
    fn deep_nesting_is_an_error_on_a_small_stack() {
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let e = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || parse_mapping(&deep))
            .unwrap()
            .join()
            .unwrap()
            .unwrap_err();
        assert!(e.message.contains("nested too deeply"), "{e:?}");
    }

    #[test]
    fn tabs_in_indentation_are_located() {
        let e = parse_mapping("a:\n\t- x\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
    }
}
