-- The metrics table of docs/metrics.md, one row per unit (region or agency) of the `units_metrics` view.
-- Period P = ${start} .. ${end}; comparison P′ = ${prev_start} .. ${prev_end} (one year earlier).
-- Litigation counts first-instance cases only (行初, 行赔初). Every rate is NULL when its
-- denominator is 0.
WITH lit AS (
  SELECT unit_id,
    -- 发案量: first-instance cases filed in P, and in P′
    SUM(CASE WHEN filed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS filed,
    SUM(CASE WHEN filed_date BETWEEN DATE '${prev_start}' AND DATE '${prev_end}' THEN 1 ELSE 0 END) AS filed_prev,
    -- 审结, 败诉, 判决结案 in P
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS concluded,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND is_loss THEN 1 ELSE 0 END) AS lost,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND is_judgment THEN 1 ELSE 0 END) AS judged,
    -- the same in P′, for loss_rate_prev
    SUM(CASE WHEN closed_date BETWEEN DATE '${prev_start}' AND DATE '${prev_end}' THEN 1 ELSE 0 END) AS concluded_prev,
    SUM(CASE WHEN closed_date BETWEEN DATE '${prev_start}' AND DATE '${prev_end}' AND is_loss THEN 1 ELSE 0 END) AS lost_prev,
    -- 负责人出庭应诉: cases with a hearing in P
    SUM(CASE WHEN hearing_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS hearings,
    SUM(CASE WHEN hearing_date BETWEEN DATE '${start}' AND DATE '${end}' AND head_appeared THEN 1 ELSE 0 END) AS appeared,
    SUM(CASE WHEN hearing_date BETWEEN DATE '${start}' AND DATE '${end}' AND head_appeared AND head_spoke THEN 1 ELSE 0 END) AS spoke,
    SUM(CASE WHEN hearing_date BETWEEN DATE '${start}' AND DATE '${end}' AND appearance_required THEN 1 ELSE 0 END) AS required,
    SUM(CASE WHEN hearing_date BETWEEN DATE '${start}' AND DATE '${end}' AND appearance_required AND head_appeared THEN 1 ELSE 0 END) AS required_appeared
  FROM litigation_u
  WHERE first_instance
  GROUP BY unit_id
),
rec AS (
  SELECT unit_id,
    SUM(CASE WHEN received_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS recon_received,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' THEN 1 ELSE 0 END) AS recon_concluded,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND is_corrected THEN 1 ELSE 0 END) AS recon_corrected,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND is_decided THEN 1 ELSE 0 END) AS recon_decided,
    SUM(CASE WHEN closed_date BETWEEN DATE '${start}' AND DATE '${end}' AND sued_after THEN 1 ELSE 0 END) AS recon_sued
  FROM reconsideration_u
  GROUP BY unit_id
),
counts AS (
  SELECT u.unit_id, u.region_code, u.region_name,
    COALESCE(lit.filed, 0) AS filed,
    COALESCE(lit.filed_prev, 0) AS filed_prev,
    COALESCE(lit.concluded, 0) AS concluded,
    COALESCE(lit.lost, 0) AS lost,
    COALESCE(lit.judged, 0) AS judged,
    COALESCE(lit.concluded_prev, 0) AS concluded_prev,
    COALESCE(lit.lost_prev, 0) AS lost_prev,
    COALESCE(lit.hearings, 0) AS hearings,
    COALESCE(lit.appeared, 0) AS appeared,
    COALESCE(lit.spoke, 0) AS spoke,
    COALESCE(lit.required, 0) AS required,
    COALESCE(lit.required_appeared, 0) AS required_appeared,
    COALESCE(rec.recon_received, 0) AS recon_received,
    COALESCE(rec.recon_concluded, 0) AS recon_concluded,
    COALESCE(rec.recon_corrected, 0) AS recon_corrected,
    COALESCE(rec.recon_decided, 0) AS recon_decided,
    COALESCE(rec.recon_sued, 0) AS recon_sued,
    -- penalty rows with decided_date in P: counts and sums per unit (queries/units_*.sql)
    COALESCE(u.penalty_cases, 0) AS penalty_cases,
    COALESCE(u.fines_yuan, 0) AS fines_yuan,
    COALESCE(u.confiscated_yuan, 0) AS confiscated_yuan
  FROM units_metrics u
  LEFT JOIN lit ON lit.unit_id = u.unit_id
  LEFT JOIN rec ON rec.unit_id = u.unit_id
),
rates AS (
  SELECT c.*,
    CASE WHEN filed_prev = 0 THEN NULL ELSE CAST(filed - filed_prev AS DOUBLE) / filed_prev END AS filed_yoy,
    CASE WHEN concluded = 0 THEN NULL ELSE CAST(lost AS DOUBLE) / concluded END AS loss_rate,
    CASE WHEN judged = 0 THEN NULL ELSE CAST(lost AS DOUBLE) / judged END AS judgment_loss_rate,
    CASE WHEN concluded_prev = 0 THEN NULL ELSE CAST(lost_prev AS DOUBLE) / concluded_prev END AS loss_rate_prev,
    CASE WHEN hearings = 0 THEN NULL ELSE CAST(appeared AS DOUBLE) / hearings END AS appearance_rate,
    CASE WHEN appeared = 0 THEN NULL ELSE CAST(spoke AS DOUBLE) / appeared END AS spoke_rate,
    CASE WHEN required = 0 THEN NULL ELSE CAST(required_appeared AS DOUBLE) / required END AS required_appearance_rate,
    CASE WHEN recon_decided = 0 THEN NULL ELSE CAST(recon_corrected AS DOUBLE) / recon_decided END AS recon_correction_rate,
    CASE WHEN recon_concluded = 0 THEN NULL ELSE CAST(recon_sued AS DOUBLE) / recon_concluded END AS recon_sued_rate
  FROM counts c
)
SELECT
  '${period}' AS period,
  region_code,
  region_name,
  filed,
  filed_prev,
  filed_yoy,
  concluded,
  lost,
  loss_rate,
  judgment_loss_rate,
  loss_rate_prev,
  (loss_rate - loss_rate_prev) * 100 AS loss_rate_change_pp,
  CASE WHEN loss_rate IS NULL OR loss_rate_prev IS NULL THEN NULL
       ELSE filed < filed_prev AND loss_rate < loss_rate_prev END AS double_decline,
  hearings,
  appeared,
  appearance_rate,
  spoke_rate,
  required_appearance_rate,
  recon_received,
  recon_concluded,
  recon_corrected,
  recon_correction_rate,
  recon_sued_rate,
  penalty_cases,
  fines_yuan,
  confiscated_yuan,
  -- Ranked low to high among rows with concluded cases; ties share the lowest rank (1, 2, 2, 4).
  CASE WHEN concluded > 0 THEN RANK() OVER (PARTITION BY concluded > 0 ORDER BY loss_rate) END AS loss_rank
FROM rates
ORDER BY region_code, region_name
