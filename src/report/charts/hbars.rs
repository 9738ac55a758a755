//! Horizontal bar charts: rows of names, one or more panels of bars, reference lines.
use plotters::style::{RGBColor, WHITE};

use super::palette::*;
use super::scene::{Align, Label, Scene, shorten, text_w};

pub(super) struct Bar {
    /// None: no bar, the label is printed where the bar would start ("无审结", "无").
    pub(super) value: Option<f64>,
    pub(super) label: String,
    pub(super) color: RGBColor,
}

pub(super) struct Row {
    pub(super) rank: String,
    pub(super) name: String,
    /// Printed after the name and never shortened, e.g. "（开庭12件）".
    pub(super) suffix: String,
    pub(super) strong: bool,
    /// One list of bars for each panel.
    pub(super) cells: Vec<Vec<Bar>>,
}

pub(super) struct RefLine {
    pub(super) value: f64,
    pub(super) label: String,
}

pub(super) struct Panel {
    pub(super) title: Option<(String, RGBColor)>,
    pub(super) end: f64,
    pub(super) ticks: Vec<(f64, String)>,
    pub(super) refs: Vec<RefLine>,
}

/// Draws the rows from `top`; returns the y below the axis labels.
pub(super) fn hbars(s: &mut Scene, top: i32, panels: &[Panel], rows: &[Row]) -> i32 {
    let nb = rows.iter().flat_map(|r| r.cells.iter().map(|c| c.len())).max().unwrap_or(1).max(1) as i32;
    let (bar_h, bar_gap, pad) = if nb == 1 { (30, 0, 22) } else { (27, 5, 24) };
    let rh = nb * bar_h + (nb - 1) * bar_gap + pad;
    let rank_w = rows.iter().map(|r| text_w(&r.rank, S_NAME)).max().unwrap_or(0);
    let rank_w = if rank_w > 0 { rank_w + 18 } else { 0 };
    let name_w = rows.iter().map(|r| text_w(&format!("{}{}", r.name, r.suffix), S_NAME)).max().unwrap_or(0).min(420);
    let names_right = ML + rank_w + name_w;
    let px0 = names_right + 20;
    let np = panels.len().max(1) as i32;
    let pgap = 60;
    let pw = (W - MR - px0 - pgap * (np - 1)) / np;

    // Per panel: where it starts and how long a full bar is, leaving room for the value labels.
    let geo: Vec<(i32, i32)> = panels
        .iter()
        .enumerate()
        .map(|(p, _)| {
            let x0 = px0 + p as i32 * (pw + pgap);
            let lw = rows
                .iter()
                .filter_map(|r| r.cells.get(p))
                .flatten()
                .filter(|b| b.value.is_some())
                .map(|b| text_w(&b.label, S_VALUE))
                .max()
                .unwrap_or(0)
                + 16;
            (x0, (pw - lw).max(pw * 2 / 5))
        })
        .collect();

    let mut y = top;
    if panels.iter().any(|p| p.title.is_some()) {
        for (p, panel) in panels.iter().enumerate() {
            if let Some((t, c)) = &panel.title {
                s.text(Label::new(geo[p].0, y + 16, shorten(t, S_NAME, pw), S_NAME).color(*c).bold());
            }
        }
        y += 48;
    }
    let ref_y = y + 14;
    if panels.iter().any(|p| !p.refs.is_empty()) {
        y += 40;
    }
    let plot_top = y;
    let plot_bottom = plot_top + rows.len() as i32 * rh;

    // Zebra stripes, then the grid.
    for (i, _) in rows.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        let y0 = plot_top + i as i32 * rh;
        s.rect(ML - 10, y0, W - MR + 10, y0 + rh, STRIPE);
    }
    for (p, panel) in panels.iter().enumerate() {
        let (x0, span) = geo[p];
        for (v, _) in &panel.ticks {
            let x = x0 + (v / panel.end * span as f64).round() as i32;
            if x > x0 {
                s.line(vec![(x, plot_top), (x, plot_bottom)], GRID, 1);
            }
        }
    }

    // Bars.
    let mut value_labels = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let row_top = plot_top + i as i32 * rh;
        let cy = row_top + rh / 2;
        let bg = if i % 2 == 1 { STRIPE } else { WHITE };
        if !row.rank.is_empty() {
            s.text(Label::new(ML, cy, row.rank.clone(), S_NAME).color(MUTED));
        }
        let short = shorten(&row.name, S_NAME, name_w - text_w(&row.suffix, S_NAME)) + &row.suffix;
        let mut name = Label::new(names_right, cy, short, S_NAME).align(Align::Right);
        if row.strong {
            name = name.bold();
        }
        s.text(name);
        for (p, panel) in panels.iter().enumerate() {
            let (x0, span) = geo[p];
            let bars = row.cells.get(p).map(|v| v.as_slice()).unwrap_or(&[]);
            let block = bars.len() as i32 * bar_h + (bars.len() as i32 - 1).max(0) * bar_gap;
            let mut by = row_top + (rh - block) / 2;
            for bar in bars {
                let ly = by + bar_h / 2;
                match bar.value {
                    Some(v) => {
                        let len = (v.clamp(0.0, panel.end) / panel.end * span as f64).round() as i32;
                        s.rect(x0, by, x0 + len.max(2), by + bar_h, bar.color);
                        value_labels.push(Label::new(x0 + len.max(2) + 8, ly, bar.label.clone(), S_VALUE).halo_on(bg));
                    }
                    None => {
                        value_labels.push(Label::new(x0 + 10, ly, shorten(&bar.label, S_VALUE, pw - 20), S_VALUE).color(MUTED).halo_on(bg))
                    }
                }
                by += bar_h + bar_gap;
            }
        }
    }

    // Reference lines over the bars, with their labels above the plot.
    for (p, panel) in panels.iter().enumerate() {
        let (x0, span) = geo[p];
        for r in &panel.refs {
            let x = x0 + (r.value.clamp(0.0, panel.end) / panel.end * span as f64).round() as i32;
            s.dashed(vec![(x, plot_top - 6), (x, plot_bottom)], REF, 2);
            let w = text_w(&r.label, S_VALUE);
            let lx = (x - w / 2).clamp(x0, (x0 + pw - w).max(x0));
            s.text(Label::new(lx, ref_y, r.label.clone(), S_VALUE).color(REF).halo());
        }
    }

    // Axes and ticks.
    for (p, panel) in panels.iter().enumerate() {
        let (x0, span) = geo[p];
        s.line(vec![(x0, plot_top), (x0, plot_bottom)], AXIS, 2);
        s.line(vec![(x0, plot_bottom), (x0 + span, plot_bottom)], AXIS, 2);
        let mut last_right = i32::MIN;
        for (v, t) in &panel.ticks {
            let x = x0 + (v / panel.end * span as f64).round() as i32;
            s.line(vec![(x, plot_bottom), (x, plot_bottom + 7)], AXIS, 2);
            let w = text_w(t, S_TICK);
            if x - w / 2 > last_right + 8 {
                s.text(Label::new(x, plot_bottom + 26, t.clone(), S_TICK).color(MUTED).align(Align::Center));
                last_right = x + w / 2;
            }
        }
    }
    for l in value_labels {
        s.text(l);
    }
    plot_bottom + 50
}
