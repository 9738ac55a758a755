-- The first-instance cases behind a region's figures for P (filed, concluded or heard in P), for
-- drill-down from a rate to its case numbers. No personal names: the plaintiff is not selected.
SELECT
  l.case_no, l.defendant, l.region_code, l.domain, l.action_type,
  CAST(l.filed_date AS VARCHAR) AS filed_date,
  CAST(l.closed_date AS VARCHAR) AS closed_date,
  l.outcome,
  CAST(l.hearing_date AS VARCHAR) AS hearing_date,
  l.head_appeared, l.head_spoke, l.appearance_required, l.loss_reason,
  l.filed_date BETWEEN DATE '${start}' AND DATE '${end}' AS filed_in_period,
  COALESCE(l.closed_date BETWEEN DATE '${start}' AND DATE '${end}', false) AS concluded_in_period,
  COALESCE(l.closed_date BETWEEN DATE '${start}' AND DATE '${end}', false) AND l.is_loss AS lost_in_period,
  COALESCE(l.hearing_date BETWEEN DATE '${start}' AND DATE '${end}', false) AS heard_in_period
FROM litigation_cases l
WHERE l.first_instance
  AND l.region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
  AND (l.filed_date BETWEEN DATE '${start}' AND DATE '${end}'
       OR l.closed_date BETWEEN DATE '${start}' AND DATE '${end}'
       OR l.hearing_date BETWEEN DATE '${start}' AND DATE '${end}')
ORDER BY l.region_code, l.case_no
