/** The map's ways for a keyboard: arrow keys between neighbours, a region found by name. Pure functions, tested without a browser. */

/** The arrow keys' directions as (x, y) on the screen (y grows downwards, as in SVG). */
export const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The shape an arrow key moves to: the nearest centre within 45° of the key's direction, so that the
 * keyboard walks the map as the eye does. Null at the map's edge, or from a shape without a centre.
 */
export function neighbour<T extends { centre: readonly [number, number] | null }>(
  shapes: readonly T[],
  from: T,
  [dx, dy]: readonly [number, number],
): T | null {
  if (!from.centre) return null;
  let best: T | null = null;
  let bestDistance = Infinity;
  for (const shape of shapes) {
    if (!shape.centre || shape === from) continue;
    const x = shape.centre[0] - from.centre[0];
    const y = shape.centre[1] - from.centre[1];
    const along = x * dx + y * dy;
    const across = Math.abs(x * dy - y * dx);
    if (along <= 0 || across > along) continue;
    // Straight ahead beats a little nearer but off to the side.
    const distance = along + 2 * across;
    if (distance < bestDistance) {
      best = shape;
      bestDistance = distance;
    }
  }
  return best;
}

interface NamedRegion {
  name: string;
  officialType: string;
}

/** A region as the search's suggestions and the shapes' labels name it: the type tells apart Osnabrück (Landkreis) and Osnabrück (Kreisfreie Stadt). */
export function searchLabel(region: NamedRegion): string {
  return `${region.name} (${region.officialType})`;
}

/**
 * Names for regions shown together (a profile's chart lines): the name alone, with the official type
 * where another region of the list has the same name (the municipality Neuenkirchen in the
 * Samtgemeinde Neuenkirchen).
 */
export function distinctLabels(regions: readonly NamedRegion[]): string[] {
  return regions.map((region) =>
    regions.some((other) => other !== region && other.name === region.name) ? searchLabel(region) : region.name,
  );
}

/**
 * The label of one region of a list shown as choices (the counties of the area select), by
 * `distinctLabels`: the Kreisfreie Stadt and the Landkreis Osnabrück never read alike in a choice, a
 * title or a file. Undefined for a code the list lacks (the state).
 */
export function labelIn(regions: readonly (NamedRegion & { code: string })[], code: string): string | undefined {
  const index = regions.findIndex((region) => region.code === code);
  return index < 0 ? undefined : distinctLabels(regions)[index];
}

/**
 * The region a search names, ignoring case: its label (a suggestion taken), else its name, else the
 * start of its label, each only when one region matches; 'several' when more do, 'none' when none.
 */
export function findRegion<T extends NamedRegion>(regions: readonly T[], text: string): T | 'none' | 'several' {
  const wanted = text.trim().toLocaleLowerCase('de');
  if (!wanted) return 'none';
  // Five municipalities share the label "Neuenkirchen (Gemeinde)": a label alone is not the first of them.
  for (const matches of [
    regions.filter((region) => searchLabel(region).toLocaleLowerCase('de') === wanted),
    regions.filter((region) => region.name.toLocaleLowerCase('de') === wanted),
    regions.filter((region) => searchLabel(region).toLocaleLowerCase('de').startsWith(wanted)),
  ]) {
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) return 'several';
  }
  return 'none';
}

/** The official types a name may be typed with ("Samtgemeinde Bersenbrück", "LK Osnabrück"), which no region's name begins with. */
const TYPED_TYPES: readonly [RegExp, string][] = [
  [/^(samtgemeinde|sg)\s+/i, 'Samtgemeinde'],
  [/^(landkreis|lk|kreis)\s+/i, 'Landkreis'],
  [/^(stadt|hansestadt)\s+/i, 'Stadt'],
  [/^(gemeinde|flecken)\s+/i, 'Gemeinde'],
];

/**
 * What a search for a region by name sends to the API, and the official type typed before the name or
 * after it in brackets (as the suggestions have it), if any: the API searches names, and "Samtgemeinde
 * Bersenbrück" is the Samtgemeinde named Bersenbrück.
 */
export function searchTerms(text: string): { name: string; officialType: string | null } {
  const trimmed = text.trim();
  // A suggestion taken from the list ends with the type: "Neuenkirchen (Gemeinde)".
  const suggestion = /^(.*\S)\s*\(([^()]+)\)$/.exec(trimmed);
  if (suggestion) return { name: suggestion[1]!, officialType: suggestion[2]! };
  for (const [pattern, officialType] of TYPED_TYPES) {
    const name = trimmed.replace(pattern, '');
    if (name !== trimmed && name !== '') return { name, officialType };
  }
  return { name: trimmed, officialType: null };
}

interface FoundRegion extends NamedRegion {
  level: string;
  ancestors: readonly { name: string; officialType: string; level: string }[];
}

/**
 * A search result as the list names it: with its Samtgemeinde and county, which tell apart regions of
 * the same name ("Neuenkirchen (Gemeinde) – Samtgemeinde Land Hadeln, Landkreis Cuxhaven").
 */
export function foundLabel(region: FoundRegion): string {
  const within = region.ancestors
    .filter((ancestor) => ancestor.level === 'MUNICIPAL_ASSOCIATION' || ancestor.level === 'COUNTY')
    .reverse()
    .map((ancestor) => (ancestor.name.startsWith(ancestor.officialType) ? ancestor.name : `${ancestor.officialType} ${ancestor.name}`));
  return `${searchLabel(region)}${within.length > 0 ? ` – ${within.join(', ')}` : ''}`;
}

/** The results of a search, those of the official type typed first ("Samtgemeinde …"), else in the API's order. */
export function orderFound<T extends NamedRegion>(regions: readonly T[], officialType: string | null): T[] {
  if (!officialType) return [...regions];
  const typed = (region: T) => region.officialType.includes(officialType);
  return [...regions.filter(typed), ...regions.filter((region) => !typed(region))];
}
