-- RegioGraph's own reasons for a null value were stored as English text and read back by matching
-- their wording to say them in German: a reworded or new reason came out in English. They are stored
-- as their structure now (the kinds of subgraphs/indicators/src/missing-reasons.ts), said in the
-- language asked when read; missing_reason keeps only a data steward's text, given as written.
-- AlterTable
ALTER TABLE "indicators"."observation" ADD COLUMN     "own_missing_reason" JSONB;

-- The reasons RegioGraph stored before, each in the one wording it stored them in.
UPDATE "indicators"."observation" o
SET own_missing_reason = jsonb_build_object(
      'kind', 'notAggregated', 'lacking', m[1]::int, 'of', m[2]::int, 'members', m[3], 'orWeight', m[4] IS NOT NULL),
    missing_reason = NULL
FROM (SELECT region_code, indicator_code, year,
             regexp_match(missing_reason, '^Not aggregated: (\d+) of (\d+) (counties|municipalities) lack a value( or weight)?\.$') AS m
      FROM "indicators"."observation" WHERE missing_reason LIKE 'Not aggregated: %') parsed
WHERE parsed.m IS NOT NULL
  AND o.region_code = parsed.region_code AND o.indicator_code = parsed.indicator_code AND o.year = parsed.year;

UPDATE "indicators"."observation"
SET own_missing_reason = '{"kind": "uninhabited"}', missing_reason = NULL
WHERE missing_reason = 'Gemeindefreies Gebiet (unincorporated area without residents): not applicable.';

UPDATE "indicators"."observation"
SET own_missing_reason = '{"kind": "suppressedSynthetic"}', missing_reason = NULL
WHERE missing_reason = 'Withheld for confidentiality (synthetic demonstration of a suppressed value).';
