//! Word writer (placeholder until it lands; the API is fixed).
use std::path::{Path, PathBuf};

pub fn write_docx(_markdown: &str, _charts: &[(String, PathBuf)], _path: &Path) -> crate::Result<()> {
    Err(crate::Error::Other("the Word writer is not there yet".into()))
}
