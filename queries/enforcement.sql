-- Township enforcement (乡镇综合行政执法), one row per unit of the `units` view
-- (queries/units_region.sql: every region of the level, descendants rolled up).
-- Penalty rows decided in P = ${start} .. ${end}.
-- A township case is a penalty row whose region_code is a township-level region of the
-- dimension (townships ingest named only by a 9-digit code are stored there too).
-- Leniency (裁量情形): lenient = 不予处罚, 减轻处罚, 从轻处罚 (包容审慎监管); severe = 从重处罚;
-- lenient_rate's denominator is the rows with a leniency value, NULL when there are none.
WITH townships_in AS (
  SELECT m.unit_id, COUNT(*) AS townships
  FROM unit_members m JOIN regions r ON r.code = m.code
  WHERE r.level = 'township'
  GROUP BY m.unit_id
),
-- Penalty rows in P summed per region code first, then rolled up to the units: a few hundred
-- codes join the unit members instead of millions of rows (sums of exact decimals are the same;
-- the casts keep the type a single SUM gives).
pen_region AS (
  SELECT region_code,
    COUNT(*) AS n,
    SUM(fine_yuan) AS fines,
    SUM(confiscated_yuan) AS confiscated,
    SUM(CASE WHEN delegated THEN 1 ELSE 0 END) AS delegated_n,
    SUM(CASE WHEN delegated THEN fine_yuan END) AS delegated_fines,
    SUM(CASE WHEN leniency IN ('不予处罚', '减轻处罚', '从轻处罚') THEN 1 ELSE 0 END) AS lenient_n,
    SUM(CASE WHEN leniency IS NOT NULL THEN 1 ELSE 0 END) AS with_leniency_n,
    SUM(CASE WHEN leniency = '从重处罚' THEN 1 ELSE 0 END) AS severe_n
  FROM penalty
  WHERE decided_date BETWEEN DATE '${start}' AND DATE '${end}'
  GROUP BY region_code
),
pen AS (
  SELECT m.unit_id,
    SUM(g.n) AS penalty_cases,
    CAST(SUM(g.fines) AS DECIMAL(28, 2)) AS fines_yuan,
    CAST(SUM(g.confiscated) AS DECIMAL(28, 2)) AS confiscated_yuan,
    COUNT(DISTINCT t.code) AS townships_with_cases,
    SUM(CASE WHEN t.code IS NOT NULL THEN g.n ELSE 0 END) AS township_cases,
    CAST(SUM(CASE WHEN t.code IS NOT NULL THEN g.fines END) AS DECIMAL(28, 2)) AS township_fines_yuan,
    SUM(g.delegated_n) AS delegated_cases,
    CAST(SUM(g.delegated_fines) AS DECIMAL(28, 2)) AS delegated_fines_yuan,
    SUM(g.lenient_n) AS lenient_cases,
    SUM(g.with_leniency_n) AS with_leniency,
    SUM(g.severe_n) AS severe_cases
  FROM pen_region g
  JOIN unit_members m ON g.region_code = m.code
  LEFT JOIN (SELECT code FROM regions WHERE level = 'township') t ON t.code = g.region_code
  GROUP BY m.unit_id
)
SELECT
  '${period}' AS period,
  u.region_code,
  u.region_name,
  COALESCE(ti.townships, 0) AS townships,
  COALESCE(pen.townships_with_cases, 0) AS townships_with_cases,
  COALESCE(pen.township_cases, 0) AS township_cases,
  COALESCE(pen.township_fines_yuan, 0) AS township_fines_yuan,
  COALESCE(pen.delegated_cases, 0) AS delegated_cases,
  COALESCE(pen.delegated_fines_yuan, 0) AS delegated_fines_yuan,
  COALESCE(pen.penalty_cases, 0) AS penalty_cases,
  COALESCE(pen.fines_yuan, 0) AS fines_yuan,
  COALESCE(pen.confiscated_yuan, 0) AS confiscated_yuan,
  COALESCE(pen.lenient_cases, 0) AS lenient_cases,
  CASE WHEN COALESCE(pen.with_leniency, 0) = 0 THEN NULL
       ELSE CAST(pen.lenient_cases AS DOUBLE) / pen.with_leniency END AS lenient_rate,
  COALESCE(pen.severe_cases, 0) AS severe_cases
FROM units u
LEFT JOIN townships_in ti ON ti.unit_id = u.unit_id
LEFT JOIN pen ON pen.unit_id = u.unit_id
ORDER BY u.region_code, u.region_name
