import { useEffect, useRef, type KeyboardEvent } from 'react';
import { formatEuro, formatNumber } from './breaks';
import { comparesWithParents, syntheticNote } from './catalogue';
import { aggregatedYearsOf } from './computed';
import { FailureText } from './FailureText';
import { AtlasProfileDocument } from './operations';
import { LineChart, type Series } from './LineChart';
import { distinctLabels } from './navigation';
import { SimilarRegions } from './SimilarRegions';
import { RetryButton } from './Retry';
import { observationsCsvUrl } from './TableView';
import { useQuery } from './useQuery';

interface ProfileProps {
  code: string;
  indicators: string[];
  year: number;
  /** Why the region cannot be added to the comparison (shown beside the disabled button), or null when it can. */
  compareBlocked: string | null;
  onCompare(code: string): void;
  /** Changes the indicators of the charts (the map's indicator stays first). */
  onSeries(indicators: string[]): void;
  /** Opens another region's profile (a similar region's). */
  onOpen(code: string): void;
  onClose(): void;
}

type Values = { indicatorCode: string; year: number; value?: number | null; aggregated: boolean }[] | null | undefined;

function seriesOf(label: string, values: Values, indicator: string, dashed = false): Series {
  const own = (values ?? []).filter((value) => value.indicatorCode === indicator);
  return {
    label,
    dashed,
    aggregatedYears: aggregatedYearsOf(own),
    points: own.map((value) => ({ year: value.year, value: value.value ?? null })),
  };
}

/** The export of a profile's charts: the regions they compare, one column per indicator. */
function profileCsvParams(regions: readonly { code: string }[], indicators: readonly string[]) {
  return new URLSearchParams({ indicators: indicators.join(','), regions: regions.map((region) => region.code).join(','), shape: 'wide' });
}

/** A region's profile: time series next to its parent and the state, rank, projects, cooperations and office. */
export function Profile({ code, indicators, year, compareBlocked, onCompare, onSeries, onOpen, onClose }: ProfileProps) {
  const { data, error, partial, loading, retry, retryIn } = useQuery(AtlasProfileDocument, {
    code,
    indicators,
    indicator: indicators[0]!,
    year,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = data?.region?.code;
  // A region chosen on the map (Enter or a click) takes the focus to its profile: a screen reader reads
  // it, and on a phone, where the profile lies below the map, the browser scrolls to it.
  useEffect(() => {
    if (shown) heading.current?.focus();
  }, [shown]);
  // Escape closes the profile from anywhere within it, as it closes a dialog.
  const closeOnEscape = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };
  if (loading && !data)
    return (
      <aside className="profile" aria-busy="true">
        <p role="status">Profil wird geladen…</p>
      </aside>
    );
  if (error || !data?.region)
    return (
      <aside className="profile" onKeyDown={closeOnEscape}>
        <p role="alert">
          Profil nicht verfügbar: <FailureText failure={error} missing={`keine Region mit dem Schlüssel ${code}.`} />
        </p>
        {error && <RetryButton onRetry={retry} retryIn={retryIn} />}
        <button type="button" onClick={onClose}>
          Profil schließen
        </button>
      </aside>
    );
  const { region, state } = data;
  const catalogue = new Map(data.chosen.map((indicator) => [indicator.code, indicator]));
  // A member municipality of a Samtgemeinde is compared with its county too, not only with the Samtgemeinde
  // above it. Where the county is the region itself or its parent, it is compared once (below).
  const county = region.county ?? null;
  // The regions the charts compare, each once: the region, its parent, its county, the state.
  const compared = [region, region.parent, county, state].filter(
    (each, index, all): each is NonNullable<typeof each> => each != null && all.findIndex((other) => other?.code === each.code) === index,
  );
  const labels = distinctLabels(compared);
  return (
    <aside className="profile" aria-label={`Profil ${region.name}`} data-region-code={region.code} onKeyDown={closeOnEscape}>
      <header>
        <h2 ref={heading} tabIndex={-1}>
          {region.name}
        </h2>
        <p>
          {region.officialType} · {region.code}
        </p>
        <button type="button" onClick={onClose}>
          Profil schließen
        </button>
        <button
          type="button"
          disabled={compareBlocked !== null}
          aria-describedby={compareBlocked ? 'compare-blocked' : undefined}
          onClick={() => onCompare(region.code)}
        >
          Zum Vergleich hinzufügen
        </button>
        {/* A greyed-out button alone does not say why: seen and read out beside it. */}
        {compareBlocked && (
          <small id="compare-blocked" className="compare-blocked">
            {compareBlocked}
          </small>
        )}
      </header>
      {/* Each part that is missing says so where it belongs; one button asks for all of them again. */}
      {partial && (
        <p className="profile-partial" role="status">
          Teile des Profils fehlen (siehe unten). <RetryButton onRetry={retry} retryIn={retryIn} />
        </p>
      )}
      <section>
        <h3>Rang {year}</h3>
        {region.rank ? (
          <p className="rank" data-rank={region.rank.rank} data-of={region.rank.of} data-percentile={region.rank.percentile}>
            Rang {region.rank.rank} von {region.rank.of} in Niedersachsen (Perzentil {formatNumber(region.rank.percentile, 0)}), Wert{' '}
            {formatNumber(region.rank.value, catalogue.get(indicators[0]!)?.decimals ?? 1)}
          </p>
        ) : (
          <p className="rank">Kein Rang: kein Wert für {year}.</p>
        )}
      </section>
      <label className="add-series">
        Indikator zur Zeitreihe hinzufügen
        <select name="series" value="" onChange={(event) => event.target.value && onSeries([...indicators.slice(1), event.target.value])}>
          <option value="">–</option>
          {data.chosen
            .filter((indicator) => !indicators.includes(indicator.code))
            .map((indicator) => (
              <option key={indicator.code} value={indicator.code}>
                {indicator.name}
              </option>
            ))}
        </select>
      </label>
      {/* The charts' values as the export writes them, with its notes on sources, licences and synthetic data. */}
      <p className="downloads">
        <a className="profile-csv" href={observationsCsvUrl(profileCsvParams(compared, indicators))} download>
          Zeitreihen als CSV ({labels.join(', ')})
        </a>{' '}
        ·{' '}
        <a className="profile-csv-excel" href={observationsCsvUrl(profileCsvParams(compared, indicators), true)} download>
          für Excel (Semikolon, Dezimalkomma)
        </a>
      </p>
      {indicators.map((indicatorCode, position) => {
        const indicator = catalogue.get(indicatorCode);
        if (!indicator) return null;
        const withParents = comparesWithParents(indicator);
        // The region's own line, then dashed those it is compared with.
        const series = (withParents ? compared : compared.slice(0, 1)).map((each, index) =>
          seriesOf(labels[index]!, each.values, indicatorCode, index > 0),
        );
        return (
          <section key={indicatorCode} className="series" data-indicator={indicatorCode}>
            <h3>
              {indicator.name}
              {syntheticNote(indicator)}
              {position > 0 && (
                <button
                  type="button"
                  aria-label={`${indicator.name} entfernen`}
                  onClick={() => onSeries(indicators.slice(1).filter((item) => item !== indicatorCode))}
                >
                  ×
                </button>
              )}
            </h3>
            <LineChart
              series={series}
              unit={indicator.unit}
              decimals={indicator.decimals}
              title={`Zeitreihe ${indicator.name}`}
              valuesTable
            />
            {!withParents && region.level !== 'STATE' && (
              <small className="no-parents">
                Eine Summe: ohne Bezirk und Land, deren Summen ein Vielfaches betragen (die Linie der Region läge flach am Boden).
              </small>
            )}
            <small className="attribution">{indicator.attribution}</small>
          </section>
        );
      })}
      {/* The state is the only region of its level: nothing to compare it with. */}
      {region.level !== 'STATE' && (
        <SimilarRegions
          analysis={region.similarRegions}
          names={new Map(data.chosen.map((indicator) => [indicator.code, indicator.name]))}
          unavailable={partial}
          onOpen={onOpen}
        />
      )}
      <section>
        {/* A list that is null comes from a subgraph that did not answer: never shown as none. */}
        {region.projects ? <h3>Projekte ({region.projects.length})</h3> : <h3>Projekte</h3>}
        {!region.projects && (
          <p className="projects-unavailable" role="alert">
            Projekte nicht verfügbar: <FailureText failure={partial} />
          </p>
        )}
        <ul className="projects">
          {(region.projects ?? []).map((project) => (
            <li key={project.id} data-project-id={project.id} data-funding-cents={project.totalFundingCents}>
              {project.title} ({project.startDate.slice(0, 4)}
              {project.endDate ? `–${project.endDate.slice(0, 4)}` : ''}): {formatEuro(project.totalFundingCents)}
              {project.synthetic ? ' · synthetisch' : ''}
            </li>
          ))}
        </ul>
        <Attributions records={region.projects} />
      </section>
      <section>
        {region.cooperations ? <h3>Kooperationen ({region.cooperations.length})</h3> : <h3>Kooperationen</h3>}
        {!region.cooperations && (
          <p className="cooperations-unavailable" role="alert">
            Kooperationen nicht verfügbar: <FailureText failure={partial} />
          </p>
        )}
        <ul className="cooperations">
          {(region.cooperations ?? []).map((cooperation) => (
            <li key={cooperation.id} data-cooperation-id={cooperation.id}>
              {cooperation.name}
            </li>
          ))}
        </ul>
        <Attributions records={region.cooperations} />
      </section>
      <section>
        <h3>Amt für regionale Landesentwicklung</h3>
        <p className="office">
          {region.office && `${region.office.name}, Sitz ${region.office.seat}`}
          {/* Only the state has no office: for any other region a null office is an answer that failed. */}
          {!region.office &&
            (partial && region.level !== 'STATE' ? (
              <>
                nicht verfügbar: <FailureText failure={partial} />
              </>
            ) : (
              '–'
            ))}
        </p>
        {region.office && <small className="attribution">{region.office.attribution}</small>}
      </section>
    </aside>
  );
}

/** The attributions of a list's records, each text once, in the order the records first name it. */
function Attributions({ records }: { records: readonly { attribution: string }[] | null | undefined }) {
  const texts = [...new Set((records ?? []).map((record) => record.attribution))];
  return (
    <>
      {texts.map((text) => (
        <small key={text} className="attribution">
          {text}
        </small>
      ))}
    </>
  );
}
