-- Project search documents in lower case also for upper-case umlauts and accented letters: under
-- the C locale PostgreSQL's text search lowers only ASCII, so "Ärzte" in a text did not match
-- "ärzte", and an all-caps query with an umlaut found nothing. The expression is the one of
-- subgraphs/projects/src/search-document.ts at this migration.
UPDATE "projects"."project" p
SET "search_document" =
  setweight(to_tsvector('german', translate(p.title, 'ÄÖÜẞÀÁÂÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕØÙÚÛÝŒŠŽ', 'äöüßàáâãåæçèéêëìíîïñòóôõøùúûýœšž')), 'A') ||
  setweight(to_tsvector('german', translate(p.summary, 'ÄÖÜẞÀÁÂÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕØÙÚÛÝŒŠŽ', 'äöüßàáâãåæçèéêëìíîïñòóôõøùúûýœšž')), 'B') ||
  setweight(to_tsvector('german', translate(coalesce((SELECT string_agg(f.text, ' ' ORDER BY f.position) FROM "projects"."finding" f WHERE f.project_id = p.id), ''), 'ÄÖÜẞÀÁÂÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕØÙÚÛÝŒŠŽ', 'äöüßàáâãåæçèéêëìíîïñòóôõøùúûýœšž')), 'C');
