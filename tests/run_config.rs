//! `fuyuan run` settings: fuyuan.toml sets region, period, formats and thresholds; flags win.
mod util;

use std::path::Path;

use util::Dir;

fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples").to_string_lossy().to_string()
}

#[test]
fn toml_settings_and_flag_overrides() {
    let dir = Dir::new();
    dir.create(
        "fuyuan.toml",
        &format!(
            "region = \"411282\"\nperiod = \"2024Q2\"\nytd = false\ninputs = \"{}\"\nout = \"o\"\nformats = [\"docx\"]\n[thresholds]\nletter_losses = 1\n",
            samples()
        ),
    );
    let out = dir.command(&["run"]).stdout();
    assert!(out.contains("灵宝市 2024Q2 (2024-04-01..2024-06-30)"), "{out}");
    assert!(dir.join("o/briefing/briefing.docx").exists());
    for absent in ["briefing.md", "briefing.html", "annex.xlsx"] {
        assert!(!dir.join("o/briefing").join(absent).exists(), "{absent} written although formats = [docx]");
    }
    let b: serde_json::Value = serde_json::from_str(&dir.read("o/briefing/briefing.json")).unwrap();
    assert_eq!(b["region_code"], "411282");
    assert_eq!(b["thresholds"]["letter_losses"], 1);
    assert_eq!(b["thresholds"]["interview_losses"], 4, "unset thresholds keep their defaults");
    // Flags override the file.
    let out = dir.command(&["run", "--formats", "md,xlsx", "--period", "2024H1", "--ytd"]).stdout();
    assert!(out.contains("2024H1 (2024-01-01..2024-06-30), year to date"), "{out}");
    assert!(dir.join("o/briefing/briefing.md").exists() && dir.join("o/briefing/annex.xlsx").exists());
    // A wrong key is one clear line naming the file and line.
    dir.create("bad.toml", "region = \"411200\"\nregoin = \"x\"\n");
    let err = dir.command(&["run", "--config", "bad.toml"]).fails(3);
    assert!(err.contains("bad.toml: line 2"), "{err}");
    let err = dir.command(&["run", "--formats", "pdf"]).fails(2);
    assert!(err.contains("format 'pdf'"), "{err}");
}

/// Every command resolves its settings the same way (src/app/settings.rs): flag, else
/// fuyuan.toml, else the default. `warehouse` and `ytd` in the file reach `ingest`, `metrics` and
/// `brief` alike; without the file a named period is the period alone.
#[test]
fn every_command_shares_the_settings_and_their_defaults() {
    let dir = Dir::new();
    let samples = samples();
    let ledger = format!("{samples}/litigation_2024.csv");
    dir.command(&["ingest", &ledger, "--warehouse", "plain"]).stdout();
    let metrics = |extra: &[&str]| {
        let mut args = vec!["metrics", "--period", "2024Q2", "--level", "county", "--parent", "411200", "--format", "csv"];
        args.extend(extra);
        dir.command(&args).stdout()
    };
    let alone = metrics(&["--warehouse", "plain"]);
    let cumulative = metrics(&["--warehouse", "plain", "--ytd"]);
    assert_ne!(alone, cumulative, "the sample has cases in the first quarter, so Q2 alone differs from Q1–Q2");
    // With the file: the warehouse and year to date come from it, and --no-ytd still wins.
    dir.create("fuyuan.toml", "warehouse = \"w\"\nytd = true\n");
    dir.command(&["ingest", &ledger]).stdout();
    assert!(dir.join("w/manifest.json").exists(), "ingest wrote the settings' warehouse");
    assert_eq!(metrics(&[]), cumulative);
    assert_eq!(metrics(&["--no-ytd"]), alone);
    // `brief` with no period briefs `latest`, year to date, and says so first.
    let out = dir.command(&["brief", "--out", "b", "--formats", "md"]).stdout();
    assert!(out.starts_with("period 2024Q4, year to date: latest = 2024Q4"), "{out}");
}

/// A flag value fuyuan cannot use is one usage line naming the flag and the value.
#[test]
fn bad_flag_values_are_one_usage_line() {
    let dir = Dir::new();
    dir.create("a.csv", "案号,被告,区划代码,立案日期\n（2024）豫1202行初1号,三门峡市自然资源局,411202,2024-01-05\n");
    let err = dir.command(&["ingest", "a.csv", "--table", "litigaton"]).fails(2);
    assert_eq!(
        err.trim_end(),
        "fuyuan: usage: --table 'litigaton' is not one of litigation, reconsideration, penalty, supervision, peers, court"
    );
    assert!(!dir.join("warehouse").exists(), "nothing was ingested");
    let err = dir.command(&["metrics", "--period", "2024", "--level", "村"]).fails(2);
    assert_eq!(err.trim_end(), "fuyuan: usage: --level '村' is not province, city, county or township");
    let err = dir.command(&["metrics", "--period", "2024", "--by", "person", "--level", "county"]).fails(2);
    assert!(err.contains("person"), "{err}");
}
