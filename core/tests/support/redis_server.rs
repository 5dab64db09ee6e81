//! A `redis-server` of the test's own: on loopback, on a port it picks, with
//! nothing saved, in a scratch directory; killed when dropped. Never the
//! system service. `tests/run.sh` installs Debian's `redis-server` when it
//! is missing.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Redis.
pub struct RedisServer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl RedisServer {
    /// Starts one and waits (at most 10 s) until it answers.
    ///
    /// Panics, saying how to get it, when `redis-server` is not installed.
    pub fn start() -> RedisServer {
        Self::start_on(free_port(), tempfile::tempdir().expect("a scratch dir"))
    }

    fn start_on(port: u16, dir: tempfile::TempDir) -> RedisServer {
        Self::start_with(port, dir, &["--port".into(), port.to_string()])
    }

    /// One that takes TLS only (`rediss://`), with `cert.pem`/`key.pem`
    /// from `certs`, and AUTH with `password`.
    #[allow(dead_code)] // used by some of the suites that include this file
    pub fn start_tls(certs: &std::path::Path, password: &str) -> RedisServer {
        let port = free_port();
        let file = |name: &str| certs.join(name).to_string_lossy().into_owned();
        let args: Vec<String> = vec![
            "--port".into(),
            "0".into(),
            "--tls-port".into(),
            port.to_string(),
            "--tls-cert-file".into(),
            file("cert.pem"),
            "--tls-key-file".into(),
            file("key.pem"),
            "--tls-ca-cert-file".into(),
            file("ca.pem"),
            "--tls-auth-clients".into(),
            "no".into(),
            "--requirepass".into(),
            password.into(),
        ];
        Self::start_with(port, tempfile::tempdir().expect("a scratch dir"), &args)
    }

    fn start_with(port: u16, dir: tempfile::TempDir, listen: &[String]) -> RedisServer {
        let child = Command::new("redis-server")
            .args(listen)
            .args(["--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is not installed: tests/run.sh installs Debian's redis-server");
        let server = RedisServer {
            child,
            port,
            _dir: dir,
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "redis-server did not listen on 127.0.0.1:{} within 10 s",
            self.port
        );
    }

    /// The port it listens on (TLS's, for [`RedisServer::start_tls`]).
    #[allow(dead_code)]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills it (as a crash would), then starts a new, empty one on the
    /// same port: what a Redis restart without persistence looks like.
    #[allow(dead_code)] // used by some of the suites that include this file
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let fresh = Self::start_on(self.port, tempfile::tempdir().expect("a scratch dir"));
        let old = std::mem::replace(self, fresh);
        drop(old);
    }

    /// Stops it without starting another.
    #[allow(dead_code)]
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
