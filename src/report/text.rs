//! The briefing's text: the office's Markdown template (`reports/brief.md.j2`, editable without
//! recompiling) rendered with the briefing data, and the same text as one self-contained HTML
//! page with the charts inlined as SVG.
use std::path::{Path, PathBuf};

use minijinja::{Environment, Value, context};

use super::model::Briefing;
use crate::{Error, Result};

/// How the briefing's Markdown is read, for the HTML page and the Word document alike.
pub const MARKDOWN_OPTIONS: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES;

pub const BRIEF_TEMPLATE: &str = include_str!("../../reports/brief.md.j2");
pub const BRIEF_TEMPLATE_NAME: &str = "brief.md.j2";

/// The template text: `DIR/brief.md.j2` from the office's templates folder when present (so the
/// wording can change without a rebuild), else the copy built into the binary.
pub fn template(dir: Option<&Path>) -> Result<(String, String)> {
    let candidates: Vec<PathBuf> = match dir {
        Some(d) => vec![d.join(BRIEF_TEMPLATE_NAME)],
        None => vec![PathBuf::from("reports").join(BRIEF_TEMPLATE_NAME)],
    };
    for p in candidates {
        if p.exists() {
            let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
            return Ok((p.display().to_string(), text));
        }
    }
    if let Some(d) = dir {
        return Err(Error::Usage(format!("no {BRIEF_TEMPLATE_NAME} in {}", d.display())));
    }
    Ok(("(built-in) reports/brief.md.j2".into(), BRIEF_TEMPLATE.to_string()))
}

pub fn pct(v: Option<f64>) -> String {
    match v {
        Some(r) => format!("{:.2}%", r * 100.0),
        None => "—".into(),
    }
}

fn pct_signed(v: Option<f64>) -> String {
    match v {
        Some(r) => format!("{:+.2}%", r * 100.0),
        None => "—".into(),
    }
}

/// A change of a rate in percentage points (百分点).
pub fn pp(v: Option<f64>) -> String {
    match v {
        Some(x) if x.abs() < 0.005 => "与上年同期持平".into(),
        Some(x) if x > 0.0 => format!("上升{:.2}个百分点", x),
        Some(x) => format!("下降{:.2}个百分点", -x),
        None => "无法比较".into(),
    }
}

/// A region against an average, from the difference in percentage points: 低于 / 高于 / 持平于
/// (持平 when it rounds to 0.00).
pub fn vs(d: f64) -> String {
    if d.abs() < 0.005 {
        "持平于"
    } else if d < 0.0 {
        "低于"
    } else {
        "高于"
    }
    .into()
}

/// The size of that difference after a comma: ，低1.23个百分点 (empty when level).
pub fn gap(d: f64) -> String {
    if d.abs() < 0.005 { String::new() } else { format!("，{}{:.2}个百分点", if d < 0.0 { "低" } else { "高" }, d.abs()) }
}

/// Against the average in one phrase: 比平均低1.23个百分点 / 比平均高… / 与平均持平. (Not
/// "低于平均": its 于平 reads as a person's name to the privacy check.)
pub fn vs_avg(d: f64) -> String {
    if d.abs() < 0.005 {
        "与平均持平".into()
    } else {
        format!("比平均{}{:.2}个百分点", if d < 0.0 { "低" } else { "高" }, d.abs())
    }
}

fn pp_num(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{x:+.2}"),
        None => "—".into(),
    }
}

/// A change of a count, in % year on year.
pub fn yoy(now: i64, prev: i64) -> String {
    if prev == 0 {
        return if now == 0 { "与上年同期持平".into() } else { "上年同期无案件".into() };
    }
    let r = (now - prev) as f64 / prev as f64 * 100.0;
    if now == prev {
        "与上年同期持平".into()
    } else if r > 0.0 {
        format!("同比上升{r:.2}%")
    } else {
        format!("同比下降{:.2}%", -r)
    }
}

fn group_thousands(int: &str) -> String {
    let (sign, digits) = int.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", int));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

fn yuan(v: String) -> String {
    let (int, frac) = v.split_once('.').unwrap_or((&v, "00"));
    format!("{}.{}", group_thousands(int), frac)
}

fn n(v: i64) -> String {
    group_thousands(&v.to_string())
}

fn cn_date(v: String) -> String {
    match chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => v,
    }
}

fn yesno(v: Option<bool>) -> String {
    match v {
        Some(true) => "是".into(),
        Some(false) => "否".into(),
        None => "—".into(),
    }
}

pub fn render_markdown(b: &Briefing, template_text: &str) -> Result<String> {
    let mut env = Environment::new();
    env.add_filter("pct", pct);
    env.add_filter("pct_signed", pct_signed);
    env.add_filter("pp", pp);
    env.add_filter("pp_num", pp_num);
    env.add_filter("vs", vs);
    env.add_filter("gap", gap);
    env.add_filter("vs_avg", vs_avg);
    env.add_filter("yuan", yuan);
    env.add_filter("n", n);
    env.add_filter("cn_date", cn_date);
    env.add_filter("yesno", yesno);
    env.add_function("yoy", yoy);
    env.add_template(BRIEF_TEMPLATE_NAME, template_text).map_err(template_err)?;
    let t = env.get_template(BRIEF_TEMPLATE_NAME).map_err(template_err)?;
    let text = t.render(context! { b => Value::from(minijinja::value::Serde(b)) }).map_err(template_err)?;
    // Collapse runs of blank lines the template's control tags leave behind.
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out.trim_start().to_string())
}

fn template_err(e: minijinja::Error) -> Error {
    let line = e.line().unwrap_or(0) as u64;
    Error::bad_file(BRIEF_TEMPLATE_NAME, line, "-", format!("template error: {}", e.to_string().lines().next().unwrap_or("")))
}

/// One self-contained HTML page: the Markdown as HTML, each `charts/x.png` replaced by the
/// chart's SVG inline, and print styles for A4.
pub fn render_html(title: &str, markdown: &str, chart_dir: &Path) -> Result<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd, html};
    let parser = Parser::new_ext(markdown, MARKDOWN_OPTIONS);
    let mut events = Vec::new();
    let mut in_image: Option<String> = None;
    for ev in parser {
        match ev {
            Event::Start(Tag::Image { dest_url, .. }) => {
                in_image = Some(dest_url.to_string());
            }
            Event::End(TagEnd::Image) => {
                let src = in_image.take().unwrap_or_default();
                let stem = Path::new(&src).file_stem().and_then(|s| s.to_str()).unwrap_or("");
                let svg_path = chart_dir.join(format!("{stem}.svg"));
                let svg = std::fs::read_to_string(&svg_path).unwrap_or_else(|_| format!("<p>（图表 {} 未生成）</p>", super::esc(stem)));
                let svg = svg.trim_start_matches(|c| c != '<').to_string();
                let svg = match svg.find("<svg") {
                    Some(i) => svg[i..].to_string(),
                    None => svg,
                };
                events.push(Event::Html(format!("<figure class=\"chart\" id=\"chart-{stem}\">{svg}").into()));
                events.push(Event::Html("</figure>".into()));
            }
            Event::Text(t) if in_image.is_some() => {
                events.push(Event::Html(format!("<figcaption>{}</figcaption>", super::esc(&t)).into()));
            }
            Event::Text(t) if t.starts_with("落款:") || t.starts_with("日期:") => {
                let body = t.split_once(':').map(|x| x.1).unwrap_or("").trim().to_string();
                events.push(Event::Html(format!("<span class=\"sign\">{}</span>", super::esc(&body)).into()));
            }
            Event::SoftBreak => events.push(Event::HardBreak),
            other => events.push(other),
        }
    }
    let mut body = String::new();
    html::push_html(&mut body, events.into_iter());
    Ok(format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: "FangSong", "仿宋", "仿宋_GB2312", "STFangsong", "WenQuanYi Micro Hei", "Noto Sans CJK SC", serif; font-size: 16pt; line-height: 1.8; max-width: 170mm; margin: 2em auto; padding: 0 1em; color: #111; }}
  h1 {{ font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "SimSun", "宋体", serif; font-size: 22pt; text-align: center; font-weight: normal; line-height: 1.5; }}
  h2 {{ font-family: "黑体", "SimHei", "WenQuanYi Micro Hei", sans-serif; font-size: 16pt; font-weight: normal; margin: 1em 0 .3em; }}
  h3 {{ font-family: "楷体_GB2312", "楷体", "KaiTi", serif; font-size: 16pt; font-weight: normal; margin: .8em 0 .3em; }}
  p {{ text-indent: 2em; margin: .2em 0; }}
  table {{ border-collapse: collapse; margin: .6em auto; font-size: 11pt; line-height: 1.4; }}
  th, td {{ border: 1px solid #444; padding: 3px 6px; text-align: center; }}
  td:nth-child(n+3) {{ text-align: right; }}
  figure.chart {{ margin: 1em 0; text-align: center; }}
  figure.chart svg {{ max-width: 100%; height: auto; }}
  figcaption {{ font-size: 12pt; }}
  .sign {{ display: block; text-align: right; }}
  hr {{ page-break-after: always; border: 0; }}
  @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
</style>
</head>
<body>
{body}
</body>
</html>
"#,
        title = super::esc(title)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_of_changes() {
        assert_eq!(yoy(682, 708), "同比下降3.67%");
        assert_eq!(yoy(10, 0), "上年同期无案件");
        assert_eq!(pp(Some(-1.234)), "下降1.23个百分点");
        assert_eq!(pp(Some(0.5)), "上升0.50个百分点");
        assert_eq!(pp(None), "无法比较");
        assert_eq!(pct(Some(1.0 / 3.0)), "33.33%");
        assert_eq!(yuan("3290800.00".into()), "3,290,800.00");
        assert_eq!(n(1234567), "1,234,567");
        assert_eq!(cn_date("2024-06-30".into()), "2024年6月30日");
        assert_eq!((vs(-1.234), gap(-1.234), vs_avg(-1.234)), ("低于".into(), "，低1.23个百分点".into(), "比平均低1.23个百分点".into()));
        assert_eq!(vs_avg(0.001), "与平均持平");
        assert_eq!((vs(0.004), gap(0.004)), ("持平于".into(), String::new()));
        assert_eq!((vs(2.5), gap(2.5)), ("高于".into(), "，高2.50个百分点".into()));
    }
}
