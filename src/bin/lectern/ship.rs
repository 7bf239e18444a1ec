//! Shipping the command line where site repositories run it: shell
//! completions and man pages generated from the clap definitions (for the
//! `.deb` and the portable archive, see `scripts/package.sh`), and
//! `lectern ci init`, which adds the pull-request check to a site
//! repository.
//!
//! `ci init` writes one file, `.github/workflows/lectern.yml`, at the root of
//! the site's git work tree (the site folder itself when it is not in one).
//! It never overwrites an existing workflow without `--force`, and never
//! writes through a symbolic link: the site is untrusted, and a `.github`
//! that links elsewhere must not make Lectern write outside the repository.

use anyhow::{bail, Context, Result};
use clap::{Args, CommandFactory, Subcommand};
use lectern::site::Site;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

/// The workflow `ci init` writes (also validated by actionlint in CI).
pub const WORKFLOW: &str = include_str!("../../../assets/ci/lectern.yml");

/// Where the workflow goes, relative to the repository root.
const WORKFLOW_PATH: &str = ".github/workflows/lectern.yml";

#[derive(Subcommand)]
pub enum CiCmd {
    /// Add the pull-request check to a site repository.
    ///
    /// Writes `.github/workflows/lectern.yml` at the root of the site's git
    /// work tree. On each pull request it installs the portable `lectern` at
    /// a pinned version, verifies its SHA-256 and runs
    /// `lectern check --format github` on the changed session files, so
    /// problems show as annotations on the changed lines. Refuses to replace
    /// an existing workflow (exit 2) unless --force is given.
    Init(CiInitArgs),
}

#[derive(Args)]
pub struct CiInitArgs {
    /// The Hugo site (or a folder inside it). The workflow goes to the root
    /// of its git work tree, or to the site folder when it is not in one.
    site: PathBuf,
    /// Replace an existing `.github/workflows/lectern.yml`.
    #[arg(long)]
    force: bool,
    /// Pin the release archive's SHA-256 (the 64 hex digits of its `.sha256`
    /// file). Without it the workflow checks the archive against the
    /// release's own `.sha256` file.
    #[arg(long, value_name = "HEX")]
    sha256: Option<String>,
    /// Where the release archives are published, for example the project's
    /// releases download address or your organisation's mirror; the archive
    /// is fetched from `URL/v<version>/lectern-<version>-x86_64-linux.tar.gz`.
    #[arg(long, value_name = "URL")]
    download: Option<String>,
}

pub fn run(what: CiCmd) -> Result<ExitCode> {
    match what {
        CiCmd::Init(a) => init(a),
    }
}

/// The workflow text for a site whose folder is `site_rel` and sessions
/// folder is `sessions_rel` (both relative to the repository root, `/`
/// separated), with the optional pins filled in. Each setting is one
/// `  NAME: "value"` line of the workflow's `env:` block.
pub fn workflow_for(
    site_rel: &str,
    sessions_rel: &str,
    sha256: Option<&str>,
    download: Option<&str>,
) -> Result<String> {
    let mut text = WORKFLOW.to_string();
    let mut set = |name: &str, value: &str| -> Result<()> {
        let prefix = format!("  {name}: ");
        let line = text
            .lines()
            .find(|l| l.starts_with(&prefix))
            .with_context(|| format!("the workflow template has no {name} setting"))?
            .to_string();
        let quoted = serde_json::to_string(value)?;
        text = text.replacen(&line, &format!("{prefix}{quoted}"), 1);
        Ok(())
    };
    set("LECTERN_SITE", site_rel)?;
    set("LECTERN_SESSIONS", sessions_rel)?;
    if let Some(h) = sha256 {
        set("LECTERN_SHA256", h)?;
    }
    if let Some(u) = download {
        set("LECTERN_DOWNLOAD", u.trim_end_matches('/'))?;
    }
    Ok(text)
}

/// A path relative to `base` as a `/`-separated string (`.` for `base`).
fn relative(path: &Path, base: &Path) -> Result<String> {
    let rel = path
        .strip_prefix(base)
        .with_context(|| format!("{} is not inside {}", path.display(), base.display()))?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s
                .to_str()
                .map(str::to_string)
                .with_context(|| format!("{}: the path is not UTF-8", path.display())),
            _ => bail!("{}: unexpected path component", path.display()),
        })
        .collect::<Result<_>>()?;
    for p in &parts {
        // The value goes into YAML and a shell variable; keep it to plain names.
        if p.chars()
            .any(|c| c.is_control() || c == '"' || c == '\\' || c == '$' || c == '`')
        {
            bail!(
                "{}: the folder name {p:?} cannot be written into the workflow; rename it",
                path.display()
            );
        }
    }
    Ok(if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    })
}

/// The git work tree root at or above `start` (a `.git` folder or file).
fn git_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

/// Make `dir` (a child of `parent`) a real folder, creating it when missing;
/// refuse symbolic links and anything that is not a folder.
fn real_dir(dir: &Path) -> Result<()> {
    match dir.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => bail!(
            "{} is a symbolic link; Lectern does not write through it. Replace it with a folder",
            dir.display()
        ),
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => bail!("{} exists and is not a folder", dir.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(dir)
            .with_context(|| format!("{}: cannot create the folder", dir.display())),
        Err(e) => Err(e).with_context(|| format!("{}: cannot read", dir.display())),
    }
}

fn init(a: CiInitArgs) -> Result<ExitCode> {
    if !a.site.exists() {
        bail!("{}: no such folder", a.site.display());
    }
    if let Some(h) = &a.sha256 {
        if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
            bail!("--sha256 {h}: expected the 64 hex digits of the archive's .sha256 file");
        }
    }
    if let Some(u) = &a.download {
        if !(u.starts_with("https://") || u.starts_with("http://"))
            || u.chars().any(|c| {
                c.is_whitespace() || c.is_control() || c == '"' || c == '\\' || c == '$' || c == '`'
            })
        {
            bail!("--download {u}: expected an http(s) address without spaces or quotes");
        }
    }
    let site = Site::discover(&a.site)?;
    let repo = git_root(&site.root).unwrap_or_else(|| site.root.clone());
    let site_rel = relative(&site.root, &repo)?;
    let sessions_rel = relative(&site.sessions_dir, &repo)?;
    let text = workflow_for(
        &site_rel,
        &sessions_rel,
        a.sha256.as_deref().map(str::to_ascii_lowercase).as_deref(),
        a.download.as_deref(),
    )?;

    let github = repo.join(".github");
    let workflows = github.join("workflows");
    let target = workflows.join("lectern.yml");
    // Check everything before creating anything.
    for d in [&github, &workflows] {
        if let Ok(m) = d.symlink_metadata() {
            if m.file_type().is_symlink() {
                bail!("{} is a symbolic link; Lectern does not write through it. Replace it with a folder", d.display());
            }
        }
    }
    match target.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => bail!("{} is a symbolic link; remove it, then run `lectern ci init` again", target.display()),
        Ok(m) if !m.is_file() => bail!("{} exists and is not a file", target.display()),
        Ok(_) if !a.force => bail!("{} already exists; it was left as it is. Pass --force to replace it with Lectern's workflow", target.display()),
        _ => {}
    }
    real_dir(&github)?;
    real_dir(&workflows)?;
    lectern::fs::write_atomic(&target, text.as_bytes())?;
    println!("wrote {}", target.display());
    if repo != site.root {
        println!("(the repository root; the site is in {site_rel})");
    } else if git_root(&site.root).is_none() {
        println!(
            "(no git work tree found: this is where GitHub looks once {} is a repository's root)",
            repo.display()
        );
    }
    let mut next = Vec::new();
    if a.download.is_none() && text.contains("/OWNER/") {
        next.push("set LECTERN_DOWNLOAD to where Lectern's release archives are published (or run again with --force --download URL)");
    }
    if a.sha256.is_none() {
        next.push("pin LECTERN_SHA256 to the release archive's checksum (or run again with --force --sha256 HEX)");
    }
    for n in next {
        println!("next: {n}");
    }
    println!("then commit {WORKFLOW_PATH}; each pull request gets `lectern check --format github` annotations");
    Ok(ExitCode::SUCCESS)
}

/// `lectern completions SHELL`: the completion script on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut cmd = visible_command();
    clap_complete::generate(shell, &mut cmd, "lectern", &mut std::io::stdout().lock());
    Ok(ExitCode::SUCCESS)
}

/// The command line without its hidden subcommands (the man page generator):
/// clap_complete would offer them, and clap cannot remove a subcommand, so the
/// top level is rebuilt from the visible ones.
fn visible_command() -> clap::Command {
    let cli = super::Cli::command();
    let mut cmd = clap::Command::new("lectern")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true);
    if let Some(a) = cli.get_about() {
        cmd = cmd.about(a.clone());
    }
    cmd.args(cli.get_arguments().cloned())
        .subcommands(cli.get_subcommands().filter(|s| !s.is_hide_set()).cloned())
}

/// Every man page: `lectern.1` and one per subcommand, nested ones
/// included (`lectern-export-zip.1`), as `(file name, roff text)`.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: clap::Command, version: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        for sub in cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            walk(sub.clone(), version, out)?;
        }
        let man = clap_mangen::Man::new(cmd)
            .source(format!("lectern {version}"))
            .manual("Lectern Manual");
        let mut buf = Vec::new();
        man.render(&mut buf)?;
        out.push((man.get_filename(), buf));
        Ok(())
    }
    let mut cmd = super::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(cmd, env!("CARGO_PKG_VERSION"), &mut out)?;
    out.sort();
    Ok(out)
}

/// `lectern man-pages --out DIR` (hidden; `scripts/package.sh` runs it).
pub fn write_man_pages(out: &Path) -> Result<ExitCode> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("{}: cannot create the folder", out.display()))?;
    let pages = man_pages()?;
    for (name, text) in &pages {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    eprintln!("wrote {} man pages to {}", pages.len(), out.display());
    Ok(ExitCode::SUCCESS)
}
