use std::collections::HashSet;

use super::*;

fn opts(dir: &Path, scale: u32, seed: u64) -> SampleOptions {
    SampleOptions { out: dir.to_path_buf(), scale, seed, today: ymd(2025, 6, 30) }
}

fn rows_of(report: &SampleReport, table: &str) -> u64 {
    report.files.iter().filter(|f| f.table == table).map(|f| f.rows).sum()
}

fn file<'a>(report: &'a SampleReport, name: &str) -> &'a SampleFile {
    report.files.iter().find(|f| f.path.file_name().is_some_and(|n| n == name)).unwrap_or_else(|| panic!("no {name}"))
}

/// Records of a UTF-8 CSV (BOM stripped) as (header, rows).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(path).unwrap();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ra = generate(&opts(a.path(), 1, 42)).unwrap();
    let rb = generate(&opts(b.path(), 1, 42)).unwrap();
    generate(&opts(c.path(), 1, 43)).unwrap();
    assert_eq!(ra.files.len(), 10);
    for f in &ra.files {
        let name = f.path.file_name().unwrap();
        assert_eq!(fs::read(&f.path).unwrap(), fs::read(b.path().join(name)).unwrap(), "{name:?} differs for the same seed");
    }
    assert_eq!(
        ra,
        SampleReport {
            files: rb.files.iter().map(|f| SampleFile { path: a.path().join(f.path.file_name().unwrap()), ..f.clone() }).collect()
        }
    );
    for name in ["litigation_2024.csv", "penalty_2023.csv", "reconsideration_2023_2024.xlsx"] {
        assert_ne!(fs::read(a.path().join(name)).unwrap(), fs::read(c.path().join(name)).unwrap(), "{name} same for another seed");
    }
}

#[test]
fn scale_one_counts_sizes_and_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let r = generate(&opts(dir.path(), 1, 1)).unwrap();
    let near = |got: u64, want: u64| (got as f64 - want as f64).abs() / (want as f64) < 0.08;
    // Litigation rows include the corrections file (≈3 % on top of the target).
    let lit = rows_of(&r, "litigation") - file(&r, "litigation_corrections_2024.csv").rows;
    assert!(near(lit, litigation_target(1)), "litigation {lit}");
    assert!(near(rows_of(&r, "reconsideration"), reconsideration_target(1)));
    assert!(near(rows_of(&r, "penalty"), penalty_target(1)));
    let corr = file(&r, "litigation_corrections_2024.csv").rows;
    assert!((60..=220).contains(&corr), "corrections {corr}");
    for f in &r.files {
        if f.table == "supervision" {
            // A city's supervision ledger has tens of rows: four bad ones are a larger share.
            assert!(f.bad_rows == 4 && f.rows >= 20, "{:?}: {} bad of {}", f.path, f.bad_rows, f.rows);
        // The province's per-city table (peers) is a clean notice: no deliberate bad rows.
        } else if f.table != "regions" && f.table != "peers" {
            assert!(f.bad_rows >= 2 && f.bad_rows * 20 < f.rows, "{:?}: {} bad of {}", f.path, f.bad_rows, f.rows);
        }
    }
    let total: u64 = r.files.iter().map(|f| fs::metadata(&f.path).unwrap().len()).sum();
    assert!((2_000_000..6_000_000).contains(&total), "scale 1 is {total} bytes");
}

#[test]
fn row_counts_scale() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let r1 = generate(&opts(a.path(), 1, 5)).unwrap();
    let r2 = generate(&opts(b.path(), 2, 5)).unwrap();
    for (table, want) in [("litigation", 2.0), ("reconsideration", 2.0), ("penalty", penalty_target(2) as f64 / penalty_target(1) as f64)] {
        let ratio = rows_of(&r2, table) as f64 / rows_of(&r1, table) as f64;
        assert!((ratio / want - 1.0).abs() < 0.1, "{table}: ratio {ratio}, want {want}");
    }
    assert_eq!(penalty_target(10), 10_050_000);
    assert!(generate(&opts(a.path(), 0, 5)).is_err());
}

#[test]
fn gbk_file_decodes_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    generate(&opts(dir.path(), 1, 9)).unwrap();
    let bytes = fs::read(dir.path().join("litigation_2024.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK file must not be valid UTF-8");
    let text = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes).expect("valid GBK");
    assert!(text.starts_with("序号,案号,法院,原告,被告行政机关"));
    assert!(text.contains("年") && text.contains("\r\n"));
    let rows = csv::Reader::from_reader(text.as_bytes()).records().count();
    assert!(rows > 1_000, "{rows} rows");
}

#[test]
fn keys_unique_dates_bounded_townships_present() {
    let dir = tempfile::tempdir().unwrap();
    let today = ymd(2024, 9, 30);
    let r = generate(&SampleOptions { out: dir.path().to_path_buf(), scale: 1, seed: 3, today }).unwrap();

    // Penalty: decision numbers unique except the deliberate re-entries; no good date after today.
    let mut seen = HashSet::new();
    let mut repeats = 0;
    let mut towns = 0;
    let mut after_today = 0;
    for (name, date_col, no_col, region_col, deleg_col) in [("penalty_2023.csv", 6, 1, 4, 11), ("penalty_2024.csv", 5, 1, 3, 10)] {
        let (_, rows) = read_csv(&dir.path().join(name));
        for row in rows {
            if !row[no_col].is_empty() && !seen.insert(row[no_col].clone()) {
                repeats += 1;
            }
            let d = row[date_col].replace(['/', '.'], "-");
            if parse_loose(&d).is_some_and(|d| d > today) {
                after_today += 1;
            }
            if row[region_col].len() == 9 && row[region_col].starts_with("4112") && !row[deleg_col].is_empty() {
                towns += 1;
            }
        }
    }
    let pen_bad: u64 = r.files.iter().filter(|f| f.table == "penalty").map(|f| f.bad_rows).sum();
    assert!(repeats < 60, "{repeats} repeated decision numbers");
    assert!(after_today <= pen_bad as usize, "{after_today} dates after today");
    assert!(towns >= 60, "{towns} township penalty cases in Sanmenxia");

    // Litigation 2024 (GBK): case numbers unique after bracket normalisation.
    let bytes = fs::read(dir.path().join("litigation_2024.csv")).unwrap();
    let text = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut keys = HashSet::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let k: String = rec[1]
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '(' | '〔' | '[' => '（',
                ')' | '〕' | ']' => '）',
                c => c,
            })
            .collect();
        if !k.is_empty() {
            assert!(keys.insert(k.clone()), "duplicate case number {k}");
        }
    }
}

fn parse_loose(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
}

#[test]
fn today_before_span_gives_headers_only() {
    let dir = tempfile::tempdir().unwrap();
    let r = generate(&SampleOptions { out: dir.path().to_path_buf(), scale: 1, seed: 1, today: ymd(2022, 1, 1) }).unwrap();
    for f in &r.files {
        if f.table != "regions" {
            assert_eq!((f.rows, f.bad_rows), (0, 0), "{:?}", f.path);
        }
    }
}
