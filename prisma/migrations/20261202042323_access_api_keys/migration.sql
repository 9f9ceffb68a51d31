-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "access";

-- CreateTable
CREATE TABLE "access"."api_key" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "cost_points_per_window" INTEGER,
    "requests_per_window" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);
