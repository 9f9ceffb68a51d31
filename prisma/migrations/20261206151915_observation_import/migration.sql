-- Which import last wrote each observation, and the release of official data it brought: a value
-- showed its source and licence but not the release it was published in. Null for the seed's rows.
-- AlterTable
ALTER TABLE "indicators"."observation" ADD COLUMN     "import_id" INTEGER;

-- CreateTable
CREATE TABLE "indicators"."import" (
    "id" SERIAL NOT NULL,
    "release" TEXT,
    "actor" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "indicators"."observation" ADD CONSTRAINT "observation_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "indicators"."import"("id") ON DELETE SET NULL ON UPDATE CASCADE;
