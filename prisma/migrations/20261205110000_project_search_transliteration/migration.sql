-- Project search reads "Aerzte" and "Dorflaeden" as "Ärzte" and "Dorfläden" (on a keyboard without
-- umlauts they are typed so), in the documents and in the queries alike: both go through this one
-- function (subgraphs/projects/src/search-document.ts). The German stemmer then drops the umlaut, so
-- "Arzt" still finds "Ärzte". The rule is Snowball's german2 prelude: ae→ä, oe→ö, ue→ü, except a "ue"
-- after q ("Quelle") or after a vowel, where the u is a consonant ("Steuer", "Bauern"); folding umlauts
-- the other way (ä→ae, as region names are) would part "Arzt" from "Ärzte". It lowers first: under the
-- C locale lower() and text search lower only ASCII letters (migration 20261205090000).
CREATE FUNCTION "projects"."search_text"(source text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT regexp_replace(
    replace(replace(translate(lower(source), 'ÄÖÜẞÀÁÂÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕØÙÚÛÝŒŠŽ', 'äöüßàáâãåæçèéêëìíîïñòóôõøùúûýœšž'), 'ae', 'ä'), 'oe', 'ö'),
    '(?<![qaeiouyäöü])ue', 'ü', 'g')
$$;

UPDATE "projects"."project" p
SET "search_document" =
  setweight(to_tsvector('german', "projects"."search_text"(p.title)), 'A') ||
  setweight(to_tsvector('german', "projects"."search_text"(p.summary)), 'B') ||
  setweight(to_tsvector('german', "projects"."search_text"(coalesce((SELECT string_agg(f.text, ' ' ORDER BY f.position) FROM "projects"."finding" f WHERE f.project_id = p.id), ''))), 'C');
