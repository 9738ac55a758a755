//! The bundled font's tables, read directly: cmap (coverage), hmtx (advances), glyf (left edges).
use std::sync::OnceLock;

use super::FONT;

pub(super) struct FontInfo {
    pub(super) data: &'static [u8],
    /// Offset and format of the chosen cmap subtable.
    pub(super) cmap: usize,
    pub(super) cmap_format: u16,
    pub(super) hmtx: usize,
    pub(super) n_hmetrics: usize,
    pub(super) loca: usize,
    pub(super) loca_long: bool,
    pub(super) glyf: usize,
    pub(super) num_glyphs: usize,
    /// hhea ascender − descender: ab_glyph scales a font so this spans `size` pixels.
    pub(super) height: f64,
}

pub(super) fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(i..i + 2)?.try_into().ok()?))
}

pub(super) fn i16_at(d: &[u8], i: usize) -> Option<i16> {
    Some(i16::from_be_bytes(d.get(i..i + 2)?.try_into().ok()?))
}

pub(super) fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(i..i + 4)?.try_into().ok()?))
}

pub(super) fn font_info() -> Option<&'static FontInfo> {
    static INFO: OnceLock<Option<FontInfo>> = OnceLock::new();
    INFO.get_or_init(|| FontInfo::parse(FONT)).as_ref()
}

impl FontInfo {
    pub(super) fn parse(font: &'static [u8]) -> Option<FontInfo> {
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
    pub(super) fn scale(&self, size: f64) -> f64 {
        size / self.height
    }

    /// The glyph for `c`, 0 (.notdef) when the font has none.
    pub(super) fn glyph(&self, c: char) -> u32 {
        self.lookup(c as u32).filter(|g| (*g as usize) < self.num_glyphs).unwrap_or(0)
    }

    pub(super) fn advance(&self, g: u32) -> u16 {
        let i = (g as usize).min(self.n_hmetrics - 1);
        u16_at(self.data, self.hmtx + 4 * i).unwrap_or(0)
    }

    /// The left edge of the glyph's outline (0 for an empty glyph).
    pub(super) fn x_min(&self, g: u32) -> i16 {
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

    pub(super) fn lookup(&self, c: u32) -> Option<u32> {
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
