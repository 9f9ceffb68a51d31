import { formerRegionCodeNote, STATE_CODE } from '@regiograph/shared';
import { aggregateValues, weightOf, type WeightedValue } from '../aggregate';
import type { ObservationCell, ObservationRecord } from '../definitions';
import { evaluateFormula } from '../formula';
import type { RegionDirectory, RegionEntry } from '../regions';
import type { CatalogueEntry, ImportProblem } from './validate';
import { regionOfKey } from './region-keys';
import { resolveSeries, seriesOfTerm, type KeyOccurrence, type SeriesStore } from './values';

/**
 * A region key of the value files that the region tree does not know, whose rows are left out and
 * reported: a county key a merger dissolved, up to the merger's year (`regionKeyRefusal`; any other is refused).
 */
export interface AbsentRegion {
  ags: string;
  rows: number;
  years: number[];
  /** `file:line` of its first row. */
  firstLine: string;
  /** For a county key a merger dissolved (03152, 03156, 03201, 03253): its successor and the merger's day, in words. */
  formerKeyNote?: string;
}

/** A SUM indicator's county total compared with the state row the source publishes. */
export interface StateCheck {
  indicatorCode: string;
  year: number;
  stateValue: number;
  countyTotal: number;
  ok: boolean;
}

export interface LoadReport {
  absentRegions: AbsentRegion[];
  stateChecks: StateCheck[];
  /** Series of the value files that no catalogue entry reads. */
  unusedSeries: string[];
  /**
   * Stored indicators whose catalogue rows are not in the import, computed again from what it writes:
   * those derived from it (their formulas, in the regions and years it writes), and those weighted by
   * it (their districts, Samtgemeinden, counties and state computed from the regions within). Entries
   * of the import itself too, where they are derived from or weighted by an indicator whose rule or
   * formula it changes (`reaggregated`, `rederived`), or by one of these: in every stored year; and
   * where they are derived from or weighted by what its observations file gives: in its regions and years.
   * A value the source published of a derived indicator stands: none is computed over it.
   */
  recomputed?: {
    derived: string[];
    weighted: string[];
    /**
     * Those the import writes values of, or withholds, within their aggregated parents: those parents
     * (a new indicator whose catalogue row comes with observations included, not one read from value files).
     */
    aggregated?: string[];
  };
  /** Stored synthetic indicators weighted by what the import writes: the seed generates them, by rules of its own. */
  notRecomputed?: string[];
  /**
   * Stored values of derived indicators that the import deletes in its transaction: an input of their
   * formula is left without a value (a revision SUPPRESSED or MISSING), so nothing gives them any more.
   * A derived cell whose inputs lack a value has no row, as the seed and a first import leave it.
   */
  removed?: ObservationCell[];
  /**
   * Stored values RegioGraph aggregated from the regions within (or left MISSING for their lack) of an
   * indicator whose catalogue row the import switches to aggregation NONE: deleted in its transaction.
   */
  unaggregated?: ObservationCell[];
  /**
   * Stored indicators whose catalogue row the import gives another aggregation rule (SUM and
   * WEIGHTED_MEAN swapped, another weight, or an aggregation where it said NONE): their Samtgemeinden,
   * counties without a value of their own, districts and state of every stored year aggregated again,
   * in its transaction, from the stored values the sources published. Those the new rule cannot give
   * are deleted (`unaggregated`).
   */
  reaggregated?: { code: string; aggregation: 'SUM' | 'WEIGHTED_MEAN'; weightIndicatorCode: string | null }[];
  /**
   * Stored indicators whose catalogue row the import gives a formula, another formula, or none any
   * more (`formula` null): one with a formula is computed again, in its transaction, in every year
   * its inputs have a value; what the formula does not give, and every value of one no longer
   * derived, is deleted (`underived`). What is derived from it or weighted by it follows. Values
   * its source published of it (an observations file's, `Observation.derived` false) stand as given,
   * statuses without a value (SUPPRESSED) too: `published` counts them, where there are any.
   */
  rederived?: { code: string; formula: string | null; published?: number }[];
  /** Stored values of the `rederived` indicators computed by a formula their catalogue rows no longer give: deleted in its transaction. */
  underived?: ObservationCell[];
}

type Values = Map<string, Map<number, number>>;

/**
 * Values the source published that are stored already, by indicator, region code and year: what a
 * value file holding part of a series (one year, or a revision of a few counties) completes its
 * regions' parents with; of a derived indicator, the cells its formula leaves as published.
 */
export type StoredValues = ReadonlyMap<string, StoredSeries>;
type StoredSeries = ReadonlyMap<string, ReadonlyMap<number, number>>;

/**
 * The cells ("region|year") of each derived indicator that its source gave a status without a value
 * (SUPPRESSED, or MISSING with its own reason): they stand as its figures do, for a value computed
 * in their place would reveal what the office withheld.
 */
export type WithheldCells = ReadonlyMap<string, ReadonlySet<string>>;

const UNINHABITED = 'Gemeindefreies Gebiet';

/**
 * The indicators that entries read without computing them (the import's own values, else the stored
 * ones, on every level), when the entries are stored dependents of an import: then only what follows
 * from a renewed cell is given back, and the rest stands as stored.
 */
export interface DependentInputs {
  values: StoredValues;
  /** The cells ("region|year") of each indicator that the import writes. */
  renewed: ReadonlyMap<string, ReadonlySet<string>>;
  /** The cells ("region|year") of each indicator computed from the regions within. */
  aggregated: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The cells ("region|year") of each indicator aggregated again by a new rule that the old one
   * aggregated: renewed too, so that what reads one the new rule leaves without a value follows.
   */
  superseded?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The cells ("region|year") stored with a value of each indicator whose formula the import gives or
   * changes: it is computed in every cell of its inputs, and a stored cell it leaves without a value is unset.
   */
  rederived?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Computes every observation the catalogue's series and formulas define, at every level:
 * - values of the state, counties and municipalities as the value files give them;
 * - Samtgemeinden from their municipalities, and counties from their municipalities where the
 *   files have no county value, by the indicator's rule, only where every inhabited member has a value;
 * - ArL districts from their counties, and the state where the files have no state value
 *   (a parent lacking a county value is MISSING with the reason, never a partial sum);
 * - derived indicators from their inputs at the same region and year, on every level, but where
 *   `stored` holds a value the source published of them, or `withheldCells` a status it gave without one
 *   (marked `derived` otherwise).
 */
export function computeObservations(
  entries: CatalogueEntry[],
  store: SeriesStore,
  keys: ReadonlyMap<string, KeyOccurrence>,
  directory: RegionDirectory,
  catalogueFile: string | ((code: string) => string),
  stored: StoredValues = new Map(),
  inputs?: DependentInputs,
  withheldCells: WithheldCells = new Map(),
): { observations: ObservationRecord[]; report: LoadReport; problems: ImportProblem[]; unset: ObservationCell[] } {
  const problems: ImportProblem[] = [];
  // Stored dependents are computed beside the import's own catalogue rows: each problem names the catalogue its row is in.
  const fileOf = typeof catalogueFile === 'string' ? () => catalogueFile : catalogueFile;
  const codeOf = (ags: string): string | null => (ags === STATE_CODE ? STATE_CODE : (regionOfKey(ags, directory)?.code ?? null));
  const absentRegions: AbsentRegion[] = [];
  for (const [ags, occurrence] of [...keys].sort(([a], [b]) => a.localeCompare(b))) {
    if (codeOf(ags) !== null) continue;
    const formerKeyNote = formerRegionCodeNote(ags);
    absentRegions.push({
      ags,
      rows: occurrence.rows,
      years: [...occurrence.years].sort((a, b) => a - b),
      firstLine: `${occurrence.first.file}:${occurrence.first.line}`,
      ...(formerKeyNote ? { formerKeyNote } : {}),
    });
  }

  const used = new Set<string>();
  for (const entry of entries) {
    for (const alternative of entry.series?.alternatives ?? []) {
      for (const term of alternative.terms) {
        const series = seriesOfTerm(term, store);
        if (series.length === 0)
          problems.push({ file: fileOf(entry.code), line: entry.line, reason: `series ${term} is not in the value files` });
        for (const key of series) used.add(key);
      }
    }
  }
  const ordered = dependencyOrder(entries, fileOf, problems);
  const report: LoadReport = { absentRegions, stateChecks: [], unusedSeries: [...store.keys()].filter((key) => !used.has(key)).sort() };
  if (problems.length > 0) return { observations: [], report, problems, unset: [] };

  const values = new Map<string, Values>();
  // With inputs given: the renewed cells of a derived entry that its formula leaves without a value.
  const unset: ObservationCell[] = [];
  // The cells computed from the regions within, per indicator ("region|year"): they say so when read.
  const aggregatedCells = new Map<string, Set<string>>();
  // The stored cells an indicator is completed with ("region|year"): they are read, not written again.
  const storedCells = new Map<string, Set<string>>();
  const missing: ObservationRecord[] = [];
  // With inputs given: the cells of each entry computed from a renewed one, the only ones given back.
  const renewedCells = new Map<string, Set<string>>();
  const isRenewed = (code: string, cell: string): boolean => (renewedCells.get(code) ?? inputs?.renewed.get(code))?.has(cell) ?? false;
  const valuesOf = (code: string): StoredSeries | undefined => values.get(code) ?? inputs?.values.get(code);
  const counties = directory.ofLevel('COUNTY');
  const municipalities = directory.ofLevel('MUNICIPALITY');
  const membersOf = new Map(
    [...directory.ofLevel('MUNICIPAL_ASSOCIATION'), ...counties].map(
      (parent) => [parent, municipalities.filter((m) => m.code.startsWith(parent.code))] as const,
    ),
  );
  const childrenOf = new Map(
    [...directory.ofLevel('DISTRICT'), ...directory.ofLevel('STATE')].map(
      (parent) => [parent, parent.level === 'STATE' ? counties : counties.filter((c) => c.code.startsWith(parent.code))] as const,
    ),
  );
  for (const entry of ordered) {
    const own: Values = new Map();
    values.set(entry.code, own);
    const aggregatedHere = new Set<string>();
    aggregatedCells.set(entry.code, aggregatedHere);
    // A stored indicator aggregated again over the values the import writes of it: those cells are renewed.
    const renewedHere = new Set<string>(
      entry.parsedFormula ? [] : [...(inputs?.renewed.get(entry.code) ?? []), ...(inputs?.superseded?.get(entry.code) ?? [])],
    );
    if (inputs) renewedCells.set(entry.code, renewedHere);
    const set = (region: string, year: number, value: number, aggregated = false, renewed = false) => {
      let series = own.get(region);
      if (!series) own.set(region, (series = new Map()));
      series.set(year, value);
      if (aggregated) aggregatedHere.add(`${region}|${year}`);
      if (renewed) renewedHere.add(`${region}|${year}`);
    };
    if (entry.parsedFormula) {
      const formula = entry.parsedFormula;
      // A value the source published for a derived indicator stands: the formula neither computes over
      // it nor leaves it without a value, and what reads it reads it (it is not written again).
      const publishedHere = stored.get(entry.code);
      const withheldHere = withheldCells.get(entry.code);
      const heldHere = new Set<string>();
      storedCells.set(entry.code, heldHere);
      const compute = (region: string, year: number): number | null => {
        const held = publishedHere?.get(region)?.get(year);
        if (held !== undefined) {
          set(region, year, held);
          heldHere.add(`${region}|${year}`);
          return held;
        }
        // A status the source gave without a value stands too: it has no value, and is not unset.
        if (withheldHere?.has(`${region}|${year}`)) {
          heldHere.add(`${region}|${year}`);
          return null;
        }
        const value = evaluateFormula(formula.root, (code) => valuesOf(code)?.get(region)?.get(year));
        const cell = `${region}|${year}`;
        const fromAggregates = formula.inputs.some(
          (code) => (aggregatedCells.get(code) ?? inputs?.aggregated.get(code))?.has(cell) ?? false,
        );
        if (value !== null) set(region, year, value, fromAggregates, true);
        return value;
      };
      const everyCell = inputs?.rederived?.get(entry.code);
      if (!inputs || everyCell) {
        // Every input must have a value in the region and year, so the first input's cells bound the search.
        for (const [region, years] of valuesOf(formula.inputs[0]!) ?? []) for (const year of years.keys()) compute(region, year);
        // A formula given anew: what it no longer gives of the stored values has no value now.
        for (const cell of everyCell ?? []) {
          if (renewedHere.has(cell) || heldHere.has(cell)) continue;
          const [region = '', year = ''] = cell.split('|');
          renewedHere.add(cell);
          unset.push({ indicatorCode: entry.code, regionCode: region, year: Number(year) });
        }
        continue;
      }
      // A stored dependent: the renewed cells of every input, those left without a value too, whose
      // stored result nothing gives any more. Such a cell counts as renewed, so what reads it follows.
      for (const bound of formula.inputs) {
        for (const cell of renewedCells.get(bound) ?? inputs.renewed.get(bound) ?? []) {
          if (renewedHere.has(cell)) continue;
          const [region = '', year = ''] = cell.split('|');
          if (compute(region, Number(year)) !== null || heldHere.has(cell)) continue;
          renewedHere.add(cell);
          unset.push({ indicatorCode: entry.code, regionCode: region, year: Number(year) });
        }
      }
      continue;
    }
    // A stored dependent weighted by what the import writes has no series: its stored values are aggregated again.
    if (!entry.series && !stored.has(entry.code)) continue;
    const storedHere = new Set<string>();
    storedCells.set(entry.code, storedHere);
    for (const [region, years] of stored.get(entry.code) ?? []) {
      for (const [year, value] of years) {
        set(region, year, value);
        storedHere.add(`${region}|${year}`);
      }
    }
    for (const { ags, year, value } of entry.series ? resolveSeries(entry.series, store).values() : []) {
      const code = codeOf(ags);
      if (code === null) continue;
      set(code, year, value);
      storedHere.delete(`${code}|${year}`);
    }
    if (entry.aggregation === 'NONE') continue;
    // A weight this import does not compute is read as stored, so a revised rate still weights its districts.
    const weights: StoredSeries | undefined = entry.weightIndicatorCode
      ? (valuesOf(entry.weightIndicatorCode) ?? stored.get(entry.weightIndicatorCode))
      : undefined;
    if (entry.weightIndicatorCode && !weights) continue; // a weight neither in the files nor stored: nothing to weight with
    const aggregate = (
      children: RegionEntry[],
      year: number,
      skipUninhabited: boolean,
    ): { value: number | null; lacking: number; counted: number; renewed: boolean } => {
      const parts: WeightedValue[] = [];
      let lacking = 0;
      let counted = 0;
      let renewed = false;
      for (const child of children) {
        const cell = `${child.code}|${year}`;
        if (isRenewed(entry.code, cell) || (entry.weightIndicatorCode !== null && isRenewed(entry.weightIndicatorCode, cell)))
          renewed = true;
        const skipped = skipUninhabited && child.officialType === UNINHABITED;
        if (!skipped) counted += 1;
        const value = own.get(child.code)?.get(year);
        const weight = weights ? weightOf(weights.get(child.code), year) : 1;
        if (value === undefined || weight === null) {
          if (!skipped) lacking += 1;
        } else parts.push({ value, weight });
      }
      return { value: lacking === 0 ? aggregateValues(entry.aggregation, parts) : null, lacking, counted, renewed };
    };
    const notAggregated = (
      regionCode: string,
      year: number,
      lacking: number,
      of: number,
      children: 'counties' | 'municipalities',
      renewed: boolean,
    ): void => {
      if (inputs && !renewed) return;
      // What reads it follows, as it follows a value given anew.
      renewedHere.add(`${regionCode}|${year}`);
      missing.push({
        indicatorCode: entry.code,
        regionCode,
        year,
        value: null,
        status: 'MISSING',
        missingReason: { kind: 'notAggregated', lacking, of, members: children, orWeight: weights !== undefined },
      });
    };
    // A cell the import gives a status without a value (a county SUPPRESSED) is as given: not aggregated
    // from its members, whose total would both contradict and reveal what it withholds.
    const withheld = (regionCode: string, year: number): boolean =>
      !own.get(regionCode)?.has(year) && (inputs?.renewed.get(entry.code)?.has(`${regionCode}|${year}`) ?? false);
    const yearsAt = (regions: RegionEntry[]) => {
      const years = new Set<number>();
      for (const region of regions) for (const year of own.get(region.code)?.keys() ?? []) years.add(year);
      return [...years].sort((a, b) => a - b);
    };
    // Municipalities make up Samtgemeinden, and counties the files give no value for. One lacking a
    // member's value is MISSING with the reason, as a district lacking a county is: without it, a
    // Samtgemeinde or Goslar's Zensus 2022 population read "the data have no value", as if the
    // source had left out a value that it never publishes for that level.
    const municipalYears = yearsAt(municipalities);
    for (const [parent, members] of membersOf) {
      if (members.length === 0) continue;
      for (const year of municipalYears) {
        if (own.get(parent.code)?.has(year) || withheld(parent.code, year)) continue;
        const { value, lacking, counted, renewed } = aggregate(members, year, true);
        if (value !== null) set(parent.code, year, value, true, renewed);
        else if (lacking > 0) notAggregated(parent.code, year, lacking, counted, 'municipalities', renewed);
      }
    }
    // Counties make up the ArL districts, and the state where the files have no state row.
    for (const year of yearsAt(counties)) {
      for (const [parent, children] of childrenOf) {
        const { value, lacking, renewed } = aggregate(children, year, false);
        const published = own.get(parent.code)?.get(year);
        if (withheld(parent.code, year)) continue;
        if (published !== undefined) {
          if (entry.aggregation === 'SUM' && value !== null) {
            // Published values are rounded to the indicator's decimals (VGR figures in 1,000 EUR, areas to 0.01 km²):
            // each county may be off by half a unit, so their total by that much per county.
            const tolerance = 0.5 * 10 ** -entry.decimals * children.length;
            report.stateChecks.push({
              indicatorCode: entry.code,
              year,
              stateValue: published,
              countyTotal: value,
              ok: Math.abs(value - published) <= tolerance + 1e-9,
            });
          }
          continue;
        }
        if (value !== null) set(parent.code, year, value, true, renewed);
        else notAggregated(parent.code, year, lacking, children.length, 'counties', renewed);
      }
    }
  }

  const observations: ObservationRecord[] = [];
  const lineOf = new Map(entries.map((entry) => [entry.code, entry.line]));
  const derivedCodes = new Set(entries.filter((entry) => entry.parsedFormula).map((entry) => entry.code));
  for (const [indicatorCode, byRegion] of values) {
    for (const [regionCode, byYear] of byRegion) {
      for (const [year, value] of byYear) {
        if (storedCells.get(indicatorCode)?.has(`${regionCode}|${year}`)) continue;
        if (inputs && !renewedCells.get(indicatorCode)?.has(`${regionCode}|${year}`)) continue;
        // Each input is a finite number, but a sum or formula of them can overflow: GraphQL's Float
        // cannot carry Infinity, so every read of the cell would fail.
        if (!Number.isFinite(value)) {
          problems.push({
            file: fileOf(indicatorCode),
            line: lineOf.get(indicatorCode) ?? 0,
            reason: `${indicatorCode} computes to ${value} for ${regionCode} in ${year}: its inputs overflow a number`,
          });
          continue;
        }
        const aggregated = aggregatedCells.get(indicatorCode)?.has(`${regionCode}|${year}`) ?? false;
        observations.push({
          indicatorCode,
          regionCode,
          year,
          value,
          status: 'FINAL',
          missingReason: null,
          ...(aggregated ? { aggregated } : {}),
          ...(derivedCodes.has(indicatorCode) ? { derived: true } : {}),
        });
      }
    }
  }
  if (problems.length > 0) return { observations: [], report, problems, unset: [] };
  return { observations: observations.concat(missing), report, problems, unset };
}

/** Entries ordered so that weights and formula inputs come first; a cycle is a problem. */
export function dependencyOrder(entries: CatalogueEntry[], fileOf: (code: string) => string, problems: ImportProblem[]): CatalogueEntry[] {
  const byCode = new Map(entries.map((entry) => [entry.code, entry]));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: CatalogueEntry[] = [];
  const visit = (entry: CatalogueEntry) => {
    if (state.get(entry.code) === 'done') return;
    if (state.get(entry.code) === 'visiting') {
      problems.push({ file: fileOf(entry.code), line: entry.line, reason: `${entry.code} depends on itself through weights or formulas` });
      return;
    }
    state.set(entry.code, 'visiting');
    for (const code of [...entry.derivedFrom, ...(entry.weightIndicatorCode ? [entry.weightIndicatorCode] : [])]) {
      const dependency = byCode.get(code);
      if (dependency) visit(dependency);
    }
    state.set(entry.code, 'done');
    ordered.push(entry);
  };
  for (const entry of entries) visit(entry);
  return ordered;
}
