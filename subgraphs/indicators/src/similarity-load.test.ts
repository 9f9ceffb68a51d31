// Similarity searches from many origins in one request, posted straight to the subgraph as the
// gateway would (`_entities` with a Region representation per municipality). They once ran as one
// synchronous block: every other request waited for all of them, and a caller that had hung up was
// computed for to the end. Searches are counted (a wrapper around similarRegions), never timed.
import { SqlStatementCounter } from '@regiograph/db';
import { regionCatalogue } from '@regiograph/shared';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import type * as Analyses from './analytics/analyses';
import type * as Testing from './testing/server';

/** Searches run since the last reset (the mock's factory reads it, so its name starts with "mock"). */
const mockSearches = { count: 0 };

jest.mock('./analytics/analyses', () => {
  const actual = jest.requireActual<typeof Analyses>('./analytics/analyses');
  return {
    ...actual,
    similarRegions: (...args: Parameters<typeof Analyses.similarRegions>) => {
      mockSearches.count += 1;
      return actual.similarRegions(...args);
    },
  };
});

let server: SubgraphServer;
let url: string;
const counter = new SqlStatementCounter();

interface Result<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

function post<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<Result<T>> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  }).then((response) => response.json() as Promise<Result<T>>);
}

const MUNICIPALITIES = regionCatalogue()
  .atLevel('MUNICIPALITY')
  .map((region) => region.code);
/** Four searches per municipality: a request that takes dozens of turns. */
const SEARCHES = 4 * MUNICIPALITIES.length;
const HEAVY = `query ($representations: [_Any!]!, $indicators: [ID!]) { _entities(representations: $representations) { ... on Region {
  code
  a: similarRegions(indicators: $indicators, first: 20) { regions { regionCode distance } }
  b: similarRegions(indicators: $indicators, first: 21) { regions { regionCode } }
  c: similarRegions(indicators: $indicators, first: 22) { regions { regionCode } }
  d: similarRegions(indicators: $indicators, first: 23) { regions { regionCode } }
} } }`;
const CHEAP = '{ indicator(code: "population") { code } }';

interface SimilarEntity {
  code: string;
  a: { regions: { regionCode: string; distance: number }[] } | null;
}

let heavyVariables: Record<string, unknown>;

/** Lets the event loop run until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

// startSeededServer seeds an empty database (a lone `npx jest`): 330,000 observations.
jest.setTimeout(300_000);

beforeAll(async () => {
  // Loaded after jest.mock (esbuild does not hoist it), so the schema imports the counting wrapper.
  const { startSeededServer } = jest.requireActual<typeof Testing>('./testing/server');
  ({ server, url } = await startSeededServer(counter));
  // Every indicator with municipal values (at most 30 per profile): the probe's profile.
  const catalogue = await post<{ indicators: { code: string }[] }>('{ indicators(level: MUNICIPALITY) { code } }');
  const indicators = catalogue.data!.indicators.map((indicator) => indicator.code).slice(0, 30);
  expect(indicators.length).toBeGreaterThan(20);
  heavyVariables = { representations: MUNICIPALITIES.map((code) => ({ __typename: 'Region', code })), indicators };
});

afterAll(async () => {
  await server?.close();
});

describe('similarity searches from many origins', () => {
  it('search from every municipality in two statements, each as the search from that municipality alone', async () => {
    counter.reset();
    mockSearches.count = 0;
    const all = await post<{ _entities: SimilarEntity[] }>(HEAVY, heavyVariables);
    expect(all.errors).toBeUndefined();
    expect(mockSearches.count).toBe(SEARCHES);
    // The catalogue and the profile, whatever the number of origins.
    expect(counter.count).toBe(2);
    for (const index of [0, 400, MUNICIPALITIES.length - 1]) {
      const alone = await post<{ _entities: SimilarEntity[] }>(HEAVY, {
        ...heavyVariables,
        representations: [{ __typename: 'Region', code: MUNICIPALITIES[index] }],
      });
      expect(alone.data!._entities[0]!.a).toEqual(all.data!._entities[index]!.a);
    }
  });

  it('answer a cheap query while they run', async () => {
    mockSearches.count = 0;
    let heavyDone = false;
    const heavy = post<{ _entities: SimilarEntity[] }>(HEAVY, heavyVariables).then((result) => {
      heavyDone = true;
      return result;
    });
    await until(() => mockSearches.count > 0 || heavyDone);
    const cheap = await post<{ indicator: { code: string } }>(CHEAP);
    const searchedMeanwhile = mockSearches.count;
    expect(cheap.data).toEqual({ indicator: { code: 'population' } });
    // Before: the first search seen was the last too, and the cheap query waited for all of them.
    expect(heavyDone).toBe(false);
    expect(searchedMeanwhile).toBeLessThan(SEARCHES);
    const answer = await heavy;
    expect(answer.errors).toBeUndefined();
    expect(mockSearches.count).toBe(SEARCHES);
  });

  it('stop once their caller has hung up', async () => {
    mockSearches.count = 0;
    const caller = new AbortController();
    const heavy = post(HEAVY, heavyVariables, caller.signal).catch((error: unknown) => error);
    await until(() => mockSearches.count > 0);
    caller.abort();
    expect(await heavy).toMatchObject({ name: 'AbortError' });
    // The subgraph notices the hang-up between turns: cheap queries until no further search has run.
    let searched = -1;
    while (searched !== mockSearches.count) {
      searched = mockSearches.count;
      expect((await post(CHEAP)).errors).toBeUndefined();
    }
    // Before: all of them ran, for nobody.
    expect(searched).toBeLessThan(SEARCHES / 2);
  });
});
