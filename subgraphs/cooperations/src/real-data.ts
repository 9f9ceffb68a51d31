import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CooperationKind } from '@regiograph/db';
import { foldGermanText, parseCsvRecords } from '@regiograph/shared';
import { codePrefixes, DATA_DIR, type RegionCatalogue } from './region-catalogue';
import type { MembershipSeed } from './synthetic';

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

function memberships(
  cooperationId: string,
  codes: string[],
  leadAt: number,
  validFrom: Date,
  joined: Map<string, Date> = new Map(),
): RealMembership[] {
  return codes.map((regionCode, index) => ({
    id: `${cooperationId}.${index + 1}`,
    cooperationId,
    regionCode,
    ...codePrefixes(regionCode),
    role: index === leadAt ? 'LEAD' : 'MEMBER',
    validFrom: joined.get(regionCode) ?? validFrom,
    validUntil: null,
  }));
}

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
      recognitionNote: row.recognised_on_note || null,
    });
    // Without a stated day the membership starts on the first day of the stated month (or 2022-09,
    // when all regions were recognised in Sept/Oct 2022).
    result.memberships.push(
      ...memberships(id, codes, leadIndex(row.lead_partner ?? '', list(row.member_names)), firstDayOf(recognised ?? '2022-09')!),
    );
  }
  return result;
}

/** Members the pages read do not confirm: the member list is partial (see the notes column). */
const PARTIAL_METROPOLITAN_MEMBERS = new Set(['MR-HBGW', 'MR-NW']);

function metropolregionen(catalogue: RegionCatalogue): RealLandscape {
  const result: RealLandscape = { cooperations: [], memberships: [] };
  for (const row of records('metropolregionen.csv')) {
    const id = row.id ?? '';
    const codes = list(row.member_ags).map((code) => regionCodeOfAgs(code, catalogue));
    const year = /\b(19|20)\d{2}\b/.exec(row.founded ?? '')?.[0] ?? '2005';
    // The Landkreis Osnabrück joined the Metropolregion Nordwest on 01.07.2010 (notes column).
    const joined = id === 'MR-NW' ? new Map([['03459', utc(2010, 7, 1)]]) : new Map<string, Date>();
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
      unmappedMembers: id === 'MR-HBGW' ? 'a 15th Landkreis (Wolfenbüttel is likely, not confirmed by any page read)' : null,
      membersComplete: !PARTIAL_METROPOLITAN_MEMBERS.has(id),
      fieldsOfAction: [],
      fieldsOfActionComplete: false,
      budgetAsStated: null,
      budgetCents: null,
      recognisedOn: null,
      recognitionNote: null,
    });
    result.memberships.push(...memberships(id, codes, -1, utc(Number(year), 1, 1), joined));
  }
  return result;
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
    result.memberships.push(...memberships(id, codes, -1, utc(2023, 1, 1)));
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
