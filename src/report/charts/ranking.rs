//! Loss-rate rankings: the sub-units of the region, and the region among its peers.
use super::axes::{name_of, pct, pct_opt, rate_axis};
use super::frame::{Swatch, footer, header, legend, no_data};
use super::hbars::{Bar, Panel, RefLine, Row, hbars};
use super::palette::*;
use super::scene::Scene;
use crate::report::model::{Briefing, Figures};

/// Ranks by rate, low to high, ties sharing the lower rank (1, 2, 2, 4).
pub(super) fn ranks(rates: &[f64]) -> Vec<usize> {
    rates.iter().map(|r| 1 + rates.iter().filter(|o| *o < r).count()).collect()
}

/// Loss-rate ranking rows: ranked units low to high, then units without concluded cases.
pub(super) fn loss_rows(units: &[Figures], highlight: Option<&str>) -> (Vec<Row>, f64) {
    // A reported peer (报送) ranks on its reported rate even without counts.
    let ranks_on = |f: &Figures| f.loss_rate.is_some() && (f.concluded > 0 || f.source.as_deref() == Some("报送"));
    let mut ranked: Vec<&Figures> = units.iter().filter(|f| ranks_on(f)).collect();
    ranked.sort_by(|a, b| a.loss_rate.partial_cmp(&b.loss_rate).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.code.cmp(&b.code)));
    let rates: Vec<f64> = ranked.iter().map(|f| f.loss_rate.unwrap_or(0.0)).collect();
    let rk = ranks(&rates);
    let max = rates.iter().cloned().fold(0.0, f64::max);
    let colour = |f: &Figures| match highlight {
        None => RED,
        Some(code) if code == f.code => RED,
        Some(_) => GREY_BAR,
    };
    let mut rows: Vec<Row> = ranked
        .iter()
        .zip(rk)
        .map(|(f, r)| Row {
            rank: r.to_string(),
            name: name_of(f),
            suffix: if f.source.as_deref() == Some("报送") { "（报送）".into() } else { String::new() },
            strong: highlight == Some(f.code.as_str()),
            cells: vec![vec![Bar {
                value: f.loss_rate,
                label: if f.blank.iter().any(|c| c == "lost" || c == "concluded") {
                    pct_opt(f.loss_rate)
                } else {
                    format!("{}（{}/{}）", pct_opt(f.loss_rate), f.lost, f.concluded)
                },
                color: colour(f),
            }]],
        })
        .collect();
    let mut rest: Vec<&Figures> = units.iter().filter(|f| !ranks_on(f)).collect();
    rest.sort_by(|a, b| a.code.cmp(&b.code));
    rows.extend(rest.into_iter().map(|f| Row {
        rank: String::new(),
        name: name_of(f),
        suffix: String::new(),
        strong: highlight == Some(f.code.as_str()),
        cells: vec![vec![Bar { value: None, label: if f.concluded == 0 { "无审结".into() } else { "无".into() }, color: MUTED }]],
    }));
    (rows, max)
}

pub(super) const RATE_NOTE: &str = "败诉率为总体败诉率＝败诉件数÷审结件数（一审），括号内为 败诉/审结";

/// The sub-units a chart shows: those with a case in the period (a briefing written before
/// that list existed has all of them).
pub(super) fn shown_subunits(b: &Briefing) -> &[Figures] {
    if b.active_subunits.is_empty() && b.idle_subunits.is_empty() { &b.subunits } else { &b.active_subunits }
}

pub(super) fn idle_note(b: &Briefing) -> String {
    if b.idle_subunits.is_empty() {
        String::new()
    } else {
        format!("其余{}个{}本期无行政诉讼案件，未列出", b.idle_subunits.len(), b.subunit_noun)
    }
}

pub(super) fn ranking(b: &Briefing) -> Scene {
    let title = format!("{}{}{}行政诉讼败诉率排名", b.period.label, b.region_name, b.subunit_word);
    let sub = format!("{}，按败诉率由低到高排列，并列者名次相同；{}", b.period.label, RATE_NOTE);
    let shown = shown_subunits(b);
    if shown.is_empty() {
        return no_data(&title, &sub, b);
    }
    let (rows, max) = loss_rows(shown, None);
    let t = &b.total;
    let refs: Vec<RefLine> = t
        .loss_rate
        .map(|r| RefLine { value: r, label: format!("{} {}（{}/{}）", b.scope_word, pct(r), t.lost, t.concluded) })
        .into_iter()
        .collect();
    let (end, ticks) = rate_axis(refs.iter().map(|r| r.value).fold(max, f64::max));
    let mut s = Scene::new(&title);
    let y = header(&mut s, &title, &sub);
    let y = legend(
        &mut s,
        y,
        &[(Swatch::Box(RED), "败诉率".into()), (Swatch::Line { color: REF, dash: true, dot: None }, format!("{}败诉率", b.scope_word))],
    );
    let y = hbars(&mut s, y, &[Panel { title: None, end, ticks, refs }], &rows);
    let none = shown.iter().filter(|f| f.concluded == 0).count();
    let mut note = if none > 0 { format!("{none}个单位本期无审结案件，列于末尾，不参与排名") } else { String::new() };
    let idle = idle_note(b);
    if !idle.is_empty() {
        note = if note.is_empty() { idle } else { format!("{note}；{idle}") };
    }
    footer(&mut s, y, b, &note);
    s
}

pub(super) fn province(b: &Briefing) -> Scene {
    let title = format!("{}{}行政诉讼败诉率排名", b.period.label, b.peer_word);
    let rank = match b.peer_rank {
        Some(r) => format!("{}居第{}位（共{}个地区有审结案件）", b.region_name, r, b.peer_ranked),
        None => format!("{}本期无审结案件，未参与排名", b.region_name),
    };
    let sub = format!("{}，按败诉率由低到高排列；{}；{}", b.period.label, rank, RATE_NOTE);
    if b.peers.is_empty() {
        return no_data(&title, &sub, b);
    }
    let (rows, max) = loss_rows(&b.peers, Some(&b.region_code));
    // The average: the parent's reported total (报送) when the peers table has it, else the sum
    // of the peers' counts (合计).
    let refs: Vec<RefLine> = match &b.peer_average {
        Some(a) => {
            let counts = match (a.lost, a.concluded) {
                (Some(l), Some(c)) => format!("（{l}/{c}）"),
                _ => String::new(),
            };
            let word = if a.how == "报送" { "报送合计" } else { "合计" };
            vec![RefLine { value: a.loss_rate, label: format!("{word} {}{counts}", pct(a.loss_rate)) }]
        }
        None => Vec::new(),
    };
    let (end, ticks) = rate_axis(refs.iter().map(|r| r.value).fold(max, f64::max));
    let mut s = Scene::new(&title);
    let y = header(&mut s, &title, &sub);
    let y = legend(
        &mut s,
        y,
        &[
            (Swatch::Box(RED), b.region_name.clone()),
            (Swatch::Box(GREY_BAR), "其他地区".into()),
            (
                Swatch::Line { color: REF, dash: true, dot: None },
                if b.peer_average.as_ref().is_some_and(|a| a.how == "报送") {
                    "报送合计败诉率"
                } else {
                    "各地区合计败诉率"
                }
                .into(),
            ),
        ],
    );
    let y = hbars(&mut s, y, &[Panel { title: None, end, ticks, refs }], &rows);
    let none = b.peers.iter().filter(|f| f.loss_rank.is_none()).count();
    let note = if none > 0 { format!("{none}个地区本期无审结案件，列于末尾，不参与排名") } else { String::new() };
    footer(&mut s, y, b, &note);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank() {
        assert_eq!(ranks(&[0.1, 0.2, 0.2, 0.3]), vec![1, 2, 2, 4]);
    }
}
