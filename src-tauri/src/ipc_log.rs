//! A log of the IPC commands the app received, kept only under the
//! end-to-end tests (`LECTERN_E2E=1`): the XSS test checks that rendering a
//! hostile preview made no command call. With `LECTERN_STARTUP_TRACE=1`
//! each command's arrival time goes to stderr (the perf test's cold start).
//! Off, each costs one env lookup.

use std::sync::{Mutex, OnceLock};

use tauri::ipc::Invoke;
use tauri::Runtime;

fn log() -> Option<&'static Mutex<Vec<String>>> {
    static LOG: OnceLock<Option<Mutex<Vec<String>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        (std::env::var_os("LECTERN_E2E").is_some_and(|v| v == "1")).then(|| Mutex::new(Vec::new()))
    })
    .as_ref()
}

/// Wrap the command handler so each command name is logged first.
pub fn counted<R: Runtime>(
    handler: impl Fn(Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke: Invoke<R>| {
        if startup_trace() {
            trace(invoke.message.command());
        }
        if let Some(log) = log() {
            let name = invoke.message.command().to_string();
            log.lock().unwrap_or_else(|p| p.into_inner()).push(name);
        }
        handler(invoke)
    }
}

/// The commands logged so far, or `None` when not under the e2e tests.
pub fn snapshot() -> Option<Vec<String>> {
    log().map(|l| l.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

// desktop app performance: when each command arrives, for the cold-start
// figure measured without a WebDriver in between (tests/e2e/tests/perf.rs).

/// Whether `LECTERN_STARTUP_TRACE=1`: print when each command arrives.
fn startup_trace() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("LECTERN_STARTUP_TRACE").is_some_and(|v| v == "1"))
}

fn trace(command: &str) {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    eprintln!("lectern-desktop: trace: {command} at {ms:.1}");
}
