import { connectClient } from './connect';

const url = () => process.env.TEST_DATABASE_URL!;

describe('connectClient', () => {
  it('outlives the server ending its connection between statements: the next statement fails, the process goes on', async () => {
    const client = await connectClient({ connectionString: url() });
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise((resolve) => client.once('end', resolve));
    // What a fast shutdown does to every connection (57P01), here to this one alone.
    const admin = await connectClient({ connectionString: url() });
    try {
      expect((await admin.query('SELECT pg_terminate_backend($1) AS done', [rows[0]!.pid])).rows).toEqual([{ done: true }]);
    } finally {
      await admin.end();
    }
    await ended;
    await expect(client.query('SELECT 1')).rejects.toThrow(/not queryable|terminat/);
    await client.end().catch(() => undefined);
  });

  it('throws the connection error when nothing answers', async () => {
    await expect(
      connectClient({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2_000 }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
