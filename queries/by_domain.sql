-- Losses and reconsideration corrections by field (管理领域) within a region, for period P
-- (${start} .. ${end}): where losses and corrections concentrate. Litigation is first instance only.
WITH scope AS (
  SELECT code FROM region_closure WHERE ancestor = '${region}'
),
lit AS (
  SELECT COALESCE(domain, '未填写') AS domain,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS concluded,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND is_loss THEN 1 ELSE 0 END) AS lost
  FROM litigation_cases
  WHERE first_instance AND region_code IN (SELECT code FROM scope)
  GROUP BY 1
),
rec AS (
  SELECT COALESCE(domain, '未填写') AS domain,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND is_decided THEN 1 ELSE 0 END) AS decided,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND is_corrected THEN 1 ELSE 0 END) AS corrected
  FROM reconsideration_cases
  WHERE region_code IN (SELECT code FROM scope)
  GROUP BY 1
)
SELECT
  COALESCE(lit.domain, rec.domain) AS domain,
  COALESCE(lit.concluded, 0) AS concluded,
  COALESCE(lit.lost, 0) AS lost,
  CASE WHEN COALESCE(lit.concluded, 0) = 0 THEN NULL ELSE CAST(lit.lost AS DOUBLE) / lit.concluded END AS loss_rate,
  COALESCE(rec.decided, 0) AS recon_decided,
  COALESCE(rec.corrected, 0) AS recon_corrected,
  CASE WHEN COALESCE(rec.decided, 0) = 0 THEN NULL ELSE CAST(rec.corrected AS DOUBLE) / rec.decided END AS recon_correction_rate
FROM lit FULL OUTER JOIN rec ON lit.domain = rec.domain
WHERE COALESCE(lit.concluded, 0) + COALESCE(rec.decided, 0) > 0
ORDER BY lost DESC, recon_corrected DESC, domain
