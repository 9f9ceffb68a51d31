-- Two leftovers of the change feeds' stamped cursors and actor redaction (subgraph-kit's change-feed.ts).
--
-- 1. The hourly redaction (redactExpiredActors) selects the rows whose actor still names a person
-- and that are older than the storage period. Without an index on changed_at it read the whole log
-- every hour. The index holds only the rows it can select: once redacted, a row leaves the index,
-- so it stays as small as the personal actors written within the period (plus those just expired),
-- however long the log grows. Its predicate must be the very one redactExpiredActors writes (its
-- personalActor), or the planner cannot prove that the statement's rows are all in the index. The
-- indicators log names no person (seed and imports only) and is never redacted.
DO $do$
DECLARE
  feed text;
BEGIN
  FOREACH feed IN ARRAY ARRAY['projects', 'cooperations'] LOOP
    EXECUTE format(
      'CREATE INDEX change_log_personal_changed_at_idx ON %I.change_log (changed_at) '
      'WHERE actor NOT IN (''seed'', ''redacted'') AND NOT starts_with(actor, ''import:'')',
      feed);
  END LOOP;
END
$do$;
