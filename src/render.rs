//! Session preview: a session rendered as its page on the Hugo site shows it,
//! as sanitised HTML.
//!
//! The same HTML feeds the desktop app's preview (a sandboxed iframe without
//! scripts) and `lectern render FILE`, and session files are untrusted input,
//! so the body goes through a chain of small passes:
//!
//! 1. [`markdown_parser`]: the one place that decides which Markdown the site
//!    speaks (Hugo's goldmark with `unsafe = true`, so raw HTML passes through).
//! 2. `NestingCap` flattens absurd Markdown nesting; `SiteShape` rewrites the
//!    few events whose default HTML the sanitiser would mangle (table
//!    alignment becomes `align`, footnotes and code blocks lose their ids and
//!    classes).
//! 3. One token scan of the HTML (`scan`): if it nests too deep, keeps too
//!    many formatting elements open or would be too slow to escape, the body
//!    is shown as escaped text instead, so no input makes rendering hang.
//! 4. `sanitize`: ammonia with an explicit allowlist ([`sanitizer_policy`]);
//!    image sources are mapped through the caller's `photo_url`, relative
//!    links are dropped.
//! 5. The header (title, presenters, date, room, type, track, video card) is
//!    built from escaped plain text: these fields are not Markdown.
//! 6. With `standalone`, a complete document with the CSS inlined and a
//!    strict Content-Security-Policy.
//!
//! [`assert_no_active_content`] re-parses output and checks, independently of
//! ammonia, that nothing in it can run script or load from an unexpected
//! scheme.

mod active_content;
mod dom;
mod scan;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use ammonia::UrlRelative;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use url::Url;

pub use active_content::{assert_no_active_content, assert_reparse_stable, ALLOWED_OUTPUT_SCHEMES};

/// The image source used when `photo_url` has no photo for an image, or
/// returns something that is not a photo-protocol URL.
pub const PLACEHOLDER_PHOTO: &str = "lectern-photo://localhost/placeholder";

/// The Content-Security-Policy of a standalone preview: nothing may load
/// except photos through the app's protocol (both spellings Tauri uses) and
/// the inlined stylesheet; no base URL changes, no form submission.
pub const PREVIEW_CSP: &str = "default-src 'none'; img-src lectern-photo: http://lectern-photo.localhost; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// The preview stylesheet (light and dark), inlined into standalone output.
pub const PREVIEW_CSS: &str = include_str!("../assets/preview.css");

/// The `rel` put on every link in the body.
pub const LINK_REL: &str = "noopener noreferrer nofollow";

/// Elements the sanitiser keeps. Anything else is unwrapped (its text kept)
/// or, for [`CLEAN_CONTENT_TAGS`], dropped with its content.
const ALLOWED_TAGS: &[&str] = &[
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
];

/// Elements dropped together with everything inside them: their content is
/// script, styles, foreign markup or not shown on the site anyway.
const CLEAN_CONTENT_TAGS: &[&str] = &[
    "script", "style", "svg", "math", "iframe", "frame", "frameset", "object", "embed", "applet",
    "template", "noscript", "noembed", "noframes", "xmp", "title", "head", "base", "meta", "link",
    "select", "audio", "video", "canvas", "portal",
];

/// Attributes the sanitiser keeps, per element. No element may keep `style`,
/// `id`, `name`, `class` or `srcset`.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("img", &["src", "alt", "width", "height", "title"]),
    ("td", &["align", "colspan", "rowspan"]),
    ("th", &["align", "colspan", "rowspan"]),
    ("ol", &["start"]),
    ("abbr", &["title"]),
];

/// URL schemes the sanitiser lets through in `href` and `src`.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// The plain-text fields of a session plus its Markdown body.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderInput<'a> {
    /// `title`.
    pub title: &'a str,
    /// `presenters`, a comma-separated list of names.
    pub presenters: &'a str,
    /// `date`, e.g. `2022-07-29T14:00:00`.
    pub date: Option<&'a str>,
    /// `room`.
    pub room: Option<&'a str>,
    /// `stype`, e.g. `English Session`.
    pub stype: Option<&'a str>,
    /// `track`, the track's slug.
    pub track: Option<&'a str>,
    /// The track's title from the site, shown in preference to the slug.
    pub track_title: Option<&'a str>,
    /// `speechLink`, the recording's URL.
    pub speech_link: Option<&'a str>,
    /// The Markdown body.
    pub body: &'a str,
    /// The page language, e.g. `en` or `zh`; picks the header's labels.
    pub lang: &'a str,
}

/// Maps an image source (an http(s) URL or a site-relative path) to the
/// app's photo-protocol URL, e.g. `lectern-photo://localhost/<sha256>`, or
/// `None` when there is no photo to show.
pub type PhotoUrl = dyn Fn(&str) -> Option<String> + Send + Sync;

/// How to render.
#[derive(Clone)]
pub struct RenderOptions {
    /// Where images come from; see [`PhotoUrl`]. Results that are not
    /// `lectern-photo:` or `http://lectern-photo.localhost/` URLs are
    /// replaced by [`PLACEHOLDER_PHOTO`].
    pub photo_url: Arc<PhotoUrl>,
    /// Wrap the output in a complete HTML document with [`PREVIEW_CSS`]
    /// inlined and [`PREVIEW_CSP`] as a `<meta>`.
    pub standalone: bool,
}

impl RenderOptions {
    /// Options with the given photo mapping.
    pub fn new(
        photo_url: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        standalone: bool,
    ) -> Self {
        RenderOptions {
            photo_url: Arc::new(photo_url),
            standalone,
        }
    }
}

impl Default for RenderOptions {
    /// Every image becomes the placeholder; a fragment, not a document.
    fn default() -> Self {
        RenderOptions::new(|_| None, false)
    }
}

impl std::fmt::Debug for RenderOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderOptions")
            .field("standalone", &self.standalone)
            .finish_non_exhaustive()
    }
}

/// A rendered session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The sanitised HTML: an `<article>` fragment, or a whole document
    /// when `standalone` was set.
    pub html: String,
    /// Image sources in the body that were handed to `photo_url`, in
    /// document order, as written (entity-decoded).
    pub images: Vec<String>,
    /// The text of each heading in the sanitised body, in order.
    pub headings: Vec<String>,
    /// How many elements, attributes and comments of the body's HTML the
    /// sanitiser dropped, counted on tags before and after. Approximate
    /// where the HTML parser itself adds elements (an implied `<tbody>`
    /// offsets one removal) or drops them (a stray `<td>` counts as
    /// removed).
    pub removed: usize,
}

/// Renders a session: header from the plain-text fields, then the body.
pub fn render(input: &RenderInput, opts: &RenderOptions) -> Rendered {
    let labels = Labels::for_lang(input.lang);
    let body = render_body(input.body, opts);
    let mut article = String::with_capacity(body.html.len() + 1024);
    let _ = writeln!(
        article,
        "<article class=\"session\" lang=\"{}\">",
        labels.lang
    );
    session_header(&mut article, input, labels);
    article.push_str("<section class=\"session-body\">\n");
    article.push_str(body.html.trim_end());
    article.push_str("\n</section>\n</article>\n");
    let html = if opts.standalone {
        standalone_document(input.title, labels, &article)
    } else {
        article
    };
    Rendered {
        html,
        images: body.images,
        headings: body.headings,
        removed: body.removed,
    }
}

/// Renders a Markdown body alone: the sanitised HTML, or with `standalone`
/// a complete document around it.
pub fn render_markdown(md: &str, opts: &RenderOptions) -> String {
    let body = render_body(md, opts);
    if opts.standalone {
        let article = format!(
            "<article class=\"session\">\n<section class=\"session-body\">\n{}\n</section>\n</article>\n",
            body.html
        );
        standalone_document("", Labels::for_lang("en"), &article)
    } else {
        body.html
    }
}

// ---------------------------------------------------------------------------
// Pass 1 and 2: Markdown to (unsanitised) HTML.

/// The Markdown parser for session bodies, configured like the site's
/// goldmark: tables, strikethrough, footnotes, definition lists and smart
/// punctuation on; heading attributes (`{#id}`) and task lists off. Raw HTML
/// is passed through (Hugo's `unsafe = true`); the sanitiser deals with it.
pub fn markdown_parser(md: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(md, options)
}

/// Markdown to HTML, before sanitising.
fn markdown_to_html(md: &str) -> String {
    let mut cap = NestingCap::default();
    let mut shape = SiteShape::default();
    let events = markdown_parser(md)
        .filter_map(|event| cap.filter(event))
        .map(|event| shape.rewrite(event));
    let mut html = String::with_capacity(md.len() + md.len() / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Markdown nesting beyond this many open tags is flattened.
const MAX_MARKDOWN_DEPTH: usize = 100;

/// Flattens absurd Markdown nesting (thousands of `>` or list levels): the
/// HTML tree builder's scope checks are linear in depth, so deep nesting
/// makes parsing quadratic. Tags opened beyond [`MAX_MARKDOWN_DEPTH`] are
/// dropped, and their matching ends become line breaks; content stays.
#[derive(Default)]
struct NestingCap {
    /// For each open tag, whether it was kept.
    open: Vec<bool>,
    kept: usize,
}

impl NestingCap {
    fn filter<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match event {
            Event::Start(_) => {
                let keep = self.kept < MAX_MARKDOWN_DEPTH;
                self.open.push(keep);
                self.kept += usize::from(keep);
                keep.then_some(event)
            }
            Event::End(_) => {
                let keep = self.open.pop().unwrap_or(true);
                self.kept -= usize::from(keep && self.kept > 0);
                // A dropped end still separates its text from what follows.
                Some(if keep { event } else { Event::SoftBreak })
            }
            other => Some(other),
        }
    }
}

/// Rewrites the events whose default HTML uses attributes the sanitiser
/// forbids, so well-formed Markdown loses nothing in sanitising:
/// table cells get `align` instead of `style`, footnotes become plain
/// `<sup>` numbers without ids or classes, and fenced code blocks drop their
/// `language-*` class (the preview does not highlight).
#[derive(Default)]
struct SiteShape {
    alignments: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    footnotes: HashMap<String, usize>,
}

impl SiteShape {
    fn rewrite<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.alignments.clone_from(&alignments);
                Event::Start(Tag::Table(alignments))
            }
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.cell = 0;
                event
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                event
            }
            Event::Start(Tag::TableRow) => {
                self.cell = 0;
                event
            }
            Event::Start(Tag::TableCell) => {
                let align = match self.alignments.get(self.cell) {
                    Some(Alignment::Left) => " align=\"left\"",
                    Some(Alignment::Center) => " align=\"center\"",
                    Some(Alignment::Right) => " align=\"right\"",
                    _ => "",
                };
                Event::Html(format!("<{}{align}>", self.cell_tag()).into())
            }
            Event::End(TagEnd::TableCell) => {
                self.cell += 1;
                Event::Html(format!("</{}>", self.cell_tag()).into())
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))
            }
            Event::FootnoteReference(name) => {
                Event::Html(format!("<sup>{}</sup>", self.footnote_number(&name)).into())
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Event::Html(format!("<div><sup>{}</sup> ", self.footnote_number(&name)).into())
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::Borrowed("</div>\n")),
            other => other,
        }
    }

    fn cell_tag(&self) -> &'static str {
        if self.in_head {
            "th"
        } else {
            "td"
        }
    }

    /// Footnotes are numbered in order of first mention, reference or
    /// definition, as pulldown-cmark does.
    fn footnote_number(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_owned()).or_insert(next)
    }
}

// ---------------------------------------------------------------------------
// Pass 3: sanitising.

/// The sanitiser's configuration, read back from the ammonia builder that
/// [`render`] uses, so tests can assert on the real thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanitizerPolicy {
    /// Elements kept.
    pub tags: BTreeSet<String>,
    /// Elements dropped together with their content.
    pub clean_content_tags: BTreeSet<String>,
    /// Attributes kept on any element.
    pub generic_attributes: BTreeSet<String>,
    /// Attribute-name prefixes kept on any element, if any.
    pub generic_attribute_prefixes: Option<BTreeSet<String>>,
    /// Attributes kept per element.
    pub tag_attributes: BTreeMap<String, BTreeSet<String>>,
    /// Classes kept per element.
    pub allowed_classes: BTreeMap<String, BTreeSet<String>>,
    /// URL schemes kept in URL attributes.
    pub url_schemes: BTreeSet<String>,
    /// Whether relative URLs pass through unchanged (they must not).
    pub relative_urls_pass_through: bool,
    /// The `rel` added to links.
    pub link_rel: Option<String>,
    /// Whether comments are removed.
    pub strip_comments: bool,
}

/// The sanitiser's allowlist, as configured on the ammonia builder.
pub fn sanitizer_policy() -> SanitizerPolicy {
    fn strings<'a>(set: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        set.into_iter().map(str::to_owned).collect()
    }
    fn map(m: HashMap<&str, HashSet<&str>>) -> BTreeMap<String, BTreeSet<String>> {
        m.into_iter()
            .map(|(k, v)| (k.to_owned(), strings(v)))
            .collect()
    }
    let b = base_sanitizer();
    SanitizerPolicy {
        tags: strings(b.clone_tags()),
        clean_content_tags: strings(b.clone_clean_content_tags()),
        generic_attributes: strings(b.clone_generic_attributes()),
        generic_attribute_prefixes: b.clone_generic_attribute_prefixes().map(strings),
        tag_attributes: map(b.clone_tag_attributes()),
        allowed_classes: map(b.clone_allowed_classes()),
        url_schemes: strings(b.clone_url_schemes()),
        relative_urls_pass_through: b.is_url_relative_pass_through(),
        link_rel: b.get_link_rel().map(str::to_owned),
        strip_comments: b.will_strip_comments(),
    }
}

/// The allowlist, without the per-render attribute filter.
fn base_sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(CLEAN_CONTENT_TAGS.iter().copied().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|&(tag, attrs)| (tag, attrs.iter().copied().collect()))
                .collect(),
        )
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        // The attribute filter has already dropped relative links and
        // rewritten relative image paths; anything relative left is dropped.
        .url_relative(UrlRelative::Custom(Box::new(deny_relative)))
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .id_prefix(None);
    b
}

/// Drops a relative URL.
fn deny_relative(_: &str) -> Option<Cow<'_, str>> {
    None
}

/// The body after sanitising.
struct SanitizedBody {
    html: String,
    images: Vec<String>,
    headings: Vec<String>,
    removed: usize,
}

/// HTML nesting deeper than this (counted naively on tags; browsers cap
/// their trees at a similar depth) is not parsed at all.
const MAX_HTML_DEPTH: usize = 512;

/// More formatting elements open at once than this is not parsed at all:
/// the tree builder would copy each of them into every following block.
const MAX_OPEN_FORMATTING: usize = 32;

/// Escaping work beyond this many searched bytes (see
/// [`scan::Scan::escape_cost`]) is not attempted: html5ever's serializer is
/// quadratic on long runs of `&`, and this keeps it to well under a second.
const MAX_ESCAPE_COST: u64 = 50_000_000;

/// The body, Markdown to sanitised HTML; a plain-text fallback when its HTML
/// would take unreasonable time or memory to parse.
fn render_body(md: &str, opts: &RenderOptions) -> SanitizedBody {
    let raw = markdown_to_html(md);
    let before = scan::scan(&raw);
    let refusal = if before.max_depth > MAX_HTML_DEPTH {
        Some(format!(
            "nests {} levels deep (at most {MAX_HTML_DEPTH})",
            before.max_depth
        ))
    } else if before.max_formatting > MAX_OPEN_FORMATTING {
        Some(format!(
            "leaves {} formatting elements open at once (at most {MAX_OPEN_FORMATTING})",
            before.max_formatting
        ))
    } else if before.escape_cost > MAX_ESCAPE_COST {
        Some("has runs of text too full of `&` to escape in reasonable time".to_owned())
    } else {
        None
    };
    match refusal {
        Some(why) => SanitizedBody {
            html: format!(
                "<p><strong>Preview unavailable: the body's HTML {why}. Its text follows.</strong></p>\n<pre>{}</pre>\n",
                escape(md)
            ),
            images: Vec::new(),
            headings: Vec::new(),
            removed: 0,
        },
        None => sanitize(&raw, before.items, &opts.photo_url),
    }
}

/// Sanitises the body's HTML, mapping image sources through `photo_url`.
/// `items_before` is the raw HTML's [`scan::Scan::items`].
fn sanitize(raw: &str, items_before: usize, photo_url: &Arc<PhotoUrl>) -> SanitizedBody {
    let images = Arc::new(Mutex::new(Vec::new()));
    let mut builder = base_sanitizer();
    {
        let images = Arc::clone(&images);
        let photo_url = Arc::clone(photo_url);
        builder.attribute_filter(move |element, attribute, value| {
            filter_attribute(element, attribute, value, &*photo_url, &images)
        });
    }
    let cleaned = builder.clean(raw).to_string();
    drop(builder);
    // ammonia serialises the tree it filtered, and that text can parse into
    // another tree: dropping a disallowed element keeps its children, so a
    // `<p>` can end up inside a `<p>`, which a browser splits. Re-parse the
    // output as the preview will and serialise that tree, so the HTML shown
    // is a fixed point of the browser's parser (checklist A2) and the
    // checks below see what the browser builds.
    let dom = dom::parse_fragment(&cleaned);
    let html = dom.serialize_children(dom.fragment_root());

    // The links' `rel` was added, not kept, so it does not offset a removal.
    let after = scan::scan(&html);
    let images = std::mem::take(&mut *images.lock().unwrap_or_else(|e| e.into_inner()));
    SanitizedBody {
        removed: items_before.saturating_sub(after.items.saturating_sub(after.link_rels)),
        headings: after.headings,
        html,
        images,
    }
}

/// Decides each kept attribute's final value. Runs after ammonia's scheme
/// check, so URLs here are http(s), mailto or relative.
fn filter_attribute<'u>(
    element: &str,
    attribute: &str,
    value: &'u str,
    photo_url: &PhotoUrl,
    images: &Mutex<Vec<String>>,
) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("img", "src") => {
            if value.trim().is_empty() {
                return Some(Cow::Borrowed(PLACEHOLDER_PHOTO));
            }
            if !is_image_source(value) {
                return None;
            }
            images
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(value.to_owned());
            let mapped = photo_url(value).filter(|u| is_photo_protocol_url(u));
            Some(mapped.map_or(Cow::Borrowed(PLACEHOLDER_PHOTO), Cow::Owned))
        }
        ("a", "href") => is_absolute_link(value).then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// An http(s) URL or a relative path (the site's `images/speaker/...`).
fn is_image_source(value: &str) -> bool {
    match Url::parse(value) {
        Ok(url) => matches!(url.scheme(), "http" | "https"),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// Links must be absolute http(s) or mailto: relative links would resolve
/// against the preview's own origin.
fn is_absolute_link(value: &str) -> bool {
    Url::parse(value).is_ok_and(|url| matches!(url.scheme(), "http" | "https" | "mailto"))
}

/// What `photo_url` may return: the app's photo protocol in either of the
/// spellings Tauri serves it under.
fn is_photo_protocol_url(value: &str) -> bool {
    Url::parse(value).is_ok_and(|url| match url.scheme() {
        "lectern-photo" => true,
        "http" => url.host_str() == Some("lectern-photo.localhost"),
        _ => false,
    })
}

// ---------------------------------------------------------------------------
// Pass 4: the header.

/// The header's words in one language.
#[derive(Debug)]
struct Labels {
    lang: &'static str,
    speakers: &'static str,
    time: &'static str,
    room: &'static str,
    session_type: &'static str,
    track: &'static str,
    watch: &'static str,
    untitled: &'static str,
}

const EN: Labels = Labels {
    lang: "en",
    speakers: "Speakers",
    time: "Time",
    room: "Room",
    session_type: "Type",
    track: "Track",
    watch: "Watch the talk",
    untitled: "Untitled session",
};

const ZH: Labels = Labels {
    lang: "zh",
    speakers: "讲师",
    time: "时间",
    room: "地点",
    session_type: "类型",
    track: "分论坛",
    watch: "观看演讲视频",
    untitled: "未命名议题",
};

impl Labels {
    /// `zh`, `zh-CN`, `zh_Hans`... get Chinese; everything else English.
    fn for_lang(lang: &str) -> &'static Labels {
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        if primary.trim().eq_ignore_ascii_case("zh") {
            &ZH
        } else {
            &EN
        }
    }
}

/// Writes the `<header>`: title, a definition list of the set fields, and
/// the video card.
fn session_header(out: &mut String, input: &RenderInput, labels: &Labels) {
    out.push_str("<header class=\"session-header\">\n<h1 class=\"session-title\">");
    if input.title.trim().is_empty() {
        let _ = write!(
            out,
            "<span class=\"placeholder\">{}</span>",
            labels.untitled
        );
    } else {
        out.push_str(&escape(input.title.trim()));
    }
    out.push_str("</h1>\n");

    let date = present(input.date).map(format_date);
    let track = present(input.track_title).or(present(input.track));
    let rows = [
        (
            labels.speakers,
            present(Some(input.presenters)).map(str::to_owned),
        ),
        (labels.time, date),
        (labels.room, present(input.room).map(str::to_owned)),
        (labels.session_type, present(input.stype).map(str::to_owned)),
        (labels.track, track.map(str::to_owned)),
    ];
    if rows.iter().any(|(_, v)| v.is_some()) {
        out.push_str("<dl class=\"session-meta\">\n");
        for (label, value) in rows {
            if let Some(value) = value {
                let _ = writeln!(
                    out,
                    "<div><dt>{label}</dt><dd>{}</dd></div>",
                    escape(&value)
                );
            }
        }
        out.push_str("</dl>\n");
    }
    if let Some(card) = input.speech_link.and_then(|link| video_card(link, labels)) {
        out.push_str(&card);
    }
    out.push_str("</header>\n");
}

/// A trimmed, non-empty field.
fn present(field: Option<&str>) -> Option<&str> {
    field.map(str::trim).filter(|s| !s.is_empty())
}

/// A link card for the recording, only for an http(s) URL with a host. Not
/// an iframe: the preview must not load third-party players.
fn video_card(link: &str, labels: &Labels) -> Option<String> {
    let url = Url::parse(link.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    Some(format!(
        "<p class=\"session-video\"><a class=\"video-card\" href=\"{}\" rel=\"{LINK_REL}\">\u{25B6} {} ({})</a></p>\n",
        escape(url.as_str()),
        labels.watch,
        escape(host)
    ))
}

/// `2022-07-29T14:00:00` becomes `2022-07-29 14:00`, the wall-clock time as
/// written (an offset, if any, is not applied). Unparseable dates are shown
/// as written.
fn format_date(raw: &str) -> String {
    const SHOWN: &str = "%Y-%m-%d %H:%M";
    let t = raw.trim();
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, format) {
            return dt.format(SHOWN).to_string();
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return dt.naive_local().format(SHOWN).to_string();
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return d.format("%Y-%m-%d").to_string();
    }
    t.to_owned()
}

// ---------------------------------------------------------------------------
// Pass 5: the standalone document.

fn standalone_document(title: &str, labels: &Labels, article: &str) -> String {
    let mut doc = String::with_capacity(article.len() + PREVIEW_CSS.len() + 512);
    let _ = write!(
        doc,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{css}</style>\n</head>\n<body>\n{article}</body>\n</html>\n",
        lang = labels.lang,
        csp = escape(PREVIEW_CSP),
        title = escape(title.trim()),
        css = PREVIEW_CSS,
    );
    doc
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Render a session document as its site page shows it: the one entry point
/// the app's preview and `lectern render` share. `site` supplies the track's
/// title and the profile's roles (a Europe-shaped site's `time_start`,
/// `time_end` and `speakers` list are shown as the time and the speakers);
/// the language comes from the file name.
pub fn render_document(
    site: Option<&crate::site::Site>,
    doc: &crate::document::Document,
    opts: &RenderOptions,
) -> Rendered {
    render_document_with_pages(site, doc, opts, None)
}

/// [`render_document`], with the speakers of a site that keeps one page per
/// speaker shown as its pages give them: after the body, each speaker's
/// name, designation, photo (the page's first `images` entry, through
/// `photo_url` like any image) and bio, all through the same sanitiser as
/// the body. Names the pages do not know are listed by name only.
pub fn render_document_with_pages(
    site: Option<&crate::site::Site>,
    doc: &crate::document::Document,
    opts: &RenderOptions,
    pages: Option<&crate::speaker_pages::SpeakerPages>,
) -> Rendered {
    let f = doc.fields();
    let lang = match site {
        Some(s) => s.session_file_for(doc.path()).lang,
        None => crate::text::lang_of_path(doc.path()).unwrap_or_else(|| "en".into()),
    };
    let track_title = f
        .track
        .as_deref()
        .and_then(|t| site?.track(t))
        .map(|t| t.title(&lang).to_string());
    // Fields by role where the site declares them; the default profile's
    // typed fields otherwise.
    let roles = site
        .filter(|s| s.config.roles.is_some())
        .map(|s| s.config.roles());
    let by_role = |field: &str| doc.get(field).filter(|v| !v.trim().is_empty());
    let (title, date, room, stype, track, speakers) = match &roles {
        Some(r) => {
            let start = by_role(&r.start);
            let end = r.end.as_deref().and_then(by_role);
            let when = start.map(|s| match end {
                Some(e) => {
                    let e = format_date(&e);
                    let s = format_date(&s);
                    // Same day: `2031-06-04 10:00–10:30`.
                    match (s.get(..10), e.get(..10), e.get(11..)) {
                        (Some(a), Some(b), Some(t)) if a == b => format!("{s}–{t}"),
                        _ => format!("{s} – {e}"),
                    }
                }
                None => s,
            });
            let speakers = doc
                .list(&r.speakers)
                .map(|l| l.join(", "))
                .or_else(|| by_role(&r.speakers));
            (
                by_role(&r.title),
                when,
                by_role(&r.room),
                by_role(&r.kind),
                by_role(&r.track),
                speakers,
            )
        }
        None => (
            f.title.clone(),
            f.date.clone(),
            f.room.clone(),
            f.stype.clone(),
            f.track.clone(),
            f.presenters.clone(),
        ),
    };
    let track_title = track_title.or_else(|| {
        let t = track.as_deref()?;
        site?.track(t).map(|t| t.title(&lang).to_string())
    });
    let mut body = doc.body().to_string();
    if let (Some(pages), Some(r)) = (pages, &roles) {
        let names = doc.list(&r.speakers).unwrap_or_default();
        if !names.is_empty() {
            body.push_str(&speaker_pages_markdown(
                &names,
                pages,
                Labels::for_lang(&lang),
            ));
        }
    }
    let input = RenderInput {
        title: title.as_deref().unwrap_or(""),
        presenters: speakers.as_deref().unwrap_or(""),
        date: date.as_deref(),
        room: room.as_deref(),
        stype: stype.as_deref(),
        track: track.as_deref(),
        track_title: track_title.as_deref(),
        speech_link: f.speech_link.as_deref(),
        body: &body,
        lang: &lang,
    };
    render(&input, opts)
}

/// The speakers section a site of speaker pages shows, as Markdown for the
/// body pipeline (which sanitises it and maps the photos): names and
/// designations are escaped text, bios are the pages' own Markdown.
fn speaker_pages_markdown(
    names: &[String],
    pages: &crate::speaker_pages::SpeakerPages,
    labels: &Labels,
) -> String {
    let mut out = format!("\n\n### {}\n", labels.speakers);
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        out.push('\n');
        let page = pages
            .resolve(name)
            .and_then(|p| crate::document::Document::load(&p.path).ok());
        let Some(page) = page else {
            let _ = writeln!(out, "**{}**", escape(name));
            continue;
        };
        let field = |k: &str| {
            page.keys()
                .into_iter()
                .find(|x| x.eq_ignore_ascii_case(k))
                .and_then(|x| page.get(&x))
                .filter(|v| !v.trim().is_empty())
        };
        let photo = page
            .keys()
            .into_iter()
            .find(|x| x.eq_ignore_ascii_case("images"))
            .and_then(|x| page.list(&x))
            .and_then(|l| l.into_iter().next())
            .or_else(|| field("image"));
        if let Some(src) = photo {
            let _ = write!(
                out,
                "<img src=\"/{}\" width=\"200\" /><br>",
                escape(src.trim().trim_start_matches('/'))
            );
        }
        let _ = write!(out, "**{}**", escape(name));
        if let Some(d) = field("designation").or_else(|| field("tagline")) {
            let _ = write!(out, ": {}", escape(&d));
        }
        out.push('\n');
        let bio = page.body().trim();
        if !bio.is_empty() {
            let _ = write!(out, "\n{bio}\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_site_dates_as_day_and_minute() {
        assert_eq!(format_date("2022-07-29T14:00:00"), "2022-07-29 14:00");
        assert_eq!(format_date("2022-07-29T14:00:00+08:00"), "2022-07-29 14:00");
        assert_eq!(format_date("2022-07-29"), "2022-07-29");
        assert_eq!(format_date("next tuesday"), "next tuesday");
    }

    #[test]
    fn accepts_only_photo_protocol_urls_from_photo_url() {
        assert!(is_photo_protocol_url("lectern-photo://localhost/abc"));
        assert!(is_photo_protocol_url("http://lectern-photo.localhost/abc"));
        assert!(!is_photo_protocol_url("http://example.com/abc"));
        assert!(!is_photo_protocol_url("javascript:alert(1)"));
    }

    #[test]
    fn picks_chinese_labels_for_any_zh_variant() {
        assert_eq!(Labels::for_lang("zh-CN").lang, "zh");
        assert_eq!(Labels::for_lang("zh").speakers, "讲师");
        assert_eq!(Labels::for_lang("fr").lang, "en");
    }

    #[test]
    fn stylesheet_cannot_close_its_style_element_or_fetch() {
        assert!(!PREVIEW_CSS.contains("</"));
        assert!(!PREVIEW_CSS.contains("url("));
        assert!(!PREVIEW_CSS.contains("@import"));
    }
}
