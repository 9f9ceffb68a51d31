-- CreateTable
CREATE TABLE "indicators"."catalogue_version" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "catalogue_version_pkey" PRIMARY KEY ("id")
);

-- The one row, and a statement-level trigger that raises its version in the writing transaction:
-- readers that see the new version see the new catalogue, and a rolled-back write raises nothing.
-- BEFORE, so that a transaction takes the row's lock before any indicator row's: writers of the
-- catalogue queue on it in one order and cannot deadlock over it.
INSERT INTO "indicators"."catalogue_version" ("id", "version") VALUES (true, 0);

CREATE FUNCTION "indicators".bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "indicators"."catalogue_version" SET "version" = "version" + 1 WHERE "id";
  RETURN NULL;
END $$;
CREATE TRIGGER catalogue_version_bump BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "indicators"."indicator"
  FOR EACH STATEMENT EXECUTE FUNCTION "indicators".bump_catalogue_version();
