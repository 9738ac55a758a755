-- Reported figures (the peers table) beside computed ones, for ranking a region among its peers.
-- `metrics_computed` is queries/metrics.sql for the same units and period. A printed region
-- that has a peers row for exactly this period (${start} .. ${end}) and no first-instance
-- litigation row under it filed, closed or heard in the period takes the reported figures
-- (source 报送); every other row keeps its computed ones (测算). The comparison period P′
-- (${prev_start} .. ${prev_end}) is treated the same way for filed_prev and loss_rate_prev.
-- A reported rate without its counts keeps the rate (it ranks) and leaves the counts empty; a
-- reported pair of counts without a rate gives the rate lost / concluded.
WITH cur AS (
  SELECT * FROM peers WHERE period = '${start}..${end}'
),
prev AS (
  SELECT * FROM peers WHERE period = '${prev_start}..${prev_end}'
),
-- `peer_activity` is queries/peers_activity.sql: first-instance rows per unit in P and in P′.
act AS (
  SELECT unit_id, n FROM peer_activity WHERE n > 0
),
act_prev AS (
  SELECT unit_id, n_prev AS n FROM peer_activity WHERE n_prev > 0
),
merged AS (
  SELECT c.*,
    (cur.region_code IS NOT NULL AND act.n IS NULL) AS reported,
    (prev.region_code IS NOT NULL AND act_prev.n IS NULL) AS reported_prev,
    cur.filed AS r_filed, cur.concluded AS r_concluded, cur.lost AS r_lost, cur.loss_rate AS r_loss_rate,
    cur.hearings AS r_hearings, cur.appeared AS r_appeared, cur.appearance_rate AS r_appearance_rate,
    prev.filed AS p_filed, prev.concluded AS p_concluded, prev.lost AS p_lost, prev.loss_rate AS p_loss_rate
  FROM metrics_computed c
  LEFT JOIN cur ON cur.region_code = c.region_code
  LEFT JOIN prev ON prev.region_code = c.region_code
  LEFT JOIN act ON act.unit_id = c.region_code
  LEFT JOIN act_prev ON act_prev.unit_id = c.region_code
),
vals AS (
  SELECT period, region_code, region_name,
    CASE WHEN reported THEN r_filed ELSE filed END AS filed,
    -- A reported row's comparison figures come from a reported P′ row only (unknown otherwise).
    CASE WHEN reported_prev THEN p_filed WHEN reported THEN NULL ELSE filed_prev END AS filed_prev,
    CASE WHEN reported THEN r_concluded ELSE concluded END AS concluded,
    CASE WHEN reported THEN r_lost ELSE lost END AS lost,
    CASE WHEN reported THEN COALESCE(r_loss_rate, CASE WHEN r_concluded > 0 THEN CAST(r_lost AS DOUBLE) / r_concluded END)
         ELSE loss_rate END AS loss_rate,
    CASE WHEN reported THEN NULL ELSE judgment_loss_rate END AS judgment_loss_rate,
    CASE WHEN reported_prev THEN COALESCE(p_loss_rate, CASE WHEN p_concluded > 0 THEN CAST(p_lost AS DOUBLE) / p_concluded END)
         WHEN reported THEN NULL ELSE loss_rate_prev END AS loss_rate_prev,
    CASE WHEN reported THEN r_hearings ELSE hearings END AS hearings,
    CASE WHEN reported THEN r_appeared ELSE appeared END AS appeared,
    CASE WHEN reported THEN COALESCE(r_appearance_rate, CASE WHEN r_hearings > 0 THEN CAST(r_appeared AS DOUBLE) / r_hearings END)
         ELSE appearance_rate END AS appearance_rate,
    CASE WHEN reported THEN NULL ELSE spoke_rate END AS spoke_rate,
    CASE WHEN reported THEN NULL ELSE required_appearance_rate END AS required_appearance_rate,
    recon_received, recon_concluded, recon_corrected, recon_correction_rate, recon_sued_rate,
    penalty_cases, fines_yuan, confiscated_yuan,
    CASE WHEN reported THEN '报送' ELSE '测算' END AS source
  FROM merged
)
SELECT
  period, region_code, region_name, filed, filed_prev,
  CASE WHEN filed IS NULL OR filed_prev IS NULL OR filed_prev = 0 THEN NULL
       ELSE CAST(filed - filed_prev AS DOUBLE) / filed_prev END AS filed_yoy,
  concluded, lost, loss_rate, judgment_loss_rate, loss_rate_prev,
  (loss_rate - loss_rate_prev) * 100 AS loss_rate_change_pp,
  CASE WHEN loss_rate IS NULL OR loss_rate_prev IS NULL OR filed IS NULL OR filed_prev IS NULL THEN NULL
       ELSE filed < filed_prev AND loss_rate < loss_rate_prev END AS double_decline,
  hearings, appeared, appearance_rate, spoke_rate, required_appearance_rate,
  recon_received, recon_concluded, recon_corrected, recon_correction_rate, recon_sued_rate,
  penalty_cases, fines_yuan, confiscated_yuan,
  -- Ranked low to high among rows with a loss rate (computed: concluded > 0); ties share the
  -- lowest rank.
  CASE WHEN loss_rate IS NOT NULL THEN RANK() OVER (PARTITION BY loss_rate IS NOT NULL ORDER BY loss_rate) END AS loss_rank,
  source
FROM vals
ORDER BY region_code, region_name
