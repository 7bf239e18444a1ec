//! `lectern photos fetch|check|normalize`.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use lectern::photos::{self, FetchPolicy, FetchStatus, NormalizeOptions, PhotoInput};
use lectern::site::Site;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

#[derive(Subcommand)]
pub enum PhotosCmd {
    /// Fetch and cache every photo the sessions name. Exit 1 when some failed.
    Fetch {
        site: Option<PathBuf>,
        /// Parallel downloads.
        #[arg(long, default_value_t = 4)]
        jobs: usize,
    },
    /// Report broken, oversized and non-square photos (fetching what is not cached).
    Check {
        site: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: super::Format,
        #[arg(long, default_value_t = 4)]
        jobs: usize,
    },
    /// Crop to a centred square, resize and re-encode a photo file or URL.
    Normalize {
        /// A file path or an http(s) URL.
        input: String,
        #[arg(long)]
        out: PathBuf,
        /// Side in pixels (default: the site's `[photos] size`, else 400).
        #[arg(long)]
        size: Option<u32>,
    },
}

pub fn run(cmd: PhotosCmd) -> Result<ExitCode> {
    let policy = FetchPolicy::from_env();
    match cmd {
        PhotosCmd::Fetch { site, jobs } => {
            let site = Site::discover(&site.unwrap_or_else(super::default_path))?;
            let cache = photos::open_default_cache()?;
            let bar = std::io::stderr()
                .is_terminal()
                .then(|| indicatif::ProgressBar::new(0));
            let report = photos::fetch_site(
                &site,
                &cache,
                &policy,
                jobs,
                &|p| {
                    if let Some(b) = &bar {
                        b.set_length(p.total as u64);
                        b.set_position(p.done as u64);
                    }
                },
                &AtomicBool::new(false),
            );
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            let failed: Vec<_> = report
                .outcomes
                .iter()
                .filter(|o| o.status == FetchStatus::Failed)
                .collect();
            for o in &failed {
                let status = o
                    .http_status
                    .map(|s| format!("HTTP {s}"))
                    .unwrap_or_else(|| "error".into());
                println!(
                    "failed {} ({status}): {}",
                    o.url,
                    o.error.as_deref().unwrap_or("")
                );
            }
            println!(
                "{} photos: {} downloaded, {} revalidated, {} fresh in cache, {} failed (cache: {})",
                report.outcomes.len(),
                report.count(FetchStatus::Downloaded),
                report.count(FetchStatus::Revalidated),
                report.count(FetchStatus::Fresh),
                failed.len(),
                cache.dir().display()
            );
            Ok(if failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        PhotosCmd::Check { site, format, jobs } => {
            let site = Site::discover(&site.unwrap_or_else(super::default_path))?;
            let cache = photos::open_default_cache()?;
            let mut diags = photos::check_site_photos(&site, &cache, &policy, jobs);
            lectern::validate::sort(&mut diags);
            super::print_diagnostics(&site, &diags, format, site.session_files().len())?;
            let errors = diags.iter().any(|d| d.severity == lectern::Severity::Error);
            Ok(if errors {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        PhotosCmd::Normalize { input, out, size } => {
            let size = size
                .or_else(|| {
                    std::env::current_dir()
                        .ok()
                        .and_then(|d| Site::discover(&d).ok())
                        .and_then(|s| s.config.photos.size)
                })
                .unwrap_or(400);
            let opts = NormalizeOptions {
                size,
                ..NormalizeOptions::default()
            };
            let result = if input.starts_with("http://") || input.starts_with("https://") {
                let tmp = tempdir_cache()?;
                let cache = photos::PhotoCache::open(&tmp, photos::CacheConfig::default())?;
                let p = cache.fetch(&input, &policy)?;
                let bytes = std::fs::read(&p.path).with_context(|| p.path.display().to_string())?;
                photos::normalize(PhotoInput::Bytes(&bytes), &opts)?
            } else {
                let path = PathBuf::from(&input);
                if !path.is_file() {
                    bail!("{input}: no such file");
                }
                photos::normalize(PhotoInput::Path(&path), &opts)?
            };
            lectern::fs::write_atomic(&out, &result.bytes)?;
            println!(
                "wrote {} ({}×{}, {} bytes, {})",
                out.display(),
                result.width,
                result.height,
                result.bytes.len(),
                result.format.extension()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn tempdir_cache() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("lectern-normalize-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
