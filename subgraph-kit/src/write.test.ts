import { createTokenVerifier, type Caller } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import { readsOnPrimaryOnly, withPrimaryReads } from '@regiograph/db';
import {
  authorizeWrite,
  bumpVersion,
  characterCount,
  inUse,
  isRefused,
  MAX_SERIAL_KEY,
  notFound,
  refusable,
  RefusedWrite,
  retryStaleReads,
  serialKey,
  StaleRead,
  Validator,
  versionConflict,
  versionReadMismatch,
  type VersionedRows,
} from './write';

describe('Validator', () => {
  it('collects field errors under the input path', () => {
    const v = new Validator();
    expect(v.text('name', '  Leine  ', { required: true, max: 10 })).toBe('Leine');
    expect(v.text('name', undefined, { required: true, max: 10 })).toBeUndefined();
    expect(v.text('title', '   ', { required: true, max: 10 })).toBeNull();
    v.text('summary', 'x'.repeat(11), { required: false, max: 10 });
    v.url('website', 'ftp://example.org', 100);
    v.dateOrder('until', new Date('2024-01-02'), new Date('2024-01-01'), 'until must not be before from.');
    expect(v.yearRange('start', new Date('1800-01-01'), 1990, 2100)).toBeNull();
    expect(v.ok).toBe(false);
    expect(v.has('website')).toBe(true);
    expect(v.errors.map((error) => [error.field, error.code])).toEqual([
      ['input.title', 'REQUIRED'],
      ['input.summary', 'OUT_OF_RANGE'],
      ['input.website', 'INVALID'],
      ['input.until', 'OUT_OF_RANGE'],
      ['input.start', 'OUT_OF_RANGE'],
    ]);
  });

  it('counts characters, not UTF-16 units: an emoji is one character', () => {
    const v = new Validator();
    expect(characterCount('😀'.repeat(3))).toBe(3);
    expect(v.text('title', '😀'.repeat(300), { required: true, max: 300 })).toBe('😀'.repeat(300));
    expect(v.ok).toBe(true);
    v.text('title', '😀'.repeat(301), { required: true, max: 300 });
    expect(v.errors).toEqual([{ field: 'input.title', code: 'OUT_OF_RANGE', message: 'must be at most 300 characters.' }]);
  });

  it.each([
    ['zero-width space, word joiner and zero-width joiner', '\u2060\u200b\u200d'],
    ['a zero-width space between spaces', ' \u200b '],
    ['a byte order mark and a soft hyphen', '\ufeff\u00ad'],
    ['a Hangul filler', '\u3164'],
    ['a blank Braille cell', '\u2800'],
    ['bidi controls', '\u202e\u2066'],
  ])('treats a text of only invisible characters (%s) as empty', (_label, text) => {
    const v = new Validator();
    expect(v.text('title', text, { required: true, max: 300 })).toBeNull();
    expect(v.text('contact', text, { required: false, max: 300 })).toBeNull();
    expect(v.errors).toEqual([{ field: 'input.title', code: 'REQUIRED', message: 'must not be empty.' }]);
  });

  it('keeps a visible text that has invisible characters in it', () => {
    const v = new Validator();
    expect(v.text('title', '\u200bLeine\u200d', { required: true, max: 300 })).toBe('\u200bLeine\u200d');
    expect(v.ok).toBe(true);
  });

  it('refuses control characters and bidirectional overrides, but keeps tabs and line breaks', () => {
    const v = new Validator();
    for (const [index, character] of ['\u0007', '\u001b', '\u007f', '\u0085', '\u202e', '\u2066'].entries()) {
      v.text(`text${index}`, `Leine${character}Weser`, { required: true, max: 300 });
    }
    expect(v.errors.map((error) => [error.field, error.code])).toEqual(
      [0, 1, 2, 3, 4, 5].map((index) => [`input.text${index}`, 'INVALID']),
    );
    expect(v.errors[0]?.message).toBe('must not contain control characters (other than tabs and line breaks) or bidirectional overrides.');
    const fine = new Validator();
    expect(fine.text('summary', 'Erstens:\n\tLeine\r\nZweitens: Weser', { required: true, max: 300 })).toBe(
      'Erstens:\n\tLeine\r\nZweitens: Weser',
    );
    expect(fine.ok).toBe(true);
  });

  it('answers the trimmed URL that was checked', () => {
    const v = new Validator();
    expect(v.url('website', '  https://example.org/a%20b  ', 100)).toBe('https://example.org/a%20b');
    expect(v.url('website', undefined, 100)).toBeUndefined();
    expect(v.url('website', '  ', 100)).toBeNull();
    expect(v.ok).toBe(true);
  });

  it.each([
    ['a space inside', ' https://example.org/a b '],
    ['a newline in the host', 'https://exa\nmple.org/'],
    ['a tab in the path', 'https://example.org/a\tb'],
    ['a control character', 'https://example.org/\u0007'],
    ['a no-break space', 'https://example.org/a\u00a0b'],
    ['a zero-width space in the host', 'https://exa\u200bmple.org/'],
    ['a right-to-left override', 'https://example.org/\u202egpj.exe'],
  ])('refuses a URL with %s, which the URL parser would drop or encode, instead of storing it', (_label, url) => {
    const v = new Validator();
    v.url('website', url, 100);
    expect(v.errors).toEqual([
      {
        field: 'input.website',
        code: 'INVALID',
        message: 'must not contain spaces, control or invisible characters (percent-encode them, e.g. a space as %20).',
      },
    ]);
  });

  it('refuses a URL that is too long as too long, naming the limit, and not as malformed', () => {
    const v = new Validator();
    v.url('website', `https://e.org/${'a'.repeat(1990)}`, 2000);
    v.url('link', `e.org/${'a'.repeat(1995)}`, 2000);
    expect(v.errors).toEqual([
      { field: 'input.website', code: 'OUT_OF_RANGE', message: 'must be at most 2000 characters.' },
      { field: 'input.link', code: 'OUT_OF_RANGE', message: 'must be at most 2000 characters.' },
    ]);
  });

  it('requires a URL where asked to', () => {
    const v = new Validator();
    expect(v.url('documents[0].url', ' \u200b ', 100, { required: true })).toBeNull();
    v.url('documents[1].url', 'example.org/report.pdf', 100, { required: true });
    expect(v.errors.map((error) => [error.field, error.code, error.message])).toEqual([
      ['input.documents[0].url', 'REQUIRED', 'must not be empty.'],
      ['input.documents[1].url', 'INVALID', 'must be an http(s) URL.'],
    ]);
  });

  it('takes another prefix', () => {
    const v = new Validator('input.regions[0].');
    v.add('regionCode', 'INVALID', 'names a region twice');
    expect(v.errors).toEqual([{ field: 'input.regions[0].regionCode', code: 'INVALID', message: 'names a region twice' }]);
  });
});

/** A table of versioned rows in memory, standing in for a Prisma delegate (the kit's interface). */
function rowsOf(versions: Map<string, number>): VersionedRows<{ version: { increment: number } }> {
  return {
    async updateMany({ where }) {
      const current = versions.get(where.id);
      if (current === undefined || (where.version !== undefined && where.version !== current)) return { count: 0 };
      versions.set(where.id, current + 1);
      return { count: 1 };
    },
    async findUnique({ where }) {
      const version = versions.get(where.id);
      return version === undefined ? null : { version };
    },
  };
}

describe('refusable and bumpVersion', () => {
  it('increments a current version and refuses a stale one with VERSION_CONFLICT', async () => {
    const versions = new Map([['P-1', 3]]);
    const rows = rowsOf(versions);
    const options = { field: 'input.expectedVersion', what: 'project' };
    expect(await refusable(() => bumpVersion(rows, 'P-1', { ...options, expected: 3 }))).toBeUndefined();
    expect(versions.get('P-1')).toBe(4);
    const stale = await refusable(() => bumpVersion(rows, 'P-1', { ...options, expected: 3 }));
    expect(stale).toEqual([
      {
        field: 'input.expectedVersion',
        code: 'VERSION_CONFLICT',
        message: 'the project was changed by someone else; its current version is 4',
      },
    ]);
    // A version the record never had is not someone else's change.
    const future = await refusable(() => bumpVersion(rows, 'P-1', { ...options, expected: 99 }));
    expect(future).toEqual([
      {
        field: 'input.expectedVersion',
        code: 'VERSION_CONFLICT',
        message: 'the project has never had version 99; its current version is 4: send the version you read',
      },
    ]);
    const gone = await refusable(() => bumpVersion(rows, 'P-2', { ...options, expected: null }));
    expect(gone).toEqual([{ field: 'input.expectedVersion', code: 'VERSION_CONFLICT', message: 'the project no longer exists' }]);
    expect(await refusable(() => bumpVersion(rows, 'P-1', { ...options, expected: undefined }))).toBeUndefined();
    expect(versions.get('P-1')).toBe(5);
  });

  it("without the caller's version, conditions the increment on the version read for the checks: a change since is a StaleRead", async () => {
    const versions = new Map([['P-1', 5]]);
    const rows = rowsOf(versions);
    const options = { field: 'input.expectedVersion', what: 'project', expected: undefined };
    expect(await refusable(() => bumpVersion(rows, 'P-1', { ...options, read: 5 }))).toBeUndefined();
    expect(versions.get('P-1')).toBe(6);
    // Read at 5, changed to 6 by someone else meanwhile: not a refusal (the caller sent no version)
    // but a StaleRead, which `refusable` lets through; nothing was incremented.
    const stale = refusable(() => bumpVersion(rows, 'P-1', { ...options, read: 5 }));
    await expect(stale).rejects.toBeInstanceOf(StaleRead);
    await expect(stale).rejects.toMatchObject({ conflict: versionConflict('input.expectedVersion', 'project', 6) });
    expect(versions.get('P-1')).toBe(6);
    // Gone since the read: a refusal, as with the caller's version.
    expect(await refusable(() => bumpVersion(rows, 'P-2', { ...options, read: 1 }))).toEqual([
      { field: 'input.expectedVersion', code: 'VERSION_CONFLICT', message: 'the project no longer exists' },
    ]);
    // The caller's version wins over the one read, and its conflict is the caller's to resolve.
    expect(await refusable(() => bumpVersion(rows, 'P-1', { ...options, expected: 5, read: 6 }))).toEqual([
      versionConflict('input.expectedVersion', 'project', 6),
    ]);
    // Read older than the caller's version (a replica behind the caller): the checks ran on a state
    // the caller had already seen pass, so the write runs again instead, and nothing is incremented.
    await expect(refusable(() => bumpVersion(rows, 'P-1', { ...options, expected: 6, read: 5 }))).rejects.toBeInstanceOf(StaleRead);
    expect(versions.get('P-1')).toBe(6);
  });

  it('tells a read behind the caller (run again, on the primary) from a caller behind the record (VERSION_CONFLICT)', () => {
    const options = { field: 'expectedVersion', what: 'project' };
    expect(versionReadMismatch(4, { ...options, expected: 4 })).toBeNull();
    expect(versionReadMismatch(4, { ...options, expected: undefined })).toBeNull();
    expect(versionReadMismatch(5, { ...options, expected: 4 })).toEqual(versionConflict('expectedVersion', 'project', 5));
    expect(() => versionReadMismatch(3, { ...options, expected: 4 })).toThrow(StaleRead);
    // On the primary a version ahead of the record does not exist yet: refused, not run again.
    expect(withPrimaryReads(() => versionReadMismatch(3, { ...options, expected: 4 }))).toEqual(
      versionConflict('expectedVersion', 'project', 3, 4),
    );
  });

  it('answers a refusal as field errors and lets every other error through', async () => {
    const refused = await refusable(async () => {
      throw new RefusedWrite([notFound('input.id', 'project', 'P-9')]);
    });
    expect(isRefused(refused)).toBe(true);
    expect(refused).toEqual([{ field: 'input.id', code: 'NOT_FOUND', message: 'project "P-9" does not exist' }]);
    await expect(refusable(async () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    expect(isRefused(await refusable(async () => ({ id: 'P-1' })))).toBe(false);
  });
});

describe('retryStaleReads', () => {
  const conflict = versionConflict('input.expectedVersion', 'cooperation', 7);
  const refused = (error: typeof conflict) => ({ refusedWith: error });

  it('runs the write again while its read went stale, reading on the primary, and answers what the first fresh run answers', async () => {
    const onPrimary: boolean[] = [];
    const answer = await retryStaleReads<{ written: number } | { refusedWith: typeof conflict }>(async () => {
      onPrimary.push(readsOnPrimaryOnly());
      if (onPrimary.length < 3) throw new StaleRead(conflict);
      return { written: onPrimary.length };
    }, refused);
    expect(answer).toEqual({ written: 3 });
    // The first run may read from a replica; the runs after a stale read skip the replicas.
    expect(onPrimary).toEqual([false, true, true]);
  });

  it('answers VERSION_CONFLICT after the given number of stale runs in a row', async () => {
    let runs = 0;
    const answer = await retryStaleReads<{ written: number } | { refusedWith: typeof conflict }>(
      async () => {
        runs += 1;
        throw new StaleRead(conflict);
      },
      refused,
      4,
    );
    expect(answer).toEqual({ refusedWith: conflict });
    expect(runs).toBe(4);
  });

  it('lets any other error through at once', async () => {
    let runs = 0;
    await expect(
      retryStaleReads(async () => {
        runs += 1;
        throw new Error('connection lost');
      }, refused),
    ).rejects.toThrow('connection lost');
    expect(runs).toBe(1);
  });
});

describe('inUse', () => {
  it('names up to ten of the records that still link, and counts the rest', () => {
    expect(inUse('id', 'cooperation', 'C-7', { what: 'project', keys: ['P-1', 'P-2'] })).toEqual({
      field: 'id',
      code: 'IN_USE',
      message: 'cooperation "C-7" is still linked from 2 project record(s) ("P-1", "P-2"): unlink them before deleting it',
    });
    const keys = Array.from({ length: 13 }, (_, index) => `P-${index + 1}`);
    expect(inUse('id', 'cooperation', 'ZR01', { what: 'project', keys }).message).toBe(
      'cooperation "ZR01" is still linked from 13 project record(s) ("P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7", "P-8", "P-9", "P-10", 3 more): unlink them before deleting it',
    );
  });
});

describe('authorizeWrite', () => {
  const secret = 'a-test-secret-that-is-long-enough-for-hs256';
  const verifier = createTokenVerifier({ secret });
  const callerOf = (claims: { scopes: string[]; district?: string }): (() => Caller | null) => {
    const caller = verifier.verifyAuthorizationHeader(`Bearer ${testToken({ sub: 'editor-1', name: 'Editor', ...claims }, { secret })}`);
    return () => caller;
  };
  const codeOf = (work: () => unknown): string | null => {
    try {
      work();
      return null;
    } catch (error) {
      return (error as { extensions?: { code?: string } }).extensions?.code ?? 'NOT A GRAPHQL ERROR';
    }
  };

  it('needs a caller with the scope, in the districts named', () => {
    expect(codeOf(() => authorizeWrite(() => null, 'projects:write'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => authorizeWrite(callerOf({ scopes: ['cooperations:write'] }), 'projects:write'))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeWrite(callerOf({ scopes: ['projects:write'] }), 'projects:write', ['031', null]))).toBeNull();
    const bound = callerOf({ scopes: ['projects:write'], district: '032' });
    expect(codeOf(() => authorizeWrite(bound, 'projects:write', ['032', '032']))).toBeNull();
    expect(codeOf(() => authorizeWrite(bound, 'projects:write', ['032', '031']))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeWrite(bound, 'projects:write', [null]))).toBe('FORBIDDEN');
    expect(authorizeWrite(bound, 'projects:write', ['032']).subject).toBe('editor-1');
  });
});

describe('serialKey', () => {
  it('reads a canonical decimal within int4, and nothing else', () => {
    expect([serialKey('1'), serialKey('16'), serialKey(16), serialKey(String(MAX_SERIAL_KEY))]).toEqual([1, 16, 16, MAX_SERIAL_KEY]);
    for (const id of ['2147483648', '0x10', '1e2', ' 12 ', '+12', '012', '12.0', '-1', '0', '', '١٢'])
      expect([id, serialKey(id)]).toEqual([id, null]);
    expect(serialKey(2 ** 31)).toBeNull();
  });
});
