// The region codes a write's input names (a project's regions, a cooperation's members), read and
// refused the same way in every subgraph that accepts writes.
import { malformedRegionCodeError, regionNotFoundError, type CatalogueRegion, type RegionCatalogue } from '@regiograph/shared';
import type { Validator } from './write';

/**
 * A region code as a write's input gives it: a string, or an integer literal the ID scalar takes,
 * without the spaces a spreadsheet cell or a copied key carries around it.
 */
export function regionCodeOfInput(code: string | number): string {
  return String(code).trim();
}

/**
 * Why `code` names no region of the directory, in the words the read arguments use
 * (shared's region-code-arguments.ts): a municipality's 8-digit AGS or a NUTS code names its ARS, a key a merger
 * dissolved names its successor and the day, so a partner holding its own keys learns which key to
 * send instead of only that this one is unknown.
 */
export function unknownRegionCodeMessage(code: string): string {
  const malformed = malformedRegionCodeError(code, 'The code', {});
  if (malformed) return malformed.message;
  const missing = regionNotFoundError(code);
  return missing.extensions.successors ? missing.message : `${JSON.stringify(code)} is not the ARS code of a region of Lower Saxony.`;
}

/** The region of `code`, or undefined after adding UNKNOWN_REGION (with unknownRegionCodeMessage) at `field`. */
export function checkRegionCode(
  validator: Pick<Validator<'UNKNOWN_REGION'>, 'add'>,
  field: string,
  code: string,
  catalogue: RegionCatalogue,
): CatalogueRegion | undefined {
  const region = catalogue.get(code);
  if (!region) validator.add(field, 'UNKNOWN_REGION', unknownRegionCodeMessage(code));
  return region;
}
