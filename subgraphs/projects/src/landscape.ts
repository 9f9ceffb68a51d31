import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FundingLevel, ProjectTopic } from '@regiograph/db';
import { parseCsvRecords, type CooperationCopy, type CooperationsCopyFile } from '@regiograph/shared';
import { DATA_DIR } from './region-catalogue';

let cooperationsCache: CooperationCopy[] | null = null;

/** The copy of the seeded cooperations: this subgraph never reads the cooperations' tables. */
export function cooperationCopies(): CooperationCopy[] {
  cooperationsCache ??= (JSON.parse(readFileSync(path.join(DATA_DIR, 'cooperations.json'), 'utf8')) as CooperationsCopyFile).cooperations;
  return cooperationsCache;
}

/**
 * Which project topics fit a field of action (Handlungsfeld). The fields are the real ones of the
 * Zukunftsregionen programme and of the regional strategies; a project carried by a cooperation
 * has only topics that fit one of the cooperation's fields.
 */
export const FIELD_TOPICS: Record<string, ProjectTopic[]> = {
  'Regionale Innovationsfähigkeit': ['ECONOMY', 'EDUCATION'],
  'CO2-arme Gesellschaft und Kreislaufwirtschaft': ['ENVIRONMENT', 'MOBILITY'],
  'Biologische Vielfalt und funktionierende Naturräume': ['ENVIRONMENT'],
  'Wandel der Arbeitswelt, Chancengleichheit und gesellschaftliche Teilhabe': ['LABOUR_MARKET', 'EDUCATION', 'DEMOGRAPHY'],
  'Gesundheitsversorgung und Pflege': ['MEDICAL_CARE'],
  'Kultur und Freizeit': ['ECONOMY', 'RETAIL'],
  'Mobilität und Verkehr': ['MOBILITY'],
  'Berufliche Bildung, Arbeitsmarkt und Fachkräfte': ['LABOUR_MARKET', 'EDUCATION'],
  'Daseinsvorsorge und Siedlungsstruktur': ['RETAIL', 'MEDICAL_CARE', 'DEMOGRAPHY'],
  'Wirtschaft und Innovation': ['ECONOMY'],
  'Natur und Umwelt': ['ENVIRONMENT'],
};

/** The topics that fit any of the fields of action. */
export function topicsOfFields(fields: string[]): ProjectTopic[] {
  return [...new Set(fields.flatMap((field) => FIELD_TOPICS[field] ?? []))];
}

export interface ProgrammeSeed {
  code: string;
  name: string;
  level: FundingLevel;
  description: string;
  period: string;
  budgetAsStated: string;
  source: string;
}

/** Stable codes of the real programmes in data/programmes.csv (by their name there). */
const PROGRAMME_CODES: Record<string, { code: string; level: FundingLevel }> = {
  'Zukunftsregionen in Niedersachsen': { code: 'ZUKUNFTSREGIONEN', level: 'STATE' },
  'Zukunftsräume Niedersachsen': { code: 'ZUKUNFTSRAEUME', level: 'STATE' },
  Südniedersachsenprogramm: { code: 'SUEDNIEDERSACHSEN', level: 'STATE' },
  'Soziale Innovation': { code: 'SOZIALE_INNOVATION', level: 'STATE' },
  'LEADER (ELER, Förderkonzept KLARA)': { code: 'LEADER', level: 'EU' },
  'ZILE / Dorfentwicklungsprogramm': { code: 'ZILE', level: 'STATE' },
  'GRW (Gemeinschaftsaufgabe Verbesserung der regionalen Wirtschaftsstruktur)': { code: 'GRW', level: 'FEDERAL' },
  'Multifondsprogramm Niedersachsen EFRE/ESF+': { code: 'MULTIFONDS_EFRE_ESF', level: 'EU' },
};

/**
 * The years in which a programme may approve money, as its record's period (data/programmes.csv)
 * states them; null where the record states no bound. A commitment's year (`Funding.commitmentYear`)
 * is the year the money was approved (Bewilligung), not a year it is paid out: payments are not
 * modelled, so a project approved in a programme's last year may run on after it.
 */
export interface ProgrammePeriod {
  firstYear: number | null;
  lastYear: number | null;
}

/**
 * Each programme's period, read by hand from the free text of its record: the record's words are
 * quoted beside each entry, and a test checks that every stated year appears in the record's period.
 */
export const PROGRAMME_PERIODS: Record<string, ProgrammePeriod> = {
  // "2021-2027 (call June 2021; 14 regions recognised Sept/Oct 2022)"
  ZUKUNFTSREGIONEN: { firstYear: 2021, lastYear: 2027 },
  // "since about 2019 (third round announced Sept 2020); next Antragsstichtag 01.09.2025": no end stated.
  ZUKUNFTSRAEUME: { firstYear: 2019, lastYear: null },
  // "cabinet decision 15.12.2014; started Feb 2015; designed until 2020; continuation announced
  // 08.05.2018": no source states the continuation's period, so 2020 is the last year.
  SUEDNIEDERSACHSEN: { firstYear: 2015, lastYear: 2020 },
  // "since 2015; ESF+ period 2021-2027": its stated funds end with the ESF+ period.
  SOZIALE_INNOVATION: { firstYear: 2015, lastYear: 2027 },
  // "2023-2027"
  LEADER: { firstYear: 2023, lastYear: 2027 },
  // "ongoing; Antragsstichtag for admission 01.10.2024": no period stated.
  ZILE: { firstYear: null, lastYear: null },
  // "new area map from 2022; revised 01.01.2023": the area changed, the record states no period.
  GRW: { firstYear: null, lastYear: null },
  // "2021-2027"
  MULTIFONDS_EFRE_ESF: { firstYear: 2021, lastYear: 2027 },
};

/** The period of a programme; a code without one is an error, so no programme escapes the rule. */
export function programmePeriod(code: string): ProgrammePeriod {
  const period = PROGRAMME_PERIODS[code];
  if (!period) throw new Error(`programme ${code} has no period in PROGRAMME_PERIODS`);
  return period;
}

/** Whether a programme's stated period includes a year (an unstated bound does not limit it). */
export function programmeOpenIn(code: string, year: number): boolean {
  const { firstYear, lastYear } = programmePeriod(code);
  return (firstYear === null || year >= firstYear) && (lastYear === null || year <= lastYear);
}

/** The eight real programmes with level, period and budget as the pages read state them. */
export function programmeSeeds(): ProgrammeSeed[] {
  return parseCsvRecords(readFileSync(path.join(DATA_DIR, 'programmes.csv'), 'utf8')).map(({ line, record }) => {
    const known = PROGRAMME_CODES[record.name ?? ''];
    if (!known) throw new Error(`programmes.csv line ${line}: no code for programme ${JSON.stringify(record.name)}`);
    return {
      code: known.code,
      name: record.name ?? '',
      level: known.level,
      description: `${record.level ?? ''}. ${record.notes ?? ''}`.trim(),
      period: record.period ?? '',
      budgetAsStated: record.total_budget_as_stated ?? '',
      source: record.source_url ?? '',
    };
  });
}
