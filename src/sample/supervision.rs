//! The supervision ledger (监督台账) of the sample city, Sanmenxia (411200), 2021–2024, in the form
//! the justice bureau's supervision section keeps it: an xlsx with a title row, alias headers
//! (文号, 监督类型, 被监督单位, 印发日期, 责任追究人数 …), a letter to several units written as one
//! row per unit with its number, kind and date in merged cells, action variants (行政执法监督意见书,
//! 意见书, 约谈会, 问责, 挂牌督办 …), late and overdue rectifications, a person column (被追责人)
//! that ingest must drop, and a few bad rows.
//!
//! It is consistent with the litigation and reconsideration samples because it reads them back:
//! each quarter, the Sanmenxia units with ≥ 2 first-instance losses or ≥ 2 corrections get a
//! letter (or an interview) early in the next quarter — most of them; about one in six gets
//! nothing (应发未发). Letters from 案卷评查 and 投诉举报 to other units fill 2021–2022, before the
//! case ledgers begin.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_xlsxwriter::{Format, Workbook};

use super::{Ctx, SampleFile, add_days, names, ymd};
use crate::ingest::read::{Cell, RawTable, is_workbook, read_file, read_workbook_sheets};
use crate::ingest::{caseno, cells, layout, vocab};
use crate::{Error, Result};

/// A unit: (agency name, region code).
type Unit = (String, String);

/// First-instance losses and reconsideration corrections per quarter (year, 0-based quarter) and
/// unit, read from the sample ledgers just written; and every Sanmenxia unit seen.
#[derive(Default)]
struct Seen {
    flags: BTreeMap<(i32, u32), BTreeMap<Unit, (u32, u32)>>,
    units: Vec<Unit>,
}

fn cell_date(c: &Cell) -> Option<NaiveDate> {
    match c {
        Cell::Date(d) => Some(*d),
        Cell::Number(f) => cells::excel_serial_to_date(*f),
        Cell::Text(t) => cells::date(t, ymd(2999, 12, 31)).ok(),
        _ => None,
    }
}

fn read_back(seen: &mut Seen, path: &Path, litigation: bool) -> Result<()> {
    // A workbook may hold a notes sheet and one ledger sheet per year: read every ledger sheet.
    let tables: Vec<RawTable> = if is_workbook(path) {
        read_workbook_sheets(path)?.into_iter().filter_map(|(_, t)| t.ok()).collect()
    } else {
        vec![read_file(path, None)?]
    };
    for raw in tables {
        let Ok(lay) = layout::detect(&raw.records, None, &path.display().to_string()) else { continue };
        read_back_table(seen, &raw, &lay, litigation);
    }
    Ok(())
}

fn read_back_table(seen: &mut Seen, raw: &RawTable, lay: &layout::Layout, litigation: bool) {
    let idx = |name: &str| lay.table.columns().iter().position(|c| c.name == name).and_then(|i| lay.sources[i]);
    let (agency, region, closed, result, key) = if litigation {
        (idx("defendant"), idx("region_code"), idx("closed_date"), idx("outcome"), idx("case_no"))
    } else {
        (idx("respondent"), idx("region_code"), idx("closed_date"), idx("decision"), idx("case_no"))
    };
    let get = |row: &[Cell], i: Option<usize>| i.and_then(|i| row.get(i)).cloned().unwrap_or(Cell::Empty);
    for rec in &raw.records[lay.header_index + 1..] {
        let row = &rec.cells;
        let Some(name) = cells::text(&get(row, agency).to_text()) else { continue };
        let Some(code) = cells::region_code(&get(row, region).to_text()) else { continue };
        if !code.starts_with("4112") {
            continue;
        }
        let unit = (name, code);
        if !seen.units.contains(&unit) {
            seen.units.push(unit.clone());
        }
        let Some(d) = cell_date(&get(row, closed)) else { continue };
        let text = get(row, result).to_text();
        let hit = if litigation {
            let first = caseno::parse(&get(row, key).to_text()).map(|c| c.is_first_instance()).unwrap_or(false);
            first
                && vocab::outcome(&text)
                    .is_some_and(|o| ["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "给付", "赔偿"].contains(&o))
        } else {
            vocab::decision(&text).is_some_and(|o| ["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行"].contains(&o))
        };
        if hit {
            let e = seen.flags.entry((d.year(), d.month0() / 3)).or_default().entry(unit).or_default();
            if litigation { e.0 += 1 } else { e.1 += 1 }
        }
    }
}

/// One ledger row before it is written.
struct Row {
    doc: String,
    action: &'static str,
    unit: Unit,
    issued: NaiveDate,
    source: &'static str,
    related: String,
    deadline: Option<NaiveDate>,
    rectified: Option<NaiveDate>,
    persons: Option<String>,
    named: String,
    referred: &'static str,
    note: &'static str,
}

const LETTER: &[&str] = &["行政执法监督意见书", "意见书", "监督意见书", "下发《行政执法监督意见书》"];
const INTERVIEW: &[&str] = &["约谈", "约谈会", "执法监督约谈", "约谈单位主要负责人"];
const ACCOUNTABILITY: &[&str] = &["责任追究", "追责", "问责"];
const URGE: &[&str] = &["督办", "督办函", "挂牌督办"];

fn one<'a>(rng: &mut ChaCha8Rng, v: &[&'a str]) -> &'a str {
    v[rng.random_range(0..v.len())]
}

/// The rectification of a document with a deadline: on time, late, or not (yet) reported.
fn rectify(rng: &mut ChaCha8Rng, issued: NaiveDate, deadline: NaiveDate, today: NaiveDate) -> (Option<NaiveDate>, &'static str) {
    let x: f64 = rng.random();
    let d = if x < 0.6 {
        add_days(deadline, -rng.random_range(0..((deadline - issued).num_days().max(1))))
    } else if x < 0.82 {
        add_days(deadline, rng.random_range(3..60))
    } else {
        return (None, "");
    };
    if d > today { (None, "") } else { (Some(d), if d > deadline { "逾期后完成整改" } else { "已按期整改" }) }
}

pub(super) fn write(ctx: &Ctx, out: &Path, rng: &mut ChaCha8Rng, ledgers: &[SampleFile]) -> Result<SampleFile> {
    let mut seen = Seen::default();
    for f in ledgers {
        match f.table {
            "litigation" => read_back(&mut seen, &f.path, true)?,
            "reconsideration" => read_back(&mut seen, &f.path, false)?,
            _ => {}
        }
    }
    let today = ctx.today;
    let mut rows: Vec<Row> = Vec::new();
    let mut seq: BTreeMap<(i32, &str), u32> = BTreeMap::new();
    let mut next_no = |year: i32, kind: &'static str| -> String {
        let n = seq.entry((year, kind)).or_insert(0);
        *n += 1;
        format!("三司{kind}〔{year}〕{n}号")
    };
    // 2021–2022: letters and interviews from file reviews and complaints (before the case ledgers).
    if !seen.units.is_empty() {
        for year in [2021, 2022] {
            for _ in 0..rng.random_range(4..7) {
                let issued = ymd(year, rng.random_range(3..12), rng.random_range(1..28));
                let letter = rng.random_bool(0.75);
                let doc = next_no(year, if letter { "监" } else { "约" });
                let n_units = if letter { rng.random_range(1..4) } else { 1 };
                for _ in 0..n_units {
                    let unit = seen.units[rng.random_range(0..seen.units.len())].clone();
                    let deadline = add_days(issued, rng.random_range(30..61));
                    let (rectified, note) = rectify(rng, issued, deadline, today);
                    rows.push(Row {
                        doc: doc.clone(),
                        action: one(rng, if letter { LETTER } else { INTERVIEW }),
                        unit,
                        issued,
                        source: one(rng, &["案卷评查", "投诉举报", "专项监督", "现场检查"]),
                        related: String::new(),
                        deadline: Some(deadline),
                        rectified,
                        persons: None,
                        named: String::new(),
                        referred: "",
                        note,
                    });
                }
            }
        }
    }
    // 2023–2024: each quarter's flagged units, supervised early in the next quarter.
    for (&(year, q), units) in &seen.flags {
        // Flagged units, and now and then a unit with a single loss or correction.
        let flagged: Vec<(&Unit, &(u32, u32))> = units.iter().filter(|(_, (l, c))| *l >= 2 || *c >= 2 || rng.random_bool(0.3)).collect();
        if flagged.is_empty() {
            continue;
        }
        let q_end = if q == 3 { ymd(year, 12, 31) } else { add_days(ymd(year, 3 * q + 4, 1), -1) };
        let issued = add_days(q_end, rng.random_range(10..45));
        if issued > today || issued > ctx.end + chrono::Duration::days(60) {
            continue;
        }
        let letter_no = next_no(issued.year(), "监");
        for (unit, &(lost, corrected)) in flagged {
            // About one in six flagged units gets nothing (应发未发).
            if rng.random_bool(0.17) {
                continue;
            }
            let interview = lost >= 4 || rng.random_bool(0.15);
            let deadline = add_days(issued, rng.random_range(30..91));
            let (rectified, note) = rectify(rng, issued, deadline, today);
            let source = if lost >= corrected {
                one(rng, &["败诉案件", "行政诉讼败诉"])
            } else {
                one(rng, &["复议纠错", "复议被纠错"])
            };
            rows.push(Row {
                doc: if interview { next_no(issued.year(), "约") } else { letter_no.clone() },
                action: one(rng, if interview { INTERVIEW } else { LETTER }),
                unit: unit.clone(),
                issued,
                source,
                related: String::new(),
                deadline: Some(deadline),
                rectified,
                persons: None,
                named: String::new(),
                referred: "",
                note,
            });
            // An overdue rectification is urged on (督办); some losses end in accountability.
            if rectified.is_none() && add_days(deadline, 20) <= today && rng.random_bool(0.5) {
                let urged = add_days(deadline, rng.random_range(5..20));
                let new_deadline = add_days(urged, 30);
                let (rect, note) = rectify(rng, urged, new_deadline, today);
                rows.push(Row {
                    doc: next_no(urged.year(), "督"),
                    action: one(rng, URGE),
                    unit: unit.clone(),
                    issued: urged,
                    source,
                    related: String::new(),
                    deadline: Some(new_deadline),
                    rectified: rect,
                    persons: None,
                    named: String::new(),
                    referred: "",
                    note,
                });
            }
            if (lost >= 2 && rng.random_bool(0.5)) || (corrected >= 2 && rng.random_bool(0.3)) {
                let when = add_days(issued, rng.random_range(20..80));
                if when <= today {
                    let n = rng.random_range(1..4u32);
                    let named: Vec<String> = (0..n).map(|_| officer(rng)).collect();
                    rows.push(Row {
                        doc: next_no(when.year(), "追"),
                        action: one(rng, ACCOUNTABILITY),
                        unit: unit.clone(),
                        issued: when,
                        source,
                        related: String::new(),
                        deadline: None,
                        rectified: None,
                        persons: Some(if rng.random_bool(0.5) { format!("{n}人") } else { n.to_string() }),
                        named: named.join("、"),
                        referred: if rng.random_bool(0.4) { "是" } else { "否" },
                        note: "",
                    });
                }
            }
        }
    }
    // File reviews (案卷评查) that ended in accountability, 2021–2022.
    for year in [2021, 2022] {
        for _ in 0..2 {
            let issued = ymd(year, rng.random_range(4..12), rng.random_range(1..28));
            if seen.units.is_empty() || issued > today {
                continue;
            }
            let n = rng.random_range(1..5u32);
            let named: Vec<String> = (0..n).map(|_| officer(rng)).collect();
            rows.push(Row {
                doc: next_no(year, "追"),
                action: one(rng, ACCOUNTABILITY),
                unit: seen.units[rng.random_range(0..seen.units.len())].clone(),
                issued,
                source: "案卷评查",
                related: String::new(),
                deadline: None,
                rectified: None,
                persons: Some(format!("{n}人")),
                named: named.join("、"),
                referred: if rng.random_bool(0.5) { "是" } else { "否" },
                note: "",
            });
        }
    }
    // A circular or two a year.
    for year in 2021..=2024 {
        let issued = ymd(year, 11, rng.random_range(1..28));
        if issued > today || seen.units.is_empty() {
            continue;
        }
        let unit = seen.units[rng.random_range(0..seen.units.len())].clone();
        rows.push(Row {
            doc: next_no(year, "通"),
            action: one(rng, &["通报批评", "全市通报批评"]),
            unit,
            issued,
            source: "专项监督",
            related: String::new(),
            deadline: None,
            rectified: None,
            persons: None,
            named: String::new(),
            referred: "",
            note: "",
        });
    }
    rows.sort_by(|a, b| (a.issued, &a.doc).cmp(&(b.issued, &b.doc)));
    let bad = bad_rows(&seen, rng, today);
    write_xlsx(&out.join("supervision_2021_2024.xlsx"), &rows, &bad)
}

/// An officer's full name, as the 被追责人 column holds it (never masked there: ingest drops it).
fn officer(rng: &mut ChaCha8Rng) -> String {
    loop {
        let n = names::person(rng);
        if !n.contains('某') {
            return n;
        }
    }
}

/// Deliberately bad rows: an action no one can read, a deadline before the issue date, a negative
/// person count, a missing document number.
fn bad_rows(seen: &Seen, rng: &mut ChaCha8Rng, today: NaiveDate) -> Vec<Row> {
    let Some(unit) = seen.units.first().cloned() else { return vec![] };
    let issued = ymd(2024, 6, 3).min(today);
    let base = |doc: &str, action: &'static str| Row {
        doc: doc.into(),
        action,
        unit: unit.clone(),
        issued,
        source: "案卷评查",
        related: String::new(),
        deadline: None,
        rectified: None,
        persons: None,
        named: String::new(),
        referred: "",
        note: "",
    };
    let mut v = vec![
        base("三司监〔2024〕99号", "口头提醒"),
        base("三司监〔2024〕98号", "意见书"),
        base("三司追〔2024〕99号", "问责"),
        base("", "约谈"),
    ];
    v[1].deadline = Some(add_days(issued, -rng.random_range(1..30)));
    v[2].persons = Some("-1".into());
    v[2].named = officer(rng);
    v
}

const HEADERS: [&str; 14] = [
    "序号",
    "文号",
    "监督类型",
    "被监督单位",
    "区划代码",
    "印发日期",
    "线索来源",
    "关联案号",
    "整改期限",
    "整改完成日期",
    "责任追究人数",
    "被追责人",
    "是否移送",
    "整改情况",
];

fn write_xlsx(path: &PathBuf, rows: &[Row], bad: &[Row]) -> Result<SampleFile> {
    let xl = |e: rust_xlsxwriter::XlsxError| Error::Other(format!("{}: {e}", path.display()));
    let mut wb = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 1).map_err(xl)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created).set_author("fuyuan sample"));
    let ws = wb.add_worksheet();
    ws.set_name("监督台账").map_err(xl)?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let merged = Format::new().set_align(rust_xlsxwriter::FormatAlign::VerticalCenter);
    ws.write_string(0, 0, "三门峡市司法局行政执法监督台账（2021—2024年）").map_err(xl)?;
    for (i, h) in HEADERS.iter().enumerate() {
        ws.write_string(1, i as u16, *h).map_err(xl)?;
    }
    let all: Vec<&Row> = rows.iter().chain(bad).collect();
    let mut r = 2u32;
    let mut i = 0;
    while i < all.len() {
        // A letter to several units: one row per unit, number, kind and date merged over them.
        let mut j = i + 1;
        while j < all.len()
            && !all[i].doc.is_empty()
            && all[j].doc == all[i].doc
            && all[j].issued == all[i].issued
            && all[j].action == all[i].action
        {
            j += 1;
        }
        let first = r;
        for (k, row) in all[i..j].iter().enumerate() {
            let y = first + k as u32;
            ws.write_number(y, 0, f64::from(y - 1)).map_err(xl)?;
            ws.write_string(y, 3, &row.unit.0).map_err(xl)?;
            ws.write_string(y, 4, &row.unit.1).map_err(xl)?;
            ws.write_string(y, 6, row.source).map_err(xl)?;
            if !row.related.is_empty() {
                ws.write_string(y, 7, &row.related).map_err(xl)?;
            }
            if let Some(d) = row.deadline {
                ws.write_datetime_with_format(y, 8, &excel_date(d).map_err(xl)?, &date).map_err(xl)?;
            }
            if let Some(d) = row.rectified {
                ws.write_datetime_with_format(y, 9, &excel_date(d).map_err(xl)?, &date).map_err(xl)?;
            }
            if let Some(p) = &row.persons {
                ws.write_string(y, 10, p).map_err(xl)?;
            }
            if !row.named.is_empty() {
                ws.write_string(y, 11, &row.named).map_err(xl)?;
            }
            if !row.referred.is_empty() {
                ws.write_string(y, 12, row.referred).map_err(xl)?;
            }
            if !row.note.is_empty() {
                ws.write_string(y, 13, row.note).map_err(xl)?;
            }
        }
        let last = first + (j - i) as u32 - 1;
        let row = all[i];
        if last > first {
            ws.merge_range(first, 1, last, 1, &row.doc, &merged).map_err(xl)?;
            ws.merge_range(first, 2, last, 2, row.action, &merged).map_err(xl)?;
            ws.merge_range(first, 5, last, 5, &row.issued.to_string(), &merged).map_err(xl)?;
        } else {
            if !row.doc.is_empty() {
                ws.write_string(first, 1, &row.doc).map_err(xl)?;
            }
            ws.write_string(first, 2, row.action).map_err(xl)?;
            ws.write_datetime_with_format(first, 5, &excel_date(row.issued).map_err(xl)?, &date).map_err(xl)?;
        }
        r = last + 1;
        i = j;
    }
    wb.save(path).map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    Ok(SampleFile { path: path.clone(), table: "supervision", rows: all.len() as u64, bad_rows: bad.len() as u64 })
}

fn excel_date(d: NaiveDate) -> std::result::Result<rust_xlsxwriter::ExcelDateTime, rust_xlsxwriter::XlsxError> {
    rust_xlsxwriter::ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}
