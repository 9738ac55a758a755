//! Cell rules of the supervision ledger (监督台账) beyond the shared ones: the related case
//! numbers (关联案号) and the count of officers held accountable (追责人数).
use super::caseno;
use super::width::fold_width;

/// Separators clerks put between case numbers: 、 ， , ； ; and spaces.
fn is_separator(c: char) -> bool {
    matches!(c, '、' | '，' | ',' | '；' | ';')
}

/// Splits a list of case numbers and writes each one that parses as a litigation case number in
/// canonical form; the others (reconsideration numbers such as 三政复决〔2024〕5号) are kept
/// trimmed. The result is joined with 、. A case number written with inner spaces
/// (（2024） 豫1202行初15号) stays one number: space-separated pieces are joined until they make
/// a number that parses or end with 号.
pub fn case_list(raw: &str) -> Option<String> {
    let folded = fold_width(raw, &['（', '）']);
    let mut out: Vec<String> = Vec::new();
    for piece in folded.split(is_separator) {
        let mut pending = String::new();
        for token in piece.split_whitespace() {
            pending.push_str(token);
            if let Ok(c) = caseno::parse(&pending) {
                out.push(c.to_string());
                pending.clear();
            } else if pending.ends_with('号') {
                out.push(std::mem::take(&mut pending));
            }
        }
        if !pending.is_empty() {
            out.push(match caseno::parse(&pending) {
                Ok(c) => c.to_string(),
                Err(_) => pending,
            });
        }
    }
    (!out.is_empty()).then(|| out.join("、"))
}

/// A whole number ≥ 0: `3`, `3人`, `3名`, `3.0` (a number cell). Negative or fractional counts,
/// and text that is no number, are refused with a reason.
pub fn count(raw: &str) -> Result<i64, String> {
    let s: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.trim_end_matches(['人', '名']);
    let bad = || format!("'{}' is not a whole number of persons ≥ 0", raw.trim());
    if let Ok(n) = s.parse::<i64>() {
        return if n < 0 { Err(format!("person count {n} is negative")) } else { Ok(n) };
    }
    match s.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && (0.0..1e12).contains(&f) => Ok(f as i64),
        Ok(f) if f.is_finite() && f < 0.0 => Err(format!("person count {} is negative", raw.trim())),
        Ok(f) if f.is_finite() => Err(format!("person count {} is not a whole number", raw.trim())),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_lists_split_and_canonicalise() {
        assert_eq!(
            case_list("(2024)豫1202行初15号、（2024）豫1202行初16号").as_deref(),
            Some("（2024）豫1202行初15号、（2024）豫1202行初16号")
        );
        assert_eq!(case_list("〔2023〕豫12行终3号；三政复决〔2024〕5号").as_deref(), Some("（2023）豫12行终3号、三政复决〔2024〕5号"));
        assert_eq!(
            case_list("(2024)豫1202行初15号 (2024)豫1202行初16号").as_deref(),
            Some("（2024）豫1202行初15号、（2024）豫1202行初16号")
        );
        assert_eq!(case_list("（2024） 豫1202 行初 15 号,").as_deref(), Some("（2024）豫1202行初15号"));
        assert_eq!(case_list(" 、 "), None);
    }

    #[test]
    fn counts() {
        assert_eq!(count("3"), Ok(3));
        assert_eq!(count("3人"), Ok(3));
        assert_eq!(count("０"), Ok(0));
        assert_eq!(count("2.0"), Ok(2));
        assert!(count("-1").unwrap_err().contains("negative"));
        assert!(count("1.5").unwrap_err().contains("whole"));
        assert!(count("若干").is_err());
    }
}
