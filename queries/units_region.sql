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
