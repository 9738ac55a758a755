//! The application layer: what each command does, as library calls. Settings are resolved here
//! once (`settings`), one engine session serves a whole command (`session`), and the main job,
//! the briefing and the dashboard are written from it (`job`, `briefing`, `dashboard`). The files
//! in `src/commands/` only parse flags, call these and print.
pub mod briefing;
pub mod dashboard;
pub mod job;
pub mod progress;
pub mod session;
pub mod settings;

pub use session::Session;
pub use settings::{Formats, Scope, ScopeFlags, Settings};

use crate::engine::Units;
use crate::warehouse::regions::Level;
use crate::{Error, Result};

/// What a table command prints one row per: a region of the level, or an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum By {
    #[default]
    Region,
    Agency,
}

/// The units a metrics or supervision table lists: regions of `level` (required), or agencies
/// (optionally at one level), below `parent` when given.
pub fn units(by: By, level: Option<Level>, parent: Option<&str>) -> Result<Units> {
    let parent = parent.map(|p| p.trim().to_string());
    Ok(match by {
        By::Agency => Units::Agencies { level, parent },
        By::Region => Units::Regions {
            level: level.ok_or_else(|| Error::Usage("--level is required (province, city, county or township)".into()))?,
            parent,
        },
    })
}

/// The stderr line for an ignored column that looks like a ledger column.
pub fn likely_miss_warning(f: &crate::warehouse::FileRecord, column: &str) -> String {
    let sheet = f.sheet.as_ref().map(|s| format!(" [{s}]")).unwrap_or_default();
    format!(
        "fuyuan: warning: {}{sheet}: column '{column}' is ignored but looks like a ledger column (a header fuyuan does not know?)",
        f.path
    )
}
