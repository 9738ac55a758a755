-- `period = "latest"`: the last quarter that has ENDED by ${today} (its last day is before today)
-- and holds at least one filing. Ledgers collected in mid-January for the fourth-quarter
-- briefing already hold a few cases filed in January; those must not make the briefing a
-- three-day first quarter. One row: the chosen quarter's first day (NULL when no ended quarter
-- holds a filing), its filings, the latest filing date and the filings after the chosen quarter.
-- No row when the litigation table is empty.
WITH quarters AS (
  SELECT CAST(date_trunc('quarter', CAST(filed_date AS TIMESTAMP)) AS DATE) AS q_start,
         COUNT(*) AS filings,
         MAX(filed_date) AS last_filed
  FROM litigation
  WHERE filed_date IS NOT NULL
  GROUP BY 1
),
chosen AS (
  SELECT MAX(q_start) AS q_start
  FROM quarters
  WHERE q_start + INTERVAL '3 months' <= DATE '${today}'
)
SELECT CAST(c.q_start AS VARCHAR) AS quarter_start,
       CAST(SUM(CASE WHEN q.q_start = c.q_start THEN q.filings ELSE 0 END) AS BIGINT) AS filings,
       CAST(MAX(q.last_filed) AS VARCHAR) AS latest_filing,
       CAST(SUM(CASE WHEN c.q_start IS NULL OR q.q_start > c.q_start THEN q.filings ELSE 0 END) AS BIGINT) AS later_filings
FROM chosen c CROSS JOIN quarters q
GROUP BY c.q_start
