-- Shared views over the warehouse tables (litigation, reconsideration, penalty, regions).
-- The outcome groups of contract §3 are written out here, once, for every metric to use.

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
