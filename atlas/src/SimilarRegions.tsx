import { formatNumber } from './breaks';
import type { Failure } from './errors';
import { FailureText } from './FailureText';
import { largestContribution } from './similar';
import type { AtlasProfileQuery } from './generated/graphql';

type Analysis = NonNullable<NonNullable<AtlasProfileQuery['region']>['similarRegions']>;

/**
 * "Strukturähnliche Regionen": the regions of the same level nearest in the API's default profile,
 * each with the indicator that sets it apart most, and a way to its own profile.
 */
export function SimilarRegions({
  analysis,
  names,
  unavailable,
  onOpen,
}: {
  /** Null when the indicators subgraph did not answer (then `unavailable` says why). */
  analysis: Analysis | null | undefined;
  /** Indicator code → name, from the profile's catalogue. */
  names: ReadonlyMap<string, string>;
  unavailable: Failure | null;
  onOpen(code: string): void;
}) {
  if (!analysis)
    return (
      <section className="similar-regions">
        <h3>Strukturähnliche Regionen</h3>
        <p className="similar-unavailable" role="alert">
          Strukturähnliche Regionen nicht verfügbar: <FailureText failure={unavailable} />
        </p>
      </section>
    );
  return (
    <section className="similar-regions">
      <h3>Strukturähnliche Regionen</h3>
      {analysis.syntheticInputs && (
        <p className="synthetic-inputs">
          synthetische Daten: der Vergleich beruht auch auf synthetischen Demonstrationsdaten und zeigt nur die Methode.
        </p>
      )}
      {analysis.regions.length === 0 ? (
        <p>Keine vergleichbare Region dieser Ebene.</p>
      ) : (
        <ol className="similar">
          {analysis.regions.map((similar) => {
            const largest = largestContribution(similar.contributions);
            return (
              <li key={similar.regionCode} data-region-code={similar.regionCode} data-distance={similar.distance}>
                <button type="button" className="link" onClick={() => onOpen(similar.regionCode)}>
                  {similar.region.name} ({similar.region.officialType})
                </button>
                : Abstand {formatNumber(similar.distance, 2)}
                {largest && (
                  <span className="largest-difference" data-indicator={largest.indicatorCode}>
                    ; größter Unterschied: {names.get(largest.indicatorCode) ?? largest.indicatorCode} (
                    {formatNumber(largest.share * 100, 0)} % des Abstands)
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {analysis.omittedIndicators.length > 0 && (
        <small>
          Ohne Werte auf dieser Ebene, nicht verglichen: {analysis.omittedIndicators.map((indicator) => indicator.name).join(', ')}.
        </small>
      )}
      <details className="method">
        <summary>Methode (Standardprofil der API)</summary>
        <p>{analysis.method}</p>
      </details>
    </section>
  );
}
