-- Reasons for first-instance losses (败诉原因) concluded in P within a region.
SELECT COALESCE(loss_reason, '未填写') AS loss_reason, COUNT(*) AS lost
FROM litigation_cases
WHERE first_instance AND is_loss
  AND closed_date BETWEEN DATE '${start}' AND DATE '${end}'
  AND region_code IN (SELECT code FROM region_closure WHERE ancestor = '${region}')
GROUP BY 1
ORDER BY lost DESC, loss_reason
