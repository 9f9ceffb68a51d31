-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "indicators";

-- CreateEnum
CREATE TYPE "indicators"."IndicatorTheme" AS ENUM ('MOBILITY', 'EDUCATION', 'RETAIL', 'MEDICAL_CARE', 'DEMOGRAPHY', 'ECONOMY', 'LABOUR_MARKET', 'ENVIRONMENT', 'GEOGRAPHY');

-- CreateEnum
CREATE TYPE "indicators"."IndicatorPolarity" AS ENUM ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER', 'NEUTRAL');

-- CreateEnum
CREATE TYPE "indicators"."IndicatorAggregation" AS ENUM ('SUM', 'WEIGHTED_MEAN', 'NONE');

-- CreateEnum
CREATE TYPE "indicators"."ObservationStatus" AS ENUM ('FINAL', 'PROVISIONAL', 'ESTIMATED', 'SUPPRESSED', 'MISSING');

-- CreateTable
CREATE TABLE "indicators"."indicator" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "theme" "indicators"."IndicatorTheme" NOT NULL,
    "unit" TEXT NOT NULL,
    "decimals" INTEGER NOT NULL,
    "polarity" "indicators"."IndicatorPolarity" NOT NULL,
    "aggregation" "indicators"."IndicatorAggregation" NOT NULL,
    "weight_indicator_code" TEXT,
    "source_publisher" TEXT NOT NULL,
    "source_title" TEXT NOT NULL,
    "source_licence" TEXT NOT NULL,
    "source_url" TEXT,
    "source_attribution" TEXT NOT NULL,
    "source_reference_date" DATE,
    "official" BOOLEAN NOT NULL,
    "coverage_levels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "coverage_years" INTEGER[] DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "indicator_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "indicators"."observation" (
    "indicator_code" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "value" DOUBLE PRECISION,
    "status" "indicators"."ObservationStatus" NOT NULL,
    "missing_reason" TEXT,

    CONSTRAINT "observation_pkey" PRIMARY KEY ("region_code","indicator_code","year")
);

-- CreateIndex
CREATE INDEX "indicator_theme_code_idx" ON "indicators"."indicator"("theme", "code");

-- CreateIndex
CREATE INDEX "observation_indicator_code_year_region_code_idx" ON "indicators"."observation"("indicator_code", "year", "region_code");

-- AddForeignKey
ALTER TABLE "indicators"."observation" ADD CONSTRAINT "observation_indicator_code_fkey" FOREIGN KEY ("indicator_code") REFERENCES "indicators"."indicator"("code") ON DELETE CASCADE ON UPDATE CASCADE;
