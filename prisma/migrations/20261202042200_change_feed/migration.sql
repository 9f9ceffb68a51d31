-- CreateTable
CREATE TABLE "cooperations"."change_log" (
    "position" BIGSERIAL NOT NULL,
    "entity_type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "version" INTEGER,
    "actor" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changes" JSONB,

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "cooperations"."idempotency_key" (
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("actor","key")
);

-- CreateTable
CREATE TABLE "indicators"."change_log" (
    "position" BIGSERIAL NOT NULL,
    "entity_type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "version" INTEGER,
    "actor" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changes" JSONB,

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "projects"."change_log" (
    "position" BIGSERIAL NOT NULL,
    "entity_type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "version" INTEGER,
    "actor" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changes" JSONB,

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "projects"."idempotency_key" (
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("actor","key")
);

-- CreateIndex
CREATE INDEX "change_log_entity_type_key_position_idx" ON "cooperations"."change_log"("entity_type", "key", "position");

-- CreateIndex
CREATE INDEX "change_log_actor_position_idx" ON "cooperations"."change_log"("actor", "position");

-- CreateIndex
CREATE INDEX "idempotency_key_created_at_idx" ON "cooperations"."idempotency_key"("created_at");

-- CreateIndex
CREATE INDEX "change_log_entity_type_key_position_idx" ON "indicators"."change_log"("entity_type", "key", "position");

-- CreateIndex
CREATE INDEX "change_log_actor_position_idx" ON "indicators"."change_log"("actor", "position");

-- CreateIndex
CREATE INDEX "change_log_entity_type_key_position_idx" ON "projects"."change_log"("entity_type", "key", "position");

-- CreateIndex
CREATE INDEX "change_log_actor_position_idx" ON "projects"."change_log"("actor", "position");

-- CreateIndex
CREATE INDEX "idempotency_key_created_at_idx" ON "projects"."idempotency_key"("created_at");

-- The change logs are the audit trail: append-only for everyone, enforced by the database and not
-- only by the API (no mutation updates or deletes them, and neither may SQL run by hand).
CREATE FUNCTION "projects".refuse_change_log_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'projects.change_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON "projects"."change_log" FOR EACH ROW EXECUTE FUNCTION "projects".refuse_change_log_edit();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON "projects"."change_log" FOR EACH STATEMENT EXECUTE FUNCTION "projects".refuse_change_log_edit();

CREATE FUNCTION "cooperations".refuse_change_log_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'cooperations.change_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON "cooperations"."change_log" FOR EACH ROW EXECUTE FUNCTION "cooperations".refuse_change_log_edit();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON "cooperations"."change_log" FOR EACH STATEMENT EXECUTE FUNCTION "cooperations".refuse_change_log_edit();

CREATE FUNCTION "indicators".refuse_change_log_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'indicators.change_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON "indicators"."change_log" FOR EACH ROW EXECUTE FUNCTION "indicators".refuse_change_log_edit();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON "indicators"."change_log" FOR EACH STATEMENT EXECUTE FUNCTION "indicators".refuse_change_log_edit();
