/** The automatic retry's first delay: long enough for a restarting subgraph, short enough to feel automatic. */
export const FIRST_RETRY_MS = 2_000;
/** Its longest delay: a page left open on a failure asks once a minute, not more often. */
export const MAX_RETRY_MS = 60_000;

/** How long to wait before the next automatic attempt after `failures` failed ones in a row: 2 s, 4 s, 8 s … 60 s. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

/**
 * Error codes of a failure that may pass by itself: a subgraph that did not answer, an overloaded or
 * rate-limited gateway, the gateway's own fault. Any other code (a mistyped indicator of a link, a
 * refused report) gets the same answer however often it is asked, so it is not asked again unbidden.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'SUBGRAPH_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'OVERLOADED',
  'RATE_LIMITED',
  'API_KEYS_UNAVAILABLE',
  'SAFELIST_UNAVAILABLE',
]);

/** Whether asking again may help: some error is transient, or has no code (the gateway did not classify it). */
export function isTransient(errors: readonly { extensions?: { code?: string } }[]): boolean {
  return errors.some((error) => {
    const code = error.extensions?.code;
    return code === undefined || TRANSIENT_CODES.has(code);
  });
}

/** "in 4 s", "in 1 min": when the next automatic attempt is due, as the page says it. */
export function retryText(delay: number): string {
  return delay >= 60_000 ? `in ${Math.round(delay / 60_000)} min` : `in ${Math.round(delay / 1000)} s`;
}
