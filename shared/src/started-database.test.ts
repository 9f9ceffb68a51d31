import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDatabaseUrl } from './started-database';

describe('findDatabaseUrl', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'started-database-'));
  const started = path.join(directory, 'database-url');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('takes the first variable set, else the database npm start runs, else says what to do', () => {
    writeFileSync(started, 'postgresql://started@localhost:6001/regiograph\n');
    const names = ['API_KEYS_DATABASE_URL', 'DATABASE_URL'] as const;
    expect(findDatabaseUrl(names, { API_KEYS_DATABASE_URL: 'postgresql://keys/db', DATABASE_URL: 'postgresql://any/db' }, started)).toEqual(
      {
        url: 'postgresql://keys/db',
        from: 'API_KEYS_DATABASE_URL',
      },
    );
    expect(findDatabaseUrl(names, { API_KEYS_DATABASE_URL: ' ', DATABASE_URL: 'postgresql://any/db' }, started)).toEqual({
      url: 'postgresql://any/db',
      from: 'DATABASE_URL',
    });
    expect(findDatabaseUrl(names, {}, started)).toEqual({
      url: 'postgresql://started@localhost:6001/regiograph',
      from: 'npm start (.data/database-url)',
    });
    rmSync(started);
    expect(findDatabaseUrl(['DATABASE_URL'], {}, started)).toEqual({
      url: undefined,
      problem:
        'DATABASE_URL is not set, and npm start is not running (it writes the address of its database to .data/database-url): ' +
        "start it in another terminal, or set DATABASE_URL to the database's address (postgresql://…).",
    });
  });
});
