//! An independent check that rendered HTML cannot run script or fetch from
//! an unexpected place: defence in depth behind ammonia, for tests and
//! fuzzers.
//!
//! It re-parses the output with html5ever exactly as a browser would (entity
//! decoding, foster parenting, foreign content) and inspects the tree, so it
//! judges what a browser would build rather than the text ammonia wrote.

use html5ever::{ns, Attribute};
use url::Url;

use super::dom::{self, Dom, NodeId, NodeKind};

/// URL schemes that may appear in `href` or `src`.
pub const ALLOWED_OUTPUT_SCHEMES: [&str; 4] = ["http", "https", "mailto", "lectern-photo"];

/// Elements that are never acceptable anywhere: they run script, embed other
/// documents, submit data, change how the rest is parsed, or carry foreign
/// (SVG/MathML) content.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "param",
    "form",
    "input",
    "button",
    "select",
    "option",
    "textarea",
    "keygen",
    "isindex",
    "svg",
    "math",
    "base",
    "link",
    "template",
    "noscript",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
    "portal",
    "fencedframe",
    "video",
    "audio",
    "source",
    "track",
    "picture",
    "canvas",
    "dialog",
    "slot",
    "image",
    "style",
    "meta",
    "title",
];

/// Elements a standalone document may have in its `<head>`.
const HEAD_ELEMENTS: &[&str] = &["meta", "style", "title"];

/// Attributes that fetch, submit or execute, so never acceptable.
const FORBIDDEN_ATTRIBUTES: &[&str] = &[
    "style",
    "srcset",
    "imagesrcset",
    "formaction",
    "action",
    "background",
    "dynsrc",
    "lowsrc",
    "poster",
    "ping",
    "codebase",
    "classid",
    "data",
    "archive",
    "longdesc",
    "usemap",
    "manifest",
    "xmlns",
    "http-equiv",
    "srcdoc",
    "is",
    "attributename",
    "values",
    "from",
    "to",
    "by",
    "begin",
    "xlink:href",
    "shadowrootmode",
];

/// Checks that `html` (a fragment, or a standalone document starting with
/// `<!DOCTYPE`) contains no active content.
///
/// Fails, listing up to ten findings, if the parsed tree has: any script,
/// frame, plugin, form, style (outside a standalone `<head>`), SVG, MathML,
/// base, meta or link element; any element outside the HTML namespace; any
/// attribute whose name starts with `on`; any `style`, `srcset`,
/// `formaction`, `xlink:href` or similar attribute; an `href`/`src`/`cite`
/// whose scheme, after entity decoding and the URL parser's trimming, is not
/// one of [`ALLOWED_OUTPUT_SCHEMES`] (relative URLs fail too: rendered output
/// never needs them); or a comment.
pub fn assert_no_active_content(html: &str) -> Result<(), String> {
    let standalone = html
        .trim_start()
        .get(..9)
        .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype"));
    let dom = if standalone {
        dom::parse_document(html)
    } else {
        dom::parse_fragment(html)
    };
    let root = if standalone { 0 } else { dom.fragment_root() };
    let mut findings = Vec::new();
    for id in dom.descendants(root) {
        check_node(&dom, id, standalone, &mut findings);
    }
    if findings.is_empty() {
        Ok(())
    } else {
        let total = findings.len();
        findings.truncate(10);
        if total > 10 {
            findings.push(format!("... and {} more", total - 10));
        }
        Err(findings.join("; "))
    }
}

fn check_node(dom: &Dom, id: NodeId, standalone: bool, findings: &mut Vec<String>) {
    match &dom.nodes[id].kind {
        NodeKind::Comment => findings.push("a comment survived".to_owned()),
        NodeKind::Element { name, attrs, .. } => {
            let local = (*name.local).to_ascii_lowercase();
            if name.ns != ns!(html) {
                findings.push(format!(
                    "<{local}> is outside the HTML namespace ({})",
                    name.ns
                ));
            }
            let in_head = standalone && parent_is(dom, id, "head");
            if in_head && HEAD_ELEMENTS.contains(&local.as_str()) {
                check_head_element(dom, id, &local, attrs, findings);
            } else if FORBIDDEN_ELEMENTS.contains(&local.as_str()) {
                findings.push(format!("<{local}> element"));
            }
            for attr in attrs {
                if !(in_head && local == "meta") {
                    check_attribute(&local, attr, findings);
                }
            }
        }
        NodeKind::Document | NodeKind::Doctype | NodeKind::Text(_) => {}
    }
}

fn parent_is(dom: &Dom, id: NodeId, wanted: &str) -> bool {
    dom.nodes[id]
        .parent
        .and_then(|p| dom.element_name(p))
        .is_some_and(|n| n.ns == ns!(html) && &*n.local == wanted)
}

/// The head of a standalone document may hold our charset/viewport/CSP
/// metas, a title and the inlined stylesheet; nothing there may fetch.
fn check_head_element(
    dom: &Dom,
    id: NodeId,
    local: &str,
    attrs: &[Attribute],
    findings: &mut Vec<String>,
) {
    match local {
        "meta" => {
            for attr in attrs {
                let name = (*attr.name.local).to_ascii_lowercase();
                let value = attr.value.trim().to_ascii_lowercase();
                let ok = match name.as_str() {
                    "charset" => value == "utf-8",
                    "name" => value == "viewport" || value == "color-scheme",
                    "http-equiv" => value == "content-security-policy",
                    "content" => true,
                    _ => false,
                };
                if !ok {
                    findings.push(format!("<meta {name}=\"{value}\"> in head"));
                }
            }
        }
        "style" => {
            let css = dom.text_content(id).to_ascii_lowercase();
            for needle in [
                "url(",
                "@import",
                "expression(",
                "javascript:",
                "behavior",
                "-moz-binding",
                "image-set(",
            ] {
                if css.contains(needle) {
                    findings.push(format!("stylesheet contains `{needle}`"));
                }
            }
        }
        _ => {}
    }
}

fn check_attribute(element: &str, attr: &Attribute, findings: &mut Vec<String>) {
    let local = (*attr.name.local).to_ascii_lowercase();
    let full = match &attr.name.prefix {
        Some(prefix) => format!("{prefix}:{local}"),
        None => local.clone(),
    };
    if local.starts_with("on") {
        findings.push(format!("<{element} {full}> event handler"));
    } else if FORBIDDEN_ATTRIBUTES.contains(&full.as_str())
        || FORBIDDEN_ATTRIBUTES.contains(&local.as_str())
        || attr.name.ns != ns!()
    {
        findings.push(format!("<{element} {full}> attribute"));
    } else if matches!(local.as_str(), "href" | "src" | "cite") {
        if let Err(why) = check_url(&attr.value) {
            findings.push(format!("<{element} {full}=\"{}\">: {why}", attr.value));
        }
    }
}

/// Accepts only absolute URLs with an allowed scheme, judged twice: by the
/// WHATWG URL parser (what browsers use) and by a blunt prefix test after
/// removing every whitespace and control character.
fn check_url(value: &str) -> Result<(), String> {
    match Url::parse(value) {
        Ok(url) if ALLOWED_OUTPUT_SCHEMES.contains(&url.scheme()) => {}
        Ok(url) => return Err(format!("scheme `{}` is not allowed", url.scheme())),
        Err(e) => return Err(format!("not an absolute URL ({e})")),
    }
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if ALLOWED_OUTPUT_SCHEMES
        .iter()
        .any(|s| squeezed.starts_with(s) && squeezed[s.len()..].starts_with(':'))
    {
        Ok(())
    } else {
        Err("does not start with an allowed scheme once whitespace is removed".to_owned())
    }
}

/// Checklist A2 (mutation XSS): `html`, parsed the way the preview's
/// browser parses a fragment and serialised again, must come back
/// unchanged. The sanitiser checked one tree; if the browser would build
/// another from the same text (the mXSS pattern: namespace confusion,
/// `<noscript>`, `<template>`, foster parenting), the texts differ. Returns
/// the first differing position with context.
pub fn assert_reparse_stable(html: &str) -> Result<(), String> {
    let dom = super::dom::parse_fragment(html);
    let again = dom.serialize_children(dom.fragment_root());
    if again == html {
        return Ok(());
    }
    let at = html
        .char_indices()
        .zip(again.chars())
        .find(|((_, a), b)| a != b)
        .map_or(html.len().min(again.len()), |((i, _), _)| i);
    let context = |s: &str| {
        let mut start = at.saturating_sub(40).min(s.len());
        while !s.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + 60).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        s.get(start..end).unwrap_or("").to_string()
    };
    Err(format!(
        "re-parsing the sanitised HTML changes it at byte {at}: {:?} became {:?}",
        context(html),
        context(&again)
    ))
}
