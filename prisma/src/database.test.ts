import { findFreePort } from './embedded';
import { printableDatabaseUrl, provideDatabase } from './database';

const ADVICE = 'Start that PostgreSQL or correct DATABASE_URL (postgresql://user:password@host:port/database); without DATABASE_URL';

describe('provideDatabase with DATABASE_URL', () => {
  it('uses a server that answers', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const database = await provideDatabase({ databaseUrl: url });
    expect(database).toMatchObject({ url, kind: 'server' });
    await database.stop();
  });

  it('names the setting, the URL without its password, the reason and the way out when nothing listens', async () => {
    const port = await findFreePort();
    const attempt = provideDatabase({ databaseUrl: `postgresql://postgres:secret-pw@127.0.0.1:${port}/regiograph` });
    await expect(attempt).rejects.toThrow(
      `cannot reach the database that DATABASE_URL names (postgresql://postgres:***@127.0.0.1:${port}/regiograph): connect ECONNREFUSED 127.0.0.1:${port}. ${ADVICE}`,
    );
    await expect(attempt).rejects.not.toThrow(/secret-pw/);
  });

  it("passes on the server's own reason when it answers but refuses, e.g. a database that does not exist", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = '/regiograph_no_such_database';
    await expect(provideDatabase({ databaseUrl: url.toString() })).rejects.toThrow(
      /^cannot reach the database that DATABASE_URL names \(postgresql:\/\/.+\/regiograph_no_such_database\): database "regiograph_no_such_database" does not exist\. Start that PostgreSQL/,
    );
  });

  it.each(['localhost:5432', 'regiograph', 'mysql://root@127.0.0.1/regiograph'])(
    'refuses %j, which is not a PostgreSQL URL, without trying to connect or echoing it',
    async (databaseUrl) => {
      const attempt = provideDatabase({ databaseUrl });
      await expect(attempt).rejects.toThrow(`DATABASE_URL is not a PostgreSQL URL. ${ADVICE}`);
      await expect(attempt).rejects.not.toThrow(databaseUrl);
    },
  );
});

describe('printableDatabaseUrl', () => {
  it('masks the password and nothing else', () => {
    expect(printableDatabaseUrl('postgresql://app:s3cr%40t@db.example:6543/regiograph?sslmode=require')).toBe(
      'postgresql://app:***@db.example:6543/regiograph?sslmode=require',
    );
    expect(printableDatabaseUrl('postgresql://postgres@127.0.0.1:5432/postgres')).toBe('postgresql://postgres@127.0.0.1:5432/postgres');
    expect(printableDatabaseUrl('not a url')).toBe('(not a URL)');
  });
});
