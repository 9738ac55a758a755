//! The streaming ingest (issue 4) gives the same warehouse whatever its chunk size. With
//! `FUYUAN_CHUNK_ROWS=3` a chunk is 3 rows, the window 8 chunks (24 rows) and a part 96 rows, so a
//! few hundred rows drive every path: a correction inside the window (the replaced row is never
//! written), one after it (its part is rewritten), one in another file of the same ingest, one of
//! an earlier ingest's row (an old part is rewritten), and a chain a → b → c. The same ledgers
//! ingested with the default chunks (everything inside one chunk) must give the same rows, the
//! same counts and the same replacement records.
mod util;

use util::Dir;

const HEADER: &str = "处罚决定书文号,执法机关,区划代码,处罚决定日期,罚款金额";

/// A penalty row: decision number n, fine `fine` yuan.
fn row(n: u32, fine: u32) -> String {
    format!("豫罚〔2024〕{n}号,三门峡市湖滨区市场监督管理局,411202,2024-03-{:02},{fine}", n % 28 + 1)
}

/// Ledger a.csv (line 1 is the header, row i of `rows` is on line i + 2).
fn ledger_a() -> String {
    let mut rows: Vec<String> = (1..=200).map(|n| row(n, n)).collect();
    rows.insert(7, row(5, 5005)); // key 5 again 3 rows later: inside the window
    rows.insert(150, row(10, 1010)); // key 10 again ~140 rows later: after the window, other part
    rows.insert(100, row(20, 2020)); // key 20 three times: a chain
    rows.insert(190, row(20, 2021));
    rows.push("豫罚〔2024〕999号,,411202,2024-03-01,1".into()); // rejected: agency empty
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// Ledger b.csv, same ingest: replaces a row of a.csv and adds one.
fn ledger_b() -> String {
    format!("{HEADER}\n{}\n{}\n", row(30, 3030), row(201, 201))
}

/// Ledger c.csv, a later ingest: replaces rows of the earlier ingest's parts.
fn ledger_c() -> String {
    format!("{HEADER}\n{}\n{}\n{}\n", row(40, 4040), row(5, 5555), row(202, 202))
}

/// Ingests a+b, then c, with the given chunk size; returns (rows, file records, part files).
fn build(chunk: Option<&str>) -> (String, Vec<serde_json::Value>, Vec<String>) {
    let dir = Dir::new();
    dir.create("a.csv", &ledger_a());
    dir.create("b.csv", &ledger_b());
    dir.create("c.csv", &ledger_c());
    let run = |args: &[&str]| {
        let mut cmd = dir.command(args);
        if let Some(n) = chunk {
            cmd.cmd.env("FUYUAN_CHUNK_ROWS", n);
        }
        cmd.stdout()
    };
    run(&["ingest", "a.csv", "b.csv"]);
    run(&["ingest", "c.csv"]);
    let rows = dir
        .command(&[
            "sql",
            "SELECT decision_no, fine_yuan, _source_file, _source_line FROM penalty ORDER BY decision_no",
            "--format",
            "csv",
            "--max-rows",
            "10000",
        ])
        .stdout();
    let m = dir.manifest("warehouse");
    let files: Vec<serde_json::Value> = m["ingests"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["files"].as_array().unwrap().clone())
        .map(|mut f| {
            // Paths and sizes are the same; hashes too (the same bytes).
            f.as_object_mut().unwrap().remove("rejects_file");
            f
        })
        .collect();
    let parts = m["tables"]["penalty"]["parts"].as_array().unwrap().iter().map(|p| p["file"].as_str().unwrap().to_string()).collect();
    (rows, files, parts)
}

#[test]
fn chunk_size_does_not_change_the_warehouse() {
    let (small_rows, small_files, small_parts) = build(Some("3"));
    let (big_rows, big_files, big_parts) = build(None);
    assert_eq!(small_rows, big_rows, "the same rows whatever the chunk size");
    assert_eq!(small_files, big_files, "the same counts and replacement records whatever the chunk size");

    // The small chunks really took the late paths: parts rewritten after a late correction
    // ("-k") and an earlier ingest's part rewritten ("-r").
    assert!(small_parts.len() > 3, "{small_parts:?}");
    assert!(small_parts.iter().any(|p| p.contains("-k.parquet")), "a part rewritten for a late correction: {small_parts:?}");
    assert!(small_parts.iter().any(|p| p.contains("-r")), "an old part rewritten: {small_parts:?}");
    assert_eq!(big_parts.len(), 3, "one part per source file and ingest, the first rewritten: {big_parts:?}");

    // 202 keys: 1..=202, each once, with the last row's values.
    let lines: Vec<&str> = small_rows.lines().skip(1).collect();
    assert_eq!(lines.len(), 202, "{small_rows}");
    let fine = |n: u32| {
        let key = format!("豫罚〔2024〕{n}号,");
        lines.iter().find(|l| l.starts_with(&key)).unwrap_or_else(|| panic!("key {n}")).split(',').nth(1).unwrap().to_string()
    };
    assert_eq!(fine(5), "5555.00", "c.csv's row replaced the in-window correction");
    assert_eq!(fine(10), "1010.00", "the late correction won");
    assert_eq!(fine(20), "2021.00", "the last of a chain won");
    assert_eq!(fine(30), "3030.00", "b.csv replaced a.csv's row");
    assert_eq!(fine(40), "4040.00", "a later ingest replaced an old part's row");

    // Replacement records, on the file whose row won; a chain names the final row for both.
    let a = &small_files[0];
    assert_eq!((a["rows_read"].as_u64(), a["rows_accepted"].as_u64(), a["rows_rejected"].as_u64()), (Some(205), Some(204), Some(1)));
    let reps = |f: &serde_json::Value| -> Vec<(String, i64, i64)> {
        f["replaced"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["key"].as_str().unwrap().to_string(), r["old_line"].as_i64().unwrap(), r["new_line"].as_i64().unwrap()))
            .collect()
    };
    // a.csv lines: key n (n ≤ 7) on line n + 1; key 5's correction on line 9; the chain's first
    // re-entry on line 102, the second on line 192; key 10's correction on line 153.
    assert_eq!(
        reps(a),
        vec![
            ("豫罚〔2024〕5号".to_string(), 6, 9),
            ("豫罚〔2024〕10号".to_string(), 12, 153),
            ("豫罚〔2024〕20号".to_string(), 22, 192),
            ("豫罚〔2024〕20号".to_string(), 102, 192),
        ]
    );
    assert_eq!(reps(&small_files[1]), vec![("豫罚〔2024〕30号".to_string(), 32, 2)]);
    let c = reps(&small_files[2]);
    assert_eq!(c, vec![("豫罚〔2024〕5号".to_string(), 9, 3), ("豫罚〔2024〕40号".to_string(), 42, 2)]);
}
