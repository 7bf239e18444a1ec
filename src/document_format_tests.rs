//! Typed values, lists and the TOML and JSON formats, at the document level.

use super::*;

fn doc(t: &str) -> Document {
    Document::from_text("s/x.md", t.to_string())
}

fn opts() -> SetOptions {
    SetOptions::default()
}

#[test]
fn values_keep_their_type_and_style() {
    let d =
        doc("---\nday: 1\ntime_start: 2024-06-03 15:20:00\ntitle: 'It'\nok: true\nx: 1.5\n---\n");
    assert_eq!(
        d.set("day", "2").unwrap().text(),
        "---\nday: 2\ntime_start: 2024-06-03 15:20:00\ntitle: 'It'\nok: true\nx: 1.5\n---\n"
    );
    let e = d.set("time_start", "2024-06-04 09:00:00").unwrap();
    assert!(e.text().contains("time_start: 2024-06-04 09:00:00\n"));
    assert!(d
        .set("title", "No")
        .unwrap()
        .text()
        .contains("title: 'No'\n"));
    let err = d.set("day", "two").unwrap_err().to_string();
    assert!(
        err.contains("integer") && err.contains("--force-type"),
        "{err}"
    );
    assert!(d.set("time_start", "soon").is_err());
    assert!(d.set("ok", "maybe").is_err());
    assert!(d.set("ok", "false").unwrap().text().contains("ok: false\n"));
    assert!(d.set("x", "2").unwrap().text().contains("x: 2.0\n"));
    let forced = d
        .set_with(
            "day",
            "two",
            SetOptions {
                force_type: true,
                ..opts()
            },
            &[],
        )
        .unwrap();
    assert_eq!(forced.get("day").as_deref(), Some("two"));
    assert_eq!(d.kind("day"), Some(Kind::Integer));
    assert_eq!(d.kind("time_start"), Some(Kind::Datetime));
    assert_eq!(d.kind("title"), Some(Kind::String));
}

#[test]
fn a_rewritten_line_drops_trailing_whitespace_and_empties_follow_the_file() {
    let d = doc("---\ntitle: Old  \nroom:\nblock:\n---\n");
    assert_eq!(
        d.set("title", "New").unwrap().text(),
        "---\ntitle: New\nroom:\nblock:\n---\n"
    );
    assert_eq!(
        d.set("title", "").unwrap().text(),
        "---\ntitle:\nroom:\nblock:\n---\n"
    );
    assert_eq!(
        d.set("room", "A").unwrap().text(),
        "---\ntitle: Old  \nroom: A\nblock:\n---\n"
    );
    let q = doc("---\ntitle: \"Old\"\nroom: \"\"\n---\n");
    assert_eq!(
        q.set("title", "").unwrap().text(),
        "---\ntitle: \"\"\nroom: \"\"\n---\n"
    );
}

#[test]
fn a_space_before_the_colon_is_kept() {
    let d = doc("---\nimage :\ntitle : \"x\"\n---\n");
    assert_eq!(
        d.set("image", "a.jpg").unwrap().text(),
        "---\nimage : \"a.jpg\"\ntitle : \"x\"\n---\n"
    );
    assert_eq!(
        d.set("room", "A").unwrap().text(),
        "---\nimage :\ntitle : \"x\"\nroom : \"A\"\n---\n"
    );
}

#[test]
fn block_lists_edit_item_by_item() {
    let t = "---\ntitle: x\nspeakers:\n - Jane Doe\n - 'Li Lei'\nday: 1\n---\nbody\n";
    let d = doc(t);
    assert_eq!(d.list("speakers").unwrap(), ["Jane Doe", "Li Lei"]);
    assert!(d.matches("speakers", "Li Lei"));
    let err = d.set("speakers", "A").unwrap_err().to_string();
    assert!(err.contains("--replace-list"), "{err}");
    let a = d.add_item("speakers", "Ann O'Neil", opts(), &[]).unwrap();
    assert_eq!(
        a.text(),
        "---\ntitle: x\nspeakers:\n - Jane Doe\n - 'Li Lei'\n - 'Ann O''Neil'\nday: 1\n---\nbody\n"
    );
    let r = d.remove_item("speakers", "Jane Doe").unwrap();
    assert_eq!(
        r.text(),
        "---\ntitle: x\nspeakers:\n - 'Li Lei'\nday: 1\n---\nbody\n"
    );
    assert!(d.remove_item("speakers", "Nobody").is_err());
    let o = d
        .set_list(
            "speakers",
            &["Li Lei".into(), "Jane Doe".into()],
            opts(),
            &[],
        )
        .unwrap();
    assert_eq!(
        o.text(),
        "---\ntitle: x\nspeakers:\n - 'Li Lei'\n - Jane Doe\nday: 1\n---\nbody\n"
    );
    let one = d
        .set_with(
            "speakers",
            "Solo",
            SetOptions {
                replace_list: true,
                ..opts()
            },
            &[],
        )
        .unwrap();
    assert_eq!(
        one.text(),
        "---\ntitle: x\nspeakers:\n - 'Solo'\nday: 1\n---\nbody\n"
    );
    let none = r.remove_item("speakers", "Li Lei").unwrap();
    assert_eq!(
        none.text(),
        "---\ntitle: x\nspeakers: []\nday: 1\n---\nbody\n"
    );
}

#[test]
fn flow_lists_edit_item_by_item() {
    let d = doc("---\r\ntags: [a, \"b c\"]  # t\r\n---\r\n");
    assert_eq!(
        d.add_item("tags", "d, e", opts(), &[]).unwrap().text(),
        "---\r\ntags: [a, \"b c\", \"d, e\"]  # t\r\n---\r\n"
    );
    assert_eq!(
        d.remove_item("tags", "a").unwrap().text(),
        "---\r\ntags: [\"b c\"]  # t\r\n---\r\n"
    );
    assert_eq!(
        d.remove_item("tags", "b c").unwrap().text(),
        "---\r\ntags: [a]  # t\r\n---\r\n"
    );
    let e = d
        .remove_item("tags", "a")
        .unwrap()
        .remove_item("tags", "b c")
        .unwrap();
    assert_eq!(e.text(), "---\r\ntags: []  # t\r\n---\r\n");
    assert_eq!(
        e.add_item("tags", "z", opts(), &[]).unwrap().text(),
        "---\r\ntags: [z]  # t\r\n---\r\n"
    );
}

#[test]
fn empty_and_missing_lists_are_made_in_the_file_style() {
    let d = doc("---\ntitle: x\nspeakers:\ntags:\n  - a\n---\n");
    assert_eq!(
        d.add_item("speakers", "Jane", opts(), &[]).unwrap().text(),
        "---\ntitle: x\nspeakers:\n  - Jane\ntags:\n  - a\n---\n"
    );
    assert_eq!(
        d.add_item("new", "Jane", opts(), &[]).unwrap().text(),
        "---\ntitle: x\nspeakers:\ntags:\n  - a\nnew:\n  - Jane\n---\n"
    );
}

const TOML_TALK: &str = "+++\r\nTitle = \"Scaling Things\"\r\nType = \"talk\"\r\nSpeakers = [\"jane-doe\"]\r\nTalk_date = \"\"\r\nday = 1\r\nwhen = 2024-06-03T10:00:00\r\n\r\n[params]\r\nroom = \"A\"\r\n+++\r\nBody.\r\n";

#[test]
fn toml_front_matter_reads_and_edits_losslessly() {
    let d = doc(TOML_TALK);
    assert_eq!(d.problem(), None);
    assert_eq!(d.format(), Some(Format::Toml));
    assert_eq!(d.text(), TOML_TALK);
    assert_eq!(d.get("Title").as_deref(), Some("Scaling Things"));
    assert_eq!(d.list("Speakers").unwrap(), ["jane-doe"]);
    assert_eq!(d.kind("when"), Some(Kind::Datetime));
    assert_eq!(d.get("when").as_deref(), Some("2024-06-03T10:00:00"));
    let e = d.set("Title", "New \"T\"").unwrap();
    assert_eq!(
        e.text(),
        TOML_TALK.replace("\"Scaling Things\"", "\"New \\\"T\\\"\"")
    );
    assert_eq!(
        d.set("Talk_date", "2024-06-03").unwrap().text(),
        TOML_TALK.replace("Talk_date = \"\"", "Talk_date = \"2024-06-03\"")
    );
    assert_eq!(
        d.set("day", "2").unwrap().text(),
        TOML_TALK.replace("day = 1", "day = 2")
    );
    assert!(d.set("day", "x").is_err());
    let a = d.add_item("Speakers", "li-lei", opts(), &[]).unwrap();
    assert_eq!(
        a.text(),
        TOML_TALK.replace("[\"jane-doe\"]", "[\"jane-doe\", \"li-lei\"]")
    );
    assert_eq!(
        a.remove_item("Speakers", "jane-doe").unwrap().text(),
        TOML_TALK.replace("[\"jane-doe\"]", "[\"li-lei\"]")
    );
    // New keys go before the first table, after the last top-level key.
    let n = d.set("Slides", "s.pdf").unwrap();
    assert_eq!(
        n.text(),
        TOML_TALK.replace(
            "when = 2024-06-03T10:00:00\r\n",
            "when = 2024-06-03T10:00:00\r\nSlides = \"s.pdf\"\r\n"
        )
    );
    assert_eq!(n.unset("Slides").unwrap().text(), TOML_TALK);
    assert!(d.set("params", "x").is_err());
    assert!(d.unset("params").is_err());
}

#[test]
fn toml_errors_are_located_in_the_file() {
    let d = doc("+++\nTitle = \"x\"\nType = \n+++\n");
    let p = d.problem().unwrap();
    assert_eq!((p.code, p.line), (Code::TomlSyntax, 3), "{p:?}");
    let d = doc("+++\nTitle = \"x\"\n");
    assert_eq!(d.problem().unwrap().code, "unclosed-front-matter");
}

const JSON_SPEAKER: &str =
    "{\n  \"Title\": \"Jane Doe\",\n  \"image\": \"jane.jpg\",\n  \"Twitter\": \"janedoe\",\n  \"tags\": [\"a\", \"b\"]\n}\nJane is a speaker.\n";

#[test]
fn json_front_matter_reads_and_edits_losslessly() {
    let d = doc(JSON_SPEAKER);
    assert_eq!(d.problem(), None);
    assert_eq!(d.format(), Some(Format::Json));
    assert_eq!(d.body(), "Jane is a speaker.\n");
    assert_eq!(d.get("Twitter").as_deref(), Some("janedoe"));
    assert_eq!(
        d.set("Twitter", "jd").unwrap().text(),
        JSON_SPEAKER.replace("\"janedoe\"", "\"jd\"")
    );
    let n = d.set("Linkedin", "x").unwrap();
    assert_eq!(
        n.text(),
        JSON_SPEAKER.replace("\"b\"]\n", "\"b\"],\n  \"Linkedin\": \"x\"\n")
    );
    assert_eq!(n.unset("Linkedin").unwrap().text(), JSON_SPEAKER);
    let ordered = d
        .set_with(
            "bio",
            "b",
            opts(),
            &["Title".into(), "bio".into(), "image".into()],
        )
        .unwrap();
    assert_eq!(
        ordered.text(),
        JSON_SPEAKER.replace("\"Jane Doe\",\n", "\"Jane Doe\",\n  \"bio\": \"b\",\n")
    );
    assert_eq!(ordered.unset("bio").unwrap().text(), JSON_SPEAKER);
    let first = d
        .set_with("draft", "no", opts(), &["draft".into(), "Title".into()])
        .unwrap();
    assert!(
        first
            .text()
            .starts_with("{\n  \"draft\": \"no\",\n  \"Title\""),
        "{}",
        first.text()
    );
    assert_eq!(
        d.unset("Title").unwrap().text(),
        JSON_SPEAKER.replace("  \"Title\": \"Jane Doe\",\n", "")
    );
    assert_eq!(
        d.add_item("tags", "c", opts(), &[]).unwrap().text(),
        JSON_SPEAKER.replace("\"b\"]", "\"b\", \"c\"]")
    );
    let bad = doc("{\n  \"a\": 1,\n  \"b\": tru\n}\n");
    let p = bad.problem().unwrap();
    assert_eq!(
        (p.code, p.line, p.column),
        (Code::JsonSyntax, 3, 8),
        "{p:?}"
    );
}

#[test]
fn new_keys_follow_the_order_given() {
    let d = doc("---\ntitle: x\ndate: 2024-01-01\nroom: A\n---\n");
    let order: Vec<String> = ["title", "date", "track", "room"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        d.set_with("track", "ai", opts(), &order).unwrap().text(),
        "---\ntitle: x\ndate: 2024-01-01\ntrack: ai\nroom: A\n---\n"
    );
    let order: Vec<String> = ["track", "title"].iter().map(|s| s.to_string()).collect();
    assert_eq!(
        d.set_with("track", "ai", opts(), &order).unwrap().text(),
        "---\ntrack: ai\ntitle: x\ndate: 2024-01-01\nroom: A\n---\n"
    );
}
