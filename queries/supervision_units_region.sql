-- Supervision rows per printed region (run after units_region.sql): a row counts for its own
-- region and every ancestor, like the cases.
CREATE VIEW supervision_u AS
SELECT m.unit_id, s.* FROM supervision s JOIN unit_members m ON s.region_code = m.code;

CREATE VIEW supervision_units AS
SELECT unit_id, region_code, region_name FROM units;
