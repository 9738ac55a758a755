-- The supervision rows behind the dashboard's counts: rows in region ${region} (or below)
-- issued on or before the period's end (${start} .. ${end}), each with the groups it counts in.
SELECT s.doc_no, s.action, s.agency, s.region_code, g.name AS region_name,
  CAST(s.issued_date AS VARCHAR) AS issued_date, CAST(s.deadline AS VARCHAR) AS deadline,
  CAST(s.rectified_date AS VARCHAR) AS rectified_date, s.persons_accountable, s.referred,
  s.issued_date >= DATE '${start}' AS in_period,
  COALESCE(s.deadline BETWEEN DATE '${start}' AND DATE '${end}', false) AS due,
  COALESCE(s.deadline BETWEEN DATE '${start}' AND DATE '${end}' AND s.rectified_date <= s.deadline, false) AS on_time,
  COALESCE(s.deadline BETWEEN DATE '${start}' AND DATE '${end}' AND s.rectified_date > s.deadline
           AND s.rectified_date <= DATE '${end}', false) AS late,
  COALESCE(s.deadline BETWEEN DATE '${start}' AND DATE '${end}'
           AND (s.rectified_date IS NULL OR s.rectified_date > DATE '${end}'), false) AS overdue,
  COALESCE(s.deadline > DATE '${end}' AND (s.rectified_date IS NULL OR s.rectified_date > DATE '${end}'), false) AS open_not_due
FROM supervision s
JOIN regions g ON g.code = s.region_code
WHERE s.region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
  AND s.issued_date <= DATE '${end}'
ORDER BY 6, 1, 3
