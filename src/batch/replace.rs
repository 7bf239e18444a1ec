//! Find and replace across the site, one match at a time.
//!
//! [`find`] lists every match of a literal text or a regular expression in
//! front-matter values, bodies or both, each with a stable [`MatchId`]
//! (file, field, byte offset in the value or body) and its context.
//! [`replace`] runs the same query again and replaces only the matches the
//! user kept. Field values are matched as YAML reads them (not as quoted in
//! the file) and written back with [`Document::set`], so quoting and escapes
//! stay right; bodies go through [`Document::set_body`].

use super::{FileOp, Plan, Problem};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::site::Site;
use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// Where to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Scope {
    /// Front-matter values only.
    Fields,
    /// Bodies only.
    Body,
    /// Both.
    #[default]
    Both,
}

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Query {
    /// The text or regular expression.
    pub pattern: String,
    /// Whether `pattern` is a regular expression (Rust `regex` syntax;
    /// replacements may use `$1`, `${name}`). Otherwise it is literal text.
    pub regex: bool,
    /// Where to look.
    pub scope: Scope,
    /// Ignore case.
    pub ignore_case: bool,
}

impl Query {
    /// A literal search everywhere.
    pub fn literal(pattern: impl Into<String>) -> Self {
        Query {
            pattern: pattern.into(),
            ..Default::default()
        }
    }

    /// A regular-expression search everywhere.
    pub fn regex(pattern: impl Into<String>) -> Self {
        Query {
            pattern: pattern.into(),
            regex: true,
            ..Default::default()
        }
    }

    fn compile(&self) -> Result<Regex> {
        if self.pattern.is_empty() {
            return Err(Error::Invalid("the search pattern is empty".into()));
        }
        let p = if self.regex {
            self.pattern.clone()
        } else {
            regex::escape(&self.pattern)
        };
        regex::RegexBuilder::new(&p)
            .case_insensitive(self.ignore_case)
            .build()
            .map_err(|e| Error::Invalid(format!("not a valid regular expression: {e}")))
    }
}

/// Identifies one match: the file, the field (None for the body) and the
/// byte offset of the match in the field's value or in the body. Written as
/// `FILE:FIELD:OFFSET` (`FIELD` is `body` for the body).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MatchId {
    /// Site-relative path.
    pub file: String,
    /// The field, or None for the body.
    pub field: Option<String>,
    /// Byte offset in the value or body.
    pub offset: usize,
}

impl fmt::Display for MatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.file,
            self.field.as_deref().unwrap_or("body"),
            self.offset
        )
    }
}

impl FromStr for MatchId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::Invalid(format!(
                "{s:?} is not a match id (FILE:FIELD:OFFSET, as `lectern find` prints)"
            ))
        };
        let (rest, offset) = s.rsplit_once(':').ok_or_else(bad)?;
        let (file, field) = rest.rsplit_once(':').ok_or_else(bad)?;
        let offset = offset.parse().map_err(|_| bad())?;
        Ok(MatchId {
            file: file.to_string(),
            field: (field != "body").then(|| field.to_string()),
            offset,
        })
    }
}

/// One match, with enough context to decide whether to keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// Its id, for [`replace`].
    pub id: MatchId,
    /// Site-relative path.
    pub file: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (characters) in the file; for a field, where the
    /// matched text is on the key's line when it is written there as is.
    pub column: usize,
    /// The field, or None for the body.
    pub field: Option<String>,
    /// Up to 40 characters before the match on its line.
    pub before_context: String,
    /// The matched text.
    pub matched: String,
    /// Up to 40 characters after the match on its line.
    pub after_context: String,
}

const CONTEXT: usize = 40;

fn context(text: &str, start: usize, end: usize) -> (String, String) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| end + i);
    let before: Vec<char> = text[line_start..start].chars().collect();
    let before: String = before[before.len().saturating_sub(CONTEXT)..]
        .iter()
        .collect();
    let after: String = text[end..line_end].chars().take(CONTEXT).collect();
    (before, after)
}

fn field_values(doc: &Document) -> Vec<(String, String)> {
    doc.searchable_fields()
}

fn find_in(doc: &Document, rel: &str, re: &Regex, scope: Scope) -> Vec<Match> {
    let mut out = Vec::new();
    if scope != Scope::Body {
        for (key, value) in field_values(doc) {
            for m in re.find_iter(&value) {
                if m.as_str().is_empty() {
                    continue;
                }
                let line = doc.key_line(&key).unwrap_or(1);
                let raw_line = doc.text().lines().nth(line - 1).unwrap_or("");
                let after_key = raw_line.find(':').map_or(0, |i| i + 1);
                let column = raw_line[after_key..]
                    .find(m.as_str())
                    .map_or(1, |i| raw_line[..after_key + i].chars().count() + 1);
                let (before_context, after_context) = context(&value, m.start(), m.end());
                out.push(Match {
                    id: MatchId {
                        file: rel.to_string(),
                        field: Some(key.clone()),
                        offset: m.start(),
                    },
                    file: rel.to_string(),
                    line,
                    column,
                    field: Some(key.clone()),
                    before_context,
                    matched: m.as_str().to_string(),
                    after_context,
                });
            }
        }
    }
    if scope != Scope::Fields {
        let body = doc.body();
        for m in re.find_iter(body) {
            if m.as_str().is_empty() {
                continue;
            }
            let (line, column) = doc.line_col(doc.body_offset() + m.start());
            let (before_context, after_context) = context(body, m.start(), m.end());
            out.push(Match {
                id: MatchId {
                    file: rel.to_string(),
                    field: None,
                    offset: m.start(),
                },
                file: rel.to_string(),
                line,
                column,
                field: None,
                before_context,
                matched: m.as_str().to_string(),
                after_context,
            });
        }
    }
    out
}

/// Every match of the query in the site's session files, by file, then
/// fields in file order, then the body. Unreadable files are skipped.
pub fn find(site: &Site, query: &Query) -> Result<Vec<Match>> {
    find_reporting(site, query).map(|(m, _)| m)
}

/// [`find`], also returning the files that could not be searched (unreadable,
/// not a regular file, over the size limit, or front matter that cannot be
/// read when fields are searched), so that no file is skipped silently.
pub fn find_reporting(site: &Site, query: &Query) -> Result<(Vec<Match>, Vec<Problem>)> {
    let re = query.compile()?;
    let files = site.session_files();
    let results: Vec<(Vec<Match>, Option<Problem>)> = files
        .par_iter()
        .map(|f| match Document::load(&f.path) {
            Ok(doc) if doc.problem().is_none() || query.scope == Scope::Body => (find_in(&doc, &f.rel, &re, query.scope), None),
            Ok(doc) => {
                // Fields cannot be searched, the body still can.
                let body = if query.scope == Scope::Fields { Vec::new() } else { find_in(&doc, &f.rel, &re, Scope::Body) };
                (body, Some(Problem::at(&f.rel, "its front matter cannot be read, so its fields were not searched; `lectern check` says why")))
            }
            Err(e) => (Vec::new(), Some(Problem::at(&f.rel, format!("not searched: {e}")))),
        })
        .collect();
    let mut matches = Vec::new();
    let mut skipped = Vec::new();
    for (m, p) in results {
        matches.extend(m);
        skipped.extend(p);
    }
    skipped.extend(
        site.skipped_session_files()
            .into_iter()
            .map(|s| Problem::at(s.rel, format!("not searched: {}", s.reason))),
    );
    Ok((matches, skipped))
}

/// Replace the matches of `text` listed in `keep` (by `field`, `None` for the
/// body) and return the new text and how many were replaced.
fn replace_in(
    text: &str,
    re: &Regex,
    regex: bool,
    replacement: &str,
    keep: &dyn Fn(usize) -> bool,
) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut n = 0;
    for caps in re.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if m.as_str().is_empty() || !keep(m.start()) {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        if regex {
            caps.expand(replacement, &mut out);
        } else {
            out.push_str(replacement);
        }
        last = m.end();
        n += 1;
    }
    out.push_str(&text[last..]);
    (out, n)
}

/// Plan replacing the matches in `included` (ids from [`find`] with the same
/// query) by `replacement`. Matches not included stay; included ids that no
/// longer match are problems (the files changed since `find`).
pub fn replace(
    site: &Site,
    query: &Query,
    included: &[MatchId],
    replacement: &str,
) -> Result<Plan> {
    let re = query.compile()?;
    let wanted: HashSet<&MatchId> = included.iter().collect();
    let mut files: Vec<&str> = included.iter().map(|m| m.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    let mut plan = Plan::new(String::new(), &site.root);
    let mut done = 0;
    for rel in files {
        let path = site.root.join(rel);
        if !site.contains(&path) || !path.starts_with(&site.sessions_dir) {
            plan.problems
                .push(Problem::at(rel, "not a session file of this site"));
            continue;
        }
        let doc = match Document::load(&path) {
            Ok(d) => d,
            Err(e) => {
                plan.problems.push(Problem::at(rel, e.to_string()));
                continue;
            }
        };
        let present: HashSet<MatchId> = find_in(&doc, rel, &re, query.scope)
            .into_iter()
            .map(|m| m.id)
            .collect();
        for id in included
            .iter()
            .filter(|m| m.file == rel && !present.contains(*m))
        {
            plan.problems.push(Problem::at(
                rel,
                format!("match {id} is no longer there; search again"),
            ));
        }
        let mut new = doc.clone();
        let mut failed = false;
        if query.scope != Scope::Body {
            for (key, value) in field_values(&doc) {
                let keep = |off: usize| {
                    wanted.contains(&MatchId {
                        file: rel.to_string(),
                        field: Some(key.clone()),
                        offset: off,
                    })
                };
                let (v, n) = replace_in(&value, &re, query.regex, replacement, &keep);
                if n == 0 {
                    continue;
                }
                match new.set_searchable(&key, &v) {
                    Ok(d) => {
                        new = d;
                        done += n;
                    }
                    Err(e) => {
                        plan.problems
                            .push(Problem::at(rel, format!("cannot replace in `{key}`: {e}")));
                        failed = true;
                    }
                }
            }
        }
        if query.scope != Scope::Fields {
            let keep = |off: usize| {
                wanted.contains(&MatchId {
                    file: rel.to_string(),
                    field: None,
                    offset: off,
                })
            };
            let (b, n) = replace_in(doc.body(), &re, query.regex, replacement, &keep);
            if n > 0 {
                new = new.set_body(&b);
                done += n;
            }
        }
        if failed {
            continue;
        }
        if new.text() != doc.text() {
            plan.ops.push(FileOp::Change {
                path: rel.into(),
                before: doc.bytes().to_vec(),
                after: new.bytes().to_vec(),
            });
        }
    }
    plan.title = format!(
        "Replace {done} match{} of {:?} with {replacement:?}",
        if done == 1 { "" } else { "es" },
        query.pattern
    );
    Ok(plan)
}
