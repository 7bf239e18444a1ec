//! End-to-end harness: drives the real `lectern-desktop` window.
//!
//! [`Harness::start`] starts a private X server (`Xvfb`, display picked by
//! Xvfb itself), `tauri-driver` on free loopback ports (it spawns
//! `/usr/bin/WebKitWebDriver`, which launches the app), and a WebDriver
//! session whose application is the debug build of the app opened on a
//! fresh copy of a fixture site. [`Harness::stop`] (or dropping the harness)
//! ends the session and kills each child's whole process group, with
//! bounded waits, so nothing outlives a test.
//!
//! Build the app first (`scripts/e2e.sh` does): the UI must be built and the
//! app compiled with `--features custom-protocol`, so it serves `ui/dist`.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// Boxed error for the harness and tests.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The app binary: `$LECTERN_APP`, else `lectern-desktop` in the target
/// folder this test binary was built in, else `target/debug/lectern-desktop`.
///
/// The target folder is found from the running test binary, not from
/// `CARGO_MANIFEST_DIR`: that is baked in at compile time, and a worktree
/// whose `target/` was seeded from another checkout's reuses this crate's
/// compiled artifact, which then pointed at the *other* checkout's app.
pub fn app_binary() -> PathBuf {
    if let Some(app) = std::env::var_os("LECTERN_APP") {
        return PathBuf::from(app);
    }
    // target/debug/deps/<test binary> -> target/debug/lectern-desktop
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.parent()?
                .parent()
                .map(|debug| debug.join("lectern-desktop"))
        })
        .filter(|p| p.is_file());
    beside.unwrap_or_else(|| repo_root().join("target/debug/lectern-desktop"))
}

/// Where tests write screenshots (`tests/e2e/artifacts/`, git-ignored).
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts")
}

/// A fixture site under `tests/e2e/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// A child process that leads its own process group; dropping it kills the group.
struct Group {
    name: &'static str,
    child: Child,
    stopped: bool,
}

impl Group {
    fn spawn(name: &'static str, cmd: &mut Command) -> Result<Group> {
        use std::os::unix::process::CommandExt;
        let child = cmd
            .process_group(0)
            .spawn()
            .map_err(|e| format!("could not start {name}: {e} (run scripts/setup.sh)"))?;
        Ok(Group {
            name,
            child,
            stopped: false,
        })
    }

    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// SIGTERM the group, wait up to `grace`, then SIGKILL it.
    fn stop(&mut self, grace: Duration) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group we created.
        unsafe { libc::kill(-pgid, libc::SIGTERM) };
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if self.exited().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Children of the leader (WebKitWebDriver, the app, WebKit helpers) may linger.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
        let _ = self.child.wait();
        reap_group(pgid, Duration::from_secs(3));
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if !self.stopped && self.exited().is_none() {
            eprintln!("e2e: stopping {}", self.name);
        }
        self.stop(Duration::from_secs(3));
    }
}

/// Make this process adopt orphaned descendants, so the WebKit processes
/// of a killed driver can be reaped here instead of staying zombies (the
/// container's PID 1 may not reap).
fn become_subreaper() {
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag on this process.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
}

/// Reap every exited process of group `pgid` that is our child (directly or
/// adopted), for at most `within`.
fn reap_group(pgid: libc::pid_t, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        // SAFETY: waitpid on a process group with WNOHANG; a null status pointer is allowed.
        let r = unsafe { libc::waitpid(-pgid, std::ptr::null_mut(), libc::WNOHANG) };
        if r < 0 || Instant::now() >= deadline {
            return; // ECHILD: none left
        }
        if r == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A running app under WebDriver.
pub struct Harness {
    /// The WebDriver session.
    pub client: Client,
    /// The copy of the fixture site the app opened.
    pub site: PathBuf,
    /// The X display (`:N`).
    pub display: String,
    driver: Group,
    xvfb: Group,
    _tmp: tempfile::TempDir,
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Start Xvfb and return it with its display, read from `-displayfd`.
fn start_xvfb() -> Result<(Group, String)> {
    let mut xvfb = Group::spawn(
        "Xvfb",
        Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1400x900x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    )?;
    let stdout = xvfb.child.stdout.take().ok_or("Xvfb has no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(15))
        .map_err(|_| "Xvfb did not report a display within 15 s")?;
    let n: u32 = line
        .trim()
        .parse()
        .map_err(|_| format!("Xvfb printed {line:?}, not a display number"))?;
    Ok((xvfb, format!(":{n}")))
}

async fn wait_for_port(port: u16, within: Duration, driver: &mut Group) -> Result<()> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Some(status) = driver.exited() {
            return Err(format!("tauri-driver exited early ({status})").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!(
        "nothing listened on port {port} within {within:?} (tauri-driver or WebKitWebDriver)"
    )
    .into())
}

impl Harness {
    /// Start everything on a fresh copy of the fixture site `fixture_name`.
    pub async fn start(fixture_name: &str) -> Result<Harness> {
        let tmp = tempfile::tempdir()?;
        let site = tmp.path().join("site");
        copy_tree(&fixture(fixture_name), &site)?;
        Self::start_on(tmp, site).await
    }

    /// Start everything on `site`, which lives inside `tmp`.
    pub async fn start_on(tmp: tempfile::TempDir, site: PathBuf) -> Result<Harness> {
        let args = vec![site.to_string_lossy().into_owned()];
        Self::launch(tmp, site, args).await
    }

    /// Start the app with no argument and empty app dirs (a first run): it
    /// should copy the bundled sample site into its data dir and open it.
    /// `site` is where that copy is expected.
    pub async fn start_first_run() -> Result<Harness> {
        let tmp = tempfile::tempdir()?;
        let site = tmp
            .path()
            .join("home/.local/share/org.lectern.desktop/sample-site");
        Self::launch(tmp, site, Vec::new()).await
    }

    /// Start the app with `args`, its home (config, data, cache) in `tmp/home`.
    /// `site` is what the test expects the app to open.
    pub async fn launch(
        tmp: tempfile::TempDir,
        site: PathBuf,
        args: Vec<String>,
    ) -> Result<Harness> {
        Self::launch_with_env(tmp, site, args, &[]).await
    }

    /// Like [`Harness::launch`], with extra environment variables for the
    /// app (e.g. `LECTERN_ALLOW_LOOPBACK=1` so it may fetch photos from a
    /// test server on 127.0.0.1, or `LECTERN_CACHE_DIR`). They are set on
    /// tauri-driver, whose WebKitWebDriver starts the app with its environment.
    pub async fn launch_with_env(
        tmp: tempfile::TempDir,
        site: PathBuf,
        args: Vec<String>,
        env: &[(&str, &str)],
    ) -> Result<Harness> {
        let app = app_binary();
        if !app.is_file() {
            return Err(format!(
                "{} is missing: build it with scripts/e2e.sh (UI + cargo build --features custom-protocol)",
                app.display()
            )
            .into());
        }
        become_subreaper();
        let (xvfb, display) = start_xvfb()?;
        let port = free_port()?;
        let native_port = free_port()?;
        // The app gets private config/data/cache dirs so tests never touch the
        // user's last-site file or each other's.
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home)?;
        let mut driver = Group::spawn(
            "tauri-driver",
            Command::new("tauri-driver")
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                .env("DISPLAY", &display)
                .env_remove("WAYLAND_DISPLAY")
                .env("GDK_BACKEND", "x11")
                .env("HOME", &home)
                .env("XDG_CONFIG_HOME", home.join(".config"))
                .env("XDG_DATA_HOME", home.join(".local/share"))
                .env("XDG_CACHE_HOME", home.join(".cache"))
                .env("GTK_THEME", "Adwaita")
                // The app logs the IPC commands it receives (reported by app_info).
                .env("LECTERN_E2E", "1")
                // No D-Bus session here: keep GTK settings in memory instead of dconf.
                .env("GSETTINGS_BACKEND", "memory")
                // No GPU under Xvfb: WebKit's DMA-BUF renderer only prints warnings there.
                .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit()),
        )?;
        // tauri-driver listens at once but forwards to WebKitWebDriver, which
        // may still be starting: a session request before then is dropped.
        wait_for_port(port, Duration::from_secs(20), &mut driver).await?;
        wait_for_port(native_port, Duration::from_secs(20), &mut driver).await?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app, "args": args }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await
        .map_err(|_| "the WebDriver session did not start within 60 s")??;
        Ok(Harness {
            client,
            site,
            display,
            driver,
            xvfb,
            _tmp: tmp,
        })
    }

    /// Wait until `css` matches an element, for at most `within`. A list
    /// can replace the node between finding it and handing it over (a stale
    /// reference): look again until the deadline.
    pub async fn wait_for(
        &self,
        css: &str,
        within: Duration,
    ) -> Result<fantoccini::elements::Element> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .client
                .wait()
                .at_most(left)
                .for_element(Locator::Css(css))
                .await
            {
                Ok(el) => return Ok(el),
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference
                        && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Click the element matching `css`. Lists re-render their rows, so a
    /// node found a moment ago can be replaced before the click lands: retry
    /// a few times on a stale reference.
    pub async fn click(&self, css: &str) -> Result<()> {
        let mut last = None;
        for _ in 0..5 {
            let el = self
                .client
                .wait()
                .at_most(Duration::from_secs(10))
                .for_element(Locator::Css(css))
                .await?;
            match el.click().await {
                Ok(()) => return Ok(()),
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference =>
                {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(format!("click on {css}: {e}").into()),
            }
        }
        Err(format!("{css}: still stale after 5 tries: {last:?}").into())
    }

    /// Wait until `script` (a function body returning a boolean) returns true.
    pub async fn wait_until(&self, script: &str, within: Duration) -> Result<()> {
        let deadline = Instant::now() + within;
        loop {
            if self.eval(script).await? == serde_json::Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!("timed out after {within:?} waiting for: {script}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Run a script in the page and return its JSON value.
    pub async fn eval(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Run an async script (its last argument is the callback) and return
    /// the value it passes to the callback.
    pub async fn eval_async(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute_async(script, vec![]).await?)
    }

    /// Save a screenshot of the window under `tests/e2e/artifacts/` (for
    /// people looking at the run; the README's pictures come from there).
    pub async fn screenshot(&self, name: &str) -> Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::create_dir_all(artifacts_dir())?;
        std::fs::write(artifacts_dir().join(name), png)?;
        Ok(())
    }

    /// Two animation frames, so that what was just changed is laid out and
    /// painted.
    pub async fn settle(&self) -> Result<()> {
        self.eval_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)))",
        )
        .await?;
        Ok(())
    }

    /// Resize the window so the page gets `w`×`h` CSS pixels (the window
    /// may add a frame), and let the layout settle.
    pub async fn resize(&self, w: u32, h: u32) -> Result<()> {
        self.client.set_window_size(w, h).await?;
        self.wait_until(
            &format!("return Math.abs(innerWidth - {w}) <= 2 && Math.abs(innerHeight - {h}) <= 40"),
            Duration::from_secs(30),
        )
        .await?;
        self.settle().await
    }

    /// Focus the window titled `window` and send it real X input through
    /// XTEST: `then` is the rest of the xdotool chain (`key ctrl+s`,
    /// `type …`), each piece one argument.
    pub fn xdotool(&self, window: &str, then: &[&str]) -> Result<()> {
        let status = Command::new("xdotool")
            .env("DISPLAY", &self.display)
            .args([
                "search",
                "--onlyvisible",
                "--name",
                window,
                "windowfocus",
                "--sync",
            ])
            .args(then)
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("xdotool {then:?} failed: {status}").into())
        }
    }

    /// End the session (the app exits) and stop the driver and the X server.
    pub async fn stop(self) -> Result<()> {
        self.stop_keeping_home().await.map(drop)
    }

    /// The app's private home folder (its config, data and cache dirs).
    pub fn home(&self) -> PathBuf {
        self._tmp.path().join("home")
    }

    /// Pids of this test's `lectern-desktop` processes: found by name and by
    /// the private `HOME` the harness gave them, so no other app is touched.
    pub fn app_pids(&self) -> Vec<u32> {
        let home = format!("HOME={}", self.home().display());
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
                let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
                comm.trim() == "lectern-desktop"
                    && env.split(|b| *b == 0).any(|kv| kv == home.as_bytes())
            })
            .collect()
    }

    /// After the app was killed: stop the driver and the X server (the
    /// WebDriver session cannot close cleanly) and hand back the temp dir.
    pub async fn stop_after_crash(mut self) -> Result<tempfile::TempDir> {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        self.driver.stop(Duration::from_secs(5));
        self.xvfb.stop(Duration::from_secs(5));
        Ok(self._tmp)
    }

    /// Like [`Harness::stop`], but hand back the temp dir (site copy and app
    /// home) so a second run can start where this one ended.
    pub async fn stop_keeping_home(mut self) -> Result<tempfile::TempDir> {
        let closed =
            tokio::time::timeout(Duration::from_secs(15), self.client.clone().close()).await;
        self.driver.stop(Duration::from_secs(5));
        self.xvfb.stop(Duration::from_secs(5));
        match closed {
            Ok(Ok(())) => Ok(self._tmp),
            Ok(Err(e)) => Err(e.into()),
            Err(_) => Err("closing the WebDriver session took over 15 s".into()),
        }
    }
}

/// Copy a folder tree (fixtures are small).
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

/// Every file under `dir` (recursively) with its bytes, sorted by path:
/// compared before and after, it proves the app wrote nothing there.
pub fn file_snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// The sessions of a site: session file stems without the language suffix
/// (`db-101` for `db-101.md` and `db-101.zh.md`), sorted and unique. The
/// fixture sites' languages are `en` (no suffix) and `zh`.
pub fn session_stems(site: &Path) -> Result<Vec<String>> {
    let mut stems: Vec<String> = session_ids(site)?
        .iter()
        .map(|id| {
            let name = id
                .trim_start_matches("content/sessions/")
                .trim_end_matches(".md");
            name.strip_suffix(".zh").unwrap_or(name).to_string()
        })
        .collect();
    stems.sort();
    stems.dedup();
    Ok(stems)
}

/// The session files of a site (`content/sessions/*.md`) as ids, sorted.
pub fn session_ids(site: &Path) -> Result<Vec<String>> {
    let mut ids: Vec<String> = std::fs::read_dir(site.join("content/sessions"))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("content/sessions/{n}"))
        .collect();
    ids.sort();
    Ok(ids)
}
