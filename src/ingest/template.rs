//! `fuyuan template`: the ledger templates (台账模板) an office sends its agencies — one workbook
//! per ledger the agencies fill (litigation, reconsideration, penalty, supervision), written from
//! the same column list ingest reads (`src/schema.rs`): the canonical Chinese headers,
//! dropdowns for every vocabulary and for 是/否, date-formatted date columns, the required
//! columns marked, and a 填表说明 sheet with the filling rules.
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, FormatBorder, Formula, Note, Workbook,
};

use super::vocab;
use crate::schema::{Column, Kind, Need, Table};
use crate::{Error, Result};

/// The ledgers agencies fill in. The court's list comes from the court and the peers table from
/// the province's figures: neither is filled by an agency, so neither has a template.
pub const TABLES: [Table; 4] = [Table::Litigation, Table::Reconsideration, Table::Penalty, Table::Supervision];

/// Rows of the data sheet that carry the formats and dropdowns.
const ROWS: u32 = 5000;

/// The ledger's Chinese name (sheet and file name).
pub fn title(table: Table) -> &'static str {
    match table {
        Table::Litigation => "行政诉讼案件台账",
        Table::Reconsideration => "行政复议案件台账",
        Table::Penalty => "行政处罚案件台账",
        Table::Supervision => "行政执法监督台账",
        Table::Peers => "全省各市情况",
        Table::Court => "法院收结案清单",
    }
}

/// The header a template writes for a column: its first accepted header, with the unit for an
/// amount so that nobody fills in 万元.
pub fn header(column: &Column) -> String {
    match column.kind {
        Kind::Amount => format!("{}(元)", column.headers[0]),
        _ => column.headers[0].to_string(),
    }
}

/// The values a dropdown offers for a column, if it has one.
pub fn choices(column: &Column) -> Option<&'static [&'static str]> {
    match column.kind {
        Kind::Bool => Some(&["是", "否"]),
        Kind::Outcome => Some(vocab::OUTCOMES),
        Kind::Decision => Some(vocab::DECISIONS),
        Kind::Leniency => Some(vocab::LENIENCY),
        Kind::Action => Some(vocab::ACTIONS),
        Kind::Source => Some(vocab::SOURCES),
        _ => None,
    }
}

/// The filling rule of one column, in Chinese.
pub fn rule(table: Table, column: &Column) -> String {
    let what = match column.kind {
        Kind::Text => "文字".to_string(),
        Kind::Name => "姓名或名称（自然人姓名入库时自动隐去名字，如张三→张某）".to_string(),
        Kind::CaseNo => "案号，如（2024）豫1202行初15号".to_string(),
        Kind::Key => "编号，每行唯一；同一编号再次报送视为更正，以后报送的为准".to_string(),
        Kind::Region => "6位行政区划代码（如411202），或区划全称".to_string(),
        Kind::Date => "日期，如2024-03-01；不得早于1990-10-01，不得晚于填表当日".to_string(),
        Kind::Bool => "从下拉列表选择“是”或“否”".to_string(),
        Kind::Amount => "金额，单位元，数字，不小于0".to_string(),
        Kind::Count => "整数，不小于0".to_string(),
        Kind::CaseList => "关联案号，多个用顿号“、”分隔".to_string(),
        _ => match choices(column) {
            Some(values) => format!("从下拉列表选择：{}", values.join("、")),
            None => "文字".to_string(),
        },
    };
    let need = match column.need {
        Need::Required => "必填",
        Need::Optional => "选填",
        Need::IfClosed => "已结案（填写了结案日期）的必填",
    };
    let key = if table.key_columns().contains(&column.name) { "；本台账的唯一编号" } else { "" };
    format!("{need}；{what}{key}")
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Other(format!("template: {e}"))
}

/// Column letters for a 0-based index (A, B, …, Z, AA …).
fn letters(mut i: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// The template workbook for one ledger: the data sheet first (ingest reads it), then 填表说明,
/// then the hidden 选项 sheet the dropdowns read.
pub fn workbook(table: Table) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let columns = table.columns();
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_background_color(Color::RGB(0xDDEBF7));
    let required = head.clone().set_font_color(Color::Red);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    let amount = Format::new().set_num_format("0.00");

    // The lists live on a hidden sheet: a list longer than 255 characters cannot be inline.
    let mut lists: Vec<(u16, &'static [&'static str])> = Vec::new();
    {
        let ws = wb.add_worksheet().set_name(title(table)).map_err(xlsx)?;
        for (ci, c) in columns.iter().enumerate() {
            let ci = ci as u16;
            let h = header(c);
            let is_required = c.need != Need::Optional;
            ws.write_string_with_format(0, ci, &h, if is_required { &required } else { &head }).map_err(xlsx)?;
            ws.set_column_width(ci, (h.chars().count() as f64 * 2.2 + 2.0).max(12.0)).map_err(xlsx)?;
            let note = Note::new(rule(table, c)).set_author("fuyuan");
            ws.insert_note(0, ci, &note).map_err(xlsx)?;
            let rule_text = rule(table, c);
            let message: String = rule_text.chars().take(120).collect();
            let validation = match c.kind {
                Kind::Date => {
                    ws.set_column_format(ci, &date).map_err(xlsx)?;
                    let earliest = ExcelDateTime::from_ymd(1990, 10, 1).map_err(xlsx)?;
                    Some(DataValidation::new().allow_date(DataValidationRule::GreaterThanOrEqualTo(earliest)))
                }
                Kind::Amount => {
                    ws.set_column_format(ci, &amount).map_err(xlsx)?;
                    Some(DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)))
                }
                Kind::Count => Some(DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))),
                Kind::CaseNo | Kind::Key | Kind::Region | Kind::CaseList => {
                    ws.set_column_format(ci, &text).map_err(xlsx)?;
                    None
                }
                _ => choices(c).map(|values| {
                    let col = letters(lists.len() as u16);
                    lists.push((ci, values));
                    DataValidation::new().allow_list_formula(Formula::new(format!("='选项'!${col}$2:${col}${}", values.len() + 1)))
                }),
            };
            if let Some(v) = validation {
                let v = v
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_title("填写有误")
                    .map_err(xlsx)?
                    .set_error_message(&message)
                    .map_err(xlsx)?
                    .set_input_title(h.chars().take(30).collect::<String>())
                    .map_err(xlsx)?
                    .set_input_message(&message)
                    .map_err(xlsx)?;
                ws.add_data_validation(1, ci, ROWS, ci, &v).map_err(xlsx)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    }
    {
        let ws = wb.add_worksheet().set_name("填表说明").map_err(xlsx)?;
        let bold = Format::new().set_bold();
        let lines = [
            format!("{}填表说明", title(table)),
            "1. 请在第一个工作表填写，每个案件（事项）一行；不要修改、删除或调换表头，不要合并单元格。".to_string(),
            "2. 红色表头为必填列；“已结案的必填”指填写了结案日期的行必须填写该列。".to_string(),
            "3. 日期请填写为日期（如2024-03-01），不得早于1990-10-01，也不得晚于填表当日。".to_string(),
            "4. 带下拉箭头的列请从下拉列表中选择，不要自行输入其他说法。".to_string(),
            "5. 金额单位为元，只填数字。".to_string(),
            "6. 行政区划代码填写6位代码（如411202）或区划全称。".to_string(),
            "7. 同一编号再次报送视为更正，以后报送的为准；不符合规则的行会被退回并注明原因，请按原因更正后重新报送。".to_string(),
        ];
        ws.set_column_width(0, 24).map_err(xlsx)?;
        ws.set_column_width(1, 12).map_err(xlsx)?;
        ws.set_column_width(2, 90).map_err(xlsx)?;
        let mut row = 0;
        for (i, l) in lines.iter().enumerate() {
            if i == 0 {
                ws.write_string_with_format(row, 0, l, &bold).map_err(xlsx)?;
            } else {
                ws.write_string(row, 0, l).map_err(xlsx)?;
            }
            row += 1;
        }
        row += 1;
        for (ci, h) in ["列名", "是否必填", "填写要求"].iter().enumerate() {
            ws.write_string_with_format(row, ci as u16, *h, &bold).map_err(xlsx)?;
        }
        for c in columns {
            row += 1;
            let need = match c.need {
                Need::Required => "必填",
                Need::Optional => "选填",
                Need::IfClosed => "已结案的必填",
            };
            ws.write_string(row, 0, header(c)).map_err(xlsx)?;
            ws.write_string(row, 1, need).map_err(xlsx)?;
            ws.write_string(row, 2, rule(table, c)).map_err(xlsx)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("选项").map_err(xlsx)?;
        for (li, (ci, values)) in lists.iter().enumerate() {
            let li = li as u16;
            ws.write_string(0, li, header(&columns[*ci as usize])).map_err(xlsx)?;
            for (r, v) in values.iter().enumerate() {
                ws.write_string(r as u32 + 1, li, *v).map_err(xlsx)?;
            }
        }
        ws.set_hidden(true);
    }
    Ok(wb)
}

/// The file a ledger's template is written to.
pub fn file_name(table: Table) -> String {
    format!("{}_{}模板.xlsx", table.name(), title(table))
}

/// Writes every template into `dir`; returns the files written.
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut out = Vec::new();
    for table in TABLES {
        let path = dir.join(file_name(table));
        workbook(table)?.save(&path).map_err(|e| Error::Other(format!("{}: {e}", path.display())))?;
        out.push(path);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }

    #[test]
    fn every_template_header_is_read_back_as_its_column() {
        for table in TABLES {
            for c in table.columns() {
                let (base, _) = crate::ingest::cells::header(&header(c));
                assert!(c.headers.iter().any(|h| crate::ingest::cells::header(h).0 == base), "{}: {}", table.name(), c.name);
            }
        }
    }
}
