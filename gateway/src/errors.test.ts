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
