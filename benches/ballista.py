#!/usr/bin/env python3
"""The same metrics, local engine against a Ballista cluster on this machine (issue 6).

    python3 benches/ballista.py --warehouse DIR [--fuyuan target/release/fuyuan] [--runs R]
                                [--period 2024Q4] [--markdown FILE]

Needs a fuyuan built with `--features ballista` and a warehouse (for example the scale-10
samples: `fuyuan sample --scale 10 --out S && fuyuan ingest S/[lpr]*.csv S/[lr]*.xlsx --regions
S/regions_sanmenxia.csv --warehouse DIR`).

For each level (province, city, county, township, and agencies) it times
`fuyuan metrics --period P --ytd --level L --format csv`, R times each (medians reported):

  local        the local engine (DataFusion in the one process, all cores)
  ballista 2×1 `--engine ballista://…` with a scheduler and two executors of one task slot each
               (the machine's two cores as two small "machines")
  ballista 1×1 the same with one executor of one slot: 1×1 → 2×1 is what a second executor adds

Every Ballista result is checked against the local one (same CSV, rates within 1e-9) before it
is timed. Peak memory: the client's (ru_maxrss) and each executor's (VmHWM) after its runs.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEVELS = [("province", []), ("city", []), ("county", []), ("township", []), ("agency", ["--by", "agency"])]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """`fuyuan cluster scheduler` and `executors` × `fuyuan cluster executor --concurrency 1`."""

    def __init__(self, fuyuan, executors, work):
        self.procs = []
        sched = subprocess.Popen([fuyuan, "cluster", "scheduler", "--bind", "127.0.0.1:0"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(sched)
        line = sched.stdout.readline()
        self.port = int(line.split("127.0.0.1:")[1].split()[0])
        self.executors = []
        for i in range(executors):
            p = subprocess.Popen([fuyuan, "cluster", "executor", "--scheduler", f"127.0.0.1:{self.port}",
                                  "--port", str(free_port()), "--grpc-port", str(free_port()),
                                  "--concurrency", "1", "--work-dir", os.path.join(work, f"executor-{executors}-{i}")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.procs.append(p)
            self.executors.append(p)
        time.sleep(1.0)

    def url(self):
        return f"ballista://127.0.0.1:{self.port}"

    def peaks_mib(self):
        out = []
        for p in self.executors:
            with open(f"/proc/{p.pid}/status") as f:
                hwm = [l for l in f if l.startswith("VmHWM")][0].split()[1]
            out.append(int(hwm) // 1024)
        return out

    def stop(self):
        for p in self.procs:
            p.kill()
            p.wait()


def run(cmd):
    """Runs a command under /usr/bin/time; returns (seconds, stdout, peak resident MiB)."""
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return dt, r.stdout, int(r.stderr.strip().splitlines()[-1]) // 1024


def same(a, b):
    la, lb = a.splitlines(), b.splitlines()
    if len(la) != len(lb):
        return False
    for x, y in zip(la, lb):
        if x == y:
            continue
        for u, v in zip(x.split(","), y.split(",")):
            if u != v:
                try:
                    if abs(float(u) - float(v)) > 1e-9:
                        return False
                except ValueError:
                    return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--warehouse", required=True)
    ap.add_argument("--fuyuan", default=os.path.join(ROOT, "target", "release", "fuyuan"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--period", default="2024Q4")
    ap.add_argument("--markdown")
    a = ap.parse_args()
    fuyuan = os.path.abspath(a.fuyuan)
    work = tempfile.mkdtemp(prefix="fuyuan-ballista-bench-")
    base = lambda level, extra: [fuyuan, "metrics", "--period", a.period, "--ytd", "--warehouse", a.warehouse,
                                 "--format", "csv"] + (extra or ["--level", level])
    results = {}  # (engine, level) -> (median s, runs, peak)
    expected = {}
    for level, extra in LEVELS:
        times, peaks = [], []
        for _ in range(a.runs):
            dt, out, peak = run(base(level, extra))
            times.append(dt)
            peaks.append(peak)
        expected[level] = out
        results[("local", level)] = (statistics.median(times), max(peaks))
        print(f"local        {level:9} {statistics.median(times):7.2f} s  {len(out.splitlines()) - 1} rows", flush=True)
    executor_peaks = {}
    for n in (2, 1):
        name = f"ballista {n}×1"
        cluster = Cluster(fuyuan, n, work)
        try:
            for level, extra in LEVELS:
                cmd = base(level, extra) + ["--engine", cluster.url()]
                _, out, _ = run(cmd)  # warm-up, and the equality check
                if not same(out, expected[level]):
                    sys.exit(f"{name} {level}: result differs from the local engine")
                times, peaks = [], []
                for _ in range(a.runs):
                    dt, out, peak = run(cmd)
                    times.append(dt)
                    peaks.append(peak)
                results[(name, level)] = (statistics.median(times), max(peaks))
                print(f"{name} {level:9} {statistics.median(times):7.2f} s  (equal to local)", flush=True)
            executor_peaks[name] = cluster.peaks_mib()
        finally:
            cluster.stop()
    engines = ["local", "ballista 2×1", "ballista 1×1"]
    lines = [f"| level | " + " | ".join(f"{e} (s)" for e in engines) + " | 2×1 / local | 1×1 / 2×1 |",
             "|---|" + "---|" * (len(engines) + 2)]
    for level, _ in LEVELS:
        m = [results[(e, level)][0] for e in engines]
        lines.append(f"| {level} | " + " | ".join(f"{x:.2f}" for x in m) + f" | {m[1] / m[0]:.1f} | {m[2] / m[1]:.2f} |")
    total = [sum(results[(e, l)][0] for l, _ in LEVELS) for e in engines]
    lines.append("| all five | " + " | ".join(f"{x:.2f}" for x in total) + f" | {total[1] / total[0]:.1f} | {total[2] / total[1]:.2f} |")
    client = {e: max(results[(e, l)][1] for l, _ in LEVELS) for e in engines}
    peaks = f"Peak memory: local process {client['local']} MiB; " + "; ".join(
        f"{k}: client {client[k]} MiB, executors {', '.join(f'{p} MiB' for p in v)}" for k, v in executor_peaks.items())
    table = "\n".join(lines)
    cmd = f"`python3 benches/ballista.py --warehouse {a.warehouse} --runs {a.runs} --period {a.period}`"
    print(table)
    print(peaks)
    if a.markdown:
        with open(a.markdown, "a") as f:
            f.write(f"\n{cmd} — medians of {a.runs} runs, {os.cpu_count()} cores\n\n{table}\n\n{peaks}.\n")


if __name__ == "__main__":
    main()
