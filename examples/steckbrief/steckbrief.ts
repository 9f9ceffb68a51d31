// A Gemeinde-Steckbrief (a municipality's fact sheet) from one persisted query, as a page of another
// origin shows it: name, county, population and three indicators, each with the attribution its
// licence asks for, the cooperations and projects the municipality belongs to, and what is not
// available when a subgraph does not answer. The fetch and the rendering use only what a browser has
// (fetch, URL); run here from Node, it prints the HTML:
//
//   npx tsx examples/steckbrief/steckbrief.ts --url http://localhost:4000/graphql --code 033525404029
//
// Its operation (steckbrief.graphql) is typed by GraphQL Code Generator (examples/codegen.ts, run by
// `npm run generate`), which also writes generated/persisted-documents.json: a SAFELIST gateway loads
// that file (SAFELIST_MANIFEST) and this page sends only the operation's sha256 (docs/frontend.md).
import { parseArgs } from 'node:util';
import { SteckbriefDocument, type SteckbriefQuery, type SteckbriefQueryVariables, type SteckbriefValueFragment } from './generated/graphql';

/** The three indicators the fact sheet shows beside the population (all have municipal values). */
export const STECKBRIEF_INDICATORS = ['area_km2', 'population_density', 'distance_supermarket_m'];

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; serviceName?: string; requestId?: string };
}

export interface SteckbriefAnswer {
  status: number;
  data: SteckbriefQuery | null;
  errors: GraphQLErrorEntry[];
}

/** The operation's sha256, as the generated document carries it ("sha256:<hex>"). */
export function steckbriefHash(): string {
  const hash: unknown = SteckbriefDocument.__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('generated/graphql.ts has no hash: run npm run generate (persistedDocuments on)');
  return hash.replace(/^sha256:/, '');
}

/**
 * Asks for the fact sheet by its hash alone, with GET: the gateway marks the answer
 * `Cache-Control: public` with an ETag, so the browser keeps it and revalidates it with 304. The
 * header `apollo-require-preflight` passes Apollo Server's CSRF check, which refuses a GET without
 * it (the gateway's CORS allows it; the browser then sends one preflight per 600 s).
 */
export async function fetchSteckbrief(
  url: string,
  variables: SteckbriefQueryVariables,
  options: { headers?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<SteckbriefAnswer> {
  const address = new URL(url);
  address.searchParams.set('operationName', 'Steckbrief');
  address.searchParams.set('variables', JSON.stringify(variables));
  address.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: steckbriefHash() } }));
  const response = await (options.fetch ?? fetch)(address, { headers: { 'apollo-require-preflight': 'true', ...options.headers } });
  const body = (await response.json()) as { data?: SteckbriefQuery | null; errors?: GraphQLErrorEntry[] };
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function formatValue(observation: SteckbriefValueFragment): string {
  if (observation.value === null) return 'keine Angabe';
  const number = observation.value.toLocaleString('de-DE', {
    minimumFractionDigits: observation.indicator.decimals,
    maximumFractionDigits: observation.indicator.decimals,
  });
  return `${number} ${observation.indicator.unit}`;
}

/** Why a field is missing: the error at its path (the gateway gives a failed service's error the paths it cost). */
function unavailable(errors: GraphQLErrorEntry[], field: string): string {
  const error = errors.find((entry) => entry.path?.join('.') === `region.${field}`) ?? errors[0];
  return `nicht verfügbar${error ? ` (${escapeHtml(error.message)})` : ''}`;
}

/**
 * The fact sheet as HTML. Every text shown comes with its attribution, each text once at the end:
 * the BKG's for the names and keys, each shown value's (its indicator's, with the note dl-de/by-2-0 asks
 * for where RegioGraph computed it), each cooperation's and project's. A list that is null did not
 * come (its service failed; the error at its path says so), which is not the same as an empty one.
 */
export function renderSteckbrief(answer: SteckbriefAnswer): string {
  const region = answer.data?.region;
  if (!region) {
    const error = answer.errors[0];
    return `<p role="alert">Steckbrief nicht verfügbar${error ? `: ${escapeHtml(error.message)}` : ''}</p>`;
  }
  const attributions = new Set<string>([region.source.attribution]);
  const shown = [region.population, ...(region.values ?? [])].filter((value): value is SteckbriefValueFragment => value !== null);
  const rows = shown.map((observation) => {
    attributions.add(observation.attribution);
    const notes = [observation.aggregated ? 'berechnet' : null, observation.indicator.synthetic ? 'synthetische Daten' : null].filter(
      (note) => note !== null,
    );
    return `<dt>${escapeHtml(observation.indicator.name)} (${observation.year})</dt><dd>${escapeHtml(formatValue(observation))}${
      notes.length > 0 ? ` <small>${notes.join(', ')}</small>` : ''
    }</dd>`;
  });
  if (region.values === null) rows.push(`<dt>Indikatoren</dt><dd>${unavailable(answer.errors, 'values')}</dd>`);
  const list = <T extends { attribution: string }>(items: T[] | null, field: string, item: (entry: T) => string) => {
    if (items === null) return `<p>${unavailable(answer.errors, field)}</p>`;
    if (items.length === 0) return '<p>keine</p>';
    for (const entry of items) attributions.add(entry.attribution);
    return `<ul>${items.map((entry) => `<li>${item(entry)}</li>`).join('')}</ul>`;
  };
  const cooperations = list(region.cooperations, 'cooperations', (cooperation) => escapeHtml(cooperation.name));
  const projects = list(region.projects, 'projects', (project) => `${escapeHtml(project.title)} (${project.status})`);
  return [
    `<article lang="de" data-region-code="${escapeHtml(region.code)}">`,
    `<h2>${escapeHtml(region.name)}</h2>`,
    `<p>${escapeHtml(region.officialType)}${region.county ? ` im ${escapeHtml(region.county.officialType)} ${escapeHtml(region.county.name)}` : ''}</p>`,
    `<dl>${rows.join('')}</dl>`,
    `<h3>Kooperationen</h3>${cooperations}`,
    `<h3>Projekte</h3>${projects}`,
    `<footer><h3>Quellen</h3><ul>${[...attributions].map((text) => `<li>${escapeHtml(text)}</li>`).join('')}</ul></footer>`,
    '</article>',
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, code: { type: 'string' } } });
  if (!values.url || !values.code) {
    console.error('usage: steckbrief.ts --url <gateway>/graphql --code <ARS of a municipality>');
    return 2;
  }
  const answer = await fetchSteckbrief(values.url, { code: values.code, indicators: STECKBRIEF_INDICATORS });
  console.log(renderSteckbrief(answer));
  return answer.data?.region ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`[steckbrief] ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
