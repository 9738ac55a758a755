//! The bundled font's metrics in font units, read with ab_glyph: coverage (cmap), advances (hmtx)
//! and left edges (outline bounds).
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId};

use super::FONT;

pub(super) struct FontMetrics {
    font: FontRef<'static>,
    /// Ascent − descent: ab_glyph (and so plotters) scales a font so this spans `size` pixels.
    height: f64,
}

pub(super) fn font_metrics() -> Option<&'static FontMetrics> {
    static METRICS: OnceLock<Option<FontMetrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| {
            let font = FontRef::try_from_slice(FONT).ok()?;
            let height = (font.height_unscaled() as f64).max(1.0);
            Some(FontMetrics { font, height })
        })
        .as_ref()
}

impl FontMetrics {
    /// Pixels per font unit at plotters `size`. Computed in f64 rather than with ab_glyph's f32
    /// `PxScale`, so every position stays where the layout has always put it.
    pub(super) fn scale(&self, size: f64) -> f64 {
        size / self.height
    }

    /// The glyph for `c`, glyph 0 (.notdef) when the font has none.
    pub(super) fn glyph(&self, c: char) -> GlyphId {
        self.font.glyph_id(c)
    }

    pub(super) fn covers(&self, c: char) -> bool {
        self.glyph(c).0 != 0
    }

    pub(super) fn advance(&self, g: GlyphId) -> f64 {
        self.font.h_advance_unscaled(g) as f64
    }

    /// The left edge of the glyph's outline (0 for an empty glyph). These are the bounds plotters
    /// places a glyph's bitmap by, computed from the outline's points; for 42 rare ideographs of
    /// the bundled font they are one unit off the bounding box stored in the glyph's header.
    pub(super) fn x_min(&self, g: GlyphId) -> f64 {
        self.font.outline(g).map_or(0.0, |o| o.bounds.min.x as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::scene::text_w;

    // The expected values were measured with the hand-written TrueType table reader this module
    // replaced (cmap, hmtx and glyf read directly), so the charts keep their exact layout.
    #[test]
    fn metrics_match_the_replaced_table_reader() {
        let f = font_metrics().unwrap();
        assert_eq!(f.height, 2401.0);
        for (c, id, advance, x_min) in [
            ('中', 2012, 2048.0, 224.0),
            ('（', 34425, 2048.0, 784.0),
            ('口', 3474, 2048.0, 328.0),
            ('1', 20, 1128.0, 178.0),
            ('a', 68, 1087.0, 94.0),
            ('%', 8, 1690.0, 102.0),
            ('…', 850, 2048.0, 224.0),
            ('—', 835, 2048.0, 82.0),
            (' ', 3, 532.0, 0.0),
        ] {
            let g = f.glyph(c);
            assert_eq!((g.0, f.advance(g), f.x_min(g)), (id, advance, x_min), "{c:?}");
        }
        for (text, size, width) in [
            ("中", 100.0, 85),
            ("湖滨区 12.50%（2/16）", 28.0, 252),
            ("fuyuan 2025-03-31", 25.0, 179),
            ("2024年第四季度三门峡市行政诉讼败诉率排名", 48.0, 827),
            ("渑池县（报送）", 31.0, 185),
        ] {
            assert_eq!(text_w(text, size), width, "{text}");
        }
    }
}
