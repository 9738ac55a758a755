//! `fuyuan dashboard`: the static site, loaded in headless Chromium from file:// with no network.
//! Checks that the JavaScript renders every table (row counts from the data), that the charts are
//! inlined (or a note stands in their place), that sorting puts numbers in numeric order with
//! empty values last, and that drill-down lists exactly the case numbers SQL finds behind a
//! figure (numerator highlighted within the denominator) — with no console errors.
//!
//! Needs Debian's `chromium` (`bash .ci/run` installs it; or `apt-get install -y chromium`).
mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Dir, parse_csv};

const START: &str = "2024-01-01";
const END: &str = "2024-12-31";
const CHARTS: [&str; 5] = ["ranking", "trend", "appearance", "domains", "province"];

fn chromium() -> PathBuf {
    let candidates = [std::env::var("FUYUAN_CHROMIUM").unwrap_or_default(), "/usr/bin/chromium".into(), "/usr/bin/chromium-browser".into()];
    for c in candidates.iter().filter(|c| !c.is_empty()) {
        if Path::new(c).is_file() {
            return PathBuf::from(c);
        }
    }
    panic!(
        "headless Chromium is required for tests/dashboard.rs but was not found at /usr/bin/chromium: \
         run `bash .ci/run` (it installs it) or `apt-get install -y chromium` (or set FUYUAN_CHROMIUM)"
    );
}

/// Percent-encodes a URL fragment value (UTF-8 bytes outside unreserved ASCII).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn file_url(path: &Path, hash: &str) -> String {
    let abs = path.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let p: String = abs
        .to_string_lossy()
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    if hash.is_empty() { format!("file://{p}") } else { format!("file://{p}#{hash}") }
}

/// Loads the page in headless Chromium and returns the DOM after its scripts ran. Fails on a
/// console error, an uncaught exception or a resource that did not load.
fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).unwrap();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s for {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = reader.join().unwrap();
    let stderr = err_reader.join().unwrap();
    assert!(status.success(), "chromium failed ({status}) for {url}:\n{stderr}");
    let bad: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            (l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
                || l.contains("Failed to load resource")
                || l.contains("ERR_FILE_NOT_FOUND")
        })
        .collect();
    assert!(bad.is_empty(), "console errors loading {url}:\n{}", bad.join("\n"));
    assert!(dom.contains("data-rendered=\"1\""), "the page's script did not finish rendering ({url}):\n{}", &dom[..dom.len().min(3000)]);
    dom
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an element's opening tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')? + i;
    Some(unescape(&tag[i..j]))
}

/// The element starting at `marker` (e.g. `id="t-subunits"`) up to the end of its table.
fn table<'a>(dom: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"t-{id}\"");
    let i = dom.find(&marker).unwrap_or_else(|| panic!("no table t-{id} in the page"));
    let j = dom[i..].find("</table>").map(|j| i + j).unwrap_or(dom.len());
    &dom[i..j]
}

/// Opening tags of the body rows of table `t-<id>`.
fn rows(dom: &str, id: &str) -> Vec<String> {
    let t = table(dom, id);
    let body = &t[t.find("<tbody>").unwrap_or_else(|| panic!("table t-{id} has no tbody"))..];
    body.match_indices("<tr").map(|(i, _)| body[i..i + body[i..].find('>').unwrap() + 1].to_string()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// `fuyuan sql` → the first column, sorted.
fn sql_column(dir: &Dir, q: &str) -> Vec<String> {
    let out = dir.command(&["sql", q, "--warehouse", "wh", "--format", "csv"]).stdout();
    let (_, rows) = parse_csv(&out);
    sorted(rows.into_iter().map(|r| r[0].clone()).collect())
}

fn closure(code: &str) -> String {
    format!("region_code IN (SELECT code FROM region_closure WHERE ancestor = '{code}')")
}

/// The drill-down panel's rows: (case number, highlighted), in page order.
fn drill_rows(dom: &str) -> Vec<(String, bool)> {
    let i = dom.find("id=\"drill\"").expect("the drill-down panel is open");
    assert!(!dom[i..].contains("class=\"warn\""), "the drill-down panel warns of a mismatch:\n{}", &dom[i..(i + 2000).min(dom.len())]);
    rows(&dom[i..], "drill")
        .iter()
        .map(|tr| (attr(tr, "data-case").expect("data-case"), attr(tr, "data-hit").as_deref() == Some("1")))
        .collect()
}

fn data_js(dir: &Dir, rel: &str) -> Value {
    let text = dir.read(rel);
    let start = text.find("const DATA = ").expect("data.js declares DATA") + "const DATA = ".len();
    let end = text.rfind(';').unwrap();
    serde_json::from_str(&text[start..end]).expect("DATA is JSON")
}

fn f64_of(v: &Value, k: &str) -> Option<f64> {
    v[k].as_f64()
}

/// Checks a column's order in the DOM: non-null values ordered (asc or desc), nulls after them.
fn assert_ordered(values: &[Option<f64>], asc: bool, what: &str) {
    let first_null = values.iter().position(|v| v.is_none()).unwrap_or(values.len());
    assert!(values[first_null..].iter().all(|v| v.is_none()), "{what}: empty values must come last: {values:?}");
    for w in values[..first_null].windows(2) {
        let (a, b) = (w[0].unwrap(), w[1].unwrap());
        assert!(if asc { a <= b } else { a >= b }, "{what}: not in {} order: {values:?}", if asc { "ascending" } else { "descending" });
    }
}

#[test]
fn dashboard_renders_sorts_and_drills_down_in_headless_chromium() {
    let browser = chromium(); // fail early, with the install hint, if it is missing
    assert!(browser.is_file());
    let dir = Dir::new();
    util::sample_warehouse(&dir, "wh");

    let out = dir.command(&["dashboard", "--out", "d", "--period", "2024Q4", "--ytd", "--region", "411200", "--warehouse", "wh"]).stdout();
    assert!(out.contains("index.html") && out.contains("data.js") && out.contains("unit-411202.html"), "files listed:\n{out}");
    // The charts must be rendered here (the no-chart case is checked at the end of this test).
    for stem in CHARTS {
        assert!(dir.join(&format!("d/charts/{stem}.svg")).is_file(), "chart {stem} rendered:\n{out}");
    }
    assert!(!out.contains("charts not rendered"), "{out}");

    // Static checks: nothing fetched from the network, no personal names in the data.
    for f in ["d/index.html", "d/unit-411202.html", "d/dashboard.js", "d/dashboard.css"] {
        let t = dir.read(f);
        for bad in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url(http", "fetch(", "XMLHttpRequest"] {
            assert!(!t.contains(bad), "{f} must work offline but contains {bad:?}");
        }
    }
    let data = data_js(&dir, "d/data.js");
    assert!(!dir.read("d/data.js").contains("plaintiff"), "no plaintiff fields in the dashboard data");
    assert_eq!(data["region_code"], "411200");
    let subunits = data["subunits"].as_array().unwrap().clone();
    let agencies = data["agencies"].as_array().unwrap().clone();
    assert!(subunits.len() >= 6, "Sanmenxia has six county-level units and zones: {}", subunits.len());
    assert!(agencies.len() > subunits.len());

    // 1. The index page: every table rendered by the script, the charts inlined.
    let index = dir.join("d/index.html");
    let dom = dump_dom(&file_url(&index, ""));
    let sub_rows = rows(&dom, "subunits");
    assert_eq!(sub_rows.len(), subunits.len(), "one row per sub-unit");
    let codes: Vec<String> = sub_rows.iter().map(|r| attr(r, "data-code").unwrap()).collect();
    let expected: Vec<String> = subunits.iter().map(|s| s["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes, expected, "sub-units start in rank order");
    assert_eq!(rows(&dom, "departments").len(), data["departments"].as_array().unwrap().len());
    assert_eq!(rows(&dom, "agencies").len(), agencies.len());
    assert_eq!(rows(&dom, "flags").len(), data["flags"].as_array().unwrap().len());
    assert_eq!(rows(&dom, "domains").len(), data["by_domain"].as_array().unwrap().len());
    for k in ["filed", "concluded", "loss_rate", "judgment_loss_rate", "appearance_rate", "recon_correction_rate"] {
        assert!(dom.contains(&format!("data-kpi=\"{k}\"")), "KPI card {k}");
    }
    assert!(dom.contains("生成日期 2025-03-31"), "generated on FUYUAN_TODAY");
    for stem in CHARTS {
        let at = dom.find(&format!("id=\"chart-{stem}\"")).unwrap_or_else(|| panic!("figure for chart {stem}"));
        let fig = &dom[at..at + 400.min(dom.len() - at)];
        assert!(fig.contains("<svg"), "chart {stem} inlined as SVG: {fig}");
    }

    // 2. Sorting through the URL hash (the same code a header click runs).
    let dom = dump_dom(&file_url(&index, "sort=loss_rate&dir=desc"));
    assert!(table(&dom, "subunits").contains("data-sort=\"loss_rate\" data-dir=\"desc\""));
    let order: Vec<String> = rows(&dom, "subunits").iter().map(|r| attr(r, "data-code").unwrap()).collect();
    let mut exp: Vec<&Value> = subunits.iter().collect();
    exp.sort_by(|a, b| match (f64_of(a, "loss_rate"), f64_of(b, "loss_rate")) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Greater,
        (_, None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => y.partial_cmp(&x).unwrap(),
    });
    let exp: Vec<String> = exp.iter().map(|s| s["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(order, exp, "sub-units by loss rate, high to low");
    assert_ne!(order, expected, "the sort changed the order");

    let agency_value = |tr: &String, k: &str| -> Option<f64> {
        let (code, name) = (attr(tr, "data-code").unwrap(), attr(tr, "data-agency").unwrap());
        let a = agencies
            .iter()
            .find(|a| a["code"] == code.as_str() && a["name"] == name.as_str())
            .unwrap_or_else(|| panic!("agency {code} {name} in the data"));
        f64_of(a, k)
    };
    for (key, asc) in [("loss_rate", true), ("appearance_rate", false), ("filed", false)] {
        let dom = dump_dom(&file_url(&index, &format!("table=agencies&sort={key}&dir={}", if asc { "asc" } else { "desc" })));
        let trs = rows(&dom, "agencies");
        assert_eq!(trs.len(), agencies.len());
        let values: Vec<Option<f64>> = trs.iter().map(|tr| agency_value(tr, key)).collect();
        assert!(values.iter().any(|v| v.is_some()), "{key}: some agency has a value");
        if key != "filed" {
            assert!(values.iter().any(|v| v.is_none()), "{key}: some agency has no value (so nulls-last is tested)");
        }
        assert_ordered(&values, asc, &format!("agencies by {key}"));
    }

    // The filter box, through the hash.
    let dom = dump_dom(&file_url(&index, &format!("q={}", enc("公安"))));
    let shown = rows(&dom, "agencies").iter().filter(|tr| !tr.contains(" hidden")).count();
    let want = agencies.iter().filter(|a| a["name"].as_str().unwrap().contains("公安")).count();
    assert!(want > 0);
    assert_eq!(shown, want, "filter 公安 shows the public-security agencies only");

    // 3. Drill-down: a sub-unit's losses within its concluded cases, against SQL.
    let unit =
        subunits.iter().max_by_key(|s| (s["lost"].as_i64().unwrap(), std::cmp::Reverse(s["code"].as_str().unwrap().to_string()))).unwrap();
    let code = unit["code"].as_str().unwrap();
    assert!(unit["lost"].as_i64().unwrap() > 0, "some sub-unit has losses");
    let dom = dump_dom(&file_url(&index, &format!("drill={code}:lost")));
    let listed = drill_rows(&dom);
    let lit = format!("litigation_cases WHERE first_instance AND {}", closure(code));
    let concluded = sql_column(&dir, &format!("SELECT case_no FROM {lit} AND closed_date BETWEEN DATE '{START}' AND DATE '{END}'"));
    let lost = sql_column(&dir, &format!("SELECT case_no FROM {lit} AND is_loss AND closed_date BETWEEN DATE '{START}' AND DATE '{END}'"));
    assert_eq!(lost.len() as i64, unit["lost"].as_i64().unwrap());
    assert_eq!(sorted(listed.iter().map(|r| r.0.clone()).collect()), concluded, "the denominator: concluded cases of {code}");
    assert_eq!(
        sorted(listed.iter().filter(|r| r.1).map(|r| r.0.clone()).collect()),
        lost,
        "the numerator highlighted: lost cases of {code}"
    );
    assert!(listed.iter().take(lost.len()).all(|r| r.1), "the numerator is listed first");

    // An agency's reconsideration corrections within its decided cases.
    let ag = agencies.iter().max_by_key(|a| a["recon_corrected"].as_i64().unwrap()).unwrap();
    let (acode, aname) = (ag["code"].as_str().unwrap(), ag["name"].as_str().unwrap());
    assert!(ag["recon_corrected"].as_i64().unwrap() > 0);
    let dom = dump_dom(&file_url(&index, &format!("drill={}:recon_correction_rate", enc(&format!("{acode}|{aname}")))));
    let listed = drill_rows(&dom);
    let rec = format!(
        "reconsideration_cases WHERE region_code = '{acode}' AND respondent = '{aname}' AND closed_date BETWEEN DATE '{START}' AND DATE '{END}'"
    );
    assert_eq!(
        sorted(listed.iter().map(|r| r.0.clone()).collect()),
        sql_column(&dir, &format!("SELECT case_no FROM {rec} AND is_decided")),
        "decided reconsiderations of {aname}"
    );
    assert_eq!(
        sorted(listed.iter().filter(|r| r.1).map(|r| r.0.clone()).collect()),
        sql_column(&dir, &format!("SELECT case_no FROM {rec} AND is_corrected")),
        "corrected reconsiderations of {aname}"
    );

    // 4. A sub-unit's page: its agencies, its cases, and a drill-down from there.
    let page = dir.join(&format!("d/unit-{code}.html"));
    let dom = dump_dom(&file_url(&page, ""));
    let own = agencies.iter().filter(|a| a["unit"] == code).count();
    assert!(own > 0);
    assert_eq!(rows(&dom, "agencies").len(), own, "the agencies lying in {code}");
    let in_period = format!(
        "(filed_date BETWEEN DATE '{START}' AND DATE '{END}' OR closed_date BETWEEN DATE '{START}' AND DATE '{END}' OR hearing_date BETWEEN DATE '{START}' AND DATE '{END}')"
    );
    let cases = sorted(rows(&dom, "cases").iter().map(|tr| attr(tr, "data-case").unwrap()).collect());
    assert_eq!(cases, sql_column(&dir, &format!("SELECT case_no FROM {lit} AND {in_period}")), "the cases of {code}");
    let recon = sorted(rows(&dom, "recon").iter().map(|tr| attr(tr, "data-case").unwrap()).collect());
    assert_eq!(
        recon,
        sql_column(
            &dir,
            &format!(
                "SELECT case_no FROM reconsideration_cases WHERE {} AND closed_date BETWEEN DATE '{START}' AND DATE '{END}'",
                closure(code)
            )
        )
    );
    for k in ["filed", "loss_rate", "appearance_rate", "recon_correction_rate"] {
        assert!(dom.contains(&format!("data-kpi=\"{k}\"")), "unit KPI card {k}");
    }

    let dom = dump_dom(&file_url(&page, &format!("drill={code}:appearance_rate&sort=filed&dir=desc")));
    let listed = drill_rows(&dom);
    let heard = format!("{lit} AND hearing_date BETWEEN DATE '{START}' AND DATE '{END}'");
    assert_eq!(
        sorted(listed.iter().map(|r| r.0.clone()).collect()),
        sql_column(&dir, &format!("SELECT case_no FROM {heard}")),
        "hearings of {code}"
    );
    assert_eq!(
        sorted(listed.iter().filter(|r| r.1).map(|r| r.0.clone()).collect()),
        sql_column(&dir, &format!("SELECT case_no FROM {heard} AND head_appeared")),
        "head appeared in {code}"
    );
    let values: Vec<Option<f64>> = rows(&dom, "agencies").iter().map(|tr| agency_value(tr, "filed")).collect();
    assert_ordered(&values, false, "unit agencies by filings");

    // 5. Without charts (the chart helper failed or has not run): notes instead, still renders.
    let wh = fuyuan::warehouse::Warehouse::new(dir.join("wh"));
    let period = fuyuan::engine::Period::parse("2024Q4", true).unwrap();
    util::pin_today();
    let b = fuyuan::app::briefing::compute(&wh, &fuyuan::engine::Target::Local, "411200", &period, &Default::default()).unwrap();
    assert_eq!(b.generated_on, util::TODAY, "generated on the pinned day, not the clock's");
    let written = fuyuan::report::dashboard::write_dashboard(&b, &dir.join("no-charts"), &dir.join("d2")).unwrap();
    assert!(written.iter().any(|p| p.ends_with("index.html")));
    assert_eq!(written.iter().filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("unit-")).count(), b.subunits.len());
    let dom = dump_dom(&file_url(&dir.join("d2/index.html"), ""));
    // The township chart stands beside the five when the briefing shows its township table.
    let expected = CHARTS.len() + usize::from(b.township.as_ref().is_some_and(|t| !t.ranked.is_empty()));
    assert_eq!(dom.matches("class=\"chart missing\"").count(), expected, "a note for every missing chart");
    assert_eq!(rows(&dom, "subunits").len(), b.subunits.len());
}
