//! Golden test: a small hand-made fixture (tests/fixtures/golden/) whose every expected figure
//! was computed by hand from the documented definitions (§3, §5). The arithmetic, row by row,
//! is in tests/fixtures/golden/README.md.
//!
//! P = 2024-01-01..2024-06-30 (`--period 2024Q2 --ytd`, or `--period 2024H1`),
//! P′ = 2023-01-01..2023-06-30.
mod util;

use util::Dir;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden");
const WH: &str = "wh";

use util::FLOAT_COLUMNS;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURE}/{name}")).unwrap_or_else(|e| panic!("reading fixture {name}: {e}"))
}

/// A temp dir holding the fixture ledgers, ingested into `wh/` in one call; returns the ingest output.
fn ingested() -> (Dir, String) {
    let dir = Dir::new();
    for f in ["litigation.csv", "reconsideration.csv", "penalty.csv", "regions.csv"] {
        dir.create(f, &fixture(f));
    }
    let out = dir
        .command(&["ingest", "litigation.csv", "reconsideration.csv", "penalty.csv", "--regions", "regions.csv", "--warehouse", WH])
        .stdout();
    (dir, out)
}

fn metrics(dir: &Dir, args: &[&str]) -> String {
    let mut all = vec!["metrics"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--warehouse", WH, "--format", "csv"]);
    dir.command(&all).stdout()
}

fn cell_matches(column: &str, got: &str, want: &str) -> bool {
    if want.is_empty() || got.is_empty() {
        return want.is_empty() && got.is_empty();
    }
    if FLOAT_COLUMNS.contains(&column) {
        match (got.parse::<f64>(), want.parse::<f64>()) {
            (Ok(g), Ok(w)) => (g - w).abs() <= 1e-12,
            _ => false,
        }
    } else {
        got == want
    }
}

/// Compares fuyuan's CSV with the hand-computed one: identical header, identical row keys in
/// the same order, then every cell; reports every difference at once.
fn assert_matches_expected(got_text: &str, expected_file: &str) {
    let (want_head, want_rows) = util::parse_csv(&fixture(expected_file));
    let (got_head, got_rows) = util::parse_csv(got_text);
    assert_eq!(got_head, want_head, "{expected_file}: header differs\n--- got:\n{got_text}");
    let key = |r: &Vec<String>| (r[1].clone(), r[2].clone());
    let got_keys: Vec<_> = got_rows.iter().map(key).collect();
    let want_keys: Vec<_> = want_rows.iter().map(key).collect();
    assert_eq!(got_keys, want_keys, "{expected_file}: rows (region_code, region_name) differ in set or order\n--- got:\n{got_text}");
    let mut diffs = Vec::new();
    for (g, w) in got_rows.iter().zip(&want_rows) {
        assert_eq!(g.len(), want_head.len(), "{expected_file}: ragged row {g:?}");
        for (i, col) in want_head.iter().enumerate() {
            if !cell_matches(col, &g[i], &w[i]) {
                diffs.push(format!("  {} {} {col}: got '{}', expected '{}'", w[1], w[2], g[i], w[i]));
            }
        }
    }
    assert!(
        diffs.is_empty(),
        "{expected_file}: {} cell(s) differ from the hand-computed figures (see README.md):\n{}\n--- got:\n{got_text}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn ingest_counts_and_rejects() {
    let (dir, out) = ingested();
    let line_for = |file: &str| {
        out.lines().find(|l| l.starts_with(file)).unwrap_or_else(|| panic!("no summary line for {file} in:\n{out}")).to_string()
    };
    // rows_read = rows_accepted + rows_rejected, per file.
    let lit = line_for("litigation.csv");
    assert!(lit.contains("litigation") && lit.contains("read 25 = accepted 22 + rejected 3"), "{lit}");
    let rec = line_for("reconsideration.csv");
    assert!(rec.contains("reconsideration") && rec.contains("read 12 = accepted 11 + rejected 1"), "{rec}");
    let pen = line_for("penalty.csv");
    assert!(pen.contains("penalty") && pen.contains("read 11 = accepted 10 + rejected 1"), "{pen}");
    // 序号 is not a litigation column: ignored and named.
    assert!(out.contains("序号"), "ignored column 序号 not reported:\n{out}");
    // 411203101 has no entry in the dimension: a township known by its code, under 411203.
    assert!(out.contains("411203101"), "township known only by code not reported:\n{out}");

    // The manifest agrees, file by file.
    let manifest = dir.manifest(WH);
    let text = manifest.to_string();
    for (file, read, acc, rej) in [("litigation.csv", 25, 22, 3), ("reconsideration.csv", 12, 11, 1), ("penalty.csv", 11, 10, 1)] {
        let rec = find_file_record(&manifest, file).unwrap_or_else(|| panic!("{file} not in manifest: {text}"));
        assert_eq!(rec["rows_read"], read, "{file} rows_read");
        assert_eq!(rec["rows_accepted"], acc, "{file} rows_accepted");
        assert_eq!(rec["rows_rejected"], rej, "{file} rows_rejected");
    }

    // Exactly these rows are rejected: (file, line, canonical column, a piece of the reason or
    // the offending value, the row's key cell as written).
    let expected: &[(&str, &str, &str, &str, &str)] = &[
        ("litigation.csv", "15", "filed_date", "2023-02-29", "（2023）豫1221行初2号"),
        ("litigation.csv", "24", "region_code", "419999", "（2024）豫1299行初1号"),
        ("litigation.csv", "25", "closed_date", "2024-04-01", "（2024）豫1221行初6号"),
        ("reconsideration.csv", "13", "decision", "维持", "三政复〔2024〕12号"),
        ("penalty.csv", "11", "decided_date", "2025-04-01", "卢市监罚〔2025〕2号"),
    ];
    let rejects = dir.rejects(WH);
    let mut got: Vec<(String, String, String, String, Vec<String>)> = rejects
        .iter()
        .map(|r| {
            let file = std::path::Path::new(&r[0]).file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
            (file, r[1].to_string(), r[2].to_string(), r[3].to_string(), r.iter().skip(4).map(str::to_string).collect())
        })
        .collect();
    got.sort_by_key(|g| (g.0.clone(), g.1.parse::<u32>().unwrap_or(0)));
    let mut want: Vec<_> = expected.to_vec();
    want.sort_by_key(|w| (w.0, w.1.parse::<u32>().unwrap()));
    assert_eq!(
        got.iter().map(|g| (g.0.as_str(), g.1.as_str())).collect::<Vec<_>>(),
        want.iter().map(|w| (w.0, w.1)).collect::<Vec<_>>(),
        "rejected (file, line) differ; rejects: {got:#?}"
    );
    for (g, w) in got.iter().zip(&want) {
        assert!(g.2.contains(w.2), "{}:{} rejected in column '{}', expected {}", w.0, w.1, g.2, w.2);
        assert!(g.3.contains(w.3), "{}:{} reason '{}' should name '{}'", w.0, w.1, g.3, w.3);
        // The row is kept whole and unchanged: its key cell is there as written.
        assert!(g.4.iter().any(|c| c == w.4), "{}:{} row cells {:?} should contain {}", w.0, w.1, g.4, w.4);
        // ... with as many cells as the file's header.
        let header_len = fixture(w.0).lines().next().unwrap().split(',').count();
        assert_eq!(g.4.len(), header_len, "{}:{} rejected row should keep all its cells", w.0, w.1);
    }
}

/// The manifest's record for one ingested file (searched anywhere in the JSON, by file name).
fn find_file_record<'a>(v: &'a serde_json::Value, file: &str) -> Option<&'a serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("rows_read").is_some() && m.values().any(|x| x.as_str().is_some_and(|s| s == file || s.ends_with(&format!("/{file}"))))
            {
                return Some(v);
            }
            m.values().find_map(|x| find_file_record(x, file))
        }
        serde_json::Value::Array(a) => a.iter().find_map(|x| find_file_record(x, file)),
        _ => None,
    }
}

#[test]
fn county_level_under_sanmenxia_ytd() {
    let (dir, _) = ingested();
    let got = metrics(&dir, &["--period", "2024Q2", "--ytd", "--level", "county", "--parent", "411200"]);
    assert_matches_expected(&got, "expected_county_411200_2024Q2_ytd.csv");
}

#[test]
fn city_level_ytd_all_18_cities() {
    let (dir, _) = ingested();
    let got = metrics(&dir, &["--period", "2024Q2", "--ytd", "--level", "city"]);
    assert_matches_expected(&got, "expected_city_2024Q2_ytd.csv");
}

#[test]
fn province_level_half_year() {
    let (dir, _) = ingested();
    let got = metrics(&dir, &["--period", "2024H1", "--level", "province"]);
    assert_matches_expected(&got, "expected_province_2024H1.csv");
}

#[test]
fn township_level_under_sanmenxia_ytd() {
    let (dir, _) = ingested();
    let got = metrics(&dir, &["--period", "2024Q2", "--ytd", "--level", "township", "--parent", "411200"]);
    assert_matches_expected(&got, "expected_township_411200_2024Q2_ytd.csv");
}

#[test]
fn agencies_in_sanmenxia_counties_ytd() {
    let (dir, _) = ingested();
    let got = metrics(&dir, &["--period", "2024Q2", "--ytd", "--by", "agency", "--level", "county", "--parent", "411200"]);
    assert_matches_expected(&got, "expected_agency_county_411200_2024Q2_ytd.csv");
}
