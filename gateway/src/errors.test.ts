import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@regiograph/shared';
import { CLIENT_FACING_CODES, GatewayErrorCode } from './errors';

describe('client-facing error codes', () => {
  it('pass every code the subgraphs and the gateway emit and Apollo’s request errors, never INTERNAL_SERVER_ERROR', () => {
    for (const code of [...Object.values(ErrorCode), ...Object.values(GatewayErrorCode)]) expect(CLIENT_FACING_CODES.has(code)).toBe(true);
    for (const code of [
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_REQUEST',
      'PERSISTED_QUERY_NOT_FOUND',
      'OPERATION_RESOLUTION_FAILURE',
    ]) {
      expect(CLIENT_FACING_CODES.has(code)).toBe(true);
    }
    expect(CLIENT_FACING_CODES.has('INTERNAL_SERVER_ERROR')).toBe(false);
  });
});

describe('the error table of docs/frontend.md', () => {
  /** The codes in the first column of section 5's table, where clients look a code up. */
  function documentedCodes(): Set<string> {
    const text = readFileSync(join(__dirname, '../../docs/frontend.md'), 'utf8');
    const section = text.slice(text.indexOf('## 5. Errors a page shows'), text.indexOf('## 6.'));
    const firstColumns = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|')[1]!);
    return new Set(firstColumns.flatMap((column) => [...column.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!)));
  }

  it('names every code a client can receive, and none that no part emits', () => {
    const documented = documentedCodes();
    const emitted = new Set([...CLIENT_FACING_CODES, 'INTERNAL_SERVER_ERROR']);
    expect({
      undocumented: [...emitted].filter((code) => !documented.has(code)).sort(),
      stale: [...documented].filter((code) => !emitted.has(code)).sort(),
    }).toEqual({ undocumented: [], stale: [] });
  });
});
