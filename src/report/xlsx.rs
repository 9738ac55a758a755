//! Excel annex (placeholder until it lands; the API is fixed).
use std::path::Path;

pub fn write_annex(_b: &super::model::Briefing, _path: &Path) -> crate::Result<()> {
    Err(crate::Error::Other("the Excel annex is not there yet".into()))
}
