//! `fuyuan brief --period 2024Q2 --ytd --region 411200 --out DIR [--templates DIR] [--config FILE]`
//! — the quarterly briefing (通报): Word (.docx), Markdown, one self-contained HTML page, the
//! Excel annex (附表), the charts (PNG and SVG) and `briefing.json` with every figure used.
use std::io::Write;
use std::path::{Path, PathBuf};

use super::run::Config;
use super::{EngineArg, WarehouseArg};
use crate::engine::{Engine, Limits, Period, Target};
use crate::report::model::{self, Briefing, Thresholds};
use crate::report::text;
use crate::warehouse::Warehouse;
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 2024, 2024Q2, 2024H1 or 2024M05.
    #[arg(long)]
    pub period: String,
    /// Year to date (quarterly briefings).
    #[arg(long)]
    pub ytd: bool,
    /// The city or county the briefing is for.
    #[arg(long, value_name = "CODE")]
    pub region: String,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Folder with the office's templates (brief.md.j2); default `reports/` if present.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Documents to write, e.g. `docx,xlsx` (default: fuyuan.toml's `formats`, else all of docx, md,
    /// html, xlsx). Charts and briefing.json are always written.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub formats: Option<Vec<String>>,
    /// TOML settings; its [thresholds] table sets the supervision-letter and interview thresholds.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
}

/// Which documents a briefing writes (charts and `briefing.json` always).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats {
    pub docx: bool,
    pub md: bool,
    pub html: bool,
    pub xlsx: bool,
}

impl Formats {
    pub const NAMES: [&'static str; 4] = ["docx", "md", "html", "xlsx"];

    pub fn parse(names: &[String]) -> Result<Formats> {
        for n in names {
            if !Self::NAMES.contains(&n.trim()) {
                return Err(Error::Usage(format!("format '{n}' is not one of docx, md, html, xlsx")));
            }
        }
        let has = |k: &str| names.iter().any(|n| n.trim() == k);
        Ok(Formats { docx: has("docx"), md: has("md"), html: has("html"), xlsx: has("xlsx") })
    }
}

/// What a briefing run wrote.
pub struct Written {
    pub briefing: Briefing,
    pub files: Vec<PathBuf>,
}

/// The briefing's figures for a region and period, computed by the engine (township section
/// counted from the default reform date).
pub fn compute(wh: &Warehouse, target: &Target, region_code: &str, period: &Period, thresholds: &Thresholds) -> Result<Briefing> {
    let reform = chrono::NaiveDate::parse_from_str(crate::report::township::DEFAULT_REFORM_START, "%Y-%m-%d").expect("valid default date");
    compute_with(wh, target, region_code, period, thresholds, reform)
}

/// The same, with the township reform date from fuyuan.toml.
pub fn compute_with(
    wh: &Warehouse,
    target: &Target,
    region_code: &str,
    period: &Period,
    thresholds: &Thresholds,
    reform_start: chrono::NaiveDate,
) -> Result<Briefing> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        let regions = wh.regions(Some(&engine.manifest))?;
        let region = regions.require(region_code, "--region")?;
        let mut b = model::build(&engine, &regions, &region, period, thresholds, crate::ingest::today().to_string()).await?;
        b.township = crate::report::township::build(&engine, &regions, &region, period, reform_start).await?;
        Ok(b)
    })
}

/// Computes the briefing and writes every rendering into `out`.
#[allow(clippy::too_many_arguments)] // each is a separate setting of the command; a struct would only rename them
pub fn produce(
    wh: &Warehouse,
    target: &Target,
    region_code: &str,
    period: &Period,
    thresholds: &Thresholds,
    reform_start: chrono::NaiveDate,
    templates: Option<&Path>,
    formats: &Formats,
    out: &Path,
) -> Result<Written> {
    std::fs::create_dir_all(out.join("charts")).map_err(|e| Error::io(out, e))?;
    let briefing = compute_with(wh, target, region_code, period, thresholds, reform_start)?;
    let mut files = Vec::new();
    let json_path = out.join("briefing.json");
    let json = serde_json::to_vec_pretty(&briefing).map_err(|e| Error::Other(e.to_string()))?;
    std::fs::write(&json_path, json).map_err(|e| Error::io(&json_path, e))?;
    files.push(json_path);

    let (_, template_text) = text::template(templates)?;
    let markdown = text::render_markdown(&briefing, &template_text)?;
    if formats.md {
        let md_path = out.join("briefing.md");
        std::fs::write(&md_path, &markdown).map_err(|e| Error::io(&md_path, e))?;
        files.push(md_path);
    }
    let charts = crate::report::charts::render_all(&briefing, &out.join("charts"))?;
    for c in &charts {
        files.push(c.png.clone());
        files.push(c.svg.clone());
    }
    if formats.html {
        let html = text::render_html(&briefing.title, &markdown, &out.join("charts"))?;
        let html_path = out.join("briefing.html");
        std::fs::write(&html_path, html).map_err(|e| Error::io(&html_path, e))?;
        files.push(html_path);
    }
    if formats.docx {
        let docx_path = out.join("briefing.docx");
        let pngs: Vec<(String, PathBuf)> = charts.iter().map(|c| (c.id.to_string(), c.png.clone())).collect();
        crate::report::docx::write_docx(&markdown, &pngs, &docx_path)?;
        files.push(docx_path);
    }
    if formats.xlsx {
        let xlsx_path = out.join("annex.xlsx");
        crate::report::xlsx::write_annex(&briefing, &xlsx_path)?;
        files.push(xlsx_path);
    }
    Ok(Written { briefing, files })
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let cfg = Config::load(args.config.as_deref())?;
    let period = Period::parse(&args.period, args.ytd)?;
    let target = args.engine.target()?;
    let wh = Warehouse::new(&args.warehouse.warehouse);
    let templates = args.templates.clone().or(cfg.templates.clone());
    let formats = Formats::parse(args.formats.as_ref().unwrap_or(&cfg.formats))?;
    let w = produce(&wh, &target, &args.region, &period, &cfg.thresholds, cfg.reform_start()?, templates.as_deref(), &formats, &args.out)?;
    let io = |e: std::io::Error| Error::Other(e.to_string());
    writeln!(out, "{}", w.briefing.title).map_err(io)?;
    for f in &w.files {
        writeln!(out, "    {}", f.display()).map_err(io)?;
    }
    Ok(())
}
