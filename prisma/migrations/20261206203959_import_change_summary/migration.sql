-- What an import changed in each indicator, beside its change-feed row: the feed named an import only
-- by its files, so a partner re-read every value of every indicator it touched. Append-only like the feed.
-- CreateTable
CREATE TABLE "indicators"."import_change" (
    "position" BIGINT NOT NULL,
    "release" TEXT,
    "imported_at" TIMESTAMPTZ(3) NOT NULL,
    "years" INTEGER[],
    "levels" TEXT[],
    "values_written" INTEGER NOT NULL,
    "values_removed" INTEGER NOT NULL,
    "definition_changed" BOOLEAN NOT NULL,

    CONSTRAINT "import_change_pkey" PRIMARY KEY ("position")
);

-- AddForeignKey
ALTER TABLE "indicators"."import_change" ADD CONSTRAINT "import_change_position_fkey" FOREIGN KEY ("position") REFERENCES "indicators"."change_log"("position") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION "indicators".refuse_import_change_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'indicators.import_change is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER import_change_append_only BEFORE UPDATE OR DELETE ON "indicators"."import_change" FOR EACH ROW EXECUTE FUNCTION "indicators".refuse_import_change_edit();
CREATE TRIGGER import_change_no_truncate BEFORE TRUNCATE ON "indicators"."import_change" FOR EACH STATEMENT EXECUTE FUNCTION "indicators".refuse_import_change_edit();
