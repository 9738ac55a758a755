#!/usr/bin/env python3
"""Independent reference for the township enforcement table (`fuyuan enforcement`).

Usage: enforcement_duckdb.py WAREHOUSE PERIOD LEVEL [--ytd] [--parent CODE]
       PERIOD = 2024 | 2024Q2 | 2024H1 | 2024M05 | START..END (inclusive ISO dates)

Written from the published definitions alone, not from fuyuan's SQL: DuckDB only reads the
Parquet parts named by WAREHOUSE/manifest.json; every figure is then computed in plain Python
with a walk up the parent chain, so that a mistake in fuyuan's joins cannot be repeated here.

Readings (READING:):
  * A penalty row counts for a printed region when its region_code is that region or lies below
    it (parent chain of any depth); only rows with decided_date in P.
  * townships: regions of level township at or below the printed region (a township: 1). A
    9-digit code missing from the dimension is a township under its first 6 digits.
  * township case: a row whose own region_code is a township-level region.
  * townships_with_cases: distinct township region_codes among those township cases.
  * delegated: delegated IS TRUE (unknown is not delegated).
  * lenient: leniency in 不予处罚, 减轻处罚, 从轻处罚; lenient_rate = lenient / rows whose leniency
    is not null, empty when there are none; severe: 从重处罚.
  * Money: sums of non-null amounts with 2 decimals, 0.00 when nothing; rows sorted by region_code.
"""
import calendar
import csv
import datetime as dt
import decimal
import json
import os
import re
import sys

try:
    import duckdb
except ImportError:
    sys.stderr.write("enforcement_duckdb.py: the duckdb Python package is missing: run `pip install duckdb`\n")
    sys.exit(9)

COLUMNS = [
    "period", "region_code", "region_name", "townships", "townships_with_cases", "township_cases",
    "township_fines_yuan", "delegated_cases", "delegated_fines_yuan", "penalty_cases", "fines_yuan",
    "confiscated_yuan", "lenient_cases", "lenient_rate", "severe_cases",
]
LENIENT = {"不予处罚", "减轻处罚", "从轻处罚"}
SEVERE = "从重处罚"


def die(msg, code=2):
    sys.stderr.write(f"enforcement_duckdb.py: {msg}\n")
    sys.exit(code)


def resolve_period(text, ytd):
    if ".." in text:
        a, b = text.split("..", 1)
        return dt.date.fromisoformat(a.strip()), dt.date.fromisoformat(b.strip())
    m = re.fullmatch(r"(\d{4})(?:Q([1-4])|H([12])|M(\d{1,2}))?", text.strip().upper())
    if not m:
        die(f"bad period {text!r}")
    year = int(m.group(1))
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
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def money(x):
    return format(decimal.Decimal(x).quantize(decimal.Decimal("0.01")), "f")


def fmt_float(x):
    if x is None:
        return ""
    if x == int(x):
        return str(int(x))
    return repr(x)


def main(argv):
    ytd, parent, pos = False, None, []
    i = 0
    while i < len(argv):
        if argv[i] == "--ytd":
            ytd = True
        elif argv[i] == "--parent":
            i += 1
            parent = argv[i].strip()
        else:
            pos.append(argv[i])
        i += 1
    if len(pos) != 3:
        die("usage: enforcement_duckdb.py WAREHOUSE PERIOD LEVEL [--ytd] [--parent CODE]")
    warehouse, period, level = pos
    start, end = resolve_period(period, ytd)

    with open(os.path.join(warehouse, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    con = duckdb.connect(":memory:")

    def read(name, cols):
        parts = manifest["tables"][name]["parts"]
        paths = ", ".join("'" + os.path.join(warehouse, p["file"]).replace("'", "''") + "'" for p in parts)
        return con.execute(f"SELECT {cols} FROM read_parquet([{paths}], union_by_name = true)").fetchall()

    regions = {}
    for code, name, lvl, parent_code in read("regions", "code, name, level, parent_code"):
        regions[code] = (name, lvl, parent_code)
    penalties = read("penalty", "region_code, decided_date, fine_yuan, confiscated_yuan, leniency, delegated")
    for row in penalties:
        code = row[0]
        if code not in regions and len(code) == 9 and code[:6] in regions:
            regions[code] = (code, "township", code[:6])

    def ancestors(code):
        """The code itself and every region above it."""
        seen = []
        while code is not None and code not in seen:
            seen.append(code)
            code = regions.get(code, (None, None, None))[2]
        return seen

    printed = sorted(
        c for c, (_, lvl, _) in regions.items()
        if lvl == level and (parent is None or (parent in ancestors(c) and c != parent))
    )
    acc = {c: {"townships": 0, "tw": set(), "tc": 0, "tf": decimal.Decimal(0), "dc": 0, "df": decimal.Decimal(0),
               "pc": 0, "f": decimal.Decimal(0), "cf": decimal.Decimal(0), "lc": 0, "lden": 0, "sc": 0}
           for c in printed}
    for c, (_, lvl, _) in regions.items():
        if lvl == "township":
            for a in ancestors(c):
                if a in acc:
                    acc[a]["townships"] += 1
    for code, decided, fine, conf, leniency, delegated in penalties:
        if decided is None or not (start <= decided <= end):
            continue
        is_township = regions.get(code, (None, None, None))[1] == "township"
        for a in ancestors(code):
            if a not in acc:
                continue
            x = acc[a]
            x["pc"] += 1
            x["f"] += fine or 0
            x["cf"] += conf or 0
            if is_township:
                x["tc"] += 1
                x["tf"] += fine or 0
                x["tw"].add(code)
            if delegated is True:
                x["dc"] += 1
                x["df"] += fine or 0
            if leniency is not None:
                x["lden"] += 1
                if leniency in LENIENT:
                    x["lc"] += 1
                if leniency == SEVERE:
                    x["sc"] += 1
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLUMNS)
    label = f"{start.isoformat()}..{end.isoformat()}"
    for c in printed:
        x = acc[c]
        out.writerow([
            label, c, regions[c][0], x["townships"], len(x["tw"]), x["tc"], money(x["tf"]), x["dc"], money(x["df"]),
            x["pc"], money(x["f"]), money(x["cf"]), x["lc"], fmt_float(x["lc"] / x["lden"] if x["lden"] else None), x["sc"],
        ])


if __name__ == "__main__":
    main(sys.argv[1:])
