//! Site-wide search: titles, presenters and body text of every session file,
//! in every language, for the desktop app's Ctrl+F.
//!
//! Matching ignores case (Unicode lower-casing, so "Ä" finds "ä") and
//! otherwise compares characters as written, so Chinese, Japanese or any
//! other script matches as typed ("网关", "郭奇"). Each hit carries a short
//! snippet cut into the text before, the match and the text after (never
//! HTML: the caller shows it as text), and for a body match the position of
//! the match in the editor's text so the app can put the cursor there.
//! Everything is bounded: the query's length, the hits returned and the
//! hits per file, so a hostile site or query cannot make a search run long.

use crate::body_edit;
use crate::document::Document;
use crate::validate::Loaded;
use serde::Serialize;

/// Queries longer than this (in characters) are cut: nobody types more, and
/// a pasted page must not cost a full scan per character.
pub const MAX_QUERY_CHARS: usize = 200;
/// Body matches listed per file at most (the count still says how many).
pub const MAX_BODY_HITS_PER_FILE: usize = 5;
/// Characters of context on each side of a match in a snippet.
const CONTEXT_CHARS: usize = 40;

/// Where in a session file a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SearchField {
    /// The `title` field.
    Title,
    /// The `presenters` field.
    Presenters,
    /// The Markdown body (speakers' names and bios included).
    Body,
}

/// One match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// The file's session id (its path relative to the site root).
    pub id: String,
    /// The stem shared by the file's twins.
    pub stem: String,
    /// The file's language code.
    pub lang: String,
    /// The file's title (its stem when it has none).
    pub title: String,
    /// Where the match is.
    pub field: SearchField,
    /// Text before the match in the snippet (line breaks shown as spaces).
    pub before: String,
    /// The matched text, as written in the file.
    pub matched: String,
    /// Text after the match in the snippet.
    pub after: String,
    /// 1-based line of the match in the file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    /// For a body match: where it starts in the body as an editor holds it
    /// (`\n` line endings), in UTF-16 code units, as CodeMirror counts.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub body_offset: Option<usize>,
}

/// What a search found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchResults {
    /// The hits: title matches first, then presenters, then bodies, each in
    /// file order; at most the limit asked for.
    pub hits: Vec<SearchHit>,
    /// How many matches there are in all (body matches past the per-file
    /// bound included).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: usize,
    /// How many files have at least one match.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub files: usize,
}

/// `s` lower-cased for matching. ASCII text (most of a site) keeps its
/// byte offsets; elsewhere [`original_offset`] maps a match back.
fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut text = String::with_capacity(s.len());
    for c in s.chars() {
        text.extend(c.to_lowercase());
    }
    text
}

/// The byte offset in `s` of the character whose lower-cased form covers
/// byte `at` of `fold(s)` (`s.len()` past the end). Only called for a
/// match shown, so the walk costs nothing when nothing matches.
fn original_offset(s: &str, at: usize) -> usize {
    if s.is_ascii() {
        return at;
    }
    let mut folded = 0;
    for (i, c) in s.char_indices() {
        folded += c.to_lowercase().map(char::len_utf8).sum::<usize>();
        if folded > at {
            return i;
        }
    }
    s.len()
}

/// The normalised query: trimmed, bounded, lower-cased; `None` when empty.
fn prepare(query: &str) -> Option<String> {
    let q: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
    let q = fold(q.trim());
    (!q.is_empty()).then_some(q)
}

/// Byte ranges in `text` of the non-overlapping matches of the folded
/// query `q`, at most `max` (and how many there are in all).
fn find_all(text: &str, q: &str, max: usize) -> (Vec<(usize, usize)>, usize) {
    let f = fold(text);
    let mut out = Vec::new();
    let mut count = 0;
    let mut from = 0;
    while let Some(pos) = f[from..].find(q) {
        let start = from + pos;
        let end = start + q.len();
        count += 1;
        if out.len() < max {
            // A folded character can be longer than its original: map the
            // match's first and last folded bytes back to whole characters.
            let s = original_offset(text, start);
            let last = original_offset(text, end - 1);
            let e = last + text[last..].chars().next().map_or(0, char::len_utf8);
            out.push((s, e));
        }
        from = end;
    }
    (out, count)
}

/// Up to `n` characters of `s` ending at its end, cut at a character.
fn tail(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &s[i..],
        _ if n == 0 => "",
        _ => s,
    }
}

/// Up to `n` characters of `s` from its start.
fn head(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Line breaks and tabs as spaces, so a snippet is one line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn snippet(text: &str, start: usize, end: usize) -> (String, String, String) {
    let before = tail(&text[..start], CONTEXT_CHARS);
    let after = head(&text[end..], CONTEXT_CHARS);
    let mut b = one_line(before);
    if before.len() < start {
        b.insert(0, '…');
    }
    let mut a = one_line(after);
    if end + after.len() < text.len() {
        a.push('…');
    }
    (b, one_line(&text[start..end]), a)
}

fn hit(
    l: &Loaded,
    doc: &Document,
    title: &str,
    field: SearchField,
    text: &str,
    (s, e): (usize, usize),
) -> SearchHit {
    let (before, matched, after) = snippet(text, s, e);
    let (line, body_offset) = match field {
        SearchField::Body => {
            let at = doc.body_offset() + s;
            let prefix = body_edit::editor_text(&text[..s]);
            (doc.line_col(at).0, Some(body_edit::utf16_len(&prefix)))
        }
        _ => (
            doc.key_line(match field {
                SearchField::Title => "title",
                _ => "presenters",
            })
            .unwrap_or(1),
            None,
        ),
    };
    SearchHit {
        id: l.file.rel.clone(),
        stem: l.file.stem.clone(),
        lang: l.file.lang.clone(),
        title: title.to_string(),
        field,
        before,
        matched,
        after,
        line,
        body_offset,
    }
}

/// Search every session file for `query` (see the module docs); at most
/// `limit` hits are returned, the counts cover all matches.
pub fn search(sessions: &[Loaded], query: &str, limit: usize) -> SearchResults {
    let Some(q) = prepare(query) else {
        return SearchResults::default();
    };
    let mut by_field: [Vec<SearchHit>; 3] = Default::default();
    let mut total = 0;
    let mut files = 0;
    for l in sessions {
        let Some(doc) = l.doc.as_ref() else {
            continue;
        };
        let fields = doc.fields_ref();
        let title = fields
            .and_then(|f| f.title.as_deref())
            .unwrap_or(&l.file.stem);
        let mut found = false;
        let scalar = [
            (SearchField::Title, fields.and_then(|f| f.title.as_deref())),
            (
                SearchField::Presenters,
                fields.and_then(|f| f.presenters.as_deref()),
            ),
        ];
        for (field, value) in scalar {
            let Some(v) = value else { continue };
            let (ranges, n) = find_all(v, &q, 1);
            if let Some(&r) = ranges.first() {
                total += n;
                found = true;
                // Hits past the limit are counted, not built (no snippet).
                if by_field[field as usize].len() < limit {
                    by_field[field as usize].push(hit(l, doc, title, field, v, r));
                }
            }
        }
        let body = doc.body();
        let room = limit.saturating_sub(by_field[2].len());
        let (ranges, n) = find_all(body, &q, MAX_BODY_HITS_PER_FILE.min(room));
        total += n;
        found |= n > 0;
        for r in ranges {
            by_field[2].push(hit(l, doc, title, SearchField::Body, body, r));
        }
        files += usize::from(found);
    }
    let hits = by_field.into_iter().flatten().take(limit).collect();
    SearchResults { hits, total, files }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::SessionFile;
    use std::path::PathBuf;

    fn loaded(rel: &str, lang: &str, text: &str) -> Loaded {
        let stem = rel
            .rsplit('/')
            .next()
            .unwrap()
            .split('.')
            .next()
            .unwrap()
            .to_string();
        Loaded {
            file: SessionFile {
                path: PathBuf::from("/site").join(rel),
                rel: rel.to_string(),
                stem,
                lang: lang.to_string(),
                track: None,
                id: None,
            },
            doc: Some(Document::from_text(
                PathBuf::from("/site").join(rel),
                text.to_string(),
            )),
        }
    }

    fn site() -> Vec<Loaded> {
        vec![
            loaded(
                "content/sessions/ai-1.md",
                "en",
                "---\ntitle: \"API Gateways at Scale\"\npresenters: \"Guo Qi\"\n---\nWe run a gateway.\n\n### Speakers:\nGuo Qi: engineer\n",
            ),
            loaded(
                "content/sessions/ai-1.zh.md",
                "zh",
                "---\ntitle: \"大规模 API 网关\"\npresenters: \"郭奇\"\n---\n我们运行一个网关。\r\n\r\n### 讲师:\r\n郭奇: 工程师\r\n",
            ),
            loaded(
                "content/sessions/db-2.md",
                "en",
                "---\ntitle: \"Databases\"\npresenters: \"Ada Park\"\n---\nNothing about gateways here? GATEWAY.\n",
            ),
        ]
    }

    #[test]
    fn chinese_titles_and_names_are_found_as_typed() {
        let r = search(&site(), "网关", 100);
        assert_eq!(r.files, 1);
        let first = &r.hits[0];
        assert_eq!(first.field, SearchField::Title);
        assert_eq!(first.id, "content/sessions/ai-1.zh.md");
        assert_eq!(
            (
                first.before.as_str(),
                first.matched.as_str(),
                first.after.as_str()
            ),
            ("大规模 API ", "网关", "")
        );
        let names = search(&site(), "郭奇", 100);
        let fields: Vec<_> = names.hits.iter().map(|h| h.field).collect();
        assert_eq!(fields, [SearchField::Presenters, SearchField::Body]);
        assert_eq!(names.total, 2);
    }

    #[test]
    fn case_is_ignored_and_titles_come_before_bodies() {
        let r = search(&site(), "  GateWay ", 100);
        let got: Vec<_> = r
            .hits
            .iter()
            .map(|h| (h.id.as_str(), h.field, h.matched.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("content/sessions/ai-1.md", SearchField::Title, "Gateway"),
                ("content/sessions/ai-1.md", SearchField::Body, "gateway"),
                ("content/sessions/db-2.md", SearchField::Body, "gateway"),
                ("content/sessions/db-2.md", SearchField::Body, "GATEWAY"),
            ]
        );
        assert_eq!(r.total, 4);
        assert_eq!(r.files, 2);
    }

    #[test]
    fn a_body_hit_knows_its_line_and_editor_offset() {
        let r = search(&site(), "工程师", 100);
        assert_eq!(r.hits.len(), 1);
        let h = &r.hits[0];
        assert_eq!(h.field, SearchField::Body);
        assert_eq!(h.line, 8);
        // The editor's body has "\n" for "\r\n": count in it, in UTF-16 units.
        let editor = "我们运行一个网关。\n\n### 讲师:\n郭奇: ";
        assert_eq!(h.body_offset, Some(editor.encode_utf16().count()));
        assert_eq!(h.before, "我们运行一个网关。    ### 讲师:  郭奇: ");
        assert_eq!(h.after, "  ");
    }

    #[test]
    fn long_context_is_cut_with_an_ellipsis_at_a_character() {
        let long = format!(
            "---\ntitle: \"T\"\n---\n{}needle{}\n",
            "字".repeat(100),
            "x".repeat(100)
        );
        let r = search(
            &[loaded("content/sessions/a-1.md", "en", &long)],
            "NEEDLE",
            10,
        );
        let h = &r.hits[0];
        assert_eq!(h.before, format!("…{}", "字".repeat(CONTEXT_CHARS)));
        assert_eq!(h.after, format!("{}…", "x".repeat(CONTEXT_CHARS)));
        assert_eq!(h.matched, "needle");
    }

    #[test]
    fn letters_that_grow_when_lower_cased_map_back_to_the_original() {
        // "İ" lower-cases to two characters; the match must still cut the
        // original at character boundaries.
        let text = "---\ntitle: \"İstanbul İSTANBUL\"\n---\n";
        let r = search(
            &[loaded("content/sessions/a-1.md", "tr", text)],
            "stanbul",
            10,
        );
        assert_eq!(r.hits[0].matched, "stanbul");
        assert_eq!(r.hits[0].before, "İ");
        let whole = search(
            &[loaded("content/sessions/a-1.md", "tr", text)],
            "i̇stanbul",
            10,
        );
        assert_eq!(whole.hits[0].matched, "İstanbul");
    }

    #[test]
    fn past_the_limit_matches_are_counted_and_titles_still_come_first() {
        let files: Vec<Loaded> = (0..10)
            .map(|i| {
                loaded(
                    &format!("content/sessions/a-{i}.md"),
                    "en",
                    "---\ntitle: \"Gateway\"\n---\ngateway gateway\n",
                )
            })
            .collect();
        let r = search(&files, "gateway", 4);
        assert_eq!((r.total, r.files), (30, 10));
        let fields: Vec<_> = r.hits.iter().map(|h| h.field).collect();
        assert_eq!(fields, [SearchField::Title; 4]);
        let r = search(&files, "gateway", 12);
        assert_eq!(r.hits.len(), 12);
        assert_eq!(r.hits[10].field, SearchField::Body);
        assert_eq!(r.hits[10].id, "content/sessions/a-0.md");
    }

    #[test]
    fn an_empty_query_finds_nothing_and_limits_hold() {
        assert_eq!(search(&site(), "   ", 10), SearchResults::default());
        let many = format!("---\ntitle: \"T\"\n---\n{}\n", "ab ".repeat(50));
        let r = search(&[loaded("content/sessions/a-1.md", "en", &many)], "ab", 3);
        assert_eq!(r.total, 50);
        assert_eq!(r.hits.len(), 3);
        let r = search(&[loaded("content/sessions/a-1.md", "en", &many)], "ab", 100);
        assert_eq!(r.hits.len(), MAX_BODY_HITS_PER_FILE);
        let long_query = "a".repeat(10_000);
        assert_eq!(search(&site(), &long_query, 10).total, 0);
    }
}
