//! `fuyuan sql` (the README's `fuyuan sql`): read-only SQL over the warehouse. Writes, creates, copies, settings
//! and file reads are refused (exit 5, one line saying "read-only") and leave the warehouse as it
//! was; queries work in every format, from an argument, a file (`-f`) or piped stdin.
mod util;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use util::{Dir, parse_csv};

/// A warehouse with three litigation cases and one penalty.
fn warehouse() -> Dir {
    let dir = Dir::new();
    dir.create(
        "lit.csv",
        "案号,被告,区划代码,立案日期,结案日期,裁判结果\n\
         （2024）豫1202行初1号,三门峡市自然资源局,411202,2024-01-05,2024-03-01,撤销\n\
         （2024）豫1202行初2号,三门峡市公安局,411202,2024-02-05,,\n\
         （2024）豫1282行初3号,灵宝市人民政府,411282,2024-03-05,2024-06-01,驳回诉讼请求\n",
    );
    dir.create("pen.csv", "文号,处罚机关,区划代码,决定日期,罚款金额\n三市监罚〔2024〕1号,三门峡市市场监督管理局,411200,2024-03-01,500\n");
    dir.command(&["ingest", "lit.csv", "pen.csv"]).stdout();
    dir
}

fn snapshot(path: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(p) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                out.push((path.strip_prefix(root).unwrap().display().to_string() + "/", vec![]));
                walk(root, &path, out);
            } else {
                out.push((path.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(path, path, &mut out);
    out.sort();
    out
}

fn assert_one_line(stderr: &str, must_contain: &[&str]) {
    let t = stderr.trim_end();
    assert_eq!(t.lines().count(), 1, "expected exactly one line on stderr, got:\n{stderr}");
    for w in must_contain {
        assert!(t.contains(w), "stderr {t:?} should contain {w:?}");
    }
}

/// Runs `fuyuan sql QUERY` and checks: exit 5, one line saying read-only, nothing changed in the
/// folder (warehouse, nor any file a COPY might write).
fn refused(sql: &str) {
    let dir = warehouse();
    let before = snapshot(dir.path());
    let err = dir.command(&["sql", sql]).fails(5);
    assert_one_line(&err, &["read-only"]);
    assert!(snapshot(dir.path()) == before, "{sql}: the folder changed");
    // The tables are all still there and whole.
    let (_, rows) = parse_csv(
        &dir.command(&["sql", "SELECT (SELECT count(*) FROM litigation) AS l, (SELECT count(*) FROM penalty) AS p", "--format", "csv"])
            .stdout(),
    );
    assert_eq!(rows, vec![vec!["3", "1"]], "{sql}");
}

#[test]
fn insert_is_refused() {
    refused("INSERT INTO litigation (case_no) VALUES ('x')");
    refused("INSERT INTO regions SELECT * FROM regions");
}

#[test]
fn update_is_refused() {
    refused("UPDATE penalty SET fine_yuan = 0");
}

#[test]
fn delete_is_refused() {
    refused("DELETE FROM litigation");
    refused("delete from litigation where true");
}

#[test]
fn create_table_is_refused() {
    refused("CREATE TABLE t AS SELECT * FROM litigation");
    refused("CREATE TABLE t (a INT)");
}

#[test]
fn create_view_is_refused() {
    refused("CREATE VIEW v AS SELECT 1");
    refused("CREATE OR REPLACE VIEW litigation_cases AS SELECT 1 AS x");
}

#[test]
fn drop_is_refused() {
    refused("DROP TABLE litigation");
    refused("DROP VIEW litigation_cases");
    refused("/* tidy up */ drop table if exists penalty");
}

#[test]
fn copy_to_is_refused() {
    refused("COPY litigation TO 'out.csv'");
    refused("COPY (SELECT * FROM litigation) TO 'out.parquet' STORED AS PARQUET");
    refused("EXPLAIN COPY litigation TO 'out.csv'");
}

#[test]
fn create_external_table_is_refused() {
    refused("CREATE EXTERNAL TABLE secrets STORED AS CSV LOCATION 'lit.csv'");
}

#[test]
fn set_is_refused() {
    refused("SET datafusion.execution.batch_size = 1");
    refused("SET TIME ZONE 'UTC'");
}

#[test]
fn select_into_is_refused() {
    refused("SELECT * INTO t2 FROM litigation");
    refused("WITH x AS (SELECT 1 AS a) SELECT * INTO t3 FROM x");
    refused("SELECT * INTO t4 FROM litigation UNION ALL SELECT * FROM litigation");
    refused("(SELECT * INTO t5 FROM litigation)");
}

#[test]
fn other_writes_are_refused() {
    refused("TRUNCATE TABLE litigation");
    refused("ALTER TABLE litigation RENAME TO x");
    refused("CREATE SCHEMA s");
}

#[test]
fn other_files_cannot_be_read() {
    let dir = warehouse();
    dir.create("secret.csv", "password\nhunter2\n");
    let o = dir.command(&["sql", "SELECT * FROM 'secret.csv'", "--format", "csv"]).output();
    assert_eq!(o.status.code(), Some(5));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("hunter2"));
    assert_one_line(&String::from_utf8_lossy(&o.stderr), &[]);
}

#[test]
fn several_statements_in_one_argument_are_refused() {
    let dir = warehouse();
    let before = snapshot(dir.path());
    let err = dir.command(&["sql", "SELECT 1; DROP TABLE litigation"]).fails(5);
    assert_one_line(&err, &[]);
    assert!(snapshot(dir.path()) == before);
}

#[test]
fn a_refused_statement_in_a_script_stops_it() {
    let dir = warehouse();
    dir.create("script.sql", "SELECT count(*) AS n FROM litigation;\nDROP TABLE litigation;\nSELECT 1 AS never;\n");
    let before = snapshot(dir.path());
    let o = dir.command(&["sql", "-f", "script.sql", "--format", "csv"]).output();
    assert_eq!(o.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let err_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("fuyuan:")).collect();
    assert_eq!(err_lines.len(), 1, "{stderr}");
    assert!(err_lines[0].contains("read-only"), "{stderr}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("never"));
    assert!(snapshot(dir.path()) == before);
}

#[test]
fn select_in_table_csv_and_json() {
    let dir = warehouse();
    let q = "SELECT case_no, defendant FROM litigation ORDER BY case_no";
    let table = dir.command(&["sql", q]).stdout();
    for s in ["case_no", "defendant", "（2024）豫1202行初1号", "灵宝市人民政府"] {
        assert!(table.contains(s), "table output lacks {s}:\n{table}");
    }
    let (h, rows) = parse_csv(&dir.command(&["sql", q, "--format", "csv"]).stdout());
    assert_eq!(h, ["case_no", "defendant"]);
    assert_eq!(
        rows,
        vec![
            vec!["（2024）豫1202行初1号", "三门峡市自然资源局"],
            vec!["（2024）豫1202行初2号", "三门峡市公安局"],
            vec!["（2024）豫1282行初3号", "灵宝市人民政府"],
        ]
    );
    let json: serde_json::Value = serde_json::from_str(&dir.command(&["sql", q, "--format", "json"]).stdout()).expect("json output parses");
    let arr = json.as_array().expect("an array of rows");
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["case_no"], "（2024）豫1202行初1号");
    assert_eq!(arr[2]["defendant"], "灵宝市人民政府");
    // Numbers stay numbers, nulls are null.
    let json: serde_json::Value = serde_json::from_str(
        &dir.command(&["sql", "SELECT count(*) AS n, max(outcome) FILTER (WHERE false) AS none FROM litigation", "--format", "json"])
            .stdout(),
    )
    .unwrap();
    assert_eq!(json[0]["n"], 3);
    assert!(json[0]["none"].is_null());
    // The views are there too.
    let (_, rows) = parse_csv(&dir.command(&["sql", "SELECT count(*) FROM litigation_cases WHERE is_loss", "--format", "csv"]).stdout());
    assert_eq!(rows, vec![vec!["1"]]);
}

#[test]
fn script_file_with_two_statements() {
    let dir = warehouse();
    dir.create("two.sql", "-- counts\nSELECT count(*) AS n_lit FROM litigation;\n\nSELECT sum(fine_yuan) AS fines\nFROM penalty;\n");
    let out = dir.command(&["sql", "-f", "two.sql", "--format", "csv"]).stdout();
    assert!(out.contains("n_lit\n3\n"), "{out}");
    assert!(out.contains("fines\n500.00\n"), "{out}");
}

#[test]
fn max_rows_limits_the_rows() {
    let dir = warehouse();
    let (_, rows) =
        parse_csv(&dir.command(&["sql", "SELECT case_no FROM litigation ORDER BY case_no", "--format", "csv", "--max-rows", "1"]).stdout());
    assert_eq!(rows, vec![vec!["（2024）豫1202行初1号"]]);
    let table = dir.command(&["sql", "SELECT case_no FROM litigation ORDER BY case_no", "--max-rows", "1"]).stdout();
    assert!(table.contains("行初1号") && !table.contains("行初2号") && !table.contains("行初3号"), "{table}");
}

#[test]
fn backslash_d_lists_tables_and_views() {
    let dir = warehouse();
    let out = dir.command(&["sql", "\\d", "--format", "csv"]).stdout();
    let (_, rows) = parse_csv(&out);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    for t in ["litigation", "reconsideration", "penalty", "regions"] {
        assert!(names.contains(&t), "\\d lacks {t}:\n{out}");
    }
    assert!(rows.iter().any(|r| r.iter().any(|c| c.eq_ignore_ascii_case("view"))), "\\d lists no views:\n{out}");
}

#[test]
fn backslash_d_name_describes_a_table() {
    let dir = warehouse();
    let out = dir.command(&["sql", "\\d litigation", "--format", "csv"]).stdout();
    let (_, rows) = parse_csv(&out);
    let cols: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    for c in [
        "case_no",
        "court",
        "defendant",
        "region_code",
        "domain",
        "action_type",
        "filed_date",
        "closed_date",
        "outcome",
        "hearing_date",
        "head_appeared",
        "head_spoke",
        "appearance_required",
        "reconsidered",
        "loss_reason",
        "plaintiff",
    ] {
        assert!(cols.contains(&c), "\\d litigation lacks {c}:\n{out}");
    }
    // An unknown name is one clear line.
    let err = dir.command(&["sql", "\\d nosuch"]).fails(5);
    assert_one_line(&err, &["nosuch"]);
}

#[test]
fn explain_works() {
    let dir = warehouse();
    let out = dir.command(&["sql", "EXPLAIN SELECT count(*) FROM litigation WHERE region_code = '411202'", "--format", "csv"]).stdout();
    assert!(out.contains("plan"), "{out}");
    assert!(out.contains("litigation"), "{out}");
}

#[test]
fn syntax_and_planning_errors_exit_5_with_one_line() {
    let dir = warehouse();
    assert_one_line(&dir.command(&["sql", "SELEC * FRM litigation"]).fails(5), &[]);
    assert_one_line(&dir.command(&["sql", "SELECT * FROM no_such_table"]).fails(5), &["no_such_table"]);
    assert_one_line(&dir.command(&["sql", "SELECT no_such_column FROM litigation"]).fails(5), &["no_such_column"]);
}

#[test]
fn missing_warehouse_is_one_line() {
    let dir = Dir::new();
    let err = dir.command(&["sql", "SELECT 1", "--warehouse", "nowhere"]).fails(6);
    assert_one_line(&err, &["nowhere"]);
}

fn run_with_stdin(dir: &Dir, args: &[&str], input: &str) -> std::process::Output {
    let mut cmd = dir.command(args).cmd;
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn fuyuan");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn piped_stdin_runs_the_statements() {
    let dir = warehouse();
    let o =
        run_with_stdin(&dir, &["sql", "--format", "csv"], "SELECT count(*) AS n FROM litigation;\nSELECT count(*) AS m\nFROM penalty;\n");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("n\n3\n") && out.contains("m\n1\n"), "{out}");
    // A refused statement from stdin is refused the same way.
    let before = snapshot(dir.path());
    let o = run_with_stdin(&dir, &["sql"], "DROP TABLE litigation;\n");
    assert_eq!(o.status.code(), Some(5));
    assert_one_line(&String::from_utf8_lossy(&o.stderr), &["read-only"]);
    assert!(snapshot(dir.path()) == before);
}

/// A runaway query (a cross join of the largest table with itself, grouped) is stopped by the
/// memory limit or the time limit with one clear line, well within the limits.
#[test]
fn runaway_queries_stop_at_their_limits() {
    let dir = util::Dir::new();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    dir.command(&["ingest", samples.join("penalty_2023.csv").to_str().unwrap(), "--warehouse", "w"]).stdout();
    let runaway = "SELECT a.decision_no || b.decision_no AS k, COUNT(*) FROM penalty a CROSS JOIN penalty b GROUP BY 1";
    let started = std::time::Instant::now();
    let err = dir.command(&["sql", runaway, "--warehouse", "w", "--memory-limit", "64", "--timeout", "60"]).fails(5);
    assert!(err.contains("memory limit of 64 MiB"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(started.elapsed() < util::time_limit(60), "took {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let err = dir.command(&["sql", runaway, "--warehouse", "w", "--timeout", "2"]).fails(5);
    assert!(err.contains("time limit of 2 s"), "{err}");
    assert!(started.elapsed() < util::time_limit(15), "took {:?}", started.elapsed());
    // The warehouse and the engine are fine afterwards.
    let out = dir.command(&["sql", "SELECT COUNT(*) AS n FROM penalty", "--warehouse", "w", "--format", "csv"]).stdout();
    assert!(out.starts_with("n\n"), "{out}");
}

/// `fuyuan sql … --format csv | head -3`: when the reader goes away the command ends quietly with
/// exit 0, as a Unix tool does. The output (about 12 MB) is far longer than a pipe's buffer, so a
/// write does fail after the reader has closed its end.
#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let dir = warehouse();
    let sql = "SELECT v, 'text long enough to fill a pipe buffer quickly' AS t FROM generate_series(1, 300000) AS s(v)";
    let mut cmd = dir.command(&["sql", sql, "--format", "csv"]).cmd;
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn fuyuan");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 8];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let o = child.wait_with_output().unwrap();
    assert_eq!(&first, b"v,t\n1,te", "the reader saw the start of the CSV");
    assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stderr), "", "nothing said about the closed pipe");
}
