// A request that asks for many profiles (aliases of a report, each in another year), posted straight
// to the subgraph. Its profile statements once left all at once: they took every connection of the
// pool, and another caller's statement queued behind them all. Statements are counted, never timed.
import { SqlStatementCounter } from '@regiograph/db';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from './testing/server';

let server: SubgraphServer;
let url: string;
const counter = new SqlStatementCounter(true);

interface Result<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

function post<T>(query: string, signal?: AbortSignal): Promise<Result<T>> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), signal }).then(
    (response) => response.json() as Promise<Result<T>>,
  );
}

/** The profile statements sent since the last reset (loadProfiles' statement reads a whole level). */
function profileStatements(): number {
  return counter.statements.filter((text) => text.includes('WITH chosen AS')).length;
}

/** Lets the event loop run until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

const REPORTS = 30;
/** The probe's request: a municipal report for one number, in 30 years, so that no memo shares a profile. */
const HEAVY = `{ ${Array.from(
  { length: REPORTS },
  (_, i) =>
    `a${i}: disparities(indicators: ["population_density", "births_per_1000", "travel_time_hospital_min"], level: MUNICIPALITY, year: ${1990 + i}) { rankedRegions }`,
).join(' ')} }`;
const CHEAP = '{ indicator(code: "population") { code } }';

// startSeededServer seeds an empty database (a lone `npx jest`): 330,000 observations.
jest.setTimeout(300_000);

beforeAll(async () => {
  ({ server, url } = await startSeededServer(counter));
});

afterAll(async () => {
  await server?.close();
});

describe('profiles of one request', () => {
  it("are read one at a time, so another caller's statement is not queued behind them all", async () => {
    counter.reset();
    let heavyDone = false;
    const heavy = post(HEAVY).then((result) => {
      heavyDone = true;
      return result;
    });
    await until(() => profileStatements() > 0 || heavyDone);
    const cheap = await post<{ indicator: { code: string } }>(CHEAP);
    const readMeanwhile = profileStatements();
    expect(cheap.data).toEqual({ indicator: { code: 'population' } });
    expect(heavyDone).toBe(false);
    // Before: all 30 left at once, ten on the pool's connections and twenty queued ahead of the cheap
    // query's statement, which was sent only after the last of them.
    expect(readMeanwhile).toBeLessThan(REPORTS);
    const answer = await heavy;
    expect(answer.errors).toBeUndefined();
    expect(profileStatements()).toBe(REPORTS);
  });

  it('queued for a caller who hung up are not started', async () => {
    // Statements of an abandoned request are refused by the database client (RequestAbandonedError),
    // so none is sent; but each queued read still took a connection of the pool (opening one when
    // none was idle) to be refused on it. Connections taken are counted from the hang-up on.
    let taken = 0;
    const take = () => {
      taken += 1;
    };
    counter.reset();
    const caller = new AbortController();
    const heavy = post(HEAVY, caller.signal).catch((error: unknown) => error);
    await until(() => profileStatements() > 0);
    server.database.pool.on('acquire', take);
    try {
      caller.abort();
      expect(await heavy).toMatchObject({ name: 'AbortError' });
      // The read under way ends (its statement is cancelled: the pool has every connection back), then
      // requests that take no connection, until no further connection has been taken meanwhile.
      const { pool } = server.database;
      await until(() => pool.idleCount === pool.totalCount && pool.waitingCount === 0);
      let seen = -1;
      while (seen !== taken) {
        seen = taken;
        expect((await post('{ __typename }')).errors).toBeUndefined();
      }
      // Before: one for each of the 29 reads still queued.
      expect(taken).toBeLessThanOrEqual(1);
      expect(profileStatements()).toBeLessThanOrEqual(2);
    } finally {
      server.database.pool.off('acquire', take);
    }
  });
});
