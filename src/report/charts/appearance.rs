//! Head-of-agency appearance in court (出庭) and speaking (出声), by sub-unit.
use super::axes::{name_of, pct, pct_opt, rate_axis};
use super::frame::{Swatch, footer, header, legend, no_data};
use super::hbars::{Bar, Panel, RefLine, Row, hbars};
use super::palette::*;
use super::ranking::shown_subunits;
use super::scene::Scene;
use crate::report::model::{Briefing, Figures};

pub(super) fn appearance(b: &Briefing) -> Scene {
    let title = format!("{}{}{}行政机关负责人出庭应诉情况", b.period.label, b.region_name, b.subunit_word);
    let sub = format!("{}，按出庭率由高到低排列；出庭率＝负责人出庭件数÷开庭件数，出声率＝出庭又出声件数÷出庭件数", b.period.label);
    if shown_subunits(b).is_empty() && b.total.hearings == 0 {
        return no_data(&title, &sub, b);
    }
    let cells = |f: &Figures| -> Vec<Vec<Bar>> {
        if f.hearings == 0 {
            return vec![vec![Bar { value: None, label: "无开庭".into(), color: MUTED }]];
        }
        let spoke = f.spoke_rate.map(|r| (r * f.appeared as f64).round() as i64);
        vec![vec![
            Bar {
                value: f.appearance_rate,
                label: format!("{}（{}/{}）", pct_opt(f.appearance_rate), f.appeared, f.hearings),
                color: GREEN,
            },
            Bar {
                value: f.spoke_rate,
                label: match spoke {
                    Some(n) => format!("{}（{}/{}）", pct_opt(f.spoke_rate), n, f.appeared),
                    None => "无（无出庭）".into(),
                },
                color: GREEN_LIGHT,
            },
        ]]
    };
    let mut units: Vec<&Figures> = shown_subunits(b).iter().collect();
    units.sort_by(|a, b| {
        let key = |f: &Figures| if f.hearings > 0 { f.appearance_rate } else { None };
        match (key(a), key(b)) {
            (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| b.hearings.cmp(&a.hearings))
        .then_with(|| a.code.cmp(&b.code))
    });
    let n = |f: &Figures| format!("（开庭{}件）", f.hearings);
    let mut rows = vec![Row { rank: String::new(), name: b.scope_word.clone(), suffix: n(&b.total), strong: true, cells: cells(&b.total) }];
    rows.extend(units.iter().map(|f| Row { rank: String::new(), name: name_of(f), suffix: n(f), strong: false, cells: cells(f) }));
    let (end, ticks) = rate_axis(1.0);
    let mut s = Scene::new(&title);
    let y = header(&mut s, &title, &sub);
    let y = legend(
        &mut s,
        y,
        &[
            (Swatch::Box(GREEN), "负责人出庭率".into()),
            (Swatch::Box(GREEN_LIGHT), "出声率".into()),
            (Swatch::Line { color: REF, dash: true, dot: None }, "100%基准".into()),
        ],
    );
    let refs = vec![RefLine { value: 1.0, label: "100%".into() }];
    let y = hbars(&mut s, y, &[Panel { title: None, end, ticks, refs }], &rows);
    let req = match b.total.required_appearance_rate {
        Some(r) => format!("{}应当出庭案件的负责人出庭率 {}", b.scope_word, pct(r)),
        None => String::new(),
    };
    footer(&mut s, y, b, &req);
    s
}
