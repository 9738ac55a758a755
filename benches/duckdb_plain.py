#!/usr/bin/env python3
"""The plain DuckDB baseline: what an analyst who picked DuckDB instead of fuyuan would write.

    python3 benches/duckdb_plain.py ingest OUT_DIR REGIONS_CSV... -- PENALTY_OR_LITIGATION_CSV...
    python3 benches/duckdb_plain.py metrics WAREHOUSE county|agency YEAR

One DuckDB connection in this process; only the work is timed (`time.perf_counter()` around the
`con.execute` calls, not the interpreter start or `import duckdb`). The last line printed is
`seconds S` for bench.py, which measures this process's peak memory itself (ru_maxrss).

ingest   per ledger: `read_csv(all_varchar = true)`, the columns renamed, dates made ISO by
         `replace` and cast (the forms the sample ledgers use), amounts with `TRY_CAST` (thousands
         separators and 元 removed, ×10,000 for a (万元) header), yes/no cells by a CASE, 12-digit
         codes cut to 9 or 6 digits, rows whose region code is not in the regions dimension
         dropped; `COPY … TO` one Parquet file per ledger. No rejects file, no line numbers, no
         key upsert, no masking, no vocabulary mapping: that is what makes it plain.
metrics  one year's figures of the metrics table, in one query: a `GROUP BY` with `FILTER`
         clauses per ledger over the warehouse's Parquet parts (named by its manifest), joined to
         the units. county = every county of the dimension, with its townships (a 9-digit code
         under its first 6 digits); agency = (region code, agency name) of the three ledgers.
         Litigation counts first-instance cases. On the sample warehouse this gives fuyuan's
         figures except `double_decline`, where SQL's `false AND NULL` is false (fuyuan: empty).
"""
import json
import os
import sys
import time

import duckdb

YES = "('是', 'Y', 'y', '1', 'true', '√')"
NO = "('否', 'N', 'n', '0', 'false', '×')"


def pick(cols, *names):
    """The file's header among the names a ledger of that kind uses (a unit suffix allowed)."""
    for n in names:
        for c in cols:
            if c.lstrip("\ufeff").split("(")[0].split("（")[0].strip() == n:
                return c
    return None


def q(c):
    return "NULL" if c is None else '"' + c.replace('"', '""') + '"'


def date(c):
    # The forms the ledgers use (2024-05-30, 2024/5/30, 2024.5.30, 2024年5月30日, 20240530) made
    # ISO and cast, rather than `try_strptime` over a list of formats (slower in DuckDB 2.0).
    x = f"replace(replace(replace(replace(replace(trim({q(c)}), '/', '-'), '.', '-'), '年', '-'), '月', '-'), '日', '')"
    return f"TRY_CAST(CASE WHEN contains({x}, '-') THEN {x} ELSE left({x}, 4) || '-' || substr({x}, 5, 2) || '-' || right({x}, 2) END AS DATE)"


def amount(c):
    if c is None:
        return "NULL::DECIMAL(18,2)"
    scale = " * 10000" if "万元" in c else ""
    return f"(TRY_CAST(replace(replace(trim({q(c)}), ',', ''), '元', '') AS DECIMAL(18,6)){scale})::DECIMAL(18,2)"


def boolean(c):
    if c is None:
        return "NULL::BOOLEAN"
    return f"CASE WHEN trim({q(c)}) IN {YES} THEN true WHEN trim({q(c)}) IN {NO} THEN false END"


def code(c):
    # A 12-digit statistical code names the 9- or 6-digit region its trailing zeros leave.
    v = f"trim({q(c)})"
    return (f"CASE WHEN length({v}) = 12 THEN CASE WHEN right({v}, 6) = '000000' THEN left({v}, 6) "
            f"ELSE left({v}, 9) END ELSE {v} END")


def select_penalty(cols):
    return f"""SELECT trim({q(pick(cols, '处罚决定书文号', '决定书文号', '文号'))}) AS decision_no,
      trim({q(pick(cols, '执法机关', '处罚机关', '实施机关'))}) AS agency,
      {code(pick(cols, '行政区划代码', '区划代码'))} AS region_code,
      trim({q(pick(cols, '执法领域', '管理领域'))}) AS domain,
      {date(pick(cols, '处罚决定日期', '决定日期'))} AS decided_date,
      trim({q(pick(cols, '处罚种类'))}) AS penalty_kind,
      {amount(pick(cols, '罚款金额'))} AS fine_yuan,
      {amount(pick(cols, '没收金额', '没收违法所得'))} AS confiscated_yuan,
      trim({q(pick(cols, '裁量情形'))}) AS leniency,
      {boolean(pick(cols, '赋权事项', '是否赋权'))} AS delegated"""


def select_litigation(cols):
    return f"""SELECT trim({q(pick(cols, '案号'))}) AS case_no,
      trim({q(pick(cols, '审理法院', '法院'))}) AS court,
      trim({q(pick(cols, '被告', '被告行政机关', '被诉行政机关'))}) AS defendant,
      {code(pick(cols, '行政区划代码', '区划代码', '被告所属区划'))} AS region_code,
      trim({q(pick(cols, '管理领域', '行政管理领域', '案件领域'))}) AS domain,
      trim({q(pick(cols, '被诉行为', '行为类别'))}) AS action_type,
      {date(pick(cols, '立案日期', '收案日期'))} AS filed_date,
      {date(pick(cols, '结案日期', '审结日期', '结案时间'))} AS closed_date,
      trim({q(pick(cols, '裁判结果', '结案方式', '判决结果'))}) AS outcome,
      {date(pick(cols, '开庭日期', '开庭时间'))} AS hearing_date,
      {boolean(pick(cols, '负责人出庭', '负责人是否出庭', '负责人是否出庭应诉'))} AS head_appeared,
      {boolean(pick(cols, '负责人出声', '出庭出声'))} AS head_spoke,
      {boolean(pick(cols, '应当出庭', '通知出庭'))} AS appearance_required,
      {boolean(pick(cols, '经复议', '是否经复议'))} AS reconsidered"""


def ingest(out_dir, regions, ledgers):
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute("CREATE TABLE dim AS SELECT DISTINCT code FROM read_csv(?, all_varchar = true)", [regions])
    for i, path in enumerate(ledgers):
        src = f"read_csv('{path}', all_varchar = true, header = true)"
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
        select = select_penalty(cols) if pick(cols, "处罚决定书文号", "决定书文号", "文号") else select_litigation(cols)
        out = os.path.join(out_dir, f"plain_{i}.parquet")
        con.execute(f"""COPY (SELECT * FROM ({select} FROM {src}) t
                              WHERE region_code IN (SELECT code FROM dim) OR left(region_code, 6) IN (SELECT code FROM dim))
                        TO '{out}' (FORMAT parquet)""")
    return time.perf_counter() - started


def parts(wh, table):
    with open(os.path.join(wh, "manifest.json"), encoding="utf-8") as f:
        files = [os.path.join(wh, p["file"]) for p in json.load(f)["tables"][table]["parts"]]
    return "[" + ", ".join(f"'{p}'" for p in files) + "]"


def metrics(wh, level, year):
    p, pp = (f"DATE '{year}-01-01'", f"DATE '{year}-12-31'"), (f"DATE '{year - 1}-01-01'", f"DATE '{year - 1}-12-31'")
    inp = lambda c, s=p: f"{c} BETWEEN {s[0]} AND {s[1]}"  # noqa: E731
    lit, rec, pen, reg = (parts(wh, t) for t in ("litigation", "reconsideration", "penalty", "regions"))
    loss = "('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿')"
    judged = loss[:-1] + ", '驳回诉讼请求')"
    corrected = "('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行')"
    decided = corrected[:-1] + ", '维持', '驳回')"
    if level == "county":
        units = f"SELECT code AS region_code, name AS region_name FROM read_parquet({reg}) WHERE level = 'county'"
        # A case counts for the county it names, or the county of its township (first 6 digits).
        src = lambda t: f"(SELECT left(region_code, 6) AS u_code, * FROM read_parquet({t}))"  # noqa: E731
        unit = {t: "u_code" for t in ("l", "r", "p")}
        on = ""
    else:
        units = "SELECT u_code AS region_code, u_name AS region_name FROM l UNION SELECT u_code, u_name FROM r UNION SELECT u_code, u_name FROM p"
        src = lambda t: f"read_parquet({t})"  # noqa: E731
        unit = {t: f"region_code AS u_code, {n} AS u_name" for t, n in (("l", "defendant"), ("r", "respondent"), ("p", "agency"))}
        on = "AND {t}.u_name = u.region_name"
    sql = f"""
WITH l AS (
  SELECT {unit['l']},
    count(*) FILTER (first_instance AND {inp('filed_date')}) AS filed,
    count(*) FILTER (first_instance AND {inp('filed_date', pp)}) AS filed_prev,
    count(*) FILTER (first_instance AND {inp('closed_date')}) AS concluded,
    count(*) FILTER (first_instance AND {inp('closed_date')} AND outcome IN {loss}) AS lost,
    count(*) FILTER (first_instance AND {inp('closed_date')} AND outcome IN {judged}) AS judged,
    count(*) FILTER (first_instance AND {inp('closed_date', pp)}) AS concluded_prev,
    count(*) FILTER (first_instance AND {inp('closed_date', pp)} AND outcome IN {loss}) AS lost_prev,
    count(*) FILTER (first_instance AND {inp('hearing_date')}) AS hearings,
    count(*) FILTER (first_instance AND {inp('hearing_date')} AND head_appeared) AS appeared,
    count(*) FILTER (first_instance AND {inp('hearing_date')} AND head_appeared AND head_spoke) AS spoke,
    count(*) FILTER (first_instance AND {inp('hearing_date')} AND appearance_required) AS required,
    count(*) FILTER (first_instance AND {inp('hearing_date')} AND appearance_required AND head_appeared) AS required_appeared
  FROM {src(lit)} a GROUP BY ALL),
r AS (
  SELECT {unit['r']},
    count(*) FILTER ({inp('received_date')}) AS recon_received,
    count(*) FILTER ({inp('closed_date')}) AS recon_concluded,
    count(*) FILTER ({inp('closed_date')} AND decision IN {corrected}) AS recon_corrected,
    count(*) FILTER ({inp('closed_date')} AND decision IN {decided}) AS recon_decided,
    count(*) FILTER ({inp('closed_date')} AND sued_after) AS recon_sued
  FROM {src(rec)} a GROUP BY ALL),
p AS (
  SELECT {unit['p']},
    count(*) FILTER ({inp('decided_date')}) AS penalty_cases,
    sum(fine_yuan) FILTER ({inp('decided_date')}) AS fines_yuan,
    sum(confiscated_yuan) FILTER ({inp('decided_date')}) AS confiscated_yuan
  FROM {src(pen)} a GROUP BY ALL),
u AS ({units}),
c AS (
  SELECT u.region_code, u.region_name,
    COALESCE(filed, 0) AS filed, COALESCE(filed_prev, 0) AS filed_prev, COALESCE(concluded, 0) AS concluded,
    COALESCE(lost, 0) AS lost, judged, concluded_prev, lost_prev, COALESCE(hearings, 0) AS hearings,
    COALESCE(appeared, 0) AS appeared, spoke, required, required_appeared,
    COALESCE(recon_received, 0) AS recon_received, COALESCE(recon_concluded, 0) AS recon_concluded,
    COALESCE(recon_corrected, 0) AS recon_corrected, recon_decided, recon_sued,
    COALESCE(penalty_cases, 0) AS penalty_cases, COALESCE(fines_yuan, 0) AS fines_yuan,
    COALESCE(confiscated_yuan, 0) AS confiscated_yuan
  FROM u
  LEFT JOIN l ON l.u_code = u.region_code {on.format(t='l')}
  LEFT JOIN r ON r.u_code = u.region_code {on.format(t='r')}
  LEFT JOIN p ON p.u_code = u.region_code {on.format(t='p')})
SELECT '{year}-01-01..{year}-12-31' AS period, region_code, region_name, filed, filed_prev,
  (filed - filed_prev) / nullif(filed_prev, 0) AS filed_yoy, concluded, lost,
  lost / nullif(concluded, 0) AS loss_rate, lost / nullif(judged, 0) AS judgment_loss_rate,
  lost_prev / nullif(concluded_prev, 0) AS loss_rate_prev,
  (lost / nullif(concluded, 0) - lost_prev / nullif(concluded_prev, 0)) * 100 AS loss_rate_change_pp,
  filed < filed_prev AND lost / nullif(concluded, 0) < lost_prev / nullif(concluded_prev, 0) AS double_decline,
  hearings, appeared, appeared / nullif(hearings, 0) AS appearance_rate, spoke / nullif(appeared, 0) AS spoke_rate,
  required_appeared / nullif(required, 0) AS required_appearance_rate,
  recon_received, recon_concluded, recon_corrected, recon_corrected / nullif(recon_decided, 0) AS recon_correction_rate,
  recon_sued / nullif(recon_concluded, 0) AS recon_sued_rate, penalty_cases, fines_yuan, confiscated_yuan,
  CASE WHEN concluded > 0 THEN rank() OVER (PARTITION BY concluded > 0 ORDER BY lost / concluded) END AS loss_rank
FROM c ORDER BY region_code, region_name"""
    con = duckdb.connect()
    started = time.perf_counter()
    rows = con.execute(sql).fetchall()
    seconds = time.perf_counter() - started
    print(f"rows {len(rows)}", file=sys.stderr)
    return seconds


def main():
    stage = sys.argv[1]
    if stage == "ingest":
        out_dir, rest = sys.argv[2], sys.argv[3:]
        regions_csvs, ledgers = rest[: rest.index("--")], rest[rest.index("--") + 1 :]
        seconds = ingest(out_dir, regions_csvs, ledgers)
    elif stage == "metrics":
        seconds = metrics(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"duckdb_plain.py: unknown stage {stage}")
    print(f"seconds {seconds:.6f}")


if __name__ == "__main__":
    main()
