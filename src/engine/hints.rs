//! SQL errors that help: a missing table or column is named with what exists and the closest
//! name by edit distance ("did you mean litigation?"), as DuckDB does. Still one line.

/// The tables and views a query can name, each with its columns.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub tables: Vec<(String, Vec<String>)>,
}

/// Levenshtein distance over characters (names may be Chinese column aliases in a view).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `name` (case-insensitive; ties go to the first in order), when it is
/// closer than rewriting the whole name.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d < lower.chars().count().max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The message DataFusion gave for `sql`, rewritten when it is a missing table or column.
pub fn explain(message: &str, sql: &str, catalog: &Catalog) -> Option<String> {
    if let Some(name) = missing_table(message) {
        let names: Vec<&str> = catalog.tables.iter().map(|(t, _)| t.as_str()).collect();
        let mut s = format!("no table {name}; the tables are {}", names.join(", "));
        if let Some(c) = closest(&name, names.iter().copied()) {
            s.push_str(&format!("; did you mean {c}?"));
        }
        return Some(s);
    }
    let name = missing_column(message)?;
    // An alias or table qualifier (`l.filed_dat`) is not part of the column's name.
    let bare = name.rsplit('.').next().unwrap_or(&name).to_string();
    let words = identifiers(sql);
    let used: Vec<&(String, Vec<String>)> = catalog.tables.iter().filter(|(t, _)| words.contains(&t.to_lowercase())).collect();
    if used.is_empty() {
        return Some(format!("no column {name}"));
    }
    let lists: Vec<String> = used.iter().map(|(t, cols)| format!("{t}: {}", cols.join(", "))).collect();
    let mut s = format!("no column {name}; the columns of {}", lists.join("; "));
    if let Some(c) = closest(&bare, used.iter().flat_map(|(_, cols)| cols.iter().map(String::as_str))) {
        s.push_str(&format!("; did you mean {c}?"));
    }
    Some(s)
}

/// `table 'datafusion.public.litigaton' not found` → `litigaton`.
fn missing_table(message: &str) -> Option<String> {
    let start = message.find("table '")? + "table '".len();
    let rest = &message[start..];
    let end = rest.find("' not found")?;
    Some(rest[..end].rsplit('.').next().unwrap_or(&rest[..end]).to_string())
}

/// `No field named l.filed_dat. Did you mean …` → `l.filed_dat`.
fn missing_column(message: &str) -> Option<String> {
    let start = message.find("No field named ")? + "No field named ".len();
    let rest = &message[start..];
    let end = rest.find(". ").or_else(|| rest.strip_suffix('.').map(str::len)).unwrap_or(rest.len());
    Some(rest[..end].trim_matches('"').to_string())
}

/// The words of a query that could name a table, lower-cased.
fn identifiers(sql: &str) -> Vec<String> {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog {
            tables: vec![
                ("court".into(), vec!["case_no".into()]),
                ("litigation".into(), vec!["case_no".into(), "filed_date".into(), "region_code".into()]),
                ("litigation_cases".into(), vec!["case_no".into(), "is_loss".into()]),
                ("regions".into(), vec!["code".into(), "name".into()]),
            ],
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("litigaton", "litigation"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("区划", "区划代码"), 2);
    }

    #[test]
    fn a_missing_table_lists_the_tables_and_the_closest() {
        let m = "Error during planning: table 'datafusion.public.litigaton' not found";
        assert_eq!(
            explain(m, "select * from litigaton", &catalog()).unwrap(),
            "no table litigaton; the tables are court, litigation, litigation_cases, regions; did you mean litigation?"
        );
        // Nothing close: no guess.
        let m = "Error during planning: table 'datafusion.public.xyz' not found";
        assert!(!explain(m, "select * from xyz", &catalog()).unwrap().contains("did you mean"));
    }

    #[test]
    fn a_missing_column_lists_the_columns_of_the_tables_in_the_query() {
        let m = "Schema error: No field named l.filed_dat. Did you mean 'l.filed_date'?";
        let sql = "select l.filed_dat from litigation l join regions r on r.code = l.region_code";
        assert_eq!(
            explain(m, sql, &catalog()).unwrap(),
            "no column l.filed_dat; the columns of litigation: case_no, filed_date, region_code; regions: code, name; did you mean filed_date?"
        );
        let m = "Schema error: No field named nme.";
        assert_eq!(
            explain(m, "SELECT nme FROM REGIONS", &catalog()).unwrap(),
            "no column nme; the columns of regions: code, name; did you mean name?"
        );
        assert_eq!(explain("Arrow error: divide by zero", "select 1/0", &catalog()), None);
    }
}
