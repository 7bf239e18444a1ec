//! Builds large sites for benchmarks by replicating a fixture site's sessions
//! under new ids, spreading them over days, rooms and times.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The fixture to replicate: the sample site when present, else the mini fixture.
pub fn source_site() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("assets/sample-site");
    if sample.join("content/sessions").is_dir() {
        sample
    } else {
        root.join("tests/fixtures/mini")
    }
}

fn copy_dir(src: &Path, dst: &Path, skip_sessions: bool) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir").flatten() {
        let p = e.path();
        let t = dst.join(e.file_name());
        if p.is_dir() {
            if skip_sessions && p.ends_with("content/sessions") {
                std::fs::create_dir_all(&t).expect("mkdir");
                continue;
            }
            copy_dir(&p, &t, skip_sessions);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// Days and rooms of a generated site: enough for every session to have its
/// own (day, room, slot), as a real 10,000-file programme would.
pub const DAYS: usize = 7;
/// Rooms per language in a generated site.
pub const ROOMS: usize = 120;
const SLOTS: [&str; 7] = [
    "09:30", "10:10", "10:50", "13:30", "14:10", "14:50", "15:30",
];

/// Write a site with `files` session files (twins included) into `dst`:
/// the fixture's sessions under new ids, each with its own day, room and
/// time, and presenters renamed per copy so nobody is in two places at once.
pub fn generate(src: &Path, dst: &Path, files: usize) {
    copy_dir(src, dst, true);
    let days: Vec<String> = (0..DAYS).map(|d| format!("2026-08-{:02}", d + 1)).collect();
    let cfg = std::fs::read_to_string(dst.join("config.toml")).expect("config.toml");
    let cfg: String = cfg
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("schedule") {
                format!("  schedule = {:?}", days)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dst.join("config.toml"), cfg).expect("config");
    let en_rooms: Vec<String> = (1..=ROOMS).map(|r| format!("Room {r}")).collect();
    let zh_rooms: Vec<String> = (1..=ROOMS).map(|r| format!("{r} 室")).collect();
    std::fs::create_dir_all(dst.join("data")).expect("data");
    std::fs::write(
        dst.join("data/rooms.yaml"),
        format!("en: {en_rooms:?}\nzh: {zh_rooms:?}\n"),
    )
    .expect("rooms");
    let sessions = dst.join("content/sessions");
    let mut originals: Vec<(String, String, String)> = Vec::new(); // (stem, lang suffix, text)
    for e in std::fs::read_dir(src.join("content/sessions"))
        .expect("sessions")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let base = name.trim_end_matches(".md");
        let (stem, suffix) = match base.rsplit_once('.') {
            Some((s, l)) => (s.to_string(), format!(".{l}")),
            None => (base.to_string(), String::new()),
        };
        originals.push((stem, suffix, text));
    }
    originals.sort();
    let en: Vec<&(String, String, String)> = originals.iter().filter(|o| o.1.is_empty()).collect();
    let mut written = 0;
    let mut n = 0usize;
    while written < files {
        for o in &en {
            if written >= files {
                break;
            }
            n += 1;
            let id = 5_000_000 + n;
            let track = o.0.rsplit_once('-').map_or(o.0.as_str(), |(t, _)| t);
            let (slot, room, day) = (
                n % SLOTS.len(),
                (n / SLOTS.len()) % ROOMS,
                (n / (SLOTS.len() * ROOMS)) % DAYS,
            );
            let copy = n;
            let rewrite = |t: &str, zh: bool| -> String {
                let mut out = String::with_capacity(t.len() + 64);
                let presenters = t
                    .lines()
                    .find(|l| l.starts_with("presenters:"))
                    .unwrap_or("");
                let names: Vec<String> = presenters
                    .trim_start_matches("presenters:")
                    .trim()
                    .trim_matches('"')
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                for l in t.split_inclusive('\n') {
                    let eol = if l.ends_with("\r\n") {
                        "\r\n"
                    } else if l.ends_with('\n') {
                        "\n"
                    } else {
                        ""
                    };
                    if l.starts_with("date:") {
                        out.push_str(&format!("date: \"{}T{}:00\"{eol}", days[day], SLOTS[slot]));
                    } else if l.starts_with("room:") {
                        out.push_str(&format!(
                            "room: \"{}\"{eol}",
                            if zh { &zh_rooms[room] } else { &en_rooms[room] }
                        ));
                    } else {
                        out.push_str(l);
                    }
                }
                for name in &names {
                    out = out.replace(name.as_str(), &format!("{name} {copy}"));
                }
                out
            };
            std::fs::write(
                sessions.join(format!("{track}-{id}.md")),
                rewrite(&o.2, false),
            )
            .expect("write");
            written += 1;
            if let Some(twin) = originals.iter().find(|t| t.0 == o.0 && !t.1.is_empty()) {
                if written < files {
                    std::fs::write(
                        sessions.join(format!("{track}-{id}{}.md", twin.1)),
                        rewrite(&twin.2, true),
                    )
                    .expect("write");
                    written += 1;
                }
            }
        }
    }
}

/// The raw floor for one session file: read it, parse its front matter with
/// serde_yaml and render its body with pulldown-cmark, nothing else.
pub fn floor_one(p: &Path) -> usize {
    let text = std::fs::read_to_string(p).unwrap_or_default();
    let t = text.trim_start_matches('\u{feff}');
    let rest = &t[t.find('\n').map_or(0, |i| i + 1)..];
    let end = rest.find("\n---").unwrap_or(0);
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&rest[..end]).unwrap_or(serde_yaml::Value::Null);
    let body = &rest[(end + 4).min(rest.len())..];
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    html.len() + usize::from(yaml.is_mapping())
}

/// Write a Europe-shaped site (issue 11) with `sessions` session files into
/// `dst`: slug file names in a year folder, YAML `speakers` lists naming
/// one page per speaker under `content/speakers/<slug>/_index.md` (a
/// quarter of the sessions have two speakers), `time_start`/`time_end`,
/// tracks as human titles, no twins, and the `lectern.toml` profile that
/// describes it. Every session has its own room and time, so the check
/// finds nothing but runs every rule (speaker pages resolved, clashes and
/// days by role). Returns the session files.
pub fn generate_europe(dst: &Path, sessions: usize) -> Vec<PathBuf> {
    const TRACKS: [&str; 8] = [
        "Community",
        "Data Engineering",
        "Big Data Storage",
        "Search",
        "IoT",
        "Observability",
        "API & Microservices",
        "Fintech",
    ];
    const WORDS: [&str; 12] = [
        "streams", "lakes", "graphs", "search", "clouds", "queues", "tables", "metrics", "caches",
        "agents", "schemas", "logs",
    ];
    let slots_per_day = 12usize;
    let rooms = sessions.div_ceil(3 * slots_per_day).max(1);
    std::fs::create_dir_all(dst.join("content/sessions/2031")).expect("mkdir");
    std::fs::write(
        dst.join("config.toml"),
        "title = \"Harbour Summit 2031\"\nbaseURL = \"https://example.org/\"\n",
    )
    .expect("config");
    std::fs::write(
        dst.join("lectern.toml"),
        "[sessions]\ndir = \"content/sessions\"\nfile_pattern = \"{slug}\"\n\n[roles]\nstart = \"time_start\"\nend = \"time_end\"\nspeakers = \"speakers\"\n\n[schedule]\nstart = \"2031-06-03\"\nend = \"2031-06-05\"\n\n[speakers]\npages = \"content/speakers\"\n",
    )
    .expect("lectern.toml");
    std::fs::write(
        dst.join("content/sessions/_index.md"),
        "---\ntitle: Sessions\n---\n",
    )
    .expect("index");
    let speaker_page = |slug: &str, name: &str| {
        let dir = dst.join("content/speakers").join(slug);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(
            dir.join("_index.md"),
            format!("---\ntitle: \"{name}\"\ndesignation: \"Engineer at Example\"\nimages:\n  - images/speakers/{slug}.jpg\nevents:\n  - 2031\n---\n{name} builds data systems and maintains two open source projects. Before that they ran a meetup for six years.\n"),
        )
        .expect("speaker page");
    };
    let mut files = Vec::with_capacity(sessions);
    for i in 0..sessions {
        let day = 3 + (i / (rooms * slots_per_day)) % 3;
        let slot = (i / rooms) % slots_per_day;
        let room = i % rooms;
        let (h, m) = (9 + (slot * 40) / 60, (slot * 40) % 60);
        let (eh, em) = (9 + (slot * 40 + 30) / 60, (slot * 40 + 30) % 60);
        let slug = format!(
            "{}-and-{}-at-scale-{i}",
            WORDS[i % 12],
            WORDS[(i / 12) % 12]
        );
        let mut speakers = vec![format!("Person {i}")];
        speaker_page(&format!("person-{i}"), &format!("Person {i}"));
        if i % 4 == 0 {
            speakers.push(format!("Partner {i}"));
            speaker_page(&format!("partner-{i}"), &format!("Partner {i}"));
        }
        let list: String = speakers.iter().map(|s| format!("  - {s}\n")).collect();
        let text = format!(
            "---\ntitle: \"{} and {} at scale, part {i}\"\nslug: {slug}\nspeakers:\n{list}time_start: 2031-06-0{day} {h:02}:{m:02}:00\ntime_end: 2031-06-0{day} {eh:02}:{em:02}:00\nday: {}\nroom: \"Room {room}\"\ntrack: {}\n---\nWe moved {} from a nightly batch to a continuous pipeline and kept the numbers honest.\n\nThis talk walks through the **three** mistakes we made, the metrics that caught them, and the\nsmall tools we wrote on the way. Expect graphs, a short demo and a list of things we would do again:\n\n- measure before tuning\n- keep the old path running until the new one agrees\n- write the runbook while the incident is fresh\n",
            WORDS[i % 12],
            WORDS[(i / 12) % 12],
            day - 2,
            TRACKS[i % TRACKS.len()],
            WORDS[(i / 7) % 12],
        );
        let p = dst.join(format!("content/sessions/2031/{slug}.md"));
        std::fs::write(&p, text).expect("session");
        files.push(p);
    }
    files.sort();
    files
}
