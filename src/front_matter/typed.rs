//! Typed values: what kind of value a field holds as written (a number, a
//! date-time, a quoted string, a list…), and how a new value is written so
//! that it keeps that kind in the file's format.

use super::{encode_scalar, Format, QuoteStyle, Value, ValueStyle};
use serde::Serialize;

/// The kind of a front-matter value, as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Nothing (`key:`, `~`, `null`).
    Null,
    /// `true` / `false`.
    Bool,
    /// A whole number.
    Integer,
    /// A number with a fraction or exponent.
    Float,
    /// A date or date-time written without quotes (`2024-06-03 15:20:00`,
    /// a TOML date-time), kept as written.
    Datetime,
    /// Text.
    String,
    /// A list (YAML sequence, TOML or JSON array).
    List,
    /// A nested mapping or table.
    Map,
}

impl Kind {
    /// How the kind is named in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "empty",
            Kind::Bool => "a boolean",
            Kind::Integer => "an integer",
            Kind::Float => "a number",
            Kind::Datetime => "a date-time",
            Kind::String => "text",
            Kind::List => "a list",
            Kind::Map => "a mapping",
        }
    }
}

/// The kind of `v`, written in `style`.
pub fn kind_of(v: &Value, style: ValueStyle) -> Kind {
    match v {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(n) if n.is_f64() => Kind::Float,
        Value::Number(_) => Kind::Integer,
        Value::String(s) if style == ValueStyle::Plain && looks_like_datetime(s) => Kind::Datetime,
        Value::String(_) | Value::Tagged(_) => Kind::String,
        Value::Sequence(_) => Kind::List,
        Value::Mapping(_) => Kind::Map,
    }
}

/// Whether `s` is a date, a time or a date-time in the forms YAML
/// timestamps and TOML date-times use.
pub fn looks_like_datetime(s: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^(\d{4}-\d{1,2}-\d{1,2}([Tt]|[ \t]+)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([ \t]*([Zz]|[+-]\d{1,2}(:?\d{2})?))?|\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}(\.\d+)?)$",
        )
        .expect("static regex")
    })
    .is_match(s)
}

/// Why a value cannot be written as the field's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindMismatch {
    /// The field's kind.
    pub kind: Kind,
}

/// Write `value` as a value of `kind` in `format`; strings in `quote`
/// (where the format has that quoting). `Err` when `value` is not a value
/// of that kind (text into a number field).
pub fn encode(
    format: Format,
    kind: Kind,
    value: &str,
    quote: QuoteStyle,
) -> Result<String, KindMismatch> {
    let t = value.trim();
    let bad = || KindMismatch { kind };
    match kind {
        Kind::Integer => {
            // Only an integer written as it reads back: `0755` (octal in
            // YAML 1.1, not a number in JSON or TOML) or `+5` would be
            // written as another text than the one asked for.
            let n: i64 = t.parse().map_err(|_| bad())?;
            if n.to_string() != t {
                return Err(bad());
            }
            Ok(n.to_string())
        }
        Kind::Float => {
            static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            let re = RE.get_or_init(|| {
                regex::Regex::new(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$").expect("static regex")
            });
            let f = match t.parse::<f64>() {
                Ok(f) if re.is_match(t) && f.is_finite() => f,
                _ => return Err(bad()),
            };
            let written = if t.contains(['.', 'e', 'E']) {
                t.to_string()
            } else {
                format!("{t}.0")
            };
            // Only a number written as it reads back (`1.10` reads as 1.1).
            if serde_yaml::Number::from(f).to_string() != written {
                return Err(bad());
            }
            Ok(written)
        }
        Kind::Bool => match t.to_ascii_lowercase().as_str() {
            "true" => Ok("true".into()),
            "false" => Ok("false".into()),
            _ => Err(bad()),
        },
        Kind::Datetime => {
            let ok = match format {
                Format::Toml => t.parse::<toml_edit::Datetime>().is_ok(),
                _ => looks_like_datetime(t),
            };
            if ok {
                Ok(t.to_string())
            } else {
                Err(bad())
            }
        }
        Kind::List | Kind::Map => Err(bad()),
        Kind::Null | Kind::String => Ok(encode_string(format, value, quote)),
    }
}

/// Write `value` as a string in `format`, in `quote` where it can.
pub fn encode_string(format: Format, value: &str, quote: QuoteStyle) -> String {
    match format {
        Format::Yaml => encode_scalar(value, quote),
        Format::Json => serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into()),
        Format::Toml => {
            let literal_ok =
                !value.contains('\'') && !value.chars().any(|c| c.is_control() && c != '\t');
            if quote == QuoteStyle::Single && literal_ok {
                format!("'{value}'")
            } else {
                toml_basic(value)
            }
        }
    }
}

/// A string in YAML flow context (inside `[…]`): plain only when it has no
/// flow indicator.
pub fn encode_flow_item(format: Format, value: &str, quote: QuoteStyle) -> String {
    // Inside `[...]` a `:` ends a plain scalar for YAML 1.1 parsers
    // (libyaml: "found unexpected ':'"), so such an item is quoted too.
    if format == Format::Yaml
        && quote == QuoteStyle::Plain
        && value.contains([',', '[', ']', '{', '}', ':'])
    {
        return encode_scalar(value, QuoteStyle::Double);
    }
    encode_string(format, value, quote)
}

fn toml_basic(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push('\t'),
            '\u{8}' => s.push_str("\\b"),
            '\u{c}' => s.push_str("\\f"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A key as written in `format` (quoted when it must be).
pub fn encode_key(format: Format, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match format {
        Format::Json => serde_json::to_string(key).unwrap_or_default(),
        Format::Toml if bare => key.to_string(),
        Format::Toml => toml_basic(key),
        Format::Yaml => {
            let plain = key
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if plain {
                key.to_string()
            } else {
                encode_scalar(key, QuoteStyle::Double)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_kept_when_encoding() {
        assert_eq!(
            encode(Format::Yaml, Kind::Integer, "2", QuoteStyle::Plain),
            Ok("2".into())
        );
        assert!(encode(Format::Yaml, Kind::Integer, "two", QuoteStyle::Plain).is_err());
        // Numbers that would read back as another text are refused.
        for v in ["0755", "+5", "-0"] {
            assert!(
                encode(Format::Json, Kind::Integer, v, QuoteStyle::Plain).is_err(),
                "{v}"
            );
        }
        for v in ["1.50", "01.5", "-1.5e3"] {
            assert!(
                encode(Format::Toml, Kind::Float, v, QuoteStyle::Plain).is_err(),
                "{v}"
            );
        }
        assert_eq!(
            encode(Format::Toml, Kind::Float, "2", QuoteStyle::Plain),
            Ok("2.0".into())
        );
        assert_eq!(
            encode(
                Format::Yaml,
                Kind::Datetime,
                "2024-06-03 15:20:00",
                QuoteStyle::Plain
            ),
            Ok("2024-06-03 15:20:00".into())
        );
        assert!(encode(Format::Toml, Kind::Datetime, "soon", QuoteStyle::Plain).is_err());
        assert_eq!(
            encode(Format::Toml, Kind::String, "it's", QuoteStyle::Single),
            Ok("\"it's\"".into())
        );
        assert_eq!(
            encode(Format::Toml, Kind::String, "a\\b", QuoteStyle::Single),
            Ok("'a\\b'".into())
        );
        assert_eq!(
            encode(Format::Json, Kind::String, "a\"b", QuoteStyle::Plain),
            Ok("\"a\\\"b\"".into())
        );
        assert!(looks_like_datetime("2021-07-18T16:00:00.000Z"));
        assert!(looks_like_datetime("2024-06-05 11:10:00"));
        assert!(!looks_like_datetime("Mirror Lounge"));
    }
}
