#!/usr/bin/env python3
"""fuyuan against DuckDB on the same files, in one run (issue 4).

    python3 benches/bench.py [--scale N] [--runs R] [--fuyuan target/release/fuyuan] [--work DIR]
                             [--markdown FILE]

Stages (each timed R times; the median and the peak resident memory of the process are reported):

  ingest   the penalty ledgers of `fuyuan sample --scale N` (the bulk of the rows; two files with
           different header aliases, one in 万元, one with a BOM):
           fuyuan:  `fuyuan ingest FILES --regions regions_sanmenxia.csv` into a fresh warehouse
           DuckDB:  read_csv(all_varchar) → the same casts and checks in SQL (required cells,
                    the accepted date forms and range, amounts with separators/元/万元 and ≥ 0,
                    region codes in the dimension, the leniency vocabulary, the boolean forms)
                    → accepted rows to Parquet, rejected rows to a second Parquet file
  metrics  the documented metrics table for one period at every level — province, city, county,
           township, and every agency — on the warehouse fuyuan wrote (all six ledgers):
           fuyuan:  `fuyuan metrics --period 2024Q4 --ytd --level L --format csv` for each level,
                    `fuyuan metrics --period 2024Q4 --ytd --by agency --format csv`
           DuckDB:  tests/reference/metrics_duckdb.py (an independent implementation of the same
                    definitions, checked cell by cell against fuyuan by tests/reference_duckdb.rs)
                    for each level and `agency`
           Each level is one process on both sides; the stage's time is their sum and its memory
           the largest peak.
  brief    `fuyuan brief --period 2024Q4 --ytd --region 411200` (fuyuan only: DuckDB has no
           equivalent)

Ratios are fuyuan / DuckDB (below 1.0: fuyuan faster or smaller). DuckDB runs in its own Python
process so that its memory is measured the same way as fuyuan's (ru_maxrss of the child).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEVELS = ["province", "city", "county", "township", "agency"]
PERIOD = "2024Q4"

DUCKDB_INGEST = r"""
import duckdb, sys, csv, io
files, regions_csv, additions_csv, out_ok, out_bad, today = sys.argv[1:7]
con = duckdb.connect()
codes = set()
for path in (regions_csv, additions_csv):
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes.add(row["code"])
con.execute("CREATE TABLE dim(code VARCHAR)")
con.executemany("INSERT INTO dim VALUES (?)", [[c] for c in codes])
DATE_FORMATS = "['%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y%m%d', '%Y年%m月%d日']"
def col(cols, *names):
    for n in names:
        for c in cols:
            base = c.replace('（', '(').replace('）', ')').split('(')[0].strip().lstrip('\ufeff')
            if base == n:
                return c, ('万元' in c)
    return None, False
parts = []
for i, path in enumerate(files.split(',')):
    con.execute(f"CREATE TABLE raw{i} AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
    cols = [r[0] for r in con.execute(f"DESCRIBE raw{i}").fetchall()]
    key, _ = col(cols, '处罚决定书文号', '决定书文号', '文号')
    agency, _ = col(cols, '执法机关', '处罚机关', '实施机关')
    region, _ = col(cols, '行政区划代码', '区划代码')
    date, _ = col(cols, '处罚决定日期', '决定日期')
    fine, fine_wan = col(cols, '罚款金额')
    conf, conf_wan = col(cols, '没收金额', '没收违法所得')
    len_, _ = col(cols, '裁量情形')
    dele, _ = col(cols, '赋权事项', '是否赋权')
    def amount(c, wan):
        if c is None:
            return "NULL::DECIMAL(18,2)"
        v = f"replace(replace(trim(\"{c}\"), ',', ''), '元', '')"
        m = "* 10000" if wan else ""
        return f"round(TRY_CAST({v} AS DECIMAL(30,6)) {m}, 2)::DECIMAL(18,2)"
    parts.append(f'''
      SELECT trim("{key}") AS decision_no, trim("{agency}") AS agency,
             regexp_replace(trim("{region}"), '\\.0$', '') AS region_code,
             COALESCE(try_strptime(trim("{date}"), {DATE_FORMATS})::DATE,
                      try_strptime(split_part(trim("{date}"), ' ', 1), {DATE_FORMATS})::DATE) AS decided_date,
             "{date}" AS decided_raw,
             {amount(fine, fine_wan)} AS fine_yuan, "{fine}" AS fine_raw,
             {amount(conf, conf_wan)} AS confiscated_yuan, "{conf}" AS conf_raw,
             trim("{len_}") AS leniency,
             CASE WHEN trim("{dele}") IN ('是','Y','y','1','true','√') THEN true
                  WHEN trim("{dele}") IN ('否','N','n','0','false','×') THEN false END AS delegated,
             "{dele}" AS delegated_raw
      FROM raw{i}''')
con.execute("CREATE TABLE typed AS " + " UNION ALL ".join(parts))
checks = f'''
  CASE
    WHEN decision_no IS NULL OR decision_no = '' THEN 'required cell is empty'
    WHEN agency IS NULL OR agency = '' THEN 'required cell is empty'
    WHEN region_code IS NULL THEN 'required cell is empty'
    WHEN region_code NOT IN (SELECT code FROM dim)
         AND NOT (length(region_code) = 9 AND substr(region_code, 1, 6) IN (SELECT code FROM dim)) THEN 'unknown region'
    WHEN decided_date IS NULL THEN 'unreadable date'
    WHEN decided_date < DATE '1990-10-01' OR decided_date > DATE '{today}' THEN 'date out of range'
    WHEN fine_raw IS NOT NULL AND trim(fine_raw) <> '' AND (fine_yuan IS NULL OR fine_yuan < 0) THEN 'bad amount'
    WHEN conf_raw IS NOT NULL AND trim(conf_raw) <> '' AND (confiscated_yuan IS NULL OR confiscated_yuan < 0) THEN 'bad amount'
    WHEN leniency IS NOT NULL AND leniency NOT IN ('不予处罚','减轻处罚','从轻处罚','一般','从重处罚','减轻','从轻','从重') THEN 'unknown leniency'
    WHEN delegated_raw IS NOT NULL AND trim(delegated_raw) <> '' AND delegated IS NULL THEN 'bad boolean'
  END'''
con.execute(f"CREATE TABLE checked AS SELECT *, {checks} AS reason FROM typed")
con.execute(f"COPY (SELECT decision_no, agency, region_code, decided_date, fine_yuan, confiscated_yuan, leniency, delegated FROM checked WHERE reason IS NULL) TO '{out_ok}' (FORMAT parquet)")
con.execute(f"COPY (SELECT * FROM checked WHERE reason IS NOT NULL) TO '{out_bad}' (FORMAT parquet)")
ok = con.execute("SELECT count(*) FROM checked WHERE reason IS NULL").fetchone()[0]
bad = con.execute("SELECT count(*) FROM checked WHERE reason IS NOT NULL").fetchone()[0]
print(f"duckdb ingest: accepted {ok}, rejected {bad}")
"""


def run(cmd, cwd=None, stdout=subprocess.DEVNULL, env=None):
    """Runs a command; returns (seconds, peak RSS in MiB)."""
    started = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - started
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} … failed: {err.strip()[:500]}")
    return seconds, usage.ru_maxrss / 1024.0


def median_stage(label, runs, fn):
    times, mems = [], []
    for _ in range(runs):
        t, m = fn()
        times.append(t)
        mems.append(m)
    print(f"  {label:<28} median {statistics.median(times):8.2f} s   peak {max(mems):8.1f} MiB   runs {', '.join(f'{t:.2f}' for t in times)}")
    return statistics.median(times), max(mems)


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
        import duckdb  # noqa: F401
    except ImportError:
        sys.exit("bench: the duckdb Python package is missing: pip install duckdb")
    import duckdb
    env = dict(os.environ, FUYUAN_TODAY="2025-03-31")
    work = os.path.join(a.work, f"scale{a.scale}")
    samples = os.path.join(work, "samples")
    if not os.path.exists(os.path.join(samples, "penalty_2024.csv")):
        os.makedirs(samples, exist_ok=True)
        print(f"generating samples at scale {a.scale} …")
        run([a.fuyuan, "sample", "--out", samples, "--scale", str(a.scale)], env=env)
    pen = [os.path.join(samples, f) for f in ("penalty_2023.csv", "penalty_2024.csv")]
    rows = sum(sum(1 for _ in open(p, "rb")) - 1 for p in pen)
    size = sum(os.path.getsize(p) for p in pen) / 2**20
    print(f"scale {a.scale}: penalty ledgers {rows:,} rows, {size:,.1f} MiB; {a.runs} runs per stage; {os.cpu_count()} cores; duckdb {duckdb.__version__}")
    regions = os.path.join(samples, "regions_sanmenxia.csv")
    wh = os.path.join(work, "wh")

    def fuyuan_ingest():
        shutil.rmtree(wh, ignore_errors=True)
        return run([a.fuyuan, "ingest", *pen, "--regions", regions, "--warehouse", wh], env=env)

    def duckdb_ingest():
        ok, bad = os.path.join(work, "duck_ok.parquet"), os.path.join(work, "duck_bad.parquet")
        return run([sys.executable, "-c", DUCKDB_INGEST, ",".join(pen), os.path.join(ROOT, "src/warehouse/henan_regions.csv"), regions, ok, bad, "2025-03-31"], env=env)

    print("ingest")
    fi = median_stage("fuyuan ingest", a.runs, fuyuan_ingest)
    di = median_stage("duckdb ingest", a.runs, duckdb_ingest)
    # The metrics stage needs litigation and reconsideration too: add them once, untimed.
    run([a.fuyuan, "ingest", *[os.path.join(samples, f) for f in sorted(os.listdir(samples)) if f.startswith(("litigation", "reconsideration"))], "--warehouse", wh], env=env)

    def fuyuan_metrics():
        t = m = 0.0
        for level in LEVELS:
            unit = ["--by", "agency"] if level == "agency" else ["--level", level]
            dt, mm = run([a.fuyuan, "metrics", "--period", PERIOD, "--ytd", *unit, "--warehouse", wh, "--format", "csv"], env=env)
            t, m = t + dt, max(m, mm)
        return t, m

    def duckdb_metrics():
        t = m = 0.0
        for level in LEVELS:
            dt, mm = run([sys.executable, os.path.join(ROOT, "tests/reference/metrics_duckdb.py"), wh, PERIOD, level, "--ytd"], env=env)
            t, m = t + dt, max(m, mm)
        return t, m

    print(f"metrics ({PERIOD} year to date, levels {', '.join(LEVELS)})")
    fm = median_stage("fuyuan metrics", a.runs, fuyuan_metrics)
    dm = median_stage("duckdb metrics", a.runs, duckdb_metrics)
    print("brief")
    fb = median_stage("fuyuan brief", a.runs, lambda: run([a.fuyuan, "brief", "--period", PERIOD, "--ytd", "--region", "411200", "--out", os.path.join(work, "brief"), "--warehouse", wh], env=env))

    table = [
        "| stage | fuyuan (s) | DuckDB (s) | time ratio | fuyuan peak (MiB) | DuckDB peak (MiB) | memory ratio |",
        "|---|---|---|---|---|---|---|",
        f"| ingest | {fi[0]:.2f} | {di[0]:.2f} | {fi[0] / di[0]:.2f} | {fi[1]:.0f} | {di[1]:.0f} | {fi[1] / di[1]:.2f} |",
        f"| metrics (5 levels) | {fm[0]:.2f} | {dm[0]:.2f} | {fm[0] / dm[0]:.2f} | {fm[1]:.0f} | {dm[1]:.0f} | {fm[1] / dm[1]:.2f} |",
        f"| brief | {fb[0]:.2f} | — | — | {fb[1]:.0f} | — | — |",
    ]
    print("\n".join(table))
    if a.markdown:
        with open(a.markdown, "a", encoding="utf-8") as f:
            f.write(f"\n### scale {a.scale}: {rows:,} penalty rows ({size:,.1f} MiB), {a.runs} runs, medians\n\n")
            f.write(f"`python3 benches/bench.py --scale {a.scale} --runs {a.runs}` — {os.cpu_count()} cores, duckdb {duckdb.__version__}\n\n")
            f.write("\n".join(table) + "\n")


if __name__ == "__main__":
    main()
