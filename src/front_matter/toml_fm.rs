//! TOML front matter (`+++`), read with `toml_edit`: the standard
//! format-preserving TOML parser, whose spans tell where each key and value
//! is written. Values go into the same tree as YAML's; date-times are kept
//! as written. Edits are text patches on those spans (see `edit`), not a
//! re-serialisation, so every byte outside the edited value stays.

use super::entries::{Entry, ValueStyle};
use super::yaml::MAX_YAML_BYTES;
use super::{Mapping, Value, YamlError};
use std::ops::Range;

/// Parse TOML front-matter text into values and entries.
pub fn parse(text: &str) -> Result<(Mapping, Vec<Entry>), YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            line: 1,
            column: 1,
            message: format!(
                "front matter is {} KiB, over the {} KiB limit; move long text into the body",
                text.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        });
    }
    let doc = toml_edit::ImDocument::parse(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let (line, column) = super::LineIndex::new(text).line_col(text, at);
        let msg = e.message().trim().to_string();
        YamlError {
            line,
            column,
            message: if msg.is_empty() {
                "invalid TOML".into()
            } else {
                msg
            },
        }
    })?;
    let root = doc.as_table();
    let mut mapping = Mapping::new();
    let mut entries = Vec::new();
    for (key, item) in root.iter() {
        mapping.insert(Value::String(key.to_string()), item_value(text, item, 0));
        let key_span = root.get_key_value(key).and_then(|(k, _)| k.span());
        entries.push(entry(text, key, key_span, item));
    }
    entries.sort_by_key(|e| e.lines.start);
    Ok((mapping, entries))
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn entry(text: &str, key: &str, key_span: Option<Range<usize>>, item: &toml_edit::Item) -> Entry {
    let value_span = item.span();
    let eol_of = |at: usize| match &text[..line_end(text, at.min(text.len()))] {
        l if l.ends_with("\r\n") => "\r\n",
        l if l.ends_with('\n') => "\n",
        _ => "",
    };
    match (item, key_span.clone(), value_span.clone()) {
        (toml_edit::Item::Value(v), Some(k), Some(vs)) => {
            let vs = trim_span(text, vs);
            let style = match v {
                toml_edit::Value::String(_) => match &text[vs.clone()] {
                    r if r.starts_with("\"\"\"") || r.starts_with("'''") => ValueStyle::Complex,
                    r if r.starts_with('\'') => ValueStyle::Single,
                    _ => ValueStyle::Double,
                },
                toml_edit::Value::Array(_) => ValueStyle::Flow,
                toml_edit::Value::InlineTable(_) => ValueStyle::Complex,
                _ => ValueStyle::Plain,
            };
            let lines = line_start(text, k.start)..line_end(text, vs.end);
            Entry {
                key: key.to_string(),
                eol: eol_of(vs.end),
                lines,
                value: Some(vs),
                style,
            }
        }
        _ => {
            // Tables, arrays of tables and dotted keys: read, not edited in place.
            let at = key_span
                .or(value_span)
                .map_or(0, |s| s.start)
                .min(text.len());
            let lines = line_start(text, at)..line_end(text, at);
            Entry {
                key: key.to_string(),
                eol: eol_of(at),
                lines,
                value: None,
                style: ValueStyle::Section,
            }
        }
    }
}

fn trim_span(text: &str, s: Range<usize>) -> Range<usize> {
    let Some(t) = text.get(s.clone()) else {
        return s;
    };
    let lead = t.len() - t.trim_start().len();
    s.start + lead..s.start + t.trim_end().len()
}

const MAX_DEPTH: usize = 128;

fn item_value(text: &str, item: &toml_edit::Item, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match item {
        toml_edit::Item::None => Value::Null,
        toml_edit::Item::Value(v) => value(text, v, depth),
        toml_edit::Item::Table(t) => {
            let mut m = Mapping::new();
            for (k, i) in t.iter() {
                m.insert(Value::String(k.to_string()), item_value(text, i, depth + 1));
            }
            Value::Mapping(m)
        }
        toml_edit::Item::ArrayOfTables(a) => Value::Sequence(
            a.iter()
                .map(|t| {
                    let mut m = Mapping::new();
                    for (k, i) in t.iter() {
                        m.insert(Value::String(k.to_string()), item_value(text, i, depth + 1));
                    }
                    Value::Mapping(m)
                })
                .collect(),
        ),
    }
}

fn value(text: &str, v: &toml_edit::Value, depth: usize) -> Value {
    use toml_edit::Value as T;
    // toml_edit refuses deeper nesting when parsing; this bound is a second fence.
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match v {
        T::String(s) => Value::String(s.value().clone()),
        T::Integer(i) => Value::Number((*i.value()).into()),
        T::Float(f) => Value::Number((*f.value()).into()),
        T::Boolean(b) => Value::Bool(*b.value()),
        // As written, not as toml_edit would print it.
        T::Datetime(d) => Value::String(
            d.span()
                .and_then(|s| text.get(s))
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|| d.value().to_string()),
        ),
        T::Array(a) => Value::Sequence(a.iter().map(|x| value(text, x, depth + 1)).collect()),
        T::InlineTable(t) => {
            let mut m = Mapping::new();
            for (k, x) in t.iter() {
                m.insert(Value::String(k.to_string()), value(text, x, depth + 1));
            }
            Value::Mapping(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_spans() {
        let t = "Title = \"Talk\"  # c\r\nType = 'talk'\nSpeakers = [\"jane-doe\", \"x\"]\nTalk_date = \"\"\nday = 1\nwhen = 2024-06-03 15:20:00\n[params]\na = 1\n";
        let (m, e) = parse(t).unwrap();
        assert_eq!(m.get("Title"), Some(&Value::String("Talk".into())));
        assert_eq!(
            m.get("when"),
            Some(&Value::String("2024-06-03 15:20:00".into()))
        );
        let spans: Vec<_> = e
            .iter()
            .map(|e| (e.key.as_str(), e.style, e.value.clone().map(|v| &t[v])))
            .collect();
        assert_eq!(spans[0], ("Title", ValueStyle::Double, Some("\"Talk\"")));
        assert_eq!(spans[1], ("Type", ValueStyle::Single, Some("'talk'")));
        assert_eq!(
            spans[2],
            ("Speakers", ValueStyle::Flow, Some("[\"jane-doe\", \"x\"]"))
        );
        assert_eq!(spans[4], ("day", ValueStyle::Plain, Some("1")));
        assert_eq!(spans[6].1, ValueStyle::Section);
        assert_eq!(&t[e[0].lines.clone()], "Title = \"Talk\"  # c\r\n");
        assert_eq!(e[0].eol, "\r\n");
    }

    #[test]
    fn deep_nesting_is_an_error_on_a_small_stack() {
        let deep = format!("a = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let r = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || parse(&deep).is_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(r);
    }

    #[test]
    fn errors_are_located() {
        let e = parse("a = 1\nb = \n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        let e = parse("a = 1\na = 2\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
    }
}
