//! The peers table (全省各市情况): reported per-region figures. Cell rules of its own kinds —
//! periods as offices write them, counts, rates — and the row checks (a rate against its counts).
use chrono::{Datelike, NaiveDate};

use crate::period::Period;
use crate::warehouse::regions::{Level, Regions};

/// How far a reported rate may differ from its counts: 0.05 percentage points.
pub const RATE_TOLERANCE: f64 = 0.0005;

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn chinese_number(s: &str) -> Option<u32> {
    match s {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        _ => None,
    }
}

/// A period as offices write it → (start, end), both inclusive. Accepts fuyuan's own forms
/// (`2024`, `2024Q2`, `2024H1`, `2024M05`, `2024-01-01..2024-06-30`) and 2024年, 2024年度,
/// 2024年全年, 2024年上半年, 2024年下半年, 2024年第二季度 (二季度, 2季度), 2024年1-6月 (1—6月,
/// 1月至6月, 1~6月), 2024年5月, 2024年1-3季度; an `至` or `—` between two dates is a span.
pub fn period(raw: &str) -> Option<(NaiveDate, NaiveDate)> {
    let s: String = crate::ingest::cells::text(raw)?.chars().filter(|c| !c.is_whitespace()).collect();
    if s.contains("..") {
        return Period::parse(&s, false).ok().map(|p| (p.start, p.end));
    }
    if s.is_ascii()
        && let Ok(p) = Period::parse(&s, false)
    {
        return Some((p.start, p.end));
    }
    // Two dates joined by 至 / — / ~ : a span.
    for sep in ["至", "—", "~", "～"] {
        if let Some((a, b)) = s.split_once(sep)
            && let (Ok(a), Ok(b)) = (crate::ingest::cells::date(a, NaiveDate::MAX), crate::ingest::cells::date(b, NaiveDate::MAX))
        {
            return (a <= b).then_some((a, b));
        }
    }
    let (year, rest) = s.split_once('年')?;
    let year: i32 = year.parse().ok().filter(|y| (1990..=2999).contains(y))?;
    let whole = |m1: u32, m2: u32| Some((NaiveDate::from_ymd_opt(year, m1, 1)?, month_end(year, m2)?));
    let rest = rest.trim_end_matches("情况").trim_end_matches("累计");
    match rest {
        "" | "度" | "全年" | "年度" => return whole(1, 12),
        "上半年" => return whole(1, 6),
        "下半年" => return whole(7, 12),
        _ => {}
    }
    let rest = rest.trim_start_matches('第');
    if let Some(q) = rest.strip_suffix("季度") {
        // 一季度, 2季度, or 1-3季度 (year to date at a quarter's end)
        if let Some((a, b)) = q.split_once(['-', '—', '~', '至']) {
            let (a, b) = (chinese_number(a)?, chinese_number(b.trim_start_matches('第'))?);
            return if a <= b { whole(3 * a - 2, 3 * b) } else { None };
        }
        let q = chinese_number(q)?;
        return whole(3 * q - 2, 3 * q);
    }
    let months = rest.strip_suffix('月')?;
    let months = months.replace("月至", "-").replace('至', "-").replace(['—', '~', '～', '–'], "-");
    let (a, b) = match months.split_once('-') {
        Some((a, b)) => (a.parse::<u32>().ok()?, b.trim_end_matches('月').parse::<u32>().ok()?),
        None => {
            let m = months.parse::<u32>().ok()?;
            (m, m)
        }
    };
    if !(1..=12).contains(&a) || !(1..=12).contains(&b) || a > b {
        return None;
    }
    whole(a, b)
}

pub fn span_text(start: NaiveDate, end: NaiveDate) -> String {
    format!("{start}..{end}")
}

/// An integer ≥ 0: `12`, `12件`, `1,234`, an Excel number 12.0.
pub fn count(raw: &str) -> Result<i64, String> {
    let t: String = raw.trim().trim_end_matches(['件', '个']).chars().filter(|c| *c != ',' && *c != '，').collect();
    let bad = || format!("'{}' is not a whole number ≥ 0", raw.trim());
    let f: f64 = t.parse().map_err(|_| bad())?;
    if !f.is_finite() || f < 0.0 || f.fract() != 0.0 || f > 1e12 {
        return Err(bad());
    }
    Ok(f as i64)
}

/// A rate: `12.5%` (or full-width ％) is 0.125; a bare number is a decimal between 0 and 1,
/// unless the header says `(%)`, when it is a percentage.
pub fn rate(raw: &str, header_in_percent: bool) -> Result<f64, String> {
    let t = raw.trim().replace('％', "%");
    let (num, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t.as_str(), header_in_percent),
    };
    let v: f64 = num.parse().map_err(|_| format!("'{}' is not a rate (12.5% or 0.125)", raw.trim()))?;
    // 15.71% is stored as 0.1571, not 0.15710000000000002.
    let v = if percent { (v / 100.0 * 1e12).round() / 1e12 } else { v };
    if !v.is_finite() || !(0.0..=1.0).contains(&v) {
        return Err(if !percent && v > 1.0 {
            format!("rate '{}' is above 1: write 12.5% or 0.125", raw.trim())
        } else {
            format!("rate '{}' is not between 0% and 100%", raw.trim())
        });
    }
    Ok(v)
}

/// A region by code, or by a name that identifies one region of the dimension: the exact name,
/// else the name with 市 added (郑州 → 郑州市). Townships are not peers' regions.
pub fn region(regions: &Regions, raw: &str) -> Result<String, String> {
    if let Some(code) = crate::ingest::cells::region_code(raw) {
        return match regions.get(&code) {
            Some(_) => Ok(code),
            None => Err(format!("region code {code} is not in the regions dimension")),
        };
    }
    let name: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    // A notice's total row stands for the province (the dimension holds one).
    if ["合计", "总计", "全省", "全省合计", "全省总计"].contains(&name.as_str()) {
        let provinces: Vec<&str> = regions.codes_at(Level::Province).map(|r| r.code.as_str()).collect();
        if let [one] = provinces.as_slice() {
            return Ok(one.to_string());
        }
    }
    for candidate in [name.clone(), format!("{name}市")] {
        let found: Vec<&str> =
            regions.iter().filter(|r| r.level != Level::Township && r.name == candidate).map(|r| r.code.as_str()).collect();
        match found.as_slice() {
            [one] => return Ok(one.to_string()),
            [] => continue,
            _ => return Err(format!("region name '{name}' names {} regions: write its code", found.len())),
        }
    }
    Err(format!("'{}' is neither a region code nor the name of one region", raw.trim()))
}

/// The row rules between cells: lost ≤ concluded, appeared ≤ hearings, and a rate given with
/// both its counts agrees with them within 0.05 percentage points. Returns (column, reason).
pub fn check_row(
    concluded: Option<i64>,
    lost: Option<i64>,
    loss_rate: Option<f64>,
    hearings: Option<i64>,
    appeared: Option<i64>,
    appearance_rate: Option<f64>,
) -> Result<(), (&'static str, String)> {
    let pairs = [
        ("lost", "loss_rate", "败诉", "审结", lost, concluded, loss_rate),
        ("appeared", "appearance_rate", "出庭", "开庭", appeared, hearings, appearance_rate),
    ];
    for (num_col, rate_col, num_word, den_word, num, den, r) in pairs {
        if let (Some(n), Some(d)) = (num, den)
            && n > d
        {
            return Err((num_col, format!("{num_word} {n} is more than {den_word} {d}")));
        }
        if let (Some(n), Some(d), Some(r)) = (num, den, r) {
            if d == 0 {
                if r != 0.0 {
                    return Err((rate_col, format!("reported rate {:.2}% but {den_word} is 0", r * 100.0)));
                }
            } else {
                let computed = n as f64 / d as f64;
                if (computed - r).abs() > RATE_TOLERANCE + 1e-12 {
                    return Err((
                        rate_col,
                        format!(
                            "reported rate {:.2}% differs from {num_word} {n} / {den_word} {d} = {:.2}% by more than 0.05 percentage points",
                            r * 100.0,
                            computed * 100.0
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The year of a span's end (for messages and sample tables).
pub fn year_of(end: NaiveDate) -> i32 {
    end.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        period(s).map(|(a, b)| span_text(a, b))
    }

    #[test]
    fn periods_as_offices_write_them() {
        assert_eq!(p("2024年上半年").as_deref(), Some("2024-01-01..2024-06-30"));
        assert_eq!(p("2024年1-6月").as_deref(), Some("2024-01-01..2024-06-30"));
        assert_eq!(p("2024年1—6月").as_deref(), Some("2024-01-01..2024-06-30"));
        assert_eq!(p("2024年1月至6月").as_deref(), Some("2024-01-01..2024-06-30"));
        assert_eq!(p("2024年度").as_deref(), Some("2024-01-01..2024-12-31"));
        assert_eq!(p("2024年").as_deref(), Some("2024-01-01..2024-12-31"));
        assert_eq!(p("2024H1").as_deref(), Some("2024-01-01..2024-06-30"));
        assert_eq!(p("2024").as_deref(), Some("2024-01-01..2024-12-31"));
        assert_eq!(p("2024Q3").as_deref(), Some("2024-07-01..2024-09-30"));
        assert_eq!(p("2024年第二季度").as_deref(), Some("2024-04-01..2024-06-30"));
        assert_eq!(p("2024年1-3季度").as_deref(), Some("2024-01-01..2024-09-30"));
        assert_eq!(p("2024年2月").as_deref(), Some("2024-02-01..2024-02-29"));
        assert_eq!(p("2023-05-30..2024-06-30").as_deref(), Some("2023-05-30..2024-06-30"));
        assert_eq!(p("2023年5月30日至2024年6月30日").as_deref(), Some("2023-05-30..2024-06-30"));
        for bad in ["", "上半年", "2024年13月", "2024年6-1月", "去年", "2024年第五季度", "2024-06-30..2024-01-01"] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn counts_and_rates() {
        assert_eq!(count("12"), Ok(12));
        assert_eq!(count("1,234件"), Ok(1234));
        assert_eq!(count("12.0"), Ok(12));
        assert!(count("-1").is_err() && count("1.5").is_err() && count("many").is_err());
        assert_eq!(rate("12.5%", false), Ok(0.125));
        assert_eq!(rate("12.5％", false), Ok(0.125));
        assert_eq!(rate("0.125", false), Ok(0.125));
        assert_eq!(rate("12.5", true), Ok(0.125));
        assert!(rate("12.5", false).unwrap_err().contains("above 1"));
        assert!(rate("120%", false).is_err() && rate("x", false).is_err());
    }

    #[test]
    fn a_rate_must_agree_with_its_counts() {
        assert!(check_row(Some(8), Some(1), Some(0.125), None, None, None).is_ok());
        // 12.55% against 12.50%: exactly 0.05 pp, accepted; 12.6% is not.
        assert!(check_row(Some(8), Some(1), Some(0.1255), None, None, None).is_ok());
        let e = check_row(Some(8), Some(1), Some(0.126), None, None, None).unwrap_err();
        assert_eq!(e.0, "loss_rate");
        assert!(e.1.contains("12.60%") && e.1.contains("12.50%"), "{}", e.1);
        assert_eq!(check_row(Some(3), Some(4), None, None, None, None).unwrap_err().0, "lost");
        assert_eq!(check_row(None, None, None, Some(2), Some(3), None).unwrap_err().0, "appeared");
        assert!(check_row(None, Some(1), Some(0.9), None, None, None).is_ok(), "no check without both counts");
    }
}
