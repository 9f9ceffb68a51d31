import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ErrorCode } from '@regiograph/shared';

/** Codes the gateway itself answers with (`errors[].extensions.code`), besides Apollo's and the subgraphs'. */
export const GatewayErrorCode = {
  QueryTooDeep: ErrorCode.QueryTooDeep,
  TooManyAliases: 'TOO_MANY_ALIASES',
  TooManyDirectives: 'TOO_MANY_DIRECTIVES',
  TooManyTokens: 'TOO_MANY_TOKENS',
  QueryTooCostly: 'QUERY_TOO_COSTLY',
  OperationNotRegistered: 'OPERATION_NOT_REGISTERED',
  SafelistUnavailable: 'SAFELIST_UNAVAILABLE',
  PersistedQueryHashMismatch: 'PERSISTED_QUERY_HASH_MISMATCH',
  SubgraphUnavailable: 'SUBGRAPH_UNAVAILABLE',
  DocumentLimitsMismatch: 'DOCUMENT_LIMITS_MISMATCH',
  RateLimited: 'RATE_LIMITED',
  Overloaded: 'OVERLOADED',
  InvalidApiKey: 'INVALID_API_KEY',
  ConflictingCredentials: 'CONFLICTING_CREDENTIALS',
  ApiKeysUnavailable: 'API_KEYS_UNAVAILABLE',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/**
 * Codes whose messages are written for clients and pass unchanged, also in production: every code
 * the subgraphs (shared `ErrorCode`), the gateway and Apollo Server emit, except Apollo's
 * INTERNAL_SERVER_ERROR. Derived, so a new code cannot be forgotten here and no stale one stays.
 */
export const CLIENT_FACING_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode),
  ...Object.values(GatewayErrorCode),
  ...Object.values(ApolloServerErrorCode).filter((code) => code !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR),
]);
