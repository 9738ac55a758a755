//! Property-based fuzzing of the ingest parsers through the library API: case numbers, cell
//! parsers (date, boolean, amount, region code, text, key, header, name masking), vocabularies,
//! decoding and the CSV reader.
//!
//! - Arbitrary strings and bytes never panic.
//! - Round trips: a date written in every accepted form parses back to itself; `amount_fen` of a
//!   formatted fen value (with and without thousands separators, 元, ¥, 万) returns it;
//!   `caseno::parse(c.to_string()) == c`, and bracket/width/space variants give the same case.
//! - Invariants: amounts are never negative; a parsed date lies in [1990-10-01, today]; text is
//!   trimmed and folded; a region code is 6 or 9 ASCII digits; vocabularies return canonical values.
//! - CSV reader: random tables of random cells (quotes, commas, newlines, CJK …) written with the
//!   csv crate come back from `read_csv_bytes` with the same cells and the right physical lines.
//!
//! The default case count keeps this file a short smoke run (well under 20 s in debug, as CI runs
//! it). Run it longer with FUYUAN_FUZZ_CASES, e.g.
//!
//!     FUYUAN_FUZZ_CASES=200000 cargo test --release --test fuzz_parsers
//!
//! Anything a long run finds becomes a named regression test at the bottom of this file.
use chrono::{Duration, NaiveDate};
use fuyuan::ingest::caseno::{self, CaseNo};
use fuyuan::ingest::cells::{self, DateError};
use fuyuan::ingest::read::{self, Cell};
use fuyuan::ingest::vocab;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

const DEFAULT_CASES: u32 = 1000;

fn cases() -> u32 {
    std::env::var("FUYUAN_FUZZ_CASES").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(DEFAULT_CASES)
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

/// A CSV table costs more per case than one cell; it runs a quarter as many cases.
fn config_tables() -> ProptestConfig {
    ProptestConfig { cases: (cases() / 4).max(32), failure_persistence: None, ..ProptestConfig::default() }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
}

// ------------------------------------------------------------------------------- strategies

/// Characters the parsers care about: digits in both widths, every bracket, the case-number and
/// date words, separators, money signs and units, spaces of every kind, invisible characters,
/// booleans, and a few multi-byte oddities (combining mark, 4-byte CJK, emoji).
const ALPHABET: &[char] = &[
    '0', '1', '2', '4', '5', '9', '０', '１', '２', '９', '(', ')', '（', '）', '[', ']', '〔', '〕', '【', '】', '年', '月', '日', '号',
    '行', '初', '终', '赔', '审', '复', '知', '豫', '京', '最', '高', '法', '之', '一', ',', '，', '.', '。', '-', '－', '/', ':', 'T',
    ' ', '\u{3000}', '\u{00A0}', '\t', '\n', '\u{200B}', '\u{FEFF}', '\u{00AD}', '¥', '￥', '元', '万', '+', '-', 'e', 'E', '是', '否',
    'Y', 'n', '√', '×', '等', '、', '张', '欧', '阳', '某', '公', '司', '局', '判', '决', '裁', '定', '撤', '销', '驳', '回', '诉', '请',
    '求', '原', '告', 'é', '\u{0301}', '𠀀', '😀', '"', '\'', '\\', '\r', '\u{0}',
];

fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(ALPHABET), 0..40).prop_map(|v| v.into_iter().collect::<String>()),
        1 => any::<String>(),
        1 => "\\PC{0,60}",
    ]
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    let first = cells::earliest_date();
    let span = (today() - first).num_days();
    (0..=span).prop_map(move |d| first + Duration::days(d))
}

/// Full-width digits for ASCII digits.
fn wide_digits(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
}

const PROVINCES: &str = "京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵";
const SPECIAL: &str = "知海金铁林环军";

fn arb_case() -> impl Strategy<Value = CaseNo> {
    let provinces: Vec<char> = PROVINCES.chars().collect();
    let special: Vec<char> = SPECIAL.chars().collect();
    let han = prop::char::range('\u{4E00}', '\u{9FFF}');
    let court = prop_oneof![
        1 => Just("最高法".to_string()),
        9 => (prop::sample::select(provinces), prop::sample::select(vec![0usize, 2, 4]), 0u32..10_000)
            .prop_map(|(p, n, d)| if n == 0 { p.to_string() } else { format!("{p}{:0width$}", d % 10u32.pow(n as u32), width = n) }),
    ];
    let kind = prop_oneof![
        3 => prop::sample::select(vec!["行初", "行终", "行再", "行申", "行监", "行抗", "行审", "行审复", "行他", "行赔初", "行赔终", "行赔再"]).prop_map(str::to_string),
        1 => prop::collection::vec(han, 1..=3).prop_map(|v| format!("行{}", v.into_iter().collect::<String>()))
            // A 第 before the number is dropped by the parser (行初第16号), so no type code ends in it.
            .prop_filter("no type code ends in 第", |k| k.chars().count() < 3 || !k.ends_with('第')),
    ];
    (1990u16..=2100, court, prop::option::of(prop::sample::select(special)), kind, 1u64..1_000_000_000_000)
        .prop_map(|(year, court, special, kind, seq)| CaseNo { year, court, special, kind, seq, suffix: None })
}

/// Runs `check` on `cases()` values of `strategy`. `check` returns Ok(true) when the parser
/// accepted the value (and the property held on it), Ok(false) when it refused it. An
/// "if it parses, then …" property passes vacuously on a parser that refuses everything, so this
/// fails unless at least `min_share` of the values were accepted.
fn with_accepted_share<S>(name: &str, strategy: S, min_share: f64, check: impl Fn(S::Value) -> Result<bool, TestCaseError>)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (accepted, total) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let mut runner = proptest::test_runner::TestRunner::new(config());
    let result = runner.run(&strategy, |v| {
        total.fetch_add(1, Ordering::Relaxed);
        if check(v)? {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let (a, t) = (accepted.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
    assert!(
        t > 0 && a as f64 >= min_share * t as f64,
        "{name}: the parser accepted {a} of {t} values, less than {:.0}%",
        min_share * 100.0
    );
}

// ---------------------------------------------------------------------------- case numbers

proptest! {
    #![proptest_config(config())]

    #[test]
    fn caseno_never_panics(s in messy()) {
        let _ = caseno::parse(&s);
    }

    #[test]
    fn caseno_round_trips(c in arb_case()) {
        let text = c.to_string();
        prop_assert_eq!(caseno::parse(&text), Ok(c.clone()), "{}", text);
    }

    #[test]
    fn caseno_variants_share_the_canonical_form(
        c in arb_case(),
        style in 0usize..6,
        wide in any::<bool>(),
        noise in prop::collection::vec((0usize..64, prop::sample::select(vec![' ', '\u{3000}', '\u{200B}', '\u{FEFF}', '\t', '\u{00A0}'])), 0..4),
    ) {
        let canon = c.to_string();
        let (o, cl) = [("（", "）"), ("(", ")"), ("〔", "〕"), ("[", "]"), ("【", "】"), ("(", "）")][style];
        let mut v = canon.replacen('（', o, 1).replacen('）', cl, 1);
        if wide {
            v = wide_digits(&v);
        }
        let mut chars: Vec<char> = v.chars().collect();
        for (at, ch) in noise {
            let at = at % (chars.len() + 1);
            chars.insert(at, ch);
        }
        let v: String = chars.into_iter().collect();
        let parsed = caseno::parse(&v);
        prop_assert!(parsed.is_ok(), "{:?} → {:?}", v, parsed);
        prop_assert_eq!(parsed.unwrap().to_string(), canon);
    }

}

// ------------------------------------------------------------------------------------ dates

proptest! {
    #![proptest_config(config())]

    #[test]
    fn date_never_panics_and_stays_in_range(s in messy(), back in 0i64..20_000) {
        let t = today() - Duration::days(back);
        match cells::date(&s, t) {
            Ok(d) => prop_assert!(d >= cells::earliest_date() && d <= t, "{:?} → {}", s, d),
            Err(e) => { let _ = e.reason(&s); }
        }
    }

    #[test]
    fn every_accepted_date_form_round_trips(d in arb_date(), form in 0usize..12, wide in any::<bool>(), pad in 0usize..4) {
        let f = [
            "%Y-%m-%d", "%Y-%-m-%-d", "%Y/%m/%d", "%Y/%-m/%-d", "%Y.%m.%d", "%Y.%-m.%-d", "%Y年%-m月%-d日", "%Y年%m月%d日", "%Y%m%d",
            "%Y-%m-%d 00:00:00", "%Y-%m-%dT08:30", "%Y/%-m/%-d 12:00",
        ][form];
        let mut s = d.format(f).to_string();
        if wide {
            s = wide_digits(&s);
        }
        let s = format!("{}{s}{}", [" ", "", "\u{200B}", "\u{3000}"][pad], ["", " ", "\u{00A0}", ""][pad]);
        prop_assert_eq!(cells::date(&s, today()), Ok(d), "{:?}", s);
    }

    #[test]
    fn excel_serials_as_text_and_numbers_round_trip(d in arb_date()) {
        let serial = (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
        prop_assert_eq!(cells::excel_serial_to_date(serial as f64), Some(d));
        prop_assert_eq!(cells::excel_serial_to_date(serial as f64 + 0.75), Some(d), "a time of day does not change the date");
        prop_assert_eq!(cells::date(&serial.to_string(), today()), Ok(d));
    }

    #[test]
    fn excel_serial_never_panics(f in any::<f64>()) {
        let _ = cells::excel_serial_to_date(f);
    }

    #[test]
    fn dates_outside_the_range_are_refused(d in arb_date(), after in 1i64..4000, before in 1i64..3000) {
        let late = today() + Duration::days(after);
        prop_assert_eq!(cells::date(&late.format("%Y-%m-%d").to_string(), today()), Err(DateError::Future));
        let early = cells::earliest_date() - Duration::days(before);
        prop_assert_eq!(cells::date(&early.format("%Y-%m-%d").to_string(), today()), Err(DateError::TooEarly));
        prop_assert_eq!(cells::date(&d.format("%Y-%m-%d").to_string(), d), Ok(d), "today itself is allowed");
    }
}

// ---------------------------------------------------------------------------------- amounts

fn with_separators(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The largest amount `amount_fen` accepts (in fen).
const MAX_FEN: i64 = i64::MAX / 100;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn formatted_amounts_round_trip(
        fen in prop_oneof![0i64..1_000_000, 0i64..=MAX_FEN],
        sep in any::<bool>(),
        form in 0usize..6,
        wide in any::<bool>(),
    ) {
        let int = (fen / 100).to_string();
        let int = if sep { with_separators(&int) } else { int };
        let frac = fen % 100;
        let mut s = match form {
            0 => format!("{int}.{frac:02}"),
            1 => format!("{int}.{frac:02}元"),
            2 => format!("¥{int}.{frac:02}"),
            3 => format!("￥ {int}.{frac:02} 元"),
            4 => format!("  {int}.{frac:02}0000 "),
            _ if frac == 0 => int.clone(),
            _ => format!("{int}.{frac:02}"),
        };
        if wide {
            s = s.chars().map(|c| if c.is_ascii_digit() || c == ',' || c == '.' { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect();
        }
        prop_assert_eq!(cells::amount_fen(&s, false), Ok(fen), "{:?}", s);
    }

    #[test]
    fn amounts_in_wan_round_trip(fen in 0i64..=MAX_FEN, sep in any::<bool>(), suffix in any::<bool>()) {
        // 1 万 = 1,000,000 fen: six decimals in 万 are exact.
        let int = (fen / 1_000_000).to_string();
        let int = if sep { with_separators(&int) } else { int };
        let s = format!("{int}.{:06}", fen % 1_000_000);
        if suffix {
            prop_assert_eq!(cells::amount_fen(&format!("{s}万元"), false), Ok(fen), "{}万元", s);
        } else {
            prop_assert_eq!(cells::amount_fen(&s, true), Ok(fen), "{} in a (万元) column", s);
        }
    }

    #[test]
    fn misplaced_separators_are_refused(digits in "[1-9][0-9]{3,12}", at in 1usize..12) {
        // A comma that does not split off groups of exactly three digits.
        let at = at % (digits.len() - 1) + 1;
        let s = format!("{},{}", &digits[..at], &digits[at..]);
        let good = digits.len() - at == 3 && at <= 3;
        prop_assert_eq!(cells::amount_fen(&s, false).is_ok(), good, "{}", s);
    }
}

// ------------------------------------------------------------------- booleans, codes, text

proptest! {
    #![proptest_config(config())]

    #[test]
    fn boolean_never_panics_and_knows_its_words(s in messy(), word in 0usize..22, case in any::<bool>(), pad in any::<bool>()) {
        let _ = cells::boolean(&s);
        let (w, want) = [
            ("是", true), ("否", false), ("Y", true), ("N", false), ("yes", true), ("no", false), ("1", true), ("0", false),
            ("true", true), ("false", false), ("√", true), ("×", false), ("T", true), ("F", false), ("✓", true), ("✗", false),
            ("Ｙ", true), ("Ｎ", false), ("１", true), ("０", false), ("1.0", true), ("0.0", false),
        ][word];
        let w = if case { w.to_uppercase() } else { w.to_lowercase() };
        let w = if pad { format!(" {w}\u{3000}") } else { w };
        prop_assert_eq!(cells::boolean(&w), Some(want), "{:?}", w);
    }

    #[test]
    fn region_code_forms_round_trip(code in prop_oneof!["[1-8][0-9]{5}", "[1-8][0-9]{8}"], form in 0usize..5) {
        let s = match form {
            0 => code.clone(),
            1 => format!("{code}.0"),
            2 => format!("  {code}\u{3000}"),
            3 => wide_digits(&code),
            _ => format!("{}\u{200B}{}", &code[..3], &code[3..]),
        };
        prop_assert_eq!(cells::region_code(&s), Some(code));
    }

    #[test]
    fn header_never_panics_and_has_no_spaces(s in messy()) {
        let (base, unit) = cells::header(&s);
        prop_assert!(!base.chars().any(char::is_whitespace), "{:?} → {:?}", s, base);
        if let Some(u) = unit {
            prop_assert!(!u.chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn header_variants_find_the_base(
        base in prop::sample::select(vec!["案号", "被告", "区划代码", "立案日期", "罚款金额", "处罚决定书文号", "没收违法所得"]),
        unit in prop::sample::select(vec!["", "（元）", "(万元)", "【万元】", "〔元〕", "[元]"]),
        noise in prop::collection::vec((0usize..16, prop::sample::select(vec![' ', '\u{3000}', '\u{200B}', '\u{FEFF}'])), 0..3),
    ) {
        let mut chars: Vec<char> = format!("{base}{unit}").chars().collect();
        for (at, ch) in noise {
            let at = at % (chars.len() + 1);
            chars.insert(at, ch);
        }
        let s: String = chars.into_iter().collect();
        let (b, u) = cells::header(&s);
        prop_assert_eq!(b.as_str(), base, "{:?}", s);
        prop_assert_eq!(u.is_some(), !unit.is_empty());
    }

    #[test]
    fn mask_person_never_panics(s in messy()) {
        let _ = cells::mask_person(&s);
    }

    #[test]
    fn personal_names_lose_the_given_name(
        surname in prop::sample::select(vec!["张", "王", "李", "赵", "刘", "陈", "欧阳", "司马", "诸葛", "上官"]),
        given in prop::collection::vec(prop::sample::select(vec!['三', '娜', '伟', '芳', '军', '敏', '静', '磊', '洋', '勇']), 1..=2),
    ) {
        let given: String = given.into_iter().collect();
        let name = format!("{surname}{given}");
        prop_assert_eq!(cells::mask_person(&name), format!("{surname}某"));
        prop_assert_eq!(cells::mask_person(&format!("{name}、{name}")), format!("{surname}某、{surname}某"));
    }
}

// ------------------------------------------------------------------------------ vocabularies

proptest! {
    #![proptest_config(config())]

    #[test]
    fn vocabularies_never_panic_and_return_canonical_values(s in messy()) {
        if let Some(v) = vocab::outcome(&s) {
            prop_assert!(vocab::OUTCOMES.contains(&v), "{:?} → {}", s, v);
        }
        if let Some(v) = vocab::decision(&s) {
            prop_assert!(vocab::DECISIONS.contains(&v), "{:?} → {}", s, v);
        }
        if let Some(v) = vocab::leniency(&s) {
            prop_assert!(vocab::LENIENCY.contains(&v), "{:?} → {}", s, v);
        }
    }

    #[test]
    fn canonical_values_map_to_themselves(i in 0usize..16, prefix in 0usize..4, spaced in any::<bool>()) {
        let sp = |s: &str| if spaced { s.chars().map(|c| format!("{c} ")).collect::<String>() } else { s.to_string() };
        let p = ["", "判决", "裁定", "决定"][prefix];
        let o = vocab::OUTCOMES[i % vocab::OUTCOMES.len()];
        prop_assert_eq!(vocab::outcome(&sp(&format!("{p}{o}"))), Some(o));
        let d = vocab::DECISIONS[i % vocab::DECISIONS.len()];
        prop_assert_eq!(vocab::decision(&sp(&format!("{p}{d}"))), Some(d));
        let l = vocab::LENIENCY[i % vocab::LENIENCY.len()];
        prop_assert_eq!(vocab::leniency(&sp(l)), Some(l));
    }
}

// ------------------------------------------------------------------------ decoding and CSV

/// Text that GBK can encode: ASCII, common CJK (the ledgers' words and place names), full-width
/// punctuation.
fn gbk_text() -> impl Strategy<Value = String> {
    let words: Vec<&str> = vec![
        "案号",
        "被告",
        "区划代码",
        "立案日期",
        "郑州市",
        "驻马店",
        "平顶山",
        "三门峡",
        "豫",
        "原告",
        "执法机关",
        "（",
        "）",
        "，",
        "。",
        "张三",
        "湖滨区",
        "人民法院",
        "2024",
        "-",
        ",",
        "\n",
        " ",
        "a",
        "行初",
        "号",
        "、",
        "：",
        "洛阳",
        "开封",
        "许昌",
        "漯河",
        "鹤壁",
    ];
    prop::collection::vec(prop::sample::select(words), 1..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = read::decode(&bytes, "f.csv") {
            let msg = e.to_string();
            prop_assert!(msg.starts_with("f.csv: line ") && msg.lines().count() == 1, "{:?}", msg);
        }
    }

    #[test]
    fn decode_returns_utf8_unchanged(s in any::<String>(), bom in any::<bool>()) {
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(s.as_bytes());
        let (text, _) = read::decode(&bytes, "f.csv").unwrap();
        if bom {
            prop_assert_eq!(text, s);
        } else {
            // Without a BOM, only a leading BOM character is taken as one.
            prop_assert_eq!(text.trim_start_matches('\u{FEFF}'), s.trim_start_matches('\u{FEFF}'));
        }
    }

    #[test]
    fn decode_reads_gbk_text(s in gbk_text()) {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(&s);
        prop_assume!(!unmappable);
        // GBK bytes that are also valid UTF-8 are ambiguous; UTF-8 wins then.
        prop_assume!(std::str::from_utf8(&bytes).is_err());
        let got = read::decode(&bytes, "f.csv");
        prop_assert!(got.is_ok(), "{:?}: {:?}", s, got.err().map(|e| e.to_string()));
        let (text, enc) = got.unwrap();
        prop_assert_eq!(text, s);
        prop_assert_eq!(enc, "gb18030");
    }

    #[test]
    fn decode_reads_utf16_with_a_bom(s in "\\PC{0,60}", little in any::<bool>()) {
        let mut bytes = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&if little { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let (text, _) = read::decode(&bytes, "f.csv").unwrap();
        prop_assert_eq!(text.as_str(), s.trim_start_matches('\u{FEFF}'));
    }

    #[test]
    fn read_csv_never_panics(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        messy().prop_map(String::into_bytes),
        prop::collection::vec(prop::sample::select(b"\"\r\n,;\t|a\xe5\xb9\xb4 ".to_vec()), 0..200),
    ]) {
        match read::read_csv_bytes(&bytes, "f.csv") {
            Ok(_) => {}
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("f.csv: line ") && !msg.starts_with("f.csv: line 0,") && msg.lines().count() == 1, "{:?}", msg);
            }
        }
    }
}

/// Characters of data cells: the ones CSV must quote, CJK, spaces, other delimiters, oddities.
const CELL_CHARS: &[char] = &[
    'a', 'Z', '0', '9', ' ', ',', '"', '\n', '\r', '\t', ';', '|', '案', '号', '（', '）', '豫', '，', '、', '\u{3000}', '\u{200B}', 'é',
    '😀', '#', '=', '-', '\'',
];
/// Characters of header cells: nothing that changes delimiter sniffing or the first line.
const HEADER_CHARS: &[char] = &['a', 'Z', '0', ' ', '案', '号', '被', '告', '（', '）', '_', 'é'];

fn cell(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(chars), 0..max).prop_map(|v| v.into_iter().collect())
}

#[derive(Debug, Clone)]
struct Table {
    delimiter: u8,
    crlf: bool,
    bom: bool,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Blank lines written after each row (0 or more).
    blanks: Vec<usize>,
}

fn arb_table() -> impl Strategy<Value = Table> {
    // At least two columns: a header without any delimiter is read as a caption above the real
    // header (fuyuan then looks at the lines below for the delimiter), so a one-column file's
    // delimiter is undecidable by design. Ledgers have at least four columns.
    (2usize..7, prop::sample::select(vec![b',', b',', b'\t', b';', b'|']), any::<bool>(), any::<bool>())
        .prop_flat_map(|(ncols, delimiter, crlf, bom)| {
            // Real headers are not blank (a blank first line would make the sniffer look further).
            let header = prop::collection::vec(cell(HEADER_CHARS, 6).prop_map(|c| format!("h{c}")), ncols);
            let rows = prop::collection::vec(prop::collection::vec(cell(CELL_CHARS, 8), 1..=ncols + 1), 0..12);
            (
                Just(delimiter),
                Just(crlf),
                Just(bom),
                header,
                rows,
                prop::collection::vec(prop_oneof![6 => Just(0usize), 1 => 1usize..3], 13),
            )
        })
        .prop_map(|(delimiter, crlf, bom, header, rows, blanks)| Table { delimiter, crlf, bom, header, rows, blanks })
}

/// Writes the table with the csv crate; returns the bytes and each record's expected physical line
/// (1 + the number of line breaks before its first byte: "\r\n", "\n" or a lone "\r", as an
/// editor counts them).
fn write_table(t: &Table) -> (Vec<u8>, Vec<u64>) {
    let mut out: Vec<u8> = if t.bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    let mut lines = Vec::new();
    let term = if t.crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
    let eol: &[u8] = if t.crlf { b"\r\n" } else { b"\n" };
    let records = std::iter::once(&t.header).chain(t.rows.iter());
    for (i, rec) in records.enumerate() {
        let breaks = (0..out.len()).filter(|&i| out[i] == b'\n' || (out[i] == b'\r' && out.get(i + 1) != Some(&b'\n'))).count();
        lines.push(breaks as u64 + 1);
        let mut w = csv::WriterBuilder::new().delimiter(t.delimiter).terminator(term).flexible(true).from_writer(Vec::new());
        w.write_record(rec).unwrap();
        out.extend(w.into_inner().unwrap());
        if i > 0 {
            for _ in 0..t.blanks[i - 1] {
                out.extend_from_slice(eol);
            }
        }
    }
    (out, lines)
}

proptest! {
    #![proptest_config(config_tables())]

    #[test]
    fn csv_tables_round_trip_with_their_lines(t in arb_table()) {
        let (bytes, lines) = write_table(&t);
        let got = read::read_csv_bytes(&bytes, "t.csv");
        prop_assert!(got.is_ok(), "{:?}\n{:?}", got.err().map(|e| e.to_string()), String::from_utf8_lossy(&bytes));
        let got = got.unwrap();
        let want: Vec<&Vec<String>> = std::iter::once(&t.header).chain(t.rows.iter()).collect();
        let cells: Vec<Vec<String>> = got.records.iter().map(|r| r.cells.iter().map(Cell::to_text).collect()).collect();
        let want_cells: Vec<Vec<String>> = want.iter().map(|r| r.to_vec()).collect();
        prop_assert_eq!(&cells, &want_cells, "{:?}", String::from_utf8_lossy(&bytes));
        let got_lines: Vec<u64> = got.records.iter().map(|r| r.line).collect();
        prop_assert_eq!(got_lines, lines, "{:?}", String::from_utf8_lossy(&bytes));
        // Empty fields are Cell::Empty, others Cell::Text.
        for r in &got.records {
            for c in &r.cells {
                prop_assert!(!matches!(c, Cell::Text(s) if s.is_empty()));
            }
        }
    }
}

// ------------------------------------------------------------------ named regression tests

/// GBK bytes of 郑 (D6 A3), 豫 (D4 A5), 原 (D4 AD), 执 (D6 B4), 驻 (D7 A4), 平 (C6 BD) happen to
/// form valid two-byte UTF-8 sequences. When such a character is the first non-ASCII one in a GBK
/// file, `decode` sees a "valid UTF-8 prefix with high bytes" and refuses the file as mixed
/// encodings (src/ingest/read.rs, `decode`, the `good.iter().any(|b| *b >= 0x80)` check).
#[test]
fn regression_gbk_whose_first_chinese_char_looks_like_utf8() {
    for s in [
        "郑州市2024年行政诉讼案件台账\n案号,被告\n",
        "case_no,defendant\n(2024)豫1202行初1号,三门峡市自然资源局\n",
        "原告,案号\n张三,1\n",
        "执法机关,文号\n甲局,1\n",
    ] {
        let (bytes, _, _) = encoding_rs::GBK.encode(s);
        assert!(std::str::from_utf8(&bytes).is_err());
        match read::decode(&bytes, "f.csv") {
            Ok((text, enc)) => assert_eq!((text.as_str(), enc), (s, "gb18030")),
            Err(e) => panic!("GBK text {s:?} refused: {e}"),
        }
    }
}

/// Old Mac Excel exports end lines with a bare CR. The csv crate splits records on it, but the
/// physical line is counted from '\n' only, so every record is reported on line 1.
#[test]
fn regression_cr_only_line_endings_number_lines() {
    let t = read::read_csv_bytes(b"a,b\r1,2\r3,4\r", "f.csv").unwrap();
    let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![1, 2, 3]);
}

// ------------------------------------------------- "if it parses, then …" with a required share

/// Messy strings, and as many again that are meant to parse (so that a parser refusing
/// everything fails the share below).
fn messy_or(valid: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop_oneof![messy(), valid]
}

#[test]
fn a_parsed_caseno_is_canonical_and_stable() {
    with_accepted_share("caseno", messy_or(arb_case().prop_map(|c| c.to_string())), 0.4, |s| {
        let Ok(c) = caseno::parse(&s) else { return Ok(false) };
        let canon = c.to_string();
        prop_assert!((1990..=2100).contains(&c.year));
        prop_assert!(c.seq > 0);
        prop_assert!(canon.starts_with('（') && canon.ends_with('号'));
        prop_assert_eq!(caseno::parse(&canon), Ok(c));
        Ok(true)
    });
}

#[test]
fn amount_never_panics_and_is_never_negative() {
    let amounts =
        (0i64..10_000_000, any::<bool>()).prop_map(|(f, yuan)| format!("{}.{:02}{}", f / 100, f % 100, if yuan { "元" } else { "" }));
    with_accepted_share("amount", (messy_or(amounts), any::<bool>()), 0.4, |(s, wan)| {
        let Ok(v) = cells::amount_fen(&s, wan) else { return Ok(false) };
        prop_assert!(v >= 0, "{:?} → {}", s, v);
        Ok(true)
    });
}

#[test]
fn region_code_is_six_or_nine_digits() {
    let codes = prop_oneof!["[1-6][0-9]{5}", "[1-6][0-9]{8}", "４１１２０２"];
    with_accepted_share("region code", messy_or(codes), 0.4, |s| {
        let Some(c) = cells::region_code(&s) else { return Ok(false) };
        prop_assert!((c.len() == 6 || c.len() == 9) && c.bytes().all(|b| b.is_ascii_digit()), "{:?} → {:?}", s, c);
        Ok(true)
    });
}

#[test]
fn text_is_trimmed_folded_and_idempotent() {
    with_accepted_share("text", messy(), 0.5, |s| {
        let Some(t) = cells::text(&s) else {
            prop_assert!(
                s.chars()
                    .all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')),
                "{:?} is not blank",
                s
            );
            return Ok(false);
        };
        prop_assert!(!t.is_empty() && t.trim() == t, "{:?} → {:?}", s, t);
        prop_assert!(!t.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c)), "full-width ASCII left in {:?}", t);
        prop_assert!(
            !t.chars().any(|c| matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{3000}')),
            "{:?}",
            t
        );
        prop_assert_eq!(cells::text(&t), Some(t.clone()));
        Ok(true)
    });
}

#[test]
fn key_keeps_full_width_brackets() {
    with_accepted_share("key", messy(), 0.5, |s| {
        let Some(k) = cells::key(&s) else { return Ok(false) };
        prop_assert_eq!(k.trim(), k.as_str());
        let brackets = |x: &str| x.chars().filter(|c| matches!(c, '（' | '）')).count();
        prop_assert_eq!(brackets(&k), brackets(&s));
        prop_assert_eq!(cells::key(&k), Some(k.clone()));
        Ok(true)
    });
}

/// Each record starts on a later physical line than the one before, whatever the line breaks
/// (LF, CRLF or a bare CR) and the quoting.
#[test]
fn csv_record_lines_increase() {
    // Tokens rather than single bytes, so most inputs are UTF-8 (年 whole) and some are not (a
    // lone lead byte).
    let tokens: Vec<&'static [u8]> =
        vec![b"\"", b"\"\"", b"\r", b"\n", b"\r\n", b",", b",", b";", b"a", b"a", b"a", "年".as_bytes(), "年".as_bytes(), b" "];
    let bytes =
        (prop::collection::vec(prop::sample::select(tokens), 0..120), prop::option::weighted(0.1, 0usize..120)).prop_map(|(v, lone)| {
            let mut b = v.concat();
            if let Some(at) = lone {
                b.insert(at.min(b.len()), 0xE5);
            }
            b
        });
    with_accepted_share("csv lines", bytes, 0.2, |bytes| {
        let Ok(t) = read::read_csv_bytes(&bytes, "f.csv") else { return Ok(false) };
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        prop_assert!(
            lines.windows(2).all(|w| w[0] < w[1]) && lines.first().is_none_or(|l| *l >= 1),
            "{:?}: {:?}",
            String::from_utf8_lossy(&bytes),
            lines
        );
        Ok(true)
    });
}
