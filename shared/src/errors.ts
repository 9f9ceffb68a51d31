import { GraphQLError } from 'graphql';

/**
 * Stable error codes clients can branch on (`errors[].extensions.code`). Apollo's own codes
 * (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, …) keep their meaning.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  UnknownRegionCodes: 'UNKNOWN_REGION_CODES',
  UnknownIndicatorCodes: 'UNKNOWN_INDICATOR_CODES',
  TooManyItems: 'TOO_MANY_ITEMS',
  ResponseTooLarge: 'RESPONSE_TOO_LARGE',
  RequestAbandoned: 'REQUEST_ABANDONED',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  VersionConflict: 'VERSION_CONFLICT',
  /** An idempotency key sent again with other arguments (or for another mutation) than its first use. */
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  /**
   * A write names a record of another subgraph (a project's cooperation or indicator) and that
   * subgraph did not answer whether it exists, or a delete could not ask which records of another
   * subgraph still link to its record (a cooperation's projects): nothing was written, and the same
   * write may be sent again.
   */
  ReferenceCheckUnavailable: 'REFERENCE_CHECK_UNAVAILABLE',
  /** A document nested deeper than a limit: the gateway's field depth, or braces and brackets (document-limits.ts). */
  QueryTooDeep: 'QUERY_TOO_DEEP',
  /**
   * A database statement of the request ran past the subgraph's statement timeout
   * (DATABASE_STATEMENT_TIMEOUT_MS) and PostgreSQL stopped it: the database is slow, or a lock held
   * the statement up. The request's transaction, if any, was rolled back; the same request may be sent again later.
   */
  DatabaseTimeout: 'DATABASE_TIMEOUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Why an argument was refused with BAD_USER_INPUT (`errors[].extensions.reason`), beside the English
 * message, for the refusals a client's user can provoke by what they choose: a client says them in
 * its own language by the reason (the Atlas in German, atlas/src/errors.ts, whose test reads this
 * object) and quotes the message. A refusal without a reason is a client's mistake, not its user's.
 */
export const InputRefusalReason = {
  /** An analysis of rates asked for a count summed over the regions (aggregation SUM), such as the population. */
  NotAdditive: 'NOT_ADDITIVE',
  /** A search of punctuation or symbols alone. */
  SearchWithoutLetterOrDigit: 'SEARCH_WITHOUT_LETTER_OR_DIGIT',
  /** A search longer than its limit. */
  SearchTooLong: 'SEARCH_TOO_LONG',
  /** A region key that is no ARS of Lower Saxony (an AGS or NUTS code: `extensions.ars` names the ARS). */
  NotARegionCode: 'NOT_A_REGION_CODE',
  /** A parent region with no region of the level asked below it (a municipality's counties). */
  NoRegionsAtLevel: 'NO_REGIONS_AT_LEVEL',
  /** A parent region (withinParent) that is not above the region or level asked. */
  ParentNotAbove: 'PARENT_NOT_ABOVE',
} as const;
export type InputRefusalReason = (typeof InputRefusalReason)[keyof typeof InputRefusalReason];

export function userError(message: string, code: ErrorCode = ErrorCode.BadUserInput, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

export function notFound(what: string, key: string): GraphQLError {
  return userError(`${what} ${JSON.stringify(key)} does not exist.`, ErrorCode.NotFound, { key });
}
