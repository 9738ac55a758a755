#!/usr/bin/env python3
"""fuyuan's checks re-implemented in DuckDB SQL: the "equivalent checks" ingest side of bench.py.

    python3 benches/duckdb_checks.py PENALTY_CSV,... HENAN_REGIONS_CSV ADDITIONS_CSV OUT_OK OUT_BAD TODAY

Reads the penalty ledgers as text, applies the same casts and checks as fuyuan (required cells,
the accepted date forms and range, amounts with separators/元/万元 and ≥ 0, region codes in the
dimension, the leniency vocabulary, the boolean forms) and writes accepted rows to one Parquet
file and rejected rows, with their reason, to another. Timed by bench.py as a whole process.
"""
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
