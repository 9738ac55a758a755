-- Shared views over the warehouse tables (litigation, reconsideration, penalty, regions).
-- The outcome groups of docs/metrics.md are written out here, once, for every metric to use.

-- Every region paired with itself and each of its ancestors (township → county → city →
-- province, with room for one more level such as a zone between city and township).
CREATE VIEW region_closure AS
SELECT code, code AS ancestor FROM regions
UNION ALL
SELECT r.code, r.parent_code FROM regions r WHERE r.parent_code IS NOT NULL
UNION ALL
SELECT r.code, p.parent_code
FROM regions r JOIN regions p ON r.parent_code = p.code
WHERE p.parent_code IS NOT NULL
UNION ALL
SELECT r.code, g.parent_code
FROM regions r JOIN regions p ON r.parent_code = p.code JOIN regions g ON p.parent_code = g.code
WHERE g.parent_code IS NOT NULL
UNION ALL
SELECT r.code, h.parent_code
FROM regions r JOIN regions p ON r.parent_code = p.code JOIN regions g ON p.parent_code = g.code
  JOIN regions h ON g.parent_code = h.code
WHERE h.parent_code IS NOT NULL;

-- Litigation with the outcome groups:
--   LOSS (败诉)       = 撤销 部分撤销 变更 确认违法 确认无效 责令履行 给付 赔偿
--   JUDGMENT (判决结案) = LOSS + 驳回诉讼请求
CREATE VIEW litigation_cases AS
SELECT l.*,
  COALESCE(l.outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿'), false) AS is_loss,
  COALESCE(l.outcome IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿', '驳回诉讼请求'), false) AS is_judgment
FROM litigation l;

-- Reconsideration with the decision groups:
--   CORRECTED (纠错)     = 撤销 部分撤销 变更 确认违法 确认无效 责令履行
--   DECIDED (以决定审结)  = every decision but 调解 和解 终止
CREATE VIEW reconsideration_cases AS
SELECT r.*,
  COALESCE(r.decision IN ('撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行'), false) AS is_corrected,
  COALESCE(r.decision IN ('维持', '驳回', '撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行'), false) AS is_decided
FROM reconsideration r;

-- Appellate and retrial cases (every case number that is not first instance: 行终, 行赔终, 行申,
-- 行再 …), each paired with the first-instance case it most likely reviews, so that an analyst
-- can find first-instance results later overturned (an appeal's 改判 or 发回重审).
-- A case number does not cite the case below it, so the pair is found by what the two rows
-- share: the same defendant, the same plaintiff (masked names; a missing one does not exclude),
-- a first-instance court under the appeal court (豫1202 under 豫12), and a first instance filed
-- and closed no later than the appeal was filed. Only a single candidate is paired, and
-- first_instance_candidates says how many there were (0: not in the warehouse, 2+: cannot tell).
CREATE VIEW appeals AS
WITH pairs AS (
  SELECT a.case_no, f.case_no AS fi_case_no, f.outcome AS fi_outcome
  FROM litigation a
  JOIN litigation f
    ON f.first_instance AND NOT a.first_instance
   AND f.defendant = a.defendant
   AND f.court_code <> a.court_code AND starts_with(f.court_code, a.court_code)
   AND f.case_year <= a.case_year
   AND f.filed_date <= a.filed_date
   AND (f.closed_date IS NULL OR f.closed_date <= a.filed_date)
   AND (a.plaintiff IS NULL OR f.plaintiff IS NULL OR a.plaintiff = f.plaintiff)
),
counted AS (
  SELECT case_no, COUNT(*) AS n, MIN(fi_case_no) AS fi_case_no, MIN(fi_outcome) AS fi_outcome
  FROM pairs GROUP BY case_no
)
SELECT a.case_no, a.case_type, a.court_code, a.defendant, a.region_code, a.filed_date, a.closed_date, a.outcome,
  COALESCE(a.outcome IN ('改判', '发回重审'), false) AS overturned,
  COALESCE(c.n, 0) AS first_instance_candidates,
  CASE WHEN c.n = 1 THEN c.fi_case_no END AS first_instance_case_no,
  CASE WHEN c.n = 1 THEN c.fi_outcome END AS first_instance_outcome
FROM litigation a
LEFT JOIN counted c ON c.case_no = a.case_no
WHERE NOT a.first_instance;
