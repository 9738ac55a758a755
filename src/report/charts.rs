//! The briefing's charts: PNG for documents (1600 px wide, readable at A4 width) and SVG for the
//! web, drawn from the same layout so both show the same thing.
//!
//! Every chart is first laid out as a `Scene` (rectangles, lines, dots and text at pixel
//! positions, with label sizes measured in the bundled font), then painted onto plotters'
//! bitmap and SVG backends. Measuring before drawing is what keeps labels apart: names are
//! shortened to their column, value labels get a reserved margin, and the canvas grows with the
//! number of rows.
//!
//! Text is drawn in WenQuanYi Micro Hei (`reports/fonts/wqy-microhei.ttf`, Apache-2.0), embedded
//! in the binary and registered with plotters' ab_glyph backend as "sans-serif". The SVG names
//! CJK families first so that browsers pick a Chinese font.
//!
//! Palette, shared by all charts: blue for counts, red for loss rates, orange for
//! reconsideration correction rates, green for head-of-agency appearance, grey for comparison.
//! Lighter shades and dashed lines are the same quarter (or span) one year earlier.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, register_font};

use crate::report::model::{Briefing, DomainRow, Figures};
use crate::{Error, Result};

static FONT: &[u8] = include_bytes!("../../reports/fonts/wqy-microhei.ttf");
/// The family every text style uses; the bundled font is registered under it.
const FAMILY: &str = "sans-serif";
/// What the SVG asks browsers for, CJK families first.
pub const SVG_FONT_FAMILY: &str =
    "'WenQuanYi Micro Hei','Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','Hiragino Sans GB',sans-serif";

/// One rendered chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartFile {
    pub id: &'static str,
    pub title: String,
    pub png: PathBuf,
    pub svg: PathBuf,
}

/// Chart ids, in the order `render_all` writes them.
pub const CHART_IDS: [&str; 5] = ["ranking", "trend", "appearance", "domains", "province"];

/// Renders every chart of the briefing into `dir` as `<id>.png` (for documents; 1600 px wide,
/// 700–1000 px high for a typical region, taller with more rows) and `<id>.svg` (for the web).
pub fn render_all(b: &Briefing, dir: &Path) -> Result<Vec<ChartFile>> {
    ensure_font()?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut out = Vec::new();
    for (id, scene) in scenes(b) {
        let png = dir.join(format!("{id}.png"));
        let svg = dir.join(format!("{id}.svg"));
        write_png(&scene, &png)?;
        let text = svg_text(&scene)?;
        std::fs::write(&svg, text).map_err(|e| Error::io(&svg, e))?;
        out.push(ChartFile { id, title: scene.title.clone(), png, svg });
    }
    Ok(out)
}

/// Characters of every label the charts draw (titles, axis names, bar labels, legends, notes),
/// one label a line.
pub fn label_text(b: &Briefing) -> String {
    let mut out = String::new();
    for (_, scene) in scenes(b) {
        for l in scene.labels() {
            out.push_str(&l.text);
            out.push('\n');
        }
    }
    out
}

/// Ok when the bundled font has a glyph for every non-whitespace char of `text`; otherwise the
/// missing chars, each once, in order of appearance.
pub fn font_covers(text: &str) -> std::result::Result<(), Vec<char>> {
    let font = font_info();
    let mut missing: Vec<char> = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let ok = font.is_some_and(|f| f.glyph(c) != 0);
        if !ok && !missing.contains(&c) {
            missing.push(c);
        }
    }
    if missing.is_empty() { Ok(()) } else { Err(missing) }
}

/// Pairs of labels whose boxes overlap, and labels that leave the canvas, across all charts
/// (`chart id: label`). Empty for a good layout; used by the tests.
#[doc(hidden)]
pub fn label_collisions(b: &Briefing) -> Vec<String> {
    let mut out = Vec::new();
    for (id, scene) in scenes(b) {
        out.extend(scene.collisions().into_iter().map(|c| format!("{id}: {c}")));
    }
    out
}

fn ensure_font() -> Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    if *DONE.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok()) {
        Ok(())
    } else {
        Err(Error::Other("charts: the bundled font reports/fonts/wqy-microhei.ttf could not be read".into()))
    }
}

// ---------------------------------------------------------------------------------------------
// Look

const W: i32 = 1600;
const ML: i32 = 56;
const MR: i32 = 64;

// Text sizes in plotters units: in the PNG a CJK character is about 0.85 × size pixels wide.
const S_TITLE: f64 = 48.0;
const S_SUB: f64 = 28.0;
const S_NAME: f64 = 31.0;
const S_VALUE: f64 = 28.0;
const S_TICK: f64 = 26.0;
const S_NOTE: f64 = 25.0;

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x6e, 0x6e, 0x6e);
const AXIS: RGBColor = RGBColor(0x9a, 0x9a, 0x9a);
const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
const STRIPE: RGBColor = RGBColor(0xf5, 0xf6, 0xf8);
const REF: RGBColor = RGBColor(0x4a, 0x4a, 0x4a);
const BLUE: RGBColor = RGBColor(0x2f, 0x6d, 0xb5);
const BLUE_LIGHT: RGBColor = RGBColor(0xa9, 0xc4, 0xe6);
const BLUE_INK: RGBColor = RGBColor(0x1f, 0x4e, 0x85);
const RED: RGBColor = RGBColor(0xc8, 0x3e, 0x2e);
const RED_LIGHT: RGBColor = RGBColor(0xe8, 0xa0, 0x95);
const RED_INK: RGBColor = RGBColor(0x9e, 0x2a, 0x1d);
const ORANGE: RGBColor = RGBColor(0xe0, 0x8a, 0x1e);
const GREEN: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
const GREEN_LIGHT: RGBColor = RGBColor(0x93, 0xc9, 0xa5);
const GREY_BAR: RGBColor = RGBColor(0xb4, 0xb8, 0xbd);

// ---------------------------------------------------------------------------------------------
// Scene: what to draw, in pixels

#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
    Right,
}

/// (x0, y0, x1, y1) in pixels.
type Bbox = (i32, i32, i32, i32);

#[derive(Debug, Clone)]
struct Label {
    x: i32,
    /// The vertical centre of the text.
    y: i32,
    text: String,
    size: f64,
    color: RGBColor,
    align: Align,
    bold: bool,
    /// A box in this colour behind the text (the background there), so lines do not run through it.
    halo: Option<RGBColor>,
}

impl Label {
    fn new(x: i32, y: i32, text: impl Into<String>, size: f64) -> Label {
        Label { x, y, text: text.into(), size, color: INK, align: Align::Left, bold: false, halo: None }
    }
    fn color(mut self, c: RGBColor) -> Label {
        self.color = c;
        self
    }
    fn align(mut self, a: Align) -> Label {
        self.align = a;
        self
    }
    fn bold(mut self) -> Label {
        self.bold = true;
        self
    }
    fn halo(self) -> Label {
        self.halo_on(WHITE)
    }
    fn halo_on(mut self, background: RGBColor) -> Label {
        self.halo = Some(background);
        self
    }
    /// (x0, y0, x1, y1) of the text as drawn.
    fn bbox(&self) -> Bbox {
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
enum Item {
    Rect { x0: i32, y0: i32, x1: i32, y1: i32, fill: RGBColor },
    Line { pts: Vec<(i32, i32)>, color: RGBColor, width: u32, dash: bool },
    Dot { x: i32, y: i32, r: i32, color: RGBColor, filled: bool },
    Text(Label),
}

#[derive(Debug, Clone)]
struct Scene {
    title: String,
    w: i32,
    h: i32,
    items: Vec<Item>,
}

impl Scene {
    fn new(title: &str) -> Scene {
        Scene { title: title.to_string(), w: W, h: 1000, items: Vec::new() }
    }
    fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, fill: RGBColor) {
        self.items.push(Item::Rect { x0: x0.min(x1), y0: y0.min(y1), x1: x0.max(x1), y1: y0.max(y1), fill });
    }
    fn line(&mut self, pts: Vec<(i32, i32)>, color: RGBColor, width: u32) {
        self.items.push(Item::Line { pts, color, width, dash: false });
    }
    fn dashed(&mut self, pts: Vec<(i32, i32)>, color: RGBColor, width: u32) {
        self.items.push(Item::Line { pts, color, width, dash: true });
    }
    fn dot(&mut self, x: i32, y: i32, r: i32, color: RGBColor, filled: bool) {
        self.items.push(Item::Dot { x, y, r, color, filled });
    }
    fn text(&mut self, l: Label) {
        if !l.text.trim().is_empty() {
            self.items.push(Item::Text(l));
        }
    }
    fn labels(&self) -> impl Iterator<Item = &Label> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(l) => Some(l),
            _ => None,
        })
    }
    fn collisions(&self) -> Vec<String> {
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

fn font_desc(size: f64, style: FontStyle) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size, style)
}

/// Width in pixels of `text` at `size` in the bundled font, as ab_glyph lays it out (the font
/// has no kerning table, so this is the sum of the advances).
fn text_w(text: &str, size: f64) -> i32 {
    match font_info() {
        Some(f) => text.chars().map(|c| f.advance(f.glyph(c)) as f64).sum::<f64>() * f.scale(size),
        // Cannot happen with the embedded bytes: CJK is one em, the rest about half.
        None => text.chars().map(|c| if (c as u32) < 0x2E80 { size * 0.5 } else { size * 0.85 }).sum::<f64>(),
    }
    .floor() as i32
}

/// `text` cut to `max_w` pixels, with an ellipsis when cut.
fn shorten(text: &str, size: f64, max_w: i32) -> String {
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
fn wrap(text: &str, size: f64, max_w: i32) -> Vec<String> {
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

// ---------------------------------------------------------------------------------------------
// Painting a scene onto plotters backends

fn paint<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &Scene, png: bool) -> std::result::Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("{e:?}");
    root.fill(&WHITE).map_err(e)?;
    for item in &s.items {
        match item {
            Item::Rect { x0, y0, x1, y1, fill } => {
                root.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], fill.filled())).map_err(e)?;
            }
            Item::Line { pts, color, width, dash } => {
                let style = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: *width };
                if *dash {
                    root.draw(&DashedPathElement::new(pts.clone(), 10, 7, style)).map_err(e)?;
                } else {
                    root.draw(&PathElement::new(pts.clone(), style)).map_err(e)?;
                }
            }
            Item::Dot { x, y, r, color, filled } => {
                if *filled {
                    root.draw(&Circle::new((*x, *y), *r, color.filled())).map_err(e)?;
                } else {
                    root.draw(&Circle::new((*x, *y), *r, WHITE.filled())).map_err(e)?;
                    root.draw(&Circle::new((*x, *y), *r, ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: 3 }))
                        .map_err(e)?;
                }
            }
            Item::Text(l) => {
                let (x0, y0, x1, y1) = l.bbox();
                if let Some(bg) = l.halo {
                    root.draw(&Rectangle::new([(x0 - 4, y0 - 3), (x1 + 4, y1 + 3)], bg.filled())).map_err(e)?;
                }
                if !png {
                    // The SVG is post-processed to `dominant-baseline="central"`, which centres
                    // the em box on y.
                    let h = match l.align {
                        Align::Left => HPos::Left,
                        Align::Center => HPos::Center,
                        Align::Right => HPos::Right,
                    };
                    let style = if l.bold { FontStyle::Bold } else { FontStyle::Normal };
                    let ts = font_desc(l.size, style).color(&l.color).pos(Pos::new(h, VPos::Center));
                    root.draw(&Text::new(l.text.clone(), (l.x, l.y), ts)).map_err(e)?;
                    continue;
                }
                // Bitmap: plotters' ab_glyph renderer drops each glyph's left side bearing (an
                // ideographic "（" or "口" would sit at the left of its cell), so glyphs are placed
                // one by one at pen + xMin. Its text also sits about 0.21 × size above the box.
                let ts = font_desc(l.size, FontStyle::Normal).color(&l.color).pos(Pos::new(HPos::Left, VPos::Center));
                let y = l.y + (l.size * 0.21).round() as i32;
                let Some(f) = font_info() else {
                    root.draw(&Text::new(l.text.clone(), (x0, y), ts)).map_err(e)?;
                    continue;
                };
                let k = f.scale(l.size);
                let mut pen = 0.0;
                let mut buf = [0u8; 4];
                for c in l.text.chars() {
                    let g = f.glyph(c);
                    if !c.is_whitespace() {
                        let x = x0 + (pen + f.x_min(g) as f64 * k).floor() as i32;
                        let ch: &str = c.encode_utf8(&mut buf);
                        root.draw(&Text::new(ch, (x, y), ts.clone())).map_err(e)?;
                        if l.bold {
                            // No bold face is bundled: overstrike by one pixel.
                            root.draw(&Text::new(ch, (x + 1, y), ts.clone())).map_err(e)?;
                        }
                    }
                    pen += f.advance(g) as f64 * k;
                }
            }
        }
    }
    Ok(())
}

fn write_png(scene: &Scene, path: &Path) -> Result<()> {
    let fail = |m: String| Error::Other(format!("{}: cannot draw the chart: {m}", path.display()));
    let root = BitMapBackend::new(path, (scene.w as u32, scene.h as u32)).into_drawing_area();
    paint(&root, scene, true).map_err(fail)?;
    root.present().map_err(|e| fail(format!("{e:?}")))?;
    Ok(())
}

fn svg_text(scene: &Scene) -> Result<String> {
    let fail = |m: String| Error::Other(format!("chart {}: cannot draw the SVG: {m}", scene.title));
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (scene.w as u32, scene.h as u32)).into_drawing_area();
        paint(&root, scene, false).map_err(fail)?;
        root.present().map_err(|e| fail(format!("{e:?}")))?;
    }
    let s = s
        .replace("font-family=\"sans-serif\"", &format!("font-family=\"{SVG_FONT_FAMILY}\""))
        .replace("dy=\"0.5ex\"", "dominant-baseline=\"central\"");
    // A <title> for screen readers and tooltips, right after the opening <svg …> tag.
    Ok(match s.find("<svg").and_then(|i| s[i..].find('>').map(|j| i + j + 1)) {
        Some(at) => format!("{}\n<title>{}</title>{}", &s[..at], xml_escape(&scene.title), &s[at..]),
        None => s,
    })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn pct(r: f64) -> String {
    format!("{:.2}%", r * 100.0)
}

fn pct_opt(r: Option<f64>) -> String {
    r.map(pct).unwrap_or_else(|| "无".to_string())
}

/// A round step for about five ticks up to `max`.
fn nice_step(max: f64) -> f64 {
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s * 5.0 >= max * 0.999).unwrap_or(10.0 * mag)
}

/// Axis end and ticks for rates (fractions) up to `max`.
fn rate_axis(max: f64) -> (f64, Vec<(f64, String)>) {
    let max = if max.is_finite() && max > 0.0 { max } else { 0.1 };
    let step = nice_step(max).max(0.001);
    let end = (max / step - 1e-9).ceil().max(1.0) * step;
    let decimals = if ((step * 100.0).round() - step * 100.0).abs() < 1e-9 { 0 } else { 1 };
    let n = (end / step).round() as i64;
    (end, (0..=n).map(|i| (i as f64 * step, format!("{:.*}%", decimals, i as f64 * step * 100.0))).collect())
}

/// Axis end and ticks for counts up to `max`.
fn count_axis(max: f64) -> (f64, Vec<(f64, String)>) {
    let max = if max.is_finite() && max > 0.0 { max } else { 5.0 };
    let step = nice_step(max).max(1.0).round();
    let end = (max / step - 1e-9).ceil().max(1.0) * step;
    let n = (end / step).round() as i64;
    (end, (0..=n).map(|i| (i as f64 * step, format!("{}", i as f64 * step))).collect())
}

fn name_of(f: &Figures) -> String {
    if f.name.trim().is_empty() { f.code.clone() } else { f.name.clone() }
}

// ---------------------------------------------------------------------------------------------
// Frame pieces: title, legend, footer, "no data"

/// Title and subtitle; returns the y where the next line's centre can go.
fn header(s: &mut Scene, title: &str, sub: &str) -> i32 {
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
enum Swatch {
    Box(RGBColor),
    Line { color: RGBColor, dash: bool, dot: Option<bool> },
}

/// One legend row (wrapping when full) centred on `y`; returns the y below it.
fn legend(s: &mut Scene, y: i32, entries: &[(Swatch, String)]) -> i32 {
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
fn footer(s: &mut Scene, y_top: i32, b: &Briefing, note: &str) {
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

fn no_data(title: &str, sub: &str, b: &Briefing) -> Scene {
    let mut s = Scene::new(title);
    let y = header(&mut s, title, sub);
    let (top, bottom) = (y + 20, y + 20 + 520);
    s.rect(ML, top, W - MR, bottom, STRIPE);
    s.text(Label::new(W / 2, (top + bottom) / 2, "本期无数据", 44.0).color(MUTED).align(Align::Center));
    footer(&mut s, bottom + 10, b, "");
    s
}

// ---------------------------------------------------------------------------------------------
// Horizontal bar charts: rows of names, one or more panels of bars

struct Bar {
    /// None: no bar, the label is printed where the bar would start ("无审结", "无").
    value: Option<f64>,
    label: String,
    color: RGBColor,
}

struct Row {
    rank: String,
    name: String,
    /// Printed after the name and never shortened, e.g. "（开庭12件）".
    suffix: String,
    strong: bool,
    /// One list of bars for each panel.
    cells: Vec<Vec<Bar>>,
}

struct RefLine {
    value: f64,
    label: String,
}

struct Panel {
    title: Option<(String, RGBColor)>,
    end: f64,
    ticks: Vec<(f64, String)>,
    refs: Vec<RefLine>,
}

/// Draws the rows from `top`; returns the y below the axis labels.
fn hbars(s: &mut Scene, top: i32, panels: &[Panel], rows: &[Row]) -> i32 {
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

/// Ranks by rate, low to high, ties sharing the lower rank (1, 2, 2, 4).
fn ranks(rates: &[f64]) -> Vec<usize> {
    rates.iter().map(|r| 1 + rates.iter().filter(|o| *o < r).count()).collect()
}

/// Loss-rate ranking rows: ranked units low to high, then units without concluded cases.
fn loss_rows(units: &[Figures], highlight: Option<&str>) -> (Vec<Row>, f64) {
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

const RATE_NOTE: &str = "败诉率为总体败诉率＝败诉件数÷审结件数（一审），括号内为 败诉/审结";

/// The sub-units a chart shows: those with a case in the period (a briefing written before
/// that list existed has all of them).
fn shown_subunits(b: &Briefing) -> &[Figures] {
    if b.active_subunits.is_empty() && b.idle_subunits.is_empty() { &b.subunits } else { &b.active_subunits }
}

fn idle_note(b: &Briefing) -> String {
    if b.idle_subunits.is_empty() {
        String::new()
    } else {
        format!("其余{}个{}本期无行政诉讼案件，未列出", b.idle_subunits.len(), b.subunit_noun)
    }
}

fn ranking(b: &Briefing) -> Scene {
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

fn province(b: &Briefing) -> Scene {
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

fn appearance(b: &Briefing) -> Scene {
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

const TOP_DOMAINS: usize = 8;

fn domain_name(d: &DomainRow) -> String {
    if d.domain.trim().is_empty() { "未填写".into() } else { d.domain.clone() }
}

fn domains(b: &Briefing) -> Scene {
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

fn trend(b: &Briefing) -> Scene {
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

/// Every chart, laid out.
fn scenes(b: &Briefing) -> Vec<(&'static str, Scene)> {
    let _ = ensure_font();
    let mut v = vec![
        ("ranking", ranking(b)),
        ("trend", trend(b)),
        ("appearance", appearance(b)),
        ("domains", domains(b)),
        ("province", province(b)),
    ];
    if let Some(scene) = supervision_effect(b) {
        v.push((SUPERVISION_CHART_ID, scene));
    }
    // Only when the briefing's township section shows its table (the template refers to it then).
    if let Some(t) = b.township.as_ref().filter(|t| !t.ranked.is_empty()) {
        v.push(("township", township(b, t)));
    }

    v
}

/// The before/after chart of the supervision section, written only when the warehouse has
/// supervision rows.
pub const SUPERVISION_CHART_ID: &str = "supervision_effect";

/// Loss rates in the year before and the year after supervision: the supervised units against
/// the units that met the same threshold and got nothing, each bar with its counts.
fn supervision_effect(b: &Briefing) -> Option<Scene> {
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
    type E = super::supervision::EffectRow;
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

/// 乡镇综合行政执法: townships with cases in the period, most first, cases and fines.
fn township(b: &Briefing, t: &crate::report::township::TownshipSection) -> Scene {
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

// ---------------------------------------------------------------------------------------------
// The bundled font's tables, read directly: cmap (coverage), hmtx (advances), glyf (left edges)

struct FontInfo {
    data: &'static [u8],
    /// Offset and format of the chosen cmap subtable.
    cmap: usize,
    cmap_format: u16,
    hmtx: usize,
    n_hmetrics: usize,
    loca: usize,
    loca_long: bool,
    glyf: usize,
    num_glyphs: usize,
    /// hhea ascender − descender: ab_glyph scales a font so this spans `size` pixels.
    height: f64,
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(i..i + 2)?.try_into().ok()?))
}

fn i16_at(d: &[u8], i: usize) -> Option<i16> {
    Some(i16::from_be_bytes(d.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(i..i + 4)?.try_into().ok()?))
}

fn font_info() -> Option<&'static FontInfo> {
    static INFO: OnceLock<Option<FontInfo>> = OnceLock::new();
    INFO.get_or_init(|| FontInfo::parse(FONT)).as_ref()
}

impl FontInfo {
    fn parse(font: &'static [u8]) -> Option<FontInfo> {
        let tables = u16_at(font, 4)? as usize;
        let table = |tag: &[u8]| {
            (0..tables).find_map(|t| {
                let rec = 12 + 16 * t;
                (font.get(rec..rec + 4)? == tag).then(|| u32_at(font, rec + 8).map(|o| o as usize)).flatten()
            })
        };
        let (head, hhea, maxp, cmap) = (table(b"head")?, table(b"hhea")?, table(b"maxp")?, table(b"cmap")?);
        let n = u16_at(font, cmap + 2)? as usize;
        let mut best: Option<(u8, usize, u16)> = None;
        for k in 0..n {
            let rec = cmap + 4 + 8 * k;
            let (platform, encoding) = (u16_at(font, rec)?, u16_at(font, rec + 2)?);
            let at = cmap + u32_at(font, rec + 4)? as usize;
            let format = u16_at(font, at)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            let score = match format {
                12 if unicode => 2,
                4 if unicode => 1,
                _ => 0,
            };
            if score > 0 && best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, at, format));
            }
        }
        let (_, cmap, cmap_format) = best?;
        let ascender = i16_at(font, hhea + 4)? as f64;
        let descender = i16_at(font, hhea + 6)? as f64;
        Some(FontInfo {
            data: font,
            cmap,
            cmap_format,
            hmtx: table(b"hmtx")?,
            n_hmetrics: (u16_at(font, hhea + 34)? as usize).max(1),
            loca: table(b"loca")?,
            loca_long: i16_at(font, head + 50)? == 1,
            glyf: table(b"glyf")?,
            num_glyphs: u16_at(font, maxp + 4)? as usize,
            height: (ascender - descender).max(1.0),
        })
    }

    /// Pixels per font unit at plotters `size`.
    fn scale(&self, size: f64) -> f64 {
        size / self.height
    }

    /// The glyph for `c`, 0 (.notdef) when the font has none.
    fn glyph(&self, c: char) -> u32 {
        self.lookup(c as u32).filter(|g| (*g as usize) < self.num_glyphs).unwrap_or(0)
    }

    fn advance(&self, g: u32) -> u16 {
        let i = (g as usize).min(self.n_hmetrics - 1);
        u16_at(self.data, self.hmtx + 4 * i).unwrap_or(0)
    }

    /// The left edge of the glyph's outline (0 for an empty glyph).
    fn x_min(&self, g: u32) -> i16 {
        let g = g as usize;
        let offset = |i: usize| {
            if self.loca_long {
                u32_at(self.data, self.loca + 4 * i).map(|o| o as usize)
            } else {
                u16_at(self.data, self.loca + 2 * i).map(|o| 2 * o as usize)
            }
        };
        match (offset(g), offset(g + 1)) {
            (Some(a), Some(b)) if b > a => i16_at(self.data, self.glyf + a + 2).unwrap_or(0),
            _ => 0,
        }
    }

    fn lookup(&self, c: u32) -> Option<u32> {
        let (d, at) = (self.data, self.cmap);
        match self.cmap_format {
            12 => {
                let groups = u32_at(d, at + 12)? as usize;
                (0..groups).find_map(|g| {
                    let rec = at + 16 + 12 * g;
                    let (start, end, first) = (u32_at(d, rec)?, u32_at(d, rec + 4)?, u32_at(d, rec + 8)?);
                    (start <= c && c <= end).then(|| first + (c - start))
                })
            }
            4 => {
                if c > 0xFFFF {
                    return None;
                }
                let seg2 = u16_at(d, at + 6)? as usize;
                let ends = at + 14;
                let starts = ends + seg2 + 2;
                let deltas = starts + seg2;
                let offsets = deltas + seg2;
                for i in (0..seg2).step_by(2) {
                    if u16_at(d, ends + i)? as u32 >= c {
                        let start = u16_at(d, starts + i)? as u32;
                        if start > c {
                            return None;
                        }
                        let delta = u16_at(d, deltas + i)? as u32;
                        let ro = u16_at(d, offsets + i)? as usize;
                        if ro == 0 {
                            return Some((c + delta) & 0xFFFF);
                        }
                        let g = u16_at(d, offsets + i + ro + 2 * (c - start) as usize)? as u32;
                        return Some(if g == 0 { 0 } else { (g + delta) & 0xFFFF });
                    }
                }
                None
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_round() {
        let (end, ticks) = rate_axis(0.1607);
        assert!((end - 0.2).abs() < 1e-9);
        assert_eq!(ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["0%", "5%", "10%", "15%", "20%"]);
        let (end, ticks) = rate_axis(1.0);
        assert!((end - 1.0).abs() < 1e-9);
        assert_eq!(ticks.len(), 6);
        let (end, ticks) = count_axis(3.0);
        assert!(end >= 3.0);
        assert!(ticks.iter().all(|t| t.0.fract() == 0.0));
        let (end, _) = rate_axis(0.0);
        assert!(end > 0.0);
    }

    #[test]
    fn cmap_finds_cjk_and_not_private_use() {
        assert!(font_covers("府院联动 败诉率 12.50%（2/16）全市 无审结 —…·÷＝").is_ok());
        assert_eq!(font_covers("\u{E000}a\u{E000}"), Err(vec!['\u{E000}']));
    }

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

    #[test]
    fn ties_share_a_rank() {
        assert_eq!(ranks(&[0.1, 0.2, 0.2, 0.3]), vec![1, 2, 2, 4]);
    }
}
