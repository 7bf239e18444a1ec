//! Lectern's integration tests: one binary, a module per feature.
mod corpus;
mod support;
