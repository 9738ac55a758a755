//! One engine session per command: the query runtime, the engine on its target (this process or
//! a Ballista cluster) and the warehouse's regions, with the operations the commands need as
//! plain calls. Opening it once means the manifest is read and the tables are registered once,
//! however many tables a command prints.
use std::cell::OnceCell;
use std::future::Future;

use crate::Result;
use crate::engine::latest::Latest;
use crate::engine::supervision::LetterThresholds;
use crate::engine::{Engine, Limits, Period, Rows, Target, Units};
use crate::warehouse::Warehouse;
use crate::warehouse::regions::{Level, Regions};

use super::settings::Scope;

pub struct Session {
    rt: tokio::runtime::Runtime,
    engine: Engine,
    wh: Warehouse,
    /// Read on first use: `fuyuan sql` never needs them.
    regions: OnceCell<Regions>,
}

impl Session {
    /// The session with the default limits (4 GiB of memory, 300 s a query).
    pub fn open(wh: &Warehouse, target: &Target) -> Result<Session> {
        Session::open_with(wh, target, Limits::default())
    }

    pub fn open_with(wh: &Warehouse, target: &Target, limits: Limits) -> Result<Session> {
        let rt = crate::engine::runtime()?;
        let engine = rt.block_on(Engine::open_on(wh, limits, target))?;
        Ok(Session { rt, engine, wh: wh.clone(), regions: OnceCell::new() })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs engine work that the calls below do not cover (the SQL prompt, the briefing model).
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// The regions dimension: the built-in one plus the warehouse's additions.
    pub fn regions(&self) -> Result<&Regions> {
        if let Some(r) = self.regions.get() {
            return Ok(r);
        }
        let r = self.wh.regions(Some(&self.engine.manifest))?;
        Ok(self.regions.get_or_init(|| r))
    }

    /// A region code given by `flag` must be in the dimension: a usage error naming the flag.
    pub fn require_region(&self, code: &str, flag: &str) -> Result<crate::warehouse::regions::Region> {
        self.regions()?.require(code, flag)
    }

    fn check_parent(&self, units: &Units) -> Result<()> {
        if let Units::Regions { parent: Some(p), .. } | Units::Agencies { parent: Some(p), .. } = units {
            self.require_region(p, "--parent")?;
        }
        Ok(())
    }

    /// The quarter `latest` stands for on `today`.
    pub fn latest_quarter(&self, today: chrono::NaiveDate) -> Result<Latest> {
        self.block_on(self.engine.latest_quarter(today))
    }

    /// The scope's period (looking `latest` up in the warehouse) and the line that says which
    /// period and why, printed first by the commands that default to `latest`.
    pub fn period(&self, scope: &Scope) -> Result<(Period, String)> {
        let ytd = if scope.ytd { ", year to date" } else { "" };
        match scope.named_period()? {
            Some(period) => {
                let ytd = if period.is_span { "" } else { ytd };
                Ok((period, format!("period {}{ytd}: as given", scope.period)))
            }
            None => {
                let latest = self.latest_quarter(crate::ingest::today())?;
                let period = Period::parse(&latest.period, scope.ytd)?;
                Ok((period, format!("period {}{ytd}: {}", latest.period, latest.reason())))
            }
        }
    }

    /// The metrics table (docs/metrics.md) for one kind of unit.
    pub fn metrics(&self, period: &Period, units: &Units) -> Result<Rows> {
        self.check_parent(units)?;
        rows(self.block_on(self.engine.metrics(period, units)))
    }

    /// The metrics table with the `source` column (报送 / 测算).
    pub fn metrics_sourced(&self, period: &Period, units: &Units) -> Result<Rows> {
        self.check_parent(units)?;
        rows(self.block_on(self.engine.metrics_sourced(period, units)))
    }

    /// The supervision figures (行政执法监督情况).
    pub fn supervision(&self, period: &Period, units: &Units, t: LetterThresholds) -> Result<Rows> {
        self.check_parent(units)?;
        rows(self.block_on(self.engine.supervision(period, units, t)))
    }

    /// Did supervision work: supervised units against comparable units that got nothing.
    pub fn supervision_effect(&self, period: &Period, parent: Option<&str>, t: LetterThresholds) -> Result<Rows> {
        if let Some(p) = parent {
            self.require_region(p, "--parent")?;
        }
        rows(self.block_on(self.engine.supervision_effect(period, parent, t)))
    }

    /// Township enforcement figures (乡镇综合行政执法) per region of `level`.
    pub fn enforcement(&self, period: &Period, level: Level, parent: Option<&str>) -> Result<Rows> {
        if let Some(p) = parent {
            self.require_region(p, "--parent")?;
        }
        rows(self.block_on(self.engine.enforcement(period, level, parent)))
    }

    /// The court's list against the ledger: one row per discrepancy under `region`.
    pub fn discrepancies(&self, period: &Period, region: Option<&str>) -> Result<Rows> {
        if let Some(code) = region {
            self.require_region(code, "--region")?;
        }
        rows(self.block_on(self.engine.reconcile(period, region)))
    }

    /// The discrepancies counted per region of `level`.
    pub fn reconcile_summary(&self, period: &Period, level: Level, parent: Option<&str>) -> Result<Rows> {
        if let Some(code) = parent {
            self.require_region(code, "--parent")?;
        }
        rows(self.block_on(self.engine.reconcile_summary(period, level, parent)))
    }
}

/// A cluster that cannot be reached is found out before any work, not after an ingest.
pub fn check_reachable(target: &Target) -> Result<()> {
    #[cfg(feature = "ballista")]
    if let Target::Ballista { host, port } = target {
        return crate::engine::runtime()?.block_on(crate::engine::ballista::reachable(host, *port));
    }
    let _ = target;
    Ok(())
}

fn rows(result: Result<(arrow::datatypes::SchemaRef, Vec<arrow::record_batch::RecordBatch>)>) -> Result<Rows> {
    let (schema, batches) = result?;
    Rows::from_batches(&schema, &batches)
}
