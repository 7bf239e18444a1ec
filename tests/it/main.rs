//! Lectern's integration tests: one binary, a module per feature.
mod corpus;
mod sample_site;
mod support;
