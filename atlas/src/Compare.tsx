import { formatNumber } from './breaks';
import { syntheticNote } from './catalogue';
import { aggregatedYearsOf } from './computed';
import { FailureText } from './FailureText';
import { LineChart } from './LineChart';
import type { AtlasCompareQuery } from './generated/graphql';
import type { QueryState } from './useQuery';

/** Up to six regions side by side: the map's indicator as a table (years × regions) and a chart. */
export function Compare({
  query,
  codes,
  indicator,
  onRemove,
}: {
  /** The view's one request (AtlasCompare), run by the page: it also brings the controls' catalogue. */
  query: QueryState<AtlasCompareQuery>;
  codes: string[];
  indicator: string;
  onRemove(code: string): void;
}) {
  const { data, error, partial, loading } = query;
  if (codes.length === 0)
    return (
      <p className="compare-empty" role="status">
        Noch keine Regionen im Vergleich: in der Karte eine Region anklicken und im Profil „Zum Vergleich hinzufügen“ wählen (bis zu sechs
        Regionen).
      </p>
    );
  if (loading && !data) return <p role="status">Vergleich wird geladen…</p>;
  if (error || !data)
    return (
      <p role="alert">
        Vergleich nicht verfügbar: <FailureText failure={error} />
      </p>
    );
  const shown = data.indicator;
  // Null for an unknown code and also when the indicators subgraph is down: the answer's errors say which.
  if (!shown)
    return (
      <p role="alert">
        Vergleich nicht verfügbar: <FailureText failure={partial} missing={`unbekannter Indikator ${indicator}`} />
      </p>
    );
  const regions = data.regionsByCodes.filter((region): region is NonNullable<typeof region> => region !== null);
  // A code of a link that names no region (mistyped, or not in the current territorial status).
  const unknown = codes.filter((code) => !regions.some((region) => region.code === code));
  const years = [...new Set(regions.flatMap((region) => (region.values ?? []).map((value) => value.year)))].sort((a, b) => a - b);
  const observationOf = (code: string, year: number) =>
    regions.find((region) => region.code === code)?.values?.find((value) => value.year === year);
  return (
    <section className="compare" aria-label="Vergleich">
      <h2>
        {shown.name} ({shown.unit}){syntheticNote(shown)}
      </h2>
      <LineChart
        title={`Vergleich ${shown.name}`}
        unit={shown.unit}
        decimals={shown.decimals}
        series={regions.map((region) => ({
          label: region.name,
          aggregatedYears: aggregatedYearsOf(region.values),
          points: (region.values ?? []).map((value) => ({ year: value.year, value: value.value ?? null })),
        }))}
      />
      <table>
        <caption className="visually-hidden">
          {shown.name} ({shown.unit}) je Jahr und Region
        </caption>
        <thead>
          <tr>
            <th scope="col">Jahr</th>
            {regions.map((region) => (
              <th key={region.code} scope="col" data-region-code={region.code}>
                {region.name}{' '}
                <button type="button" aria-label={`${region.name} entfernen`} onClick={() => onRemove(region.code)}>
                  ×
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {years.map((year) => (
            <tr key={year}>
              <th scope="row">{year}</th>
              {regions.map((region) => {
                const observation = observationOf(region.code, year);
                const value = observation?.value ?? null;
                return (
                  <td key={region.code} data-value={value ?? ''} data-aggregated={observation?.aggregated ? 'true' : undefined}>
                    {formatNumber(value, shown.decimals)}
                    {observation?.aggregated && value !== null ? ' (berechnet)' : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {unknown.length > 0 && (
        <p className="unknown-regions" role="status">
          Keine Region mit dem Schlüssel{' '}
          {unknown.map((code) => (
            <span key={code}>
              {code}{' '}
              <button type="button" aria-label={`${code} aus dem Vergleich entfernen`} onClick={() => onRemove(code)}>
                ×
              </button>{' '}
            </span>
          ))}
        </p>
      )}
      <p className="attribution">{shown.attribution}</p>
    </section>
  );
}
