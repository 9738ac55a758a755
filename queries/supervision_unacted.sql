-- 应发未发: units in region ${region} (or below) that met the letter threshold in the period
-- (${start} .. ${end}: ≥ ${letter_losses} first-instance losses or ≥ ${letter_corrections}
-- reconsideration corrections concluded) with no supervision row issued from the period's start
-- to 90 days after its end (${action_until}).
WITH losses AS (
  SELECT defendant AS agency, region_code, COUNT(*) AS n FROM litigation_cases
  WHERE first_instance AND is_loss AND closed_date BETWEEN DATE '${start}' AND DATE '${end}'
  GROUP BY defendant, region_code
),
corrections AS (
  SELECT respondent AS agency, region_code, COUNT(*) AS n FROM reconsideration_cases
  WHERE is_corrected AND closed_date BETWEEN DATE '${start}' AND DATE '${end}'
  GROUP BY respondent, region_code
),
units AS (
  SELECT agency, region_code FROM losses UNION SELECT agency, region_code FROM corrections
)
SELECT u.agency, u.region_code, g.name AS region_name,
  CAST(COALESCE(l.n, 0) AS BIGINT) AS lost, CAST(COALESCE(c.n, 0) AS BIGINT) AS corrected
FROM units u
JOIN regions g ON g.code = u.region_code
LEFT JOIN losses l ON l.agency = u.agency AND l.region_code = u.region_code
LEFT JOIN corrections c ON c.agency = u.agency AND c.region_code = u.region_code
WHERE (COALESCE(l.n, 0) >= ${letter_losses} OR COALESCE(c.n, 0) >= ${letter_corrections})
  AND u.region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
  AND NOT EXISTS (
    SELECT 1 FROM supervision s WHERE s.agency = u.agency AND s.region_code = u.region_code
      AND s.issued_date BETWEEN DATE '${start}' AND DATE '${action_until}')
ORDER BY lost DESC, corrected DESC, u.region_code, u.agency
