import type { Indicator } from '@regiograph/db';
import type { QueryResultRow } from 'pg';

/** A pool, or one connection of it (the tests read inside a transaction they roll back). */
export interface Queryable {
  query<Row extends QueryResultRow>(text: string, values: unknown[]): Promise<{ rows: Row[] }>;
}

/**
 * The catalogue's columns in the shape of Prisma's `Indicator` model (catalogue.test.ts holds them
 * equal field for field), read with node-postgres: Prisma's result mapping of the few dozen wide
 * rows was a quarter of this subgraph's CPU under the region page (docs/benchmarks.md). The date is
 * read as UTC midnight, as Prisma reads a `@db.Date`.
 */
const INDICATOR_COLUMNS = `i.code, i.name, i.description, i.theme::text AS theme, i.unit, i.decimals, i.polarity::text AS polarity,
  i.aggregation::text AS aggregation, i.weight_indicator_code AS "weightIndicatorCode", i.source_publisher AS "sourcePublisher",
  i.source_title AS "sourceTitle", i.source_licence AS "sourceLicence", i.source_url AS "sourceUrl",
  i.source_attribution AS "sourceAttribution", (i.source_reference_date::timestamp AT TIME ZONE 'UTC') AS "sourceReferenceDate",
  i.source_code AS "sourceCode", i.reference_period AS "referencePeriod", i.break_notes AS "breakNotes", i.formula,
  i.derived_from AS "derivedFrom", i.official, i.coverage_levels AS "coverageLevels", i.coverage_years AS "coverageYears"`;

/**
 * One statement whatever the state of the cache: the version row, joined with every indicator only
 * when the version differs from the one held ($1). Version and rows come from one snapshot, so the
 * rows kept under a version are exactly that version's catalogue.
 */
const CATALOGUE_IF_CHANGED = `SELECT v.version::text AS "catalogueVersion", ${INDICATOR_COLUMNS}
  FROM indicators.catalogue_version v
  LEFT JOIN indicators.indicator i ON v.version::text IS DISTINCT FROM $1
  WHERE v.id
  ORDER BY i.code`;

/** An indicator's columns, all null on the one row that only carries an unchanged version. */
type CatalogueRow = { catalogueVersion: string } & { [Column in keyof Indicator]: Indicator[Column] | null };

/**
 * The indicator catalogue, kept between requests. Every read still asks PostgreSQL, in one statement,
 * for the catalogue's version (a trigger raises it with every write to the indicator table, whoever
 * writes: the importer, the seed, another instance, psql), and reads the rows again only when it
 * changed: a request never sees an older catalogue than the database it reads from. The maps handed
 * out are shared by concurrent requests and must not be changed.
 */
export class CatalogueCache {
  private held: { version: string; catalogue: Map<string, Indicator> } | null = null;

  /** The catalogue by code, in code order; one statement on `database`. */
  async read(database: Queryable): Promise<ReadonlyMap<string, Indicator>> {
    const { rows } = await database.query<CatalogueRow>(CATALOGUE_IF_CHANGED, [this.held?.version ?? null]);
    const version = rows[0]?.catalogueVersion;
    if (version === undefined) throw new Error('indicators.catalogue_version has no row: the migrations were not applied.');
    if (this.held && this.held.version === version) return this.held.catalogue;
    const catalogue = new Map<string, Indicator>();
    for (const { catalogueVersion: _version, ...row } of rows) {
      if (row.code !== null) catalogue.set(row.code, row as Indicator);
    }
    // A replica behind the primary may answer an older version after a newer one: kept as well, since
    // the rows always belong to the version they came with.
    this.held = { version, catalogue };
    return catalogue;
  }
}
