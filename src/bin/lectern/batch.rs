//! Organizer subcommands: bulk set, track rename, find/replace, withdraw,
//! schedule, Sessionize import, twin status and sync, restore.
//!
//! Each one plans first (nothing written), then either prints the plan
//! (`--dry-run`: summary and unified diffs on stdout) or applies it and
//! prints what changed. Exit codes: 0 done, 1 done but some rows, sessions
//! or files could not be handled (or conflicts were left), 2 could not run.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use lectern::batch::{self, Plan};
use lectern::document::Document;
use lectern::site::Site;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Print or apply a plan; the exit code says whether anything was left undone.
fn run_plan(plan: &Plan, dry_run: bool, incomplete: bool) -> Result<ExitCode> {
    let incomplete = incomplete || !plan.problems.is_empty() || !plan.conflicts.is_empty();
    if dry_run {
        print!("{}", plan.summary());
        print!("{}", plan.diff());
        eprintln!("dry run: nothing written");
    } else {
        let applied = batch::apply(plan).map_err(|e| match e {
            lectern::Error::Conflict { path } => anyhow::anyhow!("{}: changed on disk after the plan was made; nothing was written, run the command again", path.display()),
            other => other.into(),
        })?;
        print!("{}", plan.summary());
        if let Some(j) = &applied.journal {
            let id = j
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            eprintln!(
                "applied; undo with `lectern restore {} {id}`",
                plan.root.display()
            );
        } else {
            eprintln!("nothing to change");
        }
    }
    Ok(if incomplete {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn discover(p: &Path) -> Result<Site> {
    if !p.exists() {
        bail!("{}: no such file or folder", p.display());
    }
    Ok(Site::discover(p)?)
}

fn split_assignment(a: &str) -> Result<(String, String)> {
    match a.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => bail!("{a}: expected FIELD=VALUE"),
    }
}

/// `lectern set --where FIELD=VALUE… KEY=VALUE… [--unset KEY] [--site PATH] [--dry-run]`.
pub fn set_where(
    site: PathBuf,
    filters: &[String],
    args: &[String],
    unset: &[String],
    dry_run: bool,
) -> Result<ExitCode> {
    let site = discover(&site)?;
    let filter: Vec<(String, String)> = filters
        .iter()
        .map(|f| split_assignment(f))
        .collect::<Result<_>>()?;
    let mut assignments: Vec<(String, Option<String>)> = Vec::new();
    for a in args {
        if Path::new(a).is_file() && !a.contains('=') {
            bail!(
                "{a}: with --where, give KEY=VALUE assignments only (the filter chooses the files)"
            );
        }
        let (k, v) = split_assignment(a)?;
        assignments.push((k, Some(v)));
    }
    assignments.extend(unset.iter().map(|k| (k.clone(), None)));
    let plan = batch::set_where(&site, &filter, &assignments)?;
    run_plan(&plan, dry_run, false)
}

/// `lectern rename-track SITE OLD NEW`
#[derive(Args)]
pub struct RenameTrackArgs {
    /// A folder inside the site.
    site: PathBuf,
    /// The current track slug.
    old: String,
    /// The new track slug.
    new: String,
    /// Print the plan without writing.
    #[arg(long)]
    dry_run: bool,
}

pub fn rename_track(a: RenameTrackArgs) -> Result<ExitCode> {
    let site = discover(&a.site)?;
    let plan = batch::rename_track(&site, &a.old, &a.new)?;
    run_plan(&plan, a.dry_run, false)
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    Both,
    Fields,
    Body,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutFormat {
    Human,
    Json,
}

/// The search part shared by `find` and `replace`.
#[derive(Args)]
pub struct QueryArgs {
    /// Treat PATTERN as a regular expression (replacements may use $1, ${name}).
    #[arg(long)]
    regex: bool,
    /// Ignore case.
    #[arg(long, short = 'i')]
    ignore_case: bool,
    /// Where to look.
    #[arg(long, value_enum, default_value = "both")]
    scope: ScopeArg,
}

impl QueryArgs {
    fn query(&self, pattern: &str) -> batch::Query {
        batch::Query {
            pattern: pattern.to_string(),
            regex: self.regex,
            ignore_case: self.ignore_case,
            scope: match self.scope {
                ScopeArg::Both => batch::Scope::Both,
                ScopeArg::Fields => batch::Scope::Fields,
                ScopeArg::Body => batch::Scope::Body,
            },
        }
    }
}

/// `lectern find SITE PATTERN`
#[derive(Args)]
pub struct FindArgs {
    /// A folder inside the site.
    site: PathBuf,
    /// Text (or, with --regex, a regular expression) to look for.
    pattern: String,
    #[command(flatten)]
    query: QueryArgs,
    #[arg(long, value_enum, default_value = "human")]
    format: OutFormat,
}

pub fn find(a: FindArgs) -> Result<ExitCode> {
    let site = discover(&a.site)?;
    let (matches, skipped) = batch::find_reporting(&site, &a.query.query(&a.pattern))?;
    report_skipped(&skipped);
    if a.format == OutFormat::Json {
        println!("{}", serde_json::to_string_pretty(&matches)?);
    } else {
        for m in &matches {
            let field = m
                .field
                .as_deref()
                .map_or(String::new(), |f| format!("[{f}] "));
            println!(
                "{}:{}:{}: {field}{}[{}]{}    ({})",
                m.file, m.line, m.column, m.before_context, m.matched, m.after_context, m.id
            );
        }
        eprintln!("{} matches", matches.len());
    }
    // Some files were not searched: the matches may be incomplete.
    Ok(if skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A name from the site made safe for a terminal (control characters escaped).
fn terminal_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Say which files a search could not read (on stderr; exit 1 follows).
fn report_skipped(skipped: &[batch::Problem]) {
    for p in skipped {
        eprintln!(
            "warning: {}: {}",
            p.path.as_deref().unwrap_or("?"),
            lectern::error::clip(p.message.clone(), 512)
        );
    }
    if !skipped.is_empty() {
        eprintln!(
            "warning: {} file(s) could not be searched; the results may be incomplete",
            skipped.len()
        );
    }
}

/// `lectern replace SITE PATTERN REPLACEMENT`
#[derive(Args)]
pub struct ReplaceArgs {
    /// A folder inside the site.
    site: PathBuf,
    /// Text (or, with --regex, a regular expression) to replace.
    pattern: String,
    /// The replacement.
    replacement: String,
    #[command(flatten)]
    query: QueryArgs,
    /// Replace only these matches (ids as `lectern find` prints them; repeatable).
    #[arg(long = "only", value_name = "ID")]
    only: Vec<String>,
    /// Leave these matches alone (repeatable).
    #[arg(long = "exclude", value_name = "ID")]
    exclude: Vec<String>,
    /// Print the plan without writing.
    #[arg(long)]
    dry_run: bool,
}

pub fn replace(a: ReplaceArgs) -> Result<ExitCode> {
    let site = discover(&a.site)?;
    let query = a.query.query(&a.pattern);
    let only: Vec<batch::MatchId> = a
        .only
        .iter()
        .map(|s| s.parse())
        .collect::<lectern::Result<_>>()?;
    let exclude: Vec<batch::MatchId> = a
        .exclude
        .iter()
        .map(|s| s.parse())
        .collect::<lectern::Result<_>>()?;
    let mut skipped = Vec::new();
    let ids: Vec<batch::MatchId> = if only.is_empty() {
        let (found, s) = batch::find_reporting(&site, &query)?;
        skipped = s;
        found.into_iter().map(|m| m.id).collect()
    } else {
        only
    };
    let ids: Vec<batch::MatchId> = ids.into_iter().filter(|i| !exclude.contains(i)).collect();
    let mut plan = batch::replace(&site, &query, &ids, &a.replacement)?;
    // Files that could not be searched are problems of the plan, shown with it.
    plan.problems.extend(skipped);
    run_plan(&plan, a.dry_run, false)
}

/// `lectern withdraw SITE SESSION`
#[derive(Args)]
pub struct WithdrawArgs {
    /// A folder inside the site.
    site: PathBuf,
    /// The session: stem (ai-1204512), id (1204512) or one of its files.
    session: String,
    /// Print the plan without writing.
    #[arg(long)]
    dry_run: bool,
}

pub fn withdraw(a: WithdrawArgs) -> Result<ExitCode> {
    let site = discover(&a.site)?;
    let plan = batch::withdraw(&site, &a.session)?;
    run_plan(&plan, a.dry_run, false)
}

#[derive(Subcommand)]
pub enum ScheduleCmd {
    /// Set dates and rooms from a CSV or XLSX schedule (Sessionize's columns by default).
    Apply {
        /// A folder inside the site.
        site: PathBuf,
        /// The schedule (.csv, .xlsx, .xls or .ods).
        file: PathBuf,
        /// The session id column.
        #[arg(long, default_value = "Session Id")]
        id_column: String,
        /// The start time column.
        #[arg(long, default_value = "Scheduled At")]
        date_column: String,
        /// The room column.
        #[arg(long, default_value = "Room")]
        room_column: String,
        /// Print the plan without writing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn schedule(cmd: ScheduleCmd) -> Result<ExitCode> {
    let ScheduleCmd::Apply {
        site,
        file,
        id_column,
        date_column,
        room_column,
        dry_run,
    } = cmd;
    let site = discover(&site)?;
    if !file.is_file() {
        bail!("{}: no such file", file.display());
    }
    let mapping = batch::ColumnMapping {
        id: id_column,
        date: date_column,
        room: room_column,
    };
    let (plan, report) = batch::apply_schedule(&site, &file, &mapping)?;
    eprintln!(
        "sheet {:?}: {} rows, {} sessions scheduled",
        report.sheet,
        report.rows,
        report.scheduled.len()
    );
    // Row messages quote the sheet's cells: clipped, with control characters escaped.
    let said = |m: &str| lectern::error::clip(terminal_text(m), 512);
    for i in &report.unmatched_rows {
        eprintln!("row {}: {}", i.row, said(&i.message));
    }
    for i in &report.errors {
        eprintln!("row {}: error: {}", i.row, said(&i.message));
    }
    for i in &report.duplicates {
        eprintln!("row {}: {}", i.row, said(&i.message));
    }
    if !report.unscheduled_sessions.is_empty() {
        eprintln!(
            "{} sessions have no row: {}",
            report.unscheduled_sessions.len(),
            report.unscheduled_sessions.join(", ")
        );
    }
    run_plan(&plan, dry_run, !report.all_applied())
}

#[derive(Subcommand)]
pub enum ImportCmd {
    /// Create and update sessions from a Sessionize export (.xlsx, .csv or API .json).
    Sessionize {
        /// A folder inside the site.
        site: PathBuf,
        /// The export.
        file: PathBuf,
        /// Overwrite hand edits that Sessionize also changed.
        #[arg(long, conflicts_with = "keep_ours")]
        take_theirs: bool,
        /// Keep hand edits that Sessionize also changed, and stop reporting them.
        #[arg(long)]
        keep_ours: bool,
        /// Print the plan without writing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn import(cmd: ImportCmd) -> Result<ExitCode> {
    let ImportCmd::Sessionize {
        site,
        file,
        take_theirs,
        keep_ours,
        dry_run,
    } = cmd;
    let site = discover(&site)?;
    if !file.is_file() {
        bail!("{}: no such file", file.display());
    }
    let resolution = if take_theirs {
        batch::sessionize::Resolution::TakeTheirs
    } else if keep_ours {
        batch::sessionize::Resolution::KeepOurs
    } else {
        batch::sessionize::Resolution::Ask
    };
    let (plan, report) =
        batch::import_sessionize(&site, &file, &batch::ImportOptions { resolution })?;
    eprintln!(
        "{} accepted sessions: {} new, {} updated, {} unchanged, {} skipped, {} not imported",
        report.accepted,
        report.created.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.skipped.len(),
        report.errors.len()
    );
    for s in &report.skipped {
        eprintln!(
            "skipped {}",
            lectern::error::clip(
                terminal_text(&format!("{} ({}): {}", s.id, s.title, s.reason)),
                512
            )
        );
    }
    for p in &report.speaker_pages {
        eprintln!("new speaker page {}", terminal_text(p));
    }
    for c in &plan.conflicts {
        eprintln!("conflict {} {}: edited here and in Sessionize; kept as it is (use --take-theirs or --keep-ours)", c.path, c.field.as_deref().unwrap_or("body"));
    }
    run_plan(&plan, dry_run, !report.errors.is_empty())
}

/// `lectern restore SITE [ID]`
#[derive(Args)]
pub struct RestoreArgs {
    /// A folder inside the site.
    site: PathBuf,
    /// The journal entry to restore (as listed); without it, list them.
    id: Option<String>,
    /// Remove every journal entry (after an export).
    #[arg(long, conflicts_with = "id")]
    purge: bool,
    /// Print the restore plan without writing.
    #[arg(long)]
    dry_run: bool,
}

pub fn restore(a: RestoreArgs) -> Result<ExitCode> {
    let site = discover(&a.site)?;
    if a.purge {
        let n = batch::journal::purge(&site.root)?;
        eprintln!("removed {n} journal entries");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(id) = a.id else {
        let entries = batch::journal::list(&site.root)?;
        for (id, why) in batch::journal::ignored(&site.root) {
            eprintln!(
                "ignored {}: {}",
                terminal_text(&id),
                lectern::error::clip(why, 512)
            );
        }
        if entries.is_empty() {
            eprintln!(
                "nothing to restore in {}",
                batch::journal::journal_dir(&site.root).display()
            );
        }
        for e in entries {
            let [c, ch, m, d] = e.counts;
            let state = if e.restored { " (restored)" } else { "" };
            println!(
                "{}  {}  {}{state}: {c} created, {ch} changed, {m} moved, {d} deleted",
                e.id, e.created, e.title
            );
            for f in &e.deleted {
                println!("    deleted {f}");
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    if a.dry_run {
        let plan = batch::journal::restore_plan(&site.root, &id)?;
        return run_plan(&plan, true, false);
    }
    let plan = batch::journal::restore(&site.root, &id).map_err(|e| match e {
        lectern::Error::Conflict { path } => anyhow::anyhow!(
            "{}: changed since {id} was applied; nothing was restored",
            path.display()
        ),
        other => other.into(),
    })?;
    print!("{}", plan.summary());
    Ok(ExitCode::SUCCESS)
}

/// `lectern twins [SITE]`
#[derive(Args)]
pub struct TwinsArgs {
    /// A folder inside the site.
    site: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    format: OutFormat,
}

pub fn twins(a: TwinsArgs, default: PathBuf) -> Result<ExitCode> {
    let site = discover(&a.site.unwrap_or(default))?;
    let status = batch::twin_status(&site);
    if a.format == OutFormat::Json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        for s in &status {
            println!("{}: {}", s.file, s.message);
        }
        eprintln!("{} twin findings", status.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// `lectern sync-twins FILE`
#[derive(Args)]
pub struct SyncTwinsArgs {
    /// The session file whose copied and translated fields the twins should take.
    file: PathBuf,
    /// Print the plan without writing.
    #[arg(long)]
    dry_run: bool,
}

pub fn sync_twins(a: SyncTwinsArgs) -> Result<ExitCode> {
    let site = discover(&a.file)?;
    let path = std::fs::canonicalize(&a.file).with_context(|| a.file.display().to_string())?;
    let after = Document::load(&path)?;
    // Compared with an empty document every field counts as changed, so the
    // twins take all of this file's `copy` and `translate` fields.
    let before = Document::from_text(&path, "---\n---\n".to_string());
    let plan = batch::sync_twins(&site, &before, &after)?;
    run_plan(&plan, a.dry_run, false)
}
