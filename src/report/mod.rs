//! Stage 4 (documents): the briefing model computed from the engine, and its renderings —
//! charts (PNG for documents, SVG for the web), Markdown, HTML, Word (.docx), the Excel annex and
//! the static dashboard. Wording lives in templates under `reports/`.
pub mod charts;
pub mod dashboard;
pub mod docx;
pub mod model;
pub mod text;
pub mod xlsx;
