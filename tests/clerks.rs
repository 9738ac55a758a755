//! Ledgers as clerks write them (issue 10): outcome sentences, appellate outcomes, yes/no forms,
//! region names and statistical codes, header variants, workbooks with one sheet per county,
//! 合计 rows, the office's own phrasings in fuyuan.toml.
//!
//! `tests/fixtures/clerks/phrasings.tsv` is the corpus of phrasings: each line says how one
//! wording must be read (a canonical value, or why it is rejected).
mod util;

use fuyuan::ingest::vocab::{self, Phrases, Unreadable, Vocab};
use proptest::prelude::*;
use util::Dir;

const CORPUS: &str = include_str!("fixtures/clerks/phrasings.tsv");

fn vocab_of(name: &str) -> Vocab {
    match name {
        "outcome" => Vocab::Outcome,
        "appeal" => Vocab::AppealOutcome,
        "decision" => Vocab::Decision,
        "leniency" => Vocab::Leniency,
        other => panic!("corpus: unknown vocabulary {other}"),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn phrasing_corpus() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, line) in CORPUS.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "corpus line {}: three tab-separated fields", i + 1);
        let (vocab, phrase, want) = (vocab_of(f[0]), f[1], f[2]);
        n += 1;
        let got = vocab::read(vocab, phrase, &Phrases::default());
        let ok = match (want.strip_prefix('!'), &got) {
            (None, Ok(v)) => *v == want,
            (Some("unknown"), Err(Unreadable::Unknown { .. })) => true,
            (Some(w), Err(Unreadable::Ambiguous { candidates, .. })) if w.starts_with("ambiguous:") => {
                let want: Vec<String> = w["ambiguous:".len()..].split('|').map(str::to_string).collect();
                sorted(want) == sorted(candidates.iter().map(|c| c.to_string()).collect())
            }
            (Some(w), Err(Unreadable::AppellateOnFirstInstance { value, .. })) if w.starts_with("appellate:") => {
                *value == &w["appellate:".len()..]
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("line {}: {} '{phrase}': want {want}, got {got:?}", i + 1, f[0]));
        }
    }
    assert!(n >= 200, "the corpus has {n} phrasings; at least 200 wanted");
    assert!(failures.is_empty(), "{} of {n} phrasings read wrong:\n{}", failures.len(), failures.join("\n"));
}

/// A reject reason names what could not be read, and the candidates when there are several.
#[test]
fn reject_reasons_name_the_candidates() {
    let p = Phrases::default();
    let e = vocab::read(Vocab::Outcome, "撤销或确认违法", &p).unwrap_err().to_string();
    assert_eq!(e, "ambiguous outcome '撤销或确认违法': could be 撤销 or 确认违法");
    let e = vocab::read(Vocab::Outcome, "驳回上诉，维持原判", &p).unwrap_err().to_string();
    assert!(e.contains("appellate") && e.contains("驳回上诉维持原判") && e.contains("first instance"), "{e}");
    assert_eq!(vocab::read(Vocab::Decision, "已办结", &p).unwrap_err().to_string(), "unknown decision '已办结'");
}

fn spaced(s: &str, how: u8) -> String {
    match how % 4 {
        0 => s.to_string(),
        1 => format!(" {s} "),
        2 => s.chars().map(|c| format!("{c} ")).collect(),
        _ => format!("\u{3000}{s}。"),
    }
}

proptest! {
    /// Every canonical value, bare or after 判决/裁定/决定, spaced or not, reads as itself.
    #[test]
    fn canonical_values_and_their_forms_map_to_themselves(i in 0usize..64, prefix in 0usize..4, how in 0u8..4) {
        let p = Phrases::default();
        let lead = ["", "判决", "裁定", "决定"][prefix];
        for (vocab, values) in [
            (Vocab::Outcome, vocab::OUTCOMES),
            (Vocab::AppealOutcome, vocab::APPELLATE),
            (Vocab::Decision, vocab::DECISIONS),
        ] {
            let v = values[i % values.len()];
            prop_assert_eq!(vocab::read(vocab, &spaced(&format!("{lead}{v}"), how), &p), Ok(v));
        }
        let l = vocab::LENIENCY[i % vocab::LENIENCY.len()];
        prop_assert_eq!(vocab::read(Vocab::Leniency, &spaced(&format!("{lead}{l}"), how), &p), Ok(l));
    }
}

proptest! {
    /// Any text, in any vocabulary, is read or refused with a reason: never a panic, and a value
    /// read is always one of the vocabulary's.
    #[test]
    fn any_text_reads_or_is_refused(s in "[\\PC撤销确认违法驳回起诉请求或，；维持原判发回重审上诉不予履行责令]{0,30}") {
        let p = Phrases::default();
        for vocab in [Vocab::Outcome, Vocab::AppealOutcome, Vocab::Decision, Vocab::Leniency] {
            match vocab::read(vocab, &s, &p) {
                Ok(v) => prop_assert!(vocab.values().contains(&v), "{s:?} → {v}"),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
        let _ = fuyuan::ingest::cells::boolean(&s);
        let _ = fuyuan::ingest::cells::presence(&s);
    }
}

// ------------------------------------------------------------------ ledgers through the binary

const REGIONS: &str =
    "code,name,level,parent_code\n411282100,城关镇,township,411282\n411224100,城关镇,township,411224\n411202001,湖滨街道,township,411202\n";

fn sql(dir: &Dir, query: &str) -> Vec<Vec<String>> {
    let out = dir.command(&["sql", query, "--format", "csv", "--warehouse", "wh"]).stdout();
    util::parse_csv(&out).1
}

fn rejects_by_line(dir: &Dir) -> Vec<(String, String, String, String)> {
    dir.rejects("wh").iter().map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string(), r[3].to_string())).collect()
}

/// A ledger headed as an office heads it, with sentences, clerks' yes/no, names for regions,
/// 第 in a case number, a split case, a head's name column and a closing 合计 row.
#[test]
fn a_clerks_ledger_ingests_with_rejects_only_where_no_one_could_tell() {
    let dir = Dir::new();
    dir.create("regions.csv", REGIONS);
    let text = "\
案号,被诉行政机关,所属地区,立案时间,结案时间,判决结果,开庭 时间,出庭负责人及职务,是否出声,备注
（2024）豫1202行初第16号,三门峡市自然资源局,湖滨区,2024-01-05,2024-03-01,判决撤销被诉行政行为并责令重作,2024-02-01,王某某（副局长）,是,
（2024）豫12行初17号之一,三门峡市公安局,三门峡市湖滨区,2024-01-06,2024-03-02,确认违法但不撤销,2024-02-02,无,,
（2024）豫12行初17号,三门峡市公安局,411202000000,2024-01-06,2024-03-03,判决驳回原告的诉讼请求,2024-02-03,未出庭,,
（2024）豫1282行初3号,灵宝市城关镇人民政府,灵宝市城关镇,2024-01-07,2024-03-04,责令被告在六十日内履行职责,2024-02-04,委托代理人李某,,
（2024）豫1282行初4号,某镇人民政府,城关镇,2024-01-07,2024-03-04,撤销,,,,
（2024）豫1202行初5号,三门峡市人社局,411202001000,2024-01-08,2024-03-05,撤销或确认违法,,赵某某（局长）,,
（2024）豫1202行初6号,三门峡市人社局,湖滨区,2024-01-08,2024-03-05,驳回上诉，维持原判,,,,
（2024）豫12行终8号,三门峡市人社局,湖滨区,2024-04-08,2024-06-05,撤销原判，发回重审,,,,
合计,,,,,,,,,
";
    dir.create("lit.csv", text);
    let out = dir.command(&["ingest", "lit.csv", "--regions", "regions.csv", "--warehouse", "wh"]).stdout();
    assert!(out.contains("read 8 = accepted 5 + rejected 3"), "{out}");
    assert!(out.contains("total rows skipped (合计/总计): 1"), "{out}");
    let rows = sql(
        &dir,
        "SELECT case_no, region_code, outcome, CAST(head_appeared AS VARCHAR), CAST(head_spoke AS VARCHAR) FROM litigation ORDER BY case_no",
    );
    let want = [
        ["（2024）豫1202行初16号", "411202", "撤销", "true", "true"],
        ["（2024）豫1282行初3号", "411282100", "责令履行", "false", ""],
        ["（2024）豫12行初17号", "411202", "驳回诉讼请求", "false", ""],
        ["（2024）豫12行初17号之一", "411202", "确认违法", "false", ""],
        ["（2024）豫12行终8号", "411202", "发回重审", "", ""],
    ];
    assert_eq!(rows, want.iter().map(|r| r.iter().map(|s| s.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>());
    let rejects = rejects_by_line(&dir);
    assert_eq!(rejects.len(), 3, "{rejects:?}");
    let (_, line, column, reason) = &rejects[0];
    assert_eq!((line.as_str(), column.as_str()), ("6", "所属地区 (region_code)"));
    assert_eq!(reason, "ambiguous region name '城关镇': could be 411224100 卢氏县城关镇 or 411282100 灵宝市城关镇");
    assert_eq!(rejects[1].3, "ambiguous outcome '撤销或确认违法': could be 撤销 or 确认违法");
    assert_eq!(rejects[1].1, "7");
    assert!(rejects[2].3.contains("appellate") && rejects[2].1 == "8", "{:?}", rejects[2]);
    // The head's name is never stored, and the rejects keep it masked.
    let m = dir.manifest("wh");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!(f["total_rows"], 1);
    let rel = f["rejects_file"].as_str().unwrap();
    let text = dir.read(&format!("wh/{rel}"));
    assert!(text.contains("赵某（局长）") && !text.contains("赵某某"), "{text}");
    // The same case written with and without 第 is one case.
    dir.create(
        "lit2.csv",
        "案号,被告,区划代码,立案日期,结案日期,裁判结果\n（2024）豫1202行初16号,三门峡市自然资源局,411202,2024-01-05,2024-03-01,部分撤销\n",
    );
    let out = dir.command(&["ingest", "lit2.csv", "--warehouse", "wh"]).stdout();
    assert!(out.contains("replaced 1"), "{out}");
}

#[test]
fn unknown_region_names_and_village_codes_are_rejected() {
    let dir = Dir::new();
    dir.create(
        "rec.csv",
        "复议案号,被申请人,区划名称,收案日期\n三政复〔2024〕1号,某局,火星区,2024-01-05\n三政复〔2024〕2号,某局,411202001001,2024-01-05\n三政复〔2024〕3号,某局,灵宝市,2024-01-05\n三政复〔2024〕4号,某局,411202湖滨区,2024-01-05\n三政复〔2024〕5号,某局,411202 灵宝市,2024-01-05\n",
    );
    let out = dir.command(&["ingest", "rec.csv", "--warehouse", "wh"]).stdout();
    assert!(out.contains("read 5 = accepted 2 + rejected 3"), "{out}");
    let r = rejects_by_line(&dir);
    assert_eq!(r[0].3, "region '火星区' is neither a code nor a region name in the dimension");
    assert_eq!(r[1].3, "region code '411202001001' is not 6 or 9 digits (nor a 12-digit statistical code)");
    // A code with its own region's name is the code; with another region's name it is refused.
    assert_eq!(r[2].3, "region code '411202 灵宝市' is not 6 or 9 digits (nor a 12-digit statistical code)");
    assert_eq!(
        sql(&dir, "SELECT region_code FROM reconsideration ORDER BY case_no"),
        vec![vec!["411282".to_string()], vec!["411202".to_string()]]
    );
}

/// An ignored column that looks like a ledger column is named on stderr and in the manifest, and
/// `--strict` refuses it.
#[test]
fn likely_misses_are_named_and_strict_refuses_them() {
    let dir = Dir::new();
    let text = "案号,被告,区划代码,立案日期,一审结案日,负责人出庭\n（2024）豫1202行初1号,某局,411202,2024-01-05,2024-03-01,是\n";
    dir.create("lit.csv", text);
    let err = dir.command(&["ingest", "lit.csv", "--warehouse", "wh", "--strict"]).fails(4);
    assert!(err.contains("column '一审结案日' is ignored but looks like a ledger column"), "{err}");
    assert!(!dir.join("wh/manifest.json").exists());
    let o = dir.command(&["ingest", "lit.csv", "--warehouse", "wh"]).output();
    assert!(o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("warning: lit.csv: column '一审结案日' is ignored"), "{stderr}");
    assert_eq!(dir.manifest("wh")["ingests"][0]["files"][0]["likely_misses"][0], "一审结案日");
}

/// A workbook with one sheet per county and a 填表说明 sheet: every ledger sheet is read and
/// reported on its own line, the notes sheet is named as skipped, rejects name the sheet.
#[test]
fn every_ledger_sheet_of_a_workbook_is_read() {
    let dir = Dir::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let notes = wb.add_worksheet().set_name("填表说明").unwrap();
    notes.write_string(0, 0, "请按县区分表填写，结案日期为空表示未结").unwrap();
    let head = ["案号", "被告", "区划代码", "立案日期", "结案日期", "裁判结果"];
    let sheets: [(&str, &[[&str; 6]]); 2] = [
        ("湖滨区", &[["（2024）豫1202行初1号", "某局", "411202", "2024-01-05", "2024-03-01", "撤销"], ["合计", "", "", "", "", ""]]),
        (
            "陕州区",
            &[
                ["（2024）豫1203行初1号", "某局", "411203", "2024-01-05", "", ""],
                ["（2024）豫1203行初2号", "某局", "411203", "2024-01-05", "2024-02-01", "胜诉"],
            ],
        ),
    ];
    for (name, rows) in sheets {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        for (c, h) in head.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
                }
            }
        }
    }
    wb.save(dir.join("县区台账.xlsx")).unwrap();
    let out = dir.command(&["ingest", "县区台账.xlsx", "--warehouse", "wh"]).stdout();
    assert!(out.contains("(xlsx sheet 湖滨区), read 1 = accepted 1 + rejected 0"), "{out}");
    assert!(out.contains("(xlsx sheet 陕州区), read 2 = accepted 1 + rejected 1"), "{out}");
    assert!(out.contains("skipped sheet 填表说明: no ledger header"), "{out}");
    let r = rejects_by_line(&dir);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].0.as_str(), r[0].1.as_str()), ("县区台账.xlsx [陕州区]", "3"));
    assert_eq!(sql(&dir, "SELECT COUNT(*) FROM litigation"), vec![vec!["2".to_string()]]);
    // --sheet still picks one.
    let out = dir.command(&["ingest", "县区台账.xlsx", "--sheet", "湖滨区", "--warehouse", "wh2"]).stdout();
    assert!(out.contains("read 1 = accepted 1 + rejected 0") && !out.contains("陕州区"), "{out}");
}

/// The office's phrasings in fuyuan.toml come before the built-in rules, for `fuyuan ingest` too;
/// a phrase mapped outside the vocabulary is a usage error naming its line.
#[test]
fn office_phrasings_in_fuyuan_toml() {
    let dir = Dir::new();
    dir.create(
        "lit.csv",
        "案号,被告,区划代码,立案日期,结案日期,裁判结果\n（2024）豫1202行初1号,某局,411202,2024-01-05,2024-03-01,协调化解\n",
    );
    dir.create("fuyuan.toml", "[outcomes]\n\"协调化解\" = \"准予撤诉\"\n");
    dir.command(&["ingest", "lit.csv", "--warehouse", "wh"]).stdout();
    assert_eq!(sql(&dir, "SELECT outcome FROM litigation"), vec![vec!["准予撤诉".to_string()]]);
    dir.create("bad.toml", "[outcomes]\n\"协调化解\" = \"准予撤诉\"\n\n[decisions]\n\"纠正\" = \"胜诉\"\n");
    let err = dir.command(&["ingest", "lit.csv", "--warehouse", "wh3", "--config", "bad.toml"]).fails(2);
    assert!(err.contains("bad.toml: line 5:") && err.contains("'胜诉'"), "{err}");
}

/// Appeals are kept for SQL; the `appeals` view pairs an appeal with its first instance.
#[test]
fn appeals_view_finds_overturned_first_instance_cases() {
    let dir = Dir::new();
    let text = "\
案号,审理法院,被告,区划代码,立案日期,结案日期,裁判结果,原告
（2024）豫1202行初1号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-05,2024-03-01,驳回诉讼请求,张三
（2024）豫12行终8号,三门峡市中级人民法院,三门峡市自然资源局,411202,2024-04-08,2024-06-05,撤销一审判决，改判撤销被诉行政行为,张三
（2024）豫1202行初2号,湖滨区人民法院,三门峡市公安局,411202,2024-01-05,2024-03-01,驳回诉讼请求,李四
";
    dir.create("lit.csv", text);
    dir.command(&["ingest", "lit.csv", "--warehouse", "wh"]).stdout();
    let rows =
        sql(&dir, "SELECT case_no, outcome, first_instance_case_no, first_instance_outcome, CAST(overturned AS VARCHAR) FROM appeals");
    assert_eq!(
        rows,
        vec![vec!["（2024）豫12行终8号".to_string(), "改判".into(), "（2024）豫1202行初1号".into(), "驳回诉讼请求".into(), "true".into()]]
    );
}

// ------------------------------------------------------------------ docs/ledgers.md

/// The columns part of docs/ledgers.md, generated from `src/schema.rs`.
fn ledger_tables() -> String {
    use fuyuan::schema::{Kind, Need, Table};
    let kind = |k: Kind| match k {
        Kind::Text => "text",
        Kind::Name => "name (masked: 张三 → 张某)",
        Kind::CaseNo => "case number (canonical form)",
        Kind::Key => "key (trimmed, brackets kept)",
        Kind::Region => "region (code or name)",
        Kind::Date => "date",
        Kind::Bool => "yes/no",
        Kind::Amount => "amount (yuan, 2 decimals)",
        Kind::Outcome => "outcome",
        Kind::Decision => "decision",
        Kind::Leniency => "leniency",
        Kind::Presence => "a name read as yes/no",
        Kind::Action => "supervision action",
        Kind::Source => "problem source",
        Kind::CaseList => "case numbers (a list)",
        Kind::Count => "whole number ≥ 0",
        Kind::PeerRegion => "region (code or name; 合计/全省 = the province)",
        Kind::Period => "period or span",
        Kind::Rate => "rate (12.5% or 0.125)",
    };
    let need = |n: Need| match n {
        Need::Required => "yes",
        Need::Optional => "no",
        Need::IfClosed => "if closed",
    };
    let mut out = String::new();
    for t in Table::ALL {
        out.push_str(&format!("### {}\n\n| column | headers accepted | type | required |\n|---|---|---|---|\n", t.name()));
        for c in t.columns() {
            out.push_str(&format!("| {} | {} | {} | {} |\n", c.name, c.headers.join(", "), kind(c.kind), need(c.need)));
        }
        for d in t.derived() {
            out.push_str(&format!("| ({} when its own header is absent) | {} | {} | no |\n", d.column, d.headers.join(", "), kind(d.kind)));
        }
        out.push('\n');
    }
    out
}

const BEGIN: &str = "<!-- generated from src/schema.rs by tests/clerks.rs (FUYUAN_WRITE_DOCS=1 rewrites it): begin -->\n";
const END: &str = "<!-- generated: end -->";

#[test]
fn ledgers_doc_lists_every_header_of_the_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ledgers.md");
    let doc = std::fs::read_to_string(&path).expect("docs/ledgers.md");
    let (head, rest) = doc.split_once(BEGIN).expect("docs/ledgers.md has the generated-section marker");
    let (_, tail) = rest.split_once(END).expect("docs/ledgers.md has the end marker");
    let want = format!("{head}{BEGIN}{}{END}{tail}", ledger_tables());
    if std::env::var("FUYUAN_WRITE_DOCS").is_ok() {
        std::fs::write(&path, &want).unwrap();
    }
    assert!(doc == want, "docs/ledgers.md is out of date with src/schema.rs: run FUYUAN_WRITE_DOCS=1 cargo test --test clerks");
}

/// Clerks' ledgers of one county, every figure of its metrics row counted by hand
/// (tests/fixtures/clerks/README.md).
#[test]
fn clerks_fixture_metrics_by_hand() {
    let dir = Dir::new();
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clerks");
    for f in ["litigation.csv", "reconsideration.csv"] {
        std::fs::copy(here.join(f), dir.join(f)).unwrap();
    }
    let out = dir.command(&["ingest", "litigation.csv", "reconsideration.csv", "--warehouse", "wh"]).stdout();
    assert!(out.contains("litigation.csv: litigation (csv utf-8), read 11 = accepted 10 + rejected 1"), "{out}");
    assert!(out.contains("reconsideration.csv: reconsideration (csv utf-8), read 4 = accepted 4 + rejected 0"), "{out}");
    let csv = dir
        .command(&["metrics", "--period", "2024", "--level", "county", "--parent", "411200", "--format", "csv", "--warehouse", "wh"])
        .stdout();
    let (header, rows) = util::parse_csv(&csv);
    let row = rows.iter().find(|r| r[1] == "411202").expect("a 411202 row");
    let want = [
        ("period", "2024-01-01..2024-12-31"),
        ("region_name", "湖滨区"),
        ("filed", "6"),
        ("filed_prev", "3"),
        ("filed_yoy", "1"),
        ("concluded", "5"),
        ("lost", "3"),
        ("loss_rate", "0.6"),
        ("judgment_loss_rate", "0.75"),
        ("loss_rate_prev", "0.3333333333333333"),
        ("loss_rate_change_pp", "26.666666666666668"),
        ("double_decline", "false"),
        ("hearings", "5"),
        ("appeared", "3"),
        ("appearance_rate", "0.6"),
        ("spoke_rate", "0.6666666666666666"),
        ("required_appearance_rate", "0.6666666666666666"),
        ("recon_received", "4"),
        ("recon_concluded", "4"),
        ("recon_corrected", "2"),
        ("recon_correction_rate", "0.6666666666666666"),
        ("recon_sued_rate", "0.25"),
        ("penalty_cases", "0"),
        ("fines_yuan", "0.00"),
        ("confiscated_yuan", "0.00"),
        ("loss_rank", "1"),
    ];
    assert_eq!(header.len(), 27);
    for (col, value) in want {
        let i = header.iter().position(|h| h == col).unwrap_or_else(|| panic!("no column {col}"));
        let got = &row[i];
        let same = got == value
            || util::FLOAT_COLUMNS.contains(&col)
                && matches!((got.parse::<f64>(), value.parse::<f64>()), (Ok(a), Ok(b)) if (a - b).abs() < 1e-9);
        assert!(same, "{col}: got {got}, counted by hand {value}");
    }
    // The independent DuckDB implementation agrees on every cell of every county row.
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/metrics_duckdb.py");
    let o = std::process::Command::new("python3")
        .arg(script)
        .arg(dir.join("wh"))
        .args(["2024", "county", "--parent", "411200"])
        .output()
        .expect("run python3 (the reference needs `pip install duckdb`)");
    assert!(o.status.success(), "metrics_duckdb.py: {}", String::from_utf8_lossy(&o.stderr));
    let (ref_header, ref_rows) = util::parse_csv(&String::from_utf8(o.stdout).unwrap());
    assert_eq!(ref_header, header);
    assert_eq!(ref_rows.len(), rows.len());
    for (a, b) in rows.iter().zip(&ref_rows) {
        for (i, col) in header.iter().enumerate() {
            let same = a[i] == b[i]
                || util::FLOAT_COLUMNS.contains(&col.as_str())
                    && matches!((a[i].parse::<f64>(), b[i].parse::<f64>()), (Ok(x), Ok(y)) if (x - y).abs() < 1e-9);
            assert!(same, "{} {col}: fuyuan {} reference {}", a[1], a[i], b[i]);
        }
    }
}
