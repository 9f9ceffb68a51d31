-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "regions";

-- CreateEnum
CREATE TYPE "regions"."RegionLevel" AS ENUM ('STATE', 'DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION', 'MUNICIPALITY');

-- CreateTable
CREATE TABLE "regions"."data_source" (
    "id" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "licence" TEXT NOT NULL,
    "licence_url" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,
    "reference_date" DATE NOT NULL,
    "official" BOOLEAN NOT NULL,

    CONSTRAINT "data_source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "regions"."region" (
    "code" TEXT NOT NULL,
    "ags" TEXT,
    "name" TEXT NOT NULL,
    "name_folded" TEXT NOT NULL,
    "official_type" TEXT NOT NULL,
    "level" "regions"."RegionLevel" NOT NULL,
    "nuts" TEXT,
    "parent_code" TEXT,
    "district_code" TEXT,
    "county_code" TEXT,
    "valid_since" DATE,
    "source_id" TEXT NOT NULL,

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "regions"."region_boundary" (
    "code" TEXT NOT NULL,
    "geometry" JSONB NOT NULL,

    CONSTRAINT "region_boundary_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "region_parent_code_code_idx" ON "regions"."region"("parent_code", "code");

-- CreateIndex
CREATE INDEX "region_level_code_idx" ON "regions"."region"("level", "code");

-- CreateIndex
CREATE INDEX "region_district_code_level_code_idx" ON "regions"."region"("district_code", "level", "code");

-- CreateIndex
CREATE INDEX "region_county_code_level_code_idx" ON "regions"."region"("county_code", "level", "code");

-- AddForeignKey
ALTER TABLE "regions"."region" ADD CONSTRAINT "region_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "regions"."region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regions"."region" ADD CONSTRAINT "region_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "regions"."data_source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regions"."region_boundary" ADD CONSTRAINT "region_boundary_code_fkey" FOREIGN KEY ("code") REFERENCES "regions"."region"("code") ON DELETE CASCADE ON UPDATE CASCADE;
