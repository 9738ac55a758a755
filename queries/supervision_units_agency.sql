-- Supervision rows per agency (run after units_agency.sql): the unit is the agency by name
-- within its region code, as the case ledgers name it (defendant, respondent, penalising agency).
-- The agencies listed are those of `fuyuan metrics --by agency` in the same scope, plus the
-- units that appear only in the supervision ledger.
CREATE VIEW supervision_u AS
SELECT s.region_code || '|' || s.agency AS unit_id, s.*
FROM supervision s WHERE ${all_agencies} OR s.region_code IN (SELECT code FROM agency_scope);

CREATE VIEW supervision_units AS
SELECT unit_id, region_code, region_name FROM units
UNION
SELECT DISTINCT unit_id, region_code, agency AS region_name FROM supervision_u;
