//! The briefing as a Word document (.docx), laid out after GB/T 9704-2012 (党政机关公文格式).
//!
//! Input is the Markdown the office's template (`reports/brief.md.j2`) renders, read by
//! pulldown-cmark with the options of the HTML page (see `blocks`): `# 标题`, an optional
//! `<!-- subtitle: … -->` (ignored, as are all HTML comments), `## 一、…`, `### （一）…`,
//! paragraphs (consecutive lines join into one), `**bold**` runs, pipe tables, images
//! `![caption](charts/x.png)`, `---` (page break) and the lines `落款: …` / `日期: …` (signature
//! and date). Anything else is printed as its text.
//!
//! Layout (twips: 1 mm = 56.69 twips):
//! - A4 (11906 × 16838); margins top 37 mm (2098), bottom 35 mm (1984), left 28 mm (1587),
//!   right 26 mm (1474): a text block of 156 × 225 mm.
//! - Document grid: `<w:docGrid w:type="lines" w:linePitch="579"/>` — 22 lines of 28.95 pt — and
//!   28 characters per line by condensing every run by 0.25 pt (`w:spacing w:val="-5"` in the
//!   default run properties): 16 pt − 0.25 pt = 15.75 pt per character, 28 × 15.75 = 441 pt within
//!   the 442.2 pt (156 mm) text width. A `linesAndChars` grid would say the same to Word and WPS,
//!   but LibreOffice gives every character wider than the grid pitch two cells (about 14
//!   characters a line there), so the condensed spacing is used: it lays out alike in Word, WPS
//!   and LibreOffice. Body paragraphs carry an exact line spacing of 28.95 pt (579 twips), so a
//!   page holds 22 lines. Tables, images, captions and the footer opt out of the grid
//!   (`w:snapToGrid w:val="false"`) so smaller type is not spread out.
//! - Title 2号 (22 pt) 方正小标宋简体, centred, one blank line below; `一、` headings 3号 黑体 and
//!   `（一）` headings 3号 楷体_GB2312, both indented two characters like the body; body 3号 仿宋_GB2312,
//!   justified, first line indented two characters (`w:firstLineChars="200"`); Latin letters and
//!   digits in body and tables use Times New Roman. Runs set `w:eastAsia` and `w:hint="eastAsia"`
//!   (so “ ” quotes take the Chinese font); `word/fontTable.xml` names the fallbacks as `w:altName`
//!   (仿宋_GB2312 → 仿宋 → FangSong, 楷体_GB2312 → 楷体 → KaiTi, 黑体 → SimHei, 方正小标宋简体 → 宋体, 宋体 → SimSun).
//! - Tables: full text width, 0.5 pt borders, 仿宋 4号 (≤ 5 columns), 小四 (≤ 9) or 五号 (more);
//!   header row bold, centred and repeated on every page; numeric cells right-aligned.
//! - Images: scaled to the 156 mm text width (at most 200 mm high), centred, caption centred below.
//! - Signature (落款) two characters from the right margin, date below it starting two characters
//!   further right and at least four characters from the margin (GB/T 9704 7.3.5.1).
//! - Page numbers `— 1 —` in 4号 宋体, odd pages right and even pages left, one character in
//!   from the edge of the text block (`w:evenAndOddHeaders`), 7 mm below the text block.
mod blocks;
mod table;

use std::path::{Path, PathBuf};

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType,
};

use crate::{Error, Result};
use blocks::{Block, parse};
use table::table;

/// Page and margins in twips.
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
pub const MARGIN_TOP: i32 = 2098;
pub const MARGIN_BOTTOM: i32 = 1984;
pub const MARGIN_LEFT: i32 = 1587;
pub const MARGIN_RIGHT: i32 = 1474;
/// The distance from the page's bottom edge to the footer: puts the top of the page number about
/// 7 mm below the text block (35 mm − 7 mm − one 16 pt footer line ≈ 22.4 mm).
pub const FOOTER_DISTANCE: i32 = 1270;
/// 28.95 pt: 22 lines in the 225 mm text block.
pub const LINE_PITCH: i32 = 579;
/// The text block's width in twips (156 mm).
pub const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// The text block's width in EMU (156 mm × 36000).
const TEXT_WIDTH_EMU: u64 = 5_616_000;
const MAX_IMAGE_HEIGHT_EMU: u64 = 7_200_000;

pub const FANGSONG: &str = "仿宋_GB2312";
pub const HEITI: &str = "黑体";
pub const KAITI: &str = "楷体_GB2312";
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
pub const SONGTI: &str = "宋体";
const LATIN: &str = "Times New Roman";

/// Sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小四 12 pt, 五号 10.5 pt.
const SIZE_2: usize = 44;
const SIZE_3: usize = 32;
const SIZE_4: usize = 28;
const SIZE_S4: usize = 24;
const SIZE_5: usize = 21;
/// One 3号 character in twips (16 pt).
const CHAR: f64 = 320.0;
/// The first-line indent of two characters; also marks the indents that get `w:firstLineChars`.
const INDENT_2: i32 = 640;

/// Writes the briefing as a Word document. `markdown` is the briefing text rendered from the
/// office's template; `charts` are (chart id, PNG file) pairs: an image `![…](charts/x.png)` is
/// matched by file name (or by id = file stem) against them, and otherwise loaded from its path
/// relative to the output file's folder.
pub fn write_docx(markdown: &str, charts: &[(String, PathBuf)], path: &Path) -> Result<()> {
    let blocks = parse(markdown);
    let base = path.parent().unwrap_or(Path::new("."));
    // Styles (document defaults and Normal) are replaced wholesale in `STYLES` after building.
    let mut docx = Docx::new().page_size(PAGE_WIDTH, PAGE_HEIGHT).page_margin(
        PageMargin::new()
            .top(MARGIN_TOP)
            .bottom(MARGIN_BOTTOM)
            .left(MARGIN_LEFT)
            .right(MARGIN_RIGHT)
            .header(851)
            .footer(FOOTER_DISTANCE)
            .gutter(0),
    );
    docx.document = docx.document.doc_grid(DocGrid::new().grid_type(DocGridType::Lines).line_pitch(LINE_PITCH as usize));
    docx.settings = docx.settings.adjust_line_height_in_table();
    docx = docx.footer(Footer::new().add_paragraph(page_number(true))).even_footer(Footer::new().add_paragraph(page_number(false)));

    let mut page_break = false;
    let mut after_title = false;
    let mut i = 0;
    while i < blocks.len() {
        let next_is_table = matches!(blocks.get(i + 1), Some(Block::Table(_)));
        let mut para: Option<Paragraph> = None;
        match &blocks[i] {
            Block::Title(t) => {
                // Off the character grid: 2号 characters would otherwise take two grid cells each.
                para = Some(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .snap_to_grid(false)
                        .line_spacing(exact(LINE_PITCH).after(LINE_PITCH as u32))
                        .add_run(run(t, fonts(XIAOBIAOSONG, XIAOBIAOSONG), SIZE_2, false)),
                );
            }
            Block::Heading(level, t) => {
                let (font, lvl) = if *level == 2 { (HEITI, 0) } else { (KAITI, 1) };
                // 附表 / 附件 labels sit flush left (顶格); numbered headings are indented like the body.
                let indent = if t.plain().starts_with('附') { 0 } else { INDENT_2 };
                let mut p = Paragraph::new()
                    .align(AlignmentType::Both)
                    .line_spacing(exact(LINE_PITCH))
                    .keep_next(true)
                    .outline_lvl(lvl)
                    .indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None);
                for (text, bold) in &t.0 {
                    p = p.add_run(run(text, fonts(font, font), SIZE_3, *bold));
                }
                para = Some(p);
            }
            Block::Para(runs) => {
                let t = runs.plain();
                let salutation = after_title && (t.ends_with('：') || t.ends_with(':'));
                let table_title = next_is_table && is_table_title(&t);
                let mut p = Paragraph::new().line_spacing(exact(LINE_PITCH));
                p = if table_title {
                    p.align(AlignmentType::Center).keep_next(true)
                } else if salutation {
                    p.align(AlignmentType::Both)
                } else {
                    p.align(AlignmentType::Both).indent(None, Some(SpecialIndentType::FirstLine(INDENT_2)), None, None)
                };
                for (text, bold) in &runs.0 {
                    p = p.add_run(run(text, fonts(FANGSONG, LATIN), SIZE_3, *bold));
                }
                para = Some(p);
            }
            Block::Image { caption, src } => {
                let (bytes, w_px, h_px) = load_png(src, charts, base)?;
                let mut w = TEXT_WIDTH_EMU;
                let mut h = w * h_px as u64 / w_px.max(1) as u64;
                if h > MAX_IMAGE_HEIGHT_EMU {
                    w = w * MAX_IMAGE_HEIGHT_EMU / h;
                    h = MAX_IMAGE_HEIGHT_EMU;
                }
                let pic = Pic::new_with_dimensions(bytes, w_px, h_px).size(w as u32, h as u32);
                let mut p = Paragraph::new()
                    .align(AlignmentType::Center)
                    .snap_to_grid(false)
                    .line_spacing(single())
                    .keep_next(!caption.0.is_empty())
                    .add_run(Run::new().add_image(pic));
                if page_break {
                    p = p.page_break_before(true);
                    page_break = false;
                }
                docx = docx.add_paragraph(p);
                if !caption.0.is_empty() {
                    let mut c = Paragraph::new().align(AlignmentType::Center).snap_to_grid(false).line_spacing(exact(LINE_PITCH));
                    for (text, bold) in &caption.0 {
                        c = c.add_run(run(text, fonts(FANGSONG, LATIN), SIZE_4, *bold));
                    }
                    docx = docx.add_paragraph(c);
                }
            }
            Block::Table(rows) => {
                if page_break {
                    docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
                    page_break = false;
                }
                docx = docx.add_table(table(rows));
            }
            Block::PageBreak => page_break = true,
            Block::Signature(sig) => {
                let date = match blocks.get(i + 1) {
                    Some(Block::Date(d)) => {
                        i += 1;
                        Some(d.clone())
                    }
                    _ => None,
                };
                let (sig_r, date_r) = signature_indents(width_chars(sig), date.as_deref().map(width_chars));
                docx = docx.add_paragraph(right_aligned(sig, sig_r, true, page_break));
                page_break = false;
                if let Some(d) = date {
                    docx = docx.add_paragraph(right_aligned(&d, date_r, false, false));
                }
            }
            Block::Date(d) => {
                let (_, date_r) = signature_indents(0.0, Some(width_chars(d)));
                docx = docx.add_paragraph(right_aligned(d, date_r, true, page_break));
                page_break = false;
            }
        }
        after_title = matches!(blocks[i], Block::Title(_));
        if let Some(mut p) = para {
            if page_break {
                p = p.page_break_before(true);
                page_break = false;
            }
            docx = docx.add_paragraph(p);
        }
        i += 1;
    }
    if page_break {
        // A trailing `---`: nothing follows, so there is nothing to break before.
    }

    let mut xml = docx.build();
    xml.font_table = FONT_TABLE.as_bytes().to_vec();
    xml.styles = STYLES.as_bytes().to_vec();
    xml.document = patch_document(&xml.document);
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    xml.pack(file).map_err(|e| Error::Other(format!("{}: writing the Word document: {e}", path.display())))?;
    Ok(())
}

/// 表1 … / 附表1 …: a table's title line.
fn is_table_title(t: &str) -> bool {
    let t = t.strip_prefix('附').unwrap_or(t);
    t.strip_prefix('表').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

fn fonts(east_asia: &str, latin: &str) -> RunFonts {
    RunFonts::new().ascii(latin).hi_ansi(latin).cs(latin).east_asia(east_asia).hint("eastAsia")
}

fn run(text: &str, f: RunFonts, size: usize, bold: bool) -> Run {
    let r = Run::new().fonts(f).size(size).add_text(text);
    if bold { r.bold() } else { r }
}

fn exact(twips: i32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(twips).before(0).after(0)
}

fn single() -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(0).after(0)
}

/// Display width in 3号 characters: CJK and other wide characters 1, ASCII ½.
fn width_chars(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// Right indents (in characters) for the signature and the date: the signature two characters
/// from the margin, the date's first character two characters right of the signature's, and the
/// date at least four characters from the margin (GB/T 9704-2012 7.3.5.1).
fn signature_indents(sig: f64, date: Option<f64>) -> (f64, f64) {
    let Some(date) = date else { return (2.0, 4.0) };
    if sig == 0.0 {
        return (2.0, 4.0);
    }
    let date_r = 2.0 + sig - 2.0 - date;
    if date_r >= 4.0 { (2.0, date_r) } else { (4.0 + date + 2.0 - sig, 4.0) }
}

fn right_aligned(text: &str, right_chars: f64, space_before: bool, page_break: bool) -> Paragraph {
    let mut spacing = exact(LINE_PITCH);
    if space_before {
        spacing = spacing.before(LINE_PITCH as u32);
    }
    let end = (right_chars * CHAR).round() as i32;
    let mut p = Paragraph::new().align(AlignmentType::Right).line_spacing(spacing).indent(Some(0), None, Some(end), None).add_run(run(
        text,
        fonts(FANGSONG, LATIN),
        SIZE_3,
        false,
    ));
    if page_break {
        p = p.page_break_before(true);
    }
    p
}

/// `— 1 —` in 4号 宋体: odd pages right, even pages left, one character in from the text block.
fn page_number(odd: bool) -> Paragraph {
    let f = || fonts(SONGTI, SONGTI);
    let p = Paragraph::new().snap_to_grid(false).line_spacing(exact(320));
    let p = if odd {
        p.align(AlignmentType::Right).indent(Some(0), None, Some(CHAR as i32), None)
    } else {
        p.align(AlignmentType::Left).indent(Some(CHAR as i32), None, None, None)
    };
    p.add_run(Run::new().fonts(f()).size(SIZE_4).add_text("— "))
        .add_run(
            Run::new()
                .fonts(f())
                .size(SIZE_4)
                .add_field_char(FieldCharType::Begin, false)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                .add_field_char(FieldCharType::Separate, false)
                .add_text("1")
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(Run::new().fonts(f()).size(SIZE_4).add_text(" —"))
}

/// Finds an image: by file name (or id = file stem) among `charts`, else relative to `base`.
fn load_png(src: &str, charts: &[(String, PathBuf)], base: &Path) -> Result<(Vec<u8>, u32, u32)> {
    let name = src.rsplit(['/', '\\']).next().unwrap_or(src);
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let found = charts
        .iter()
        .find(|(_, p)| p.file_name().and_then(|f| f.to_str()) == Some(name))
        .or_else(|| charts.iter().find(|(id, _)| id == stem || id == name))
        .map(|(_, p)| p.clone());
    let file = match found {
        Some(p) => p,
        None => {
            let p = base.join(src);
            if !p.is_file() {
                return Err(Error::Other(format!("image {src}: no chart of that name and no file {}", p.display())));
            }
            p
        }
    };
    let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
    let (w, h) = png_size(&bytes).ok_or_else(|| Error::Other(format!("{}: not a PNG image", file.display())))?;
    Ok((bytes, w, h))
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.len() < 24 || &b[..8] != b"\x89PNG\r\n\x1a\n" || &b[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(b[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(b[20..24].try_into().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// Adds what docx-rs does not write: `w:firstLineChars` next to the two-character indents (so
/// Word indents by grid characters) and `w:tblHeader` on each table's first row (repeated on
/// every page); and moves the section's header/footer references to the front of `w:sectPr`,
/// where the schema wants them.
fn patch_document(xml: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(xml);
    let s = s.replace(&format!("w:firstLine=\"{INDENT_2}\""), &format!("w:firstLineChars=\"200\" w:firstLine=\"{INDENT_2}\""));
    let s = reorder_sect_pr(&s);
    let mut out = String::with_capacity(s.len() + 256);
    let mut rest: &str = &s;
    while let Some(at) = rest.find("<w:tbl>") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // The first row's properties, e.g. `<w:trPr><w:cantSplit /></w:trPr>`.
        match (rest.find("<w:trPr>"), rest.find("</w:tr>")) {
            (Some(p), Some(end)) if p < end => {
                let cut = p + "<w:trPr>".len();
                out.push_str(&rest[..cut]);
                out.push_str("<w:tblHeader />");
                rest = &rest[cut..];
            }
            _ => {
                out.push_str("<w:tbl>");
                rest = &rest["<w:tbl>".len()..];
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// `<w:sectPr>…</w:sectPr>` (the last one, the body's) with its `w:headerReference` and
/// `w:footerReference` elements first.
fn reorder_sect_pr(s: &str) -> String {
    let (Some(start), Some(end)) = (s.rfind("<w:sectPr>"), s.rfind("</w:sectPr>")) else { return s.to_string() };
    if end < start {
        return s.to_string();
    }
    let inner = &s[start + "<w:sectPr>".len()..end];
    let mut refs = String::new();
    let mut rest = String::new();
    let mut cur = inner;
    while let Some(lt) = cur.find('<') {
        rest.push_str(&cur[..lt]);
        cur = &cur[lt..];
        // Only self-closing children are expected here; anything else is copied as it is.
        let Some(gt) = cur.find("/>") else { break };
        let el = &cur[..gt + 2];
        if el.contains('>') && el.find('>') != Some(el.len() - 1) {
            // Not a simple self-closing element: give up and keep the original order.
            return s.to_string();
        }
        if el.starts_with("<w:headerReference") || el.starts_with("<w:footerReference") {
            refs.push_str(el);
        } else {
            rest.push_str(el);
        }
        cur = &cur[gt + 2..];
    }
    rest.push_str(cur);
    format!("{}<w:sectPr>{refs}{rest}{}", &s[..start], &s[end..])
}

/// The styles part: document defaults and the Normal style carry the body font and size
/// explicitly (LibreOffice takes the character-grid pitch from Normal, Word from the defaults),
/// Chinese as the East Asian language, widow control off so pages stay at 22 lines.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman" w:hint="eastAsia"/><w:kern w:val="2"/><w:spacing w:val="-5"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:spacing w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman" w:hint="eastAsia"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

const FONT_TABLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="宋体"><w:altName w:val="SimSun"/><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font><w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="楷体"><w:altName w:val="KaiTi"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font><w:font w:name="Symbol"><w:charset w:val="02"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="Arial"><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_references_go_first() {
        let s = r#"<w:body><w:p /><w:sectPr><w:pgSz w:w="1" /><w:docGrid w:type="lines" /><w:footerReference w:type="default" r:id="a" /><w:footerReference w:type="even" r:id="b" /></w:sectPr></w:body>"#;
        assert_eq!(
            reorder_sect_pr(s),
            r#"<w:body><w:p /><w:sectPr><w:footerReference w:type="default" r:id="a" /><w:footerReference w:type="even" r:id="b" /><w:pgSz w:w="1" /><w:docGrid w:type="lines" /></w:sectPr></w:body>"#
        );
    }

    #[test]
    fn signature_and_date() {
        // A long signature: two characters from the margin; the date starts two characters right of it.
        let (s, d) = signature_indents(15.0, Some(6.5));
        assert_eq!((s, d), (2.0, 8.5));
        // A short signature: the date keeps four characters and the signature moves left.
        let (s, d) = signature_indents(4.0, Some(6.5));
        assert_eq!((s, d), (8.5, 4.0));
    }
}
