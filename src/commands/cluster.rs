//! `fuyuan cluster scheduler [--bind HOST:PORT]` and `fuyuan cluster executor [--scheduler
//! HOST:PORT] [--port N] [--concurrency N] [--memory-limit MIB]` — an Apache DataFusion Ballista
//! scheduler and executors, one command each, for `--engine ballista://HOST:PORT`. They are the
//! ballista-scheduler and ballista-executor library crates inside the fuyuan binary (built with
//! `--features ballista`), so the cluster runs the same DataFusion as the client.
use std::io::Write;
use std::path::PathBuf;

use crate::Result;

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

#[cfg(not(feature = "ballista"))]
pub fn run(_args: Args, _out: &mut dyn Write) -> Result<()> {
    Err(crate::Error::Usage(
        "fuyuan cluster: this fuyuan was built without Ballista support; rebuild it with `cargo build --release --features ballista`"
            .into(),
    ))
}

#[cfg(feature = "ballista")]
pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    use crate::app::cluster;
    use std::time::Duration;

    use super::out_err;
    cluster::log_to_stderr();
    let rt = crate::engine::runtime()?;
    rt.block_on(async {
        match args.role {
            Role::Scheduler(a) => {
                let (addr, serve) = cluster::start_scheduler(&a.bind).await?;
                // The first line tells scripts (and the tests) which port was bound when port 0 was asked.
                writeln!(out, "ballista scheduler listening on {addr} (clients: --engine ballista://{addr})").map_err(out_err)?;
                writeln!(out, "stop it with Ctrl-C").map_err(out_err)?;
                out.flush().map_err(out_err)?;
                serve.await
            }
            Role::Executor(a) => {
                let settings = cluster::executor_settings(cluster::ExecutorOptions {
                    scheduler: a.scheduler.clone(),
                    bind: a.bind,
                    port: a.port,
                    grpc_port: a.grpc_port,
                    external_host: a.external_host,
                    concurrency: a.concurrency,
                    memory_limit_mib: a.memory_limit,
                    work_dir: a.work_dir,
                })?;
                cluster::wait_for_scheduler(&settings, Duration::from_secs(a.wait)).await?;
                writeln!(
                    out,
                    "ballista executor on {}:{} (Flight) and {}:{} (gRPC), {} task slots, scheduler {}, work dir {}",
                    settings.bind_host,
                    settings.flight_port,
                    settings.bind_host,
                    settings.grpc_port,
                    settings.concurrency,
                    a.scheduler,
                    settings.work_dir.display()
                )
                .map_err(out_err)?;
                writeln!(out, "stop it with Ctrl-C").map_err(out_err)?;
                out.flush().map_err(out_err)?;
                cluster::run_executor(settings).await
            }
        }
    })
}
