import { ARL_DISTRICTS } from '@regiograph/shared';
import { realOffices, realStrategies } from './real-data';

/** Real: the four Ämter für regionale Landesentwicklung, their districts and seats. */
export const OFFICE_SOURCE =
  'Niedersächsische Landesregierung, Ämter für regionale Landesentwicklung (name, seat and district are real; ' +
  'the head is given as a role, not as a person).';

/** The state's page on the strategies: created 2014, all four updated in 2020 for the EU funding period 2021–2027. */
export const STRATEGY_UPDATE_PAGE =
  'https://www.mb.niedersachsen.de/startseite/regionale_landesentwicklung_und_eu_forderung/regionale_landesentwicklung/' +
  'informationsinstrumente_und_netzwerke/regionale_handlungsstrategien/regionale-handlungsstrategien-137251.html';

/** Real: the first regional action strategies were adopted on 15.12.2014, and all four were updated in 2020. */
export const STRATEGY_SOURCE =
  'Regionale Handlungsstrategien der Ämter für regionale Landesentwicklung: the adoption date of the first strategies ' +
  '(15.12.2014) is real; so is the year of their update, 2020 (all four updated for the EU funding period 2021–2027, ' +
  `${STRATEGY_UPDATE_PAGE}; ` +
  'the page states the year only, so no day is given); title and fields of action are real, read from the pages listed per ' +
  'field (complete for Leine-Weser only).';

export const FIRST_STRATEGIES_ADOPTED_ON = new Date(Date.UTC(2014, 11, 15));

/** The years of the strategies' updates (Fortschreibungen), as stated: the same for all four. */
export const STRATEGY_UPDATE_YEARS: readonly number[] = [2020];

/**
 * An update year a source states for one district's strategy that STRATEGY_UPDATE_YEARS does not
 * hold, as data/landscape/handlungsstrategien.csv records it (its edition_year and source_url).
 */
export interface OtherUpdateStatement {
  districtCode: string;
  year: number;
  /** What the source states, in brief. */
  statement: string;
  /** The page(s) stating it. */
  source: string;
}

/**
 * The sources disagree, and RegioGraph does not decide between them: the API keeps the statewide
 * year and names these beside it (RegionalStrategy.updatedInYearsNote). A test through the API
 * checks every year the csv's edition_year column states against updatedInYears and this note.
 */
export const OTHER_UPDATE_STATEMENTS: readonly OtherUpdateStatement[] = [
  {
    districtCode: '031',
    year: 2021,
    statement: 'the ArL Braunschweig’s page names the edition "Fortschreibung der Regionalen Handlungsstrategie Braunschweig" 2021',
    source:
      'https://www.arl-bs.niedersachsen.de/startseite/strategie_amp_planung/regionale_handlungsstrategie/regionale-handlungsstrategie-125764.html',
  },
  {
    districtCode: '034',
    year: 2017,
    statement: 'the 2014–2020 edition (Regionale Handlungsstrategie Weser-Ems 2014-2020) had an integration update in March 2017',
    source:
      'https://frankhenning.info/?p=1672 | http://www.arl-we.niedersachsen.de/regionale_handlungsstrategie/regionale-handlungsstrategien-125615.html',
  },
];

/**
 * The note beside a district's update years: each other year a source states, with that source, and
 * the year shown with the statewide page; null when no source read states another year.
 */
export function updatedInYearsNote(districtCode: string): string | null {
  const others = OTHER_UPDATE_STATEMENTS.filter((other) => other.districtCode === districtCode);
  if (others.length === 0) return null;
  return (
    `The sources disagree: updatedInYears shows ${STRATEGY_UPDATE_YEARS.join(', ')}, the year the state’s page ` +
    `(${STRATEGY_UPDATE_PAGE}) gives for the update of all four strategies; ` +
    others.map((other) => `${other.year}: ${other.statement} (${other.source})`).join('; ') +
    '. RegioGraph does not decide between them.'
  );
}

/**
 * How an update year is stored: updated_on is a date column, and only the year is known, so it holds
 * 1 January of that year and the API shows the year alone (RegionalStrategy.updatedInYears), never
 * the day.
 */
export function storedUpdateDay(year: number): Date {
  return new Date(Date.UTC(year, 0, 1));
}

export interface OfficeSeed {
  districtCode: string;
  name: string;
  seat: string;
  commissionerRole: string;
  streetAddress: string | null;
  website: string | null;
  branchOffices: string[];
  source: string;
}

/** The offices with address, website and branch offices as the pages read state them (data/landscape/offices.csv). */
export function officeSeeds(): OfficeSeed[] {
  const real = new Map(realOffices().map((office) => [office.districtCode, office]));
  return ARL_DISTRICTS.map((district) => {
    const office = real.get(district.code);
    return {
      districtCode: district.code,
      name: office?.name ?? `Amt für regionale Landesentwicklung ${district.name}`,
      seat: office?.seat ?? district.seat,
      commissionerRole: `Landesbeauftragte(r) für regionale Landesentwicklung ${district.name}`,
      streetAddress: office?.streetAddress ?? null,
      website: office?.website ?? null,
      branchOffices: office?.branchOffices ?? [],
      source: office ? `${OFFICE_SOURCE} Address, website and other locations: ${office.source}` : OFFICE_SOURCE,
    };
  });
}

export interface StrategySeed {
  districtCode: string;
  title: string;
  fieldsOfActionComplete: boolean;
  fieldsOfActionNote: string;
  adoptedOn: Date;
  adoptedOnSynthetic: boolean;
  updatedOn: Date[];
  updatedOnSynthetic: boolean;
  updatedInYearsNote: string | null;
  source: string;
}

export interface FieldOfActionSeed {
  id: string;
  districtCode: string;
  position: number;
  title: string;
  goals: string[];
  synthetic: false;
  source: string;
}

/**
 * The strategy of every district: the real adoption date of the first strategies, the real year of
 * their update and the real fields of action as far as they could be read — complete for
 * Leine-Weser, partial elsewhere (fieldsOfActionComplete false; never filled in).
 */
export function strategySeeds(): { strategies: StrategySeed[]; fieldsOfAction: FieldOfActionSeed[] } {
  const strategies: StrategySeed[] = [];
  const fieldsOfAction: FieldOfActionSeed[] = [];
  const real = new Map(realStrategies().map((strategy) => [strategy.districtCode, strategy]));
  for (const district of ARL_DISTRICTS) {
    const known = real.get(district.code);
    strategies.push({
      districtCode: district.code,
      title: known?.title ?? `Regionale Handlungsstrategie ${district.name}`,
      fieldsOfActionComplete: known?.fieldsOfActionComplete ?? false,
      fieldsOfActionNote: known?.fieldsOfActionNote ?? 'partial: no fields of action could be read',
      adoptedOn: FIRST_STRATEGIES_ADOPTED_ON,
      adoptedOnSynthetic: false,
      updatedOn: STRATEGY_UPDATE_YEARS.map(storedUpdateDay),
      updatedOnSynthetic: false,
      updatedInYearsNote: updatedInYearsNote(district.code),
      source: STRATEGY_SOURCE,
    });
    for (const field of known?.fields ?? []) {
      fieldsOfAction.push({
        id: `${district.code}.HF${field.position}`,
        districtCode: district.code,
        position: field.position,
        title: field.title,
        // The goals of each field are not in the pages read: an empty list, not invented ones.
        goals: [],
        synthetic: false,
        source: field.source,
      });
    }
  }
  return { strategies, fieldsOfAction };
}
