//! Court case numbers (案号), docs/ledgers.md: `（收案年度）法院代字[专门审判代字]类型代字 编号 号`,
//! e.g. `（2024）豫1202行初15号`. Parsing accepts （）, (), 〔〕, [] and 【】 brackets, spaces
//! and full-width digits; `Display` gives the one canonical form with full-width （） and no spaces.
use std::fmt;

/// Province-level short names used as the first character of a court code (plus 兵 for the
/// Xinjiang Production and Construction Corps courts).
const PROVINCES: &str = "京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵";
/// Single-character specialised-trial codes that may stand before the type code (知 = IP court).
const SPECIAL: &str = "知海金铁林环军";
/// First-instance type codes (docs/ledgers.md).
pub const FIRST_INSTANCE: [&str; 2] = ["行初", "行赔初"];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseNo {
    pub year: u16,
    /// Court code: province short name + 0, 2 or 4 digits (豫, 豫12, 豫1202), or 最高法.
    pub court: String,
    pub special: Option<char>,
    /// Type code, e.g. 行初, 行赔初, 行终.
    pub kind: String,
    pub seq: u64,
    /// 之一, 之二 …: a case split from another keeps its own number (（2024）豫12行初17号之一).
    pub suffix: Option<String>,
}

impl CaseNo {
    pub fn is_first_instance(&self) -> bool {
        FIRST_INSTANCE.contains(&self.kind.as_str())
    }
}

impl fmt::Display for CaseNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "（{}）{}", self.year, self.court)?;
        if let Some(c) = self.special {
            write!(f, "{c}")?;
        }
        write!(f, "{}{}号", self.kind, self.seq)?;
        if let Some(sfx) = &self.suffix {
            write!(f, "之{sfx}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNoError(pub &'static str);

impl fmt::Display for CaseNoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

fn normalise(raw: &str) -> Vec<char> {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

pub fn parse(raw: &str) -> Result<CaseNo, CaseNoError> {
    let s = normalise(raw);
    let mut i = 0;
    let take_digits = |i: &mut usize| {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        s[start..*i].iter().collect::<String>()
    };
    if s.is_empty() {
        return Err(CaseNoError("empty case number"));
    }
    if !matches!(s[0], '（' | '(' | '〔' | '[' | '【') {
        return Err(CaseNoError("case number must start with the year in brackets"));
    }
    i += 1;
    let year = take_digits(&mut i);
    if year.len() != 4 {
        return Err(CaseNoError("case number year must have 4 digits"));
    }
    let year: u16 = year.parse().map_err(|_| CaseNoError("bad year"))?;
    if !(1990..=2100).contains(&year) {
        return Err(CaseNoError("case number year out of range"));
    }
    if i >= s.len() || !matches!(s[i], '）' | ')' | '〕' | ']' | '】') {
        return Err(CaseNoError("case number year bracket is not closed"));
    }
    i += 1;
    let mut court = String::new();
    if s[i..].starts_with(&['最', '高', '法']) {
        court.push_str("最高法");
        i += 3;
    } else {
        match s.get(i) {
            Some(c) if PROVINCES.contains(*c) => {
                court.push(*c);
                i += 1;
            }
            _ => return Err(CaseNoError("case number has no court code (province short name)")),
        }
        let digits = take_digits(&mut i);
        if !matches!(digits.len(), 0 | 2 | 4) {
            return Err(CaseNoError("court code must have 0, 2 or 4 digits"));
        }
        court.push_str(&digits);
    }
    let mut special = None;
    if let Some(c) = s.get(i)
        && SPECIAL.contains(*c)
        && s.get(i + 1) == Some(&'行')
    {
        special = Some(*c);
        i += 1;
    }
    if s.get(i) != Some(&'行') {
        return Err(CaseNoError("case number type code must be administrative (行…)"));
    }
    let mut kind = String::new();
    while i < s.len() && !s[i].is_ascii_digit() && kind.chars().count() < 4 {
        kind.push(s[i]);
        i += 1;
    }
    // 行初第16号: the 第 some clerks type before the number is not part of the type code.
    if kind.chars().count() > 2 && kind.ends_with('第') {
        kind.pop();
    } else if s.get(i) == Some(&'第') {
        i += 1;
    }
    if kind.chars().count() < 2 || kind.chars().any(|c| !is_han(c)) {
        return Err(CaseNoError("case number type code is not recognised"));
    }
    let seq = take_digits(&mut i);
    if seq.is_empty() || seq.len() > 12 {
        return Err(CaseNoError("case number has no sequence number"));
    }
    let seq: u64 = seq.parse().map_err(|_| CaseNoError("bad sequence number"))?;
    if seq == 0 {
        return Err(CaseNoError("case number sequence must be positive"));
    }
    if s.get(i) != Some(&'号') {
        return Err(CaseNoError("case number must end with 号"));
    }
    i += 1;
    let suffix = match s.get(i) {
        None => None,
        Some('之') => Some(split_suffix(&s[i + 1..])?),
        Some(_) => return Err(CaseNoError("unexpected text after 号 in case number")),
    };
    Ok(CaseNo { year, court, special, kind, seq, suffix })
}

const NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// The part after 之: Chinese numerals 一 … 九十九, or digits, stored as Chinese numerals.
fn split_suffix(rest: &[char]) -> Result<String, CaseNoError> {
    let bad = CaseNoError("case number suffix after 号 must be 之 and a number (之一, 之二 …)");
    if rest.is_empty() || rest.len() > 3 {
        return Err(bad);
    }
    if rest.iter().all(|c| c.is_ascii_digit()) {
        let n: u32 = rest.iter().collect::<String>().parse().map_err(|_| bad.clone())?;
        if !(1..100).contains(&n) {
            return Err(bad);
        }
        let (tens, ones) = (n / 10, n % 10);
        let mut out = String::new();
        if tens > 1 {
            out.push(NUMERALS[tens as usize - 1]);
        }
        if tens > 0 {
            out.push('十');
        }
        if ones > 0 {
            out.push(NUMERALS[ones as usize - 1]);
        }
        return Ok(out);
    }
    if rest.iter().all(|c| NUMERALS.contains(c)) {
        return Ok(rest.iter().collect());
    }
    Err(bad)
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_contract_example() {
        let c = parse("（2024）豫1202行初15号").unwrap();
        assert_eq!(c.year, 2024);
        assert_eq!(c.court, "豫1202");
        assert_eq!(c.kind, "行初");
        assert_eq!(c.seq, 15);
        assert!(c.is_first_instance());
        assert_eq!(c.to_string(), "（2024）豫1202行初15号");
    }

    #[test]
    fn bracket_and_space_variants_share_one_form() {
        for s in [
            "(2024)豫1202行初15号",
            "〔2024〕豫1202行初15号",
            "[2024]豫1202行初15号",
            "（2024） 豫1202 行初 15 号",
            "(２０２４)豫1202行初０15号",
        ] {
            assert_eq!(parse(s).unwrap().to_string(), "（2024）豫1202行初15号", "{s}");
        }
    }

    #[test]
    fn court_levels_and_types() {
        assert_eq!(parse("（2023）豫行终3号").unwrap().court, "豫");
        assert_eq!(parse("（2023）豫12行终3号").unwrap().court, "豫12");
        let c = parse("（2023）豫1202行赔初3号").unwrap();
        assert_eq!(c.kind, "行赔初");
        assert!(c.is_first_instance());
        assert!(!parse("（2023）豫12行终3号").unwrap().is_first_instance());
        assert_eq!(parse("（2024）最高法行申100号").unwrap().court, "最高法");
        assert_eq!(parse("（2024）京73知行初5号").unwrap().special, Some('知'));
    }

    #[test]
    fn di_is_dropped_and_split_cases_are_kept() {
        assert_eq!(parse("（2024）豫1202行初第16号").unwrap().to_string(), "（2024）豫1202行初16号");
        assert_eq!(parse("(2024)豫1202行初 第 16 号").unwrap().to_string(), "（2024）豫1202行初16号");
        let split = parse("（2024）豫12行初17号之一").unwrap();
        assert_eq!(split.to_string(), "（2024）豫12行初17号之一");
        assert_ne!(split, parse("（2024）豫12行初17号").unwrap());
        assert_eq!(parse("（2024）豫12行初17号之2").unwrap().to_string(), "（2024）豫12行初17号之二");
        assert_eq!(parse("（2024）豫12行初17号之12").unwrap().to_string(), "（2024）豫12行初17号之十二");
        assert!(split.is_first_instance());
    }

    #[test]
    fn rejects_malformed_numbers() {
        for s in [
            "2024豫1202行初15号",
            "（2024豫1202行初15号",
            "（2024）豫1202行初15",
            "（24）豫1202行初15号",
            "（2024）豫123行初15号",
            "（2024）X1202行初15号",
            "（2024）豫1202民初15号",
            "（2024）豫1202行初号",
            "（2024）豫1202行初15号之",
            "（2024）豫1202行初15号之甲",
            "",
        ] {
            assert!(parse(s).is_err(), "{s}");
        }
    }

    fn arb_case() -> impl Strategy<Value = CaseNo> {
        (
            1990u16..2100,
            prop::sample::select(vec!['豫', '京', '粤', '新']),
            prop::sample::select(vec!["", "12", "1202", "07"]),
            prop::option::of(prop::sample::select(vec!['知', '铁'])),
            prop::sample::select(vec!["行初", "行终", "行赔初", "行审复", "行申"]),
            1u64..1_000_000,
        )
            .prop_map(|(year, p, d, special, kind, seq)| CaseNo {
                year,
                court: format!("{p}{d}"),
                special,
                kind: kind.to_string(),
                seq,
                suffix: None,
            })
    }

    proptest! {
        #[test]
        fn canonical_form_round_trips(c in arb_case()) {
            prop_assert_eq!(parse(&c.to_string()).unwrap(), c);
        }

        #[test]
        fn bracket_styles_and_spaces_do_not_change_the_case(c in arb_case(), style in 0usize..4, spaced in any::<bool>()) {
            let (o, cl) = [("(", ")"), ("〔", "〕"), ("[", "]"), ("【", "】")][style];
            let canon = c.to_string();
            let mut v = canon.replacen('（', o, 1).replacen('）', cl, 1);
            if spaced { v = v.chars().map(|ch| format!("{ch} ")).collect(); }
            prop_assert_eq!(parse(&v).unwrap().to_string(), canon);
        }

        #[test]
        fn parser_never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }
    }
}
