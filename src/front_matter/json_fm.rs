//! JSON front matter, as Hugo reads it: a JSON object at the very start of
//! the file, the body after it. No JSON crate keeps where things are
//! written, so this is a small span-keeping parser: values go into the same
//! tree as YAML's, and each top-level member's key, value and lines are
//! recorded so edits patch only them. Nesting is capped, nothing recurses
//! without a bound, and every error has a location.

use super::entries::{Entry, ValueStyle};
use super::yaml::MAX_YAML_BYTES;
use super::{LineIndex, Mapping, Value, YamlError};

const MAX_DEPTH: usize = 128;

/// End (exclusive) of the object that opens `text`: its matching `}`,
/// braces inside strings not counted. `None` when it never closes.
pub fn object_end(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

struct P<'a> {
    t: &'a str,
    b: &'a [u8],
    i: usize,
}

type Res<T> = Result<T, (usize, String)>;

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }

    fn err<T>(&self, msg: &str) -> Res<T> {
        let found = match self.t[self.i.min(self.t.len())..].chars().next() {
            Some(c) => format!("found `{}`", c.escape_debug()),
            None => "found the end".into(),
        };
        Err((self.i, format!("{msg}, {found}")))
    }

    fn expect(&mut self, c: u8, what: &str) -> Res<()> {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            self.err(what)
        }
    }

    fn value(&mut self, depth: usize) -> Res<Value> {
        if depth > MAX_DEPTH {
            return self.err("values are nested too deeply (over 128 levels); flatten them");
        }
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut m = Mapping::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Value::Mapping(m));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    self.expect(b':', "expected `:` after a key")?;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    m.insert(Value::String(k), v);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Mapping(m));
                        }
                        _ => return self.err("expected `,` or `}`"),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Value::Sequence(v));
                }
                loop {
                    self.ws();
                    v.push(self.value(depth + 1)?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Sequence(v));
                        }
                        _ => return self.err("expected `,` or `]`"),
                    }
                }
            }
            Some(b'"') => self.string().map(Value::String),
            Some(b't') if self.t[self.i..].starts_with("true") => {
                self.i += 4;
                Ok(Value::Bool(true))
            }
            Some(b'f') if self.t[self.i..].starts_with("false") => {
                self.i += 5;
                Ok(Value::Bool(false))
            }
            Some(b'n') if self.t[self.i..].starts_with("null") => {
                self.i += 4;
                Ok(Value::Null)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.err("expected a value"),
        }
    }

    fn number(&mut self) -> Res<Value> {
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = RE.get_or_init(|| {
            regex::Regex::new(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?").expect("static regex")
        });
        let Some(m) = re.find(&self.t[self.i..]) else {
            return self.err("expected a number");
        };
        let s = m.as_str();
        self.i += s.len();
        if !s.contains(['.', 'e', 'E']) {
            if let Ok(n) = s.parse::<i64>() {
                return Ok(Value::Number(n.into()));
            }
            if let Ok(n) = s.parse::<u64>() {
                return Ok(Value::Number(n.into()));
            }
        }
        match s.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Number(f.into())),
            _ => Err((self.i - s.len(), format!("the number {s} is out of range"))),
        }
    }

    fn string(&mut self) -> Res<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return self.err("expected a string in double quotes");
        }
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let rest = &self.t[self.i..];
            let Some(j) = rest.find(['"', '\\']).filter(|_| true) else {
                return Err((start, "a string that starts here is never closed".into()));
            };
            let chunk = &rest[..j];
            if let Some(k) = chunk.find(|c: char| (c as u32) < 0x20) {
                self.i += k;
                return self.err("a control character (such as a line break) inside a string; write it as an escape like \\n");
            }
            out.push_str(chunk);
            self.i += j;
            if self.b[self.i] == b'"' {
                self.i += 1;
                return Ok(out);
            }
            self.i += 1;
            let c = self.b.get(self.i).copied();
            self.i += 1;
            match c {
                Some(b'"') => out.push('"'),
                Some(b'\\') => out.push('\\'),
                Some(b'/') => out.push('/'),
                Some(b'b') => out.push('\u{8}'),
                Some(b'f') => out.push('\u{c}'),
                Some(b'n') => out.push('\n'),
                Some(b'r') => out.push('\r'),
                Some(b't') => out.push('\t'),
                Some(b'u') => {
                    let hi = self.hex4()?;
                    let c = if (0xD800..0xDC00).contains(&hi) && self.t[self.i..].starts_with("\\u")
                    {
                        self.i += 2;
                        let lo = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return self.err("an unpaired surrogate in a \\u escape");
                        }
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    } else {
                        char::from_u32(hi)
                    };
                    match c {
                        Some(c) => out.push(c),
                        None => return self.err("an unpaired surrogate in a \\u escape"),
                    }
                }
                _ => {
                    self.i -= 1;
                    return self.err("an unknown escape after `\\`");
                }
            }
        }
    }

    fn hex4(&mut self) -> Res<u32> {
        let h = self
            .t
            .get(self.i..self.i + 4)
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
        match h {
            Some(h) => {
                self.i += 4;
                Ok(u32::from_str_radix(h, 16).unwrap_or(0))
            }
            None => self.err("expected four hex digits after \\u"),
        }
    }
}

/// Parse JSON front-matter text (the object, `{` to `}`).
pub fn parse(text: &str) -> Result<(Mapping, Vec<Entry>), YamlError> {
    let located = |(at, message): (usize, String)| {
        let (line, column) = LineIndex::new(text).line_col(text, at);
        YamlError {
            line,
            column,
            message,
        }
    };
    if text.len() > MAX_YAML_BYTES {
        return Err(located((
            0,
            format!(
                "front matter is {} KiB, over the {} KiB limit; move long text into the body",
                text.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        )));
    }
    let mut p = P {
        t: text,
        b: text.as_bytes(),
        i: 0,
    };
    p.expect(b'{', "JSON front matter starts with `{`")
        .map_err(located)?;
    let mut mapping = Mapping::new();
    let mut entries: Vec<Entry> = Vec::new();
    p.ws();
    if p.b.get(p.i) == Some(&b'}') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            let key_start = p.i;
            let key = p.string().map_err(located)?;
            p.ws();
            p.expect(b':', "expected `:` after a key")
                .map_err(located)?;
            p.ws();
            let vstart = p.i;
            let v = p.value(1).map_err(located)?;
            let vend = p.i;
            if mapping.contains_key(key.as_str()) {
                return Err(located((
                    key_start,
                    format!("key {key:?} appears twice; keep one"),
                )));
            }
            let style = match text.as_bytes()[vstart] {
                b'"' => ValueStyle::Double,
                b'[' => ValueStyle::Flow,
                b'{' => ValueStyle::Complex,
                _ => ValueStyle::Plain,
            };
            mapping.insert(Value::String(key.clone()), v);
            p.ws();
            let sep = p.i;
            let last = match p.b.get(p.i) {
                Some(b',') => {
                    p.i += 1;
                    false
                }
                Some(b'}') => {
                    p.i += 1;
                    true
                }
                _ => return Err(located((p.i, "expected `,` or `}` after a value".into()))),
            };
            entries.push(member(
                text,
                key,
                key_start,
                vstart..vend,
                if last { vend } else { sep + 1 },
                style,
            ));
            if last {
                break;
            }
        }
    }
    p.ws();
    if p.i != text.len() {
        return Err(located((
            p.i,
            "text after the JSON object's closing `}`".into(),
        )));
    }
    Ok((mapping, entries))
}

/// An entry for a member whose key starts at `key_start` and whose text
/// (value and its comma) ends at `end`. When the member has its lines to
/// itself, `lines` covers them whole; otherwise just the member.
fn member(
    text: &str,
    key: String,
    key_start: usize,
    value: std::ops::Range<usize>,
    end: usize,
    style: ValueStyle,
) -> Entry {
    let ls = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let own_start = text[ls..key_start].trim().is_empty();
    let le = text[end..].find('\n').map(|i| end + i + 1);
    let own_end = le.is_some_and(|le| text[end..le].trim().is_empty());
    let eol = match le {
        Some(le) if text[..le].ends_with("\r\n") => "\r\n",
        Some(_) => "\n",
        None => "",
    };
    let lines = if own_start && own_end {
        ls..le.unwrap_or(end)
    } else {
        key_start..end
    };
    Entry {
        key,
        lines,
        value: Some(value),
        style,
        eol,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_members_with_spans() {
        let t = "{\n  \"Title\": \"A \\\"b\\\" \\u00e9\",\r\n  \"Speakers\": [\"jane\"],\n  \"n\": -1.5e2, \"ok\": true\n}";
        assert_eq!(object_end(t), Some(t.len()));
        let (m, e) = parse(t).unwrap();
        assert_eq!(m.get("Title"), Some(&Value::String("A \"b\" é".into())));
        assert_eq!(
            &t[e[0].lines.clone()],
            "  \"Title\": \"A \\\"b\\\" \\u00e9\",\r\n"
        );
        assert_eq!(e[0].eol, "\r\n");
        assert_eq!(e[1].style, ValueStyle::Flow);
        assert_eq!(&t[e[2].lines.clone()], "\"n\": -1.5e2,");
        assert_eq!(&t[e[3].value.clone().unwrap()], "true");
    }

    #[test]
    fn errors_are_located() {
        let e = parse("{\n  \"a\": 1,\n  \"a\": 2\n}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 3), "{e:?}");
        let e = parse("{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e:?}");
        let e = parse("{\"a\": \"x\ny\"}").unwrap_err();
        assert_eq!(e.line, 1, "{e:?}");
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(1000), "]".repeat(1000));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }
}
