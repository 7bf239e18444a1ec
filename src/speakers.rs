//! The speakers section of a session body, as a list.
//!
//! Real files write it many ways: `### Speakers:`, ` ### 讲师: ` (with stray
//! spaces), `## 演讲嘉宾`; a photo as `<img src=…><br>` on the name line, on a
//! line of its own, or as a Markdown image; "Name: headline" with an ASCII or
//! full-width colon. Parsing keeps each speaker's exact text, and writing the
//! list back reuses that text for speakers that did not change and the
//! section's own style for the ones that did.

use crate::front_matter::{line_ranges, strip_eol};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::LazyLock;

/// One speaker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Speaker {
    /// Photo source as written (URL or site path).
    pub photo: Option<String>,
    /// The speaker's name.
    pub name: String,
    /// The text after "Name:" on the name line.
    pub headline: String,
    /// Further lines.
    pub bio: String,
}

impl Speaker {
    /// Whether every part is blank.
    pub fn is_empty(&self) -> bool {
        self.photo.as_deref().is_none_or(|p| p.trim().is_empty())
            && self.name.trim().is_empty()
            && self.headline.trim().is_empty()
            && self.bio.trim().is_empty()
    }
}

/// The parsed section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakersSection {
    /// The heading text, such as `Speakers` or `讲师`.
    pub heading: String,
    /// Byte range of the whole section in the body (heading included).
    pub range: Range<usize>,
    /// 1-based body line of the heading.
    pub heading_line: usize,
    /// The speakers in order.
    pub speakers: Vec<Speaker>,
    /// 1-based body line where each speaker starts.
    pub lines: Vec<usize>,
    #[serde(skip)]
    raw: Vec<String>,
    #[serde(skip)]
    style: Style,
    #[serde(skip)]
    lead: String,
    #[serde(skip)]
    separators: Vec<String>,
    #[serde(skip)]
    trailer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Style {
    indent: String,
    img_prefix: String,
    img_suffix: String,
    name_on_img_line: bool,
    /// Blank lines between a photo line and the name line below it.
    img_gap: String,
    /// Blank lines between the name line and the bio.
    bio_gap: String,
    sep: String,
    eol: &'static str,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[ \t]{0,3}(#{1,6})[ \t]*(speakers?|speaker\(s\)|presenters?|讲师|讲者|演讲嘉宾|分享嘉宾|嘉宾|演讲者)[ \t]*[:：]?[ \t]*$")
        .expect("static regex")
});
static ANY_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]{0,3}(#{1,6})[ \t]").expect("static regex"));
static HTML_IMG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>"#)
        .expect("static regex")
});
static MD_IMG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)").expect("static regex"));
static BR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(<br\s*/?>\s*)+").expect("static regex"));

/// The headings Lectern writes when a body has no speakers section yet.
pub fn default_heading(lang: Option<&str>) -> &'static str {
    match lang {
        Some(l) if l.starts_with("zh") => "### 讲师:",
        _ => "### Speakers:",
    }
}

/// Find an image in a line: (src, byte range of the src value, byte range of the tag).
fn find_image(line: &str) -> Option<(String, Range<usize>, Range<usize>)> {
    // Cheap test first: most lines hold no image at all.
    if !line.contains('<') && !line.contains("![") {
        return None;
    }
    if let Some(c) = HTML_IMG.captures(line) {
        let m = c.get(1).or(c.get(2)).or(c.get(3))?;
        let all = c.get(0)?;
        return Some((m.as_str().to_string(), m.range(), all.range()));
    }
    let c = MD_IMG.captures(line)?;
    let m = c.get(1)?;
    let all = c.get(0)?;
    Some((m.as_str().to_string(), m.range(), all.range()))
}

/// Split "Name: headline" (ASCII or full-width colon, else a comma, with a
/// shorter name allowed before a comma since commas also appear in headlines).
/// Returns (name, headline, separator as written).
fn split_name(line: &str) -> (String, String, String) {
    let split_at = |seps: [&str; 2], max_name: usize| {
        seps.iter().find_map(|sep| {
            let i = line.find(sep)?;
            let name = line[..i].trim();
            (!name.is_empty() && name.chars().count() <= max_name).then(|| {
                let after = &line[i + sep.len()..];
                let gap = &after[..after.len() - after.trim_start().len()];
                (
                    name.to_string(),
                    after.trim().to_string(),
                    format!("{sep}{gap}"),
                )
            })
        })
    };
    split_at([":", "："], 60)
        .or_else(|| split_at([",", "，"], 40))
        .unwrap_or_else(|| (line.trim().to_string(), String::new(), ": ".into()))
}

/// Whether a line reads as "Name: headline": a short name of at most four
/// words, without digits or sentence punctuation, before an ASCII or
/// full-width colon.
fn looks_like_name_line(line: &str) -> bool {
    let t = line.trim();
    let Some(i) = t.find([':', '：']) else {
        return false;
    };
    let name = t[..i].trim();
    // "Albumen Kevin (江河清)": a name in another script in parentheses.
    let name = match name.find(['(', '（']) {
        Some(p) if name.ends_with([')', '）']) => name[..p].trim(),
        _ => name,
    };
    let colon = t[i..].chars().next().map_or(1, char::len_utf8);
    let headline = t[i + colon..].trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    let plain = !name.chars().any(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '.' | '。' | ',' | '，' | '(' | ')' | '<' | '>' | '*' | '#' | '/'
            )
    });
    // Latin names: one to four capitalised words; CJK names: a few characters.
    let shaped = if name.is_ascii() {
        (1..=4).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    } else {
        name.chars().count() <= 6 && !name.chars().any(|c| c.is_ascii_alphabetic())
    };
    !headline.is_empty() && plain && shaped
}

/// Parse the speakers section of a body.
pub fn parse(body: &str) -> Option<SpeakersSection> {
    let lines: Vec<Range<usize>> = line_ranges(body).collect();
    let h = lines.iter().position(|r| {
        let l = strip_eol(&body[r.clone()]);
        l.trim_start().starts_with('#') && HEADING.is_match(l)
    })?;
    let head_line = strip_eol(&body[lines[h].clone()]);
    let caps = HEADING.captures(head_line)?;
    let level = caps.get(1).map_or(3, |m| m.as_str().len());
    let heading = caps.get(2).map_or("", |m| m.as_str()).to_string();
    let end = (h + 1..lines.len())
        .find(|&i| {
            ANY_HEADING
                .captures(strip_eol(&body[lines[i].clone()]))
                .is_some_and(|c| c[1].len() <= level)
        })
        .unwrap_or(lines.len());
    let items = &lines[h + 1..end];
    let text = |r: &Range<usize>| strip_eol(&body[r.clone()]);
    let blank = |r: &Range<usize>| text(r).trim().is_empty();
    let has_images = items.iter().any(|r| find_image(text(r)).is_some());
    // Without photos, a section whose first text is "Name: headline" starts a
    // speaker at each such line, blank line before it or not; the paragraphs
    // between are that speaker's bio. Otherwise each paragraph is a speaker.
    let by_name_lines = !has_images
        && items
            .iter()
            .find(|r| !blank(r))
            .is_some_and(|r| looks_like_name_line(text(r)));
    let mut starts: Vec<usize> = Vec::new();
    // Whether the current speaker so far is a photo line with no name yet:
    // then the next "Name: headline" paragraph is that speaker's name (the
    // 2025 style: photo, blank line, name), not a new speaker.
    let mut awaiting_name = false;
    for i in 0..items.len() {
        let t = text(&items[i]);
        if has_images {
            if let Some((_, _, tag)) = find_image(t) {
                starts.push(i);
                awaiting_name = BR.replace(&t[tag.end..], "").trim().is_empty()
                    && t[..tag.start].trim().is_empty();
                continue;
            }
            if blank(&items[i]) {
                continue;
            }
            // A speaker without a photo among speakers with photos starts
            // at a "Name: headline" paragraph after a blank line.
            if !awaiting_name && i > 0 && blank(&items[i - 1]) && looks_like_name_line(t) {
                starts.push(i);
            }
            awaiting_name = false;
        } else if by_name_lines {
            if !blank(&items[i]) && looks_like_name_line(text(&items[i])) {
                starts.push(i);
            }
        } else if !blank(&items[i]) && (i == 0 || blank(&items[i - 1])) {
            starts.push(i);
        }
    }
    let section_end = lines.get(end).map_or(body.len(), |r| r.start);
    let first_start = starts.first().map_or(section_end, |&s| items[s].start);
    let lead = body[lines[h].end..first_start].to_string();
    let mut speakers = Vec::new();
    let mut raw = Vec::new();
    let mut line_nos = Vec::new();
    let mut raw_ends = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let stop = starts.get(k + 1).copied().unwrap_or(items.len());
        let last = (s..stop).rev().find(|&i| !blank(&items[i])).unwrap_or(s);
        let chunk = &items[s..=last];
        raw.push(body[chunk[0].start..chunk[chunk.len() - 1].end].to_string());
        raw_ends.push(chunk[chunk.len() - 1].end);
        line_nos.push(h + 2 + s);
        speakers.push(speaker_of(chunk.iter().map(text).collect()));
    }
    let separators: Vec<String> = (1..starts.len())
        .map(|k| body[raw_ends[k - 1]..items[starts[k]].start].to_string())
        .collect();
    let trailer = raw_ends
        .last()
        .map_or(String::new(), |&e| body[e..section_end].to_string());
    let mut style = style_of(
        body,
        &lines[h],
        starts.first().map(|&s| items[s].clone()),
        items,
    );
    style.bio_gap = bio_gap(&raw);
    Some(SpeakersSection {
        heading,
        range: lines[h].start..section_end,
        heading_line: h + 1,
        speakers,
        lines: line_nos,
        raw,
        style,
        lead,
        separators,
        trailer,
    })
}

/// The blank lines the section writes between a speaker's name line and
/// the bio, read from the first speaker that has a bio.
fn bio_gap(raw: &[String]) -> String {
    for chunk in raw {
        let eol = if chunk.contains("\r\n") { "\r\n" } else { "\n" };
        let lines: Vec<&str> = chunk.lines().collect();
        // The name line is the first line with text other than a photo.
        let Some(name) = lines.iter().position(|l| {
            let rest = match find_image(l) {
                Some((_, _, tag)) => {
                    format!("{}{}", &l[..tag.start], BR.replace(&l[tag.end..], ""))
                }
                None => l.to_string(),
            };
            !rest.trim().is_empty()
        }) else {
            continue;
        };
        if let Some(bio) = (name + 1..lines.len()).find(|&i| !lines[i].trim().is_empty()) {
            return eol.repeat(bio - name - 1);
        }
    }
    String::new()
}

fn speaker_of(lines: Vec<&str>) -> Speaker {
    let mut photo = None;
    let mut rest: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 0 {
            if let Some((src, _, tag)) = find_image(l) {
                photo = Some(src);
                let after = BR.replace(&l[tag.end..], "").to_string();
                let before = l[..tag.start].trim();
                let t = format!("{before}{after}");
                if !t.trim().is_empty() {
                    rest.push(t.trim().to_string());
                }
                continue;
            }
        }
        // A leading `<br>` (`<img …>` then `<br>Name: headline`) is layout, not text.
        rest.push(BR.replace(l, "").trim().to_string());
    }
    // Skip blank lines before the name line; the first text line is "Name: headline".
    let mut it = rest.into_iter().skip_while(|l| l.is_empty());
    let (name, headline) = match it.next() {
        Some(first) => {
            let (n, h, _) = split_name(&first);
            (n, h)
        }
        None => (String::new(), String::new()),
    };
    let bio: Vec<String> = it.collect();
    let bio = bio.join("\n").trim().to_string();
    Speaker {
        photo,
        name,
        headline,
        bio,
    }
}

fn style_of(
    body: &str,
    heading: &Range<usize>,
    first: Option<Range<usize>>,
    items: &[Range<usize>],
) -> Style {
    let head = &body[heading.clone()];
    let eol = if head.ends_with("\r\n") { "\r\n" } else { "\n" };
    let head_indent: String = head
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let mut st = Style {
        indent: head_indent,
        img_prefix: "<img src=\"".into(),
        img_suffix: "\" width=\"200\" /><br>".into(),
        name_on_img_line: true,
        img_gap: String::new(),
        bio_gap: String::new(),
        sep: ": ".into(),
        eol,
    };
    let Some(first) = first else { return st };
    let l = strip_eol(&body[first.clone()]);
    st.indent = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    if let Some((_, src, tag)) = find_image(l) {
        let after_tag = &l[tag.end..];
        let br = BR.find(after_tag).map_or(0, |m| m.end());
        st.img_prefix = l[st.indent.len()..src.start].to_string();
        st.img_suffix = format!("{}{}", &l[src.end..tag.end], &after_tag[..br]);
        st.name_on_img_line = !after_tag[br..].trim().is_empty();
        if !st.name_on_img_line {
            st.img_suffix = l[src.end..tag.end].to_string();
        }
        let name_line = if st.name_on_img_line {
            Some(after_tag[br..].to_string())
        } else {
            let below: Vec<String> = items
                .iter()
                .skip_while(|r| r.start <= first.start)
                .map(|r| strip_eol(&body[r.clone()]).to_string())
                .collect();
            let gap = below.iter().take_while(|t| t.trim().is_empty()).count();
            st.img_gap = st.eol.repeat(gap);
            below.into_iter().find(|t| !t.trim().is_empty())
        };
        if let Some(n) = name_line {
            st.sep = split_name(&n).2;
        }
    } else {
        st.sep = split_name(l.trim()).2;
    }
    st
}

impl SpeakersSection {
    fn render(&self, s: &Speaker) -> String {
        let st = &self.style;
        let name_line = if s.headline.is_empty() {
            s.name.clone()
        } else {
            format!("{}{}{}", s.name, st.sep, s.headline)
        };
        let mut out = String::new();
        match &s.photo {
            Some(p) if st.name_on_img_line => {
                out.push_str(&format!(
                    "{}{}{}{}{}{}",
                    st.indent, st.img_prefix, p, st.img_suffix, name_line, st.eol
                ));
            }
            Some(p) => {
                out.push_str(&format!(
                    "{}{}{}{}{}{}",
                    st.indent, st.img_prefix, p, st.img_suffix, st.eol, st.img_gap
                ));
                out.push_str(&format!("{}{}{}", st.indent, name_line, st.eol));
            }
            None => out.push_str(&format!("{}{}{}", st.indent, name_line, st.eol)),
        }
        if !s.bio.is_empty() {
            out.push_str(&st.bio_gap);
        }
        for l in s.bio.lines() {
            out.push_str(l);
            out.push_str(st.eol);
        }
        out
    }
}

/// Write `list` into `body`'s speakers section (adding one at the end when
/// there is none) and return the new body.
pub fn write(body: &str, list: &[Speaker], lang: Option<&str>) -> String {
    let Some(sec) = parse(body) else {
        if list.is_empty() {
            return body.to_string();
        }
        let eol = crate::text::dominant_eol(body);
        let mut out = body.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        if !out.trim().is_empty() {
            out.push_str(eol);
        }
        out.push_str(default_heading(lang));
        out.push_str(eol);
        let sec = parse(&out).expect("the heading just written parses");
        let chunks: Vec<String> = list.iter().map(|s| sec.render(s)).collect();
        out.push_str(&chunks.join(eol));
        return out;
    };
    let eol = sec.style.eol;
    let mut used = vec![false; sec.speakers.len()];
    let mut chunks: Vec<String> = list
        .iter()
        .map(
            |s| match (0..sec.speakers.len()).find(|&i| !used[i] && &sec.speakers[i] == s) {
                Some(i) => {
                    used[i] = true;
                    sec.raw[i].clone()
                }
                None => sec.render(s),
            },
        )
        .collect();
    let n = chunks.len();
    for c in chunks.iter_mut().take(n.saturating_sub(1)) {
        if !c.ends_with('\n') {
            c.push_str(eol);
        }
    }
    // Gaps between speakers keep their original text position by position.
    let default_sep = sec
        .separators
        .first()
        .cloned()
        .unwrap_or_else(|| eol.to_string());
    let trailer = if n > 0
        && !chunks[n - 1].ends_with('\n')
        && !sec.trailer.is_empty()
        && !sec.trailer.starts_with('\n')
        && !sec.trailer.starts_with("\r\n")
    {
        format!("{eol}{}", sec.trailer)
    } else {
        sec.trailer.clone()
    };
    let head = &body[sec.range.start
        ..sec.range.start
            + line_ranges(&body[sec.range.start..])
                .next()
                .map_or(0, |r| r.end)];
    let mut out = String::with_capacity(body.len() + 256);
    out.push_str(&body[..sec.range.start]);
    out.push_str(head);
    out.push_str(&sec.lead);
    for (k, c) in chunks.iter().enumerate() {
        if k > 0 {
            out.push_str(sec.separators.get(k - 1).unwrap_or(&default_sep));
        }
        out.push_str(c);
    }
    out.push_str(&trailer);
    out.push_str(&body[sec.range.end..]);
    out
}

/// Byte range, in `body`, of the photo source of speaker `index` (the value
/// inside `src="…"` or the Markdown image's target), so that replacing a
/// photo changes those bytes and nothing else. `None` when there is no such
/// speaker or it has no photo.
pub fn photo_src_range(body: &str, index: usize) -> Option<Range<usize>> {
    let sec = parse(body)?;
    sec.speakers.get(index)?.photo.as_ref()?;
    let line_no = *sec.lines.get(index)?;
    let line = line_ranges(body).nth(line_no.checked_sub(1)?)?;
    let (_, src, _) = find_image(strip_eol(&body[line.clone()]))?;
    Some(line.start + src.start..line.start + src.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Abstract.\n ### Speakers: \n <img src=\"images/speaker/a.png\" width=\"200\" /><br>Ann Lee: PMC member\n\n <img src=\"https://x/b.jpg\" width=\"200\" /><br>Bo Chen, Engineer @ X\nLikes tea.\n";

    #[test]
    fn parses_photos_names_headlines_and_bios() {
        let s = parse(BODY).unwrap();
        assert_eq!(s.heading, "Speakers");
        assert_eq!(s.speakers.len(), 2);
        assert_eq!(s.speakers[0].photo.as_deref(), Some("images/speaker/a.png"));
        assert_eq!(
            (s.speakers[0].name.as_str(), s.speakers[0].headline.as_str()),
            ("Ann Lee", "PMC member")
        );
        assert_eq!(
            (s.speakers[1].name.as_str(), s.speakers[1].bio.as_str()),
            ("Bo Chen", "Likes tea.")
        );
        assert_eq!(s.lines, vec![3, 5]);
    }

    #[test]
    fn finds_the_byte_range_of_each_speakers_photo_source() {
        let a = photo_src_range(BODY, 0).unwrap();
        assert_eq!(&BODY[a], "images/speaker/a.png");
        let b = photo_src_range(BODY, 1).unwrap();
        assert_eq!(&BODY[b], "https://x/b.jpg");
        assert_eq!(photo_src_range(BODY, 2), None);
        let md = "### Speakers:\r\n![Ann](img/a.png)\r\nAnn: Chair\r\n";
        assert_eq!(&md[photo_src_range(md, 0).unwrap()], "img/a.png");
        assert_eq!(photo_src_range("### Speakers:\nAnn: Chair\n", 0), None);
    }

    #[test]
    fn unchanged_list_writes_the_same_body() {
        let s = parse(BODY).unwrap();
        assert_eq!(write(BODY, &s.speakers, None), BODY);
    }

    #[test]
    fn adding_a_speaker_uses_the_section_style_and_keeps_the_others() {
        let s = parse(BODY).unwrap();
        let mut list = s.speakers.clone();
        list.push(Speaker {
            photo: Some("https://x/c.jpg".into()),
            name: "Cy".into(),
            headline: "Chair".into(),
            bio: String::new(),
        });
        let out = write(BODY, &list, None);
        assert_eq!(
            out,
            format!("{BODY}\n <img src=\"https://x/c.jpg\" width=\"200\" /><br>Cy: Chair\n")
        );
        list.swap(0, 1);
        let swapped = write(BODY, &list, None);
        assert!(swapped.find("Bo Chen").unwrap() < swapped.find("Ann Lee").unwrap());
        assert_eq!(parse(&swapped).unwrap().speakers, list);
    }

    #[test]
    fn chinese_headings_and_standalone_image_lines() {
        let b = "x\n## 演讲嘉宾\n\n<img src=\"p.png\" width=\"200\"/>\n\n\n王峰，研究员。\n更多介绍。\n";
        let s = parse(b).unwrap();
        assert_eq!(s.heading, "演讲嘉宾");
        assert_eq!(s.speakers[0].name, "王峰");
        assert_eq!(s.speakers[0].headline, "研究员。");
        assert_eq!(s.speakers[0].bio, "更多介绍。");
    }

    #[test]
    fn a_speaker_without_photo_among_photos_is_its_own_speaker() {
        let b = "### Speakers:\n<img src=\"a.png\" /><br>Ann: Chair\nShe leads.\n\nBo Li: Engineer\n\n<img src=\"c.png\" /><br>Cy: PMC\n";
        let s = parse(b).unwrap();
        let names: Vec<&str> = s.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ann", "Bo Li", "Cy"]);
        assert_eq!(s.speakers[1].photo, None);
        assert_eq!(write(b, &s.speakers, None), b);
        // A written photo-less speaker reads back as one.
        let mut list = s.speakers.clone();
        list.push(Speaker {
            name: "Dee".into(),
            headline: "Host".into(),
            ..Default::default()
        });
        assert_eq!(parse(&write(b, &list, None)).unwrap().speakers, list);
    }

    #[test]
    fn adds_a_section_when_missing() {
        let out = write(
            "Abstract",
            &[Speaker {
                name: "A".into(),
                ..Default::default()
            }],
            Some("zh"),
        );
        assert_eq!(out, "Abstract\n\n### 讲师:\nA\n");
    }

    /// The 2025 style: photo, blank line, "Name: headline", blank line, bio.
    const SPACED: &str = "Abstract.\n\n### Speakers:\n\n<img src=\"https://x/a.png\" width=\"200\" />\n\nAnn Lee: Engineer at X\n\nAnn builds queues.\n\n<img src=\"https://x/b.png\" width=\"200\" />\n\nBo Chen: PMC member\n\nBo likes tea.\n";

    #[test]
    fn photo_blank_line_name_is_one_speaker() {
        let s = parse(SPACED).unwrap();
        let got: Vec<(&str, &str, Option<&str>, &str)> = s
            .speakers
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.headline.as_str(),
                    p.photo.as_deref(),
                    p.bio.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Ann Lee",
                    "Engineer at X",
                    Some("https://x/a.png"),
                    "Ann builds queues."
                ),
                (
                    "Bo Chen",
                    "PMC member",
                    Some("https://x/b.png"),
                    "Bo likes tea."
                )
            ]
        );
        assert_eq!(s.lines, vec![5, 11]);
        assert_eq!(write(SPACED, &s.speakers, None), SPACED);
    }

    #[test]
    fn spaced_style_edits_touch_only_the_edited_speaker() {
        let s = parse(SPACED).unwrap();
        // Reorder: each speaker's lines move whole.
        let mut list = s.speakers.clone();
        list.swap(0, 1);
        let swapped = write(SPACED, &list, None);
        assert_eq!(
            swapped,
            "Abstract.\n\n### Speakers:\n\n<img src=\"https://x/b.png\" width=\"200\" />\n\nBo Chen: PMC member\n\nBo likes tea.\n\n<img src=\"https://x/a.png\" width=\"200\" />\n\nAnn Lee: Engineer at X\n\nAnn builds queues.\n"
        );
        // Add: the new speaker is written in the section's spaced style.
        let mut list = s.speakers.clone();
        list.push(Speaker {
            photo: Some("https://x/c.png".into()),
            name: "Cy Wu".into(),
            headline: "Chair".into(),
            bio: "Cy chairs.".into(),
        });
        let added = write(SPACED, &list, None);
        assert_eq!(
            added,
            format!("{SPACED}\n<img src=\"https://x/c.png\" width=\"200\" />\n\nCy Wu: Chair\n\nCy chairs.\n")
        );
        assert_eq!(parse(&added).unwrap().speakers, list);
        // Remove the first: the second's lines are unchanged.
        let removed = write(SPACED, &s.speakers[1..], None);
        assert_eq!(
            removed,
            "Abstract.\n\n### Speakers:\n\n<img src=\"https://x/b.png\" width=\"200\" />\n\nBo Chen: PMC member\n\nBo likes tea.\n"
        );
        // Edit one headline: only that line changes.
        let mut list = s.speakers.clone();
        list[1].headline = "PMC chair".into();
        let edited = write(SPACED, &list, None);
        assert_eq!(edited, SPACED.replace("PMC member", "PMC chair"));
    }

    #[test]
    fn every_real_shape_parses_to_the_right_speakers() {
        let shapes: &[(&str, &[(&str, &str, bool)])] = &[
            // Photo and name on one line, several speakers.
            (
                "### Speakers:\n<img src=\"a.png\" width=\"200\" /><br>Ann: Chair\nBio.\n\n<img src=\"b.png\" width=\"200\" /><br>Bo: PMC\n",
                &[("Ann", "Chair", true), ("Bo", "PMC", true)],
            ),
            // Markdown images, spaced, with a full-width colon, zh heading.
            (
                "### 讲师:\n\n![](img/a.png)\n\n王峰：研究员\n\n![](img/b.png)\n\n李娜：工程师\n",
                &[("王峰", "研究员", true), ("李娜", "工程师", true)],
            ),
            // Photo on its own line directly above the name.
            (
                "## 演讲嘉宾\n<img src=\"a.png\"/>\nAnn Lee: Chair\n<img src=\"b.png\"/>\nBo: PMC\n",
                &[("Ann Lee", "Chair", true), ("Bo", "PMC", true)],
            ),
            // No photos at all: one speaker per paragraph.
            (
                "### Speakers:\nAnn: Chair\n\nBo: PMC\nLikes tea.\n",
                &[("Ann", "Chair", false), ("Bo", "PMC", false)],
            ),
            // A spaced speaker without a photo between two with photos.
            (
                "### Speakers:\n\n<img src=\"a.png\" />\n\nAnn: Chair\n\nBo Li: Engineer\n\n<img src=\"c.png\" />\n\nCy: PMC\n",
                &[("Ann", "Chair", true), ("Bo Li", "Engineer", false), ("Cy", "PMC", true)],
            ),
        ];
        for (body, want) in shapes {
            let s = parse(body).unwrap();
            let got: Vec<(&str, &str, bool)> = s
                .speakers
                .iter()
                .map(|p| (p.name.as_str(), p.headline.as_str(), p.photo.is_some()))
                .collect();
            assert_eq!(&got, want, "{body}");
            assert_eq!(write(body, &s.speakers, None), *body);
        }
    }
}
