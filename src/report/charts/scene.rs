//! A chart laid out in pixels before painting: labels (measured in the bundled font),
//! rectangles, lines and dots; text shortened or wrapped to fit.
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, WHITE};

use super::FAMILY;
use super::font::font_metrics;
use super::palette::{INK, W};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Align {
    Left,
    Center,
    Right,
}

/// (x0, y0, x1, y1) in pixels.
pub(super) type Bbox = (i32, i32, i32, i32);

#[derive(Debug, Clone)]
pub(super) struct Label {
    pub(super) x: i32,
    /// The vertical centre of the text.
    pub(super) y: i32,
    pub(super) text: String,
    pub(super) size: f64,
    pub(super) color: RGBColor,
    pub(super) align: Align,
    pub(super) bold: bool,
    /// A box in this colour behind the text (the background there), so lines do not run through it.
    pub(super) halo: Option<RGBColor>,
}

impl Label {
    pub(super) fn new(x: i32, y: i32, text: impl Into<String>, size: f64) -> Label {
        Label { x, y, text: text.into(), size, color: INK, align: Align::Left, bold: false, halo: None }
    }
    pub(super) fn color(mut self, c: RGBColor) -> Label {
        self.color = c;
        self
    }
    pub(super) fn align(mut self, a: Align) -> Label {
        self.align = a;
        self
    }
    pub(super) fn bold(mut self) -> Label {
        self.bold = true;
        self
    }
    pub(super) fn halo(self) -> Label {
        self.halo_on(WHITE)
    }
    pub(super) fn halo_on(mut self, background: RGBColor) -> Label {
        self.halo = Some(background);
        self
    }
    /// (x0, y0, x1, y1) of the text as drawn.
    pub(super) fn bbox(&self) -> Bbox {
        let w = text_w(&self.text, self.size);
        let h = (self.size * 0.86).round() as i32;
        let x0 = match self.align {
            Align::Left => self.x,
            Align::Center => self.x - w / 2,
            Align::Right => self.x - w,
        };
        (x0, self.y - h / 2, x0 + w, self.y + h / 2)
    }
}

#[derive(Debug, Clone)]
pub(super) enum Item {
    Rect { x0: i32, y0: i32, x1: i32, y1: i32, fill: RGBColor },
    Line { pts: Vec<(i32, i32)>, color: RGBColor, width: u32, dash: bool },
    Dot { x: i32, y: i32, r: i32, color: RGBColor, filled: bool },
    Text(Label),
}

#[derive(Debug, Clone)]
pub(super) struct Scene {
    pub(super) title: String,
    pub(super) w: i32,
    pub(super) h: i32,
    pub(super) items: Vec<Item>,
}

impl Scene {
    pub(super) fn new(title: &str) -> Scene {
        Scene { title: title.to_string(), w: W, h: 1000, items: Vec::new() }
    }
    pub(super) fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, fill: RGBColor) {
        self.items.push(Item::Rect { x0: x0.min(x1), y0: y0.min(y1), x1: x0.max(x1), y1: y0.max(y1), fill });
    }
    pub(super) fn line(&mut self, pts: Vec<(i32, i32)>, color: RGBColor, width: u32) {
        self.items.push(Item::Line { pts, color, width, dash: false });
    }
    pub(super) fn dashed(&mut self, pts: Vec<(i32, i32)>, color: RGBColor, width: u32) {
        self.items.push(Item::Line { pts, color, width, dash: true });
    }
    pub(super) fn dot(&mut self, x: i32, y: i32, r: i32, color: RGBColor, filled: bool) {
        self.items.push(Item::Dot { x, y, r, color, filled });
    }
    pub(super) fn text(&mut self, l: Label) {
        if !l.text.trim().is_empty() {
            self.items.push(Item::Text(l));
        }
    }
    pub(super) fn labels(&self) -> impl Iterator<Item = &Label> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(l) => Some(l),
            _ => None,
        })
    }
    pub(super) fn collisions(&self) -> Vec<String> {
        let labels: Vec<(&Label, Bbox)> = self.labels().map(|l| (l, l.bbox())).collect();
        let mut out = Vec::new();
        for (i, (a, ba)) in labels.iter().enumerate() {
            if ba.0 < 0 || ba.1 < 0 || ba.2 > self.w || ba.3 > self.h {
                out.push(format!("'{}' leaves the {}×{} canvas at {:?}", a.text, self.w, self.h, ba));
            }
            for (b, bb) in &labels[i + 1..] {
                if ba.0 < bb.2 && bb.0 < ba.2 && ba.1 < bb.3 && bb.1 < ba.3 {
                    out.push(format!("'{}' overlaps '{}'", a.text, b.text));
                }
            }
        }
        out
    }
}

pub(super) fn font_desc(size: f64, style: FontStyle) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size, style)
}

/// Width in pixels of `text` at `size` in the bundled font, as ab_glyph lays it out (the font
/// has no kerning table, so this is the sum of the advances).
pub(super) fn text_w(text: &str, size: f64) -> i32 {
    match font_metrics() {
        Some(f) => text.chars().map(|c| f.advance(f.glyph(c))).sum::<f64>() * f.scale(size),
        // Cannot happen with the embedded bytes: CJK is one em, the rest about half.
        None => text.chars().map(|c| if (c as u32) < 0x2E80 { size * 0.5 } else { size * 0.85 }).sum::<f64>(),
    }
    .floor() as i32
}

/// `text` cut to `max_w` pixels, with an ellipsis when cut.
pub(super) fn shorten(text: &str, size: f64, max_w: i32) -> String {
    if text_w(text, size) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (1..chars.len()).rev() {
        let t: String = chars[..n].iter().collect::<String>() + "…";
        if text_w(&t, size) <= max_w {
            return t;
        }
    }
    "…".to_string()
}

/// `text` broken into lines of at most `max_w` pixels, preferring breaks after punctuation.
pub(super) fn wrap(text: &str, size: f64, max_w: i32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    while !rest.is_empty() {
        let s: String = rest.iter().collect();
        if text_w(&s, size) <= max_w {
            lines.push(s);
            break;
        }
        // The longest prefix that fits.
        let mut n = 1;
        while n < rest.len() && text_w(&rest[..n + 1].iter().collect::<String>(), size) <= max_w {
            n += 1;
        }
        // Back up to a break after punctuation or a space, if one is in the last 40 %.
        let brk = (n * 3 / 5..n).rev().find(|&i| "，；。、：·） ".contains(rest[i - 1]));
        let cut = brk.unwrap_or(n).max(1);
        lines.push(rest[..cut].iter().collect::<String>().trim_end().to_string());
        rest = rest[cut..].iter().skip_while(|c| c.is_whitespace()).copied().collect();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::ensure_font;
    use crate::report::charts::palette::{S_NAME, S_NOTE, S_SUB, S_VALUE};

    #[test]
    fn wrap_and_shorten_fit() {
        let s = "这是一个很长的副标题，用于测试换行，看看是否能够在标点处断开并且每行都不超过宽度限制";
        for line in wrap(s, S_SUB, 400) {
            assert!(text_w(&line, S_SUB) <= 400, "{line}");
        }
        assert_eq!(wrap(s, S_SUB, 400).concat().replace(' ', ""), s.replace(' ', ""));
        let t = shorten("城乡一体化示范区管理委员会办公室", S_NAME, 200);
        assert!(t.ends_with('…') && text_w(&t, S_NAME) <= 200);
    }

    #[test]
    fn widths_agree_with_plotters() {
        ensure_font().unwrap();
        for (t, size) in [("中", 100.0), ("湖滨区 12.50%（2/16）", S_VALUE), ("fuyuan 2025-03-31", S_NOTE)] {
            let (w, _) = font_desc(size, FontStyle::Normal).box_size(t).unwrap();
            assert!((text_w(t, size) - w as i32).abs() <= 1, "{t}: {} vs {w}", text_w(t, size));
        }
    }
}
