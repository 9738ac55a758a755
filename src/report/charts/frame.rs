//! The pieces around every chart: title and subtitle, legend, footer, and the "no data" chart.
use plotters::style::RGBColor;

use super::palette::*;
use super::scene::{Align, Label, Scene, shorten, text_w, wrap};
use crate::report::model::Briefing;

/// Title and subtitle; returns the y where the next line's centre can go.
pub(super) fn header(s: &mut Scene, title: &str, sub: &str) -> i32 {
    let max_w = W - ML - MR;
    let mut size = S_TITLE;
    while size > 38.0 && text_w(title, size) > max_w {
        size -= 2.0;
    }
    let mut y = 46;
    for line in wrap(title, size, max_w) {
        s.text(Label::new(ML, y, line, size).bold());
        y += (size * 1.05) as i32;
    }
    y += 4;
    for line in wrap(sub, S_SUB, max_w) {
        s.text(Label::new(ML, y, line, S_SUB).color(MUTED));
        y += 36;
    }
    y + 8
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    Box(RGBColor),
    Line { color: RGBColor, dash: bool, dot: Option<bool> },
}

/// One legend row (wrapping when full) centred on `y`; returns the y below it.
pub(super) fn legend(s: &mut Scene, y: i32, entries: &[(Swatch, String)]) -> i32 {
    let (mut x, mut y) = (ML, y);
    for (sw, text) in entries {
        let w = 40 + 10 + text_w(text, S_NOTE) + 36;
        if x > ML && x + w > W - MR {
            x = ML;
            y += 38;
        }
        match *sw {
            Swatch::Box(c) => s.rect(x + 4, y - 11, x + 36, y + 11, c),
            Swatch::Line { color, dash, dot } => {
                if dash {
                    s.dashed(vec![(x, y), (x + 40, y)], color, 3);
                } else {
                    s.line(vec![(x, y), (x + 40, y)], color, 3);
                }
                if let Some(filled) = dot {
                    s.dot(x + 20, y, 6, color, filled);
                }
            }
        }
        s.text(Label::new(x + 50, y, text.clone(), S_NOTE));
        x += w;
    }
    y + 40
}

/// The footer under `y_top` (a note on the left, provenance on the right); sets the canvas height.
pub(super) fn footer(s: &mut Scene, y_top: i32, b: &Briefing, note: &str) {
    let y = y_top + 26;
    let right = if b.generated_on.is_empty() {
        "fuyuan 据案件台账计算".to_string()
    } else {
        format!("fuyuan 据案件台账计算 · {}", b.generated_on)
    };
    let rw = text_w(&right, S_NOTE);
    s.text(Label::new(W - MR, y, right, S_NOTE).color(MUTED).align(Align::Right));
    if !note.is_empty() {
        s.text(Label::new(ML, y, shorten(note, S_NOTE, W - ML - MR - rw - 40), S_NOTE).color(MUTED));
    }
    s.h = y + 34;
}

pub(super) fn no_data(title: &str, sub: &str, b: &Briefing) -> Scene {
    let mut s = Scene::new(title);
    let y = header(&mut s, title, sub);
    let (top, bottom) = (y + 20, y + 20 + 520);
    s.rect(ML, top, W - MR, bottom, STRIPE);
    s.text(Label::new(W / 2, (top + bottom) / 2, "本期无数据", 44.0).color(MUTED).align(Align::Center));
    footer(&mut s, bottom + 10, b, "");
    s
}
