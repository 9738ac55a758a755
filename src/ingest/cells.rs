//! Cell parsers for docs/ledgers.md "Cell rules". Each parser takes the cell's text and returns the
//! typed value or a short reason that becomes the reject reason, so every rule is testable alone.
use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use super::width::{fold_width, fold_width_cow, trim};

/// Earliest acceptable date: the Administrative Litigation Law took effect on 1990-10-01.
pub fn earliest_date() -> NaiveDate {
    // Evaluated once, at compile time: every date cell is compared with it.
    const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1990, 10, 1) {
        Some(d) => d,
        None => panic!("1990-10-01 is a date"),
    };
    EARLIEST
}

/// The text rule on a cell already width-folded (or screened as needing none): trimmed, `None`
/// when nothing is left.
pub fn trimmed(folded: Cow<'_, str>) -> Option<Cow<'_, str>> {
    match folded {
        Cow::Borrowed(s) => Some(trim(s)).filter(|t| !t.is_empty()).map(Cow::Borrowed),
        Cow::Owned(s) => match trim(&s) {
            "" => None,
            t if t.len() == s.len() => Some(Cow::Owned(s)),
            t => Some(Cow::Owned(t.to_string())),
        },
    }
}

/// Text rule: full-width ASCII folded, invisible characters dropped, trimmed. Returns None for an
/// empty cell.
pub fn text(raw: &str) -> Option<String> {
    trimmed(fold_width_cow(raw, &[])).map(Cow::into_owned)
}

/// Key rule (reconsideration and penalty numbers): like text, but full-width brackets are kept.
pub fn key(raw: &str) -> Option<String> {
    trimmed(fold_width_cow(raw, KEY_KEEP)).map(Cow::into_owned)
}

/// The full-width characters the key rule keeps: 卢公（治）决字〔2023〕1号 stays as it is written.
pub const KEY_KEEP: &[char] = &['（', '）'];

/// Normalised header: width-folded, spaces removed, a trailing unit in brackets split off.
/// Returns (base, unit) — `罚款金额（万元）` → ("罚款金额", Some("万元")).
pub fn header(raw: &str) -> (String, Option<String>) {
    let folded: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    let folded = folded.replace(['【', '〔', '['], "(").replace(['】', '〕', ']'], ")");
    if let Some(open) = folded.rfind('(')
        && folded.ends_with(')')
        && open > 0
    {
        let unit = folded[open + 1..folded.len() - 1].to_string();
        return (folded[..open].to_lowercase(), Some(unit));
    }
    (folded.to_lowercase(), None)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    Unreadable,
    Impossible,
    TooEarly,
    Future,
}

impl DateError {
    pub fn reason(&self, raw: &str) -> String {
        match self {
            DateError::Unreadable => format!("unreadable date '{raw}'"),
            DateError::Impossible => format!("impossible date '{raw}'"),
            DateError::TooEarly => format!("date '{raw}' is before 1990-10-01"),
            DateError::Future => format!("date '{raw}' is after today"),
        }
    }
}

/// Excel's 1900 date system: serial 1 = 1900-01-01, with the phantom 1900-02-29 (serial 60).
pub fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // Serials before 61 are off by one because of the phantom leap day; they are long before 1990
    // and get rejected anyway, so no correction is needed for the dates we accept.
    base.checked_add_signed(chrono::Duration::days(days))
}

/// Parses the date forms of docs/ledgers.md and checks the range [1990-10-01, today].
pub fn date(raw: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let d = match plain_date(raw.as_bytes()) {
        Some(d) => d?,
        None => parse_date_form(raw)?,
    };
    check_date_range(d, today)
}

pub fn check_date_range(d: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DateError> {
    if d < earliest_date() {
        Err(DateError::TooEarly)
    } else if d > today {
        Err(DateError::Future)
    } else {
        Ok(d)
    }
}

fn ymd(y: i64, m: i64, d: i64) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=9999).contains(&y) {
        return Err(DateError::Unreadable);
    }
    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).ok_or(DateError::Impossible)
}

/// The forms most ledgers use — `2024-05-30`, `2024/5/30`, `2024.5.30` (one separator, month and
/// day of one or two digits) and `20240530` — read without allocating; `None` sends everything else
/// through the general parser, which agrees on these.
fn plain_date(b: &[u8]) -> Option<Result<NaiveDate, DateError>> {
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit).then(|| r.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')));
    if b.len() == 8 && b[4].is_ascii_digit() {
        return Some(ymd(digits(&b[0..4])?, digits(&b[4..6])?, digits(&b[6..8])?));
    }
    if !(8..=10).contains(&b.len()) || !matches!(b[4], b'-' | b'/' | b'.') {
        return None;
    }
    let sep = b[4];
    let rest = &b[5..];
    let m_len = rest.iter().position(|&c| c == sep).filter(|&n| (1..=2).contains(&n))?;
    let day = &rest[m_len + 1..];
    if !(1..=2).contains(&day.len()) {
        return None;
    }
    Some(ymd(digits(&b[0..4])?, digits(&rest[..m_len])?, digits(day)?))
}

fn parse_date_form(raw: &str) -> Result<NaiveDate, DateError> {
    let s = fold_width(raw, &[]);
    let s = s.trim();
    // A time part from database exports ("2024-05-30 00:00:00", "2024-05-30T08:00") is dropped.
    let s = s.split([' ', 'T']).next().unwrap_or("");
    if s.is_empty() {
        return Err(DateError::Unreadable);
    }
    // An Excel serial with a time fraction that reached a CSV as text ("45442.5").
    if let Some((int, frac)) = s.split_once('.')
        && int.len() == 5
        && int.chars().all(|c| c.is_ascii_digit())
        && !frac.is_empty()
        && frac.chars().all(|c| c.is_ascii_digit())
    {
        return excel_serial_to_date(s.parse::<f64>().map_err(|_| DateError::Unreadable)?).ok_or(DateError::Unreadable);
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return match s.len() {
            8 => ymd(s[0..4].parse().unwrap_or(0), s[4..6].parse().unwrap_or(0), s[6..8].parse().unwrap_or(0)),
            // An Excel serial that reached us as text (CSV exported from Excel without formatting).
            4 | 5 => excel_serial_to_date(s.parse::<f64>().map_err(|_| DateError::Unreadable)?).ok_or(DateError::Unreadable),
            _ => Err(DateError::Unreadable),
        };
    }
    if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年').ok_or(DateError::Unreadable)?;
        let (m, d) = rest.split_once('月').ok_or(DateError::Unreadable)?;
        return ymd(num(y)?, num(m)?, num(d)?);
    }
    for sep in ['-', '/', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if parts.len() == 3 && parts[0].len() == 4 {
            return ymd(num(parts[0])?, num(parts[1])?, num(parts[2])?);
        }
    }
    Err(DateError::Unreadable)
}

fn num(s: &str) -> Result<i64, DateError> {
    if s.is_empty() || s.len() > 4 || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(DateError::Unreadable);
    }
    s.parse().map_err(|_| DateError::Unreadable)
}

/// Boolean rule: 是/否, Y/N, 1/0, true/false, √/× (and yes/no, ✓/✗), and the forms clerks write
/// (是（副局长）, 正职出庭, 已出庭, 有 → yes; 未出庭, 否（委托代理人出庭）, 委托律师出庭, 无 → no).
/// Empty is handled by the caller as unknown (null), never false.
pub fn boolean(raw: &str) -> Option<bool> {
    // The spellings most ledgers use, without folding or lower-casing a copy.
    match trim(raw) {
        "是" | "Y" | "y" | "1" => return Some(true),
        "否" | "N" | "n" | "0" => return Some(false),
        _ => {}
    }
    let s = fold_width(raw, &[]);
    let s = s.trim().to_lowercase();
    match s.as_str() {
        "是" | "y" | "yes" | "1" | "true" | "t" | "√" | "✓" | "✔" | "1.0" => Some(true),
        "否" | "n" | "no" | "0" | "false" | "f" | "×" | "✗" | "✘" | "x" | "0.0" => Some(false),
        _ => clerk_boolean(&s),
    }
}

/// Words that say no: the head did not appear, or sent someone else (委托代理人 alone is not the
/// head), nothing was done.
const NO_WORDS: &[&str] = &["未", "没", "不", "无", "非", "委托", "代理人", "律师", "工作人员"];
/// Words that say yes once no `NO_WORDS` is present: 是, 有, 已出庭, 正职出庭, 副局长 ….
const YES_WORDS: &[&str] = &[
    "是",
    "有",
    "已",
    "经",
    "出庭",
    "出声",
    "发言",
    "复议",
    "赋权",
    "起诉",
    "应当",
    "应出庭",
    "需出庭",
    "正职",
    "副职",
    "负责人",
    "局长",
    "县长",
    "区长",
    "市长",
    "乡长",
    "镇长",
    "主任",
    "书记",
    "主要领导",
    "分管领导",
];

/// Words that say the clerk does not know: not a no.
const UNKNOWN_WORDS: &[&str] = &["不详", "不清楚", "不明", "未知", "待定", "待查", "不确定"];

/// A short phrase read as yes or no: the word before a bracketed remark decides when it is one
/// (是（副局长）, 否（委托代理人出庭）); otherwise a no-word anywhere makes it no, else a yes-word yes.
fn clerk_boolean(s: &str) -> Option<bool> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let base = s.split(['(', '（', '[', '【']).next().unwrap_or("");
    let base = base.trim_end_matches(['，', ',', '；', ';', '、', '。']);
    match base {
        "是" | "有" | "√" | "y" | "yes" => return Some(true),
        "否" | "无" | "×" | "n" | "no" => return Some(false),
        _ => {}
    }
    if base.is_empty() || base.chars().count() > 12 || UNKNOWN_WORDS.iter().any(|w| base.contains(w)) {
        return None;
    }
    // 直接起诉 (sued without reconsideration) answers 经复议 with no.
    if NO_WORDS.iter().any(|w| base.contains(w)) || base.starts_with("直接") {
        return Some(false);
    }
    if YES_WORDS.iter().any(|w| base.contains(w)) {
        return Some(true);
    }
    None
}

/// A column naming the head who appeared (出庭负责人: 王某某（副局长）) read as yes/no: 无, 未出庭,
/// 否, 委托… → no; a yes/no word as `boolean`; any other text is a name → yes. The name itself is
/// never kept.
pub fn presence(raw: &str) -> bool {
    let s: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    let base = s.split(['(', '（']).next().unwrap_or("");
    if matches!(base, "无" | "没有" | "否" | "未" | "未出庭" | "没出庭" | "不出庭" | "-" | "—" | "/" | "／" | "无人出庭")
        || base.starts_with("委托")
        || base.starts_with("未")
    {
        return false;
    }
    true
}

/// Amount rule: a decimal ≥ 0 with optional thousands separators (in groups of three), a leading
/// ¥ and a trailing 元; a trailing 万元/万 multiplies by 10,000, as does `in_wan` (a (万元) header).
/// Returns the value in fen (1/100 yuan), rounded half away from zero.
pub fn amount_fen(raw: &str, in_wan: bool) -> Result<i64, String> {
    amount_fen_of(&fold_width_cow(raw, &[]), raw, in_wan)
}

/// `amount_fen` on the cell's width-folded text (`raw` is the cell as written, for the reason).
pub fn amount_fen_of(folded: &str, raw: &str, in_wan: bool) -> Result<i64, String> {
    let mut s = trim(trim(folded).trim_start_matches('¥').trim_start_matches('￥'));
    let mut wan = in_wan;
    if let Some(r) = s.strip_suffix("万元").or_else(|| s.strip_suffix('万')) {
        s = r.trim_end();
        wan = true;
    } else if let Some(r) = s.strip_suffix('元') {
        s = r.trim_end();
    }
    let bad = || format!("unreadable amount '{}'", raw.trim());
    if s.starts_with('-') {
        return Err(format!("negative amount '{}'", raw.trim()));
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(bad());
    }
    let digits_int: Cow<'_, str> = if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(format!("misplaced thousands separator in '{}'", raw.trim()));
        }
        Cow::Owned(groups.concat())
    } else {
        Cow::Borrowed(int_part)
    };
    if !digits_int.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if digits_int.len() + frac_part.len() > 30 {
        return Err(format!("amount '{}' is too large", raw.trim()));
    }
    // Exact decimal arithmetic: value = int.frac × 10^(4 if wan) in units of 10^-len(frac).
    let scale_up: u32 = if wan { 4 } else { 0 };
    // At most 30 digits (checked above), so the mantissa fits an i128.
    let mantissa: i128 = digits_int.bytes().chain(frac_part.bytes()).fold(0i128, |n, d| n * 10 + i128::from(d - b'0'));
    let exp = scale_up as i32 + 2 - frac_part.len() as i32; // to fen
    let fen = if exp >= 0 {
        mantissa.checked_mul(10i128.pow(exp as u32))
    } else {
        let div = 10i128.pow((-exp) as u32);
        Some((mantissa + div / 2) / div)
    };
    match fen {
        Some(v) if v <= i64::MAX as i128 / 100 => Ok(v as i64),
        _ => Err(format!("amount '{}' is too large", raw.trim())),
    }
}

/// Formats fen as yuan with two decimals.
pub fn fen_to_yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// Region code rule: digits only; a code from a numeric cell (411600.0) is its integer text.
pub fn region_code(raw: &str) -> Option<String> {
    region_code_of(fold_width_cow(raw, &[])).map(Cow::into_owned)
}

/// `region_code` on the cell's width-folded text.
pub fn region_code_of(folded: Cow<'_, str>) -> Option<Cow<'_, str>> {
    match folded {
        Cow::Borrowed(s) => code_part(s).map(Cow::Borrowed),
        Cow::Owned(s) => code_part(&s).map(|c| Cow::Owned(c.to_string())),
    }
}

/// The 6- or 9-digit code in a cell: trimmed, a numeric cell's ".0" dropped, and a 12-digit
/// statistical code (统计用区划代码) cut at its trailing zeros (411202001000 → 411202001,
/// 411202000000 → 411202). A 12-digit code of a village (no trailing 000) is not a region here.
fn code_part(s: &str) -> Option<&str> {
    let s = trim(s);
    let s = s.strip_suffix(".0").unwrap_or(s);
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        6 | 9 => Some(s),
        12 if s.ends_with("000000") => Some(&s[..6]),
        12 if s.ends_with("000") => Some(&s[..9]),
        _ => None,
    }
}

/// A head's name as the rejects file keeps it: the name masked, the title kept
/// (赵某某（局长） → 赵某（局长）).
pub fn mask_head(raw: &str) -> String {
    let s = raw.trim();
    match s.find(['(', '（']) {
        Some(i) => format!("{}{}", mask_person(&s[..i]), &s[i..]),
        None => mask_person(s),
    }
}

/// Compound surnames that keep both characters when a name is masked.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "西门",
    "南宫", "独孤", "百里", "呼延", "申屠", "太史", "澹台", "闻人", "万俟",
];

/// Words that mark an organisation rather than a natural person.
const ORG_MARKERS: &[&str] = &[
    "公司",
    "集团",
    "厂",
    "店",
    "中心",
    "委员会",
    "政府",
    "局",
    "合作社",
    "银行",
    "医院",
    "学校",
    "大学",
    "学院",
    "村",
    "社区",
    "协会",
    "商行",
    "经营部",
    "门市",
    "部",
    "所",
    "站",
    "场",
    "馆",
    "院",
    "队",
    "处",
    "办",
    "会",
    "社",
    "行",
    "有限",
    "企业",
    "工作室",
    "超市",
    "酒店",
    "宾馆",
    "饭店",
    "农庄",
    "矿",
    "组",
];

/// Does `s` contain an organisation marker? One automaton pass instead of a search per marker
/// (this runs on every party name of millions of penalty rows).
fn has_org_marker(s: &str) -> bool {
    static MARKERS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(ORG_MARKERS).expect("valid marker list"));
    // The markers by their last character, sorted by it.
    static BY_LAST: std::sync::LazyLock<Vec<(char, &'static str)>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<(char, &'static str)> = ORG_MARKERS.iter().filter_map(|m| Some((m.chars().next_back()?, *m))).collect();
        v.sort_unstable();
        v
    });
    // Most organisations end with their marker (…有限公司, …店, …局): the markers that end in
    // the name's last character settle them without the automaton, which took three times as
    // long per name on the sample ledgers' parties.
    if let Some(last) = s.chars().next_back() {
        let from = BY_LAST.partition_point(|&(c, _)| c < last);
        if BY_LAST[from..].iter().take_while(|&&(c, _)| c == last).any(|&(_, m)| s.ends_with(m)) {
            return true;
        }
    }
    MARKERS.is_match(s)
}

/// Masks a natural person's name (张三 → 张某, 欧阳娜娜 → 欧阳某); organisations stay whole.
/// Several names separated by 、，,； are masked one by one; a trailing 等N人 is kept.
pub fn mask_person(raw: &str) -> String {
    mask_person_cow(raw).into_owned()
}

/// `mask_person` without a copy when the cell is kept whole (an organisation).
pub fn mask_person_cow(raw: &str) -> Cow<'_, str> {
    let s = trim(raw);
    // A name without a marker has none in any part of it either: the parts need no second look.
    // Only a cell of four characters or more can be kept whole for a marker (below), so the
    // usual two- or three-character name is not searched at all.
    let marked = s.chars().nth(3).is_some() && has_org_marker(s);
    if marked && s.chars().nth(4).is_some() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '、' | '，' | ',' | '；' | ';' | ' ') {
            mask_one(&s[start..i], marked, &mut out);
            out.push(c);
            start = i + c.len_utf8();
        }
    }
    mask_one(&s[start..], marked, &mut out);
    Cow::Owned(out)
}

/// Appends one name, masked; `marked`: the whole cell holds an organisation marker somewhere.
fn mask_one(name: &str, marked: bool, out: &mut String) {
    if name.is_empty() {
        return;
    }
    // Keep a trailing "等3人" / "等" that follows a name.
    let (core, tail) = match name.find('等') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let chars = core.chars().count();
    if marked && chars > 3 && has_org_marker(core) {
        out.push_str(name);
        return;
    }
    let surname_len = COMPOUND_SURNAMES.iter().find(|p| chars > 2 && core.starts_with(*p)).map(|p| p.chars().count()).unwrap_or(1);
    if chars <= surname_len {
        out.push_str(core);
        out.push_str(tail);
        return;
    }
    let cut = core.char_indices().nth(surname_len).map_or(core.len(), |(i, _)| i);
    out.push_str(&core[..cut]);
    out.push('某');
    out.push_str(tail);
}

/// Current year of `today`, for case-number year checks.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()
    }

    #[test]
    fn date_forms() {
        let want = NaiveDate::from_ymd_opt(2024, 5, 30).unwrap();
        for s in [
            "2024-05-30",
            "2024/5/30",
            "2024.5.30",
            "2024年5月30日",
            "20240530",
            "2024-05-30 00:00:00",
            "45442",
            "45442.0",
            "45442.75",
            "２０２４-０５-３０",
        ] {
            assert_eq!(date(s, today()), Ok(want), "{s}");
        }
    }

    /// The allocation-free reader agrees with the general parser on every form it takes.
    #[test]
    fn plain_dates_read_as_the_general_parser_reads_them() {
        let mut checked = 0;
        for y in ["0999", "1990", "2024", "9999", "20x4"] {
            for m in ["0", "1", "01", "2", "02", "12", "13", "00", "123", ""] {
                for d in ["0", "1", "01", "28", "29", "30", "31", "32", "9", "09", "001", ""] {
                    for sep in ["-", "/", "."] {
                        let s = format!("{y}{sep}{m}{sep}{d}");
                        if let Some(fast) = plain_date(s.as_bytes()) {
                            assert_eq!(fast, parse_date_form(&s), "{s}");
                            checked += 1;
                        }
                    }
                    let s = format!("{y}{m}{d}");
                    if let Some(fast) = plain_date(s.as_bytes()) {
                        assert_eq!(fast, parse_date_form(&s), "{s}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "only {checked} forms took the fast path");
    }

    #[test]
    fn date_rejections() {
        assert_eq!(date("2023-02-29", today()), Err(DateError::Impossible));
        assert_eq!(date("2024-13-01", today()), Err(DateError::Unreadable));
        assert_eq!(date("1990-09-30", today()), Err(DateError::TooEarly));
        assert_eq!(date("1990-10-01", today()), Ok(earliest_date()));
        assert_eq!(date("2025-02-01", today()), Err(DateError::Future));
        assert_eq!(date("五月", today()), Err(DateError::Unreadable));
    }

    #[test]
    fn booleans() {
        for s in ["是", "Y", "y", "1", "true", "TRUE", "√"] {
            assert_eq!(boolean(s), Some(true), "{s}");
        }
        for s in ["否", "N", "0", "false", "×"] {
            assert_eq!(boolean(s), Some(false), "{s}");
        }
        assert_eq!(boolean("可能"), None);
    }

    #[test]
    fn booleans_as_clerks_write_them() {
        for s in [
            "是（副局长）",
            "正职出庭",
            "副职出庭",
            "已出庭",
            "出庭",
            "有",
            "是(局长)",
            "负责人出庭",
            "已出声",
            "应当出庭",
            "经复议",
            "赋权",
        ] {
            assert_eq!(boolean(s), Some(true), "{s}");
        }
        for s in ["未出庭", "否（委托代理人出庭）", "委托律师出庭", "委托代理人", "无", "未出声", "未经复议", "不应当出庭", "非赋权事项"]
        {
            assert_eq!(boolean(s), Some(false), "{s}");
        }
        assert_eq!(boolean("请见附件说明材料第三页的内容"), None);
        assert_eq!(boolean("不详"), None);
        assert_eq!(boolean("否认"), None);
        assert_eq!(boolean("直接起诉"), Some(false));
        assert_eq!(boolean("是，正职"), Some(true));
        assert_eq!(boolean("出庭（副局长张某）"), Some(true));
        assert!(presence("王某某（副局长）"));
        assert_eq!(mask_head("赵某某（局长）"), "赵某（局长）");
        assert!(presence("张三"));
        for s in ["无", "未出庭", "否", "委托代理人李四"] {
            assert!(!presence(s), "{s}");
        }
    }

    #[test]
    fn amounts() {
        assert_eq!(amount_fen("1,200.00", false), Ok(120_000));
        assert_eq!(amount_fen("500元", false), Ok(50_000));
        assert_eq!(amount_fen("0.12", true), Ok(120_000));
        assert_eq!(amount_fen("3.5万元", false), Ok(3_500_000));
        assert_eq!(amount_fen("¥12.345", false), Ok(1235));
        assert_eq!(amount_fen("1.234567", true), Ok(1_234_567));
        assert!(amount_fen("-5", false).unwrap_err().contains("negative"));
        assert!(amount_fen("1,20,0", false).unwrap_err().contains("thousands"));
        assert!(amount_fen("12a", false).is_err());
        assert_eq!(fen_to_yuan(120_005), "1200.05");
    }

    #[test]
    fn headers_and_codes() {
        assert_eq!(header("罚款金额（万元）"), ("罚款金额".to_string(), Some("万元".to_string())));
        assert_eq!(header(" 案 号 "), ("案号".to_string(), None));
        assert_eq!(header("Case_No"), ("case_no".to_string(), None));
        assert_eq!(region_code("411600.0").as_deref(), Some("411600"));
        assert_eq!(region_code("411202001").as_deref(), Some("411202001"));
        assert_eq!(region_code("4112"), None);
        assert_eq!(region_code("411202001000").as_deref(), Some("411202001"));
        assert_eq!(region_code("411202000000").as_deref(), Some("411202"));
        assert_eq!(region_code("411202001001"), None);
    }

    /// The masking as first written (a string per part), kept to check the faster one against.
    fn mask_person_reference(raw: &str) -> String {
        fn one(name: &str) -> String {
            if name.is_empty() {
                return String::new();
            }
            let (core, tail) = match name.find('等') {
                Some(i) if i > 0 => (&name[..i], &name[i..]),
                _ => (name, ""),
            };
            if has_org_marker(core) && core.chars().count() > 3 {
                return name.to_string();
            }
            let surname_len =
                COMPOUND_SURNAMES.iter().find(|p| core.starts_with(*p) && core.chars().count() > 2).map(|p| p.chars().count()).unwrap_or(1);
            let surname: String = core.chars().take(surname_len).collect();
            if core.chars().count() <= surname_len {
                return format!("{core}{tail}");
            }
            format!("{surname}某{tail}")
        }
        let s = raw.trim();
        if has_org_marker(s) && s.chars().count() > 4 {
            return s.to_string();
        }
        let mut out = String::new();
        let mut current = String::new();
        for c in s.chars() {
            if matches!(c, '、' | '，' | ',' | '；' | ';' | ' ') {
                out.push_str(&one(&current));
                out.push(c);
                current.clear();
            } else {
                current.push(c);
            }
        }
        out.push_str(&one(&current));
        out
    }

    /// Random names, organisations and lists of both: the same masking as the reference.
    #[test]
    fn masking_matches_the_reference() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let pieces = ["张", "欧阳", "司马", "三", "娜", "公司", "局", "厂", "店", "、", "，", ",", "；", " ", "等", "3人", "a", "（", "）"];
        for _ in 0..200_000 {
            let len = rng.random_range(0..9);
            let s: String = (0..len).map(|_| pieces[rng.random_range(0..pieces.len())]).collect();
            assert_eq!(mask_person(&s), mask_person_reference(&s), "{s:?}");
        }
    }

    /// The look at the end, then the automaton: the same answer as searching for every marker.
    #[test]
    fn org_markers_are_found_wherever_they_are() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        // Every marker, its last character alone, and text around them.
        let mut pieces: Vec<String> = ORG_MARKERS.iter().map(|m| m.to_string()).collect();
        pieces.extend(ORG_MARKERS.iter().filter_map(|m| m.chars().next_back()).map(String::from));
        pieces.extend(["张", "三", "门", "峡", "a", " "].map(String::from));
        let mut found = 0;
        for _ in 0..100_000 {
            let len = rng.random_range(0..6);
            let s: String = (0..len).map(|_| pieces[rng.random_range(0..pieces.len())].as_str()).collect();
            let want = ORG_MARKERS.iter().any(|m| s.contains(m));
            assert_eq!(has_org_marker(&s), want, "{s:?}");
            found += want as usize;
        }
        assert!(found > 10_000 && found < 90_000, "both answers are drawn: {found}");
    }

    #[test]
    fn masking() {
        assert_eq!(mask_person("张三"), "张某");
        assert_eq!(mask_person("欧阳娜娜"), "欧阳某");
        assert_eq!(mask_person("张三、李四"), "张某、李某");
        assert_eq!(mask_person("王五等3人"), "王某等3人");
        assert_eq!(mask_person("三门峡某某建筑有限公司"), "三门峡某某建筑有限公司");
    }

    #[test]
    fn emptiness_matches_the_text_rule() {
        for s in ["", " ", "\u{3000}", "\u{200B}\u{FEFF} ", "\u{00A0}\t", "a", "　x", "\u{00AD}"] {
            assert_eq!(crate::ingest::read::Cell::Text(s.into()).is_empty(), text(s).is_none(), "{s:?}");
        }
    }

    /// A key whose full-width brackets are kept is borrowed, not copied; one that folds is folded
    /// (the key rule as the validator applies it to a cell its chunk's screen marked).
    #[test]
    fn keys_with_kept_brackets() {
        fn key_cow(raw: &str) -> Option<Cow<'_, str>> {
            trimmed(fold_width_cow(raw, KEY_KEEP))
        }
        assert!(matches!(key_cow("卢公（治）决字〔2023〕1号"), Some(Cow::Borrowed("卢公（治）决字〔2023〕1号"))));
        assert_eq!(key_cow(" 卢公（治）决字〔2023〕１号 ").as_deref(), Some("卢公（治）决字〔2023〕1号"));
    }

    #[test]
    fn text_folding() {
        assert_eq!(text("  ＡＢＣ１２３\u{200B} ").as_deref(), Some("ABC123"));
        assert_eq!(key(" 三政复（２０２４）1号 ").as_deref(), Some("三政复（2024）1号"));
        assert_eq!(text("   "), None);
    }
}
