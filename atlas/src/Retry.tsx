import { retryText } from './retry';

/**
 * Asks a view's request again: a subgraph that was down may be back, and the page recovers without a
 * reload. With `retryIn`, the page also asks by itself and says when; the button does not wait for it.
 */
export function RetryButton({ onRetry, retryIn = null }: { onRetry(): void; retryIn?: number | null }) {
  return (
    <>
      <button type="button" className="retry" onClick={onRetry}>
        Erneut versuchen
      </button>
      {retryIn !== null && (
        <small className="retry-auto" data-retry-in={retryIn}>
          {' '}
          Neuer Versuch automatisch {retryText(retryIn)}.
        </small>
      )}
    </>
  );
}
