//! Township enforcement (乡镇综合行政执法): cases and fines by township.
use super::axes::count_axis;
use super::frame::{footer, header};
use super::hbars::{Bar, Panel, Row, hbars};
use super::palette::*;
use super::scene::Scene;
use crate::report::model::Briefing;

/// 乡镇综合行政执法: townships with cases in the period, most first, cases and fines.
pub(super) fn township(b: &Briefing, t: &crate::report::township::TownshipSection) -> Scene {
    let title = format!("{}{}乡镇（街道）办理行政处罚案件", b.period.label, b.region_name);
    let c = &t.current;
    let sub = format!(
        "按案件数由多到少排列；{}个乡镇（街道）中{}个有办案，共{}件，罚款{}万元",
        c.townships, c.townships_with_cases, c.township_cases, c.township_fines_wan
    );
    let max = t.ranked.iter().map(|r| r.township_cases as f64).fold(0.0, f64::max);
    let (end, ticks) = count_axis(max);
    let rows: Vec<Row> = t
        .ranked
        .iter()
        .map(|r| Row {
            rank: r.rank.map(|k| k.to_string()).unwrap_or_default(),
            name: r.name.clone(),
            suffix: match &r.parent_name {
                Some(p) if p != &b.region_name => format!("（{p}）"),
                _ => String::new(),
            },
            strong: false,
            cells: vec![vec![Bar {
                value: Some(r.township_cases as f64),
                label: format!("{}件（{}万元）", r.township_cases, r.township_fines_wan),
                color: BLUE,
            }]],
        })
        .collect();
    let mut s = Scene::new(&title);
    let y = header(&mut s, &title, &sub);
    let y = hbars(&mut s, y, &[Panel { title: None, end, ticks, refs: Vec::new() }], &rows);
    let note = if t.without_cases.is_empty() {
        String::new()
    } else {
        format!("{}个乡镇（街道）本期无案件，未列出", t.without_cases.len())
    };
    footer(&mut s, y, b, &note);
    s
}
