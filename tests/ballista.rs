//! The same SQL on Apache DataFusion Ballista (issue 6): a scheduler and executors started with
//! `fuyuan cluster` on loopback, as child processes, and `fuyuan metrics` and `fuyuan sql` run
//! with `--engine ballista://127.0.0.1:PORT` must equal the local engine cell for cell. Also: a
//! table of several Parquet files (a ListingTable with many paths) runs on the cluster.
//! Only with `cargo test --features ballista`.
#![cfg(feature = "ballista")]
mod util;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use util::{Dir, FLOAT_COLUMNS, TODAY, parse_csv, sample_warehouse};

/// A scheduler and its executors; killed when dropped, so a failed test leaves no processes.
struct Cluster {
    port: u16,
    children: Vec<Child>,
    logs: std::path::PathBuf,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Cluster {
    fn url(&self) -> String {
        format!("ballista://127.0.0.1:{}", self.port)
    }

    /// The processes' stderr (Ballista's warnings), for failure messages.
    fn logs(&self) -> String {
        let mut out = String::new();
        for e in std::fs::read_dir(&self.logs).into_iter().flatten().flatten() {
            out += &format!("--- {}\n{}", e.path().display(), std::fs::read_to_string(e.path()).unwrap_or_default());
        }
        out
    }
}

/// A port nothing listens on now (the OS's pick for port 0, released again).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn fuyuan(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fuyuan"));
    cmd.current_dir(cwd).env("FUYUAN_TODAY", TODAY);
    cmd
}

/// `fuyuan cluster scheduler --bind 127.0.0.1:0` and `executors` × `fuyuan cluster executor`,
/// each executor with one task slot and its own working folder. The executors run in another
/// folder than the client, so relative warehouse paths would fail: tables are read by absolute
/// path.
fn start_cluster(dir: &Dir, executors: usize) -> Cluster {
    start_cluster_with(dir, executors, &[])
}

fn start_cluster_with(dir: &Dir, executors: usize, executor_args: &[&str]) -> Cluster {
    let logs = dir.join("cluster-logs");
    std::fs::create_dir_all(&logs).unwrap();
    let elsewhere = dir.join("executor-cwd");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let mut scheduler = fuyuan(&elsewhere)
        .args(["cluster", "scheduler", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(logs.join("scheduler.err")).unwrap())
        .spawn()
        .expect("start the scheduler");
    let mut line = String::new();
    BufReader::new(scheduler.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let mut cluster = Cluster { port: 0, children: vec![scheduler], logs };
    // "ballista scheduler listening on 127.0.0.1:PORT (clients: …)"
    cluster.port = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("127.0.0.1:").and_then(|p| p.parse().ok()))
        .unwrap_or_else(|| panic!("no port in the scheduler's first line {line:?}\n{}", cluster.logs()));
    for i in 0..executors {
        let child = start_executor(dir, &cluster, &elsewhere, i, executor_args);
        cluster.children.push(child);
    }
    cluster
}

/// One executor on two free ports. A port found free can be taken by another process before the
/// executor binds it: then the executor exits saying so, and it is started again on other ports.
fn start_executor(dir: &Dir, cluster: &Cluster, cwd: &Path, i: usize, executor_args: &[&str]) -> Child {
    let log = cluster.logs.join(format!("executor-{i}.err"));
    for _attempt in 0..5 {
        let (flight, grpc) = (free_port(), free_port());
        let mut child = fuyuan(cwd)
            .args(["cluster", "executor", "--scheduler", &format!("127.0.0.1:{}", cluster.port)])
            .args(["--port", &flight.to_string(), "--grpc-port", &grpc.to_string(), "--concurrency", "1"])
            .args(executor_args)
            .arg("--work-dir")
            .arg(dir.join(&format!("executor-{i}")))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start an executor");
        // Listening on its Flight port, or gone.
        util::wait_until(util::time_limit(30), || {
            !matches!(child.try_wait(), Ok(None)) || std::net::TcpStream::connect(("127.0.0.1", flight)).is_ok()
        });
        match child.try_wait() {
            Ok(None) => return child,
            _ => {
                let err = std::fs::read_to_string(&log).unwrap_or_default();
                assert!(err.to_lowercase().contains("in use"), "executor {i} exited at start:\n{err}");
            }
        }
    }
    panic!("executor {i}: no free pair of ports in 5 tries\n{}", cluster.logs());
}

/// Runs `fuyuan ARGS` in `dir`, asserting success; returns stdout.
fn run(dir: &Dir, cluster: &Cluster, args: &[&str]) -> String {
    let o = fuyuan(dir.path()).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "fuyuan {args:?} failed ({:?}): {}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr),
        cluster.logs()
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Compares two CSV outputs cell for cell: the rate columns as numbers within 1e-9, the rest as
/// text. Returns the number of cells compared.
fn assert_same_csv(label: &str, local: &str, remote: &str) -> usize {
    let (lh, lrows) = parse_csv(local);
    let (rh, rrows) = parse_csv(remote);
    assert_eq!(lh, rh, "{label}: header");
    assert_eq!(lrows.len(), rrows.len(), "{label}: row count");
    let mut cells = 0;
    for (i, (l, r)) in lrows.iter().zip(&rrows).enumerate() {
        for (j, col) in lh.iter().enumerate() {
            let (a, b) = (&l[j], &r[j]);
            cells += 1;
            if FLOAT_COLUMNS.contains(&col.as_str()) && a != b {
                let (x, y): (f64, f64) = (
                    a.parse().unwrap_or_else(|_| panic!("{label}: {col} {a:?}")),
                    b.parse().unwrap_or_else(|_| panic!("{label}: {col} {b:?}")),
                );
                assert!((x - y).abs() <= 1e-9, "{label}: row {i}, {col}: local {a} vs ballista {b}");
            } else {
                assert_eq!(a, b, "{label}: row {i}, {col}");
            }
        }
    }
    cells
}

#[test]
fn metrics_and_sql_on_ballista_equal_the_local_engine() {
    let dir = Dir::new();
    sample_warehouse(&dir, "wh");
    let cluster = start_cluster(&dir, 2);
    let url = cluster.url();
    let combos: &[(&str, bool, &[&str])] = &[
        ("2024Q4", true, &["--level", "province"]),
        ("2024Q4", true, &["--level", "city"]),
        ("2024Q4", true, &["--level", "county", "--parent", "411200"]),
        ("2024Q4", true, &["--level", "township", "--parent", "411200"]),
        ("2024Q4", true, &["--by", "agency", "--parent", "411200"]),
        ("2024Q3", false, &["--level", "province"]),
        ("2024Q3", false, &["--level", "city"]),
        ("2024Q3", false, &["--level", "county"]),
        ("2024Q3", false, &["--level", "township"]),
        ("2024Q3", false, &["--by", "agency", "--level", "city"]),
        ("2024H1", false, &["--level", "county", "--parent", "411200"]),
        ("2025Q1", true, &["--level", "city"]),
    ];
    let mut cells = 0;
    let mut rows = 0;
    for (period, ytd, rest) in combos {
        let mut args = vec!["metrics", "--period", period, "--warehouse", "wh", "--format", "csv"];
        if *ytd {
            args.push("--ytd");
        }
        args.extend_from_slice(rest);
        let local = run(&dir, &cluster, &args);
        args.extend(["--engine", &url]);
        let remote = run(&dir, &cluster, &args);
        let label = format!("{period}{} {}", if *ytd { " ytd" } else { "" }, rest.join(" "));
        cells += assert_same_csv(&label, &local, &remote);
        rows += parse_csv(&local).1.len();
    }
    assert!(rows > 300, "the combinations should cover hundreds of rows, got {rows}");
    eprintln!("ballista: {} metrics tables, {rows} rows, {cells} cells equal to the local engine", combos.len());

    // More tasks per stage than the client has cores (as for a larger cluster): same figures.
    let county = ["metrics", "--period", "2024Q4", "--ytd", "--level", "county", "--warehouse", "wh", "--format", "csv"];
    let local = run(&dir, &cluster, &county);
    let o = fuyuan(dir.path()).args(county).args(["--engine", &url]).env("DATAFUSION_EXECUTION_TARGET_PARTITIONS", "5").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same_csv("county, 5 partitions", &local, &String::from_utf8(o.stdout).unwrap());

    // The table a person reads is the same, character for character.
    let table = ["metrics", "--period", "2024Q4", "--ytd", "--level", "county", "--parent", "411200", "--warehouse", "wh"];
    let local = run(&dir, &cluster, &table);
    let remote = run(&dir, &cluster, &[&table[..], &["--engine", &url]].concat());
    assert_eq!(local, remote);

    // Ad-hoc SQL over the views, with a join, a window function and an ORDER BY.
    let query = "SELECT r.name, c.defendant, COUNT(*) AS cases, SUM(CASE WHEN c.is_loss THEN 1 ELSE 0 END) AS lost, \
                 RANK() OVER (ORDER BY COUNT(*) DESC, c.defendant) AS rank \
                 FROM litigation_cases c JOIN regions r ON r.code = c.region_code \
                 GROUP BY r.name, c.defendant ORDER BY rank";
    let sql = ["sql", query, "--warehouse", "wh", "--format", "csv"];
    let local = run(&dir, &cluster, &sql);
    let remote = run(&dir, &cluster, &[&sql[..], &["--engine", &url]].concat());
    assert!(parse_csv(&local).1.len() > 50);
    assert_eq!(local, remote);

    // Catalog commands answer on both engines (DESCRIBE is kept local on Ballista). Ballista
    // reads Parquet strings as Utf8, not DataFusion's default Utf8View (its Flight transfers
    // would be too large), so the types' names differ there and only there.
    for q in ["\\d", "\\d penalty", "SHOW TABLES"] {
        let local = run(&dir, &cluster, &["sql", q, "--warehouse", "wh", "--format", "csv"]);
        let remote = run(&dir, &cluster, &["sql", q, "--warehouse", "wh", "--format", "csv", "--engine", &url]);
        let sorted = |s: &str| {
            let mut l: Vec<String> = s.lines().map(|l| l.replace("Utf8View", "Utf8")).collect();
            l.sort();
            l.join("\n")
        };
        assert_eq!(sorted(&local), sorted(&remote), "{q}");
    }

    // The read-only guard stands in front of either engine.
    let o = fuyuan(dir.path()).args(["sql", "DROP TABLE litigation", "--warehouse", "wh", "--engine", &url]).output().unwrap();
    assert_eq!(o.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&o.stderr).contains("read-only"));
}

/// The briefing runs every query of `queries/` (trend, fields, agencies, cases): on the cluster
/// its figures (briefing.json, every number the documents use) equal the local engine's.
#[test]
fn the_briefing_on_ballista_equals_the_local_one() {
    let dir = Dir::new();
    sample_warehouse(&dir, "wh");
    let cluster = start_cluster(&dir, 1);
    let brief = ["brief", "--period", "2024Q4", "--ytd", "--region", "411200", "--formats", "md", "--warehouse", "wh"];
    run(&dir, &cluster, &[&brief[..], &["--out", "local"]].concat());
    run(&dir, &cluster, &[&brief[..], &["--out", "cluster", "--engine", &cluster.url()]].concat());
    for f in ["briefing.json", "briefing.md"] {
        assert_eq!(dir.read(&format!("local/{f}")), dir.read(&format!("cluster/{f}")), "{f}");
    }
}

#[test]
fn an_unreachable_scheduler_is_one_line_and_exit_7() {
    let dir = Dir::new();
    dir.create("lit.csv", "案号,被告,区划代码,立案日期\n（2024）豫1202行初1号,三门峡市自然资源局,411202,2024-01-05\n");
    dir.command(&["ingest", "lit.csv"]).stdout();
    let port = free_port();
    let url = format!("ballista://127.0.0.1:{port}");
    let err = dir.command(&["metrics", "--period", "2024", "--level", "city", "--engine", &url]).fails(7);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&format!("cannot reach the Ballista scheduler at 127.0.0.1:{port}")), "{err}");
    // `fuyuan run` finds out before it ingests anything.
    dir.create("in/lit.csv", "案号,被告,区划代码,立案日期\n（2024）豫1202行初2号,三门峡市自然资源局,411202,2024-01-05\n");
    let err = dir.command(&["run", "--inputs", "in", "--out", "o", "--engine", &url]).fails(7);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!dir.join("o").exists());
}

/// The limits on Ballista: the read-only guard as locally, an executor's memory pool (its own
/// `--memory-limit`) stops a query with one line naming that flag, and `--timeout` stops the
/// client and cancels the job.
#[test]
fn limits_on_ballista_are_one_line_each() {
    let dir = Dir::new();
    sample_warehouse(&dir, "wh");
    let cluster = start_cluster_with(&dir, 1, &["--memory-limit", "4"]);
    let url = cluster.url();
    let fails = |args: &[&str]| {
        let o = fuyuan(dir.path()).args(args).args(["--warehouse", "wh", "--engine", &url]).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(o.status.code(), Some(5), "{args:?}: {err}\n{}", cluster.logs());
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        err
    };
    let err = fails(&["sql", "COPY litigation TO 'x.csv'"]);
    assert!(err.contains("read-only"), "{err}");
    // A self-join grouped by both parties needs far more than 4 MiB to sort.
    let err = fails(&[
        "sql",
        "SELECT a.party, b.party, COUNT(*) FROM penalty a JOIN penalty b ON a.agency = b.agency GROUP BY 1, 2 ORDER BY 3 DESC",
    ]);
    assert!(err.contains("fuyuan cluster executor --memory-limit"), "{err}");
    let started = std::time::Instant::now();
    let err = fails(&["sql", "SELECT COUNT(*) FROM penalty a, penalty b WHERE a.fine_yuan < b.fine_yuan", "--timeout", "1"]);
    assert!(err.contains("time limit of 1 s"), "{err}");
    assert!(started.elapsed() < util::time_limit(10), "the client should stop at the time limit, took {:?}", started.elapsed());
}

/// A table read from several Parquet files, as the warehouse's tables will be: the plan that
/// reaches the executors carries every path, and each file is read once.
#[test]
fn a_table_of_several_parquet_files_runs_on_ballista() {
    use arrow::array::{Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};
    use arrow::record_batch::RecordBatch;
    use datafusion::datasource::file_format::parquet::ParquetFormat;
    use datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};
    use datafusion::prelude::SessionContext;

    let dir = Dir::new();
    let schema = Arc::new(Schema::new(vec![Field::new("k", DataType::Utf8, false), Field::new("v", DataType::Int64, false)]));
    let mut paths = Vec::new();
    for (part, n) in [("part-0.parquet", 1000_i64), ("part-1.parquet", 2500)] {
        let keys: Vec<String> = (0..n).map(|i| format!("k{}", i % 7)).collect();
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(StringArray::from(keys)), Arc::new(Int64Array::from_iter_values((0..n).map(|i| i + n)))],
        )
        .unwrap();
        // The parts live in different folders, so no directory listing could find them both.
        let path = dir.join(&format!("{part}.d/{part}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), schema.clone(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        paths.push(path);
    }

    let cluster = start_cluster(&dir, 1);
    let rt = tokio::runtime::Builder::new_multi_thread().thread_stack_size(32 << 20).enable_all().build().unwrap();
    let query = "SELECT k, COUNT(*) AS n, SUM(v) AS total, MIN(v) AS lo, MAX(v) AS hi FROM t GROUP BY k ORDER BY k";
    let results: Vec<String> = rt.block_on(async {
        let register = |ctx: SessionContext| {
            let paths = paths.clone();
            async move {
                let urls: Vec<ListingTableUrl> = paths.iter().map(|p| ListingTableUrl::parse(p.to_str().unwrap()).unwrap()).collect();
                let options = ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
                let config =
                    ListingTableConfig::new_with_multi_paths(urls).with_listing_options(options).infer_schema(&ctx.state()).await.unwrap();
                ctx.register_table("t", Arc::new(ListingTable::try_new(config).unwrap())).unwrap();
                let batches = ctx.sql(query).await.unwrap().collect().await.unwrap();
                arrow::util::pretty::pretty_format_batches(&batches).unwrap().to_string()
            }
        };
        let local = register(SessionContext::new()).await;
        let remote_ctx =
            fuyuan::engine::ballista::client_context("127.0.0.1", cluster.port, &fuyuan::engine::Limits::default()).await.unwrap();
        let remote = register(remote_ctx).await;
        vec![local, remote]
    });
    assert_eq!(results[0], results[1], "{}", cluster.logs());
    // Every row of both files: 7 keys, 3500 rows in all.
    let counted: i64 = results[0].lines().filter_map(|l| l.split('|').nth(2)).filter_map(|c| c.trim().parse::<i64>().ok()).sum();
    assert_eq!(counted, 3500, "{}", results[0]);
}
