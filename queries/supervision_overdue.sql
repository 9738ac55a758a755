-- 逾期未整改 as of the period's end (${end}): supervision rows in region ${region} (or below)
-- issued by then whose deadline is on or before it, without a rectification reported by then
-- (the overdue column of the supervision table counts those whose deadline lies in the period).
SELECT s.agency, s.region_code, g.name AS region_name, s.doc_no, s.action,
  CAST(s.issued_date AS VARCHAR) AS issued_date, CAST(s.deadline AS VARCHAR) AS deadline
FROM supervision s
JOIN regions g ON g.code = s.region_code
WHERE s.region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
  AND s.issued_date <= DATE '${end}'
  AND s.deadline <= DATE '${end}'
  AND (s.rectified_date IS NULL OR s.rectified_date > DATE '${end}')
ORDER BY 7, 2, 1, 4
