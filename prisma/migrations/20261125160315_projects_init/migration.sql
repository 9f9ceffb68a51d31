-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "projects";

-- CreateEnum
CREATE TYPE "projects"."ProjectKind" AS ENUM ('STUDY', 'MODEL_PROJECT', 'OTHER');

-- CreateEnum
CREATE TYPE "projects"."ProjectStatus" AS ENUM ('PLANNED', 'RUNNING', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "projects"."ProjectTopic" AS ENUM ('MOBILITY', 'EDUCATION', 'RETAIL', 'MEDICAL_CARE', 'DEMOGRAPHY', 'ECONOMY', 'LABOUR_MARKET', 'ENVIRONMENT');

-- CreateEnum
CREATE TYPE "projects"."ProjectRegionRole" AS ENUM ('LEAD', 'PARTNER', 'BENEFICIARY');

-- CreateEnum
CREATE TYPE "projects"."FundingLevel" AS ENUM ('EU', 'FEDERAL', 'STATE');

-- CreateTable
CREATE TABLE "projects"."project" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "kind" "projects"."ProjectKind" NOT NULL,
    "status" "projects"."ProjectStatus" NOT NULL,
    "topics" "projects"."ProjectTopic"[],
    "start_date" DATE NOT NULL,
    "end_date" DATE,
    "district_code" TEXT NOT NULL,
    "cooperation_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "synthetic" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "search_document" tsvector,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projects"."project_region" (
    "project_id" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "role" "projects"."ProjectRegionRole" NOT NULL,
    "district_code" TEXT NOT NULL,
    "county_code" TEXT,

    CONSTRAINT "project_region_pkey" PRIMARY KEY ("project_id","region_code")
);

-- CreateTable
CREATE TABLE "projects"."finding" (
    "id" SERIAL NOT NULL,
    "project_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "topic" "projects"."ProjectTopic" NOT NULL,

    CONSTRAINT "finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projects"."project_document" (
    "id" SERIAL NOT NULL,
    "project_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,

    CONSTRAINT "project_document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projects"."project_indicator" (
    "project_id" TEXT NOT NULL,
    "indicator_code" TEXT NOT NULL,

    CONSTRAINT "project_indicator_pkey" PRIMARY KEY ("project_id","indicator_code")
);

-- CreateTable
CREATE TABLE "projects"."funding_programme" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "projects"."FundingLevel" NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "funding_programme_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "projects"."funding" (
    "id" SERIAL NOT NULL,
    "project_id" TEXT NOT NULL,
    "programme_code" TEXT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "co_financing_share" DECIMAL(5,4) NOT NULL,
    "commitment_year" INTEGER NOT NULL,

    CONSTRAINT "funding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "project_district_code_start_date_idx" ON "projects"."project"("district_code", "start_date");

-- CreateIndex
CREATE INDEX "project_status_idx" ON "projects"."project"("status");

-- CreateIndex
CREATE INDEX "project_cooperation_id_idx" ON "projects"."project"("cooperation_id");

-- CreateIndex
CREATE INDEX "project_start_date_end_date_idx" ON "projects"."project"("start_date", "end_date");

-- CreateIndex
CREATE INDEX "project_topics_idx" ON "projects"."project" USING GIN ("topics");

-- CreateIndex
CREATE INDEX "project_search_document_idx" ON "projects"."project" USING GIN ("search_document");

-- CreateIndex
CREATE INDEX "project_region_region_code_idx" ON "projects"."project_region"("region_code");

-- CreateIndex
CREATE INDEX "project_region_district_code_idx" ON "projects"."project_region"("district_code");

-- CreateIndex
CREATE INDEX "project_region_county_code_idx" ON "projects"."project_region"("county_code");

-- CreateIndex
CREATE INDEX "finding_project_id_position_idx" ON "projects"."finding"("project_id", "position");

-- CreateIndex
CREATE INDEX "project_document_project_id_position_idx" ON "projects"."project_document"("project_id", "position");

-- CreateIndex
CREATE INDEX "project_indicator_indicator_code_idx" ON "projects"."project_indicator"("indicator_code");

-- CreateIndex
CREATE INDEX "funding_project_id_idx" ON "projects"."funding"("project_id");

-- CreateIndex
CREATE INDEX "funding_programme_code_commitment_year_idx" ON "projects"."funding"("programme_code", "commitment_year");

-- AddForeignKey
ALTER TABLE "projects"."project_region" ADD CONSTRAINT "project_region_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"."project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects"."finding" ADD CONSTRAINT "finding_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"."project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects"."project_document" ADD CONSTRAINT "project_document_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"."project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects"."project_indicator" ADD CONSTRAINT "project_indicator_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"."project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects"."funding" ADD CONSTRAINT "funding_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"."project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects"."funding" ADD CONSTRAINT "funding_programme_code_fkey" FOREIGN KEY ("programme_code") REFERENCES "projects"."funding_programme"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
