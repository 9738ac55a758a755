#!/usr/bin/env python3
"""fuyuan against DuckDB on the same files, in one run (issues 4 and 18).

    python3 benches/bench.py [--scale N] [--runs R] [--fuyuan target/release/fuyuan] [--work DIR]
                             [--markdown FILE]

Two DuckDB baselines:
  plain              what an analyst who picked DuckDB would write (benches/duckdb_plain.py):
                     in-process, timed around the work only (not the interpreter, not the import)
  equivalent checks  DuckDB made to do what fuyuan does (benches/duckdb_checks.py for ingest,
                     tests/reference/metrics_duckdb.py for metrics), timed as whole processes

Stages (each program run R times, the programs alternating run by run; medians, min–max spread):

  ingest, plain        the two penalty ledgers of `fuyuan sample --scale N` (the bulk of the rows;
                       different header aliases, one in 万元, one with a BOM) and the litigation
                       ledger litigation_2024 (GBK in the sample; both sides read one UTF-8 copy
                       made before timing, as DuckDB's CSV reader has no GBK):
                       fuyuan: `fuyuan ingest FILES --regions regions_sanmenxia.csv` (fresh warehouse)
                       DuckDB: read_csv(all_varchar) → strptime/TRY_CAST casts → region-code filter
                               against the dimension → COPY … TO Parquet, per ledger
  ingest, checks       the penalty ledgers: fuyuan ingest against benches/duckdb_checks.py
  metrics, plain       year 2024 at the county level and per agency, on the warehouse fuyuan
                       wrote (all six ledgers): fuyuan's whole process
                       (`fuyuan metrics --period 2024 --level county --format csv`, start included)
                       against DuckDB's one query alone (a GROUP BY with FILTER clauses per ledger)
  metrics, checks      2024Q4 year to date at every level (province, city, county, township,
                       agency), one process per level on both sides; the stage's time is their sum
  brief                `fuyuan brief --period 2024Q4 --ytd --region 411200` (fuyuan only)

Memory is the peak resident set (ru_maxrss) of the process that did the work, the largest over
the runs; every run is a child process of its own. The 1-minute load average (/proc/loadavg) is
read before and after each stage: on 2 cores a busy neighbour moves the figures. Ratios are
fuyuan / DuckDB: below 1.0 fuyuan is faster or smaller.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHES = os.path.join(ROOT, "benches")
LEVELS = ["province", "city", "county", "township", "agency"]
PERIOD = "2024Q4"
YEAR = "2024"


def run(cmd, env=None):
    """Runs an untimed step (samples, the warehouse for the metrics stages)."""
    p = subprocess.run(cmd, capture_output=True, env=env)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} … failed: {p.stderr.decode('utf-8', 'replace').strip()[:500]}")


def measured(cmd, env=None, inner=False):
    """One run in a child: (seconds, peak MiB, CPU seconds). `inner`: the child prints
    `seconds S` last, its own timing of the work alone."""
    started = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - started
    p.stdout.close()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} … failed: {err.decode('utf-8', 'replace').strip()[:500]}")
    if inner:
        seconds = float(out.decode().strip().splitlines()[-1].split()[1])
    return seconds, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class Result:
    def __init__(self, runs):
        self.times = [r[0] for r in runs]
        self.peak = max(r[1] for r in runs)
        self.cpu = statistics.median(r[2] for r in runs)

    @property
    def median(self):
        return statistics.median(self.times)

    def cell(self):
        return f"{self.median:.2f} ({min(self.times):.2f}–{max(self.times):.2f})"


def stage(label, runs, programs):
    """Runs each program `runs` times, alternating; returns (Results in order, load before, after)."""
    before = loadavg()
    got = [[] for _ in programs]
    for _ in range(runs):
        for i, (_, fn) in enumerate(programs):
            got[i].append(fn())
    after = loadavg()
    results = [Result(g) for g in got]
    print(f"{label}   (load {before:.2f} → {after:.2f})")
    for (name, _), r in zip(programs, results):
        print(f"  {name:<26} median {r.median:7.2f} s   runs {', '.join(f'{t:.2f}' for t in r.times)}   peak {r.peak:7.1f} MiB   cpu {r.cpu:.2f} s")
    return results, before, after


def summed(fns):
    """One run of several processes: the sum of their times, the largest peak, the sum of CPU."""
    def go():
        parts = [fn() for fn in fns]
        return sum(p[0] for p in parts), max(p[1] for p in parts), sum(p[2] for p in parts)
    return go


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fuyuan", default=os.path.join(ROOT, "target", "release", "fuyuan"))
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench"))
    ap.add_argument("--markdown", help="append the results table to this Markdown file")
    a = ap.parse_args()
    if not os.path.exists(a.fuyuan):
        sys.exit(f"bench: no fuyuan binary at {a.fuyuan}: build it with `cargo build --release`")
    try:
        import duckdb
    except ImportError:
        sys.exit("bench: the duckdb Python package is missing: pip install duckdb")
    env = dict(os.environ, FUYUAN_TODAY="2025-03-31")
    py = sys.executable
    work = os.path.join(a.work, f"scale{a.scale}")
    samples = os.path.join(work, "samples")
    if not os.path.exists(os.path.join(samples, "penalty_2024.csv")):
        os.makedirs(samples, exist_ok=True)
        print(f"generating samples at scale {a.scale} …")
        run([a.fuyuan, "sample", "--out", samples, "--scale", str(a.scale)], env=env)
    pen = [os.path.join(samples, f) for f in ("penalty_2023.csv", "penalty_2024.csv")]
    # DuckDB's CSV reader has no GBK: both sides read this UTF-8 copy of the litigation ledger.
    lit = os.path.join(work, "litigation_2024_utf8.csv")
    if not os.path.exists(lit):
        with open(os.path.join(samples, "litigation_2024.csv"), "rb") as f:
            text = f.read().decode("gb18030")
        with open(lit, "w", encoding="utf-8") as f:
            f.write(text)
    count = lambda paths: sum(sum(1 for _ in open(p, "rb")) - 1 for p in paths)  # noqa: E731
    mib = lambda paths: sum(os.path.getsize(p) for p in paths) / 2**20  # noqa: E731
    pen_rows, lit_rows = count(pen), count([lit])
    print(f"scale {a.scale}: penalty ledgers {pen_rows:,} rows ({mib(pen):,.1f} MiB), litigation ledger "
          f"{lit_rows:,} rows ({mib([lit]):,.1f} MiB); {a.runs} runs per program; {os.cpu_count()} cores; duckdb {duckdb.__version__}")
    regions = os.path.join(samples, "regions_sanmenxia.csv")
    henan = os.path.join(ROOT, "src/warehouse/henan_regions.csv")
    wh = os.path.join(work, "wh")
    wh_plain = os.path.join(work, "wh_plain")
    duck_out = os.path.join(work, "duck")
    os.makedirs(duck_out, exist_ok=True)

    def fuyuan_ingest(files, into):
        def go():
            shutil.rmtree(into, ignore_errors=True)
            return measured([a.fuyuan, "ingest", *files, "--regions", regions, "--warehouse", into], env=env)
        return go

    plain_ingest = lambda: measured([py, os.path.join(BENCHES, "duckdb_plain.py"), "ingest", duck_out, henan, regions, "--", *pen, lit], env=env, inner=True)  # noqa: E731
    checks_ingest = lambda: measured([py, os.path.join(BENCHES, "duckdb_checks.py"), ",".join(pen), henan, regions,  # noqa: E731
                                      os.path.join(duck_out, "ok.parquet"), os.path.join(duck_out, "bad.parquet"), "2025-03-31"], env=env)
    rows = []
    (fi, di), *load = stage("ingest, penalty + litigation: fuyuan vs plain DuckDB", a.runs,
                            [("fuyuan ingest", fuyuan_ingest([*pen, lit], wh_plain)), ("plain DuckDB ingest", plain_ingest)])
    rows.append(("ingest: penalty + litigation", "plain", fi, di, load))
    shutil.rmtree(wh_plain, ignore_errors=True)
    ingest_bytes = sum(os.path.getsize(p) for p in [*pen, lit])
    (fc, dc), *load = stage("ingest, penalty: fuyuan vs DuckDB with equivalent checks", a.runs,
                            [("fuyuan ingest", fuyuan_ingest(pen, wh)), ("DuckDB ingest, checks", checks_ingest)])
    rows.append(("ingest: penalty", "equivalent checks", fc, dc, load))
    # The metrics stages need litigation and reconsideration too: added once, untimed.
    others = [os.path.join(samples, f) for f in sorted(os.listdir(samples)) if f.startswith(("litigation", "reconsideration"))]
    run([a.fuyuan, "ingest", *others, "--warehouse", wh], env=env)

    def fuyuan_metrics(period, unit):
        return lambda: measured([a.fuyuan, "metrics", "--period", *period, *unit, "--warehouse", wh, "--format", "csv"], env=env)

    def plain_metrics(level):
        return lambda: measured([py, os.path.join(BENCHES, "duckdb_plain.py"), "metrics", wh, level, YEAR], env=env, inner=True)

    for level, unit in (("county", ["--level", "county"]), ("agency", ["--by", "agency"])):
        (fm, dm), *load = stage(f"metrics {YEAR}, {level}: fuyuan (whole process) vs plain DuckDB (query alone)", a.runs,
                                [(f"fuyuan metrics {level}", fuyuan_metrics([YEAR], unit)), (f"plain DuckDB {level}", plain_metrics(level))])
        rows.append((f"metrics {YEAR}: {level}", "plain", fm, dm, load))
    unit_of = lambda level: ["--by", "agency"] if level == "agency" else ["--level", level]  # noqa: E731
    ref = os.path.join(ROOT, "tests/reference/metrics_duckdb.py")
    (fm, dm), *load = stage(f"metrics {PERIOD} YTD, 5 levels, a process each: fuyuan vs DuckDB reference", a.runs, [
        ("fuyuan metrics", summed([fuyuan_metrics([PERIOD, "--ytd"], unit_of(lv)) for lv in LEVELS])),
        ("DuckDB reference", summed([lambda lv=lv: measured([py, ref, wh, PERIOD, lv, "--ytd"], env=env) for lv in LEVELS])),
    ])
    rows.append((f"metrics {PERIOD} YTD: 5 levels", "equivalent checks", fm, dm, load))
    brief = lambda: measured([a.fuyuan, "brief", "--period", PERIOD, "--ytd", "--region", "411200", "--out", os.path.join(work, "brief"), "--warehouse", wh], env=env)  # noqa: E731
    (fb,), *load = stage("brief (fuyuan only)", a.runs, [("fuyuan brief", brief)])

    table = [
        "| work | DuckDB side | fuyuan, s (min–max) | DuckDB, s (min–max) | time ratio | fuyuan peak MiB | DuckDB peak MiB | memory ratio | load before → after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for work_, side, f, d, (lb, la) in rows:
        table.append(f"| {work_} | {side} | {f.cell()} | {d.cell()} | **{f.median / d.median:.2f}** | {f.peak:.0f} | {d.peak:.0f} | {f.peak / d.peak:.2f} | {lb:.2f} → {la:.2f} |")
    table.append(f"| brief 411200 | — | {fb.cell()} | — | — | {fb.peak:.0f} | — | — | {load[0]:.2f} → {load[1]:.2f} |")
    per_core = ingest_bytes / fi.cpu / 1e6
    note = (f"fuyuan's ingest of penalty + litigation ({ingest_bytes / 2**20:,.1f} MiB): {fi.cpu:.2f} CPU-seconds "
            f"(median), {per_core:.0f} MB/s per core of CPU time; plain DuckDB's: {di.cpu:.2f} CPU-seconds for the whole process.")
    print("\n".join(table))
    print(note)
    if a.markdown:
        with open(a.markdown, "a", encoding="utf-8") as f:
            f.write(f"\n### scale {a.scale}: {pen_rows:,} penalty rows ({mib(pen):,.1f} MiB) + {lit_rows:,} litigation rows, "
                    f"{a.runs} runs, medians\n\n")
            f.write(f"`python3 benches/bench.py {' '.join(sys.argv[1:])}` — "
                    f"{os.cpu_count()} cores, duckdb {duckdb.__version__}\n\n")
            f.write("\n".join(table) + "\n\n" + note + "\n")


if __name__ == "__main__":
    main()
