-- The loss rate on each side of the reconciliation, for the briefing's region ${region} and its
-- descendants (each side by its own region_code): first-instance cases closed in
-- P = ${start} .. ${end}, and of those the losses (LOSS = 撤销 部分撤销 变更 确认违法 确认无效
-- 责令履行 给付 赔偿). The rate is NULL when nothing was closed.
WITH sides AS (
  SELECT 'court' AS side,
    COALESCE(SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END), 0) AS concluded,
    COALESCE(SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}'
                      AND outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿') THEN 1 ELSE 0 END), 0) AS lost
  FROM court
  WHERE first_instance AND region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
  UNION ALL
  SELECT 'ledger' AS side,
    COALESCE(SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}'
                      AND outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿') THEN 1 ELSE 0 END), 0)
  FROM litigation
  WHERE first_instance AND region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
)
SELECT side, CAST(concluded AS BIGINT) AS concluded, CAST(lost AS BIGINT) AS lost,
  CASE WHEN concluded = 0 THEN NULL ELSE CAST(lost AS DOUBLE) / CAST(concluded AS DOUBLE) END AS loss_rate
FROM sides
ORDER BY side
