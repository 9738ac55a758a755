-- The court's list (court) against the agencies' ledger (litigation) for P = ${start} .. ${end},
-- first-instance cases only (行初, 行赔初). Keys are unique on each side (last row wins at
-- ingest), so every case number has at most one row per side.
-- ${region}: '' for every region, else the scope is rows whose region_code lies under it.

-- Cases in scope: a case number present on either side whose row, on that side, was filed or
-- closed in P under the region. Each case in scope is then compared row to row whatever the
-- dates of the other side's row.
CREATE OR REPLACE VIEW reconcile_scope AS
SELECT case_no FROM litigation
WHERE first_instance
  AND (filed_date BETWEEN DATE '${start}' AND DATE '${end}' OR closed_date BETWEEN DATE '${start}' AND DATE '${end}')
  AND ('${region}' = '' OR region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}'))
UNION
SELECT case_no FROM court
WHERE first_instance
  AND (filed_date BETWEEN DATE '${start}' AND DATE '${end}' OR closed_date BETWEEN DATE '${start}' AND DATE '${end}')
  AND ('${region}' = '' OR region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}'));

-- Courts the list covers in P: at least one first-instance case of that court code filed or
-- closed in P, in any region. A ledger case of another court is not a discrepancy.
CREATE OR REPLACE VIEW reconcile_covered AS
SELECT DISTINCT court_code FROM court
WHERE first_instance
  AND (filed_date BETWEEN DATE '${start}' AND DATE '${end}' OR closed_date BETWEEN DATE '${start}' AND DATE '${end}');

-- Each case in scope with both sides' values as text: ISO dates, canonical outcomes,
-- 'true'/'false', '' for null (so a null against a value is a difference, null against null is not).
CREATE OR REPLACE VIEW reconcile_pairs AS
SELECT s.case_no,
  l.case_no IS NOT NULL AS in_ledger,
  c.case_no IS NOT NULL AS in_court,
  COALESCE(l.court_code, c.court_code) AS court_code,
  l.region_code AS ledger_region_code,
  c.region_code AS court_region_code,
  COALESCE(l.region_code, c.region_code) AS region_code,
  COALESCE(l.defendant, c.defendant) AS defendant,
  COALESCE(l.defendant, '') AS l_defendant, COALESCE(c.defendant, '') AS c_defendant,
  COALESCE(l.region_code, '') AS l_region_code, COALESCE(c.region_code, '') AS c_region_code,
  COALESCE(CAST(l.filed_date AS VARCHAR), '') AS l_filed_date, COALESCE(CAST(c.filed_date AS VARCHAR), '') AS c_filed_date,
  COALESCE(CAST(l.closed_date AS VARCHAR), '') AS l_closed_date, COALESCE(CAST(c.closed_date AS VARCHAR), '') AS c_closed_date,
  COALESCE(l.outcome, '') AS l_outcome, COALESCE(c.outcome, '') AS c_outcome,
  COALESCE(CAST(l.hearing_date AS VARCHAR), '') AS l_hearing_date, COALESCE(CAST(c.hearing_date AS VARCHAR), '') AS c_hearing_date,
  CASE WHEN l.head_appeared THEN 'true' WHEN NOT l.head_appeared THEN 'false' ELSE '' END AS l_head_appeared,
  CASE WHEN c.head_appeared THEN 'true' WHEN NOT c.head_appeared THEN 'false' ELSE '' END AS c_head_appeared,
  -- LOSS (败诉) = 撤销 部分撤销 变更 确认违法 确认无效 责令履行 给付 赔偿
  COALESCE(c.outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿'), false)
    AND NOT COALESCE(l.outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿'), false)
    AS loss_not_reported
FROM reconcile_scope s
LEFT JOIN (SELECT * FROM litigation WHERE first_instance) l ON l.case_no = s.case_no
LEFT JOIN (SELECT * FROM court WHERE first_instance) c ON c.case_no = s.case_no;

-- One row per discrepancy: the case missing on one side, or one row per differing field, the
-- outcome's row becoming loss_not_reported when the court records a loss the ledger does not.
CREATE OR REPLACE VIEW reconcile_rows AS
SELECT case_no, region_code, defendant, 'missing_in_ledger' AS kind, '' AS field, '' AS ledger_value, '' AS court_value,
  ledger_region_code, court_region_code
FROM reconcile_pairs WHERE NOT in_ledger
UNION ALL
SELECT case_no, region_code, defendant, 'missing_in_court', '', '', '', ledger_region_code, court_region_code
FROM reconcile_pairs WHERE NOT in_court AND court_code IN (SELECT court_code FROM reconcile_covered)
UNION ALL
SELECT case_no, region_code, defendant, 'mismatch', 'defendant', l_defendant, c_defendant, ledger_region_code, court_region_code
FROM reconcile_pairs WHERE in_ledger AND in_court AND l_defendant <> c_defendant
UNION ALL
SELECT case_no, region_code, defendant, 'mismatch', 'region_code', l_region_code, c_region_code, ledger_region_code, court_region_code
FROM reconcile_pairs WHERE in_ledger AND in_court AND l_region_code <> c_region_code
UNION ALL
SELECT case_no, region_code, defendant, 'mismatch', 'filed_date', l_filed_date, c_filed_date, ledger_region_code, court_region_code
FROM reconcile_pairs WHERE in_ledger AND in_court AND l_filed_date <> c_filed_date
UNION ALL
SELECT case_no, region_code, defendant, 'mismatch', 'closed_date', l_closed_date, c_closed_date, ledger_region_code, court_region_code
FROM reconcile_pairs WHERE in_ledger AND in_court AND l_closed_date <> c_closed_date
UNION ALL
SELECT case_no, region_code, defendant, CASE WHEN loss_not_reported THEN 'loss_not_reported' ELSE 'mismatch' END, 'outcome',
  l_outcome, c_outcome, ledger_region_code, court_region_code
FROM reconcile_pairs WHERE in_ledger AND in_court AND l_outcome <> c_outcome
UNION ALL
SELECT case_no, region_code, defendant, 'mismatch', 'hearing_date', l_hearing_date, c_hearing_date, ledger_region_code, court_region_code
FROM reconcile_pairs WHERE in_ledger AND in_court AND l_hearing_date <> c_hearing_date
UNION ALL
SELECT case_no, region_code, defendant, 'mismatch', 'head_appeared', l_head_appeared, c_head_appeared, ledger_region_code, court_region_code
FROM reconcile_pairs WHERE in_ledger AND in_court AND l_head_appeared <> c_head_appeared;
