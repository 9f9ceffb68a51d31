-- Observations written before the seed and the importer wrote them in primary-key order lie
-- indicator by indicator, so one region's series is spread over the whole table. Rewrite them once
-- in (region, indicator, year) order; later writes keep that order themselves. No schema change.
CLUSTER "indicators"."observation" USING "observation_pkey";
