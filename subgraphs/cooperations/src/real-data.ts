import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CooperationKind } from '@regiograph/db';
import { foldGermanText, formatCalendarDate, KEY_SUCCESSIONS, parseCsvRecords } from '@regiograph/shared';
import { codePrefixes, DATA_DIR, type RegionCatalogue } from './region-catalogue';
import type { MembershipSeed } from './synthetic';

const DAY_MS = 86_400_000;

/** The real reference data (copied from the shared data set, see data/landscape/SOURCES.md). */
export const LANDSCAPE_DIR = path.join(DATA_DIR, 'landscape');

/** A member that is not a region code: a municipality named as a partner, an administration, a company. */
export interface OtherMember {
  name: string;
  kind: OtherMemberKind;
  /** The region code when the source gives the member's AGS (a municipality), else null. */
  regionCode: string | null;
}

export type OtherMemberKind = 'MUNICIPALITY' | 'PUBLIC_BODY' | 'COMPANY' | 'ASSOCIATION';

export interface RealCooperation {
  id: string;
  name: string;
  nameFolded: string;
  kind: CooperationKind;
  description: string;
  founded: Date | null;
  dissolvedOn: null;
  status: 'ACTIVE';
  contact: null;
  website: null;
  synthetic: false;
  source: string;
  leadPartner: string | null;
  otherMembers: OtherMember[];
  unmappedMembers: string | null;
  membersComplete: boolean;
  fieldsOfAction: string[];
  fieldsOfActionComplete: boolean;
  budgetAsStated: string | null;
  budgetCents: bigint | null;
  recognisedOn: string | null;
  recognitionNote: string | null;
}

/** A real membership: the sources name no end of membership. */
export type RealMembership = MembershipSeed & { validUntil: null };

export interface RealLandscape {
  cooperations: RealCooperation[];
  memberships: RealMembership[];
}

function records(file: string): Record<string, string>[] {
  return parseCsvRecords(readFileSync(path.join(LANDSCAPE_DIR, file), 'utf8')).map(({ record }) => record);
}

function list(value: string | undefined, separator = ';'): string[] {
  return (value ?? '')
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

/**
 * The first amount in euros a budget text states: "6.173.000 EUR" exactly, "rund 7 Mio. EUR" as
 * 7 million (approximate figures are taken as stated; budgetAsStated keeps the words).
 */
export function parseBudgetCents(text: string): bigint | null {
  const match = /(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)\s*(Mio\.)?\s*EUR/.exec(text);
  if (!match) return null;
  const [, number = '', million] = match;
  if (million) {
    const [whole = '0', fraction = ''] = number.split(',');
    const euros = BigInt(whole) * 1_000_000n + (fraction === '' ? 0n : (BigInt(fraction) * 1_000_000n) / 10n ** BigInt(fraction.length));
    return euros * 100n;
  }
  return BigInt(number.replace(/[.,]/g, '')) * 100n;
}

/** The first day the source's date allows ("2022-09-26", "2022-09" or "2005"): membership periods need a start. */
function firstDayOf(stated: string): Date | null {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(stated);
  if (!match) return null;
  return utc(Number(match[1]), Number(match[2] ?? '1'), Number(match[3] ?? '1'));
}

/** A stated date is a founding day only when the source gives the day itself. */
function exactDay(stated: string): Date | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(stated) ? firstDayOf(stated) : null;
}

const OTHER_MEMBER_KINDS: [RegExp, OtherMemberKind][] = [
  [/municipality AGS/, 'MUNICIPALITY'],
  [/GmbH|\bAG\b/, 'COMPANY'],
  [/verwaltung|Regionalverband/i, 'PUBLIC_BODY'],
];

/** "Stadt Hildesheim (municipality AGS 03254021)" -> a municipality with its region code. */
function otherMember(text: string, catalogue: RegionCatalogue): OtherMember {
  const kind = OTHER_MEMBER_KINDS.find(([pattern]) => pattern.test(text))?.[1] ?? 'ASSOCIATION';
  const ags = /municipality AGS (\d{8})/.exec(text)?.[1];
  const name = text.replace(/\s*\(.*\)\s*$/, '').trim();
  return { name, kind, regionCode: ags ? regionCodeOfAgs(ags, catalogue) : null };
}

/**
 * The ARS of an AGS or ARS as the files give them: 5-digit county codes are both, an 8-digit
 * municipal AGS is looked up (its ARS carries the Samtgemeinde digits), a 9-digit code is an ARS.
 */
export function regionCodeOfAgs(code: string, catalogue: RegionCatalogue): string {
  if (code.length !== 8) {
    if (!catalogue.has(code)) throw new Error(`real cooperations: region ${code} is not in regions.csv`);
    return code;
  }
  const region = catalogue.regions.find(
    (candidate) =>
      candidate.level === 'MUNICIPALITY' && candidate.code.slice(0, 5) === code.slice(0, 5) && candidate.code.slice(9) === code.slice(5),
  );
  if (!region) throw new Error(`real cooperations: municipality AGS ${code} is not in regions.csv`);
  return region.code;
}

function leadIndex(lead: string, memberNames: string[]): number {
  if (lead === '') return -1;
  const bare = lead.replace(/^(Stadt|Landkreis) /, '');
  return memberNames.findIndex((name) => name === lead || name.endsWith(` ${bare}`));
}

function base(id: string, name: string, kind: CooperationKind, description: string, source: string) {
  return {
    id,
    name,
    nameFolded: foldGermanText(name),
    kind,
    description,
    dissolvedOn: null,
    status: 'ACTIVE' as const,
    contact: null,
    website: null,
    synthetic: false as const,
    source,
  };
}

/**
 * The memberships of one cooperation. A stated start before a member's key existed (the Landkreis
 * Göttingen of today, 03159, is a member of the Metropolregion HBGW since 2005, its key since
 * 01.11.2016) starts on the key's first day: the predecessors were the members before, and their keys
 * are not in the region directory, so `keyGaps` names them for the cooperation's unmappedMembers.
 */
function memberships(
  cooperationId: string,
  codes: string[],
  leadAt: number,
  validFrom: Date,
  catalogue: RegionCatalogue,
  joined: Map<string, Date> = new Map(),
): { memberships: RealMembership[]; keyGaps: string[] } {
  const keyGaps: string[] = [];
  const result = codes.map((regionCode, index): RealMembership => {
    const stated = joined.get(regionCode) ?? validFrom;
    const keySince = catalogue.keyExistsSince(regionCode);
    const succession = KEY_SUCCESSIONS.find((candidate) => candidate.code === regionCode);
    if (keySince && stated < keySince) {
      keyGaps.push(
        succession
          ? `until ${formatCalendarDate(new Date(keySince.getTime() - DAY_MS))} ${succession.predecessors}, merged into ${regionCode} (member from ${formatCalendarDate(keySince)}); their keys are not in the region directory`
          : `${regionCode} before ${formatCalendarDate(keySince)}, when its key was introduced`,
      );
    }
    return {
      id: `${cooperationId}.${index + 1}`,
      cooperationId,
      regionCode,
      ...codePrefixes(regionCode),
      role: index === leadAt ? 'LEAD' : 'MEMBER',
      validFrom: keySince && stated < keySince ? keySince : stated,
      validUntil: null,
    };
  });
  return { memberships: result, keyGaps };
}

/** The given parts of a text (a note, the unmapped members) joined, or null when none is given. */
function joinParts(parts: (string | null)[]): string | null {
  const given = parts.filter((part): part is string => part !== null && part !== '');
  return given.length > 0 ? given.join('; ') : null;
}

/**
 * The day of the programme's first recognition: Südniedersachsen (ZR11) received "the first
 * Anerkennungsbescheid of the programme" on Monday 19.09.2022 (zukunftsregionen.csv, its note), and
 * Weserberglandplus (ZR13) the same day. No Zukunftsregion was a Zukunftsregion before it.
 */
export const FIRST_RECOGNITION = utc(2022, 9, 19);

/**
 * The first day of membership in a Zukunftsregion the sources allow: the stated day; for a stated
 * month the first day of the month, not before the first recognition; without a stated date (ZR01,
 * ZR14) the first recognition itself — a lower bound, not the region's own day, which no page read
 * states (the recognition note says so).
 */
export function firstZukunftsregionDay(recognised: string | null): Date {
  const stated = recognised ? firstDayOf(recognised) : null;
  return stated !== null && stated > FIRST_RECOGNITION ? stated : FIRST_RECOGNITION;
}

/** What the recognition note adds when the membership start is the programme's first recognition, not a stated date. */
export const LOWER_BOUND_NOTE =
  "No page read states the day of recognition: the memberships start on 19.09.2022, the programme's first recognition " +
  "(the earliest day the sources allow), not on the region's own day of recognition.";

function zukunftsregionen(catalogue: RegionCatalogue): RealLandscape {
  const result: RealLandscape = { cooperations: [], memberships: [] };
  for (const row of records('zukunftsregionen.csv')) {
    const id = row.id ?? '';
    const codes = list(row.member_ags).map((code) => regionCodeOfAgs(code, catalogue));
    const fields = list(row.fields_of_action);
    const recognised = row.recognised_on || null;
    const name = (row.name ?? '').startsWith('Zukunftsregion') ? (row.name ?? '') : `Zukunftsregion ${row.name ?? ''}`;
    result.cooperations.push({
      ...base(
        id,
        name,
        'ZUKUNFTSREGION',
        `Recognised Zukunftsregion of the programme "Zukunftsregionen in Niedersachsen" (EFRE/ESF+, 2021–2027). ` +
          `ArL district(s): ${row.arl_district ?? ''} (${row.arl_basis ?? ''}).${row.notes ? ` ${row.notes}` : ''}`,
        row.source_url ?? '',
      ),
      founded: recognised ? exactDay(recognised) : null,
      leadPartner: row.lead_partner || null,
      otherMembers: list(row.other_members).map((text) => otherMember(text, catalogue)),
      unmappedMembers: null,
      membersComplete: true,
      fieldsOfAction: fields,
      // The region's own field list is missing from the pages read (Ostfriesland, SüdOstNiedersachsen).
      fieldsOfActionComplete: fields.length > 0,
      budgetAsStated: row.eu_budget_as_stated || null,
      budgetCents: row.eu_budget_as_stated ? parseBudgetCents(row.eu_budget_as_stated) : null,
      recognisedOn: recognised,
      recognitionNote: joinParts([row.recognised_on_note || null, recognised ? null : LOWER_BOUND_NOTE]),
    });
    const own = memberships(
      id,
      codes,
      leadIndex(row.lead_partner ?? '', list(row.member_names)),
      firstZukunftsregionDay(recognised),
      catalogue,
    );
    result.memberships.push(...own.memberships);
    // Every Zukunftsregion's members have had their keys since long before 2022: a gap here is a data error.
    if (own.keyGaps.length > 0) throw new Error(`real cooperations: ${id}: ${own.keyGaps.join('; ')}`);
  }
  return result;
}

/**
 * The first day the `founded` column of metropolregionen.csv allows, from the first date it names:
 * a day ("recognised by MKRO 28.04.2005"), else the first day of a year ("2005 (MKRO recognition …)").
 * Later dates in the text ("Träger since 01.03.2017") are other events.
 */
function statedStart(founded: string): Date {
  const first = /\b(?:(\d{2})\.(\d{2})\.)?((?:19|20)\d{2})\b/.exec(founded);
  if (!first) throw new Error(`real cooperations: no founding year in ${JSON.stringify(founded)}`);
  const [, day, month, year] = first;
  return utc(Number(year), Number(month ?? '1'), Number(day ?? '1'));
}

/** Members the pages read do not confirm: the member list is partial (see the notes column). */
const PARTIAL_METROPOLITAN_MEMBERS = new Set(['MR-HBGW', 'MR-NW']);

function metropolregionen(catalogue: RegionCatalogue): RealLandscape {
  const result: RealLandscape = { cooperations: [], memberships: [] };
  for (const row of records('metropolregionen.csv')) {
    const id = row.id ?? '';
    const codes = list(row.member_ags).map((code) => regionCodeOfAgs(code, catalogue));
    const start = statedStart(row.founded ?? '');
    // The Landkreis Osnabrück joined the Metropolregion Nordwest on 01.07.2010 (notes column).
    const joined = id === 'MR-NW' ? new Map([['03459', utc(2010, 7, 1)]]) : new Map<string, Date>();
    const own = memberships(id, codes, -1, start, catalogue, joined);
    result.cooperations.push({
      ...base(
        id,
        row.name ?? '',
        'METROPOLITAN_REGION',
        `Metropolregion; members in Lower Saxony only. Founded: ${row.founded ?? ''}. ${row.notes ?? ''}`,
        row.source_url ?? '',
      ),
      founded: null,
      leadPartner: null,
      otherMembers: [],
      unmappedMembers: joinParts([
        id === 'MR-HBGW' ? 'a 15th Landkreis (Wolfenbüttel is likely, not confirmed by any page read)' : null,
        ...own.keyGaps,
      ]),
      membersComplete: !PARTIAL_METROPOLITAN_MEMBERS.has(id),
      fieldsOfAction: [],
      fieldsOfActionComplete: false,
      budgetAsStated: null,
      budgetCents: null,
      recognisedOn: null,
      recognitionNote: null,
    });
    result.memberships.push(...own.memberships);
  }
  return result;
}

/** The first day of the LEADER funding period 2023–2027. */
const LEADER_PERIOD_START = utc(2023, 1, 1);

/** A LEADER region takes part from the period's first day, or from the later start its source states ("… started … 01.06.2023"). */
function leaderStart(status: string): Date {
  const stated = /period started\D*(\d{2})\.(\d{2})\.(\d{4})/.exec(status);
  return stated ? utc(Number(stated[3]), Number(stated[2]), Number(stated[1])) : LEADER_PERIOD_START;
}

function leaderRegions(catalogue: RegionCatalogue): RealLandscape {
  const result: RealLandscape = { cooperations: [], memberships: [] };
  records('leader_regions.csv').forEach((row, index) => {
    const id = `LEADER-${String(index + 1).padStart(2, '0')}`;
    const codes = list(row.member_codes_ags_or_ars).map((code) => regionCodeOfAgs(code, catalogue));
    const given = row.members_as_given ?? '';
    const note = row.mapping_note ?? '';
    // Members are complete only when the page names them all and each one maps to a whole region.
    const complete = codes.length > 0 && note === '';
    result.cooperations.push({
      ...base(
        id,
        `LEADER-Region ${row.name ?? ''}`,
        'LEADER_ILE_REGION',
        `LEADER region of the funding period 2023–2027. ${row.status_2023_2027 ?? ''}${note ? `. Members: ${note}` : ''}`,
        row.source_url ?? '',
      ),
      founded: null,
      leadPartner: null,
      otherMembers: [],
      unmappedMembers: codes.length === 0 || note !== '' ? given : null,
      membersComplete: complete,
      fieldsOfAction: [],
      fieldsOfActionComplete: false,
      budgetAsStated:
        /Mio\. EUR/.test(row.status_2023_2027 ?? '') && !/per region/.test(row.status_2023_2027 ?? '')
          ? (row.status_2023_2027 ?? null)
          : null,
      budgetCents: null,
      recognisedOn: null,
      recognitionNote: row.status_2023_2027 || null,
    });
    const own = memberships(id, codes, -1, leaderStart(row.status_2023_2027 ?? ''), catalogue);
    if (own.keyGaps.length > 0) throw new Error(`real cooperations: ${id}: ${own.keyGaps.join('; ')}`);
    result.memberships.push(...own.memberships);
  });
  return result;
}

/** The real Zukunftsregionen, Metropolregionen and LEADER regions, `synthetic: false`. */
export function realLandscape(catalogue: RegionCatalogue): RealLandscape {
  const parts = [zukunftsregionen(catalogue), metropolregionen(catalogue), leaderRegions(catalogue)];
  return { cooperations: parts.flatMap((part) => part.cooperations), memberships: parts.flatMap((part) => part.memberships) };
}

export interface RealOffice {
  districtCode: string;
  name: string;
  seat: string;
  streetAddress: string | null;
  website: string | null;
  branchOffices: string[];
  notes: string;
  source: string;
}

export function realOffices(): RealOffice[] {
  return records('offices.csv').map((row) => ({
    districtCode: row.district_code ?? '',
    name: row.name ?? '',
    seat: row.seat ?? '',
    streetAddress: row.street_address || null,
    website: row.website || null,
    branchOffices: list(row.other_locations),
    notes: row.notes ?? '',
    source: row.source_url ?? '',
  }));
}

export interface RealStrategy {
  districtCode: string;
  title: string;
  fieldsOfActionComplete: boolean;
  fieldsOfActionNote: string;
  fields: { position: number; title: string; source: string }[];
}

/** The field types of the newest edition read per district (older editions' lists are not loaded). */
const CURRENT_FIELD_TYPES = ['Handlungsfeld', 'Themenbereich (page summary, not the formal HF list)'];
/** Only Leine-Weser's list is complete in the pages read (see landscape/SOURCES.md). */
const COMPLETE_STRATEGIES = new Set(['032']);

export function realStrategies(): RealStrategy[] {
  const rows = records('handlungsstrategien.csv');
  return ['031', '032', '033', '034'].map((districtCode) => {
    const own = rows.filter((row) => row.district_code === districtCode);
    const current = own.filter((row) => CURRENT_FIELD_TYPES.includes(row.field_type ?? '') && row.field_title);
    const first = current[0] ?? own[0];
    const notes = [...new Set((current.length > 0 ? current : own).map((row) => row.notes ?? ''))].filter((note) => note !== '');
    return {
      districtCode,
      title: first?.title ?? `Regionale Handlungsstrategie ${districtCode}`,
      fieldsOfActionComplete: COMPLETE_STRATEGIES.has(districtCode),
      fieldsOfActionNote: `${COMPLETE_STRATEGIES.has(districtCode) ? 'complete' : 'partial'}: edition ${first?.edition_year ?? 'unknown'}; ${notes.join('; ')}`,
      fields: current.map((row, index) => ({ position: index + 1, title: row.field_title ?? '', source: row.source_url ?? '' })),
    };
  });
}
