//! `fuyuan reconcile`: the court's list against the agencies' ledger — the discrepancy list, its
//! per-region summary, and the list as a workbook the office sends back to the units (one sheet
//! per county, or per agency), every text cell formula-safe.
use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use crate::engine::{Engine, Period};
use crate::output::{Rows, Value, neutralise};
use crate::warehouse::regions::{Level, Regions};
use crate::{Error, Result};

/// The kinds in the office's words (the workbook is read by the units, not by scripts).
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "missing_in_ledger" => "法院有、台账未报（漏报）",
        "missing_in_court" => "台账有、法院清单无",
        "mismatch" => "信息不一致",
        "loss_not_reported" => "败诉未如实报送",
        other => other,
    }
}

/// The compared fields in the office's words.
pub fn field_label(field: &str) -> &str {
    match field {
        "defendant" => "被告",
        "region_code" => "行政区划代码",
        "filed_date" => "立案日期",
        "closed_date" => "结案日期",
        "outcome" => "裁判结果",
        "hearing_date" => "开庭日期",
        "head_appeared" => "负责人出庭",
        other => other,
    }
}

/// The county-level unit a region lies in (itself when it is one); a city-level code (a city
/// department) stays itself.
fn county_of<'a>(regions: &'a Regions, code: &'a str) -> (String, String) {
    let mut cur = regions.get(code);
    let mut hops = 0;
    while let Some(r) = cur {
        if r.level <= Level::County {
            return (r.code.clone(), r.name.clone());
        }
        cur = r.parent_code.as_deref().and_then(|p| regions.get(p));
        hops += 1;
        if hops > 16 {
            break;
        }
    }
    (code.to_string(), code.to_string())
}

/// Excel refuses `[]:*?/\` in sheet names, more than 31 characters and two sheets of one name
/// (compared without case).
fn unique_sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = name.chars().map(|c| if "[]:*?/\\'".contains(c) { '_' } else { c }).collect();
    let base: String = cleaned.trim().chars().take(31).collect();
    let base = if base.is_empty() { "sheet".to_string() } else { base };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.to_lowercase() == candidate.to_lowercase()) {
        let suffix = format!("({n})");
        candidate = format!("{}{suffix}", base.chars().take(31 - suffix.chars().count()).collect::<String>());
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

fn xl(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Other(format!("{}: writing the reconciliation workbook: {e}", path.display()))
}

/// The list as a workbook: one sheet per county-level unit (by the row's region_code), or per
/// agency (defendant) with `by_agency`; a first sheet 汇总 counts each sheet's rows by kind.
pub fn write_workbook(rows: &Rows, regions: &Regions, period: &Period, by_agency: bool, path: &Path) -> Result<()> {
    let text = |r: &Vec<Value>, i: usize| r.get(i).map(|v| v.plain()).unwrap_or_default();
    let (ci, ri, di, ki, fi, li, oi) = (0, 1, 2, 3, 4, 5, 6);
    let mut groups: BTreeMap<(String, String), Vec<&Vec<Value>>> = BTreeMap::new();
    for r in &rows.rows {
        let key = if by_agency { (text(r, ri), text(r, di)) } else { county_of(regions, &text(r, ri)) };
        groups.entry(key).or_default().push(r);
    }
    let mut wb = Workbook::new();
    let border = Format::new().set_border(FormatBorder::Thin);
    let header = border.clone().set_bold().set_background_color(Color::RGB(0xD9E1F2));
    let title = Format::new().set_bold().set_font_size(14);
    let span = period.span().replace("..", "至");
    let mut taken = Vec::new();

    let sheet = wb.add_worksheet();
    let name = unique_sheet_name("汇总", &mut taken);
    sheet.set_name(&name).map_err(xl(path))?;
    sheet.write_with_format(0, 0, format!("行政诉讼案件府院数据核对汇总（{span}）"), &title).map_err(xl(path))?;
    let kinds = ["missing_in_ledger", "missing_in_court", "mismatch", "loss_not_reported"];
    let mut heads = vec![if by_agency { "行政机关" } else { "县(市、区)" }, "区划代码", "差异条数"];
    heads.extend(kinds.iter().map(|k| kind_label(k)));
    for (c, h) in heads.iter().enumerate() {
        sheet.write_with_format(2, c as u16, *h, &header).map_err(xl(path))?;
    }
    for (i, ((code, name), list)) in groups.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_with_format(row, 0, neutralise(name), &border).map_err(xl(path))?;
        sheet.write_with_format(row, 1, neutralise(code), &border).map_err(xl(path))?;
        sheet.write_with_format(row, 2, list.len() as f64, &border).map_err(xl(path))?;
        for (k, kind) in kinds.iter().enumerate() {
            let n = list.iter().filter(|r| text(r, ki) == *kind).count();
            sheet.write_with_format(row, 3 + k as u16, n as f64, &border).map_err(xl(path))?;
        }
    }
    sheet.set_column_width(0, 30).map_err(xl(path))?;
    sheet.set_column_width(1, 12).map_err(xl(path))?;

    let heads = ["案号", "行政区划代码", "被告", "差异类型", "字段", "台账报送", "法院清单"];
    let widths = [30.0, 12.0, 30.0, 24.0, 12.0, 16.0, 16.0];
    for ((_, name), list) in &groups {
        let sheet = wb.add_worksheet();
        let sname = unique_sheet_name(name, &mut taken);
        sheet.set_name(&sname).map_err(xl(path))?;
        sheet.write_with_format(0, 0, neutralise(&format!("{name} 府院数据核对差异清单（{span}）")), &title).map_err(xl(path))?;
        for (c, h) in heads.iter().enumerate() {
            sheet.write_with_format(2, c as u16, *h, &header).map_err(xl(path))?;
            sheet.set_column_width(c as u16, widths[c]).map_err(xl(path))?;
        }
        for (i, r) in list.iter().enumerate() {
            let row = 3 + i as u32;
            let cells = [
                text(r, ci),
                text(r, ri),
                text(r, di),
                kind_label(&text(r, ki)).to_string(),
                field_label(&text(r, fi)).to_string(),
                text(r, li),
                text(r, oi),
            ];
            for (c, v) in cells.iter().enumerate() {
                sheet.write_with_format(row, c as u16, neutralise(v), &border).map_err(xl(path))?;
            }
        }
        sheet.set_freeze_panes(3, 0).map_err(xl(path))?;
    }
    wb.save(path).map_err(xl(path))?;
    Ok(())
}

/// The regions dimension of a warehouse (for the workbook's sheets).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(unique_sheet_name("a/b", &mut taken), "a_b");
        assert_eq!(unique_sheet_name("A_B", &mut taken), "A_B(2)");
        let long = "很".repeat(40);
        let n = unique_sheet_name(&long, &mut taken);
        assert_eq!(n.chars().count(), 31);
        let m = unique_sheet_name(&long, &mut taken);
        assert_eq!(m.chars().count(), 31);
        assert!(m.ends_with("(2)"));
        assert_eq!(unique_sheet_name("", &mut taken), "sheet");
    }
}

// ---------------------------------------------------------------------------------------------
// The briefing's and dashboard's reconciliation part (数据核对情况), present only when the court's
// list holds cases for the period.

/// The region's reconciliation counts (one `--summary` row) and each side's loss rate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default, PartialEq)]
pub struct ReconTotals {
    pub code: String,
    pub name: String,
    pub court_cases: i64,
    pub ledger_cases: i64,
    pub matched: i64,
    pub missing_in_ledger: i64,
    pub missing_in_court: i64,
    pub mismatched_cases: i64,
    pub loss_not_reported: i64,
    pub court_lost: i64,
    pub ledger_lost: i64,
}

/// An agency behind discrepancies.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default, PartialEq)]
pub struct ReconUnit {
    pub defendant: String,
    pub region_code: String,
    pub cases: i64,
    pub missing_in_ledger: i64,
    pub missing_in_court: i64,
    pub mismatched_cases: i64,
    pub loss_not_reported: i64,
}

/// One discrepancy, with the office's labels and the briefing sub-unit it lies in.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default, PartialEq)]
pub struct ReconRow {
    pub case_no: String,
    pub region_code: String,
    pub defendant: String,
    pub kind: String,
    pub kind_label: String,
    pub field: String,
    pub field_label: String,
    pub ledger_value: String,
    pub court_value: String,
    /// The briefing's sub-unit code (None: the region's own departments).
    pub unit: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default, PartialEq)]
pub struct Reconciliation {
    pub total: ReconTotals,
    pub court_concluded: i64,
    pub ledger_concluded: i64,
    pub court_loss_rate: Option<f64>,
    pub ledger_loss_rate: Option<f64>,
    /// One row per sub-unit of the briefing (counties of a city …).
    pub subunits: Vec<ReconTotals>,
    /// Agencies with discrepancies, most first.
    pub units: Vec<ReconUnit>,
    pub rows: Vec<ReconRow>,
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

fn totals(rows: &Rows) -> Vec<ReconTotals> {
    (0..rows.rows.len())
        .map(|i| {
            let g = |c: &str| rows.get(i, c);
            ReconTotals {
                code: g("region_code").plain(),
                name: g("region_name").plain(),
                court_cases: int_of(g("court_cases")),
                ledger_cases: int_of(g("ledger_cases")),
                matched: int_of(g("matched")),
                missing_in_ledger: int_of(g("missing_in_ledger")),
                missing_in_court: int_of(g("missing_in_court")),
                mismatched_cases: int_of(g("mismatched_cases")),
                loss_not_reported: int_of(g("loss_not_reported")),
                court_lost: int_of(g("court_lost")),
                ledger_lost: int_of(g("ledger_lost")),
            }
        })
        .collect()
}

/// The reconciliation part for a briefing of `region` with sub-units of `sub_level`; None when
/// the court's list holds no case for the period. `unit_of` names the sub-unit of a region code.
pub async fn for_briefing(
    engine: &Engine,
    region: &crate::warehouse::regions::Region,
    sub_level: Level,
    period: &Period,
    unit_of: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Reconciliation>> {
    if !engine.has_court_list(period).await? {
        return Ok(None);
    }
    let rows_of =
        |(schema, batches): (arrow::datatypes::SchemaRef, Vec<arrow::record_batch::RecordBatch>)| Rows::from_batches(&schema, &batches);
    let peers = totals(&rows_of(engine.reconcile_summary(period, region.level, region.parent_code.as_deref()).await?)?);
    let total = peers.into_iter().find(|t| t.code == region.code).unwrap_or_default();
    let subunits = totals(&rows_of(engine.reconcile_summary(period, sub_level, Some(&region.code)).await?)?);
    let rates = rows_of(engine.reconcile_rates(period, &region.code).await?)?;
    let side = |name: &str| (0..rates.rows.len()).find(|&i| rates.get(i, "side").plain() == name);
    let (court_i, ledger_i) = (side("court"), side("ledger"));
    let conc = |i: Option<usize>| i.map(|i| int_of(rates.get(i, "concluded"))).unwrap_or(0);
    let rate = |i: Option<usize>| i.and_then(|i| rates.get(i, "loss_rate").as_f64());
    let units_rows = rows_of(engine.reconcile_units(period, &region.code).await?)?;
    let units = (0..units_rows.rows.len())
        .map(|i| {
            let g = |c: &str| units_rows.get(i, c);
            ReconUnit {
                defendant: g("defendant").plain(),
                region_code: g("region_code").plain(),
                cases: int_of(g("cases")),
                missing_in_ledger: int_of(g("missing_in_ledger")),
                missing_in_court: int_of(g("missing_in_court")),
                mismatched_cases: int_of(g("mismatched_cases")),
                loss_not_reported: int_of(g("loss_not_reported")),
            }
        })
        .collect();
    let list = rows_of(engine.reconcile(period, Some(&region.code)).await?)?;
    let rows = (0..list.rows.len())
        .map(|i| {
            let g = |c: &str| list.get(i, c).plain();
            let code = g("region_code");
            ReconRow {
                unit: unit_of(&code),
                case_no: g("case_no"),
                defendant: g("defendant"),
                kind_label: kind_label(&g("kind")).to_string(),
                kind: g("kind"),
                field_label: field_label(&g("field")).to_string(),
                field: g("field"),
                ledger_value: g("ledger_value"),
                court_value: g("court_value"),
                region_code: code,
            }
        })
        .collect();
    Ok(Some(Reconciliation {
        total,
        court_concluded: conc(court_i),
        ledger_concluded: conc(ledger_i),
        court_loss_rate: rate(court_i),
        ledger_loss_rate: rate(ledger_i),
        subunits,
        units,
        rows,
    }))
}
