//! Lectern's integration tests: one binary, a module per feature.
mod batch;
// Batch operations in the app (plans on the workspace, selections, table cells)
mod batch_app;
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
