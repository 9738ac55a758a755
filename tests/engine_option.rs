//! `--engine` on every command that queries, in any build: a bad value is one usage line (exit 2)
//! before any work is done, and in a build without the `ballista` feature a Ballista URL (or
//! `fuyuan cluster`) says how to get one. The cluster itself is tested in tests/ballista.rs.
mod util;

use util::Dir;

fn one_line(err: &str) -> &str {
    let t = err.trim_end();
    assert_eq!(t.lines().count(), 1, "expected one line on stderr, got:\n{err}");
    t
}

/// Each querying command with `--engine VALUE`; no warehouse exists, so only the flag's check
/// can answer (a warehouse error would be exit 6).
fn each_command(dir: &Dir, value: &str) -> Vec<(String, i32, String)> {
    let commands: [&[&str]; 5] = [
        &["metrics", "--period", "2024Q4", "--ytd", "--level", "county"],
        &["sql", "SELECT 1"],
        &["brief", "--period", "2024Q4", "--ytd", "--region", "411200", "--out", "b"],
        &["dashboard", "--out", "d", "--period", "2024Q4"],
        &["run", "--out", "o"],
    ];
    commands
        .iter()
        .map(|args| {
            let o = dir.command(args).cmd.args(["--engine", value]).output().unwrap();
            (args[0].to_string(), o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).to_string())
        })
        .collect()
}

#[test]
fn a_bad_engine_is_a_usage_error_on_every_command() {
    let dir = Dir::new();
    for value in ["spark", "ballista://", "ballista://host:notaport", "ballista://host:0", "df://127.0.0.1:50050"] {
        for (cmd, code, err) in each_command(&dir, value) {
            assert_eq!(code, 2, "{cmd} --engine {value}: {err}");
            assert!(one_line(&err).contains("expected local or ballista://HOST:PORT"), "{cmd}: {err}");
        }
    }
    // `run` checked the flag before ingesting anything.
    assert!(!dir.join("o").exists());
}

#[cfg(not(feature = "ballista"))]
#[test]
fn without_the_feature_ballista_says_how_to_build_it() {
    let dir = Dir::new();
    for (cmd, code, err) in each_command(&dir, "ballista://127.0.0.1:50050") {
        assert_eq!(code, 2, "{cmd}: {err}");
        let line = one_line(&err);
        assert!(line.contains("built without Ballista") && line.contains("--features ballista"), "{cmd}: {line}");
    }
    for role in [&["cluster", "scheduler"][..], &["cluster", "executor", "--scheduler", "127.0.0.1:50050"]] {
        let err = dir.command(role).fails(2);
        assert!(one_line(&err).contains("--features ballista"), "{err}");
    }
}
