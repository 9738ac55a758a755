-- The units (agency as the list names it, with its region) behind the discrepancies of
-- reconcile_rows (reconcile_views.sql rendered for the briefing's region): cases with any
-- discrepancy, and by kind. Most discrepancies first, then most losses not reported.
SELECT defendant, region_code,
  COUNT(DISTINCT case_no) AS cases,
  COUNT(DISTINCT CASE WHEN kind = 'missing_in_ledger' THEN case_no END) AS missing_in_ledger,
  COUNT(DISTINCT CASE WHEN kind = 'missing_in_court' THEN case_no END) AS missing_in_court,
  COUNT(DISTINCT CASE WHEN kind IN ('mismatch', 'loss_not_reported') THEN case_no END) AS mismatched_cases,
  COUNT(DISTINCT CASE WHEN kind = 'loss_not_reported' THEN case_no END) AS loss_not_reported
FROM reconcile_rows
GROUP BY defendant, region_code
ORDER BY cases DESC, loss_not_reported DESC, region_code, defendant
