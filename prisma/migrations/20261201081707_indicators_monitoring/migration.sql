-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "indicators"."IndicatorTheme" ADD VALUE 'HOUSING';
ALTER TYPE "indicators"."IndicatorTheme" ADD VALUE 'PUBLIC_FINANCES';

-- AlterTable
ALTER TABLE "indicators"."indicator" ADD COLUMN     "break_notes" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "derived_from" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "formula" TEXT,
ADD COLUMN     "reference_period" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "source_code" TEXT NOT NULL DEFAULT '';
