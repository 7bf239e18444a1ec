//! Lectern's integration tests: one binary, a module per feature.
mod batch;
mod cli;
mod cli_export;
mod cli_photos;
mod corpus;
mod crash_safety;
mod export;
mod fuzz_equiv;
mod hostile;
// desktop app performance: body edits as editor changes, rows without a check
mod incremental;
mod photos;
mod props;
mod render;
mod sample_site;
mod supply_chain;
mod support;
mod workspace;
mod xss;
