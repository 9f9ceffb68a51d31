-- Folded names for search count hyphens, dashes and full stops as spaces (shared's foldGermanText):
-- "Osterholz Scharmbeck" finds Osterholz-Scharmbeck, "Hann Münden" Hann. Münden. Names stored folded
-- by the earlier version are folded the same way here.
UPDATE "regions"."region"
SET "name_folded" = btrim(regexp_replace(regexp_replace("name_folded", '[-‐‑‒–—―.]', ' ', 'g'), '\s+', ' ', 'g'));
UPDATE "cooperations"."cooperation"
SET "name_folded" = btrim(regexp_replace(regexp_replace("name_folded", '[-‐‑‒–—―.]', ' ', 'g'), '\s+', ' ', 'g'));
