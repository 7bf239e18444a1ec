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
// Schedule grid + twins side by side (issue 5)
mod schedule;
mod supply_chain;
mod support;
mod workspace;
mod xss;
