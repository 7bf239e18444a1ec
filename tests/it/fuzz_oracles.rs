//! Invariants shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`,
//! which include this file with `#[path]`) and their proptest equivalents
//! (`tests/it/fuzz_equiv.rs`). Each oracle takes any input and panics when
//! an invariant breaks; inputs that are merely invalid are fine.
#![allow(dead_code)]

use lectern::batch::{apply_schedule, import_sessionize, ColumnMapping, ImportOptions, Plan};
use lectern::document::{split_presenters, Document};
use lectern::render::{
    assert_no_active_content, assert_reparse_stable, render, render_markdown, RenderInput,
    RenderOptions,
};
use lectern::site::Site;
use lectern::text::did_you_mean;
use lectern::text::parse_datetime;
use std::path::Path;

/// A session path with a language suffix, so language-aware code runs too.
pub const PATH: &str = "content/sessions/db-1.zh.md";

/// Keys the set-field oracle edits: known fields, an unknown one, odd ones.
pub const KEYS: &[&str] = &[
    "title",
    "date",
    "track",
    "presenters",
    "stype",
    "room",
    "speechLink",
    "newkey",
    "k-1",
    "中文",
    "a.b",
    "Title",
    "Talk_date",
    "day",
    "Twitter",
    "dup",
];

/// Load → save is byte-identical; a document rebuilt from its own text is
/// the same; setting the body or a field to what it already is changes
/// nothing.
pub fn roundtrip(data: &[u8]) {
    let Ok(d) = Document::from_bytes(PATH, data.to_vec()) else {
        return;
    };
    assert_eq!(d.bytes(), data, "loading changed the bytes");
    let again = Document::from_text(PATH, d.text().to_string());
    assert_eq!(again.bytes(), data);
    assert_eq!(again.problem(), d.problem());
    assert_eq!(again.keys(), d.keys());
    assert_eq!(
        d.set_body(d.body()).bytes(),
        data,
        "setting the body to itself changed the file"
    );
    for k in d.keys() {
        if let Some(v) = d.get(&k) {
            if let Ok(e) = d.set(&k, &v) {
                assert_eq!(
                    e.bytes(),
                    data,
                    "setting {k} to its own value changed the file"
                );
            }
        }
    }
}

/// The same through the disk: write the bytes, `Document::load`, force a
/// save (`save_over` always writes), and read back the identical bytes.
pub fn roundtrip_on_disk(dir: &Path, data: &[u8]) {
    let p = dir.join("db-1.md");
    std::fs::write(&p, data).expect("write input");
    let Ok(d) = Document::load(&p) else { return };
    d.save_over().expect("save");
    assert_eq!(
        std::fs::read(&p).expect("read back"),
        data,
        "load → save changed the bytes"
    );
}

/// Setting one field changes only that field: it reads back as the value,
/// every other key keeps its value, the body and BOM are untouched, and
/// removing the field from the old and the new document gives the same text.
pub fn set_field(text: &str, key_index: usize, value: &str) {
    let d = Document::from_text(PATH, text.to_string());
    let key = KEYS[key_index % KEYS.len()];
    let Ok(e) = d.set(key, value) else { return };
    // An emptied value may be written as nothing (`key:`), as the file writes empty values.
    let blank = value.is_empty()
        && e.get(key).is_none()
        && e.mapping()
            .is_some_and(|m| m.get(key).is_some_and(|v| v.is_null()));
    // A number field given an integer (`2` for `1.5`) is written `2.0`: the
    // same number, which is what must read back.
    let same_number = e
        .get(key)
        .and_then(|g| g.parse::<f64>().ok())
        .zip(value.trim().parse::<f64>().ok())
        .is_some_and(|(a, b)| a == b)
        && !value.trim().starts_with(['0', '+'])
        && value.trim().parse::<i64>().is_ok();
    if !blank && !same_number {
        assert_eq!(
            e.get(key).as_deref(),
            Some(value),
            "{key} does not read back"
        );
    }
    assert!(
        e.problem().is_none(),
        "the edit broke the front matter: {:?}",
        e.problem()
    );
    assert_eq!(e.body(), d.body(), "the body changed");
    assert_eq!(
        e.text().starts_with('\u{feff}'),
        d.text().starts_with('\u{feff}'),
        "the BOM changed"
    );
    for k in d.keys() {
        if k != key {
            assert_eq!(e.get(&k), d.get(&k), "setting {key} changed {k}");
        }
    }
    if let (Ok(a), Ok(b)) = (d.unset(key), e.unset(key)) {
        assert_eq!(
            a.text(),
            b.text(),
            "setting {key} touched lines outside the field"
        );
    }
    let reloaded = Document::from_text(PATH, e.text().to_string());
    assert_eq!(reloaded.get(key), e.get(key));
}

/// Keys the list oracle edits: list keys of the three formats' fixtures.
pub const LIST_KEYS: &[&str] = &[
    "speakers", "Speakers", "tags", "images", "aliases", "newlist", "title",
];

/// Adding an item to a list (any format) appends exactly it and changes no
/// other key, the body or the BOM; removing it again gives back a document
/// with the same values; removing the first item drops only that item.
pub fn list_edit(text: &str, key_index: usize, item: &str) {
    let d = Document::from_text(PATH, text.to_string());
    let key = LIST_KEYS[key_index % LIST_KEYS.len()];
    let others = |a: &Document, b: &Document| {
        for k in a.keys().into_iter().filter(|k| k != key) {
            assert_eq!(a.get(&k), b.get(&k), "editing the list {key} changed {k}");
            assert_eq!(
                a.list(&k),
                b.list(&k),
                "editing the list {key} changed the list {k}"
            );
        }
        assert_eq!(
            a.body(),
            b.body(),
            "editing the list {key} changed the body"
        );
        assert_eq!(
            a.text().starts_with('\u{feff}'),
            b.text().starts_with('\u{feff}')
        );
    };
    let before = d.list(key);
    if let Ok(e) = d.add_item(key, item, lectern::front_matter::SetOptions::default(), &[]) {
        assert!(
            e.problem().is_none(),
            "adding to {key} broke the front matter: {:?}",
            e.problem()
        );
        others(&d, &e);
        let after = e
            .list(key)
            .unwrap_or_else(|| panic!("{key} is not a list after adding {item:?}"));
        match &before {
            Some(b) if b.iter().any(|x| x.trim() == item.trim()) => {
                assert_eq!(&after, b, "adding an item {key} had changed it")
            }
            Some(b) => {
                assert_eq!(
                    after.len(),
                    b.len() + 1,
                    "{key}: {b:?} + {item:?} -> {after:?}"
                );
                assert_eq!(&after[..b.len()], &b[..]);
                assert_eq!(after[b.len()].trim(), item.trim());
            }
            None => assert_eq!(
                after.iter().map(|s| s.trim()).collect::<Vec<_>>(),
                [item.trim()]
            ),
        }
        let reloaded = Document::from_text(PATH, e.text().to_string());
        assert_eq!(reloaded.list(key), e.list(key));
        if let (Some(b), Ok(r)) = (&before, e.remove_item(key, item)) {
            if !b.iter().any(|x| x.trim() == item.trim()) {
                others(&e, &r);
                assert_eq!(
                    r.list(key).unwrap_or_default(),
                    *b,
                    "adding then removing {item:?} changed {key}"
                );
            }
        }
    }
    if let Some(first) = before.as_ref().and_then(|b| b.first()) {
        if let Ok(r) = d.remove_item(key, first) {
            others(&d, &r);
            let b = before.clone().unwrap_or_default();
            let left = r.list(key).unwrap_or_default();
            assert_eq!(
                left.len() + 1,
                b.len(),
                "{key}: removing {first:?} from {b:?} gave {left:?}"
            );
        }
    }
}

/// Rendered output never contains active content, whether the input is a
/// body (a fragment) or every header field of a standalone document at once.
pub fn render_inert(md: &str) {
    let photo = |src: &str| {
        (src.len() % 2 == 0).then(|| format!("lectern-photo://localhost/{:064x}", src.len()))
    };
    let html = render_markdown(md, &RenderOptions::new(photo, false));
    assert_no_active_content(&html)
        .unwrap_or_else(|e| panic!("active content from body {md:?}: {e}\n{html}"));
    assert_reparse_stable(&html)
        .unwrap_or_else(|e| panic!("the body of {md:?} re-parses differently: {e}\n{html}"));
    let input = RenderInput {
        title: md,
        presenters: md,
        date: Some(md),
        room: Some(md),
        stype: Some(md),
        track: Some(md),
        track_title: Some(md),
        speech_link: Some(md),
        body: md,
        lang: if md.len() % 3 == 0 { "zh" } else { md },
    };
    let html = render(&input, &RenderOptions::new(photo, true)).html;
    assert_no_active_content(&html)
        .unwrap_or_else(|e| panic!("active content from fields {md:?}: {e}\n{html}"));
}

/// Schedule-style text: the parsers the importers build on. A parsed date
/// prints and re-parses to itself; split, join, split of a presenter list is
/// stable and names are trimmed and never empty; did-you-mean only answers
/// with a candidate.
pub fn schedule_import(s: &str) {
    if let Some(dt) = parse_datetime(s) {
        let printed = dt.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
        assert_eq!(
            parse_datetime(&printed),
            Some(dt),
            "{s:?} → {printed:?} does not re-parse"
        );
    }
    let names = split_presenters(s);
    for n in &names {
        assert!(!n.is_empty() && n.trim() == n, "name {n:?} from {s:?}");
    }
    assert_eq!(
        split_presenters(&names.join(", ")),
        names,
        "split/join/split of {s:?} is not stable"
    );
    let candidates = [
        "English Session",
        "Chinese Session",
        "英文演讲",
        "中文演讲",
        "Main Hall",
        s,
    ];
    if let Some(m) = did_you_mean(s, candidates) {
        assert!(
            candidates.contains(&m.as_str()),
            "did_you_mean invented {m:?}"
        );
    }
    for line in s.lines().take(50) {
        for cell in line.split([',', ';', '\t']).take(50) {
            let _ = parse_datetime(cell);
        }
    }
}

/// The real importers on arbitrary file contents: `apply_schedule` on the
/// bytes as a CSV schedule, `import_sessionize` on them as a Sessionize JSON
/// and CSV export, against `site`. Each may fail, but must not panic, and a
/// plan may only touch relative paths inside the site (no `..`, no absolute
/// path: an id or title in the file must not steer a write elsewhere), and
/// every session file it writes must load with readable front matter.
/// Planning writes nothing; the caller checks the site is unchanged.
pub fn import_files(site: &Site, scratch: &Path, data: &[u8]) {
    let csv = scratch.join("schedule.csv");
    std::fs::write(&csv, data).expect("write input");
    if let Ok((plan, _report)) = apply_schedule(site, &csv, &ColumnMapping::default()) {
        check_plan(&plan, "apply_schedule");
    }
    for name in ["sessionize.json", "sessionize.csv"] {
        let file = scratch.join(name);
        std::fs::write(&file, data).expect("write input");
        if let Ok((plan, _report)) = import_sessionize(site, &file, &ImportOptions::default()) {
            check_plan(&plan, name);
        }
    }
}

/// Any bytes as a workbook (`.xlsx`, `.ods`, `.xls`): the schedule and
/// Sessionize importers must refuse or plan without panicking, without an
/// allocation sized by what the file claims (a cell at `XFD1048576`), and
/// only inside the site (issue 14, finding 8).
pub fn import_workbook(site: &Site, scratch: &Path, data: &[u8]) {
    for name in ["schedule.xlsx", "schedule.ods", "schedule.xls"] {
        let file = scratch.join(name);
        std::fs::write(&file, data).expect("write input");
        if let Ok((plan, _report)) = apply_schedule(site, &file, &ColumnMapping::default()) {
            check_plan(&plan, name);
        }
        if let Ok((plan, _report)) = import_sessionize(site, &file, &ImportOptions::default()) {
            check_plan(&plan, name);
        }
    }
}

fn check_plan(plan: &Plan, what: &str) {
    use std::path::Component;
    for op in &plan.ops {
        for p in op.touched() {
            assert!(
                p.components().all(|c| matches!(c, Component::Normal(_)))
                    && p.components().next().is_some(),
                "{what} planned a write outside the site: {p:?}"
            );
        }
        let path = op.path();
        if let (Some(after), true) = (
            op.after(),
            path.starts_with("content") && path.extension().is_some_and(|e| e == "md"),
        ) {
            let d = Document::from_bytes(path, after.to_vec())
                .unwrap_or_else(|e| panic!("{what} planned an unreadable {path:?}: {e}"));
            assert!(
                d.problem().is_none(),
                "{what} planned {path:?} with broken front matter: {:?}",
                d.problem()
            );
        }
    }
}

/// Any bytes as a speaker photo (checklist D3): `photos::normalize` under
/// tight decoder limits either refuses them with a message, or returns a
/// square of at most `SIDE` pixels whose bytes decode again to that size in
/// the format it claims. It never panics, and a header that promises a huge
/// image is refused before the pixels are allocated. `limits`: the
/// production ones (`DecodeLimits::default()`, checklist F5) in the
/// cargo-fuzz target, tighter ones in the quick proptest equivalent.
pub fn image_bytes(data: &[u8], limits: lectern::photos::DecodeLimits) {
    use lectern::photos::{normalize, NormalizeOptions, PhotoInput};
    const SIDE: u32 = 48;
    let options = NormalizeOptions {
        size: SIDE,
        limits,
        ..NormalizeOptions::default()
    };
    match normalize(PhotoInput::Bytes(data), &options) {
        Err(e) => assert!(
            !e.to_string().trim().is_empty(),
            "an empty error for {} bytes",
            data.len()
        ),
        Ok(photo) => {
            assert!(
                photo.width == photo.height && photo.width <= SIDE && photo.width > 0,
                "{}×{}",
                photo.width,
                photo.height
            );
            let again =
                image::load_from_memory(&photo.bytes).expect("the normalised photo decodes");
            assert_eq!((again.width(), again.height()), (photo.width, photo.height));
            let format = image::guess_format(&photo.bytes).expect("a known format");
            assert_eq!(
                format.extensions_str()[0],
                photo.format.extension(),
                "format named {:?}, bytes are {format:?}",
                photo.format
            );
        }
    }
}
