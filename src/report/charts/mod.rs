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
//!
//! Files: `palette` (the look), `scene` (layout in pixels, text measuring), `paint` (PNG/SVG),
//! `font` (the bundled font's metrics), the parts every chart shares (`axes`, `frame`, `hbars`)
//! and one file per chart or family of charts.
mod appearance;
mod axes;
mod domains;
mod font;
mod frame;
mod hbars;
mod paint;
mod palette;
mod ranking;
mod scene;
mod supervision;
mod township;
mod trend;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use crate::report::model::Briefing;
use crate::{Error, Result};
use appearance::appearance;
use domains::domains;
use font::font_metrics;
use paint::{svg_text, write_png};
use ranking::{province, ranking};
use scene::Scene;
use supervision::supervision_effect;
use township::township;
use trend::trend;

static FONT: &[u8] = include_bytes!("../../../reports/fonts/wqy-microhei.ttf");
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
    let font = font_metrics();
    let mut missing: Vec<char> = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let ok = font.is_some_and(|f| f.covers(c));
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

pub(super) fn ensure_font() -> Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    if *DONE.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok()) {
        Ok(())
    } else {
        Err(Error::Other("charts: the bundled font reports/fonts/wqy-microhei.ttf could not be read".into()))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_finds_cjk_and_not_private_use() {
        assert!(font_covers("府院联动 败诉率 12.50%（2/16）全市 无审结 —…·÷＝").is_ok());
        assert_eq!(font_covers("\u{E000}a\u{E000}"), Err(vec!['\u{E000}']));
    }
}
