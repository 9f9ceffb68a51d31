import type { Failure } from './errors';

/**
 * A failure as the page says it: the German text, then the API's own words to quote when reporting it,
 * marked as English (WCAG 3.1.2) so that a screen reader reads them as such.
 */
export function FailureText({ failure, missing = 'keine Antwort.' }: { failure: Failure | null; missing?: string }) {
  if (!failure) return <>{missing}</>;
  return (
    <>
      {failure.text}
      {failure.details.length > 0 && (
        <>
          {' '}
          <small className="api-message">
            (Meldung der API: <span lang="en">{failure.details.join(' ')}</span>)
          </small>
        </>
      )}
    </>
  );
}
