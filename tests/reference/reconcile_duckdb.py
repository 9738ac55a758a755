#!/usr/bin/env python3
"""Independent reference for the court-list reconciliation: the discrepancy list and its summary.

Usage: reconcile_duckdb.py WAREHOUSE PERIOD [--ytd] [--region CODE]
       reconcile_duckdb.py WAREHOUSE PERIOD [--ytd] --summary LEVEL [--parent CODE]

Written from the definitions alone (the court list section of the interface document), without
fuyuan's SQL: DuckDB only reads the warehouse's Parquet parts (manifest.json → tables[name].parts);
everything else is plain Python over the rows. Output: CSV on stdout with exactly the columns.

Readings (marked READING below):
  * A period is 2024, 2024Q2, 2024H1, 2024M05 (--ytd: from 1 January) or a span A..B, inclusive.
  * First instance and the court code are read from the canonical case number itself:
    （YEAR）COURT TYPE N号 with TYPE 行初 or 行赔初; the court code is the text between the closing
    bracket and the type code.
  * A warehouse without a court table (older warehouses) has an empty court list.
  * Values compared as text: ISO dates, outcomes as stored, true/false, '' for null.
  * Summary scope: the scope with no region restriction; each case counted under the regions
    that contain the side's region_code (ledger's, or court's for missing_in_ledger).
"""
import calendar
import csv
import datetime as dt
import json
import os
import re
import sys

import duckdb

LOSS = {"撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "给付", "赔偿"}
FIELDS = ["defendant", "region_code", "filed_date", "closed_date", "outcome", "hearing_date", "head_appeared"]


def die(msg, code=2):
    sys.stderr.write(f"reconcile_duckdb.py: {msg}\n")
    sys.exit(code)


def month_end(y, m):
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def resolve_period(text, ytd):
    if ".." in text:
        a, b = text.split("..", 1)
        return dt.date.fromisoformat(a.strip()), dt.date.fromisoformat(b.strip())
    t = text.strip().upper()
    m = re.fullmatch(r"(\d{4})(?:Q([1-4])|H([12])|M(\d{1,2}))?", t)
    if not m:
        die(f"bad period {text!r}")
    y = int(m.group(1))
    if m.group(2):
        first, last = 3 * int(m.group(2)) - 2, 3 * int(m.group(2))
    elif m.group(3):
        first, last = 6 * int(m.group(3)) - 5, 6 * int(m.group(3))
    elif m.group(4):
        first = last = int(m.group(4))
    else:
        first, last = 1, 12
    if ytd:
        first = 1
    return dt.date(y, first, 1), month_end(y, last)


def parse_case(case_no):
    """(court_code, first_instance) from a canonical case number."""
    m = re.match(r"^（\d{4}）(.*?)(行赔初|行初)\d+号$", case_no)
    if m:
        return m.group(1), True
    return None, False


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def in_p(d, p):
    return d is not None and p[0] <= d <= p[1]


def load(warehouse):
    with open(os.path.join(warehouse, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    con = duckdb.connect(":memory:")

    def rows(name, cols):
        entry = manifest["tables"].get(name)
        if entry is None or not entry.get("parts"):
            if name == "court":
                return []  # READING: no court table = an empty list
            die(f"manifest has no table {name}", 3)
        paths = ", ".join("'" + os.path.join(warehouse, p["file"]).replace("'", "''") + "'" for p in entry["parts"])
        cur = con.execute(f"SELECT {', '.join(cols)} FROM read_parquet([{paths}], union_by_name = true)")
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    cols = ["case_no"] + FIELDS
    ledger, court = {}, {}
    for name, side in (("litigation", ledger), ("court", court)):
        for r in rows(name, cols):
            code, first = parse_case(r["case_no"])
            if not first:
                continue
            if r["case_no"] in side:
                die(f"duplicate case number {r['case_no']} in {name}", 1)
            r["court_code"] = code
            side[r["case_no"]] = r
    regions = {r["code"]: r for r in rows("regions", ["code", "name", "level", "parent_code"])}
    return ledger, court, regions


def ancestors(regions, code):
    out = set()
    cur = code
    while cur is not None and cur not in out:
        out.add(cur)
        cur = regions.get(cur, {}).get("parent_code")
    return out


def dated(r, p):
    return in_p(r["filed_date"], p) or in_p(r["closed_date"], p)


def discrepancies(ledger, court, regions, p, region):
    def under(r):
        return region is None or region in ancestors(regions, r["region_code"])

    scope = {k for k, r in ledger.items() if dated(r, p) and under(r)}
    scope |= {k for k, r in court.items() if dated(r, p) and under(r)}
    covered = {r["court_code"] for r in court.values() if dated(r, p)}
    out = []
    for k in scope:
        l, c = ledger.get(k), court.get(k)
        base = l if l is not None else c
        head = [k, base["region_code"], base["defendant"]]
        if l is None:
            out.append(head + ["missing_in_ledger", "", "", ""])
            continue
        if c is None:
            if l["court_code"] in covered:
                out.append(head + ["missing_in_court", "", "", ""])
            continue
        for f in FIELDS:
            lv, cv = text(l[f]), text(c[f])
            if lv == cv:
                continue
            kind = "mismatch"
            if f == "outcome" and c["outcome"] in LOSS and l["outcome"] not in LOSS:
                kind = "loss_not_reported"
            out.append(head + [kind, f, lv, cv])
    # Sort by case number then field, as bytes of UTF-8 (a plain string comparison).
    out.sort(key=lambda r: (r[0].encode("utf-8"), r[4].encode("utf-8")))
    return out


def summary(ledger, court, regions, p, level, parent):
    units = sorted(
        (r for r in regions.values() if r["level"] == level and (parent is None or (parent in ancestors(regions, r["code"]) and r["code"] != parent))),
        key=lambda r: r["code"],
    )
    rows = discrepancies(ledger, court, regions, p, None)
    kinds = {}
    for r in rows:
        kinds.setdefault(r[0], set()).add(r[3])
    scope = {k for k, r in ledger.items() if dated(r, p)} | {k for k, r in court.items() if dated(r, p)}
    out = []
    for u in units:
        code = u["code"]

        def has(r):
            return code in ancestors(regions, r["region_code"])

        court_cases = sum(1 for r in court.values() if dated(r, p) and has(r))
        ledger_cases = sum(1 for r in ledger.values() if dated(r, p) and has(r))
        matched = mismatched = lnr = mic = mil = 0
        for k in scope:
            l, c = ledger.get(k), court.get(k)
            ks = kinds.get(k, set())
            if l is not None and has(l):
                if c is not None:
                    matched += 1
                if ks & {"mismatch", "loss_not_reported"}:
                    mismatched += 1
                if "loss_not_reported" in ks:
                    lnr += 1
                if "missing_in_court" in ks:
                    mic += 1
            if c is not None and has(c) and "missing_in_ledger" in ks:
                mil += 1
        court_lost = sum(1 for r in court.values() if in_p(r["closed_date"], p) and r["outcome"] in LOSS and has(r))
        ledger_lost = sum(1 for r in ledger.values() if in_p(r["closed_date"], p) and r["outcome"] in LOSS and has(r))
        out.append([f"{p[0].isoformat()}..{p[1].isoformat()}", code, u["name"], court_cases, ledger_cases, matched, mil, mic, mismatched, lnr, court_lost, ledger_lost])
    return out


def main(argv):
    ytd, region, level, parent, pos = False, None, None, None, []
    it = iter(argv)
    for a in it:
        if a == "--ytd":
            ytd = True
        elif a == "--region":
            region = next(it).strip()
        elif a == "--summary":
            level = next(it).strip()
        elif a == "--parent":
            parent = next(it).strip()
        elif a.startswith("--"):
            die(f"unknown option {a}")
        else:
            pos.append(a)
    if len(pos) != 2:
        die(__doc__.strip().splitlines()[2])
    warehouse, period = pos
    p = resolve_period(period, ytd)
    ledger, court, regions = load(warehouse)
    w = csv.writer(sys.stdout, lineterminator="\n")
    if level is None:
        w.writerow(["case_no", "region_code", "defendant", "kind", "field", "ledger_value", "court_value"])
        w.writerows(discrepancies(ledger, court, regions, p, region))
    else:
        w.writerow(["period", "region_code", "region_name", "court_cases", "ledger_cases", "matched", "missing_in_ledger", "missing_in_court", "mismatched_cases", "loss_not_reported", "court_lost", "ledger_lost"])
        w.writerows(summary(ledger, court, regions, p, level, parent))


if __name__ == "__main__":
    main(sys.argv[1:])
