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
