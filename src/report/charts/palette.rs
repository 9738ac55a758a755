//! The look shared by every chart: canvas width and margins, text sizes, colours.
use plotters::style::RGBColor;

pub(super) const W: i32 = 1600;
pub(super) const ML: i32 = 56;
pub(super) const MR: i32 = 64;

// Text sizes in plotters units: in the PNG a CJK character is about 0.85 × size pixels wide.
pub(super) const S_TITLE: f64 = 48.0;
pub(super) const S_SUB: f64 = 28.0;
pub(super) const S_NAME: f64 = 31.0;
pub(super) const S_VALUE: f64 = 28.0;
pub(super) const S_TICK: f64 = 26.0;
pub(super) const S_NOTE: f64 = 25.0;

pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const MUTED: RGBColor = RGBColor(0x6e, 0x6e, 0x6e);
pub(super) const AXIS: RGBColor = RGBColor(0x9a, 0x9a, 0x9a);
pub(super) const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
pub(super) const STRIPE: RGBColor = RGBColor(0xf5, 0xf6, 0xf8);
pub(super) const REF: RGBColor = RGBColor(0x4a, 0x4a, 0x4a);
pub(super) const BLUE: RGBColor = RGBColor(0x2f, 0x6d, 0xb5);
pub(super) const BLUE_LIGHT: RGBColor = RGBColor(0xa9, 0xc4, 0xe6);
pub(super) const BLUE_INK: RGBColor = RGBColor(0x1f, 0x4e, 0x85);
pub(super) const RED: RGBColor = RGBColor(0xc8, 0x3e, 0x2e);
pub(super) const RED_LIGHT: RGBColor = RGBColor(0xe8, 0xa0, 0x95);
pub(super) const RED_INK: RGBColor = RGBColor(0x9e, 0x2a, 0x1d);
pub(super) const ORANGE: RGBColor = RGBColor(0xe0, 0x8a, 0x1e);
pub(super) const GREEN: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
pub(super) const GREEN_LIGHT: RGBColor = RGBColor(0x93, 0xc9, 0xa5);
pub(super) const GREY_BAR: RGBColor = RGBColor(0xb4, 0xb8, 0xbd);
