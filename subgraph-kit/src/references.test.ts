// The happy paths against the real subgraphs are in test/projects.test.ts and test/cooperations.test.ts;
// here, how the checks read the environment and how they fail when the peer answers badly or not at all.
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { entityLinks, entityReferences, peerUrlFromEnvironment, readAfterLsnOf, type PeerUrl } from './references';

interface Seen {
  body: { query: string; variables: { representations: { __typename: string; id: string }[]; [argument: string]: unknown } };
  lsn: string | undefined;
}

/** An HTTP endpoint that answers each request with `answer` and records what it was sent. */
async function endpoint(
  answer: (seen: Seen, response: http.ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const entry: Seen = { body: JSON.parse(text) as Seen['body'], lsn: request.headers['x-read-after-lsn'] as string | undefined };
      seen.push(entry);
      answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const json = (response: http.ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

function codeOf(error: unknown): unknown {
  return error instanceof GraphQLError ? [error.extensions.code, error.message] : error;
}

/** The projects subgraph's check of cooperation ids, the one these tests exercise. */
function cooperationReferences(peerUrl: PeerUrl, timeoutMs?: number) {
  return entityReferences({ from: 'projects', owner: 'cooperations', typename: 'Cooperation', key: 'id', peerUrl, timeoutMs });
}

/** What `missing` rejects with when cooperations cannot answer, as codeOf shows it. */
function unavailable(reason: string): [string, string] {
  return [
    'REFERENCE_CHECK_UNAVAILABLE',
    `The cooperations subgraph could not check this write's references to Cooperation records (${reason}). Nothing was written; send it again.`,
  ];
}

describe('peerUrlFromEnvironment', () => {
  it('reads <NAME>_URL as the gateway does, else the registry’s default port', () => {
    const peerUrl = peerUrlFromEnvironment({ COOPERATIONS_URL: 'http://cooperations:4004/graphql' });
    expect(peerUrl('cooperations')).toBe('http://cooperations:4004/graphql');
    expect(peerUrl('regions')).toBe('http://127.0.0.1:4001/graphql');
  });
});

describe('entityReferences', () => {
  it('refuses to be built for a subgraph the registry does not list among the asker’s peers', () => {
    expect(() =>
      entityReferences({ from: 'regions', owner: 'projects', typename: 'Project', key: 'id', peerUrl: () => undefined }),
    ).toThrow('projects is not a peer of regions in the registry (shared/src/services.ts): add it to its peers');
  });

  it('refuses a subgraph that is not among the peers of an asker that has others', () => {
    expect(() =>
      entityReferences({ from: 'projects', owner: 'regions', typename: 'Region', key: 'code', peerUrl: () => undefined }),
    ).toThrow('regions is not a peer of projects in the registry (shared/src/services.ts): add it to its peers');
  });

  it('asks _entities once per distinct key, passes the write position on, and names the keys nobody holds', async () => {
    const owner = await endpoint((seen, response) =>
      json(response, 200, {
        data: { _entities: seen.body.variables.representations.map(({ id }) => (id === 'ZR01' ? { id } : null)) },
      }),
    );
    try {
      const references = cooperationReferences(() => owner.url);
      expect(await references.missing(['ZR01', 'NOPE', 'ZR01'], '0/16B3D48')).toEqual(['NOPE']);
      expect(await references.missing([])).toEqual([]);
      expect(owner.seen).toHaveLength(1);
      expect(owner.seen[0]!.lsn).toBe('0/16B3D48');
      expect(owner.seen[0]!.body.query).toContain('... on Cooperation { id }');
      expect(owner.seen[0]!.body.variables.representations).toEqual([
        { __typename: 'Cooperation', id: 'ZR01' },
        { __typename: 'Cooperation', id: 'NOPE' },
      ]);
    } finally {
      await owner.close();
    }
  });

  it('reads further fields of the entities it finds in the same one call', async () => {
    const owner = await endpoint((seen, response) =>
      json(response, 200, {
        data: {
          _entities: seen.body.variables.representations.map(({ id }) => (id === 'ZR01' ? { id, founded: '2022-09-19' } : null)),
        },
      }),
    );
    try {
      const references = entityReferences({
        from: 'projects',
        owner: 'cooperations',
        typename: 'Cooperation',
        key: 'id',
        fields: ['founded'],
        peerUrl: () => owner.url,
      });
      expect(await references.found(['ZR01', 'NOPE', 'ZR01'])).toEqual(new Map([['ZR01', { id: 'ZR01', founded: '2022-09-19' }]]));
      expect(await references.found([])).toEqual(new Map());
      expect(owner.seen).toHaveLength(1);
      expect(owner.seen[0]!.body.query).toContain('... on Cooperation { id founded }');
    } finally {
      await owner.close();
    }
  });

  it.each<[string, (seen: Seen, response: http.ServerResponse) => void, string]>([
    ['an HTTP error', (_seen, response) => json(response, 503, { errors: [{ message: 'draining' }] }), 'HTTP 503'],
    [
      // The owner's message may name its internals; it must not reach the client.
      'GraphQL errors',
      (_seen, response) => json(response, 200, { errors: [{ message: "Can't reach database server at 10.0.0.7:5432" }] }),
      'it answered with errors',
    ],
    ['fewer entities than asked', (_seen, response) => json(response, 200, { data: { _entities: [] } }), 'an answer without entities'],
    ['no answer in time', () => undefined, 'no answer within 200 ms'],
  ])('reports %s as REFERENCE_CHECK_UNAVAILABLE, never as a missing key', async (_label, answer, reason) => {
    const owner = await endpoint(answer);
    try {
      const references = cooperationReferences(() => owner.url, 200);
      await expect(references.missing(['ZR01']).catch(codeOf)).resolves.toEqual(unavailable(reason));
    } finally {
      await owner.close();
    }
  });

  it('reports a subgraph that is not listening, or whose address is not known, the same way', async () => {
    const owner = await endpoint(() => undefined);
    const url = owner.url;
    await owner.close();
    for (const [peerUrl, reason] of [
      [() => url, 'it does not answer'],
      [() => undefined, 'its address is not known'],
    ] as const) {
      await expect(cooperationReferences(peerUrl).missing(['ZR01']).catch(codeOf)).resolves.toEqual(unavailable(reason));
    }
  });
});

/**
 * A question of cooperations to projects before a delete, with field and key names of its own
 * (the real one asks `projects { id }`): the query must take them from the options.
 */
const CARRIED_BY = {
  from: 'cooperations',
  linker: 'projects',
  typename: 'Cooperation',
  key: 'id',
  field: 'carriedBy',
  fieldKey: 'code',
} as const;
const projectLinks = (peerUrl: PeerUrl, timeoutMs?: number) => entityLinks({ ...CARRIED_BY, peerUrl, timeoutMs });

describe('entityLinks', () => {
  it('refuses to be built for a subgraph the registry does not list among the asker’s peers', () => {
    expect(() =>
      entityLinks({
        from: 'regions',
        linker: 'projects',
        typename: 'Region',
        key: 'code',
        field: 'projects',
        fieldKey: 'id',
        peerUrl: () => undefined,
      }),
    ).toThrow('projects is not a peer of regions in the registry (shared/src/services.ts): add it to its peers');
  });

  it("asks the linker's field of the entity through _entities, passes the write position on, and names the linking records", async () => {
    // A list, an empty list, or null (such a field may be nullable, as Cooperation.projects is).
    const answers = new Map<string, { code: string }[] | null>([
      ['ZR01', [{ code: 'P-0001' }, { code: 'P-0002' }]],
      ['C-999', []],
      ['C-NULL', null],
    ]);
    const linker = await endpoint((seen, response) =>
      json(response, 200, { data: { _entities: seen.body.variables.representations.map(({ id }) => ({ carriedBy: answers.get(id) })) } }),
    );
    try {
      const links = projectLinks(() => linker.url);
      expect(await links.linking('ZR01', '0/16B3D48')).toEqual(['P-0001', 'P-0002']);
      expect(await links.linking('C-999')).toEqual([]);
      expect(await links.linking('C-NULL')).toEqual([]);
      expect(linker.seen).toHaveLength(3);
      expect(linker.seen.map((seen) => seen.lsn)).toEqual(['0/16B3D48', undefined, undefined]);
      expect(linker.seen[0]!.body.query).toContain('... on Cooperation { carriedBy { code } }');
      expect(linker.seen[0]!.body.variables.representations).toEqual([{ __typename: 'Cooperation', id: 'ZR01' }]);
    } finally {
      await linker.close();
    }
  });

  it('narrows the field by the arguments a check gives, and asks without any as before when it gives none', async () => {
    const linker = await endpoint((seen, response) =>
      json(response, 200, { data: { _entities: [{ carriedBy: seen.body.variables.startingBefore ? [{ code: 'P-0002' }] : [] }] } }),
    );
    try {
      const links = entityLinks({ ...CARRIED_BY, arguments: { startingBefore: 'Date' }, peerUrl: () => linker.url });
      expect(await links.linking('ZR01', null, { startingBefore: '2021-05-01' })).toEqual(['P-0002']);
      expect(await links.linking('ZR01')).toEqual([]);
      expect(linker.seen.map((seen) => seen.body)).toEqual([
        {
          query:
            'query CheckLinks($representations: [_Any!]!, $startingBefore: Date) { _entities(representations: $representations) { ... on Cooperation { carriedBy(startingBefore: $startingBefore) { code } } } }',
          variables: { representations: [{ __typename: 'Cooperation', id: 'ZR01' }], startingBefore: '2021-05-01' },
        },
        {
          query:
            'query CheckLinks($representations: [_Any!]!) { _entities(representations: $representations) { ... on Cooperation { carriedBy { code } } } }',
          variables: { representations: [{ __typename: 'Cooperation', id: 'ZR01' }] },
        },
      ]);
      // An argument the options do not declare is a mistake in the asking subgraph, not the peer's.
      await expect(links.linking('ZR01', null, { endingAfter: '2021-05-01' })).rejects.toThrow(
        'carriedBy of Cooperation is not declared with the argument(s) endingAfter',
      );
      expect(linker.seen).toHaveLength(2);
    } finally {
      await linker.close();
    }
  });

  it.each<[string, (seen: Seen, response: http.ServerResponse) => void, string]>([
    ['an HTTP error', (_seen, response) => json(response, 502, {}), 'HTTP 502'],
    ['GraphQL errors', (_seen, response) => json(response, 200, { errors: [{ message: 'internal' }] }), 'it answered with errors'],
    ['no entity', (_seen, response) => json(response, 200, { data: { _entities: [null] } }), 'an answer without the entity'],
    [
      'no list where the records belong',
      (_seen, response) => json(response, 200, { data: { _entities: [{ carriedBy: 7 }] } }),
      'an answer without a list',
    ],
    [
      'records without their keys',
      (_seen, response) => json(response, 200, { data: { _entities: [{ carriedBy: [{ id: 'P-0001' }] }] } }),
      'an answer without keys',
    ],
    ['no answer in time', () => undefined, 'no answer within 200 ms'],
  ])('reports %s as REFERENCE_CHECK_UNAVAILABLE, never as "no links"', async (_label, answer, reason) => {
    const linker = await endpoint(answer);
    try {
      await expect(
        projectLinks(() => linker.url, 200)
          .linking('ZR01')
          .catch(codeOf),
      ).resolves.toEqual([
        'REFERENCE_CHECK_UNAVAILABLE',
        `The projects subgraph could not check which of its records link to this Cooperation (${reason}). Nothing was written; send it again.`,
      ]);
    } finally {
      await linker.close();
    }
  });
});

describe('readAfterLsnOf', () => {
  it("reads the caller's last write position from its request, and none without one", () => {
    expect(readAfterLsnOf({ headers: { 'x-read-after-lsn': '0/3000060' } } as unknown as IncomingMessage)).toBe('0/3000060');
    expect(readAfterLsnOf({ headers: {} } as unknown as IncomingMessage)).toBeNull();
    expect(readAfterLsnOf()).toBeNull();
  });
});
