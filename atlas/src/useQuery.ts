import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useCallback, useEffect, useState } from 'react';
import { request } from './client';

export interface QueryState<TResult> {
  data: TResult | null;
  error: string | null;
  /** The errors of an answer that has data: the fields they concern are null in `data`. */
  partial: string | null;
  loading: boolean;
  /**
   * Asks again with the same variables, keeping what is shown meanwhile: a subgraph that was down
   * may be back, and the page recovers without a reload.
   */
  retry(): void;
}

/** One request per view: runs the view's operation whenever its variables change (null: not now). */
export function useQuery<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables | null,
): QueryState<TResult> {
  const key = variables === null ? null : JSON.stringify(variables);
  const [state, setState] = useState<Omit<QueryState<TResult>, 'retry'>>({ data: null, error: null, partial: null, loading: key !== null });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    request(document, JSON.parse(key) as TVariables).then(
      ({ data, partial }) => current && setState({ data, error: null, partial, loading: false }),
      (error: unknown) =>
        current && setState({ data: null, error: error instanceof Error ? error.message : String(error), partial: null, loading: false }),
    );
    return () => {
      current = false;
    };
    // `attempt` only asks again.
  }, [document, key, attempt]);
  return { ...state, retry };
}
