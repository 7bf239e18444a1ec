//! One linear pass over HTML tokens, without building a tree: how deep the
//! markup nests, how many elements, attributes and comments it has, and the
//! text of its headings.
//!
//! Why tokens and not a tree: the HTML tree builder's scope checks are
//! linear in nesting depth, so a tree is quadratic on deep input, and the
//! depth must be known before deciding to build one. Tokenising is linear
//! and, in debug builds, costs about half of a tree parse.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What a scan found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// The deepest nesting counted on tags alone: every start tag of a
    /// non-void element opens a level (`<div/>` too, as in browsers), every
    /// end tag closes one. Never less than the depth of the tree a browser
    /// would build except by a handful of implied elements; usually more,
    /// since implied end tags are not subtracted.
    pub max_depth: usize,
    /// The most formatting elements (`<b>`, `<a>`, `<font>`...) open at once,
    /// counted the same way. The tree builder re-creates every open one in
    /// each new block, so many of them multiply the output.
    pub max_formatting: usize,
    /// An estimate of the bytes html5ever's serializer will search while
    /// escaping this HTML's text and attribute values. For each `&` (or
    /// byte 0xC2) it searches ahead to the next `<` or `>` (or `"` in an
    /// attribute), so long runs full of `&` cost quadratic time.
    pub escape_cost: u64,
    /// Start tags, their attributes, and comments.
    pub items: usize,
    /// `rel` attributes on `<a>` (ammonia adds one to every link).
    pub link_rels: usize,
    /// The whitespace-collapsed text of each `h1`..`h6`, in order.
    pub headings: Vec<String>,
}

/// Scans `html`, switching the tokenizer into raw-text states for
/// `<script>`, `<style>`, `<textarea>` and the like outside SVG/MathML, as
/// the tree builder (with scripting disabled, like ammonia's) would.
pub(crate) fn scan(html: &str) -> Scan {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let sink = tokenizer.sink;
    Scan {
        max_depth: sink.max_depth.get(),
        max_formatting: sink.max_formatting.get(),
        escape_cost: {
            sink.close_segment();
            sink.escape_cost.get()
        },
        items: sink.items.get(),
        link_rels: sink.link_rels.get(),
        headings: sink.headings.into_inner(),
    }
}

/// Elements that never have content, so never deepen the tree.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

#[derive(Default)]
struct Sink {
    depth: Cell<usize>,
    max_depth: Cell<usize>,
    formatting: Cell<usize>,
    max_formatting: Cell<usize>,
    items: Cell<usize>,
    escape_cost: Cell<u64>,
    /// The text since the last tag or `<`/`>`: its length and how many
    /// bytes in it the serializer escapes one search at a time.
    segment_len: Cell<u64>,
    segment_specials: Cell<u64>,
    link_rels: Cell<usize>,
    /// Open `<svg>`/`<math>` elements: inside them nothing is raw text.
    foreign: Cell<usize>,
    /// Texts of the headings currently open.
    open_headings: RefCell<Vec<String>>,
    headings: RefCell<Vec<String>>,
}

/// The HTML parser's "formatting elements".
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Bytes after which the serializer's escaping restarts its search.
fn is_special(b: u8) -> bool {
    b == b'&' || b == 0xC2
}

/// [`Scan::escape_cost`] of one attribute value.
fn attribute_escape_cost(value: &str) -> u64 {
    let (mut cost, mut len, mut specials) = (0u64, 0u64, 0u64);
    for &b in value.as_bytes() {
        if matches!(b, b'"' | b'<' | b'>') {
            cost = cost.saturating_add(len.saturating_mul(specials));
            (len, specials) = (0, 0);
        } else {
            len += 1;
            specials += u64::from(is_special(b));
        }
    }
    cost.saturating_add(len.saturating_mul(specials))
}

impl Sink {
    fn close_segment(&self) {
        let cost = self
            .segment_len
            .get()
            .saturating_mul(self.segment_specials.get());
        self.escape_cost
            .set(self.escape_cost.get().saturating_add(cost));
        self.segment_len.set(0);
        self.segment_specials.set(0);
    }

    fn text(&self, text: &str) {
        for &b in text.as_bytes() {
            if b == b'<' || b == b'>' {
                self.close_segment();
            } else {
                self.segment_len.set(self.segment_len.get() + 1);
                self.segment_specials
                    .set(self.segment_specials.get() + u64::from(is_special(b)));
            }
        }
    }

    fn start(&self, tag: &Tag) -> TokenSinkResult<()> {
        let name = &*tag.name;
        let attribute_cost = tag
            .attrs
            .iter()
            .map(|a| attribute_escape_cost(&a.value))
            .sum::<u64>();
        self.escape_cost
            .set(self.escape_cost.get().saturating_add(attribute_cost));
        self.items.set(self.items.get() + 1 + tag.attrs.len());
        if name == "a" {
            let rels = tag.attrs.iter().filter(|a| &*a.name.local == "rel").count();
            self.link_rels.set(self.link_rels.get() + rels);
        }
        if !VOID_ELEMENTS.contains(&name) {
            let depth = self.depth.get() + 1;
            self.depth.set(depth);
            self.max_depth.set(self.max_depth.get().max(depth));
        }
        if is_formatting(name) {
            let open = self.formatting.get() + 1;
            self.formatting.set(open);
            self.max_formatting.set(self.max_formatting.get().max(open));
        }
        if is_heading(name) {
            self.open_headings.borrow_mut().push(String::new());
        }
        if matches!(name, "svg" | "math") && !tag.self_closing {
            self.foreign.set(self.foreign.get() + 1);
        }
        if self.foreign.get() > 0 {
            return TokenSinkResult::Continue;
        }
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }

    fn end(&self, tag: &Tag) {
        let name = &*tag.name;
        self.depth.set(self.depth.get().saturating_sub(1));
        if is_formatting(name) {
            self.formatting.set(self.formatting.get().saturating_sub(1));
        }
        if matches!(name, "svg" | "math") {
            self.foreign.set(self.foreign.get().saturating_sub(1));
        }
        if is_heading(name) {
            if let Some(text) = self.open_headings.borrow_mut().pop() {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                self.headings.borrow_mut().push(text);
            }
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if !matches!(token, Token::CharacterTokens(_) | Token::NullCharacterToken) {
            self.close_segment();
        }
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return self.start(&tag),
                TagKind::EndTag => self.end(&tag),
            },
            Token::CommentToken(_) => self.items.set(self.items.get() + 1),
            Token::CharacterTokens(text) => {
                self.text(&text);
                if let Some(open) = self.open_headings.borrow_mut().last_mut() {
                    open.push_str(&text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}
