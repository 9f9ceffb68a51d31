import { useMemo, useRef, useState } from 'react';
import { formatNumber, type MapScale } from './breaks';
import { AGGREGATED_NOTE, LEVEL_NAMES, POLARITY_NAMES, syntheticNote, themeGroups } from './catalogue';
import {
  divergingClasses,
  divergingClassOf,
  divergingColourOf,
  divergingLegend,
  indexLabel,
  signed,
  type DivergingClasses,
} from './diverging';
import { failureOfError, request } from './client';
import {
  computedRegionsNote,
  equalFileName,
  formatShare,
  GROUP_NAMES,
  referenceNote,
  theilExplanation,
  unmeasurableText,
  WEIGHT_YEAR_CHOICES,
  weightingText,
  type GroupLevel,
  type Weighting,
} from './equal-report';
import type { Failure } from './errors';
import { FailureText } from './FailureText';
import type { AtlasCatalogueFragment, AtlasEqualQuery } from './generated/graphql';
import { MapView } from './MapView';
import { AtlasEqualExcelDocument } from './operations';
import { saveBlob } from './save-file';
import type { FoundRegion } from './RegionSearch';
import { formatState, MAX_EQUAL_INDICATORS, type AtlasState, type WeightYears } from './state';
import { TheilGroups } from './TheilGroups';
import type { QueryState } from './useQuery';

/** The composite index on the map: a diverging scale around 0, the state. */
function indexScale(classes: DivergingClasses | null): MapScale | null {
  if (!classes) return null;
  return {
    classOf: (value) => divergingClassOf(value, classes),
    colourOf: divergingColourOf,
    legend: divergingLegend(classes),
    note: 'Klassen: symmetrisch um 0 (= Niedersachsen)',
    format: (value) => `Gesamtindex ${indexLabel(value, classes)}`,
  };
}

/**
 * A disparity measure to three decimals, or "–" where the API gives none, with the reason as the
 * screen reader's text (the eye reads it beneath the table, where a tap or the keyboard need not reach a
 * tooltip first): a bare gap or "keine Angabe" would read as missing data.
 */
function Measure({ value, reason }: { value: number | null | undefined; reason: string | null }) {
  if (value !== null && value !== undefined) return <>{formatNumber(value, 3)}</>;
  // The API gives a reason with every null measure; without one the dash still says "nicht berechenbar".
  const text = reason ?? 'nicht berechenbar';
  return (
    <>
      <span aria-hidden="true">–</span>
      <span className="visually-hidden">{text}</span>
    </>
  );
}

/** A part of a Theil decomposition: its share of the index, and the part itself beside it. */
function Part({ value, share, reason }: { value: number | undefined; share: number | null | undefined; reason: string | null }) {
  if (value === undefined) return <Measure value={null} reason={reason} />;
  return (
    <>
      {formatShare(share)} <small>({formatNumber(value, 4)})</small>
    </>
  );
}

/**
 * Saves a CSV as the API wrote it. The Blob encodes the text as UTF-8, the Excel file's byte order
 * mark (U+FEFF) as its bytes EF BB BF.
 */
function download(csv: string, fileName: string): void {
  saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), fileName);
}

/**
 * Equal chances (Gleichwertigkeit): the disparity report of the level, year and indicators chosen, as
 * a map of the composite index, the regions weakest first, and per indicator how unequal the regions are.
 */
export function Equal({
  query,
  state,
  catalogue,
  onIndicators,
  onWeightYears,
  onProfile,
  onFound,
}: {
  /** The view's one request (AtlasEqual), run by the page: it also brings the controls' catalogue. */
  query: QueryState<AtlasEqualQuery>;
  state: AtlasState;
  catalogue: AtlasCatalogueFragment | null;
  /** Changes the indicators compared (empty: the API's default profile). */
  onIndicators(codes: string[]): void;
  /** Changes the year of the weighted measures' weights. */
  onWeightYears(choice: WeightYears): void;
  /** Opens a region's profile, on the map as everywhere in the Atlas. */
  onProfile(code: string): void;
  /** Opens the profile of a region the map's search found. */
  onFound(region: FoundRegion): void;
}) {
  const { data, error, loading } = query;
  const report = data?.disparities ?? null;
  const regionsTable = useRef<HTMLTableElement>(null);
  const method = useRef<HTMLDetailsElement>(null);
  const [excel, setExcel] = useState<{ busy: boolean; failure: Failure | null }>({ busy: false, failure: null });
  const classes = useMemo(() => divergingClasses((report?.regions ?? []).map((region) => region.compositeIndex)), [report]);
  const scale = useMemo(() => indexScale(classes), [classes]);
  const names = new Map((catalogue?.indicators ?? []).map((indicator) => [indicator.code, indicator.name]));
  // The default profile's indicators are known from its report: a choice starts from them.
  const defaultProfile = report?.usedDefaultProfile ? report.indicators.map((entry) => entry.indicator.indicatorCode) : [];
  const chosen = state.indicators.length > 0 ? state.indicators : defaultProfile;
  // Counts summed over the regions (population, GDP) are refused by the report, which would rank by size: not offered.
  const offered = (catalogue?.indicators ?? []).filter(
    (indicator) => indicator.levels.includes(state.level) && indicator.aggregation !== 'SUM' && !chosen.includes(indicator.code),
  );
  const full = chosen.length >= MAX_EQUAL_INDICATORS;

  const chooser = (
    <fieldset className="equal-indicators">
      <legend>Indikatoren{state.indicators.length === 0 ? ' (Standardprofil der API)' : ''}</legend>
      <ul>
        {chosen.map((code) => (
          <li key={code} data-indicator={code}>
            {names.get(code) ?? code}{' '}
            {/* The name in hidden text, not aria-label: the accessible name then contains the visible "×" (WCAG 2.5.3). */}
            <button type="button" disabled={chosen.length === 1} onClick={() => onIndicators(chosen.filter((item) => item !== code))}>
              ×<span className="visually-hidden"> {names.get(code) ?? code} entfernen</span>
            </button>
          </li>
        ))}
      </ul>
      <label>
        Indikator hinzufügen
        <select
          name="equal-indicator"
          value=""
          disabled={full}
          aria-describedby={full ? 'equal-full' : undefined}
          onChange={(event) => event.target.value && onIndicators([...chosen, event.target.value])}
        >
          <option value="">–</option>
          {themeGroups(offered).map((group) => (
            <optgroup key={group.theme} label={group.label}>
              {group.indicators.map((indicator) => (
                <option key={indicator.code} value={indicator.code}>
                  {indicator.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {full && <small id="equal-full">Der Bericht vergleicht höchstens {MAX_EQUAL_INDICATORS} Indikatoren.</small>}
      {state.indicators.length > 0 && (
        <button type="button" className="equal-default" onClick={() => onIndicators([])}>
          Standardprofil
        </button>
      )}
    </fieldset>
  );

  if (loading && !data)
    return (
      <section className="equal" aria-label="Gleichwertigkeit">
        {chooser}
        <p className="loading">Gleichwertigkeit wird geladen…</p>
      </section>
    );
  if (error || !report)
    return (
      <section className="equal" aria-label="Gleichwertigkeit">
        {chooser}
        {/* A sum such as the population is refused: the API's own words say which to take instead. */}
        <p role="alert">
          Gleichwertigkeit nicht verfügbar: <FailureText failure={error} />
        </p>
      </section>
    );

  const indicators = report.indicators.map((entry) => entry.indicator.indicator);
  const anyComputed = report.indicators.some((entry) => entry.indicator.aggregatedRegionCount > 0);
  const anyUnmeasurable = report.indicators.some((entry) => entry.unmeasurableReason !== null || entry.weightedUnmeasurableReason !== null);
  const yearText = report.year === null ? 'neueste Werte' : String(report.year);
  const nearest = state.weightYears === 'NEAREST_YEAR';
  const weightingOf = (entry: (typeof report.indicators)[number]): Weighting => ({
    code: entry.weightIndicatorCode,
    name: names.get(entry.weightIndicatorCode) ?? entry.weightIndicatorCode,
    year: entry.weightYear,
    valueYear: entry.indicator.year,
    weightYears: state.weightYears,
    regionCount: entry.indicator.regionCount,
    weightedRegionCount: entry.weightedRegionCount,
  });
  // Weighted measures missing for want of the values' year's weights: the nearest year's may stand in.
  const withoutWeights = report.indicators.filter((entry) => entry.weightedUnmeasurableReason === 'WEIGHTS_MISSING');
  // The API's default groups, which the view asks for: the ArL districts for counties, the counties below them.
  const groupLevel: GroupLevel = report.level === 'COUNTY' ? 'DISTRICT' : 'COUNTY';
  const groupNames = GROUP_NAMES[groupLevel];
  const areaName = report.withinParent?.name ?? 'Niedersachsen';
  const fileName = equalFileName(state.level, report.year, report.withinParent?.code ?? null);
  const excelFileName = equalFileName(state.level, report.year, report.withinParent?.code ?? null, true);
  // The report shown, asked for again in the dialect for Excel: its level, year and area as answered.
  const downloadExcel = async () => {
    setExcel({ busy: true, failure: null });
    try {
      const answer = await request(AtlasEqualExcelDocument, {
        indicators: state.indicators.length > 0 ? state.indicators : null,
        level: report.level,
        year: report.year,
        withinParent: report.withinParent?.code ?? null,
      });
      download(answer.data.disparities.csv, excelFileName);
      setExcel({ busy: false, failure: null });
    } catch (error) {
      setExcel({ busy: false, failure: failureOfError(error) });
    }
  };
  return (
    <section className="equal" aria-label="Gleichwertigkeit" aria-busy={loading}>
      {chooser}
      <h2>
        Gleichwertigkeit: {LEVEL_NAMES[state.level]} in {areaName}, {yearText}
      </h2>
      {report.syntheticInputs && (
        <p className="synthetic-inputs" role="note">
          synthetische Daten: mindestens ein Indikator beruht auf synthetischen Demonstrationsdaten. Der Bericht zeigt nur die Methode,
          seine Ränge beschreiben keine wirkliche Region.
        </p>
      )}
      {report.omittedIndicators.length > 0 && (
        <p className="omitted-indicators" role="status">
          Ohne Werte für {LEVEL_NAMES[state.level]} und daher nicht verglichen:{' '}
          {report.omittedIndicators.map((indicator) => indicator.name).join(', ')}.
        </p>
      )}
      <MapView
        regions={report.regions.map((entry) => ({
          code: entry.regionCode,
          name: entry.region.name,
          officialType: entry.region.officialType,
          boundary: entry.region.boundary,
          value: entry.compositeIndex ?? null,
        }))}
        title={`Gesamtindex ${yearText} – ${areaName}`}
        titleNote={report.syntheticInputs ? ' – synthetische Daten' : ''}
        legendTitle="Gesamtindex (0 = Niedersachsen)"
        scale={scale}
        ranks={
          new Map(
            report.regions
              .filter((entry) => entry.rankFromWeakest !== null && entry.rankFromWeakest !== undefined)
              .map((entry) => [entry.regionCode, { rank: entry.rankFromWeakest!, of: report.rankedRegions }]),
          )
        }
        rankLabel={(rank) => `Rang ${rank.rank} von ${rank.of} in Niedersachsen, von der schwächsten an`}
        attribution={indicators.map((indicator) => indicator.attribution).join(' · ')}
        boundarySource={data?.state?.source}
        selected={null}
        onSelect={onProfile}
        onFound={onFound}
        tableHref={formatState(state)}
        tableText="Die Regionen als Tabelle"
        onTable={() => regionsTable.current?.focus()}
      />
      <p className="downloads">
        <button type="button" className="equal-csv" onClick={() => download(report.csv, fileName)}>
          CSV herunterladen ({fileName})
        </button>{' '}
        <button type="button" className="equal-csv-excel" disabled={excel.busy} onClick={() => void downloadExcel()}>
          Für Excel (Semikolon, Dezimalkomma)
        </button>
        {excel.failure && (
          <span role="alert">
            {' '}
            Die Datei für Excel kam nicht: <FailureText failure={excel.failure} />
          </span>
        )}
      </p>
      <div className="table-scroll">
        <table className="equal-regions" ref={regionsTable} tabIndex={-1}>
          <caption>
            Regionen nach Gesamtindex, die schwächste zuerst ({yearText}): Gesamtindex = Mittel der angepassten z-Werte, positiv = besser
            als das Land; Rang unter den {report.rankedRegions} Regionen der Ebene in Niedersachsen mit Gesamtindex
          </caption>
          <thead>
            <tr>
              <th scope="col">Rang</th>
              <th scope="col">Region</th>
              <th scope="col">Gesamtindex</th>
              <th scope="col">Indikatoren im schwächsten Fünftel</th>
              {indicators.map((indicator) => [
                <th key={`${indicator.code}-value`} scope="col" data-indicator={indicator.code}>
                  {indicator.name} ({indicator.unit})
                </th>,
                <th key={`${indicator.code}-z`} scope="col">
                  {indicator.name}: angepasster z-Wert
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {report.regions.map((entry) => (
              <tr
                key={entry.regionCode}
                data-region-code={entry.regionCode}
                data-rank={entry.rankFromWeakest ?? ''}
                data-composite-index={entry.compositeIndex ?? ''}
                data-weakest-fifth={entry.weakestFifthCount}
              >
                <td>{entry.rankFromWeakest ?? '–'}</td>
                <th scope="row">
                  <a
                    href={formatState({ ...state, view: 'map', region: entry.regionCode })}
                    onClick={(event) => {
                      // A plain click changes the view in place; a middle click or Ctrl opens the link elsewhere.
                      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
                      event.preventDefault();
                      onProfile(entry.regionCode);
                    }}
                  >
                    {entry.region.name}
                  </a>{' '}
                  <small>({entry.region.officialType})</small>
                </th>
                <td>{indexLabel(entry.compositeIndex, classes)}</td>
                <td>{entry.weakestFifthCount}</td>
                {indicators.map((indicator) => {
                  const score = entry.scores.find((each) => each.indicatorCode === indicator.code);
                  const adjusted = score?.adjustedZScore ?? null;
                  return [
                    <td key={`${indicator.code}-value`} data-value={score?.value ?? ''}>
                      {formatNumber(score?.value, indicator.decimals)}
                    </td>,
                    <td key={`${indicator.code}-z`} data-adjusted-z={adjusted ?? ''}>
                      {adjusted === null ? '–' : signed(adjusted, 2)}
                      {score?.inWeakestFifth ? <span className="weakest-fifth"> (schwächstes Fünftel)</span> : null}
                    </td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p id="equal-measures-note" className="equal-measures-note">
        Gini, Variationskoeffizient und Theil sind ungewichtet: jede Region zählt einmal, gleich wie viele Menschen dort leben. n = Regionen
        der Ebene in Niedersachsen mit Wert. Daneben dieselben Maße gewichtet (Spalte „Gewichtung“): bevölkerungsgewichtet die Ungleichheit
        zwischen den Einwohnern, sonst mit dem Gewicht, mit dem der Landeswert des Indikators gemittelt wird (etwa der Fläche), jeweils aus
        dem Jahr der Werte{nearest ? ', wo es keine hat aus dem nächstgelegenen Jahr mit Gewichten (die Spalte „Gewichtung“ nennt es)' : ''}
        . Formeln unter{' '}
        <a
          href="#equal-method"
          onClick={(event) => {
            // Opens the closed method text in place; the page's own state stays in the URL untouched.
            event.preventDefault();
            if (!method.current) return;
            method.current.open = true;
            method.current.querySelector('summary')?.focus();
          }}
        >
          Methode
        </a>
        .
      </p>
      <fieldset className="equal-weight-years">
        <legend>Gewichte der gewichteten Maße</legend>
        {(Object.keys(WEIGHT_YEAR_CHOICES) as WeightYears[]).map((choice) => (
          <label key={choice}>
            <input
              type="radio"
              name="weight-years"
              value={choice}
              checked={state.weightYears === choice}
              onChange={() => onWeightYears(choice)}
            />{' '}
            {WEIGHT_YEAR_CHOICES[choice]}
          </label>
        ))}
      </fieldset>
      {/* Focusable, so that a keyboard can scroll the eleven columns at 320 px: the table itself holds nothing focusable. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Indikatoren und Ungleichheit der Regionen">
        <table className="equal-indicators-table" aria-describedby="equal-measures-note">
          <caption>
            Indikatoren: Jahr, Bezugswert und Ungleichheit der Regionen ({LEVEL_NAMES[state.level]}), ungewichtet und gewichtet
          </caption>
          <thead>
            <tr>
              <th scope="col">Indikator</th>
              <th scope="col">Richtung</th>
              <th scope="col">Jahr</th>
              <th scope="col">Bezugswert (Land)</th>
              <th scope="col">Regionen (n)</th>
              <th scope="col">Gini</th>
              <th scope="col">Variationskoeffizient</th>
              <th scope="col">Theil</th>
              <th scope="col">Gewichtung</th>
              <th scope="col">Gini gewichtet</th>
              <th scope="col">Variationskoeffizient gewichtet</th>
              <th scope="col">Theil gewichtet</th>
            </tr>
          </thead>
          <tbody>
            {report.indicators.map((entry) => {
              const indicator = entry.indicator.indicator;
              const { regionCount, aggregatedRegionCount } = entry.indicator;
              const computed = computedRegionsNote(aggregatedRegionCount, regionCount, state.level);
              const weighting = weightingOf(entry);
              const reason = entry.unmeasurableReason && unmeasurableText(entry.unmeasurableReason);
              const weightedReason = entry.weightedUnmeasurableReason && unmeasurableText(entry.weightedUnmeasurableReason, weighting);
              return (
                <tr key={indicator.code} data-indicator={indicator.code} data-year={entry.indicator.year} data-reference={entry.reference}>
                  <th scope="row">
                    {indicator.name}
                    {syntheticNote(indicator)}
                  </th>
                  <td>{POLARITY_NAMES[indicator.polarity]}</td>
                  <td>{entry.indicator.year}</td>
                  <td>
                    {formatNumber(entry.reference, indicator.decimals)} {indicator.unit}
                    {referenceNote(entry.referenceIsStateObservation, entry.indicator.stateValueAggregated)}
                  </td>
                  <td data-region-count={regionCount} data-aggregated-regions={aggregatedRegionCount}>
                    {regionCount}
                    {computed && <small className="computed-regions"> ({computed})</small>}
                  </td>
                  <td data-gini={entry.gini ?? ''}>
                    <Measure value={entry.gini} reason={reason} />
                  </td>
                  <td data-cv={entry.coefficientOfVariation ?? ''}>
                    <Measure value={entry.coefficientOfVariation} reason={reason} />
                  </td>
                  <td data-theil={entry.theil ?? ''}>
                    <Measure value={entry.theil} reason={reason} />
                  </td>
                  <td data-weight-indicator={entry.weightIndicatorCode} data-weight-year={entry.weightYear ?? ''}>
                    {weightingText(weighting)}
                  </td>
                  <td data-weighted-gini={entry.weightedGini ?? ''}>
                    <Measure value={entry.weightedGini} reason={weightedReason} />
                  </td>
                  <td data-weighted-cv={entry.weightedCoefficientOfVariation ?? ''}>
                    <Measure value={entry.weightedCoefficientOfVariation} reason={weightedReason} />
                  </td>
                  <td data-weighted-theil={entry.weightedTheil ?? ''}>
                    <Measure value={entry.weightedTheil} reason={weightedReason} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {anyUnmeasurable && (
        <p className="unmeasurable-note">
          –: nicht berechenbar. Die Maße setzen mindestens zwei Regionen mit Wert, keine negativen Werte und ein Mittel über 0 voraus, die
          gewichteten zudem ein Gewicht für jede Region mit Wert aus demselben Jahr
          {nearest ? ' oder, wo es keine hat, dem nächstgelegenen Jahr mit Gewichten' : ''}.
          {/* Each indicator's reason, as the cells' screen-reader text says it. */}
          {report.indicators.flatMap((entry) => {
            const name = entry.indicator.indicator.name;
            return [
              entry.unmeasurableReason && (
                <span
                  key={`${entry.indicator.indicator.code}-plain`}
                  className="unmeasurable-reason"
                  data-indicator={entry.indicator.indicator.code}
                >
                  {name}: {unmeasurableText(entry.unmeasurableReason)}.
                </span>
              ),
              entry.weightedUnmeasurableReason && (
                <span
                  key={`${entry.indicator.indicator.code}-weighted`}
                  className="unmeasurable-reason"
                  data-indicator={entry.indicator.indicator.code}
                  data-weighted="true"
                >
                  {name}, gewichtet: {unmeasurableText(entry.weightedUnmeasurableReason, weightingOf(entry))}.
                </span>
              ),
            ];
          })}
        </p>
      )}
      {withoutWeights.length > 0 && !nearest && (
        <p className="weights-missing">
          Gewichte fehlen im Jahr der Werte für: {withoutWeights.map((entry) => entry.indicator.indicator.name).join(', ')}.{' '}
          <button type="button" className="use-nearest-weights" onClick={() => onWeightYears('NEAREST_YEAR')}>
            {WEIGHT_YEAR_CHOICES.NEAREST_YEAR} verwenden
          </button>
        </p>
      )}
      <section className="theil" aria-labelledby="equal-theil-heading">
        <h3 id="equal-theil-heading">Wo liegt die Ungleichheit? Theil-Index zwischen und innerhalb der {groupNames.many}</h3>
        <p id="equal-theil-note">
          {theilExplanation(groupLevel)} Angegeben ist der Anteil am Theil-Index, dahinter der Teil selbst; gewichtet mit den Gewichten der
          Spalte „Gewichtung“.
        </p>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`Theil-Zerlegung nach ${groupNames.byMany}`}>
          <table className="equal-theil" aria-describedby="equal-theil-note">
            <caption>Theil-Zerlegung nach {groupNames.byMany}: Anteil zwischen und innerhalb, ungewichtet und gewichtet</caption>
            <thead>
              <tr>
                <th scope="col">Indikator</th>
                <th scope="col">Jahr</th>
                <th scope="col">Theil</th>
                <th scope="col">zwischen</th>
                <th scope="col">innerhalb</th>
                <th scope="col">Gewichtung</th>
                <th scope="col">Theil gewichtet</th>
                <th scope="col">zwischen gewichtet</th>
                <th scope="col">innerhalb gewichtet</th>
              </tr>
            </thead>
            <tbody>
              {report.indicators.map((entry) => {
                const indicator = entry.indicator.indicator;
                const plain = entry.theilDecomposition;
                const weighted = entry.weightedTheilDecomposition;
                const reason = entry.unmeasurableReason && unmeasurableText(entry.unmeasurableReason);
                const weightedReason =
                  entry.weightedUnmeasurableReason && unmeasurableText(entry.weightedUnmeasurableReason, weightingOf(entry));
                const within = (part: { betweenShare?: number | null } | null | undefined) =>
                  part?.betweenShare === null || part?.betweenShare === undefined ? null : 1 - part.betweenShare;
                return (
                  <tr
                    key={indicator.code}
                    data-indicator={indicator.code}
                    data-between-share={plain?.betweenShare ?? ''}
                    data-weighted-between-share={weighted?.betweenShare ?? ''}
                    data-weight-year={entry.weightYear ?? ''}
                  >
                    <th scope="row">{indicator.name}</th>
                    <td>{entry.indicator.year}</td>
                    <td>
                      <Measure value={entry.theil} reason={reason} />
                    </td>
                    <td className="between">
                      <Part value={plain?.between} share={plain?.betweenShare} reason={reason} />
                    </td>
                    <td className="within">
                      <Part value={plain?.within} share={within(plain)} reason={reason} />
                    </td>
                    <td>{weightingText(weightingOf(entry))}</td>
                    <td>
                      <Measure value={entry.weightedTheil} reason={weightedReason} />
                    </td>
                    <td className="weighted-between">
                      <Part value={weighted?.between} share={weighted?.betweenShare} reason={weightedReason} />
                    </td>
                    <td className="weighted-within">
                      <Part value={weighted?.within} share={within(weighted)} reason={weightedReason} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {report.indicators
          .filter((entry) => entry.theilDecomposition)
          .map((entry) => {
            const indicator = entry.indicator.indicator;
            return (
              <TheilGroups
                key={indicator.code}
                variables={{
                  indicator: indicator.code,
                  level: report.level,
                  year: report.year ?? null,
                  withinParent: report.withinParent?.code ?? null,
                  weightYears: state.weightYears,
                }}
                indicator={indicator}
                groupLevel={groupLevel}
                weighting={entry.weightedTheilDecomposition ? weightingText(weightingOf(entry)) : null}
              />
            );
          })}
      </section>
      {anyComputed && <p className="aggregated-note">{AGGREGATED_NOTE}</p>}
      <details className="method" id="equal-method" ref={method}>
        <summary>Methode</summary>
        <p>{report.method}</p>
      </details>
      <ul className="attribution equal-attributions">
        {indicators.map((indicator) => (
          <li key={indicator.code} data-indicator={indicator.code}>
            {indicator.name}: {indicator.attribution}
          </li>
        ))}
      </ul>
    </section>
  );
}
