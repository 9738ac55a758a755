//! `--engine ballista://HOST:PORT`: the same session, tables, views and SQL, with Apache
//! DataFusion Ballista's query planner, which sends each query's logical plan to a scheduler that
//! splits it into stages for its executors. Also the scheduler and executor processes behind
//! `fuyuan cluster`, built on the ballista-scheduler and ballista-executor library crates, so a
//! cluster needs nothing but fuyuan binaries built with `--features ballista`.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ballista::prelude::SessionContextExt;
use ballista_core::config::{BALLISTA_ADAPTIVE_PLANNER_ENABLED, BALLISTA_CLIENT_PULL};
use ballista_core::execution_plans::DistributedQueryExec;
use ballista_core::serde::protobuf::CancelJobParams;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::{create_scheduler, start_grpc_service_with_listener};
use datafusion::catalog::Session;
use datafusion::execution::context::{QueryPlanner, SessionContext};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_planner::{DefaultPhysicalPlanner, PhysicalPlanner};
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};
use tokio::net::TcpListener;

use super::Limits;
use crate::{Error, Result};

/// DataFusion's name for the setting, read from the environment for Ballista sessions.
pub const PARTITIONS_VAR: &str = "DATAFUSION_EXECUTION_TARGET_PARTITIONS";

/// How long a client waits for the scheduler's port to answer before saying it cannot reach it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn cluster_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Cluster(format!("{what}: {}", e.to_string().lines().next().unwrap_or("")))
}

/// `[::1]` → `::1`, for socket APIs; URLs keep the brackets.
fn bare_host(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

/// A session whose queries run on the scheduler at `host:port`. The settings are fuyuan's own
/// (they travel with every job); `limits` bound only the work done in this process (catalog
/// queries and the final results): the executors' memory pools are set when they start.
pub async fn client_context(host: &str, port: u16, limits: &Limits) -> Result<SessionContext> {
    reachable(host, port).await?;
    // A stage is split into this many tasks: by default the client's cores, as locally; a
    // cluster with more task slots than that wants DataFusion's own variable set to their number.
    let mut config = super::session_config();
    if let Ok(v) = std::env::var(PARTITIONS_VAR) {
        match v.trim().parse::<usize>() {
            Ok(n) if n > 0 => config = config.with_target_partitions(n),
            _ => return Err(Error::Usage(format!("{PARTITIONS_VAR}='{v}' is not a positive number"))),
        }
    }
    let state =
        SessionStateBuilder::new().with_config(config).with_runtime_env(super::runtime_env(limits)?).with_default_features().build();
    let state = SessionContext::remote_with_state(&format!("df://{host}:{port}"), state).await?.state();
    let planner = Arc::new(CatalogLocally { cluster: state.query_planner().clone(), local: DefaultPhysicalPlanner::default() });
    // Pull mode: the client learns the job id as soon as the job is accepted (push mode tells it
    // only with a status change, often at the end), so a query stopped at --timeout can be
    // cancelled. It polls every 50 ms.
    let config = state.config().clone().set_bool(BALLISTA_CLIENT_PULL, true).set_bool(BALLISTA_ADAPTIVE_PLANNER_ENABLED, false);
    Ok(SessionContext::new_with_state(
        SessionStateBuilder::new_from_existing(state).with_config(config).with_query_planner(planner).build(),
    ))
}

/// Ballista's planner, except that DESCRIBE (`\d NAME`) is answered here: it reads only this
/// session's catalog, and Ballista cannot serialise it (it already keeps information_schema
/// queries local).
struct CatalogLocally {
    cluster: Arc<dyn QueryPlanner + Send + Sync>,
    local: DefaultPhysicalPlanner,
}

impl std::fmt::Debug for CatalogLocally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogLocally").field("cluster", &self.cluster).finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl QueryPlanner for CatalogLocally {
    async fn create_physical_plan(&self, plan: &LogicalPlan, state: &dyn Session) -> datafusion::error::Result<Arc<dyn ExecutionPlan>> {
        match plan {
            LogicalPlan::DescribeTable(_) => self.local.create_physical_plan(plan, state).await,
            _ => self.cluster.create_physical_plan(plan, state).await,
        }
    }
}

/// Ballista connects lazily, at the first query; checking first gives one clear line instead of
/// a gRPC transport error in the middle of a command (or after `fuyuan run`'s ingest).
pub async fn reachable(host: &str, port: u16) -> Result<()> {
    match tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect((bare_host(host), port))).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(cluster_error(
            &format!("cannot reach the Ballista scheduler at {host}:{port} (start one with `fuyuan cluster scheduler`)"),
            e,
        )),
        Err(_) => Err(Error::Cluster(format!(
            "cannot reach the Ballista scheduler at {host}:{port}: no answer within {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
    }
}

/// Asks the scheduler to cancel the jobs of `plan` that have started: dropping the client's
/// future (at `--timeout`) only stops waiting, the executors would go on working.
pub async fn cancel_jobs(plan: &Arc<dyn ExecutionPlan>, host: &str, port: u16) {
    let mut jobs = Vec::new();
    let mut stack = vec![plan.clone()];
    while let Some(p) = stack.pop() {
        if let Some(d) = p.downcast_ref::<DistributedQueryExec<LogicalPlanNode>>()
            && let Some(id) = d.job_id()
        {
            jobs.push(id.into_inner());
        }
        stack.extend(p.children().into_iter().cloned());
    }
    if jobs.is_empty() {
        return;
    }
    // Best effort: the user already gets the time-limit error; a scheduler that is gone has no
    // jobs left to cancel.
    let cancel = async {
        let mut client = SchedulerGrpcClient::connect(format!("http://{host}:{port}")).await.ok()?;
        for job_id in jobs {
            let _ = client.cancel_job(CancelJobParams { job_id }).await;
        }
        Some(())
    };
    let _ = tokio::time::timeout(CONNECT_TIMEOUT, cancel).await;
}

/// Binds the scheduler's port (port 0 picks a free one) and returns the address bound and the
/// future that serves it until it fails.
pub async fn scheduler(bind: SocketAddr) -> Result<(SocketAddr, impl Future<Output = Result<()>>)> {
    let listener = TcpListener::bind(bind).await.map_err(|e| cluster_error(&format!("cannot listen on {bind}"), e))?;
    let addr = listener.local_addr().map_err(|e| cluster_error("scheduler address", e))?;
    let config = SchedulerConfig::default().with_hostname(addr.ip().to_string()).with_port(addr.port());
    config.validate().map_err(|e| cluster_error("scheduler settings", e))?;
    let cluster = BallistaCluster::new_from_config(&config).await.map_err(|e| cluster_error("scheduler state", e))?;
    let server = create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, Arc::new(config))
        .await
        .map_err(|e| cluster_error("cannot start the scheduler", e))?;
    let serve = async move { start_grpc_service_with_listener(listener, server).await.map_err(|e| cluster_error("scheduler stopped", e)) };
    Ok((addr, serve))
}

/// What `fuyuan cluster executor` starts.
#[derive(Debug, Clone)]
pub struct ExecutorSettings {
    /// The scheduler's host and port.
    pub scheduler: (String, u16),
    /// Local address for the executor's services.
    pub bind_host: String,
    /// Arrow Flight port: other executors and the client fetch shuffle and result data here.
    pub flight_port: u16,
    /// gRPC port: the scheduler pushes tasks here.
    pub grpc_port: u16,
    /// The name others reach this executor by; None: the address the scheduler sees it at.
    pub external_host: Option<String>,
    /// Tasks run at once.
    pub concurrency: usize,
    /// Memory pool for all its tasks, in bytes; None: Ballista's default share of the machine.
    pub memory_bytes: Option<u64>,
    /// Shuffle files and spills.
    pub work_dir: PathBuf,
}

/// Runs an executor until it is stopped (Ctrl-C or SIGTERM, handled by Ballista: it tells the
/// scheduler and lets running tasks finish).
pub async fn executor(s: ExecutorSettings) -> Result<()> {
    std::fs::create_dir_all(&s.work_dir).map_err(|e| Error::io(&s.work_dir, e))?;
    // Spills go to the work dir, capped (when a memory limit is given) at the same size as the
    // memory pool, as in the local engine: a runaway query fails instead of filling the disk.
    // Ballista wraps this runtime with the memory pool itself.
    let (spill_dir, spill_cap) = (s.work_dir.clone(), s.memory_bytes);
    let runtime: ballista_core::RuntimeProducer = Arc::new(move |_| {
        let mut builder = RuntimeEnvBuilder::new().with_temp_file_path(spill_dir.clone());
        if let Some(cap) = spill_cap {
            builder = builder.with_max_temp_directory_size(cap);
        }
        Ok(Arc::new(builder.build()?))
    });
    let config = ExecutorProcessConfig {
        bind_host: s.bind_host,
        external_host: s.external_host,
        port: s.flight_port,
        grpc_port: s.grpc_port,
        scheduler_host: bare_host(&s.scheduler.0).to_string(),
        scheduler_port: s.scheduler.1,
        vcores: s.concurrency,
        work_dir: Some(s.work_dir.to_string_lossy().into_owned()),
        memory_pool_size: s.memory_bytes,
        override_runtime_producer: Some(runtime),
        // Ballista's log lines are not shown (no logger), so thread details are moot.
        print_thread_info: false,
        // Shuffle files of finished jobs are removed hourly after a day, not kept for a week.
        job_data_ttl_seconds: 24 * 3600,
        job_data_clean_up_interval_seconds: 3600,
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(Arc::new(config)).await.map_err(|e| cluster_error("executor stopped", e))
}
