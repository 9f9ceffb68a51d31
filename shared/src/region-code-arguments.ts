import { ErrorCode, userError } from './errors';
import { regionCatalogue } from './region-catalogue';
import { isRegionCode } from './region-codes';

/** What a code must look like, said in every refusal of a malformed one. */
const ARS_FORM = 'ARS codes of Lower Saxony: 03, 031–034, or 5, 9 or 12 digits starting with 03';

/**
 * The one check of every argument that names regions by code, in every subgraph, so the same mistake
 * gets the same error code whichever field it is sent to: a code that is no ARS of Lower Saxony at all
 * is BAD_USER_INPUT (also a municipality's 8-digit AGS, with the ARS to send instead, in the message
 * and in `extensions.ars`: tables of the statistics offices key municipalities by it); a well-formed
 * code no region of the directory (BKG VG5000, 01.01.2021) has is UNKNOWN_REGION_CODES. Either way
 * every offender is named at once (`extensions.codes`). Answers the codes deduplicated, in order.
 */
export function requireRegionCodeArguments(codes: readonly (string | number)[], argument: string): string[] {
  const unique = [...new Set(codes.map(String))];
  const malformed = unique.filter((code) => !isRegionCode(code));
  const catalogue = regionCatalogue();
  if (malformed.length > 0) {
    const ars = Object.fromEntries(
      malformed.flatMap((code) => {
        const municipality = catalogue.municipalityOfAgs(code);
        return municipality ? [[code, municipality.code]] : [];
      }),
    );
    const hints = Object.entries(ars).map(([ags, code]) => ` ${ags} is an AGS (Amtlicher Gemeindeschlüssel), not an ARS: send ${code}.`);
    throw userError(
      `${argument}: ${malformed.map((code) => JSON.stringify(code)).join(', ')} ${malformed.length === 1 ? 'is not an ARS code' : 'are not ARS codes'} (${ARS_FORM}).${hints.join('')}`,
      ErrorCode.BadUserInput,
      { argument, codes: malformed, ...(hints.length > 0 ? { ars } : {}) },
    );
  }
  const unknown = unique.filter((code) => !catalogue.has(code));
  if (unknown.length > 0) {
    throw userError(`Unknown region code(s) in ${argument}: ${unknown.join(', ')}.`, ErrorCode.UnknownRegionCodes, {
      argument,
      codes: unknown,
    });
  }
  return unique;
}
