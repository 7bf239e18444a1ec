//! The IPC commands, one module per feature. Each command fetches state,
//! calls one core (or shell) function and maps the result to a DTO.

pub mod app;
pub mod check;
pub mod session;
// Schedule grid + twins side by side (issue 5)
pub mod schedule;
pub mod site;
