import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { failureOfError, request, RequestError } from './client';
import type { Failure } from './errors';
import { retryDelay } from './retry';

export interface QueryState<TResult> {
  data: TResult | null;
  error: Failure | null;
  /** The errors of an answer that has data: the fields they concern are null in `data`. */
  partial: Failure | null;
  loading: boolean;
  /**
   * Asks again with the same variables, keeping what is shown meanwhile: a subgraph that was down
   * may be back, and the page recovers without a reload.
   */
  retry(): void;
  /**
   * In how many ms the page asks again by itself (null: it will not): after a failure that may pass,
   * while the page is visible, 2 s after the first failure and twice as long after each further one.
   */
  retryIn: number | null;
}

interface Settled<TResult> {
  data: TResult | null;
  error: Failure | null;
  partial: Failure | null;
  loading: boolean;
  /** The error or the missing parts may pass by themselves (a subgraph that was down). */
  transient: boolean;
}

/** An attempt at the view's request; a quiet one (automatic) keeps the failure shown until its answer. */
interface Attempt {
  count: number;
  quiet: boolean;
}

/** One request per view: runs the view's operation whenever its variables change (null: not now). */
export function useQuery<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables | null,
): QueryState<TResult> {
  const key = variables === null ? null : JSON.stringify(variables);
  const [state, setState] = useState<Settled<TResult>>({ data: null, error: null, partial: null, loading: key !== null, transient: false });
  const [attempt, setAttempt] = useState<Attempt>({ count: 0, quiet: false });
  const [retryIn, setRetryIn] = useState<number | null>(null);
  // Failed attempts in a row at these variables: the backoff's exponent.
  const failures = useRef(0);
  const retry = useCallback(() => setAttempt(({ count }) => ({ count: count + 1, quiet: false })), []);
  // Other variables (another view, year, area) start the backoff afresh.
  useEffect(() => {
    failures.current = 0;
  }, [key]);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setRetryIn(null);
    if (!attempt.quiet) setState((previous) => ({ ...previous, loading: true, error: null }));
    request(document, JSON.parse(key) as TVariables).then(
      ({ data, partial, transient }) => {
        if (!current) return;
        failures.current = partial ? failures.current + 1 : 0;
        setState({ data, error: null, partial, loading: false, transient });
      },
      (error: unknown) => {
        if (!current) return;
        failures.current += 1;
        setState({
          data: null,
          error: failureOfError(error),
          partial: null,
          loading: false,
          transient: !(error instanceof RequestError) || error.transient,
        });
      },
    );
    return () => {
      current = false;
    };
    // `attempt` only asks again.
  }, [document, key, attempt]);
  // The automatic retry: planned after each answer that failed in a way that may pass; stopped when the
  // variables change (the cleanup) and while the page is hidden, asking at once when it is shown again.
  const waiting = key !== null && !state.loading && state.transient && (state.error !== null || state.partial !== null);
  useEffect(() => {
    if (!waiting) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const askQuietly = () => setAttempt(({ count }) => ({ count: count + 1, quiet: true }));
    const plan = () => {
      clearTimeout(timer);
      if (window.document.visibilityState === 'hidden') {
        setRetryIn(null);
        return;
      }
      const delay = retryDelay(failures.current);
      setRetryIn(delay);
      timer = setTimeout(askQuietly, delay);
    };
    const onVisibility = () => {
      if (window.document.visibilityState === 'hidden') plan();
      else askQuietly();
    };
    plan();
    window.document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      window.document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [waiting, state]);
  return { data: state.data, error: state.error, partial: state.partial, loading: state.loading, retry, retryIn: waiting ? retryIn : null };
}
