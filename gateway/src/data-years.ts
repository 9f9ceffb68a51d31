// The years of the stored observations, which an open year range of the cost estimate reaches to
// (shared's DataYears). The shipped data end in 2023 (DATA_YEARS); an import of 2024 values made an
// open range or a table's grid count a year too few, an estimate under what the subgraph then
// answers, and so a hole in demand control. The gateway asks the indicators subgraph for every
// indicator's years whenever the data version moves (the importer, a seed and every write bump it,
// as for the response cache) and estimates with those, never with fewer years than the shipped ones.
import { DATA_VERSION_KEY, DATA_YEARS, type DataYears, type Logger, type SeriesYears } from '@regiograph/shared';
import type { SharedStore } from './store';

/** What the gateway asks the indicators subgraph: its catalogue with each indicator's years with observations. */
export const DATA_YEARS_QUERY = '{ indicators { code years } }';

/** Milliseconds a read of the indicators' years may take before the estimate goes on with the span it knows. */
const READ_TIMEOUT_MS = 2_000;

export interface IndicatorYears {
  code: string;
  years: number[];
}

export interface DataYearsOptions {
  store: SharedStore;
  /** Every indicator's years with observations (the indicators subgraph's catalogue); rejects when it cannot be read. */
  read(): Promise<IndicatorYears[]>;
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
    try {
      this.years = dataYearsOf(await this.options.read());
      this.readAt = version;
      this.failedAt = Number.NEGATIVE_INFINITY;
    } catch (error) {
      this.years = { first: this.years.first, last: this.years.last };
      this.failedAt = Date.now();
      this.options.logger?.warn('the data years could not be read: open year ranges are estimated over the span last known', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/** Reads every indicator's years from the indicators subgraph at `url()` (its GraphQL endpoint). */
export function indicatorYearsReader(url: () => string | undefined): () => Promise<IndicatorYears[]> {
  return async () => {
    const endpoint = url();
    if (!endpoint) throw new Error('the indicators subgraph has no URL yet');
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: DATA_YEARS_QUERY }),
      signal: AbortSignal.timeout(READ_TIMEOUT_MS),
    });
    const body = (await response.json()) as { data?: { indicators?: unknown } };
    const indicators = body.data?.indicators;
    if (!response.ok || !Array.isArray(indicators))
      throw new Error(`the indicators subgraph answered ${response.status} without indicators`);
    return indicators.filter(
      (row): row is IndicatorYears => typeof row === 'object' && row !== null && typeof row.code === 'string' && Array.isArray(row.years),
    );
  };
}
