//! Proptest equivalents of the cargo-fuzz targets in `fuzz/` (checklist F1,
//! F3): the same oracles (`fuzz_oracles.rs`) on generated hostile documents
//! and Markdown, so stable Rust runs them on every `cargo test`.
//! `PROPTEST_CASES` sets the number of cases per property (default 2000);
//! `scripts/fuzz.sh` uses these when nightly and cargo-fuzz are missing.

#[path = "fuzz_oracles.rs"]
mod oracles;

use proptest::prelude::*;
use std::path::Path;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    ProptestConfig {
        cases,
        max_shrink_iters: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces of front matter that have broken parsers and patchers before:
/// quoting, block scalars, anchors, tags, flow collections, comments,
/// document markers, tabs, odd line breaks and Unicode.
const YAML_LINES: &[&str] = &[
    "title: \"A talk\"",
    "title: 'It''s'",
    "title: plain",
    "title:",
    "title: |",
    "title: >-",
    "  folded text",
    "  - item",
    "- top item",
    "room: Main Hall # comment",
    "room: 'Side Room'",
    "date: 2026-06-29",
    "date: \"2030-05-01T10:00:00\"",
    "presenters: Ada, Bob、Chen",
    "norway: no",
    "mode: 0755",
    "ver: 1.10",
    "six: 1:10",
    "hex: 0x1F",
    "inf: .inf",
    "tilde: ~",
    "anchor: &a value",
    "alias: *a",
    "merge: {<<: *a}",
    "tagged: !!str 123",
    "bin: !!binary aGk=",
    "flow: [a, {b: c}]",
    "\"quoted key\": v",
    "'single key': v",
    "? complex",
    ": value",
    "# comment only",
    "",
    "   ",
    "\t",
    "title:\tx",
    "key: \"multi",
    "  line\"",
    "key: 'unclosed",
    "...",
    "---",
    "%YAML 1.2",
    "中文: 标题",
    "emoji: 🎤",
    "nbsp: a\u{a0}b",
    "nel: a\u{85}b",
    "ls: a\u{2028}b",
    "bom: \u{feff}x",
    "cr: a\rb",
    "dup: 1",
    "dup: 2",
    "speechLink: https://v.example/x",
    "deep: [[[[[[[[[[]]]]]]]]]]",
    "speakers:",
    " - Jane Doe",
    "  - 'Li Lei'",
    "- \"x, y\"",
    "tags: [a, \"b c\"]",
    "images: []",
    "speakers: [a,\n b]",
    "long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

const OPENERS: &[&str] = &[
    "---\n",
    "---\r\n",
    "--- \n",
    "---\t\r\n",
    "\u{feff}---\n",
    "\u{feff}---\r\n",
    "+++\n",
    "",
    "---",
    "\n---\n",
    "----\n",
];
const CLOSERS: &[&str] = &[
    "---\n", "---\r\n", "--- \n", "---", "...\n", "", "----\n", "---\r",
];
const EOLS: &[&str] = &["\n", "\r\n", "\r", ""];

/// Markdown and HTML fragments, plus the simple vectors of the XSS suite.
const MD_FRAGMENTS: &[&str] = &[
    "# Title\n",
    "### Speakers:\n",
    "<img src=\"https://p.example/a.jpg\" width=\"200\" /><br>Ada: Engineer\n",
    "- item\n",
    "1. one\n",
    "> quote\n",
    "```\ncode\n```\n",
    "```<img src=x onerror=alert(1)>\n",
    "`x`",
    "**b**",
    "_i_",
    "~~s~~",
    "[a](https://a.example)",
    "[a](javascript:alert(1))",
    "![i](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[r]: javascript:alert(1)\n[x][r]",
    "|a|b|\n|-|-|\n|<script>|x|\n",
    "[^1]\n\n[^1]: <img src=x onerror=alert(1)>\n",
    "Term\n: <svg onload=alert(1)>\n",
    "<div>\n",
    "</div>\n",
    "<!--",
    "-->",
    "<",
    ">",
    "\"",
    "'",
    "&#x6A;avascript:",
    "&lt;script&gt;",
    "\n\n",
    "    indented\n",
    "<details open ontoggle=alert(1)>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<svg><set attributeName=href to=javascript:alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<style>*{background:url(https://t.example)}</style>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<form action=javascript:alert(1)><button>x",
    "<a href=\"ja\tvascript:alert(1)\">t</a>",
    "<img src=\"lectern-photo://localhost/x\" onerror=alert(1)>",
    "<base href=javascript:/>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "中文段落",
    "\u{202e}rtl",
    "\0",
    "]([\n",
    "!-- <",
    "*",
    "[",
    "](",
    ")",
    "\\",
    "|",
];

fn xss_vectors() -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xss/vectors.txt"),
    )
    .expect("vectors");
    text.lines()
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("%%")
                && !l.starts_with("esc:")
                && *l != "<<<"
                && *l != ">>>"
        })
        .map(str::to_string)
        .collect()
}

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(pool).prop_map(str::to_string)
}

fn yaml_line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => pick(YAML_LINES),
        1 => "[a-z]{1,6}: [\\PC]{0,12}",
        1 => "[\\PC\t]{0,20}",
    ]
}

prop_compose! {
    /// A session-like document with hostile front matter and body.
    fn hostile_document()(
        open in pick(OPENERS),
        lines in prop::collection::vec((yaml_line(), pick(EOLS)), 0..12),
        close in pick(CLOSERS),
        body in prop::collection::vec(prop_oneof![3 => pick(MD_FRAGMENTS), 1 => "[\\PC\n]{0,16}"], 0..8),
    ) -> String {
        let mut s = open;
        for (l, eol) in lines {
            s.push_str(&l);
            s.push_str(if eol.is_empty() { "\n" } else { &eol });
        }
        s.push_str(&close);
        s.push_str(&body.concat());
        s
    }
}

fn bytes_from(doc: String, flips: Vec<(usize, u8)>) -> Vec<u8> {
    let mut b = doc.into_bytes();
    for (at, byte) in flips {
        if !b.is_empty() {
            let i = at % b.len();
            b[i] = byte;
        }
    }
    b
}

fn written_value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => pick(&["no", "yes", "on", "1.10", "0755", "2026-06-29", "null", "~", "#x", "a: b", " lead", "trail ", "multi\nline", "\"q\"", "'s'", "back\\slash", "中文：标题", "", "- x", "[x]", "{y}", "*a", "&a", "!t", "|", ">", "%", "@", "`", "a #b", "x\u{85}y", "x\u{2028}y", "tab\tx", "\u{feff}", "---", "..."]),
        3 => "[\\PC]{0,24}",
        1 => "[\\PC\n\r\t]{0,24}",
        1 => ".{0,24}",
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    let vectors = xss_vectors();
    prop::collection::vec(
        prop_oneof![
            4 => pick(MD_FRAGMENTS),
            3 => prop::sample::select(vectors),
            2 => "[\\PC\n]{0,24}",
            1 => "[<>\"'=/a-z &#;:\n]{0,24}",
        ],
        0..10,
    )
    .prop_map(|v| v.concat())
}

fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "(19|20)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?)?( ?(Z|[+-][0-9]{2}:?[0-9]{2}))?",
        "[0-9:T .+\\-Z]{0,30}",
        "[\\PC,;、，\t\n]{0,40}",
        ".{0,40}",
    ]
}

#[test]
fn fuzz_equiv_reports_its_case_count() {
    let cases = config().cases;
    assert!(cases >= 1);
    println!(
        "proptest fuzz equivalents: {cases} cases per property, {} for the disk round trip",
        (cases / 10).max(50)
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_equiv_roundtrip_of_hostile_documents_is_byte_identical(doc in hostile_document(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..3)) {
        oracles::roundtrip(&bytes_from(doc, flips));
    }

    #[test]
    fn fuzz_equiv_roundtrip_of_arbitrary_bytes_is_byte_identical(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        oracles::roundtrip(&bytes);
    }

    #[test]
    fn fuzz_equiv_set_field_changes_only_that_field(doc in hostile_document(), key in any::<usize>(), value in written_value()) {
        oracles::set_field(&doc, key, &value);
    }

    #[test]
    fn fuzz_equiv_render_produces_no_active_content(md in markdown()) {
        oracles::render_inert(&md);
    }

    #[test]
    fn fuzz_equiv_schedule_parsing_is_stable(s in date_like()) {
        oracles::schedule_import(&s);
    }
}

/// Schedule and Sessionize exports, well-formed and not.
fn import_file() -> impl Strategy<Value = Vec<u8>> {
    let id = prop_oneof![
        Just("101".to_string()),
        Just("102".to_string()),
        "[0-9]{1,6}",
        Just("../../etc/x".to_string()),
        Just("a/b".to_string()),
        "[\\PC]{0,8}"
    ];
    let date = prop_oneof![
        Just("2030-05-01 10:00".to_string()),
        Just("2030-05-02T14:30:00".to_string()),
        Just("2030-05-02 09:00:00".to_string()),
        Just("47605.5".to_string()),
        Just("".to_string()),
        "[0-9:./ T-]{0,16}",
        "[\\PC]{0,12}",
    ];
    let room = prop_oneof![
        Just("Main Hall".to_string()),
        Just("Side Room".to_string()),
        Just("主厅".to_string()),
        Just("\"Main Hall\"".to_string()),
        Just("".to_string()),
        "[\\PC]{0,12}",
    ];
    let extra = prop_oneof![
        Just("\"quoted, with comma\"".to_string()),
        Just("Ada Park".to_string()),
        "[\\PC]{0,12}"
    ];
    let csv = (
        prop::sample::select(
            &[
                ("Session Id,Scheduled At,Room,Title", ","),
                ("session_id;scheduled at;room;title", ";"),
                ("Session Id\tScheduled At\tRoom\tSpeakers", "\t"),
                ("Session Id,Scheduled At,Room", ";"),
                ("", ","),
            ][..],
        ),
        prop::collection::vec((id.clone(), date, room, extra), 0..6),
    )
        .prop_map(|((header, sep), rows)| {
            let mut s = format!("{header}\n");
            for (i, a, b, c) in rows {
                s.push_str(&[i, a, b, c].join(sep));
                s.push('\n');
            }
            s.into_bytes()
        });
    let json = (prop::collection::vec((id, "[\\PC]{0,16}", "[\\PC]{0,16}"), 0..4), any::<bool>()).prop_map(|(sessions, with_speakers)| {
        let items: Vec<serde_json::Value> = sessions
            .into_iter()
            .map(|(id, title, desc)| {
                serde_json::json!({"id": id, "title": title, "description": desc, "startsAt": "2030-05-01T10:00:00", "room": "Main Hall",
                    "speakers": if with_speakers { serde_json::json!([{"id": "s1", "name": title}]) } else { serde_json::json!([]) },
                    "categories": [{"name": "Track", "categoryItems": [{"name": "db"}]}]})
            })
            .collect();
        serde_json::to_vec(&serde_json::json!([{"groupName": "All", "sessions": items}])).expect("json")
    });
    prop_oneof![3 => csv, 2 => json, 1 => prop::collection::vec(any::<u8>(), 0..200)]
}

proptest! {
    // Every case plans three imports against a small site: a tenth of the cases.
    #![proptest_config(ProptestConfig { cases: (config().cases / 10).max(50), ..config() })]

    #[test]
    fn fuzz_equiv_importers_plan_only_inside_the_site_and_write_nothing(data in import_file()) {
        let (_guard, root) = crate::support::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"));
        let before = crate::support::md_files(&root).into_iter().map(|p| (std::fs::read(&p).expect("read"), p)).collect::<Vec<_>>();
        let site = lectern::site::Site::discover(&root).expect("site");
        let scratch = tempfile::tempdir().expect("scratch");
        oracles::import_files(&site, scratch.path(), &data);
        for (bytes, p) in before {
            prop_assert_eq!(std::fs::read(&p).expect("read"), bytes, "planning wrote {:?}", p);
        }
        prop_assert!(!root.join(".lectern").exists() || std::fs::read_dir(root.join(".lectern")).map(|d| d.count()).unwrap_or(0) == 0, "planning wrote .lectern/");
    }
}

proptest! {
    // Each case writes and fsyncs a file: a tenth of the cases keeps this quick.
    #![proptest_config(ProptestConfig { cases: (config().cases / 10).max(50), ..config() })]

    #[test]
    fn fuzz_equiv_load_then_save_on_disk_is_byte_identical(doc in hostile_document()) {
        let dir = tempfile::tempdir().expect("tempdir");
        oracles::roundtrip_on_disk(dir.path(), doc.as_bytes());
    }
}

/// Decoder limits small enough that a debug build decodes thousands of
/// cases in a second (the cargo-fuzz target uses the production ones).
fn small_limits() -> lectern::photos::DecodeLimits {
    lectern::photos::DecodeLimits {
        max_dimension: 2048,
        max_alloc: 32 * 1024 * 1024,
        max_input_bytes: 1 << 20,
    }
}

/// Small valid photos in every format the decoder accepts, encoded here:
/// the seeds the image property mutates.
fn image_seeds() -> &'static [Vec<u8>] {
    use image::{ImageFormat, Rgba, RgbaImage};
    static SEEDS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let picture = |w: u32, h: u32| {
            RgbaImage::from_fn(w, h, |x, y| {
                Rgba([
                    (x * 7) as u8,
                    (y * 11) as u8,
                    ((x + y) * 3) as u8,
                    if x % 5 == 0 { 128 } else { 255 },
                ])
            })
        };
        let encode = |img: image::DynamicImage, format: ImageFormat| {
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, format).expect("encode a seed");
            out.into_inner()
        };
        vec![
            encode(
                image::DynamicImage::ImageRgba8(picture(30, 20)),
                ImageFormat::Png,
            ),
            encode(
                image::DynamicImage::ImageRgb8(
                    image::DynamicImage::ImageRgba8(picture(64, 40)).to_rgb8(),
                ),
                ImageFormat::Jpeg,
            ),
            encode(
                image::DynamicImage::ImageRgba8(picture(12, 12)),
                ImageFormat::Gif,
            ),
            encode(
                image::DynamicImage::ImageRgba8(picture(16, 24)),
                ImageFormat::WebP,
            ),
        ]
    })
}

/// A seed photo with bytes flipped, a header field rewritten (the width
/// and height words of a PNG, a JPEG frame or a WebP header sit in the
/// first 40 bytes), and maybe cut short.
fn mutated_image() -> impl Strategy<Value = Vec<u8>> {
    (
        0usize..4,
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        prop::option::of((0usize..40, any::<u32>())),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(seed, flips, header, cut)| {
            let mut bytes = image_seeds()[seed].clone();
            for (at, b) in flips {
                let i = at % bytes.len();
                bytes[i] ^= b;
            }
            if let Some((at, word)) = header {
                let at = at.min(bytes.len().saturating_sub(4));
                bytes[at..at + 4].copy_from_slice(&word.to_be_bytes());
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_equiv_image_bytes_decode_to_a_small_square_or_fail_cleanly(bytes in mutated_image()) {
        oracles::image_bytes(&bytes, small_limits());
    }

    #[test]
    fn fuzz_equiv_arbitrary_bytes_are_not_a_photo_or_a_small_square(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        oracles::image_bytes(&bytes, small_limits());
    }
}

#[test]
fn image_seeds_decode_to_a_small_square() {
    // The property's seeds must be valid, or it only ever tests refusals.
    for seed in image_seeds() {
        let photo = lectern::photos::normalize(
            lectern::photos::PhotoInput::Bytes(seed),
            &lectern::photos::NormalizeOptions {
                size: 48,
                ..Default::default()
            },
        )
        .expect("a seed normalises");
        assert!(
            photo.width == photo.height && photo.width >= 12,
            "{}",
            photo.width
        );
        oracles::image_bytes(seed, small_limits());
    }
}

/// A real XLSX workbook with cells at chosen positions (some far out, as a
/// hostile file would put them), then a few bytes flipped or the file cut.
fn workbook() -> impl Strategy<Value = Vec<u8>> {
    // Far cells: past the row and column bounds, but not at Excel's last row:
    // writing such a sheet takes rust_xlsxwriter seconds per case in a debug
    // build (it walks every row). `trust::finding_08_…` covers XFD1048576.
    let pos = prop_oneof![
        4 => (0u32..8, 0u16..6),
        1 => (0u32..30_000, 0u16..16_384),
    ];
    let text = prop_oneof![
        Just("Session Id".to_string()),
        Just("Scheduled At".to_string()),
        Just("Room".to_string()),
        Just("Title".to_string()),
        "[0-9]{1,6}",
        "[\\PC]{0,24}"
    ];
    (
        prop::collection::vec((pos, text), 0..12),
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..3),
        any::<Option<usize>>(),
    )
        .prop_map(|(cells, flips, cut)| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            for ((r, c), t) in cells {
                let _ = ws.write_string(r, c, t);
            }
            let mut bytes = wb.save_to_buffer().expect("xlsx");
            for (at, b) in flips {
                let n = bytes.len();
                bytes[at % n] ^= b;
            }
            if let Some(cut) = cut {
                let n = bytes.len();
                bytes.truncate(cut % (n + 1));
            }
            bytes
        })
}

proptest! {
    // Each case builds a workbook and runs six imports (about 0.5 s in a debug
    // build): a fiftieth of the cases.
    #![proptest_config(ProptestConfig { cases: (config().cases / 50).max(20), ..config() })]

    #[test]
    fn fuzz_equiv_workbooks_are_bounded_and_plan_only_inside_the_site(data in workbook()) {
        let (_guard, root) = crate::support::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"));
        let site = lectern::site::Site::discover(&root).expect("site");
        let scratch = tempfile::tempdir().expect("scratch");
        oracles::import_workbook(&site, scratch.path(), &data);
    }
}

/// TOML front-matter lines (issue 12): strings of both quotings, arrays on
/// one and several lines, tables, dotted keys, date-times, comments, and
/// things TOML refuses.
const TOML_LINES: &[&str] = &[
    "Title = \"A talk\"",
    "Title = 'literal \\ back'",
    "Type = \"talk\"",
    "Speakers = [\"jane-doe\"]",
    "Speakers = [\"a\", 'b',]",
    "Speakers = [",
    "  \"li-lei\",",
    "  'omar', # c",
    "]",
    "Speakers = []",
    "tags = [\"x\", [\"nested\"], {a = 1}]",
    "Talk_date = \"\"",
    "day = 1",
    "ratio = 1.5",
    "when = 2024-06-03T10:00:00Z",
    "when = 2024-06-03 10:00:00",
    "at = 07:32:00",
    "ok = true",
    "dotted.key = 1",
    "\"quoted key\" = \"v\"",
    "multi = \"\"\"",
    "line\"\"\"",
    "lit = '''x'''",
    "inline = { a = 1, b = \"c\" }",
    "[params]",
    "room = \"A\"",
    "[[arr]]",
    "# comment",
    "",
    "bad = ",
    "dup = 1",
    "dup = 2",
    "= 3",
    "x = \"unclosed",
    "tab\t=\t\"t\"",
    "中文 = \"标题\"",
    "emoji = \"🎤\"",
    "title = \"a\\u00e9\"",
];

/// JSON front-matter members and broken ones.
const JSON_MEMBERS: &[&str] = &[
    "\"Title\": \"Jane Doe\"",
    "\"image\": \"jane.jpg\"",
    "\"Twitter\": \"\"",
    "\"tags\": [\"ci\", \"observability\"]",
    "\"tags\": []",
    "\"speakers\": [\n    \"a\",\n    \"b\"\n  ]",
    "\"n\": -1.5e3",
    "\"ok\": false",
    "\"nil\": null",
    "\"o\": {\"a\": [1, {\"b\": \"}\"}]}",
    "\"esc\": \"\\\"q\\\" \\\\ \\u00e9 \\ud83c\\udfa4\"",
    "\"dup\": 1",
    "\"dup\": 2",
    "\"bad\": tru",
    "\"x\": \"unclosed",
    "\"big\": 123456789012345678901234567890",
    "\"中文\": \"标题\"",
    "'single': 1",
    "\"trailing\": 1,",
];

fn toml_line() -> impl Strategy<Value = String> {
    prop_oneof![6 => pick(TOML_LINES), 1 => "[a-z]{1,6} = \"[\\PC]{0,10}\"", 1 => "[\\PC\t]{0,20}"]
}

prop_compose! {
    /// A TOML (`+++`) document with hostile front matter.
    fn toml_document()(
        open in pick(&["+++\n", "+++\r\n", "\u{feff}+++\n", "+++ \n", "+++"]),
        lines in prop::collection::vec((toml_line(), pick(EOLS)), 0..12),
        close in pick(&["+++\n", "+++\r\n", "+++", "", "---\n"]),
        body in prop::collection::vec(pick(MD_FRAGMENTS), 0..4),
    ) -> String {
        let mut s = open;
        for (l, eol) in lines {
            s.push_str(&l);
            s.push_str(if eol.is_empty() { "\n" } else { &eol });
        }
        s.push_str(&close);
        s.push_str(&body.concat());
        s
    }
}

prop_compose! {
    /// A JSON (`{…}`) document: members on their own lines or on one line.
    fn json_document()(
        bom in any::<bool>(),
        members in prop::collection::vec(prop_oneof![8 => pick(JSON_MEMBERS), 1 => "\"[a-z]{1,6}\": \"[\\PC]{0,10}\""], 0..8),
        pretty in any::<bool>(),
        eol in pick(&["\n", "\r\n"]),
        tail in pick(&["}\n", "}", "}\r\n", "} \nx", "}}\n", "\n"]),
        body in prop::collection::vec(pick(MD_FRAGMENTS), 0..4),
    ) -> String {
        let sep = if pretty { format!(",{eol}  ") } else { ", ".to_string() };
        let open = if pretty { format!("{{{eol}  ") } else { "{".to_string() };
        let close_nl = if pretty { eol.clone() } else { String::new() };
        format!("{}{open}{}{close_nl}{tail}{}", if bom { "\u{feff}" } else { "" }, members.join(&sep), body.concat())
    }
}

fn list_item() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => pick(&["jane-doe", "Li Lei", "a, b", "it's", "\"q\"", "[x]", "#tag", "- dash", "中文", "", " pad ", "1", "true", "back\\slash", "tab\tx", "a: b"]),
        1 => "[\\PC]{0,12}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_equiv_roundtrip_of_toml_and_json_documents_is_byte_identical(doc in prop_oneof![toml_document(), json_document()], flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..2)) {
        oracles::roundtrip(&bytes_from(doc, flips));
    }

    #[test]
    fn fuzz_equiv_set_field_in_toml_and_json_changes_only_that_field(doc in prop_oneof![toml_document(), json_document()], key in any::<usize>(), value in written_value()) {
        oracles::set_field(&doc, key, &value);
    }

    #[test]
    fn fuzz_equiv_list_edits_in_every_format_change_only_the_list(doc in prop_oneof![hostile_document(), toml_document(), json_document()], key in any::<usize>(), item in list_item()) {
        oracles::list_edit(&doc, key, &item);
    }
}
