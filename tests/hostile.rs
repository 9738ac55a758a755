//! Hostile inputs: a table-driven corpus of broken, odd and oversized ledgers run through the real
//! binary (`fuyuan ingest`). Every input is built in code (CSV text, GBK bytes via encoding_rs,
//! workbooks via rust_xlsxwriter, zips via zip) so nothing large is committed.
//!
//! Each case expects one of two outcomes:
//! - `FileError`: exit 3 and exactly one line on stderr, `fuyuan: FILE: line N, column C: reason`,
//!   naming the file and a line, and nothing committed to the warehouse;
//! - `Rejects`: exit 0, the listed rows rejected (line, column substring, reason substring) and
//!   `accepted` rows accepted, with conservation (rows_read = rows_accepted + rows_rejected) in the
//!   manifest and exactly rows_rejected rows in the rejects file.
//!
//! For every case: no panic (exit code never 101, stderr never mentions "panicked" or
//! "internal error"). Cases are grouped into a few #[test]s so that a failure points at an area;
//! within a group every case runs and all failures are reported together.
mod util;

use std::time::Instant;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};
use util::Dir;

// ------------------------------------------------------------------------------------ the corpus

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Structure,
    Encoding,
    Cells,
    Workbook,
    Paths,
    Scale,
}

enum Input {
    Bytes(Vec<u8>),
    /// The path is a directory.
    Directory,
    /// The path does not exist.
    Missing,
}

/// An expected reject: (line, column substring, reason substring).
type RejectRow = (u64, String, String);

enum Expect {
    /// Exit `exit`, one line naming the file and a line number, containing every `contains`.
    FileError { exit: i32, contains: Vec<&'static str> },
    /// Exit 0; exactly these rows rejected as (line, column substring, reason substring).
    Rejects { rows: Vec<RejectRow>, accepted: u64 },
    /// For damaged inputs whose damage may or may not be fatal: either a clean file error (exit 3,
    /// one line naming the file and a line) or exit 0 with every one of the file's data rows
    /// accounted for — stored with one of these keys, or rejected with a reason. Never a crash.
    Survives { keys: Vec<String> },
}

struct Case {
    group: Group,
    name: String,
    file: String,
    input: Input,
    /// Extra arguments after `ingest FILE`.
    args: Vec<&'static str>,
    expect: Expect,
    /// After a successful ingest: (SQL, expected values of the first column, in order).
    sql: Option<(&'static str, Vec<String>)>,
}

fn file_error(contains: &[&'static str]) -> Expect {
    Expect::FileError { exit: 3, contains: contains.to_vec() }
}

fn rejects(rows: &[(u64, &str, &str)], accepted: u64) -> Expect {
    Expect::Rejects { rows: rows.iter().map(|(l, c, r)| (*l, c.to_string(), r.to_string())).collect(), accepted }
}

fn accepted(n: u64) -> Expect {
    rejects(&[], n)
}

fn case(group: Group, name: impl Into<String>, file: &str, bytes: impl Into<Vec<u8>>, expect: Expect) -> Case {
    Case { group, name: name.into(), file: file.to_string(), input: Input::Bytes(bytes.into()), args: vec![], expect, sql: None }
}

impl Case {
    fn sql(mut self, query: &'static str, values: &[&str]) -> Case {
        self.sql = Some((query, values.iter().map(|s| s.to_string()).collect()));
        self
    }
    fn args(mut self, args: &[&'static str]) -> Case {
        self.args = args.to_vec();
        self
    }
}

// ---------------------------------------------------------------------------------- ledger parts

/// The full litigation header and a valid row for it.
use util::LIT;
/// Only the required litigation columns.
const MIN: &str = "案号,被告,区划代码,立案日期";
const PEN: &str = "处罚决定书文号,执法机关,区划代码,处罚决定日期,罚款金额,当事人";

fn join(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.clone() })
        .collect::<Vec<_>>()
        .join(",")
}

/// A valid litigation row (LIT columns) as one CSV line.
fn lit(n: u32) -> String {
    join(&util::lit_row(n))
}

/// A litigation row with some cells replaced.
fn lit_with(n: u32, edits: &[(usize, &str)]) -> String {
    let mut c = util::lit_row(n);
    for (i, v) in edits {
        c[*i] = v.to_string();
    }
    join(&c)
}

/// A valid row for MIN.
fn min(n: u32) -> String {
    format!("（2024）豫1202行初{n}号,三门峡市自然资源局,411202,2024-01-05")
}

fn min_case(case_no: &str) -> String {
    format!("{case_no},三门峡市自然资源局,411202,2024-01-05")
}

fn min_date(n: u32, date: &str) -> String {
    format!("（2024）豫1202行初{n}号,三门峡市自然资源局,411202,{date}")
}

fn min_region(n: u32, region: &str) -> String {
    join(&[format!("（2024）豫1202行初{n}号"), "三门峡市自然资源局".into(), region.into(), "2024-01-05".into()])
}

fn pen(n: u32, fine: &str) -> String {
    join(&[
        format!("三市监罚〔2024〕{n}号"),
        "三门峡市市场监督管理局".into(),
        "411200".into(),
        "2024-03-01".into(),
        fine.into(),
        "王五".into(),
    ])
}

/// Header and rows joined with `\n`, with a final newline.
fn text(header: &str, rows: &[String]) -> String {
    let mut s = format!("{header}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn gbk(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable, "test text must be GBK-encodable: {s}");
    bytes.into_owned()
}

fn gb18030(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(s);
    assert!(!unmappable);
    bytes.into_owned()
}

fn utf16(s: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = if bom { std::iter::once(0xFEFFu16).chain(s.encode_utf16()).collect::<Vec<_>>() } else { s.encode_utf16().collect() };
    for u in units {
        out.extend_from_slice(&if little { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// Deterministic pseudo-random bytes (xorshift), so the corpus is the same on every run.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn workbook(build: impl FnOnce(&mut Worksheet) -> Result<(), XlsxError>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    build(ws).expect("building the workbook");
    wb.save_to_buffer().expect("saving the workbook")
}

fn write_row(ws: &mut Worksheet, row: u32, col: u16, cells: &[&str]) -> Result<(), XlsxError> {
    for (i, c) in cells.iter().enumerate() {
        if !c.is_empty() {
            ws.write_string(row, col + i as u16, *c)?;
        }
    }
    Ok(())
}

const MIN_HEADERS: [&str; 4] = ["案号", "被告", "区划代码", "立案日期"];

/// A small valid litigation workbook (header + 2 rows).
fn valid_xlsx() -> Vec<u8> {
    workbook(|ws| {
        write_row(ws, 0, 0, &MIN_HEADERS)?;
        for r in 1..=2u32 {
            write_row(ws, r, 0, &[&format!("（2024）豫1202行初{r}号"), "三门峡市自然资源局", "411202", "2024-01-05"])?;
        }
        Ok(())
    })
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

// ------------------------------------------------------------------------------------- the cases

fn corpus() -> Vec<Case> {
    use Group::*;
    let mut v: Vec<Case> = Vec::new();

    // ---- structure -------------------------------------------------------------------------
    v.push(case(Structure, "empty file", "empty.csv", b"".to_vec(), file_error(&["empty"])));
    v.push(case(Structure, "header only", "header_only.csv", format!("{LIT}\n"), accepted(0)));
    v.push(case(Structure, "header only without a final newline", "header_only_nonl.csv", LIT, accepted(0)));
    v.push(case(Structure, "only blank lines", "blank.csv", "\n\n   \n\t\n\r\n", file_error(&["no header"])));
    v.push(case(Structure, "only a title row", "title_only.csv", "2024年行政诉讼案件台账\n", file_error(&["unknown layout"])));
    v.push(case(Structure, "a header of delimiters only", "commas.csv", ",,,\n1,2,3,4\n", file_error(&["unknown layout"])));
    v.push(case(
        Structure,
        "header after ten title rows is not searched for",
        "deep_header.csv",
        format!("{}{}", "台账说明\n".repeat(10), text(MIN, &[min(1)])),
        file_error(&["line"]),
    ));
    v.push(case(
        Structure,
        "ragged: more fields than the header",
        "ragged_more.csv",
        text(LIT, &[lit(1), format!("{},多余,又多余", lit(2)), format!("{},,,", lit(3))]),
        rejects(&[(3, "-", "fields")], 2),
    ));
    v.push(case(
        Structure,
        "ragged: fewer fields than the header",
        "ragged_fewer.csv",
        text(LIT, &[lit(1), "（2024）豫1202行初2号,湖滨区人民法院,三门峡市自然资源局".into(), lit(3)]),
        rejects(&[(3, "-", "fields")], 2),
    ));
    v.push(case(
        Structure,
        "duplicate canonical header",
        "dup_header.csv",
        text("案号,被告,区划代码,立案日期,案号", &[]),
        file_error(&["duplicate header"]),
    ));
    v.push(case(
        Structure,
        "two aliases of one column: the documented first alias wins",
        "dup_alias.csv",
        text("案号,被告,被诉行政机关,区划代码,立案日期", &["（2024）豫1202行初1号,甲局,乙局,411202,2024-01-05".into()]),
        accepted(1),
    ));
    v.push(case(
        Structure,
        "the same header twice",
        "dup_header.csv",
        text("案号,被告,被告,区划代码,立案日期", &["（2024）豫1202行初1号,甲局,甲局,411202,2024-01-05".into()]),
        file_error(&["duplicate header", "defendant"]),
    ));
    v.push(case(
        Structure,
        "two 备注 columns are fine",
        "two_remarks.csv",
        text(
            "案号,备注,被告,区划代码,立案日期,备注",
            &[
                "（2024）豫1202行初1号,甲,三门峡市自然资源局,411202,2024-01-05,乙".into(),
                "（2024）豫1202行初2号,,三门峡市自然资源局,411202,2024-01-05,".into(),
            ],
        ),
        accepted(2),
    ));
    v.push(case(
        Structure,
        "missing required header",
        "missing_req.csv",
        text("案号,被告,立案日期", &["（2024）豫1202行初1号,甲局,2024-01-05".into()]),
        file_error(&["missing required column", "区划代码"]),
    ));
    v.push(
        case(
            Structure,
            "headers with full-width brackets, spaces and zero-width spaces",
            "odd_headers.csv",
            text(
                "\u{200B}案 号,被\u{3000}告 ,区划代码 (６位),立案日期（ｙｙｙｙ－ｍｍ－ｄｄ）, 序号\u{200B}",
                &[format!("{},1", min(1)), format!("{},2", min(2))],
            ),
            accepted(2),
        )
        .sql("SELECT defendant FROM litigation ORDER BY case_no", &["三门峡市自然资源局", "三门峡市自然资源局"]),
    );
    v.push(
        case(
            Structure,
            "penalty header with 【万元】 unit and a zero-width space",
            "wan_header.csv",
            text(
                "处罚决定书文号,执法\u{200B}机关,区划代码,处罚决定日期,罚款金额【万元】",
                &["三市监罚〔2024〕1号,三门峡市市场监督管理局,411200,2024-03-01,1.5".into()],
            ),
            accepted(1),
        )
        .sql("SELECT CAST(fine_yuan AS VARCHAR) FROM penalty", &["15000.00"]),
    );
    {
        let mut big = min(1).replacen("三门峡市自然资源局", &"a".repeat((1 << 20) + 1), 1);
        big.push('\n');
        v.push(case(
            Structure,
            "a cell of 1 MiB + 1 byte",
            "big_cell.csv",
            format!("{MIN}\n{}\n{big}", min(2)),
            file_error(&["line 3", "1 MiB"]),
        ));
        let ok = min(1).replacen("三门峡市自然资源局", &"b".repeat(1 << 20), 1);
        v.push(case(Structure, "a cell of exactly 1 MiB", "mib_cell.csv", text(MIN, &[ok]), accepted(1)));
    }
    v.push(case(
        Structure,
        "title row above, notes and a total row under the data",
        "title_notes.csv",
        format!(
            "2024年三门峡市行政诉讼案件台账,,,\n{}\n填表说明：1.日期填写为yyyy-mm-dd；2.区划代码填6位,,,\n合计：2件,,,\n",
            text(MIN, &[min(1), min(2)])
        ),
        rejects(&[(6, "案号", "case number"), (7, "案号", "case number")], 2),
    ));
    v.push(
        case(
            Structure,
            "quoted fields with embedded newlines and quotes",
            "quoted.csv",
            text(
                LIT,
                &[
                    lit_with(1, &[(2, "三门峡市\n自然资源局"), (9, "张\"三\"")]),
                    lit_with(2, &[(1, "湖滨区\r\n人民法院")]),
                    lit_with(3, &[(4, "2024-13-01")]),
                    lit(4),
                ],
            ),
            // Row 1 spans lines 2–3, row 2 lines 4–5, the bad row is line 6.
            rejects(&[(6, "立案日期", "unreadable date")], 3),
        )
        .sql("SELECT defendant FROM litigation ORDER BY case_no", &["三门峡市\n自然资源局", "三门峡市自然资源局", "三门峡市自然资源局"]),
    );
    v.push(case(
        Structure,
        "semicolon delimiter",
        "semicolon.csv",
        text(&MIN.replace(',', ";"), &[min(1).replace(',', ";"), min(2).replace(',', ";")]),
        accepted(2),
    ));
    v.push(case(
        Structure,
        "tab delimiter",
        "tab.tsv",
        text(&MIN.replace(',', "\t"), &[min(1).replace(',', "\t"), min(2).replace(',', "\t")]),
        accepted(2),
    ));
    // The delimiter is sniffed; a caption line without any delimiter must not decide it.
    v.push(case(
        Structure,
        "tab delimiter under a title line",
        "tab_title.tsv",
        format!("2024年行政诉讼案件台账\n{}", text(&MIN.replace(',', "\t"), &[min(1).replace(',', "\t"), min(2).replace(',', "\t")])),
        accepted(2),
    ));
    v.push(case(
        Structure,
        "semicolon delimiter under a title line",
        "semicolon_title.csv",
        format!("2024年行政诉讼案件台账\n{}", text(&MIN.replace(',', ";"), &[min(1).replace(',', ";"), min(2).replace(',', ";")])),
        accepted(2),
    ));
    v.push(case(Structure, "only a UTF-8 BOM", "bom_only.csv", b"\xEF\xBB\xBF".to_vec(), file_error(&["line 1", "no header"])));
    {
        // A NUL byte in the first 8 KiB makes the file "binary"; one further down must not slip
        // into the warehouse as text (it would later break XML outputs: xlsx, docx). Either a file
        // error or a rejected row would do; the file-level check says "binary", so: a file error.
        let mut s = text(MIN, &(1..=200).map(min).collect::<Vec<_>>());
        s.push_str("（2024）豫1202行初999号,三门峡\0局,411202,2024-01-05\n");
        v.push(case(Structure, "a NUL byte after the first 8 KiB", "late_nul.csv", s, file_error(&["line 202", "binary"])));
    }
    v.push(case(
        Structure,
        "CRLF line endings with a blank line",
        "crlf.csv",
        format!("{MIN}\r\n{}\r\n{}\r\n\r\n{}\r\n", min(1), min_date(2, "2024-02-30"), min(3)),
        rejects(&[(3, "立案日期", "impossible")], 2),
    ));
    v.push(case(
        Structure,
        "CR-only line endings (old Mac Excel export)",
        "cr_only.csv",
        format!("{MIN}\r{}\r{}\r{}\r", min(1), min_date(2, "2024-02-30"), min(3)),
        rejects(&[(3, "立案日期", "impossible")], 2),
    ));
    v.push(case(
        Structure,
        "a UTF-8 BOM in the middle (two files concatenated)",
        "bom_middle.csv",
        format!("\u{FEFF}{MIN}\n{}\n\u{FEFF}{}\n", min(1), min(2)),
        accepted(2),
    ));
    v.push(case(
        Structure,
        "the header row repeated in the middle",
        "header_again.csv",
        format!("{MIN}\n{}\n\u{FEFF}{MIN}\n{}\n", min(1), min(2)),
        rejects(&[(3, "案号", "case number")], 2),
    ));
    {
        let extra: Vec<String> = (0..9_996).map(|i| format!("列{i}")).collect();
        let header = format!("{MIN},{}", extra.join(","));
        let row = format!("{},{}", min(1), (0..9_996).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
        v.push(case(Structure, "10,000 columns", "wide_header.csv", text(&header, &[row]), accepted(1)));
        let wide_row = format!("{},{}", min(2), vec!["x"; 9_996].join(","));
        v.push(case(
            Structure,
            "a row of 10,000 fields under a 4-column header",
            "wide_row.csv",
            text(MIN, &[min(1), wide_row]),
            rejects(&[(3, "-", "10000 fields")], 1),
        ));
    }
    v.push(case(
        Structure,
        "an unclosed quote swallows the rest of the file into one rejected row",
        "unclosed_quote.csv",
        format!("{MIN}\n{}\n\"{}\n{}\n", min(1), min(2), min(3)),
        rejects(&[(3, "-", "fields")], 1),
    ));
    v.push(case(
        Structure,
        "a row of only spaces is a blank row",
        "spaces_row.csv",
        text(MIN, &[min(1), "   ,  ,\u{3000}, ".into(), "      ".into(), min(2)]),
        accepted(2),
    ));
    v.push(case(
        Structure,
        "a stray quote inside an unquoted field",
        "stray_quote.csv",
        text(LIT, &[lit_with(1, &[(9, "张\"三")])]),
        accepted(1),
    ));
    v.push(case(
        Structure,
        "leading empty column and empty header cells",
        "lead_empty.csv",
        text(&format!(",{MIN},,"), &[format!(",{},,", min(1)), format!("x,{},,y", min(2))]),
        accepted(2),
    ));

    // ---- encodings ---------------------------------------------------------------------------
    let lit_text = text(LIT, &[lit(1), lit(2)]);
    v.push(case(Encoding, "UTF-16LE with BOM", "utf16le_bom.csv", utf16(&lit_text, true, true), accepted(2)));
    v.push(case(Encoding, "UTF-16BE with BOM", "utf16be_bom.csv", utf16(&lit_text, false, true), accepted(2)));
    // Without a BOM, UTF-16 is refused (NUL bytes): one clear line, nothing guessed.
    v.push(case(Encoding, "UTF-16LE without BOM", "utf16le_nobom.csv", utf16(&lit_text, true, false), file_error(&["line 1"])));
    v.push(case(Encoding, "UTF-16BE without BOM", "utf16be_nobom.csv", utf16(&lit_text, false, false), file_error(&["line 1"])));
    {
        let mut odd = utf16(&lit_text, true, true);
        odd.pop();
        v.push(case(Encoding, "UTF-16LE with BOM and an odd byte count", "utf16_odd.csv", odd, file_error(&["line"])));
    }
    {
        let mut b = text(LIT, &[lit(1)]).into_bytes();
        b.extend(gbk(&format!("{}\n", lit(2))));
        v.push(case(Encoding, "UTF-8 then GBK", "utf8_then_gbk.csv", b, file_error(&["line 3", "mixed"])));
        let mut b = gbk(&text(LIT, &[lit(1)]));
        b.extend(format!("{}\n", lit(2)).into_bytes());
        v.push(case(Encoding, "GBK then UTF-8", "gbk_then_utf8.csv", b, file_error(&["line"])));
    }
    {
        let mut b = gbk(&text(LIT, &[lit(1)]));
        let row = gbk(&format!("{}\n", lit(2)));
        // An invalid GBK sequence (lead byte 0x81 followed by a space) inside row 2 (line 3).
        let cut = row.iter().position(|&c| c == b',').unwrap() + 1;
        b.extend_from_slice(&row[..cut]);
        b.extend_from_slice(b"\x81\x20");
        b.extend_from_slice(&row[cut..]);
        b.extend(gbk(&format!("{}\n", lit(3))));
        v.push(case(Encoding, "GBK with an invalid byte sequence", "gbk_invalid.csv", b, file_error(&["line 3"])));
    }
    v.push(case(Encoding, "GBK (control)", "gbk.csv", gbk(&lit_text), accepted(2)));
    // In GBK, 郑 (D6 A3), 豫 (D4 A5), 原 (D4 AD), 执 (D6 B4) happen to be valid two-byte UTF-8
    // sequences. A GBK file whose first non-ASCII character is one of them must still be GBK.
    v.push(case(
        Encoding,
        "GBK whose title row starts with 郑州市",
        "gbk_zhengzhou.csv",
        gbk(&format!("郑州市2024年行政诉讼案件台账\n{lit_text}")),
        accepted(2),
    ));
    v.push(
        case(
            Encoding,
            "GBK with English headers and ASCII brackets before 豫",
            "gbk_english.csv",
            gbk("case_no,defendant,region_code,filed_date\n(2024)豫1202行初1号,三门峡市自然资源局,411202,2024-01-05\n(2024)豫1202行初2号,三门峡市自然资源局,411202,2024-01-05\n"),
            accepted(2),
        )
        .sql("SELECT case_no FROM litigation ORDER BY case_no", &["（2024）豫1202行初1号", "（2024）豫1202行初2号"]),
    );
    v.push(case(
        Encoding,
        "GBK with 原告 as the first header",
        "gbk_plaintiff_first.csv",
        gbk("原告,案号,被告,区划代码,立案日期\n张三,（2024）豫1202行初1号,三门峡市自然资源局,411202,2024-01-05\n"),
        accepted(1),
    ));
    v.push(
        case(
            Encoding,
            "GB18030 four-byte characters",
            "gb18030.csv",
            gb18030(&text(MIN, &["（2024）豫1202行初1号,㐀镇人民政府,411202,2024-01-05".into()])),
            accepted(1),
        )
        .sql("SELECT defendant FROM litigation", &["㐀镇人民政府"]),
    );
    {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend(text(MIN, &[min(1)]).into_bytes());
        b.extend_from_slice(b"\xC3\x28,x\n");
        v.push(case(Encoding, "UTF-8 BOM then invalid UTF-8", "bom_invalid.csv", b, file_error(&["line 3", "BOM"])));
    }
    v.push(case(
        Encoding,
        "Windows-1252 text",
        "cp1252.csv",
        b"case_no,defendant,region_code,filed_date\nCaf\xe9,x,411202,2024-01-05\n".to_vec(),
        file_error(&["line 2"]),
    ));
    {
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00".to_vec();
        png.extend(noise(600, 7));
        v.push(case(Encoding, "a PNG renamed .csv", "picture.csv", png, file_error(&["line 1", "binary"])));
    }
    {
        let mut junk = noise(4096, 99);
        junk[17] = 0;
        v.push(case(Encoding, "binary junk", "junk.csv", junk, file_error(&["line 1"])));
        let high: Vec<u8> = noise(4096, 1234).into_iter().map(|b| b | 0x80).collect();
        v.push(case(Encoding, "high bytes without NULs", "junk_high.csv", high, file_error(&["line 1"])));
    }

    // ---- cell values -------------------------------------------------------------------------
    v.push(
        case(
            Cells,
            "case numbers: full-width digits, zero-width spaces, 【】 and mismatched brackets",
            "caseno.csv",
            text(
                MIN,
                &[
                    min_case("（２０２４）豫１２０２行初１号"),
                    min_case("（2024）\u{200B}豫1202\u{200B}行初2号"),
                    min_case("【2024】豫1202行初3号"),
                    min_case("(2024）豫1202行初4号"),
                    min_case("〔2024)豫1202行初5号"),
                    min_case("\u{3000}（2024） 豫1202 行初 6 号\u{FEFF}"),
                    // A split case (之一) is a case of its own; text after 号 that is not 之N is not.
                    min_case("（2024）豫1202行初7号之一"),
                    min_case("（2024）豫1202行初7号补"),
                    min_case("2024豫1202行初8号"),
                    min_case("（2024）豫1202民初9号"),
                    min_case("（2024）豫1202行初0号"),
                ],
            ),
            rejects(&[(9, "案号", "after 号"), (10, "案号", "brackets"), (11, "案号", "administrative"), (12, "案号", "positive")], 7),
        )
        .sql(
            "SELECT case_no FROM litigation ORDER BY case_no",
            &[
                "（2024）豫1202行初1号",
                "（2024）豫1202行初2号",
                "（2024）豫1202行初3号",
                "（2024）豫1202行初4号",
                "（2024）豫1202行初5号",
                "（2024）豫1202行初6号",
                "（2024）豫1202行初7号之一",
            ],
        ),
    );
    v.push(case(
        Cells,
        "dates as text in odd forms",
        "dates_text.csv",
        text(
            MIN,
            &[
                min_date(1, "2024-5-30"),
                min_date(2, "30/05/2024"),
                min_date(3, "2024年5月"),
                min_date(4, "二〇二四年五月三十日"),
                min_date(5, "2023-02-29"),
                min_date(6, "45442"),
                min_date(7, "0"),
                min_date(8, "2024-05-30T08:00"),
                min_date(9, "1990-09-30"),
                min_date(10, "2025-04-01"),
                min_date(11, "２０２４年５月３０日"),
                min_date(12, "2958466"),
                min_date(13, "-1"),
                min_date(14, "2024-05-30-01"),
            ],
        ),
        rejects(
            &[
                (3, "立案日期", "unreadable"),
                (4, "立案日期", "unreadable"),
                (5, "立案日期", "unreadable"),
                (6, "立案日期", "impossible"),
                (8, "立案日期", "unreadable"),
                (10, "立案日期", "before 1990-10-01"),
                (11, "立案日期", "after today"),
                (13, "立案日期", "unreadable"),
                (14, "立案日期", "unreadable"),
                (15, "立案日期", "unreadable"),
            ],
            4,
        ),
    ));
    v.push(
        case(
            Cells,
            "amounts with units and separators in the wrong place",
            "amounts.csv",
            text(
                PEN,
                &[
                    pen(1, "1,2345"),
                    pen(2, "12,345.6.7"),
                    pen(3, "1.234,56"),
                    pen(4, "¥-5"),
                    pen(5, "5万5"),
                    pen(6, "１，０００"),
                    pen(7, "1,234.5元"),
                    pen(8, "3.5万元"),
                    pen(9, ",123"),
                    pen(10, "1,,000"),
                    pen(11, "."),
                    pen(12, "1e5"),
                    pen(13, "NaN"),
                    pen(14, "99999999999999999999"),
                    pen(15, "￥ 0.005"),
                    pen(16, "-0"),
                    pen(17, "12 345"),
                ],
            ),
            rejects(
                &[
                    (2, "罚款金额", "thousands"),
                    (3, "罚款金额", "amount"),
                    (4, "罚款金额", "amount"),
                    (5, "罚款金额", "negative"),
                    (6, "罚款金额", "amount"),
                    (10, "罚款金额", "thousands"),
                    (11, "罚款金额", "thousands"),
                    (12, "罚款金额", "amount"),
                    (13, "罚款金额", "amount"),
                    (14, "罚款金额", "amount"),
                    (15, "罚款金额", "too large"),
                    (17, "罚款金额", "negative"),
                    (18, "罚款金额", "amount"),
                ],
                4,
            ),
        )
        .sql("SELECT CAST(fine_yuan AS VARCHAR) AS f FROM penalty ORDER BY f", &["0.01", "1000.00", "1234.50", "35000.00"]),
    );
    v.push(
        case(
            Cells,
            "booleans",
            "bools.csv",
            text(
                LIT,
                &[
                    lit_with(1, &[(8, "是 ")]),
                    lit_with(2, &[(8, "YES")]),
                    lit_with(3, &[(8, "有")]),
                    lit_with(4, &[(8, "√")]),
                    lit_with(5, &[(8, "Ｙ")]),
                    lit_with(6, &[(8, "否认")]),
                    lit_with(7, &[(8, "1.0")]),
                    lit_with(8, &[(8, "")]),
                    lit_with(9, &[(8, "no")]),
                ],
            ),
            // 有 is a clerk's yes (docs/ledgers.md); 否认 is not a yes/no answer.
            rejects(&[(7, "负责人出庭", "yes/no")], 8),
        )
        .sql(
            "SELECT CAST(head_appeared AS VARCHAR) FROM litigation ORDER BY case_no",
            &["true", "true", "true", "true", "true", "true", "", "false"],
        ),
    );
    v.push(
        case(
            Cells,
            "region codes",
            "regions.csv",
            text(
                MIN,
                &[
                    min_region(1, "411202.0"),
                    min_region(2, " 411202"),
                    min_region(3, "４１１２０２"),
                    min_region(4, "411202001000"),
                    min_region(5, "411202001"),
                    min_region(6, "999999"),
                    min_region(7, "411202.5"),
                    min_region(8, "4112O2"),
                    min_region(9, "411\u{200B}202"),
                    min_region(10, "41 1202"),
                ],
            ),
            // 411202001000 is a 12-digit statistical code: township 411202001.
            rejects(
                &[
                    (7, "区划代码", "not in the regions"),
                    (8, "区划代码", "6 or 9 digits"),
                    (9, "区划代码", "6 or 9 digits"),
                    (11, "区划代码", "6 or 9 digits"),
                ],
                6,
            ),
        )
        .sql("SELECT region_code FROM litigation ORDER BY case_no", &["411202", "411202", "411202", "411202001", "411202001", "411202"]),
    );
    v.push(case(
        Cells,
        "closing rules",
        "closing.csv",
        text(
            LIT,
            &[
                lit_with(1, &[(5, ""), (6, "")]),
                lit_with(2, &[(5, "")]),
                lit_with(3, &[(6, "")]),
                lit_with(4, &[(5, "2023-12-31")]),
                lit_with(5, &[(6, "判决驳回原告诉讼请求")]),
                lit_with(6, &[(6, "胜诉")]),
            ],
        ),
        rejects(
            &[
                (3, "裁判结果", "without a closed date"),
                (4, "裁判结果", "without outcome"),
                (5, "结案日期", "before"),
                (7, "裁判结果", "unknown outcome"),
            ],
            2,
        ),
    ));

    // ---- workbooks ---------------------------------------------------------------------------
    v.push(
        case(
            Workbook,
            "formulas with cached results",
            "formulas.xlsx",
            workbook(|ws| {
                let date = Format::new().set_num_format("yyyy-mm-dd");
                write_row(ws, 0, 0, &MIN_HEADERS)?;
                ws.write_formula(1, 0, Formula::new("=\"（2024）豫1202行初\"&\"1号\"").set_result("（2024）豫1202行初1号"))?;
                ws.write_formula(1, 1, Formula::new("=\"三门峡市\"&\"自然资源局\"").set_result("三门峡市自然资源局"))?;
                ws.write_formula(1, 2, Formula::new("=411200+2").set_result("411202"))?;
                ws.write_formula_with_format(1, 3, Formula::new("=DATE(2024,5,30)").set_result("45442"), &date)?;
                Ok(())
            }),
            accepted(1),
        )
        .sql(
            "SELECT case_no || ' ' || region_code || ' ' || CAST(filed_date AS VARCHAR) FROM litigation",
            &["（2024）豫1202行初1号 411202 2024-05-30"],
        ),
    );
    v.push(case(
        Workbook,
        "Excel error cells",
        "errors.xlsx",
        workbook(|ws| {
            write_row(ws, 0, 0, &["案号", "被告", "区划代码", "立案日期", "审理法院", "备注"])?;
            let row = |ws: &mut Worksheet, r: u32| {
                write_row(ws, r, 0, &[&format!("（2024）豫1202行初{r}号"), "三门峡市自然资源局", "411202", "2024-01-05", "湖滨区人民法院"])
            };
            row(ws, 1)?;
            ws.write_formula(1, 1, Formula::new("=NA()").set_result("#N/A"))?;
            row(ws, 2)?;
            ws.write_formula(2, 2, Formula::new("=1/0").set_result("#DIV/0!"))?;
            row(ws, 3)?;
            ws.write_formula(3, 4, Formula::new("=#REF!").set_result("#REF!"))?;
            // An error in an ignored column does not matter.
            row(ws, 4)?;
            ws.write_formula(4, 5, Formula::new("=1/0").set_result("#DIV/0!"))?;
            Ok(())
        }),
        rejects(&[(2, "被告", "#N/A"), (3, "区划代码", "#DIV/0!"), (4, "审理法院", "#REF!")], 1),
    ));
    v.push(case(
        Workbook,
        "merged cells: a merged title row and a merged agency cell",
        "merged.xlsx",
        workbook(|ws| {
            let f = Format::new();
            ws.merge_range(0, 0, 0, 3, "2024年行政诉讼案件台账", &f)?;
            write_row(ws, 1, 0, &MIN_HEADERS)?;
            write_row(ws, 2, 0, &["（2024）豫1202行初1号", "", "411202", "2024-01-05"])?;
            write_row(ws, 3, 0, &["（2024）豫1202行初2号", "", "411202", "2024-01-05"])?;
            // 被告 merged over rows 3–4: the sheet shows the agency on both rows, and both are
            // read with it (docs/decisions.md).
            ws.merge_range(2, 1, 3, 1, "三门峡市自然资源局", &f)?;
            Ok(())
        }),
        accepted(2),
    ));
    v.push(case(
        Workbook,
        "date serials out of range, as numbers and as date cells",
        "serials.xlsx",
        workbook(|ws| {
            let date = Format::new().set_num_format("yyyy-mm-dd");
            write_row(ws, 0, 0, &MIN_HEADERS)?;
            let serials: [(f64, bool); 10] = [
                (0.0, false),
                (-1.0, false),
                (2_958_466.0, false),
                (1.0, false),
                (45442.0, false),
                (0.0, true),
                (-1.0, true),
                (1.0, true),
                (60.0, true),
                (45442.0, true),
            ];
            for (i, (s, formatted)) in serials.iter().enumerate() {
                let r = i as u32 + 1;
                write_row(ws, r, 0, &[&format!("（2024）豫1202行初{r}号"), "三门峡市自然资源局", "411202"])?;
                if *formatted {
                    ws.write_number_with_format(r, 3, *s, &date)?;
                } else {
                    ws.write_number(r, 3, *s)?;
                }
            }
            Ok(())
        }),
        rejects(
            &[
                (2, "立案日期", "date"),
                (3, "立案日期", "date"),
                (4, "立案日期", "date"),
                (5, "立案日期", "before 1990-10-01"),
                (7, "立案日期", "date"),
                (8, "立案日期", "date"),
                (9, "立案日期", "before 1990-10-01"),
                (10, "立案日期", "before 1990-10-01"),
            ],
            2,
        ),
    ));
    v.push(
        case(
            Workbook,
            "typed cells: numeric code, boolean, date cell; header not in A1",
            "typed.xlsx",
            workbook(|ws| {
                let date = Format::new().set_num_format("yyyy-mm-dd");
                write_row(ws, 2, 2, &["案号", "被告", "区划代码", "立案日期", "负责人出庭"])?;
                for r in 3..=5u32 {
                    write_row(ws, r, 2, &[&format!("（2024）豫1202行初{r}号"), "三门峡市自然资源局"])?;
                    ws.write_number(r, 4, if r == 4 { 411202.5 } else { 411202.0 })?;
                    ws.write_datetime_with_format(r, 5, ExcelDateTime::from_ymd(2024, 5, 30)?, &date)?;
                    ws.write_boolean(r, 6, r == 3)?;
                }
                Ok(())
            }),
            // Sheet row numbers: the header is row 3, the bad code is on row 5.
            rejects(&[(5, "区划代码", "6 or 9 digits")], 2),
        )
        .sql(
            "SELECT region_code || ' ' || CAST(filed_date AS VARCHAR) || ' ' || CAST(head_appeared AS VARCHAR) FROM litigation ORDER BY case_no",
            &["411202 2024-05-30 true", "411202 2024-05-30 false"],
        ),
    );
    {
        let good = valid_xlsx();
        v.push(case(Workbook, "xlsx (control)", "ok.xlsx", good.clone(), accepted(2)));
        v.push(case(Workbook, "xlsx with an upper-case extension", "UPPER.XLSX", good.clone(), accepted(2)));
        v.push(case(
            Workbook,
            "truncated xlsx (first half)",
            "truncated.xlsx",
            good[..good.len() / 2].to_vec(),
            file_error(&["line 1", "workbook"]),
        ));
        let mut tail_cut = good.clone();
        tail_cut.truncate(good.len() - 30);
        v.push(case(Workbook, "truncated xlsx (central directory cut)", "tailcut.xlsx", tail_cut, file_error(&["line 1"])));
        v.push(case(Workbook, "an xlsx named .csv", "workbook.csv", good.clone(), file_error(&["line 1", "xlsx"])));
        v.push(case(Workbook, "an xlsx named .xls", "workbook.xls", good.clone(), file_error(&["line 1"])));
        v.push(
            case(Workbook, "a sheet that does not exist", "nosheet.xlsx", good.clone(), file_error(&["line 1", "no sheet"]))
                .args(&["--sheet", "没有这张表"]),
        );
        // Flip bytes inside the compressed sheet data: the zip CRC or the XML breaks.
        let mut flipped = good.clone();
        for i in (200..flipped.len() - 200).step_by(97) {
            flipped[i] ^= 0x5A;
        }
        v.push(case(Workbook, "corrupted bytes inside an xlsx", "flipped.xlsx", flipped, file_error(&["line 1"])));
        // Damage at 24 places (a run of 16 bytes each), mostly inside the compressed parts, where
        // the zip directory still opens: the damage may hit a part calamine never reads.
        let n = good.len();
        for k in 0..24 {
            let at = 40 + k * (n - 200) / 24;
            let mut bad = good.clone();
            for (j, b) in bad[at..at + 16].iter_mut().enumerate() {
                *b = b.wrapping_mul(31).wrapping_add(j as u8 + 1);
            }
            let keys = (1..=2).map(|r| format!("（2024）豫1202行初{r}号")).collect();
            v.push(case(Workbook, format!("xlsx damaged at byte {at}"), &format!("damaged_{k:02}.xlsx"), bad, Expect::Survives { keys }));
        }
    }
    // No 1-MiB cell in a workbook: Excel caps a cell at 32,767 characters and rust_xlsxwriter
    // refuses longer strings, so such a file cannot be written here (read.rs checks it anyway).
    v.push(case(Workbook, "random bytes named .xlsx", "random.xlsx", noise(3000, 42), file_error(&["line 1", "workbook"])));
    v.push(case(Workbook, "CSV text named .xlsx", "text.xlsx", text(MIN, &[min(1)]), file_error(&["line 1", "workbook"])));
    v.push(case(
        Workbook,
        "a zip that is not a workbook",
        "notes.xlsx",
        zip_of(&[("hello.txt", b"hello"), ("data/a.csv", b"a,b\n")]),
        file_error(&["line 1", "workbook"]),
    ));
    v.push(case(
        Workbook,
        "a zip with a broken workbook.xml",
        "broken_parts.xlsx",
        zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook><sheets><sheet name=\"x\" r:id=\"rId1\""),
            ("_rels/.rels", b"<"),
        ]),
        file_error(&["line 1"]),
    ));
    v.push(case(Workbook, "an empty workbook", "empty.xlsx", workbook(|_| Ok(())), file_error(&["line 1", "no header"])));

    // ---- paths -------------------------------------------------------------------------------
    v.push(Case {
        group: Paths,
        name: "a directory".into(),
        file: "ledgers.csv".into(),
        input: Input::Directory,
        args: vec![],
        expect: file_error(&[]),
        sql: None,
    });
    v.push(Case {
        group: Paths,
        name: "a path that does not exist".into(),
        file: "no_such_ledger.csv".into(),
        input: Input::Missing,
        args: vec![],
        expect: file_error(&[]),
        sql: None,
    });
    // A file without read permission cannot be tested here: the tests run as root, and root reads
    // a chmod 000 file anyway.
    v.push(case(Paths, "a file name with spaces and CJK", "台账 (副本) 2024.csv", b"".to_vec(), file_error(&["empty"])));

    // ---- scale -------------------------------------------------------------------------------
    {
        let mut s = String::with_capacity(7_000_000);
        s.push_str(MIN);
        s.push('\n');
        for n in 1..=100_000u32 {
            s.push_str(&min(n));
            s.push('\n');
        }
        v.push(
            case(Scale, "100,000 valid rows", "rows_100k.csv", s, accepted(100_000))
                .sql("SELECT CAST(count(*) AS VARCHAR) FROM litigation", &["100000"]),
        );
        let mut s = format!("{MIN}\n");
        let mut bad = Vec::new();
        for n in 1..=10_000u32 {
            if n % 2 == 0 {
                s.push_str(&min_date(n, "2024-02-30"));
                bad.push((n as u64 + 1, "立案日期".to_string(), "impossible".to_string()));
            } else {
                s.push_str(&min(n));
            }
            s.push('\n');
        }
        v.push(case(Scale, "10,000 rows, every other one rejected", "half_bad.csv", s, Expect::Rejects { rows: bad, accepted: 5_000 }));
    }
    supervision_cases(&mut v);
    v
}

// ---- the supervision ledger (监督台账) ---------------------------------------------------------

const SUP: &str = "文书编号,监督方式,监督对象,区划代码,下发日期,整改期限,整改完成日期,追责人数,被追责人";

fn supervision_cases(v: &mut Vec<Case>) {
    use Group::*;
    let good = "三司监〔2024〕3号,意见书,湖滨区自然资源局,411202,2024-03-01,2024-04-30,,,";
    v.push(case(
        Structure,
        "supervision: no 监督方式 column",
        "sup_noaction.csv",
        "文书编号,监督对象,区划代码,下发日期\nA,甲局,411202,2024-01-01\n",
        file_error(&["监督方式"]),
    ));
    v.push(case(
        Structure,
        "supervision: 文书编号 twice",
        "sup_dup.csv",
        "文书编号,监督方式,监督对象,区划代码,下发日期,文书编号\nA,约谈,甲局,411202,2024-01-01,B\n",
        file_error(&["duplicate header"]),
    ));
    v.push(
        case(
            Cells,
            "supervision: sentences, bad counts and dates",
            "sup_cells.csv",
            text(
                SUP,
                &[
                    good.to_string(),
                    "三司约〔2024〕1号,召开执法监督约谈会,湖滨区自然资源局,411202,2024年3月5日,,,,".into(),
                    "三司追〔2024〕1号,对2名执法人员问责,湖滨区自然资源局,411202,2024-03-05,,,3.5,张三".into(),
                    "三司追〔2024〕2号,追责,湖滨区自然资源局,411202,2024-03-05,,,-0,李四".into(),
                    "三司督〔2024〕1号,挂牌督办,湖滨区自然资源局,411202,2024-03-05,2024-03-04,,,".into(),
                    "三司督〔2024〕2号,口头提醒,湖滨区自然资源局,411202,2024-03-05,,,,".into(),
                    "=HYPERLINK(1),督办函,湖滨区自然资源局,411202,2024-03-05,,2024-13-01,,".into(),
                ],
            ),
            rejects(
                &[
                    (4, "追责人数", "not a whole number"),
                    (6, "整改期限", "before issued_date"),
                    (7, "监督方式", "unknown supervision action"),
                    (8, "整改完成日期", ""),
                ],
                3,
            ),
        )
        .sql("SELECT action FROM supervision ORDER BY issued_date, doc_no", &["监督意见书", "约谈", "责任追究"]),
    );
    v.push(case(Encoding, "supervision: GBK", "sup_gbk.csv", gbk(&text(SUP, &[good.to_string()])), accepted(1)));
    // One letter to three units, its number and date merged down the rows as offices type it;
    // a person column with names; an Excel error in a deadline.
    let merged = workbook(|ws| {
        let f = Format::new();
        write_row(ws, 0, 0, &["行政执法监督台账", "", "", "", "", "", "", ""])?;
        write_row(ws, 1, 0, &["文号", "监督类型", "被监督单位", "行政区划代码", "印发日期", "整改期限", "责任追究人数", "责任人"])?;
        ws.merge_range(2, 0, 4, 0, "三司监〔2024〕7号", &f)?;
        ws.merge_range(2, 1, 4, 1, "行政执法监督意见书", &f)?;
        ws.merge_range(2, 4, 4, 4, "2024-05-06", &f)?;
        for (r, unit) in [(2u32, "湖滨区自然资源局"), (3, "湖滨区人社局"), (4, "湖滨区公安分局")] {
            ws.write_string(r, 2, unit)?;
            ws.write_string(r, 3, "411202")?;
            ws.write_string(r, 7, "王五")?;
        }
        ws.write_number(2, 6, 2.0)?;
        ws.write_formula(3, 5, Formula::new("=1/0").set_result("#DIV/0!"))?;
        Ok(())
    });
    v.push(
        case(Workbook, "supervision: merged letter over three units", "sup_merged.xlsx", merged, rejects(&[(4, "整改期限", "")], 2)).sql(
            "SELECT agency FROM supervision WHERE doc_no = '三司监〔2024〕7号' ORDER BY agency",
            &["湖滨区公安分局", "湖滨区自然资源局"],
        ),
    );
}

// ------------------------------------------------------------------------------------ the runner

/// Runs one case; returns the problems found (empty = pass).
fn run_case(c: &Case) -> Vec<String> {
    let dir = Dir::new();
    let mut problems = Vec::new();
    match &c.input {
        Input::Bytes(b) => {
            dir.create_bytes(&c.file, b);
        }
        Input::Directory => std::fs::create_dir_all(dir.join(&c.file)).unwrap(),
        Input::Missing => {}
    }
    let mut args = vec!["ingest", c.file.as_str()];
    args.extend(c.args.iter().copied());
    let started = Instant::now();
    let o = dir.command(&args).output();
    let elapsed = started.elapsed();
    let code = o.status.code();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    if code == Some(101) || code.is_none() || stderr.contains("panicked") || stderr.contains("internal error") {
        problems.push(format!("crashed (exit {code:?}): {stderr}"));
        return problems;
    }
    match &c.expect {
        Expect::FileError { exit, contains } => check_file_error(c, &dir, code, *exit, contains, &stdout, &stderr, &mut problems),
        Expect::Rejects { rows, accepted } => {
            if code != Some(0) {
                problems.push(format!("expected exit 0, got {code:?}; stderr: {stderr}"));
            } else {
                check_rejects(c, &dir, Some((rows, *accepted)), &mut problems);
            }
        }
        Expect::Survives { keys } => match code {
            Some(0) => {
                check_rejects(c, &dir, None, &mut problems);
                check_survivors(&dir, keys, &mut problems);
            }
            _ => check_file_error(c, &dir, code, 3, &[], &stdout, &stderr, &mut problems),
        },
    }
    if c.group == Group::Scale && elapsed > util::time_limit(20) {
        problems.push(format!("took {elapsed:?}"));
    }
    eprintln!("  {:<70} {:>8.2?}  {}", c.name, elapsed, if problems.is_empty() { "ok" } else { "FAILED" });
    if !matches!(c.expect, Expect::Rejects { .. }) && !stderr.is_empty() {
        eprintln!("      {}", stderr.trim_end());
    }
    problems
}

/// Exit `exit`, one line on stderr naming the file and a line, nothing committed.
#[allow(clippy::too_many_arguments)]
fn check_file_error(
    c: &Case,
    dir: &Dir,
    code: Option<i32>,
    exit: i32,
    contains: &[&str],
    stdout: &str,
    stderr: &str,
    problems: &mut Vec<String>,
) {
    if code != Some(exit) {
        problems.push(format!("expected exit {exit}, got {code:?}; stdout: {stdout} stderr: {stderr}"));
    }
    let lines: Vec<&str> = stderr.lines().collect();
    if lines.len() != 1 {
        problems.push(format!("stderr must be exactly one line, got {}: {stderr:?}", lines.len()));
    }
    let line = lines.first().copied().unwrap_or("");
    if !line.starts_with("fuyuan: ") {
        problems.push(format!("stderr should start with 'fuyuan: ': {line:?}"));
    }
    if !line.contains(c.file.as_str()) {
        problems.push(format!("stderr does not name the file {}: {line:?}", c.file));
    }
    if !line.contains("line") {
        problems.push(format!("stderr names no line (`FILE: line N, column C: reason`): {line:?}"));
    }
    for w in contains {
        if !line.to_lowercase().contains(&w.to_lowercase()) {
            problems.push(format!("stderr lacks {w:?}: {line:?}"));
        }
    }
    if dir.join("warehouse/manifest.json").exists() {
        problems.push("a failed ingest committed a manifest".into());
    }
}

/// Conservation in the manifest and the rejects file; with `expected`, exactly those rejects and
/// that many accepted rows; then the optional SQL check.
/// A damaged file read with exit 0: all its data rows are there (none vanished with the damage),
/// every stored key is one the file held, and every reject carries a reason.
fn check_survivors(dir: &Dir, keys: &[String], problems: &mut Vec<String>) {
    let m = dir.manifest("warehouse");
    let f = &m["ingests"].as_array().and_then(|a| a.last()).map(|i| i["files"][0].clone()).unwrap_or_default();
    if f["rows_read"].as_u64() != Some(keys.len() as u64) {
        problems.push(format!("read {} data rows of the {} the file holds", f["rows_read"], keys.len()));
    }
    let o = dir.command(&["sql", "SELECT case_no FROM litigation", "--format", "csv"]).output();
    let stored = String::from_utf8_lossy(&o.stdout).to_string();
    for k in stored.lines().skip(1) {
        if !keys.iter().any(|want| want == k) {
            problems.push(format!("stored a key the file does not hold: {k}"));
        }
    }
    let stored_rows = stored.lines().skip(1).count() as u64;
    if f["rows_accepted"].as_u64() != Some(stored_rows) {
        problems.push(format!("manifest says {} accepted, the table holds {stored_rows}", f["rows_accepted"]));
    }
    for r in dir.rejects("warehouse") {
        if r.get(3).is_none_or(|reason| reason.trim().is_empty()) {
            problems.push(format!("a reject without a reason: {r:?}"));
        }
    }
}

fn check_rejects(c: &Case, dir: &Dir, expected: Option<(&[RejectRow], u64)>, problems: &mut Vec<String>) {
    let m = dir.manifest("warehouse");
    let files = m["ingests"].as_array().and_then(|a| a.last()).map(|i| i["files"].clone()).unwrap_or_default();
    let Some(f) =
        files.as_array().and_then(|fs| fs.iter().find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(c.file.as_str())))).cloned()
    else {
        problems.push(format!("file not in the manifest: {m}"));
        return;
    };
    let n = |k: &str| f[k].as_u64().unwrap_or(u64::MAX);
    if n("rows_read") != n("rows_accepted").wrapping_add(n("rows_rejected")) {
        problems.push(format!(
            "conservation broken: read {} ≠ accepted {} + rejected {}",
            n("rows_read"),
            n("rows_accepted"),
            n("rows_rejected")
        ));
    }
    let got = dir.rejects("warehouse");
    if got.len() as u64 != n("rows_rejected") {
        problems.push(format!("the rejects file has {} rows, the manifest says {}", got.len(), n("rows_rejected")));
    }
    for r in &got {
        if !r.get(0).is_some_and(|p| p.ends_with(c.file.as_str())) {
            problems.push(format!("reject names another file: {r:?}"));
        }
    }
    let Some((rows, accepted)) = expected else { return };
    if n("rows_accepted") != accepted {
        problems.push(format!("accepted {} rows, expected {accepted}", n("rows_accepted")));
    }
    if n("rows_rejected") != rows.len() as u64 {
        problems.push(format!("rejected {} rows, expected {}", n("rows_rejected"), rows.len()));
    }
    for (line, column, reason) in rows {
        match got.iter().find(|r| r.get(1) == Some(line.to_string().as_str())) {
            None => {
                let summary: Vec<String> = got.iter().take(20).map(|r| format!("line {} [{}] {}", &r[1], &r[2], &r[3])).collect();
                problems.push(format!("no reject at line {line} ({column}: {reason}); rejects: {summary:?}"));
            }
            Some(r) => {
                if !r[2].contains(column.as_str()) {
                    problems.push(format!("line {line}: column {:?} lacks {column:?} (reason {:?})", &r[2], &r[3]));
                }
                if !r[3].to_lowercase().contains(&reason.to_lowercase()) {
                    problems.push(format!("line {line}: reason {:?} lacks {reason:?}", &r[3]));
                }
            }
        }
    }
    if let Some((query, want)) = &c.sql {
        let o = dir.command(&["sql", query, "--format", "csv"]).output();
        if !o.status.success() {
            problems.push(format!("sql {query:?} failed: {}", String::from_utf8_lossy(&o.stderr)));
        } else {
            let mut rd = csv::ReaderBuilder::new().from_reader(&o.stdout[..]);
            let got: Vec<String> = rd.records().map(|r| r.unwrap().get(0).unwrap_or("").to_string()).collect();
            if &got != want {
                problems.push(format!("stored values: {got:?}, expected {want:?}"));
            }
        }
    }
}

fn run_group(group: Group) {
    let cases: Vec<Case> = corpus().into_iter().filter(|c| c.group == group).collect();
    let mut failures = Vec::new();
    for c in &cases {
        let problems = run_case(c);
        if !problems.is_empty() {
            failures.push(format!("[{}] {} ({}):\n    {}", c.name, c.file, c.group_name(), problems.join("\n    ")));
        }
    }
    eprintln!("hostile {group:?}: {} cases run, {} failed", cases.len(), failures.len());
    assert!(failures.is_empty(), "{} of {} hostile {group:?} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

impl Case {
    fn group_name(&self) -> String {
        format!("{:?}", self.group)
    }
}

#[test]
fn corpus_is_large_enough() {
    let cases = corpus();
    eprintln!("hostile corpus: {} cases", cases.len());
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names must be unique");
}

#[test]
fn hostile_structure() {
    run_group(Group::Structure);
}

#[test]
fn hostile_encodings() {
    run_group(Group::Encoding);
}

#[test]
fn hostile_cells() {
    run_group(Group::Cells);
}

#[test]
fn hostile_workbooks() {
    run_group(Group::Workbook);
}

#[test]
fn hostile_paths() {
    run_group(Group::Paths);
}

#[test]
fn hostile_scale() {
    run_group(Group::Scale);
}
