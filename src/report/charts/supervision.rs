//! The supervision section's before/after chart.
use plotters::style::RGBColor;

use super::axes::{pct, rate_axis};
use super::frame::{Swatch, footer, header, legend, no_data};
use super::hbars::{Bar, Panel, Row, hbars};
use super::palette::*;
use super::scene::Scene;
use crate::report::model::Briefing;

/// Loss rates in the year before and the year after supervision: the supervised units against
/// the units that met the same threshold and got nothing, each bar with its counts.
pub(super) fn supervision_effect(b: &Briefing) -> Option<Scene> {
    let sec = b.supervision.as_ref()?;
    let title = format!("{}{}被监督单位监督前后一年败诉率和复议纠错率", sec.cumulative.label, b.region_name);
    let sub = "被监督单位：被制发《行政执法监督意见书》或约谈的单位；对照单位：同季度达到同一标准、90日内未被采取监督措施的单位。               监督后一年超出数据截止日期的不计入"
        .to_string();
    let group = |name: &str| sec.effect.iter().find(|r| r.group == name);
    let (Some(sup), Some(cmp)) = (group("supervised"), group("comparison")) else {
        return Some(no_data(&title, &sub, b));
    };
    let bar = |rate: Option<f64>, num: Option<i64>, den: Option<i64>, color: RGBColor, none: &str| match (rate, den) {
        (Some(r), Some(d)) if d > 0 => Bar { value: Some(r), label: format!("{}（{}/{}）", pct(r), num.unwrap_or(0), d), color },
        _ => Bar { value: None, label: none.into(), color: MUTED },
    };
    type E = crate::report::supervision::EffectRow;
    let loss = |name: &str, r: &E| Row {
        rank: String::new(),
        name: format!("{name}·败诉率"),
        suffix: format!("（{}个单位）", r.units.unwrap_or(0)),
        strong: r.group == "supervised",
        cells: vec![vec![
            bar(r.before_loss_rate, r.before_lost, r.before_concluded, GREY_BAR, "无审结"),
            bar(r.after_loss_rate, r.after_lost, r.after_concluded, BLUE, "无审结"),
        ]],
    };
    let corr = |name: &str, r: &E| Row {
        rank: String::new(),
        name: format!("{name}·复议纠错率"),
        suffix: String::new(),
        strong: r.group == "supervised",
        cells: vec![vec![
            bar(r.before_correction_rate, r.before_corrected, r.before_decided, GREY_BAR, "无复议决定"),
            bar(r.after_correction_rate, r.after_corrected, r.after_decided, BLUE, "无复议决定"),
        ]],
    };
    let rows = vec![loss("被监督单位", sup), loss("对照单位", cmp), corr("被监督单位", sup), corr("对照单位", cmp)];
    let rates = [
        sup.before_loss_rate,
        sup.after_loss_rate,
        cmp.before_loss_rate,
        cmp.after_loss_rate,
        sup.before_correction_rate,
        sup.after_correction_rate,
        cmp.before_correction_rate,
        cmp.after_correction_rate,
    ];
    let max = rates.into_iter().flatten().fold(0.0, f64::max);
    let (end, ticks) = rate_axis(max.max(0.1));
    let mut s = Scene::new(&title);
    let y = header(&mut s, &title, &sub);
    let y = legend(&mut s, y, &[(Swatch::Box(GREY_BAR), "监督前一年".into()), (Swatch::Box(BLUE), "监督后一年".into())]);
    let y = hbars(&mut s, y, &[Panel { title: None, end, ticks, refs: vec![] }], &rows);
    let note = if sec.effect_measured { String::new() } else { "审结案件不足30件，不据此判断监督成效".to_string() };
    footer(&mut s, y, b, &note);
    Some(s)
}
