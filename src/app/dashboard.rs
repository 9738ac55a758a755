//! The static dashboard: the briefing's figures plus last year's (year-on-year on every card) and
//! the agencies' region names, written as pages that open from file:// with no network.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::session::Session;
use crate::engine::{Period, Units};
use crate::report::dashboard::{Extras, write_dashboard_with};
use crate::report::model::{Briefing, Figures, Thresholds};
use crate::{Error, Result};

/// What a dashboard run wrote.
pub struct Written {
    pub briefing: Briefing,
    /// None when the charts were rendered; otherwise why not (the pages show a note instead).
    pub charts_missing: Option<String>,
    pub files: Vec<PathBuf>,
}

impl Session {
    fn figures(&self, period: &Period, units: Units) -> Result<Vec<Figures>> {
        Ok(Figures::from_rows(&self.metrics(period, &units)?))
    }

    /// What the dashboard shows beyond the briefing: last year's figures for the region and its
    /// sub-units and the region names of the agencies and cases listed.
    pub fn dashboard_extras(&self, period: &Period, b: &Briefing) -> Result<Extras> {
        let regions = self.regions()?;
        let region = regions.require(&b.region_code, "region")?;
        let mut extras = Extras::default();
        if let Some(prev) = period.previous_year() {
            let peers = self.figures(&prev, Units::Regions { level: region.level, parent: region.parent_code.clone() })?;
            extras.prev_total = peers.into_iter().find(|f| f.code == region.code);
            extras.prev_subunits =
                self.figures(&prev, Units::Regions { level: region.level.below(), parent: Some(region.code.clone()) })?;
        }
        let codes = b
            .agencies
            .iter()
            .map(|a| a.code.as_str())
            .chain(b.cases.iter().map(|c| c.region_code.as_str()))
            .chain(b.recon_cases.iter().map(|c| c.region_code.as_str()));
        extras.region_names = codes.filter_map(|c| regions.get(c).map(|r| (c.to_string(), r.name.clone()))).collect::<BTreeMap<_, _>>();
        Ok(extras)
    }
}

/// Computes the briefing and its extras, renders the charts (if the chart helper can) and writes
/// the dashboard into `out`.
pub fn produce(
    session: &Session,
    region_code: &str,
    period: &Period,
    thresholds: &Thresholds,
    reform_start: chrono::NaiveDate,
    out: &Path,
) -> Result<Written> {
    let briefing = session.briefing(region_code, period, thresholds, reform_start)?;
    let extras = session.dashboard_extras(period, &briefing)?;
    let charts_dir = out.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|e| Error::io(&charts_dir, e))?;
    let mut files = Vec::new();
    let charts_missing = match crate::report::charts::render_all(&briefing, &charts_dir) {
        Ok(charts) => {
            for c in charts {
                files.push(c.svg);
                files.push(c.png);
            }
            None
        }
        Err(e) => Some(e.to_string()),
    };
    files.extend(write_dashboard_with(&briefing, &extras, &charts_dir, out)?);
    Ok(Written { briefing, charts_missing, files })
}

/// The dashboard for a briefing already written (by `fuyuan run`): its charts are inlined from
/// the briefing's folder, not drawn twice.
pub fn write_for(session: &Session, period: &Period, briefing: &Briefing, charts_dir: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let extras = session.dashboard_extras(period, briefing)?;
    write_dashboard_with(briefing, &extras, charts_dir, out)
}
