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

-- Every agency in scope: the penalty ledger's of every year (an agency is listed with or
-- without cases in P), from `penalty_units`, the (region code, agency) pairs the ingest recorded
-- with the parts, so that no penalty row is read for the list; then the defendants and the
-- respondents.
CREATE VIEW agency_names AS
SELECT region_code, name FROM (
  SELECT region_code, agency AS name FROM penalty_units
  WHERE ${all_agencies} OR region_code IN (SELECT code FROM agency_scope)
  UNION ALL
  SELECT region_code, defendant AS name FROM litigation_u
  UNION ALL
  SELECT region_code, respondent AS name FROM reconsideration_u
) a
GROUP BY region_code, name;

-- The penalty figures of each agency with rows in P: only P's rows are read (the date filter
-- lets the scan skip the parts of other years by their statistics).
CREATE VIEW penalty_agencies AS
SELECT region_code, agency AS name, COUNT(*) AS penalty_cases, SUM(fine_yuan) AS fines_yuan, SUM(confiscated_yuan) AS confiscated_yuan
FROM penalty
WHERE decided_date BETWEEN DATE '${start}' AND DATE '${end}'
  AND (${all_agencies} OR region_code IN (SELECT code FROM agency_scope))
GROUP BY region_code, agency;

-- The metrics table's units (queries/metrics.sql reads this view): an agency without penalty
-- rows in P has no penalty figures here (metrics.sql counts them as 0).
CREATE VIEW units_metrics AS
SELECT n.region_code || '|' || n.name AS unit_id, n.region_code, n.name AS region_name,
  p.penalty_cases, p.fines_yuan, p.confiscated_yuan
FROM agency_names n
LEFT JOIN penalty_agencies p ON p.region_code = n.region_code AND p.name = n.name;

-- The agencies alone (supervision reads them): no penalty row is read.
CREATE VIEW units AS
SELECT region_code || '|' || name AS unit_id, region_code, name AS region_name FROM agency_names;
