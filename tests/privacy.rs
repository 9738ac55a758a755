//! No natural person's name from the inputs appears in any output of `fuyuan run` (briefing,
//! charts, dashboard, metrics), in text files or inside .docx/.xlsx archives.
mod util;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Reader, open_workbook_auto};
use util::Dir;

/// The personal-data columns of the three ledgers (docs/ledgers.md).
const NAME_HEADERS: [&str; 3] = ["原告", "申请人", "当事人"];

fn names_in_csv(path: &Path, out: &mut BTreeSet<String>) {
    let bytes = std::fs::read(path).unwrap();
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
    };
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let cols: Vec<usize> = headers.iter().enumerate().filter(|(_, h)| NAME_HEADERS.contains(&h.trim())).map(|(i, _)| i).collect();
    for rec in r.records() {
        let rec = rec.unwrap();
        for &c in &cols {
            if let Some(v) = rec.get(c) {
                out.insert(v.trim().to_string());
            }
        }
    }
}

fn names_in_xlsx(path: &Path, out: &mut BTreeSet<String>) {
    let mut wb = open_workbook_auto(path).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let cols: Vec<usize> = header.iter().enumerate().filter(|(_, h)| NAME_HEADERS.contains(&h.trim())).map(|(i, _)| i).collect();
    for row in rows {
        for &c in &cols {
            if let Some(v) = row.get(c) {
                out.insert(v.to_string().trim().to_string());
            }
        }
    }
}

/// Natural persons only: names that masking changes (an organisation stays whole).
fn person_names(inputs: &Path) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for e in std::fs::read_dir(inputs).unwrap() {
        let p = e.unwrap().path();
        match p.extension().and_then(|x| x.to_str()) {
            Some("csv") if !p.file_name().unwrap().to_string_lossy().starts_with("regions") => names_in_csv(&p, &mut all),
            Some("xlsx") => names_in_xlsx(&p, &mut all),
            _ => {}
        }
    }
    all.into_iter().filter(|n| !n.is_empty() && fuyuan::ingest::cells::mask_person(n) != *n).flat_map(|n| split_names(&n)).collect()
}

fn split_names(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', '；', ';', ' '])
        .map(|x| x.split('等').next().unwrap_or("").to_string())
        .filter(|x| x.chars().count() >= 2)
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            // The warehouse is not an output for readers: rejects keep rows unchanged, as documented.
            if p.file_name().is_some_and(|n| n == "warehouse") {
                continue;
            }
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The text of an output file; .docx and .xlsx are zip archives of XML.
fn text_of(p: &Path) -> String {
    let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
    match ext {
        "docx" | "xlsx" => {
            let mut z = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
            let mut all = String::new();
            for i in 0..z.len() {
                let mut f = z.by_index(i).unwrap();
                let name = f.name().unwrap().to_string();
                if name.ends_with(".xml") || name.ends_with(".rels") {
                    let mut s = String::new();
                    f.read_to_string(&mut s).unwrap();
                    all.push_str(&s);
                }
            }
            all
        }
        "png" => String::new(),
        _ => String::from_utf8_lossy(&std::fs::read(p).unwrap()).to_string(),
    }
}

#[test]
fn no_natural_person_name_reaches_any_output() {
    let dir = Dir::new();
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    dir.command(&["run", "--inputs", inputs.to_str().unwrap(), "--out", "o"]).stdout();
    let names = person_names(&inputs);
    assert!(names.len() > 100, "expected many person names in the samples, found {}", names.len());
    let mut files = Vec::new();
    files_under(&dir.join("o"), &mut files);
    let kinds: BTreeSet<String> = files.iter().filter_map(|p| p.extension().map(|e| e.to_string_lossy().to_string())).collect();
    for want in ["docx", "xlsx", "md", "html", "svg", "png", "csv", "json"] {
        assert!(kinds.contains(want), "fuyuan run wrote no .{want} file (has {kinds:?})");
    }
    // Names that are also part of legitimate public text (a township or agency named like a
    // person) cannot be told apart by a grep; they are excluded from the check.
    let public = dir.command(&["sql", "SELECT name FROM regions UNION SELECT defendant FROM litigation UNION SELECT agency FROM penalty UNION SELECT respondent FROM reconsideration", "--format", "csv", "--warehouse", "o/warehouse"]).stdout();
    let checked: Vec<&String> = names.iter().filter(|n| !public.contains(n.as_str())).collect();
    // The exclusion above must leave the check something to search for: most of the names.
    assert!(
        checked.len() > 100 && checked.len() * 2 > names.len(),
        "only {} of {} names are searched for after excluding public text",
        checked.len(),
        names.len()
    );
    let mut leaks = Vec::new();
    for f in &files {
        // Every 2- to 4-character window of the text: a name is a leak if it is one of them.
        // (One set per file keeps this linear in the text, not names × text.)
        let chars: Vec<char> = text_of(f).chars().collect();
        let mut windows = std::collections::HashSet::new();
        for len in 2..=4 {
            for w in chars.windows(len) {
                windows.insert(w.iter().collect::<String>());
            }
        }
        for n in &checked {
            if n.chars().count() <= 4 && windows.contains(n.as_str())
                || n.chars().count() > 4 && chars.iter().collect::<String>().contains(n.as_str())
            {
                leaks.push(format!("{} in {}", n, f.display()));
            }
        }
    }
    assert!(leaks.is_empty(), "personal names leaked: {:?}", &leaks[..leaks.len().min(10)]);
}

// ---- the supervision ledger's person columns (被追责人, 责任人, 姓名) ----------------------------

/// Names in the person columns of the supervision ledgers in `inputs` (the header may follow a
/// title row).
fn supervision_person_names(inputs: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(inputs).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|x| x.to_str()) != Some("xlsx") {
            continue;
        }
        let mut wb = open_workbook_auto(&p).unwrap();
        let sheet = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&sheet).unwrap();
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        let Some(h) = rows.iter().take(10).position(|r| r.iter().any(|c| c.trim() == "监督类型" || c.trim() == "监督方式")) else {
            continue;
        };
        let cols: Vec<usize> =
            rows[h].iter().enumerate().filter(|(_, c)| ["被追责人", "责任人", "姓名"].contains(&c.trim())).map(|(i, _)| i).collect();
        for r in &rows[h + 1..] {
            for &c in &cols {
                if let Some(v) = r.get(c) {
                    out.extend(split_names(v.trim()));
                }
            }
        }
    }
    out
}

/// No name from a supervision ledger's person column anywhere: not in the outputs of `fuyuan
/// run` (inside .docx/.xlsx too), and — unlike the masked party names — not in the warehouse or
/// its rejects files either, since the column is dropped at ingest.
#[test]
fn no_name_from_a_supervision_person_column_anywhere() {
    let dir = Dir::new();
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    dir.command(&["run", "--inputs", inputs.to_str().unwrap(), "--out", "o"]).stdout();
    // Unmasked names only, and not names that a case ledger also holds (a plaintiff of the same
    // name is kept unchanged in that ledger's rejects file).
    let others = person_names(&inputs);
    let names: BTreeSet<String> = supervision_person_names(&inputs)
        .into_iter()
        .filter(|n| fuyuan::ingest::cells::mask_person(n) != *n && !others.contains(n))
        .collect();
    assert!(!names.is_empty(), "the sample supervision ledger names persons in its 被追责人 column");
    let mut files = Vec::new();
    let mut stack = vec![dir.join("o")];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        } else {
            files.push(p);
        }
    }
    assert!(files.iter().any(|f| f.to_string_lossy().contains("rejects")), "the run keeps rejects files");
    let mut leaks = Vec::new();
    for f in &files {
        let text = match f.extension().and_then(|x| x.to_str()) {
            Some("parquet") => String::from_utf8_lossy(&std::fs::read(f).unwrap()).to_string(),
            _ => text_of(f),
        };
        leaks.extend(names.iter().filter(|n| text.contains(n.as_str())).map(|n| format!("{n} in {}", f.display())));
    }
    assert!(leaks.is_empty(), "names from a person column leaked: {leaks:?}");
    let brief = std::fs::read_to_string(dir.join("o/briefing/briefing.md")).unwrap();
    assert!(brief.contains("行政执法监督情况") && brief.contains("追责行政执法人员"), "the briefing has the supervision section");
}

/// The court's list carries plaintiffs' names too: they are stored masked in the court table and
/// reach no output (the reconciliation paragraph, annex sheet and dashboard page included).
#[test]
fn court_list_plaintiffs_are_masked_and_never_shown() {
    let dir = Dir::new();
    let fix = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/court");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::copy(fix.join("ledger.csv"), dir.join("in/litigation_2024.csv")).unwrap();
    std::fs::copy(fix.join("court.csv"), dir.join("in/court_2024.csv")).unwrap();
    dir.command(&["run", "--inputs", "in", "--out", "o"]).stdout();
    let mut names = BTreeSet::new();
    names_in_csv(&dir.join("in/court_2024.csv"), &mut names);
    let names: Vec<String> = names.into_iter().filter(|n| fuyuan::ingest::cells::mask_person(n) != *n).collect();
    assert!(names.len() >= 10, "{names:?}");
    let stored = dir.command(&["sql", "SELECT plaintiff FROM court", "--format", "csv", "--warehouse", "o/warehouse"]).stdout();
    assert!(stored.contains("蒋某"), "the court table holds the masked names: {stored}");
    let mut files = Vec::new();
    files_under(&dir.join("o"), &mut files);
    assert!(files.iter().any(|f| f.ends_with("reconcile.html")), "the run shows the reconciliation");
    let mut leaks = Vec::new();
    for n in &names {
        if stored.contains(n.as_str()) {
            leaks.push(format!("{n} in the court table"));
        }
        for f in &files {
            if text_of(f).contains(n.as_str()) {
                leaks.push(format!("{n} in {}", f.display()));
            }
        }
    }
    assert!(leaks.is_empty(), "personal names leaked: {leaks:?}");
}
