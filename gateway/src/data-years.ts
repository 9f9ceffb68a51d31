// The years of the stored observations, which an open year range of the cost estimate reaches to
// (shared's DataYears). The shipped data end in 2023 (DATA_YEARS); an import of 2024 values made an
// open range or a table's grid count a year too few, an estimate under what the subgraph then
// answers, and so a hole in demand control. The gateway asks the indicators subgraph for every
// indicator's years whenever the data version moves (the importer, a seed and every write bump it,
// as for the response cache) and estimates with those, never with fewer years than the shipped ones.
// With them it reads the data bounds (shared's DATA_BOUNDS: the most members of a cooperation, the
// imports stored), each from its subgraph and each on its own.
// Not fixed here: an operation estimated before an import or write commits (or before its bump
// arrives) and executed after it is priced with the years and bounds of before. It is short by what
// was committed in that gap; imports take the seed lock one at a time and announce right after their
// commit, so in practice one import's years or one write's members, and the subgraphs' item budget
// (SUBGRAPH_MAX_ITEMS) bounds the answer whatever the estimate. Reading again at execution would
// cost every such operation a store round trip more for a gap of milliseconds.
import {
  DATA_BOUNDS,
  DATA_VERSION_KEY,
  DATA_YEARS,
  type DataBoundName,
  type DataYears,
  type Logger,
  type SeriesYears,
} from '@regiograph/shared';
import type { SharedStore } from './store';

/** What the gateway asks the indicators subgraph: its catalogue with each indicator's years with observations. */
export const DATA_YEARS_QUERY = '{ indicators { code years } }';

/** Milliseconds a read of the indicators' years may take before the estimate goes on with the span it knows. */
const READ_TIMEOUT_MS = 2_000;

export interface IndicatorYears {
  code: string;
  years: number[];
}

/** The DATA_BOUNDS figures that could be read, and what kept each other one from being read. */
export interface DataBoundsRead {
  bounds: Partial<Record<DataBoundName, number>>;
  problems: string[];
}

export interface DataYearsOptions {
  store: SharedStore;
  /** Every indicator's years with observations (the indicators subgraph's catalogue); rejects when it cannot be read. */
  read(): Promise<IndicatorYears[]>;
  /** The DATA_BOUNDS figures of the stored data, read with the years: those read, and why the others were not. */
  readBounds?(): Promise<DataBoundsRead>;
  logger?: Logger;
  /** Milliseconds before a failed read is tried again. @default 5000 */
  retryAfterMs?: number;
}

/** The span of these indicators' years, never narrower than the shipped data's, with each indicator's series. */
export function dataYearsOf(indicators: readonly IndicatorYears[]): DataYears {
  let first = DATA_YEARS.first;
  let last = DATA_YEARS.last;
  const series = new Map<string, SeriesYears>();
  for (const { code, years } of indicators) {
    if (years.length === 0) {
      series.set(code, { first: DATA_YEARS.first, last: DATA_YEARS.last, count: 0 });
      continue;
    }
    const own = { first: Math.min(...years), last: Math.max(...years), count: new Set(years).size };
    series.set(code, own);
    first = Math.min(first, own.first);
    last = Math.max(last, own.last);
  }
  return { first, last, series };
}

/**
 * The data years for each estimate: read again when the data version differs from the one of the
 * last read, one read at a time. Where a read fails (the indicators subgraph down or slow), the span
 * last known counts without the series, which may since have grown, and the read is tried again
 * after `retryAfterMs`.
 */
export class DataYearsSource {
  private years: DataYears = DATA_YEARS;
  /** The data version the years were read at; null before the first read. */
  private readAt: string | null = null;
  private reading: Promise<void> | null = null;
  private failedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DataYearsOptions) {}

  /** The years last read (DATA_YEARS before the first read), without asking whether the data moved since. */
  known(): DataYears {
    return this.years;
  }

  async current(): Promise<DataYears> {
    // A store that is down bumps no version either: the years last read stay.
    const version = (await this.options.store.get(DATA_VERSION_KEY).catch(() => null)) ?? '0';
    if (version === this.readAt) return this.years;
    if (!this.reading && Date.now() - this.failedAt < (this.options.retryAfterMs ?? 5_000)) return this.years;
    this.reading ??= this.read(version).finally(() => {
      this.reading = null;
    });
    await this.reading;
    return this.years;
  }

  private async read(version: string): Promise<void> {
    // The years and each bound apart: the indicators subgraph down must not cost the members' bound.
    const [indicators, bounds] = await Promise.allSettled([this.options.read(), this.options.readBounds?.()]);
    const problems: string[] = [];
    let years: DataYears;
    if (indicators.status === 'fulfilled') {
      years = dataYearsOf(indicators.value);
    } else {
      years = { first: this.years.first, last: this.years.last };
      problems.push(
        `the data years could not be read (${messageOf(indicators.reason)}): open year ranges are estimated over the span last known`,
      );
    }
    if (bounds.status === 'rejected') problems.push(`the data bounds could not be read (${messageOf(bounds.reason)})`);
    else if (bounds.value) {
      // A bound not read (its subgraph down) may since have grown: its list takes its declared size.
      years = { ...years, bounds: bounds.value.bounds };
      if (bounds.value.problems.length > 0) problems.push(`data bounds not read: ${bounds.value.problems.join('; ')}`);
    }
    this.years = years;
    if (problems.length === 0) {
      this.readAt = version;
      this.failedAt = Number.NEGATIVE_INFINITY;
      return;
    }
    this.failedAt = Date.now();
    for (const problem of problems) this.options.logger?.warn(problem);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Posts `query` to a subgraph's GraphQL endpoint and answers its root field `field`; rejects without
 * a URL, on an error status and where the answer has no such field, or one that `accepts` refuses.
 */
async function askSubgraph(
  endpoint: string | undefined,
  subgraph: string,
  query: string,
  field: string,
  accepts: (value: unknown) => boolean,
): Promise<unknown> {
  if (!endpoint) throw new Error(`the ${subgraph} subgraph has no URL yet`);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null };
  const value = body.data?.[field];
  if (!response.ok || !accepts(value)) throw new Error(`the ${subgraph} subgraph answered ${response.status} without ${field}`);
  return value;
}

/** Reads every indicator's years from the indicators subgraph at `url()` (its GraphQL endpoint). */
export function indicatorYearsReader(url: () => string | undefined): () => Promise<IndicatorYears[]> {
  return async () => {
    const indicators = (await askSubgraph(url(), 'indicators', DATA_YEARS_QUERY, 'indicators', Array.isArray)) as unknown[];
    return indicators.filter(
      (row): row is IndicatorYears =>
        typeof row === 'object' &&
        row !== null &&
        'code' in row &&
        typeof row.code === 'string' &&
        'years' in row &&
        Array.isArray(row.years),
    );
  };
}

/** The subgraph that answers each DATA_BOUNDS figure, as a root field of that name. */
export const DATA_BOUND_SUBGRAPHS: Readonly<Record<DataBoundName, string>> = {
  largestMembership: 'cooperations',
  importCount: 'indicators',
};

/** Reads every DATA_BOUNDS figure from its subgraph (`url(name)`: a subgraph's GraphQL endpoint), all at once, each on its own. */
export function dataBoundsReader(url: (subgraph: string) => string | undefined): () => Promise<DataBoundsRead> {
  const isCount = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
  return async () => {
    const names = Object.keys(DATA_BOUNDS) as DataBoundName[];
    const answers = await Promise.allSettled(
      names.map((name) => askSubgraph(url(DATA_BOUND_SUBGRAPHS[name]), DATA_BOUND_SUBGRAPHS[name], `{ ${name} }`, name, isCount)),
    );
    const read: DataBoundsRead = { bounds: {}, problems: [] };
    answers.forEach((answer, index) => {
      if (answer.status === 'fulfilled') read.bounds[names[index]!] = answer.value as number;
      else read.problems.push(messageOf(answer.reason));
    });
    return read;
  };
}
