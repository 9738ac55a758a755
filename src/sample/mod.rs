//! Synthetic ledgers (样例台账) for demos, tests and benchmarks (`fuyuan sample`).
//!
//! The generator writes, into one folder, the files a court–government linkage office really
//! receives, in the messy forms it receives them:
//!
//! | file | table | form |
//! |---|---|---|
//! | `litigation_2022Q4_2023.xlsx` | litigation | sheets 填报说明 (notes) and 行政诉讼台账; Excel date cells, some bare serials and text dates; some region codes as numeric cells |
//! | `litigation_2024.csv` | litigation | GBK, CRLF; other header aliases and office spellings (法院, 被告行政机关, 被告所属区划, 收案日期, 结案时间, 判决结果, 开庭时间, 负责人是否出庭应诉 …); dates `2024年5月30日` and `2024/5/30`; Y/N and 是/否 |
//! | `litigation_corrections_2024.csv` | litigation | UTF-8 with BOM; about 3 % of the earlier cases re-sent with their final closed date and outcome (same case number, often another bracket style); ingest it after the two ledgers |
//! | `reconsideration_2023_2024.xlsx` | reconsideration | sheets 填报说明 (notes), 2023年 and 2024年, each ledger sheet closed by a 合计 row; Excel date cells, a few text dates and serials |
//! | `penalty_2023.csv` | penalty | UTF-8; `罚款金额(元)` as `1,200.00`, `500元`, `1200`; `没收违法所得（元）` |
//! | `penalty_2024.csv` | penalty | UTF-8 with BOM; `罚款金额(万元)` and `没收金额(万元)` (0.12 = ¥1,200) |
//! | `supervision_2021_2024.xlsx` | supervision | the sample city's 监督台账 (see `supervision.rs`): title row, alias headers, multi-unit letters in merged cells, action variants, late and overdue rectifications, a person column ingest drops |
//! | `peers_2023_2024.xlsx` | peers | the province's per-city table as a notice's annex: title rows, a two-row header with merged group cells, 败诉率(%) as numbers, a 合计 row per year (the province) |
//! | `court_2024.xlsx` | court | the court's list (法院收结案清单) of the city's basic and intermediate courts for 2024, in the court's header style (收案日期, 结案方式, 负责人是否出庭, 案由 …); ingest with `--table court` (`fuyuan run` does so for a file named `court_*`); see `court.rs` for the discrepancies it carries |
//! | `regions_sanmenxia.csv` | regions | copy of the shipped Sanmenxia additions (zones, townships), for `--regions` |
//!
//! Every ledger also has columns ingest ignores (序号, 备注 or 更正说明). Litigation and
//! reconsideration cells are partly written as clerks write them: outcome and decision sentences,
//! appellate outcomes for 行终/行申, appearance answers such as 是（副局长） or 未出庭, regions by
//! name or 12-digit statistical code, 第 in some case numbers (docs/decisions.md, Samples).
//!
//! **The mix.** Henan province-wide, with Sanmenxia (411200) in depth: about 15 % of every table
//! is Sanmenxia and its counties, zones and townships; the other cities share the rest by
//! population. Time span 2022-10-01 .. 2024-12-31 for litigation, 2023-01-01 .. 2024-12-31 for
//! reconsideration and penalties, cut at `today`.
//! Filings dip at weekends, Spring Festival and National Day. Each city has a fixed-per-seed loss
//! rate (Sanmenxia ≈ 8.8 % in 2023 and 7.2 % in 2024, below the province; others 11–21 %), 2024
//! filing trend (Sanmenxia −10 %: a "double decline"), head-appearance and spoke rates.
//! Litigation: 行初 mostly, some 行赔初, 行终 and 行申; cases against a county-level or higher
//! people's government go to the intermediate court; a third of basic-court cases are heard by
//! another county's court (异地管辖). Most cases close 2–8 months after filing; cases closing after
//! the span end are pending. Reconsideration: about 12 % of decided cases corrected. Penalties:
//! Sanmenxia's townships decide cases with delegated powers (赋权) from 2023-05-30 on.
//!
//! **Row counts** at scale s: litigation 4,000·s, reconsideration 2,500·s, penalty
//! 5,000·s + 10,000·s³ (15,000 at s = 1, 10 million at s = 10: a province-year of penalties is
//! millions of rows while its litigation is tens of thousands). Scale 1 is about 3 MB;
//! scale 10 about 1.5 GB, written in some 20 s with flat memory. CSV rows
//! are streamed; a ledger expected to exceed 200,000 rows is written as CSV instead of xlsx.
//!
//! **Bad rows**, a couple of each kind per ledger, counted in [`SampleFile::bad_rows`]: required
//! cell empty; unknown vocabulary value (outcome 待定, decision 不详, leniency 酌情, bool 可能);
//! impossible date (2023-02-29); date before 1990-10-01; date after `today`; outcome or decision
//! without closed date; closed date without one; closed date before the filed/received date;
//! unparseable case number (no brackets, no 号); region code not in the dimension (419999);
//! negative fine. Each bad row is otherwise a fresh case, so it never collides with a good key.
//! Repeated keys (the corrections file; a few re-entered penalty decisions later in the same
//! file) are corrections, not bad rows.
//!
//! Output is a pure function of (scale, seed, today): ChaCha8 streams per table, no clock reads,
//! a fixed xlsx creation time.
mod agency;
mod court;
mod geo;
mod litigation;
mod names;
mod peers;
mod penalty;
mod reconsideration;
mod sink;
mod supervision;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Error, Result};
use geo::Geo;
use sink::{Enc, Layout, Sink, Style, V, render};

pub struct SampleOptions {
    pub out: PathBuf,
    pub scale: u32,
    pub seed: u64,
    /// No generated date (except the deliberate "after today" bad rows) lies after this day.
    pub today: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFile {
    pub path: PathBuf,
    pub table: &'static str,
    /// Data rows written (header excluded), bad rows included.
    pub rows: u64,
    /// Rows that ingest must reject.
    pub bad_rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleReport {
    pub files: Vec<SampleFile>,
}

/// Largest accepted `--scale` (penalties grow with its cube: 270 million rows at 30).
pub const MAX_SCALE: u32 = 30;

/// The shipped region list and Sanmenxia's additions.
pub(crate) const HENAN_REGIONS: &str = include_str!("../warehouse/henan_regions.csv");
pub(crate) const SANMENXIA_ADDITIONS: &str = include_str!("sanmenxia_additions.csv");

pub fn litigation_target(scale: u32) -> u64 {
    4_000 * u64::from(scale)
}

pub fn reconsideration_target(scale: u32) -> u64 {
    2_500 * u64::from(scale)
}

pub fn penalty_target(scale: u32) -> u64 {
    let s = u64::from(scale);
    5_000 * s + 10_000 * s * s * s
}

/// Write the sample ledgers into `opts.out` (created if missing).
pub fn generate(opts: &SampleOptions) -> Result<SampleReport> {
    if opts.scale == 0 || opts.scale > MAX_SCALE {
        return Err(Error::Usage(format!("--scale must be between 1 and {MAX_SCALE}, got {}", opts.scale)));
    }
    fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;
    let geo = Geo::load(HENAN_REGIONS, SANMENXIA_ADDITIONS, &mut stream(opts.seed, 0))?;
    let ctx = Ctx { geo: &geo, end: span_end().min(opts.today), today: opts.today, scale: opts.scale };

    let mut files = litigation::write(&ctx, &opts.out, &mut stream(opts.seed, 1))?;
    files.push(reconsideration::write(&ctx, &opts.out, &mut stream(opts.seed, 2))?);
    files.extend(penalty::write(&ctx, &opts.out, &mut stream(opts.seed, 3))?);
    // The supervision ledger reads the case ledgers just written, so it follows them.
    let sup = supervision::write(&ctx, &opts.out, &mut stream(opts.seed, 4), &files)?;
    files.push(sup);
    files.push(peers::write(&ctx, &opts.out, &mut stream(opts.seed, 5))?);
    // The court's list, derived from the litigation files just written.
    let lit_files: Vec<PathBuf> = files.iter().filter(|f| f.table == "litigation").map(|f| f.path.clone()).collect();
    files.push(court::write(&ctx, &opts.out, &lit_files, &mut stream(opts.seed, 7))?);

    let path = opts.out.join("regions_sanmenxia.csv");
    fs::write(&path, SANMENXIA_ADDITIONS).map_err(|e| Error::io(&path, e))?;
    let rows = csv::Reader::from_reader(SANMENXIA_ADDITIONS.as_bytes()).records().filter(|r| r.is_ok()).count() as u64;
    files.push(SampleFile { path, table: "regions", rows, bad_rows: 0 });
    Ok(SampleReport { files })
}

/// An independent random stream per purpose, so that changing one table does not shift another.
fn stream(seed: u64, n: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(n);
    rng
}

struct Ctx<'a> {
    pub geo: &'a Geo,
    /// Last day with data: 2024-12-31 or today, whichever is earlier.
    pub end: NaiveDate,
    pub today: NaiveDate,
    pub scale: u32,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid literal date")
}

fn span_end() -> NaiveDate {
    ymd(2024, 12, 31)
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d + chrono::Duration::days(n)
}

/// A date "after today" as clerks really mistype it: the year's middle digits swapped (2024 →
/// 2204). It stays in the future for two centuries, so committed samples keep their reject.
fn future_typo(today: NaiveDate, rng: &mut ChaCha8Rng) -> NaiveDate {
    let base = ymd(today.year().max(2024) + 180, 1, 1);
    add_days(base, rng.random_range(20..300))
}

/// Weighted choice from a small table.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= *w;
    }
    items[0].0
}

/// Weighted choice of an index.
fn pick_index(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= *w;
    }
    weights.len().saturating_sub(1)
}

/// Pick the region of an agency in city `ci`: the city itself, one of its county-level units, or
/// (where the dimension lists them) one of its townships.
fn pick_region(geo: &Geo, ci: usize, city_share: f64, town_share: f64, rng: &mut ChaCha8Rng) -> usize {
    let city = &geo.cities[ci];
    if city.counties.is_empty() {
        return city.region;
    }
    if !city.towns.is_empty() && rng.random_bool(town_share) {
        return city.towns[rng.random_range(0..city.towns.len())];
    }
    if rng.random_bool(city_share) {
        return city.region;
    }
    let w: Vec<f64> = city.counties.iter().map(|&r| geo.regions[r].weight).collect();
    city.counties[pick_index(rng, &w)]
}

/// Relative activity of a day: weekends, Spring Festival and the National Day week are quiet.
fn day_weight(d: NaiveDate) -> f64 {
    let base = match d.weekday() {
        Weekday::Sat => 0.12,
        Weekday::Sun => 0.08,
        _ => 1.0,
    };
    let md = (d.month(), d.day());
    let national_day = md.0 == 10 && md.1 <= 7;
    let spring = (d >= ymd(2023, 1, 21) && d <= ymd(2023, 1, 27)) || (d >= ymd(2024, 2, 10) && d <= ymd(2024, 2, 17));
    if national_day || spring { base * 0.15 } else { base }
}

/// Days of a span with their weights; turns a target row count into per-day counts.
struct Calendar {
    days: Vec<(NaiveDate, f64)>,
    total: f64,
}

impl Calendar {
    pub fn new(start: NaiveDate, end: NaiveDate, weight: impl Fn(NaiveDate) -> f64) -> Calendar {
        let mut days = Vec::new();
        let mut d = start;
        while d <= end {
            days.push((d, weight(d)));
            d = add_days(d, 1);
        }
        let total = days.iter().map(|(_, w)| w).sum();
        Calendar { days, total }
    }

    /// Expected rows on days in `from..until` when the whole span gets `target`.
    pub fn expected(&self, from: NaiveDate, until: NaiveDate, target: u64) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let w: f64 = self.days.iter().filter(|(d, _)| *d >= from && *d < until).map(|(_, w)| w).sum();
        target as f64 * w / self.total
    }

    /// Rows per day, randomly rounded so that the sum stays close to `target`.
    pub fn counts(&self, target: u64, rng: &mut ChaCha8Rng) -> Vec<(NaiveDate, u64)> {
        if self.total <= 0.0 {
            return Vec::new();
        }
        self.days
            .iter()
            .map(|(d, w)| {
                let x = target as f64 * w / self.total;
                let n = x.floor() as u64 + u64::from(rng.random::<f64>() < x.fract());
                (*d, n)
            })
            .collect()
    }
}

/// The kinds of deliberately bad rows (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bad {
    EmptyRequired,
    UnknownVocab,
    UnknownBool,
    ImpossibleDate,
    TooOld,
    Future,
    OutcomeNoClosed,
    ClosedNoOutcome,
    ClosedBeforeStart,
    UnparseableKey,
    UnknownRegion,
    NegativeAmount,
}

/// Where the bad rows of one file go: `per_kind` of each kind at random row positions within the
/// expected length; slots not reached by the end are written last, so the count is exact.
struct BadPlan {
    slots: Vec<(u64, Bad)>,
    next: usize,
}

impl BadPlan {
    pub fn new(kinds: &[Bad], per_kind: usize, expected_rows: f64, rng: &mut ChaCha8Rng) -> BadPlan {
        if expected_rows < 1.0 {
            return BadPlan { slots: Vec::new(), next: 0 };
        }
        let span = ((expected_rows * 0.9) as u64).max(1);
        let mut slots: Vec<(u64, Bad)> =
            kinds.iter().flat_map(|k| std::iter::repeat_n(*k, per_kind)).map(|k| (rng.random_range(0..span), k)).collect();
        slots.sort_by_key(|(i, _)| *i);
        BadPlan { slots, next: 0 }
    }

    /// The bad kind due at row index `row` (rows written so far), if any.
    pub fn due(&mut self, row: u64) -> Option<Bad> {
        let (at, kind) = *self.slots.get(self.next)?;
        if at <= row {
            self.next += 1;
            Some(kind)
        } else {
            None
        }
    }

    /// The next slot not reached during generation.
    pub fn leftover(&mut self) -> Option<Bad> {
        let (_, kind) = *self.slots.get(self.next)?;
        self.next += 1;
        Some(kind)
    }
}

/// Ledgers expected to be larger than this are written as CSV instead of xlsx.
const XLSX_MAX_ROWS: f64 = 200_000.0;

/// One output file being written.
struct Out {
    sink: Sink,
    layout: Layout,
    style: &'static Style,
    table: &'static str,
    pub rows: u64,
    pub bad: u64,
    pub plan: BadPlan,
}

impl Out {
    pub fn new(mut sink: Sink, layout: Layout, style: &'static Style, table: &'static str, plan: BadPlan) -> Result<Out> {
        sink.header(layout)?;
        Ok(Out { sink, layout, style, table, rows: 0, bad: 0, plan })
    }

    /// An xlsx ledger, or a UTF-8 CSV of the same name when it would be too large for Excel.
    pub fn ledger(out: &Path, stem: &str, sheet: &str, notes: &'static [&'static str], expected: f64) -> Result<Sink> {
        if expected > XLSX_MAX_ROWS {
            Sink::csv(out.join(format!("{stem}.csv")), Enc::Utf8)
        } else {
            Sink::xlsx(out.join(format!("{stem}.xlsx")), sheet, Some(("填报说明", notes)))
        }
    }

    pub fn due(&mut self) -> Option<Bad> {
        self.plan.due(self.rows)
    }

    /// A new ledger sheet of the same workbook (no-op for CSV).
    pub fn start_sheet(&mut self, name: &str) -> Result<()> {
        self.sink.start_sheet(name, self.layout)
    }

    /// A closing 合计 row (workbooks only): the word in the first column and the case count in the
    /// last. Not a data row: ingest skips it and counts it as a total row.
    pub fn total_row(&mut self, cases: u64) -> Result<()> {
        if !self.sink.is_xlsx() {
            return Ok(());
        }
        let n = self.layout.len();
        let cells: Vec<sink::Cell> = (0..n)
            .map(|i| match i {
                0 => sink::Cell::Text("合计".into()),
                i if i + 1 == n => sink::Cell::Text(format!("共{cases}件")),
                _ => sink::Cell::Empty,
            })
            .collect();
        self.sink.row(&cells)
    }

    pub fn write(&mut self, f: &[V], remark: &str, bad: bool, rng: &mut ChaCha8Rng) -> Result<()> {
        self.rows += 1;
        if bad {
            self.bad += 1;
        }
        let cells = render(self.layout, f, self.rows, remark, self.style, self.sink.is_xlsx(), rng);
        self.sink.row(&cells)
    }

    pub fn finish(self) -> Result<SampleFile> {
        let path = self.sink.path().to_path_buf();
        self.sink.finish()?;
        Ok(SampleFile { path, table: self.table, rows: self.rows, bad_rows: self.bad })
    }
}

#[cfg(test)]
mod tests;
