//! Lectern's integration tests: one binary, a module per feature.
mod batch;
mod cli;
mod cli_export;
mod cli_photos;
mod corpus;
mod export;
mod photos;
mod props;
mod render;
mod sample_site;
mod support;
mod workspace;
mod xss;
