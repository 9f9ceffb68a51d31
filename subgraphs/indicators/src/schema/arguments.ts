import { ErrorCode, InputRefusalReason, requireRegionCodeArguments, userError } from '@regiograph/shared';
import type { IndicatorRow, IndicatorsContext } from '../context';
import { levelOfCode, REGION_LEVELS, type RegionDirectory, type RegionLevelName } from '../regions';

/** The most cells (indicators × regions × years) one table, statistics or ranking may span. */
export const MAX_CELLS = 100_000;
export const MAX_CODES = 2_000;

/** The catalogue entries of the given codes, in order and deduplicated; unknown codes fail together. */
export async function requireIndicators(
  ctx: IndicatorsContext,
  codes: readonly (string | number)[],
  argument: string,
): Promise<IndicatorRow[]> {
  const unique = [...new Set(codes.map(String))];
  if (unique.length === 0) throw userError(`${argument} must name at least one indicator.`, ErrorCode.BadUserInput, { argument });
  const catalogue = await ctx.loaders.catalogue();
  const unknown = unique.filter((code) => !catalogue.has(code));
  if (unknown.length > 0) {
    throw userError(`Unknown indicator code(s) in ${argument}: ${unknown.join(', ')}.`, ErrorCode.UnknownIndicatorCodes, {
      argument,
      codes: unknown,
    });
  }
  return unique.map((code) => catalogue.get(code)!);
}

export async function requireIndicator(ctx: IndicatorsContext, code: string | number, argument = 'indicator'): Promise<IndicatorRow> {
  const [indicator] = await requireIndicators(ctx, [code], argument);
  return indicator!;
}

export interface RegionSelectionInput {
  codes?: (string | number)[] | null;
  parentCode?: string | number | null;
  level?: RegionLevelName | null;
}

/**
 * The region codes a selection names: either explicit codes (in the order given), or all regions
 * of a level, optionally below a parent (by code).
 */
export function resolveRegionSelection(ctx: IndicatorsContext, selection: RegionSelectionInput): string[] {
  const hasCodes = selection.codes != null;
  const hasLevel = selection.level != null;
  if (hasCodes === hasLevel || (hasCodes && selection.parentCode != null)) {
    throw userError('regions takes either codes, or a level with an optional parentCode.', ErrorCode.BadUserInput, { argument: 'regions' });
  }
  if (hasCodes) {
    if (selection.codes!.length > MAX_CODES) {
      throw userError(`regions.codes is limited to ${MAX_CODES} codes.`, ErrorCode.TooManyItems, {
        argument: 'regions.codes',
        limit: MAX_CODES,
      });
    }
    const codes = requireRegionCodeArguments(selection.codes!, 'regions.codes');
    if (codes.length === 0)
      throw userError('regions.codes must name at least one region.', ErrorCode.BadUserInput, { argument: 'regions.codes' });
    return codes;
  }
  const parentCode = selection.parentCode == null ? null : requireRegionCodeArguments([selection.parentCode], 'regions.parentCode')[0]!;
  const level = selection.level!;
  if (parentCode && REGION_LEVEL_DEPTH[levelOfCode(parentCode)!] >= REGION_LEVEL_DEPTH[level]) {
    throw userError(`regions.level ${level} is not below the level of ${parentCode}.`, ErrorCode.BadUserInput, {
      argument: 'regions.level',
      reason: InputRefusalReason.ParentNotAbove,
    });
  }
  if (parentCode) requireRegionsBelow(ctx.regions, level, parentCode, 'regions.parentCode');
  return ctx.regions.ofLevel(level, parentCode).map((entry) => entry.code);
}

/** What the argument descriptions say of a parent without regions of the level (see requireRegionsBelow). */
export const WITHOUT_REGIONS_BELOW_NOTE =
  ' A parent with no region of the level below it (no Samtgemeinde in a kreisfreie Stadt or in Region Hannover) is refused with ' +
  'BAD_USER_INPUT naming the levels it has, rather than answered with an empty list.';

/**
 * Refuses a parent below which the level has no region at all (no Samtgemeinde in a kreisfreie
 * Stadt or in Region Hannover): an empty ranking, table or report would read as a result, while
 * the question itself cannot be asked of that parent. The message names the levels it does have.
 */
export function requireRegionsBelow(regions: RegionDirectory, level: RegionLevelName, parentCode: string, argument: string): void {
  if (regions.ofLevel(level, parentCode).length > 0) return;
  const parentLevel = levelOfCode(parentCode)!;
  const levelsBelow = REGION_LEVELS.filter(
    (candidate) => REGION_LEVEL_DEPTH[candidate] > REGION_LEVEL_DEPTH[parentLevel] && regions.ofLevel(candidate, parentCode).length > 0,
  );
  const name = regions.get(parentCode)?.name;
  throw userError(
    `${argument}: ${parentCode}${name ? ` (${name})` : ''} has no region of the level ${level} below it` +
      (levelsBelow.length > 0 ? `; the levels below it are ${levelsBelow.join(', ')}.` : '.'),
    ErrorCode.BadUserInput,
    { argument, reason: InputRefusalReason.NoRegionsAtLevel, codes: [parentCode], level, levelsBelow },
  );
}

export const REGION_LEVEL_DEPTH: Record<RegionLevelName, number> = {
  STATE: 0,
  DISTRICT: 1,
  COUNTY: 2,
  MUNICIPAL_ASSOCIATION: 3,
  MUNICIPALITY: 4,
};

export function requireCellLimit(cells: number, what: string): void {
  if (cells > MAX_CELLS) {
    throw userError(
      `${what} would have ${cells} cells; the limit is ${MAX_CELLS}. Ask for fewer indicators, regions or years.`,
      ErrorCode.TooManyItems,
      {
        limit: MAX_CELLS,
        requested: cells,
      },
    );
  }
}
