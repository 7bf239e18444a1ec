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
mod photos;
mod props;
mod render;
mod sample_site;
mod supply_chain;
mod support;
mod workspace;
mod xss;
// hardening: hard-linked saves, disk full, read-only and vanished folders
mod disk_failures;
mod hard_links;
