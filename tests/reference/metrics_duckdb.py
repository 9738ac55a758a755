#!/usr/bin/env python3
"""Independent reference implementation of the docs/metrics.md's metrics table, in DuckDB.

Usage: metrics_duckdb.py WAREHOUSE PERIOD LEVEL [--ytd] [--parent CODE] [--agency-level L]
       LEVEL = province | city | county | township | agency
       PERIOD = 2024 | 2024Q2 | 2024H1 | 2024M05 | 2023-05-30..2024-06-30 (a span)

Written from the definitions alone (docs/metrics.md: vocabularies and metric definitions), without
looking at fuyuan's own SQL, so that `tests/reference_duckdb.rs` can compare the two cell by cell.
It reads `WAREHOUSE/manifest.json` → `tables[name].parts[].file` and queries the Parquet
files directly. Output: CSV on stdout with exactly the documented columns, in its order.

Readings of the docs where its text leaves room (each is marked `READING:` below too):
  * Periods: `2024` = the year, `2024Q2` = a quarter, `2024H1` = a half, `2024M05` = a month; both
    ends inclusive. `--ytd` moves the start to 1 January of the same year. P′ = the same months one
    year earlier (start − 1 year; end = last day of the same month one year earlier, so a February
    end follows that year's month length).
  * First instance = case_type ∈ {行初, 行赔初} (docs/ledgers.md). The warehouse's `first_instance`
    column is checked to agree; a disagreement is an error (exit 3), not silently preferred.
  * "A region's figures include its descendants": a fact counts for a region when the fact's
    region_code is that region or any descendant reached through parent_code chains of any depth.
    A 9-digit code missing from the dimension is a township named by its code under its first 6
    digits (docs/ledgers.md); it is synthesised here if ingest did not store it.
  * `--parent CODE` keeps regions of LEVEL that are strict descendants of CODE (CODE itself is not
    its own descendant).
  * hearings/appeared/spoke/required: all among first-instance cases with hearing_date in P.
    appeared = head_appeared IS TRUE; spoke numerator = head_appeared AND head_spoke (both TRUE);
    required_appearance_rate = (appearance_required AND head_appeared) / (appearance_required);
    unknown (NULL) booleans count as "not true" in numerators and are left out of the
    appearance_required denominator.
  * judgment_loss_rate = lost / (concluded cases with outcome ∈ JUDGMENT); null when that is 0.
  * LEVEL `agency` (fuyuan's `--by agency` with neither --level nor --parent, docs/metrics.md):
    one unit per (region_code, agency name) that appears anywhere in the three tables — the
    litigation defendant (any case type), the reconsideration respondent, the penalising agency —
    with only that agency's own rows, no roll-up; region_name is the agency name; sorted by
    region_code, then name (code-point order).
    With --agency-level L and/or --parent P (fuyuan's `--by agency --level L --parent P`,
    docs/metrics.md): only agencies whose region_code lies at or below a region that
    `--level L --parent P` would print; with --parent alone, P itself and everything below it.
  * A span `A..B` (both ends inclusive): P′ = each end one year earlier, 29 Feb → 28 Feb; --ytd
    does not apply to a span.
  * loss_rate_prev is the overall loss_rate (lost / concluded) computed for P′.
  * loss_rate_change_pp = (loss_rate − loss_rate_prev) × 100; null when either is null.
  * double_decline: null when loss_rate or loss_rate_prev is null; otherwise
    filed < filed_prev AND loss_rate < loss_rate_prev.
  * filed_yoy null when filed_prev = 0.
  * recon_corrected = concluded (closed_date in P) with decision ∈ CORRECTED;
    recon_correction_rate = recon_corrected / (concluded with decision ∈ DECIDED);
    recon_sued_rate = (concluded with sued_after TRUE) / recon_concluded.
  * penalty_cases / fines_yuan / confiscated_yuan: penalty rows with decided_date in P; sums of
    the non-null amounts, 0.00 when none.
  * loss_rank: RANK() by loss_rate ascending over the printed rows with concluded > 0 (so loss_rate
    is not null there); ties (exactly equal floats) share the lowest rank; other rows empty.
  * Formatting: floats as Python repr, whole floats as integers, never exponent notation; money
    with 2 decimals; booleans true/false; null empty; rows sorted by region_code (text order;
    codes of one level have the same length).
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
except ImportError:  # the Rust test looks for this message
    sys.stderr.write("metrics_duckdb.py: the duckdb Python package is missing: run `pip install duckdb`\n")
    sys.exit(9)

COLUMNS = [
    "period", "region_code", "region_name", "filed", "filed_prev", "filed_yoy", "concluded", "lost",
    "loss_rate", "judgment_loss_rate", "loss_rate_prev", "loss_rate_change_pp", "double_decline",
    "hearings", "appeared", "appearance_rate", "spoke_rate", "required_appearance_rate",
    "recon_received", "recon_concluded", "recon_corrected", "recon_correction_rate",
    "recon_sued_rate", "penalty_cases", "fines_yuan", "confiscated_yuan", "loss_rank",
]

# §3 vocabularies.
LOSS = ["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "给付", "赔偿"]
JUDGMENT = LOSS + ["驳回诉讼请求"]
CORRECTED = ["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行"]
RECON_ALL = ["维持", "驳回", "撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "调解", "和解", "终止"]
DECIDED = [d for d in RECON_ALL if d not in ("调解", "和解", "终止")]
FIRST_INSTANCE = ["行初", "行赔初"]
LEVELS = ["province", "city", "county", "township"]


def die(msg, code=2):
    sys.stderr.write(f"metrics_duckdb.py: {msg}\n")
    sys.exit(code)


def month_end(year, month):
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def year_earlier(d):
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def resolve_period(text, ytd):
    """Returns ((start, end), (prev_start, prev_end))."""
    if ".." in text:
        a, b = (x.strip() for x in text.split("..", 1))
        try:
            start, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        except ValueError:
            die(f"bad span {text!r}")
        if end < start:
            die(f"span ends before it starts: {text!r}")
        return (start, end), (year_earlier(start), year_earlier(end))
    t = text.strip().upper()
    m = re.fullmatch(r"(\d{4})(?:(Q)([1-4])|(H)([12])|(M)(\d{1,2}))?", t)
    if not m:
        die(f"bad period {text!r}")
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(3))
        first, last = 3 * q - 2, 3 * q
    elif m.group(4):
        h = int(m.group(5))
        first, last = 6 * h - 5, 6 * h
    elif m.group(6):
        mm = int(m.group(7))
        if not 1 <= mm <= 12:
            die(f"bad month in period {text!r}")
        first, last = mm, mm
    else:
        first, last = 1, 12
    if ytd:
        first = 1  # READING: --ytd = 1 January of P's year to P's end.
    cur = (dt.date(year, first, 1), month_end(year, last))
    prev = (dt.date(year - 1, first, 1), month_end(year - 1, last))
    return cur, prev


def fmt_float(x):
    if x is None:
        return ""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        die(f"non-finite rate {x}", 1)
    if x == int(x):
        return str(int(x))
    r = repr(x)
    if "e" in r or "E" in r:
        r = format(decimal.Decimal(r), "f")
    return r


def fmt_money(x):
    if x is None:
        x = decimal.Decimal(0)
    return format(decimal.Decimal(x).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_EVEN), "f")


def fmt_int(x):
    return "" if x is None else str(int(x))


def fmt_bool(x):
    return "" if x is None else ("true" if x else "false")


def sql_list(values):
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def ratio(num, den):
    return None if not den else num / den


def main(argv):
    args = list(argv)
    ytd = False
    parent = None
    agency_level = None
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--ytd":
            ytd = True
        elif a == "--parent":
            i += 1
            if i >= len(args):
                die("--parent needs a CODE")
            parent = args[i].strip()
        elif a == "--agency-level":
            i += 1
            if i >= len(args) or args[i] not in LEVELS:
                die("--agency-level needs one of " + ", ".join(LEVELS))
            agency_level = args[i]
        elif a.startswith("--parent="):
            parent = a.split("=", 1)[1].strip()
        elif a.startswith("--"):
            die(f"unknown option {a}")
        else:
            pos.append(a)
        i += 1
    if len(pos) != 3:
        die("usage: metrics_duckdb.py WAREHOUSE PERIOD LEVEL [--ytd] [--parent CODE]")
    warehouse, period, level = pos
    agency = level == "agency"
    if level not in LEVELS and not agency:
        die(f"bad level {level!r}")
    if agency_level is not None and not agency:
        die("--agency-level goes with the agency level")
    (p0, p1), (q0, q1) = resolve_period(period, ytd)

    with open(os.path.join(warehouse, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    con = duckdb.connect(":memory:")
    for name in ("litigation", "reconsideration", "penalty", "regions"):
        entry = manifest["tables"].get(name)
        if entry is None:
            die(f"manifest has no table {name}", 3)
        paths = ", ".join("'" + os.path.join(warehouse, p["file"]).replace("'", "''") + "'" for p in entry["parts"])
        con.execute(f"CREATE VIEW {name}_raw AS SELECT * FROM read_parquet([{paths}], union_by_name = true)")

    # Sanity: first_instance column agrees with the case type (docs/ledgers.md).
    bad = con.execute(
        f"""SELECT count(*) FROM litigation_raw
            WHERE first_instance IS DISTINCT FROM (case_type IN {sql_list(FIRST_INSTANCE)})"""
    ).fetchone()[0]
    if bad:
        die(f"{bad} litigation rows whose first_instance column disagrees with case_type", 3)
    dup = con.execute("SELECT count(*) - count(DISTINCT code) FROM regions_raw").fetchone()[0]
    if dup:
        die(f"regions has {dup} duplicate codes", 3)

    # The dimension, plus any 9-digit fact code it lacks (a township named by its code, under
    # its first 6 digits — docs/ledgers.md). Empty parent_code text is treated as none.
    con.execute(
        """CREATE TABLE dim AS
           SELECT trim(code) AS code, name, level, NULLIF(trim(parent_code), '') AS parent_code
           FROM regions_raw"""
    )
    con.execute(
        """INSERT INTO dim
           SELECT DISTINCT c, c, 'township', substr(c, 1, 6) FROM (
               SELECT region_code AS c FROM litigation_raw
               UNION SELECT region_code FROM reconsideration_raw
               UNION SELECT region_code FROM penalty_raw)
           WHERE length(c) = 9 AND c NOT IN (SELECT code FROM dim)"""
    )
    # anc(code, ancestor): every region with itself and all its ancestors, any depth.
    con.execute(
        """CREATE TABLE anc AS
           WITH RECURSIVE a(code, ancestor, depth) AS (
               SELECT code, code, 0 FROM dim
               UNION
               SELECT a.code, d.parent_code, a.depth + 1
               FROM a JOIN dim d ON d.code = a.ancestor
               WHERE d.parent_code IS NOT NULL AND a.depth < 32)
           SELECT DISTINCT code, ancestor FROM a"""
    )
    missing = con.execute(
        """SELECT count(*) FROM (
               SELECT region_code FROM litigation_raw UNION ALL
               SELECT region_code FROM reconsideration_raw UNION ALL
               SELECT region_code FROM penalty_raw)
           WHERE region_code NOT IN (SELECT code FROM dim)"""
    ).fetchone()[0]
    if missing:
        die(f"{missing} fact rows have a region_code outside the dimension", 3)

    # Agency scope: the codes at or below the regions `--level L --parent P` would print (with
    # --parent alone: P and below); None = every agency.
    scope = None
    if agency and (agency_level is not None or parent is not None):
        roots = [r[0] for r in con.execute("SELECT code, level FROM dim").fetchall()
                 if (agency_level is None or r[1] == agency_level)]
        if parent is not None:
            below = {r[0] for r in con.execute("SELECT code FROM anc WHERE ancestor = ?", [parent]).fetchall()}
            roots = [c for c in roots if c in below and (agency_level is None or c != parent)]
        con.execute("CREATE TABLE roots(code VARCHAR)")
        if roots:
            con.executemany("INSERT INTO roots VALUES (?)", [(c,) for c in roots])
        scope = "(SELECT DISTINCT anc.code FROM anc JOIN roots ON anc.ancestor = roots.code)"
    in_scope = "" if scope is None else f"AND region_code IN {scope}"

    # The printed units: regions of the level (key: code), or agencies (key: code, name).
    if agency:
        regions = con.execute(
            f"""SELECT DISTINCT region_code, name FROM (
                   SELECT region_code, defendant AS name FROM litigation_raw
                   UNION ALL SELECT region_code, respondent FROM reconsideration_raw
                   UNION ALL SELECT region_code, agency FROM penalty_raw)
               WHERE true {in_scope}
               ORDER BY region_code, name"""
        ).fetchall()
    else:
        params = [level]
        where = "d.level = ?"
        if parent is not None:
            where += " AND d.code <> ? AND EXISTS (SELECT 1 FROM anc WHERE anc.code = d.code AND anc.ancestor = ?)"
            params += [parent, parent]
        regions = con.execute(f"SELECT d.code, d.name FROM dim d WHERE {where} ORDER BY d.code", params).fetchall()
    con.execute("CREATE TABLE printed(code VARCHAR, name VARCHAR)")
    if regions:
        con.executemany("INSERT INTO printed VALUES (?, ?)", regions)

    def facts(table, alias, name_col, extra=""):
        """FROM/GROUP BY for one fact table: rolled up to the printed regions, or per agency."""
        if agency:
            return (f"{alias}.region_code, {alias}.{name_col}",
                    f"FROM {table} {alias} WHERE true {extra} GROUP BY 1, 2")
        return ("p.code, ''",
                f"FROM printed p JOIN anc a ON a.ancestor = p.code "
                f"JOIN {table} {alias} ON {alias}.region_code = a.code {extra} GROUP BY p.code")

    loss, judg = sql_list(LOSS), sql_list(JUDGMENT)
    corr, decided = sql_list(CORRECTED), sql_list(DECIDED)
    fi = sql_list(FIRST_INSTANCE)

    def between(col, a, b):
        return f"({col} BETWEEN DATE '{a.isoformat()}' AND DATE '{b.isoformat()}')"

    inP = lambda c: between(c, p0, p1)
    inQ = lambda c: between(c, q0, q1)
    cnt = lambda cond: f"count(*) FILTER (WHERE {cond})"

    key, tail = facts("litigation_raw", "l", "defendant", f"AND l.case_type IN {fi}")
    lit = con.execute(
        f"""SELECT {key},
               {cnt(inP('l.filed_date'))},
               {cnt(inQ('l.filed_date'))},
               {cnt(inP('l.closed_date'))},
               {cnt(inP('l.closed_date') + f' AND l.outcome IN {loss}')},
               {cnt(inP('l.closed_date') + f' AND l.outcome IN {judg}')},
               {cnt(inQ('l.closed_date'))},
               {cnt(inQ('l.closed_date') + f' AND l.outcome IN {loss}')},
               {cnt(inP('l.hearing_date'))},
               {cnt(inP('l.hearing_date') + ' AND l.head_appeared IS TRUE')},
               {cnt(inP('l.hearing_date') + ' AND l.head_appeared IS TRUE AND l.head_spoke IS TRUE')},
               {cnt(inP('l.hearing_date') + ' AND l.appearance_required IS TRUE')},
               {cnt(inP('l.hearing_date') + ' AND l.appearance_required IS TRUE AND l.head_appeared IS TRUE')}
           {tail}"""
    ).fetchall()
    key, tail = facts("reconsideration_raw", "r", "respondent")
    rec = con.execute(
        f"""SELECT {key},
               {cnt(inP('r.received_date'))},
               {cnt(inP('r.closed_date'))},
               {cnt(inP('r.closed_date') + f' AND r.decision IN {corr}')},
               {cnt(inP('r.closed_date') + f' AND r.decision IN {decided}')},
               {cnt(inP('r.closed_date') + ' AND r.sued_after IS TRUE')}
           {tail}"""
    ).fetchall()
    key, tail = facts("penalty_raw", "x", "agency", f"AND {inP('x.decided_date')}")
    pen = con.execute(
        f"""SELECT {key}, count(*), sum(x.fine_yuan), sum(x.confiscated_yuan)
           {tail}"""
    ).fetchall()
    lit = {(r[0], r[1]): r[2:] for r in lit}
    rec = {(r[0], r[1]): r[2:] for r in rec}
    pen = {(r[0], r[1]): r[2:] for r in pen}

    period_text = f"{p0.isoformat()}..{p1.isoformat()}"
    rows = []
    for code, name in regions:
        k = (code, name if agency else "")
        (filed, filed_prev, concluded, lost, judged, concluded_prev, lost_prev,
         hearings, appeared, spoke, required, required_appeared) = lit.get(k, (0,) * 12)
        received, r_concluded, r_corrected, r_decided, r_sued = rec.get(k, (0,) * 5)
        pcases, fines, confiscated = pen.get(k, (0, None, None))
        loss_rate = ratio(lost, concluded)
        loss_rate_prev = ratio(lost_prev, concluded_prev)
        change = None if loss_rate is None or loss_rate_prev is None else (loss_rate - loss_rate_prev) * 100
        dd = None if loss_rate is None or loss_rate_prev is None else (filed < filed_prev and loss_rate < loss_rate_prev)
        rows.append({
            "period": period_text, "region_code": code, "region_name": name,
            "filed": filed, "filed_prev": filed_prev,
            "filed_yoy": None if filed_prev == 0 else (filed - filed_prev) / filed_prev,
            "concluded": concluded, "lost": lost, "loss_rate": loss_rate,
            "judgment_loss_rate": ratio(lost, judged),
            "loss_rate_prev": loss_rate_prev, "loss_rate_change_pp": change, "double_decline": dd,
            "hearings": hearings, "appeared": appeared,
            "appearance_rate": ratio(appeared, hearings), "spoke_rate": ratio(spoke, appeared),
            "required_appearance_rate": ratio(required_appeared, required),
            "recon_received": received, "recon_concluded": r_concluded, "recon_corrected": r_corrected,
            "recon_correction_rate": ratio(r_corrected, r_decided),
            "recon_sued_rate": ratio(r_sued, r_concluded),
            "penalty_cases": pcases, "fines_yuan": fines, "confiscated_yuan": confiscated,
            "loss_rank": None,
        })
    # --- Reported peer figures (docs/ledgers.md (court list)), regions only. READING: a printed region with a
    # peers row whose period is exactly P, and no first-instance litigation row under it with a
    # filed, closed or hearing date in P, takes the reported figures (rates from the report, else
    # lost/concluded or appeared/hearings; counts it lacks are empty; judgment, spoke and
    # required rates empty). The same for P′ gives filed_prev and loss_rate_prev; a reported row
    # without a reported P′ row has both empty. filed_yoy, the change and double_decline follow.
    # Ranked when it has a loss rate.
    peers_entry = manifest["tables"].get("peers")
    if not agency and peers_entry and peers_entry["parts"]:
        ppaths = ", ".join("'" + os.path.join(warehouse, p["file"]).replace("'", "''") + "'" for p in peers_entry["parts"])
        reported = {}
        for row in con.execute(
            f"""SELECT region_code, period, filed, concluded, lost, loss_rate, hearings, appeared, appearance_rate
                FROM read_parquet([{ppaths}], union_by_name = true)"""
        ).fetchall():
            reported[(row[0], row[1])] = row[2:]

        def active(a, b):
            got = con.execute(
                f"""SELECT DISTINCT p.code FROM printed p JOIN anc ON anc.ancestor = p.code
                    JOIN litigation_raw l ON l.region_code = anc.code
                    WHERE l.case_type IN {fi} AND ({between('l.filed_date', a, b)} OR {between('l.closed_date', a, b)}
                          OR {between('l.hearing_date', a, b)})"""
            ).fetchall()
            return {g[0] for g in got}

        act_p, act_q = active(p0, p1), active(q0, q1)
        span_p = f"{p0.isoformat()}..{p1.isoformat()}"
        span_q = f"{q0.isoformat()}..{q1.isoformat()}"

        def rate_of(rate, num, den):
            if rate is not None:
                return rate
            return None if num is None or den is None or den == 0 else num / den

        for r in rows:
            code = r["region_code"]
            cur = reported.get((code, span_p)) if code not in act_p else None
            prev = reported.get((code, span_q)) if code not in act_q else None
            if cur is not None:
                f, c, l, lr, h, a, ar = cur
                r.update({"filed": f, "concluded": c, "lost": l, "loss_rate": rate_of(lr, l, c),
                          "judgment_loss_rate": None, "hearings": h, "appeared": a,
                          "appearance_rate": rate_of(ar, a, h), "spoke_rate": None,
                          "required_appearance_rate": None, "filed_prev": None, "loss_rate_prev": None})
            if prev is not None:
                f, c, l, lr = prev[:4]
                r.update({"filed_prev": f, "loss_rate_prev": rate_of(lr, l, c)})
            if cur is not None or prev is not None:
                fp, fl, lr, lrp = r["filed_prev"], r["filed"], r["loss_rate"], r["loss_rate_prev"]
                r["filed_yoy"] = None if fl is None or not fp else (fl - fp) / fp
                r["loss_rate_change_pp"] = None if lr is None or lrp is None else (lr - lrp) * 100
                r["double_decline"] = (None if lr is None or lrp is None or fl is None or fp is None
                                       else (fl < fp and lr < lrp))
            r["_reported"] = cur is not None
    # RANK(): 1 + number of ranked rows with a strictly smaller loss_rate.
    ranked = [r for r in rows if (r["loss_rate"] is not None if r.get("_reported") else r["concluded"] > 0)]
    for r in ranked:
        r["loss_rank"] = 1 + sum(1 for o in ranked if o["loss_rate"] < r["loss_rate"])

    floats = {"filed_yoy", "loss_rate", "judgment_loss_rate", "loss_rate_prev", "loss_rate_change_pp",
              "appearance_rate", "spoke_rate", "required_appearance_rate", "recon_correction_rate",
              "recon_sued_rate"}
    money = {"fines_yuan", "confiscated_yuan"}
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        out = []
        for c in COLUMNS:
            v = r[c]
            if c in floats:
                out.append(fmt_float(v))
            elif c in money:
                out.append(fmt_money(v))
            elif c == "double_decline":
                out.append(fmt_bool(v))
            elif c in ("period", "region_code", "region_name"):
                out.append("" if v is None else str(v))
            else:
                out.append(fmt_int(v))
        w.writerow(out)


if __name__ == "__main__":
    main(sys.argv[1:])
