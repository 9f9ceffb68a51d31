import { formerRegionCodeNote, STATE_CODE, successorOfFormerRegionCode } from '@regiograph/shared';
import { REGION_LEVELS, type RegionDirectory, type RegionEntry } from '../regions';

/**
 * Why the import refuses a value file's region key in `year`, or null when it takes the row: a key of
 * the region catalogue, or one it leaves out and names in the report (LoadReport.absentRegions).
 *
 * Only one kind is left out: a county key a merger dissolved (03152, 03156, 03201, 03253), up to the
 * merger's year. The offices' county time series keep those rows for the years before the merger
 * (see data/monitoring/NOTES.md); they describe a territory no region of today has, and a steward
 * downloading a whole series should not have to delete them by hand. Every other unknown key is a
 * mistake the import cannot tell from a typo (a value for a region that is not loaded would be lost
 * without anyone deciding so), and a former key after its merger's year is the successor's value
 * under the old key (NOTES.md: KBA's 03152 on 01.01.2017 is the new Göttingen's), so both are refused.
 */
export function regionKeyRefusal(ags: string, year: number, directory: RegionDirectory): string | null {
  if (ags === STATE_CODE || regionOfKey(ags, directory)) return null;
  const successor = successorOfFormerRegionCode(ags);
  const note = formerRegionCodeNote(ags);
  if (successor && note) {
    const mergerYear = successor.since.getUTCFullYear();
    // The merger's own year is left out, not refused: some series are dated before the merger's day in it (KBA: 1 January).
    if (year <= mergerYear) return null;
    return `region key ${ags} in ${year}, after its merger: ${note} A value of ${year} under the old key is the successor's: give it as ${successor.successorCodes.join(' or ')}, or leave the row out`;
  }
  return unknownKeyRefusal(ags, directory);
}

/** The refusal of a county or municipality key the catalogue lacks, with the keys one typing slip away. */
function unknownKeyRefusal(ags: string, directory: RegionDirectory): string {
  const level = ags.length === 5 ? 'county' : 'municipality';
  const near = nearKeys(ags, directory);
  return (
    `unknown region key ${ags}: no ${level} of the region catalogue (BKG VG5000, 01.01.2021) has it` +
    (near.length > 0 ? `; did you mean ${near.map((entry) => `${entry.key} (${entry.name})`).join(' or ')}?` : '') +
    (level === 'municipality' ? '; a municipality formed by a merger after that day is not in it: leave its rows out' : '')
  );
}

/** The county (5-digit key) or municipality (AGS) a value file's key names, if the catalogue has it. */
export function regionOfKey(ags: string, directory: RegionDirectory): RegionEntry | undefined {
  const entry = ags.length === 5 ? directory.get(ags) : directory.getByAgs(ags);
  return entry && (entry.level === 'COUNTY' || entry.level === 'MUNICIPALITY') ? entry : undefined;
}

/** The keys of the same level one slip away: one digit typed wrong, or two neighbouring digits swapped. */
function nearKeys(ags: string, directory: RegionDirectory): { key: string; name: string }[] {
  const candidates =
    ags.length === 5
      ? directory.ofLevel('COUNTY').map((entry) => ({ key: entry.code, name: entry.name }))
      : directory.ofLevel('MUNICIPALITY').map((entry) => ({ key: entry.ags, name: entry.name }));
  return candidates.filter(({ key }) => oneSlipApart(ags, key));
}

function oneSlipApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differing: number[] = [];
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) differing.push(index);
  if (differing.length === 1) return true;
  const [first, second] = differing;
  return differing.length === 2 && second === first! + 1 && a[first!] === b[second] && a[second] === b[first!];
}

/**
 * What a region cell the importer cannot read as a key of its column probably is, and the key to
 * write instead, as "; …" to append to the refusal; empty when nothing fits. A sheet of a county's
 * own figures often names municipalities, gives their AGS where the observations want the ARS (or
 * the other way round), or lost the key's leading 0 when a spreadsheet read it as a number. The
 * key is named, not taken: a name may stand for several regions (Aurich, the county and the town).
 */
export function regionCellHint(text: string, column: 'region_code' | 'ags', directory: RegionDirectory): string {
  const keyOf = (entry: RegionEntry) => (column === 'region_code' ? entry.code : entry.ags);
  const describe = (entry: RegionEntry) => `${keyOf(entry)} (${entry.officialType} ${entry.name})`;
  // Only the levels the column holds: value files give the state, counties and municipalities by AGS.
  const fits = (entry: RegionEntry | undefined): entry is RegionEntry => !!entry && keyOf(entry) !== '';
  const byKey = (key: string) => {
    const entry = directory.get(key) ?? directory.getByAgs(key);
    return fits(entry) ? entry : undefined;
  };
  if (/^3\d*$/.test(text)) {
    const entry = byKey(`0${text}`);
    if (entry) return `; it lost its leading 0 (a spreadsheet read the key as a number: format the column as text): ${describe(entry)}`;
  }
  const other = byKey(text);
  if (other && keyOf(other) !== text)
    return column === 'region_code'
      ? `; that is the AGS of ${other.officialType} ${other.name}: region_code is its ARS, ${other.code} (or give --region-key AGS, which reads every region_code as an AGS)`
      : `; that is the ARS of ${other.officialType} ${other.name}: ags is its AGS, ${other.ags}`;
  const name = normalisedName(text);
  if (name === '' || /^\d+$/.test(name)) return '';
  const named = REGION_LEVELS.flatMap((level) => directory.ofLevel(level)).filter(
    (entry) =>
      fits(entry) &&
      [entry.name, entry.name.replace(/\s*\(.*\)$/, ''), `${entry.officialType} ${entry.name}`].some(
        (written) => normalisedName(written) === name,
      ),
  );
  if (named.length === 0) return '';
  return `; a name, not a key: ${named.map(describe).join(' or ')}`;
}

function normalisedName(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('de');
}

/** How an observations file's region_code column names regions (`--region-key`): the ARS, or the AGS. */
export const REGION_KEY_COLUMNS = ['ARS', 'AGS'] as const;
export type RegionKeyColumn = (typeof REGION_KEY_COLUMNS)[number];

/** The regions of the catalogue by their AGS: every region that has one, so that two with one AGS are seen. */
export function regionsByAgs(directory: RegionDirectory): ReadonlyMap<string, readonly RegionEntry[]> {
  const byAgs = new Map<string, RegionEntry[]>();
  for (const entry of REGION_LEVELS.flatMap((level) => directory.ofLevel(level)))
    if (entry.ags !== '') byAgs.set(entry.ags, [...(byAgs.get(entry.ags) ?? []), entry]);
  return byAgs;
}

/**
 * The ARS (region_code) of the one region of the catalogue that has the AGS `text` (the state's 2
 * digits, a county's 5, a municipality's 8), or why there is none to take: an AGS no region has, one
 * that several have (each named), an ARS where the column was said to hold AGS. Nothing is guessed:
 * a municipality formed after the catalogue's day has no region, and its rows are refused.
 */
export function regionCodeOfAgs(
  text: string,
  byAgs: ReadonlyMap<string, readonly RegionEntry[]>,
  directory: RegionDirectory,
): { code: string; problem: null } | { code: null; problem: string } {
  const regions = byAgs.get(text) ?? [];
  if (regions.length === 1) return { code: regions[0]!.code, problem: null };
  const describe = (entry: RegionEntry) => `${entry.code} (${entry.officialType} ${entry.name})`;
  if (regions.length > 1)
    return {
      code: null,
      problem: `AGS ${text} is that of several regions: ${regions.map(describe).join(', ')}; give the one meant by its ARS, without --region-key AGS`,
    };
  const byArs = directory.get(text);
  if (byArs)
    return {
      code: null,
      problem:
        `${text} is the ARS of ${byArs.officialType} ${byArs.name}, and --region-key AGS reads region_code as AGS` +
        (byArs.ags ? `: write its AGS, ${byArs.ags}` : ': it has no AGS; give the file without --region-key AGS, by ARS'),
    };
  if (!/^(\d{2}|\d{5}|\d{8})$/.test(text))
    return {
      code: null,
      problem: `bad AGS ${JSON.stringify(text)} (--region-key AGS: 2 digits the state, 5 a county, 8 a municipality)${regionCellHint(text, 'ags', directory)}`,
    };
  const former = formerRegionCodeNote(text);
  if (former) return { code: null, problem: `unknown AGS ${text}: ${former}` };
  if (text.length === 2) return { code: null, problem: `unknown AGS ${text}: the region catalogue holds Lower Saxony, ${STATE_CODE}` };
  return { code: null, problem: unknownKeyRefusal(text, directory) };
}
