-- Who made an indicator official statistics, by which import: official true is a claim every user of the
-- API relies on, and the importer's command line (DATABASE_URL) is the only way to make it; an import that
-- makes it must name who vouches for it (--official-by), and the act is kept here with the files' hashes.
-- CreateTable
CREATE TABLE "indicators"."official_designation" (
    "id" SERIAL NOT NULL,
    "indicator_code" TEXT NOT NULL,
    "official_by" TEXT NOT NULL,
    "database_user" TEXT NOT NULL DEFAULT session_user,
    "files" JSONB NOT NULL,
    "release" TEXT,
    "designated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "official_designation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "official_designation_indicator_code_idx" ON "indicators"."official_designation"("indicator_code");
