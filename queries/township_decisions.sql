-- The penalty decisions behind the township enforcement figures (the dashboard's drill-down):
-- rows decided in ${start} .. ${end} whose region_code is a township-level region at or below
-- ${region}. The party is stored masked (张某), as everywhere.
SELECT p.region_code, p.decision_no, p.agency, p.decided_date, p.penalty_kind, p.fine_yuan,
  p.leniency, p.delegated, p.party
FROM penalty p
JOIN regions r ON r.code = p.region_code AND r.level = 'township'
JOIN region_closure c ON c.code = p.region_code AND c.ancestor = '${region}'
WHERE p.decided_date BETWEEN DATE '${start}' AND DATE '${end}'
ORDER BY p.region_code, p.decided_date, p.decision_no
