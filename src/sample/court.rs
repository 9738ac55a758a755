//! The court's list of administrative cases (法院收结案清单) for the sample city's basic and
//! intermediate courts (豫12, 豫12xx) for 2024, derived from the litigation sample as the court
//! would record it: the same cases, with a realistic few per cent of the ways the agencies'
//! ledger departs from the court's record — cases the agencies did not report (about 3 %), ledger
//! cases the court list lacks (about 2 %), losses reported as 驳回 (concentrated in three
//! agencies), a head "appeared" whom the court's record does not show, and dates, names and
//! regions recorded differently (about 1 % each). Two deliberately bad rows.
//!
//! The litigation files just written are read back through ingest (a scratch warehouse inside
//! the output folder, removed afterwards), so the list follows the ledger's final state,
//! corrections included, without touching the litigation generator.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray};
use arrow::datatypes::Date32Type;
use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::sink::{Cell, Layout, Sink, Src};
use super::{Ctx, SANMENXIA_ADDITIONS, SampleFile, add_days, ymd};
use crate::ingest::{IngestOptions, ingest_files};
use crate::schema::Table;
use crate::schema::days_to_date;
use crate::warehouse::Warehouse;
use crate::{Error, Result};

/// The court's own header style (案由 and 承办庭室 are columns ingest ignores).
static LAYOUT: Layout = &[
    ("序号", Src::Seq),
    ("案号", Src::Seq),
    ("审理法院", Src::Seq),
    ("原告", Src::Seq),
    ("被告", Src::Seq),
    ("被告所属区划", Src::Seq),
    ("案由", Src::Remark),
    ("收案日期", Src::Seq),
    ("开庭日期", Src::Seq),
    ("结案日期", Src::Seq),
    ("结案方式", Src::Seq),
    ("负责人是否出庭", Src::Seq),
    ("承办庭室", Src::Remark),
];

const LOSS: [&str; 8] = ["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "给付", "赔偿"];
const CAUSES: [&str; 5] = ["行政处罚", "行政强制", "政府信息公开", "行政确认", "不履行法定职责"];

#[derive(Debug, Clone)]
struct Case {
    no: String,
    court: String,
    plaintiff: String,
    defendant: String,
    region: String,
    filed: NaiveDate,
    hearing: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    outcome: String,
    appeared: Option<bool>,
    court_code: String,
    year: i32,
}

/// The ledger's first-instance cases of the city's courts filed or closed in 2024.
fn ledger_cases(ctx: &Ctx, lit_files: &[PathBuf], scratch: &Path) -> Result<Vec<Case>> {
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch).map_err(|e| Error::io(scratch, e))?;
    let regions = scratch.join("regions.csv");
    std::fs::write(&regions, SANMENXIA_ADDITIONS).map_err(|e| Error::io(&regions, e))?;
    let wh_dir = scratch.join("warehouse");
    let opts = IngestOptions {
        warehouse: wh_dir.clone(),
        table: Some(Table::Litigation),
        sheet: None,
        regions: Some(regions),
        strict: false,
        today: ctx.today,
        phrases: Default::default(),
        progress: None,
    };
    ingest_files(lit_files, &opts)?;
    let wh = Warehouse::new(&wh_dir);
    let m = wh.require()?;
    let year = (ymd(2024, 1, 1), ymd(2024, 12, 31));
    let in_2024 = |d: Option<NaiveDate>| d.is_some_and(|d| d >= year.0 && d <= year.1);
    let mut out = Vec::new();
    for b in wh.read_batches(&m, "litigation")? {
        let text = |name: &str, i: usize| {
            let a = b.column_by_name(name).expect("litigation column").as_string::<i32>();
            if a.is_null(i) { String::new() } else { a.value(i).to_string() }
        };
        let date = |name: &str, i: usize| {
            let a = b.column_by_name(name).expect("litigation column").as_primitive::<Date32Type>();
            (!a.is_null(i)).then(|| days_to_date(a.value(i)))
        };
        let first = b.column_by_name("first_instance").expect("first_instance").as_boolean();
        let appeared = b.column_by_name("head_appeared").expect("head_appeared").as_boolean();
        for i in 0..b.num_rows() {
            let court_code = text("court_code", i);
            let filed = date("filed_date", i).expect("required");
            let closed = date("closed_date", i);
            if !first.value(i) || !court_code.starts_with("豫12") || !(in_2024(Some(filed)) || in_2024(closed)) {
                continue;
            }
            out.push(Case {
                no: text("case_no", i),
                court: text("court", i),
                plaintiff: text("plaintiff", i),
                defendant: text("defendant", i),
                region: text("region_code", i),
                filed,
                hearing: date("hearing_date", i),
                closed,
                outcome: text("outcome", i),
                appeared: (!appeared.is_null(i)).then(|| appeared.value(i)),
                year: filed.year(),
                court_code,
            });
        }
    }
    let _ = std::fs::remove_dir_all(scratch);
    out.sort_by(|a, b| a.no.cmp(&b.no));
    Ok(out)
}

pub(super) fn write(ctx: &Ctx, out: &Path, lit_files: &[PathBuf], rng: &mut ChaCha8Rng) -> Result<SampleFile> {
    let cases = ledger_cases(ctx, lit_files, &out.join(".court-scratch"))?;
    // The agencies that report losses as 驳回: three of those with the most closed 2024 cases.
    let mut closed_by: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases.iter().filter(|c| c.closed.is_some_and(|d| d.year() == 2024)) {
        *closed_by.entry(c.defendant.as_str()).or_default() += 1;
    }
    let mut busy: Vec<(&str, usize)> = closed_by.into_iter().filter(|(_, n)| *n >= 4).collect();
    busy.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    busy.truncate(12);
    busy.shuffle(rng);
    let under: Vec<String> = busy.iter().take(3).map(|(d, _)| d.to_string()).collect();

    let mut list: Vec<Case> = Vec::new();
    for c in &cases {
        if rng.random_bool(0.02) {
            continue; // in the ledger only
        }
        let mut k = c.clone();
        let not_lost = k.closed.is_some() && !LOSS.contains(&k.outcome.as_str());
        let p_loss = if under.contains(&k.defendant) { 0.45 } else { 0.01 };
        if not_lost && rng.random_bool(p_loss) {
            k.outcome = ["撤销", "确认违法", "责令履行"][rng.random_range(0..3)].to_string();
        }
        if k.hearing.is_some() && k.appeared == Some(true) && rng.random_bool(0.03) {
            k.appeared = Some(false);
        }
        if let Some(d) = k.closed
            && rng.random_bool(0.012)
        {
            k.closed = Some(add_days(d, rng.random_range(1..10)).min(ctx.end));
        }
        if rng.random_bool(0.01) {
            k.filed = add_days(k.filed, -rng.random_range(1..6));
        }
        if rng.random_bool(0.01) {
            k.hearing = match k.hearing {
                Some(_) => None,
                None => Some(add_days(k.filed, rng.random_range(15..40)).min(k.closed.unwrap_or(ctx.end))),
            };
        }
        if rng.random_bool(0.01) && !k.defendant.starts_with("河南省") {
            k.defendant = format!("河南省{}", k.defendant);
        }
        if k.region.len() == 9 && rng.random_bool(0.05) {
            k.region.truncate(6);
        }
        list.push(k);
    }
    // Cases the agencies did not report: half from the under-reporting agencies, often lost.
    let extra = (cases.len() as f64 * 0.03).round() as usize;
    for i in 0..extra {
        let pool: Vec<&Case> = if i % 2 == 0 { cases.iter().filter(|c| under.contains(&c.defendant)).collect() } else { Vec::new() };
        let t = if pool.is_empty() { &cases[rng.random_range(0..cases.len().max(1))] } else { pool[rng.random_range(0..pool.len())] };
        let filed = add_days(ymd(2024, 1, 2), rng.random_range(0..300)).min(ctx.end);
        let closed = rng.random_bool(0.6).then(|| add_days(filed, rng.random_range(40..200))).filter(|d| *d <= ctx.end);
        let outcome = match closed {
            Some(_) => ["撤销", "确认违法", "驳回诉讼请求", "准予撤诉", "责令履行"][rng.random_range(0..5)].to_string(),
            None => String::new(),
        };
        list.push(Case {
            no: format!("（2024）{}行初{}号", t.court_code, 9001 + i),
            court: t.court.clone(),
            plaintiff: t.plaintiff.clone(),
            defendant: t.defendant.clone(),
            region: t.region.clone(),
            filed,
            hearing: closed.map(|c| add_days(filed, (c - filed).num_days() / 2)),
            closed,
            outcome,
            appeared: closed.map(|_| rng.random_bool(0.5)),
            court_code: t.court_code.clone(),
            year: 2024,
        });
    }
    list.sort_by(|a, b| {
        (a.court_code.as_str(), a.year, a.filed, a.no.as_str()).cmp(&(b.court_code.as_str(), b.year, b.filed, b.no.as_str()))
    });

    let path = out.join("court_2024.xlsx");
    let mut sink = Sink::xlsx(path.clone(), "行政案件收结案清单", None)?;
    sink.header(LAYOUT)?;
    let date = |d: Option<NaiveDate>| d.map(|d| Cell::Date(d, 0)).unwrap_or(Cell::Empty);
    let text = |s: &str| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) };
    let yes_no = |b: Option<bool>| match b {
        Some(true) => Cell::Text("是".into()),
        Some(false) => Cell::Text("否".into()),
        None => Cell::Empty,
    };
    let mut rows = 0u64;
    let mut write = |sink: &mut Sink, c: &Case, cause: &str, chamber: &str| -> Result<()> {
        rows += 1;
        sink.row(&[
            Cell::Num(rows as f64),
            text(&c.no),
            text(&c.court),
            text(&c.plaintiff),
            text(&c.defendant),
            text(&c.region),
            text(cause),
            date(Some(c.filed)),
            date(c.hearing),
            date(c.closed),
            text(&c.outcome),
            yes_no(c.appeared),
            text(chamber),
        ])
    };
    for c in &list {
        let cause = CAUSES[rng.random_range(0..CAUSES.len())];
        write(&mut sink, c, cause, "行政审判庭")?;
    }
    // Two bad rows: a case number without brackets, a closed date before the filing date (none
    // in a list with no case, e.g. `today` before 2024: headers only).
    let Some(mut bad) = list.first().cloned() else {
        sink.finish()?;
        return Ok(SampleFile { path, table: "court", rows: 0, bad_rows: 0 });
    };
    bad.no = format!("{}行初{}号", bad.court_code, 9901);
    write(&mut sink, &bad, "行政处罚", "行政审判庭")?;
    bad.no = format!("（2024）{}行初{}号", bad.court_code, 9902);
    bad.filed = ymd(2024, 6, 1).min(ctx.end);
    bad.closed = Some(add_days(bad.filed, -20));
    bad.outcome = "驳回诉讼请求".into();
    write(&mut sink, &bad, "行政处罚", "行政审判庭")?;
    sink.finish()?;
    Ok(SampleFile { path, table: "court", rows, bad_rows: 2 })
}
