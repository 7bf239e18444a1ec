//! Property tests for the invariants that matter most: load → save is
//! byte-identical, and set(k, v) reads back v and changes no other line.

use lectern::document::Document;
use proptest::prelude::*;

fn eol() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n")]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,20}",
        "[\\PC]{0,12}",
        Just("no".to_string()),
        Just("0755".to_string()),
        Just("1.10".to_string()),
        Just("2026-06-29".to_string()),
        Just("a: b # c".to_string()),
        Just("'quoted' \"double\" \\ back".to_string()),
        Just("中文：标题".to_string()),
        Just(" lead and trail ".to_string()),
    ]
}

fn quoted(v: &str, style: u8) -> String {
    match style {
        0 => format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")),
        1 => format!("'{}'", v.replace('\'', "''")),
        _ => "plain value".to_string(),
    }
}

prop_compose! {
    fn session()(
        bom in any::<bool>(),
        eols in prop::collection::vec(eol(), 6),
        title in "[a-zA-Z ]{1,20}",
        style in 0u8..3,
        trailing in prop::collection::vec(prop_oneof![Just(""), Just(" "), Just("  # note")], 3),
        body in "[\\PC\n]{0,80}",
        close in prop_oneof![Just("---"), Just("--- ")],
    ) -> String {
        format!(
            "{}---{}title: {}{}{}room: A{}{}# comment{}date: \"2026-07-29T10:00:00\"{}{}{}{}{}",
            if bom { "\u{feff}" } else { "" },
            eols[0], quoted(&title, style), trailing[0], eols[1], trailing[1], eols[2], eols[3], trailing[2], eols[4], close, eols[5], body
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn load_then_save_is_byte_identical(text in session()) {
        let d = Document::from_bytes("s.md", text.clone().into_bytes()).unwrap();
        prop_assert_eq!(d.bytes(), text.as_bytes());
        prop_assert!(d.problem().is_none());
    }

    #[test]
    fn set_reads_back_and_changes_no_other_line(text in session(), key in prop_oneof![Just("title"), Just("room"), Just("date"), Just("newkey")], v in value()) {
        let d = Document::from_bytes("s.md", text.into_bytes()).unwrap();
        let e = d.set(key, &v).unwrap();
        prop_assert_eq!(e.get(key), Some(v.clone()));
        for k in ["title", "room", "date"] {
            if k != key {
                prop_assert_eq!(e.get(k), d.get(k));
            }
        }
        prop_assert_eq!(e.body(), d.body());
        let (del, ins) = crate::support::changed_lines(d.text(), e.text());
        if d.get(key).as_deref() == Some(v.as_str()) {
            // Setting the value a field already has changes nothing.
            prop_assert_eq!(e.text(), d.text());
        } else {
            prop_assert!(del.len() <= 1 && ins.len() == 1, "{:?} -> {:?}", del, ins);
        }
        prop_assert_eq!(e.text().starts_with('\u{feff}'), d.text().starts_with('\u{feff}'));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(d) = Document::from_bytes("x.md", bytes.clone()) {
            prop_assert_eq!(d.bytes(), &bytes[..]);
            let _ = d.set("title", "x");
            let _ = d.speakers();
        }
    }
}
