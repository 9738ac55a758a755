-- `fuyuan reconcile --summary`: one row per unit of the `units` view (units_region.sql), a
-- region's figures including its descendants. The scope is every region's (reconcile_views.sql
-- rendered with no region); each case is then counted where the side named below places it:
-- court_cases, missing_in_ledger, court_lost by the court's region_code; ledger_cases, matched,
-- missing_in_court, mismatched_cases, loss_not_reported, ledger_lost by the ledger's.
WITH
court_side AS (
  SELECT m.unit_id,
    SUM(CASE WHEN c.filed_date BETWEEN DATE '${start}' AND DATE '${end}' OR c.closed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS cases,
    -- LOSS (败诉) = 撤销 部分撤销 变更 确认违法 确认无效 责令履行 给付 赔偿
    SUM(CASE WHEN c.closed_date BETWEEN DATE '${start}' AND DATE '${end}'
              AND c.outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿') THEN 1 ELSE 0 END) AS lost
  FROM court c JOIN unit_members m ON c.region_code = m.code
  WHERE c.first_instance
  GROUP BY m.unit_id
),
ledger_side AS (
  SELECT m.unit_id,
    SUM(CASE WHEN l.filed_date BETWEEN DATE '${start}' AND DATE '${end}' OR l.closed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS cases,
    SUM(CASE WHEN l.closed_date BETWEEN DATE '${start}' AND DATE '${end}'
              AND l.outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿') THEN 1 ELSE 0 END) AS lost
  FROM litigation l JOIN unit_members m ON l.region_code = m.code
  WHERE l.first_instance
  GROUP BY m.unit_id
),
-- Per case in scope: matched, and which kinds of discrepancy it has.
per_case AS (
  SELECT p.case_no, p.ledger_region_code, p.court_region_code,
    p.in_ledger AND p.in_court AS matched,
    COALESCE(MAX(CASE WHEN r.kind IN ('mismatch', 'loss_not_reported') THEN 1 ELSE 0 END), 0) AS mismatched,
    COALESCE(MAX(CASE WHEN r.kind = 'loss_not_reported' THEN 1 ELSE 0 END), 0) AS loss_not_reported,
    COALESCE(MAX(CASE WHEN r.kind = 'missing_in_court' THEN 1 ELSE 0 END), 0) AS missing_in_court,
    COALESCE(MAX(CASE WHEN r.kind = 'missing_in_ledger' THEN 1 ELSE 0 END), 0) AS missing_in_ledger
  FROM reconcile_pairs p LEFT JOIN reconcile_rows r ON r.case_no = p.case_no
  GROUP BY p.case_no, p.ledger_region_code, p.court_region_code, p.in_ledger, p.in_court
),
by_ledger AS (
  SELECT m.unit_id,
    SUM(CASE WHEN x.matched THEN 1 ELSE 0 END) AS matched,
    SUM(x.missing_in_court) AS missing_in_court,
    SUM(x.mismatched) AS mismatched_cases,
    SUM(x.loss_not_reported) AS loss_not_reported
  FROM per_case x JOIN unit_members m ON x.ledger_region_code = m.code
  GROUP BY m.unit_id
),
by_court AS (
  SELECT m.unit_id, SUM(x.missing_in_ledger) AS missing_in_ledger
  FROM per_case x JOIN unit_members m ON x.court_region_code = m.code
  GROUP BY m.unit_id
)
SELECT '${period}' AS period, u.region_code, u.region_name,
  CAST(COALESCE(cs.cases, 0) AS BIGINT) AS court_cases,
  CAST(COALESCE(ls.cases, 0) AS BIGINT) AS ledger_cases,
  CAST(COALESCE(bl.matched, 0) AS BIGINT) AS matched,
  CAST(COALESCE(bc.missing_in_ledger, 0) AS BIGINT) AS missing_in_ledger,
  CAST(COALESCE(bl.missing_in_court, 0) AS BIGINT) AS missing_in_court,
  CAST(COALESCE(bl.mismatched_cases, 0) AS BIGINT) AS mismatched_cases,
  CAST(COALESCE(bl.loss_not_reported, 0) AS BIGINT) AS loss_not_reported,
  CAST(COALESCE(cs.lost, 0) AS BIGINT) AS court_lost,
  CAST(COALESCE(ls.lost, 0) AS BIGINT) AS ledger_lost
FROM units u
LEFT JOIN court_side cs ON cs.unit_id = u.unit_id
LEFT JOIN ledger_side ls ON ls.unit_id = u.unit_id
LEFT JOIN by_ledger bl ON bl.unit_id = u.unit_id
LEFT JOIN by_court bc ON bc.unit_id = u.unit_id
ORDER BY u.region_code
