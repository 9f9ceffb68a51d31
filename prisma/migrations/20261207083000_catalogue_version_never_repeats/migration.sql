-- The catalogue's version must never name two catalogues. Counted up by one, it did after a restore:
-- the dump brings back a number the live database had already passed, the next write raises it to
-- a number an indicators subgraph still holds with the catalogue from before the restore, and that
-- subgraph kept answering the old catalogue (test/restore.test.ts). The clock in microseconds, where it
-- is ahead of the count, gives a number no earlier write gave (short of a clock set back).
CREATE OR REPLACE FUNCTION "indicators".bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "indicators"."catalogue_version"
    SET "version" = greatest("version" + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    WHERE "id";
  RETURN NULL;
END $$;
