-- Units for `fuyuan metrics --by agency [--level L] [--parent P]`: one unit per agency (the
-- defendant, respondent or penalising agency, by name within its region code). Agencies are
-- listed when their region is one of the regions `--level L --parent P` would print, or lies
-- below one; with no --level, P and everything below it; with neither, every agency.
CREATE VIEW agency_scope AS
SELECT DISTINCT c.code
FROM region_closure c JOIN regions r ON c.ancestor = r.code
WHERE ('${level}' = '' OR r.level = '${level}')
  AND ('${parent}' = ''
       OR r.code IN (SELECT code FROM region_closure
                     WHERE ancestor = '${parent}' AND ('${level}' = '' OR code <> '${parent}')));

-- With neither --level nor --parent every agency is listed: `${all_agencies}` is then `true`, so
-- the scope test folds away instead of probing millions of penalty rows against the scope.
CREATE VIEW litigation_u AS
SELECT l.region_code || '|' || l.defendant AS unit_id, l.*
FROM litigation_cases l WHERE ${all_agencies} OR l.region_code IN (SELECT code FROM agency_scope);

CREATE VIEW reconsideration_u AS
SELECT r.region_code || '|' || r.respondent AS unit_id, r.*
FROM reconsideration_cases r WHERE ${all_agencies} OR r.region_code IN (SELECT code FROM agency_scope);

-- The metrics table's units with their penalty figures (queries/metrics.sql reads this view):
-- one pass over the penalty ledger finds its agencies (of every year: an agency is listed with
-- or without cases in P) and counts and sums their rows in P at once; the agencies that appear
-- only in litigation or reconsideration are joined in after.
CREATE VIEW penalty_agencies AS
SELECT region_code, agency AS name,
  COUNT(*) FILTER (WHERE decided_date BETWEEN DATE '${start}' AND DATE '${end}') AS penalty_cases,
  SUM(fine_yuan) FILTER (WHERE decided_date BETWEEN DATE '${start}' AND DATE '${end}') AS fines_yuan,
  SUM(confiscated_yuan) FILTER (WHERE decided_date BETWEEN DATE '${start}' AND DATE '${end}') AS confiscated_yuan
FROM penalty
WHERE ${all_agencies} OR region_code IN (SELECT code FROM agency_scope)
GROUP BY region_code, agency;

CREATE VIEW units_metrics AS
SELECT region_code || '|' || region_name AS unit_id, region_code, region_name, penalty_cases, fines_yuan, confiscated_yuan FROM (
  SELECT COALESCE(p.region_code, o.region_code) AS region_code, COALESCE(p.name, o.name) AS region_name,
    p.penalty_cases, p.fines_yuan, p.confiscated_yuan
  FROM penalty_agencies p
  FULL OUTER JOIN (
    SELECT region_code, name FROM (
      SELECT region_code, defendant AS name FROM litigation_u
      UNION ALL
      SELECT region_code, respondent AS name FROM reconsideration_u
    ) a
    GROUP BY region_code, name
  ) o ON p.region_code = o.region_code AND p.name = o.name
) j;

-- The agencies alone (supervision reads them); the optimizer drops the unused sums.
CREATE VIEW units AS
SELECT unit_id, region_code, region_name FROM units_metrics;
