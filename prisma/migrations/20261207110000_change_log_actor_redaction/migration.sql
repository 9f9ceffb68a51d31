-- The change logs stay append-only but for one edit: after the storage period the operator sets
-- (CHANGE_LOG_ACTOR_RETENTION_DAYS, docs/privacy.md), subgraph-kit's redactExpiredActors replaces a
-- row's actor by the placeholder 'redacted' (REDACTED_ACTOR in shared's auth.ts). Every other column
-- must stay as it was, so cursors and partners' positions do not move; any other UPDATE, DELETE and
-- TRUNCATE are refused as before. The indicators log, written only by the seed and imports, names no
-- person and keeps its stricter function. One body for both schemas, as the triggers call each
-- schema's own function.
DO $do$
DECLARE
  feed text;
BEGIN
  FOREACH feed IN ARRAY ARRAY['projects', 'cooperations'] LOOP
    EXECUTE format($f$
      CREATE OR REPLACE FUNCTION %1$I.refuse_change_log_edit() RETURNS trigger LANGUAGE plpgsql AS $body$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor = 'redacted' AND to_jsonb(NEW) - 'actor' = to_jsonb(OLD) - 'actor' THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '%1$s.change_log is append-only: %% refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $body$$f$, feed);
  END LOOP;
END
$do$;
