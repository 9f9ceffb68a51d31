-- Whether RegioGraph computed an observation from the regions within (an ArL district from its
-- counties, the state where the source gives no state value) rather than read it from the source:
-- both were FINAL and alike, so a computed population-weighted mean passed for a published figure.
-- The seed sets it on its next start (the shipped data's fingerprint changes with it).
-- AlterTable
ALTER TABLE "indicators"."observation" ADD COLUMN     "aggregated" BOOLEAN NOT NULL DEFAULT false;
