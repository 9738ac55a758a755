-- First-instance litigation rows per printed unit with a filed, closed or hearing date in P (n)
-- and in P′ (n_prev): a region with such rows keeps its computed figures (queries/metrics_peers.sql).
SELECT unit_id,
  SUM(CASE WHEN filed_date BETWEEN DATE '${start}' AND DATE '${end}'
        OR closed_date BETWEEN DATE '${start}' AND DATE '${end}'
        OR hearing_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS n,
  SUM(CASE WHEN filed_date BETWEEN DATE '${prev_start}' AND DATE '${prev_end}'
        OR closed_date BETWEEN DATE '${prev_start}' AND DATE '${prev_end}'
        OR hearing_date BETWEEN DATE '${prev_start}' AND DATE '${prev_end}' THEN 1 ELSE 0 END) AS n_prev
FROM litigation_u
WHERE first_instance
GROUP BY unit_id
