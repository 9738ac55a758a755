//! Crash safety (docs/ledgers.md "Atomic"): `fuyuan ingest` killed with SIGKILL at random moments
//! leaves the warehouse exactly in its old or its new state, and the next ingest works; two
//! ingests at once on one warehouse serialise and corrupt nothing.
//!
//! This file runs without the libtest harness (`harness = false` in Cargo.toml) so that the
//! number of kill points it survived is printed in every `cargo test` run, not captured.
mod util;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use util::{Dir, TODAY};

/// How many kill points the test tries (at least 100, as the issue asks).
const KILL_POINTS: usize = 100;

/// The warehouse's logical state: the manifest's tables and every Parquet file's bytes. The
/// manifest's timestamps are left out: the same ingest run twice is the same state.
fn state(dir: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest")).expect("manifest is JSON");
    let mut files = BTreeMap::new();
    for (name, info) in manifest["tables"].as_object().expect("tables") {
        let parts: Vec<String> = info["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .map(|p| {
                let bytes = std::fs::read(dir.join(p["file"].as_str().unwrap())).expect("part file named by the manifest exists");
                format!("{}:{:x}", p["file"].as_str().unwrap(), Sha256::digest(&bytes))
            })
            .collect();
        files.insert(name.clone(), (info["rows"].as_u64().unwrap(), parts));
    }
    let ingests: Vec<String> = manifest["ingests"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["files"].as_array().unwrap().iter().map(|f| f["blake3"].as_str().unwrap().to_string()))
        .collect();
    format!("{files:?} {ingests:?}")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn ingest(cwd: &Path, warehouse: &str, files: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fuyuan"));
    cmd.current_dir(cwd)
        .env("FUYUAN_TODAY", TODAY)
        .arg("ingest")
        .args(files)
        .args(["--warehouse", warehouse])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples")
}

/// A small deterministic random source (xorshift), so kill points differ but the test needs no
/// extra crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn sigkill_leaves_the_old_or_the_new_state() {
    let dir = Dir::new();
    let s = samples();
    let first = s.join("penalty_2023.csv");
    let second = [s.join("penalty_2024.csv"), s.join("litigation_2024.csv")];
    let second: Vec<&str> = second.iter().map(|p| p.to_str().unwrap()).collect();
    // Old state: one ingest. New state: the old plus the second ingest, run to completion.
    assert!(ingest(dir.path(), "old", &[first.to_str().unwrap()]).status().unwrap().success());
    let old = state(&dir.join("old"));
    copy_dir(&dir.join("old"), &dir.join("new"));
    let started = Instant::now();
    assert!(ingest(dir.path(), "new", &second).status().unwrap().success());
    let full = started.elapsed();
    let new = state(&dir.join("new"));
    assert_ne!(old, new);

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut saw_old, mut saw_new) = (0, 0);
    // Kill points spread over twice the measured run time (the commit comes at the very end of a
    // run). One timing sample can mislead on a busy machine, so the span adapts: while every
    // point so far left the old state it doubles, while every point left the new state it halves,
    // and extra points are tried (up to 4×) until both sides of the commit were hit.
    let mut span = full.as_micros() as u64 * 2 + 1;
    let mut i = 0;
    while i < KILL_POINTS || ((saw_old == 0 || saw_new == 0) && i < 4 * KILL_POINTS) {
        if i > 0 && i % 20 == 0 {
            if saw_new == 0 {
                span *= 2;
            } else if saw_old == 0 {
                span = span / 2 + 1;
            }
        }
        let w = format!("k{i}");
        copy_dir(&dir.join("old"), &dir.join(&w));
        let mut child = ingest(dir.path(), &w, &second).spawn().unwrap();
        let at = Duration::from_micros(rng.next() % span);
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = state(&dir.join(&w));
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("kill point {i} ({at:?}): the warehouse is neither the old nor the new state");
        }
        // The next ingest works and reaches the new state (checked at every tenth point to
        // keep the test quick; the state check above runs at every point).
        if i % 10 == 0 {
            assert!(ingest(dir.path(), &w, &second).status().unwrap().success(), "ingest after kill point {i} failed");
            assert_eq!(state(&dir.join(&w)), new, "ingest after kill point {i} did not reach the new state");
        }
        std::fs::remove_dir_all(dir.join(&w)).unwrap();
        i += 1;
    }
    println!("kill test: {i} kill points, {saw_old} left the old state, {saw_new} the new state (full ingest {full:?})");
    assert_eq!(saw_old + saw_new, i);
    assert!(saw_old > 0, "no kill point landed before the commit: the test does not exercise the crash window");
    assert!(saw_new > 0, "no kill point landed after the commit: the kill points do not cover the whole run");
}

fn two_ingests_at_once_serialise() {
    let dir = Dir::new();
    let s = samples();
    let a = s.join("penalty_2023.csv");
    let b = s.join("penalty_2024.csv");
    let mut first = ingest(dir.path(), "w", &[a.to_str().unwrap()]).spawn().unwrap();
    let mut second = ingest(dir.path(), "w", &[b.to_str().unwrap()]).spawn().unwrap();
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    // Both landed, in some order, with nothing lost: the row count equals one ingest of both.
    assert!(ingest(dir.path(), "both", &[a.to_str().unwrap(), b.to_str().unwrap()]).status().unwrap().success());
    let rows = |w: &str| {
        let m = dir.manifest(w);
        (m["tables"]["penalty"]["rows"].as_u64().unwrap(), m["ingests"].as_array().unwrap().len())
    };
    assert_eq!(rows("w").0, rows("both").0);
    assert_eq!(rows("w").1, 2);
    // And the figures are those of one ingest of both files.
    let metrics =
        |w: &str| dir.command(&["metrics", "--period", "2024", "--level", "county", "--warehouse", w, "--format", "csv"]).stdout();
    let (got, want) = (metrics("w"), metrics("both"));
    assert!(want.lines().count() > 100, "a county table of Henan: {want}");
    assert_eq!(got, want, "two ingests at once give other figures than one ingest of both files");
}

fn main() {
    let started = Instant::now();
    two_ingests_at_once_serialise();
    println!("crash: two ingests at once on one warehouse: both landed, nothing lost");
    sigkill_leaves_the_old_or_the_new_state();
    println!("crash: 2 passed, 0 failed ({:.1} s)", started.elapsed().as_secs_f64());
}
