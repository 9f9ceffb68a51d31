-- Whether RegioGraph computed an observation by its indicator's formula, rather than a source
-- publishing it: a publisher's own figure of a derived indicator was stored like a computed one, so a
-- catalogue row taking the formula away deleted it, and a changed formula or a revised input
-- overwrote it.
-- AlterTable
ALTER TABLE "indicators"."observation" ADD COLUMN     "derived" BOOLEAN NOT NULL DEFAULT false;

-- The values stored with a value of an indicator that has a formula were computed by it, but for a
-- figure a data steward gave of it, which nothing stored tells apart: it counts as computed until an
-- import gives it again (that import stores it as published).
UPDATE "indicators"."observation" o SET "derived" = true
  FROM "indicators"."indicator" i
 WHERE i.code = o.indicator_code AND i.formula IS NOT NULL AND o.value IS NOT NULL;
