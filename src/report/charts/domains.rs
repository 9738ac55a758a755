//! Losses and reconsideration corrections by administrative domain.
use super::axes::{count_axis, pct, rate_axis};
use super::frame::{footer, header, no_data};
use super::hbars::{Bar, Panel, Row, hbars};
use super::palette::*;
use super::scene::Scene;
use crate::report::model::{Briefing, DomainRow};

pub(super) const TOP_DOMAINS: usize = 8;

pub(super) fn domain_name(d: &DomainRow) -> String {
    if d.domain.trim().is_empty() { "未填写".into() } else { d.domain.clone() }
}

pub(super) fn domains(b: &Briefing) -> Scene {
    let title = format!("{}{}败诉和复议纠错案件主要领域", b.period.label, b.region_name);
    let sub = format!(
        "{}，按败诉件数排列前{}个领域；复议纠错率＝被纠错件数÷作出决定件数（撤销、变更、确认违法、责令履行、确认无效为纠错）",
        b.period.label, TOP_DOMAINS
    );
    if b.by_domain.is_empty() {
        return no_data(&title, &sub, b);
    }
    let mut list: Vec<&DomainRow> = b.by_domain.iter().collect();
    list.sort_by(|a, b| (b.lost, b.recon_corrected).cmp(&(a.lost, a.recon_corrected)).then_with(|| a.domain.cmp(&b.domain)));
    let shown = &list[..list.len().min(TOP_DOMAINS)];
    let rows: Vec<Row> = shown
        .iter()
        .map(|d| Row {
            rank: String::new(),
            name: domain_name(d),
            suffix: String::new(),
            strong: false,
            cells: vec![
                vec![Bar { value: Some(d.lost as f64), label: format!("{}件（审结{}件）", d.lost, d.concluded), color: BLUE }],
                vec![match d.recon_correction_rate {
                    Some(r) => {
                        Bar { value: Some(r), label: format!("{}（{}/{}）", pct(r), d.recon_corrected, d.recon_decided), color: ORANGE }
                    }
                    None => Bar { value: None, label: "无复议决定".into(), color: MUTED },
                }],
            ],
        })
        .collect();
    let (cend, cticks) = count_axis(shown.iter().map(|d| d.lost as f64).fold(0.0, f64::max));
    let (rend, rticks) = rate_axis(shown.iter().filter_map(|d| d.recon_correction_rate).fold(0.0, f64::max));
    let panels = [
        Panel { title: Some(("败诉件数".into(), BLUE_INK)), end: cend, ticks: cticks, refs: Vec::new() },
        Panel { title: Some(("复议纠错率".into(), ORANGE)), end: rend, ticks: rticks, refs: Vec::new() },
    ];
    let mut s = Scene::new(&title);
    let y = header(&mut s, &title, &sub);
    let y = hbars(&mut s, y, &panels, &rows);
    let more = list.len().saturating_sub(TOP_DOMAINS);
    let note = if more > 0 { format!("另有{more}个领域未列出，见附表") } else { String::new() };
    footer(&mut s, y, b, &note);
    s
}
