//! The `lectern` command line: check, edit, fix, show and render session
//! files of a Hugo conference site. Exit codes: 0 success (no errors),
//! 1 problems found (or some operations failed), 2 could not run. The
//! organizer commands (bulk set, rename, replace, schedule, import…) live in
//! `batch.rs`.

mod batch;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use lectern::diagnostics::{Diagnostic, Severity};
use lectern::document::Document;
use lectern::site::Site;
use lectern::validate;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod photos;
mod ship;

#[derive(Parser)]
#[command(
    name = "lectern",
    version,
    about = "Check and edit conference session files without damaging them",
    after_long_help = "Exit status: 0 success (no errors found), 1 problems found or some operations failed, 2 could not run (the message says why).\n\nWithout a path, commands use the current folder when it is inside a Hugo site, else the sample site."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    Json,
    Github,
}

#[derive(Subcommand)]
enum Cmd {
    /// Validate a site, or some of its files. Exit 1 when errors are found.
    Check {
        /// Files or folders inside a site (default: the current folder if it is
        /// in a site, else the sample site).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Set front-matter fields with a minimal diff: `lectern set FILE... KEY=VALUE...`,
    /// or on every matching session: `lectern set --where FIELD=VALUE KEY=VALUE...`.
    Set {
        /// Files, then KEY=VALUE assignments (with --where: assignments only).
        args: Vec<String>,
        /// Remove a field (repeatable).
        #[arg(long = "unset", value_name = "KEY")]
        unset: Vec<String>,
        /// Add an item to a list field, in the list's own style (repeatable).
        #[arg(long = "add", value_name = "KEY=VALUE")]
        add: Vec<String>,
        /// Remove an item from a list field (repeatable).
        #[arg(long = "remove", value_name = "KEY=VALUE")]
        remove: Vec<String>,
        /// Let KEY=VALUE on a list field replace the whole list with that one item.
        #[arg(long)]
        replace_list: bool,
        /// Let a value change the field's type (text into a number field is written as text).
        #[arg(long)]
        force_type: bool,
        /// Edit every session whose FIELD equals VALUE (repeatable: all must match).
        #[arg(long = "where", value_name = "FIELD=VALUE")]
        filters: Vec<String>,
        /// The site for --where (default: the current folder if it is in a site, else the sample site).
        #[arg(long)]
        site: Option<PathBuf>,
        /// Print what would change without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Rename a track: move its session files and track pages, update `track`.
    RenameTrack(batch::RenameTrackArgs),
    /// List matches of a text or regular expression in fields and bodies, with ids.
    Find(batch::FindArgs),
    /// Replace matches (all, or those chosen with --only / --exclude).
    Replace(batch::ReplaceArgs),
    /// Remove a session and its twins (recoverable with `lectern restore`).
    Withdraw(batch::WithdrawArgs),
    /// Apply a schedule spreadsheet.
    Schedule {
        #[command(subcommand)]
        what: batch::ScheduleCmd,
    },
    /// Import sessions from another system.
    Import {
        #[command(subcommand)]
        what: batch::ImportCmd,
    },
    /// List the journal of batch operations, or undo one of them.
    Restore(batch::RestoreArgs),
    /// Missing twins and translations that may be out of date (from git history).
    Twins(batch::TwinsArgs),
    /// Give a file's twins its copied and translated fields (date, track, room, stype).
    SyncTwins(batch::SyncTwinsArgs),
    /// Apply the safe automatic fixes.
    Fix {
        /// A file or folder inside a site.
        path: Option<PathBuf>,
        /// Print what would change without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the parsed document as JSON.
    Show { file: PathBuf },
    /// Print the sanitised preview HTML of a session.
    Render { file: PathBuf },
    /// The pending changes (work tree against git's HEAD) as a unified diff.
    Diff { site: Option<PathBuf> },
    /// Fetch, check and normalise speaker photos.
    Photos {
        #[command(subcommand)]
        what: photos::PhotosCmd,
    },
    /// Turn the pending changes into a branch, a patch or a zip.
    Export {
        #[command(subcommand)]
        what: ExportCmd,
    },
    /// Field rules for `lectern.toml`.
    Schema {
        #[command(subcommand)]
        what: SchemaCmd,
    },
    /// Check every pull request of a site repository (`lectern ci init SITE`).
    Ci {
        #[command(subcommand)]
        what: ship::CiCmd,
    },
    /// Print a shell completion script: `lectern completions bash > ~/.local/share/bash-completion/completions/lectern`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (lectern.1 and one per subcommand) into a folder.
    #[command(hide = true)]
    ManPages {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum SchemaCmd {
    /// Propose a `lectern.toml` from the site itself: where sessions are and
    /// how files are named, which field plays which role (start, end,
    /// speakers, …), the conference days, speaker pages, and field rules
    /// (required keys, types, value lists per language aligned through the
    /// twins, twin rules), with the counts behind each as comments. Prints
    /// it; writes nothing unless asked.
    Infer {
        /// A folder inside the site (default: the current folder if it is in a site, else the sample site).
        site: Option<PathBuf>,
        /// Save the proposal as the site's lectern.toml (refused when one exists).
        #[arg(long)]
        write: bool,
        /// With --write: replace an existing lectern.toml.
        #[arg(long, requires = "write")]
        force: bool,
    },
}

#[derive(Subcommand)]
enum ExportCmd {
    /// Commit the changed files to a new branch (and push it when asked).
    Branch {
        site: PathBuf,
        /// Branch name (default: generated, like `update-ai-1204512`).
        #[arg(long)]
        name: Option<String>,
        /// Commit message (default: generated in the site's style).
        #[arg(long)]
        message: Option<String>,
        /// Push the branch to this remote.
        #[arg(long)]
        push: Option<String>,
        /// Also switch the work tree to the new branch.
        #[arg(long)]
        switch: bool,
        /// Export even when the changed files have errors.
        #[arg(long)]
        force: bool,
    },
    /// Write a `git format-patch` style patch that `git am` applies.
    Patch {
        site: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        message: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Write a zip of the changed files plus CHANGES.md.
    Zip {
        site: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A closed pipe (`lectern check | head`) is not an error worth a message.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "lectern: {}",
                lectern::error::clip(
                    terminal_safe(&format!("{e:#}")).into_owned(),
                    lectern::error::MAX_MESSAGE
                )
            );
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.cmd {
        Cmd::Check { paths, format } => check(paths, format),
        Cmd::Set {
            args,
            unset,
            filters,
            site,
            dry_run,
            add,
            remove,
            replace_list,
            force_type,
        } if !filters.is_empty() => {
            if !add.is_empty() || !remove.is_empty() || replace_list || force_type {
                bail!("--add, --remove, --replace-list and --force-type work on named files; with --where, set fields only");
            }
            batch::set_where(
                site.unwrap_or_else(default_path),
                &filters,
                &args,
                &unset,
                dry_run,
            )
        }
        Cmd::Set {
            args,
            unset,
            site,
            dry_run,
            add,
            remove,
            replace_list,
            force_type,
            ..
        } => {
            if site.is_some() {
                bail!("--site goes with --where; to edit given files, name them");
            }
            let opts = lectern::front_matter::SetOptions {
                force_type,
                replace_list,
                ..Default::default()
            };
            set(args, unset, ListEdits { add, remove }, opts, dry_run)
        }
        Cmd::RenameTrack(a) => batch::rename_track(a),
        Cmd::Find(a) => batch::find(a),
        Cmd::Replace(a) => batch::replace(a),
        Cmd::Withdraw(a) => batch::withdraw(a),
        Cmd::Schedule { what } => batch::schedule(what),
        Cmd::Import { what } => batch::import(what),
        Cmd::Restore(a) => batch::restore(a),
        Cmd::Twins(a) => batch::twins(a, default_path()),
        Cmd::SyncTwins(a) => batch::sync_twins(a),
        Cmd::Fix { path, dry_run } => fix(path, dry_run),
        Cmd::Show { file } => show(&file),
        Cmd::Render { file } => render(&file),
        Cmd::Diff { site } => diff(site),
        Cmd::Export { what } => export(what),
        Cmd::Photos { what } => photos::run(what),
        Cmd::Schema {
            what: SchemaCmd::Infer { site, write, force },
        } => schema_infer(site, write, force),
        Cmd::Ci { what } => ship::run(what),
        Cmd::Completions { shell } => ship::completions(shell),
        Cmd::ManPages { out } => ship::write_man_pages(&out),
    }
}

fn schema_infer(site: Option<PathBuf>, write: bool, force: bool) -> Result<ExitCode> {
    let site = lectern::site::Site::discover(&site.unwrap_or_else(default_path))?;
    let inference = lectern::schema_proposal::infer(&site)?;
    let text = inference.to_toml();
    if !write {
        for line in text.lines() {
            println!("{}", terminal_safe(line));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let path = lectern::schema_proposal::write_proposal(&site, &text, force)?;
    println!(
        "wrote {}; run `lectern check` to see what the site's own rules find",
        terminal_safe(&path.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}

/// The sample site shipped with Lectern.
fn sample_site() -> PathBuf {
    if let Some(p) = std::env::var_os("LECTERN_SAMPLE_SITE") {
        return PathBuf::from(p);
    }
    if let Ok(exe) = std::env::current_exe() {
        // Beside an installed binary; the .deb puts the desktop app's copy in /usr/lib/Lectern.
        for rel in ["../share/lectern/sample-site", "../lib/Lectern/sample-site"] {
            if let Some(p) = exe.parent().map(|d| d.join(rel)).filter(|p| p.is_dir()) {
                return p;
            }
        }
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/sample-site")
}

pub(crate) fn default_path() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if lectern::site::find_root(&cwd).is_some() {
        cwd
    } else {
        sample_site()
    }
}

fn check(paths: Vec<PathBuf>, format: Format) -> Result<ExitCode> {
    let paths = if paths.is_empty() {
        vec![default_path()]
    } else {
        paths
    };
    for p in &paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
    }
    let site = Site::discover(&paths[0])?;
    let total = site.session_files().len();
    if total == 0 {
        // A check that read nothing must not pass: say where it looked.
        eprintln!(
            "lectern: warning: no session files found in {} (searched recursively for .md files other than _index.md); set [sessions] dir in lectern.toml to the folders that hold the sessions",
            site.session_dirs_rel().join(", ")
        );
        return Ok(ExitCode::from(2));
    }
    let bar =
        (std::io::stderr().is_terminal() && total > 200 && format != Format::Json).then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let mut report = validate::check_site_with_progress(&site, &tick);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    validate::only_files(&site, &mut report, &refs);
    print_diagnostics(&site, &report.diagnostics, format, report.files)?;
    Ok(if report.count(Severity::Error) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn print_diagnostics(
    site: &Site,
    diags: &[Diagnostic],
    format: Format,
    files: usize,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, diags)?;
            writeln!(out)?;
        }
        Format::Github => {
            for d in diags {
                let level = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                let file = site.root.join(&d.file);
                let file = file
                    .strip_prefix(std::env::current_dir().unwrap_or_default())
                    .unwrap_or(&file)
                    .to_path_buf();
                writeln!(
                    out,
                    "::{level} file={},line={},col={},title={}::{}",
                    gh_escape_prop(&terminal_safe(&file.to_string_lossy())),
                    d.line.max(1),
                    d.column.max(1),
                    gh_escape_prop(d.code.as_str()),
                    gh_escape(&terminal_safe(&d.message))
                )?;
            }
        }
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for d in diags {
                let (c, r) = match (color, d.severity) {
                    (false, _) => ("", ""),
                    (true, Severity::Error) => ("\x1b[31m", "\x1b[0m"),
                    (true, Severity::Warning) => ("\x1b[33m", "\x1b[0m"),
                    (true, Severity::Info) => ("\x1b[36m", "\x1b[0m"),
                };
                let loc = match (d.line, d.column) {
                    (0, _) => d.file.display().to_string(),
                    (l, 0) => format!("{}:{l}", d.file.display()),
                    (l, c) => format!("{}:{l}:{c}", d.file.display()),
                };
                let fix = if d.fix.is_some() { " (fixable)" } else { "" };
                writeln!(
                    out,
                    "{}: {c}{}{r}[{}]: {}{fix}",
                    terminal_safe(&loc),
                    d.severity,
                    d.code,
                    terminal_safe(&d.message)
                )?;
            }
            let n = |s| diags.iter().filter(|d| d.severity == s).count();
            writeln!(
                out,
                "{}: {files} session files, {} errors, {} warnings, {} notes",
                site.name,
                n(Severity::Error),
                n(Severity::Warning),
                n(Severity::Info)
            )?;
        }
    }
    Ok(())
}

/// Text from session files and their names, made safe to print on a
/// terminal: control characters (ESC sequences could clear the screen, set
/// the title or forge hyperlinks) and bidirectional overrides (which can make
/// `evil.md` read as something else) are shown as `\u{…}` escapes.
fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if unsafe_char(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn gh_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape(s).replace(':', "%3A").replace(',', "%2C")
}

/// `--add` and `--remove` list edits of `lectern set`.
struct ListEdits {
    add: Vec<String>,
    remove: Vec<String>,
}

fn key_value(a: &str, flag: &str) -> Result<(String, String)> {
    match a.split_once('=') {
        Some((k, v)) => Ok((k.to_string(), v.to_string())),
        None => bail!("{flag} {a}: expected KEY=VALUE"),
    }
}

fn set(
    args: Vec<String>,
    unset: Vec<String>,
    lists: ListEdits,
    opts: lectern::front_matter::SetOptions,
    dry_run: bool,
) -> Result<ExitCode> {
    let mut files = Vec::new();
    let mut assignments = Vec::new();
    for a in args {
        if Path::new(&a).exists() {
            files.push(PathBuf::from(a));
        } else if let Some((k, v)) = a.split_once('=') {
            assignments.push((k.to_string(), v.to_string()));
        } else {
            bail!("{a}: neither an existing file nor a KEY=VALUE assignment");
        }
    }
    let adds = lists
        .add
        .iter()
        .map(|a| key_value(a, "--add"))
        .collect::<Result<Vec<_>>>()?;
    let removes = lists
        .remove
        .iter()
        .map(|a| key_value(a, "--remove"))
        .collect::<Result<Vec<_>>>()?;
    if files.is_empty() {
        bail!("no files given");
    }
    if assignments.is_empty() && unset.is_empty() && adds.is_empty() && removes.is_empty() {
        bail!("nothing to change: give KEY=VALUE assignments, --add/--remove KEY=VALUE or --unset KEY");
    }
    // One file named twice (`a.md ./a.md`, a symbolic or hard link) is edited once.
    let (files, twice) = lectern::boundary::dedupe_files(files)?;
    for t in &twice {
        eprintln!(
            "note: {} names a file already given; it is edited once",
            terminal_safe(&t.display().to_string())
        );
    }
    // Prepare every file first so that a failure writes nothing.
    let mut edited = Vec::new();
    for f in &files {
        writable_in_site(f)?;
        let mut doc = Document::load(f)?;
        let mut orders: Option<lectern::key_order::KeyOrders> = None;
        // A key the file does not have goes where the site puts it, written as the site writes it.
        let mut hinted =
            |doc: &Document, k: &str| -> (lectern::front_matter::SetOptions, Vec<String>) {
                if doc.keys().iter().any(|x| x == k) {
                    return (opts, Vec::new());
                }
                let h = orders
                    .get_or_insert_with(|| lectern::key_order::KeyOrders::for_file(f))
                    .hint(k, doc);
                (
                    lectern::front_matter::SetOptions {
                        new_kind: h.kind,
                        new_quote: h.quote,
                        new_list: h.list,
                        new_space_before_colon: h.space_before_colon,
                        ..opts
                    },
                    h.order,
                )
            };
        for (k, v) in &assignments {
            let (o, order) = hinted(&doc, k);
            doc = doc
                .set_with(k, v, o, &order)
                .with_context(|| format!("{}: cannot set {k}", f.display()))?;
        }
        for (k, v) in &adds {
            let (o, order) = hinted(&doc, k);
            doc = doc
                .add_item(k, v, o, &order)
                .with_context(|| format!("{}: cannot add to {k}", f.display()))?;
        }
        for (k, v) in &removes {
            doc = doc
                .remove_item(k, v)
                .with_context(|| format!("{}: cannot remove from {k}", f.display()))?;
        }
        for k in &unset {
            doc = doc
                .unset(k)
                .with_context(|| format!("{}: cannot unset {k}", f.display()))?;
        }
        edited.push(doc);
    }
    let mut changed = 0;
    for d in edited {
        if d.is_modified() {
            if dry_run {
                let old = std::fs::read_to_string(d.path()).unwrap_or_default();
                let name = d.path().display().to_string();
                print!(
                    "{}",
                    similar::TextDiff::from_lines(old.as_str(), d.text())
                        .unified_diff()
                        .header(&format!("a/{name}"), &format!("b/{name}"))
                );
            } else {
                d.save()?;
            }
            changed += 1;
        }
    }
    eprintln!(
        "{changed} of {} files {}",
        files.len(),
        if dry_run {
            "would change (dry run)"
        } else {
            "changed"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuse a file that the site boundary does not let Lectern write: one
/// whose real path leaves the Hugo site it is named in (a symbolic link out),
/// or is inside `.git/` or outside the folders Lectern edits. A file outside
/// any site is checked against its own folder.
fn writable_in_site(file: &Path) -> Result<()> {
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The site the file is named in, found without resolving links: a
    // `content/sessions` that links elsewhere must not move the root with it.
    let abs = std::path::absolute(file)?;
    match abs.ancestors().skip(1).find(|d| {
        lectern::site::CONFIG_FILES
            .iter()
            .any(|c| d.join(c).is_file())
    }) {
        Some(root) => {
            lectern::boundary::Boundary::new(root)?.for_write(&abs)?;
        }
        None => {
            let dir =
                std::fs::canonicalize(parent).with_context(|| parent.display().to_string())?;
            let real = std::fs::canonicalize(file).with_context(|| file.display().to_string())?;
            if real.parent() != Some(dir.as_path()) {
                bail!("{}: refused: a symbolic link to {}; Lectern edits only the file itself, not what a link points to outside its folder", file.display(), real.display());
            }
        }
    }
    Ok(())
}

fn fix(path: Option<PathBuf>, dry_run: bool) -> Result<ExitCode> {
    let path = path.unwrap_or_else(default_path);
    let site = Site::discover(&path)?;
    let mut report = validate::check_site(&site);
    validate::only_files(&site, &mut report, &[path.as_path()]);
    let mut by_file: std::collections::BTreeMap<PathBuf, Vec<&Diagnostic>> = Default::default();
    for d in report.diagnostics.iter().filter(|d| d.fix.is_some()) {
        by_file.entry(d.file.clone()).or_default().push(d);
    }
    let mut total = 0;
    for (rel, diags) in by_file {
        let abs = site.root.join(&rel);
        let doc = Document::load(&abs)?;
        let (new, n) = lectern::fix::apply_fixes(&doc, &diags)?;
        if !new.is_modified() {
            continue;
        }
        total += n;
        if dry_run {
            let diff = similar::TextDiff::from_lines(doc.text(), new.text());
            print!(
                "{}",
                diff.unified_diff().header(
                    &format!("a/{}", rel.display()),
                    &format!("b/{}", rel.display())
                )
            );
        } else {
            new.save()?;
            eprintln!("{}: {n} fixes", rel.display());
        }
    }
    eprintln!(
        "{total} fixes {}",
        if dry_run {
            "would be applied"
        } else {
            "applied"
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn show(file: &Path) -> Result<ExitCode> {
    let doc = Document::load(file)?;
    let v = lectern::document::describe(&doc);
    serde_json::to_writer_pretty(std::io::stdout().lock(), &v)?;
    println!();
    Ok(ExitCode::SUCCESS)
}

fn render(file: &Path) -> Result<ExitCode> {
    let doc = Document::load(file)?;
    let site = Site::discover(file).ok();
    let opts = lectern::render::RenderOptions::new(|_| None, true);
    let pages = site
        .as_ref()
        .map(lectern::speaker_pages::SpeakerPages::load)
        .filter(|p| !p.is_empty());
    let out =
        lectern::render::render_document_with_pages(site.as_ref(), &doc, &opts, pages.as_ref());
    print!("{}", out.html);
    Ok(ExitCode::SUCCESS)
}

fn pending(site: &Path) -> Result<(Site, lectern::export::Pending)> {
    let s = Site::discover(site)?;
    // Only the site's content, data and static files (the core's rule).
    let Some(p) = lectern::export::git_pending(&s)? else {
        bail!("{}: not a git work tree; the desktop app tracks changes since opening for sites without git", s.root.display());
    };
    Ok((s, p))
}

fn diff(site: Option<PathBuf>) -> Result<ExitCode> {
    let (_, p) = pending(&site.unwrap_or_else(default_path))?;
    print!("{}", lectern::export::diff_all(&p.changes));
    Ok(ExitCode::SUCCESS)
}

/// Refuse to export changed files that have errors, unless forced: the
/// desktop app's export checklist, with every change selected, decides.
fn gate(site: &Site, pending: &lectern::export::Pending, force: bool) -> Result<()> {
    use lectern::export::{checklist, CheckKey};
    if pending.changes.is_empty() {
        bail!("nothing to export: no file differs from HEAD");
    }
    let list = checklist(site, pending, &pending.changes, &[], None);
    let errors = list
        .item(CheckKey::Problems)
        .map(|i| i.details.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|d| d.severity == Severity::Error);
    for d in errors {
        eprintln!(
            "{}:{}: error: {}",
            terminal_safe(&d.file),
            d.line,
            terminal_safe(&d.message)
        );
    }
    if force && list.blocked() {
        eprintln!("exporting anyway (--force) despite {} errors", list.errors);
    }
    list.allows(force)?;
    Ok(())
}

fn export(what: ExportCmd) -> Result<ExitCode> {
    use lectern::export as ex;
    match what {
        ExportCmd::Branch {
            site,
            name,
            message,
            push,
            switch,
            force,
        } => {
            let (s, p) = pending(&site)?;
            gate(&s, &p, force)?;
            let changes = p.changes;
            let repo = ex::Repo::discover(&s.root)?.context("not a git work tree")?;
            let summary = ex::ChangeSummary::infer(&changes);
            let name = name.unwrap_or_else(|| ex::branch_name_with(&changes, &summary));
            let message = message.unwrap_or_else(|| ex::commit_message_for(&changes, &summary));
            let out = ex::create_branch_commit(&repo, &changes, &name, &message, None, switch)?;
            for st in &out.steps {
                eprintln!(
                    "{} {}: {}",
                    if st.ok { "ok " } else { "ERR" },
                    st.step,
                    st.detail
                );
            }
            println!(
                "branch {} at {} with {} files: {}",
                out.branch,
                &out.commit[..out.commit.len().min(12)],
                out.files.len(),
                message.lines().next().unwrap_or("")
            );
            if let Some(remote) = push {
                let r = ex::push(&repo, &remote, &out.branch)?;
                eprintln!("{} push: {}", if r.ok { "ok " } else { "ERR" }, r.detail);
            }
            Ok(ExitCode::SUCCESS)
        }
        ExportCmd::Patch {
            site,
            out,
            message,
            force,
        } => {
            let (s, p) = pending(&site)?;
            gate(&s, &p, force)?;
            let changes = p.changes;
            let repo = ex::Repo::discover(&s.root)?;
            let summary = ex::ChangeSummary::infer(&changes);
            let message = message.unwrap_or_else(|| ex::commit_message_for(&changes, &summary));
            // Git's own identity, or an error that says how to set one.
            let author = ex::author_for(repo.as_ref(), &s.root, None)?;
            let now = chrono::Local::now().fixed_offset();
            let bytes = ex::export_patch(repo.as_ref(), &changes, &message, &author, now)?;
            lectern::fs::write_atomic(&out, &bytes)?;
            println!("wrote {} ({} files)", out.display(), changes.len());
            Ok(ExitCode::SUCCESS)
        }
        ExportCmd::Zip { site, out, force } => {
            let (s, p) = pending(&site)?;
            gate(&s, &p, force)?;
            let changes = p.changes;
            let entries = ex::export_zip(&changes, &out)?;
            println!("wrote {} ({} entries)", out.display(), entries.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}
