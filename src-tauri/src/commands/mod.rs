//! The IPC commands, one module per feature. Each command fetches state,
//! calls one core (or shell) function and maps the result to a DTO.

pub mod app;
pub mod check;
pub mod session;
pub mod site;
// desktop app performance: body edits as changes, checks off the main thread
pub mod live;
