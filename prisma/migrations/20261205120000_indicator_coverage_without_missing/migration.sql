-- An indicator's levels and years count only observations that are not MISSING: a MISSING row is a
-- placeholder saying why there is no value (e.g. a state sum that one county's gap prevents), and
-- counting it listed the Zensus 2022 indicators under level STATE, whose state answer is always
-- empty. The expression is the one of subgraphs/indicators/src/store.ts (refreshCoverage) at this
-- migration; the importer recomputes it for every indicator an import changes.
UPDATE "indicators"."indicator" i SET
  "coverage_years" = COALESCE((
    SELECT array_agg(DISTINCT o.year ORDER BY o.year) FROM "indicators"."observation" o
    WHERE o.indicator_code = i.code AND o.status <> 'MISSING'), '{}'),
  "coverage_levels" = COALESCE((
    SELECT array_agg(DISTINCT CASE length(o.region_code) WHEN 2 THEN 'STATE' WHEN 3 THEN 'DISTRICT' WHEN 5 THEN 'COUNTY'
      WHEN 9 THEN 'MUNICIPAL_ASSOCIATION' ELSE 'MUNICIPALITY' END)
    FROM "indicators"."observation" o WHERE o.indicator_code = i.code AND o.status <> 'MISSING'), '{}');
