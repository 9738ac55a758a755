//! Reporting periods: `2024`, `2024Q2`, `2024H1`, `2024M05`, optionally year-to-date, or an
//! explicit span `2023-05-30..2024-06-30` (inclusive; "since the reform", "2021年以来"), and the
//! comparison span one year earlier. A named period is whole months, so its comparison is the same
//! months of the previous year (February's end follows the calendar); a span's comparison moves
//! each end back one year, 29 February becoming 28 February. `--ytd` does not apply to a span.
use chrono::{Datelike, NaiveDate};

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// What the user typed, normalised (e.g. `2024Q2`).
    pub name: String,
    pub ytd: bool,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub prev_start: NaiveDate,
    pub prev_end: NaiveDate,
    /// True for an explicit `start..end` span (its labels are dates, not quarters or months).
    pub is_span: bool,
}

fn month_end(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).expect("valid date").pred_opt().expect("valid date")
}

fn first(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("valid date")
}

/// The same day one year earlier; 29 February becomes 28 February.
pub fn year_earlier(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() - 1, d.month(), d.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28).expect("valid date"))
}

impl Period {
    pub fn parse(text: &str, ytd: bool) -> Result<Period> {
        if text.contains("..") {
            return Period::parse_span(text);
        }
        let s = text.trim().to_ascii_uppercase();
        let bad = || Error::Usage(format!("period '{text}' is not one of 2024, 2024Q2, 2024H1, 2024M05 or a span 2024-01-01..2024-06-30"));
        if s.len() < 4 || !s.is_char_boundary(4) {
            return Err(bad());
        }
        let year: i32 = s[..4].parse().map_err(|_| bad())?;
        if !(1990..=2999).contains(&year) {
            return Err(bad());
        }
        let rest = &s[4..];
        // `2024年` would otherwise be sliced inside a character below.
        if !rest.is_ascii() {
            return Err(bad());
        }
        let (m1, m2) = if rest.is_empty() {
            (1, 12)
        } else {
            let n: u32 = rest[1..].parse().map_err(|_| bad())?;
            match &rest[..1] {
                "Q" if (1..=4).contains(&n) && rest.len() == 2 => (3 * n - 2, 3 * n),
                "H" if (1..=2).contains(&n) && rest.len() == 2 => (6 * n - 5, 6 * n),
                "M" if (1..=12).contains(&n) && (2..=3).contains(&rest.len()) => (n, n),
                _ => return Err(bad()),
            }
        };
        let m1 = if ytd { 1 } else { m1 };
        Ok(Period {
            name: s.clone(),
            ytd,
            start: first(year, m1),
            end: month_end(year, m2),
            prev_start: first(year - 1, m1),
            prev_end: month_end(year - 1, m2),
            is_span: false,
        })
    }

    /// The same span one year earlier as a period of its own (for 2024Q4 year to date: 2023Q4
    /// year to date), or None when the period's name cannot be shifted that way.
    pub fn previous_year(&self) -> Option<Period> {
        if self.is_span {
            return Period::parse(&format!("{}..{}", self.prev_start, self.prev_end), false).ok();
        }
        let year: i32 = self.name.get(..4)?.parse().ok()?;
        let prev = Period::parse(&format!("{}{}", year - 1, self.name.get(4..)?), self.ytd).ok()?;
        (prev.start == self.prev_start && prev.end == self.prev_end).then_some(prev)
    }

    /// `2023-05-30..2024-06-30`: both ends inclusive, ISO dates (`2023/5/30` is read too).
    fn parse_span(text: &str) -> Result<Period> {
        let bad = |why: &str| Error::Usage(format!("period '{text}': {why} (a span is written 2024-01-01..2024-06-30)"));
        let (a, b) = text.trim().split_once("..").ok_or_else(|| bad("no '..'"))?;
        let date = |s: &str| {
            let s = s.trim();
            NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d")).ok()
        };
        let start = date(a).ok_or_else(|| bad(&format!("'{}' is not a date", a.trim())))?;
        let end = date(b).ok_or_else(|| bad(&format!("'{}' is not a date", b.trim())))?;
        if end < start {
            return Err(bad("the end is before the start"));
        }
        if !(1990..=2999).contains(&start.year()) || !(1990..=2999).contains(&end.year()) {
            return Err(bad("the year is out of range"));
        }
        Ok(Period {
            name: format!("{start}..{end}"),
            ytd: false,
            start,
            end,
            prev_start: year_earlier(start),
            prev_end: year_earlier(end),
            is_span: true,
        })
    }

    /// The resolved span as printed in the `period` column, e.g. `2024-01-01..2024-06-30`.
    pub fn span(&self) -> String {
        format!("{}..{}", self.start, self.end)
    }

    pub fn year(&self) -> i32 {
        self.end.year()
    }

    /// The period that ends just before this one's start, with the same length in months — used
    /// for trends (the eight quarters before a briefing).
    pub fn months(&self) -> u32 {
        (self.end.year() - self.start.year()) as u32 * 12 + self.end.month() + 1 - self.start.month()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_year_shifts_a_year() {
        let p = Period::parse("2024Q4", true).unwrap();
        assert_eq!(p.previous_year().unwrap().span(), "2023-01-01..2023-12-31");
        let p = Period::parse("2024M02", false).unwrap();
        assert_eq!(p.previous_year().unwrap().span(), "2023-02-01..2023-02-28");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn forms() {
        let p = Period::parse("2024Q2", false).unwrap();
        assert_eq!((p.start, p.end, p.prev_start, p.prev_end), (d("2024-04-01"), d("2024-06-30"), d("2023-04-01"), d("2023-06-30")));
        let p = Period::parse("2024Q2", true).unwrap();
        assert_eq!(p.span(), "2024-01-01..2024-06-30");
        assert_eq!(Period::parse("2024H2", false).unwrap().span(), "2024-07-01..2024-12-31");
        assert_eq!(Period::parse("2024", false).unwrap().span(), "2024-01-01..2024-12-31");
        let p = Period::parse("2024M02", false).unwrap();
        assert_eq!((p.end, p.prev_end), (d("2024-02-29"), d("2023-02-28")));
        assert_eq!(Period::parse("2024m05", true).unwrap().span(), "2024-01-01..2024-05-31");
    }

    #[test]
    fn chinese_after_the_year_is_an_error_not_a_panic() {
        assert!(Period::parse("2024年", false).is_err());
        assert!(Period::parse("2024年度", true).is_err());
    }

    #[test]
    fn spans() {
        let p = Period::parse("2023-05-30..2024-06-30", true).unwrap();
        assert!(p.is_span && !p.ytd);
        assert_eq!(p.span(), "2023-05-30..2024-06-30");
        assert_eq!((p.prev_start, p.prev_end), (d("2022-05-30"), d("2023-06-30")));
        let p = Period::parse("2024-02-29..2024-02-29", false).unwrap();
        assert_eq!((p.prev_start, p.prev_end), (d("2023-02-28"), d("2023-02-28")));
        assert_eq!(Period::parse(" 2021-01-01 .. 2024/6/30 ", false).unwrap().span(), "2021-01-01..2024-06-30");
    }

    #[test]
    fn bad_forms() {
        for s in ["2024-06-30..2024-01-01", "2024-02-30..2024-03-01", "2024..", "..2024-01-01", "2024-01-01...2024-02-01"] {
            assert!(Period::parse(s, false).is_err(), "{s}");
        }
        for s in ["24", "2024Q5", "2024H3", "2024M13", "2024M123", "2024X1", "abcd", "2024Q"] {
            assert!(Period::parse(s, false).is_err(), "{s}");
        }
    }
}
