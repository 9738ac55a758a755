//! The Excel annex (附表): the briefing's tables as an editable workbook.
//!
//! One sheet per table, each with a title row naming the region, the period and its span, a bold
//! header row (frozen, with the name column), and the data. Counts are integers, rates numbers in
//! `0.00%`, changes in percentage points numbers in `0.00`, money numbers in `#,##0.00`; an
//! unknown value is an empty cell. Text that starts with `=`, `+`, `-` or `@` is prefixed with `'`
//! (`crate::output::neutralise`) so a name can never run as a formula. The last sheet, 统计口径,
//! explains every column.
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, IgnoreError, Workbook, Worksheet, XlsxError};

use super::model::{Briefing, DomainRow, Figures, Flag};
use super::township::Enforcement;
use crate::output::neutralise;
use crate::{Error, Result};

/// One cell's value, typed by how it is printed.
enum Cell {
    Text(String),
    Int(i64),
    OptInt(Option<i64>),
    Rate(Option<f64>),
    Pp(Option<f64>),
    /// Money as the model prints it ("1234.50"); written as a number.
    Money(String),
    YesNo(Option<bool>),
}

struct Col<'a, T> {
    header: &'a str,
    get: Box<dyn Fn(&T) -> Cell + 'a>,
}

fn col<'a, T>(header: &'a str, get: impl Fn(&T) -> Cell + 'a) -> Col<'a, T> {
    Col { header, get: Box::new(get) }
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    int: Format,
    rate: Format,
    pp: Format,
    money: Format,
    center: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
            text: cell.clone().set_align(FormatAlign::VerticalCenter),
            int: cell.clone().set_num_format("0"),
            rate: cell.clone().set_num_format("0.00%"),
            pp: cell.clone().set_num_format("0.00"),
            money: cell.clone().set_num_format("#,##0.00"),
            center: cell.clone().set_align(FormatAlign::Center),
            wrap: cell.set_text_wrap().set_align(FormatAlign::VerticalCenter),
        }
    }
}

fn xl(e: XlsxError) -> Error {
    Error::Other(format!("Excel annex: {e}"))
}

/// Display width in Excel's units (a CJK character counts two).
fn width_of(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

/// The Excel annex (附表): sheets 各县(市、区)排名 (b.subunits), 市直部门 (b.departments), 全部机关
/// (b.agencies), 全省各市 (b.peers), 领域分析 (b.by_domain), 监督建议 (b.flags), 统计口径 (a sheet
/// explaining each column in Chinese). Sheet names follow the briefing's level (a county's first
/// sheet is 各乡镇(街道)排名).
pub fn write_annex(b: &Briefing, path: &Path) -> Result<()> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    let span = format!("统计期间{}，同比期间{}", b.period.span.replace("..", "至"), b.period.prev_span.replace("..", "至"));
    let dept_word = format!("{}直部门", b.scope_word.chars().skip(1).collect::<String>());

    let sheet = sheet_name(&format!("{}排名", b.subunit_word));
    let title = format!("{}{}{}行政诉讼、复议和处罚情况（按败诉率由低到高排名；{}）", b.region_name, b.period.label, b.subunit_word, span);
    write_sheet(&mut wb, &f, &sheet, &title, &figure_cols("地区", true, false), &b.subunits)?;

    let title = format!("{}{}{}行政诉讼、复议和处罚情况（{}内排名；{}）", b.region_name, b.period.label, dept_word, dept_word, span);
    write_sheet(&mut wb, &f, &sheet_name(&dept_word), &title, &figure_cols("部门", true, false), &b.departments)?;

    let title = format!("{}{}全部行政机关情况（按败诉数由多到少；{}）", b.region_name, b.period.label, span);
    // Which sub-unit (county, or township) an agency belongs to; the region's own departments
    // read 市直 (县直 …).
    let unit_header = format!("所属{}", b.subunit_word.trim_start_matches('各'));
    let mut cols = figure_cols("行政机关", false, true);
    let direct = format!("{}直", b.scope_word.chars().skip(1).collect::<String>());
    let unit_name = move |a: &Figures| -> Cell {
        match &a.unit {
            Some(code) => Cell::Text(b.subunits.iter().find(|s| &s.code == code).map(|s| s.name.clone()).unwrap_or_else(|| code.clone())),
            None => Cell::Text(direct.clone()),
        }
    };
    cols.insert(1, col(&unit_header, unit_name));
    write_sheet(&mut wb, &f, "全部机关", &title, &cols, &b.agencies)?;

    let title = format!("{}{}行政诉讼、复议和处罚情况（按败诉率由低到高排名；{}）", b.period.label, b.peer_word, span);
    let mut cols = figure_cols("地区", true, false);
    // Reported figures (报送) beside computed ones (测算); a count the report left out is empty.
    for c in cols.iter_mut() {
        let field = match c.header {
            "发案量" => "filed",
            "上年同期" => "filed_prev",
            "审结" => "concluded",
            "败诉" => "lost",
            "开庭" => "hearings",
            "出庭" => "appeared",
            _ => continue,
        };
        let get = std::mem::replace(&mut c.get, Box::new(|_: &Figures| Cell::OptInt(None)));
        c.get = Box::new(move |f: &Figures| if f.blank.iter().any(|b| b == field) { Cell::OptInt(None) } else { get(f) });
    }
    cols.push(col("来源", |f: &Figures| Cell::Text(f.source.clone().unwrap_or_else(|| "测算".into()))));
    write_sheet(&mut wb, &f, &sheet_name(&b.peer_word), &title, &cols, &b.peers)?;
    // The peers' average under the ranking, as the briefing's text gives it.
    let notes = average_lines(b);
    if !notes.is_empty() {
        let ws = wb.worksheet_from_name(&sheet_name(&b.peer_word)).map_err(xl)?;
        for (i, line) in notes.iter().enumerate() {
            ws.write_string_with_format(b.peers.len() as u32 + 3 + i as u32, 0, line, &f.text).map_err(xl)?;
        }
    }

    let title = format!("{}{}败诉和复议纠错案件领域分布（{}）", b.region_name, b.period.label, span);
    write_sheet(&mut wb, &f, "领域分析", &title, &domain_cols(), &b.by_domain)?;

    let t = &b.thresholds;
    let title = format!(
        "{}{}需重点关注的行政机关（败诉{}件或复议纠错{}件以上制发监督意见书；败诉{}件以上或败诉率达{:.0}%且审结{}件以上约谈；{}）",
        b.region_name,
        b.period.label,
        t.letter_losses,
        t.letter_corrections,
        t.interview_losses,
        t.interview_loss_rate * 100.0,
        t.interview_min_concluded,
        span
    );
    write_sheet(&mut wb, &f, "监督建议", &title, &flag_cols(), &b.flags)?;

    if let Some(sup) = &b.supervision {
        write_supervision_sheets(&mut wb, &f, b, sup)?;
    }
    // 乡镇综合行政执法: every township (those with cases first, by cases), then the region's total.
    if let Some(t) = &b.township {
        let title = format!(
            "{}{}乡镇（街道）综合行政执法情况（按乡镇办理处罚案件数由多到少；统计期间{}；末行为{}合计）",
            b.region_name,
            b.period.label,
            b.period.span.replace("..", "至"),
            b.scope_word
        );
        let mut rows: Vec<Enforcement> = t.ranked.iter().chain(&t.without_cases).cloned().collect();
        rows.push(Enforcement { name: format!("{}合计", b.scope_word), ..t.current.clone() });
        write_sheet(&mut wb, &f, "乡镇执法", &title, &township_cols(), &rows)?;
    }
    // 数据核对: the court's list against the ledger, only when the court's list covers the period.
    if let Some(r) = &b.reconciliation {
        let title = format!(
            "{}{}府院数据核对：法院收结案清单与行政机关报送台账差异清单（法院清单{}件，台账{}件，败诉未如实报送{}件；{}）",
            b.region_name, b.period.label, r.total.court_cases, r.total.ledger_cases, r.total.loss_not_reported, span
        );
        write_sheet(&mut wb, &f, "数据核对", &title, &recon_cols(), &r.rows)?;
        let title = format!("{}{}府院数据核对：差异较多的单位（按差异案件数由多到少；{}）", b.region_name, b.period.label, span);
        write_sheet(&mut wb, &f, "数据核对_单位", &title, &recon_unit_cols(), &r.units)?;
    }

    write_definitions(&mut wb, &f, b, &span)?;
    wb.save(path).map_err(|e| Error::Other(format!("{}: writing the Excel annex: {e}", path.display())))?;
    Ok(())
}

/// The supervision sheets (行政执法监督情况): the figures this period and cumulatively, the overdue
/// list, the flagged units without action and the before/after comparison.
fn write_supervision_sheets(
    wb: &mut Workbook,
    f: &Formats,
    b: &Briefing,
    sup: &crate::report::supervision::SupervisionSection,
) -> Result<()> {
    use crate::report::supervision::{EffectRow, OverdueRow, SupervisionFigures, UnactedRow};
    let fig = |h: &'static str, g: fn(&SupervisionFigures) -> i64| col(h, move |x: &SupervisionFigures| Cell::Int(g(x)));
    let cols: Vec<Col<'_, SupervisionFigures>> = vec![
        col("期间", |x: &SupervisionFigures| Cell::Text(format!("{}（{}）", x.label, x.span.replace("..", "至")))),
        fig("监督意见书（份）", |x| x.letters),
        fig("意见书涉及单位", |x| x.letter_units),
        fig("督促限期整改单位", |x| x.rectification_units),
        fig("约谈（次）", |x| x.interviews),
        fig("约谈单位", |x| x.interview_units),
        fig("通报批评", |x| x.circulars),
        fig("责任追究事项", |x| x.accountability_actions),
        fig("追责人数", |x| x.persons_accountable),
        fig("移送纪检监察", |x| x.referred),
        fig("整改到期", |x| x.due),
        fig("按期整改", |x| x.rectified_on_time),
        fig("逾期后整改", |x| x.rectified_late),
        fig("逾期未整改", |x| x.overdue),
        fig("整改中未到期", |x| x.open_not_due),
        fig("达到发函标准单位", |x| x.flagged_units),
        fig("应发未发", |x| x.flagged_without_action),
    ];
    let title = format!("{}行政执法监督情况（本期和累计）", b.region_name);
    write_sheet(wb, f, "监督情况", &title, &cols, &[sup.this_period.clone(), sup.cumulative.clone()])?;

    let cols: Vec<Col<'_, OverdueRow>> = vec![
        col("单位", |x: &OverdueRow| Cell::Text(x.agency.clone())),
        col("所属地区", |x: &OverdueRow| Cell::Text(x.region_name.clone())),
        col("文书编号", |x: &OverdueRow| Cell::Text(x.doc_no.clone())),
        col("监督方式", |x: &OverdueRow| Cell::Text(x.action.clone())),
        col("下发日期", |x: &OverdueRow| Cell::Text(x.issued_date.clone())),
        col("整改期限", |x: &OverdueRow| Cell::Text(x.deadline.clone())),
        col("逾期天数", |x: &OverdueRow| Cell::Int(x.days_overdue)),
    ];
    let title = format!("{}逾期未整改事项（截至{}）", b.region_name, b.period.end);
    write_sheet(wb, f, "逾期未整改", &title, &cols, &sup.overdue)?;

    let cols: Vec<Col<'_, UnactedRow>> = vec![
        col("单位", |x: &UnactedRow| Cell::Text(x.agency.clone())),
        col("所属地区", |x: &UnactedRow| Cell::Text(x.region_name.clone())),
        col("败诉", |x: &UnactedRow| Cell::Int(x.lost)),
        col("复议纠错", |x: &UnactedRow| Cell::Int(x.corrected)),
    ];
    let title = format!("{}{}达到制发监督意见书标准、期末后90日内未采取监督措施的单位（应发未发）", b.region_name, b.period.label);
    write_sheet(wb, f, "应发未发", &title, &cols, &sup.unacted)?;

    let group = |x: &EffectRow| match x.group.as_str() {
        "supervised" => "被监督单位",
        "comparison" => "对照单位",
        _ => "差值（被监督−对照）",
    };
    let cols: Vec<Col<'_, EffectRow>> = vec![
        col("组别", move |x: &EffectRow| Cell::Text(group(x).into())),
        col("事件", |x: &EffectRow| Cell::OptInt(x.events)),
        col("不完整（不计入）", |x: &EffectRow| Cell::OptInt(x.events_partial)),
        col("单位", |x: &EffectRow| Cell::OptInt(x.units)),
        col("前一年审结", |x: &EffectRow| Cell::OptInt(x.before_concluded)),
        col("前一年败诉", |x: &EffectRow| Cell::OptInt(x.before_lost)),
        col("前一年败诉率", |x: &EffectRow| Cell::Rate(x.before_loss_rate)),
        col("后一年审结", |x: &EffectRow| Cell::OptInt(x.after_concluded)),
        col("后一年败诉", |x: &EffectRow| Cell::OptInt(x.after_lost)),
        col("后一年败诉率", |x: &EffectRow| Cell::Rate(x.after_loss_rate)),
        col("败诉率变化（百分点）", |x: &EffectRow| Cell::Pp(x.loss_rate_change_pp)),
        col("前一年复议决定", |x: &EffectRow| Cell::OptInt(x.before_decided)),
        col("前一年纠错", |x: &EffectRow| Cell::OptInt(x.before_corrected)),
        col("后一年复议决定", |x: &EffectRow| Cell::OptInt(x.after_decided)),
        col("后一年纠错", |x: &EffectRow| Cell::OptInt(x.after_corrected)),
        col("纠错率变化（百分点）", |x: &EffectRow| Cell::Pp(x.correction_rate_change_pp)),
        col("说明", |x: &EffectRow| Cell::Text(x.note.clone())),
    ];
    let title = format!("{}监督前后一年对比（{}）", b.region_name, sup.cumulative.label);
    write_sheet(wb, f, "监督成效", &title, &cols, &sup.effect)
}

/// Excel refuses `[]:*?/\` in sheet names and more than 31 characters.
fn sheet_name(s: &str) -> String {
    let cleaned: String = s.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
    cleaned.chars().take(31).collect()
}

fn figure_cols<'a>(name_header: &'a str, ranked: bool, agency: bool) -> Vec<Col<'a, Figures>> {
    let mut v: Vec<Col<'a, Figures>> = Vec::new();
    if ranked {
        v.push(col("排名", |f: &Figures| Cell::OptInt(f.loss_rank)));
    }
    v.push(col(name_header, |f: &Figures| Cell::Text(f.name.clone())));
    v.push(col(if agency { "所属区划代码" } else { "区划代码" }, |f: &Figures| Cell::Text(f.code.clone())));
    v.extend([
        col("发案量", |f: &Figures| Cell::Int(f.filed)),
        col("上年同期", |f: &Figures| Cell::Int(f.filed_prev)),
        col("同比", |f: &Figures| Cell::Rate(f.filed_yoy)),
        col("审结", |f: &Figures| Cell::Int(f.concluded)),
        col("败诉", |f: &Figures| Cell::Int(f.lost)),
        col("败诉率", |f: &Figures| Cell::Rate(f.loss_rate)),
        col("实体败诉率", |f: &Figures| Cell::Rate(f.judgment_loss_rate)),
        col("上年同期败诉率", |f: &Figures| Cell::Rate(f.loss_rate_prev)),
        col("变化(百分点)", |f: &Figures| Cell::Pp(f.loss_rate_change_pp)),
        col("双下降(是/否)", |f: &Figures| Cell::YesNo(f.double_decline)),
        col("开庭", |f: &Figures| Cell::Int(f.hearings)),
        col("出庭", |f: &Figures| Cell::Int(f.appeared)),
        col("出庭率", |f: &Figures| Cell::Rate(f.appearance_rate)),
        col("出声率", |f: &Figures| Cell::Rate(f.spoke_rate)),
        col("应出庭出庭率", |f: &Figures| Cell::Rate(f.required_appearance_rate)),
        col("复议收案", |f: &Figures| Cell::Int(f.recon_received)),
        col("复议审结", |f: &Figures| Cell::Int(f.recon_concluded)),
        col("纠错", |f: &Figures| Cell::Int(f.recon_corrected)),
        col("纠错率", |f: &Figures| Cell::Rate(f.recon_correction_rate)),
        col("复议后起诉率", |f: &Figures| Cell::Rate(f.recon_sued_rate)),
        col("处罚案件", |f: &Figures| Cell::Int(f.penalty_cases)),
        col("罚款(元)", |f: &Figures| Cell::Money(f.fines_yuan.clone())),
        col("没收(元)", |f: &Figures| Cell::Money(f.confiscated_yuan.clone())),
    ]);
    v
}

fn recon_cols<'a>() -> Vec<Col<'a, super::reconcile::ReconRow>> {
    use super::reconcile::ReconRow;
    vec![
        col("案号", |x: &ReconRow| Cell::Text(x.case_no.clone())),
        col("区划代码", |x: &ReconRow| Cell::Text(x.region_code.clone())),
        col("被告", |x: &ReconRow| Cell::Text(x.defendant.clone())),
        col("差异类型", |x: &ReconRow| Cell::Text(x.kind_label.clone())),
        col("字段", |x: &ReconRow| Cell::Text(x.field_label.clone())),
        col("台账报送", |x: &ReconRow| Cell::Text(x.ledger_value.clone())),
        col("法院清单", |x: &ReconRow| Cell::Text(x.court_value.clone())),
    ]
}

fn recon_unit_cols<'a>() -> Vec<Col<'a, super::reconcile::ReconUnit>> {
    use super::reconcile::ReconUnit;
    vec![
        col("行政机关", |x: &ReconUnit| Cell::Text(x.defendant.clone())),
        col("区划代码", |x: &ReconUnit| Cell::Text(x.region_code.clone())),
        col("差异案件", |x: &ReconUnit| Cell::Int(x.cases)),
        col("漏报", |x: &ReconUnit| Cell::Int(x.missing_in_ledger)),
        col("法院清单无", |x: &ReconUnit| Cell::Int(x.missing_in_court)),
        col("信息不一致", |x: &ReconUnit| Cell::Int(x.mismatched_cases)),
        col("败诉未如实报送", |x: &ReconUnit| Cell::Int(x.loss_not_reported)),
    ]
}

fn domain_cols<'a>() -> Vec<Col<'a, DomainRow>> {
    vec![
        col("领域", |d: &DomainRow| Cell::Text(d.domain.clone())),
        col("审结", |d: &DomainRow| Cell::Int(d.concluded)),
        col("败诉", |d: &DomainRow| Cell::Int(d.lost)),
        col("败诉率", |d: &DomainRow| Cell::Rate(d.loss_rate)),
        col("复议以决定审结", |d: &DomainRow| Cell::Int(d.recon_decided)),
        col("纠错", |d: &DomainRow| Cell::Int(d.recon_corrected)),
        col("纠错率", |d: &DomainRow| Cell::Rate(d.recon_correction_rate)),
    ]
}

fn flag_cols<'a>() -> Vec<Col<'a, Flag>> {
    vec![
        col("建议", |x: &Flag| Cell::Text(x.action.clone())),
        col("行政机关", |x: &Flag| Cell::Text(x.agency.clone())),
        col("所属地区", |x: &Flag| Cell::Text(x.region_name.clone())),
        col("区划代码", |x: &Flag| Cell::Text(x.code.clone())),
        col("审结", |x: &Flag| Cell::Int(x.concluded)),
        col("败诉", |x: &Flag| Cell::Int(x.lost)),
        col("败诉率", |x: &Flag| Cell::Rate(x.loss_rate)),
        col("纠错", |x: &Flag| Cell::Int(x.recon_corrected)),
        col("依据", |x: &Flag| Cell::Text(x.why.clone())),
    ]
}

fn township_cols<'a>() -> Vec<Col<'a, Enforcement>> {
    vec![
        col("排名", |e: &Enforcement| Cell::OptInt(e.rank)),
        col("乡镇（街道）", |e: &Enforcement| Cell::Text(e.name.clone())),
        col("所属地区", |e: &Enforcement| Cell::Text(e.parent_name.clone().unwrap_or_default())),
        col("区划代码", |e: &Enforcement| Cell::Text(e.code.clone())),
        col("乡镇数", |e: &Enforcement| Cell::Int(e.townships)),
        col("有办案乡镇数", |e: &Enforcement| Cell::Int(e.townships_with_cases)),
        col("乡镇处罚案件", |e: &Enforcement| Cell::Int(e.township_cases)),
        col("乡镇罚款(元)", |e: &Enforcement| Cell::Money(e.township_fines_yuan.clone())),
        col("赋权事项案件", |e: &Enforcement| Cell::Int(e.delegated_cases)),
        col("赋权事项罚款(元)", |e: &Enforcement| Cell::Money(e.delegated_fines_yuan.clone())),
        col("处罚案件", |e: &Enforcement| Cell::Int(e.penalty_cases)),
        col("罚款(元)", |e: &Enforcement| Cell::Money(e.fines_yuan.clone())),
        col("没收(元)", |e: &Enforcement| Cell::Money(e.confiscated_yuan.clone())),
        col("不予、减轻、从轻处罚", |e: &Enforcement| Cell::Int(e.lenient_cases)),
        col("包容审慎占比", |e: &Enforcement| Cell::Rate(e.lenient_rate)),
        col("从重处罚", |e: &Enforcement| Cell::Int(e.severe_cases)),
    ]
}

/// Money text as a number: "1234.50" → 1234.5; None when it is not a plain decimal.
fn money(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', "");
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn write_sheet<T>(wb: &mut Workbook, f: &Formats, name: &str, title: &str, cols: &[Col<'_, T>], rows: &[T]) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name).map_err(xl)?;
    page_setup(ws)?;
    let ncols = cols.len() as u16;
    ws.merge_range(0, 0, 0, ncols - 1, title, &f.title).map_err(xl)?;
    ws.set_row_height(0, 30).map_err(xl)?;
    ws.set_row_height(1, 32).map_err(xl)?;
    let mut widths: Vec<f64> = cols.iter().map(|c| (width_of(c.header) / 2.0).max(6.0)).collect();
    let mut text_cols = vec![false; cols.len()];
    for (c, spec) in cols.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, spec.header, &f.header).map_err(xl)?;
    }
    for (r, item) in rows.iter().enumerate() {
        let row = r as u32 + 2;
        for (c, spec) in cols.iter().enumerate() {
            let cc = c as u16;
            let w = match (spec.get)(item) {
                Cell::Text(s) => {
                    text_cols[c] = true;
                    let s = neutralise(&s);
                    let long = width_of(&s) > 40.0;
                    ws.write_string_with_format(row, cc, &s, if long { &f.wrap } else { &f.text }).map_err(xl)?;
                    width_of(&s).min(40.0)
                }
                Cell::Int(n) => {
                    ws.write_number_with_format(row, cc, n as f64, &f.int).map_err(xl)?;
                    n.to_string().len() as f64
                }
                Cell::OptInt(Some(n)) => {
                    ws.write_number_with_format(row, cc, n as f64, &f.int).map_err(xl)?;
                    n.to_string().len() as f64
                }
                Cell::Rate(Some(x)) => {
                    ws.write_number_with_format(row, cc, x, &f.rate).map_err(xl)?;
                    8.0
                }
                Cell::Pp(Some(x)) => {
                    ws.write_number_with_format(row, cc, x, &f.pp).map_err(xl)?;
                    7.0
                }
                Cell::Money(s) => match money(&s) {
                    Some(x) => {
                        ws.write_number_with_format(row, cc, x, &f.money).map_err(xl)?;
                        format!("{x:.2}").len() as f64 * 1.3
                    }
                    None if s.trim().is_empty() => {
                        ws.write_blank(row, cc, &f.money).map_err(xl)?;
                        0.0
                    }
                    None => {
                        let s = neutralise(&s);
                        ws.write_string_with_format(row, cc, &s, &f.text).map_err(xl)?;
                        width_of(&s)
                    }
                },
                Cell::YesNo(Some(v)) => {
                    ws.write_string_with_format(row, cc, if v { "是" } else { "否" }, &f.center).map_err(xl)?;
                    2.0
                }
                Cell::OptInt(None) | Cell::Rate(None) | Cell::Pp(None) | Cell::YesNo(None) => {
                    ws.write_blank(row, cc, &f.text).map_err(xl)?;
                    0.0
                }
            };
            widths[c] = widths[c].max(w);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (w + 2.0).clamp(6.0, 44.0)).map_err(xl)?;
    }
    // Freeze the title and header rows and every column up to the name.
    let name_col = text_cols.iter().position(|t| *t).map(|c| c as u16 + 1).unwrap_or(1);
    ws.set_freeze_panes(2, name_col.min(3)).map_err(xl)?;
    if !rows.is_empty() {
        // Region codes are text on purpose; don't flag them.
        ws.ignore_error_range(2, 0, rows.len() as u32 + 1, ncols - 1, IgnoreError::NumberStoredAsText).map_err(xl)?;
    }
    Ok(())
}

fn page_setup(ws: &mut Worksheet) -> Result<()> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 1).map_err(xl)?;
    Ok(())
}

/// 统计口径: what each column means.
fn write_definitions(wb: &mut Workbook, f: &Formats, b: &Briefing, span: &str) -> Result<()> {
    let rows: &[(&str, &str)] = &[
        (
            "排名",
            "按总体败诉率由低到高排名，仅对有审结案件的单位排名；并列时取最小名次（1、2、2、4）。各表单独排名：县(市、区)在本地区内，直属部门在直属部门内，各市在全省内。审结案件少时排名不稳定，请结合审结数阅读",
        ),
        ("区划代码", "行政区划代码；机关按其所属区划统计，地区数据含所辖下级地区"),
        ("发案量", "一审行政诉讼案件（案号类型代字为“行初”“行赔初”）中立案日期在统计期间内的件数"),
        ("上年同期", "上年同期（同比期间）的发案量"),
        ("同比", "发案量同比增减：(发案量−上年同期)÷上年同期；上年同期为0时留空"),
        ("审结", "一审行政诉讼案件中结案日期在统计期间内的件数"),
        ("败诉", "审结案件中行政机关败诉的件数：撤销、部分撤销、变更、确认违法、确认无效、责令履行、给付、赔偿"),
        ("败诉率", "总体败诉率＝败诉÷审结（地方通报口径）；审结为0时留空"),
        ("实体败诉率", "败诉÷以判决结案的案件（败诉类结果加驳回诉讼请求），即最高人民法院口径；分母为0时留空"),
        ("上年同期败诉率", "同比期间的总体败诉率"),
        ("变化(百分点)", "(败诉率−上年同期败诉率)×100，单位为百分点；正数为上升，负数为下降"),
        ("双下降(是/否)", "发案量低于上年同期且败诉率低于上年同期为“是”；任一败诉率无法计算时留空"),
        ("开庭", "开庭日期在统计期间内的一审案件数"),
        ("出庭", "其中行政机关负责人出庭应诉的件数（未填写的按未出庭计）"),
        ("出庭率", "负责人出庭应诉率＝出庭÷开庭"),
        ("出声率", "出庭又出声的比例＝出庭并发表意见的件数÷出庭"),
        ("应出庭出庭率", "人民法院通知应当出庭的案件中负责人出庭的比例"),
        ("复议收案", "收案日期在统计期间内的行政复议案件数"),
        ("复议审结", "结案日期在统计期间内的行政复议案件数"),
        ("纠错", "复议审结案件中决定撤销、部分撤销、变更、确认违法、确认无效、责令履行的件数"),
        ("纠错率", "纠错÷以决定审结的复议案件（调解、和解、终止不计入分母）"),
        ("复议后起诉率", "复议审结后当事人又提起行政诉讼的比例＝复议后起诉件数÷复议审结"),
        ("处罚案件", "处罚决定日期在统计期间内的行政处罚案件数"),
        ("罚款(元)", "上述处罚案件的罚款金额合计，单位元"),
        ("没收(元)", "上述处罚案件的没收违法所得、非法财物金额合计，单位元"),
        ("复议以决定审结", "领域分析表中纠错率的分母：以决定审结的复议案件数"),
        ("建议", "监督建议表：约谈，或制发行政执法监督意见书；依据列写明达到的标准"),
        // 乡镇执法 sheet (present when the region has townships).
        ("乡镇数", "乡镇执法表：所辖乡级区划（乡、镇、街道）个数，乡镇本身计1"),
        ("有办案乡镇数", "统计期间内办理过行政处罚案件的乡镇个数"),
        ("乡镇处罚案件", "区划代码为乡级区划的行政处罚案件数（处罚决定日期在统计期间内）；乡镇罚款为其罚款合计"),
        ("赋权事项案件", "“赋权事项”为“是”的行政处罚案件数（未填写的不计）；赋权事项罚款为其罚款合计"),
        ("不予、减轻、从轻处罚", "裁量情形为不予处罚、减轻处罚、从轻处罚的案件数（包容审慎监管）"),
        ("包容审慎占比", "不予、减轻、从轻处罚案件÷填写了裁量情形的处罚案件；无填写时留空"),
        ("从重处罚", "裁量情形为从重处罚的案件数"),
        ("来源", "全省各市表：测算为据案件台账计算；报送为本地区无案件台账时采用的报送数据（全省各市情况表），报送未列的数字留空"),
        ("空白单元格", "分母为0或数据未填写，无法计算"),
    ];
    let ws = wb.add_worksheet();
    ws.set_name("统计口径").map_err(xl)?;
    page_setup(ws)?;
    let title = format!("统计口径（{}{}；{}；生成日期{}）", b.region_name, b.period.label, span, b.generated_on);
    ws.merge_range(0, 0, 0, 1, &title, &f.title).map_err(xl)?;
    ws.set_row_height(0, 30).map_err(xl)?;
    ws.write_string_with_format(1, 0, "列", &f.header).map_err(xl)?;
    ws.write_string_with_format(1, 1, "含义", &f.header).map_err(xl)?;
    for (i, (name, meaning)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_string_with_format(r, 0, *name, &f.text).map_err(xl)?;
        ws.write_string_with_format(r, 1, *meaning, &f.wrap).map_err(xl)?;
    }
    ws.set_column_width(0, 18).map_err(xl)?;
    ws.set_column_width(1, 90).map_err(xl)?;
    ws.set_freeze_panes(2, 1).map_err(xl)?;
    Ok(())
}

/// 全省平均败诉率16.82%（254/1510），三门峡市比平均低10.21个百分点（各地区之和） — and the same for
/// the appearance rate; empty without an average.
pub fn average_lines(b: &Briefing) -> Vec<String> {
    use super::text::{pct, vs_avg};
    let Some(a) = &b.peer_average else { return Vec::new() };
    let counts = |x: Option<i64>, y: Option<i64>| match (x, y) {
        (Some(x), Some(y)) => format!("（{x}/{y}）"),
        _ => String::new(),
    };
    let how = |h: &str| if h == "报送" { "取自报送的合计数" } else { "各地区之和" };
    let versus = |d: Option<f64>| d.map(|d| format!("，{}{}", b.region_name, vs_avg(d))).unwrap_or_default();
    let mut out =
        vec![format!("{}败诉率{}{}{}（{}）", a.word, pct(Some(a.loss_rate)), counts(a.lost, a.concluded), versus(a.diff_pp), how(&a.how))];
    if let Some(ap) = &a.appearance {
        out.push(format!(
            "{}出庭应诉率{}{}{}（{}）",
            a.word,
            pct(Some(ap.rate)),
            counts(ap.appeared, ap.hearings),
            versus(ap.diff_pp),
            how(&ap.how)
        ));
    }
    out
}
