//! XSS: every vector in `tests/fixtures/xss/vectors.txt`, in every session
//! field and several body contexts, must come out inert. Two independent
//! judges: the library's tree-based `assert_no_active_content`, and a
//! token-level allowlist written here against html5ever's tokenizer.

use std::cell::RefCell;
use std::path::Path;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use lectern::render::{
    assert_no_active_content, render, render_markdown, RenderInput, RenderOptions,
    PLACEHOLDER_PHOTO,
};
use sha2::{Digest, Sha256};

/// One vector and the fixture line it starts on.
struct Vector {
    line: usize,
    text: String,
}

fn load_vectors() -> Vec<Vector> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xss/vectors.txt");
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    let mut vectors = Vec::new();
    let mut block: Option<(usize, Vec<&str>)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some((start, lines)) = block.as_mut() {
            if line == ">>>" {
                vectors.push(Vector {
                    line: *start,
                    text: lines.join("\n"),
                });
                block = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        if line.starts_with("%%") || line.is_empty() {
            continue;
        }
        if line == "<<<" {
            block = Some((n, Vec::new()));
        } else if let Some(escaped) = line.strip_prefix("esc:") {
            vectors.push(Vector {
                line: n,
                text: unescape(escaped),
            });
        } else {
            vectors.push(Vector {
                line: n,
                text: line.to_owned(),
            });
        }
    }
    assert!(block.is_none(), "unterminated <<< block");
    vectors
}

/// `\t \n \r \0 \\ \xHH \u{H..}`.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).expect("\\xHH")));
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'));
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push(
                    char::from_u32(u32::from_str_radix(&hex, 16).expect("hex")).expect("char"),
                );
            }
            other => panic!("unknown escape \\{other:?} in {s}"),
        }
    }
    out
}

fn options(standalone: bool) -> RenderOptions {
    RenderOptions::new(
        |src| {
            Some(format!(
                "lectern-photo://localhost/{:x}",
                Sha256::digest(src.as_bytes())
            ))
        },
        standalone,
    )
}

/// Every place a vector can go.
const FIELDS: &[&str] = &[
    "body",
    "title",
    "presenters",
    "date",
    "room",
    "stype",
    "track",
    "track_title",
    "speech_link",
    "lang",
    "all_fields",
];

fn session_with<'a>(field: &str, v: &'a str) -> RenderInput<'a> {
    let mut input = RenderInput {
        title: "Safe title",
        presenters: "Ada, Grace",
        date: Some("2022-07-29T14:00:00"),
        room: Some("A"),
        stype: Some("English Session"),
        track: Some("ai"),
        track_title: None,
        speech_link: Some("https://www.youtube.com/embed/x"),
        body: "Safe body.",
        lang: "en",
    };
    match field {
        "body" => input.body = v,
        "title" => input.title = v,
        "presenters" => input.presenters = v,
        "date" => input.date = Some(v),
        "room" => input.room = Some(v),
        "stype" => input.stype = Some(v),
        "track" => input.track = Some(v),
        "track_title" => input.track_title = Some(v),
        "speech_link" => input.speech_link = Some(v),
        "lang" => input.lang = v,
        "all_fields" => {
            input = RenderInput {
                title: v,
                presenters: v,
                date: Some(v),
                room: Some(v),
                stype: Some(v),
                track: Some(v),
                track_title: Some(v),
                speech_link: Some(v),
                body: v,
                lang: "zh",
            }
        }
        other => panic!("unknown field {other}"),
    }
    input
}

/// Body contexts a vector is also tried in.
fn body_contexts(v: &str) -> Vec<String> {
    vec![
        format!("- {v}"),
        format!("> {v}"),
        format!("Text before {v} text after"),
        format!("| h |\n|---|\n| {v} |"),
        format!("<div>\n{v}\n</div>"),
        format!("1. item\n\n   {v}"),
    ]
}

// ---------------------------------------------------------------------------
// The token-level judge.

/// Elements rendered output may contain: the sanitiser's allowlist plus the
/// header's own markup. Standalone documents add their head.
const OUTPUT_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "code",
    "kbd",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "mark",
    "small",
    "a",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "div",
    "span",
    "sup",
    "sub",
    "details",
    "summary",
    "figure",
    "figcaption",
    "article",
    "header",
    "section",
];
const HEAD_TAGS: &[&str] = &["html", "head", "meta", "title", "style", "body"];
const OUTPUT_ATTRS: &[&str] = &[
    "href", "src", "alt", "title", "width", "height", "align", "colspan", "rowspan", "start",
    "rel", "class", "lang",
];
const OUTPUT_CLASSES: &[&str] = &[
    "session",
    "session-header",
    "session-title",
    "session-meta",
    "session-video",
    "video-card",
    "session-body",
    "placeholder",
];
const CANARIES: &[&str] = &["alert", "__pwned", "javascript", "vbscript", "data:"];

#[derive(Default)]
struct Collect(RefCell<Vec<Token>>);

impl TokenSink for Collect {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.borrow_mut().push(token);
        TokenSinkResult::Continue
    }
}

/// Tokenises without a tree builder, so raw-text elements are not special:
/// anything that looks like a tag anywhere is judged as one.
fn tokens(html: &str) -> Vec<Token> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let tok = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.0.take()
}

fn token_judge(html: &str, standalone: bool) -> Result<(), String> {
    let mut in_head = standalone;
    for token in tokens(html) {
        match token {
            Token::CommentToken(c) => return Err(format!("comment <!--{c}-->")),
            Token::TagToken(tag) => {
                let name = (*tag.name).to_ascii_lowercase();
                if tag.kind == TagKind::EndTag {
                    continue;
                }
                let head_ok = in_head && HEAD_TAGS.contains(&name.as_str());
                if name == "body" {
                    in_head = false;
                }
                if !head_ok && !OUTPUT_TAGS.contains(&name.as_str()) {
                    return Err(format!("tag <{name}>"));
                }
                if head_ok && name == "meta" {
                    continue;
                }
                for attr in &tag.attrs {
                    let a = (*attr.name.local).to_ascii_lowercase();
                    let value = attr.value.to_ascii_lowercase();
                    if !OUTPUT_ATTRS.contains(&a.as_str()) {
                        return Err(format!("attribute <{name} {a}>"));
                    }
                    match a.as_str() {
                        "href" | "src" => {
                            let squeezed: String = value
                                .chars()
                                .filter(|c| !c.is_whitespace() && !c.is_control())
                                .collect();
                            let ok = [
                                "https://",
                                "http://",
                                "mailto:",
                                "lectern-photo://localhost/",
                            ]
                            .iter()
                            .any(|p| squeezed.starts_with(p));
                            if !ok {
                                return Err(format!("<{name} {a}=\"{value}\">"));
                            }
                        }
                        "class" => {
                            if !value
                                .split_whitespace()
                                .all(|c| OUTPUT_CLASSES.contains(&c))
                            {
                                return Err(format!("class \"{value}\""));
                            }
                        }
                        "alt" | "title" => {}
                        _ => {
                            if let Some(c) = CANARIES.iter().find(|c| value.contains(*c)) {
                                return Err(format!("<{name} {a}=\"{value}\"> carries {c}"));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn judge(html: &str, standalone: bool) -> Result<(), String> {
    assert_no_active_content(html).map_err(|e| format!("checker: {e}"))?;
    token_judge(html, standalone).map_err(|e| format!("token judge: {e}"))
}

// ---------------------------------------------------------------------------

#[test]
fn fixture_has_at_least_150_vectors() {
    let vectors = load_vectors();
    assert!(vectors.len() >= 150, "only {} vectors", vectors.len());
    println!("{} vectors", vectors.len());
    for v in &vectors {
        assert!(
            [
                "alert",
                "__pwned",
                "xss.",
                "example.org",
                "file:",
                "&#",
                "base64,",
                "\\00",
                "&AG"
            ]
            .iter()
            .any(|canary| v.text.contains(canary)),
            "vector on line {} has no canary",
            v.line
        );
    }
}

#[test]
fn every_vector_is_inert_in_every_field() {
    let mut failures = Vec::new();
    let mut renders = 0;
    for v in load_vectors() {
        for field in FIELDS {
            // The header is the same in a standalone document; only the body
            // and the everything-at-once case are worth the extra wrapping.
            let wrappings: &[bool] = if matches!(*field, "body" | "all_fields") {
                &[false, true]
            } else {
                &[false]
            };
            for &standalone in wrappings {
                let out = render(&session_with(field, &v.text), &options(standalone));
                renders += 1;
                if let Err(e) = judge(&out.html, standalone) {
                    failures.push(format!(
                        "line {} in {field} (standalone {standalone}): {e}",
                        v.line
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {renders} renders failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_vector_is_inert_in_every_body_context() {
    let mut failures = Vec::new();
    for v in load_vectors() {
        for body in body_contexts(&v.text) {
            let html = render_markdown(&body, &options(false));
            if let Err(e) = judge(&html, false) {
                failures.push(format!("line {} in {body:?}: {e}", v.line));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn header_fields_are_text_never_markup() {
    for v in load_vectors() {
        let out = render(&session_with("all_fields", &v.text), &options(false));
        let header = &out.html[..out.html.find("<section").unwrap()];
        for token in tokens(header) {
            if let Token::TagToken(tag) = token {
                let name = (*tag.name).to_ascii_lowercase();
                assert!(
                    ["article", "header", "h1", "dl", "div", "dt", "dd", "p", "a", "span"]
                        .contains(&name.as_str()),
                    "line {}: header has <{name}>",
                    v.line
                );
            }
        }
    }
}

#[test]
fn the_sanitiser_keeps_benign_content() {
    let body = "\
A [normal link](https://example.org/page) and <a href=\"mailto:pc@example.org\">mail</a>.

![Ada](https://example.org/ada.png)

| Time | Talk |
|------|------|
| 14:00 | Opening |

<details><summary>More</summary>Hidden <strong>details</strong></details>
";
    let out = render(
        &RenderInput {
            body,
            lang: "en",
            ..Default::default()
        },
        &options(false),
    );
    judge(&out.html, false).unwrap();
    assert!(out.html.contains(
        "<a href=\"https://example.org/page\" rel=\"noopener noreferrer nofollow\">normal link</a>"
    ));
    assert!(out.html.contains(
        "<a href=\"mailto:pc@example.org\" rel=\"noopener noreferrer nofollow\">mail</a>"
    ));
    let photo = format!(
        "lectern-photo://localhost/{:x}",
        Sha256::digest(b"https://example.org/ada.png")
    );
    assert!(
        out.html
            .contains(&format!("<img src=\"{photo}\" alt=\"Ada\">")),
        "{}",
        out.html
    );
    assert!(out
        .html
        .contains("<table><thead><tr><th>Time</th><th>Talk</th></tr></thead><tbody>"));
    assert!(out.html.contains("<td>Opening</td>"));
    assert!(out
        .html
        .contains("<details><summary>More</summary>Hidden <strong>details</strong></details>"));
    assert_eq!(out.removed, 0);
}

#[test]
fn vectors_lose_their_payload_but_keep_their_text() {
    let out = render_markdown(
        "<p onclick=\"alert(1)\">Hello <b>world</b></p>",
        &options(false),
    );
    assert_eq!(out, "<p>Hello <b>world</b></p>");
    let out = render_markdown("[click me](javascript:alert(1))", &options(false));
    assert_eq!(
        out,
        "<p><a rel=\"noopener noreferrer nofollow\">click me</a></p>\n"
    );
    let out = render_markdown(
        "<img src=\"javascript:alert(1)\" alt=\"Ada\">",
        &options(false),
    );
    assert_eq!(out, "<img alt=\"Ada\">");
    let out = render_markdown("<img src=\"\" alt=\"Ada\">", &options(false));
    assert_eq!(
        out,
        format!("<img src=\"{PLACEHOLDER_PHOTO}\" alt=\"Ada\">")
    );
}

#[test]
fn checker_rejects_active_content() {
    let bad = [
        "<script>alert(1)</script>",
        "<img src=\"https://example.org/a.png\" onerror=\"alert(1)\">",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"&#1;javascript:alert(1)\">x</a>",
        "<a href=\" JAVASCRIPT:alert(1)\">x</a>",
        "<a href=\"vbscript:alert(1)\">x</a>",
        "<img src=\"data:image/png;base64,AAAA\">",
        "<a href=\"/relative\">x</a>",
        "<a href=\"//host.example/\">x</a>",
        "<p style=\"color:red\">x</p>",
        "<img src=\"https://example.org/a.png\" srcset=\"https://example.org/b.png 2x\">",
        "<button formaction=\"https://example.org\">x</button>",
        "<svg><a xlink:href=\"https://example.org\">x</a></svg>",
        "<svg></svg>",
        "<math></math>",
        "<iframe></iframe>",
        "<object></object>",
        "<embed>",
        "<form></form>",
        "<style>p{}</style>",
        "<base href=\"https://example.org/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://example.org\">",
        "<link rel=\"stylesheet\" href=\"https://example.org/x.css\">",
        "<template></template>",
        "<noscript></noscript>",
        "<!-- comment -->",
        "<div onmouseover=\"alert(1)\">x</div>",
        "<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0\"></head><body></body></html>",
        "<!DOCTYPE html><html><head><style>@import 'x.css';</style></head><body></body></html>",
        "<!DOCTYPE html><html><head></head><body><style>p{}</style></body></html>",
    ];
    for html in bad {
        assert!(
            assert_no_active_content(html).is_err(),
            "checker accepted {html}"
        );
    }
}

#[test]
fn checker_accepts_inert_content() {
    let good = [
        "<p>Hello <em>world</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<a href=\"https://example.org/?q=alert(1)\" rel=\"noopener\">x</a>",
        "<a href=\"mailto:a@example.org\">x</a>",
        "<img src=\"lectern-photo://localhost/abc\" alt=\"javascript:alert(1)\">",
        "<img src=\"http://lectern-photo.localhost/abc\">",
        "<table><tr><td align=\"left\">x</td></tr></table>",
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title><style>p{color:red}</style></head><body><p>x</p></body></html>",
    ];
    for html in good {
        assert_no_active_content(html).unwrap_or_else(|e| panic!("{html}: {e}"));
    }
}

/// Checklist A2: every sanitised output, parsed as the preview's browser
/// parses a fragment and serialised again, is unchanged, so the tree the
/// browser builds is the tree the sanitiser checked (no mutation XSS).
#[test]
fn every_sanitised_output_reparses_to_itself() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for v in load_vectors() {
        let outputs: Vec<String> = body_contexts(&v.text)
            .iter()
            .map(|b| render_markdown(b, &options(false)))
            .collect();
        for html in outputs {
            checked += 1;
            if let Err(e) = lectern::render::assert_reparse_stable(&html) {
                failures.push(format!("line {}: {e}", v.line));
            }
        }
    }
    println!("{checked} sanitised outputs re-parse to themselves");
    assert!(checked > 1000, "only {checked} outputs");
    assert!(
        failures.is_empty(),
        "{} of {checked} outputs change when re-parsed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_reparse_check_catches_a_tree_the_browser_would_build_differently() {
    // Text a sanitiser could emit if it serialised its own tree carelessly:
    // a browser moves the <p> out of the table (foster parenting) and closes
    // the <a> inside another one.
    for mutated in [
        "<table><p>x</p></table>",
        "<a href=\"https://a.example\"><a href=\"https://b.example\">x</a></a>",
        "<p><div>x</div></p>",
    ] {
        assert!(
            lectern::render::assert_reparse_stable(mutated).is_err(),
            "{mutated}"
        );
    }
    lectern::render::assert_reparse_stable("<p>a <em>b</em> &amp; <a href=\"https://a.example\" rel=\"noopener\">c</a></p>\n<img src=\"lectern-photo://localhost/x\" alt=\"\">")
        .expect("stable HTML passes");
}
