//! Stage 3: the engine. A DataFusion session over the warehouse's Parquet tables, with the views
//! of `queries/views.sql`; every metric is SQL from `queries/`, embedded in the binary.
#[cfg(feature = "ballista")]
pub mod ballista;
pub mod enforcement;
pub mod guard;
pub mod hints;
pub mod latest;
pub mod reconcile;
pub mod rows;
pub mod supervision;
pub mod target;

use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use datafusion::execution::context::{SQLOptions, SessionContext};
use datafusion::execution::disk_manager::DiskManagerBuilder;
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionConfig;

pub use crate::period::Period;
use crate::warehouse::regions::Level;
use crate::warehouse::{Manifest, Warehouse};
use crate::{Error, Result};
pub use rows::{Rows, Value};
pub use target::Target;

pub const VIEWS_SQL: &str = include_str!("../../queries/views.sql");
pub const UNITS_REGION_SQL: &str = include_str!("../../queries/units_region.sql");
pub const UNITS_AGENCY_SQL: &str = include_str!("../../queries/units_agency.sql");
pub const METRICS_SQL: &str = include_str!("../../queries/metrics.sql");
pub const METRICS_PEERS_SQL: &str = include_str!("../../queries/metrics_peers.sql");
pub const PEERS_ACTIVITY_SQL: &str = include_str!("../../queries/peers_activity.sql");

/// The documented column list for `fuyuan metrics`, in order.
pub const METRIC_COLUMNS: [&str; 27] = [
    "period",
    "region_code",
    "region_name",
    "filed",
    "filed_prev",
    "filed_yoy",
    "concluded",
    "lost",
    "loss_rate",
    "judgment_loss_rate",
    "loss_rate_prev",
    "loss_rate_change_pp",
    "double_decline",
    "hearings",
    "appeared",
    "appearance_rate",
    "spoke_rate",
    "required_appearance_rate",
    "recon_received",
    "recon_concluded",
    "recon_corrected",
    "recon_correction_rate",
    "recon_sued_rate",
    "penalty_cases",
    "fines_yuan",
    "confiscated_yuan",
    "loss_rank",
];

/// Limits that keep a careless query from taking the machine down.
#[derive(Debug, Clone)]
pub struct Limits {
    pub memory_bytes: usize,
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { memory_bytes: 4 << 30, timeout: Duration::from_secs(300) }
    }
}

pub struct Engine {
    pub ctx: SessionContext,
    pub manifest: Manifest,
    limits: Limits,
    target: Target,
    /// The warehouse folder, for the queries that run locally whatever the target.
    root: std::path::PathBuf,
}

pub use crate::schema::{OPTIONAL_TABLES, TABLES};

/// The session settings both engines share (Ballista sends them with every job).
pub fn session_config() -> SessionConfig {
    SessionConfig::new()
        .with_target_partitions(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
        .with_information_schema(true)
        // Batches of 4,096 rows instead of 8,192: every operator of the metrics plan (a dozen
        // scans, aggregates and joins run at once) holds fewer rows in flight (docs/benchmarks.md).
        .with_batch_size(4096)
}

/// This process's memory pool and spill space. Spilling to disk is allowed, but only as much as
/// the memory limit, so a runaway query ends with a clear error instead of filling the disk.
pub fn runtime_env(limits: &Limits) -> Result<Arc<RuntimeEnv>> {
    let disk = DiskManagerBuilder::default().with_max_temp_directory_size(limits.memory_bytes as u64);
    Ok(RuntimeEnvBuilder::new().with_memory_limit(limits.memory_bytes, 1.0).with_disk_manager_builder(disk).build_arc()?)
}

/// A tokio runtime for DataFusion; two worker threads match the machines fuyuan runs on, more
/// are used when the machine has them.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    // Ballista's plan (de)serialisation recurses deeply (a debug-build scheduler overflowed the
    // default 2 MiB); its own binaries run with 32 MiB worker stacks, so do we.
    #[cfg(feature = "ballista")]
    builder.thread_stack_size(32 << 20);
    builder.enable_all().build().map_err(|e| Error::Other(format!("cannot start the query runtime: {e}")))
}

/// Substitutes `${name}` placeholders; every value is produced by fuyuan itself (dates, level
/// names, digit codes), never raw user text.
pub fn render(sql: &str, params: &[(&str, String)]) -> Result<String> {
    let mut out = sql.to_string();
    for (k, v) in params {
        out = out.replace(&format!("${{{k}}}"), v);
    }
    if let Some(i) = out.find("${") {
        let end = out[i..].find('}').map(|j| i + j + 1).unwrap_or(out.len());
        return Err(Error::Other(format!("internal: query parameter {} has no value", &out[i..end])));
    }
    Ok(out)
}

/// Splits a script into statements at `;` that end a line. The query files keep semicolons out
/// of strings and comments, so this is enough for them.
pub fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in script.lines() {
        cur.push_str(line);
        cur.push('\n');
        if line.trim_end().ends_with(';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if cur.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--")) {
        out.push(cur);
    }
    out
}

/// DataFusion's ways of saying a query hit the memory pool or the spill-space limit (a Ballista
/// job's failure carries the executor's error in its Debug form: `ResourcesExhausted(…)`).
fn is_out_of_memory(message: &str) -> bool {
    message.contains("Resources exhausted")
        || message.contains("ResourcesExhausted")
        || (message.contains("spilling") && message.contains("allowable limit"))
}

/// Which rows `fuyuan metrics` prints.
#[derive(Debug, Clone)]
pub enum Units {
    Regions { level: Level, parent: Option<String> },
    Agencies { level: Option<Level>, parent: Option<String> },
}

/// The schema with its text columns read as `Utf8View`: the Parquet reader then points into the
/// dictionary pages instead of copying every string, and grouping by region and agency over the
/// whole penalty ledger takes about 40 % less time (docs/benchmarks.md). Ballista turns view
/// types off, and its client keeps `Utf8`.
fn view_strings(schema: &SchemaRef) -> SchemaRef {
    use arrow::datatypes::{DataType, Field, Schema};
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8 => f.as_ref().clone().with_data_type(DataType::Utf8View),
            _ => f.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// Registers each warehouse table as the list of its Parquet parts, by absolute path: with
/// `--engine ballista://…` the scheduler and executors, in other processes and working folders,
/// read the same files.
pub async fn register_tables(ctx: &SessionContext, wh: &Warehouse, manifest: &Manifest) -> Result<()> {
    use crate::schema::Table;
    use crate::warehouse::PartInfo;
    use datafusion::datasource::file_format::parquet::ParquetFormat;
    use datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};
    // A table read from Parquet files named by the manifest (relative to the warehouse root).
    let register = |name: &str, files: &[PartInfo], schema: SchemaRef, root: &std::path::Path| -> Result<()> {
        let urls = files
            .iter()
            .map(|p| ListingTableUrl::parse(root.join(&p.file).to_string_lossy()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let options = ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
        let config = ListingTableConfig::new_with_multi_paths(urls).with_listing_options(options).with_schema(schema);
        ctx.register_table(name, Arc::new(ListingTable::try_new(config)?))?;
        Ok(())
    };
    let root = std::path::absolute(&wh.root).map_err(|e| Error::io(&wh.root, e))?;
    let views = ctx.state().config().options().execution.parquet.schema_force_view_types;
    for name in TABLES {
        let schema = match Table::parse(name) {
            Some(t) => crate::schema::arrow_schema(t),
            None => crate::warehouse::regions_schema(),
        };
        let schema = if views { view_strings(&schema) } else { schema };
        let parts = match manifest.tables.get(name).filter(|t| !t.parts.is_empty()) {
            Some(t) => &t.parts,
            None if OPTIONAL_TABLES.contains(&name) => {
                let empty = datafusion::datasource::MemTable::try_new(schema, vec![vec![]])?;
                ctx.register_table(name, Arc::new(empty))?;
                continue;
            }
            None => {
                return Err(Error::Warehouse { path: wh.root.clone(), message: format!("the manifest names no {name} table") });
            }
        };
        register(name, parts, schema, &root)?;
    }
    // Each unit list (`penalty_units`): the file the ingest wrote, or, for a warehouse written
    // before there was one, the same pairs read from the rows.
    for table in Table::stored() {
        let (Some(columns), Some(schema)) = (table.unit_columns(), crate::warehouse::units::list_schema(table)) else { continue };
        let name = crate::warehouse::units::list_name(table);
        match manifest.tables.get(table.name()).and_then(|t| t.units.as_ref()) {
            Some(list) => register(&name, std::slice::from_ref(list), if views { view_strings(&schema) } else { schema }, &root)?,
            None => {
                let [a, b] = columns;
                ctx.sql(&format!("CREATE VIEW {name} AS SELECT DISTINCT {a}, {b} FROM {}", table.name())).await?;
            }
        }
    }
    Ok(())
}

impl Engine {
    /// An engine on `target`: the same tables, views and SQL either way.
    pub async fn open_on(wh: &Warehouse, limits: Limits, target: &Target) -> Result<Engine> {
        if let Some(e) = target.unavailable() {
            return Err(e);
        }
        let manifest = wh.require_tables()?;
        let ctx = match target {
            Target::Local => SessionContext::new_with_config_rt(session_config(), runtime_env(&limits)?),
            #[cfg(feature = "ballista")]
            Target::Ballista { host, port } => ballista::client_context(host, *port, &limits).await?,
            // Refused by `unavailable` above; kept as an error, not a panic.
            #[cfg(not(feature = "ballista"))]
            Target::Ballista { .. } => {
                return Err(Error::Usage(format!("--engine {target}: this fuyuan was built without Ballista support")));
            }
        };
        register_tables(&ctx, wh, &manifest).await?;
        let engine = Engine { ctx, manifest, limits, target: target.clone(), root: wh.root.clone() };
        engine.run_script(VIEWS_SQL).await?;
        Ok(engine)
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Runs fuyuan's own statements (views); user SQL goes through `query`.
    pub async fn run_script(&self, script: &str) -> Result<()> {
        for stmt in statements(script) {
            self.ctx.sql(&stmt).await?.collect().await?;
        }
        Ok(())
    }

    async fn plan(&self, sql: &str, options: Option<SQLOptions>) -> Result<(SchemaRef, Arc<dyn ExecutionPlan>, Arc<TaskContext>)> {
        let df = match options {
            Some(o) => self.ctx.sql_with_options(sql, o).await?,
            None => self.ctx.sql(sql).await?,
        };
        let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
        let task = Arc::new(df.task_ctx());
        Ok((schema, df.create_physical_plan().await?, task))
    }

    async fn collect(&self, sql: &str, options: Option<SQLOptions>) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let started = Instant::now();
        let timed_out =
            || Error::Query(format!("stopped after the time limit of {} s (raise it with --timeout)", self.limits.timeout.as_secs()));
        let (schema, plan, task) = tokio::time::timeout(self.limits.timeout, self.plan(sql, options)).await.map_err(|_| timed_out())??;
        let left = self.limits.timeout.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, datafusion::physical_plan::collect(plan.clone(), task)).await {
            Ok(Err(e)) if is_out_of_memory(&e.to_string()) => Err(Error::Query(match self.target {
                Target::Local => format!(
                    "stopped: the query needs more than the memory limit of {} MiB (raise it with --memory-limit)",
                    self.limits.memory_bytes >> 20
                ),
                // The work ran in an executor's memory pool, which the executor's own flag sets.
                Target::Ballista { .. } => "stopped: the query needs more memory than a Ballista executor's pool allows (raise `fuyuan cluster executor --memory-limit`)".into(),
            })),
            Ok(r) => Ok((schema, r?)),
            Err(_) => {
                // Dropping the client's future does not stop a Ballista job: cancel it on the scheduler.
                #[cfg(feature = "ballista")]
                if let Target::Ballista { host, port } = &self.target {
                    ballista::cancel_jobs(&plan, host, *port).await;
                }
                Err(timed_out())
            }
        }
    }

    /// Runs one read-only statement from a user (`fuyuan sql`).
    pub async fn query(&self, sql: &str) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        guard::check_read_only(sql)?;
        let options = SQLOptions::new().with_allow_ddl(false).with_allow_dml(false).with_allow_statements(false);
        match self.collect(sql, Some(options)).await {
            Err(Error::Query(m)) => match hints::explain(&m, sql, &self.catalog().await?) {
                Some(better) => Err(Error::Query(better)),
                None => Err(Error::Query(m)),
            },
            r => r,
        }
    }

    /// The tables and views a user's query can name, with their columns in order.
    pub async fn catalog(&self) -> Result<hints::Catalog> {
        let sql = "SELECT table_name, column_name FROM information_schema.columns \
                   WHERE table_schema = 'public' ORDER BY table_name, ordinal_position";
        let (_, batches) = self.query_internal(sql).await?;
        let mut catalog = hints::Catalog::default();
        for b in &batches {
            for row in 0..b.num_rows() {
                let table = arrow::util::display::array_value_to_string(b.column(0), row)?;
                let column = arrow::util::display::array_value_to_string(b.column(1), row)?;
                match catalog.tables.last_mut() {
                    Some((t, cols)) if *t == table => cols.push(column),
                    _ => catalog.tables.push((table, vec![column])),
                }
            }
        }
        Ok(catalog)
    }

    /// Runs one of fuyuan's own queries (no read-only check: the text comes from `queries/`).
    pub async fn query_internal(&self, sql: &str) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        self.collect(sql, None).await
    }

    /// The metrics table of docs/metrics.md for one period and one set of units.
    pub async fn metrics(&self, period: &Period, units: &Units) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let (schema, batches, sourced) = self.metrics_inner(period, units).await?;
        if !sourced {
            return Ok((schema, batches));
        }
        // The metrics table's own columns; `source` is for `metrics_sourced`.
        let keep: Vec<usize> = (0..schema.fields().len() - 1).collect();
        let batches = batches.iter().map(|b| b.project(&keep)).collect::<std::result::Result<Vec<_>, _>>()?;
        Ok((Arc::new(schema.project(&keep)?), batches))
    }

    /// The metrics table; with reported peers' figures (and a last column `source`, then the
    /// third value is true) when regions are printed and the peers table has rows for P or P′.
    async fn metrics_inner(&self, period: &Period, units: &Units) -> Result<(SchemaRef, Vec<RecordBatch>, bool)> {
        let (script, level, parent) = match units {
            Units::Regions { level, parent } => (UNITS_REGION_SQL, level.name().to_string(), parent.clone().unwrap_or_default()),
            Units::Agencies { level, parent } => {
                (UNITS_AGENCY_SQL, level.map(|l| l.name().to_string()).unwrap_or_default(), parent.clone().unwrap_or_default())
            }
        };
        if !parent.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::Usage(format!("--parent '{parent}' is not a region code")));
        }
        let all_agencies = (level.is_empty() && parent.is_empty()).to_string();
        let params = [
            ("all_agencies", all_agencies),
            ("level", level),
            ("parent", parent),
            ("start", period.start.to_string()),
            ("end", period.end.to_string()),
            ("prev_start", period.prev_start.to_string()),
            ("prev_end", period.prev_end.to_string()),
            ("period", period.span()),
        ];
        let script = render(script, &params)?.replace("CREATE VIEW", "CREATE OR REPLACE VIEW");
        self.run_script(&script).await?;
        if matches!(units, Units::Regions { .. }) && self.peers_reported(period).await? {
            let (schema, batches) = self.metrics_with_peers(&params).await?;
            return Ok((schema, batches, true));
        }
        let (schema, batches) = self.collect(&render(METRICS_SQL, &params)?, None).await?;
        Ok((schema, batches, false))
    }

    // ----- Reported figures (the peers table) beside computed ones -----

    /// Does the peers table hold a row for this period or its comparison period?
    async fn peers_reported(&self, period: &Period) -> Result<bool> {
        let sql =
            format!("SELECT COUNT(*) AS n FROM peers WHERE period IN ('{}', '{}..{}')", period.span(), period.prev_start, period.prev_end);
        let (schema, batches) = self.collect(&sql, None).await?;
        let rows = Rows::from_batches(&schema, &batches)?;
        Ok(rows.rows.first().and_then(|r| r.first()).and_then(|v| v.as_f64()).unwrap_or(0.0) > 0.0)
    }

    /// The computed table, the units' activity and the period's peers rows come from the engine;
    /// they are small (one row per printed unit), and are merged in a local session: the merged
    /// plan over the warehouse is too deep for Ballista to ship to its scheduler.
    async fn metrics_with_peers(&self, params: &[(&str, String)]) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let get = |k: &str| params.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let peers_sql = format!(
            "SELECT * FROM peers WHERE period IN ('{}..{}', '{}..{}')",
            get("start"),
            get("end"),
            get("prev_start"),
            get("prev_end")
        );
        let local = SessionContext::new_with_config_rt(session_config(), runtime_env(&self.limits)?);
        for (name, sql) in [
            ("metrics_computed", render(METRICS_SQL, params)?),
            ("peer_activity", render(PEERS_ACTIVITY_SQL, params)?),
            ("peers", peers_sql),
        ] {
            let (schema, batches) = self.collect(&sql, None).await?;
            local.register_table(name, Arc::new(datafusion::datasource::MemTable::try_new(schema, vec![batches])?))?;
        }
        let df = local.sql(&render(METRICS_PEERS_SQL, params)?).await?;
        let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
        Ok((schema, df.collect().await?))
    }

    /// The metrics table plus a last column `source`: 报送 where a region without case rows in
    /// the period takes the figures reported in the peers table, 测算 where they are computed.
    pub async fn metrics_sourced(&self, period: &Period, units: &Units) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let (schema, batches, sourced) = self.metrics_inner(period, units).await?;
        if sourced || !matches!(units, Units::Regions { .. }) {
            return Ok((schema, batches));
        }
        let mut fields: Vec<_> = schema.fields().iter().cloned().collect();
        fields.push(Arc::new(arrow::datatypes::Field::new("source", arrow::datatypes::DataType::Utf8, false)));
        let sourced = Arc::new(arrow::datatypes::Schema::new(fields));
        let batches = batches
            .iter()
            .map(|b| {
                let mut cols = b.columns().to_vec();
                cols.push(Arc::new(arrow::array::StringArray::from(vec!["测算"; b.num_rows()])));
                RecordBatch::try_new(sourced.clone(), cols)
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok((sourced, batches))
    }
}
