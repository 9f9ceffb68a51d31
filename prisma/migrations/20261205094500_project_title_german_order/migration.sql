-- Project titles sort as German readers expect ("Göttingen" before "Grafschaft Bentheim"): the
-- databases are created under the C locale, which sorts by byte and puts every umlaut after "z".
-- ICU's German collation ships with PostgreSQL (the embedded one and Debian's alike).
ALTER TABLE "projects"."project" ALTER COLUMN "title" SET DATA TYPE TEXT COLLATE "de-x-icu";
