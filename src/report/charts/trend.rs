//! Filings and loss rates over the last quarters, against the same quarters a year earlier.
use super::axes::{count_axis, pct, rate_axis};
use super::frame::{Swatch, footer, header, legend, no_data};
use super::palette::*;
use super::scene::{Align, Label, Scene};
use crate::report::model::Briefing;

pub(super) fn trend(b: &Briefing) -> Scene {
    let quarters = if b.trend.is_empty() { 8 } else { b.trend.len() };
    let title = format!("{}近{}个季度行政诉讼发案量和败诉率", b.region_name, quarters);
    let sub = "按季度；柱为一审发案量（件），折线为败诉率（败诉件数÷审结件数），浅色柱和虚线为上年同季度".to_string();
    let t = &b.trend;
    if t.is_empty() || t.iter().all(|p| p.filed == 0 && p.filed_prev == 0 && p.loss_rate.is_none() && p.loss_rate_prev.is_none()) {
        return no_data(&title, &sub, b);
    }
    let mut s = Scene::new(&title);
    let y = header(&mut s, &title, &sub);
    let y = legend(
        &mut s,
        y,
        &[
            (Swatch::Box(BLUE), "发案量".into()),
            (Swatch::Box(BLUE_LIGHT), "上年同季度发案量".into()),
            (Swatch::Line { color: RED, dash: false, dot: Some(true) }, "败诉率".into()),
            (Swatch::Line { color: RED_LIGHT, dash: true, dot: Some(false) }, "上年同季度败诉率".into()),
        ],
    );

    let axis_l = ML + 90;
    let axis_r = W - MR - 96;
    let n = t.len() as i32;
    let gw = (axis_r - axis_l) / n;
    let gx = |i: usize| axis_l + gw * i as i32 + gw / 2;

    // Upper band: loss rates, on their own (right-hand) axis.
    let r_title = y + 12;
    let (r0, r1) = (r_title + 30, r_title + 30 + 320);
    let rmax = t.iter().flat_map(|p| [p.loss_rate, p.loss_rate_prev]).flatten().fold(0.0, f64::max);
    let (rend, rticks) = rate_axis(rmax * 1.35);
    let ry = |v: f64| r1 - (v.clamp(0.0, rend) / rend * (r1 - r0) as f64).round() as i32;
    s.text(Label::new(axis_r + 96, r_title, "败诉率（右轴）", S_NAME).color(RED_INK).bold().align(Align::Right));
    for (v, tl) in &rticks {
        let yy = ry(*v);
        s.line(vec![(axis_l, yy), (axis_r, yy)], if *v == 0.0 { AXIS } else { GRID }, if *v == 0.0 { 2 } else { 1 });
        s.text(Label::new(axis_r + 12, yy, tl.clone(), S_TICK).color(MUTED));
    }
    s.line(vec![(axis_r, r0), (axis_r, r1)], AXIS, 2);

    // Lower band: filings, on the left-hand axis.
    let c_title = r1 + 44;
    let (c0, c1) = (c_title + 30, c_title + 30 + 360);
    let cmax = t.iter().map(|p| p.filed.max(p.filed_prev)).max().unwrap_or(0) as f64;
    let (cend, cticks) = count_axis(cmax * 1.2);
    let cy = |v: f64| c1 - (v.clamp(0.0, cend) / cend * (c1 - c0) as f64).round() as i32;
    s.text(Label::new(ML, c_title, "发案量（件，左轴）", S_NAME).color(BLUE_INK).bold());
    for (v, tl) in &cticks {
        let yy = cy(*v);
        s.line(vec![(axis_l, yy), (axis_r, yy)], if *v == 0.0 { AXIS } else { GRID }, if *v == 0.0 { 2 } else { 1 });
        s.text(Label::new(axis_l - 12, yy, tl.clone(), S_TICK).color(MUTED).align(Align::Right));
    }
    s.line(vec![(axis_l, c0), (axis_l, c1)], AXIS, 2);

    let mut labels = Vec::new();
    // Bars: last year's quarter (light) beside this one.
    let bw = (gw * 3 / 10).min(48);
    for (i, p) in t.iter().enumerate() {
        let x = gx(i);
        let (px0, px1) = (x - bw - 3, x - 3);
        let (qx0, qx1) = (x + 3, x + 3 + bw);
        let (py, qy) = (cy(p.filed_prev as f64), cy(p.filed as f64));
        if p.filed_prev > 0 {
            s.rect(px0, py, px1, c1, BLUE_LIGHT);
        }
        if p.filed > 0 {
            s.rect(qx0, qy, qx1, c1, BLUE);
        }
        let cur = Label::new((qx0 + qx1) / 2, qy - 18, p.filed.to_string(), S_VALUE).color(BLUE_INK).align(Align::Center);
        let mut prev = Label::new((px0 + px1) / 2, py - 18, p.filed_prev.to_string(), S_NOTE).color(MUTED).align(Align::Center);
        let (a, bb) = (cur.bbox(), prev.bbox());
        if a.0 < bb.2 + 4 && bb.0 < a.2 + 4 && a.1 < bb.3 + 2 && bb.1 < a.3 + 2 {
            // Too close side by side: lift last year's label above this year's.
            prev.y = prev.y.min(cur.y) - 30;
        }
        labels.push(cur);
        labels.push(prev);
        s.text(Label::new(x, c1 + 28, p.label.clone(), S_TICK).color(INK).align(Align::Center));
    }

    // Lines: last year's (dashed, hollow markers), then this year's, broken where a rate is "无".
    let runs = |vals: Vec<Option<i32>>| -> Vec<Vec<(i32, i32)>> {
        let mut out: Vec<Vec<(i32, i32)>> = vec![Vec::new()];
        for (i, v) in vals.iter().enumerate() {
            match v {
                Some(yy) => out.last_mut().unwrap().push((gx(i), *yy)),
                None => out.push(Vec::new()),
            }
        }
        out.into_iter().filter(|r| !r.is_empty()).collect()
    };
    let prev_pts: Vec<Option<i32>> = t.iter().map(|p| p.loss_rate_prev.map(ry)).collect();
    let cur_pts: Vec<Option<i32>> = t.iter().map(|p| p.loss_rate.map(ry)).collect();
    for run in runs(prev_pts.clone()) {
        if run.len() > 1 {
            s.dashed(run.clone(), RED_LIGHT, 3);
        }
    }
    for run in runs(cur_pts.clone()) {
        if run.len() > 1 {
            s.line(run, RED, 4);
        }
    }
    for (i, p) in prev_pts.iter().enumerate() {
        if let Some(yy) = p {
            s.dot(gx(i), *yy, 6, RED_LIGHT, false);
        }
    }
    for (i, p) in t.iter().enumerate() {
        let x = gx(i);
        match cur_pts[i] {
            Some(yy) => {
                s.dot(x, yy, 7, RED, true);
                // Rate and n, above the point unless last year's marker or the band's top is in the way.
                let above = (yy - 50, yy - 24);
                let below = (yy + 24, yy + 50);
                let clear = |(a, b): (i32, i32)| {
                    let (top, bottom) = (a.min(b) - 14, a.max(b) + 14);
                    top >= r0 - 20 && bottom <= r1 - 4 && prev_pts[i].is_none_or(|py| py < top - 8 || py > bottom + 8)
                };
                let (ny, vy) = if clear(above) {
                    above
                } else if clear((below.1, below.0)) {
                    (below.1, below.0)
                } else {
                    above
                };
                labels.push(Label::new(x, vy, pct(p.loss_rate.unwrap_or(0.0)), S_VALUE).color(RED_INK).align(Align::Center).halo());
                labels.push(Label::new(x, ny, format!("{}/{}", p.lost, p.concluded), S_NOTE).color(MUTED).align(Align::Center).halo());
            }
            None => labels.push(Label::new(x, r1 - 20, "无", S_VALUE).color(MUTED).align(Align::Center)),
        }
    }
    for l in labels {
        s.text(l);
    }
    footer(&mut s, c1 + 56, b, "折线上的分数为 败诉/审结；发案量按立案日期、败诉率按结案日期计入季度");
    s
}
