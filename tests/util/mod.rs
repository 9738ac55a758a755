//! Test helpers shared by the integration tests, after ripgrep's `tests/util.rs`: a temporary
//! directory (`Dir`) and a `TestCommand` that runs the real `fuyuan` binary inside it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// "Today" for every test run, so date rules (nothing after today) are reproducible.
pub const TODAY: &str = "2025-03-31";

/// Pins "today" for code called in this test process (the briefing's generated_on, ingest's
/// date rules), as `Dir::command` does for child processes. Call it before any in-process use.
pub fn pin_today() {
    static PIN: std::sync::Once = std::sync::Once::new();
    PIN.call_once(|| {
        // SAFETY: set once, before the calling test reads it; the other tests of a binary only
        // read the variable (every child process gets it explicitly from `Dir::command`).
        unsafe { std::env::set_var("FUYUAN_TODAY", TODAY) };
    });
}

/// A wall-clock limit for a test, scaled for slow or shared machines: `base_secs` times
/// `FUYUAN_TEST_TIME_SCALE` (default 3, so a limit measured on a quiet machine still holds on a
/// busy 2-core CI runner).
pub fn time_limit(base_secs: u64) -> std::time::Duration {
    let scale = std::env::var("FUYUAN_TEST_TIME_SCALE").ok().and_then(|s| s.parse::<f64>().ok()).filter(|s| *s > 0.0).unwrap_or(3.0);
    std::time::Duration::from_secs_f64(base_secs as f64 * scale)
}

/// Polls `ready` every 50 ms until it holds or `limit` passes; true when it held.
pub fn wait_until(limit: std::time::Duration, mut ready: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if ready() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    ready()
}

pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir { tmp: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Writes a UTF-8 file.
    pub fn create(&self, rel: &str, contents: &str) -> PathBuf {
        self.create_bytes(rel, contents.as_bytes())
    }

    pub fn create_bytes(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// `fuyuan ARGS…` run in this directory, with FUYUAN_TODAY pinned.
    pub fn command(&self, args: &[&str]) -> TestCommand {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_fuyuan"));
        cmd.current_dir(self.path()).env("FUYUAN_TODAY", TODAY).args(args);
        TestCommand { cmd }
    }

    /// The warehouse manifest as JSON.
    pub fn manifest(&self, warehouse: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(&format!("{warehouse}/manifest.json"))).expect("manifest is JSON")
    }

    /// Every rejects file's data rows (header and BOM removed), across all ingests.
    pub fn rejects(&self, warehouse: &str) -> Vec<csv::StringRecord> {
        let dir = self.join(&format!("{warehouse}/rejects"));
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(&dir) else { return out };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            let text = text.trim_start_matches('\u{FEFF}');
            let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
            for rec in r.records() {
                out.push(rec.unwrap());
            }
        }
        out
    }
}

pub struct TestCommand {
    pub cmd: std::process::Command,
}

impl TestCommand {
    /// Sets an environment variable (e.g. another FUYUAN_TODAY) for this run.
    pub fn env(&mut self, key: &str, value: &str) -> &mut TestCommand {
        self.cmd.env(key, value);
        self
    }

    pub fn output(&mut self) -> Output {
        self.cmd.output().expect("run fuyuan")
    }

    /// Runs and asserts success; returns stdout.
    pub fn stdout(&mut self) -> String {
        let o = self.output();
        assert!(
            o.status.success(),
            "fuyuan failed ({:?}):\nstdout: {}\nstderr: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).expect("utf-8 stdout")
    }

    /// Runs and asserts failure with `code`; returns stderr.
    pub fn fails(&mut self, code: i32) -> String {
        let o = self.output();
        let stderr = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(o.status.code(), Some(code), "expected exit {code}\nstdout: {}\nstderr: {stderr}", String::from_utf8_lossy(&o.stdout));
        stderr
    }
}

/// Parses CSV text (as printed by `fuyuan metrics --format csv`) into header + rows.
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

/// The litigation header most ingest tests use, and a valid row for it with case number `n`.
pub const LIT: &str = "案号,审理法院,被告,区划代码,立案日期,结案日期,裁判结果,开庭日期,负责人出庭,原告";

pub fn lit_row(n: u32) -> Vec<String> {
    [
        &format!("（2024）豫1202行初{n}号"),
        "湖滨区人民法院",
        "三门峡市自然资源局",
        "411202",
        "2024-01-05",
        "2024-03-01",
        "撤销",
        "2024-02-01",
        "是",
        "张三",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Writes `fuyuan sample` ledgers to `S/` and ingests them all (corrections last, by name) with
/// the Sanmenxia region additions into `warehouse`.
pub fn sample_warehouse(dir: &Dir, warehouse: &str) {
    dir.command(&["sample", "--out", "S"]).stdout();
    let mut files: Vec<String> = std::fs::read_dir(dir.join("S"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("regions") && !n.starts_with("court"))
        .map(|n| format!("S/{n}"))
        .collect();
    files.sort();
    let mut args: Vec<&str> = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--regions", "S/regions_sanmenxia.csv", "--warehouse", warehouse]);
    dir.command(&args).stdout();
    // The court's list has the litigation headers: it is ingested by name, never detected.
    dir.command(&["ingest", "S/court_2024.xlsx", "--table", "court", "--warehouse", warehouse]).stdout();
}

/// The rate columns of the metrics table, compared as numbers; the others are compared as text.
pub const FLOAT_COLUMNS: &[&str] = &[
    "filed_yoy",
    "loss_rate",
    "judgment_loss_rate",
    "loss_rate_prev",
    "loss_rate_change_pp",
    "appearance_rate",
    "spoke_rate",
    "required_appearance_rate",
    "recon_correction_rate",
    "recon_sued_rate",
];
