-- AlterTable
ALTER TABLE "projects"."project" ADD COLUMN     "updated_by" TEXT;
