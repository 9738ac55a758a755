//! Stage 4 (documents): the briefing model computed from the engine, and its renderings —
//! charts (PNG for documents, SVG for the web), Markdown, HTML, Word (.docx), the Excel annex and
//! the static dashboard. Wording lives in templates under `reports/`.
pub mod charts;
pub mod dashboard;
pub mod docx;
pub mod model;
pub mod reconcile;
pub mod supervision;
pub mod text;
pub mod township;
pub mod xlsx;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}
