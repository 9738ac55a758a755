//! Tables in Word: column widths that fill the text block, figures right-aligned and smaller
//! before a name would wrap, the header row bold (`patch_document` repeats it on every page).
use docx_rs::{
    AlignmentType, BorderType, Paragraph, Table, TableAlignmentType, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::blocks::Runs;
use super::{FANGSONG, LATIN, SIZE_4, SIZE_5, SIZE_S4, TEXT_WIDTH, fonts, run, single, width_chars};

/// Right-aligned when the cell is a figure: digits with signs, separators, % and a count in
/// brackets (`75.00%（3/4）`, `+1.23`, `1,234`).
fn is_numeric(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || " .,%+-−/()（）".contains(c))
}

pub(super) fn table(cells: &[Vec<Runs>]) -> Table {
    let rows: Vec<Vec<String>> = cells.iter().map(|r| r.iter().map(Runs::plain).collect()).collect();
    let rows = rows.as_slice();
    let ncols = rows.iter().map(|r| r.len()).max().unwrap_or(1).max(1);
    let size = match ncols {
        0..=5 => SIZE_4,
        6..=9 => SIZE_S4,
        _ => SIZE_5,
    };
    let (grid, fig_size) = layout(rows, ncols, size);
    let numeric: Vec<bool> = (0..ncols).map(|c| numeric_column(rows, c)).collect();
    let border = |pos| TableBorder::new(pos).border_type(BorderType::Single).size(4).color("000000");
    let borders = TableBorders::new()
        .set(border(TableBorderPosition::Top))
        .set(border(TableBorderPosition::Bottom))
        .set(border(TableBorderPosition::Left))
        .set(border(TableBorderPosition::Right))
        .set(border(TableBorderPosition::InsideH))
        .set(border(TableBorderPosition::InsideV));
    let trs: Vec<TableRow> = cells
        .iter()
        .zip(rows)
        .enumerate()
        .map(|(r, (runs, row))| {
            let header = r == 0;
            let cells = (0..ncols)
                .map(|c| {
                    let plain = row.get(c).map(String::as_str).unwrap_or("");
                    let align = if header || plain.is_empty() || plain == "—" || plain == "是" || plain == "否" {
                        AlignmentType::Center
                    } else if is_numeric(plain) {
                        AlignmentType::Right
                    } else {
                        AlignmentType::Left
                    };
                    let mut p = Paragraph::new().align(align).snap_to_grid(false).line_spacing(single());
                    for (t, b) in runs.get(c).map(|r| r.0.as_slice()).unwrap_or(&[]) {
                        p = p.add_run(run(t, fonts(FANGSONG, LATIN), if numeric[c] { fig_size } else { size }, *b || header));
                    }
                    TableCell::new().width(grid[c], WidthType::Dxa).vertical_align(VAlignType::Center).add_paragraph(p)
                })
                .collect();
            TableRow::new(cells).cant_split()
        })
        .collect();
    Table::new(trs)
        .set_grid(grid.clone())
        .width(TEXT_WIDTH, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(30, 57, 30, 57))
        .set_borders(borders)
}

/// 小五 and 六号 (half-points): the smallest sizes a table's figures may take to keep names whole.
const SIZE_S5: usize = 18;
const SIZE_6: usize = 15;

/// A column of figures: every body cell digits, signs, separators, %, a count in brackets or —.
fn numeric_column(rows: &[Vec<String>], c: usize) -> bool {
    rows.iter().skip(1).filter_map(|r| r.get(c)).all(|s| s.chars().all(|ch| ch.is_ascii_digit() || "+-−.,%/（）()— ".contains(ch)))
}

/// Column widths in twips summing to the text width (see `layout`).
#[cfg(test)]
fn column_widths(rows: &[Vec<String>], ncols: usize, size: usize) -> Vec<usize> {
    layout(rows, ncols, size).0
}

/// Column widths in twips summing to the text width, and the type size of the figure columns.
/// Widths are counted in half-characters (a CJK character is 2, an ASCII one 1) of each column's
/// size: every column gets its widest body cell and at least half its header (headers may wrap
/// onto two lines). When that is wider than the page, the figure columns take a smaller size
/// (小四 → 五号 → 小五 → 六号) before anything else, so that names stay on one line; only a table
/// still too wide at 六号 lets its text columns wrap. Room left over goes first to headers that
/// would otherwise wrap, then to every column in proportion.
pub(super) fn layout(rows: &[Vec<String>], ncols: usize, size: usize) -> (Vec<usize>, usize) {
    const PAD: f64 = 2.0;
    let w = |s: &str| width_chars(s) * 2.0;
    let head: Vec<f64> = (0..ncols).map(|c| rows.first().and_then(|r| r.get(c)).map(|s| w(s)).unwrap_or(0.0)).collect();
    let body: Vec<f64> =
        (0..ncols).map(|c| rows.iter().skip(1).filter_map(|r| r.get(c)).map(|s| w(s).min(40.0)).fold(4.0, f64::max)).collect();
    let numeric: Vec<bool> = (0..ncols).map(|c| numeric_column(rows, c)).collect();
    let half_chars: Vec<f64> = (0..ncols).map(|c| body[c].max((head[c] / 2.0).ceil()) + PAD).collect();
    let total = TEXT_WIDTH as f64;
    // One half-character of a size in twips: size (half-points) × 5.
    let twips = |c: usize, fig: usize| half_chars[c] * (if numeric[c] { fig } else { size }) as f64 * 5.0;
    let sizes: Vec<usize> = [size, SIZE_S4, SIZE_5, SIZE_S5, SIZE_6].into_iter().filter(|s| *s <= size).collect();
    let fig = sizes.iter().copied().find(|&f| (0..ncols).map(|c| twips(c, f)).sum::<f64>() <= total).unwrap_or(SIZE_6.min(size));
    let unit = |c: usize| (if numeric[c] { fig } else { size }) as f64 * 5.0;
    let mut need: Vec<f64> = (0..ncols).map(|c| twips(c, fig)).collect();
    let sum: f64 = need.iter().sum();
    if sum < total {
        let mut extra = total - sum;
        let wants: Vec<f64> = (0..ncols).map(|c| ((head[c] + PAD) * unit(c) - need[c]).max(0.0)).collect();
        let wanted: f64 = wants.iter().sum();
        if wanted > 0.0 {
            let k = (extra / wanted).min(1.0);
            for c in 0..ncols {
                need[c] += wants[c] * k;
            }
            extra -= wanted * k;
        }
        let sum: f64 = need.iter().sum();
        for n in need.iter_mut() {
            *n += extra * *n / sum;
        }
    }
    // Still too wide at the smallest size: numbers must not break mid-figure ("10.00\n%"), so
    // the text columns, which wrap between characters, give up their room.
    let sum: f64 = need.iter().sum();
    if sum > total {
        let fixed: f64 = (0..ncols).filter(|&c| numeric[c]).map(|c| need[c]).sum();
        let flexible: f64 = sum - fixed;
        let room = total - fixed;
        if flexible > 0.0 && room > 0.0 {
            for c in 0..ncols {
                if !numeric[c] {
                    need[c] = (need[c] * room / flexible).max((4.0 + PAD) * unit(c));
                }
            }
        }
    }
    let sum: f64 = need.iter().sum();
    let mut grid: Vec<usize> = need.iter().map(|n| (n / sum * total).floor() as usize).collect();
    let used: usize = grid.iter().sum();
    if let Some(last) = grid.last_mut() {
        *last += TEXT_WIDTH.saturating_sub(used);
    }
    (grid, fig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_align_right() {
        assert!(is_numeric("75.00%（3/4）"));
        assert!(is_numeric("+1.23"));
        assert!(is_numeric("1,234"));
        assert!(!is_numeric("湖滨区"));
        assert!(!is_numeric("—"));
    }

    #[test]
    fn names_stay_whole_and_figures_get_smaller() {
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        let header = row(&["排名", "地区", "发案量", "同比", "审结", "败诉", "败诉率", "变化(百分点)", "出庭应诉率"]);
        let body = row(&["—", "河南三门峡经济开发区", "1,234", "-100.00%", "1,234", "123", "100.00%", "+100.00", "100.00%（1234/1234）"]);
        let (g, fig) = layout(&[header.clone(), body], 9, SIZE_S4);
        assert_eq!(g.iter().sum::<usize>(), TEXT_WIDTH);
        // 10 characters of 小四 (12 pt = 240 twips) and the padding: the name on one line.
        assert!(g[1] >= 10 * 240, "{g:?}");
        assert!(fig < SIZE_S4, "the figures take a smaller size: {fig}");
        // A table that fits keeps one size.
        let short = row(&["1", "湖滨区", "12", "+1.00%", "10", "1", "10.00%", "+1.00", "90.00%（9/10）"]);
        let (_, fig) = layout(&[header, short], 9, SIZE_S4);
        assert_eq!(fig, SIZE_S4);
    }

    #[test]
    fn column_widths_fill_the_text_width() {
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        let rows = vec![row(&["排名", "地区", "双下降", "出庭应诉率"]), row(&["1", "湖滨区", "是", "97.50%（39/40）"])];
        let g = column_widths(&rows, 4, SIZE_4);
        assert_eq!(g.iter().sum::<usize>(), TEXT_WIDTH);
        // The headers get room not to wrap: 双下降 is 3 characters of 14 pt plus padding.
        assert!(g[2] >= 3 * 280, "{g:?}");
        assert!(g[3] > g[0], "{g:?}");
    }
}
