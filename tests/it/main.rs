//! Lectern's integration tests: one binary, a module per feature.
mod batch;
// Batch operations in the app (plans on the workspace, selections, table cells)
mod batch_app;
mod cli;
// `lectern ci init`, the pull-request workflow, completions and man pages (issue 16)
mod ci_init;
mod cli_export;
mod cli_photos;
mod corpus;
mod crash_safety;
mod export;
// The app's review and export flow (issue 6).
mod export_app;
// Who signs an export: git identity, asked for and saved per repository (issue 15, item 12)
mod git_identity;
// Front matter in every shape: TOML, JSON, lists, typed values (issue 12)
mod formats;
mod fuzz_equiv;
mod hostile;
// desktop app performance: body edits as editor changes, rows without a check
mod incremental;
mod photos;
mod props;
mod render;
mod sample_site;
// Schedule grid + twins side by side (issue 5)
mod schedule;
mod supply_chain;
mod support;
// new sessions (issue 3)
mod templates;
// The site boundary against hostile site folders (issue 14)
mod trust;
// Site profiles: any Hugo conference site (issue 11)
mod profiles;
// Programmes kept in data files, devopsdays-style (issue 11)
mod data_schedule;
mod workspace;
mod xss;
// Photos in the app (issue 4): Replace photo, fetch failures, photo status.
mod photos_replace;
// hardening: hard-linked saves, disk full, read-only and vanished folders
mod disk_failures;
mod hard_links;
mod schema_proposal;
