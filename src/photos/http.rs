//! The HTTP side of a photo fetch: one bounded GET with redirects followed by
//! hand, so every hop is checked against the [`FetchPolicy`], and a resolver
//! that refuses non-public addresses and hands ureq only the addresses it
//! checked (so DNS rebinding cannot swap them between check and connect).

use super::policy::{check_ip, check_redirect, check_url, FetchPolicy};
use super::PhotoError;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::Agent;

/// The validators of a cached copy, sent so the server can answer 304.
#[derive(Debug, Clone, Default)]
pub(crate) struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What a GET produced.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A 200 with its body (already bounded by the policy).
    Body {
        status: u16,
        body: Vec<u8>,
        validators: Validators,
    },
    /// A 304: the cached copy is still good.
    NotModified { validators: Validators },
}

/// An address refusal raised inside the resolver, carried through ureq's
/// error as `Error::Other` and turned back into [`PhotoError::Blocked`].
#[derive(Debug)]
struct BlockedAddr {
    addr: SocketAddr,
    reason: &'static str,
}

impl std::fmt::Display for BlockedAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "resolves to {}, a {}", self.addr.ip(), self.reason)
    }
}

impl std::error::Error for BlockedAddr {}

/// Resolves like the system resolver, then refuses the whole name when any
/// address is not public: a name that mixes public and private addresses is
/// suspicious, and refusing it keeps the rule simple.
#[derive(Debug, Default)]
struct CheckedResolver {
    allow_loopback: bool,
    inner: DefaultResolver,
}

impl Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        for addr in addrs.iter() {
            if let Some(reason) = check_ip(addr.ip(), self.allow_loopback) {
                return Err(ureq::Error::Other(Box::new(BlockedAddr {
                    addr: *addr,
                    reason,
                })));
            }
        }
        Ok(addrs)
    }
}

/// A ureq agent configured for one policy.
#[derive(Clone)]
pub(crate) struct Client {
    agent: Agent,
    policy: FetchPolicy,
}

impl Client {
    /// An agent that never uses a proxy (a proxy would resolve names
    /// itself, past our checks), never follows redirects on its own and
    /// treats status codes as data.
    pub fn new(policy: &FetchPolicy) -> Client {
        let config = Agent::config_builder()
            .proxy(None)
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(policy.connect_timeout))
            .timeout_global(Some(policy.total_timeout))
            .user_agent(policy.user_agent.as_str())
            .accept("image/png,image/jpeg,image/gif,image/webp;q=0.9,*/*;q=0.1")
            .build();
        let resolver = CheckedResolver {
            allow_loopback: policy.allow_loopback,
            inner: DefaultResolver::default(),
        };
        Client {
            agent: Agent::with_parts(config, DefaultConnector::default(), resolver),
            policy: policy.clone(),
        }
    }

    /// GET `raw`, following at most `max_redirects` redirects, all within
    /// the policy's total time.
    pub fn get(&self, raw: &str, cached: Option<&Validators>) -> Result<Reply, PhotoError> {
        let policy = &self.policy;
        let start = Instant::now();
        let mut url = check_url(raw, policy)?;
        let mut redirects = 0u32;
        loop {
            let remaining = policy.total_timeout.saturating_sub(start.elapsed());
            if remaining.is_zero() {
                return Err(timeout(raw, policy.total_timeout));
            }
            let mut req = self.agent.get(url.as_str());
            if let Some(v) = cached {
                if let Some(etag) = v.etag.as_deref().filter(|s| header_safe(s)) {
                    req = req.header("If-None-Match", etag);
                }
                if let Some(lm) = v.last_modified.as_deref().filter(|s| header_safe(s)) {
                    req = req.header("If-Modified-Since", lm);
                }
            }
            let mut resp = req
                .config()
                .timeout_global(Some(remaining))
                .build()
                .call()
                .map_err(|e| map_error(e, url.as_str(), policy.total_timeout))?;
            let status = resp.status().as_u16();
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|s| s.trim().to_owned())
            };
            let validators = Validators {
                etag: header("etag"),
                last_modified: header("last-modified"),
            };
            match status {
                301 | 302 | 303 | 307 | 308 => {
                    let location = header("location").ok_or_else(|| PhotoError::Http {
                        url: url.to_string(),
                        status,
                    })?;
                    if redirects >= policy.max_redirects {
                        return Err(PhotoError::TooManyRedirects {
                            url: raw.to_owned(),
                            limit: policy.max_redirects,
                        });
                    }
                    let next = url.join(&location).map_err(|e| PhotoError::Blocked {
                        url: location.clone(),
                        reason: format!("redirect to an invalid URL ({e})"),
                    })?;
                    check_redirect(&url, &next, policy)?;
                    redirects += 1;
                    url = next;
                }
                304 if cached.is_some() => return Ok(Reply::NotModified { validators }),
                200 => {
                    let declared = header("content-length").and_then(|s| s.parse::<u64>().ok());
                    if declared.is_some_and(|n| n > policy.max_bytes) {
                        return Err(PhotoError::TooLarge {
                            url: url.to_string(),
                            limit: policy.max_bytes,
                        });
                    }
                    let body = resp
                        .body_mut()
                        .with_config()
                        .limit(policy.max_bytes)
                        .read_to_vec()
                        .map_err(|e| map_error(e, url.as_str(), policy.total_timeout))?;
                    return Ok(Reply::Body {
                        status,
                        body,
                        validators,
                    });
                }
                _ => {
                    return Err(PhotoError::Http {
                        url: url.to_string(),
                        status,
                    })
                }
            }
        }
    }
}

/// Header values we echo back must be plain visible ASCII.
fn header_safe(s: &str) -> bool {
    !s.is_empty() && s.len() < 1024 && s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn timeout(url: &str, limit: Duration) -> PhotoError {
    PhotoError::Timeout {
        url: url.to_owned(),
        seconds: limit.as_secs_f64(),
    }
}

fn map_error(err: ureq::Error, url: &str, limit: Duration) -> PhotoError {
    match err {
        ureq::Error::Timeout(_) => timeout(url, limit),
        ureq::Error::BodyExceedsLimit(n) => PhotoError::TooLarge {
            url: url.to_owned(),
            limit: n,
        },
        ureq::Error::Other(inner) => match inner.downcast::<BlockedAddr>() {
            Ok(b) => PhotoError::Blocked {
                url: url.to_owned(),
                reason: b.to_string(),
            },
            Err(other) => PhotoError::Network {
                url: url.to_owned(),
                message: other.to_string(),
            },
        },
        ureq::Error::Io(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) =>
        {
            timeout(url, limit)
        }
        ureq::Error::HostNotFound => PhotoError::Network {
            url: url.to_owned(),
            message: "host not found; check the address".into(),
        },
        other => PhotoError::Network {
            url: url.to_owned(),
            message: other.to_string(),
        },
    }
}
