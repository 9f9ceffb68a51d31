-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "cooperations";

-- CreateEnum
CREATE TYPE "cooperations"."CooperationKind" AS ENUM ('INTER_MUNICIPAL', 'CROSS_COUNTY_REGION', 'METROPOLITAN_REGION', 'LEADER_ILE_REGION', 'ZUKUNFTSREGION', 'OTHER');

-- CreateEnum
CREATE TYPE "cooperations"."CooperationStatus" AS ENUM ('ACTIVE', 'DISSOLVED', 'PLANNED');

-- CreateEnum
CREATE TYPE "cooperations"."MembershipRole" AS ENUM ('LEAD', 'MEMBER');

-- CreateEnum
CREATE TYPE "cooperations"."ActorSector" AS ENUM ('ADMINISTRATION', 'POLITICS', 'BUSINESS', 'CIVIL_SOCIETY', 'SCIENCE');

-- CreateTable
CREATE TABLE "cooperations"."cooperation" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_folded" TEXT NOT NULL,
    "kind" "cooperations"."CooperationKind" NOT NULL,
    "description" TEXT NOT NULL,
    "founded" DATE,
    "dissolved_on" DATE,
    "status" "cooperations"."CooperationStatus" NOT NULL,
    "contact" TEXT,
    "website" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "synthetic" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "cooperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperations"."membership" (
    "id" TEXT NOT NULL,
    "cooperation_id" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "district_code" TEXT,
    "county_code" TEXT,
    "association_code" TEXT,
    "role" "cooperations"."MembershipRole" NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_until" DATE,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperations"."actor" (
    "id" TEXT NOT NULL,
    "cooperation_id" TEXT NOT NULL,
    "sector" "cooperations"."ActorSector" NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "synthetic" BOOLEAN NOT NULL,

    CONSTRAINT "actor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperations"."regional_strategy" (
    "district_code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "adopted_on" DATE NOT NULL,
    "adopted_on_synthetic" BOOLEAN NOT NULL,
    "updated_on" DATE[],
    "updated_on_synthetic" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "regional_strategy_pkey" PRIMARY KEY ("district_code")
);

-- CreateTable
CREATE TABLE "cooperations"."field_of_action" (
    "id" TEXT NOT NULL,
    "district_code" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "goals" TEXT[],
    "synthetic" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "field_of_action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperations"."office" (
    "district_code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seat" TEXT NOT NULL,
    "commissioner_role" TEXT NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "office_pkey" PRIMARY KEY ("district_code")
);

-- CreateIndex
CREATE INDEX "cooperation_kind_id_idx" ON "cooperations"."cooperation"("kind", "id");

-- CreateIndex
CREATE INDEX "cooperation_status_id_idx" ON "cooperations"."cooperation"("status", "id");

-- CreateIndex
CREATE INDEX "membership_region_code_cooperation_id_idx" ON "cooperations"."membership"("region_code", "cooperation_id");

-- CreateIndex
CREATE INDEX "membership_county_code_idx" ON "cooperations"."membership"("county_code");

-- CreateIndex
CREATE INDEX "membership_district_code_idx" ON "cooperations"."membership"("district_code");

-- CreateIndex
CREATE INDEX "membership_association_code_idx" ON "cooperations"."membership"("association_code");

-- CreateIndex
CREATE INDEX "membership_cooperation_id_region_code_idx" ON "cooperations"."membership"("cooperation_id", "region_code");

-- CreateIndex
CREATE INDEX "actor_cooperation_id_idx" ON "cooperations"."actor"("cooperation_id");

-- CreateIndex
CREATE UNIQUE INDEX "field_of_action_district_code_position_key" ON "cooperations"."field_of_action"("district_code", "position");

-- AddForeignKey
ALTER TABLE "cooperations"."membership" ADD CONSTRAINT "membership_cooperation_id_fkey" FOREIGN KEY ("cooperation_id") REFERENCES "cooperations"."cooperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperations"."actor" ADD CONSTRAINT "actor_cooperation_id_fkey" FOREIGN KEY ("cooperation_id") REFERENCES "cooperations"."cooperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperations"."field_of_action" ADD CONSTRAINT "field_of_action_district_code_fkey" FOREIGN KEY ("district_code") REFERENCES "cooperations"."regional_strategy"("district_code") ON DELETE CASCADE ON UPDATE CASCADE;
