//! Painting a laid-out scene onto plotters' bitmap (PNG) and SVG backends.
use std::path::Path;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::SVG_FONT_FAMILY;
use super::font::font_metrics;
use super::scene::{Align, Item, Scene, font_desc};
use crate::{Error, Result};

pub(super) fn paint<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &Scene, png: bool) -> std::result::Result<(), String> {
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
                let Some(f) = font_metrics() else {
                    root.draw(&Text::new(l.text.clone(), (x0, y), ts)).map_err(e)?;
                    continue;
                };
                let k = f.scale(l.size);
                let mut pen = 0.0;
                let mut buf = [0u8; 4];
                for c in l.text.chars() {
                    let g = f.glyph(c);
                    if !c.is_whitespace() {
                        let x = x0 + (pen + f.x_min(g) * k).floor() as i32;
                        let ch: &str = c.encode_utf8(&mut buf);
                        root.draw(&Text::new(ch, (x, y), ts.clone())).map_err(e)?;
                        if l.bold {
                            // No bold face is bundled: overstrike by one pixel.
                            root.draw(&Text::new(ch, (x + 1, y), ts.clone())).map_err(e)?;
                        }
                    }
                    pen += f.advance(g) * k;
                }
            }
        }
    }
    Ok(())
}

pub(super) fn write_png(scene: &Scene, path: &Path) -> Result<()> {
    let fail = |m: String| Error::Other(format!("{}: cannot draw the chart: {m}", path.display()));
    let root = BitMapBackend::new(path, (scene.w as u32, scene.h as u32)).into_drawing_area();
    paint(&root, scene, true).map_err(fail)?;
    root.present().map_err(|e| fail(format!("{e:?}")))?;
    Ok(())
}

pub(super) fn svg_text(scene: &Scene) -> Result<String> {
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

pub(super) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
