//! The static dashboard: `index.html` for the region (KPI cards, charts, sortable ranking tables,
//! flagged agencies) and one `unit-<code>.html` per sub-unit, with drill-down from every count
//! and rate to the case numbers behind it. Works from file:// with no network: the data is one
//! `data.js` (`const DATA = …;`, loaded by `<script src>`, since fetch() is refused on file://),
//! the style and script are `dashboard.css` and `dashboard.js` (embedded in the binary from
//! `reports/dashboard/`), and the charts' SVG files are inlined into the page.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::esc;
use super::model::{Briefing, Figures};
use crate::{Error, Result};

pub const CSS: &str = include_str!("../../reports/dashboard/dashboard.css");
pub const JS: &str = include_str!("../../reports/dashboard/dashboard.js");

/// The charts the dashboard shows, in order: file stem under the charts folder and caption.
pub fn chart_list(b: &Briefing) -> Vec<(&'static str, String)> {
    vec![
        ("ranking", format!("{}败诉率排名（由低到高）", b.subunit_word)),
        ("trend", "近八个季度发案量与败诉率".to_string()),
        ("appearance", "负责人出庭应诉率和出庭出声率".to_string()),
        ("domains", "各领域败诉案件与复议纠错率".to_string()),
        ("province", format!("{}败诉率排名", b.peer_word)),
    ]
    .into_iter()
    .chain(b.township.as_ref().filter(|t| !t.ranked.is_empty()).map(|_| ("township", "乡镇（街道）办理行政处罚案件".to_string())))
    .collect()
}

/// Figures the briefing itself does not carry: the same span one year earlier (for the
/// year-on-year arrows of every KPI card, not only filings and loss rate) and region names
/// for the agencies' regions. All optional: the dashboard shows "—" where a comparison is missing.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The region's own row for the previous span.
    pub prev_total: Option<Figures>,
    /// The sub-units' rows for the previous span.
    pub prev_subunits: Vec<Figures>,
    /// Region code → name, for the agencies' regions.
    pub region_names: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Data<'a> {
    title: &'a str,
    region_code: &'a str,
    region_name: &'a str,
    scope_word: &'a str,
    subunit_word: &'a str,
    peer_word: &'a str,
    peer_rank: Option<i64>,
    peer_ranked: i64,
    period: &'a super::model::PeriodInfo,
    generated_on: &'a str,
    thresholds: &'a super::model::Thresholds,
    total: &'a Figures,
    prev_total: Option<&'a Figures>,
    subunits: &'a [Figures],
    prev_subunits: BTreeMap<&'a str, &'a Figures>,
    departments: &'a [Figures],
    agencies: &'a [Figures],
    region_names: &'a BTreeMap<String, String>,
    flags: &'a [super::model::Flag],
    trend: &'a [super::model::TrendPoint],
    by_domain: &'a [super::model::DomainRow],
    loss_reasons: &'a [super::model::ReasonRow],
    cases: &'a [super::model::CaseRow],
    recon_cases: &'a [super::model::ReconCaseRow],
    township: Option<&'a super::township::TownshipSection>,
    /// The province ranking's reported rows (报送), for the rank card.
    peers_reported: i64,
    reported_self: Option<&'a super::model::ReportedSelf>,
    /// The province's (for a county: the city's) average loss and appearance rates.
    peer_average: Option<&'a super::model::PeerAverage>,
}

/// Writes the dashboard with only what the briefing carries (year-on-year where it has it).
pub fn write_dashboard(b: &Briefing, charts_svg_dir: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    write_dashboard_with(b, &Extras::default(), charts_svg_dir, out)
}

/// Writes `index.html`, `unit-<code>.html` per sub-unit, `data.js`, `dashboard.css` and
/// `dashboard.js` into `out`; returns the files written.
pub fn write_dashboard_with(b: &Briefing, extras: &Extras, charts_svg_dir: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut files = Vec::new();
    let mut write = |name: &str, text: &str| -> Result<()> {
        let p = out.join(name);
        std::fs::write(&p, text).map_err(|e| Error::io(&p, e))?;
        files.push(p);
        Ok(())
    };
    let data = Data {
        title: &b.title,
        region_code: &b.region_code,
        region_name: &b.region_name,
        scope_word: &b.scope_word,
        subunit_word: &b.subunit_word,
        peer_word: &b.peer_word,
        peer_rank: b.peer_rank,
        peer_ranked: b.peer_ranked,
        period: &b.period,
        generated_on: &b.generated_on,
        thresholds: &b.thresholds,
        total: &b.total,
        prev_total: extras.prev_total.as_ref(),
        subunits: &b.subunits,
        prev_subunits: extras.prev_subunits.iter().map(|f| (f.code.as_str(), f)).collect(),
        departments: &b.departments,
        agencies: &b.agencies,
        region_names: &extras.region_names,
        flags: &b.flags,
        trend: &b.trend,
        by_domain: &b.by_domain,
        loss_reasons: &b.loss_reasons,
        cases: &b.cases,
        recon_cases: &b.recon_cases,
        township: b.township.as_ref(),
        peers_reported: b.peers_reported,
        reported_self: b.reported_self.as_ref(),
        peer_average: b.peer_average.as_ref(),
    };
    let json = serde_json::to_string(&data).map_err(|e| Error::Other(e.to_string()))?;
    write(
        "data.js",
        &format!("// 府院联动数据看板的数据（由 fuyuan dashboard 生成，勿手工修改）\nconst DATA = {};\n", script_safe(&json)),
    )?;
    write("dashboard.css", CSS)?;
    write("dashboard.js", JS)?;

    let charts: Vec<String> = chart_list(b)
        .into_iter()
        .enumerate()
        .map(|(i, (stem, caption))| {
            let caption = format!("图{} {}", i + 1, caption);
            match std::fs::read_to_string(charts_svg_dir.join(format!("{stem}.svg"))) {
                Ok(svg) => match inline_svg(&svg) {
                    Some(svg) => {
                        format!("<figure class=\"chart\" id=\"chart-{stem}\">{svg}<figcaption>{}</figcaption></figure>", esc(&caption))
                    }
                    None => missing_chart(stem, &caption, "文件不是 SVG"),
                },
                Err(_) => missing_chart(stem, &caption, "图表文件未生成"),
            }
        })
        .collect();
    let subtitle = format!(
        "{} · {}（{}至{}）· 同比：{} · 生成日期 {}",
        b.region_name, b.period.label, b.period.start, b.period.end, b.period.prev_label, b.generated_on
    );
    let nav = unit_nav(b, None);
    let index_body = format!(
        r#"<header class="top"><div class="wrap"><p class="kicker">府院联动 · 行政诉讼“双下降”数据看板</p><h1>{title}</h1><p class="sub">{subtitle}</p>{nav}</div></header>
<main class="wrap">
<section id="kpis" aria-label="总体情况"><h2>一、总体情况</h2><div class="kpis" id="kpi-cards"></div><p class="note" id="kpi-note"></p></section>
<section id="charts"><h2>二、图表</h2><div class="charts">{charts}</div></section>
<section id="sec-subunits"><h2>三、{subunit_word}情况</h2><p class="hint">点击表头排序；点击数字查看对应案件（分子在分母中高亮）。</p><div id="tbl-subunits"></div></section>
<section id="sec-departments"><h2>四、市直部门情况</h2><div id="tbl-departments"></div></section>
<section id="sec-flags"><h2>五、建议约谈和制发监督意见书的行政机关</h2><div id="tbl-flags"></div></section>
<section id="sec-agencies"><h2>六、全部行政机关</h2><div id="tbl-agencies"></div></section>
<section id="sec-domains"><h2>七、领域和败诉原因</h2><div class="two"><div id="tbl-domains"></div><div id="tbl-reasons"></div></div></section>
{township}<section id="sec-notes"><h2>统计口径</h2><div id="notes"></div></section>
</main>"#,
        township = if b.township.is_some() {
            "<section id=\"sec-township\"><h2>八、乡镇综合行政执法</h2><div id=\"tbl-township\"></div></section>\n"
        } else {
            ""
        },
        title = esc(&b.title),
        subtitle = esc(&subtitle),
        nav = nav,
        charts = charts.join("\n"),
        subunit_word = esc(&b.subunit_word),
    );
    write("index.html", &page(&b.title, "index", "", &index_body))?;

    for u in &b.subunits {
        let code = file_safe(&u.code);
        let title = format!("{} · {}", u.name, b.period.label);
        let body = format!(
            r#"<header class="top"><div class="wrap"><p class="kicker"><a href="index.html">← 返回{region}总览</a></p><h1>{name}</h1><p class="sub">{subtitle}</p>{nav}</div></header>
<main class="wrap">
<section id="kpis" aria-label="总体情况"><h2>一、总体情况</h2><div class="kpis" id="kpi-cards"></div><p class="note" id="kpi-note"></p></section>
<section id="sec-flags"><h2>二、建议约谈和制发监督意见书的行政机关</h2><div id="tbl-flags"></div></section>
<section id="sec-agencies"><h2>三、本地区行政机关</h2><p class="hint">点击表头排序；点击数字查看对应案件（分子在分母中高亮）。</p><div id="tbl-agencies"></div></section>
<section id="sec-cases"><h2>四、一审行政诉讼案件</h2><div id="tbl-cases"></div></section>
<section id="sec-recon"><h2>五、行政复议案件（本期审结）</h2><div id="tbl-recon"></div></section>
<section id="sec-notes"><h2>统计口径</h2><div id="notes"></div></section>
</main>"#,
            region = esc(&b.region_name),
            name = esc(&u.name),
            subtitle = esc(&subtitle),
            nav = unit_nav(b, Some(&u.code)),
        );
        write(&format!("unit-{code}.html"), &page(&title, "unit", &u.code, &body))?;
    }
    if let Some(sup) = &b.supervision {
        let body = supervision_page(b, sup, &subtitle, charts_svg_dir);
        write("supervision.html", &page(&format!("{} · 行政执法监督情况", b.region_name), "supervision", "", &body))?;
    }
    if let Some(r) = &b.reconciliation {
        write("reconcile.html", &reconcile_page(b, r, &subtitle))?;
    }
    Ok(files)
}

/// The supervision page: this period's and the cumulative figures, every count of this period a
/// link to the rows behind it (listed below, one block per count, as plain HTML that needs no
/// script), the overdue and 应发未发 lists and the effect chart.
fn supervision_page(b: &Briefing, sup: &super::supervision::SupervisionSection, subtitle: &str, charts_svg_dir: &Path) -> String {
    use super::supervision::SupervisionRow;
    type Pick = fn(&SupervisionRow) -> bool;
    // (key, label, count this period, cumulative count, which rows lie behind it)
    let p = &sup.this_period;
    let c = &sup.cumulative;
    let groups: Vec<(&str, &str, i64, i64, Option<Pick>)> = vec![
        ("letters", "监督意见书（份）", p.letters, c.letters, Some(|r| r.in_period && r.action == "监督意见书")),
        ("letter_units", "意见书涉及单位", p.letter_units, c.letter_units, Some(|r| r.in_period && r.action == "监督意见书")),
        (
            "rectification_units",
            "督促限期整改单位",
            p.rectification_units,
            c.rectification_units,
            Some(|r| r.in_period && !r.deadline.is_empty()),
        ),
        ("interviews", "约谈（次）", p.interviews, c.interviews, Some(|r| r.in_period && r.action == "约谈")),
        ("interview_units", "约谈单位", p.interview_units, c.interview_units, Some(|r| r.in_period && r.action == "约谈")),
        ("circulars", "通报批评", p.circulars, c.circulars, Some(|r| r.in_period && r.action == "通报批评")),
        (
            "accountability_actions",
            "责任追究事项",
            p.accountability_actions,
            c.accountability_actions,
            Some(|r| r.in_period && r.action == "责任追究"),
        ),
        (
            "persons_accountable",
            "追责人数",
            p.persons_accountable,
            c.persons_accountable,
            Some(|r| r.in_period && r.persons_accountable.unwrap_or(0) > 0),
        ),
        ("referred", "移送纪检监察", p.referred, c.referred, Some(|r| r.in_period && r.referred == Some(true))),
        ("due", "整改到期", p.due, c.due, Some(|r| r.due)),
        ("rectified_on_time", "按期整改", p.rectified_on_time, c.rectified_on_time, Some(|r| r.on_time)),
        ("rectified_late", "逾期后整改", p.rectified_late, c.rectified_late, Some(|r| r.late)),
        ("overdue", "逾期未整改", p.overdue, c.overdue, Some(|r| r.overdue)),
        ("open_not_due", "整改中未到期", p.open_not_due, c.open_not_due, Some(|r| r.open_not_due)),
        ("flagged_units", "达到发函标准单位", p.flagged_units, c.flagged_units, None),
        ("flagged_without_action", "应发未发", p.flagged_without_action, c.flagged_without_action, None),
    ];
    let mut table = String::from("<table class=\"grid\"><thead><tr><th>项目</th>");
    table.push_str(&format!(
        "<th>{}<br><small>{}</small></th><th>{}<br><small>{}</small></th></tr></thead><tbody>",
        esc(&p.label),
        esc(&p.span),
        esc(&c.label),
        esc(&c.span)
    ));
    let mut blocks = String::new();
    for (key, label, now, total, pick) in &groups {
        let cell = match (pick, key) {
            (Some(_), _) => format!("<a href=\"#rows-{key}\">{now}</a>"),
            (None, &"flagged_without_action") => format!("<a href=\"#unacted\">{now}</a>"),
            _ => now.to_string(),
        };
        table.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{cell}</td><td class=\"num\">{total}</td></tr>",
            esc(label)
        ));
        if let Some(pick) = pick {
            let rows: Vec<&SupervisionRow> = sup.rows.iter().filter(|r| pick(r)).collect();
            blocks.push_str(&format!(
                "<details id=\"rows-{key}\"><summary>{}：{} 对应的监督事项（{}条）</summary>{}</details>",
                esc(label),
                now,
                rows.len(),
                rows_table(&rows)
            ));
        }
    }
    table.push_str("</tbody></table>");
    let list = |head: &[&str], rows: Vec<Vec<String>>| -> String {
        let mut t = String::from("<table class=\"grid\"><thead><tr>");
        for h in head {
            t.push_str(&format!("<th>{}</th>", esc(h)));
        }
        t.push_str("</tr></thead><tbody>");
        for r in rows {
            t.push_str("<tr>");
            for c in r {
                t.push_str(&format!("<td>{}</td>", esc(&c)));
            }
            t.push_str("</tr>");
        }
        t.push_str("</tbody></table>");
        t
    };
    let overdue = list(
        &["单位", "所属地区", "文书", "监督方式", "整改期限", "逾期天数"],
        sup.overdue
            .iter()
            .map(|o| {
                vec![
                    o.agency.clone(),
                    o.region_name.clone(),
                    o.doc_no.clone(),
                    o.action.clone(),
                    o.deadline.clone(),
                    o.days_overdue.to_string(),
                ]
            })
            .collect(),
    );
    let unacted = list(
        &["单位", "所属地区", "败诉", "复议纠错"],
        sup.unacted.iter().map(|u| vec![u.agency.clone(), u.region_name.clone(), u.lost.to_string(), u.corrected.to_string()]).collect(),
    );
    let chart = std::fs::read_to_string(charts_svg_dir.join(format!("{}.svg", super::charts::SUPERVISION_CHART_ID)))
        .ok()
        .and_then(|svg| inline_svg(&svg))
        .map(|svg| format!("<figure class=\"chart\">{svg}<figcaption>监督前后一年败诉率</figcaption></figure>"))
        .unwrap_or_default();
    format!(
        r#"<header class="top"><div class="wrap"><p class="kicker"><a href="index.html">← 返回{region}总览</a></p><h1>{region}行政执法监督情况</h1><p class="sub">{subtitle}</p>{nav}</div></header>
<main class="wrap">
<section id="sec-sup-figures"><h2>一、监督情况</h2><p class="hint">点击本期数字查看对应的监督事项。</p>{table}</section>
<section id="sec-sup-overdue"><h2>二、逾期未整改（截至{end}）</h2>{overdue}</section>
<section id="unacted"><h2>三、应发未发</h2>{unacted}</section>
<section id="sec-sup-effect"><h2>四、监督成效</h2>{chart}</section>
<section id="sec-sup-rows"><h2>明细</h2>{blocks}</section>
</main>"#,
        region = esc(&b.region_name),
        subtitle = esc(subtitle),
        nav = unit_nav(b, None),
        end = esc(&b.period.end),
    )
}

fn rows_table(rows: &[&super::supervision::SupervisionRow]) -> String {
    let mut t = String::from(
        "<table class=\"grid\"><thead><tr><th>文书编号</th><th>监督方式</th><th>单位</th><th>所属地区</th><th>下发日期</th><th>整改期限</th><th>整改完成日期</th><th>追责人数</th></tr></thead><tbody>",
    );
    for r in rows {
        t.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.doc_no),
            esc(&r.action),
            esc(&r.agency),
            esc(&r.region_name),
            esc(&r.issued_date),
            esc(&r.deadline),
            esc(&r.rectified_date),
            r.persons_accountable.map(|n| n.to_string()).unwrap_or_default()
        ));
    }
    t.push_str("</tbody></table>");
    t
}

/// 数据核对: the court's list against the ledger — counts per sub-unit linking to that sub-unit's
/// discrepancies, the agencies with most discrepancies, and every discrepancy with its case number.
/// Static HTML: it needs no script.
fn reconcile_page(b: &Briefing, r: &super::reconcile::Reconciliation, subtitle: &str) -> String {
    let pct = |x: Option<f64>| x.map(|x| format!("{:.2}%", x * 100.0)).unwrap_or_else(|| "—".into());
    let t = &r.total;
    let mut body = format!(
        r#"<header class="top"><div class="wrap"><p class="kicker"><a href="index.html">← 返回{region}总览</a></p><h1>数据核对：法院收结案清单与台账</h1><p class="sub">{subtitle}</p>{nav}</div></header>
<main class="wrap">
<section id="recon-total"><h2>一、总体情况</h2><p>法院清单一审行政诉讼案件 <b>{cc}</b> 件，台账报送 <b>{lc}</b> 件，双方均有记录 <b>{m}</b> 件；漏报（法院有、台账无）<b>{mil}</b> 件，台账有、法院清单无 <b>{mic}</b> 件，信息不一致 <b>{mm}</b> 件，其中败诉未如实报送 <b>{lnr}</b> 件。</p>
<p>按法院清单：审结 {cco} 件，败诉 {cl} 件，败诉率 {cr}（{cl}/{cco}）；按台账：审结 {lco} 件，败诉 {ll} 件，败诉率 {lr}（{ll}/{lco}）。</p></section>
"#,
        region = esc(&b.region_name),
        subtitle = esc(subtitle),
        nav = unit_nav(b, None),
        cc = t.court_cases,
        lc = t.ledger_cases,
        m = t.matched,
        mil = t.missing_in_ledger,
        mic = t.missing_in_court,
        mm = t.mismatched_cases,
        lnr = t.loss_not_reported,
        cco = r.court_concluded,
        cl = t.court_lost,
        cr = pct(r.court_loss_rate),
        lco = r.ledger_concluded,
        ll = t.ledger_lost,
        lr = pct(r.ledger_loss_rate),
    );
    body.push_str(&format!(
        "<section id=\"recon-units\"><h2>二、{}</h2><p class=\"hint\">点击差异数查看对应案件。</p><table class=\"recon\"><thead><tr><th>地区</th><th>法院清单</th><th>台账</th><th>双方均有</th><th>漏报</th><th>法院清单无</th><th>信息不一致</th><th>败诉未如实报送</th><th>法院口径败诉</th><th>台账败诉</th></tr></thead><tbody>",
        esc(&b.subunit_word)
    ));
    for s in &r.subunits {
        let link = |n: i64| if n > 0 { format!("<a href=\"#u-{}\">{n}</a>", file_safe(&s.code)) } else { n.to_string() };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.name),
            s.court_cases,
            s.ledger_cases,
            s.matched,
            link(s.missing_in_ledger),
            link(s.missing_in_court),
            link(s.mismatched_cases),
            link(s.loss_not_reported),
            s.court_lost,
            s.ledger_lost
        ));
    }
    body.push_str("</tbody></table></section>\n<section id=\"recon-agencies\"><h2>三、差异较多的单位</h2><table class=\"recon\"><thead><tr><th>行政机关</th><th>区划代码</th><th>差异案件</th><th>漏报</th><th>法院清单无</th><th>信息不一致</th><th>败诉未如实报送</th></tr></thead><tbody>");
    for u in &r.units {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&u.defendant),
            esc(&u.region_code),
            u.cases,
            u.missing_in_ledger,
            u.missing_in_court,
            u.mismatched_cases,
            u.loss_not_reported
        ));
    }
    body.push_str("</tbody></table></section>\n<section id=\"recon-list\"><h2>四、差异清单（按案号）</h2>");
    // Sub-units in the briefing's order, then the region's own departments.
    let mut groups: Vec<(String, String)> = b.subunits.iter().map(|s| (s.code.clone(), s.name.clone())).collect();
    groups.push((String::new(), format!("{}直部门", b.scope_word.chars().skip(1).collect::<String>())));
    for (code, name) in groups {
        let rows: Vec<_> = r.rows.iter().filter(|x| x.unit.as_deref().unwrap_or("") == code).collect();
        if rows.is_empty() {
            continue;
        }
        let id = if code.is_empty() { "u-self".to_string() } else { format!("u-{}", file_safe(&code)) };
        body.push_str(&format!(
            "<h3 id=\"{id}\">{}（{} 条）</h3><table class=\"recon\"><thead><tr><th>案号</th><th>被告</th><th>区划代码</th><th>差异类型</th><th>字段</th><th>台账报送</th><th>法院清单</th></tr></thead><tbody>",
            esc(&name),
            rows.len()
        ));
        for x in rows {
            let class = if x.kind == "loss_not_reported" { " class=\"hl\"" } else { "" };
            body.push_str(&format!(
                "<tr{class}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&x.case_no),
                esc(&x.defendant),
                esc(&x.region_code),
                esc(&x.kind_label),
                esc(&x.field_label),
                esc(&x.ledger_value),
                esc(&x.court_value)
            ));
        }
        body.push_str("</tbody></table>");
    }
    body.push_str("</section>\n<section id=\"sec-notes\"><h2>统计口径</h2><p>比对一审行政诉讼案件（行初、行赔初）：本期立案或结案的案件，在法院清单或台账任一方出现即纳入比对，两方记录逐项比较被告、区划代码、立案日期、结案日期、裁判结果、开庭日期、负责人出庭。台账有而法院清单无的案件，仅在法院清单本期载有同一法院案件时列出。法院判决败诉而台账未报送为败诉的，列为“败诉未如实报送”。</p></section>\n</main>");
    page(&format!("数据核对 · {}", b.period.label), "reconcile", "", &body)
}

fn missing_chart(stem: &str, caption: &str, why: &str) -> String {
    format!(
        "<figure class=\"chart missing\" id=\"chart-{stem}\"><div class=\"chart-note\">（{}：{}.svg）</div><figcaption>{}</figcaption></figure>",
        esc(why),
        esc(stem),
        esc(caption)
    )
}

fn unit_nav(b: &Briefing, current: Option<&str>) -> String {
    let mut s = String::from("<nav class=\"units\" aria-label=\"分地区页面\">");
    s.push_str(&format!(
        "<a href=\"index.html\"{}>{}</a>",
        if current.is_none() { " aria-current=\"page\"" } else { "" },
        esc(&b.region_name)
    ));
    for u in &b.subunits {
        let cur = if current == Some(u.code.as_str()) { " aria-current=\"page\"" } else { "" };
        s.push_str(&format!("<a href=\"unit-{}.html\"{cur}>{}</a>", file_safe(&u.code), esc(&u.name)));
    }
    if b.supervision.is_some() {
        s.push_str("<a href=\"supervision.html\">行政执法监督</a>");
    }
    if b.reconciliation.is_some() {
        s.push_str("<a href=\"reconcile.html\">数据核对</a>");
    }
    s.push_str("</nav>");
    s
}

fn page(title: &str, kind: &str, unit: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="dashboard.css">
</head>
<body data-page="{kind}" data-unit="{unit}">
<noscript><p class="noscript">本看板需要启用 JavaScript 才能显示表格和明细。</p></noscript>
{body}
<div id="drill-layer" class="drill-layer" hidden></div>
<script src="data.js"></script>
<script src="dashboard.js"></script>
</body>
</html>
"#,
        title = esc(title),
        kind = esc(kind),
        unit = esc(unit),
        body = body,
    )
}

/// JSON made safe inside a `<script>` element: `</` becomes `<\/` (still the same JSON string).
/// U+2028/U+2029 are escaped too, for older script parsers.
pub fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

fn file_safe(code: &str) -> String {
    code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// The `<svg …>…</svg>` element of an SVG file (no XML prolog or doctype), with a viewBox added
/// when it has only width and height so that it scales with the page. Scripts, foreign objects
/// and external references are not expected from the chart helper; a file containing them is
/// refused rather than inlined.
pub fn inline_svg(text: &str) -> Option<String> {
    let start = text.find("<svg")?;
    let end = text.rfind("</svg>")? + "</svg>".len();
    if end <= start {
        return None;
    }
    let svg = &text[start..end];
    let lower = svg.to_ascii_lowercase();
    if lower.contains("<script") || lower.contains("<foreignobject") || lower.contains("href=\"http") || lower.contains("url(http") {
        return None;
    }
    let tag_end = svg.find('>')?;
    let tag = &svg[..tag_end];
    if tag.contains("viewBox") {
        return Some(svg.to_string());
    }
    let attr = |name: &str| -> Option<f64> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')? + i;
        tag[i..j].trim_end_matches("px").parse().ok()
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(h)) => Some(format!("<svg viewBox=\"0 0 {w} {h}\"{}", &svg[4..])),
        _ => Some(svg.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_keeps_json() {
        let s = script_safe(r#"{"a":"</script><b>"}"#);
        assert!(!s.contains("</"));
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a"], "</script><b>");
    }

    #[test]
    fn inline_svg_adds_viewbox_and_drops_prolog() {
        let s =
            inline_svg("<?xml version=\"1.0\"?>\n<svg width=\"800\" height=\"400\" xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n")
                .unwrap();
        assert!(s.starts_with("<svg viewBox=\"0 0 800 400\" width=\"800\""), "{s}");
        assert!(s.ends_with("</svg>"));
        assert!(inline_svg("<svg><script>alert(1)</script></svg>").is_none());
        assert!(inline_svg("not svg").is_none());
    }
}
