//! New sessions: which template each language starts from (lectern.toml,
//! the site's archetypes, else Lectern's own) and what `create_session`
//! writes or refuses.

use crate::support::{copy_tree, repo_root};
use lectern::site::Site;
use lectern::templates::{SessionTemplates, TemplateSource, BUNDLED, BUNDLED_ZH};
use lectern::workspace::Workspace;
use std::path::Path;

fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    copy_tree(&repo_root().join("assets/sample-site"))
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn session_files(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join("content/sessions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

const ARCHETYPE: &str =
    "---\ntitle: \"{{title}}\"\ntrack: \"{{track}}\"\nstype: \"English Session\"\n---\nArchetype body.\n";
const ARCHETYPE_ZH: &str =
    "---\ntitle: \"{{title}}\"\ntrack: \"{{track}}\"\nstype: \"英文演讲\"\n---\n原型正文。\n";

#[test]
fn a_site_without_templates_gets_the_bundled_ones_per_language() {
    let (_t, root) = sample();
    let t = SessionTemplates::for_site(&Site::discover(&root).unwrap());
    assert_eq!(t.by_lang["en"].source, TemplateSource::Bundled);
    assert_eq!(t.text("en"), BUNDLED);
    assert_eq!(t.text("zh"), BUNDLED_ZH);
    assert!(t.warnings.is_empty());
}

#[test]
fn the_sites_archetypes_win_over_the_bundled_templates() {
    let (_t, root) = sample();
    write(&root, "archetypes/sessions.md", ARCHETYPE);
    write(&root, "archetypes/sessions.zh.md", ARCHETYPE_ZH);
    let t = SessionTemplates::for_site(&Site::discover(&root).unwrap());
    assert_eq!(
        t.by_lang["en"].source,
        TemplateSource::Archetype("archetypes/sessions.md".into())
    );
    assert_eq!(
        t.by_lang["zh"].source,
        TemplateSource::Archetype("archetypes/sessions.zh.md".into())
    );
    assert_eq!(t.text("zh"), ARCHETYPE_ZH);
}

#[test]
fn a_hugo_archetype_with_go_template_calls_is_skipped_with_a_warning() {
    let (_t, root) = sample();
    write(
        &root,
        "archetypes/sessions.md",
        "---\ntitle: \"{{ replace .Name \"-\" \" \" | title }}\"\ndate: {{ .Date }}\n---\n",
    );
    let t = SessionTemplates::for_site(&Site::discover(&root).unwrap());
    assert_eq!(t.by_lang["en"].source, TemplateSource::Bundled);
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    assert!(
        t.warnings[0].contains("archetypes/sessions.md")
            && t.warnings[0].contains("not plain YAML"),
        "{:?}",
        t.warnings
    );
}

#[test]
fn the_template_named_in_lectern_toml_wins_over_the_archetypes() {
    let (_t, root) = sample();
    write(&root, "archetypes/sessions.md", ARCHETYPE);
    write(
        &root,
        "templates/talk.md",
        "---\ntitle: \"{{title}}\"\ntrack: \"{{track}}\"\n---\nConfigured.\n",
    );
    let toml = std::fs::read_to_string(root.join("lectern.toml")).unwrap();
    std::fs::write(
        root.join("lectern.toml"),
        toml.replace(
            "[sessions]\n",
            "[sessions]\ntemplate = \"templates/talk.md\"\n",
        ),
    )
    .unwrap();
    let t = SessionTemplates::for_site(&Site::discover(&root).unwrap());
    assert_eq!(
        t.by_lang["en"].source,
        TemplateSource::Config("templates/talk.md".into())
    );
    // No templates/talk.zh.md and no Chinese archetype: the bundled one.
    assert_eq!(t.by_lang["zh"].source, TemplateSource::Bundled);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
}

#[test]
fn a_missing_template_named_in_lectern_toml_is_reported_and_skipped() {
    let (_t, root) = sample();
    let toml = std::fs::read_to_string(root.join("lectern.toml")).unwrap();
    std::fs::write(
        root.join("lectern.toml"),
        toml.replace(
            "[sessions]\n",
            "[sessions]\ntemplate = \"templates/gone.md\"\n",
        ),
    )
    .unwrap();
    let t = SessionTemplates::for_site(&Site::discover(&root).unwrap());
    assert_eq!(t.by_lang["en"].source, TemplateSource::Bundled);
    assert!(
        t.warnings.iter().any(|w| w.contains("templates/gone.md")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn create_session_writes_every_chosen_twin_from_the_templates_and_loads_them() {
    let (_t, root) = sample();
    write(&root, "archetypes/sessions.md", ARCHETYPE);
    let mut ws = Workspace::open(&root).unwrap();
    let made = ws
        .create_session("ai", "1300001", &["zh".into(), "en".into()])
        .unwrap();
    assert!(made.warnings.is_empty());
    let ids = made.ids;
    assert_eq!(
        ids,
        [
            "content/sessions/ai-1300001.md",
            "content/sessions/ai-1300001.zh.md"
        ]
    );
    let en = std::fs::read_to_string(root.join(&ids[0])).unwrap();
    assert_eq!(
        en,
        ARCHETYPE
            .replace("{{title}}", "")
            .replace("{{track}}", "ai")
    );
    let zh = std::fs::read_to_string(root.join(&ids[1])).unwrap();
    let expected_zh = lectern::templates::PLACEHOLDERS
        .iter()
        .fold(BUNDLED_ZH.replace("{{track}}", "ai"), |text, p| {
            text.replace(p, "")
        });
    assert_eq!(zh, expected_zh);
    assert!(zh.contains("track: \"ai\"") && !zh.contains("{{"), "{zh}");
    assert!(
        !ws.is_modified(&ids[0]),
        "created files are saved, not dirty"
    );
    assert_eq!(ws.twins(&ids[0]).len(), 2);
    assert!(ws.summaries().iter().any(|r| r.stem == "ai-1300001"));
}

#[test]
fn create_session_can_make_a_single_language_file() {
    let (_t, root) = sample();
    let mut ws = Workspace::open(&root).unwrap();
    let ids = ws
        .create_session("community", "abc_1", &["zh".into()])
        .unwrap()
        .ids;
    assert_eq!(ids, ["content/sessions/community-abc_1.zh.md"]);
    assert!(!root.join("content/sessions/community-abc_1.md").exists());
    assert_eq!(
        ws.document(&ids[0]).unwrap().get("track").as_deref(),
        Some("community")
    );
}

#[test]
fn create_session_refuses_bad_names_and_taken_ids_and_writes_nothing() {
    let (_t, root) = sample();
    let before = session_files(&root);
    let mut ws = Workspace::open(&root).unwrap();
    let both = ["en".to_string(), "zh".to_string()];
    let err = |r: lectern::Result<lectern::workspace::NewSession>| r.unwrap_err().to_string();
    // An id used by another session, even in another track.
    let e = err(ws.create_session("ai", "1204512", &both));
    assert!(
        e.contains("already used by content/sessions/ai-1204512.md"),
        "{e}"
    );
    let e = err(ws.create_session("bigdata", "1204512", &both));
    assert!(e.contains("already used"), "{e}");
    for bad in ["12-3", "1.2", "a b", "../x", "x/y", "ü"] {
        let e = err(ws.create_session("ai", bad, &both));
        assert!(e.contains("not a valid session id"), "{bad}: {e}");
    }
    assert!(err(ws.create_session("ai", "", &both)).contains("enter an id"));
    assert!(err(ws.create_session("nope", "9", &both)).contains("unknown track \"nope\""));
    assert!(err(ws.create_session("../ai", "9", &both)).contains("not a track name"));
    assert!(err(ws.create_session("ai", "9", &[])).contains("at least one language"));
    assert!(err(ws.create_session("ai", "9", &["fr".into()]))
        .contains("\"fr\" is not a language of this site"));
    assert_eq!(
        session_files(&root),
        before,
        "a refused new session writes nothing"
    );
    assert_eq!(ws.summaries().len(), 12);
}

#[test]
fn create_session_refuses_a_file_that_exists_on_disk_but_is_not_loaded() {
    let (_t, root) = sample();
    let mut ws = Workspace::open(&root).unwrap();
    write(
        &root,
        "content/sessions/ai-777.zh.md",
        "---\ntitle: \"x\"\n---\n",
    );
    let e = ws
        .create_session("ai", "777", &["en".into(), "zh".into()])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("content/sessions/ai-777.zh.md already exists"),
        "{e}"
    );
    assert!(!root.join("content/sessions/ai-777.md").exists());
}
