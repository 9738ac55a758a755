//! Settings, resolved in one place for every command: `fuyuan.toml` (or `--config FILE`), then
//! the flags, then the defaults below. The README's "Settings" section documents the same rules.
//!
//! - warehouse: `--warehouse DIR`, else `warehouse` in fuyuan.toml, else `warehouse/`
//!   (`fuyuan run` keeps its warehouse under its out folder unless fuyuan.toml names one);
//! - region: `--region`, else `region`, else 411200;
//! - period: `--period`, else `period`, else `latest` (the last ended quarter holding filings);
//! - year to date: `--ytd`/`--no-ytd`, else `ytd`, else yes for `latest` (quarterly briefings
//!   are cumulative) and no for a period given by name.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::supervision::LetterThresholds;
use crate::ingest::vocab::Phrases;
use crate::report::model::{Thresholds, Wording};
use crate::{Error, Result};

/// The settings file, `fuyuan.toml` in the working folder unless `--config` names another.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub region: String,
    pub period: String,
    /// None: year to date for `latest`, not for a named period.
    pub ytd: Option<bool>,
    pub inputs: PathBuf,
    pub out: PathBuf,
    /// The warehouse every command reads; None: `warehouse/` (`fuyuan run`: `OUT/warehouse`).
    pub warehouse: Option<PathBuf>,
    /// Folder with the office's templates; default `reports/` when present.
    pub templates: Option<PathBuf>,
    /// Briefing documents to write: any of docx, md, html, xlsx.
    pub formats: Vec<String>,
    pub thresholds: Thresholds,
    /// The office's own phrasings, phrase = "canonical value": `[outcomes]` (litigation),
    /// `[decisions]` (reconsideration), `[leniency]` (penalty). Read before the built-in rules.
    pub outcomes: BTreeMap<String, toml::Spanned<String>>,
    pub decisions: BTreeMap<String, toml::Spanned<String>>,
    pub leniency: BTreeMap<String, toml::Spanned<String>>,
    /// The three tables above, checked against the vocabularies when the file is loaded.
    #[serde(skip)]
    pub phrases: Phrases,
    /// Start of the briefing's cumulative supervision figures (e.g. "2021-01-01"); default: the
    /// first issue date in the supervision ledger.
    pub supervision_since: Option<String>,
    /// Since when townships exercise delegated penalty powers (乡镇综合行政执法改革), ISO date:
    /// the briefing's cumulative township sentence counts from it.
    pub township_reform_start: String,
    /// `[briefing]`: the salutation and the issuing office, when the office words them itself.
    pub briefing: Wording,
}

/// The briefing formats when neither fuyuan.toml nor `--formats` names them.
pub const FORMAT_NAMES: [&str; 4] = ["docx", "md", "html", "xlsx"];

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: "411200".into(),
            period: "latest".into(),
            ytd: None,
            inputs: "data-samples".into(),
            out: "out".into(),
            warehouse: None,
            templates: None,
            formats: FORMAT_NAMES.iter().map(|s| s.to_string()).collect(),
            thresholds: Default::default(),
            outcomes: BTreeMap::new(),
            decisions: BTreeMap::new(),
            leniency: BTreeMap::new(),
            phrases: Phrases::default(),
            supervision_since: None,
            township_reform_start: crate::report::township::DEFAULT_REFORM_START.into(),
            briefing: Default::default(),
        }
    }
}

/// What the flags say about the scope of a report; None where a flag was not given.
#[derive(Debug, Clone, Default)]
pub struct ScopeFlags {
    pub region: Option<String>,
    pub period: Option<String>,
    pub ytd: Option<bool>,
}

/// The scope a command reports on, after flags, settings and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub region: String,
    /// As written (`2024Q2`, a span) or `latest`; turned into a `Period` by the session, which
    /// can look `latest` up in the warehouse.
    pub period: String,
    pub ytd: bool,
}

impl Scope {
    pub fn is_latest(&self) -> bool {
        self.period.trim().eq_ignore_ascii_case("latest")
    }

    /// The period when it is given by name (None for `latest`, which needs the warehouse): a
    /// bad period is a usage error before any warehouse is opened.
    pub fn named_period(&self) -> Result<Option<crate::engine::Period>> {
        if self.is_latest() { Ok(None) } else { crate::engine::Period::parse(&self.period, self.ytd).map(Some) }
    }
}

impl Settings {
    /// `path`, else `./fuyuan.toml` when present, else the defaults.
    pub fn load(path: Option<&Path>) -> Result<Settings> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new("fuyuan.toml").exists() => PathBuf::from("fuyuan.toml"),
            None => return Ok(Settings::default()),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let mut cfg: Settings = toml::from_str(&text).map_err(|e| {
            Error::bad_file(
                path.display().to_string(),
                e.span().map(|s| line_of(&text, s.start)).unwrap_or(1),
                "-",
                e.message().to_string(),
            )
        })?;
        // A phrase mapped to a value outside the vocabulary is a usage error naming its line.
        for (table, map) in [("outcomes", &cfg.outcomes), ("decisions", &cfg.decisions), ("leniency", &cfg.leniency)] {
            for (phrase, value) in map {
                cfg.phrases
                    .add(table, phrase, value.get_ref())
                    .map_err(|msg| Error::Usage(format!("{}: line {}: {msg}", path.display(), line_of(&text, value.span().start))))?;
            }
        }
        if let Some(since) = &cfg.supervision_since {
            let d = since.trim().parse::<chrono::NaiveDate>().map_err(|_| {
                let line = text.lines().position(|l| l.trim_start().starts_with("supervision_since")).map(|i| i as u64 + 1).unwrap_or(1);
                Error::bad_file(
                    path.display().to_string(),
                    line,
                    "supervision_since",
                    format!("'{since}' is not a date such as 2021-01-01"),
                )
            })?;
            cfg.thresholds.supervision_since = Some(d);
        }
        cfg.thresholds.wording = cfg.briefing.clone();
        if cfg.reform_start().is_err() {
            let line = text.find("township_reform_start").map(|o| line_of(&text, o)).unwrap_or(1);
            return Err(Error::bad_file(
                path.display().to_string(),
                line,
                "township_reform_start",
                format!("'{}' is not a date (YYYY-MM-DD)", cfg.township_reform_start),
            ));
        }
        Ok(cfg)
    }

    /// `township_reform_start` as a date.
    pub fn reform_start(&self) -> Result<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(self.township_reform_start.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("township_reform_start '{}' is not a date (YYYY-MM-DD)", self.township_reform_start)))
    }

    /// The scope after the flags: flag, else setting, else default (see the module's rules).
    pub fn scope(&self, flags: &ScopeFlags) -> Scope {
        let region = flags.region.clone().unwrap_or_else(|| self.region.clone()).trim().to_string();
        let period = flags.period.clone().unwrap_or_else(|| self.period.clone()).trim().to_string();
        let latest = period.eq_ignore_ascii_case("latest");
        let ytd = flags.ytd.or(self.ytd).unwrap_or(latest);
        Scope { region, period, ytd }
    }

    /// The warehouse a command reads: the flag, else the setting, else `warehouse/`.
    pub fn warehouse(&self, flag: Option<&Path>) -> PathBuf {
        flag.map(Path::to_path_buf).or_else(|| self.warehouse.clone()).unwrap_or_else(|| PathBuf::from("warehouse"))
    }

    /// The warehouse `fuyuan run` writes: the flag, else the setting, else `OUT/warehouse`, so
    /// that everything one run writes stays under its out folder.
    pub fn run_warehouse(&self, flag: Option<&Path>) -> PathBuf {
        flag.map(Path::to_path_buf).or_else(|| self.warehouse.clone()).unwrap_or_else(|| self.out.join("warehouse"))
    }

    /// The briefing formats: the flag's list, else the setting's.
    pub fn formats(&self, flag: Option<&Vec<String>>) -> Result<Formats> {
        Formats::parse(flag.unwrap_or(&self.formats))
    }

    /// The templates folder: the flag, else the setting (the renderer falls back to `reports/`).
    pub fn templates(&self, flag: Option<&Path>) -> Option<PathBuf> {
        flag.map(Path::to_path_buf).or_else(|| self.templates.clone())
    }

    /// The supervision-letter thresholds of `[thresholds]`.
    pub fn letter_thresholds(&self) -> LetterThresholds {
        LetterThresholds { losses: self.thresholds.letter_losses, corrections: self.thresholds.letter_corrections }
    }
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
    pub fn parse(names: &[String]) -> Result<Formats> {
        for n in names {
            if !FORMAT_NAMES.contains(&n.trim()) {
                return Err(Error::Usage(format!("format '{n}' is not one of docx, md, html, xlsx")));
            }
        }
        let has = |k: &str| names.iter().any(|n| n.trim() == k);
        Ok(Formats { docx: has("docx"), md: has("md"), html: has("html"), xlsx: has("xlsx") })
    }
}

fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(period: Option<&str>, ytd: Option<bool>) -> ScopeFlags {
        ScopeFlags { region: None, period: period.map(str::to_string), ytd }
    }

    #[test]
    fn year_to_date_by_default_only_for_latest() {
        let s = Settings::default();
        assert!(s.scope(&flags(None, None)).ytd, "latest is a quarterly briefing: cumulative");
        assert!(!s.scope(&flags(Some("2024Q2"), None)).ytd, "a named period is itself");
        assert!(s.scope(&flags(Some("2024Q2"), Some(true))).ytd);
        assert!(!s.scope(&flags(None, Some(false))).ytd);
        let file = Settings { ytd: Some(true), period: "2024Q2".into(), ..Settings::default() };
        assert_eq!(file.scope(&flags(None, None)), Scope { region: "411200".into(), period: "2024Q2".into(), ytd: true });
        assert!(!file.scope(&flags(None, Some(false))).ytd, "the flag wins over the file");
    }

    #[test]
    fn warehouse_flag_then_setting_then_default() {
        let s = Settings::default();
        assert_eq!(s.warehouse(None), PathBuf::from("warehouse"));
        assert_eq!(s.run_warehouse(None), PathBuf::from("out/warehouse"));
        let s = Settings { warehouse: Some("/srv/wh".into()), ..Settings::default() };
        assert_eq!(s.warehouse(None), PathBuf::from("/srv/wh"));
        assert_eq!(s.run_warehouse(None), PathBuf::from("/srv/wh"));
        assert_eq!(s.warehouse(Some(Path::new("x"))), PathBuf::from("x"));
    }
}
