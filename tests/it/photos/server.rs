//! A tiny threaded HTTP/1.1 server on 127.0.0.1 for the photo tests and the
//! photo benchmark. One request per connection (`Connection: close`); it
//! counts hits per path and keeps the request headers it saw. It stops when
//! dropped, and by itself after two minutes at the latest.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const LIFETIME: Duration = Duration::from_secs(120);

/// A parsed request line and headers.
#[derive(Debug, Clone)]
pub struct Request {
    /// The path, with any query.
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first value of a header (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the handler answers.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Leave out Content-Length (the body then ends when the connection closes).
    pub no_length: bool,
}

#[allow(dead_code)]
impl Response {
    /// 200 with a content type.
    pub fn ok(content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status: 200,
            headers: vec![],
            body,
            delay: Duration::ZERO,
            no_length: false,
        }
        .header("Content-Type", content_type)
    }

    /// A bare status with a short text body.
    pub fn status(status: u16) -> Response {
        Response {
            status,
            headers: vec![],
            body: b"no".to_vec(),
            delay: Duration::ZERO,
            no_length: false,
        }
    }

    /// A 302 to `location`.
    pub fn redirect(location: &str) -> Response {
        Response::status(302).header("Location", location)
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Answer after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Response {
        self.delay = delay;
        self
    }

    /// Send no Content-Length.
    pub fn without_length(mut self) -> Response {
        self.no_length = true;
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// The running server.
pub struct TestServer {
    addr: SocketAddr,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    seen: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

#[allow(dead_code)]
impl TestServer {
    /// Start on an ephemeral loopback port.
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let (hits, seen, stop) = (hits.clone(), seen.clone(), stop.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::Relaxed) && started.elapsed() < LIFETIME {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (hits, seen, handler) =
                                (hits.clone(), seen.clone(), handler.clone());
                            std::thread::spawn(move || serve(stream, &hits, &seen, &*handler));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(2)),
                    }
                }
            })
        };
        TestServer {
            addr,
            hits,
            seen,
            stop,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Requests seen for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .map(|h| h.get(path).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Requests seen in all.
    pub fn total_hits(&self) -> usize {
        self.hits.lock().map(|h| h.values().sum()).unwrap_or(0)
    }

    /// The requests seen for `path`, in order.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.seen
            .lock()
            .map(|s| s.iter().filter(|r| r.path == path).cloned().collect())
            .unwrap_or_default()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

fn serve(
    mut stream: TcpStream,
    hits: &Mutex<HashMap<String, usize>>,
    seen: &Mutex<Vec<Request>>,
    handler: &Handler,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let request = Request {
        path: path.clone(),
        headers,
    };
    if let Ok(mut h) = hits.lock() {
        *h.entry(path).or_insert(0) += 1;
    }
    if let Ok(mut s) = seen.lock() {
        s.push(request.clone());
    }
    let response = handler(&request);
    if !response.delay.is_zero() {
        std::thread::sleep(response.delay.min(Duration::from_secs(10)));
    }
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", response.status);
    if !response.no_length {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if response.status != 304 {
        let _ = stream.write_all(&response.body);
    }
    let _ = stream.flush();
}
