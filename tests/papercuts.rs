//! What a new user trips over (issue 16): `latest` is an ended quarter, SQL errors name what
//! exists, templates for the agencies, the warehouse read from Python, progress only on a terminal.
mod util;

use util::{Dir, LIT};

/// Three filings: two in 2024Q4, one on 3 January 2025 (ledgers collected in mid-January).
fn january_ledger(dir: &Dir) {
    let rows = [
        "（2024）豫1202行初1号,湖滨区人民法院,三门峡市自然资源局,411202,2024-11-05,2024-12-01,撤销,2024-11-20,是,张三",
        "（2024）豫1202行初2号,湖滨区人民法院,三门峡市自然资源局,411202,2024-10-05,,,,,李四",
        "（2025）豫1202行初1号,湖滨区人民法院,三门峡市自然资源局,411202,2025-01-03,,,,,王五",
    ];
    dir.create("in/litigation.csv", &format!("{LIT}\n{}\n", rows.join("\n")));
}

#[test]
fn latest_is_the_last_ended_quarter_and_the_first_line_says_why() {
    let dir = Dir::new();
    january_ledger(&dir);
    let out = dir.command(&["run", "--inputs", "in", "--out", "o", "--formats", "md"]).env("FUYUAN_TODAY", "2025-01-15").stdout();
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "period 2024Q4, year to date: latest = 2024Q4: the last quarter ended by 2025-01-15 that holds filings (2 filed); \
         the 1 filing(s) after it, up to 2025-01-03, are in 2025Q1, which has not ended"
    );
    assert!(out.contains("2/4 metrics: 三门峡市 2024Q4 (2024-01-01..2024-12-31), year to date"), "{out}");
    assert!(dir.join("o/metrics/agencies_411200_2024Q4_ytd.csv").exists());
    // The dashboard's `latest` is the same quarter, and says so.
    let dash = dir
        .command(&["dashboard", "--out", "d", "--warehouse", "o/warehouse", "--region", "411200"])
        .env("FUYUAN_TODAY", "2025-01-15")
        .stdout();
    assert!(dash.starts_with("period 2024Q4, year to date: latest = 2024Q4"), "{dash}");
}

#[test]
fn latest_on_the_first_day_after_a_quarter_and_with_no_ended_quarter() {
    let dir = Dir::new();
    january_ledger(&dir);
    // On 1 January 2025 the fourth quarter has ended (the 3 January row is in the future, rejected).
    let out = dir.command(&["run", "--inputs", "in", "--out", "a", "--formats", "md"]).env("FUYUAN_TODAY", "2025-01-01").stdout();
    assert!(
        out.starts_with(
            "period 2024Q4, year to date: latest = 2024Q4: the last quarter ended by 2025-01-01 that holds filings (2 filed)\n"
        ),
        "{out}"
    );
    // On 31 December it has not: no ended quarter holds a filing, a usage error that says so.
    let err = dir.command(&["run", "--inputs", "in", "--out", "b", "--formats", "md"]).env("FUYUAN_TODAY", "2024-12-31").fails(2);
    assert!(err.contains("no quarter ended by 2024-12-31 holds a filing (the latest filing is 2024-11-05)"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn an_explicit_period_is_named_on_the_first_line() {
    let dir = Dir::new();
    january_ledger(&dir);
    let out = dir.command(&["run", "--inputs", "in", "--out", "o", "--formats", "md", "--period", "2024H2", "--no-ytd"]).stdout();
    assert_eq!(out.lines().next().unwrap(), "period 2024H2: as given");
}

/// A small warehouse of the January ledger.
fn small_warehouse(dir: &Dir) {
    january_ledger(dir);
    dir.command(&["ingest", "in/litigation.csv", "--warehouse", "wh"]).stdout();
}

#[test]
fn a_misspelt_table_names_the_tables_and_the_closest() {
    let dir = Dir::new();
    small_warehouse(&dir);
    let err = dir.command(&["sql", "--warehouse", "wh", "select * from litigaton"]).fails(5);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("fuyuan: query failed: no table litigaton; the tables are "), "{err}");
    for t in ["litigation", "litigation_cases", "penalty", "reconsideration", "regions", "region_closure"] {
        assert!(err.contains(&format!(" {t},")) || err.contains(&format!(" {t};")), "{t} not listed: {err}");
    }
    assert!(err.trim_end().ends_with("; did you mean litigation?"), "{err}");
}

#[test]
fn a_misspelt_column_names_the_columns_of_the_tables_in_the_query() {
    let dir = Dir::new();
    small_warehouse(&dir);
    let err = dir
        .command(&["sql", "--warehouse", "wh", "select l.filed_dat from litigation l join regions r on r.code = l.region_code"])
        .fails(5);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("fuyuan: query failed: no column l.filed_dat; the columns of litigation: case_no, court, defendant,"), "{err}");
    assert!(err.contains("; regions: code, name, level, parent_code"), "{err}");
    assert!(!err.contains("penalty:"), "only the tables in the query: {err}");
    assert!(err.trim_end().ends_with("; did you mean filed_date?"), "{err}");
    // A script names the statement.
    dir.create("q.sql", "select 1;\nselect is_los from litigation_cases;\n");
    let err = dir.command(&["sql", "--warehouse", "wh", "-f", "q.sql"]).fails(5);
    assert!(
        err.contains("statement 2: no column is_los; the columns of litigation_cases:") && err.contains("did you mean is_loss?"),
        "{err}"
    );
}

// ---- templates ----

use fuyuan::ingest::template;
use fuyuan::schema::{Column, Kind, Need, Table};

enum Cell {
    Text(String),
    Date(u16, u8, u8),
    Number(f64),
}

/// A value a clerk would pick or type for `column` in row `i`: dropdowns cycle through every
/// choice, dates are real date cells.
fn valid(table: Table, column: &Column, i: usize) -> Cell {
    let t = |s: &str| Cell::Text(s.to_string());
    if let Some(values) = template::choices(column) {
        return t(values[i % values.len()]);
    }
    match column.kind {
        Kind::CaseNo => Cell::Text(format!("（2024）豫1202行初{}号", i + 1)),
        Kind::Key => Cell::Text(format!("{}〔2024〕{}号", table.name(), i + 1)),
        Kind::Region => t("411202"),
        Kind::Date => Cell::Date(2024, 3, 1),
        Kind::Amount => Cell::Number(1500.5),
        Kind::Count => Cell::Number(1.0),
        Kind::CaseList => t("（2024）豫1202行初1号"),
        Kind::Name => t("张三"),
        _ if column.need == Need::Required => t("三门峡市自然资源局"),
        _ => t("自然资源"),
    }
}

/// A value ingest must reject for `column`, if the column has one (free optional text has none).
fn bad(column: &Column) -> Option<Cell> {
    let t = |s: &str| Some(Cell::Text(s.to_string()));
    if template::choices(column).is_some() {
        return t("不清楚");
    }
    match column.kind {
        Kind::CaseNo => t("不是案号"),
        Kind::Region => t("999999"),
        Kind::Date => t("2024-13-45"),
        Kind::Amount => t("约一千"),
        Kind::Count => Some(Cell::Number(-1.0)),
        _ if column.need == Need::Required => t(""),
        _ => None,
    }
}

/// The template workbook of `table` with `rows` filled into its first sheet, saved to `path`.
fn fill(table: Table, rows: &[Vec<Cell>], path: &std::path::Path) {
    let mut wb = template::workbook(table).unwrap();
    let ws = wb.worksheet_from_index(0).unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                Cell::Date(y, m, d) => {
                    ws.write_datetime_with_format(r, c, rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date).unwrap();
                }
                Cell::Number(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn templates_are_written_with_headers_dropdowns_and_rules() {
    let dir = Dir::new();
    let out = dir.command(&["template", "--out", "T"]).stdout();
    assert_eq!(out.lines().count(), 4, "{out}");
    for table in template::TABLES {
        let path = dir.join(&format!("T/{}", template::file_name(table)));
        assert!(out.contains(&template::file_name(table)), "{out}");
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        assert_eq!(wb.sheet_names(), vec![template::title(table).to_string(), "填表说明".into(), "选项".into()]);
        let range = wb.worksheet_range(template::title(table)).unwrap();
        let headers: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        let expected: Vec<String> = table.columns().iter().map(template::header).collect();
        assert_eq!(headers, expected);
        let rules = wb.worksheet_range("填表说明").unwrap();
        let text: Vec<String> = rules.rows().flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>()).collect();
        for c in table.columns() {
            assert!(text.contains(&template::rule(table, c)), "{}: no rule for {}", table.name(), c.name);
        }
        // Dropdowns, date and number rules are in the sheet's XML; required headers are red.
        let file = std::fs::File::open(&path).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
        let lists = table.columns().iter().filter(|c| template::choices(c).is_some()).count();
        let dates = table.columns().iter().filter(|c| c.kind == Kind::Date).count();
        assert_eq!(xml.matches("type=\"list\"").count(), lists, "{}", table.name());
        assert_eq!(xml.matches("type=\"date\"").count(), dates, "{}", table.name());
        assert!(lists >= 1 && dates >= 1);
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
        assert!(styles.contains("FFFF0000"), "required headers in red");
    }
}

#[test]
fn a_template_filled_with_valid_values_ingests_with_no_rejects() {
    let dir = Dir::new();
    for table in template::TABLES {
        let n = table.columns().iter().filter_map(template::choices).map(|v| v.len()).max().unwrap_or(1);
        let rows: Vec<Vec<Cell>> = (0..n).map(|i| table.columns().iter().map(|c| valid(table, c, i)).collect()).collect();
        let path = dir.join(&format!("{}.xlsx", table.name()));
        fill(table, &rows, &path);
        let out = dir.command(&["ingest", path.to_str().unwrap(), "--warehouse", "wh"]).stdout();
        assert!(out.contains(&format!("read {n} = accepted {n} + rejected 0")), "{}: {out}\n{:?}", table.name(), dir.rejects("wh"));
        assert!(out.contains(&format!("table {}", table.name())) || out.contains(table.name()), "{out}");
    }
}

#[test]
fn a_template_with_a_bad_value_in_each_column_rejects_exactly_those_rows() {
    let dir = Dir::new();
    for table in template::TABLES {
        let columns = table.columns();
        let mut rows: Vec<Vec<Cell>> = (0..3).map(|i| columns.iter().map(|c| valid(table, c, i)).collect()).collect();
        let mut bad_columns = Vec::new();
        for (ci, c) in columns.iter().enumerate() {
            let Some(b) = bad(c) else { continue };
            let mut row: Vec<Cell> = columns.iter().map(|c| valid(table, c, rows.len())).collect();
            row[ci] = b;
            rows.push(row);
            bad_columns.push((rows.len() + 1, template::header(c)));
        }
        let path = dir.join(&format!("bad_{}.xlsx", table.name()));
        fill(table, &rows, &path);
        let wh = format!("wh_{}", table.name());
        let out = dir.command(&["ingest", path.to_str().unwrap(), "--warehouse", &wh]).stdout();
        let expect = format!("read {} = accepted 3 + rejected {}", rows.len(), bad_columns.len());
        assert!(out.contains(&expect), "{}: {out}", table.name());
        let rejects = dir.rejects(&wh);
        assert_eq!(rejects.len(), bad_columns.len());
        for (rec, (line, header)) in rejects.iter().zip(&bad_columns) {
            // _file, _line, _column, _reason open each rejected row; the column is "header (name)".
            assert_eq!(&rec[1], line.to_string().as_str(), "{}: {rec:?}", table.name());
            assert!(rec[2].starts_with(&format!("{header} (")), "{}: {header}: {rec:?}", table.name());
        }
    }
}

// ---- the warehouse from Python ----

/// The interpreter: `FUYUAN_PYTHON` (as `.ci/run` exports it), else `python3`.
fn python() -> String {
    std::env::var("FUYUAN_PYTHON").ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "python3".into())
}

/// The README's code block of `lang` that follows `heading`.
fn readme_block(heading: &str, lang: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let after = &readme[readme.find(heading).unwrap_or_else(|| panic!("README has no {heading}"))..];
    let start = after.find(&format!("```{lang}\n")).unwrap() + lang.len() + 4;
    let end = start + after[start..].find("```").unwrap();
    after[start..end].to_string()
}

/// One value from `fuyuan sql --format csv`.
fn sql_value(dir: &Dir, query: &str) -> String {
    let out = dir.command(&["sql", "--warehouse", "out/warehouse", "--format", "csv", query]).stdout();
    out.lines().nth(1).unwrap_or_else(|| panic!("no value: {out}")).to_string()
}

#[test]
fn the_readme_python_lines_read_the_warehouse_as_fuyuan_sql_does() {
    let dir = Dir::new();
    util::sample_warehouse(&dir, "out/warehouse");
    let py = python();
    let probe = std::process::Command::new(&py).args(["-c", "import duckdb, polars"]).output();
    assert!(
        probe.as_ref().is_ok_and(|o| o.status.success()),
        "{py} with duckdb and polars is required (pip install duckdb polars, as .ci/run does): {probe:?}"
    );
    // The README's lines as they are, then checks in the same session.
    let mut script = readme_block("## The warehouse from Python", "python");
    script.push_str(
        r#"
import json as _json
recon = pl.scan_parquet(parts("reconsideration"))
_out = {
    "lit_rows_polars": litigation.select(pl.len()).collect().item(),
    "lit_rows_duckdb": duckdb.read_parquet(parts("litigation")).count("*").fetchall()[0][0],
    "recon_rows": recon.select(pl.len()).collect().item(),
    "penalty_rows": duckdb.sql("SELECT COUNT(*) FROM penalty").fetchall()[0][0],
    "fines": str(duckdb.sql("SELECT SUM(fine_yuan) FROM penalty").fetchall()[0][0]),
    "confiscated": str(penalty.aggregate("SUM(confiscated_yuan)").fetchall()[0][0]),
    "appeared": litigation.filter(pl.col("head_appeared")).select(pl.len()).collect().item(),
}
print("CHECK " + _json.dumps(_out))
"#,
    );
    dir.create("read.py", &script);
    let o = std::process::Command::new(&py).arg("read.py").current_dir(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&o.stderr));
    let line = stdout.lines().find_map(|l| l.strip_prefix("CHECK ")).unwrap();
    let got: serde_json::Value = serde_json::from_str(line).unwrap();
    let lit = sql_value(&dir, "SELECT COUNT(*) FROM litigation");
    assert!(lit.parse::<u64>().unwrap() > 1000, "a real sample: {lit}");
    assert_eq!(got["lit_rows_polars"].to_string(), lit);
    assert_eq!(got["lit_rows_duckdb"].to_string(), lit);
    assert_eq!(got["recon_rows"].to_string(), sql_value(&dir, "SELECT COUNT(*) FROM reconsideration"));
    assert_eq!(got["penalty_rows"].to_string(), sql_value(&dir, "SELECT COUNT(*) FROM penalty"));
    assert_eq!(got["appeared"].to_string(), sql_value(&dir, "SELECT COUNT(*) FROM litigation WHERE head_appeared"));
    let fines = sql_value(&dir, "SELECT SUM(fine_yuan) FROM penalty");
    assert_eq!(got["fines"].as_str().unwrap(), fines);
    assert_eq!(got["confiscated"].as_str().unwrap(), sql_value(&dir, "SELECT SUM(confiscated_yuan) FROM penalty"));
    // The first print of the README's block: the row count and the fines.
    assert!(stdout.starts_with(&format!("{lit} {fines}\n")), "{stdout}");

    // The --list-parts line, with this build's fuyuan first on PATH.
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_fuyuan")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let shell = readme_block("fuyuan sql --list-parts TABLE", "sh").replace("python3 ", &format!("{py} "));
    let o = std::process::Command::new("sh")
        .args(["-c", &shell])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("FUYUAN_TODAY", util::TODAY)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), lit);
    // Absolute paths, one a line, each an existing part.
    let listed = dir.command(&["sql", "--warehouse", "out/warehouse", "--list-parts", "penalty"]).stdout();
    assert!(listed.lines().count() >= 1);
    for l in listed.lines() {
        assert!(std::path::Path::new(l).is_absolute() && std::path::Path::new(l).exists(), "{l}");
    }
    let err = dir.command(&["sql", "--warehouse", "out/warehouse", "--list-parts", "penalti"]).fails(2);
    assert!(err.contains("no table penalti"), "{err}");
}

// ---- progress ----

fn sample(name: &str) -> String {
    format!("{}/data-samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `fuyuan ARGS` on a pseudo-terminal (util-linux `script`), as a user at a terminal runs it;
/// returns everything the terminal showed.
fn on_terminal(dir: &Dir, args: &[&str]) -> String {
    let line = std::iter::once(env!("CARGO_BIN_EXE_fuyuan").to_string())
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let o = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir.path())
        .env("FUYUAN_TODAY", util::TODAY)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("util-linux `script` runs commands on a pseudo-terminal for this test");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn ingest_on_a_terminal_shows_a_progress_bar_per_file() {
    let dir = Dir::new();
    let (csv, xlsx) = (sample("penalty_2024.csv"), sample("litigation_2022Q4_2023.xlsx"));
    let shown = on_terminal(&dir, &["ingest", &csv, &xlsx, "--warehouse", "wh"]);
    assert!(shown.contains(&format!("{csv} · 7,716 rows · ")), "the CSV's bar ends at its rows: {shown}");
    assert!(shown.contains(&format!("{xlsx} · 2,242 rows · ")), "the workbook's bar: {shown}");
    assert!(shown.contains("rows/s") && shown.contains("1.22 MiB/1.22 MiB") && shown.contains("ETA"), "{shown}");
    assert!(shown.contains("committed ingest 1 to wh"), "{shown}");
}

#[test]
fn piped_ingest_and_run_print_no_progress() {
    let dir = Dir::new();
    let csv = sample("penalty_2024.csv");
    let o = dir.command(&["ingest", &csv, "--warehouse", "wh"]).output();
    assert!(o.status.success());
    let (stdout, stderr) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(stdout.starts_with(&format!("{csv}: penalty (csv utf-8 (BOM)), read 7716 = accepted 7658 + rejected 58")), "{stdout}");
    assert!(stdout.trim_end().ends_with("committed ingest 1 to wh"), "{stdout}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains("rows/s") && !text.contains('\u{1b}') && !text.contains('\r'), "{text}");
    }
    assert_eq!(stderr, "", "nothing on stderr when piped");
    // The main job: the same lines, and its ingest step shows a bar only on a terminal.
    january_ledger(&dir);
    let o = dir.command(&["run", "--inputs", "in", "--out", "o", "--formats", "md", "--period", "2024"]).output();
    assert!(o.status.success());
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(!all.contains("rows/s") && !all.contains('\u{1b}'), "{all}");
    let shown = on_terminal(&dir, &["run", "--inputs", "in", "--out", "t", "--formats", "md", "--period", "2024"]);
    assert!(shown.contains("in/litigation.csv · 3 rows · "), "{shown}");
}
