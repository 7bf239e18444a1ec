//! Programmes kept in data files (issue 11), on a devopsdays-shaped site of
//! our own: two events under `content/events/<year>-<city>/` with TOML talks
//! in `program/` and speaker pages in `speakers/`, each event's timetable in
//! `data/events/<year>/<city>/program.yml` and its dates in `main.yml`.

use std::path::Path;
use std::process::Command;

fn lectern() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let s = std::fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "{rel}: {from:?} not in\n{s}");
    std::fs::write(&p, s.replacen(from, to, 1)).unwrap();
}

fn check_json(site: &Path) -> (i32, Vec<serde_json::Value>) {
    let out = lectern()
        .args(["check", "--format", "json"])
        .arg(site)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

/// (code, file, line) of every finding above `info`, sorted.
fn findings(v: &[serde_json::Value]) -> Vec<(String, String, u64)> {
    let mut c: Vec<(String, String, u64)> = v
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    c.sort();
    c
}

fn message<'a>(v: &'a [serde_json::Value], code: &str, file: &str) -> &'a str {
    v.iter()
        .find(|d| d["code"] == code && d["file"] == file)
        .unwrap_or_else(|| panic!("no {code} on {file}: {v:#?}"))["message"]
        .as_str()
        .unwrap()
}

const LECTERN_TOML: &str = r#"[sessions]
dir = "content/events/*/program"
file_pattern = "{slug}"

[roles]
title = "Title"
start = "Talk_date"
speakers = "Speakers"
type = "Type"

[fields.Speakers]
type = "items"

[speakers]
pages = "content/events/*/speakers"

[schedule.data]
program = "data/events/{year}/{city}/program.yml"
event = "data/events/{year}/{city}/main.yml"
sessions = "content/events/{year}-{city}/program"
"#;

const LYON_PROGRAM: &str = r#"# Lyon's timetable
- title: "Registration & coffee"
  type: custom
  date: 2030-05-06
  start_time: "08:00"
  end_time: "09:00"

- title: pipelines
  type: talk
  date: 2030-05-06
  start_time: "09:00"
  end_time: "09:30"

- title: observability
  type: talk
  date: 2030-05-06
  start_time: "09:30"
  end_time: "10:00"

- title: Lunch
  type: lunch
  date: 2030-05-06
  start_time: "12:00"
  end_time: "13:00"

- title: culture
  type: talk
  date: 2030-05-07
  start_time: "9:00"
  end_time: "9:45"
"#;

/// devopsdays' own shape: a mapping with the timetable under `program:`
/// (talk entries name talk pages, `Ignites` is a block) and the ignite talks
/// under `ignites:`, dates written as midnight with an offset.
const OSLO_PROGRAM: &str = r#"program:
  - title: "Registration"
    type: custom
    date: 2030-09-12T00:00:00+02:00
    start_time: "09:00"
    end_time: "10:00"
  - title: "pipelines"
    type: talk
    date: 2030-09-12T00:00:00+02:00
    start_time: "10:00"
    end_time: "10:45"
  - title: "fjords"
    type: talk
    date: 2030-09-12T00:00:00+02:00
    start_time: "10:00"
    end_time: "10:30"
  - title: "Ignites"
    type: ignite
    date: 2030-09-12T00:00:00+02:00
    start_time: "13:30"
    end_time: "14:00"
ignites:
  - title: "quick-wins"
    date: 2030-09-12T00:00:00+02:00
"#;

/// Two events; in each, talks at the same time in parallel (devopsdays has
/// no rooms), one person in two Lyon talks on different days, an ignite that
/// the timetable lists only as a block, and the same talk slug in both
/// events.
fn devopsdays_shaped() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    write(
        r,
        "config.toml",
        "title = \"Ops Days\"\nbaseURL = \"https://example.org/\"\n",
    );
    write(r, "lectern.toml", LECTERN_TOML);
    let talk = |event: &str, slug: &str, title: &str, kind: &str, speakers: &[&str]| {
        let sp = speakers
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        write(
            r,
            &format!("content/events/{event}/program/{slug}.md"),
            &format!("+++\nTitle = \"{title}\"\nType = \"{kind}\"\nSpeakers = [{sp}]\nTalk_date = \"\"\n+++\n\nAbstract of {title}.\n"),
        );
    };
    let speaker = |event: &str, slug: &str, name: &str| {
        write(
            r,
            &format!("content/events/{event}/speakers/{slug}.md"),
            &format!("+++\nTitle = \"{name}\"\nType = \"speaker\"\n+++\n\nBio.\n"),
        );
    };
    for (event, name) in [("2030-lyon", "Lyon"), ("2030-oslo", "Oslo")] {
        write(
            r,
            &format!("content/events/{event}/_index.md"),
            &format!("+++\nTitle = \"devopsdays {name} 2030\"\n+++\n"),
        );
        write(
            r,
            &format!("content/events/{event}/program.md"),
            "+++\nTitle = \"Program\"\nType = \"program\"\n+++\n",
        );
    }
    talk(
        "2030-lyon",
        "pipelines",
        "Pipelines at scale",
        "talk",
        &["ana-silva"],
    );
    talk(
        "2030-lyon",
        "observability",
        "Seeing clearly",
        "talk",
        &["bo-chen"],
    );
    talk(
        "2030-lyon",
        "culture",
        "Culture eats process",
        "talk",
        &["cy-dee", "ana-silva"],
    );
    talk(
        "2030-lyon",
        "lightning-deploys",
        "Deploys in five minutes",
        "ignite",
        &["bo-chen"],
    );
    speaker("2030-lyon", "ana-silva", "Ana Silva");
    speaker("2030-lyon", "bo-chen", "Bo Chen");
    speaker("2030-lyon", "cy-dee", "Cy Dee");
    talk(
        "2030-oslo",
        "pipelines",
        "Pipelines, again",
        "talk",
        &["dee-eng"],
    );
    talk(
        "2030-oslo",
        "fjords",
        "Fjords of data",
        "talk",
        &["eve-fox"],
    );
    talk(
        "2030-oslo",
        "quick-wins",
        "Quick wins",
        "ignite",
        &["dee-eng"],
    );
    speaker("2030-oslo", "dee-eng", "Dee Eng");
    speaker("2030-oslo", "eve-fox", "Eve Fox");
    write(r, "data/events/2030/lyon/program.yml", LYON_PROGRAM);
    write(
        r,
        "data/events/2030/lyon/main.yml",
        "name: \"2030-lyon\"\nyear: \"2030\"\ncity: \"Lyon\"\nstartdate: 2030-05-06\nenddate: 2030-05-07\n",
    );
    write(r, "data/events/2030/oslo/program.yml", OSLO_PROGRAM);
    write(
        r,
        "data/events/2030/oslo/main.yml",
        "name: \"2030-oslo\"\nstartdate: \"2030-09-12T00:00:00+02:00\"\nenddate: \"2030-09-12T00:00:00+02:00\"\n",
    );
    t
}

#[test]
fn a_devopsdays_shaped_site_reads_its_programme_and_checks_clean() {
    let t = devopsdays_shaped();
    let (code, v) = check_json(t.path());
    assert_eq!(findings(&v), [], "{v:#?}");
    assert_eq!(code, 0);

    let site = lectern::site::Site::discover(t.path()).unwrap();
    // The days come from the event files (lectern.toml declares none).
    assert_eq!(site.days, ["2030-05-06", "2030-05-07", "2030-09-12"]);
    let slot = |rel: &str| {
        let f = site.session_file_for(&t.path().join(rel));
        site.data_slot(&f).map(|s| {
            (
                s.start.format("%Y-%m-%d %H:%M").to_string(),
                s.end.map(|e| e.format("%H:%M").to_string()),
                s.file,
                s.line,
            )
        })
    };
    // The same slug in two events is two talks, each timed by its own event.
    assert_eq!(
        slot("content/events/2030-lyon/program/pipelines.md"),
        Some((
            "2030-05-06 09:00".into(),
            Some("09:30".into()),
            "data/events/2030/lyon/program.yml".into(),
            8
        ))
    );
    assert_eq!(
        slot("content/events/2030-oslo/program/pipelines.md"),
        Some((
            "2030-09-12 10:00".into(),
            Some("10:45".into()),
            "data/events/2030/oslo/program.yml".into(),
            7
        ))
    );
    assert_eq!(
        slot("content/events/2030-lyon/program/culture.md").map(|s| (s.0, s.1)),
        Some(("2030-05-07 09:00".into(), Some("09:45".into())))
    );
    assert_eq!(
        slot("content/events/2030-lyon/program/lightning-deploys.md"),
        None
    );
}

#[test]
fn defects_injected_into_a_devopsdays_shaped_site_are_found() {
    let t = devopsdays_shaped();
    let r = t.path();
    let lyon = "data/events/2030/lyon/program.yml";
    let oslo = "data/events/2030/oslo/program.yml";
    // A talk page that its event's timetable leaves out.
    write(
        r,
        "content/events/2030-oslo/program/unscheduled.md",
        "+++\nTitle = \"Left out\"\nType = \"talk\"\nSpeakers = [\"eve-fox\"]\nTalk_date = \"\"\n+++\n",
    );
    // A timetable entry with no talk page (a typo of `fjords`), at line 17,
    // and an ignite with no talk page, at line 30.
    edit(
        r,
        oslo,
        "  - title: \"Ignites\"",
        "  - title: \"fjord\"\n    type: talk\n    date: 2030-09-12\n    start_time: \"11:00\"\n    end_time: \"11:30\"\n  - title: \"Ignites\"",
    );
    let text = std::fs::read_to_string(r.join(oslo)).unwrap();
    std::fs::write(
        r.join(oslo),
        format!("{text}  - title: \"slow-losses\"\n    date: 2030-09-12T00:00:00+02:00\n"),
    )
    .unwrap();
    // The same talk twice (a copied entry left behind), at line 32.
    let text = std::fs::read_to_string(r.join(lyon)).unwrap();
    std::fs::write(
        r.join(lyon),
        format!("{text}\n- title: pipelines\n  type: talk\n  date: 2030-05-07\n  start_time: \"11:00\"\n  end_time: \"11:30\"\n"),
    )
    .unwrap();
    // Outside the event's days (line 28: culture's date).
    edit(r, lyon, "date: 2030-05-07", "date: 2030-05-09");
    // End before start (line 18: observability's end).
    edit(r, lyon, "end_time: \"10:00\"", "end_time: \"09:20\"");
    // One speaker in two Oslo talks at once.
    edit(
        r,
        "content/events/2030-oslo/program/fjords.md",
        "Speakers = [\"eve-fox\"]",
        "Speakers = [\"eve-fox\", \"dee-eng\"]",
    );
    let (code, v) = check_json(r);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        [
            ("date-outside-days".to_string(), lyon.to_string(), 28),
            ("end-before-start".into(), lyon.into(), 18),
            (
                "not-in-programme".into(),
                "content/events/2030-oslo/program/unscheduled.md".into(),
                2
            ),
            (
                "presenter-clash".into(),
                "content/events/2030-oslo/program/pipelines.md".into(),
                4
            ),
            ("programme-duplicate".into(), lyon.into(), 32),
            ("unknown-talk".into(), oslo.into(), 17),
            ("unknown-talk".into(), oslo.into(), 30),
        ],
        "{v:#?}"
    );
    assert!(
        message(&v, "unknown-talk", oslo)
            .contains("programme of 2030/oslo names the talk \"fjord\"")
            && message(&v, "unknown-talk", oslo).contains("did you mean \"fjords\""),
        "{v:#?}"
    );
    let clash = message(
        &v,
        "presenter-clash",
        "content/events/2030-oslo/program/pipelines.md",
    );
    assert!(
        clash.contains("dee-eng") && clash.contains(&format!("its times in {oslo}:")),
        "the clash says where its times came from: {clash}"
    );
    assert!(
        message(&v, "date-outside-days", lyon).contains("2030-05-06, 2030-05-07"),
        "{v:#?}"
    );
}

/// Each session is checked against its own event's days: a Lyon talk given
/// an Oslo date in its front matter is outside Lyon's days.
#[test]
fn a_front_matter_date_is_checked_against_its_own_events_days() {
    let t = devopsdays_shaped();
    let rel = "content/events/2030-lyon/program/pipelines.md";
    edit(
        t.path(),
        rel,
        "Talk_date = \"\"",
        "Talk_date = \"2030-09-12T10:00:00\"",
    );
    let (code, v) = check_json(t.path());
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        [("date-outside-days".to_string(), rel.to_string(), 5)],
        "{v:#?}"
    );
    // Its own time wins over the timetable's, so it does not clash with
    // Oslo's 10:00 pipelines talk even though both are on 2030-09-12.
}

#[test]
fn a_malformed_programme_is_a_located_error_and_the_other_event_still_reads() {
    let t = devopsdays_shaped();
    let r = t.path();
    let lyon = "data/events/2030/lyon/program.yml";
    // An unclosed quote on line 5.
    edit(r, lyon, "start_time: \"08:00\"", "start_time: \"08:00");
    let (code, v) = check_json(r);
    assert_eq!(code, 1);
    let bad: Vec<_> = findings(&v)
        .into_iter()
        .filter(|f| f.0 == "programme-file")
        .collect();
    assert_eq!(bad.len(), 1, "{v:#?}");
    assert_eq!(bad[0].1, lyon);
    // The parser notices on the next line, where the string runs into `end_time`.
    assert!((5..=6).contains(&bad[0].2), "located: {bad:?}");
    assert!(message(&v, "programme-file", lyon).contains("invalid YAML"));
    // A key indented too far, on line 3.
    write(
        r,
        lyon,
        "- title: pipelines\n  type: talk\n   date: 2030-05-06\n",
    );
    let (_, v) = check_json(r);
    assert_eq!(
        findings(&v)
            .into_iter()
            .filter(|f| f.1 == lyon)
            .collect::<Vec<_>>(),
        [("programme-file".to_string(), lyon.to_string(), 3)],
        "{v:#?}"
    );
    // Oslo's programme still times its talks.
    let site = lectern::site::Site::discover(r).unwrap();
    let f = site.session_file_for(&r.join("content/events/2030-oslo/program/fjords.md"));
    assert!(site.data_slot(&f).is_some());

    // An event file whose last day is before its first, and one whose first
    // day is not a day: located, and the event's days are then unknown.
    let main = "data/events/2030/oslo/main.yml";
    edit(
        r,
        main,
        "enddate: \"2030-09-12T00:00:00+02:00\"",
        "enddate: 2030-09-10",
    );
    let (_, v) = check_json(r);
    assert!(
        findings(&v).contains(&("end-before-start".to_string(), main.to_string(), 3)),
        "{v:#?}"
    );
    edit(
        r,
        main,
        "startdate: \"2030-09-12T00:00:00+02:00\"",
        "startdate: next autumn",
    );
    let (_, v) = check_json(r);
    assert!(
        findings(&v).contains(&("event-file".to_string(), main.to_string(), 2)),
        "{v:#?}"
    );
    // Not a list; an entry that is not a mapping; a time that is not a time.
    write(r, lyon, "title: pipelines\n");
    let (_, v) = check_json(r);
    assert_eq!(
        findings(&v)
            .into_iter()
            .filter(|f| f.1 == lyon)
            .collect::<Vec<_>>(),
        [("programme-file".to_string(), lyon.to_string(), 1)]
    );
    write(
        r,
        lyon,
        "- just a string\n- title: pipelines\n  type: talk\n  date: 2030-05-06\n  start_time: soon\n",
    );
    let (_, v) = check_json(r);
    let mut got: Vec<_> = findings(&v)
        .into_iter()
        .filter(|f| f.1 == lyon)
        .map(|f| (f.0, f.2))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("programme-entry".to_string(), 5),
            ("programme-file".to_string(), 1)
        ],
        "{v:#?}"
    );
}

#[test]
fn hostile_data_files_are_bounded_and_never_hang_or_leave_the_site() {
    let t = devopsdays_shaped();
    let r = t.path();
    let lyon = "data/events/2030/lyon/program.yml";
    // Over the YAML size cap: refused at line 1 before parsing.
    let mut big = String::new();
    while big.len() < 300 * 1024 {
        big.push_str("- title: pipelines\n  type: talk\n  date: 2030-05-06\n  start_time: \"09:00\"\n  end_time: \"09:30\"\n");
    }
    write(r, lyon, &big);
    let (_, v) = check_json(r);
    assert_eq!(
        findings(&v)
            .into_iter()
            .filter(|f| f.1 == lyon)
            .collect::<Vec<_>>(),
        [("programme-file".to_string(), lyon.to_string(), 1)],
        "{v:#?}"
    );
    // An alias bomb.
    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
        let name = (b'b' + i as u8) as char;
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    write(r, lyon, &bomb);
    let (_, v) = check_json(r);
    assert!(
        findings(&v)
            .iter()
            .any(|f| f.0 == "programme-file" && f.1 == lyon),
        "{v:#?}"
    );
    // A named pipe is refused, not read (reading it would block forever).
    std::fs::remove_file(r.join(lyon)).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(r.join(lyon))
        .status()
        .unwrap();
    assert!(fifo.success());
    let (_, v) = check_json(r);
    assert!(
        findings(&v)
            .iter()
            .any(|f| f.0 == "programme-file" && f.1 == lyon),
        "{v:#?}"
    );
    // A programme that is a symbolic link out of the site is not read.
    std::fs::remove_file(r.join(lyon)).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("program.yml"),
        "- title: secret\n  type: talk\n  date: 2030-05-06\n  start_time: \"09:00\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("program.yml"), r.join(lyon)).unwrap();
    let site = lectern::site::Site::discover(r).unwrap();
    let events = &site.data_schedule.as_ref().unwrap().events;
    let lyon_event = events
        .iter()
        .find(|e| e.key.get("city").map(String::as_str) == Some("lyon"))
        .unwrap();
    assert_eq!(lyon_event.programme, None);
    assert!(lyon_event.entries.is_empty());
    let (_, v) = check_json(r);
    assert!(
        !v.iter()
            .any(|d| d["message"].as_str().unwrap().contains("secret")),
        "{v:#?}"
    );
}

#[test]
fn a_data_schedule_setting_that_leaves_the_site_or_mixes_placeholders_is_refused() {
    let t = devopsdays_shaped();
    let r = t.path();
    for (from, to, says) in [
        (
            "program = \"data/events/{year}/{city}/program.yml\"",
            "program = \"../elsewhere/{year}/{city}/program.yml\"",
            "leads outside the site",
        ),
        (
            "event = \"data/events/{year}/{city}/main.yml\"",
            "event = \"data/events/{event}/main.yml\"",
            "same placeholders",
        ),
        (
            "sessions = \"content/events/{year}-{city}/program\"\n",
            "",
            "no `sessions` pattern",
        ),
    ] {
        write(r, "lectern.toml", &LECTERN_TOML.replace(from, to));
        let err = lectern::site::Site::discover(r).unwrap_err().to_string();
        assert!(err.contains(says), "{err}");
    }
}

/// One event, no placeholders: every session belongs to it. The schedule
/// grid places a session without a `date` at its timetable time, with the
/// timetable's end, and its clashes use those ends.
#[test]
fn the_schedule_grid_places_sessions_at_their_timetable_times() {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    write(r, "config.toml", "title = \"One Day\"\n");
    write(
        r,
        "lectern.toml",
        "[sessions]\nfile_pattern = \"{slug}\"\n\n[roles]\n\n[schedule.data]\nprogram = \"data/program.yml\"\nevent = \"data/event.yml\"\n",
    );
    write(r, "data/event.yml", "startdate: 2030-05-01\n");
    for (slug, who) in [("alpha", "Ana"), ("beta", "Ana"), ("gamma", "Bo")] {
        write(
            r,
            &format!("content/sessions/{slug}.md"),
            &format!("---\ntitle: \"{slug}\"\npresenters: \"{who}\"\nroom: \"Hall\"\n---\n"),
        );
    }
    // alpha 09:00–10:15 and beta 10:00–10:30 overlap by a quarter of an
    // hour, which a 40-minute default length would not see; gamma follows
    // beta in the same room without a clash.
    write(
        r,
        "data/program.yml",
        "- {title: alpha, type: talk, date: 2030-05-01, start_time: '09:00', end_time: '10:15'}\n- {title: beta, type: talk, date: 2030-05-01, start_time: '10:30', end_time: '11:00'}\n- {title: gamma, type: talk, date: 2030-05-01, start_time: '11:00', end_time: '11:45'}\n",
    );
    let site = lectern::site::Site::discover(r).unwrap();
    let (loaded, _) = lectern::validate::load_all(&site, &|| {});
    let grid = lectern::schedule::build(&site, &loaded);
    let places: Vec<(String, String, String)> = grid
        .sessions
        .iter()
        .map(|c| {
            let p = c.place.as_ref().expect("placed");
            (c.stem.clone(), p.time.clone(), p.end.clone())
        })
        .collect();
    assert_eq!(
        places,
        [
            (
                "alpha".to_string(),
                "09:00".to_string(),
                "10:15".to_string()
            ),
            ("beta".into(), "10:30".into(), "11:00".into()),
            ("gamma".into(), "11:00".into(), "11:45".into()),
        ]
    );
    assert_eq!(
        grid.days
            .iter()
            .map(|d| d.date.as_str())
            .collect::<Vec<_>>(),
        ["2030-05-01"]
    );
    assert!(grid.clashes.is_empty(), "{:#?}", grid.clashes);
    // Move beta to 10:00: it overlaps alpha's real end (10:15), in the room
    // and for Ana, in the grid and in the checker alike.
    let p = r.join("data/program.yml");
    let s = std::fs::read_to_string(&p)
        .unwrap()
        .replace("'10:30'", "'10:00'");
    std::fs::write(&p, s).unwrap();
    let site = lectern::site::Site::discover(r).unwrap();
    let (loaded, _) = lectern::validate::load_all(&site, &|| {});
    let grid = lectern::schedule::build(&site, &loaded);
    let kinds: Vec<_> = grid
        .clashes
        .iter()
        .map(|c| (c.kind, c.stems.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                lectern::schedule::ClashKind::Room,
                vec!["alpha".to_string(), "beta".to_string()]
            ),
            (
                lectern::schedule::ClashKind::Presenter,
                vec!["alpha".to_string(), "beta".to_string()]
            ),
        ]
    );
    // A move in the grid would write `date` into the session and leave the
    // data file saying otherwise: refused, with where the time is kept.
    let mut ws = lectern::workspace::Workspace::open(r).unwrap();
    let err = ws
        .move_session(
            "content/sessions/beta.md",
            lectern::schedule::slot("2030-05-01", "14:00").unwrap(),
            "Hall",
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("data/program.yml (line 2)"), "{err}");
    assert!(!ws
        .document("content/sessions/beta.md")
        .unwrap()
        .is_modified());
    let (_, v) = check_json(r);
    let got: Vec<_> = findings(&v).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        got,
        [
            (
                "presenter-clash".to_string(),
                "content/sessions/beta.md".to_string()
            ),
            ("room-clash".into(), "content/sessions/beta.md".into()),
        ],
        "{v:#?}"
    );
}

/// Older devopsdays events keep the timetable in `main.yml` itself, among
/// the event's other lists: with `program` naming both files, each event
/// reads the first that holds a programme, and an event file without one
/// is passed over.
#[test]
fn a_programme_kept_in_the_event_file_is_read_from_there() {
    let t = devopsdays_shaped();
    let r = t.path();
    std::fs::remove_file(r.join("data/events/2030/oslo/program.yml")).unwrap();
    write(
        r,
        "data/events/2030/oslo/main.yml",
        &format!(
            "name: \"2030-oslo\"\nstartdate: 2030-09-12T00:00:00+02:00\nenddate: 2030-09-12T23:59:59+02:00\nteam_members:\n  - name: \"Someone\"\n  - name: \"Else\"\n{OSLO_PROGRAM}sponsors:\n  - id: acme\n"
        ),
    );
    write(
        r,
        "lectern.toml",
        &LECTERN_TOML.replace(
            "program = \"data/events/{year}/{city}/program.yml\"",
            "program = [\"data/events/{year}/{city}/program.yml\", \"data/events/{year}/{city}/main.yml\"]",
        ),
    );
    let (code, v) = check_json(r);
    assert_eq!(findings(&v), [], "{v:#?}");
    assert_eq!(code, 0);
    let site = lectern::site::Site::discover(r).unwrap();
    let slot = |rel: &str| {
        let f = site.session_file_for(&r.join(rel));
        site.data_slot(&f).map(|s| (s.file, s.line))
    };
    assert_eq!(
        slot("content/events/2030-oslo/program/pipelines.md"),
        Some(("data/events/2030/oslo/main.yml".to_string(), 13))
    );
    assert_eq!(
        slot("content/events/2030-lyon/program/pipelines.md"),
        Some(("data/events/2030/lyon/program.yml".to_string(), 8))
    );
    // Without the programme in either file, Oslo's talks have no times and
    // nothing is reported about a programme that does not exist yet.
    write(
        r,
        "data/events/2030/oslo/main.yml",
        "name: \"2030-oslo\"\nstartdate: 2030-09-12\n",
    );
    let (code, v) = check_json(r);
    assert_eq!(findings(&v), [], "{v:#?}");
    assert_eq!(code, 0);
}
