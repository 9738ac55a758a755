//! The ingest's progress bar on a terminal: per file, bytes read of the file's size, rows
//! validated per second and the time left. Nothing at all when stderr is a pipe or a file, so
//! logs and scripts see exactly what they saw before.
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ingest::{Progress, ProgressSink};

/// A progress bar on stderr when stderr is a terminal; None otherwise.
pub fn terminal() -> Option<ProgressSink> {
    std::io::stderr().is_terminal().then(|| ProgressSink(Arc::new(Bars::new(ProgressDrawTarget::stderr()))))
}

/// A spinner on stderr for a long step; indicatif hides it when stderr is not a terminal.
pub fn spinner(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// The text beside the bar: the file, the rows so far and their rate.
pub fn status(file: &str, rows: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { (rows as f64 / secs).round() as u64 } else { 0 };
    format!("{file} · {} rows · {} rows/s", thousands(rows), thousands(rate))
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One bar per file, replaced when the next file starts.
pub struct Bars {
    target: Mutex<Option<ProgressDrawTarget>>,
    current: Mutex<Option<(ProgressBar, String, Instant)>>,
}

impl Bars {
    pub fn new(target: ProgressDrawTarget) -> Bars {
        Bars { target: Mutex::new(Some(target)), current: Mutex::new(None) }
    }
}

impl Progress for Bars {
    fn start(&self, file: &str, total_bytes: u64) {
        let bar = ProgressBar::with_draw_target(Some(total_bytes), self.draw_target());
        let style = ProgressStyle::with_template("{msg}\n  [{bar:40}] {bytes}/{total_bytes} · {elapsed} · ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(status(file, 0, Duration::ZERO));
        bar.enable_steady_tick(Duration::from_millis(200));
        *self.current.lock().expect("progress lock") = Some((bar, file.to_string(), Instant::now()));
    }

    fn advance(&self, bytes: u64, rows: u64) {
        if let Some((bar, file, started)) = self.current.lock().expect("progress lock").as_ref() {
            bar.set_position(bytes);
            bar.set_message(status(file, rows, started.elapsed()));
        }
    }

    fn finish(&self) {
        if let Some((bar, _, _)) = self.current.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }
}

impl Bars {
    /// The first bar takes the target given; later ones draw on stderr (the same terminal).
    fn draw_target(&self) -> ProgressDrawTarget {
        self.target.lock().expect("progress lock").take().unwrap_or_else(ProgressDrawTarget::stderr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_names_the_file_rows_and_rate() {
        assert_eq!(status("penalty_2024.csv", 1_234_567, Duration::from_secs(2)), "penalty_2024.csv · 1,234,567 rows · 617,284 rows/s");
        assert_eq!(status("a.xlsx", 0, Duration::ZERO), "a.xlsx · 0 rows · 0 rows/s");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn bars_follow_the_files_without_a_terminal() {
        let bars = Bars::new(ProgressDrawTarget::hidden());
        bars.start("a.csv", 100);
        bars.advance(40, 10);
        {
            let cur = bars.current.lock().unwrap();
            let (bar, file, _) = cur.as_ref().unwrap();
            assert_eq!((bar.position(), bar.length(), file.as_str()), (40, Some(100), "a.csv"));
            assert!(bar.message().starts_with("a.csv · 10 rows · "), "{}", bar.message());
        }
        bars.finish();
        assert!(bars.current.lock().unwrap().is_none());
    }
}
