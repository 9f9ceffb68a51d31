-- A value of a derived indicator whose status is not FINAL was given by its source: RegioGraph has
-- written every value it computed by a formula as FINAL since indicators had formulas, and a value
-- computed over a given one overwrote its status. The observation_derived migration counted every value
-- of a derived indicator as computed, these too, so the next revision of an input overwrote them and a
-- catalogue row taking the formula away deleted them. A FINAL value cannot be told apart (the
-- indicators subgraph's README says why): it counts as computed still.
UPDATE "indicators"."observation" SET "derived" = false WHERE "derived" AND "status" <> 'FINAL';
