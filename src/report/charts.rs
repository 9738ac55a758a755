//! Charts (placeholder until the chart renderer lands; the API is fixed).
use std::path::{Path, PathBuf};

pub struct ChartFile {
    pub id: &'static str,
    pub title: String,
    pub png: PathBuf,
    pub svg: PathBuf,
}

pub fn render_all(_b: &super::model::Briefing, _dir: &Path) -> crate::Result<Vec<ChartFile>> {
    Err(crate::Error::Other("charts are not rendered yet".into()))
}
