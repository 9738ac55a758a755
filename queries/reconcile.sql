-- `fuyuan reconcile`: one row per discrepancy in scope (views of reconcile_views.sql), sorted by
-- case number, then field ('' — a missing case — first).
SELECT case_no, region_code, defendant, kind, field, ledger_value, court_value
FROM reconcile_rows
ORDER BY case_no, field
