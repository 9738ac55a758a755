-- Reconsideration cases concluded in P within a region, for drill-down from the correction rate.
SELECT
  r.case_no, r.respondent, r.region_code, r.domain,
  CAST(r.received_date AS VARCHAR) AS received_date,
  CAST(r.closed_date AS VARCHAR) AS closed_date,
  r.decision, r.is_corrected, r.is_decided, r.sued_after
FROM reconsideration_cases r
WHERE r.closed_date BETWEEN DATE '${start}' AND DATE '${end}'
  AND r.region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
ORDER BY r.region_code, r.case_no
