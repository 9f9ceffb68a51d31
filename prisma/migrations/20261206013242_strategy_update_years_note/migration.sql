-- AlterTable
ALTER TABLE "cooperations"."regional_strategy" ADD COLUMN     "updated_in_years_note" TEXT;
