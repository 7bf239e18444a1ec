//! Front matter in every shape (issue 12): TOML and JSON fixtures shaped like
//! a devopsdays site, in LF and CRLF; typed values and lists from the CLI;
//! `--where`, `find` and `show` on lists; the remove-and-re-add experiment on
//! the real corpus.

use crate::support::{changed_lines, copy_tree, corpus, md_files, repo_root};
use lectern::document::Document;
use lectern::front_matter::{Format, Kind, SetOptions};
use lectern::key_order::KeyOrders;
use lectern::Code;
use std::path::{Path, PathBuf};
use std::process::Command;

fn lectern() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
}

fn devops() -> (tempfile::TempDir, PathBuf) {
    copy_tree(&repo_root().join("tests/fixtures/devops"))
}

fn event(root: &Path) -> PathBuf {
    root.join("content/events/2026-lyon")
}

/// The fixture files, also rewritten with CRLF line endings.
fn fixture_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in md_files(&repo_root().join("tests/fixtures/devops/content")) {
        let t = std::fs::read_to_string(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        out.push((format!("{name} (CRLF)"), t.replace('\n', "\r\n")));
        out.push((name, t));
    }
    out
}

/// An item with a `:` added to a YAML flow list is quoted: `[x, a:b]` is
/// not YAML 1.1 (libyaml: "found unexpected ':'"), so the add used to be
/// refused as not reading back. Found by the list property test.
#[test]
fn a_flow_list_item_with_a_colon_is_quoted() {
    let d = Document::from_text("s/x.md", "---\ntags: [x]\n---\n".to_string());
    let e = d
        .add_item("tags", "a:b", SetOptions::default(), &[])
        .unwrap();
    assert_eq!(e.text(), "---\ntags: [x, \"a:b\"]\n---\n");
    assert_eq!(
        e.list("tags"),
        Some(vec!["x".to_string(), "a:b".to_string()])
    );
}

#[test]
fn toml_and_json_fixtures_load_unchanged_and_edit_one_line_in_lf_and_crlf() {
    for (name, text) in fixture_texts() {
        let d = Document::from_text(&name, text.clone());
        assert_eq!(d.problem(), None, "{name}");
        assert_eq!(d.bytes(), text.as_bytes(), "{name}");
        assert!(
            matches!(d.format(), Some(Format::Toml | Format::Json)),
            "{name}"
        );
        // Setting the title changes its line only, keeping the quote character and ending.
        let e = d.set("Title", "A new \"title\"").unwrap();
        assert_eq!(e.get("Title").as_deref(), Some("A new \"title\""));
        let (del, ins) = changed_lines(d.text(), e.text());
        assert_eq!((del.len(), ins.len()), (1, 1), "{name}: {del:?} {ins:?}");
        assert!(
            ins[0].ends_with(if name.contains("CRLF") { "\r\n" } else { "\n" })
                || !ins[0].contains('\n'),
            "{name}"
        );
        assert_eq!(e.body(), d.body(), "{name}");
        // Every other key reads the same.
        for k in d.keys().iter().filter(|k| *k != "Title") {
            assert_eq!(d.get(k), e.get(k), "{name} {k}");
            assert_eq!(d.list(k), e.list(k), "{name} {k}");
        }
        // Removing a key and setting it again restores the file (the site's key order and style).
        for k in d.keys() {
            let Some(v) = d.get(&k) else { continue };
            let removed = d.unset(&k).unwrap();
            assert!(!removed.keys().contains(&k));
            let hint = KeyOrders::default().hint(&k, &removed);
            let back = removed
                .set_with(
                    &k,
                    &v,
                    SetOptions {
                        new_kind: d.kind(&k),
                        ..Default::default()
                    },
                    &hint.order,
                )
                .unwrap();
            assert_eq!(back.get(&k).as_deref(), Some(v.as_str()), "{name} {k}");
        }
    }
}

#[test]
fn toml_talk_pages_keep_types_and_edit_speakers_item_by_item() {
    let t = std::fs::read_to_string(repo_root().join("tests/fixtures/devops/content/events/2026-lyon/program/pipelines-that-explain-themselves.md")).unwrap();
    for text in [t.clone(), t.replace('\n', "\r\n")] {
        let d = Document::from_text("p.md", text.clone());
        assert_eq!(d.list("Speakers").unwrap(), ["li-lei", "omar-haddad"]);
        assert_eq!(d.kind("Talk_date"), Some(Kind::String));
        // A multi-line array keeps its layout: the new item goes on its own line.
        let a = d
            .add_item("Speakers", "jane-doe", SetOptions::default(), &[])
            .unwrap();
        assert_eq!(
            a.list("Speakers").unwrap(),
            ["li-lei", "omar-haddad", "jane-doe"]
        );
        // A multi-line array keeps its layout: the new item is one new line.
        let (del, ins) = changed_lines(d.text(), a.text());
        assert_eq!((del.len(), ins.len()), (0, 1), "{del:?} {ins:?}");
        assert_eq!(ins[0].trim_end(), "  \"jane-doe\",");
        let r = a.remove_item("Speakers", "li-lei").unwrap();
        assert_eq!(r.list("Speakers").unwrap(), ["omar-haddad", "jane-doe"]);
        assert_eq!(
            r.remove_item("Speakers", "omar-haddad")
                .unwrap()
                .remove_item("Speakers", "jane-doe")
                .unwrap()
                .list("Speakers")
                .unwrap(),
            Vec::<String>::new()
        );
        // The comment after slides stays when slides changes.
        let s = d.set("slides", "https://example.org/v2.pdf").unwrap();
        assert!(
            s.text()
                .contains("slides = \"https://example.org/v2.pdf\"   # uploaded by the speaker"),
            "{}",
            s.text()
        );
        // Reordering keeps every item's text.
        let o = d
            .set_list(
                "Speakers",
                &["omar-haddad".into(), "li-lei".into()],
                SetOptions::default(),
                &[],
            )
            .unwrap();
        assert_eq!(o.list("Speakers").unwrap(), ["omar-haddad", "li-lei"]);
        assert_eq!(o.text().len(), d.text().len());
    }
    let lt = Document::load(
        repo_root()
            .join("tests/fixtures/devops/content/events/2026-lyon/program/lightning-talks.md"),
    )
    .unwrap();
    assert_eq!(
        lt.set("duration", "10").unwrap().text(),
        lt.text().replace("duration = 5", "duration = 10")
    );
    assert!(lt
        .set("duration", "ten")
        .unwrap_err()
        .to_string()
        .contains("--force-type"));
    assert!(lt
        .set("Title", "Flash")
        .unwrap()
        .text()
        .contains("Title = 'Flash'\n"));
    assert!(lt
        .add_item("Speakers", "jane-doe", SetOptions::default(), &[])
        .unwrap()
        .text()
        .contains("Speakers = ['jane-doe']\n"));
}

#[test]
fn a_new_key_in_a_toml_page_goes_where_the_archetype_puts_it() {
    let (_t, root) = devops();
    let f = event(&root).join("program/scaling-small-teams.md");
    let d = Document::load(&f)
        .unwrap()
        .unset("Talk_start_time")
        .unwrap();
    let hint = KeyOrders::for_file(&f).hint("Talk_start_time", &d);
    let back = d
        .set_with(
            "Talk_start_time",
            "",
            SetOptions {
                new_kind: hint.kind,
                new_quote: hint.quote,
                ..Default::default()
            },
            &hint.order,
        )
        .unwrap();
    assert_eq!(back.text(), std::fs::read_to_string(&f).unwrap());
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_adds_and_removes_list_items_and_refuses_to_replace_a_list_by_one_value() {
    let (_t, root) = devops();
    let f = event(&root).join("program/scaling-small-teams.md");
    let before = std::fs::read_to_string(&f).unwrap();
    let (code, _, err) = run(lectern().arg("set").arg(&f).arg("Speakers=li-lei"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--replace-list") && err.contains("--add"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        before,
        "refused: the file is untouched"
    );
    let (code, _, err) = run(lectern()
        .arg("set")
        .arg(&f)
        .args(["--add", "Speakers=li-lei"]));
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&f).unwrap();
    assert_eq!(
        after,
        before.replace("[\"jane-doe\"]", "[\"jane-doe\", \"li-lei\"]")
    );
    let (code, _, err) = run(lectern()
        .arg("set")
        .arg(&f)
        .args(["--remove", "Speakers=jane-doe"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        before.replace("[\"jane-doe\"]", "[\"li-lei\"]")
    );
    let (code, _, err) = run(lectern()
        .arg("set")
        .arg(&f)
        .args(["--remove", "Speakers=nobody"]));
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(lectern()
        .arg("set")
        .arg(&f)
        .args(["Speakers=omar-haddad", "--replace-list"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        before.replace("[\"jane-doe\"]", "[\"omar-haddad\"]")
    );
    // show prints lists as lists, with the format and each field's type.
    let (code, out, _) = run(lectern().arg("show").arg(&f));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "toml");
    assert_eq!(v["lists"]["Speakers"], serde_json::json!(["omar-haddad"]));
    assert_eq!(v["types"]["Speakers"], "list");
    assert_eq!(
        v["front_matter"]["Speakers"],
        serde_json::json!(["omar-haddad"])
    );
}

#[test]
fn cli_keeps_types_unless_forced() {
    let (_t, root) = devops();
    let f = event(&root).join("program/lightning-talks.md");
    let before = std::fs::read_to_string(&f).unwrap();
    let (code, _, err) = run(lectern().arg("set").arg(&f).arg("day=two"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("integer"), "{err}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), before);
    let (code, _, err) = run(lectern().arg("set").arg(&f).arg("day=2"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        before.replace("day = 1", "day = 2")
    );
    let (code, _, err) = run(lectern()
        .arg("set")
        .arg(&f)
        .args(["day=two", "--force-type"]));
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&f)
        .unwrap()
        .contains("day = 'two'\n"));
}

#[test]
fn json_speaker_pages_edit_through_the_cli() {
    let (_t, root) = devops();
    let f = event(&root).join("speakers/li-lei.md");
    let before = std::fs::read_to_string(&f).unwrap();
    let (code, _, err) =
        run(lectern()
            .arg("set")
            .arg(&f)
            .args(["Twitter=lilei_fixture", "--add", "tags=rust"]));
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&f).unwrap();
    assert_eq!(
        after,
        before
            .replace("\"Twitter\": \"\"", "\"Twitter\": \"lilei_fixture\"")
            .replace("\"observability\"]", "\"observability\", \"rust\"]")
    );
    let one_line = event(&root).join("speakers/omar-haddad.md");
    let before = std::fs::read_to_string(&one_line).unwrap();
    let (code, _, err) = run(lectern()
        .arg("set")
        .arg(&one_line)
        .args(["--unset", "Twitter"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&one_line).unwrap(),
        before.replace(", \"Twitter\": \"omar_fixture\"", "")
    );
}

/// The Europe corpus's sessions as a site Lectern can open (its sessions
/// are one folder down).
fn europe() -> Option<(tempfile::TempDir, PathBuf)> {
    let src = corpus()?.join("coceu-2024");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let sessions = root.join("content/sessions/2024");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::copy(src.join("config.toml"), root.join("config.toml")).ok()?;
    std::fs::write(
        root.join("lectern.toml"),
        "[sessions]\ndir = \"content/sessions/2024\"\n",
    )
    .unwrap();
    for f in md_files(&src.join("content/sessions/2024")) {
        let to = sessions.join(f.file_name().unwrap());
        std::fs::write(&to, std::fs::read(&f).unwrap()).unwrap();
    }
    Some((tmp, root))
}

#[test]
fn where_and_find_reach_list_items_on_the_europe_corpus() {
    let Some((_t, root)) = europe() else {
        eprintln!("corpus not present; skipping");
        return;
    };
    let files = md_files(&root.join("content"));
    let with: Vec<PathBuf> = files
        .iter()
        .filter(|f| {
            Document::load(f)
                .ok()
                .and_then(|d| d.list("speakers"))
                .is_some_and(|l| l.iter().any(|s| s == "Jarek Potiuk"))
        })
        .cloned()
        .collect();
    assert!(!with.is_empty());
    let (code, out, err) =
        run(lectern()
            .args(["find"])
            .arg(&root)
            .args(["Jarek Potiuk", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let found: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let in_lists = found
        .iter()
        .filter(|m| {
            m["field"]
                .as_str()
                .is_some_and(|f| f.starts_with("speakers["))
        })
        .count();
    assert!(in_lists >= with.len(), "{out}");
    let before: Vec<(PathBuf, String)> = files
        .iter()
        .map(|f| (f.clone(), std::fs::read_to_string(f).unwrap()))
        .collect();
    let (code, _, err) = run(lectern().args(["set", "--site"]).arg(&root).args([
        "--where",
        "speakers=Jarek Potiuk",
        "room=Room 42",
    ]));
    assert_eq!(code, 0, "{err}");
    for (f, old) in before {
        let new = std::fs::read_to_string(&f).unwrap();
        if with.contains(&f) {
            let (del, ins) = changed_lines(&old, &new);
            assert_eq!(
                (del.len(), ins.len()),
                (1, 1),
                "{}: {del:?} {ins:?}",
                f.display()
            );
            assert!(ins[0].starts_with("room: Room 42"), "{ins:?}");
        } else {
            assert_eq!(new, old, "{}", f.display());
        }
    }
}

#[test]
fn replace_reaches_list_items_and_keeps_the_other_items_lines() {
    let Some((_t, root)) = europe() else {
        eprintln!("corpus not present; skipping");
        return;
    };
    let site = lectern::site::Site::discover(&root).unwrap();
    let query = lectern::batch::Query {
        scope: lectern::batch::Scope::Fields,
        ..lectern::batch::Query::literal("Jarek Potiuk")
    };
    let found = lectern::batch::find(&site, &query).unwrap();
    let ids: Vec<_> = found
        .iter()
        .filter(|m| {
            m.field
                .as_deref()
                .is_some_and(|f| f.starts_with("speakers["))
        })
        .map(|m| m.id.clone())
        .collect();
    assert!(!ids.is_empty());
    let plan = lectern::batch::replace(&site, &query, &ids, "J. Potiuk").unwrap();
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let mut changed = 0;
    for op in &plan.ops {
        let lectern::batch::FileOp::Change { before, after, .. } = op else {
            panic!("{op:?}")
        };
        let (old, new) = (
            std::str::from_utf8(before).unwrap(),
            std::str::from_utf8(after).unwrap(),
        );
        let (del, ins) = changed_lines(old, new);
        assert_eq!((del.len(), ins.len()), (1, 1), "{del:?} -> {ins:?}");
        assert_eq!(del[0].replace("Jarek Potiuk", "J. Potiuk"), ins[0]);
        let d = Document::from_text("x.md", new.to_string());
        assert!(d
            .list("speakers")
            .unwrap()
            .contains(&"J. Potiuk".to_string()));
        changed += 1;
    }
    assert_eq!(changed, ids.len());
}

#[test]
fn items_fields_are_checked_item_by_item() {
    let Some((_t, root)) = europe() else {
        eprintln!("corpus not present; skipping");
        return;
    };
    std::fs::write(
        root.join("lectern.toml"),
        "[sessions]\ndir = \"content/sessions/2024\"\n\n[fields.speakers]\ntype = \"items\"\nrequired = true\n",
    )
    .unwrap();
    let sessions = root.join("content/sessions/2024");
    std::fs::write(
        sessions.join("zz-comma.md"),
        "---\ntitle: \"Comma\"\nspeakers: \"A, B\"\n---\n",
    )
    .unwrap();
    std::fs::write(
        sessions.join("zz-empty.md"),
        "---\ntitle: \"Empty\"\nspeakers:\n---\n",
    )
    .unwrap();
    let site = lectern::site::Site::discover(&root).unwrap();
    let report = lectern::validate::check_site(&site);
    let on_speakers: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.field.as_deref() == Some("speakers"))
        .map(|d| (d.file.to_string_lossy().to_string(), d.code))
        .collect();
    assert!(
        on_speakers.contains(&("content/sessions/2024/zz-comma.md".into(), Code::FieldType)),
        "{on_speakers:?}"
    );
    assert!(
        on_speakers.contains(&("content/sessions/2024/zz-empty.md".into(), Code::EmptyField)),
        "{on_speakers:?}"
    );
    // The real lists of the corpus are lists: no field-type finding on them.
    assert!(
        !on_speakers
            .iter()
            .any(|(f, c)| *c == "field-type" && !f.contains("zz-")),
        "{on_speakers:?}"
    );
}

/// For each corpus file and each of its keys: remove the key, add it again
/// through `set` (with the site's key order and style), and compare bytes.
#[test]
fn removing_and_re_adding_each_key_of_the_corpus() {
    let Some(c) = corpus() else {
        eprintln!("corpus not present; skipping");
        return;
    };
    let mut orders: std::collections::HashMap<PathBuf, KeyOrders> = Default::default();
    let (mut total, mut identical, mut same_value, mut only_trailing, mut unhinted) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut misses: std::collections::BTreeMap<String, usize> = Default::default();
    for f in md_files(&c) {
        let Ok(d) = Document::load(&f) else { continue };
        if d.problem().is_some() || f.file_name().is_some_and(|n| n == "_index.md") {
            continue;
        }
        let ko = orders
            .entry(f.parent().unwrap().to_path_buf())
            .or_insert_with(|| KeyOrders::for_file(&f));
        for k in d.keys() {
            let kind = d.kind(&k);
            let removed = d.unset(&k).unwrap();
            let h = ko.hint(&k, &removed);
            let opts = SetOptions {
                new_kind: h.kind,
                new_quote: h.quote,
                new_list: h.list,
                new_space_before_colon: h.space_before_colon,
                ..Default::default()
            };
            let back = match (kind, d.list(&k), d.get(&k)) {
                (Some(Kind::List), Some(items), _) => removed.set_list(&k, &items, opts, &h.order),
                (_, _, Some(v)) => removed.set_with(&k, &v, opts, &h.order),
                (Some(Kind::Null), _, None) => removed.set_with(&k, "", opts, &h.order),
                _ => continue,
            };
            total += 1;
            // Without the site's hint: after the last key, in the file's own style.
            let plain = match (kind, d.list(&k), d.get(&k)) {
                (Some(Kind::List), Some(items), _) => {
                    removed.set_list(&k, &items, SetOptions::default(), &[])
                }
                (_, _, Some(v)) => removed.set(&k, &v),
                _ => removed.set(&k, ""),
            };
            if plain.is_ok_and(|p| p.text() == d.text()) {
                unhinted += 1;
            }
            let Ok(back) = back else {
                *misses.entry(format!("{k}: not re-added")).or_default() += 1;
                continue;
            };
            if back.get(&k) == d.get(&k) && back.list(&k) == d.list(&k) {
                same_value += 1;
            }
            if back.text() == d.text() {
                identical += 1;
            } else {
                let (del, ins) = changed_lines(d.text(), back.text());
                let trimmed = |l: &String| {
                    l.trim_end_matches(['\r', '\n'])
                        .trim_end_matches([' ', '\t'])
                        .to_string()
                };
                let why = if !del.is_empty() && del.iter().map(trimmed).eq(ins.iter().map(trimmed))
                {
                    // The original line ends in spaces; a written line never does (by design).
                    only_trailing += 1;
                    "the original line has trailing whitespace"
                } else if del.len() == ins.len() {
                    "written differently"
                } else {
                    "other"
                };
                if std::env::var_os("LECTERN_SHOW_MISSES").is_some() {
                    eprintln!("{} {k}: {why}: {del:?} -> {ins:?}", f.display());
                }
                *misses.entry(why.to_string()).or_default() += 1;
            }
        }
    }
    let rate = identical as f64 / total.max(1) as f64;
    let but_spaces = (identical + only_trailing) as f64 / total.max(1) as f64;
    println!(
        "remove-and-re-add: {identical} of {total} byte-identical ({:.1}%), {:.1}% identical but for the original line's trailing whitespace; {same_value} read the same; misses: {misses:?}; without the site's hint (after the last key, the file's style): {unhinted} ({:.1}%)",
        rate * 100.0,
        but_spaces * 100.0,
        unhinted as f64 * 100.0 / total.max(1) as f64
    );
    assert!(total > 1000, "{total}");
    assert_eq!(
        same_value, total,
        "every re-added value reads as before: {misses:?}"
    );
    // Figures of this branch's run (BENCHMARKS.md): 83.0% and 99.7%; a drop is a regression.
    assert!(rate >= 0.829, "identical rate {rate}: {misses:?}");
    assert!(
        but_spaces >= 0.996,
        "identical but for trailing spaces {but_spaces}: {misses:?}"
    );
}

mod props {
    //! Random documents in the three formats: load → save is identical,
    //! set(k, v) reads back v and changes one line, and adding or removing a
    //! list item changes at most one line and no other value.
    use crate::support::changed_lines;
    use lectern::document::Document;
    use lectern::front_matter::typed::{encode_flow_item, encode_string};
    use lectern::front_matter::{is_plain_safe, Format, QuoteStyle, SetOptions};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum V {
        Str(String, QuoteStyle),
        Int(i64),
        Bool(bool),
        Date(String),
        List(Vec<String>, bool, usize),
    }

    const KEYS: &[&str] = &[
        "title",
        "Title",
        "room",
        "day",
        "speakers",
        "Speakers",
        "tags",
        "Talk_date",
        "slug",
        "draft",
        "when",
        "image",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![4 => "[a-zA-Z0-9 ,:#'\"\\\\-]{0,16}", 1 => "[\\PC]{0,10}", 1 => Just("中文：标题".to_string())]
    }

    fn quote() -> impl Strategy<Value = QuoteStyle> {
        prop_oneof![
            Just(QuoteStyle::Plain),
            Just(QuoteStyle::Single),
            Just(QuoteStyle::Double)
        ]
    }

    fn value() -> impl Strategy<Value = V> {
        prop_oneof![
            4 => (text(), quote()).prop_map(|(s, q)| V::Str(s, q)),
            1 => any::<i32>().prop_map(|n| V::Int(n as i64)),
            1 => any::<bool>().prop_map(V::Bool),
            1 => prop_oneof![Just("2024-06-03 15:20:00".to_string()), Just("2024-06-03T10:00:00".to_string()), Just("2021-07-18T16:00:00.000Z".to_string())].prop_map(V::Date),
            3 => (prop::collection::vec(text(), 0..4), any::<bool>(), 0usize..3).prop_map(|(i, b, n)| V::List(i, b, n)),
        ]
    }

    fn render(format: Format, entries: &[(String, V)], eol: &str, body: &str) -> String {
        let scalar = |v: &V| -> String {
            match v {
                V::Str(s, q) => {
                    let q = if *q == QuoteStyle::Plain
                        && (format != Format::Yaml || !is_plain_safe(s))
                    {
                        QuoteStyle::Double
                    } else {
                        *q
                    };
                    encode_string(format, s, q)
                }
                V::Int(n) => n.to_string(),
                V::Bool(b) => b.to_string(),
                V::Date(d) if format == Format::Json => format!("\"{d}\""),
                V::Date(d) => d.clone(),
                V::List(items, _, _) => {
                    let q = if format == Format::Yaml {
                        QuoteStyle::Plain
                    } else {
                        QuoteStyle::Double
                    };
                    format!(
                        "[{}]",
                        items
                            .iter()
                            .map(|i| encode_flow_item(format, i, q))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            }
        };
        let mut s = String::new();
        match format {
            Format::Yaml | Format::Toml => {
                let fence = if format == Format::Yaml { "---" } else { "+++" };
                s.push_str(fence);
                s.push_str(eol);
                for (k, v) in entries {
                    match v {
                        V::List(items, true, indent)
                            if format == Format::Yaml && !items.is_empty() =>
                        {
                            s.push_str(&format!("{k}:{eol}"));
                            for i in items {
                                s.push_str(&format!(
                                    "{}- {}{eol}",
                                    " ".repeat(*indent),
                                    encode_string(format, i, QuoteStyle::Plain)
                                ));
                            }
                        }
                        _ if format == Format::Yaml => {
                            s.push_str(&format!("{k}: {}{eol}", scalar(v)))
                        }
                        _ => s.push_str(&format!("{k} = {}{eol}", scalar(v))),
                    }
                }
                s.push_str(fence);
                s.push_str(eol);
            }
            Format::Json => {
                let members: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("  \"{k}\": {}", scalar(v)))
                    .collect();
                s.push_str(&format!(
                    "{{{eol}{}{eol}}}{eol}",
                    members.join(&format!(",{eol}"))
                ));
            }
        }
        s.push_str(body);
        s
    }

    fn format() -> impl Strategy<Value = Format> {
        prop_oneof![Just(Format::Yaml), Just(Format::Toml), Just(Format::Json)]
    }

    prop_compose! {
        fn document()(
            format in format(),
            keys in prop::sample::subsequence(KEYS, 1..8).prop_shuffle(),
            values in prop::collection::vec(value(), 8),
            eol in prop_oneof![Just("\n"), Just("\r\n")],
            body in "[\\PC\n]{0,30}",
        ) -> (Format, Vec<(String, V)>, String) {
            let entries: Vec<(String, V)> = keys.into_iter().map(str::to_string).zip(values).collect();
            let text = render(format, &entries, eol, &body);
            (format, entries, text)
        }
    }

    fn reads_as(d: &Document, k: &str, v: &V) {
        match v {
            V::Str(s, _) => assert_eq!(d.get(k).as_deref(), Some(s.as_str()), "{k}"),
            V::Int(n) => assert_eq!(d.get(k), Some(n.to_string()), "{k}"),
            V::Bool(b) => assert_eq!(d.get(k), Some(b.to_string()), "{k}"),
            V::Date(x) => assert_eq!(d.get(k).as_deref(), Some(x.as_str()), "{k}"),
            V::List(items, _, _) => assert_eq!(d.list(k).as_ref(), Some(items), "{k}"),
        }
    }

    fn config() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300);
        ProptestConfig {
            cases,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn load_save_is_identical_and_values_read_back((format, entries, text) in document()) {
            let d = Document::from_text("s/x.md", text.clone());
            prop_assert_eq!(d.problem(), None, "{}", text);
            prop_assert_eq!(d.format(), Some(format));
            prop_assert_eq!(d.text(), text.as_str());
            for (k, v) in &entries {
                reads_as(&d, k, v);
            }
        }

        #[test]
        fn set_reads_back_and_changes_one_line((_f, entries, text) in document(), pick in any::<prop::sample::Index>(), new in text()) {
            let d = Document::from_text("s/x.md", text.clone());
            let (k, _) = &entries[pick.index(entries.len())];
            let Some(kind) = d.kind(k) else { return Ok(()) };
            if kind != lectern::front_matter::Kind::String {
                return Ok(());
            }
            let e = d.set(k, &new).unwrap();
            let blank = new.is_empty() && e.get(k).is_none();
            if !blank {
                prop_assert_eq!(e.get(k), Some(new.clone()));
            }
            let (del, ins) = changed_lines(d.text(), e.text());
            prop_assert!(del.len() <= 1 && ins.len() <= 1, "{:?} -> {:?}", del, ins);
            for (k2, v) in entries.iter().filter(|(k2, _)| k2 != k) {
                reads_as(&e, k2, v);
            }
            prop_assert_eq!(e.body(), d.body());
        }

        #[test]
        fn list_items_are_added_and_removed_on_their_own_line((_f, entries, text) in document(), pick in any::<prop::sample::Index>(), new in text()) {
            let d = Document::from_text("s/x.md", text.clone());
            let lists: Vec<&(String, V)> = entries.iter().filter(|(_, v)| matches!(v, V::List(..))).collect();
            if lists.is_empty() {
                return Ok(());
            }
            let (k, v) = lists[pick.index(lists.len())];
            let V::List(items, _, _) = v else { unreachable!() };
            let others = |e: &Document| {
                for (k2, v2) in entries.iter().filter(|(k2, _)| k2 != k) {
                    reads_as(e, k2, v2);
                }
            };
            if !items.iter().any(|i| i.trim() == new.trim()) {
                let a = d.add_item(k, &new, SetOptions::default(), &[]).unwrap();
                let mut want = items.clone();
                want.push(new.clone());
                prop_assert_eq!(a.list(k).map(|l| l.iter().map(|s| s.trim().to_string()).collect::<Vec<_>>()), Some(want.iter().map(|s| s.trim().to_string()).collect()));
                let (del, ins) = changed_lines(d.text(), a.text());
                prop_assert!(del.len() <= 1 && ins.len() <= 1, "{:?} -> {:?}", del, ins);
                others(&a);
                prop_assert_eq!(a.body(), d.body());
            }
            if let Some(first) = items.first() {
                let r = d.remove_item(k, first).unwrap();
                prop_assert_eq!(r.list(k).unwrap_or_default().len() + 1, items.len());
                let (del, ins) = changed_lines(d.text(), r.text());
                prop_assert!(del.len() <= 2 && ins.len() <= 1, "{:?} -> {:?}", del, ins);
                others(&r);
            }
        }
    }
}
