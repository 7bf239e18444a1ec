//! Twins: the same session in each language (`x.md`, `x.zh.md`). Each twin
//! should exist, and fields the schema copies or translates should agree.

use super::Loaded;
use crate::diagnostics::{Code, Diagnostic, Fix, Severity};
use crate::schema::SyncRule;
use crate::site::Site;
use crate::text::parse_datetime;
use std::collections::BTreeMap;

pub(super) fn check(site: &Site, loaded: &[Loaded]) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<&str, Vec<&Loaded>> = BTreeMap::new();
    for l in loaded {
        groups.entry(l.file.stem.as_str()).or_default().push(l);
    }
    let mut out = Vec::new();
    for (stem, group) in groups {
        if site.languages.len() > 1 {
            for lang in &site.languages {
                if group.iter().any(|l| l.file.lang == lang.code) {
                    continue;
                }
                let anchor = group
                    .iter()
                    .find(|l| l.file.lang == site.default_lang)
                    .unwrap_or(&group[0]);
                let missing = site.rel(&site.twin_path(stem, &lang.code));
                out.push(Diagnostic::new(Code::MissingTwin, Severity::Warning, &anchor.file.rel, 0, 0, format!("the {} twin {missing} is missing; create it so both languages list this session", lang.name)));
            }
        }
        let Some(base) = group
            .iter()
            .find(|l| l.file.lang == site.default_lang && l.doc.is_some())
        else {
            continue;
        };
        let Some(bd) = base.doc.as_ref() else {
            continue;
        };
        for other in group.iter().filter(|l| l.file.lang != site.default_lang) {
            let Some(od) = other.doc.as_ref() else {
                continue;
            };
            for rule in site.schema.fields.values() {
                let key = rule.name.as_str();
                let (Some(a), Some(b)) = (bd.get(key), od.get(key)) else {
                    continue;
                };
                let line = od.key_line(key).unwrap_or(0);
                match rule.sync {
                    SyncRule::Copy if a != b => {
                        let same_instant = rule.kind == crate::schema::FieldType::Datetime
                            && parse_datetime(&a).is_some()
                            && parse_datetime(&a) == parse_datetime(&b);
                        let (code, sev, msg) = if same_instant {
                            (Code::TwinFormat, Severity::Warning, format!("`{key}` is {b:?} here and {a:?} in {}: the same time written differently; write it the same way", base.file.rel))
                        } else {
                            (
                                Code::TwinMismatch,
                                Severity::Error,
                                format!(
                                    "`{key}` is {b:?} here but {a:?} in {}; twins must agree",
                                    base.file.rel
                                ),
                            )
                        };
                        let mut d = Diagnostic::new(code, sev, &other.file.rel, line, 1, msg)
                            .with_field(key);
                        // Copy the default twin's value only when it is itself valid.
                        if source_value_ok(site, rule, &base.file.lang, &a) {
                            d = d.with_fix(Fix::SetField {
                                key: key.into(),
                                value: a.clone(),
                            });
                        }
                        out.push(d);
                    }
                    SyncRule::Translate => {
                        let (Some(la), Some(lb)) = (
                            rule.values.get(&base.file.lang),
                            rule.values.get(&other.file.lang),
                        ) else {
                            continue;
                        };
                        let (Some(ia), Some(ib)) = (
                            la.iter().position(|x| *x == a),
                            lb.iter().position(|x| *x == b),
                        ) else {
                            continue;
                        };
                        if ia != ib {
                            let mut d = Diagnostic::new(
                                Code::TwinUntranslated,
                                Severity::Warning,
                                &other.file.rel,
                                line,
                                1,
                                format!("`{key}` is {b:?} here but {a:?} in {}; they are not translations of each other", base.file.rel),
                            )
                            .with_field(key);
                            if let Some(t) = lb.get(ia) {
                                d = d.with_fix(Fix::SetField {
                                    key: key.into(),
                                    value: t.clone(),
                                });
                            }
                            out.push(d);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

fn source_value_ok(site: &Site, rule: &crate::schema::FieldRule, lang: &str, value: &str) -> bool {
    use crate::schema::FieldType;
    match rule.kind {
        FieldType::Datetime => parse_datetime(value).is_some_and(|d| {
            site.days.is_empty() || site.days.contains(&d.date().format("%Y-%m-%d").to_string())
        }),
        FieldType::Enum => {
            !rule.declared_values
                || rule
                    .values_for(lang)
                    .is_some_and(|v| v.iter().any(|x| x == value))
        }
        _ => true,
    }
}
