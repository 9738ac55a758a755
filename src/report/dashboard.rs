//! Static dashboard (placeholder until it lands; the API is fixed).
use std::path::{Path, PathBuf};

pub fn write_dashboard(_b: &super::model::Briefing, _charts_svg_dir: &Path, _out: &Path) -> crate::Result<Vec<PathBuf>> {
    Err(crate::Error::Other("the dashboard is not there yet".into()))
}
