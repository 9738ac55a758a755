-- One region's row of the peers table (the province's per-city notice) for exactly one period,
-- as reported: a rate the report leaves empty is taken from its counts. The briefing reads it for
-- the region's own reported figures and, for a city, for the province's average (the province's
-- row). Parameters: ${code} (a region code from the dimension), ${span} (the period's span).
SELECT source, filed, concluded, lost,
       COALESCE(loss_rate, CASE WHEN concluded > 0 THEN CAST(lost AS DOUBLE) / concluded END) AS loss_rate,
       appeared, hearings,
       COALESCE(appearance_rate, CASE WHEN hearings > 0 THEN CAST(appeared AS DOUBLE) / hearings END) AS appearance_rate
FROM peers
WHERE region_code = '${code}' AND period = '${span}'
