import type { GraphQLError } from 'graphql';
import { ErrorCode, userError } from './errors';
import { regionCatalogue } from './region-catalogue';
import { isRegionCode } from './region-codes';

/**
 * Why a code is no ARS of Lower Saxony, in the words every subgraph uses; null for a well-formed code.
 * Partner systems often hold the 8-digit AGS of a municipality (statistics key municipalities by
 * it): for one, the reason names the municipality's ARS, so the caller learns which key to send.
 */
function malformedReason(code: string, subject: string): { message: string; ars?: string } | null {
  if (isRegionCode(code)) return null;
  const municipality = regionCatalogue().municipalityOfAgs(code);
  if (municipality) {
    return {
      message: `${subject} ${JSON.stringify(code)} is an AGS (Amtlicher Gemeindeschlüssel), not an ARS: ${municipality.name} has the ARS ${JSON.stringify(municipality.code)}.`,
      ars: municipality.code,
    };
  }
  return {
    message: `${subject} ${JSON.stringify(code)} is not an ARS code of Lower Saxony (03, 031–034, 5, 9 or 12 digits starting with 03).`,
  };
}

/**
 * BAD_USER_INPUT for one code that is no ARS of Lower Saxony (`extensions.ars` for a municipality's
 * AGS), with the caller's extensions; null for a well-formed code. For a look-up that answers each
 * code on its own (the regions subgraph's regionsByCodes); arguments use requireRegionCodeArguments.
 */
export function malformedRegionCodeError(code: string, subject: string, extensions: Record<string, unknown>): GraphQLError | null {
  const reason = malformedReason(code, subject);
  if (!reason) return null;
  return userError(reason.message, ErrorCode.BadUserInput, { ...extensions, ...(reason.ars ? { ars: reason.ars } : {}) });
}

/**
 * The one check of every argument that names regions of the directory by code, in every subgraph, so
 * the same mistake gets the same error code whichever field it is sent to: a code that is no ARS of
 * Lower Saxony at all is BAD_USER_INPUT (malformedRegionCodeError's words; the ARS of each AGS in
 * `extensions.ars`, AGS → ARS); a well-formed code no region of the directory (BKG VG5000,
 * 01.01.2021) has is UNKNOWN_REGION_CODES. Either way every offender is named at once
 * (`extensions.codes`). Answers the codes deduplicated, in order.
 */
export function requireRegionCodeArguments(codes: readonly (string | number)[], argument: string): string[] {
  const unique = [...new Set(codes.map(String))];
  const malformed = unique.flatMap((code) => {
    const reason = malformedReason(code, argument);
    return reason ? [{ code, ...reason }] : [];
  });
  if (malformed.length > 0) {
    const ars = Object.fromEntries(malformed.flatMap((entry) => (entry.ars ? [[entry.code, entry.ars]] : [])));
    throw userError(malformed.map((entry) => entry.message).join(' '), ErrorCode.BadUserInput, {
      argument,
      codes: malformed.map((entry) => entry.code),
      ...(Object.keys(ars).length > 0 ? { ars } : {}),
    });
  }
  const catalogue = regionCatalogue();
  const unknown = unique.filter((code) => !catalogue.has(code));
  if (unknown.length > 0) {
    throw userError(`Unknown region code(s) in ${argument}: ${unknown.join(', ')}.`, ErrorCode.UnknownRegionCodes, {
      argument,
      codes: unknown,
    });
  }
  return unique;
}
