//! Per-file rules: required fields, types, allowed values per language,
//! dates within the conference days, URLs, the speakers section and its
//! photos, and front-matter hygiene.

use super::Inferred;
use crate::diagnostics::{Code, Diagnostic, Fix, Severity};
use crate::document::{split_presenters, Document};
use crate::front_matter::{line_ranges, strip_eol};
use crate::schema::{FieldRule, FieldType};
use crate::site::{SessionFile, Site};
use crate::text::parse_datetime;

fn at(doc: &Document, key: &str) -> (usize, usize) {
    (
        doc.key_line(key)
            .unwrap_or_else(|| doc.front_matter_end_line()),
        1,
    )
}

fn diag(
    code: Code,
    sev: Severity,
    file: &SessionFile,
    doc: &Document,
    key: &str,
    msg: String,
) -> Diagnostic {
    let (line, col) = at(doc, key);
    Diagnostic::new(code, sev, &file.rel, line, col, msg).with_field(key)
}

pub(super) fn check(
    site: &Site,
    inferred: &Inferred,
    file: &SessionFile,
    doc: &Document,
    out: &mut Vec<Diagnostic>,
) {
    let Some(map) = doc.mapping() else { return };
    for rule in site.schema.fields.values() {
        let relaxed;
        let rule = if rule.required && inferred.optional.contains(&rule.name) {
            relaxed = crate::schema::FieldRule {
                required: false,
                ..rule.clone()
            };
            &relaxed
        } else {
            rule
        };
        let raw = map.get(rule.name.as_str());
        if rule.kind == FieldType::Items {
            check_items(rule, file, doc, raw, out);
            continue;
        }
        let value = raw.and_then(crate::front_matter::scalar_to_string);
        match (&value, raw) {
            (None, None) => {
                if rule.required {
                    let (line, _) = (doc.front_matter_end_line(), 1);
                    out.push(
                        Diagnostic::new(
                            Code::MissingField,
                            Severity::Error,
                            &file.rel,
                            line,
                            1,
                            format!(
                                "required field `{}` is missing; add `{}: …` to the front matter",
                                rule.name, rule.name
                            ),
                        )
                        .with_field(&rule.name),
                    );
                }
                continue;
            }
            // A list field may be a YAML list: each item is checked as a value
            // (an empty list counts as empty).
            (None, Some(_)) if rule.kind == FieldType::List && doc.list(&rule.name).is_some() => {
                let items = doc.list(&rule.name).unwrap_or_default();
                if items.iter().all(|i| i.trim().is_empty()) {
                    if rule.required {
                        out.push(diag(
                            Code::EmptyField,
                            Severity::Error,
                            file,
                            doc,
                            &rule.name,
                            format!(
                                "required field `{}` is an empty list; add at least one item",
                                rule.name
                            ),
                        ));
                    }
                    continue;
                }
                for item in items.iter().filter(|i| !i.trim().is_empty()) {
                    check_value(site, inferred, rule, file, doc, item, out);
                }
                continue;
            }
            (None, Some(v)) if !v.is_null() => {
                out.push(diag(
                    Code::FieldType,
                    Severity::Error,
                    file,
                    doc,
                    &rule.name,
                    format!(
                        "`{}` must be a single value, not a list or mapping",
                        rule.name
                    ),
                ));
                continue;
            }
            _ => {}
        }
        let v = value.unwrap_or_default();
        if v.trim().is_empty() {
            if rule.required {
                out.push(diag(
                    Code::EmptyField,
                    Severity::Error,
                    file,
                    doc,
                    &rule.name,
                    format!("required field `{}` is empty; fill it in", rule.name),
                ));
            }
            continue;
        }
        check_value(site, inferred, rule, file, doc, &v, out);
    }
}

fn check_value(
    site: &Site,
    inferred: &Inferred,
    rule: &FieldRule,
    file: &SessionFile,
    doc: &Document,
    v: &str,
    out: &mut Vec<Diagnostic>,
) {
    let name = rule.name.as_str();
    let len = v.chars().count();
    if let Some(min) = rule.min_len.filter(|m| len < *m) {
        out.push(diag(
            Code::Length,
            Severity::Warning,
            file,
            doc,
            name,
            format!("`{name}` has {len} characters; at least {min} expected"),
        ));
    }
    if let Some(max) = rule.max_len.filter(|m| len > *m) {
        out.push(diag(
            Code::Length,
            Severity::Warning,
            file,
            doc,
            name,
            format!("`{name}` has {len} characters; at most {max} allowed"),
        ));
    }
    if let Some(p) = &rule.pattern {
        if let Ok(re) = regex::Regex::new(&format!("^(?:{p})$")) {
            if !re.is_match(v) {
                out.push(diag(
                    Code::Pattern,
                    Severity::Error,
                    file,
                    doc,
                    name,
                    format!("`{name}` is {v:?}, which does not match the site's pattern `{p}`"),
                ));
            }
        }
    }
    match rule.kind {
        FieldType::Datetime => match parse_datetime(v) {
            None => out.push(diag(
                Code::BadDate,
                Severity::Error,
                file,
                doc,
                name,
                format!(
                    "`{name}` is {v:?}, not a date and time; write it like \"2022-07-29T14:00:00\""
                ),
            )),
            Some(d) => {
                let day = d.date().format("%Y-%m-%d").to_string();
                let days = site.days_for(file);
                if !days.is_empty() && !days.contains(&day) {
                    out.push(diag(
                        Code::DateOutsideDays,
                        Severity::Error,
                        file,
                        doc,
                        name,
                        format!(
                            "`{name}` is on {day}, which is not a conference day ({})",
                            days.join(", ")
                        ),
                    ));
                }
            }
        },
        FieldType::Url => check_url(file, doc, name, v, out),
        FieldType::Enum => check_enum(site, inferred, rule, file, doc, v, out),
        FieldType::Text | FieldType::List | FieldType::Items => {}
    }
}

/// `type = "items"`: a real list (YAML sequence, TOML or JSON array) whose
/// items are single values, each one of `values` when the site lists them.
fn check_items(
    rule: &FieldRule,
    file: &SessionFile,
    doc: &Document,
    raw: Option<&crate::front_matter::Value>,
    out: &mut Vec<Diagnostic>,
) {
    let name = rule.name.as_str();
    let Some(raw) = raw else {
        if rule.required {
            let line = doc.front_matter_end_line();
            out.push(
                Diagnostic::new(
                    Code::MissingField,
                    Severity::Error,
                    &file.rel,
                    line,
                    1,
                    format!("required field `{name}` is missing; add it as a list"),
                )
                .with_field(name),
            );
        }
        return;
    };
    if raw.is_null() {
        if rule.required {
            out.push(diag(
                Code::EmptyField,
                Severity::Error,
                file,
                doc,
                name,
                format!("required field `{name}` is empty; add at least one item"),
            ));
        }
        return;
    }
    let Some(items) = doc.list(name) else {
        let what = if raw.is_sequence() {
            "a list of lists or mappings"
        } else {
            "a single value"
        };
        out.push(diag(
            Code::FieldType,
            Severity::Error,
            file,
            doc,
            name,
            format!("`{name}` must be a list of values (`- item` lines or `[a, b]`), not {what}"),
        ));
        return;
    };
    if items.iter().all(|i| i.trim().is_empty()) && rule.required {
        out.push(diag(
            Code::EmptyField,
            Severity::Error,
            file,
            doc,
            name,
            format!("required field `{name}` has no items; add at least one"),
        ));
    }
    let Some(allowed) = rule
        .values_for(file.lang.as_str())
        .filter(|_| rule.declared_values)
    else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if !item.trim().is_empty() && !allowed.iter().any(|a| a == item.trim()) {
            let line = doc
                .key_line(&format!("{name}[{i}]"))
                .unwrap_or_else(|| at(doc, name).0);
            out.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    Severity::Error,
                    &file.rel,
                    line,
                    1,
                    format!("`{name}` has {item:?}, which is not one of the site's values"),
                )
                .with_field(name),
            );
        }
    }
}

fn check_url(file: &SessionFile, doc: &Document, name: &str, v: &str, out: &mut Vec<Diagnostic>) {
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^https?://[A-Za-z0-9.\-\[\]:]+(?:[/?#][^\s]*)?$").expect("static regex")
    });
    if URL.is_match(v) {
        return;
    }
    let mut d = diag(
        Code::BadUrl,
        Severity::Error,
        file,
        doc,
        name,
        format!("`{name}` is {v:?}, not an http(s) URL"),
    );
    if let Some(rest) = v.strip_prefix("//") {
        let fixed = format!("https://{rest}");
        if URL.is_match(&fixed) {
            // A scheme-relative address loads over the page's own scheme
            // (https on a published site), so it works: a note with a fix,
            // not an error (the Asia 2021 site writes 152 of them).
            d.severity = Severity::Info;
            d.message = format!("`{name}` is {v:?}, which has no scheme; it loads over the page's scheme, but {fixed:?} also works from a file or a feed");
            d = d.with_fix(Fix::SetField {
                key: name.into(),
                value: fixed,
            });
        }
    }
    out.push(d);
}

fn check_enum(
    site: &Site,
    inferred: &Inferred,
    rule: &FieldRule,
    file: &SessionFile,
    doc: &Document,
    v: &str,
    out: &mut Vec<Diagnostic>,
) {
    let name = rule.name.as_str();
    let lang = file.lang.as_str();
    let code = match name {
        "track" => Code::UnknownTrack,
        "room" => Code::UnknownRoom,
        _ => Code::InvalidValue,
    };
    if !rule.declared_values {
        if let Some((other, tr)) = inferred.other_language(name, lang, v) {
            let mut d = diag(Code::WrongLanguage, Severity::Warning, file, doc, name, match &tr {
                Some(t) => format!("`{name}` is {v:?}, the {other} value, in a {lang} file; its {lang} twins write {t:?}"),
                None => format!("`{name}` is {v:?}, the {other} value, in a {lang} file"),
            });
            if let Some(t) = tr {
                d = d.with_fix(Fix::SetField {
                    key: name.into(),
                    value: t,
                });
            }
            out.push(d);
        } else if let Some(s) = inferred.outlier(name, lang, v) {
            out.push(diag(
                Code::UnusualValue,
                Severity::Warning,
                file,
                doc,
                name,
                format!("`{name}` is {v:?}, which few sessions use; did you mean {s:?}?"),
            ));
        }
        return;
    }
    let Some(allowed) = rule.values_for(lang) else {
        return;
    };
    if allowed.iter().any(|a| a == v) {
        return;
    }
    // The value of another language: suggest its translation.
    for (other, list) in &rule.values {
        if other == lang || other == "*" {
            continue;
        }
        if list.iter().any(|x| x == v) {
            let tr = rule.translate(v, other, lang);
            let mut d = diag(code, Severity::Error, file, doc, name, match &tr {
                Some(t) => format!("`{name}` is {v:?}, the {other} value; in a {lang} file write {t:?}"),
                None => format!("`{name}` is {v:?}, the {other} value, which is not allowed in a {lang} file"),
            });
            if let Some(t) = tr {
                d = d.with_fix(Fix::SetField {
                    key: name.into(),
                    value: t,
                });
            }
            out.push(d);
            return;
        }
    }
    let suggestion = crate::text::did_you_mean(v, allowed.iter().map(String::as_str));
    let what = if name == "track" {
        "track".to_string()
    } else {
        format!("`{name}` value")
    };
    let list = if allowed.len() <= 12 {
        format!(" (allowed: {})", allowed.join(", "))
    } else {
        String::new()
    };
    // Track values come from `content/tracks/`, or from `lectern.toml`
    // when it declares them (then they count even without that folder).
    if name == "track"
        && site.tracks.is_empty()
        && site
            .config
            .fields
            .get("track")
            .is_none_or(|f| f.values.is_none())
    {
        return;
    }
    // A "did you mean" is a guess, so it is said, not applied by `fix`.
    out.push(diag(
        code,
        Severity::Error,
        file,
        doc,
        name,
        match &suggestion {
            Some(s) => format!("unknown {what} {v:?}; did you mean {s:?}?"),
            None => format!("unknown {what} {v:?}{list}"),
        },
    ));
}

pub(super) fn check_speakers(
    site: &Site,
    inferred: &Inferred,
    file: &SessionFile,
    doc: &Document,
    out: &mut Vec<Diagnostic>,
) {
    let Some(sec) = doc.speakers_ref() else {
        return;
    };
    let body_line0 = doc.front_matter_end_line();
    let mut presenters = split_presenters(doc.get("presenters").as_deref().unwrap_or(""));
    // "Thomas, Mark" and "Nagariya, Ajay,Das, Debajit" write each person as
    // "Family, Given": read the commas in pairs when that names the speakers.
    if presenters.len() == 2 * sec.speakers.len() && !sec.speakers.is_empty() {
        let paired: Vec<String> = presenters
            .chunks(2)
            .map(|c| format!("{}, {}", c[0], c[1]))
            .collect();
        if paired
            .iter()
            .all(|p| sec.speakers.iter().any(|s| names_person(s, p)))
        {
            presenters = paired;
        }
    }
    let names: Vec<&str> = sec
        .speakers
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    if !presenters.is_empty() && !sec.speakers.is_empty() {
        let line = doc.key_line("presenters").unwrap_or(1);
        if presenters.len() != sec.speakers.len() {
            out.push(
                Diagnostic::new(
                    Code::PresentersMismatch,
                    Severity::Warning,
                    &file.rel,
                    line,
                    1,
                    format!(
                        "`presenters` names {} but the speakers section has {}; make them agree",
                        plural(presenters.len(), "person", "people"),
                        plural(sec.speakers.len(), "speaker", "speakers")
                    ),
                )
                .with_field("presenters"),
            );
        } else {
            for p in &presenters {
                if !sec.speakers.iter().any(|s| names_person(s, p)) {
                    out.push(
                        Diagnostic::new(
                            Code::PresentersMismatch,
                            Severity::Warning,
                            &file.rel,
                            line,
                            1,
                            format!(
                                "presenter {p:?} is not among the speakers ({})",
                                names.join(", ")
                            ),
                        )
                        .with_field("presenters"),
                    );
                }
            }
        }
    }
    for (s, l) in sec.speakers.iter().zip(&sec.lines) {
        let line = body_line0 + l;
        let who = if s.name.is_empty() {
            "a speaker".to_string()
        } else {
            format!("speaker {:?}", s.name)
        };
        match s.photo.as_deref() {
            None if !inferred.photos_expected => {}
            None => out.push(Diagnostic::new(
                Code::SpeakerNoPhoto,
                Severity::Warning,
                &file.rel,
                line,
                1,
                format!("{who} has no photo; add an <img src=…> before the name"),
            )),
            Some(src) => {
                let remote = src.starts_with("https://")
                    || src.starts_with("http://")
                    || src.starts_with("//");
                let found = inferred
                    .local_photos
                    .get(src)
                    .copied()
                    .unwrap_or_else(|| site.resolve_static(src).is_some());
                // Without the theme, a path it would serve cannot be judged
                // (the site says so once: `theme-missing`).
                if !remote && !found && site.theme_missing.is_none() {
                    let msg = if src.contains(':') {
                        format!("photo of {who} is {src:?}; only http(s) URLs and files under static/ are allowed")
                    } else {
                        format!("photo of {who} is {src:?}, which is not a file under static/ or themes/*/static/")
                    };
                    out.push(Diagnostic::new(
                        Code::PhotoMissing,
                        Severity::Error,
                        &file.rel,
                        line,
                        1,
                        msg,
                    ));
                }
            }
        }
    }
}

/// Whether a speaker of the speakers section is `person` (a `presenters`
/// entry): by name in any script or order, or, for a speaker whose section
/// gives no name line (photo, then a bio), by the photo's file name
/// (`Du-Junping.png`) or by the speaker's own text naming them.
fn names_person(s: &crate::speakers::Speaker, person: &str) -> bool {
    use crate::names::{mentions, same_person};
    if same_person(person, &s.name) {
        return true;
    }
    let stem = s.photo.as_deref().and_then(|p| {
        std::path::Path::new(p.split(['?', '#']).next().unwrap_or(p))
            .file_stem()
            .and_then(|x| x.to_str())
    });
    if stem.is_some_and(|st| mentions(st, person)) {
        return true;
    }
    mentions(&format!("{} {} {}", s.name, s.headline, s.bio), person)
}

/// Trailing spaces and tabs on front-matter lines, with a fix that removes them.
pub(super) fn hygiene(file: &SessionFile, doc: &Document, out: &mut Vec<Diagnostic>) {
    let text = doc.text();
    let end = doc.body_offset();
    for (i, r) in line_ranges(&text[..end]).enumerate() {
        let content = strip_eol(&text[r.clone()]);
        let trimmed = content.trim_end_matches([' ', '\t']);
        if trimmed.len() == content.len() {
            continue;
        }
        let start = r.start + trimmed.len();
        let stop = r.start + content.len();
        let col = trimmed.chars().count() + 1;
        out.push(
            Diagnostic::new(
                Code::TrailingWhitespace,
                Severity::Info,
                &file.rel,
                i + 1,
                col,
                "trailing whitespace in front matter",
            )
            .with_fix(Fix::ReplaceRange {
                start,
                end: stop,
                text: String::new(),
            }),
        );
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
