//! The quarterly briefing (通报): its figures from one session, and every rendering written into
//! a folder — briefing.json, Markdown, the charts (PNG and SVG), HTML, Word and the Excel annex.
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::session::Session;
use super::settings::Formats;
use crate::engine::{Period, Target};
use crate::report::model::{self, Briefing, Thresholds};
use crate::report::text;
use crate::warehouse::Warehouse;
use crate::{Error, Result};

/// What a briefing run wrote.
pub struct Written {
    pub briefing: Briefing,
    pub files: Vec<PathBuf>,
}

/// The settings a briefing is written with (fuyuan.toml and flags, resolved).
pub struct BriefingSettings<'a> {
    pub thresholds: &'a Thresholds,
    /// Since when townships exercise delegated penalty powers.
    pub reform_start: NaiveDate,
    /// The office's templates folder (else `reports/` when present, else the built-in one).
    pub templates: Option<&'a Path>,
    pub formats: &'a Formats,
}

/// The township reform date when fuyuan.toml does not give one.
pub fn default_reform_start() -> NaiveDate {
    NaiveDate::parse_from_str(crate::report::township::DEFAULT_REFORM_START, "%Y-%m-%d").expect("valid default date")
}

impl Session {
    /// The briefing's figures for a region and period.
    pub fn briefing(&self, region_code: &str, period: &Period, thresholds: &Thresholds, reform_start: NaiveDate) -> Result<Briefing> {
        let region = self.require_region(region_code, "--region")?;
        let regions = self.regions()?;
        let engine = self.engine();
        self.block_on(async {
            let mut b = model::build(engine, regions, &region, period, thresholds, crate::ingest::today().to_string()).await?;
            b.township = crate::report::township::build(engine, regions, &region, period, reform_start).await?;
            Ok(b)
        })
    }
}

/// The briefing's figures from a session of their own, the township section counted from the
/// default reform date (for tests and scripts that need only the figures).
pub fn compute(wh: &Warehouse, target: &Target, region_code: &str, period: &Period, thresholds: &Thresholds) -> Result<Briefing> {
    Session::open(wh, target)?.briefing(region_code, period, thresholds, default_reform_start())
}

/// Computes the briefing and writes every rendering into `out`.
pub fn produce(session: &Session, region_code: &str, period: &Period, settings: &BriefingSettings, out: &Path) -> Result<Written> {
    std::fs::create_dir_all(out.join("charts")).map_err(|e| Error::io(out, e))?;
    let briefing = session.briefing(region_code, period, settings.thresholds, settings.reform_start)?;
    let files = write(&briefing, settings, out)?;
    Ok(Written { briefing, files })
}

/// Writes the renderings of a computed briefing; returns the files in the order written.
pub fn write(briefing: &Briefing, settings: &BriefingSettings, out: &Path) -> Result<Vec<PathBuf>> {
    let formats = settings.formats;
    let mut files = Vec::new();
    let json_path = out.join("briefing.json");
    let json = serde_json::to_vec_pretty(briefing).map_err(|e| Error::Other(e.to_string()))?;
    std::fs::write(&json_path, json).map_err(|e| Error::io(&json_path, e))?;
    files.push(json_path);

    let (_, template_text) = text::template(settings.templates)?;
    let markdown = text::render_markdown(briefing, &template_text)?;
    if formats.md {
        let md_path = out.join("briefing.md");
        std::fs::write(&md_path, &markdown).map_err(|e| Error::io(&md_path, e))?;
        files.push(md_path);
    }
    let charts = crate::report::charts::render_all(briefing, &out.join("charts"))?;
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
        crate::report::xlsx::write_annex(briefing, &xlsx_path)?;
        files.push(xlsx_path);
    }
    Ok(files)
}
