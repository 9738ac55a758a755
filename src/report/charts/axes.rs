//! Numbers on the charts: percentages, round axis ends and ticks.
use crate::report::model::Figures;

pub(super) fn pct(r: f64) -> String {
    format!("{:.2}%", r * 100.0)
}

pub(super) fn pct_opt(r: Option<f64>) -> String {
    r.map(pct).unwrap_or_else(|| "无".to_string())
}

/// A round step for about five ticks up to `max`.
pub(super) fn nice_step(max: f64) -> f64 {
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s * 5.0 >= max * 0.999).unwrap_or(10.0 * mag)
}

/// Axis end and ticks for rates (fractions) up to `max`.
pub(super) fn rate_axis(max: f64) -> (f64, Vec<(f64, String)>) {
    let max = if max.is_finite() && max > 0.0 { max } else { 0.1 };
    let step = nice_step(max).max(0.001);
    let end = (max / step - 1e-9).ceil().max(1.0) * step;
    let decimals = if ((step * 100.0).round() - step * 100.0).abs() < 1e-9 { 0 } else { 1 };
    let n = (end / step).round() as i64;
    (end, (0..=n).map(|i| (i as f64 * step, format!("{:.*}%", decimals, i as f64 * step * 100.0))).collect())
}

/// Axis end and ticks for counts up to `max`.
pub(super) fn count_axis(max: f64) -> (f64, Vec<(f64, String)>) {
    let max = if max.is_finite() && max > 0.0 { max } else { 5.0 };
    let step = nice_step(max).max(1.0).round();
    let end = (max / step - 1e-9).ceil().max(1.0) * step;
    let n = (end / step).round() as i64;
    (end, (0..=n).map(|i| (i as f64 * step, format!("{}", i as f64 * step))).collect())
}

pub(super) fn name_of(f: &Figures) -> String {
    if f.name.trim().is_empty() { f.code.clone() } else { f.name.clone() }
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
}
