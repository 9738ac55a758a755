//! `fuyuan cluster`: an Apache DataFusion Ballista scheduler or executor started from this
//! binary (built with `--features ballista`), with the checks that turn Ballista's bare errors
//! into lines that say which flag is wrong.
use crate::{Error, Result};

/// `HOST:PORT` (HOST a name, an IPv4 address or `[IPv6]`).
pub fn host_port(flag: &str, s: &str) -> Result<(String, u16)> {
    let bad = || Error::Usage(format!("{flag} '{s}' is not HOST:PORT"));
    let (host, port) = s.trim().rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() {
        return Err(bad());
    }
    Ok((host.to_string(), port))
}

#[cfg(feature = "ballista")]
pub use with_ballista::*;

#[cfg(feature = "ballista")]
mod with_ballista {
    use std::future::Future;
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    use super::host_port;
    use crate::engine::ballista::ExecutorSettings;
    use crate::{Error, Result};

    /// Binds the scheduler at `bind` (`--bind HOST:PORT`; port 0 picks a free one); returns the
    /// address bound and the future that serves until Ctrl-C or SIGTERM.
    pub async fn start_scheduler(bind: &str) -> Result<(SocketAddr, impl Future<Output = Result<()>>)> {
        let (host, port) = host_port("--bind", bind)?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let addr = tokio::net::lookup_host((host, port))
            .await
            .ok()
            .and_then(|mut a| a.next())
            .ok_or_else(|| Error::Usage(format!("--bind '{bind}': cannot resolve {host}")))?;
        let (addr, serve) = crate::engine::ballista::scheduler(addr).await?;
        Ok((addr, async move {
            tokio::select! {
                r = serve => r,
                _ = stop_signal() => Ok(()),
            }
        }))
    }

    async fn stop_signal() {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }

    /// An executor's flags, as given.
    pub struct ExecutorOptions {
        pub scheduler: String,
        pub bind: String,
        pub port: u16,
        pub grpc_port: Option<u16>,
        pub external_host: Option<String>,
        pub concurrency: Option<usize>,
        pub memory_limit_mib: Option<u64>,
        pub work_dir: Option<PathBuf>,
    }

    /// The executor's settings after the checks Ballista leaves to a bare error: two distinct
    /// non-zero ports that are free, at least one task slot.
    pub fn executor_settings(o: ExecutorOptions) -> Result<ExecutorSettings> {
        let scheduler = host_port("--scheduler", &o.scheduler)?;
        let grpc_port = match o.grpc_port {
            Some(p) => p,
            None => o.port.checked_add(1).ok_or_else(|| Error::Usage("--port 65535 leaves no port for gRPC: give --grpc-port".into()))?,
        };
        if o.port == 0 || grpc_port == 0 || o.port == grpc_port {
            return Err(Error::Usage("--port and --grpc-port must be two different ports, not 0 (the scheduler is told them)".into()));
        }
        let concurrency = o.concurrency.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        if concurrency == 0 {
            return Err(Error::Usage("--concurrency must be at least 1".into()));
        }
        let work_dir = o.work_dir.unwrap_or_else(|| std::env::temp_dir().join(format!("fuyuan-executor-{}", o.port)));
        // Ballista would report a taken port as a bare "Address already in use"; say which one.
        for (port, what) in [(o.port, "--port"), (grpc_port, "--grpc-port")] {
            if let Err(e) = std::net::TcpListener::bind((o.bind.as_str(), port)) {
                return Err(Error::Cluster(format!("cannot listen on {}:{port} ({what}): {e}", o.bind)));
            }
        }
        Ok(ExecutorSettings {
            scheduler,
            bind_host: o.bind,
            flight_port: o.port,
            grpc_port,
            external_host: o.external_host,
            concurrency,
            memory_bytes: o.memory_limit_mib.map(|m| m << 20),
            work_dir,
        })
    }

    /// Waits up to `wait` for the scheduler to accept connections, so that executors can be
    /// started before it (or with it, by a script).
    pub async fn wait_for_scheduler(s: &ExecutorSettings, wait: Duration) -> Result<()> {
        let host = s.scheduler.0.trim_start_matches('[').trim_end_matches(']').to_string();
        let deadline = Instant::now() + wait;
        loop {
            match tokio::net::TcpStream::connect((host.as_str(), s.scheduler.1)).await {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() >= deadline => {
                    return Err(Error::Cluster(format!("cannot reach the scheduler at {}:{}: {e}", s.scheduler.0, s.scheduler.1)));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        }
    }

    /// Runs the executor until it is stopped.
    pub async fn run_executor(s: ExecutorSettings) -> Result<()> {
        crate::engine::ballista::executor(s).await
    }

    /// Ballista's own log lines (job and task progress, executor registration) on stderr, at the
    /// level in `RUST_LOG` (error, warn, info, debug, trace; default warn).
    pub fn log_to_stderr() {
        let level = std::env::var("RUST_LOG").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(log::LevelFilter::Warn);
        if log::set_logger(Box::leak(Box::new(StderrLog(level)))).is_ok() {
            log::set_max_level(level);
        }
    }

    struct StderrLog(log::LevelFilter);

    impl log::Log for StderrLog {
        fn enabled(&self, m: &log::Metadata) -> bool {
            m.level() <= self.0
        }
        fn log(&self, r: &log::Record) {
            if self.enabled(r.metadata()) {
                eprintln!("{} {} {}", r.level(), r.target(), r.args());
            }
        }
        fn flush(&self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_parses() {
        assert_eq!(host_port("--bind", "127.0.0.1:0").unwrap(), ("127.0.0.1".into(), 0));
        assert_eq!(host_port("--bind", "[::1]:50050").unwrap(), ("[::1]".into(), 50050));
        for s in ["127.0.0.1", ":50050", "host:x", "host:70000"] {
            assert!(matches!(host_port("--bind", s), Err(Error::Usage(_))), "{s}");
        }
    }
}
