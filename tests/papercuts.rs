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
