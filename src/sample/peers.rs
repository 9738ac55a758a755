//! `peers_2023_2024.xlsx`: the province's per-city table (全省各市行政诉讼情况) as a notice's annex
//! looks — two title rows, a two-row header with merged group cells (一审行政诉讼案件 over 收案, 审结,
//! 败诉, 败诉率; 负责人出庭应诉 over 开庭, 出庭, 出庭率), one row per city and year and a 合计 row per
//! year. The figures are synthetic reports drawn from each city's sample parameters (filings by
//! weight, loss and appearance rates), so they are close to, not equal to, what the sample's
//! case rows compute; each rate agrees with its counts.
use std::path::Path;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use super::{Ctx, SampleFile, litigation_target, ymd};
use crate::{Error, Result};

const HEADERS_TOP: [&str; 11] = ["序号", "地区", "统计期间", "一审行政诉讼案件", "", "", "", "负责人出庭应诉", "", "", "数据来源"];
const HEADERS_SUB: [&str; 11] = ["", "", "", "收案", "审结", "败诉", "败诉率(%)", "开庭", "出庭", "出庭应诉率(%)", ""];

fn pct(n: i64, d: i64) -> f64 {
    if d == 0 { 0.0 } else { (n as f64 * 10_000.0 / d as f64).round() / 100.0 }
}

pub(super) fn write(ctx: &Ctx, out: &Path, rng: &mut ChaCha8Rng) -> Result<SampleFile> {
    let path = out.join("peers_2023_2024.xlsx");
    let err = |e: rust_xlsxwriter::XlsxError| Error::Other(format!("{}: {e}", path.display()));
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 1, 6).map_err(err)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("fuyuan sample"));
    let ws = wb.add_worksheet();
    ws.set_name("全省各市情况").map_err(err)?;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let head = cell.clone().set_bold();
    let years: Vec<i32> = [2023, 2024].into_iter().filter(|y| ymd(*y, 12, 31) <= ctx.end).collect();
    let label = years.iter().map(|y| format!("{y}年度")).collect::<Vec<_>>().join("、");
    ws.merge_range(0, 0, 0, 10, &format!("全省各市行政诉讼案件情况统计表（{label}）"), &title).map_err(err)?;
    ws.merge_range(1, 0, 1, 10, "填报单位：河南省府院联动联席会议办公室（示例数据）", &Format::new()).map_err(err)?;
    // The two-row header: single columns merged down, groups merged across.
    for c in [0u16, 1, 2, 10] {
        ws.merge_range(2, c, 3, c, HEADERS_TOP[c as usize], &head).map_err(err)?;
    }
    ws.merge_range(2, 3, 2, 6, HEADERS_TOP[3], &head).map_err(err)?;
    ws.merge_range(2, 7, 2, 9, HEADERS_TOP[7], &head).map_err(err)?;
    for c in [3u16, 4, 5, 6, 7, 8, 9] {
        ws.write_string_with_format(3, c, HEADERS_SUB[c as usize], &head).map_err(err)?;
    }
    ws.set_column_width(1, 14).map_err(err)?;
    ws.set_column_width(2, 12).map_err(err)?;
    ws.set_column_width(10, 22).map_err(err)?;
    let per_year = litigation_target(ctx.scale) as f64 / 2.25;
    let mut row = 4u32;
    let mut rows = 0u64;
    for &year in &years {
        let weights = ctx.geo.city_weights(year, 0.15, true);
        let yi = usize::from(year >= 2024);
        let (mut tf, mut tc, mut tl, mut th, mut ta) = (0i64, 0i64, 0i64, 0i64, 0i64);
        for (i, (city, w)) in ctx.geo.cities.iter().zip(&weights).enumerate() {
            let noise = |rng: &mut ChaCha8Rng| rng.random_range(0.9..1.1);
            let filed = (per_year * 0.8 * w * noise(rng)).round() as i64;
            let concluded = (filed as f64 * 0.9 * noise(rng)).round() as i64;
            let lost = ((concluded as f64 * city.loss[yi] * noise(rng)).round() as i64).min(concluded);
            let hearings = (concluded as f64 * 0.7).round() as i64;
            let appeared = ((hearings as f64 * city.appear[yi]).round() as i64).min(hearings);
            let region = &ctx.geo.regions[city.region];
            let values = [filed, concluded, lost];
            ws.write_number_with_format(row, 0, (i + 1) as f64, &cell).map_err(err)?;
            ws.write_string_with_format(row, 1, &region.name, &cell).map_err(err)?;
            ws.write_string_with_format(row, 2, format!("{year}年度"), &cell).map_err(err)?;
            for (k, v) in values.iter().enumerate() {
                ws.write_number_with_format(row, 3 + k as u16, *v as f64, &cell).map_err(err)?;
            }
            ws.write_number_with_format(row, 6, pct(lost, concluded), &cell).map_err(err)?;
            ws.write_number_with_format(row, 7, hearings as f64, &cell).map_err(err)?;
            ws.write_number_with_format(row, 8, appeared as f64, &cell).map_err(err)?;
            ws.write_number_with_format(row, 9, pct(appeared, hearings), &cell).map_err(err)?;
            ws.write_string_with_format(row, 10, "省府院联动办通报", &cell).map_err(err)?;
            (tf, tc, tl, th, ta) = (tf + filed, tc + concluded, tl + lost, th + hearings, ta + appeared);
            row += 1;
            rows += 1;
        }
        ws.write_string_with_format(row, 0, "", &cell).map_err(err)?;
        ws.write_string_with_format(row, 1, "合计", &head).map_err(err)?;
        ws.write_string_with_format(row, 2, format!("{year}年度"), &cell).map_err(err)?;
        for (k, v) in [tf, tc, tl].iter().enumerate() {
            ws.write_number_with_format(row, 3 + k as u16, *v as f64, &cell).map_err(err)?;
        }
        ws.write_number_with_format(row, 6, pct(tl, tc), &cell).map_err(err)?;
        ws.write_number_with_format(row, 7, th as f64, &cell).map_err(err)?;
        ws.write_number_with_format(row, 8, ta as f64, &cell).map_err(err)?;
        ws.write_number_with_format(row, 9, pct(ta, th), &cell).map_err(err)?;
        ws.write_string_with_format(row, 10, "省府院联动办通报", &cell).map_err(err)?;
        row += 1;
        rows += 1;
    }
    wb.save(&path).map_err(err)?;
    Ok(SampleFile { path, table: "peers", rows, bad_rows: 0 })
}
