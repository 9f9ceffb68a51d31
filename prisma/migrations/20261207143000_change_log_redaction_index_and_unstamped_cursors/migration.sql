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

-- 2. A cursor of a release before the stamps (its position alone) cannot tell this feed from a
-- reset one that has grown past it. Every such cursor was given out before this migration ran, so
-- none names a position beyond the head the feed has now: that head is recorded here, per feed, as
-- the value of a function readChanges reads in its one statement, and an unstamped cursor past it is
-- refused like a stamped one whose change is not there. A database restored from a backup taken
-- before this migration records its own (lower) head when it is migrated again; a new database
-- records 0, as it never gave an unstamped cursor.
DO $do$
DECLARE
  feed text;
  head bigint;
BEGIN
  FOREACH feed IN ARRAY ARRAY['projects', 'cooperations', 'indicators'] LOOP
    EXECUTE format('SELECT coalesce(max(position), 0) FROM %I.change_log', feed) INTO head;
    EXECUTE format(
      'CREATE FUNCTION %I.change_log_unstamped_until() RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
      feed, format('SELECT %s::bigint', head));
    EXECUTE format(
      'COMMENT ON FUNCTION %I.change_log_unstamped_until() IS %L',
      feed, 'The last position of the change feed when its cursors began to carry stamps (recorded by a migration): '
        'a cursor without a stamp past it is refused.');
  END LOOP;
END
$do$;
