//! The IPC commands, one module per feature. Each command fetches state,
//! calls one core (or shell) function and maps the result to a DTO.

pub mod app;
// Batch operations (plans, bulk edits, imports)
pub mod batch;
pub mod check;
// Photos (issue 4): fetch all, speaker photos, Replace photo.
pub mod photos;
// Changes view and export (issue 6).
pub mod export;
pub mod session;
// Schedule grid + twins side by side (issue 5)
pub mod schedule;
pub mod site;
// Recent sites, unsaved-edits prompt, new sessions (issue 3).
pub mod leaving;
pub mod new_session;
pub mod recent;
// desktop app performance: body edits as changes, checks off the main thread
pub mod live;
// Problems pane fixes and site-wide search (issue 15)
pub mod find;
