import { formatNumber } from './breaks';
import { AGGREGATED_NOTE, syntheticNote } from './catalogue';
import { FailureText } from './FailureText';
import type { AtlasTableQuery } from './generated/graphql';
import type { AtlasState } from './state';
import type { QueryState } from './useQuery';

/**
 * The gateway's plain-URL CSV export (with the notes on sources, licences and synthetic data) for these
 * parameters, its notes and RegioGraph's attributions in German; `forExcel` asks the dialect Excel with
 * German settings opens by double-click (";", decimal comma, byte order mark).
 */
export function observationsCsvUrl(params: URLSearchParams, forExcel = false): string {
  const german = new URLSearchParams(params);
  german.set('language', 'DE');
  if (forExcel) german.set('dialect', 'EXCEL_DE');
  return new URL(`../export/observations.csv?${german.toString()}`, document.baseURI).toString();
}

/** The gateway's plain-URL export of the same selection (the download and the table agree by construction). */
export function exportUrl(state: AtlasState, indicators: string[], shape: 'long' | 'wide', year: number | null, forExcel = false): string {
  const params = new URLSearchParams({ indicators: indicators.join(','), level: state.level, parent: state.area, shape });
  if (year !== null) {
    params.set('from', String(year));
    params.set('to', String(year));
  }
  return observationsCsvUrl(params, forExcel);
}

/** The current selection (indicators × regions of the map in the map's year) as a table, with CSV downloads. */
export function TableView({
  query,
  state,
  indicators,
  year,
}: {
  /** The view's one request (AtlasTable), run by the page: it also brings the controls' catalogue. */
  query: QueryState<AtlasTableQuery>;
  state: AtlasState;
  indicators: string[];
  year: number;
}) {
  const { data, error, loading } = query;
  const downloads = (
    <p className="downloads">
      CSV {year}:{' '}
      <a className="csv-long" href={exportUrl(state, indicators, 'long', year)} download>
        lang (eine Zeile je Wert)
      </a>{' '}
      ·{' '}
      <a className="csv-wide" href={exportUrl(state, indicators, 'wide', year)} download>
        breit (eine Spalte je Indikator)
      </a>{' '}
      · alle Jahre:{' '}
      <a className="csv-long-all" href={exportUrl(state, indicators, 'long', null)} download>
        lang
      </a>{' '}
      ·{' '}
      <a className="csv-wide-all" href={exportUrl(state, indicators, 'wide', null)} download>
        breit
      </a>
      <br />
      Für Excel (Semikolon, Dezimalkomma):{' '}
      <a className="csv-wide-excel" href={exportUrl(state, indicators, 'wide', year, true)} download>
        {year} breit
      </a>{' '}
      ·{' '}
      <a className="csv-long-excel" href={exportUrl(state, indicators, 'long', year, true)} download>
        {year} lang
      </a>{' '}
      ·{' '}
      <a className="csv-wide-all-excel" href={exportUrl(state, indicators, 'wide', null, true)} download>
        alle Jahre breit
      </a>{' '}
      ·{' '}
      <a className="csv-long-all-excel" href={exportUrl(state, indicators, 'long', null, true)} download>
        alle Jahre lang
      </a>
    </p>
  );
  if (loading && !data)
    return (
      <>
        {downloads}
        <p role="status">Tabelle wird geladen…</p>
      </>
    );
  if (error || !data)
    return (
      <>
        {downloads}
        <p role="alert">
          Tabelle nicht verfügbar: <FailureText failure={error} />
        </p>
      </>
    );
  const table = data.observationTable;
  const names = new Map(table.regions.map((region) => [region.code, region.name]));
  return (
    <section className="table" aria-label="Tabelle">
      {downloads}
      <table>
        <caption className="visually-hidden">
          {table.indicators.map((indicator) => indicator.name).join(', ')} {year}
        </caption>
        <thead>
          <tr>
            <th scope="col">Regionalschlüssel</th>
            <th scope="col">Region</th>
            <th scope="col">Jahr</th>
            {table.indicators.map((indicator) => (
              <th key={indicator.code} scope="col" data-indicator={indicator.code}>
                {indicator.name} ({indicator.unit}){syntheticNote(indicator)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={`${row.regionCode}-${row.year}`} data-region-code={row.regionCode} data-year={row.year}>
              <td>{row.regionCode}</td>
              <td>{names.get(row.regionCode)}</td>
              <td>{row.year}</td>
              {row.values.map((value, index) => {
                const aggregated = value !== null && row.cells[index]?.aggregated === true;
                return (
                  <td key={index} data-value={value ?? ''} data-aggregated={aggregated ? 'true' : undefined}>
                    {formatNumber(value, table.indicators[index]!.decimals)}
                    {aggregated ? ' (berechnet)' : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.some((row) => row.cells.some((cell, index) => cell.aggregated && row.values[index] !== null)) && (
        <p className="aggregated-note">{AGGREGATED_NOTE}</p>
      )}
      <p className="attribution">{table.indicators.map((indicator) => indicator.attribution).join(' · ')}</p>
    </section>
  );
}
