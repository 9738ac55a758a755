//! `fuyuan cluster scheduler [--bind HOST:PORT]` and `fuyuan cluster executor [--scheduler
//! HOST:PORT] [--port N] [--concurrency N] [--memory-limit MIB]` — an Apache DataFusion Ballista
//! scheduler and executors, one command each, for `--engine ballista://HOST:PORT`. They are the
//! ballista-scheduler and ballista-executor library crates inside the fuyuan binary (built with
//! `--features ballista`), so the cluster runs the same DataFusion as the client.
use std::io::Write;
use std::path::PathBuf;

use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub role: Role,
}

#[derive(Debug, clap::Subcommand)]
pub enum Role {
    /// Start a scheduler: clients send it queries, it splits them into stages for the executors.
    Scheduler(SchedulerArgs),
    /// Start an executor: it registers with the scheduler and runs query stages on the warehouse
    /// files, which it must see at the same absolute path as the client.
    Executor(ExecutorArgs),
}

#[derive(Debug, clap::Args)]
pub struct SchedulerArgs {
    /// Address to listen on (`0.0.0.0:50050` to serve other machines; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:50050", value_name = "HOST:PORT")]
    pub bind: String,
}

#[derive(Debug, clap::Args)]
pub struct ExecutorArgs {
    /// The scheduler to register with.
    #[arg(long, default_value = "127.0.0.1:50050", value_name = "HOST:PORT")]
    pub scheduler: String,
    /// Local address for this executor's two ports (`0.0.0.0` to serve other machines).
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    pub bind: String,
    /// Arrow Flight port: the client and other executors fetch results and shuffle data here.
    #[arg(long, default_value_t = 50051, value_name = "PORT")]
    pub port: u16,
    /// gRPC port the scheduler sends tasks to (default: --port + 1).
    #[arg(long, value_name = "PORT")]
    pub grpc_port: Option<u16>,
    /// Name or address others reach this executor by (default: the address the scheduler sees).
    #[arg(long, value_name = "HOST")]
    pub external_host: Option<String>,
    /// Tasks run at once (default: the machine's cores).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Memory pool shared by this executor's tasks, in MiB; a task that needs more spills, then
    /// fails (default: Ballista's share of the machine's memory).
    #[arg(long, value_name = "MIB")]
    pub memory_limit: Option<u64>,
    /// Folder for shuffle files and spills (default: a folder under the system's temp dir).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Seconds to wait for the scheduler to answer before giving up.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub wait: u64,
}

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

#[cfg(not(feature = "ballista"))]
pub fn run(_args: Args, _out: &mut dyn Write) -> Result<()> {
    Err(Error::Usage(
        "fuyuan cluster: this fuyuan was built without Ballista support; rebuild it with `cargo build --release --features ballista`"
            .into(),
    ))
}

#[cfg(feature = "ballista")]
pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    StderrLog::install();
    let rt = crate::engine::runtime()?;
    match args.role {
        Role::Scheduler(a) => rt.block_on(scheduler(a, out)),
        Role::Executor(a) => rt.block_on(executor(a, out)),
    }
}

#[cfg(feature = "ballista")]
async fn scheduler(args: SchedulerArgs, out: &mut dyn Write) -> Result<()> {
    let (host, port) = host_port("--bind", &args.bind)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let bind = tokio::net::lookup_host((host, port))
        .await
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| Error::Usage(format!("--bind '{}': cannot resolve {host}", args.bind)))?;
    let (addr, serve) = crate::engine::ballista::scheduler(bind).await?;
    // The first line tells scripts (and the tests) which port was bound when port 0 was asked.
    writeln!(out, "ballista scheduler listening on {addr} (clients: --engine ballista://{addr})").map_err(io)?;
    writeln!(out, "stop it with Ctrl-C").map_err(io)?;
    out.flush().map_err(io)?;
    tokio::select! {
        r = serve => r,
        _ = stop_signal() => Ok(()),
    }
}

#[cfg(feature = "ballista")]
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

#[cfg(feature = "ballista")]
async fn executor(args: ExecutorArgs, out: &mut dyn Write) -> Result<()> {
    use std::time::{Duration, Instant};
    let scheduler = host_port("--scheduler", &args.scheduler)?;
    let grpc_port = match args.grpc_port {
        Some(p) => p,
        None => args.port.checked_add(1).ok_or_else(|| Error::Usage("--port 65535 leaves no port for gRPC: give --grpc-port".into()))?,
    };
    if args.port == 0 || grpc_port == 0 || args.port == grpc_port {
        return Err(Error::Usage("--port and --grpc-port must be two different ports, not 0 (the scheduler is told them)".into()));
    }
    let concurrency = args.concurrency.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
    if concurrency == 0 {
        return Err(Error::Usage("--concurrency must be at least 1".into()));
    }
    let work_dir = args.work_dir.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("fuyuan-executor-{}", args.port)));
    // Ballista would report a taken port as a bare "Address already in use"; say which one.
    for (port, what) in [(args.port, "--port"), (grpc_port, "--grpc-port")] {
        if let Err(e) = std::net::TcpListener::bind((args.bind.as_str(), port)) {
            return Err(Error::Cluster(format!("cannot listen on {}:{port} ({what}): {e}", args.bind)));
        }
    }
    // Wait for the scheduler, so executors can be started before it (or with it, by a script).
    let host = scheduler.0.trim_start_matches('[').trim_end_matches(']').to_string();
    let deadline = Instant::now() + Duration::from_secs(args.wait);
    loop {
        match tokio::net::TcpStream::connect((host.as_str(), scheduler.1)).await {
            Ok(_) => break,
            Err(e) if Instant::now() >= deadline => {
                return Err(Error::Cluster(format!("cannot reach the scheduler at {}: {e}", args.scheduler)));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
    writeln!(
        out,
        "ballista executor on {}:{} (Flight) and {}:{grpc_port} (gRPC), {concurrency} task slots, scheduler {}, work dir {}",
        args.bind,
        args.port,
        args.bind,
        args.scheduler,
        work_dir.display()
    )
    .map_err(io)?;
    writeln!(out, "stop it with Ctrl-C").map_err(io)?;
    out.flush().map_err(io)?;
    crate::engine::ballista::executor(crate::engine::ballista::ExecutorSettings {
        scheduler,
        bind_host: args.bind,
        flight_port: args.port,
        grpc_port,
        external_host: args.external_host,
        concurrency,
        memory_bytes: args.memory_limit.map(|m| m << 20),
        work_dir,
    })
    .await
}

/// Ballista's own log lines (job and task progress, executor registration) on stderr, at the
/// level in `RUST_LOG` (error, warn, info, debug, trace; default warn).
#[cfg(feature = "ballista")]
struct StderrLog(log::LevelFilter);

#[cfg(feature = "ballista")]
impl StderrLog {
    fn install() {
        let level = std::env::var("RUST_LOG").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(log::LevelFilter::Warn);
        if log::set_logger(Box::leak(Box::new(StderrLog(level)))).is_ok() {
            log::set_max_level(level);
        }
    }
}

#[cfg(feature = "ballista")]
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

#[cfg(feature = "ballista")]
fn io(e: std::io::Error) -> Error {
    Error::Output(e)
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
