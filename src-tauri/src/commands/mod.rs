//! The IPC commands, one module per feature. Each command fetches state,
//! calls one core (or shell) function and maps the result to a DTO.

pub mod app;
// Batch operations (plans, bulk edits, imports)
pub mod batch;
pub mod check;
pub mod session;
pub mod site;
