// The physical floor of the analyst table: one hand-written SQL statement through `pg`, served as
// a small HTTP endpoint (node:http, JSON in and out) in its own process, answering in the same
// shape as the GraphQL operation. Whatever the platform spends beyond this is its own cost.
import http from 'node:http';
import pg from 'pg';

export interface FloorRequest {
  indicators: string[];
  level: string;
  fromYear: number;
  toYear: number;
}

export interface FloorRow {
  code: string;
  name: string;
  parent_code: string | null;
  parent_name: string | null;
  indicator_code: string | null;
  year: number | null;
  value: number | null;
}

export const FLOOR_SQL = `
  SELECT r.code, r.name, p.code AS parent_code, p.name AS parent_name, o.indicator_code, o.year, o.value
  FROM regions.region r
  LEFT JOIN regions.region p ON p.code = r.parent_code
  LEFT JOIN indicators.observation o
    ON o.region_code = r.code AND o.indicator_code = ANY($1::text[]) AND o.year BETWEEN $2 AND $3
  WHERE r.level = $4::regions."RegionLevel"
  ORDER BY r.code, o.year`;

/** The same table the GraphQL operation returns: regions with names and parents, one row per region and year. */
export function buildTable(rows: readonly FloorRow[], request: FloorRequest) {
  const column = new Map(request.indicators.map((code, index) => [code, index]));
  const years: number[] = [];
  for (let year = request.fromYear; year <= request.toYear; year += 1) years.push(year);
  const regions: { code: string; name: string; parent: { code: string; name: string } | null }[] = [];
  const valuesByRegion = new Map<string, (number | null)[][]>();
  for (const row of rows) {
    let values = valuesByRegion.get(row.code);
    if (!values) {
      regions.push({
        code: row.code,
        name: row.name,
        parent: row.parent_code ? { code: row.parent_code, name: row.parent_name ?? '' } : null,
      });
      values = years.map(() => request.indicators.map(() => null));
      valuesByRegion.set(row.code, values);
    }
    if (row.indicator_code === null || row.year === null) continue;
    values[row.year - request.fromYear]![column.get(row.indicator_code)!] = row.value;
  }
  const tableRows = regions.flatMap((region) =>
    years.map((year, index) => ({ regionCode: region.code, year, values: valuesByRegion.get(region.code)![index]! })),
  );
  return { data: { observationTable: { years, regions, rows: tableRows } } };
}

function main(): void {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, application_name: 'regiograph-bench-floor' });
  const server = http.createServer((request, response) => {
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    if (request.url === '/ready') {
      pool.query('SELECT 1').then(
        () => reply(200, { status: 'ready' }),
        (error: Error) => reply(503, { status: error.message }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let input: FloorRequest;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FloorRequest;
      } catch {
        reply(400, { errors: [{ message: 'body is not JSON' }] });
        return;
      }
      pool.query<FloorRow>(FLOOR_SQL, [input.indicators, input.fromYear, input.toYear, input.level]).then(
        (result) => reply(200, buildTable(result.rows, input)),
        (error: Error) => reply(500, { errors: [{ message: error.message }] }),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 4200), process.env.HOST ?? '127.0.0.1');
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) main();
