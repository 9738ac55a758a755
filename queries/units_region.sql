-- Units for `fuyuan metrics --level L [--parent P]`: every region of level L (below P when
-- given), activity or not. A region's figures include its descendants, so each case counts for
-- every printed region it lies in (itself or an ancestor).
CREATE VIEW units AS
SELECT r.code AS unit_id, r.code AS region_code, r.name AS region_name
FROM regions r
WHERE r.level = '${level}'
  AND ('${parent}' = ''
       OR r.code IN (SELECT code FROM region_closure WHERE ancestor = '${parent}' AND code <> '${parent}'));

CREATE VIEW unit_members AS
SELECT c.code, c.ancestor AS unit_id
FROM region_closure c JOIN units u ON c.ancestor = u.unit_id;

CREATE VIEW litigation_u AS
SELECT m.unit_id, l.* FROM litigation_cases l JOIN unit_members m ON l.region_code = m.code;

CREATE VIEW reconsideration_u AS
SELECT m.unit_id, r.* FROM reconsideration_cases r JOIN unit_members m ON r.region_code = m.code;

CREATE VIEW penalty_u AS
SELECT m.unit_id, p.* FROM penalty p JOIN unit_members m ON p.region_code = m.code;

-- Penalty rows in P per unit, summed per region code first: a few hundred codes join the unit
-- members instead of millions of rows (sums of sums are the same exact decimals; the cast keeps
-- the type a single SUM gives).
CREATE VIEW penalty_period AS
SELECT m.unit_id,
  SUM(g.n) AS penalty_cases,
  CAST(SUM(g.fines) AS DECIMAL(28, 2)) AS fines_yuan,
  CAST(SUM(g.confiscated) AS DECIMAL(28, 2)) AS confiscated_yuan
FROM (
  SELECT region_code, COUNT(*) AS n, SUM(fine_yuan) AS fines, SUM(confiscated_yuan) AS confiscated
  FROM penalty
  WHERE decided_date BETWEEN DATE '${start}' AND DATE '${end}'
  GROUP BY region_code
) g
JOIN unit_members m ON g.region_code = m.code
GROUP BY m.unit_id;

-- The metrics table's units with their penalty figures (queries/metrics.sql reads this view).
CREATE VIEW units_metrics AS
SELECT u.unit_id, u.region_code, u.region_name, p.penalty_cases, p.fines_yuan, p.confiscated_yuan
FROM units u LEFT JOIN penalty_period p ON p.unit_id = u.unit_id;
