-- Did supervision work? (`fuyuan supervision --effect --period P`)
-- Events: every 监督意见书 or 约谈 row issued in P (one event per unit and issue date), and, as a
-- comparison group, every unit that met the letter threshold in a quarter (${quarters}: quarter
-- start, end, end + 90 days) and got no supervision row of any action from the quarter's start to
-- 90 days after its end; its event date is the day after the quarter's end.
-- For each event: the unit's first-instance cases concluded and lost, reconsideration cases
-- decided and corrected, and first-instance filings in the 365 days before the event date
-- (d − 365 .. d − 1) and the 365 days after (d + 1 .. d + 365). An event whose after-window runs
-- past the data's last date (the latest filed, received or closed date) is partial: it is
-- counted in events_partial and left out of every pooled figure.
WITH quarters(qs, qe, until) AS (VALUES ${quarters}),
scope AS (
  SELECT code FROM region_closure WHERE '${parent}' = '' OR ancestor = '${parent}'
),
supervised AS (
  SELECT DISTINCT agency, region_code, issued_date AS d
  FROM supervision
  WHERE action IN ('监督意见书', '约谈') AND issued_date BETWEEN DATE '${start}' AND DATE '${end}'
    AND region_code IN (SELECT code FROM scope)
),
flagged_q AS (
  SELECT qs, qe, until, agency, region_code FROM (
    SELECT q.qs, q.qe, q.until, l.defendant AS agency, l.region_code, COUNT(*) AS n
    FROM quarters q JOIN litigation_cases l
      ON l.first_instance AND l.is_loss AND l.closed_date BETWEEN q.qs AND q.qe
    GROUP BY q.qs, q.qe, q.until, l.defendant, l.region_code
  ) x WHERE n >= ${letter_losses}
  UNION
  SELECT qs, qe, until, agency, region_code FROM (
    SELECT q.qs, q.qe, q.until, r.respondent AS agency, r.region_code, COUNT(*) AS n
    FROM quarters q JOIN reconsideration_cases r
      ON r.is_corrected AND r.closed_date BETWEEN q.qs AND q.qe
    GROUP BY q.qs, q.qe, q.until, r.respondent, r.region_code
  ) y WHERE n >= ${letter_corrections}
),
comparison AS (
  SELECT DISTINCT f.agency, f.region_code, CAST(f.qe + INTERVAL '1 day' AS DATE) AS d
  FROM flagged_q f
  WHERE f.region_code IN (SELECT code FROM scope)
    AND NOT EXISTS (
      SELECT 1 FROM supervision s
      WHERE s.agency = f.agency AND s.region_code = f.region_code AND s.issued_date BETWEEN f.qs AND f.until)
),
events AS (
  SELECT 'supervised' AS grp, agency, region_code, d FROM supervised
  UNION ALL
  SELECT 'comparison' AS grp, agency, region_code, d FROM comparison
),
bounds AS (
  SELECT MAX(hi) AS last_day FROM (
    SELECT MAX(GREATEST(filed_date, COALESCE(closed_date, filed_date))) AS hi FROM litigation
    UNION ALL
    SELECT MAX(GREATEST(received_date, COALESCE(closed_date, received_date))) FROM reconsideration
  ) b
),
windows AS (
  SELECT e.grp, e.agency, e.region_code, e.d,
    CAST(e.d - INTERVAL '365 days' AS DATE) AS b0, CAST(e.d - INTERVAL '1 day' AS DATE) AS b1,
    CAST(e.d + INTERVAL '1 day' AS DATE) AS a0, CAST(e.d + INTERVAL '365 days' AS DATE) AS a1,
    (CAST(e.d + INTERVAL '365 days' AS DATE) > b.last_day OR b.last_day IS NULL) AS partial
  FROM events e CROSS JOIN bounds b
),
lit AS (
  SELECT w.grp, w.agency, w.region_code, w.d,
    SUM(CASE WHEN l.closed_date BETWEEN w.b0 AND w.b1 THEN 1 ELSE 0 END) AS bc,
    SUM(CASE WHEN l.closed_date BETWEEN w.b0 AND w.b1 AND l.is_loss THEN 1 ELSE 0 END) AS bl,
    SUM(CASE WHEN l.closed_date BETWEEN w.a0 AND w.a1 THEN 1 ELSE 0 END) AS ac,
    SUM(CASE WHEN l.closed_date BETWEEN w.a0 AND w.a1 AND l.is_loss THEN 1 ELSE 0 END) AS al,
    SUM(CASE WHEN l.filed_date BETWEEN w.b0 AND w.b1 THEN 1 ELSE 0 END) AS bf,
    SUM(CASE WHEN l.filed_date BETWEEN w.a0 AND w.a1 THEN 1 ELSE 0 END) AS af
  FROM windows w JOIN litigation_cases l
    ON l.first_instance AND l.defendant = w.agency AND l.region_code = w.region_code
  GROUP BY w.grp, w.agency, w.region_code, w.d
),
rec AS (
  SELECT w.grp, w.agency, w.region_code, w.d,
    SUM(CASE WHEN r.closed_date BETWEEN w.b0 AND w.b1 AND r.is_decided THEN 1 ELSE 0 END) AS bd,
    SUM(CASE WHEN r.closed_date BETWEEN w.b0 AND w.b1 AND r.is_corrected THEN 1 ELSE 0 END) AS bk,
    SUM(CASE WHEN r.closed_date BETWEEN w.a0 AND w.a1 AND r.is_decided THEN 1 ELSE 0 END) AS ad,
    SUM(CASE WHEN r.closed_date BETWEEN w.a0 AND w.a1 AND r.is_corrected THEN 1 ELSE 0 END) AS ak
  FROM windows w JOIN reconsideration_cases r
    ON r.respondent = w.agency AND r.region_code = w.region_code
  GROUP BY w.grp, w.agency, w.region_code, w.d
),
per_event AS (
  SELECT w.grp, w.agency, w.region_code, w.d, w.partial,
    COALESCE(lit.bc, 0) AS bc, COALESCE(lit.bl, 0) AS bl, COALESCE(lit.ac, 0) AS ac, COALESCE(lit.al, 0) AS al,
    COALESCE(lit.bf, 0) AS bf, COALESCE(lit.af, 0) AS af,
    COALESCE(rec.bd, 0) AS bd, COALESCE(rec.bk, 0) AS bk, COALESCE(rec.ad, 0) AS ad, COALESCE(rec.ak, 0) AS ak
  FROM windows w
  LEFT JOIN lit ON lit.grp = w.grp AND lit.agency = w.agency AND lit.region_code = w.region_code AND lit.d = w.d
  LEFT JOIN rec ON rec.grp = w.grp AND rec.agency = w.agency AND rec.region_code = w.region_code AND rec.d = w.d
),
groups(grp, ord) AS (VALUES ('supervised', 1), ('comparison', 2)),
pooled AS (
  SELECT g.grp, g.ord,
    COUNT(p.d) AS events,
    SUM(CASE WHEN p.partial THEN 1 ELSE 0 END) AS events_partial,
    COUNT(DISTINCT CASE WHEN NOT p.partial THEN p.region_code || '|' || p.agency END) AS units,
    SUM(CASE WHEN NOT p.partial THEN p.bc ELSE 0 END) AS before_concluded,
    SUM(CASE WHEN NOT p.partial THEN p.bl ELSE 0 END) AS before_lost,
    SUM(CASE WHEN NOT p.partial THEN p.ac ELSE 0 END) AS after_concluded,
    SUM(CASE WHEN NOT p.partial THEN p.al ELSE 0 END) AS after_lost,
    SUM(CASE WHEN NOT p.partial THEN p.bd ELSE 0 END) AS before_decided,
    SUM(CASE WHEN NOT p.partial THEN p.bk ELSE 0 END) AS before_corrected,
    SUM(CASE WHEN NOT p.partial THEN p.ad ELSE 0 END) AS after_decided,
    SUM(CASE WHEN NOT p.partial THEN p.ak ELSE 0 END) AS after_corrected,
    SUM(CASE WHEN NOT p.partial THEN p.bf ELSE 0 END) AS before_filed,
    SUM(CASE WHEN NOT p.partial THEN p.af ELSE 0 END) AS after_filed
  FROM groups g LEFT JOIN per_event p ON p.grp = g.grp
  GROUP BY g.grp, g.ord
),
rated AS (
  SELECT grp, ord,
    CAST(events AS BIGINT) AS events, CAST(COALESCE(events_partial, 0) AS BIGINT) AS events_partial, CAST(units AS BIGINT) AS units,
    CAST(COALESCE(before_concluded, 0) AS BIGINT) AS before_concluded, CAST(COALESCE(before_lost, 0) AS BIGINT) AS before_lost,
    CASE WHEN COALESCE(before_concluded, 0) = 0 THEN NULL ELSE CAST(before_lost AS DOUBLE) / before_concluded END AS before_loss_rate,
    CAST(COALESCE(after_concluded, 0) AS BIGINT) AS after_concluded, CAST(COALESCE(after_lost, 0) AS BIGINT) AS after_lost,
    CASE WHEN COALESCE(after_concluded, 0) = 0 THEN NULL ELSE CAST(after_lost AS DOUBLE) / after_concluded END AS after_loss_rate,
    CAST(COALESCE(before_decided, 0) AS BIGINT) AS before_decided, CAST(COALESCE(before_corrected, 0) AS BIGINT) AS before_corrected,
    CASE WHEN COALESCE(before_decided, 0) = 0 THEN NULL ELSE CAST(before_corrected AS DOUBLE) / before_decided END AS before_correction_rate,
    CAST(COALESCE(after_decided, 0) AS BIGINT) AS after_decided, CAST(COALESCE(after_corrected, 0) AS BIGINT) AS after_corrected,
    CASE WHEN COALESCE(after_decided, 0) = 0 THEN NULL ELSE CAST(after_corrected AS DOUBLE) / after_decided END AS after_correction_rate,
    CAST(COALESCE(before_filed, 0) AS BIGINT) AS before_filed, CAST(COALESCE(after_filed, 0) AS BIGINT) AS after_filed
  FROM pooled
),
changes AS (
  SELECT r.*,
    (after_loss_rate - before_loss_rate) * 100 AS loss_rate_change_pp,
    (after_correction_rate - before_correction_rate) * 100 AS correction_rate_change_pp,
    -- Small numbers stay honest: fewer than 30 concluded cases in either window, no claim.
    LEAST(before_concluded, after_concluded) >= 30 AS enough
  FROM rated r
),
difference AS (
  SELECT 'difference' AS grp, 3 AS ord,
    CAST(NULL AS BIGINT) AS events, CAST(NULL AS BIGINT) AS events_partial, CAST(NULL AS BIGINT) AS units,
    CAST(NULL AS BIGINT) AS before_concluded, CAST(NULL AS BIGINT) AS before_lost, CAST(NULL AS DOUBLE) AS before_loss_rate,
    CAST(NULL AS BIGINT) AS after_concluded, CAST(NULL AS BIGINT) AS after_lost, CAST(NULL AS DOUBLE) AS after_loss_rate,
    CAST(NULL AS BIGINT) AS before_decided, CAST(NULL AS BIGINT) AS before_corrected, CAST(NULL AS DOUBLE) AS before_correction_rate,
    CAST(NULL AS BIGINT) AS after_decided, CAST(NULL AS BIGINT) AS after_corrected, CAST(NULL AS DOUBLE) AS after_correction_rate,
    CAST(NULL AS BIGINT) AS before_filed, CAST(NULL AS BIGINT) AS after_filed,
    s.loss_rate_change_pp - c.loss_rate_change_pp AS loss_rate_change_pp,
    s.correction_rate_change_pp - c.correction_rate_change_pp AS correction_rate_change_pp,
    s.enough AND c.enough AS enough
  FROM changes s CROSS JOIN changes c WHERE s.grp = 'supervised' AND c.grp = 'comparison'
),
all_rows AS (
  SELECT * FROM changes
  UNION ALL
  SELECT * FROM difference
)
SELECT '${period}' AS period, grp AS "group", events, events_partial, units,
  before_concluded, before_lost, before_loss_rate, after_concluded, after_lost, after_loss_rate, loss_rate_change_pp,
  before_decided, before_corrected, before_correction_rate, after_decided, after_corrected, after_correction_rate,
  correction_rate_change_pp, before_filed, after_filed,
  CASE WHEN enough THEN 'effect measured'
       ELSE 'no effect claimed: fewer than 30 concluded cases' END AS note
FROM all_rows
ORDER BY ord
