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
