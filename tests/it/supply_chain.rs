//! Version floors for the security-critical crates in `Cargo.lock`
//! (checklist B3, G2). Every version of a listed crate in the lock must be at
//! or above its floor; a crate that is absent passes (Tauri and its plugins
//! are only in the lock once the desktop shell is in the workspace). Raising
//! a floor is a reviewed change to this file; lowering one needs a reason.

use semver::{Version, VersionReq};
use std::collections::BTreeMap;

/// (crate, minimum version, why).
const FLOORS: &[(&str, &str, &str)] = &[
    ("tauri", "2.11.1", "the floor the project's security checklist (B3) sets for the desktop shell"),
    ("tauri-plugin-shell", "2.2.1", "CVE-2025-31477: `open` accepted file://, smb:// and other schemes; fixed in 2.2.1"),
    ("ammonia", "4.1.4", "RUSTSEC-2026-0193 (MathML annotation-xml, fixed 4.1.3) and RUSTSEC-2026-0213 (SVG set/animate javascript: hrefs, fixed 4.1.4)"),
    ("html5ever", "0.39.0", "no advisory known; the oldest version reviewed in this lock (ammonia's and our active-content checker's parser must parse as browsers do), so a downgrade needs a deliberate change here"),
    ("pulldown-cmark", "0.13.0", "the minor the XSS (337 vectors) and pathological-input suites ran against; older minors tokenise raw HTML and links differently, so those results would not carry over"),
    ("image", "0.25.8", "above the <= 0.25.6 range of the decoder DoS report (image-rs/image#2513, rustsec/advisory-db#2340); 0.25.6+ is also what the photo decoder's Limits/max_alloc use needs"),
    ("png", "0.18.0", "the major image 0.25.8+ uses; png 0.17.10 crashed in zTXt parsing on hostile input (image-rs/image-png#476), fixed in later releases"),
    ("serde_yaml", "0.9.34", "the final serde_yaml release; the front-matter parser's recursion and alias (billion laughs) limits are tested against it"),
    ("unsafe-libyaml", "0.2.10", "RUSTSEC-2023-0075: unaligned write (undefined behaviour) on 32-bit targets, fixed in 0.2.10"),
    ("ureq", "3.5.0", "the version whose resolver hook pins checked photo-host addresses (the SSRF guard); Cargo.toml asks for 3.5"),
    ("rustls", "0.23.5", "RUSTSEC-2024-0336 / CVE-2024-32650: complete_io could loop forever on a close_notify during the handshake; fixed in 0.23.5"),
];

/// Every (name, version) in a Cargo.lock text.
fn locked_versions(lock: &str) -> BTreeMap<String, Vec<Version>> {
    let table: toml::Table = lock.parse().expect("Cargo.lock is TOML");
    let mut out: BTreeMap<String, Vec<Version>> = BTreeMap::new();
    for p in table
        .get("package")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
    {
        let (Some(name), Some(version)) = (
            p.get("name").and_then(|v| v.as_str()),
            p.get("version").and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        let v = Version::parse(version).unwrap_or_else(|e| panic!("{name} {version}: {e}"));
        out.entry(name.to_string()).or_default().push(v);
    }
    out
}

/// The floors a lock breaks, one message per crate version.
fn violations(lock: &str) -> Vec<String> {
    let versions = locked_versions(lock);
    let mut out = Vec::new();
    for (name, floor, why) in FLOORS {
        let req = VersionReq::parse(&format!(">={floor}")).expect("floor");
        for v in versions.get(*name).into_iter().flatten() {
            // Build metadata (`0.9.34+deprecated`) does not count; a pre-release
            // of the floor itself is below it.
            let plain = Version::new(v.major, v.minor, v.patch);
            if !req.matches(&plain)
                || (plain == Version::parse(floor).expect("floor") && !v.pre.is_empty())
            {
                out.push(format!("{name} {v} is below the floor {floor}: {why}. Run `cargo update -p {name}` (or raise the dependency)."));
            }
        }
    }
    out
}

#[test]
fn cargo_lock_meets_the_security_version_floors() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock");
    let lock = std::fs::read_to_string(&path).expect("Cargo.lock");
    let bad = violations(&lock);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let versions = locked_versions(&lock);
    for must in [
        "ammonia",
        "pulldown-cmark",
        "html5ever",
        "image",
        "png",
        "serde_yaml",
        "ureq",
        "rustls",
    ] {
        assert!(
            versions.contains_key(must),
            "{must} is not in Cargo.lock any more; update FLOORS"
        );
    }
    let checked: Vec<String> = FLOORS
        .iter()
        .filter_map(|(n, _, _)| {
            versions.get(*n).map(|v| {
                format!(
                    "{n} {}",
                    v.iter()
                        .map(Version::to_string)
                        .collect::<Vec<_>>()
                        .join("/")
                )
            })
        })
        .collect();
    println!("version floors hold for: {}", checked.join(", "));
}

#[test]
fn a_lock_below_a_floor_fails_with_the_crate_named() {
    let lock = r#"
version = 4

[[package]]
name = "ammonia"
version = "4.1.3"

[[package]]
name = "tauri"
version = "2.10.0"

[[package]]
name = "rustls"
version = "0.23.46"

[[package]]
name = "serde_yaml"
version = "0.9.34+deprecated"

[[package]]
name = "html5ever"
version = "0.39.0-rc.1"
"#;
    let bad = violations(lock);
    assert_eq!(bad.len(), 3, "{bad:#?}");
    assert!(
        bad[0].starts_with("tauri 2.10.0 is below the floor 2.11.1"),
        "{}",
        bad[0]
    );
    assert!(bad
        .iter()
        .any(|m| m.starts_with("ammonia 4.1.3 is below the floor 4.1.4")
            && m.contains("RUSTSEC-2026-0213")));
    assert!(bad.iter().any(|m| m.starts_with("html5ever 0.39.0-rc.1")));
}
