-- The supervision table (行政执法监督情况), one row per unit of `supervision_units`.
-- Period P = ${start} .. ${end}. Unless said otherwise a figure counts supervision rows issued
-- in P. A unit (被监督单位) is an agency name within its region code.
WITH issued AS (
  SELECT unit_id,
    -- 监督意见书: documents (one letter may address several units), then the units addressed
    COUNT(DISTINCT CASE WHEN action = '监督意见书' THEN doc_no END) AS letters,
    COUNT(DISTINCT CASE WHEN action = '监督意见书' THEN region_code || '|' || agency END) AS letter_units,
    -- 督促限期整改的单位: any document that set a deadline
    COUNT(DISTINCT CASE WHEN deadline IS NOT NULL THEN region_code || '|' || agency END) AS rectification_units,
    COUNT(DISTINCT CASE WHEN action = '约谈' THEN doc_no END) AS interviews,
    COUNT(DISTINCT CASE WHEN action = '约谈' THEN region_code || '|' || agency END) AS interview_units,
    COUNT(DISTINCT CASE WHEN action = '通报批评' THEN doc_no END) AS circulars,
    SUM(CASE WHEN action = '责任追究' THEN 1 ELSE 0 END) AS accountability_actions,
    SUM(persons_accountable) AS persons_accountable,
    SUM(CASE WHEN referred THEN 1 ELSE 0 END) AS referred
  FROM supervision_u
  WHERE issued_date BETWEEN DATE '${start}' AND DATE '${end}'
  GROUP BY unit_id
),
-- Rectification as of P's end, over rows issued any time up to P's end.
rectification AS (
  SELECT unit_id,
    SUM(CASE WHEN deadline BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS due,
    SUM(CASE WHEN deadline BETWEEN DATE '${start}' AND DATE '${end}' AND rectified_date <= deadline THEN 1 ELSE 0 END)
      AS rectified_on_time,
    SUM(CASE WHEN deadline BETWEEN DATE '${start}' AND DATE '${end}'
              AND rectified_date > deadline AND rectified_date <= DATE '${end}' THEN 1 ELSE 0 END) AS rectified_late,
    SUM(CASE WHEN deadline BETWEEN DATE '${start}' AND DATE '${end}'
              AND (rectified_date IS NULL OR rectified_date > DATE '${end}') THEN 1 ELSE 0 END) AS overdue,
    SUM(CASE WHEN deadline > DATE '${end}'
              AND (rectified_date IS NULL OR rectified_date > DATE '${end}') THEN 1 ELSE 0 END) AS open_not_due
  FROM supervision_u
  WHERE issued_date <= DATE '${end}'
  GROUP BY unit_id
),
-- Agencies past the supervision-letter threshold in P: first-instance losses, or
-- reconsideration corrections, concluded in P (each counted on its own).
agency_losses AS (
  SELECT unit_id, region_code, defendant AS agency, COUNT(*) AS n
  FROM litigation_u
  WHERE first_instance AND is_loss AND closed_date BETWEEN DATE '${start}' AND DATE '${end}'
  GROUP BY unit_id, region_code, defendant
),
agency_corrections AS (
  SELECT unit_id, region_code, respondent AS agency, COUNT(*) AS n
  FROM reconsideration_u
  WHERE is_corrected AND closed_date BETWEEN DATE '${start}' AND DATE '${end}'
  GROUP BY unit_id, region_code, respondent
),
flagged AS (
  SELECT DISTINCT unit_id, region_code, agency FROM (
    SELECT unit_id, region_code, agency FROM agency_losses WHERE n >= ${letter_losses}
    UNION ALL
    SELECT unit_id, region_code, agency FROM agency_corrections WHERE n >= ${letter_corrections}
  ) f
),
-- 应发未发: flagged, and no supervision row for the same unit issued from P's start to 90 days
-- after P's end (${action_until}).
acted AS (
  SELECT DISTINCT region_code, agency FROM supervision
  WHERE issued_date BETWEEN DATE '${start}' AND DATE '${action_until}'
),
flags AS (
  SELECT f.unit_id,
    COUNT(*) AS flagged_units,
    SUM(CASE WHEN a.agency IS NULL THEN 1 ELSE 0 END) AS flagged_without_action
  FROM flagged f
  LEFT JOIN acted a ON a.region_code = f.region_code AND a.agency = f.agency
  GROUP BY f.unit_id
)
SELECT
  '${period}' AS period,
  u.region_code,
  u.region_name,
  CAST(COALESCE(i.letters, 0) AS BIGINT) AS letters,
  CAST(COALESCE(i.letter_units, 0) AS BIGINT) AS letter_units,
  CAST(COALESCE(i.rectification_units, 0) AS BIGINT) AS rectification_units,
  CAST(COALESCE(i.interviews, 0) AS BIGINT) AS interviews,
  CAST(COALESCE(i.interview_units, 0) AS BIGINT) AS interview_units,
  CAST(COALESCE(i.circulars, 0) AS BIGINT) AS circulars,
  CAST(COALESCE(i.accountability_actions, 0) AS BIGINT) AS accountability_actions,
  CAST(COALESCE(i.persons_accountable, 0) AS BIGINT) AS persons_accountable,
  CAST(COALESCE(i.referred, 0) AS BIGINT) AS referred,
  CAST(COALESCE(r.due, 0) AS BIGINT) AS due,
  CAST(COALESCE(r.rectified_on_time, 0) AS BIGINT) AS rectified_on_time,
  CAST(COALESCE(r.rectified_late, 0) AS BIGINT) AS rectified_late,
  CAST(COALESCE(r.overdue, 0) AS BIGINT) AS overdue,
  CAST(COALESCE(r.open_not_due, 0) AS BIGINT) AS open_not_due,
  CAST(COALESCE(f.flagged_units, 0) AS BIGINT) AS flagged_units,
  CAST(COALESCE(f.flagged_without_action, 0) AS BIGINT) AS flagged_without_action
FROM supervision_units u
LEFT JOIN issued i ON i.unit_id = u.unit_id
LEFT JOIN rectification r ON r.unit_id = u.unit_id
LEFT JOIN flags f ON f.unit_id = u.unit_id
ORDER BY u.region_code, u.region_name
