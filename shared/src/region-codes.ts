/**
 * Official region keys of Lower Saxony. An ARS (Amtlicher Regionalschlüssel) grows by level:
 * state "03" (2 digits), ArL district "031"–"034" (3), county "03151" (5),
 * Samtgemeinde "031515401" (9), municipality "031515401001" (12).
 */
export const REGION_CODE_PATTERN = /^03(\d|\d{3}|\d{7}|\d{10})?$/;

export function isRegionCode(code: string): boolean {
  return REGION_CODE_PATTERN.test(code);
}

/** The ArL district (031–034) responsible for a region: the first three digits of its ARS. */
export function districtCodeOf(code: string): string | null {
  return code.length >= 3 ? code.slice(0, 3) : null;
}

/** The county a region lies in: the first five digits of its ARS. */
export function countyCodeOf(code: string): string | null {
  return code.length >= 5 ? code.slice(0, 5) : null;
}

/** The four ArL districts by code, as the Ämter für regionale Landesentwicklung name them. */
export const ARL_DISTRICTS = [
  { code: '031', name: 'Braunschweig', seat: 'Braunschweig' },
  { code: '032', name: 'Leine-Weser', seat: 'Hildesheim' },
  { code: '033', name: 'Lüneburg', seat: 'Lüneburg' },
  { code: '034', name: 'Weser-Ems', seat: 'Oldenburg (Oldb)' },
] as const;

export const STATE_CODE = '03';

/** ARS lengths of the levels that can lie above a region: state, district, county, Samtgemeinde. */
export const ANCESTOR_CODE_LENGTHS = [2, 3, 5, 9] as const;

/** The codes of every level above `code` (whether or not a region exists there, e.g. no Samtgemeinde). */
export function ancestorCodesOf(code: string): string[] {
  return ANCESTOR_CODE_LENGTHS.filter((length) => length < code.length).map((length) => code.slice(0, length));
}

/** The ARS length of each level: a region's code starts with the codes of all regions above it. */
export const CODE_LENGTH_OF_LEVEL = {
  STATE: 2,
  DISTRICT: 3,
  COUNTY: 5,
  MUNICIPAL_ASSOCIATION: 9,
  MUNICIPALITY: 12,
} as const;

/** The levels of the hierarchy, from the top. */
export const REGION_LEVELS = ['STATE', 'DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION', 'MUNICIPALITY'] as const;
export type RegionLevelName = (typeof REGION_LEVELS)[number];

/** The level of a region, which follows from the length of its ARS; null for a length no level has. */
export function levelOfCode(code: string): RegionLevelName | null {
  return REGION_LEVELS.find((level) => CODE_LENGTH_OF_LEVEL[level] === code.length) ?? null;
}
