//! Which ledger a file is, and which of its columns feed which canonical column. The header row
//! is the first of the top rows that carries every required column of some table; title rows
//! above it (a sheet's caption such as "2024年行政诉讼案件台账") are skipped.
use super::cells;
use super::raw::RawRow;
use crate::schema::{Column, Kind, LIKELY_MISS_WORDS, Need, Table};
use crate::{Error, Result};

/// How many rows from the top may precede the header (titles, blank lines, notes).
pub const HEADER_SEARCH_ROWS: usize = 10;

#[derive(Debug, Clone)]
pub struct Layout {
    pub table: Table,
    /// Index of the header record in `RawTable::records`.
    pub header_index: usize,
    pub header_line: u64,
    /// The file's header texts, as written.
    pub headers: Vec<String>,
    /// For each column of `table.columns()`: the file column that feeds it.
    pub sources: Vec<Option<usize>>,
    /// For each column of `table.columns()`: the header said the amounts are in 万元.
    pub in_wan: Vec<bool>,
    /// Headers that feed no column (序号, 备注 …), named in the manifest.
    pub ignored: Vec<String>,
    /// For each column of `table.columns()` without a source of its own: a file column that sets
    /// it by another reading (出庭负责人 → head_appeared), and how it is read.
    pub derived: Vec<Option<(usize, Kind)>>,
    /// Ignored headers that look like a column fuyuan reads (结案时间 spelled another way …).
    pub likely_misses: Vec<String>,
    /// File columns that name persons (被追责人, 责任人, 姓名 in a supervision ledger): never
    /// read, blanked in the rejects file, and named in the manifest as personal data.
    pub personal: Vec<usize>,
}

impl Layout {
    /// File columns whose text is never kept, not even in the rejects file (a head's name).
    pub fn unkept_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.derived.iter().flatten().filter(|(_, k)| *k == Kind::Presence).map(|(i, _)| *i)
    }
}

/// A header's base as matched: `X时间` is read as `X日期` (结案时间, 开庭时间, 收案时间).
fn base_of(h: &str) -> (String, Option<String>) {
    let (base, unit) = cells::header(h);
    match base.strip_suffix("时间") {
        Some(stem) if !stem.is_empty() => (format!("{stem}日期"), unit),
        _ => (base, unit),
    }
}

fn matches(column: &Column, base: &str) -> bool {
    column.name == base || column.headers.iter().any(|h| cells::header(h).0 == base)
}

/// Derived columns and likely misses among the ignored headers.
fn derive(table: Table, headers: &[String], sources: &[Option<usize>], ignored: &[String]) -> (Vec<Option<(usize, Kind)>>, Vec<String>) {
    let cols = table.columns();
    let mut derived = vec![None; cols.len()];
    let mut used = Vec::new();
    for d in table.derived() {
        let Some(ci) = cols.iter().position(|c| c.name == d.column) else { continue };
        let found = headers.iter().position(|h| d.headers.iter().any(|a| cells::header(a).0 == base_of(h).0));
        if let Some(fi) = found {
            used.push(headers[fi].trim().to_string());
            // The column's own header, when present, is what the clerk filled in for it.
            if sources[ci].is_none() {
                derived[ci] = Some((fi, d.kind));
            }
        }
    }
    let misses = ignored
        .iter()
        .filter(|h| !used.contains(h))
        .filter(|h| {
            let base = base_of(h).0;
            // A second alias of a column that is read (法院 beside 审理法院) is not a miss.
            !cols.iter().any(|c| matches(c, &base)) && LIKELY_MISS_WORDS.iter().any(|w| base.contains(w))
        })
        .cloned()
        .collect();
    (derived, misses)
}

/// Maps each header to the column it feeds in `table`; errors on a column fed twice.
type HeaderMap = (Vec<Option<usize>>, Vec<bool>, Vec<String>, Vec<usize>);

fn map_headers(table: Table, headers: &[String], file: &str, line: u64) -> Result<HeaderMap> {
    let cols = table.columns();
    let mut sources: Vec<Option<usize>> = vec![None; cols.len()];
    let mut in_wan = vec![false; cols.len()];
    let mut ignored: Vec<(usize, String)> = Vec::new();
    let mut personal = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let (base, unit) = base_of(h);
        if base.is_empty() {
            continue;
        }
        match cols.iter().position(|c| matches(c, &base)) {
            Some(ci) => {
                if let Some(prev) = sources[ci] {
                    // Two different aliases of one column (审理法院 and 法院, 裁判结果 and 结案方式):
                    // the more specific one — listed first in docs/ledgers.md — feeds it, the other
                    // is ignored. The same header twice is ambiguous and stops the file.
                    let (prev_rank, rank) = (alias_rank(&cols[ci], &base_of(&headers[prev]).0), alias_rank(&cols[ci], &base));
                    if prev_rank == rank {
                        return Err(Error::bad_file(
                            file,
                            line,
                            h.trim(),
                            format!("duplicate header: columns {} and {} both mean {}", prev + 1, i + 1, cols[ci].name),
                        ));
                    }
                    if rank > prev_rank {
                        ignored.push((i, h.trim().to_string()));
                        continue;
                    }
                    ignored.push((prev, headers[prev].trim().to_string()));
                }
                sources[ci] = Some(i);
                in_wan[ci] = unit.as_deref().is_some_and(|u| u.contains('万'));
            }
            None if table.is_personal_header(&base) => personal.push(i),
            None => ignored.push((i, h.trim().to_string())),
        }
    }
    ignored.sort();
    Ok((sources, in_wan, ignored.into_iter().map(|(_, h)| h).collect(), personal))
}

/// 0 for the canonical English name, then the documented Chinese headers in order.
fn alias_rank(column: &Column, base: &str) -> usize {
    if column.name == base {
        return 0;
    }
    column.headers.iter().position(|h| cells::header(h).0 == base).map(|p| p + 1).unwrap_or(usize::MAX)
}

fn header_texts(row: &RawRow) -> Vec<String> {
    row.cells.iter().map(|c| c.to_text()).collect()
}

fn missing_required(table: Table, sources: &[Option<usize>]) -> Vec<&'static Column> {
    table.columns().iter().zip(sources).filter(|(c, s)| c.need == Need::Required && s.is_none()).map(|(c, _)| c).collect()
}

fn describe(c: &Column) -> String {
    format!("{} ({})", c.headers[0], c.name)
}

pub fn detect(records: &[RawRow], forced: Option<Table>, file: &str) -> Result<Layout> {
    let candidates: Vec<Table> = match forced {
        Some(t) => vec![t],
        None => Table::ALL.to_vec(),
    };
    let mut first_header: Option<(usize, &RawRow)> = None;
    // Best failed attempt, for the error message: (matched columns, table, missing, line).
    let mut closest: Option<(usize, Table, Vec<&'static Column>, u64)> = None;
    for (idx, row) in records.iter().enumerate().filter(|(_, r)| r.cells.iter().any(|c| !c.is_empty())).take(HEADER_SEARCH_ROWS) {
        first_header.get_or_insert((idx, row));
        let headers = header_texts(row);
        let mut best: Option<(usize, Layout)> = None;
        for &table in &candidates {
            let (sources, in_wan, ignored, personal) = match map_headers(table, &headers, file, row.line) {
                Ok(m) => m,
                Err(e) => {
                    // A duplicate header only matters for the table the file turns out to be.
                    if forced.is_some() || missing_required(table, &map_headers_lenient(table, &headers)).is_empty() {
                        return Err(e);
                    }
                    continue;
                }
            };
            let matched = sources.iter().filter(|s| s.is_some()).count();
            let missing = missing_required(table, &sources);
            if missing.is_empty() {
                if best.as_ref().is_none_or(|(m, _)| matched > *m) {
                    let (derived, likely_misses) = derive(table, &headers, &sources, &ignored);
                    best = Some((
                        matched,
                        Layout {
                            table,
                            header_index: idx,
                            header_line: row.line,
                            headers: headers.clone(),
                            sources,
                            in_wan,
                            ignored,
                            derived,
                            likely_misses,
                            personal,
                        },
                    ));
                }
            } else if closest.as_ref().is_none_or(|(m, ..)| matched > *m) {
                closest = Some((matched, table, missing, row.line));
            }
        }
        if let Some((_, layout)) = best {
            return sub_header(records, layout, file);
        }
    }
    let Some((_, header)) = first_header else {
        return Err(Error::bad_file(file, 1, "-", "no header row: the file has no rows with text"));
    };
    match closest {
        Some((matched, table, missing, line)) if matched > 0 => {
            let names: Vec<String> = missing.iter().map(|c| describe(c)).collect();
            let what = if forced.is_some() {
                format!("not a {} ledger", table.name())
            } else {
                format!("unknown layout (closest: {})", table.name())
            };
            Err(Error::bad_file(file, line, names.join(", "), format!("{what}: missing required column {}", names.join(", "))))
        }
        _ => Err(Error::bad_file(
            file,
            header.line,
            "-",
            "unknown layout: the header row names no column of the litigation, reconsideration, penalty or supervision ledgers (use --table?)",
        )),
    }
}

/// A two-row header (a notice's table: 一审行政诉讼案件 merged over 收案, 审结, 败诉 …): when the row
/// right under the header names only columns of the table, at least one not yet mapped, its
/// texts replace the header's in their positions and the data starts below it.
fn sub_header(records: &[RawRow], layout: Layout, file: &str) -> Result<Layout> {
    let Some(next) = records.get(layout.header_index + 1) else { return Ok(layout) };
    let texts = header_texts(next);
    // A cell repeating the header above it is the same merged cell, read twice.
    let filled: Vec<(usize, &String)> = texts
        .iter()
        .enumerate()
        .filter(|(i, t)| !t.trim().is_empty() && layout.headers.get(*i).is_none_or(|h| h.trim() != t.trim()))
        .collect();
    let cols = layout.table.columns();
    let names_columns = !filled.is_empty() && filled.iter().all(|(_, t)| cols.iter().any(|c| matches(c, &cells::header(t).0)));
    let adds = filled
        .iter()
        .any(|(_, t)| cols.iter().position(|c| matches(c, &cells::header(t).0)).is_some_and(|ci| layout.sources[ci].is_none()));
    if !(names_columns && adds) {
        return Ok(layout);
    }
    let width = layout.headers.len().max(texts.len());
    let headers: Vec<String> = (0..width)
        .map(|i| match texts.get(i).filter(|t| !t.trim().is_empty()) {
            Some(t) => t.clone(),
            None => layout.headers.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let (sources, in_wan, ignored, personal) = map_headers(layout.table, &headers, file, next.line)?;
    let (derived, likely_misses) = derive(layout.table, &headers, &sources, &ignored);
    Ok(Layout {
        header_index: layout.header_index + 1,
        header_line: next.line,
        headers,
        sources,
        in_wan,
        ignored,
        personal,
        derived,
        likely_misses,
        ..layout
    })
}

fn map_headers_lenient(table: Table, headers: &[String]) -> Vec<Option<usize>> {
    let cols = table.columns();
    let mut sources = vec![None; cols.len()];
    for (i, h) in headers.iter().enumerate() {
        let (base, _) = base_of(h);
        if let Some(ci) = cols.iter().position(|c| matches(c, &base)) {
            sources[ci].get_or_insert(i);
        }
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read::Cell;

    fn row(line: u64, cells: &[&str]) -> RawRow {
        RawRow { line, cells: cells.iter().map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect() }
    }

    #[test]
    fn detects_each_table_from_chinese_headers() {
        let lit = [row(1, &["序号", "案号", "被告", "区划代码", "收案日期", "结案日期", "裁判结果"])];
        let l = detect(&lit, None, "f").unwrap();
        assert_eq!(l.table, Table::Litigation);
        assert_eq!(l.ignored, vec!["序号"]);
        let rec = [row(1, &["复议案号", "被申请人", "行政区划代码", "收案日期"])];
        assert_eq!(detect(&rec, None, "f").unwrap().table, Table::Reconsideration);
        let pen = [row(1, &["文号", "处罚机关", "区划代码", "决定日期", "罚款金额（万元）"])];
        let p = detect(&pen, None, "f").unwrap();
        assert_eq!(p.table, Table::Penalty);
        assert!(p.in_wan[6]);
    }

    #[test]
    fn headers_as_offices_write_them() {
        let rows = [row(
            1,
            &[
                "案号",
                "被诉行政机关",
                "行政区划代码",
                "立案日期",
                "结案时间",
                "判决结果",
                "开庭 时间",
                "负责人是否出庭应诉",
                "录入人",
                "一审结案日",
            ],
        )];
        let l = detect(&rows, None, "f").unwrap();
        let src = |name: &str| l.sources[l.table.columns().iter().position(|c| c.name == name).unwrap()];
        assert_eq!(src("closed_date"), Some(4));
        assert_eq!(src("outcome"), Some(5));
        assert_eq!(src("hearing_date"), Some(6));
        assert_eq!(src("head_appeared"), Some(7));
        assert_eq!(l.ignored, vec!["录入人", "一审结案日"]);
        assert_eq!(l.likely_misses, vec!["一审结案日"]);
        let rows = [row(1, &["案号", "被告（行政机关）", "所属地区", "收案时间", "出庭负责人及职务"])];
        let l = detect(&rows, None, "f").unwrap();
        let ha = l.table.columns().iter().position(|c| c.name == "head_appeared").unwrap();
        assert_eq!(l.derived[ha], Some((4, Kind::Presence)));
        assert!(l.likely_misses.is_empty(), "{:?}", l.likely_misses);
        assert_eq!(l.unkept_columns().collect::<Vec<_>>(), vec![4]);
    }

    #[test]
    fn reads_a_two_row_header_with_merged_group_cells() {
        let rows = [
            row(1, &["2024年全省各市行政诉讼情况", "", "", "", "", ""]),
            row(2, &["序号", "地区", "统计期间", "一审行政诉讼案件", "", "败诉率(%)"]),
            row(3, &["", "", "", "收案", "审结", ""]),
            row(4, &["1", "郑州市", "2024年度", "500", "480", "12.5"]),
        ];
        let l = detect(&rows, None, "f").unwrap();
        assert_eq!((l.table, l.header_index, l.header_line), (Table::Peers, 2, 3));
        let at = |name: &str| l.sources[Table::Peers.columns().iter().position(|c| c.name == name).unwrap()];
        assert_eq!(
            (at("region_code"), at("period"), at("filed"), at("concluded"), at("loss_rate")),
            (Some(1), Some(2), Some(3), Some(4), Some(5))
        );
        // Merged cells read into both rows (序号 above 序号) are one header cell.
        let filled_both = [
            row(1, &["序号", "地区", "统计期间", "一审行政诉讼案件", "一审行政诉讼案件"]),
            row(2, &["序号", "地区", "统计期间", "收案", "审结"]),
            row(3, &["1", "郑州市", "2024年度", "500", "480"]),
        ];
        let l = detect(&filled_both, None, "f").unwrap();
        assert_eq!((l.header_index, l.headers[3].as_str(), l.ignored.clone()), (1, "收案", vec!["序号".to_string()]));
        // A data row under a one-row header is not taken for a header.
        let plain = [row(1, &["地区", "统计期间", "收案"]), row(2, &["郑州市", "2024年度", "500"])];
        assert_eq!(detect(&plain, None, "f").unwrap().header_index, 0);
    }

    #[test]
    fn skips_a_title_row() {
        let rows = [row(1, &["2024年行政诉讼案件台账", "", ""]), row(2, &["案号", "被告", "区划代码", "立案日期"])];
        let l = detect(&rows, None, "f").unwrap();
        assert_eq!((l.header_index, l.header_line), (1, 2));
    }

    #[test]
    fn unknown_layout_and_duplicates_are_errors() {
        let e = detect(&[row(1, &["姓名", "年龄"])], None, "a.csv").unwrap_err().to_string();
        assert!(e.starts_with("a.csv: line 1, column -: unknown layout"), "{e}");
        let e = detect(&[row(1, &["案号", "被告", "区划代码"])], None, "a.csv").unwrap_err().to_string();
        assert!(e.contains("missing required column 立案日期 (filed_date)"), "{e}");
        let e = detect(&[row(1, &["案号", "被告", "区划代码", "立案日期", "案号"])], None, "a.csv").unwrap_err().to_string();
        assert!(e.contains("duplicate header"), "{e}");
    }

    #[test]
    fn the_more_specific_alias_wins() {
        let l =
            detect(&[row(1, &["案号", "法院", "被告", "区划代码", "收案日期", "立案日期", "结案方式", "裁判结果", "审理法院"])], None, "f")
                .unwrap();
        assert_eq!(l.table, Table::Litigation);
        let src = |name: &str| l.sources[l.table.columns().iter().position(|c| c.name == name).unwrap()];
        assert_eq!(src("court"), Some(8));
        assert_eq!(src("filed_date"), Some(5));
        assert_eq!(src("outcome"), Some(7));
        assert_eq!(l.ignored, vec!["法院", "收案日期", "结案方式"]);
        // 复议案号 beats 案号 in a reconsideration ledger that also records the later lawsuit's number.
        let r = detect(&[row(1, &["案号", "复议案号", "被申请人", "区划代码", "收案日期"])], None, "f").unwrap();
        assert_eq!(r.table, Table::Reconsideration);
        assert_eq!(r.sources[0], Some(1));
    }
}
