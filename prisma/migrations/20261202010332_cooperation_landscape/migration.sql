-- AlterTable
ALTER TABLE "cooperations"."cooperation" ADD COLUMN     "budget_as_stated" TEXT,
ADD COLUMN     "budget_cents" BIGINT,
ADD COLUMN     "fields_of_action" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "fields_of_action_complete" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "lead_partner" TEXT,
ADD COLUMN     "members_complete" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "other_members" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "recognised_on" TEXT,
ADD COLUMN     "recognition_note" TEXT,
ADD COLUMN     "unmapped_members" TEXT;

-- AlterTable
ALTER TABLE "cooperations"."office" ADD COLUMN     "branch_offices" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "street_address" TEXT,
ADD COLUMN     "website" TEXT;

-- AlterTable
ALTER TABLE "cooperations"."regional_strategy" ADD COLUMN     "fields_of_action_complete" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "fields_of_action_note" TEXT;

-- AlterTable
ALTER TABLE "projects"."funding_programme" ADD COLUMN     "budget_as_stated" TEXT,
ADD COLUMN     "period" TEXT,
ADD COLUMN     "source" TEXT;
