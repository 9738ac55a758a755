#!/usr/bin/env python3
"""Independent reference implementation of the supervision table (`fuyuan supervision`).

Usage: supervision_duckdb.py WAREHOUSE PERIOD LEVEL [--ytd] [--parent CODE]
                             [--letter-losses N] [--letter-corrections N]
       LEVEL = province | city | county | township | agency
       PERIOD = 2024 | 2024Q2 | 2024H1 | 2024M05 | 2021-01-01..2024-06-30

Written from the definitions (the supervision ledger's columns and the table's column
definitions), not from fuyuan's SQL: DuckDB only reads the Parquet parts named in
`WAREHOUSE/manifest.json`; every figure is counted in plain Python over the rows, so that
`tests/supervision.rs` compares two different computations cell by cell.

Readings (where the definitions leave room):
  * A row "in" a region: its region_code is the region or a descendant (parent_code chains of
    any depth); a 9-digit code missing from the dimension is a township under its first 6 digits.
  * --parent CODE keeps the regions of LEVEL that are strict descendants of CODE.
  * Unit (单位) = (agency name, region_code) exactly as written.
  * letters / interviews / circulars: distinct doc_no among rows issued in P with that action.
  * letter_units / interview_units / rectification_units: distinct units among those rows
    (rectification: rows with any deadline, any action).
  * accountability_actions: rows; persons_accountable: sum (null = 0); referred: rows with true.
  * due: rows issued on or before P's end whose deadline lies in P; on time: rectified_date ≤
    deadline; late: deadline < rectified_date ≤ P's end; overdue: the others of due.
  * open_not_due: rows issued on or before P's end, deadline after P's end, not rectified by P's end.
  * flagged unit: first-instance (行初, 行赔初) litigation rows whose defendant/region is the unit,
    closed in P with a LOSS outcome, ≥ letter_losses; or reconsideration rows whose
    respondent/region is the unit, closed in P with a CORRECTED decision, ≥ letter_corrections.
    A region counts the flagged units whose region_code lies in it.
  * flagged_without_action: flagged, with no supervision row of the same unit (any action)
    issued between P's start and P's end + 90 days (inclusive).
  * LEVEL agency (--parent CODE: units whose region is CODE or below it): one row per unit found in the litigation (defendant), the
    reconsideration (respondent), the penalty (agency) or the supervision (agency) table;
    region_name is the agency name; sorted by region_code then name.
  * Integers always printed (0, never empty).
"""
import calendar
import datetime as dt
import json
import os
import re
import sys

try:
    import duckdb
except ImportError:
    sys.stderr.write("supervision_duckdb.py: the duckdb Python package is missing: run `pip install duckdb`\n")
    sys.exit(9)

COLUMNS = [
    "period", "region_code", "region_name", "letters", "letter_units", "rectification_units",
    "interviews", "interview_units", "circulars", "accountability_actions", "persons_accountable",
    "referred", "due", "rectified_on_time", "rectified_late", "overdue", "open_not_due",
    "flagged_units", "flagged_without_action",
]
LOSS = {"撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "给付", "赔偿"}
CORRECTED = {"撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行"}
FIRST_INSTANCE = {"行初", "行赔初"}
LEVELS = ["province", "city", "county", "township"]


def die(msg, code=2):
    sys.stderr.write(f"supervision_duckdb.py: {msg}\n")
    sys.exit(code)


def period_bounds(text, ytd):
    if ".." in text:
        a, b = text.split("..", 1)
        return dt.date.fromisoformat(a.strip()), dt.date.fromisoformat(b.strip())
    m = re.fullmatch(r"(\d{4})(?:Q([1-4])|H([12])|M(\d{1,2}))?", text.strip().upper())
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
    return dt.date(y, first, 1), dt.date(y, last, calendar.monthrange(y, last)[1])


def rows(con, manifest, warehouse, name, columns):
    entry = manifest["tables"].get(name)
    if not entry or not entry["parts"]:
        return []
    paths = ", ".join("'" + os.path.join(warehouse, p["file"]).replace("'", "''") + "'" for p in entry["parts"])
    return con.execute(f"SELECT {', '.join(columns)} FROM read_parquet([{paths}], union_by_name = true)").fetchall()


def main(argv):
    opts = {"--parent": None, "--letter-losses": "2", "--letter-corrections": "2"}
    ytd, pos, i = False, [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--ytd":
            ytd = True
        elif a in opts:
            i += 1
            opts[a] = argv[i]
        else:
            pos.append(a)
        i += 1
    if len(pos) != 3:
        die("usage: supervision_duckdb.py WAREHOUSE PERIOD LEVEL [--ytd] [--parent CODE]")
    warehouse, period, level = pos
    if level not in LEVELS and level != "agency":
        die(f"bad level {level!r}")
    parent = opts["--parent"]
    min_losses, min_corr = int(opts["--letter-losses"]), int(opts["--letter-corrections"])
    p0, p1 = period_bounds(period, ytd)
    until = p1 + dt.timedelta(days=90)
    with open(os.path.join(warehouse, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    con = duckdb.connect(":memory:")

    sup = rows(con, manifest, warehouse, "supervision",
               ["doc_no", "action", "agency", "region_code", "issued_date", "deadline", "rectified_date",
                "persons_accountable", "referred"])
    lit = rows(con, manifest, warehouse, "litigation", ["defendant", "region_code", "case_type", "closed_date", "outcome"])
    rec = rows(con, manifest, warehouse, "reconsideration", ["respondent", "region_code", "closed_date", "decision"])
    pen = rows(con, manifest, warehouse, "penalty", ["agency", "region_code"])
    dim = {c: (n, l, p or None) for c, n, l, p in rows(con, manifest, warehouse, "regions", ["code", "name", "level", "parent_code"])}
    for code in {r[1] for r in lit} | {r[1] for r in rec} | {r[1] for r in pen} | {r[3] for r in sup}:
        if code not in dim:
            if len(code) == 9:
                dim[code] = (code, "township", code[:6])
            else:
                die(f"region {code} not in the dimension", 3)

    def ancestors(code):
        out, c, seen = [], code, set()
        while c is not None and c in dim and c not in seen:
            seen.add(c)
            out.append(c)
            c = dim[c][2]
        return out

    # Units: key → (region_code, region_name); a row maps to the printed keys it counts for.
    if level == "agency":
        names = {(r[1], r[0]) for r in lit} | {(r[1], r[0]) for r in rec} | {(r[1], r[0]) for r in pen} | {(r[3], r[2]) for r in sup}
        # With --parent: the units whose region is CODE or lies below it.
        printed = sorted(n for n in names if parent is None or parent in ancestors(n[0]))
        shown = set(printed)
        keys_of = lambda region, agency: [(region, agency)] if (region, agency) in shown else []
        label = {k: k for k in printed}
    else:
        printed = sorted(c for c, (n, l, p) in dim.items()
                         if l == level and (parent is None or (c != parent and parent in ancestors(c))))
        keyset = set(printed)
        keys_of = lambda region, agency: [a for a in ancestors(region) if a in keyset]
        label = {c: (c, dim[c][0]) for c in printed}

    fig = {k: {c: 0 for c in COLUMNS[3:]} for k in printed}
    docs = {k: {"letters": set(), "interviews": set(), "circulars": set(),
                "letter_units": set(), "interview_units": set(), "rectification_units": set()} for k in printed}
    for doc, action, agency, region, issued, deadline, rectified, persons, referred in sup:
        unit = (agency, region)
        for k in keys_of(region, agency):
            f, d = fig[k], docs[k]
            if p0 <= issued <= p1:
                if action == "监督意见书":
                    d["letters"].add(doc)
                    d["letter_units"].add(unit)
                if action == "约谈":
                    d["interviews"].add(doc)
                    d["interview_units"].add(unit)
                if action == "通报批评":
                    d["circulars"].add(doc)
                if deadline is not None:
                    d["rectification_units"].add(unit)
                if action == "责任追究":
                    f["accountability_actions"] += 1
                f["persons_accountable"] += persons or 0
                if referred is True:
                    f["referred"] += 1
            if issued <= p1 and deadline is not None:
                if p0 <= deadline <= p1:
                    f["due"] += 1
                    if rectified is not None and rectified <= deadline:
                        f["rectified_on_time"] += 1
                    elif rectified is not None and deadline < rectified <= p1:
                        f["rectified_late"] += 1
                    else:
                        f["overdue"] += 1
                elif deadline > p1 and (rectified is None or rectified > p1):
                    f["open_not_due"] += 1
    for k in printed:
        for name, s in docs[k].items():
            fig[k][name] = len(s)

    losses, corrections = {}, {}
    for defendant, region, ctype, closed, outcome in lit:
        if ctype in FIRST_INSTANCE and closed is not None and p0 <= closed <= p1 and outcome in LOSS:
            losses[(defendant, region)] = losses.get((defendant, region), 0) + 1
    for respondent, region, closed, decision in rec:
        if closed is not None and p0 <= closed <= p1 and decision in CORRECTED:
            corrections[(respondent, region)] = corrections.get((respondent, region), 0) + 1
    flagged = {u for u, n in losses.items() if n >= min_losses} | {u for u, n in corrections.items() if n >= min_corr}
    acted = {(agency, region) for _, _, agency, region, issued, *_ in sup if p0 <= issued <= until}
    for agency, region in flagged:
        for k in keys_of(region, agency):
            fig[k]["flagged_units"] += 1
            if (agency, region) not in acted:
                fig[k]["flagged_without_action"] += 1

    span = f"{p0.isoformat()}..{p1.isoformat()}"
    out = sys.stdout
    out.write(",".join(COLUMNS) + "\n")
    for k in printed:
        code, name = label[k]
        cells = [span, code, name] + [str(fig[k][c]) for c in COLUMNS[3:]]
        out.write(",".join('"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\n') else c for c in cells) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
