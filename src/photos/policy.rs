//! The fetch policy: which URLs and addresses a photo fetch may reach, and the
//! bounds on every request. Pure checks, no I/O, so they are unit-tested with
//! literal addresses and no traffic is ever sent to a refused address.

use super::PhotoError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;
use url::{Host, Url};

/// Bounds and address rules for fetching photos.
///
/// The default is strict: no loopback, 5 s to connect, 30 s in total, 10 MB
/// per body, 5 redirects. [`FetchPolicy::from_env`] additionally honours
/// `LECTERN_ALLOW_LOOPBACK=1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPolicy {
    /// Allow loopback addresses (127.0.0.0/8, ::1). Only for tests and local
    /// development; private and link-local addresses stay refused.
    pub allow_loopback: bool,
    /// Time allowed to connect (including TLS).
    pub connect_timeout: Duration,
    /// Time allowed for the whole fetch, all redirects and the body included.
    pub total_timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Most redirects followed.
    pub max_redirects: u32,
    /// The User-Agent header sent.
    pub user_agent: String,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_loopback: false,
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(30),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!("Lectern/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl FetchPolicy {
    /// The default policy, with loopback allowed when the environment sets
    /// `LECTERN_ALLOW_LOOPBACK=1`.
    pub fn from_env() -> Self {
        let allow = std::env::var("LECTERN_ALLOW_LOOPBACK")
            .map(|v| v.trim() == "1")
            .unwrap_or(false);
        FetchPolicy {
            allow_loopback: allow,
            ..FetchPolicy::default()
        }
    }
}

/// Why an address is refused, or `None` when it is a public address (or a
/// loopback address while `allow_loopback` is set).
pub fn check_ip(ip: IpAddr, allow_loopback: bool) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => check_v4(v4, allow_loopback),
        IpAddr::V6(v6) => check_v6(v6, allow_loopback),
    }
}

fn check_v4(ip: Ipv4Addr, allow_loopback: bool) -> Option<&'static str> {
    let o = ip.octets();
    if ip.is_loopback() {
        return (!allow_loopback)
            .then_some("loopback address (set LECTERN_ALLOW_LOOPBACK=1 for local testing)");
    }
    if o[0] == 0 {
        return Some("unspecified address (0.0.0.0/8)");
    }
    if ip.is_private() {
        return Some("private network address");
    }
    if ip.is_link_local() {
        return Some("link-local address (169.254.0.0/16)");
    }
    if o[0] == 100 && (o[1] & 0xc0) == 64 {
        return Some("carrier-grade NAT address (100.64.0.0/10)");
    }
    if ip.is_broadcast() {
        return Some("broadcast address");
    }
    if ip.is_multicast() {
        return Some("multicast address");
    }
    if o[0] >= 240 {
        return Some("reserved address (240.0.0.0/4)");
    }
    if o[0] == 192 && o[1] == 0 && o[2] == 0 {
        return Some("IETF protocol address (192.0.0.0/24)");
    }
    if o[0] == 198 && (o[1] & 0xfe) == 18 {
        return Some("benchmarking address (198.18.0.0/15)");
    }
    None
}

fn check_v6(ip: Ipv6Addr, allow_loopback: bool) -> Option<&'static str> {
    let s = ip.segments();
    // Addresses that carry an IPv4 address are judged by that address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return check_v4(v4, allow_loopback);
    }
    if ip.is_loopback() {
        return (!allow_loopback)
            .then_some("loopback address (set LECTERN_ALLOW_LOOPBACK=1 for local testing)");
    }
    if ip.is_unspecified() {
        return Some("unspecified address (::)");
    }
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[..6] == [0, 0, 0, 0, 0, 0] {
        // Deprecated IPv4-compatible form ::a.b.c.d.
        return check_v4(embedded(s[6], s[7]), allow_loopback)
            .or(Some("IPv4-compatible IPv6 address"));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return check_v4(embedded(s[6], s[7]), false);
    }
    if s[0] == 0x2002 {
        return check_v4(embedded(s[1], s[2]), false);
    }
    if (s[0] & 0xfe00) == 0xfc00 {
        return Some("unique local address (fc00::/7)");
    }
    if (s[0] & 0xffc0) == 0xfe80 {
        return Some("link-local address (fe80::/10)");
    }
    if (s[0] & 0xffc0) == 0xfec0 {
        return Some("site-local address (fec0::/10)");
    }
    if ip.is_multicast() {
        return Some("multicast address");
    }
    None
}

/// Parse and check a photo URL before any network activity: only absolute
/// `http` and `https` URLs with a host, no user name or password, and no
/// refused literal IP address (decimal, octal and hex IPv4 forms are
/// normalised by the WHATWG parser first). Host names are checked later,
/// after resolution.
pub fn check_url(raw: &str, policy: &FetchPolicy) -> Result<Url, PhotoError> {
    let raw = raw.trim();
    let blocked = |reason: String| PhotoError::Blocked {
        url: raw.to_owned(),
        reason,
    };
    let url = Url::parse(raw).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => blocked(
            "relative URL; only absolute http:// and https:// photo URLs are fetched".into(),
        ),
        other => blocked(format!("not a valid URL ({other})")),
    })?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(blocked(format!(
                "scheme `{other}:` is not fetched; use an https:// URL"
            )))
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(blocked(
            "URLs with a user name or password are not fetched".into(),
        ));
    }
    match url.host() {
        None => return Err(blocked("the URL has no host".into())),
        Some(Host::Ipv4(ip)) => check_host_ip(IpAddr::V4(ip), policy, raw)?,
        Some(Host::Ipv6(ip)) => check_host_ip(IpAddr::V6(ip), policy, raw)?,
        Some(Host::Domain(_)) => {}
    }
    Ok(url)
}

fn check_host_ip(ip: IpAddr, policy: &FetchPolicy, raw: &str) -> Result<(), PhotoError> {
    match check_ip(ip, policy.allow_loopback) {
        Some(reason) => Err(PhotoError::Blocked {
            url: raw.to_owned(),
            reason: format!("{ip} is a {reason}"),
        }),
        None => Ok(()),
    }
}

/// Check one redirect hop: the target must pass [`check_url`] and an https
/// page may not redirect to plain http.
pub fn check_redirect(from: &Url, to: &Url, policy: &FetchPolicy) -> Result<(), PhotoError> {
    if from.scheme() == "https" && to.scheme() == "http" {
        return Err(PhotoError::Downgrade {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    check_url(to.as_str(), policy).map(|_| ())
}
