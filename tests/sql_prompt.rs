//! `fuyuan sql` with no query on a terminal: the interactive prompt, run under a pseudo-terminal
//! (`script` from util-linux) and typed line by line, shows each result, refuses writes and keeps
//! a history file.
mod util;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use util::{Dir, TODAY};

#[test]
fn prompt_answers_line_by_line_and_keeps_history() {
    let dir = Dir::new();
    dir.create("lit.csv", &format!("{}\n{}\n", util::LIT, util::lit_row(1).join(",")));
    dir.command(&["ingest", "lit.csv", "--warehouse", "w"]).stdout();
    let fuyuan = env!("CARGO_BIN_EXE_fuyuan");
    let mut child = Command::new("script")
        .args(["-qec", &format!("{fuyuan} sql --warehouse w"), "/dev/null"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("FUYUAN_TODAY", TODAY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the prompt under a pseudo-terminal");
    let mut stdin = child.stdin.take().unwrap();
    // The screen so far, read on a thread so that each line is typed once its prompt shows.
    let screen = Arc::new(Mutex::new(Vec::<u8>::new()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = {
        let screen = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let prompts = || {
        let s = String::from_utf8_lossy(&screen.lock().unwrap()).to_string();
        s.matches("fuyuan> ").count() + s.matches("   ...> ").count()
    };
    // Typed one line at a time, each after its prompt: a line editor drops what arrives before.
    for (i, line) in ["\\d", "SELECT COUNT(*) AS cases", "FROM litigation;", "DROP TABLE litigation;", "\\q"].iter().enumerate() {
        assert!(
            util::wait_until(util::time_limit(20), || prompts() > i),
            "prompt {} never showed:\n{}",
            i + 1,
            String::from_utf8_lossy(&screen.lock().unwrap())
        );
        writeln!(stdin, "{line}").unwrap();
    }
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    assert!(status.success(), "the prompt exited with {status}");
    let text = String::from_utf8_lossy(&screen.lock().unwrap()).to_string();
    assert!(text.contains("litigation_cases") && text.contains("BASE TABLE"), "\\d listed no tables:\n{text}");
    assert!(text.contains("│ cases │") && text.contains("│ 1     │"), "the two-line query gave no result:\n{text}");
    assert!(text.contains("read-only: DROP is not allowed"), "DROP was not refused:\n{text}");
    // Each result shows before the next line is typed, not at exit.
    let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"));
    assert!(at("BASE TABLE") < at("SELECT COUNT(*) AS cases"), "the listing came after the next prompt:\n{text}");
    assert!(at("│ cases │") < at("DROP TABLE litigation;"), "the query's result came after the next prompt:\n{text}");
    let history = dir.read(".fuyuan_history");
    assert!(history.contains("FROM litigation;") && history.contains("DROP TABLE litigation;"), "history: {history}");
    // The refused statement changed nothing.
    let n = dir.command(&["sql", "SELECT COUNT(*) AS n FROM litigation", "--warehouse", "w", "--format", "csv"]).stdout();
    assert_eq!(n, "n\n1\n");
}
