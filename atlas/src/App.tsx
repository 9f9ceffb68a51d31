import { useCallback, useEffect, useRef, useState } from 'react';
import { quantileScale } from './breaks';
import { indicatorOptions, LEVEL_NAMES, levelNames, syntheticNote, themeGroups } from './catalogue';
import { distinctLabels, labelIn } from './navigation';
import { Compare } from './Compare';
import { Equal } from './Equal';
import { equalYears } from './equal-report';
import { FailureText } from './FailureText';
import { focusShape, MapView } from './MapView';
import { mapExportInfo } from './map-export';
import type { AtlasCatalogueFragment, AtlasMapQuery } from './generated/graphql';
import { AtlasCompareDocument, AtlasEqualDocument, AtlasMapDocument, AtlasTableDocument } from './operations';
import { Profile } from './Profile';
import { RetryButton } from './Retry';
import { ShareLink } from './ShareLink';
import type { FoundRegion } from './RegionSearch';
import { excessCompare, formatState, ignoredParams, MAX_COMPARE, parseState, type AtlasState, type Level } from './state';
import { TableView } from './TableView';
import { useQuery } from './useQuery';

/** The year shown before one is chosen: the latest with county and municipality values of the default indicator. */
export const DEFAULT_YEAR = 2021;
/**
 * Boundaries simplified on the server (degrees): enough for a state-wide map, a fraction of the bytes. The
 * server simplifies each region's rings on their own, so two neighbours' shared border may part by up to twice
 * the tolerance: 0.001° left gaps of up to 1 px between the municipalities of a county, drawn ten times larger
 * than on the state-wide map (0.2 px there); 0.0002° keeps them below 0.15 px (docs/atlas.md).
 */
function simplifyTolerance(level: Level, area: string): number {
  if (level === 'COUNTY') return 0.002;
  return area === '03' ? 0.001 : 0.0002;
}

/** The map view's MapView: an indicator's values in the area's regions, ranked within the area. */
function indicatorMap(data: AtlasMapQuery, year: number) {
  const indicator = data.indicator;
  const regions = (data.area?.regions ?? []).map((region) => ({
    ...region,
    value: region.value?.value ?? null,
    aggregated: region.value?.aggregated ?? false,
    missingReason: region.value?.missingReason ?? null,
  }));
  const areaName = (data.area && labelIn(data.state?.counties ?? [], data.area.code)) ?? data.area?.name;
  return {
    regions,
    title: indicator ? `${indicator.name} ${year} (${indicator.unit}) – ${areaName ?? ''}` : '',
    titleNote: indicator ? syntheticNote(indicator) : '',
    legendTitle: indicator?.unit ?? '',
    scale: indicator
      ? quantileScale(
          regions.map((region) => region.value),
          indicator.decimals,
          indicator.unit,
        )
      : null,
    ranks: new Map(data.ranking.entries.map((entry) => [entry.regionCode, entry])),
    // The map ranks within the area shown; the profile within the state: each rank names its scope.
    rankLabel: (rank: { rank: number; of: number }) => `Rang ${rank.rank} von ${rank.of} in ${areaName ?? 'Niedersachsen'}`,
    attribution: indicator?.attribution ?? '',
    boundarySource: data.state?.source,
  };
}

/**
 * The year control. A year of a link that the series does not have stays chosen (the view says so)
 * rather than the control showing another year than the view. With `newest`, a first option without a
 * year (each indicator's newest values) and the years newest first.
 */
function YearSelect({
  years,
  value,
  newest,
  onChange,
}: {
  years: readonly number[];
  value: number | null;
  newest?: string;
  onChange(year: number | null): void;
}) {
  const shown = value === null || years.includes(value) ? [...years] : [...years, value].sort((a, b) => a - b);
  return (
    <label>
      Jahr
      <select name="year" value={value ?? ''} onChange={(event) => onChange(event.target.value === '' ? null : Number(event.target.value))}>
        {newest !== undefined && <option value="">{newest}</option>}
        {(newest !== undefined ? shown.reverse() : shown).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

export function App() {
  const [state, setState] = useState<AtlasState>(() => parseState(window.location.search));
  // The URL is the state: every change is a history entry, and back/forward restore the view.
  const update = useCallback((change: Partial<AtlasState>) => {
    setState((previous) => {
      const next = { ...previous, ...change };
      const search = formatState(next);
      if (search !== window.location.search) window.history.pushState(null, '', search);
      return next;
    });
  }, []);
  useEffect(() => {
    const restore = () => setState(parseState(window.location.search));
    window.addEventListener('popstate', restore);
    return () => window.removeEventListener('popstate', restore);
  }, []);

  // A region the search found anywhere in the state: its profile on a map that shows it, a
  // municipality's or Samtgemeinde's among its county's municipalities (the state's when shown).
  const openFound = useCallback(
    (found: FoundRegion) => {
      const county = found.ancestors.find((ancestor) => ancestor.level === 'COUNTY')?.code ?? '03';
      if (found.level === 'MUNICIPALITY' || found.level === 'MUNICIPAL_ASSOCIATION')
        update({
          view: 'map',
          level: 'MUNICIPALITY',
          area: state.level === 'MUNICIPALITY' && state.area === '03' ? '03' : county,
          region: found.code,
        });
      else if (found.level === 'COUNTY') update({ view: 'map', level: 'COUNTY', area: '03', region: found.code });
      else update({ view: 'map', region: found.code });
    },
    [update, state.level, state.area],
  );

  const year = state.year ?? DEFAULT_YEAR;
  const series = [state.indicator, ...state.series.filter((code) => code !== state.indicator)];
  // Each view asks only for its own data, and every view's request brings the controls' catalogue.
  const map = useQuery(
    AtlasMapDocument,
    state.view === 'map'
      ? {
          indicator: state.indicator,
          year,
          area: state.area,
          level: state.level,
          rankWithin: state.area === '03' ? null : state.area,
          simplify: simplifyTolerance(state.level, state.area),
        }
      : null,
  );
  const table = useQuery(
    AtlasTableDocument,
    state.view === 'table'
      ? { indicator: state.indicator, indicators: series, level: state.level, area: state.area, fromYear: year, toYear: year }
      : null,
  );
  // Also without regions: the request brings the controls' catalogue, and the view says how to add regions.
  const compare = useQuery(AtlasCompareDocument, state.view === 'compare' ? { codes: state.compare, indicator: state.indicator } : null);
  // No indicators: the API's default profile. No year: each indicator's newest values.
  const equal = useQuery(
    AtlasEqualDocument,
    state.view === 'equal'
      ? {
          indicator: state.indicator,
          indicators: state.indicators.length > 0 ? state.indicators : null,
          level: state.level,
          year: state.equalYear,
          withinParent: state.area === '03' ? null : state.area,
          weightYears: state.weightYears,
          simplify: simplifyTolerance(state.level, state.area),
        }
      : null,
  );
  // Embedded, a region clicked is not a profile (there is none) nor a history entry: it offers a link to its
  // profile in the full Atlas.
  const [embedChosen, setEmbedChosen] = useState<string | null>(null);
  const data = map.data;
  // The last map drawn in full, kept on the page when a later request fails or comes back without its
  // regions (a subgraph down): an out-of-date map, said to be one, serves better than an empty frame.
  const lastDrawn = useRef<{ data: AtlasMapQuery; year: number; at: Date } | null>(null);
  const drawable = (answer: AtlasMapQuery | null): answer is AtlasMapQuery => !!answer?.indicator && !!answer.area?.regions.length;
  if (state.view === 'map' && !map.loading && !map.error && drawable(data) && lastDrawn.current?.data !== data)
    lastDrawn.current = { data, year, at: new Date() };
  const mapFailed = state.view === 'map' && !map.loading && (map.error !== null || (map.partial !== null && !drawable(data)));
  const staleMap = mapFailed ? lastDrawn.current : null;
  const drawn = staleMap ?? (data ? { data, year } : null);
  const current = { map: map.data, table: table.data, compare: compare.data, equal: equal.data }[state.view];
  // A view without an answer yet, or with a refusal (an indicator the report does not take), keeps the
  // catalogue last brought: its controls stay usable.
  const lastCatalogue = useRef<AtlasCatalogueFragment | null>(null);
  const catalogue: AtlasCatalogueFragment | null = current ?? map.data ?? table.data ?? compare.data ?? equal.data ?? lastCatalogue.current;
  lastCatalogue.current = catalogue;
  const indicators = indicatorOptions(catalogue?.indicators ?? [], state.level, state.indicator);
  // An indicator of a link, or one kept when the level changed, that has no values at this level.
  // The URL is the state: after the first change the page writes a link without these.
  const ignored = ignoredParams(window.location.search);
  const tooManyCompared = excessCompare(window.location.search).length > 0;
  const offLevel = indicators.find((indicator) => indicator.code === state.indicator && !indicator.atLevel);
  const years = catalogue?.indicator?.code === state.indicator ? catalogue.indicator.years : [];

  const indicatorName = catalogue?.indicators.find((indicator) => indicator.code === state.indicator)?.name ?? state.indicator;
  const counties = catalogue?.state?.counties ?? [];
  // The area's choices, title and files name the Landkreis and the Kreisfreie Stadt Osnabrück apart.
  const countyLabels = distinctLabels(counties);
  const areaName = labelIn(counties, state.area);
  const selection = `${indicatorName} ${year}, ${LEVEL_NAMES[state.level]}${state.area !== '03' && areaName ? ` in ${areaName}` : ''}`;
  const regionName = state.region && data?.area?.regions.find((region) => region.code === state.region)?.name;
  const viewError = { map: map.error, table: table.error, compare: compare.error, equal: equal.error }[state.view];
  const equalYearOptions = equalYears(
    catalogue?.indicators ?? [],
    equal.data?.disparities.indicators.map((entry) => entry.indicator.indicatorCode) ?? state.indicators,
  );
  const viewTitle =
    state.view === 'map'
      ? `${state.region && !state.embed ? `Profil ${regionName ?? state.region} – ` : ''}Karte: ${selection}`
      : state.view === 'table'
        ? `Tabelle: ${selection}`
        : state.view === 'equal'
          ? `Gleichwertigkeit: ${state.equalYear ?? 'neueste Werte'}, ${LEVEL_NAMES[state.level]}${state.area !== '03' && areaName ? ` in ${areaName}` : ''}`
          : `Vergleich: ${indicatorName}, ${state.compare.length} ${state.compare.length === 1 ? 'Region' : 'Regionen'}`;
  // A screen reader hears the title first, and the browser's history and tabs name the view by it.
  useEffect(() => {
    document.title = `${viewError ? 'Fehler – ' : ''}${viewTitle} – RegioGraph Atlas Niedersachsen`;
  }, [viewTitle, viewError]);
  // What the view shows once loaded, said by a live region that is on the page from the start: one
  // inserted together with its text is not read by every screen reader. Errors are alerts of their own.
  const query = { map, table, compare, equal }[state.view];
  const shownCount =
    state.view === 'map'
      ? `${map.data?.area?.regions.length ?? 0} ${LEVEL_NAMES[state.level]}`
      : state.view === 'table'
        ? `${table.data?.observationTable.rows.length ?? 0} Zeilen`
        : state.view === 'equal'
          ? `${equal.data?.disparities.regions.length ?? 0} ${LEVEL_NAMES[state.level]}, ${equal.data?.disparities.indicators.length ?? 0} Indikatoren`
          : `${compare.data?.regionsByCodes.filter((region) => region !== null).length ?? 0} Regionen`;
  const viewName = { map: 'Karte', table: 'Tabelle', compare: 'Vergleich', equal: 'Gleichwertigkeit' }[state.view];
  const announcement =
    query.error || (state.view === 'compare' && state.compare.length === 0)
      ? ''
      : query.loading
        ? `${viewName} wird geladen…`
        : query.data
          ? `${viewName} geladen: ${state.view === 'map' ? `${map.data?.indicator?.name ?? indicatorName} ${year}, ` : ''}${shownCount}.`
          : '';

  return (
    <div className={`atlas${state.embed ? ' embed' : ''}`}>
      <p id="announcer" className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {state.embed && <h1 className="visually-hidden">RegioGraph Atlas Niedersachsen: {viewTitle}</h1>}
      {!state.embed && (
        <header>
          <a
            className="skip-link"
            href="#content"
            onClick={(event) => {
              // Focus, not the URL's fragment: the query string is the page's state and its history.
              event.preventDefault();
              document.getElementById('content')?.focus();
            }}
          >
            Zum Inhalt springen
          </a>
          <h1>RegioGraph Atlas Niedersachsen</h1>
          {/* The views and the link to the one shown on one row: "Link teilen" is one of the controls of the view. */}
          <div className="view-bar">
            <nav aria-label="Ansichten">
              {(['map', 'compare', 'table', 'equal'] as const).map((view) => (
                <button key={view} type="button" aria-pressed={state.view === view} onClick={() => update({ view })}>
                  {view === 'map'
                    ? 'Karte'
                    : view === 'compare'
                      ? `Vergleich (${state.compare.length})`
                      : view === 'table'
                        ? 'Tabelle'
                        : 'Gleichwertigkeit'}
                </button>
              ))}
            </nav>
            {/* The link written from the state, not the address as typed: a parameter the page ignored stays out of it. */}
            <ShareLink
              link={new URL(formatState(state), window.location.href).href}
              title={`${viewTitle} – RegioGraph Atlas Niedersachsen`}
            />
          </div>
          <form className="controls" onSubmit={(event) => event.preventDefault()}>
            {/* The equal-chances view chooses several indicators, beside its report. */}
            {state.view !== 'equal' && (
              <label>
                Indikator
                <select
                  name="indicator"
                  value={state.indicator}
                  onChange={(event) => {
                    const chosen = indicators.find((indicator) => indicator.code === event.target.value);
                    // The year moves into the new indicator's series when it lies outside: to its latest
                    // year beyond the end, to its first year before the start (a census from 2022).
                    const nextYear =
                      chosen?.lastYear && year > chosen.lastYear
                        ? chosen.lastYear
                        : chosen?.firstYear && year < chosen.firstYear
                          ? chosen.firstYear
                          : state.year;
                    update({ indicator: event.target.value, year: nextYear });
                  }}
                >
                  {indicators.length === 0 && <option value={state.indicator}>{state.indicator}</option>}
                  {themeGroups(indicators).map((group) => (
                    <optgroup key={group.theme} label={group.label}>
                      {group.indicators.map((indicator) => (
                        <option key={indicator.code} value={indicator.code}>
                          {indicator.name}
                          {indicator.atLevel ? '' : ` (keine Werte für ${LEVEL_NAMES[state.level]})`}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </label>
            )}
            {/* Without a year, each indicator's newest values, as the API reads them. */}
            {state.view === 'equal' && (
              <YearSelect
                years={equalYearOptions}
                value={state.equalYear}
                newest="neueste Werte"
                onChange={(chosen) => update({ equalYear: chosen })}
              />
            )}
            {/* The comparison shows every year of the regions chosen: year and level would change nothing there. */}
            {state.view !== 'compare' && state.view !== 'equal' && (
              <YearSelect years={years} value={year} onChange={(chosen) => update({ year: chosen })} />
            )}
            {state.view !== 'compare' && (
              <label>
                Ebene
                <select
                  name="level"
                  value={state.level}
                  onChange={(event) =>
                    update({ level: event.target.value as Level, area: event.target.value === 'COUNTY' ? '03' : state.area })
                  }
                >
                  {(Object.keys(LEVEL_NAMES) as Level[]).map((level) => (
                    <option key={level} value={level}>
                      {LEVEL_NAMES[level]}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {state.level === 'MUNICIPALITY' && state.view !== 'compare' && (
              <label>
                Gebiet
                <select name="area" value={state.area} onChange={(event) => update({ area: event.target.value })}>
                  <option value="03">ganz Niedersachsen</option>
                  {counties.map((county, index) => (
                    <option key={county.code} value={county.code}>
                      {countyLabels[index]}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </form>
        </header>
      )}
      <main id="content" tabIndex={-1}>
        {ignored.length > 0 && (
          <p className="ignored-params" role="status">
            Im Link nicht verstanden und daher übergangen: {ignored.join(', ')}.
            {tooManyCompared && ` Der Vergleich nimmt höchstens ${MAX_COMPARE} Regionen auf.`}
          </p>
        )}
        {offLevel && state.view !== 'compare' && state.view !== 'equal' && (
          <p className="no-level" role="status">
            „{offLevel.name}“ gibt es nicht für {LEVEL_NAMES[state.level]}
            {levelNames(offLevel.levels) ? `, nur für ${levelNames(offLevel.levels)}` : ''}: bitte eine andere Ebene oder einen anderen
            Indikator wählen.
          </p>
        )}
        {/* A subgraph that did not answer: what is missing and a way to ask again once it is back. */}
        {(query.error || query.partial) && !query.loading && (
          <p className="unavailable" role={query.partial ? 'alert' : undefined}>
            {query.partial && (
              <>
                Nicht alles verfügbar: <FailureText failure={query.partial} />{' '}
              </>
            )}
            <RetryButton onRetry={query.retry} retryIn={query.retryIn} />
          </p>
        )}
        {state.view === 'map' && (
          <div className="map-view">
            {/* Read out by the announcer. */}
            {map.loading && <p className="loading">Karte wird geladen…</p>}
            {map.error && (
              <p role="alert">
                Karte nicht verfügbar: <FailureText failure={map.error} />
              </p>
            )}
            {data && !offLevel && years.length > 0 && !years.includes(year) && (
              <p className="no-year" role="status">
                Für {year} gibt es keine Werte zu „{data.indicator?.name ?? state.indicator}“; Jahre mit Werten: {years[0]}–
                {years[years.length - 1]}.
              </p>
            )}
            {staleMap && (
              <p className="stale-map" role="status">
                Nicht aktuell: Die Anfrage ist fehlgeschlagen. Die Karte zeigt den zuletzt geladenen Stand (
                {indicatorMap(staleMap.data, staleMap.year).title}, geladen um{' '}
                {staleMap.at.toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit' })} Uhr).
              </p>
            )}
            {/* An unknown indicator comes with an error, which the page shows instead of a map. */}
            {drawn?.data.indicator && (
              <div aria-busy={map.loading} className={staleMap ? 'stale' : undefined}>
                <MapView
                  {...indicatorMap(drawn.data, drawn.year)}
                  stale={staleMap !== null}
                  // Only of the answer to the current choice (the file's name and link must be the map's), and
                  // not embedded, where a line more could push the attribution out of the frame's height.
                  exportInfo={
                    staleMap || map.loading || state.embed ? undefined : mapExportInfo(drawn.data, drawn.year, state.level, state.area)
                  }
                  selected={state.embed ? embedChosen : state.region}
                  onSelect={(region) => (state.embed ? setEmbedChosen(region) : update({ region }))}
                  onFound={(found) => (state.embed ? setEmbedChosen(found.code) : openFound(found))}
                  tableHref={formatState({ ...state, view: 'table', region: null })}
                  onTable={() => update({ view: 'table', region: null })}
                />
              </div>
            )}
            {state.embed && embedChosen && (
              <p className="embed-profile">
                <a
                  className="open-profile"
                  href={formatState({ ...state, embed: false, region: embedChosen })}
                  target="_blank"
                  rel="noopener"
                >
                  Profil von {data?.area?.regions.find((region) => region.code === embedChosen)?.name ?? embedChosen} im Atlas öffnen
                </a>
              </p>
            )}
            {state.region && !state.embed && (
              <Profile
                code={state.region}
                indicators={series}
                year={year}
                compareBlocked={
                  state.compare.includes(state.region)
                    ? 'Schon im Vergleich.'
                    : state.compare.length >= MAX_COMPARE
                      ? `Der Vergleich nimmt höchstens ${MAX_COMPARE} Regionen auf.`
                      : null
                }
                onCompare={(code) => update({ compare: [...state.compare, code] })}
                onSeries={(codes) => update({ series: codes })}
                onOpen={(code) => update({ region: code })}
                onClose={() => {
                  // Back to where the keyboard came from: the region's shape (Escape or the close button).
                  const closed = state.region!;
                  update({ region: null });
                  focusShape(closed);
                }}
              />
            )}
          </div>
        )}
        {state.view === 'compare' && (
          <Compare
            query={compare}
            codes={state.compare}
            indicator={state.indicator}
            onRemove={(code) => update({ compare: state.compare.filter((item) => item !== code) })}
          />
        )}
        {state.view === 'equal' && (
          <Equal
            query={equal}
            state={state}
            catalogue={catalogue}
            onIndicators={(codes) => update({ indicators: codes })}
            onWeightYears={(choice) => update({ weightYears: choice })}
            onProfile={(code) => update({ view: 'map', region: code })}
            onFound={openFound}
          />
        )}
        {state.view === 'table' && <TableView query={table} state={state} indicators={series} year={year} />}
        {/* On paper only, where the controls are left out: what the page shows and the link that shows it again. */}
        <p className="print-only print-source">
          RegioGraph Atlas Niedersachsen – {viewTitle}, abgerufen am {new Date().toLocaleDateString('de-DE')}: {window.location.href}
        </p>
      </main>
      {!state.embed && (
        <footer>
          {/* The bundled npm packages' copyright and licence notices, as their licences ask (written by the build). */}
          <a href={`${import.meta.env.BASE_URL}third-party-licenses.txt`}>Lizenzen der verwendeten Software</a>
        </footer>
      )}
    </div>
  );
}
