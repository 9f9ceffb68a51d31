import type { GraphQLError } from 'graphql';
import { formatCalendarDate } from './calendar-date';
import { ErrorCode, InputRefusalReason, notFound, userError } from './errors';
import { regionCatalogue, successorOfFormerRegionCode } from './region-catalogue';
import { isRegionCode } from './region-codes';

/**
 * Why a code is no ARS of Lower Saxony, in the words every subgraph uses; null for a well-formed code.
 * Partner systems often hold the 8-digit AGS of a municipality (statistics key municipalities by
 * it), or the NUTS code of a county (EU funding data): for either, the reason names the region's ARS,
 * so the caller learns which key to send.
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
  // EU funding data (EFRE, ELER) and Eurostat name the state, districts and counties by NUTS code.
  const nuts = regionCatalogue().regionOfNuts(code.trim());
  if (nuts) {
    return {
      message: `${subject} ${JSON.stringify(code)} is a NUTS code, not an ARS: ${nuts.name} has the ARS ${JSON.stringify(nuts.code)}.`,
      ars: nuts.code,
    };
  }
  // A spreadsheet reads "03241" as the number 3241: the key without its leading zero is a region's.
  const padded = regionCatalogue().get(`0${code}`);
  // A key copied from a cell or a form carries spaces: reads name the key without them (writes drop
  // them, subgraph-kit's regionCodeOfInput), rather than only calling it no ARS.
  const trimmed = code.trim() !== code ? regionCatalogue().get(code.trim()) : undefined;
  const hint = padded
    ? ` Has it lost its leading zero? ${JSON.stringify(padded.code)} is ${padded.name}.`
    : trimmed
      ? ` Without the spaces around it, ${JSON.stringify(trimmed.code)} is ${trimmed.name}.`
      : '';
  return {
    message: `${subject} ${JSON.stringify(code)} is not an ARS code of Lower Saxony (03, 031–034, 5, 9 or 12 digits starting with 03).${hint}`,
  };
}

/** What the API tells a caller who sends a key a merger dissolved (`extensions.successors`, by former key). */
export interface RegionCodeSuccessorHint {
  /** The former key's official name until the merger. */
  name: string;
  /** The keys of the directory's regions its area belongs to since the merger: the ones to send instead. */
  codes: string[];
  /** The day of the merger (YYYY-MM-DD), the first day of the successors' keys. */
  since: string;
}

/**
 * The sentence and the hint for a key a merger dissolved (Göttingen's 03152, Osterode am Harz's
 * 03156, Hannover's 03201 and 03253; shared's KEY_SUCCESSIONS); null for any other code. A caller
 * holding data keyed the old way learns which key to send and from when it applies, not just that
 * the code is unknown.
 */
function formerCodeHint(code: string): { message: string; hint: RegionCodeSuccessorHint } | null {
  const successor = successorOfFormerRegionCode(code);
  if (!successor) return null;
  const since = formatCalendarDate(successor.since);
  const successors = successor.successorCodes.map((successorCode) => {
    const name = regionCatalogue().get(successorCode)?.name;
    return name ? `${successorCode} (${name})` : successorCode;
  });
  return {
    message: `${code} was the key of ${successor.name}, dissolved by a merger: since ${since} its area belongs to ${successors.join(' and ')}.`,
    hint: { name: successor.name, codes: [...successor.successorCodes], since },
  };
}

/**
 * The sentence naming the successor and the merger's day of a key a merger dissolved, for reports
 * outside GraphQL errors (the indicators importer's keys it did not load); null for any other code.
 */
export function formerRegionCodeNote(code: string): string | null {
  return formerCodeHint(code)?.message ?? null;
}

/**
 * NOT_FOUND for a code no region of the directory has, for a look-up that answers each code on its
 * own (the regions subgraph's region and regionsByCodes); for a key a merger dissolved the message
 * and `extensions.successors` name its successor and the merger's day, as requireRegionCodeArguments does.
 */
export function regionNotFoundError(code: string): GraphQLError {
  const former = formerCodeHint(code);
  if (!former) return notFound('Region', code);
  return userError(`Region ${JSON.stringify(code)} does not exist: ${former.message}`, ErrorCode.NotFound, {
    key: code,
    successors: { [code]: former.hint },
  });
}

/**
 * BAD_USER_INPUT for one code that is no ARS of Lower Saxony (`extensions.ars` for a municipality's
 * AGS), with the caller's extensions; null for a well-formed code. For a look-up that answers each
 * code on its own (the regions subgraph's regionsByCodes); arguments use requireRegionCodeArguments.
 */
export function malformedRegionCodeError(code: string, subject: string, extensions: Record<string, unknown>): GraphQLError | null {
  const reason = malformedReason(code, subject);
  if (!reason) return null;
  return userError(reason.message, ErrorCode.BadUserInput, {
    ...extensions,
    reason: InputRefusalReason.NotARegionCode,
    ...(reason.ars ? { ars: reason.ars } : {}),
  });
}

/**
 * The one check of every argument that names regions of the directory by code, in every subgraph, so
 * the same mistake gets the same error code whichever field it is sent to: a code that is no ARS of
 * Lower Saxony at all is BAD_USER_INPUT (malformedRegionCodeError's words; the ARS of each AGS or
 * NUTS code in `extensions.ars`, key → ARS); a well-formed code no region of the directory (BKG VG5000,
 * 01.01.2021) has is UNKNOWN_REGION_CODES, and for a key a merger dissolved the message and
 * `extensions.successors` (former key → successor keys and the merger's day) say which key to send
 * instead. Either way every offender is named at once (`extensions.codes`). Answers the codes
 * deduplicated, in order.
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
      reason: InputRefusalReason.NotARegionCode,
      codes: malformed.map((entry) => entry.code),
      ...(Object.keys(ars).length > 0 ? { ars } : {}),
    });
  }
  const catalogue = regionCatalogue();
  const unknown = unique.filter((code) => !catalogue.has(code));
  if (unknown.length > 0) {
    const former = unknown.flatMap((code) => {
      const hint = formerCodeHint(code);
      return hint ? [{ code, ...hint }] : [];
    });
    const message = [`Unknown region code(s) in ${argument}: ${unknown.join(', ')}.`, ...former.map((entry) => entry.message)].join(' ');
    throw userError(message, ErrorCode.UnknownRegionCodes, {
      argument,
      codes: unknown,
      ...(former.length > 0 ? { successors: Object.fromEntries(former.map((entry) => [entry.code, entry.hint])) } : {}),
    });
  }
  return unique;
}
